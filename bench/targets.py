"""The performance issue's targets judged on one run's figures, and what reaching 1,000 referrals/s would take.

Capacity is read off the CPU each process spent per referral in the busiest step that lost nothing (the most
load measured, where idle polling weighs least and polls carry the most records each): at R referrals/s a
process needs R x (CPU seconds per referral) cores, and a service scales out by processes in its consumer groups
(`tests/faults/test_scale_out.py`), each kept under CORE_SHARE of a core so bursts have room. CPU per referral
falls as load grows (fixed costs shared, bigger batches), so the figure is an upper bound.
"""

import math
from typing import Any

TARGET_RATE = 1000
CORE_SHARE = 0.7


def _step_at(result: dict, rate: float | None) -> dict | None:
    """The step offered at `rate`, or else the lowest one offered above it (a target met above the rate is met
    at it; one below would flatter)."""
    if rate is None:
        return None
    above = [s for s in result["steps"] if s["rate"] >= rate]
    return min(above, key=lambda s: s["rate"], default=None)


def judged(result: dict) -> list[dict[str, Any]]:
    best = result["highest_sustainable_rate"]
    half, one = _step_at(result, best / 2 if best else None), _step_at(result, 1)
    one = one if one and one["rate"] == 1 else None
    ratios, overload = result["ratios"], result.get("overload")
    same_rows = ratios.get("audit_catch_up_vs_copy_of_its_rows")  # not the short-row baseline: see copy_of_log_rows
    return [
        {"target": f"sustained >= {TARGET_RATE}/s", "measured": best, "met": (best or 0) >= TARGET_RATE},
        {"target": "system >= 0.4x the raw Kafka chain", "measured": ratios["system_vs_raw_kafka_chain"],
         "met": ratios["system_vs_raw_kafka_chain"] >= 0.4},
        {"target": "p99 <= 250 ms at half the sustained rate",
         "measured": f"{half['p99_ms']:.0f} ms at {half['rate']:g}/s" if half and half["p99_ms"] else None,
         "met": bool(half and half["p99_ms"] and half["p99_ms"] <= 250) if half else None},
        {"target": "p50 <= 30 ms at 1/s", "measured": f"{one['p50_ms']:.0f} ms" if one and one["p50_ms"] else None,
         "met": bool(one and one["p50_ms"] and one["p50_ms"] <= 30) if one else None},
        {"target": "audit append >= 0.5x raw COPY of the same rows", "measured": same_rows,
         "met": (same_rows or 0) >= 0.5 if same_rows is not None else None},
        {"target": "overload at 1.5x: sheds with 429, loses nothing, drains",
         "measured": _overload(overload) if overload else None,
         "met": (overload["passed"] or None if overload["lost"] == 0 and overload["drained"] else False)
         if overload else None},
    ]


def _overload(overload: dict) -> str:
    said = f"shed {overload['shed']}, lost {overload['lost']}, drained: {overload['drained']}"
    if overload["shed"] == 0 and overload["lost"] == 0:
        said += " (the system kept up at this rate: nothing to shed, so shedding is not shown by this run)"
    return said


def busiest(steps: list[dict]) -> dict | None:
    """The step with the most referrals a second in which every accepted referral completed."""
    lossless = [s for s in steps if s["completed"] == s["accepted"] > 0]
    return max(lossless, key=lambda s: s["accepted_per_second"], default=None)


def capacity(step: dict) -> dict[str, dict[str, float]]:
    """Per process: cores at TARGET_RATE, and for a service the processes that would carry it."""
    found = {}
    for name, ms in step.get("cpu_ms_per_referral", {}).items():
        cores = ms * TARGET_RATE / 1000
        found[name] = {"cpu_ms_per_referral": ms, "cores": round(cores, 1),
                       "processes": math.ceil(cores / CORE_SHARE) if name not in ("kafka", "postgres") else None}
    return found


def lines(result: dict) -> list[str]:
    shown = ["", "targets:"]
    for t in result["targets"]:
        verdict = "met" if t["met"] else ("NOT met" if t["met"] is not None else "not measured")
        shown.append(f"  {t['target']}: {t['measured']} -> {verdict}")
    if cap := result.get("capacity"):
        total = sum(c["cores"] for c in cap.values())
        shown.append(f"at {TARGET_RATE}/s, from CPU per referral at {result['capacity_from_rate']:g}/s "
                     f"(upper bound): {total:.0f} cores in all")
        shown += [f"  {name}: {c['cpu_ms_per_referral']} ms/referral -> {c['cores']} cores"
                  + (f", {c['processes']} processes" if c["processes"] else "") for name, c in cap.items()]
    return shown
