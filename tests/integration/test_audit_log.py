"""The audit log in a database of its own: the writer role's limits, tampering found by `frontdoor audit
verify`, checkpoints and proofs from the CLI (and checked by Go's packages), and the record of who read a trail."""

import asyncio
import base64
import json
import uuid
from pathlib import Path

import asyncpg
import pytest

from shared.auth.tokens import AuthSettings, Tokens
from services.audit.config import WRITER_ROLE
from services.audit.entrypoints.cli import tools_for
from tests.support.audit import audit_settings, verify_log
from tests.support.audit_log import (
    REFERRAL,
    append_events,
    appender,
    behind_the_back,
    cli,
    entries,
    event_id_at,
    json_of,
    runner,
    sql,
)
from tests.support.go_tools import ROOT, go_build, run_go_auditor
from tests.support.observe import pg_url
from tools.cli import app

pytestmark = pytest.mark.infra










@pytest.mark.parametrize("statement", ["UPDATE audit.log SET topic = 'x' WHERE seq = 1",
                                       "DELETE FROM audit.log WHERE seq = 1", "TRUNCATE audit.log",
                                       "DELETE FROM audit.checkpoints"])
def test_the_writer_role_cannot_change_or_remove_anything(log_db, statement):
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        sql(log_db, statement, role=WRITER_ROLE)


@pytest.mark.parametrize("statement", ["UPDATE audit.log SET topic = 'x' WHERE seq = 1",
                                       "DELETE FROM audit.log WHERE seq = 1", "TRUNCATE audit.log"])
def test_even_the_owner_is_refused_by_the_triggers(log_db, statement):
    with pytest.raises(asyncpg.RaiseError, match="append-only"):
        sql(log_db, statement)




def test_verify_passes_on_an_intact_log_with_a_checkpoint(log_db):
    assert cli(log_db, "checkpoint").exit_code == 0
    result = cli(log_db, "verify")
    assert result.exit_code == 0 and "OK: 10 row(s) and 1 signed checkpoint(s) verified" in result.output


@pytest.mark.parametrize("tamper, row, problem", [
    ("UPDATE audit.log SET canonical = convert_to(replace(convert_from(canonical, 'UTF8'), 'ReferralRouted', "
     "'ReferralClosed'), 'UTF8') WHERE seq = 4", 4, "altered"),
    ("DELETE FROM audit.log WHERE seq = 6", 7, "removed"),
    ("UPDATE audit.log SET seq = -3 WHERE seq = 3; UPDATE audit.log SET seq = 3 WHERE seq = 5; "
     "UPDATE audit.log SET seq = 5 WHERE seq = -3", 3, "prev_hash"),
])
def test_verify_names_the_first_bad_row(log_db, tamper, row, problem):
    behind_the_back(log_db, *tamper.split("; "))
    result = cli(log_db, "verify")
    assert result.exit_code == 1
    assert f"FAULT at row {row}:" in result.output and problem in result.output


def test_removing_the_newest_rows_is_caught_by_the_checkpoint(log_db):
    cli(log_db, "checkpoint")
    behind_the_back(log_db, "DELETE FROM audit.log WHERE seq > 8")
    result = cli(log_db, "verify")
    assert result.exit_code == 1 and "covers rows that are gone" in result.output


def test_a_forged_checkpoint_signature_is_caught(log_db):
    cli(log_db, "checkpoint")
    behind_the_back(log_db, "UPDATE audit.checkpoints SET root = decode(repeat('00', 32), 'hex')")
    result = cli(log_db, "verify")
    assert result.exit_code == 1 and "signature is not valid" in result.output


def test_inclusion_and_consistency_proofs_verify_from_the_cli(log_db):
    cli(log_db, "checkpoint")
    last_event = asyncio.run(event_id_at(log_db, 7))
    proof = cli(log_db, "prove", last_event)
    assert proof.exit_code == 0, proof.output
    body = json.loads(proof.output[: proof.output.rindex("}") + 1])
    assert (body["leaf_index"], body["tree_size"]) == (6, 10)
    assert "verified (RFC 9162)" in proof.output
    consistency = cli(log_db, "consistency", "3", "10")
    assert consistency.exit_code == 0 and "verified (RFC 9162)" in consistency.output
    assert cli(log_db, "prove", str(uuid.uuid4())).exit_code == 1




