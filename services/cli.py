"""The `frontdoor` command: run services, provision local infrastructure, and each service's own tools."""

import asyncio
import json
import os
import sys

import typer

from shared.localinfra.stack import LocalStack
from shared.outages import is_missing_table, is_unavailable
from shared.process import configure_logging, running_endpoints, serve, use_endpoints
from services.audit.entrypoints.cli import TokenOption, audit_app, auditor, tools_for
from services.intake.entrypoints.cli import create_demo_partner, partners_app
from services.notify.entrypoints.cli import notify_app
from services.triage.entrypoints.cli import triage_app
from tools.cli import check_app, dlq_app

app = typer.Typer(help="Front Door: referral routing for a children's services front door (MASH).",
                  no_args_is_help=True, pretty_exceptions_show_locals=False)  # locals may hold a child's details
infra_app = typer.Typer(help="Local Apache Kafka and PostgreSQL without Docker.", no_args_is_help=True)
app.add_typer(infra_app, name="infra")
app.add_typer(partners_app, name="partners")
app.add_typer(triage_app, name="triage")
app.add_typer(audit_app, name="audit")
app.add_typer(notify_app, name="notify")
app.add_typer(dlq_app, name="dlq")
app.add_typer(check_app, name="check")
users_app = typer.Typer(help="Staff and auditor tokens (development signing key).", no_args_is_help=True)
app.add_typer(users_app, name="users")

SERVICES = ("intake", "triage", "notify", "audit")


def _builders(names: tuple[str, ...]) -> dict:
    from services.audit.bootstrap import build as audit
    from services.audit.config import AuditSettings
    from services.intake.bootstrap import build as intake
    from services.intake.config import IntakeSettings
    from services.notify.bootstrap import build as notify
    from services.notify.config import NotifySettings
    from services.triage.bootstrap import build as triage
    from services.triage.config import TriageSettings

    every = {"audit": lambda tp: audit(AuditSettings(), tp), "triage": lambda tp: triage(TriageSettings(), tp),
             "notify": lambda tp: notify(NotifySettings(), tp), "intake": lambda tp: intake(IntakeSettings(), tp)}
    return {name: every[name] for name in ("audit", "notify", "triage", "intake") if name in names}


@infra_app.command("up")
def infra_up() -> None:
    """Start (or reuse) the local Kafka broker and PostgreSQL server."""
    endpoints = LocalStack().up()
    typer.echo(f"KAFKA_BOOTSTRAP_SERVERS={endpoints.kafka_bootstrap_servers}")
    typer.echo(f"DATABASE_URL={endpoints.database_url}")


@infra_app.command("down")
def infra_down() -> None:
    """Stop the local servers that `infra up` started (by pid)."""
    LocalStack().down()
    typer.echo("local infrastructure stopped")


@infra_app.command("status")
def infra_status() -> None:
    endpoints = LocalStack().status()
    if endpoints is None:
        typer.echo("local infrastructure is not running")
        raise typer.Exit(1)
    typer.echo(f"kafka {endpoints.kafka_bootstrap_servers} (pid {endpoints.kafka_pid})")
    typer.echo(f"postgres {endpoints.database_url} (pid {endpoints.postgres_pid})")


@users_app.command("token")
def users_token(name: str, role: list[str] = typer.Option(..., "--role", help="practitioner, manager, auditor, admin"),
                queue: list[str] = typer.Option([], "--queue", help="Queues a practitioner works (repeatable)"),
                hours: float = typer.Option(8.0, help="Valid for this many hours")) -> None:
    """Issue a development token; in production the identity provider issues tokens."""
    from shared.auth.tokens import AuthSettings, Tokens

    try:
        typer.echo(Tokens(AuthSettings()).issue(name, role, queue, hours=hours))
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command("run")
def run(service: str = typer.Argument(..., help="intake, triage, notify, audit or all"),
        demo_partner: bool = typer.Option(False, help="Create (or rotate) the demo partner and print its key")) -> None:
    """Run one service, or all four in this process; `all` also brings local infrastructure up, and down on exit."""
    if service not in (*SERVICES, "all"):
        raise typer.BadParameter(f"unknown service {service!r}")
    configure_logging()
    stack = LocalStack()
    started_infra = service == "all" and stack.external() is None and stack.status() is None
    endpoints = stack.up() if service == "all" else running_endpoints(stack)
    use_endpoints(endpoints)
    names = SERVICES if service == "all" else (service,)

    async def announce() -> None:
        typer.echo(f"Front Door is running: {', '.join(names)}")
        if "intake" in names:
            from services.intake.config import IntakeSettings

            api = f"http://{IntakeSettings().host}:{IntakeSettings().port}"
            typer.echo(f"  partner API:  {api}/v1/referrals  (OpenAPI: {api}/docs)")
            if demo_partner:
                typer.echo(f"  demo partner key: {await create_demo_partner()}")
        if "triage" in names:
            from services.triage.config import TriageSettings

            typer.echo(f"  MASH console: http://{TriageSettings().host}:{TriageSettings().port}/console  "
                       "(token: frontdoor users token NAME --role practitioner --queue QUEUE)")
        if "audit" in names:
            from services.audit.config import AuditSettings

            typer.echo(f"  audit API:    http://{AuditSettings().host}:{AuditSettings().port}/audit/v1")
        typer.echo(f"  Kafka:        {endpoints.kafka_bootstrap_servers}")
        typer.echo(f"  PostgreSQL:   {endpoints.database_url}")
        typer.echo("Press Ctrl-C to stop.")

    try:
        asyncio.run(serve(_builders(names), on_started=announce))
    finally:
        if started_infra:
            stack.down()
            typer.echo("stopped local Kafka and PostgreSQL")


