"""A rule set is data: the ordered rules with their sources, and the thresholds they apply.

Local authorities differ in ages, timers and queue names (DESIGN "Triage policy"); that is a new version of
this data, never new code. A version names its parent and only what it changes (the SSDA903 validator's
year-on-year style), and its content hash lets an auditor check that a replay used exactly the same rules.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property

from shared.events.codes import QueueId, Rag


@dataclass(frozen=True)
class RuleSpec:
    """One row of the rule table: what it routes to, how urgently, and the policy it comes from."""

    rule_id: str
    title: str
    queue: QueueId | None
    rag: Rag | None
    level: int | None
    terminal: bool
    consent_required: bool
    source: str
    summary: str


@dataclass(frozen=True)
class Thresholds:
    """Age bands (inclusive, whole years at the day received), concern sets and clocks."""

    statutory_concerns: frozenset[str]
    targeted_concerns: frozenset[str]
    review_concerns: frozenset[str]
    targeted_concern_count: int = 3
    dct_min_age: int = 0
    dct_max_age: int = 17
    transition_start_age: int = 14
    transition_child_max_age: int = 17
    transition_ehcp_max_age: int = 25
    yos_min_age: int = 10
    yos_max_age: int = 17
    early_help_max_age: int = 19
    early_help_max_age_send: int = 25
    rag_hours: dict[str, float] = field(default_factory=lambda: {"red": 2, "amber": 6, "green": 24})
    decision_working_days: int = 1


@dataclass(frozen=True)
class RuleSet:
    version: str
    parent: str | None
    rules: tuple[RuleSpec, ...]
    thresholds: Thresholds
    queue_names: dict[str, str]
    changes: str = ""

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of everything that can change a decision (worked out once: the rule
        set is frozen, and every decision records it)."""
        data = asdict(self)
        data.pop("changes")
        blob = json.dumps(data, sort_keys=True, separators=(",", ":"), default=sorted)
        return hashlib.sha256(blob.encode()).hexdigest()

    @cached_property
    def queue_urgency(self) -> dict[str, str]:
        """The least urgent RAG each queue's rules route with: what a work item moved there carries at least."""
        order = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
        floor: dict[str, Rag] = {}
        for r in self.rules:
            if r.queue is not None and r.rag is not None:
                current = floor.get(r.queue.value)
                floor[r.queue.value] = r.rag if current is None or order[r.rag] > order[current] else current
        return {queue: rag.value for queue, rag in floor.items()}

    def rule(self, rule_id: str) -> RuleSpec:
        return next(r for r in self.rules if r.rule_id == rule_id)

    def derive(self, version: str, *, changes: str, thresholds: dict | None = None,
               rules: dict[str, dict] | None = None, queue_names: dict[str, str] | None = None) -> "RuleSet":
        """A child version: only the thresholds, rule fields and names it changes."""
        changed_rules = tuple(replace(r, **(rules or {}).get(r.rule_id, {})) for r in self.rules)
        return RuleSet(version=version, parent=self.version, rules=changed_rules,
                       thresholds=replace(self.thresholds, **(thresholds or {})),
                       queue_names={**self.queue_names, **(queue_names or {})}, changes=changes)