def test_reading_a_trail_needs_an_auditor_and_is_itself_logged(log_db):
    tokens = Tokens(AuthSettings())
    refused = cli(log_db, "trail", str(REFERRAL), token=tokens.issue("pat", ["practitioner"]))
    assert refused.exit_code != 0
    result = cli(log_db, "trail", str(REFERRAL), token=tokens.issue("ada.auditor", ["auditor"]))
    assert result.exit_code == 0, result.output
    trail = json.loads(result.output)
    assert trail["log_verified"] and [e["seq"] for e in trail["entries"]] == list(range(1, 12))
    read = trail["entries"][-1]
    assert read["event_type"] == "TrailRead" and read["event"]["payload"] == {
        "reader": "ada.auditor", "via": "cli", "format": "json", "full": False, "reason": None}
    html = cli(log_db, "trail", str(REFERRAL), "--format", "html", token=tokens.issue("ada.auditor", ["auditor"]))
    assert "<h1>Audit trail for referral" in html.output and "Read by ada.auditor" in html.output


def test_replay_of_an_id_the_log_does_not_hold_says_not_found(log_db):
    """Issue "What a new user … found" item 10: it used to print MISMATCH."""
    result = cli(log_db, "replay", "00000000-0000-4000-8000-000000000000",
                 token=Tokens(AuthSettings()).issue("ada.auditor", ["auditor"]))
    assert result.exit_code == 2
    assert "NOT FOUND: no referral 00000000-0000-4000-8000-000000000000 is in the audit log" in result.output
    assert "MISMATCH" not in result.output


@pytest.mark.parametrize(("column", "tamper"), [
    ("referral_id", "UPDATE audit.log SET referral_id = gen_random_uuid() WHERE seq = 4"),  # hides it from a trail
    ("event_type", "UPDATE audit.log SET event_type = 'ReferralClosed' WHERE seq = 4"),
    ("topic", "UPDATE audit.log SET topic = 'referrals.received' WHERE seq = 4"),
    ("event_id", "UPDATE audit.log SET event_id = gen_random_uuid() WHERE seq = 4"),
    ("recorded_at", "UPDATE audit.log SET recorded_at = recorded_at - interval '1 day' WHERE seq = 4"),
])
def test_every_column_an_auditor_reads_is_bound_to_the_hashed_bytes(log_db, column, tamper):
    """Issue "Security and integrity" item 4: with the triggers off, a superuser changed displayed columns
    and verify said OK. Each column is now checked against the verified bytes, and the row is named."""
    assert cli(log_db, "verify").exit_code == 0
    behind_the_back(log_db, tamper)
    result = cli(log_db, "verify")
    assert result.exit_code == 1, result.output
    assert "FAULT at row 4" in result.output and (column in result.output or "goes backwards" in result.output)


def test_verify_never_creates_what_it_checks(log_db):
    """Issue "Security and integrity" item 5: after DROP SCHEMA, verify re-created the schema and said OK."""
    sql(log_db, "DROP SCHEMA audit CASCADE")
    result = cli(log_db, "verify")
    assert result.exit_code == 1 and "there is no audit log in this database" in result.output
    assert cli(log_db, "verify").exit_code == 1  # still missing: the first verify created nothing


def test_rotating_the_signing_key_keeps_old_checkpoints_verifiable_and_refuses_unknown_keys(log_db):
    """Issue "Security and integrity" item 8: rotating the key made verify report tampering."""
    from services.audit.adapters.ed25519_signer import Ed25519Signer, new_private_key_b64

    old, new, attacker = new_private_key_b64(), new_private_key_b64(), new_private_key_b64()
    assert runner.invoke(app, ["audit", "checkpoint"], env=log_db.as_env() | {"AUDIT_SIGNING_KEY": old}).exit_code == 0
    rotated = log_db.as_env() | {"AUDIT_SIGNING_KEY": new,
                                 "AUDIT_PREVIOUS_PUBLIC_KEYS": Ed25519Signer(old).public_key_b64}
    result = runner.invoke(app, ["audit", "verify"], env=rotated)
    assert result.exit_code == 0 and "1 signed checkpoint(s) verified" in result.output
    forgotten = runner.invoke(app, ["audit", "verify"], env=log_db.as_env() | {"AUDIT_SIGNING_KEY": new})
    assert forgotten.exit_code == 1 and "neither the current key nor a listed previous one" in forgotten.output
    # an attacker re-signs a checkpoint with a key of their own and records it: not trusted
    behind_the_back(log_db, f"UPDATE audit.checkpoints SET public_key = '{Ed25519Signer(attacker).public_key_b64}'")
    result = runner.invoke(app, ["audit", "verify"], env=rotated)
    assert result.exit_code == 1 and "neither the current key nor a listed previous one" in result.output


