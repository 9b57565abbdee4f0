"""The `frontdoor` command. Each command group is imported only when it is used (click's lazy-loading
pattern), so `frontdoor --help` and `frontdoor triage decide` do not pay for importing every service."""

import importlib
import os
import sys

import typer
from typer.core import TyperGroup

HELP = "Front Door: referral routing for a children's services front door (MASH)."

# name: (module, attribute, one-line help shown by `frontdoor --help` without importing the module)
COMMANDS = {
    "run": ("tools.local_cli", "run_app", "Run one service, or all six with local infrastructure."),
    "infra": ("tools.local_cli", "infra_app", "Local Apache Kafka and PostgreSQL without Docker."),
    "users": ("tools.local_cli", "users_app", "Staff and auditor tokens (development signing key)."),
    "partners": ("services.intake.entrypoints.cli", "partners_app", "Partner organisations and their API keys."),
    "people": ("services.people.entrypoints.cli", "people_app", "The person index: check matching from a file."),
    "linkage": ("tools.linkage", "linkage_app", "Synthetic children for tuning the matcher, and its figures."),
    "triage": ("services.triage.entrypoints.cli", "triage_app", "Triage rules: decide, print, compare."),
    "casework": ("services.casework.entrypoints.cli", "casework_app", "MASH work queues: SLA checks."),
    "notify": ("services.notify.entrypoints.cli", "notify_app", "Notifications: the directory of who is told."),
    "audit": ("tools.replay", "audit_app", "The tamper-evident audit log (and decision replay)."),
    "dlq": ("tools.operations", "dlq_app", "Dead letters: list, show, replay or resolve what was set aside."),
    "check": ("tools.operations", "check_app", "End-to-end checks over every service's records."),
    "docs": ("tools.asyncapi", "docs_app", "Generated contract documents (AsyncAPI)."),
}


class LazyGroup(TyperGroup):
    def list_commands(self, ctx) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx, name: str):
        if name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[name]
        command = typer.main.get_command(getattr(importlib.import_module(module), attribute))
        command.name = name
        return command

    def format_commands(self, ctx, formatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, _, short) in sorted(COMMANDS.items())])


app = typer.Typer(cls=LazyGroup, help=HELP, no_args_is_help=True, rich_markup_mode=None, add_completion=False,
                  pretty_exceptions_show_locals=False)  # locals may hold a child's details


@app.callback()
def frontdoor() -> None:
    """The commands are loaded on first use (LazyGroup)."""

UNREACHABLE = ("Cannot reach PostgreSQL or Kafka ({where}). Start them with `make run` or `frontdoor infra up`, "
               "or set DATABASE_URL and KAFKA_BOOTSTRAP_SERVERS.")
NO_TABLES = "Front Door's tables are not there yet in {where}: start the services once (`make run`)."


def what_failed(exc: BaseException) -> str:
    """The failure's type and first line, so a start-up timeout says which step timed out. A SQLAlchemy
    statement error's text carries the statement's parameters (possibly a child's details): only the driver's
    own message is shown."""
    from sqlalchemy.exc import StatementError

    source = exc.orig if isinstance(exc, StatementError) and exc.orig is not None else exc
    text = str(source).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0][:200]}" if text else type(exc).__name__


def main() -> None:
    """One line, not a traceback, when the database or broker is not there (issue: a 635-line traceback)."""
    if sys.argv[1:2] == ["infra"]:  # it starts the servers: its own errors say what went wrong
        return app(prog_name="frontdoor")
    try:
        app(prog_name="frontdoor")
    except Exception as exc:
        from shared.env_file import ENV_FILE
        from shared.outages import is_missing_table, is_unavailable
        from services.audit.config import NoSigningKey

        if isinstance(exc, NoSigningKey):
            typer.echo(str(exc), err=True)
            raise SystemExit(2) from None
        local = ENV_FILE and os.path.exists(ENV_FILE) and f"the local stack, {ENV_FILE}"
        found = os.environ.get("DATABASE_URL") or local
        where = found or "no DATABASE_URL, no local stack running"
        if is_unavailable(exc):
            typer.echo(UNREACHABLE.format(where=where) + f" ({what_failed(exc)})", err=True)
            raise SystemExit(2) from None
        if is_missing_table(exc):
            typer.echo(NO_TABLES.format(where=where), err=True)
            raise SystemExit(2) from None
        raise
