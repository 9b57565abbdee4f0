"""`frontdoor partners`: register partner organisations and manage their API keys."""

import asyncio
from datetime import UTC, datetime

import typer

from shared.db.engine import make_engine
from shared.db.migrations import upgrade_to_head
from shared.events.codes import ReferralSource
from shared.settings import PlatformSettings
from services.intake.adapters import partner_admin
from services.intake.adapters.tables import MIGRATIONS, SCHEMA

partners_app = typer.Typer(help="Partner organisations and their API keys.", no_args_is_help=True)


async def _with_engine(action):
    url = PlatformSettings().database_url
    await upgrade_to_head(url, SCHEMA, MIGRATIONS)
    engine = make_engine(url, pool_size=1)
    try:
        return await action(engine)
    finally:
        await engine.dispose()


@partners_app.command("add")
def add(partner_id: str = typer.Argument(..., help="Short id, e.g. st-marys-primary"),
        name: str = typer.Option(..., help="Organisation name"),
        source: ReferralSource | None = typer.Option(None, help="CIN referral source code")) -> None:
    """Register a partner and print its key. The key is shown once and never stored."""
    key = asyncio.run(_with_engine(lambda e: partner_admin.add_partner(
        e, partner_id=partner_id, name=name, source=source.value if source else None)))
    typer.echo(key)


@partners_app.command("list")
def list_() -> None:
    for p in asyncio.run(_with_engine(partner_admin.list_partners)):
        state = f"revoked {p.revoked_at:%Y-%m-%d}" if p.revoked_at else "active"
        typer.echo(f"{p.id}\t{p.name}\t{p.source or '-'}\tfd_{p.key_prefix}_…\t{state}")


@partners_app.command("revoke")
def revoke(partner_id: str) -> None:
    """Revoke a partner's key at once; its requests then get 401."""
    done = asyncio.run(_with_engine(lambda e: partner_admin.revoke_partner(e, partner_id, now=datetime.now(UTC))))
    if not done:
        typer.echo(f"no active partner {partner_id!r}", err=True)
        raise typer.Exit(1)
    typer.echo(f"revoked {partner_id}")
