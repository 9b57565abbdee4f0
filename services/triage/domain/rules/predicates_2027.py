"""Predicates of policy 2027 (rule set 2027.1): the 2026 rules where unchanged, and the rules the 2026
safeguarding review found missing (issue "Triage policy: children already known, statutory duties, valid
consent, parallel work"). Each reason names the fact and the duty it rests on."""

from shared.events.codes import QueueId
from services.triage.domain.facts import ReferralFacts
from services.triage.domain.rules.predicates import (
    Evaluation,
    _age,
    additional_needs,
    early_help_band,
    in_band,
    r1_statutory,
    r2_disabled_children,
    r3_adult_transition,
    r6_signposting,
    r7_not_enough,
)
from services.triage.domain.rules.ruleset import Thresholds

STATUTORY_COURT_WORK = frozenset({"charge", "court_order", "youth_conditional_caution"})
DUTIES = {
    "unaccompanied_asylum_seeker": "the duty to accommodate a child in need who has no one with parental "
                                   "responsibility (Children Act 1989 s20)",
    "privately_fostered": "the duty to satisfy itself of a privately fostered child's welfare and visit within 7 "
                          "working days (Children Act 1989 s67; Private Fostering Regulations 2005)",
}


def r0_known_to_social_care(f: ReferralFacts, t: Thresholds) -> Evaluation:
    known = [name for name, present in (("open to children's social care", f.open_to_social_care),
                                        ("on a child protection plan", f.child_protection_plan),
                                        ("looked after", f.looked_after)) if present]
    facts = {"open_to_social_care": f.open_to_social_care, "child_protection_plan": f.child_protection_plan,
             "looked_after": f.looked_after}
    if not known:
        return Evaluation(False, "The referrer does not say the child is known to children's social care.", facts)
    return Evaluation(True, "The child is " + " and ".join(known) + ": this is new information for the allocated "
                            "worker, linked to the existing case, never a fresh early-help case.", facts)


def rd_statutory_duty(f: ReferralFacts, t: Thresholds) -> Evaluation:
    duties = [DUTIES[c] for c in sorted(f.concerns & DUTIES.keys())]
    facts = {"statutory_duty_concerns": sorted(f.concerns & DUTIES.keys())}
    if not duties:
        return Evaluation(False, "No concern that by itself places a statutory duty on the authority.", facts)
    return Evaluation(True, "The authority has " + "; and ".join(duties) + ".", facts)


def consent_problem(f: ReferralFacts, t: Thresholds) -> str | None:
    """Why the consent recorded does not let a voluntary service start, or None when it does. A young person's
    own consent counts from `young_person_consent_age` (16); younger, their competence (Gillick) must be
    confirmed by a practitioner; an unborn child or a young child cannot consent for themselves."""
    if f.consent != "given":
        return f"consent is {f.consent.replace('_', ' ')}"
    if f.consent_given_by in ("parent", "both"):
        return None
    if f.unborn or f.age is None:
        return "consent was given by the young person, but the child is unborn or of unknown age"
    if f.age >= t.young_person_consent_age:
        return None
    return (f"consent was given by the young person, aged {f.age}: below {t.young_person_consent_age} a "
            "practitioner must confirm they are competent to consent (Gillick) or seek a parent's consent")


def _needs_consent(ev: Evaluation, f: ReferralFacts, t: Thresholds, service: str) -> Evaluation:
    """A voluntary service the rule table marks 'consent needed' starts only with valid consent; otherwise a
    MASH practitioner decides how the need is met (refusal never lowers risk: R1 was checked first)."""
    if not ev.matched or (problem := consent_problem(f, t)) is None:
        return ev
    return Evaluation(True, f"{ev.reason} But {problem}: {service} needs agreement, so a MASH practitioner "
                            "decides how the need is met.", {**ev.facts, "consent_problem": problem},
                      queue=QueueId.MASH_REVIEW)


def r2_disabled_children_with_consent(f: ReferralFacts, t: Thresholds) -> Evaluation:
    return _needs_consent(r2_disabled_children(f, t), f, t, "a Child in Need assessment (s17)")


