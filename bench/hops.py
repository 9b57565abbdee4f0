"""`python -m bench.hops`: where a referral's time goes at a low rate, hop by hop.

Each event carries `occurred_at` (when its producer made it, inside its transaction) and each Kafka record a
timestamp (when the relay sent it). Posting referrals at RATE and reading both back gives, per event type, how
long after the request it was made and how long its relay took to send it; the difference between one event's
send and the next event's `occurred_at` is the delivery and the consumer's work up to its decision. Also times
the raw floors under it on the same machine: an aiokafka produce -> consume, a PostgreSQL insert and commit.
"""

import asyncio
import json
import statistics
import time
import uuid
from collections import Counter
from datetime import datetime
from pathlib import Path

import asyncpg
import typer
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from shared.events.topics import NOTIFICATIONS_EVENTS, REFERRALS_IDENTIFIED, REFERRALS_RECEIVED, REFERRALS_TRIAGED
from shared.messaging.topic_scan import partitions_of
from bench.baselines import new_topics
from bench.load import open_loop, percentile
from bench.runner import Services, partner_headers, partner_key, referral_about_a_child
from bench.stack import bench_database
from tools.localinfra.stack import Endpoints

PATH = {"ReferralReceived": REFERRALS_RECEIVED, "ReferralIdentified": REFERRALS_IDENTIFIED,
        "ReferralTriaged": REFERRALS_TRIAGED, "NotificationSent": NOTIFICATIONS_EVENTS}
app = typer.Typer(add_completion=False, pretty_exceptions_show_locals=False)


def median_ms(values: list[float]) -> float | None:
    return round(statistics.median(values) * 1000, 1) if values else None


async def sent_times(bootstrap: str, expected: set[tuple[str, str]], since: float) -> dict[tuple[str, str], float]:
    """(referral id, event type) -> the Kafka record's timestamp, for every event on the path's topics sent from
    `since` (epoch seconds) on; read until every `expected` pair is found (a quiet poll is no sign of the end: the
    topics' fetches arrive apart). Reading from the start instead ran out of time on a bench stack holding
    earlier runs (7.4 GB): at 50/s no ReferralTriaged was found."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    found: dict[tuple[str, str], float] = {}
    deadline = time.monotonic() + 30
    try:
        partitions = [TopicPartition(topic, p) for topic in PATH.values() for p in await partitions_of(consumer, topic)]
        consumer.assign(partitions)
        starts = await consumer.offsets_for_times({tp: int(since * 1000) for tp in partitions})
        for tp, start in starts.items():
            if start:
                consumer.seek(tp, start.offset)
            else:  # nothing sent to it since
                await consumer.seek_to_end(tp)
        while time.monotonic() < deadline and not expected <= found.keys():
            batch = await consumer.getmany(timeout_ms=1000)
            for records in batch.values():
                for record in records:
                    event = json.loads(record.value)
                    found[(event["referral_id"], event["event_type"])] = record.timestamp / 1000
    finally:
        await consumer.stop()
    return found


async def made_and_audited(database_url: str, ids: list[str]) -> dict[str, dict[str, tuple[float, float]]]:
    """Per referral and event type: (occurred_at, recorded in the audit log), epoch seconds."""
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await conn.fetch("SELECT referral_id::text AS rid, event_type, canonical, "
                                "extract(epoch FROM recorded_at) AS recorded FROM audit.log "
                                "WHERE referral_id = ANY($1::uuid[])", ids)
    finally:
        await conn.close()
    found: dict[str, dict[str, tuple[float, float]]] = {}
    for row in rows:
        made = datetime.fromisoformat(json.loads(bytes(row["canonical"]))["occurred_at"]).timestamp()
        found.setdefault(row["rid"], {})[row["event_type"]] = (made, float(row["recorded"]))
    return found


async def floors(endpoints: Endpoints, count: int = 100) -> dict[str, float | None]:
    """The same machine's raw costs under each hop: Kafka produce (acks=all) -> consume; insert + commit."""
    [topic] = await new_topics(endpoints.kafka_bootstrap_servers, [f"bench-floor-{uuid.uuid4().hex[:8]}"],
                               partitions=1)
    producer = AIOKafkaProducer(bootstrap_servers=endpoints.kafka_bootstrap_servers, acks="all",
                                enable_idempotence=True, linger_ms=0)
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=endpoints.kafka_bootstrap_servers, auto_offset_reset="latest")
    await producer.start()
    await consumer.start()
    kafka: list[float] = []
    try:
        await asyncio.sleep(2)  # the consumer's assignment
        for _ in range(count):
            started = time.perf_counter()
            await (await producer.send(topic, b"x" * 500))
            await consumer.getone()
            kafka.append(time.perf_counter() - started)
    finally:
        await producer.stop()
        await consumer.stop()
    conn = await asyncpg.connect(endpoints.database_url.replace("postgresql+asyncpg://", "postgresql://"))
    commits: list[float] = []
    try:
        # a logged table, as the services' are: a temporary one skips the WAL, so its commit waits for no flush
        await conn.execute("CREATE TABLE bench_floor (id uuid PRIMARY KEY)")
        for _ in range(count):
            started = time.perf_counter()
            async with conn.transaction():
                await conn.execute("INSERT INTO bench_floor VALUES ($1)", uuid.uuid4())
            commits.append(time.perf_counter() - started)
        await conn.execute("DROP TABLE bench_floor")
    finally:
        await conn.close()
    return {"kafka_produce_to_consume_ms": median_ms(kafka), "postgres_insert_commit_ms": median_ms(commits)}


