"""`bench.hops.summary`: per-step times along the path, and the last audit row only for referrals that got
all the way through (one stuck after its first hop must not make the end-to-end figure look fast)."""

from bench.hops import PATH, summary
from bench.load import Sent


def test_steps_and_the_last_audit_row_count_only_referrals_audited_all_along_the_path():
    through, stuck = "r-through", "r-stuck"
    sent = [Sent(scheduled=100.0, status=202, response_seconds=0.01, referral_id=through),
            Sent(scheduled=200.0, status=202, response_seconds=0.01, referral_id=stuck)]
    made = {through: {kind: (100.0 + 0.010 * (i + 1), 100.0 + 0.010 * (i + 1) + 0.004)
                      for i, kind in enumerate(PATH)},
            stuck: {"ReferralReceived": (200.005, 200.007)}}  # audited once, then nothing further happened
    relayed = {(through, kind): 100.0 + 0.010 * (i + 1) + 0.002 for i, kind in enumerate(PATH)}
    relayed[(stuck, "ReferralReceived")] = 200.006

    result = summary(sent, made, relayed)

    assert result["referrals_not_through"] == 1
    assert result["last_audit_row_ms"]["max"] == 44.0  # the through referral's NotificationSent row, 44 ms in
    assert result["steps_ms"]["until ReferralReceived made"]["max"] == 10.0
    assert result["steps_ms"]["relay NotificationSent"]["max"] == 2.0
    assert "until the last audit row" in result["steps_ms"]


def test_each_event_type_is_timed_to_its_audit_row_and_the_last_row_is_named():
    rid = "r-1"
    sent = [Sent(scheduled=100.0, status=202, response_seconds=0.01, referral_id=rid)]
    made = {rid: {"ReferralReceived": (100.004, 100.010), "ReferralIdentified": (100.020, 100.030),
                  "ReferralTriaged": (100.040, 100.050), "ReferralRouted": (100.040, 100.051),
                  "NotificationSent": (100.060, 100.070)}}
    relayed = {(rid, kind): made[rid][kind][0] + 0.002 for kind in PATH}

    result = summary(sent, made, relayed)

    assert list(result["audited_after_request_ms"]) == ["ReferralReceived", "ReferralIdentified", "ReferralTriaged",
                                                        "ReferralRouted", "NotificationSent"]
    assert result["audited_after_request_ms"]["ReferralRouted"]["p50"] == 51.0
    assert result["last_row_is"] == {"NotificationSent": 1}