def r3_adult_transition_with_consent(f: ReferralFacts, t: Thresholds) -> Evaluation:
    return _needs_consent(r3_adult_transition(f, t), f, t, "a transition assessment (Care Act 2014 s58)")


def r4_youth_justice(f: ReferralFacts, t: Thresholds) -> Evaluation:
    """Age at the event, not at referral (CYPA 1933 s50); court work always; prevention (Turnaround) only
    within its window and outside its exclusions."""
    event, age_then = f.youth_justice_event, f.age_at_youth_justice_event
    facts = {"age": _age(f), "youth_justice_event": event, "age_at_event": age_then,
             "days_since_event": f.days_since_youth_justice_event, "open_youth_justice": f.open_youth_justice}
    if why := f.undecidable:
        return Evaluation(False, f"Cannot be judged: {why}.", facts)
    if event is None:
        return Evaluation(False, "No youth-justice event is reported.", facts)
    age = age_then if age_then is not None else f.age
    if age is None or age < t.yos_min_age:
        return Evaluation(False, f"Aged {age if age is not None else 'unknown'} at the event: under the age of "
                                 f"criminal responsibility ({t.yos_min_age}, CYPA 1933 s50), never youth "
                                 "justice.", facts)
    if not in_band(f, t.yos_min_age, t.yos_max_age):
        return Evaluation(False, f"Aged {_age(f)} now: outside {t.yos_min_age}-{t.yos_max_age}.", facts)
    if f.open_youth_justice:
        return Evaluation(True, f"Aged {age} at a {event.replace('_', ' ')} and already open to youth justice: new "
                                "information for the worker of the existing case, not a new Turnaround case.",
                          facts | {"track": "existing_case"})
    if event in STATUTORY_COURT_WORK:
        return Evaluation(True, f"Aged {age} at a {event.replace('_', ' ')}: statutory youth justice work (court "
                                "or conditional caution), whatever the time since.", facts | {"track": "statutory"})
    days = f.days_since_youth_justice_event
    if days is None or days > t.prevention_window_days:
        when = "an unknown date" if days is None else f"{days} days ago"
        return Evaluation(False, f"The {event.replace('_', ' ')} was {when}: outside the "
                                 f"{t.prevention_window_days}-day window for prevention (Turnaround).", facts)
    if exclusions := [n for n, present in (("looked after", f.looked_after),
                                           ("on a child protection plan", f.child_protection_plan),
                                           ("in whole-family early help", f.open_early_help)) if present]:
        return Evaluation(False, "Excluded from prevention (Turnaround): " + ", ".join(exclusions) + ".", facts)
    return Evaluation(True, f"Aged {age} at a {event.replace('_', ' ')} {days} days ago: prevention and "
                            "diversion (Turnaround).", facts | {"track": "prevention"})


def r5_early_help_valid_consent(f: ReferralFacts, t: Thresholds) -> Evaluation:
    needs = additional_needs(f)
    facts = {"age": _age(f), "has_send": f.has_send, "additional_needs": needs, "consent": f.consent,
             "consent_given_by": f.consent_given_by}
    if why := f.undecidable:
        return Evaluation(False, f"Cannot be judged: {why}.", facts)
    if not early_help_band(f, t):
        return Evaluation(False, f"Age {_age(f)} is outside Early Help (unborn to {t.early_help_max_age}, "
                                 f"{t.early_help_max_age_send} with SEND).", facts)
    if not needs:
        return Evaluation(False, "No additional needs are reported.", facts)
    if (problem := consent_problem(f, t)) is None:
        return Evaluation(True, f"Additional needs ({', '.join(needs)}) with valid consent.", facts)
    return Evaluation(True, f"Additional needs ({', '.join(needs)}) but {problem}: a MASH practitioner decides "
                            "how the needs can be met; R1 was checked first.", facts | {"consent_problem": problem},
                      queue=QueueId.MASH_REVIEW)


PREDICATES_2027 = {
    "R1": r1_statutory, "R0": r0_known_to_social_care, "RD": rd_statutory_duty,
    "R2": r2_disabled_children_with_consent, "R3": r3_adult_transition_with_consent, "R4": r4_youth_justice,
    "R5": r5_early_help_valid_consent, "R6": r6_signposting, "R7": r7_not_enough,
}
