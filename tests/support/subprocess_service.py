"""A service in its own process (`frontdoor run NAME`), so a test can SIGKILL it; always stopped by pid."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.support.audit import service_env
from tools.localinfra.processes import free_port, stop_pid
from tools.localinfra.stack import Endpoints


class ServiceProcess:
    def __init__(self, name: str, endpoints: Endpoints, log_path: Path, env: dict[str, str] | None = None) -> None:
        self.name, self._endpoints, self._log_path, self._env = name, endpoints, log_path, env or {}
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**service_env(), **os.environ, **self._endpoints.as_env(), "FRONTDOOR_ENV": "test", **self._env}
        port_variable = f"{self.name.upper()}_PORT"
        env[port_variable] = env.get(port_variable) or str(free_port())  # never a fixed port another run holds
        frontdoor = Path(sys.executable).with_name("frontdoor")
        with open(self._log_path, "ab") as log:
            self.proc = subprocess.Popen([str(frontdoor), "run", self.name], env=env, stdout=log,
                                         stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no offset commits, no outbox clean-up."""
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            stop_pid(self.proc.pid, timeout=30)
            self.proc.wait(timeout=5)
