"""Hypothesis strategies for v1 referral bodies, valid by the contract but otherwise anything."""

from datetime import date, timedelta

from hypothesis import strategies as st

from shared.events.codes import CONCERN_CIN_FACTORS, ReferralSource

RECEIVED = date(2026, 11, 20)
DISABILITY_TYPES = ["learning", "physical", "hearing", "vision", "autism", "communication", "complex_health",
                    "life_limiting", "behaviour", "other"]
YJ_EVENTS = ["arrest", "voluntary_interview", "community_resolution", "youth_caution", "youth_conditional_caution",
             "charge", "court_order", "antisocial_behaviour"]

child_age = st.one_of(
    st.just(None),
    st.just("unborn"),
    st.dates(min_value=date(1990, 1, 1), max_value=RECEIVED + timedelta(days=30)),  # includes future: contradictory
)


@st.composite
def referral_bodies(draw) -> dict:
    when = draw(child_age)
    child: dict = {"sex": draw(st.sampled_from(["male", "female", "unknown"]))}
    if when == "unborn":
        child |= {"unborn": True, "expected_due_date": str(RECEIVED + timedelta(days=draw(st.integers(1, 280))))}
    elif when is not None:
        child["date_of_birth"] = str(when)
    body = {
        "referrer": {"source": draw(st.sampled_from([s.value for s in ReferralSource])), "is_professional": True},
        "child": child,
        "concern_summary": "generated",
        "immediate_danger": draw(st.booleans()),
        "significant_harm_suspected": draw(st.booleans()),
        "concerns": draw(st.lists(st.sampled_from(sorted(CONCERN_CIN_FACTORS)), max_size=5, unique=True)),
        "likely_care_needs_after_18": draw(st.booleans()),
        "consent": draw(st.sampled_from([{"status": "given", "given_by": "parent"}, {"status": "refused"},
                                         {"status": "not_sought"}])),
        "known_to_services": {"open_early_help": draw(st.booleans()), "open_to_social_care": draw(st.booleans())},
    }
    if draw(st.booleans()):
        body["disability"] = {"has_disability": draw(st.booleans()),
                              "types": draw(st.lists(st.sampled_from(DISABILITY_TYPES), max_size=2)),
                              "diagnosed": draw(st.booleans()), "long_term": draw(st.booleans()),
                              "substantial_support_needed": draw(st.booleans())}
    if draw(st.booleans()):
        body["send"] = {"has_ehcp": draw(st.booleans()), "in_education_or_training": draw(st.booleans())}
    if draw(st.booleans()):
        body["youth_justice"] = {"event": draw(st.sampled_from(YJ_EVENTS))}
    return body


@st.composite
def wider_referral_bodies(draw) -> dict:
    """`referral_bodies` plus everything rule set 2027.1 reads: who gave consent, every known-to-services
    flag, and youth-justice event dates (before birth, before the 10th birthday, in and out of the window)."""
    body = draw(referral_bodies())
    body["consent"] = draw(st.sampled_from([
        {"status": "given", "given_by": "parent"}, {"status": "given", "given_by": "young_person"},
        {"status": "given", "given_by": "both"}, {"status": "refused"}, {"status": "not_sought"}]))
    body["known_to_services"] |= {"child_protection_plan": draw(st.booleans()), "looked_after": draw(st.booleans()),
                                  "open_youth_justice": draw(st.booleans())}
    if body.get("youth_justice") and draw(st.booleans()):
        body["youth_justice"]["event_date"] = str(RECEIVED - timedelta(days=draw(st.integers(0, 3_000))))
    return body
