"""The facts triage decides on, derived from a referral as of the day it was received.

Deriving is total: it never raises. What cannot be known (no date of birth) or does not add up (a date of
birth after the referral) is recorded, so the rules can send the referral to a person instead of guessing.
"""

from dataclasses import dataclass
from datetime import date

from shared.events.referral import ReferralV1


@dataclass(frozen=True)
class ReferralFacts:
    age: int | None
    unborn: bool
    immediate_danger: bool
    significant_harm_suspected: bool
    concerns: frozenset[str]
    has_disability: bool
    disability_diagnosed: bool
    disability_long_term: bool
    substantial_support_needed: bool
    has_ehcp: bool
    in_education_or_training: bool
    likely_care_needs_after_18: bool
    youth_justice_event: str | None
    consent: str
    open_early_help: bool
    open_to_social_care: bool
    child_protection_plan: bool
    looked_after: bool
    contradictions: tuple[str, ...]
    open_youth_justice: bool = False
    consent_given_by: str | None = None
    age_at_youth_justice_event: int | None = None
    days_since_youth_justice_event: int | None = None

    @property
    def undecidable(self) -> str | None:
        """Why the service rules cannot be applied safely, or None when they can."""
        if self.contradictions:
            return "the referral's facts contradict each other: " + "; ".join(self.contradictions)
        if self.age is None and not self.unborn:
            return "the child's age is unknown (no date of birth and not unborn)"
        return None

    @property
    def has_send(self) -> bool:
        return self.has_ehcp or self.has_disability


def age_on(born: date, day: date) -> int:
    """Whole years completed on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _contradictions(r: ReferralV1, received_on: date) -> tuple[str, ...]:
    found = []
    dob = r.child.date_of_birth
    if dob and dob > received_on:
        found.append("the date of birth is after the day the referral was received")
    d = r.disability
    if d and not d.has_disability and (d.types or d.diagnosed or d.substantial_support_needed):
        found.append("disability details are given but has_disability is false")
    yj = r.youth_justice
    if yj and yj.event_date and ((dob and yj.event_date < dob) or yj.event_date > received_on):
        found.append("the youth-justice event date is before birth or after the referral")
    if r.child.unborn and yj:
        found.append("a youth-justice event is recorded for an unborn child")
    return tuple(found)


def facts_from_referral(r: ReferralV1, received_on: date) -> ReferralFacts:
    dob = r.child.date_of_birth
    d, send, known = r.disability, r.send, r.known_to_services
    return ReferralFacts(
        age=age_on(dob, received_on) if dob and dob <= received_on else None,
        unborn=r.child.unborn,
        immediate_danger=r.immediate_danger,
        significant_harm_suspected=r.significant_harm_suspected,
        concerns=frozenset(c.value for c in r.concerns),
        has_disability=bool(d and d.has_disability),
        disability_diagnosed=bool(d and d.diagnosed),
        disability_long_term=bool(d and d.long_term),
        substantial_support_needed=bool(d and d.substantial_support_needed),
        has_ehcp=bool(send and send.has_ehcp),
        in_education_or_training=bool(send and send.in_education_or_training),
        likely_care_needs_after_18=r.likely_care_needs_after_18,
        youth_justice_event=r.youth_justice.event if r.youth_justice else None,
        consent=r.consent.status,
        open_early_help=known.open_early_help,
        open_to_social_care=known.open_to_social_care,
        child_protection_plan=known.child_protection_plan,
        looked_after=known.looked_after,
        contradictions=_contradictions(r, received_on),
        open_youth_justice=known.open_youth_justice,
        consent_given_by=r.consent.given_by if r.consent.status == "given" else None,
        age_at_youth_justice_event=_age_at_event(r),
        days_since_youth_justice_event=(received_on - r.youth_justice.event_date).days
        if r.youth_justice and r.youth_justice.event_date else None,
    )


def _age_at_event(r: ReferralV1) -> int | None:
    """The child's age on the day of the youth-justice event: what the age of criminal responsibility is
    measured against (CYPA 1933 s50), not the age on the day of the referral."""
    yj, dob = r.youth_justice, r.child.date_of_birth
    if not (yj and yj.event_date and dob) or yj.event_date < dob:
        return None
    return age_on(dob, yj.event_date)
