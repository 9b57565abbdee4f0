"""`frontdoor notify directory`: who is told for each queue."""

import asyncio

import typer

from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from shared.settings import PlatformSettings
from services.notify.adapters.sqla_directory import SqlaDirectory
from services.notify.adapters.tables import MIGRATIONS, SCHEMA
from services.notify.domain.messages import ROLES, Recipient

notify_app = typer.Typer(help="Notifications: the directory of who is told.", no_args_is_help=True)
directory_app = typer.Typer(help="Who is told for each queue.", no_args_is_help=True)
notify_app.add_typer(directory_app, name="directory")


def _run(action):
    async def main():
        url = PlatformSettings().database_url
        await upgrade_to_head(url, SCHEMA, MIGRATIONS)
        engine = make_engine(url, pool_size=1)
        try:
            return await action(SqlaDirectory(engine))
        finally:
            await engine.dispose()
    return asyncio.run(main())


@directory_app.command("add")
def add(recipient_id: str, queue: str = typer.Option(..., help="Queue id, or duty_manager"),
        channel: str = typer.Option(..., help="smtp, govuk_notify, webhook or log"),
        address: str = typer.Option(..., help="Email address or webhook URL (a team inbox, never a child's)"),
        role: str = typer.Option("team_inbox", help=", ".join(ROLES)),
        area: str | None = typer.Option(None, help="Postcode district this recipient covers, e.g. NN1")) -> None:
    """Add or replace a recipient."""
    if role not in ROLES:
        raise typer.BadParameter(f"role must be one of {', '.join(ROLES)}")
    _run(lambda d: d.upsert(Recipient(recipient_id, queue, channel, address, role, area)))
    typer.echo(f"{recipient_id}: {role} for {queue} via {channel}")


@directory_app.command("list")
def list_() -> None:
    for r in _run(lambda d: d.all()):
        typer.echo(f"{r.queue_id}\t{r.id}\t{r.role}\t{r.channel}\t{r.address}\t{r.area or '*'}")


@directory_app.command("remove")
def remove(recipient_id: str) -> None:
    if not _run(lambda d: d.remove(recipient_id)):
        typer.echo(f"no recipient {recipient_id!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"removed {recipient_id}")
