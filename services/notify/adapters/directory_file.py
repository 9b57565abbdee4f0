"""The development directory: who is told for each queue, from a YAML file loaded at start."""

from pathlib import Path

import yaml

from shared.events.codes import QueueId
from services.notify.domain.messages import NoRecipient, Recipient


def load_directory(path: Path) -> dict[str, list[Recipient]]:
    """Every queue must have someone to tell, or notify refuses to start."""
    raw = yaml.safe_load(path.read_text()) or {}
    directory = {queue: [Recipient(**entry) for entry in entries] for queue, entries in raw.items()}
    missing = [q.value for q in QueueId if not directory.get(q.value)]
    if missing:
        raise NoRecipient(f"no recipient for queue(s): {', '.join(missing)} in {path}")
    return directory
