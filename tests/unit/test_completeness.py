"""The completeness check's rule: which steps a referral is still owed, in order."""

from tools.completeness import missing_steps


def test_a_complete_referral_owes_nothing():
    assert missing_steps(decided=True, routed=True, notified=True, audited={
        "ReferralReceived", "ReferralTriaged", "ReferralRouted", "NotificationSent"}) == ()


def test_a_referral_triaged_but_never_notified_says_so():
    """The issue's loss: red referrals triaged, never notified; `audit verify` said OK and reconcile saw nothing."""
    assert missing_steps(decided=True, routed=True, notified=False, audited={
        "ReferralReceived", "ReferralTriaged", "ReferralRouted"}) == ("notification", "audit:NotificationSent")


def test_a_referral_never_triaged_owes_every_later_step():
    assert missing_steps(decided=False, routed=False, notified=False, audited={"ReferralReceived"}) == (
        "decision", "route", "notification", "audit:ReferralTriaged", "audit:ReferralRouted", "audit:NotificationSent")
