"""`make bench-floor` (`python -m bench.floor`): the design's own floor, stepped through rates like `make bench`.

Prints, per rate, p50/p99 from the scheduled send to the last audit row (the `notify` hop's event recorded by
audit), whether every referral arrived and drained, and the skeleton's highest sustained rate against the raw
Kafka chain measured in the same run: the best any implementation of DESIGN.md's path could show here.
"""

import asyncio
import json
import time
import uuid
from pathlib import Path

import asyncpg
import typer

from bench.baselines import kafka_chain, new_topics
from bench.floor.clients import CLIENTS
from bench.floor.skeleton import MIDDLE, Floor, schema, start_processes
from bench.load import percentile
from bench.observe import ProcessMeter, ms_per_referral
from bench.runner import BODY, MIN_REFERRALS_A_STEP, infrastructure, step_seconds
from bench.stack import bench_database
from tools.localinfra.stack import Endpoints

app = typer.Typer(add_completion=False, pretty_exceptions_show_locals=False)
SUSTAINED_P99_S = 1.0  # as `make bench`: p99 within a second, everything through, nothing left behind


def step_figures(rate: float, sent: int, latencies: list[float], drained_s: float | None) -> dict:
    """One rate's figures; `drained_s` None when not every referral reached audit in time."""
    p99 = percentile(latencies, 99)
    return {"rate": rate, "sent": sent, "through": len(latencies), "drained_s": drained_s,
            "p50_ms": _ms(percentile(latencies, 50)), "p99_ms": _ms(p99),
            "sustained": drained_s is not None and len(latencies) == sent and p99 is not None
            and p99 <= SUSTAINED_P99_S}


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def summary(steps: list[dict], raw_chain: float, client: str) -> dict:
    """The highest sustained rate (steps stop at the first that is not) and its ratio to the raw chain."""
    best = max((s["rate"] for s in steps if s["sustained"]), default=0.0)
    at_one = next((s for s in steps if s["rate"] == 1), None)
    return {"client": client, "highest_sustained_per_s": best, "raw_kafka_chain_msgs_per_s": round(raw_chain, 1),
            "floor_vs_raw_kafka_chain": round(best / raw_chain, 4) if raw_chain else None,
            "p50_ms_at_1_per_s": at_one["p50_ms"] if at_one else None}


async def audited(conn: asyncpg.Connection, floor: Floor, step: int) -> list[float]:
    rows = await conn.fetch("SELECT recorded_at - sent_at AS took FROM audit.log WHERE topic = $1 AND step = $2",
                            floor.topics[-1], step)
    return [r["took"] for r in rows]


async def audited_by_topic(conn: asyncpg.Connection, floor: Floor, step: int) -> dict[str, float | None]:
    """Where the time goes: p50 from the scheduled send to audit's row of each event on the path."""
    rows = await conn.fetch("SELECT topic, percentile_cont(0.5) WITHIN GROUP (ORDER BY recorded_at - sent_at) AS p50 "
                            "FROM audit.log WHERE step = $1 GROUP BY topic", step)
    by_topic = {r["topic"]: r["p50"] for r in rows}
    return {topic.rsplit(".", 1)[1]: _ms(by_topic.get(topic)) for topic in floor.topics}


def cpu_ms_per_referral(cpu_seconds: dict[str, float], referrals: int) -> dict[str, float]:
    """Each process's CPU over the step per referral sent, and their total (hops, Kafka and PostgreSQL)."""
    per = ms_per_referral(cpu_seconds, max(referrals, 1))
    return {**per, "total": round(sum(per.values()), 2)}


async def run_step(conn, floor: Floor, meter: ProcessMeter, commands, done, step: int, rate: float,
                   seconds: float) -> dict:
    loop = asyncio.get_running_loop()
    meter.start()
    commands.put((step, rate, seconds))
    _, sent = await loop.run_in_executor(None, done.get)
    finished, deadline = time.monotonic(), time.monotonic() + 30
    while len(latencies := await audited(conn, floor, step)) < sent and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    drained = round(time.monotonic() - finished, 2) if len(latencies) == sent else None
    return {**step_figures(rate, sent, latencies, drained),
            "cpu_ms_per_referral": cpu_ms_per_referral(meter.cpu_seconds(), sent),
            "p50_ms_to_audit_by_event": await audited_by_topic(conn, floor, step)}


