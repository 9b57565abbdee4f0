"""Issue "What a new user … found" item 4: the CLI's database commands work in a new shell while the local
stack runs (its record is used when DATABASE_URL is not set), and say one line when nothing is reachable."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.infra import TEST_STATE
from tools.localinfra.stack import LocalStack

pytestmark = pytest.mark.infra
FRONTDOOR = str(Path(sys.executable).with_name("frontdoor"))


def run(*args: str, state_dir: Path) -> subprocess.CompletedProcess:
    """As in a new shell: no DATABASE_URL, no KAFKA_BOOTSTRAP_SERVERS."""
    return subprocess.run([FRONTDOOR, *args], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "FRONTDOOR_STATE_DIR": str(state_dir)})


@pytest.mark.parametrize("command", [("partners", "list"), ("audit", "verify"), ("check", "completeness")])
def test_with_nothing_running_the_cli_says_one_line_and_what_to_do(command, tmp_path):
    done = run(*command, state_dir=tmp_path)
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()
    assert line.startswith("Cannot reach PostgreSQL or Kafka (no DATABASE_URL, no local stack running). Start them "
                           "with `make run` or `frontdoor infra up`, or set DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS.")
    assert re.search(r" \(\w+: .+\)$", line), line  # and what failed, as the driver said it


async def test_with_the_local_stack_running_the_cli_uses_its_record(endpoints):
    running = LocalStack(state_dir=TEST_STATE).status()
    assert running is not None  # the suite's own stack, recorded like `make run`'s
    done = run("partners", "list", state_dir=TEST_STATE)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
