"""What an auditor keeps after a verification passed, so the next one reads only the rows after it.

The saved compact range (the roots of the tree's perfect subtrees at the last verified checkpoint) and the last
row's entry hash vouch for everything before: the next verification extends the auditor's own range with the
new leaves, so a later checkpoint signed over a rewritten past cannot match, and the first new row must link to
the saved hash. The database is trusted for nothing it could have changed since.
"""

import base64
import json
from dataclasses import dataclass

from services.audit.domain.merkle import CompactRange


@dataclass(frozen=True)
class Verified:
    tree_size: int
    root: bytes
    compact_range: tuple[bytes, ...]
    last_entry_hash: bytes

    def to_json(self) -> str:
        b64 = base64.b64encode
        return json.dumps({"tree_size": self.tree_size, "root": b64(self.root).decode(),
                           "compact_range": [b64(h).decode() for h in self.compact_range],
                           "last_entry_hash": b64(self.last_entry_hash).decode()}, indent=2)

    @classmethod
    def from_json(cls, text: str) -> "Verified":
        """Refuses a state whose range does not give its own root (a damaged or edited file)."""
        data = json.loads(text)
        decoded = cls(int(data["tree_size"]), base64.b64decode(data["root"]),
                      tuple(base64.b64decode(h) for h in data["compact_range"]),
                      base64.b64decode(data["last_entry_hash"]))
        if decoded.range().root() != decoded.root:
            raise ValueError("the saved verification state does not give its own root: verify in full")
        return decoded

    def range(self) -> CompactRange:
        return CompactRange(self.tree_size, self.compact_range)
