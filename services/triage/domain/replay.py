"""Decision replay: re-run a referral, as recorded (the audit log's copy of its events), through the rule-set
version recorded with its decision, and compare. A history-aware decision is re-run over the history facts it
recorded, so the person index is not needed (and its later changes cannot alter a past decision); so is each
decision made again after a confirmed link (`ReferralRedecided`), over the joined history it recorded. Pure: the
caller reads the record (`frontdoor audit replay` reads it from the audit log, and that read is itself
logged)."""

import json
from dataclasses import dataclass
from typing import Any

from shared.events import ReferralReceived, ReferralTriaged
from shared.events.triage import Decision, ReferralRedecided
from services.triage.domain.clocks import day_received
from services.triage.domain.redecision import redecide
from services.triage.domain.rules.decide_identified import decide_identified
from services.triage.domain.rules.registry import UnknownRuleSet, code_drift, get_ruleset

FIELDS = ("primary_queue", "secondary_queues", "level_of_need", "rag", "consent_required", "needs_human_review",
          "trace", "re_referral_within_12_months", "joins_work_item_id")


@dataclass(frozen=True)
class Replay:
    referral_id: str
    ruleset_version: str | None
    matches: bool
    problems: list[str]
    recorded: dict[str, Any] | None
    replayed: dict[str, Any] | None
    found: bool = True


def replay(events: list[dict[str, Any]]) -> Replay:
    """`events` are a referral's logged events (canonical JSON, decoded) in log order."""
    if not any(e["event_type"] in ("ReferralReceived", "ReferralTriaged") for e in events):
        referral_id = str(next((e.get("referral_id") for e in events), "?"))
        return Replay(referral_id, None, False, ["no referral with this id is in the audit log"], None, None,
                      found=False)
    received = next((e for e in events if e["event_type"] == "ReferralReceived"), None)
    triaged = next((e for e in events if e["event_type"] == "ReferralTriaged"), None)
    referral_id = (received or triaged or {}).get("referral_id", "?")
    if received is None or triaged is None:
        missing = [name for name, e in (("ReferralReceived", received), ("ReferralTriaged", triaged)) if e is None]
        return Replay(referral_id, None, False, [f"the log holds no {m} for this referral" for m in missing],
                      None, None)
    event_in, event_out = ReferralReceived.model_validate(received), ReferralTriaged.model_validate(triaged)
    recorded = event_out.payload.decision
    problems = []
    try:
        ruleset = get_ruleset(recorded.ruleset_version)
    except UnknownRuleSet as exc:
        return Replay(referral_id, recorded.ruleset_version, False, [str(exc.args[0])],
                      recorded.model_dump(mode="json"), None)
    if drift := code_drift(ruleset):
        problems.append(drift)
    if ruleset.content_hash != recorded.ruleset_hash:
        problems.append(f"rule set {ruleset.version} has changed since the decision (content hash "
                        f"{recorded.ruleset_hash[:12]} recorded, {ruleset.content_hash[:12]} now)")
    again = decide_identified(event_in.payload.referral, recorded.history, ruleset,
                              day_received(event_in.payload.received_at))
    problems += _differences(recorded, again)
    for redecided in (e for e in events if e["event_type"] == "ReferralRedecided"):
        problems += [f"decided again at {redecided['occurred_at']}: {p}"
                     for p in _redecision_problems(event_in, ReferralRedecided.model_validate(redecided))]
    return Replay(referral_id, ruleset.version, not problems, problems, recorded.model_dump(mode="json"),
                  again.model_dump(mode="json"))


def _differences(recorded: Decision, again: Decision) -> list[str]:
    return [f"{field} differs: recorded {_short(getattr(recorded, field))}, replayed {_short(getattr(again, field))}"
            for field in FIELDS if getattr(again, field) != getattr(recorded, field)]


def _redecision_problems(event_in: ReferralReceived, redecided: ReferralRedecided) -> list[str]:
    """A decision made again after a confirmed link, re-run over the joined history it recorded."""
    p = redecided.payload
    try:
        ruleset = get_ruleset(p.ruleset_version)
    except UnknownRuleSet as exc:
        return [str(exc.args[0])]
    again = decide_identified(event_in.payload.referral, p.history, ruleset, day_received(event_in.payload.received_at))
    result = redecide(p.previous, again)
    problems = _differences(p.decision, result.decision)
    if result.changed != p.changed:
        problems.append(f"changed differs: recorded {p.changed}, replayed {result.changed}")
    return problems


def _short(value: object) -> str:
    text = json.dumps(value, default=lambda v: v.model_dump(mode="json") if hasattr(v, "model_dump") else str(v))
    return text if len(text) < 120 else text[:117] + "..."
