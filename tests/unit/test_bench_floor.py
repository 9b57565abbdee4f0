"""The design-floor bench's arithmetic: which step counts as sustained, the ratio, CPU per referral."""

from bench.floor.__main__ import cpu_ms_per_referral, step_figures, summary


def test_a_step_is_sustained_only_when_every_referral_arrived_in_time_and_p99_is_within_a_second():
    fast = [0.02] * 99 + [0.5]
    assert step_figures(100, 100, fast, drained_s=0.1)["sustained"] is True
    assert step_figures(100, 101, fast, drained_s=None)["sustained"] is False  # one never reached audit
    slow = [0.02] * 90 + [1.5] * 10
    figures = step_figures(100, 100, slow, drained_s=0.1)
    assert (figures["sustained"], figures["p50_ms"], figures["p99_ms"]) == (False, 20.0, 1500.0)


def test_the_summary_takes_the_highest_sustained_rate_against_the_raw_chain():
    steps = [step_figures(1, 10, [0.03] * 10, 0.1), step_figures(400, 400, [0.2] * 400, 0.1),
             step_figures(800, 800, [2.0] * 800, 0.5)]
    result = summary(steps, raw_chain=5000.0, client="librdkafka")
    assert result == {"client": "librdkafka", "highest_sustained_per_s": 400, "raw_kafka_chain_msgs_per_s": 5000.0,
                      "floor_vs_raw_kafka_chain": 0.08, "p50_ms_at_1_per_s": 30.0}


def test_cpu_per_referral_is_each_process_and_their_total():
    assert cpu_ms_per_referral({"people": 0.5, "kafka": 0.25}, 100) == {"people": 5.0, "kafka": 2.5, "total": 7.5}
