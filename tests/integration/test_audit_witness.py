"""A real witness (transparency-dev's omniwitness, built from the Go module proxy) cosigns the audit log's
checkpoints, and a history rewritten by someone holding the database and the signing key is caught: the
witness refuses to cosign it and `audit verify` finds the rows no longer give the root it cosigned."""

import asyncio

import asyncpg
import pytest

from services.audit.adapters.ed25519_signer import Ed25519Signer
from services.audit.domain.chain import leaf_hash
from services.audit.domain.checkpoint import note_verifier_key
from tests.support.audit import TEST_CHECKPOINTS, TEST_SIGNING_KEY
from tests.support.audit_log import append_events, cli
from tests.support.observe import pg_url
from tools.localinfra.processes import free_port
from tools.localinfra.stack import default_cache_dir
from tools.localinfra.witness import NAME, LocalWitness

pytestmark = pytest.mark.infra


@pytest.fixture
def witness(tmp_path):
    """A witness of its own per test: it knows the log by its origin, which every test database shares."""
    local = LocalWitness(tmp_path / "witness", free_port())
    pid = local.start(default_cache_dir(), note_verifier_key(Ed25519Signer(TEST_SIGNING_KEY).public_key_b64))
    yield {"AUDIT_WITNESS_URL": local.url, "AUDIT_WITNESS_KEY": local.verifier_key}
    LocalWitness.stop(pid)


def test_the_witness_cosigns_each_new_checkpoint_and_verify_reports_it(log_db, witness):
    first = cli(log_db, "checkpoint", env=witness)
    assert first.exit_code == 0 and "cosigned by the witness at size 10" in first.output
    asyncio.run(append_events(log_db, 5))
    second = cli(log_db, "checkpoint", env=witness)  # the witness checks a consistency proof 10 -> 15
    assert second.exit_code == 0 and "cosigned by the witness at size 15" in second.output
    verified = cli(log_db, "verify", env=witness)
    assert verified.exit_code == 0, verified.output
    assert f"witnessed: the log matches the checkpoint of size 15 cosigned by {NAME}" in verified.output
    cosigned = (TEST_CHECKPOINTS / log_db.database_url.rsplit("/", 1)[-1] / "cosigned.note").read_text()
    assert [line.split()[1] for line in cosigned.splitlines() if line.startswith("— ")] == [
        "frontdoor.example/audit/v1", NAME]


def test_a_history_rewritten_and_re_signed_is_refused_by_the_witness_and_caught_by_verify(log_db, witness):
    assert cli(log_db, "checkpoint", env=witness).exit_code == 0  # the witness holds size 10
    asyncio.run(rewrite_history(log_db, seq=4))  # chain recomputed, checkpoints deleted: inside, all consistent
    asyncio.run(append_events(log_db, 2))
    re_signed = cli(log_db, "checkpoint", env=witness)  # with the real key, as its holder could
    assert re_signed.exit_code == 1
    assert "WITNESS REFUSED size 12" in re_signed.output and "the history was rewritten" in re_signed.output
    caught = cli(log_db, "verify", env=witness)
    assert caught.exit_code == 1
    assert "FAULT at row 10: rows up to here no longer give the root of the checkpoint the witness cosigned" in (
        caught.output)
    # without the witness the rewrite passes every check inside the database: the witness is what catches it
    assert cli(log_db, "verify").exit_code == 0
    # the cosigned copy deleted too: the witness still says where it was, and still refuses
    (TEST_CHECKPOINTS / log_db.database_url.rsplit("/", 1)[-1] / "cosigned.note").unlink()
    again = cli(log_db, "checkpoint", env=witness)
    assert again.exit_code == 1 and "the history was rewritten" in again.output


async def rewrite_history(endpoints, *, seq: int) -> None:
    """What a superuser with the signing key would do: change one row's bytes, recompute every hash and link
    from it on (so the chain verifies), delete the checkpoints and the published copies; re-signing follows."""
    conn = await asyncpg.connect(pg_url(endpoints.database_url))
    try:
        await conn.execute("SET session_replication_role = replica")
        rows = await conn.fetch("SELECT seq, canonical, prev_hash FROM audit.log ORDER BY seq")
        async with conn.transaction():
            prev = bytes(rows[0]["prev_hash"])
            for row in rows:
                data = bytes(row["canonical"])
                if row["seq"] == seq:
                    assert b'"payload":{"n":3}' in data
                    data = data.replace(b'"payload":{"n":3}', b'"payload":{"n":99}')
                await conn.execute("UPDATE audit.log SET canonical = $2, entry_hash = $3, prev_hash = $4 "
                                   "WHERE seq = $1", row["seq"], data, leaf_hash(data), prev)
                prev = leaf_hash(data)
            await conn.execute("DELETE FROM audit.checkpoints")
    finally:
        await conn.close()
    folder = TEST_CHECKPOINTS / endpoints.database_url.rsplit("/", 1)[-1]
    for note in [*folder.glob("checkpoint-*.note"), folder / "latest.note"]:
        note.unlink()
