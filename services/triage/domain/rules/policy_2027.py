"""Policy 2027 (rule set 2027.1): how rule matches become a decision, with the review's fixes.

- Statutory safeguarding is red whatever sent it there (danger, a child already known, a statutory duty).
- A concern of abuse below Level 4 (domestic abuse, emotional abuse, abuse linked to faith or belief) reaches
  Early Help only with a practitioner's review and an amber clock (research R1: "if at any time the child may
  be ... at risk of significant harm, refer immediately", 004_76cdd0f006a56f02.txt).
- A child known to social care is never below a practitioner's review.
- Later service matches become parallel work (each its own work item, clock and owner); which matches those
  are is unchanged from policy 2026 (`policy_2026.secondary`, reused, so both versions' hashes cover it).
"""

from shared.events.codes import QueueId, Rag
from services.triage.domain.facts import ReferralFacts
from services.triage.domain.rules.predicates import Evaluation, additional_needs
from services.triage.domain.rules.ruleset import RuleSpec, Thresholds


def rag(primary: QueueId, spec: RuleSpec, level: int, primary_eval: Evaluation) -> Rag:
    if primary is QueueId.STATUTORY_SAFEGUARDING:
        return Rag.RED
    if primary is QueueId.MASH_REVIEW or level >= 3:
        return Rag.AMBER
    return spec.rag


def assessed_level(f: ReferralFacts, t: Thresholds, primary_eval: Evaluation) -> int:
    """Level 3 (targeted) for a targeted or abuse concern or several needs, else Level 2 (seed S3 Levels)."""
    needs = additional_needs(f)
    targeted = f.concerns & (t.targeted_concerns | t.review_concerns) or len(needs) >= t.targeted_concern_count
    return 3 if targeted else 2


def review_reasons(f: ReferralFacts, t: Thresholds, primary: QueueId, spec: RuleSpec, evaluated) -> list[str]:
    reasons = []
    if primary is QueueId.MASH_REVIEW:
        reasons.append("routed to MASH review")
    if f.open_to_social_care or f.child_protection_plan or f.looked_after:
        reasons.append("already known to social care: the allocated worker must see this new information")
    if (review := sorted(f.concerns & t.review_concerns)) and primary is not QueueId.STATUTORY_SAFEGUARDING:
        reasons.append(f"abuse or concerns that need a practitioner's judgement ({', '.join(review)}): check "
                       "whether they meet the threshold for statutory safeguarding")
    consent_problems = sorted({e.facts["consent_problem"] for _, e in evaluated
                               if e.matched and e.facts.get("consent_problem")})
    reasons += [f"consent: {p}" for p in consent_problems]
    if f.undecidable and primary is QueueId.STATUTORY_SAFEGUARDING:
        reasons.append(f.undecidable)
    if f.youth_justice_event and f.open_early_help:
        reasons.append("open whole-family early help: its lead practitioner must hear of the youth-justice event")
    if f.youth_justice_event and f.age_at_youth_justice_event is None:
        reasons.append("no youth-justice event date: age at the event and time since cannot be checked")
    return reasons
