"""`frontdoor audit`: trails, verification, checkpoints, proofs and reconciliation for auditors."""

import asyncio
import json
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import typer

from shared.auth.tokens import InvalidToken, Principal, Tokens
from shared.db.migrations import upgrade_to_head
from shared.events.topics import EVENT_TOPICS
from services.audit.adapters import tables
from services.audit.adapters.kafka_topic_scan import event_ids_on
from services.audit.adapters.sqla_log import writer_engine
from services.audit.application.proofs import CannotProve, prove_consistency, prove_inclusion
from services.audit.application.reconcile import reconcile
from services.audit.config import AuditSettings
from services.audit.domain.checkpoint import note_verifier_key
from services.audit.domain.verified import Verified
from services.audit.entrypoints.trail_html import render_trail
from services.audit.entrypoints.wiring import AuditorTools, auditor_tools

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
TokenOption = typer.Option(None, "--token", envvar="FRONTDOOR_TOKEN", help="Your auditor token")


@asynccontextmanager
async def tools_for(settings: AuditSettings | None = None, *, migrate: bool = True):
    """The auditor's tools. `migrate=False` for verify: verify must never create what it checks (a dropped
    schema must be reported, not quietly re-created empty)."""
    settings = settings or AuditSettings()
    if migrate:
        await upgrade_to_head(settings.platform.database_url, tables.SCHEMA, tables.MIGRATIONS)
    engine = writer_engine(settings)
    try:
        async with engine.connect() as conn:  # "cannot reach the database" is said before anything else
            await conn.exec_driver_sql("SELECT 1")
        yield auditor_tools(settings, engine)
    finally:
        await engine.dispose()


def run(action, *, migrate: bool = True):
    """Run `action(tools)` against the configured database."""
    async def main():
        async with tools_for(migrate=migrate) as tools:
            return await action(tools)
    return asyncio.run(main())


def auditor(token: str | None) -> Principal:
    try:
        principal = Tokens(AuditSettings().auth).verify(token or "")
    except InvalidToken:
        raise typer.BadParameter("a valid auditor token is required (--token or FRONTDOOR_TOKEN)") from None
    if not principal.has("auditor"):
        raise typer.BadParameter("the token does not carry the auditor role")
    return principal


@audit_app.command("keygen")
def keygen_cmd(file: Path = typer.Argument(..., help="Where the new private key goes (owner-only); kept if "
                                                     "there")) -> None:
    """Make the checkpoint signing key (Ed25519) and print its public key. Point AUDIT_SIGNING_KEY_FILE at it."""
    from services.audit.adapters.ed25519_signer import write_new_key

    existed = file.exists()
    typer.echo(write_new_key(file))
    typer.echo(f"{'kept the key already in' if existed else 'wrote a new key to'} {file}", err=True)


@audit_app.command("verify")
def verify_cmd(start: int = typer.Option(1, "--from"), end: int | None = typer.Option(None, "--to"),
               state: Path | None = typer.Option(None, "--state", help="Your own record of the last verified "
                                                 "checkpoint: read (if there) to verify only what came after it, "
                                                 "written when this verification passes")) -> None:
    """Recompute every hash, link, checkpoint root and signature; exit 1 naming the first bad row."""
    since = Verified.from_json(state.read_text()) if state and state.exists() else None

    async def action(tools: AuditorTools):
        return await tools.verify.execute(start=start, end=end, public_key=tools.public_key, since=since)
    report = run(action, migrate=False)
    if report.fault:
        typer.echo(f"FAULT at row {report.fault.seq}: {report.fault.problem}", err=True)
        raise typer.Exit(1)
    if state and report.verified:
        state.parent.mkdir(parents=True, exist_ok=True)
        state.write_text(report.verified.to_json())
    if since:
        typer.echo(f"(from the checkpoint of size {since.tree_size} verified before: only the rows after it read)")
    typer.echo(f"OK: {report.rows_checked} row(s) and {report.checkpoints_checked} signed checkpoint(s) verified"
               + (f"; matches the checkpoint published outside the database at size {report.outside}"
                  if report.outside else "; no checkpoint published outside the database to compare with"))
    if report.witnessed:
        w = report.witnessed
        typer.echo(f"witnessed: the log matches the checkpoint of size {w.tree_size} cosigned by {w.witness} at "
                   f"{w.at.isoformat()}")


