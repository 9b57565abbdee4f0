"""`frontdoor audit`: verify the log's hash chain and name the first bad row."""

import asyncio

import typer

from shared.db.engine import make_engine
from shared.settings import PlatformSettings
from services.audit.adapters.sqla_log import read_chain, row_before
from services.audit.domain.chain import verify

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


async def verify_range(database_url: str, start: int, end: int | None):
    engine = make_engine(database_url, pool_size=1)
    try:
        previous = await row_before(engine, start) if start > 1 else None
        rows = await read_chain(engine, start=start, end=end)
        return len(rows), verify(rows, previous)
    finally:
        await engine.dispose()


@audit_app.command("verify")
def verify_cmd(start: int = typer.Option(1, "--from"), end: int | None = typer.Option(None, "--to")) -> None:
    """Recompute every hash and link; exit 1 naming the first bad row."""
    checked, fault = asyncio.run(verify_range(PlatformSettings().database_url, start, end))
    if fault:
        typer.echo(f"FAULT at seq {fault.seq}: {fault.problem}", err=True)
        raise typer.Exit(1)
    typer.echo(f"OK: {checked} row(s) verified")