async def measure(rates: list[float], seconds: float, baseline_count: int, client: str = "aiokafka") -> dict:
    """As `make bench` steps the system: each step long enough for 60 referrals too."""
    async with bench_database("frontdoor_floor") as endpoints:
        return await measure_on(endpoints, rates, seconds, baseline_count, min_referrals=MIN_REFERRALS_A_STEP,
                                client=client)


async def measure_on(endpoints: Endpoints, rates: list[float], seconds: float, baseline_count: int, *,
                     min_referrals: int = 0, client: str = "aiokafka") -> dict:
    """The floor on `endpoints` (a fresh database: the hops' schemas are made in it), its processes stopped after.
    Each step lasts `seconds`, or long enough for `min_referrals` at its rate. The raw chain is aiokafka's
    whichever `client` the hops use: it is the issue's yardstick."""
    bootstrap = endpoints.kafka_bootstrap_servers
    dsn = endpoints.database_url.replace("postgresql+asyncpg://", "postgresql://")
    run = uuid.uuid4().hex[:8]
    names = [f"floor.{run}.{t}" for t in ("received", "identified", "triaged", "notified")]
    floor = Floor(bootstrap, dsn, tuple(await new_topics(bootstrap, names, partitions=6)), f"floor-{run}", client)
    conn = await asyncpg.connect(dsn)
    for name in ("intake", *MIDDLE, "audit"):
        await schema(conn, name)
    processes, commands, done, ready = start_processes(floor)
    try:  # from here on whatever fails, the hops are stopped: a process left running would hang the caller's exit
        meter = ProcessMeter({role: p.pid for role, p in zip(("intake", *MIDDLE, "audit"), processes)},
                             infrastructure(endpoints))
        for flag in ready:
            if not await asyncio.get_running_loop().run_in_executor(None, flag.wait, 60):
                raise RuntimeError("a hop's consumer got no partitions within 60 s")
        await run_step(conn, floor, meter, commands, done, 0, 5, 2)  # warm-up: connections, JIT, metadata
        steps = []
        for number, rate in enumerate(rates, start=1):
            steps.append(await run_step(conn, floor, meter, commands, done, number, rate,
                                        step_seconds(rate, seconds, min_referrals)))
            typer.echo(json.dumps(steps[-1]))
            if not steps[-1]["sustained"]:
                break
    finally:
        commands.put(None)
        for process in processes:  # by the process each is, never by name
            process.terminate()
            process.join(10)
            if process.is_alive():
                process.kill()
                process.join(5)
        await conn.close()
    raw = await kafka_chain(bootstrap, BODY * 2, baseline_count)
    return {"steps": steps, **summary(steps, raw, client)}


@app.command()
def main(rates: str = typer.Option("1,40,100,200,400,600,800,1000", help="Rates to step through (per second)"),
         seconds: float = typer.Option(15.0, help="Length of each step (longer where needed for 60 referrals)"),
         baseline_count: int = typer.Option(20000, help="Messages for the raw Kafka chain"),
         client: str = typer.Option("aiokafka", help=f"The hops' Kafka client: {' or '.join(CLIENTS)}"),
         out: str = typer.Option(".frontdoor/bench-floor.json", help="Where the JSON goes")) -> None:
    """The design's skeleton (transactions, inboxes, outboxes, relays, audit of every topic) with no product code."""
    if client not in CLIENTS:
        raise typer.BadParameter(f"{client!r} is not one of {', '.join(CLIENTS)}", param_hint="--client")
    result = asyncio.run(measure([float(r) for r in rates.split(",")], seconds, baseline_count, client))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(result, indent=2))
    typer.echo(json.dumps({k: v for k, v in result.items() if k != "steps"}, indent=2))


if __name__ == "__main__":
    app()
