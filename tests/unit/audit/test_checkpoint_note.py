"""Checkpoints as C2SP signed notes, byte for byte what Go's `golang.org/x/mod/sumdb/note` writes, and the
copy kept outside the database read back exactly.

The vector below was made by Go (x/mod v0.37.0): `note.GenerateKey` from 32 bytes of 0x07, then `note.Sign`
of the checkpoint body; Ed25519 is deterministic, so the same key signs the same bytes here."""

import base64
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from services.audit.adapters.checkpoint_files import CheckpointFiles
from services.audit.adapters.ed25519_signer import Ed25519Signer
from services.audit.config import AuditSettings
from services.audit.domain.checkpoint import DEFAULT_ORIGIN, Checkpoint, note_verifier_key
from services.audit.domain.signed_note import VerifierKey, split
from tests.support.fake_audit_log import GO_NOTE

SIGNER = Ed25519Signer(base64.b64encode(bytes([7] * 32)).decode())
GO_VERIFIER_KEY = "frontdoor.example/audit/v1+542bbe16+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs"


def signed(size: int, root: bytes) -> Checkpoint:
    unsigned = Checkpoint(size, root, datetime(2026, 12, 1, 9, tzinfo=UTC))
    return Checkpoint(size, root, unsigned.signed_at, SIGNER.sign(unsigned.message()), SIGNER.public_key_b64)


def test_a_checkpoint_note_is_what_go_signs_and_its_key_what_go_prints():
    assert signed(10, bytes(range(32))).note() == GO_NOTE
    assert note_verifier_key(SIGNER.public_key_b64) == GO_VERIFIER_KEY
    assert VerifierKey.parse(GO_VERIFIER_KEY).public_key == base64.b64decode(SIGNER.public_key_b64)


def test_a_note_read_back_keeps_the_signature_of_a_trusted_key_only():
    read = Checkpoint.from_note(GO_NOTE, [SIGNER.public_key_b64])
    assert (read.tree_size, read.root, read.public_key) == (10, bytes(range(32)), SIGNER.public_key_b64)
    assert read.signature == signed(10, bytes(range(32))).signature
    stranger = Ed25519Signer(base64.b64encode(bytes([9] * 32)).decode()).public_key_b64
    untrusted = Checkpoint.from_note(GO_NOTE, [stranger])
    assert (untrusted.signature, untrusted.public_key) == (b"", "")


@pytest.mark.parametrize("text, problem", [
    (GO_NOTE.replace("\n\n", "\n"), "blank line"),
    (GO_NOTE.replace(DEFAULT_ORIGIN + "\n10", "another.example/log\n10"), "not a checkpoint"),
    (GO_NOTE.replace("=\n\n", "=\nextension line\n\n"), "three body lines"),
    (GO_NOTE.replace("— ", "- "), "signature line"),
])
def test_what_is_not_a_checkpoint_note_is_refused_by_name(text, problem):
    with pytest.raises(ValueError, match=problem):
        Checkpoint.from_note(text, [SIGNER.public_key_b64])


def test_the_signature_lines_split_from_the_signed_body():
    body, signatures = split(GO_NOTE)
    assert body == signed(10, bytes(range(32))).message().decode()
    assert [(s.name, s.key_id.hex()) for s in signatures] == [(DEFAULT_ORIGIN, "542bbe16")]


def test_a_published_checkpoint_reads_back_the_same(tmp_path):
    checkpoint = signed(42, bytes(range(32)))
    files = CheckpointFiles(tmp_path / "db")
    assert files.latest_text() is None
    files.publish(checkpoint)
    text = files.latest_text()
    assert text == checkpoint.note() == (tmp_path / "db" / "checkpoint-000000000042.note").read_text()
    assert Checkpoint.from_note(text, [SIGNER.public_key_b64]) == Checkpoint(
        42, checkpoint.root, None, checkpoint.signature, checkpoint.public_key)


def test_a_deployments_own_origin_names_its_log_and_a_note_of_another_log_is_not_read_as_its_own():
    origin = "audit.frontdoor.example-council.gov.uk/v1"
    unsigned = Checkpoint(10, bytes(range(32)), None, origin=origin)
    mine = Checkpoint(10, unsigned.root, None, SIGNER.sign(unsigned.message()), SIGNER.public_key_b64, origin=origin)
    note = mine.note()
    assert note.startswith(origin + "\n10\n") and f"\n— {origin} " in note
    assert note_verifier_key(SIGNER.public_key_b64, origin).startswith(origin + "+")
    assert Checkpoint.from_note(note, [SIGNER.public_key_b64], origin) == mine
    with pytest.raises(ValueError, match="not a checkpoint of frontdoor.example/audit/v1"):
        Checkpoint.from_note(note, [SIGNER.public_key_b64])  # read as the default log's: refused, not trusted


@pytest.mark.parametrize("origin", ["with space/v1", "plus+sign/v1", "two\nlines", ""])
def test_an_origin_a_signed_note_cannot_carry_is_refused_at_start(origin, monkeypatch):
    monkeypatch.setenv("AUDIT_LOG_ORIGIN", origin)
    with pytest.raises(ValidationError, match="log_origin"):
        AuditSettings()
