"""A whole Front Door (four service processes) under load while a test breaks something, and the checks that
nothing was lost, dead-lettered, sent twice or answered with a 500.

Every recipient is a webhook on a real receiver in the test's process, so each delivery is seen; the receiver
counts deliveries per Idempotency-Key, as a real receiver de-duplicating on it would.
"""

import asyncio
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import yaml

from shared.db.engine import make_engine
from shared.events.codes import QueueId
from tests.support.infra import artefacts_dir
from tests.support.observe import fetch, wait_for
from tests.support.receivers import WebhookReceiver
from tests.support.referrals import PERSONAL_VALUES, referral_body
from tests.support.subprocess_service import ServiceProcess
from tools.completeness import incomplete_referrals
from tools.dead_letters import read_all
from tools.localinfra.processes import free_port
from tools.localinfra.stack import Endpoints

SECRET = "fault-test-secret"
SERVICES = ("audit", "notify", "casework", "triage", "people", "intake")
CLAIM_LEASE_SECONDS = 5
IN_FLIGHT = 10


@dataclass
class Load:
    """Referrals posted open-loop at `rate`, each retried with its own Idempotency-Key until accepted, as a
    partner's client would: on 429/503 after Retry-After (capped), on a refused connection after a moment.
    With several intake URLs (replicas behind a load balancer), each attempt goes to the next one."""

    url: str | list[str]
    key: str
    statuses: Counter = field(default_factory=Counter)
    accepted: list[str] = field(default_factory=list)
    attempts: int = 0
    accepted_by: Counter = field(default_factory=Counter)  # intake URL -> referrals it accepted

    async def run(self, count: int, rate: float, deadline_seconds: float = 240.0) -> None:
        async with httpx.AsyncClient(timeout=15, headers={"Authorization": f"Bearer {self.key}"}) as client:
            start = time.monotonic()
            await asyncio.gather(*(self._one(client, start + i / rate, start + deadline_seconds, i)
                                   for i in range(count)))

    def _next_url(self) -> str:
        urls = [self.url] if isinstance(self.url, str) else self.url
        self.attempts += 1
        return urls[self.attempts % len(urls)]

    async def _one(self, client: httpx.AsyncClient, at: float, give_up: float, i: int) -> None:
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        key, urgent = str(uuid.uuid4()), i % 5 == 0
        body = referral_body(significant_harm_suspected=True, concerns=["physical_abuse"]) if urgent else \
            referral_body()
        while time.monotonic() < give_up:
            try:
                url = self._next_url()
                response = await client.post(f"{url}/v1/referrals", json=body, headers={"Idempotency-Key": key})
            except httpx.HTTPError:
                self.statuses["connection error"] += 1
                await asyncio.sleep(0.5)
                continue
            self.statuses[response.status_code] += 1
            if response.status_code == 202:
                self.accepted.append(response.json()["referral_id"])
                self.accepted_by[url] += 1
                return
            await asyncio.sleep(min(float(response.headers.get("Retry-After", "1")), 2.0))
        raise AssertionError(f"referral {i} was never accepted")


