"""A broker that will not start says why: the error carries the end of its logs, because a test stack's
directory is gone by the time anyone reads a CI failure."""

from tools.localinfra.kafka import LocalKafka


def test_last_words_are_the_end_of_the_console_and_server_logs(tmp_path):
    kafka = LocalKafka(home=tmp_path, port=1, controller_port=2)
    (tmp_path / "logs").mkdir()
    (tmp_path / "stdout.log").write_text("\n".join(f"console {i}" for i in range(40)))
    (tmp_path / "logs" / "server.log").write_text("starting\nERROR Address already in use\n")

    said = kafka.last_words(lines=3)

    assert said.splitlines() == ["--- stdout.log", "console 37", "console 38", "console 39",
                                 "--- server.log", "starting", "ERROR Address already in use"]


def test_a_broker_that_wrote_nothing_says_so(tmp_path):
    assert LocalKafka(home=tmp_path, port=1, controller_port=2).last_words() == (
        "--- stdout.log\n(none)\n--- server.log\n(none)")
