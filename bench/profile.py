"""Where the services' CPU goes under load: py-spy samples every service process at once.

py-spy's raw output is collapsed stacks (`frame;frame;frame count`); from them come each service's top frames
by self time (the frame on top of the stack, so library and interpreter costs show) and Front Door's own
functions by inclusive time (which of our operations the time is spent under); waiting is left out.
"""

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from tools.localinfra.processes import stop_pid


def start(pids: dict[str, int], seconds: float, out_dir: Path) -> dict[str, subprocess.Popen]:
    """Sample each process for `seconds` (py-spy needs ptrace rights: root, or CAP_SYS_PTRACE)."""
    spy = str(Path(sys.executable).with_name("py-spy"))
    out_dir.mkdir(parents=True, exist_ok=True)
    return {name: subprocess.Popen(
        [spy, "record", "--pid", str(pid), "--duration", str(int(seconds)), "--rate", "100", "--format", "raw",
         "--nonblocking", "--output", str(out_dir / f"{name}.collapsed")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True) for name, pid in pids.items()}


def finish(spies: dict[str, subprocess.Popen], out_dir: Path, top: int = 8) -> dict[str, dict]:
    """Wait for the samplers; each service's top frames as percentages of its busy samples."""
    results = {}
    for name, spy in spies.items():
        try:
            _, err = spy.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            stop_pid(spy.pid)
            _, err = spy.communicate()
        path = out_dir / f"{name}.collapsed"
        if spy.returncode != 0 or not path.exists():
            results[name] = {"error": (err or b"").decode(errors="replace").strip()[-300:] or "py-spy failed"}
            continue
        results[name] = top_frames(path.read_text().splitlines(), top)
    return results


def top_frames(lines: list[str], top: int) -> dict[str, Any]:
    self_time, inclusive, busy = Counter[str](), Counter[str](), 0
    for line in lines:
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        raw = stack.split(";")
        frames = [_short(f) for f in raw]
        if _idle(frames):
            continue
        n = int(count)
        busy += n
        self_time[frames[-1]] += n
        for frame in {short for short, full in zip(frames, raw) if _ours(full)}:
            inclusive[frame] += n
    share = (lambda c: [(f, round(100 * n / busy, 1)) for f, n in c.most_common(top)]) if busy else (lambda c: [])
    return {"busy_samples": busy, "self": share(self_time), "inclusive": share(inclusive)}


def _short(frame: str) -> str:
    """`function (path/to/module.py:123)` -> `function (module.py)`: lines differ, the cost is the function."""
    function, _, where = frame.partition(" (")
    module = where.split(":")[0].rsplit("/", 1)[-1]
    return f"{function} ({module})" if module else function


IDLE = ("select (selectors.py)", "wait (threading.py)", "_worker (thread.py)")
ENTRYPOINTS = ("cli.py", "runtime.py", "http_server.py")


def _idle(frames: list[str]) -> bool:
    """Waiting in the event loop's selector, or a pool thread waiting for work, is not work."""
    return bool(frames) and frames[-1].endswith(IDLE)


def _ours(frame: str) -> bool:
    """A Front Door function below the process's entry point (which would always be 100 %)."""
    path = frame.partition(" (")[2].split(":")[0]  # py-spy gives paths relative to sys.path
    return path.startswith(("services/", "shared/")) and not path.endswith(ENTRYPOINTS)
