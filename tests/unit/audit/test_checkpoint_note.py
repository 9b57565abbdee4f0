"""A checkpoint as a note kept outside the database: written and read back exactly."""

from datetime import UTC, datetime

from services.audit.adapters.checkpoint_files import CheckpointFiles
from services.audit.domain.checkpoint import Checkpoint


def test_a_published_checkpoint_reads_back_the_same(tmp_path):
    checkpoint = Checkpoint(42, bytes(range(32)), datetime(2026, 12, 1, 9, tzinfo=UTC), b"\x01" * 64, "a2V5")
    files = CheckpointFiles(tmp_path / "db")
    assert files.latest() is None
    files.publish(checkpoint)
    assert files.latest() == checkpoint
    assert (tmp_path / "db" / "checkpoint-000000000042.note").read_text() == checkpoint.note()
    assert checkpoint.note().startswith("frontdoor-audit/v1\n42\n")