@audit_app.command("trail")
def trail_cmd(referral_id: UUID, format: str = typer.Option("json", help="json or html"),
              output: Path | None = typer.Option(None, "-o", help="Write to a file"), token: str = TokenOption,
              full: bool = typer.Option(False, "--full", help="The whole record, with the child's details and "
                                                               "free text (needs --reason)"),
              reason: str | None = typer.Option(None, help="Why you need the whole record; logged with your "
                                                           "read")) -> None:
    """A referral's timeline, each entry with its row number and hash; the child's details and free text are
    withheld unless you ask for the whole record with a reason. Your reading is logged."""
    who = auditor(token)
    if full and not reason:
        raise typer.BadParameter("--full needs --reason: say why you need the whole record")

    async def action(tools: AuditorTools):
        entries = await tools.trail.execute(referral_id, reader=who.subject, via="cli", fmt=format, full=full,
                                            reason=reason)
        report = await tools.verify.execute(public_key=tools.public_key)
        return entries, report
    entries, report = run(action)
    if format == "html":
        text = render_trail(referral_id=referral_id, entries=entries, reader=who.subject,
                            read_at=datetime.now(UTC).isoformat(), verified=report.fault is None,
                            verification="Verified" if report.fault is None else f"FAULT at row {report.fault.seq}")
    else:
        text = json.dumps({"referral_id": str(referral_id), "log_verified": report.fault is None,
                           "entries": [e.__dict__ for e in entries]}, indent=2)
    if output:
        output.write_text(text)
        typer.echo(f"wrote {len(entries)} entries to {output}")
    else:
        typer.echo(text)


@audit_app.command("checkpoint")
def checkpoint_cmd() -> None:
    """Sign the log's current size and Merkle root now."""
    async def sign_and_witness(tools: AuditorTools):
        checkpoint = await tools.checkpoint.execute()
        return checkpoint, (await tools.witness.execute() if tools.witness and checkpoint else None)
    checkpoint, witnessing = run(sign_and_witness)
    if checkpoint is None:
        typer.echo("the log is empty: nothing to sign")
        raise typer.Exit(1)
    typer.echo(checkpoint.note(), nl=False)
    if witnessing is not None and not witnessing.cosigned:
        typer.echo(f"WITNESS REFUSED size {witnessing.tree_size}: {witnessing.problem}", err=True)
        raise typer.Exit(1)
    if witnessing is not None:
        typer.echo(f"cosigned by the witness at size {witnessing.tree_size}", err=True)


@audit_app.command("public-key")
def public_key_cmd(note: bool = typer.Option(False, "--note", help="as a C2SP note verifier key (Go's "
                                                                    "note.NewVerifier, witnesses)")) -> None:
    """The Ed25519 key checkpoints are signed with (base64, raw 32 bytes), or its note verifier key."""
    async def key(tools: AuditorTools) -> str:
        return note_verifier_key(tools.public_key, tools.origin) if note else tools.public_key
    typer.echo(run(key))


@audit_app.command("prove")
def prove_cmd(event_id: UUID) -> None:
    """Inclusion proof of one event against the latest signed checkpoint, verified before it is printed."""
    _print_proof(lambda tools: prove_inclusion(tools.log, event_id))


@audit_app.command("consistency")
def consistency_cmd(old_size: int, new_size: int) -> None:
    """Proof that the log at OLD_SIZE is a prefix of the log at NEW_SIZE: nothing earlier was changed."""
    _print_proof(lambda tools: prove_consistency(tools.log, old_size, new_size))


def _print_proof(make_proof) -> None:
    try:
        proof = run(make_proof)
    except CannotProve as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(proof.as_dict(), indent=2))
    if not proof.verify():
        typer.echo("PROOF DOES NOT VERIFY", err=True)
        raise typer.Exit(1)
    typer.echo("verified (RFC 9162)", err=True)


@audit_app.command("reconcile")
def reconcile_cmd() -> None:
    """Compare what every topic still holds with what the log holds; list any event that never reached audit."""
    bootstrap = AuditSettings().platform.kafka_bootstrap_servers

    async def action(tools: AuditorTools):
        return await reconcile(topics=EVENT_TOPICS, scan=lambda t: event_ids_on(bootstrap, t),
                               logged_ids=tools.log.event_ids)
    seen, missing = run(action)
    for m in missing:
        typer.echo(f"MISSING {m.topic} event {m.event_id} (referral {m.referral_id})")
    typer.echo(f"{seen} event(s) on {len(EVENT_TOPICS)} topic(s); {len(missing)} missing from the log")
    if missing:
        raise typer.Exit(1)
