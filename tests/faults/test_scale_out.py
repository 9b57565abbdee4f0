"""Issue "Trust from outside" item 5: two replicas of every service, the consumers sharing their consumer
groups and two intakes behind one client; one replica of each is SIGKILLed mid-stream and never comes back.
Every accepted referral is still decided, routed, notified and audited exactly once, nothing is dead-lettered
and nothing is sent twice beyond what a killed notify had in flight (sent again under its Idempotency-Key)."""

import asyncio

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from tests.support.faults import IN_FLIGHT, SECRET, SERVICES, FaultySystem, Load
from tests.support.observe import wait_for
from tests.support.receivers import WebhookReceiver

pytestmark = pytest.mark.infra
CONSUMERS = ("people", "triage", "casework", "notify", "audit", "intake")  # intake consumes outcomes too


@pytest.fixture
async def two_of_each(endpoints, tmp_path):
    async with WebhookReceiver(SECRET) as receiver:
        system = await FaultySystem.start(endpoints, receiver, tmp_path, "two-of-each", replicas=2)
        try:
            yield system
        finally:
            system.stop()


async def group_sizes(bootstrap: str) -> dict[str, int]:
    """Members of each service's consumer group (a process has one member per subscriber); {} while the
    broker's group coordinator is still starting."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    sizes = {}
    try:
        for name in CONSUMERS:  # one group a request: aiokafka fails to decode an answer describing several
            for response in await admin.describe_consumer_groups([f"frontdoor-{name}"]):
                sizes[name] = sum(len(group[5]) for group in response.groups)  # group[5]: its members
    except KafkaError:
        return {}
    finally:
        await admin.close()
    return sizes


async def test_two_replicas_of_everything_one_of_each_killed_mid_stream(two_of_each):
    system = two_of_each
    load = Load(system.intake_urls, await system.partner_key())
    running = asyncio.create_task(load.run(400, 25))
    both = await wait_for(lambda: _settled(system.endpoints.kafka_bootstrap_servers), timeout=90,
                          what="both replicas of each service in its consumer group")
    for name in SERVICES:  # one replica of each, a second apart, while referrals keep coming
        system.processes[f"{name}#2"].kill()
        await asyncio.sleep(1)
    await running
    await system.assert_nothing_lost_or_doubled(load, resends_allowed=IN_FLIGHT)
    assert all(load.accepted_by[url] > 0 for url in system.intake_urls), load.accepted_by  # both intakes served
    survivors = await group_sizes(system.endpoints.kafka_bootstrap_servers)
    assert {name: 2 * n for name, n in survivors.items()} == both  # the survivors own every partition now


async def _settled(bootstrap: str) -> dict[str, int] | None:
    """The group sizes once every group has an even number of members and they hold still for 2 s (both
    replicas joined with all their subscribers)."""
    first = await group_sizes(bootstrap)
    if set(first) != set(CONSUMERS) or any(n < 2 or n % 2 for n in first.values()):
        return None
    await asyncio.sleep(2)
    return first if await group_sizes(bootstrap) == first else None
