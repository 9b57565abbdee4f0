"""`frontdoor audit …` with `replay`: the one command that joins two services, audit's record and triage's rules.

The audit commands are audit's own (`services.audit.entrypoints.cli`); replay reads a referral's trail there
(so the read is logged) and re-runs it with triage's pure replay (`services.triage.domain.replay`).
"""

import asyncio
import json
from uuid import UUID

import typer

from services.audit.entrypoints.cli import TokenOption, audit_app, auditor, tools_for
from services.triage.domain.replay import Replay, replay


async def replay_referral(tools, referral_id: UUID, *, reader: str) -> Replay:
    """Read (and so record reading) the referral's trail, then replay it."""
    entries = await tools.trail.execute(referral_id, reader=reader, via="cli", fmt="replay", full=True,
                                        reason="decision replay: the record is re-run, only decisions are shown")
    return replay([e.event for e in entries])


def run_replay(tools_for, referral_id: UUID, reader: str) -> Replay:
    async def main():
        async with tools_for() as tools:
            return await replay_referral(tools, referral_id, reader=reader)
    return asyncio.run(main())


@audit_app.command("replay")
def audit_replay(referral_id: str, token: str = TokenOption) -> None:
    """Re-run the referral as recorded through the rule-set version recorded with its decision; compare."""
    result = run_replay(tools_for, UUID(referral_id), auditor(token).subject)
    if not result.found:
        typer.echo(f"NOT FOUND: no referral {referral_id} is in the audit log", err=True)
        raise typer.Exit(2)
    typer.echo(json.dumps(result.__dict__, indent=2))
    if result.matches:
        typer.echo(f"MATCH: the decision replays identically under rule set {result.ruleset_version}", err=True)
        return
    for problem in result.problems:
        typer.echo(f"MISMATCH: {problem}", err=True)
    raise typer.Exit(1)


__all__ = ["audit_app", "replay_referral", "run_replay"]
