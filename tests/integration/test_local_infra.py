"""`frontdoor infra up|status|down` on a state directory of its own: real servers, stopped by pid."""

import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tools.localinfra.postgres import LocalPostgres
from tools.localinfra.processes import pid_alive, port_open
from tools.localinfra.stack import PROJECT_ROOT, LocalStack

pytestmark = pytest.mark.infra
FRONTDOOR = str(Path(sys.executable).with_name("frontdoor"))


def cli(*args, state: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL")}
    return subprocess.run([FRONTDOOR, "infra", *args], env=env | {"FRONTDOOR_STATE_DIR": str(state)},
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def state_dir():
    """Under the project, not pytest's tmp (mode 700): the PostgreSQL server user must reach it."""
    path = PROJECT_ROOT / ".frontdoor" / f"infra-test-{uuid.uuid4().hex[:8]}"
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_infra_up_starts_kafka_and_postgres_and_down_stops_them(state_dir):
    tmp_path = state_dir
    up = cli("up", state=tmp_path)
    assert up.returncode == 0, up.stderr
    endpoints = LocalStack(state_dir=tmp_path).status()
    try:
        assert endpoints is not None
        assert f"KAFKA_BOOTSTRAP_SERVERS={endpoints.kafka_bootstrap_servers}" in up.stdout
        assert port_open(int(endpoints.kafka_bootstrap_servers.rsplit(":", 1)[1]))
        status = cli("status", state=tmp_path)
        assert status.returncode == 0 and f"pid {endpoints.kafka_pid}" in status.stdout
        again = cli("up", state=tmp_path)
        assert again.returncode == 0 and LocalStack(state_dir=tmp_path).status() == endpoints  # reused
    finally:
        down = cli("down", state=tmp_path)
    assert down.returncode == 0
    assert not pid_alive(endpoints.kafka_pid) and not pid_alive(endpoints.postgres_pid)
    assert cli("status", state=tmp_path).returncode == 1


def test_a_postgres_that_cannot_start_says_why(state_dir):
    """pg_ctl's failure carries the server log's end: the state directory is gone by the time CI is read."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        postgres = LocalPostgres(state_dir / "postgres", taken.getsockname()[1])
        with pytest.raises(RuntimeError) as failed:
            postgres.start()
    assert "PostgreSQL did not start (pg_ctl exited with 1); its last words:" in str(failed.value)
    assert "could not bind IPv4 address" in str(failed.value)
    assert postgres.pid() is None  # nothing left running
