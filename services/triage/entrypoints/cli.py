"""`frontdoor triage`: decide a referral from a file, print the rule table, compare rule-set versions."""

import json
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from pydantic import ValidationError

from shared.env_file import setting
from shared.events.referral import ReferralV1
from services.triage.domain.rules.decide_identified import decide_identified
from services.triage.domain.rules.registry import DEFAULT_VERSION, UnknownRuleSet, get_ruleset
from services.triage.entrypoints.rule_table import csv_text, markdown

triage_app = typer.Typer(help="Triage rules: decide, print, compare.", no_args_is_help=True)
DECISION_KEYS = ("primary_queue", "secondary_queues", "level_of_need", "rag", "consent_required",
                 "needs_human_review", "ruleset_version", "ruleset_hash", "trace")
HISTORY_KEYS = ("re_referral_within_12_months", "joins_work_item_id")  # rule sets that read history


def _ruleset(version: str | None):
    try:
        return get_ruleset(version or _in_force())
    except UnknownRuleSet as exc:
        raise typer.BadParameter(str(exc.args[0])) from None


def _in_force() -> str:
    """The version the service is configured with (TRIAGE_RULESET_VERSION: environment, then the settings file),
    read as TriageSettings reads it but without loading pydantic-settings for one value (the CLI's start-up
    time; tests/unit/triage/test_cli.py keeps the two in step)."""
    return setting("TRIAGE_RULESET_VERSION", DEFAULT_VERSION)


def _load(source: str) -> ReferralV1:
    text = sys.stdin.read() if source == "-" else Path(source).read_text()
    try:
        return ReferralV1.model_validate_json(text)
    except ValidationError as exc:
        for e in exc.errors(include_input=False):
            typer.echo(f"{source}: {'.'.join(map(str, e['loc']))}: {e['msg']}", err=True)
        raise typer.Exit(2) from None


def _history(source: Path | None):
    """The history facts to decide with: a file (as recorded in a decision's `history`), or by default a child
    the front door has never seen (rule sets before 2028.1 ignore it)."""
    from uuid import UUID

    from shared.events.people import HistorySnapshot
    from shared.events.triage import HistoryFacts

    if source is None:
        return HistoryFacts(person_id=UUID(int=0), match_grade="new", candidates=0, snapshot=HistorySnapshot())
    try:
        return HistoryFacts.model_validate_json(source.read_text())
    except ValidationError as exc:
        for e in exc.errors(include_input=False):
            typer.echo(f"{source}: {'.'.join(map(str, e['loc']))}: {e['msg']}", err=True)
        raise typer.Exit(2) from None


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


@triage_app.command("decide")
def decide_cmd(file: str = typer.Argument(..., help="A v1 referral body (JSON), or - for stdin"),
               as_of: datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help="Day received (default today)"),
               ruleset: str | None = typer.Option(None, help="Rule-set version (default: the one in force)"),
               history: Path | None = typer.Option(None, help="History facts (JSON, as a decision records them); "
                                                              "default: a child never seen before")) -> None:
    """Print the decision for one referral as JSON."""
    decision = decide_identified(_load(file), _history(history), _ruleset(ruleset),
                                 as_of.date() if as_of else _today())
    keys = DECISION_KEYS + (HISTORY_KEYS if decision.re_referral_within_12_months is not None else ())
    typer.echo(json.dumps(decision.model_dump(mode="json", include=set(keys)), indent=2))


@triage_app.command("rules")
def rules_cmd(ruleset: str | None = typer.Option(None, help="Rule-set version"),
              format: str = typer.Option("md", help="md or csv")) -> None:
    """Print the rule table for practitioners."""
    chosen = _ruleset(ruleset)
    if format not in ("md", "csv"):
        raise typer.BadParameter("format must be md or csv")
    typer.echo(markdown(chosen) if format == "md" else csv_text(chosen), nl=False)


def _why(decision) -> str:
    """The rule that set the route, and what it found; then any review flags."""
    deciding = next(t for t in decision.trace if t.matched and t.rule_id not in ("H1", "HR0"))
    flags = next((t.reason for t in decision.trace if t.rule_id == "H1" and t.matched), None)
    return f"{deciding.rule_id} {deciding.title}: {deciding.reason}" + (f" Review: {flags}" if flags else "")


@triage_app.command("diff")
def diff_cmd(files: list[Path] = typer.Argument(..., help="v1 referral bodies (JSON)"),
             from_version: str = typer.Option(..., "--from"), to_version: str = typer.Option(..., "--to"),
             as_of: datetime | None = typer.Option(None, formats=["%Y-%m-%d"])) -> None:
    """Show which referrals would route differently under the new version, before switching it on."""
    old, new, day = _ruleset(from_version), _ruleset(to_version), as_of.date() if as_of else _today()
    changed = 0
    for path in files:
        referral = _load(str(path))
        a, b = (decide_identified(referral, _history(None), old, day),
                decide_identified(referral, _history(None), new, day))
        fields = ("primary_queue", "secondary_queues", "level_of_need", "rag", "needs_human_review")
        differences = {f: (getattr(a, f), getattr(b, f)) for f in fields if getattr(a, f) != getattr(b, f)}
        if differences:
            changed += 1
            typer.echo(f"{path}: " + "; ".join(f"{f} {json.dumps(x, default=str)} -> {json.dumps(y, default=str)}"
                                               for f, (x, y) in differences.items()))
            typer.echo(f"  because: {old.version} {_why(a)}")
            typer.echo(f"           {new.version} {_why(b)}")
        else:
            typer.echo(f"{path}: same ({a.primary_queue.value})")
    typer.echo(f"{changed} of {len(files)} referral(s) would route differently from {old.version} to {new.version}")
