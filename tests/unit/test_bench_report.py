"""The bench's arithmetic: percentiles and what counts as a sustainable step (no timing here)."""

from bench.load import percentile
from bench.observe import discrepancies
from bench.profile import top_frames
from bench.report import Step, overload_verdict, summarise, sustainable, table
from bench.runner import step_seconds


def step(**kw) -> Step:
    return Step(**({"rate": 10, "sent": 100, "accepted": 100, "rejected": 0, "accepted_per_second": 10,
                    "p50_ms": 50, "p99_ms": 200, "p999_ms": 300, "intake_p99_ms": 20, "completed": 100,
                    "lag_at_end": 3, "lag_after_drain": 0, "cpu_seconds_per_referral": 0.05} | kw))


def test_percentiles_use_the_nearest_rank():
    values = list(range(1, 101))
    assert (percentile(values, 50), percentile(values, 99), percentile(values, 100)) == (51, 99, 100)
    assert percentile([], 50) is None


def test_a_step_is_sustainable_only_if_everything_completed_drained_and_p99_held():
    assert sustainable(step())
    assert not sustainable(step(completed=99))
    assert not sustainable(step(lag_after_drain=5))
    assert not sustainable(step(p99_ms=1500))
    assert not sustainable(step(rejected=1))


def test_overload_passes_only_if_intake_shed_and_nothing_accepted_was_lost():
    shed = step(statuses={"202": 100, "429": 40}, rejected=40)
    assert overload_verdict(shed) == {"shed": 40, "lost": 0, "drained": True, "passed": True}
    assert not overload_verdict(step(statuses={"202": 100}))["passed"]  # nothing shed: the backlog was unbounded
    assert overload_verdict(step(statuses={"202": 100, "503": 5}, completed=99))["lost"] == 1


def test_overload_drains_when_every_consumers_lag_comes_back_to_zero_even_after_the_audited_path():
    late = step(statuses={"202": 100, "429": 40}, rejected=40, lag_after_drain=3869, lag_zero_seconds=6.5)
    assert overload_verdict(late) == {"shed": 40, "lost": 0, "drained": True, "passed": True}
    never = step(statuses={"202": 100, "429": 40}, rejected=40, lag_after_drain=3869, lag_zero_seconds=None)
    assert overload_verdict(never) == {"shed": 40, "lost": 0, "drained": False, "passed": False}
    assert not sustainable(late)  # a step's own verdict still asks for no lag just after the audited path


def test_profile_counts_self_and_inclusive_time_and_leaves_out_the_idle_selector():
    root = "main (services/cli.py:1);run (asyncio/base_events.py:600)"  # py-spy's paths, relative to sys.path
    handle = "handle (services/triage/application/triage.py:10)"
    lines = [f"{root};{handle};compile (sqlalchemy/sql.py:5) 30", f"{root};{handle} 10",
             f"{root};EpollSelector.select (selectors.py:468) 60"]
    result = top_frames(lines, top=3)
    assert result["busy_samples"] == 40
    assert result["self"] == [("compile (sql.py)", 75.0), ("handle (triage.py)", 25.0)]
    assert result["inclusive"] == [("handle (triage.py)", 100.0)]  # ours only, entry point left out


def test_summary_picks_the_best_sustainable_step_and_fails_on_any_loss():
    base = {"kafka_chain_msgs_per_s": 1000.0, "postgres_copy_rows_per_s": 10000.0, "bare_asgi_req_per_s": 500.0}
    good = {"exactly_once": True, "audit_chain_verified": True, "referrals": 200}
    result = summarise(base, [step(), step(rate=50, accepted_per_second=50, completed=90)], 100.0, good)
    assert result["highest_sustainable_rate"] == 10 and result["passed"]
    assert result["ratios"] == {"system_vs_raw_kafka_chain": 0.01, "audit_rows_vs_raw_copy": 0.005,  # 5 rows a referral
                                "intake_vs_bare_asgi": 0.2}
    assert not summarise(base, [step()], 100.0, good | {"exactly_once": False})["passed"]
    caught_up = summarise(base, [step()], 100.0, good, audit_catch_up={"rows": 800, "seconds": 0.4,
                                                                       "rows_per_s": 2000.0})
    assert caught_up["ratios"]["audit_catch_up_vs_raw_copy"] == 0.2


