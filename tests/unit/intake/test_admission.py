"""At capacity, non-urgent referrals are asked to retry; urgent ones are always taken (domain/admission.py)."""

import pytest

from shared.events.referral import ReferralV1
from services.intake.domain.admission import Admission, must_wait
from tests.support.referrals import referral_body

LIMIT = Admission(max_backlog=100, retry_after_seconds=5)


def referral(**overrides) -> ReferralV1:
    return ReferralV1.model_validate(referral_body(**overrides))


@pytest.mark.parametrize("backlog, waits", [(0, False), (99, False), (100, True), (10_000, True)])
def test_a_routine_referral_waits_only_once_the_backlog_reaches_the_limit(backlog, waits):
    assert must_wait(referral(), backlog, LIMIT) is waits


@pytest.mark.parametrize("urgent", [{"immediate_danger": True}, {"significant_harm_suspected": True,
                                                                 "concerns": ["physical_abuse"]}])
def test_a_referral_reporting_danger_or_significant_harm_is_never_asked_to_wait(urgent):
    assert must_wait(referral(**urgent), 10_000, LIMIT) is False
