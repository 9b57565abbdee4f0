"""Go programs the tests run as outside implementations (Go's own transparency-log packages, a real
witness): built once per session from the Go module proxy with the machine's Go, never our Python."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GO_ENV = {"GOTOOLCHAIN": "local", "GOFLAGS": "-mod=readonly"}


def go_build(package_dir: Path, target: str, out: Path) -> Path:
    """`go build` of `target` in the module at `package_dir`; fails the test (not skips) without Go."""
    go = shutil.which("go")
    if go is None:
        pytest.fail("Go is needed for the outside-implementation tests (README: Setting up)")
    result = subprocess.run([go, "build", "-o", str(out), target], cwd=package_dir, capture_output=True,
                            text=True, env=os.environ | GO_ENV, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return out


def run_go_auditor(binary: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=60)
