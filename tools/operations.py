"""`frontdoor dlq …` and `frontdoor check completeness`: operators' commands for what was set aside."""

import asyncio
import getpass
import json
from datetime import UTC, datetime, timedelta

import typer

from shared.db.engine import make_engine
from shared.settings import PlatformSettings
from tools import dead_letters
from tools.completeness import incomplete_referrals

dlq_app = typer.Typer(help="Dead letters: list, show, replay or resolve what was set aside (all audited).",
                      no_args_is_help=True)
check_app = typer.Typer(help="End-to-end checks over every service's records.", no_args_is_help=True)


@check_app.callback()
def check() -> None:
    """A group, not a single command, so `frontdoor check completeness` names what it checks."""


Operator = typer.Option(None, "--operator", help="Who is acting (recorded in the audit log); default: $USER")
Reason = typer.Option(..., "--reason", help="Why (recorded in the audit log; ids and codes, no personal data)")


def _kafka() -> str:
    """Where Kafka is: the environment, or the local stack's record (adopted in services/cli.py main)."""
    return PlatformSettings().kafka_bootstrap_servers


def _find(letter_id: str) -> dead_letters.DeadLetter:
    for letter in asyncio.run(dead_letters.read_all(_kafka())):
        if letter.id == letter_id:
            return letter
    typer.echo(f"no dead letter {letter_id}; `frontdoor dlq list` shows them", err=True)
    raise typer.Exit(2)


@dlq_app.command("list")
def list_cmd(all_: bool = typer.Option(False, "--all", help="Include those already replayed or resolved")) -> None:
    """One JSON line per dead letter (ids and codes only). Exits 1 while any is open: usable as an alert."""
    found = dead_letters.with_outcomes(asyncio.run(dead_letters.read_all(_kafka())))
    open_ = [letter for letter, outcome in found if outcome is None]
    for letter, outcome in found:
        if outcome is None or all_:
            state = ({"state": outcome.action, "by": outcome.headers.get("dlq-operator")} if outcome
                     else {"state": "open"})
            typer.echo(json.dumps({**letter.summary(), **state}))
    typer.echo(f"{len(open_)} open dead letter(s) of {len(found)}", err=True)
    if open_:
        raise typer.Exit(1)


@dlq_app.command("show")
def show_cmd(letter_id: str,
             body: bool = typer.Option(False, help="Also print the message body: it may hold a child's details; "
                                                   "do not paste it anywhere")) -> None:
    letter = _find(letter_id)
    typer.echo(json.dumps({**letter.summary(), "headers": letter.headers}, indent=2))
    if body:
        typer.echo(letter.value.decode(errors="replace"))


@dlq_app.command("replay")
def replay_cmd(letter_id: str, reason: str = Reason, operator: str | None = Operator) -> None:
    """Publish the message to its source topic again (after fixing what broke it), and record that you did."""
    letter = _find(letter_id)
    try:
        asyncio.run(dead_letters.replay(_kafka(), letter, operator=operator or getpass.getuser(), reason=reason))
    except dead_letters.CannotReplay as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    typer.echo(f"replayed {letter.id} to {letter.source_topic}")


@dlq_app.command("resolve")
def resolve_cmd(letter_id: str, reason: str = Reason, operator: str | None = Operator) -> None:
    """Close a dead letter without replaying it (followed up by other means), and record that you did."""
    letter = _find(letter_id)
    asyncio.run(dead_letters.resolve(_kafka(), letter, operator=operator or getpass.getuser(), reason=reason))
    typer.echo(f"resolved {letter.id}")


@check_app.command("completeness")
def completeness_cmd(grace_minutes: float = typer.Option(10.0, help="Ignore referrals younger than this"),
                     days: float = typer.Option(30.0, help="Look back this many days")) -> None:
    """Every accepted referral without its decision, route, notification or audit rows. Exits 1 if any."""
    async def check():
        engine = make_engine(PlatformSettings().database_url, pool_size=1)
        try:
            return await incomplete_referrals(engine, now=datetime.now(UTC), grace=timedelta(minutes=grace_minutes),
                                              lookback=timedelta(days=days))
        finally:
            await engine.dispose()

    checked, incomplete = asyncio.run(check())  # no tables or no database: one line (services/cli.py main)
    for item in incomplete:
        typer.echo(json.dumps({"referral_id": item.referral_id, "received_at": item.received_at.isoformat(),
                               "missing": list(item.missing), "clock_breached": item.breached}))
    typer.echo(f"{checked} referral(s) checked, {len(incomplete)} incomplete", err=True)
    if incomplete:
        raise typer.Exit(1)