@pytest.mark.parametrize(("tamper", "problem"), [
    ("DELETE FROM audit.checkpoints", "is missing from the database (checkpoints were deleted)"),
    ("DELETE FROM audit.checkpoints; DELETE FROM audit.log WHERE seq > 7", "rows 8-10 are gone"),
])
def test_what_only_a_checkpoint_outside_the_database_can_show(log_db, tamper, problem):
    """Issue "Security and integrity" item 5: deleting every checkpoint, and the tail with it, passed verify."""
    assert cli(log_db, "checkpoint").exit_code == 0
    intact = cli(log_db, "verify")
    assert "matches the checkpoint published outside the database at size 10" in intact.output
    behind_the_back(log_db, *tamper.split("; "))
    result = cli(log_db, "verify")
    assert result.exit_code == 1 and problem in result.output, result.output


def test_verify_goes_on_from_the_checkpoint_the_auditor_verified_last(log_db, tmp_path):
    """Issue "Trust from outside" item 3: verifying from the last verified checkpoint reads only the new rows."""
    state = tmp_path / "verified.json"
    assert cli(log_db, "checkpoint").exit_code == 0
    first = cli(log_db, "verify", "--state", str(state))
    assert first.exit_code == 0 and "OK: 10 row(s)" in first.output and state.exists()

    asyncio.run(append_events(log_db, 4))
    assert cli(log_db, "checkpoint").exit_code == 0
    second = cli(log_db, "verify", "--state", str(state))
    assert second.exit_code == 0, second.output
    assert "only the rows after it read" in second.output and "OK: 4 row(s) and 1 signed checkpoint(s)" in second.output
    assert '"tree_size": 14' in state.read_text()


@pytest.fixture(scope="module")
def go_auditor(tmp_path_factory) -> Path:
    return go_build(ROOT / "tools" / "auditor", ".", tmp_path_factory.mktemp("go") / "auditor")


def test_go_alone_verifies_a_checkpoint_an_inclusion_proof_and_consistency(log_db, go_auditor, tmp_path):
    """golang.org/x/mod/sumdb/note and .../tlog, not our code, check what the audit API serves."""
    key = cli(log_db, "public-key", "--note").output.strip()
    old = tmp_path / "old.note"
    old.write_text(cli(log_db, "checkpoint").output)
    asyncio.run(append_events(log_db, 5))
    latest = tmp_path / "latest.note"
    latest.write_text(cli(log_db, "checkpoint").output)
    proof = tmp_path / "inclusion.json"
    proof.write_text(json_of(cli(log_db, "prove", asyncio.run(event_id_at(log_db, 12)))))
    consistency = tmp_path / "consistency.json"
    consistency.write_text(json_of(cli(log_db, "consistency", "10", "15")))
    checked = run_go_auditor(go_auditor, "-key", key, "-checkpoint", str(latest), "-inclusion", str(proof),
                             "-old", str(old), "-consistency", str(consistency))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines() == [
        "checkpoint OK: frontdoor.example/audit/v1 size 15, signed by frontdoor.example/audit/v1",
        "inclusion OK: leaf 11 is in the tree of size 15", "consistency OK: size 10 is a prefix of size 15"]
    # and Go refuses what is wrong: a root that was not signed, a proof for another leaf
    forged = tmp_path / "forged.note"
    signed_root = latest.read_text().split("\n")[2]
    forged.write_text(latest.read_text().replace(signed_root, base64.b64encode(bytes(32)).decode()))
    refused = run_go_auditor(go_auditor, "-key", key, "-checkpoint", str(forged))
    assert refused.returncode == 1 and "invalid signature" in refused.stderr
    moved = tmp_path / "moved.json"
    moved.write_text(json.dumps(json.loads(proof.read_text()) | {"leaf_index": 10}))
    refused = run_go_auditor(go_auditor, "-key", key, "-checkpoint", str(latest), "-inclusion", str(moved))
    assert refused.returncode == 1 and "inclusion" in refused.stderr


