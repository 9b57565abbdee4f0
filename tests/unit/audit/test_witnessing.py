"""Asking a witness to cosign (c2sp.org/tlog-witness) over a fake witness, and reading a real witness's
cosignature.

The cosignature vector was answered by transparency-dev's omniwitness (built from the Go module proxy) to an
add-checkpoint of the Go-signed checkpoint in test_checkpoint_note.py."""

import base64
from datetime import UTC, datetime

from services.audit.adapters.checkpoint_files import CheckpointFiles
from services.audit.adapters.ed25519_signer import Ed25519Signer, signature_valid
from services.audit.application.append_events import AppendEvents
from services.audit.application.checkpoints import TakeCheckpoint
from services.audit.application.ports import WitnessAnswer
from services.audit.application.witnessing import SubmitToWitness
from services.audit.domain.cosigned import Cosigned, cosignature
from services.audit.domain.merkle import verify_consistency
from services.audit.domain.signed_note import VerifierKey
from tests.support.fake_audit_log import GO_NOTE, NOW, FakeLog, entry
from tests.support.fakes import FixedClock

SIGNER = Ed25519Signer(base64.b64encode(bytes([7] * 32)).decode())
WITNESS_KEY = "witness.frontdoor.example/w1+6f3c318c+BITPhqvQGW2LjvIHnnv8H9HOnkUy4/htL5BKs5uQvQAT"
COSIGNATURE = ("— witness.frontdoor.example/w1 bzwxjAAAAABrD5AqERLLnkn50yXz+kmn1RuR/PGZms2zlYzODyB7P9O5UuGI9BxurGBKW6"
               "FB8x+tOI+BYMnSdf9ne0VPxOBpC9i0Dg==\n")


class FakeWitness:
    """Answers in turn; records each request body."""

    def __init__(self, *answers: WitnessAnswer) -> None:
        self.answers, self.requests = list(answers), []

    async def add_checkpoint(self, request: str) -> WitnessAnswer:
        self.requests.append(request)
        return self.answers.pop(0)


async def a_log_with_checkpoints(*sizes: int) -> FakeLog:
    log = FakeLog()
    for size in sizes:
        await AppendEvents(uow=log).execute([entry() for _ in range(size - len(log.chain))])
        await TakeCheckpoint(log=log, uow=log, signer=SIGNER, clock=FixedClock(NOW)).execute()
    return log


def test_a_real_witness_cosignature_verifies_and_names_the_witness_and_time():
    assert cosignature(GO_NOTE + COSIGNATURE, WITNESS_KEY, signature_valid) == Cosigned(
        10, "witness.frontdoor.example/w1", datetime.fromtimestamp(1796182058, UTC))
    assert cosignature(GO_NOTE, WITNESS_KEY, signature_valid) is None  # not cosigned
    altered = GO_NOTE.replace("\n10\n", "\n11\n") + COSIGNATURE
    assert cosignature(altered, WITNESS_KEY, signature_valid) is None


def test_a_verifier_key_whose_base64_holds_a_plus_parses():
    key = VerifierKey.parse("witness.frontdoor.example/local+a99ff8cb+BFd2hrbp2huP0fGjill+5+gSMVU5pa/9g/CbX6LaUQZj")
    assert (key.name, key.algorithm, len(key.public_key)) == ("witness.frontdoor.example/local", 4, 32)


async def test_the_first_checkpoint_goes_with_old_0_and_the_answer_is_kept_as_the_cosigned_note(tmp_path):
    log, files = await a_log_with_checkpoints(4), CheckpointFiles(tmp_path)
    witness = FakeWitness(WitnessAnswer(200, COSIGNATURE))
    result = await SubmitToWitness(log=log, witness=witness, published=files,
                                   trusted_keys=(SIGNER.public_key_b64,)).execute()
    latest = log.saved_checkpoints[-1]
    assert (result.tree_size, result.cosigned) == (4, True)
    assert witness.requests == [f"old 0\n\n{latest.note()}"]
    assert files.cosigned_text() == latest.note() + COSIGNATURE


async def test_a_later_checkpoint_carries_a_consistency_proof_from_the_size_last_cosigned(tmp_path):
    log, files = await a_log_with_checkpoints(4, 9), CheckpointFiles(tmp_path)
    files.publish_cosigned(log.saved_checkpoints[0].note() + COSIGNATURE)
    witness = FakeWitness(WitnessAnswer(200, COSIGNATURE))
    submit = SubmitToWitness(log=log, witness=witness, published=files, trusted_keys=(SIGNER.public_key_b64,))
    assert (await submit.execute()).cosigned
    head, _, note = witness.requests[0].partition("\n\n")
    assert head.split("\n")[0] == "old 4" and len(head.split("\n")) > 1 and note == log.saved_checkpoints[1].note()
    assert await submit.execute() is not None and len(witness.requests) == 1  # already cosigned: not asked again


async def test_the_proof_comes_from_the_range_kept_at_the_old_size_and_reads_only_the_leaves_since(tmp_path):
    log, files = await a_log_with_checkpoints(4, 1000), CheckpointFiles(tmp_path)
    files.publish_cosigned(log.saved_checkpoints[0].note() + COSIGNATURE)
    log.leaves_read = 0
    witness = FakeWitness(WitnessAnswer(200, COSIGNATURE))
    await SubmitToWitness(log=log, witness=witness, published=files, trusted_keys=(SIGNER.public_key_b64,)).execute()
    assert log.leaves_read == 996  # not the 1,000 again
    old, new = log.saved_checkpoints
    proof = [base64.b64decode(line) for line in witness.requests[0].partition("\n\n")[0].split("\n")[1:]]
    assert proof and verify_consistency(4, 1000, old.root, new.root, proof)


async def test_a_witness_ahead_of_our_copy_says_its_size_and_is_asked_again_from_it(tmp_path):
    log, files = await a_log_with_checkpoints(4, 9), CheckpointFiles(tmp_path)  # our cosigned copy was lost
    witness = FakeWitness(WitnessAnswer(409, "4\n", "text/x.tlog.size"), WitnessAnswer(200, COSIGNATURE))
    result = await SubmitToWitness(log=log, witness=witness, published=files,
                                   trusted_keys=(SIGNER.public_key_b64,)).execute()
    assert result.cosigned and [r.split("\n")[0] for r in witness.requests] == ["old 0", "old 4"]


async def test_refusals_are_alerts_with_the_reason_and_nothing_is_kept_as_cosigned(tmp_path, caplog):
    for answers, problem in [
        ([WitnessAnswer(422, "")], "not consistent with the checkpoint the witness cosigned before"),
        ([WitnessAnswer(409, "20\n", "text/x.tlog.size")], "the witness cosigned size 20, beyond"),
        ([WitnessAnswer(404, "")], "does not know this log"),
    ]:
        log, files = await a_log_with_checkpoints(9), CheckpointFiles(tmp_path / str(len(caplog.records)))
        result = await SubmitToWitness(log=log, witness=FakeWitness(*answers), published=files,
                                       trusted_keys=(SIGNER.public_key_b64,)).execute()
        assert not result.cosigned and problem in result.problem and files.cosigned_text() is None
        assert f"ALERT the witness refused audit checkpoint 9: {result.problem}" in caplog.text
