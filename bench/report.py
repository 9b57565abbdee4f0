"""The bench's verdicts and outputs: which step was sustainable, the ratios, the table and the plot."""

from dataclasses import dataclass, field
from pathlib import Path

from bench import targets

EXPECTED = {"ReferralReceived": 1, "ReferralIdentified": 1, "ReferralTriaged": 1, "ReferralRouted": 1,
            "NotificationSent": 1}


@dataclass
class Step:
    rate: float
    sent: int
    accepted: int
    rejected: int
    accepted_per_second: float
    p50_ms: float | None
    p99_ms: float | None
    p999_ms: float | None
    intake_p99_ms: float | None
    completed: int
    lag_at_end: int
    lag_after_drain: int
    cpu_seconds_per_referral: float | None
    cpu_ms_per_referral: dict[str, float] = field(default_factory=dict)
    peak_rss_mib: dict[str, float] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    drain_seconds: float | None = None
    lag_zero_seconds: float | None = None  # from the end of sending until every consumer group's lag was zero


def sustainable(step: Step) -> bool:
    """Every accepted referral completed, the backlog drained, p99 within a second, nothing shed."""
    return (step.completed == step.accepted > 0 and step.lag_after_drain == 0 and step.rejected == 0
            and (step.p99_ms or 1e9) <= 1000)


def overload_verdict(step: Step) -> dict:
    """Overload passes when intake shed load (429/503), every referral it did accept completed, and every
    consumer's lag came back to zero within the drain timeout (those off the audited path, such as casework and
    people's history, may finish a few seconds after the last referral is audited)."""
    shed = step.statuses.get("429", 0) + step.statuses.get("503", 0)
    drained = step.lag_after_drain == 0 or step.lag_zero_seconds is not None
    return {"shed": shed, "lost": step.accepted - step.completed, "drained": drained,
            "passed": shed > 0 and step.completed == step.accepted and drained}


def summarise(base: dict, steps: list[Step], intake_rps: float, check: dict, overload: Step | None = None,
              profile: dict | None = None, audit_catch_up: dict | None = None) -> dict:
    best = max((s for s in steps if sustainable(s)), key=lambda s: s.accepted_per_second, default=None)
    system_rps = best.accepted_per_second if best else 0.0
    audit_rows = system_rps * sum(EXPECTED.values())
    result = {
        "baselines": base,
        "steps": [s.__dict__ for s in steps],
        "highest_sustainable_rate": best.rate if best else None,
        "intake_closed_loop_req_per_s": round(intake_rps, 1),
        "ratios": {
            "system_vs_raw_kafka_chain": round(system_rps / base["kafka_chain_msgs_per_s"], 4),
            "audit_rows_vs_raw_copy": round(audit_rows / base["postgres_copy_rows_per_s"], 4),
            "intake_vs_bare_asgi": round(intake_rps / base["bare_asgi_req_per_s"], 4),
        },
        "correctness": check,
        "passed": check["exactly_once"] and check["audit_chain_verified"],
    }
    if overload is not None:
        result["overload"] = {"step": overload.__dict__, **overload_verdict(overload)}
        result["passed"] = result["passed"] and result["overload"]["lost"] == 0
    if profile is not None:
        result["profile"] = profile
    if audit_catch_up and audit_catch_up.get("rows_per_s"):
        result["audit_catch_up"] = audit_catch_up
        result["ratios"]["audit_catch_up_vs_raw_copy"] = round(
            audit_catch_up["rows_per_s"] / base["postgres_copy_rows_per_s"], 4)
        if same_rows := audit_catch_up.get("raw_copy_of_these_rows_per_s"):
            result["ratios"]["audit_catch_up_vs_copy_of_its_rows"] = round(audit_catch_up["rows_per_s"] / same_rows, 4)
    result["targets"] = targets.judged(result)
    if busiest := targets.busiest([s.__dict__ for s in steps] + ([overload.__dict__] if overload else [])):
        result["capacity"], result["capacity_from_rate"] = targets.capacity(busiest), busiest["rate"]
    return result


