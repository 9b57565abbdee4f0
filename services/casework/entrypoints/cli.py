"""`frontdoor casework`: operators' commands for the work queues."""

import asyncio

import typer

casework_app = typer.Typer(help="MASH work queues: SLA checks.", no_args_is_help=True)


@casework_app.callback()
def casework() -> None:
    """A group of commands (`frontdoor casework sla-check`)."""


@casework_app.command("sla-check")
def sla_check() -> None:
    """Raise the SLA warnings and breaches due now (the service does this every CASEWORK_SLA_CHECK_SECONDS)."""
    from shared.clock import SystemClock
    from shared.db.engine import make_engine
    from shared.working_days import EnglandBankHolidays
    from services.casework.adapters import tables
    from services.casework.adapters.sqla_unit_of_work import SqlaCaseworkUnitOfWork
    from services.casework.application.sla_alerts import RaiseSlaAlerts
    from services.casework.config import CaseworkSettings

    async def main() -> list[tuple[str, str]]:
        engine = make_engine(CaseworkSettings().platform.database_url, pool_size=1)
        try:
            alerts = RaiseSlaAlerts(uow=lambda: SqlaCaseworkUnitOfWork(engine, inbox_table=tables.inbox,
                                                                       outbox_table=tables.outbox),
                                    clock=SystemClock(), is_holiday=EnglandBankHolidays())
            return await alerts.execute()
        finally:
            await engine.dispose()

    for item_id, kind in asyncio.run(main()):
        typer.echo(f"{kind} work item {item_id}")
    typer.echo("(the casework service's relay publishes them)", err=True)
