"""One pure function per rule: facts and thresholds in, an evaluation with a plain-English reason out."""

from collections.abc import Callable
from dataclasses import dataclass, field

from shared.events.codes import QueueId
from services.triage.domain.facts import ReferralFacts
from services.triage.domain.rules.ruleset import Thresholds


@dataclass(frozen=True)
class Evaluation:
    matched: bool
    reason: str
    facts: dict = field(default_factory=dict)
    queue: QueueId | None = None  # overrides the rule's queue (R5 without consent)


def _age(f: ReferralFacts) -> str:
    return "unborn" if f.unborn else (f"{f.age}" if f.age is not None else "unknown")


def in_band(f: ReferralFacts, low: int, high: int) -> bool:
    return f.age is not None and low <= f.age <= high


def r1_statutory(f: ReferralFacts, t: Thresholds) -> Evaluation:
    abuse = sorted(f.concerns & t.statutory_concerns)
    facts = {"immediate_danger": f.immediate_danger, "significant_harm_suspected": f.significant_harm_suspected,
             "abuse_or_exploitation_concerns": abuse}
    grounds = [g for g, present in (("the referrer believes the child is in danger now", f.immediate_danger),
                                    ("significant harm is suspected", f.significant_harm_suspected),
                                    (f"abuse or exploitation is reported ({', '.join(abuse)})", bool(abuse)))
               if present]
    if grounds:
        return Evaluation(True, "Level 4: " + "; ".join(grounds) + ".", facts)
    return Evaluation(False, "No immediate danger, no suspected significant harm, no abuse or exploitation "
                             "concern.", facts)


def r2_disabled_children(f: ReferralFacts, t: Thresholds) -> Evaluation:
    facts = {"age": _age(f), "has_disability": f.has_disability, "diagnosed": f.disability_diagnosed,
             "long_term": f.disability_long_term, "substantial_support_needed": f.substantial_support_needed}
    if why := f.undecidable:
        return Evaluation(False, f"Cannot be judged: {why}.", facts)
    missing = [name for name, ok in (
        (f"aged {t.dct_min_age}-{t.dct_max_age}", in_band(f, t.dct_min_age, t.dct_max_age)),
        ("a disability", f.has_disability), ("diagnosed", f.disability_diagnosed),
        ("long-term (12 months or more, or for life)", f.disability_long_term),
        ("substantial support the family network cannot provide", f.substantial_support_needed)) if not ok]
    if missing:
        return Evaluation(False, "Not for the Disabled Children's Team: not " + ", not ".join(missing) + ".", facts)
    return Evaluation(True, "Diagnosed, long-term disability needing substantial support the family cannot "
                            "provide: assess as a Child in Need.", facts)


def r3_adult_transition(f: ReferralFacts, t: Thresholds) -> Evaluation:
    facts = {"age": _age(f), "likely_care_needs_after_18": f.likely_care_needs_after_18, "has_ehcp": f.has_ehcp,
             "in_education_or_training": f.in_education_or_training,
             "transition_start_age": t.transition_start_age}
    if why := f.undecidable:
        return Evaluation(False, f"Cannot be judged: {why}.", facts)
    if not f.likely_care_needs_after_18:
        return Evaluation(False, "No likely care needs after 18 are reported.", facts)
    if in_band(f, t.transition_start_age, t.transition_child_max_age):
        return Evaluation(True, f"Aged {f.age} with likely care needs after 18: a child's needs assessment "
                                "(Care Act s58).", facts)
    if in_band(f, t.transition_child_max_age + 1, t.transition_ehcp_max_age) and f.has_ehcp \
            and f.in_education_or_training:
        return Evaluation(True, f"Aged {f.age} with an EHCP in education or training and likely care needs.",
                          facts)
    return Evaluation(False, f"Age {_age(f)} is outside the transition bands ({t.transition_start_age}-"
                             f"{t.transition_child_max_age}, or to {t.transition_ehcp_max_age} with an EHCP in "
                             "education or training).", facts)


