"""`frontdoor triage decide|rules|diff` as rule authors and auditors use them."""

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from services.triage.domain.rules.registry import DEFAULT_VERSION, get_ruleset
from tests.support.referrals import referral_body
from tools.cli import app

runner = CliRunner()


def write(tmp_path, name, body) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(body))
    return str(path)


def test_decide_prints_exactly_the_decision_keys(tmp_path):
    path = write(tmp_path, "r.json", referral_body(dob="2019-01-01", significant_harm_suspected=True))
    result = runner.invoke(app, ["triage", "decide", path, "--as-of", "2026-11-20", "--ruleset", "2026.1"])
    assert result.exit_code == 0, result.output
    decision = json.loads(result.output)
    assert list(decision) == ["primary_queue", "secondary_queues", "level_of_need", "rag", "consent_required",
                              "needs_human_review", "ruleset_version", "ruleset_hash", "trace"]
    assert decision["ruleset_hash"] == get_ruleset("2026.1").content_hash  # says exactly which rules decided
    assert (decision["primary_queue"], decision["rag"], decision["level_of_need"]) == ("statutory_safeguarding",
                                                                                       "red", 4)


def test_decide_reads_stdin_and_reports_contract_errors_by_field():
    bad = json.dumps(referral_body(child={"nhs_number": "123"}))
    result = runner.invoke(app, ["triage", "decide", "-"], input=bad)
    assert result.exit_code == 2
    assert "child.nhs_number" in result.output


def test_rules_table_in_markdown_and_csv():
    md = runner.invoke(app, ["triage", "rules", "--ruleset", "2026.1", "--format", "md"]).output
    assert "| R1 | Statutory override (Level 4) | Statutory safeguarding (MASH social work) | red | 4 | no |" in md
    assert "Early Help ages: unborn to 19, or to 25 with SEND" in md
    in_force = runner.invoke(app, ["triage", "rules", "--format", "csv"]).output
    rows = list(csv.DictReader(io.StringIO(in_force)))
    in_force_rules = get_ruleset(DEFAULT_VERSION)
    assert [r["Rule"] for r in rows] == [r.rule_id for r in (*in_force_rules.rules, *in_force_rules.history_rules)]
    assert all(r["Source"] for r in rows)


def test_diff_shows_which_referrals_would_route_differently(tmp_path):
    fourteen = write(tmp_path, "fourteen.json", referral_body(dob="2012-03-01", concerns=[],
                                                              likely_care_needs_after_18=True))
    harm = write(tmp_path, "harm.json", referral_body(immediate_danger=True))
    result = runner.invoke(app, ["triage", "diff", "--from", "2026.1", "--to", "2026.2-wnc", "--as-of",
                                 "2026-11-20", fourteen, harm])
    assert result.exit_code == 0, result.output
    assert 'fourteen.json: primary_queue "adult_transition" -> "early_help"' in result.output
    assert "harm.json: same (statutory_safeguarding)" in result.output
    assert "1 of 2 referral(s) would route differently from 2026.1 to 2026.2-wnc" in result.output


def test_unknown_ruleset_is_refused():
    result = runner.invoke(app, ["triage", "rules", "--ruleset", "1999.9"])
    assert result.exit_code != 0
    assert "unknown rule set" in result.output


def test_diff_from_2026_to_2027_explains_every_change_on_a_realistic_sample(tmp_path):
    """Issue "Triage policy": every referral that routes differently says which rule decided, and why, under
    each version. The sample is the 2027.1 worked examples plus ordinary referrals that must not change."""
    from tests.unit.triage.examples_2027 import EXAMPLES

    ordinary = [referral_body(), referral_body(immediate_danger=True),
                referral_body(concerns=["parenting_support", "housing"]), referral_body(concerns=[])]
    files = [write(tmp_path, f"example-{i}.json", body) for i, body in enumerate([e[2] for e in EXAMPLES] + ordinary)]
    result = runner.invoke(app, ["triage", "diff", "--from", "2026.1", "--to", "2027.1", "--as-of", "2026-11-20",
                                 *files])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    changed = [i for i, line in enumerate(lines) if line.startswith(str(tmp_path)) and ": same (" not in line]
    assert changed, result.output
    for i in changed:
        assert lines[i + 1].startswith("  because: 2026.1 R") and lines[i + 2].strip().startswith("2027.1 R")
    for i in range(len(EXAMPLES), len(files)):  # ordinary referrals route as before
        assert f"example-{i}.json: same (" in result.output


@pytest.mark.parametrize("configured", [None, "2026.1"])
def test_the_cli_reads_the_rule_set_in_force_as_the_service_does(monkeypatch, configured):
    from services.triage.config import TriageSettings
    from services.triage.entrypoints.cli import _in_force

    if configured:
        monkeypatch.setenv("TRIAGE_RULESET_VERSION", configured)
    else:
        monkeypatch.delenv("TRIAGE_RULESET_VERSION", raising=False)
    assert _in_force() == TriageSettings().ruleset_version == (configured or "2028.1")