async def run(rate: float, seconds: float) -> dict:
    async with bench_database("frontdoor_hops") as endpoints:
        services = Services(endpoints, max_backlog=1000)
        try:
            services.start()
            key = await partner_key(endpoints)
            warm = await open_loop(services.intake_url, referral_about_a_child, partner_headers(key), rate=5,
                                   seconds=2, key_prefix=f"warm-{uuid.uuid4().hex[:6]}")
            await asyncio.sleep(5)
            sent = await open_loop(services.intake_url, referral_about_a_child, partner_headers(key), rate=rate,
                                   seconds=seconds, key_prefix=f"hops-{uuid.uuid4().hex[:6]}")
            await asyncio.sleep(8)
            ids = [s.referral_id for s in sent if s.referral_id]
            made = await made_and_audited(endpoints.database_url, ids)
            relayed = await sent_times(endpoints.kafka_bootstrap_servers,
                                       {(rid, kind) for rid, seen in made.items() for kind in seen if kind in PATH},
                                       since=min(s.scheduled for s in sent) - 1)
            base = await floors(endpoints)
        finally:
            services.stop()
    return {"rate": rate, "referrals": len(ids), "warm_up": len(warm), **summary(sent, made, relayed), **base}


def percentiles_ms(values: list[float]) -> dict[str, float] | None:
    """p50, p90, p99 and the worst, in ms: a tail at a low rate is a wake-up missed somewhere, and which step
    it is in says where."""
    found = {name: percentile(values, p) for name, p in (("p50", 50), ("p90", 90), ("p99", 99), ("max", 100))}
    return {name: round(value * 1000, 1) for name, value in found.items() if value is not None} or None


def summary(sent, made, relayed) -> dict:
    """Per step of the path, how long each referral spent in it: the request until intake made its event, each
    relay (made -> sent), each consumer (the previous event sent -> its own made), and audit (the last event
    sent -> the last audit row). The last audit row is timed only for referrals audited all along the path;
    `referrals_not_through` counts the others (their hops had not all finished: counting them would flatter).
    Also, for those referrals, when each event type's audit row was written after the request, and which type
    was last: the path above ends at `NotificationSent`, and this shows whether anything off it (a work item, a
    route) finishes later and so sets the end-to-end figure."""
    scheduled = {s.referral_id: s.scheduled for s in sent if s.referral_id}
    steps: dict[str, list[float]] = {}
    for rid, requested in scheduled.items():
        seen, previous = made.get(rid, {}), requested
        for event_type in PATH:
            if event_type not in seen or (rid, event_type) not in relayed:
                break
            steps.setdefault(f"until {event_type} made", []).append(seen[event_type][0] - previous)
            previous = relayed[(rid, event_type)]
            steps.setdefault(f"relay {event_type}", []).append(previous - seen[event_type][0])
        else:
            steps.setdefault("until the last audit row", []).append(max(v[1] for v in seen.values()) - previous)
    whole = {r: t for r, t in scheduled.items() if PATH.keys() <= made.get(r, {}).keys()}
    last: list[float] = []
    last_types: Counter[str] = Counter()
    audited: dict[str, list[float]] = {}
    for rid, requested in whole.items():
        for event_type, (_made, recorded) in made[rid].items():
            audited.setdefault(event_type, []).append(recorded - requested)
        last_type, (_made, last_at) = max(made[rid].items(), key=lambda kv: kv[1][1])
        last.append(last_at - requested)
        last_types[last_type] += 1
    return {"steps_ms": {name: percentiles_ms(v) for name, v in steps.items()},
            "last_audit_row_ms": percentiles_ms(last), "referrals_not_through": len(scheduled) - len(whole),
            "audited_after_request_ms": {t: percentiles_ms(v) for t, v in sorted(
                audited.items(), key=lambda kv: statistics.median(kv[1]))},
            "last_row_is": dict(last_types)}


@app.command()
def main(rate: float = typer.Option(1.0, help="Referrals a second"),
         seconds: float = typer.Option(20.0, help="For how long"),
         out: str = typer.Option(".frontdoor/bench-hops.json")) -> None:
    """Per-hop latency at a low rate, with the raw Kafka and PostgreSQL floors under it."""
    result = asyncio.run(run(rate, seconds))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(result, indent=2))
    typer.echo(json.dumps(result, indent=2))


if __name__ == "__main__":
    app()