def test_each_target_is_judged_on_its_own_step_and_capacity_scales_cpu_per_referral_to_1000_a_second():
    base = {"kafka_chain_msgs_per_s": 100.0, "postgres_copy_rows_per_s": 10000.0, "bare_asgi_req_per_s": 500.0}
    good = {"exactly_once": True, "audit_chain_verified": True, "referrals": 200}
    steps = [step(rate=1, accepted_per_second=1, p50_ms=25, p99_ms=90),
             step(rate=25, accepted_per_second=25, p99_ms=240),
             step(rate=50, accepted_per_second=50, p99_ms=700,
                  cpu_ms_per_referral={"people": 2.0, "audit": 0.5, "kafka": 3.0})]
    result = summarise(base, steps, 100.0, good, audit_catch_up={"rows": 800, "seconds": 0.1, "rows_per_s": 8000.0,
                                                                 "raw_copy_of_these_rows_per_s": 20000.0})
    verdicts = {t["target"]: (t["measured"], t["met"]) for t in result["targets"]}
    assert verdicts["sustained >= 1000/s"] == (50, False)
    assert verdicts["system >= 0.4x the raw Kafka chain"] == (0.5, True)
    assert verdicts["p99 <= 250 ms at half the sustained rate"] == ("240 ms at 25/s", True)
    assert verdicts["p50 <= 30 ms at 1/s"] == ("25 ms", True)
    # judged against COPY of the rows audit wrote (0.4), not the short-row baseline (0.8)
    assert verdicts["audit append >= 0.5x raw COPY of the same rows"] == (0.4, False)
    assert result["ratios"]["audit_catch_up_vs_raw_copy"] == 0.8
    assert verdicts["overload at 1.5x: sheds with 429, loses nothing, drains"] == (None, None)  # not run
    assert result["capacity"] == {  # 1000/s x 2 ms = 2 cores = 3 processes at 0.7 of a core
        "people": {"cpu_ms_per_referral": 2.0, "cores": 2.0, "processes": 3},
        "audit": {"cpu_ms_per_referral": 0.5, "cores": 0.5, "processes": 1},
        "kafka": {"cpu_ms_per_referral": 3.0, "cores": 3.0, "processes": None}}
    slow = summarise(base, [step(rate=10, p50_ms=45)], 100.0, good)
    assert {t["target"]: t["met"] for t in slow["targets"]}["p50 <= 30 ms at 1/s"] is None  # no 1/s step
    assert {t["target"]: t["met"] for t in slow["targets"]}["audit append >= 0.5x raw COPY of the same rows"] is None


def test_an_overload_the_system_kept_up_with_is_not_a_pass_for_shedding_and_capacity_uses_the_busiest_lossless_step():
    base = {"kafka_chain_msgs_per_s": 100.0, "postgres_copy_rows_per_s": 10000.0, "bare_asgi_req_per_s": 500.0}
    good = {"exactly_once": True, "audit_chain_verified": True, "referrals": 200}
    kept_up = step(rate=15, accepted_per_second=15, statuses={"202": 100}, cpu_ms_per_referral={"triage": 7.0})
    result = summarise(base, [step(cpu_ms_per_referral={"triage": 20.0}),
                              step(rate=25, accepted_per_second=25, completed=90)], 100.0, good, overload=kept_up)
    verdict = {t["target"]: t for t in result["targets"]}["overload at 1.5x: sheds with 429, loses nothing, drains"]
    assert verdict["met"] is None and "kept up" in verdict["measured"]
    assert result["capacity_from_rate"] == 15 and result["capacity"]["triage"]["cores"] == 7.0  # 25/s lost some
    lost = summarise(base, [step()], 100.0, good, overload=step(rate=15, completed=90, statuses={"202": 100}))
    assert {t["target"]: t["met"] for t in lost["targets"]}["overload at 1.5x: sheds with 429, loses nothing, drains"] \
        is False


def test_without_a_step_at_half_the_sustained_rate_the_next_one_above_is_judged_not_one_below():
    base = {"kafka_chain_msgs_per_s": 100.0, "postgres_copy_rows_per_s": 10000.0, "bare_asgi_req_per_s": 500.0}
    good = {"exactly_once": True, "audit_chain_verified": True, "referrals": 200}
    result = summarise(base, [step(rate=1, accepted_per_second=1, p99_ms=90), step(rate=10, p99_ms=300)], 100.0,
                       good, overload=step(rate=15, statuses={"202": 100}))
    verdict = {t["target"]: t for t in result["targets"]}["p99 <= 250 ms at half the sustained rate"]
    assert (verdict["measured"], verdict["met"]) == ("300 ms at 10/s", False)  # 1/s's 90 ms would flatter
    assert "KEPT UP (nothing to shed at this rate: shedding not shown)" in table(result)


