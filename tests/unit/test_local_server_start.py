"""Starting the local servers: a preferred port that an outgoing connection holds is not handed out (the CI
failure of 3 December: the witness was given 58090 while a client socket held it, exited at once on "failed to
listen", and the start waited out 30 s and said only "not ready"); a server that exits while starting fails at
once, with its last words."""

import socket
import subprocess
import sys

import pytest

from tools.localinfra.processes import bindable, free_port, port_open, wait_for_server


@pytest.fixture
def port_held_by_a_client():
    """A loopback port held as the local end of a live outgoing connection, as a Kafka or PostgreSQL client
    holds ports of the ephemeral range, where the preferred ports lie."""
    with socket.socket() as server, socket.socket() as client:
        server.bind(("127.0.0.1", 0))
        server.listen()
        client.bind(("127.0.0.1", 0))
        client.connect(server.getsockname())
        yield client.getsockname()[1]


def test_a_port_an_outgoing_connection_holds_is_not_free(port_held_by_a_client):
    assert not port_open(port_held_by_a_client)  # nothing listens there, yet a server cannot bind it
    assert not bindable(port_held_by_a_client)
    assert free_port(port_held_by_a_client) != port_held_by_a_client


def test_a_preferred_port_nobody_holds_is_given():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert free_port(port) == port


def test_a_server_that_exits_while_starting_fails_at_once_with_its_last_words():
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(255)"])
    proc.wait()
    asked_if_ready = []

    with pytest.raises(RuntimeError) as failed:
        wait_for_server(proc, lambda: asked_if_ready.append(1), timeout=30, what="the witness",
                        last_words=lambda: 'F1203 monolith.go:106] failed to listen on "127.0.0.1:58090"')

    assert asked_if_ready == []  # its exit ended the wait at the first look, not the 30 s timeout
    assert str(failed.value) == ('the witness exited with 255 while starting; its last words:\n'
                                 'F1203 monolith.go:106] failed to listen on "127.0.0.1:58090"')


def test_a_server_still_running_at_the_timeout_is_stopped_and_says_so():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])

    with pytest.raises(TimeoutError) as failed:
        wait_for_server(proc, lambda: False, timeout=1, what="Kafka", last_words=lambda: "still formatting")

    assert proc.poll() is not None  # stopped, not left behind
    assert str(failed.value) == "Kafka not ready after 1s (it was running); its last words:\nstill formatting"
