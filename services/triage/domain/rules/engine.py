"""decide(): the pure triage decision. Every rule is evaluated and traced; the first terminal match sets the
primary queue; later service matches become secondary queues (DESIGN "Triage policy")."""

from datetime import date

from shared.events.codes import QueueId, Rag
from shared.events.referral import ReferralV1
from shared.events.triage import Decision, TraceEntry
from services.triage.domain.facts import ReferralFacts, facts_from_referral
from services.triage.domain.rules.predicates import PREDICATES, Evaluation, additional_needs
from services.triage.domain.rules.ruleset import RuleSet, RuleSpec, Thresholds

SERVICE_QUEUES = frozenset({QueueId.DISABLED_CHILDREN, QueueId.ADULT_TRANSITION, QueueId.YOUTH_OFFENDING,
                            QueueId.STATUTORY_SAFEGUARDING})


def decide(referral: ReferralV1, ruleset: RuleSet, as_of: date) -> Decision:
    """Route `referral`, received on `as_of`, under `ruleset`. No I/O, no clock: same input, same decision."""
    facts = facts_from_referral(referral, as_of)
    t = ruleset.thresholds
    evaluated = _evaluate(facts, ruleset)
    primary_spec, primary_eval = next((s, e) for s, e in evaluated if e.matched and s.terminal)
    primary = primary_eval.queue or primary_spec.queue
    secondary = _secondary(evaluated, primary, primary_spec)
    review_reasons = _review_reasons(facts, t, primary, primary_spec)
    trace = [_entry(s, e) for s, e in evaluated]
    trace.append(TraceEntry(rule_id="H1", title="Human review flags", matched=bool(review_reasons),
                            reason=("; ".join(review_reasons) + ".") if review_reasons else
                            "Nothing calls for a practitioner's review beyond the queue's normal work.",
                            source="DESIGN 'needs_human_review'; domain research §1.2 R0, §3 consent"))
    level = primary_spec.level or _assessed_level(facts, t)
    rag = _rag(primary, primary_spec, level)
    return Decision(
        primary_queue=primary, secondary_queues=secondary, level_of_need=level, rag=rag,
        consent_required=primary_spec.consent_required, needs_human_review=bool(review_reasons),
        ruleset_version=ruleset.version, ruleset_hash=ruleset.content_hash,
        inform_existing_lead_practitioner=any(s.rule_id == "R4" and e.matched for s, e in evaluated)
        and facts.open_early_help,
        trace=trace,
    )


def _evaluate(facts: ReferralFacts, ruleset: RuleSet) -> list[tuple[RuleSpec, Evaluation]]:
    """Every rule in order; once a terminal rule has matched, only service rules (secondary queues) still
    apply, and the others are traced as not applied rather than as routes that were not taken."""
    evaluated, decided_by = [], None
    for spec in ruleset.rules:
        if decided_by and spec.queue not in SERVICE_QUEUES:
            evaluated.append((spec, Evaluation(False, f"Not applied: {decided_by} already set the route.")))
            continue
        ev = PREDICATES[spec.rule_id](facts, ruleset.thresholds)
        evaluated.append((spec, ev))
        if ev.matched and spec.terminal and decided_by is None:
            decided_by = spec.rule_id
    return evaluated


def _entry(spec: RuleSpec, ev: Evaluation) -> TraceEntry:
    return TraceEntry(rule_id=spec.rule_id, title=spec.title, matched=ev.matched,
                      queue=(ev.queue or spec.queue) if ev.matched else None, reason=ev.reason,
                      facts=ev.facts, source=spec.source)


def _secondary(evaluated, primary: QueueId, primary_spec: RuleSpec) -> list[QueueId]:
    """Later service matches; never Early Help, signposting or review, which only a primary route can be."""
    later = evaluated[[s for s, _ in evaluated].index(primary_spec) + 1:]
    queues = [e.queue or s.queue for s, e in later if e.matched and (e.queue or s.queue) in SERVICE_QUEUES]
    return [q for i, q in enumerate(queues) if q != primary and q not in queues[:i]]


def _rag(primary: QueueId, spec: RuleSpec, level: int) -> Rag:
    """Red for statutory, amber for review and for targeted (Level 3) early help, else the rule's own."""
    if primary is QueueId.STATUTORY_SAFEGUARDING:
        return Rag.RED
    if primary is QueueId.MASH_REVIEW or (primary is QueueId.EARLY_HELP and level >= 3):
        return Rag.AMBER
    return spec.rag


def _assessed_level(f: ReferralFacts, t: Thresholds) -> int:
    """Level 3 (targeted) for a targeted concern or several needs, else Level 2 (DESIGN R5, seed S3 Levels)."""
    needs = additional_needs(f)
    targeted = f.concerns & t.targeted_concerns or len(needs) >= t.targeted_concern_count
    return 3 if targeted else 2


def _review_reasons(f: ReferralFacts, t: Thresholds, primary: QueueId, spec: RuleSpec) -> list[str]:
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