@dataclass
class FaultySystem:
    endpoints: Endpoints
    receiver: WebhookReceiver
    processes: dict[str, ServiceProcess] = field(default_factory=dict)
    intake_port: int = field(default_factory=free_port)

    replicas: int = 1
    intake_ports: list[int] = field(default_factory=list)

    @classmethod
    async def start(cls, endpoints: Endpoints, receiver: WebhookReceiver, tmp_path, name: str,
                    replicas: int = 1) -> "FaultySystem":
        """Every service in `replicas` processes (`processes["triage"]`, `processes["triage#2"]`, ...): the
        consumers share their consumer groups, the intakes listen on ports of their own."""
        directory = tmp_path / "directory.yaml"
        entries = {q.value: [{"id": f"{q.value}-hook", "channel": "webhook", "address": receiver.url("team")}]
                   for q in QueueId}
        entries["duty_manager"] = [{"id": "duty", "channel": "webhook", "address": receiver.url("duty"),
                                    "role": "duty_manager"}]
        directory.write_text(yaml.safe_dump(entries))
        system = cls(endpoints, receiver, replicas=replicas)
        system.intake_ports = [system.intake_port, *(free_port() for _ in range(replicas - 1))]
        env = {"NOTIFY_DIRECTORY_FILE": str(directory), "NOTIFY_WEBHOOK_SECRET": SECRET,
               "NOTIFY_CLAIM_LEASE_SECONDS": str(CLAIM_LEASE_SECONDS), "NOTIFY_IN_FLIGHT": str(IN_FLIGHT)}
        for service in SERVICES:
            for replica in range(1, replicas + 1):
                label = service if replica == 1 else f"{service}#{replica}"
                port = system.intake_ports[replica - 1] if service == "intake" else free_port()
                own = {f"{service.upper()}_PORT": str(port)}  # each process its own HTTP port
                system.processes[label] = ServiceProcess(service, endpoints, artefacts_dir() / f"fault-{name}-"
                                                         f"{label.replace('#', '-')}.log", env=env | own)
                system.processes[label].start()
        for url in system.intake_urls:
            await wait_for(lambda url=url: system._intake_answers(url), timeout=90, what="intake to answer")
        return system

    @property
    def intake_url(self) -> str:
        return f"http://127.0.0.1:{self.intake_port}"

    @property
    def intake_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.intake_ports]

    async def _intake_answers(self, url: str) -> bool:
        try:
            async with httpx.AsyncClient(timeout=2) as client:
                return (await client.get(f"{url}/health/ready")).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        for process in self.processes.values():
            process.stop()

    async def partner_key(self) -> str:
        from services.intake.adapters.partner_admin import add_partner

        engine = make_engine(self.endpoints.database_url, pool_size=1)
        try:
            return await add_partner(engine, partner_id=f"fault-{uuid.uuid4().hex[:8]}", name="Fault test school",
                                     source="2A")
        finally:
            await engine.dispose()

    async def wait_complete(self, referral_ids: list[str], timeout: float = 240.0) -> None:
        """Every referral decided, routed, notified and audited, by the operators' completeness check."""
        engine = make_engine(self.endpoints.database_url, pool_size=1)
        ids = [UUID(r) for r in referral_ids]

        async def complete():
            _, incomplete = await incomplete_referrals(engine, now=datetime.now(UTC), grace=timedelta(0),
                                                       lookback=timedelta(days=1), only=ids)
            return not incomplete or None

        try:
            await wait_for(complete, timeout=timeout, interval=1.0, what="every accepted referral complete")
        finally:
            await engine.dispose()

    async def assert_nothing_lost_or_doubled(self, load: Load, *, resends_allowed: int = 0) -> None:
        assert load.statuses[500] == 0, load.statuses
        assert len(set(load.accepted)) == len(load.accepted)
        await self.wait_complete(load.accepted)
        audited = await fetch(self.endpoints.database_url,
                              "SELECT referral_id::text, event_type, count(*) AS n FROM audit.log "
                              "WHERE referral_id = ANY($1::uuid[]) GROUP BY 1, 2", load.accepted)
        once = {(r["referral_id"], r["event_type"]): r["n"] for r in audited}
        for rid in load.accepted:
            for event_type in ("ReferralReceived", "ReferralIdentified", "ReferralTriaged", "ReferralRouted"):
                assert once.get((rid, event_type)) == 1, (rid, event_type, once.get((rid, event_type)))
        letters = [letter for letter in await read_all(self.endpoints.kafka_bootstrap_servers)
                   if (letter.key or b"").decode() in set(load.accepted)]
        assert letters == [], [letter.summary() for letter in letters]
        doubts = await fetch(self.endpoints.database_url, "SELECT count(*) AS n FROM notify.notifications WHERE "
                             "referral_id = ANY($1::uuid[]) AND status <> 'sent'", load.accepted)
        assert doubts[0]["n"] == 0
        per_key = Counter(c["reference"] for name in ("team", "duty") for c in self.receiver.delivered(name))
        assert len(per_key) >= len(load.accepted)  # every referral told someone (red ones the duty manager too)
        repeated = {k: n for k, n in per_key.items() if n > 1}  # the same Idempotency-Key delivered again
        assert len(repeated) <= resends_allowed, repeated
        self.assert_no_personal_data_in_failure_paths(letters)

    def assert_no_personal_data_in_failure_paths(self, letters) -> None:
        """A marker-name scan after the fault: the children's details never reach a service log, a DLQ header
        or a webhook notification, whatever failed (issue "Security and integrity" item 3)."""
        texts = {str(p._log_path): p._log_path.read_text(errors="replace") for p in self.processes.values()}
        texts |= {f"dlq {letter.id}": str(letter.headers) for letter in letters}
        texts |= {f"webhook {c['reference']}": c["body"].decode(errors="replace")
                  for name in ("team", "duty") for c in self.receiver.calls[name]}
        leaks = {where: value for where, text in texts.items() for value in PERSONAL_VALUES if value in text}
        assert leaks == {}, leaks
