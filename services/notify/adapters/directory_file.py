"""The development directory file: who is told for each queue, loaded into notify's table at start."""

from pathlib import Path

import yaml

from services.notify.domain.messages import Recipient


def read_directory_file(path: Path) -> list[Recipient]:
    raw = yaml.safe_load(path.read_text()) or {}
    return [Recipient(queue_id=queue, **entry) for queue, entries in raw.items() for entry in entries]