def r4_youth_offending(f: ReferralFacts, t: Thresholds) -> Evaluation:
    facts = {"age": _age(f), "youth_justice_event": f.youth_justice_event, "open_early_help": f.open_early_help}
    if why := f.undecidable:
        return Evaluation(False, f"Cannot be judged: {why}.", facts)
    if f.youth_justice_event is None:
        return Evaluation(False, "No youth-justice event is reported.", facts)
    if not in_band(f, t.yos_min_age, t.yos_max_age):
        return Evaluation(False, f"Age {_age(f)} is outside {t.yos_min_age}-{t.yos_max_age}: the Youth Offending "
                                 "Service never takes a child under the age of criminal responsibility.", facts)
    told = " The open early help episode's lead practitioner is told as well." if f.open_early_help else ""
    return Evaluation(True, f"Aged {f.age} with a youth-justice event ({f.youth_justice_event}): prevention "
                            f"and diversion.{told}", facts)


def additional_needs(f: ReferralFacts) -> list[str]:
    needs = sorted(f.concerns)
    if f.has_disability:
        needs.append("disability below the Disabled Children's Team threshold")
    if f.youth_justice_event:
        needs.append(f"behaviour ({f.youth_justice_event})")
    if f.likely_care_needs_after_18:
        needs.append("likely care needs after 18")
    return needs


def early_help_band(f: ReferralFacts, t: Thresholds) -> bool:
    return f.unborn or in_band(f, 0, t.early_help_max_age_send if f.has_send else t.early_help_max_age)


def r5_early_help(f: ReferralFacts, t: Thresholds) -> Evaluation:
    needs = additional_needs(f)
    facts = {"age": _age(f), "has_send": f.has_send, "additional_needs": needs, "consent": f.consent}
    if why := f.undecidable:
        return Evaluation(False, f"Cannot be judged: {why}.", facts)
    if not early_help_band(f, t):
        return Evaluation(False, f"Age {_age(f)} is outside Early Help (unborn to {t.early_help_max_age}, "
                                 f"{t.early_help_max_age_send} with SEND).", facts)
    if not needs:
        return Evaluation(False, "No additional needs are reported.", facts)
    if f.consent == "given":
        return Evaluation(True, f"Additional needs ({', '.join(needs)}) with consent given.", facts)
    return Evaluation(True, f"Additional needs ({', '.join(needs)}) but consent is {f.consent.replace('_', ' ')}: "
                            "a MASH practitioner decides how the needs can be met; R1 was checked first.",
                      facts, queue=QueueId.MASH_REVIEW)


def r6_signposting(f: ReferralFacts, t: Thresholds) -> Evaluation:
    facts = {"age": _age(f), "additional_needs": additional_needs(f)}
    if why := f.undecidable:
        return Evaluation(False, f"Cannot be judged: {why}.", facts)
    if early_help_band(f, t) and not additional_needs(f):
        return Evaluation(True, "No additional needs: advice and signposting back to the referrer.", facts)
    return Evaluation(False, "Additional needs are reported or the age is outside every band.", facts)


def r7_not_enough(f: ReferralFacts, t: Thresholds) -> Evaluation:
    facts = {"age": _age(f), "contradictions": list(f.contradictions)}
    if why := f.undecidable or (None if early_help_band(f, t) else f"age {_age(f)} is outside every age band"):
        return Evaluation(True, f"A practitioner must decide: {why}.", facts)
    return Evaluation(False, "The facts are complete and consistent and the age is within a band.", facts)


PREDICATES: dict[str, Callable[[ReferralFacts, Thresholds], Evaluation]] = {
    "R1": r1_statutory, "R2": r2_disabled_children, "R3": r3_adult_transition, "R4": r4_youth_offending,
    "R5": r5_early_help, "R6": r6_signposting, "R7": r7_not_enough,
}
