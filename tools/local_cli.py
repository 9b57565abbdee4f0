"""`frontdoor run`, `frontdoor infra` and `frontdoor users`: running Front Door on this machine."""

import asyncio

import typer

run_app = typer.Typer(help="Run one service, or all six with local infrastructure.")
infra_app = typer.Typer(help="Local Apache Kafka and PostgreSQL without Docker.", no_args_is_help=True)
users_app = typer.Typer(help="Staff and auditor tokens (development signing key).", no_args_is_help=True)


@users_app.callback()
def users() -> None:
    """A group of commands (`frontdoor users token NAME ...`), not the one command it holds today."""


@infra_app.command("up")
def infra_up(witness: bool = typer.Option(False, "--witness", help="Also a local witness of the audit log "
                                          "(transparency-dev's omniwitness, built once with Go)")) -> None:
    """Start (or reuse) the local Kafka broker and PostgreSQL server, and write the development settings."""
    from tools.localinfra.dev_env import prepare

    endpoints, env_file = prepare(witness=witness)
    typer.echo(f"KAFKA_BOOTSTRAP_SERVERS={endpoints.kafka_bootstrap_servers}")
    typer.echo(f"DATABASE_URL={endpoints.database_url}")
    if witness:
        typer.echo(f"AUDIT_WITNESS_URL={_env_value(env_file, 'AUDIT_WITNESS_URL')}")
    typer.echo(f"(development settings written to {env_file})")


def _env_value(env_file, name: str) -> str:
    return next(line.partition("=")[2] for line in env_file.read_text().splitlines() if line.startswith(name + "="))


@infra_app.command("down")
def infra_down() -> None:
    """Stop the local servers that `infra up` started (by pid)."""
    from tools.localinfra.dev_env import tear_down

    tear_down()
    typer.echo("local infrastructure stopped")


@infra_app.command("status")
def infra_status() -> None:
    from tools.localinfra.stack import LocalStack

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


@run_app.command("run")
def run(service: str = typer.Argument(..., help="intake, people, triage, casework, notify, audit or all"),
        demo_partner: bool = typer.Option(False, help="Create (or rotate) the demo partner and print its key"),
        witness: bool = typer.Option(False, "--witness", help="With `all`: a local witness cosigns audit checkpoints")
        ) -> None:
    """Run one service, or all six in this process; `all` also brings local infrastructure up, and down on exit."""
    from tools.localinfra.dev_env import prepare, stop_witness, tear_down
    from tools.localinfra.stack import LocalStack
    from tools.runner import SERVICES, builders, configure_logging, load_settings, running_endpoints, serve

    if service not in (*SERVICES, "all"):
        raise typer.BadParameter(f"unknown service {service!r}")
    configure_logging()
    stack = LocalStack()
    started_infra = service == "all" and stack.external() is None and stack.status() is None
    endpoints = prepare(witness=witness)[0] if service == "all" else running_endpoints(stack)
    names = SERVICES if service == "all" else (service,)
    settings = load_settings(names)

    async def announce() -> None:
        from tools.announce import addresses

        typer.echo(f"Front Door is running: {', '.join(names)}")
        for line in await addresses(settings, endpoints, demo_partner=demo_partner):
            typer.echo(line)
        typer.echo("Press Ctrl-C to stop.")

    try:
        asyncio.run(serve(builders(settings), on_started=announce))
    finally:
        if started_infra:
            tear_down()
            typer.echo("stopped local Kafka and PostgreSQL" + (" and the witness" if witness else ""))
        elif witness and service == "all":
            stop_witness(stack)