def audited(rid: str, routed: int = 1, sent: int = 1, parallel: int | None = 0, **extra: int) -> list[dict]:
    counts = {"ReferralReceived": 1, "ReferralIdentified": 1, "ReferralTriaged": 1, "ReferralRouted": routed,
              "NotificationSent": sent, **extra}
    return [{"rid": rid, "event_type": t, "n": n, "parallel": parallel if t == "ReferralTriaged" else None}
            for t, n in counts.items() if n]


def test_a_referral_is_complete_when_each_route_and_each_recorded_notification_is_audited_once():
    rows = audited("routine") + audited("third-in-a-year", routed=2, sent=3, parallel=1)
    assert discrepancies(["routine", "third-in-a-year"], rows, {"routine": 1, "third-in-a-year": 3}) == []


def test_anything_missing_or_audited_twice_is_listed_with_what_was_due():
    rows = (audited("sent-twice", sent=2) + audited("no-parallel-route", parallel=1)
            + audited("never-notified", sent=0) + audited("identified-twice", ReferralIdentified=2))
    wrong = discrepancies(["sent-twice", "no-parallel-route", "never-notified", "identified-twice", "lost"], rows,
                          {"sent-twice": 1, "no-parallel-route": 1, "identified-twice": 1})
    assert [w["referral_id"] for w in wrong] == ["sent-twice", "no-parallel-route", "never-notified",
                                                  "identified-twice", "lost"]
    assert wrong[1]["due"]["ReferralRouted"] == 2 and wrong[2]["due"]["NotificationSent"] == 1
    assert wrong[4]["audited"] == {}


def test_the_lag_the_bench_waits_out_is_every_services_consumer_group():
    """A group missing here would let a step count as drained while that service still had work waiting."""
    from bench.observe import GROUPS
    from bench.runner import SERVICES

    assert set(GROUPS) == {f"frontdoor-{service}" for service in SERVICES}


def test_the_design_floor_is_shown_beside_the_system_with_the_share_of_its_rate_the_system_sustains():
    from bench.floor.__main__ import step_figures, summary
    from bench.report import floor_lines

    floor = {"steps": [step_figures(1, 10, [0.03] * 10, 0.1), step_figures(400, 400, [0.2] * 400, 0.1)]}
    for s in floor["steps"]:
        s["cpu_ms_per_referral"] = {"total": 4.5}
    floor.update(summary(floor["steps"], raw_chain=5000.0, client="aiokafka"))
    shown = "\n".join(floor_lines(floor, system_rate=50))
    assert "sustained 400/s (0.08x its raw Kafka chain), p50 at 1/s 30.0 ms" in shown
    assert "the system sustains 12% of the floor's rate" in shown


def test_the_catch_up_line_says_where_the_cpu_went():
    base = {"kafka_chain_msgs_per_s": 100.0, "postgres_copy_rows_per_s": 10000.0, "bare_asgi_req_per_s": 500.0}
    good = {"exactly_once": True, "audit_chain_verified": True, "referrals": 200}
    catch_up = {"rows": 15000, "seconds": 2.0, "rows_per_s": 7500.0, "raw_copy_of_these_rows_per_s": 30000.0,
                "cpu_us_per_row": {"audit": 98.5, "postgres": 31.0}, "cores_busy": {"audit": 0.74, "postgres": 0.23}}
    shown = table(summarise(base, [step()], 100.0, good, audit_catch_up=catch_up))
    assert "15000 rows in 2.0 s = 7500.0 rows/s" in shown
    assert "x0.25 raw COPY of the same rows" in shown
    assert "CPU while catching up: audit 98.5 us/row (0.74 of a core), postgres 31.0 us/row (0.23 of a core)" in shown
    without = table(summarise(base, [step()], 100.0, good, audit_catch_up={k: catch_up[k] for k in list(catch_up)[:4]}))
    assert "CPU while catching up" not in without


def test_a_slow_step_runs_long_enough_for_sixty_referrals():
    assert step_seconds(1, 15) == 60
    assert step_seconds(0.5, 15) == 120
    assert step_seconds(10, 15) == 15