@audit_app.command("replay")
def audit_replay(referral_id: str, token: str = TokenOption) -> None:
    """Re-run the referral as recorded through the rule-set version recorded with its decision; compare."""
    from uuid import UUID

    from services.replay import run_replay

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


@app.command("bench")
def bench_cmd(rates: str = typer.Option("1,10,25,50,75,100,125,150,200,300,500,750,1000",
                                        help="Arrival rates to step through (per second); stops at the first "
                                             "rate the system does not sustain"),
              seconds: float = typer.Option(15.0, help="Length of each step"),
              overload_seconds: float = typer.Option(120.0, help="Overload phase at 1.5x the sustainable rate "
                                                                 "(0 skips it)"),
              profile_seconds: float = typer.Option(10.0, help="py-spy every service for this long at the "
                                                               "sustainable rate (0 skips it)"),
              max_backlog: int = typer.Option(1000, help="Intake's admission limit (untriaged referrals)"),
              baseline_count: int = typer.Option(20000, help="Messages/rows for the raw baselines"),
              intake_requests: int = typer.Option(2000, help="Requests for the closed-loop intake maximum"),
              out: str = typer.Option(".frontdoor/bench-results.json", help="Where the JSON goes (the plot goes "
                                                                            "beside it as .png)")) -> None:
    """End-to-end throughput and latency against raw Kafka, COPY and ASGI baselines, measured in one run."""
    from pathlib import Path

    from services.bench.report import plot, table
    from services.bench.runner import bench

    configure_logging()
    result = asyncio.run(bench([float(r) for r in rates.split(",")], seconds, baseline_count, intake_requests,
                               overload_seconds=overload_seconds, profile_seconds=profile_seconds,
                               max_backlog=max_backlog))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(result, indent=2))
    typer.echo(table(result))
    typer.echo(f"results: {out}; plot: {plot(result, Path(out).with_suffix('.png'))}")
    if not result["passed"]:
        raise typer.Exit(1)


UNREACHABLE = ("Cannot reach PostgreSQL or Kafka ({where}). Start them with `make run` or `frontdoor infra up`, "
               "or set DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS.")
NO_TABLES = "Front Door's tables are not there yet in {where}: start the services once (`make run`)."


def adopt_running_stack() -> None:
    """With neither address set, every command uses the local stack `make run` / `infra up` recorded."""
    stack = LocalStack()
    if "DATABASE_URL" not in os.environ and "KAFKA_BOOTSTRAP_SERVERS" not in os.environ:
        if (running := stack.status()) is not None:
            use_endpoints(running)


def main() -> None:
    """One line, not a traceback, when the database or broker is not there (issue: a 635-line traceback)."""
    adopt_running_stack()
    if sys.argv[1:2] == ["infra"]:  # it starts the servers: its own errors say what went wrong
        return app()
    try:
        app()
    except Exception as exc:
        where = os.environ.get("DATABASE_URL", "no DATABASE_URL, no local stack running")
        if is_unavailable(exc):
            typer.echo(UNREACHABLE.format(where=where) + f" ({type(exc).__name__})", err=True)
            raise SystemExit(2) from None
        if is_missing_table(exc):
            typer.echo(NO_TABLES.format(where=where), err=True)
            raise SystemExit(2) from None
        raise
