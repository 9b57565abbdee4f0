"""The local stack: one Kafka broker and one PostgreSQL server, recorded in `<state>/infra.json`.

Order of preference (DESIGN "Running it"): `KAFKA_BOOTSTRAP_SERVERS` / `DATABASE_URL` when set, in which
case nothing is started; otherwise the local servers here. `up` is idempotent: servers already running from
the same state directory are reused.
"""

import json
import os
import re
import signal
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

from tools.localinfra.kafka import LocalKafka
from tools.localinfra.postgres import LocalPostgres
from tools.localinfra.processes import free_port, pid_alive, wait_until

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def default_state_dir() -> Path:
    return Path(os.environ.get("FRONTDOOR_STATE_DIR", PROJECT_ROOT / ".frontdoor"))


def default_cache_dir() -> Path:
    return Path(os.environ.get("FRONTDOOR_CACHE_DIR", Path.home() / ".cache" / "frontdoor"))


@dataclass(frozen=True)
class Endpoints:
    """Where the services find the broker and the database, and the pids of what this stack started."""

    kafka_bootstrap_servers: str
    database_url: str
    kafka_pid: int | None = None
    postgres_pid: int | None = None

    def as_env(self) -> dict[str, str]:
        return {"KAFKA_BOOTSTRAP_SERVERS": self.kafka_bootstrap_servers, "DATABASE_URL": self.database_url}


class LocalStack:
    def __init__(self, state_dir: Path | None = None, cache_dir: Path | None = None) -> None:
        self.state_dir = state_dir or default_state_dir()
        self.cache_dir = cache_dir or default_cache_dir()
        self._record = self.state_dir / "infra.json"

    def external(self) -> Endpoints | None:
        """Endpoints given by the environment, when both are set."""
        kafka, db = os.environ.get("KAFKA_BOOTSTRAP_SERVERS"), os.environ.get("DATABASE_URL")
        return Endpoints(kafka, db) if kafka and db else None

    def status(self) -> Endpoints | None:
        """The running local stack, or None when either server is down."""
        if not self._record.exists():
            return None
        endpoints = Endpoints(**json.loads(self._record.read_text()))
        running = pid_alive(endpoints.kafka_pid) and pid_alive(endpoints.postgres_pid)
        return endpoints if running else None

    def up(self) -> Endpoints:
        if (given := self.external()) is not None:
            return given
        if (running := self.status()) is not None:
            return running
        self.down()
        self.state_dir.mkdir(parents=True, exist_ok=True)
        postgres = LocalPostgres(self.state_dir / "postgres", free_port(55432))
        postgres_pid = postgres.start()
        kafka = LocalKafka(self.state_dir / "kafka", free_port(59092), free_port(59093))
        try:
            kafka_pid = kafka.start(self.cache_dir)
        except Exception:
            LocalPostgres.stop(postgres_pid)
            raise
        endpoints = Endpoints(kafka.bootstrap, postgres.url, kafka_pid, postgres_pid)
        self._record.write_text(json.dumps(endpoints.__dict__, indent=2))
        return endpoints

    def kill(self, server: str) -> None:
        """SIGKILL one server of this stack, as a crash would (fault tests); `restart` brings it back."""
        endpoints = self._recorded()
        pid = endpoints.postgres_pid if server == "postgres" else endpoints.kafka_pid
        if pid is not None and pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
            wait_until(lambda: not pid_alive(pid), timeout=30, what=f"{server} to die")

    def restart(self, server: str) -> Endpoints:
        """Start a server of this stack again on the same port and data (after `kill`); the record keeps its
        new pid, so `down` still stops exactly what runs. PostgreSQL replays its WAL first (crash recovery)."""
        endpoints = self._recorded()
        if server == "postgres":
            port = urlparse(endpoints.database_url).port or 5432
            endpoints = replace(endpoints, postgres_pid=_start_after_crash(LocalPostgres(self.state_dir / "postgres",
                                                                                        port)))
        else:
            config = (self.state_dir / "kafka" / "server.properties").read_text()
            found = re.search(r"CONTROLLER://127\.0\.0\.1:(\d+)", config)
            if found is None:
                raise RuntimeError(f"no controller listener in {self.state_dir / 'kafka' / 'server.properties'}")
            controller = int(found.group(1))
            port = int(endpoints.kafka_bootstrap_servers.rpartition(":")[2])
            kafka = LocalKafka(self.state_dir / "kafka", port, controller)
            endpoints = replace(endpoints, kafka_pid=kafka.start(self.cache_dir))
        self._record.write_text(json.dumps(endpoints.__dict__, indent=2))
        return endpoints

    def _recorded(self) -> Endpoints:
        return Endpoints(**json.loads(self._record.read_text()))

    def down(self) -> None:
        """Stop what this state directory's record says was started, by pid."""
        if not self._record.exists():
            return
        endpoints = Endpoints(**json.loads(self._record.read_text()))
        LocalKafka.stop(endpoints.kafka_pid)
        LocalPostgres.stop(endpoints.postgres_pid)
        self._record.unlink()



def _start_after_crash(postgres: LocalPostgres, tries: int = 10) -> int:
    """The killed postmaster's backends take a moment to notice and exit; until they do, a new postmaster
    refuses to start ("pre-existing shared memory block is still in use")."""
    for attempt in range(tries):
        try:
            return postgres.start()
        except subprocess.CalledProcessError:
            if attempt == tries - 1:
                raise
            time.sleep(1.0)
    raise AssertionError("unreachable")
