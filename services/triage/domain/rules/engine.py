"""decide(): the pure triage decision. Every rule is evaluated and traced; the first terminal match sets the
primary queue; later service matches become secondary queues (DESIGN "Triage policy"). What each rule means
and how matches become urgency, level and review flags is the rule set's policy (`policies.py`)."""

from datetime import date

from shared.events.referral import ReferralV1
from shared.events.triage import Decision, TraceEntry
from services.triage.domain.facts import ReferralFacts, facts_from_referral
from services.triage.domain.rules.policies import policy_of
from services.triage.domain.rules.predicates import Evaluation
from services.triage.domain.rules.ruleset import RuleSet, RuleSpec


def decide(referral: ReferralV1, ruleset: RuleSet, as_of: date) -> Decision:
    """Route `referral`, received on `as_of`, under `ruleset`. No I/O, no clock: same input, same decision."""
    facts = facts_from_referral(referral, as_of)
    t = ruleset.thresholds
    evaluated = _evaluate(facts, ruleset)
    policy = policy_of(ruleset)
    primary_spec, primary_eval = next((s, e) for s, e in evaluated if e.matched and s.terminal)
    primary = primary_eval.queue or primary_spec.queue
    secondary = policy.secondary(evaluated, primary, primary_spec)
    review_reasons = policy.review_reasons(facts, t, primary, primary_spec, evaluated)
    trace = [_entry(s, e) for s, e in evaluated]
    trace.append(TraceEntry(rule_id="H1", title="Human review flags", matched=bool(review_reasons),
                            reason=("; ".join(review_reasons) + ".") if review_reasons else
                            "Nothing calls for a practitioner's review beyond the queue's normal work.",
                            source="DESIGN 'needs_human_review'; domain research §1.2 R0, §3 consent"))
    level = primary_spec.level or policy.level(facts, t, primary_eval)
    rag = policy.rag(primary, primary_spec, level, primary_eval)
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
        if decided_by and spec.queue not in policy_of(ruleset).service_queues:
            evaluated.append((spec, Evaluation(False, f"Not applied: {decided_by} already set the route.")))
            continue
        ev = policy_of(ruleset).predicates[spec.rule_id](facts, ruleset.thresholds)
        evaluated.append((spec, ev))
        if ev.matched and spec.terminal and decided_by is None:
            decided_by = spec.rule_id
    return evaluated


def _entry(spec: RuleSpec, ev: Evaluation) -> TraceEntry:
    return TraceEntry(rule_id=spec.rule_id, title=spec.title, matched=ev.matched,
                      queue=(ev.queue or spec.queue) if ev.matched else None, reason=ev.reason,
                      facts=ev.facts, source=spec.source)
