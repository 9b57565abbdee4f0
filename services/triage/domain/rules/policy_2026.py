"""Policy 2026: how rule sets 2026.1 and 2026.2-wnc turn rule matches into a decision. Frozen: these
versions' code hashes are pinned (registry.PUBLISHED_CODE_HASHES); new behaviour goes in a new policy."""

from shared.events.codes import QueueId, Rag
from services.triage.domain.facts import ReferralFacts
from services.triage.domain.rules.predicates import Evaluation, additional_needs
from services.triage.domain.rules.ruleset import RuleSpec, Thresholds

SERVICE_QUEUES = frozenset({QueueId.DISABLED_CHILDREN, QueueId.ADULT_TRANSITION, QueueId.YOUTH_OFFENDING,
                            QueueId.STATUTORY_SAFEGUARDING})


def secondary(evaluated, primary: QueueId, primary_spec: RuleSpec) -> list[QueueId]:
    """Later service matches; never Early Help, signposting or review, which only a primary route can be."""
    later = evaluated[[s for s, _ in evaluated].index(primary_spec) + 1:]
    queues = [e.queue or s.queue for s, e in later if e.matched and (e.queue or s.queue) in SERVICE_QUEUES]
    return [q for i, q in enumerate(queues) if q != primary and q not in queues[:i]]


def rag(primary: QueueId, spec: RuleSpec, level: int, primary_eval: Evaluation) -> Rag:
    """Red for statutory, amber for review and for targeted (Level 3) early help, else the rule's own."""
    if primary is QueueId.STATUTORY_SAFEGUARDING:
        return Rag.RED
    if primary is QueueId.MASH_REVIEW or (primary is QueueId.EARLY_HELP and level >= 3):
        return Rag.AMBER
    return spec.rag


def assessed_level(f: ReferralFacts, t: Thresholds, primary_eval: Evaluation) -> int:
    """Level 3 (targeted) for a targeted concern or several needs, else Level 2 (DESIGN R5, seed S3 Levels)."""
    needs = additional_needs(f)
    targeted = f.concerns & t.targeted_concerns or len(needs) >= t.targeted_concern_count
    return 3 if targeted else 2


def review_reasons(f: ReferralFacts, t: Thresholds, primary: QueueId, spec: RuleSpec, evaluated) -> list[str]:
    reasons = []
    if primary is QueueId.MASH_REVIEW:
        reasons.append("routed to MASH review")
    if f.open_to_social_care or f.child_protection_plan or f.looked_after:
        reasons.append("already known to social care: the allocated worker must see this contact")
    if review := sorted(f.concerns & t.review_concerns):
        reasons.append(f"concerns that need a practitioner's judgement ({', '.join(review)})")
    if spec.consent_required and f.consent != "given" and primary is not QueueId.MASH_REVIEW:
        reasons.append(f"consent is {f.consent.replace('_', ' ')} for a service that needs agreement")
    if f.undecidable and primary is QueueId.STATUTORY_SAFEGUARDING:
        reasons.append(f.undecidable)
    return reasons
