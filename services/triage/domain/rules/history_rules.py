"""History rules (policy 2028, rule set 2028.1): what the person index knew, applied after the referral's own
rules. They can raise concern, never lower it: urgency only goes up, the level of need only up, a review flag
is only ever added, and a service already routed to stays (as parallel work if something else leads).

- HR0 re-referral: every decision says whether an earlier referral about the same person was received in the
  12 months before this one (the CIN census re-referral measure; 003_56ebd3a87872184e.txt §15 "fewer referrals
  to social care with a previous referral within 12 months").
- HR1 open statutory work: the referral joins that work's queue as new information for the allocated worker,
  linked to it, not a fresh case (domain research R0: Merton and Tower Hamlets MASH guides, forward to the
  allocated worker); specialist services stay as parallel work, Early Help does not (R1).
- HR2 cumulative harm: `repeat_referral_threshold` earlier referrals in 12 months (from 2028.1: 2, so the third
  referral in a year) goes to a practitioner's decision on cumulative harm with a red clock, never to
  signposting alone (Working Together to Safeguard Children 2023 ch. 1: consider the cumulative impact of
  concerns; 003_56ebd3a87872184e.txt §15).
- HR3 identity unconfirmed: possible earlier records of the child wait for a practitioner; the decision is
  reviewed until they are confirmed or rejected.
- HR4 other open work (early help, disabled children's, transition, youth justice): its lead practitioner is
  told.
"""

from shared.events.codes import QueueId, Rag
from shared.events.people import PastReferral
from shared.events.triage import Decision, HistoryFacts, TraceEntry
from services.triage.domain.rules.ruleset import RuleSet, Thresholds

S3 = "003_56ebd3a87872184e.txt §15 (re-referrals within 12 months)"
URGENCY = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
KEPT_AS_PARALLEL = frozenset({QueueId.EARLY_HELP, QueueId.DISABLED_CHILDREN, QueueId.ADULT_TRANSITION,
                              QueueId.YOUTH_OFFENDING})


def after_rules(base: Decision, history: HistoryFacts | None, ruleset: RuleSet) -> Decision:
    """`base` (the engine's decision) under a rule set that reads history; unchanged under one from before."""
    if ruleset.thresholds.repeat_referral_threshold is None:
        return base  # decided exactly as when that rule set was published
    return apply_history(base, history, ruleset.thresholds)