def test_a_deployment_names_its_own_log_and_go_checks_its_checkpoints_under_that_name(log_db, go_auditor, tmp_path):
    """AUDIT_LOG_ORIGIN: the origin line and the key's name are the deployment's, so a witness serving several
    councils tells their logs apart; Go's note package checks it with the verifier key audit publishes."""
    own = {"AUDIT_LOG_ORIGIN": "audit.frontdoor.example-council.gov.uk/v1"}
    key = cli(log_db, "public-key", "--note", env=own).output.strip()
    assert key.startswith("audit.frontdoor.example-council.gov.uk/v1+")
    note = tmp_path / "latest.note"
    note.write_text(cli(log_db, "checkpoint", env=own).output)
    assert note.read_text().startswith("audit.frontdoor.example-council.gov.uk/v1\n10\n")
    verified = cli(log_db, "verify", env=own)
    assert verified.exit_code == 0 and "OK: 10 row(s) and 1 signed checkpoint(s) verified" in verified.output
    checked = run_go_auditor(go_auditor, "-key", key, "-checkpoint", str(note))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines() == ["checkpoint OK: audit.frontdoor.example-council.gov.uk/v1 size 10, "
                                           "signed by audit.frontdoor.example-council.gov.uk/v1"]
    default_key = cli(log_db, "public-key", "--note").output.strip()
    refused = run_go_auditor(go_auditor, "-key", default_key, "-checkpoint", str(note))  # another log's key name
    assert refused.returncode == 1


def test_each_row_is_timed_as_it_is_written_so_times_never_go_backwards(log_db):
    """Appends arrive by COPY, which sets no time per row: the column's default must be the moment of writing
    (`clock_timestamp()`, migration 0004), not the transaction's start."""
    asyncio.run(append_events(log_db, 5))

    async def read():
        conn = await asyncpg.connect(pg_url(log_db.database_url))
        try:
            default = await conn.fetchval(
                "SELECT column_default FROM information_schema.columns WHERE table_schema = 'audit' "
                "AND table_name = 'log' AND column_name = 'recorded_at'")
            times = await conn.fetch("SELECT recorded_at FROM audit.log ORDER BY seq")
            return default, [r["recorded_at"] for r in times]
        finally:
            await conn.close()

    default, times = asyncio.run(read())
    assert default == "clock_timestamp()"
    assert len(times) == 15 and times == sorted(times) and times[-1] > times[0]


def test_the_log_answers_which_of_more_ids_than_a_statement_can_bind_it_holds(log_db):
    """Reconciling a topic asks about every event id on it; an `IN` list stopped at asyncpg's 32,767 parameters."""
    logged = [uuid.UUID(asyncio.run(event_id_at(log_db, seq))) for seq in (1, 5, 10)]
    asked = [uuid.uuid4() for _ in range(40_000)] + logged

    async def held():
        async with tools_for(audit_settings(log_db)) as tools:
            return await tools.log.event_ids(asked)

    assert asyncio.run(held()) == set(logged)


def test_appending_to_a_grown_log_never_scans_it(log_db):
    """The known-ids lookup was planned once, on a small log, as a sequential scan, and kept that plan as the log
    grew (a prepared statement's generic plan lasts until the table's statistics change). The writer's
    statements are now planned each time, so a grown log is looked up by its index."""
    async def scans_while_appending_to_a_grown_log() -> int:
        async with appender(log_db) as (append, engine):
            for _ in range(8):  # past the five custom plans after which PostgreSQL may settle on a generic one
                await append.execute(entries(1))
            for _ in range(10):  # 5,000 rows: a scan of the log now reads hundreds of pages
                await append.execute(entries(500))
            before = await seq_scans_of_the_log(engine)
            for _ in range(3):
                await append.execute(entries(1))
            return await seq_scans_of_the_log(engine) - before

    assert asyncio.run(scans_while_appending_to_a_grown_log()) == 0


async def seq_scans_of_the_log(engine) -> int:
    """Sequential scans of audit.log so far, this session's own included (flushed before they are read)."""
    async with engine.connect() as conn:
        await conn.exec_driver_sql("SELECT pg_stat_force_next_flush()")
        await conn.commit()
        await conn.exec_driver_sql("SELECT pg_stat_clear_snapshot()")
        return (await conn.exec_driver_sql(
            "SELECT seq_scan FROM pg_stat_user_tables WHERE relid = 'audit.log'::regclass")).scalar_one()


def test_a_poll_partly_logged_before_appends_only_what_is_new_after_the_last_row(log_db):
    """Known ids and the last row come back from one statement: a redelivered poll holding events the log has
    and events it has not appends only the new ones, linked after the last row, and the chain still verifies."""
    async def go():
        async with appender(log_db) as (append, _):
            first = entries(3)
            assert await append.execute(first) == 3
            again = [first[1], *entries(1), first[0]]
            assert await append.execute(again) == 1
            assert await append.execute(again) == 0
        return await verify_log(log_db)

    report = asyncio.run(go())
    assert report.fault is None and report.rows_checked == 14  # the fixture's 10, then 3, then 1
