"""What the bench reads back: audit completion times, consumer lag, and each process's CPU and memory."""

import asyncio

import asyncpg
import psutil
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

GROUPS = ("frontdoor-people", "frontdoor-triage", "frontdoor-notify", "frontdoor-audit", "frontdoor-intake",
          "frontdoor-casework")  # every service that consumes: `lag_after_drain` must see them all


async def completion_times(database_url: str, referral_ids: list[str]) -> dict[str, dict]:
    """Per referral: rows by event type and the time its last row was recorded."""
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await conn.fetch("SELECT referral_id::text AS rid, event_type, extract(epoch FROM recorded_at) AS t "
                                "FROM audit.log WHERE referral_id = ANY($1::uuid[])", referral_ids)
    finally:
        await conn.close()
    found: dict[str, dict] = {}
    for r in rows:
        entry = found.setdefault(r["rid"], {"types": {}, "last": 0.0})
        entry["types"][r["event_type"]] = entry["types"].get(r["event_type"], 0) + 1
        entry["last"] = max(entry["last"], float(r["t"]))
    return found


SINGLE = ("ReferralReceived", "ReferralIdentified", "ReferralTriaged")


async def audit_discrepancies(database_url: str, referral_ids: list[str]) -> list[dict]:
    """Referrals whose audit log is not exactly what their own decision called for: one `ReferralReceived`,
    `ReferralIdentified` and `ReferralTriaged`; a `ReferralRouted` for the primary queue and for each parallel
    work item the decision named (a third referral in a year also goes to MASH review, HR2); and a
    `NotificationSent` for each notification notify recorded for the referral, at least one. Anything missing,
    or there twice, is listed with what was audited and what was due."""
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        audited = await conn.fetch(
            "SELECT referral_id::text AS rid, event_type, count(*) AS n, max(CASE WHEN event_type = "
            "'ReferralTriaged' THEN jsonb_array_length(convert_from(canonical, 'UTF8')::jsonb "
            "-> 'payload' -> 'parallel_work') END) AS parallel FROM audit.log WHERE referral_id = ANY($1::uuid[]) "
            "GROUP BY 1, 2", referral_ids)
        recorded: dict[str, int] = {row["rid"]: row["n"] for row in await conn.fetch(
            "SELECT referral_id::text AS rid, count(*) AS n FROM notify.notifications "
            "WHERE referral_id = ANY($1::uuid[]) GROUP BY 1", referral_ids)}
    finally:
        await conn.close()
    return discrepancies(referral_ids, [dict(row) for row in audited], recorded)


def discrepancies(referral_ids: list[str], audited: list[dict], recorded: dict[str, int]) -> list[dict]:
    """`audit_discrepancies` over what it read: audited rows counted by (referral, event type), each
    `ReferralTriaged` with how many parallel work items it named; notifications recorded per referral."""
    found: dict[str, dict[str, int]] = {}
    parallel: dict[str, int] = {}
    for row in audited:
        found.setdefault(row["rid"], {})[row["event_type"]] = row["n"]
        if row["parallel"] is not None:
            parallel[row["rid"]] = row["parallel"]
    wrong = []
    for rid in referral_ids:
        due = {**dict.fromkeys(SINGLE, 1), "ReferralRouted": 1 + parallel.get(rid, 0),
               "NotificationSent": max(1, recorded.get(rid, 0))}
        if found.get(rid, {}) != due:
            wrong.append({"referral_id": rid, "audited": found.get(rid, {}), "due": due})
    return wrong


async def scalar(database_url: str, query: str, *args):
    conn = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return await conn.fetchval(query, *args)
    finally:
        await conn.close()


async def notified_count(database_url: str, referral_ids: list[str]) -> int:
    """How many of these referrals have a NotificationSent audited (the last event of each; a referral routed
    twice has more than one)."""
    return await scalar(database_url, "SELECT count(DISTINCT referral_id) FROM audit.log WHERE event_type = "
                                      "'NotificationSent' AND referral_id = ANY($1::uuid[])", referral_ids)


async def sent_count(database_url: str, referral_ids: list[str]) -> int:
    """How many of these referrals notify has sent and relayed (nothing left in its outbox)."""
    return await scalar(database_url, "SELECT CASE WHEN EXISTS (SELECT 1 FROM notify.outbox) THEN 0 ELSE "
                                      "(SELECT count(*) FROM notify.notifications WHERE status = 'sent' "
                                      "AND referral_id = ANY($1::uuid[])) END", referral_ids)


async def consumer_lag(bootstrap: str) -> int:
    """Messages not yet processed by Front Door's consumer groups, summed."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await admin.start()
    await consumer.start()
    try:
        total = 0
        for group in GROUPS:
            committed = await admin.list_consumer_group_offsets(group)
            if not committed:
                continue
            ends = await consumer.end_offsets(list(committed))
            total += sum(max(0, ends[tp] - meta.offset) for tp, meta in committed.items()
                         if isinstance(tp, TopicPartition) and meta.offset >= 0)
        return total
    finally:
        await consumer.stop()
        await admin.close()


class ProcessMeter:
    """CPU seconds and peak RSS of the service processes during a step, and CPU seconds of the infrastructure
    (`infra`: Kafka, PostgreSQL) with its children: PostgreSQL's work is done by its backend processes."""

    def __init__(self, pids: dict[str, int], infra: dict[str, int] | None = None) -> None:
        self.processes = {name: psutil.Process(pid) for name, pid in pids.items()}
        self.infra = {name: psutil.Process(pid) for name, pid in (infra or {}).items()}
        self.peak_rss: dict[str, int] = dict.fromkeys(pids, 0)
        self._cpu_start: dict[str, float] = {}

    def _cpu(self, process: psutil.Process) -> float:
        """Its own CPU, its live children's, and its exited children's (counted once reaped)."""
        t = process.cpu_times()
        live = sum(live_cpu_seconds(c) for c in _children(process))
        return t.user + t.system + t.children_user + t.children_system + live

    def _all(self) -> dict[str, psutil.Process]:
        return {**self.processes, **self.infra}

    def start(self) -> None:
        self._cpu_start = {name: self._cpu(p) for name, p in self._all().items()}
        self.peak_rss = dict.fromkeys(self.processes, 0)

    def sample(self) -> None:
        for name, p in self.processes.items():
            self.peak_rss[name] = max(self.peak_rss[name], p.memory_info().rss)

    def cpu_seconds(self) -> dict[str, float]:
        """Per service, then per infrastructure process, since `start()`."""
        return {name: self._cpu(p) - self._cpu_start[name] for name, p in self._all().items()}

    async def sample_until(self, done: asyncio.Event, every: float = 0.5) -> None:
        while not done.is_set():
            self.sample()
            await asyncio.sleep(every)


def ms_per_referral(cpu_seconds: dict[str, float], referrals: int) -> dict[str, float]:
    """Each process's CPU seconds over a step as milliseconds per referral."""
    return {name: round(seconds * 1000 / referrals, 2) for name, seconds in cpu_seconds.items()}


def live_cpu_seconds(child: psutil.Process) -> float:
    """A live child's CPU; 0 for one that exited since it was listed (a PostgreSQL backend whose connection a
    pool just closed): its CPU reaches the parent's reaped-children times instead. A run of `make bench` on 3
    December stopped on this race."""
    try:
        t = child.cpu_times()
    except psutil.NoSuchProcess:
        return 0.0
    return t.user + t.system


def _children(process: psutil.Process) -> list[psutil.Process]:
    try:
        return process.children(recursive=True)
    except psutil.NoSuchProcess:
        return []
