"""Layering and the one-contract rule, enforced (import-linter contracts in pyproject.toml)."""

import re
import subprocess
import sys
from pathlib import Path

from shared.events import topics

ROOT = Path(__file__).resolve().parents[2]


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_topic_names_are_written_only_in_the_contract():
    """Every topic literal lives in shared/events/topics.py; code elsewhere imports the names."""
    literal = re.compile(r"[\"'](referrals\.(received|triaged)|workitems\.events|notifications\.events)[\"']")
    offenders = [str(p.relative_to(ROOT)) for folder in ("services", "shared") for p in (ROOT / folder).rglob("*.py")
                 if p.name != "topics.py" and literal.search(p.read_text())]
    assert offenders == []
    assert topics.REFERRALS_RECEIVED == "referrals.received"


def test_event_models_are_declared_only_in_shared_events():
    declared = re.compile(r"^class \w+\((EventEnvelope|ReferralV1)\)", re.M)
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "services").rglob("*.py") if declared.search(p.read_text())]
    assert offenders == []