def table(result: dict) -> str:
    lines = ["rate/s  accepted/s  p50 ms  p99 ms  p99.9 ms  intake p99  lag end/drained  cpu s/ref  peak RSS MiB"]
    for s in result["steps"]:
        lines.append(_row(s))
    b, r = result["baselines"], result["ratios"]
    lines += ["", f"baselines: raw Kafka chain {b['kafka_chain_msgs_per_s']}/s, "
              f"raw COPY {b['postgres_copy_rows_per_s']} "
                  f"rows/s, bare ASGI {b['bare_asgi_req_per_s']} req/s; intake closed loop "
                  f"{result['intake_closed_loop_req_per_s']} req/s",
              f"highest sustainable rate: {result['highest_sustainable_rate']}/s",
              f"ratios: system/raw Kafka {r['system_vs_raw_kafka_chain']}, audit rows/raw COPY "
              f"{r['audit_rows_vs_raw_copy']}, intake/bare ASGI {r['intake_vs_bare_asgi']}"]
    if catch_up := result.get("audit_catch_up"):
        lines.append(f"audit alone, catching up a backlog: {catch_up['rows']} rows in {catch_up['seconds']} s = "
                     f"{catch_up['rows_per_s']} rows/s (x{r['audit_catch_up_vs_raw_copy']} raw COPY of short rows "
                     f"into a temporary table; x{r.get('audit_catch_up_vs_copy_of_its_rows')} raw COPY of the same "
                     f"rows into a table like audit.log, {catch_up.get('raw_copy_of_these_rows_per_s')} rows/s)")
        if cpu := catch_up.get("cpu_us_per_row"):
            busy = catch_up["cores_busy"]
            lines.append("  CPU while catching up: " + ", ".join(
                f"{name} {us} us/row ({busy[name]} of a core)" for name, us in cpu.items()))
    if over := result.get("overload"):
        s = over["step"]
        lines += ["", f"overload at {s['rate']:g}/s for {s['sent'] / s['rate']:.0f} s: {_row(s)}",
                  f"  responses {s['statuses']}; accepted {s['accepted']}, completed {s['completed']}, lost "
                  f"{over['lost']}, every referral audited {s['drain_seconds']} s and every consumer's lag zero "
                  f"{s.get('lag_zero_seconds')} s after sending ended -> {_overload_word(over)}"]
    for name, prof in result.get("profile", {}).items():
        if "error" in prof:
            lines.append(f"profile {name}: {prof['error']}")
            continue
        lines.append(f"profile {name} (self %): " + "; ".join(f"{f} {p}" for f, p in prof["self"][:5]))
        lines.append(f"profile {name} (inclusive %): " + "; ".join(f"{f} {p}" for f, p in prof["inclusive"][:5]))
    if floor := result.get("design_floor"):
        lines += floor_lines(floor, result["highest_sustainable_rate"])
    lines += targets.lines(result)
    c = result["correctness"]
    lines.append(f"correctness: {c['referrals']} referrals, exactly once: {c['exactly_once']}, audit chain "
                 f"verified: {c['audit_chain_verified']} -> {'PASSED' if result['passed'] else 'FAILED'}")
    return "\n".join(lines)


def floor_lines(floor: dict, system_rate: float | None) -> list[str]:
    """The design's own floor beside the system: what any implementation of the path could reach here."""
    shown = ["", f"design floor (DESIGN.md's path, no product code; bench/floor on {floor['client']}):"]
    shown += [f"  {s['rate']:>6g}/s  p50 {_ms(s['p50_ms'])}  p99 {_ms(s['p99_ms'])}  cpu ms/ref "
              f"{s['cpu_ms_per_referral']['total']:g}  {'sustained' if s['sustained'] else 'NOT sustained'}"
              for s in floor["steps"]]
    best = floor["highest_sustained_per_s"]
    share = f"{100 * (system_rate or 0) / best:.0f}%" if best else "-"
    shown.append(f"  floor: sustained {best:g}/s ({floor['floor_vs_raw_kafka_chain']}x its raw Kafka chain), p50 at "
                 f"1/s {floor['p50_ms_at_1_per_s']} ms; the system sustains {share} of the floor's rate")
    return shown


def _row(s: dict) -> str:
    rss = " ".join(f"{k}={v:g}" for k, v in s["peak_rss_mib"].items())
    return (f"{s['rate']:>6g}  {s['accepted_per_second']:>10.1f}  {_ms(s['p50_ms'])}  {_ms(s['p99_ms'])}  "
            f"{_ms(s['p999_ms']):>8}  {_ms(s['intake_p99_ms']):>10}  {s['lag_at_end']:>7}/{s['lag_after_drain']:<7}"
            f"  {s['cpu_seconds_per_referral'] or 0:>9.4f}  {rss}")


def _overload_word(over: dict) -> str:
    if over["passed"]:
        return "PASSED"
    kept_up = over["shed"] == 0 and over["lost"] == 0 and over["drained"]
    return "KEPT UP (nothing to shed at this rate: shedding not shown)" if kept_up else "FAILED"


def _ms(value) -> str:
    return f"{value:>6.0f}" if value is not None else "     -"


def plot(result: dict, path: Path) -> Path:
    """Latency (p50, p99, p99.9; log scale) against offered rate, one point per step."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    steps = [s for s in result["steps"] if s["p50_ms"] is not None]
    figure, axes = pyplot.subplots(figsize=(7, 4.5))
    for key, label in (("p50_ms", "p50"), ("p99_ms", "p99"), ("p999_ms", "p99.9")):
        axes.plot([s["rate"] for s in steps], [s[key] for s in steps], marker="o", label=label)
    axes.axhline(250, color="grey", linestyle="--", linewidth=0.8, label="p99 target 250 ms")
    axes.set(xlabel="offered referrals per second", ylabel="POST -> audited (ms)", yscale="log",
             title="Front Door end-to-end latency against arrival rate")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    pyplot.close(figure)
    return path
