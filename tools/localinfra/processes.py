"""Starting, waiting for and stopping the local servers, always by process id."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port(preferred: int | None = None) -> int:
    """`preferred` when a server could listen on it, else any free loopback port."""
    if preferred and bindable(preferred):
        return preferred
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bindable(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on `port` now. Not the same as "nothing listens": the preferred ports lie in
    the ephemeral range, so a client's outgoing connection may hold one, and a server's bind then fails
    (SO_REUSEADDR, as servers set it, still lets a port in TIME_WAIT be taken)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie we started is not alive
        return Path(f"/proc/{pid}/status").read_text().find("State:\tZ") < 0
    except OSError:
        return True


def wait_until(check, *, timeout: float, what: str, interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what} not ready after {timeout:.0f}s")


def stop_pid(pid: int | None, *, sig: int = signal.SIGTERM, timeout: float = 30.0) -> None:
    """Ask `pid` to stop, wait, and kill it if it will not; reaps it when it is our child."""
    if pid is None or not pid_alive(pid):
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.1)
    if pid_alive(pid):
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
    _reap(pid)


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def wait_for_server(proc: subprocess.Popen, ready, *, timeout: float, what: str, last_words) -> None:
    """Wait until `ready()`; a server that exits first fails at once, not at the timeout. Either way it is
    stopped and the error carries `last_words()` (its log's end): a test stack's directory is removed at
    teardown, so a start that failed in CI must say why in its error."""
    try:
        wait_until(lambda: proc.poll() is not None or ready(), timeout=timeout, what=what)
    except TimeoutError as exc:
        stop_pid(proc.pid)
        raise TimeoutError(f"{exc} (it was running); its last words:\n{last_words()}") from exc
    if (exited := proc.poll()) is not None:
        raise RuntimeError(f"{what} exited with {exited} while starting; its last words:\n{last_words()}")


def log_tail(log: Path, lines: int = 15) -> str:
    """A server log's last lines, for an error: a test stack's directory is removed at teardown, so a start that
    failed in CI must carry why in its error."""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else "(none)"
