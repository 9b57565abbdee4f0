"""The bench's CPU meter: a process that exits while the meter reads it (a PostgreSQL backend whose connection
a pool just closed) must not stop the run, as it stopped one `make bench` on 3 December."""

import subprocess
import sys

import psutil

from bench.observe import live_cpu_seconds


def test_a_child_gone_since_it_was_listed_counts_as_nothing_instead_of_failing_the_run():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    listed = psutil.Process(child.pid)
    assert live_cpu_seconds(listed) >= 0.0
    child.kill()
    child.wait()  # reaped: its pid is gone

    assert live_cpu_seconds(listed) == 0.0
