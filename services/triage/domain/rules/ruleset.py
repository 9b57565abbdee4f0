"""A rule set is data: the ordered rules with their sources, and the thresholds they apply.

Local authorities differ in ages, timers and queue names (DESIGN "Triage policy"); that is a new version of
this data, never new code. A version names its parent and only what it changes (the SSDA903 validator's
year-on-year style), and its content hash lets an auditor check that a replay used exactly the same rules.
"""

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from typing import Any

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
    young_person_consent_age: int | None = None  # policy 2027: own consent from this age (younger: Gillick)
    prevention_window_days: int | None = None  # policy 2027: youth justice prevention within days of the event
    repeat_referral_threshold: int | None = None  # policy 2028: earlier referrals in 12 months that mean review


@dataclass(frozen=True)
class RuleSet:
    version: str
    parent: str | None
    rules: tuple[RuleSpec, ...]
    thresholds: Thresholds
    queue_names: dict[str, str]
    changes: str = ""
    policy: str = "2026"  # the code that decides (policies.py); new behaviour is a new policy
    hash_covers_code: bool = False  # from 2027.1 the content hash covers the code as well as the data
    code_hash: str = ""  # filled in by the registry from the policy's source (policy.py)
    history_rules: tuple[RuleSpec, ...] = ()  # policy 2028: applied after the rules, over the person's history

    @cached_property
    def data_hash(self) -> str:
        """SHA-256 of the canonical JSON of the rule set's data (what 2026.x decisions record)."""
        data = asdict(self)
        for not_data in ("changes", "policy", "hash_covers_code", "code_hash"):
            data.pop(not_data)
        if not data["history_rules"]:
            data.pop("history_rules")  # absent from the hash of the versions before history
        # thresholds added by a later policy are None in the versions before it, and absent from their hash
        data["thresholds"] = {k: v for k, v in data["thresholds"].items() if v is not None}
        blob = json.dumps(data, sort_keys=True, separators=(",", ":"), default=sorted)
        return hashlib.sha256(blob.encode()).hexdigest()

    @cached_property
    def content_hash(self) -> str:
        """What every decision records (worked out once: the rule set is frozen). Data and code together from
        2027.1; the data alone for the 2026 versions, whose code is frozen by pinned code hashes instead."""
        if not self.hash_covers_code:
            return self.data_hash
        if not self.code_hash:
            raise ValueError(f"rule set {self.version} has no code hash: load it through the registry")
        return hashlib.sha256(f"{self.data_hash}:{self.code_hash}".encode()).hexdigest()

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

    def derive(self, version: str, *, changes: str, thresholds: dict[str, Any] | None = None,
               rules: dict[str, dict[str, Any]] | None = None, queue_names: dict[str, str] | None = None) -> "RuleSet":
        """A child version: only the thresholds, rule fields and names it changes."""
        changed_rules = tuple(replace(r, **(rules or {}).get(r.rule_id, {})) for r in self.rules)
        return RuleSet(version=version, parent=self.version, rules=changed_rules,
                       thresholds=replace(self.thresholds, **(thresholds or {})),
                       queue_names={**self.queue_names, **(queue_names or {})}, changes=changes,
                       policy=self.policy, hash_covers_code=self.hash_covers_code)
