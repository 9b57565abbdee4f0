"""Audit's use cases over fakes: a batch appended once each, in order, linked; a checkpoint signed only when
the log has grown, with the root of exactly the leaves it covers."""

from dataclasses import replace

from services.audit.application.append_events import AppendEvents
from services.audit.application.checkpoints import TakeCheckpoint
from services.audit.application.verification import VerifyLog
from services.audit.domain.chain import GENESIS, leaf_hash, link
from services.audit.domain.checkpoint import Checkpoint
from services.audit.domain.merkle import root
from services.audit.domain.verified import Verified
from tests.support.fake_audit_log import NOW, FakeLog, FakeSigner, entry
from tests.support.fakes import FixedClock


async def test_a_batch_is_appended_once_each_in_order_and_linked():
    log = FakeLog()
    first, second = entry(), entry()
    assert await AppendEvents(uow=log).execute([first, second, first]) == 2
    assert await AppendEvents(uow=log).execute([second]) == 0  # a redelivery
    assert [row.seq for row in log.chain] == [1, 2]
    assert log.chain[0].prev_hash == GENESIS and log.chain[1].prev_hash == log.chain[0].entry_hash
    assert log.chain[0].entry_hash == leaf_hash(first.canonical)


async def test_a_checkpoint_signs_the_root_of_the_log_as_it_stands_and_only_when_it_grew():
    log = FakeLog()
    await AppendEvents(uow=log).execute([entry() for _ in range(5)])
    take = TakeCheckpoint(log=log, uow=log, signer=FakeSigner(), clock=FixedClock(NOW))
    checkpoint = await take.execute()
    assert (checkpoint.tree_size, checkpoint.signed_at) == (5, NOW)
    assert checkpoint.root == root([row.entry_hash for row in log.chain])
    assert checkpoint.signature == b"signed:" + checkpoint.message()
    assert await take.execute() == checkpoint and len(log.saved_checkpoints) == 1  # nothing new: no new one


async def test_each_checkpoint_reads_only_the_rows_since_the_last_one():
    """Issue 16's quadratic cost: a checkpoint a minute over a year's log recomputed the root from every leaf."""
    log = FakeLog()
    take = TakeCheckpoint(log=log, uow=log, signer=FakeSigner(), clock=FixedClock(NOW))
    for batch in (5, 3, 9):
        await AppendEvents(uow=log).execute([entry() for _ in range(batch)])
        read_before = log.leaves_read
        checkpoint = await take.execute()
        assert checkpoint.root == root([row.entry_hash for row in log.chain])  # the full tree's root all the same
        assert log.leaves_read - read_before == batch  # only the leaves appended since the last checkpoint
    assert log.leaves_read == 5 + 3 + 9


async def test_a_saved_range_that_does_not_give_the_signed_root_is_not_trusted():
    log = FakeLog()
    take = TakeCheckpoint(log=log, uow=log, signer=FakeSigner(), clock=FixedClock(NOW))
    await AppendEvents(uow=log).execute([entry() for _ in range(4)])
    first = await take.execute()
    log.saved_checkpoints[-1] = replace(first, compact_range=(b"\x00" * 32,))  # altered behind the service's back
    await AppendEvents(uow=log).execute([entry() for _ in range(2)])
    second = await take.execute()
    assert second.root == root([row.entry_hash for row in log.chain])
    assert log.leaves_read == 4 + 6  # read the whole log again rather than extend a range it cannot trust


def verifier(log: FakeLog) -> VerifyLog:
    return VerifyLog(log=log, signature_valid=lambda key, message, signature: signature == b"signed:" + message)


async def grown(log: FakeLog, take: TakeCheckpoint, n: int):
    await AppendEvents(uow=log).execute([entry() for _ in range(n)])
    return await take.execute()


async def test_a_verification_can_go_on_from_the_last_one_reading_only_the_new_rows():
    log = FakeLog()
    take = TakeCheckpoint(log=log, uow=log, signer=FakeSigner(), clock=FixedClock(NOW))
    await grown(log, take, 5)
    first = await verifier(log).execute(public_key="test-key")
    assert first.fault is None and first.verified.tree_size == 5
    await grown(log, take, 3)
    read_before = log.leaves_read
    later = await verifier(log).execute(public_key="test-key", since=first.verified)
    assert later.fault is None and later.since == 5 and later.verified.tree_size == 8
    assert later.rows_checked == 3 and log.leaves_read - read_before == 3  # only rows 6-8
    assert Verified.from_json(later.verified.to_json()) == later.verified  # kept as a file between runs


async def test_a_rewritten_past_is_caught_without_reading_it_again():
    """An attacker rewrites row 2 and signs a new checkpoint over the rewritten tree: the auditor's own saved
    range, extended with the new rows, does not give that root."""
    log = FakeLog()
    take = TakeCheckpoint(log=log, uow=log, signer=FakeSigner(), clock=FixedClock(NOW))
    await grown(log, take, 5)
    first = await verifier(log).execute(public_key="test-key")
    forged = link(None, [r.canonical if r.seq != 2 else b'{"forged": true}' for r in log.chain])
    log.chain[:] = forged  # the whole chain re-linked, so the hashes and links hold
    await AppendEvents(uow=log).execute([entry() for _ in range(3)])
    forged_root = root([r.entry_hash for r in log.chain])
    signed = Checkpoint(8, forged_root, NOW, FakeSigner().sign(Checkpoint(8, forged_root, NOW).message()),
                        "test-key")
    log.saved_checkpoints.append(signed)
    later = await verifier(log).execute(public_key="test-key", since=first.verified)
    assert later.fault is not None and later.fault.seq == 8
    assert "signed root" in later.fault.problem


async def test_new_rows_must_link_to_the_row_verified_last_time():
    log = FakeLog()
    take = TakeCheckpoint(log=log, uow=log, signer=FakeSigner(), clock=FixedClock(NOW))
    await grown(log, take, 4)
    first = await verifier(log).execute(public_key="test-key")
    kept = replace(first.verified, last_entry_hash=b"\x00" * 32)
    await grown(log, take, 2)
    later = await verifier(log).execute(public_key="test-key", since=kept)
    assert later.fault is not None and later.fault.seq == 5