def apply_history(base: Decision, history: HistoryFacts | None, t: Thresholds) -> Decision:
    if history is None:
        entry = TraceEntry(rule_id="HR0", title="Re-referral within 12 months", matched=False, source=S3,
                           reason="No history from the person index: a practitioner checks for earlier referrals.")
        return base.model_copy(update={"needs_human_review": True, "trace": [*base.trace, entry],
                                       "re_referral_within_12_months": None})
    snap = history.snapshot
    previous = snap.referrals_last_12_months
    primary, secondary = base.primary_queue, list(base.secondary_queues)
    rag, level, review, consent = base.rag, base.level_of_need, base.needs_human_review, base.consent_required
    inform, joins = base.inform_existing_lead_practitioner, None
    trace = [*base.trace, _re_referral(previous)]

    statutory = [w for w in snap.open_work if w.queue_id is QueueId.STATUTORY_SAFEGUARDING]
    if statutory:
        joins = statutory[0].work_item_id
        secondary = _with_parallel(primary, secondary, QueueId.STATUTORY_SAFEGUARDING)
        primary, rag, level, review, consent = QueueId.STATUTORY_SAFEGUARDING, Rag.RED, 4, True, False
    trace.append(TraceEntry(
        rule_id="HR1", title="Open statutory work", matched=bool(statutory), queue=primary if statutory else None,
        reason=(f"Open statutory work (item {joins}): this referral is new information for its allocated worker, "
                "linked to it, not a new case." if statutory else "No open statutory work for this person."),
        facts={"open_work_items": [str(w.work_item_id) for w in statutory]},
        source="Domain research R0 (Merton, Tower Hamlets MASH: forward to the allocated worker); DESIGN "
               "'Identity and history'"))

    repeat = len(previous) >= (t.repeat_referral_threshold or 0) and primary is not QueueId.STATUTORY_SAFEGUARDING
    if repeat:
        secondary = _with_parallel(primary, secondary, QueueId.MASH_REVIEW)
        primary, rag, level, review = QueueId.MASH_REVIEW, Rag.RED, max(level, 3), True
    trace.append(TraceEntry(
        rule_id="HR2", title="Repeat referrals: cumulative harm", matched=repeat,
        queue=QueueId.MASH_REVIEW if repeat else None,
        reason=(f"{len(previous)} earlier referral(s) in 12 months (threshold {t.repeat_referral_threshold}): a "
                "practitioner decides on cumulative harm, red clock." if repeat else
                f"{len(previous)} earlier referral(s) in 12 months (threshold {t.repeat_referral_threshold})"
                + (", and statutory safeguarding already leads." if statutory and previous else ".")),
        facts={"earlier_referrals": len(previous), "threshold": t.repeat_referral_threshold},
        source=f"{S3}; Working Together to Safeguard Children 2023 ch. 1 (cumulative impact of concerns)"))

    unconfirmed = history.match_grade in ("probable", "possible")
    review = review or unconfirmed
    trace.append(TraceEntry(
        rule_id="HR3", title="Identity unconfirmed", matched=unconfirmed,
        reason=(f"{history.candidates} possible earlier record(s) of this child ({history.match_grade} match): a "
                "practitioner confirms or rejects them in the console." if unconfirmed else
                f"Match grade {history.match_grade}: nothing waits for confirmation."),
        facts={"match_grade": history.match_grade, "candidates": history.candidates,
               "link_confirmed": snap.link_confirmed},
        source="DESIGN 'Identity and history': uncertain matches go to a person"))

    others = sorted({w.queue_id.value for w in snap.open_work if w.queue_id is not QueueId.STATUTORY_SAFEGUARDING})
    inform = inform or bool(others)
    trace.append(TraceEntry(
        rule_id="HR4", title="Other open work", matched=bool(others),
        reason=(f"Open work on {', '.join(others)}: its lead practitioner is told." if others else
                "No other open work for this person."),
        facts={"open_queues": others}, source="DESIGN 'Triage policy' R4 (an existing lead practitioner is told)"))

    return base.model_copy(update={
        "primary_queue": primary, "secondary_queues": secondary, "consent_required": consent,
        "rag": rag if URGENCY[rag] <= URGENCY[base.rag] else base.rag, "level_of_need": max(level, base.level_of_need),
        "needs_human_review": review or base.needs_human_review, "inform_existing_lead_practitioner": inform,
        "trace": trace, "re_referral_within_12_months": bool(previous), "joins_work_item_id": joins,
        "history": history})


def _re_referral(previous: list[PastReferral]) -> TraceEntry:
    when = [f"{p.received_at.date().isoformat()} {p.primary_queue.value if p.primary_queue else 'not yet decided'}"
            + (f" ({p.outcome})" if p.outcome else "") for p in previous]
    return TraceEntry(rule_id="HR0", title="Re-referral within 12 months", matched=bool(previous), source=S3,
                      reason=(f"Re-referral: {len(previous)} earlier referral(s) in the 12 months before this one: "
                              + "; ".join(when) + "." if previous else "No earlier referral in the last 12 months."),
                      facts={"earlier_referrals": [str(p.referral_id) for p in previous]})


def _with_parallel(primary: QueueId, secondary: list[QueueId], leader: QueueId) -> list[QueueId]:
    """The secondary queues once `leader` leads: the old primary kept as parallel work if it is a service,
    except Early Help beside statutory work (R1: never Early Help where significant harm is in question)."""
    services = KEPT_AS_PARALLEL - ({QueueId.EARLY_HELP} if leader is QueueId.STATUTORY_SAFEGUARDING else set())
    kept = [primary] if primary in services else []  # the engine's secondary queues are specialist services
    return [q for q in dict.fromkeys([*kept, *secondary]) if q is not leader]
