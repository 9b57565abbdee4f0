"""SIGKILL triage in the middle of 200 referrals, start it again: none lost, none duplicated in effect."""

import asyncio
import uuid

import asyncpg
import pytest

from tests.support.audit import verify_log
from tests.support.infra import artefacts_dir
from tests.support.observe import fetch, wait_for
from tests.support.referrals import referral_body
from tests.support.subprocess_service import ServiceProcess
from tests.support.system import RunningSystem

pytestmark = pytest.mark.infra
TOTAL = 200


@pytest.fixture(scope="module")
async def without_triage(endpoints):
    running = await RunningSystem(endpoints, services=("audit", "notify", "casework", "people", "intake")).start()
    triage = ServiceProcess("triage", endpoints, artefacts_dir() / "triage-crash-test.log")
    yield running, triage
    triage.stop()
    await running.stop()


def body_for(i: int) -> tuple[dict, int]:
    """Alternate early-help (one recipient) and statutory (team inbox + duty manager) referrals."""
    if i % 2:
        return referral_body(significant_harm_suspected=True, concerns=["neglect"]), 2
    return referral_body(), 1


async def count(url: str, sql: str, ids: list) -> int:
    return (await fetch(url, sql, ids))[0][0]


async def test_sigkill_mid_stream_loses_and_duplicates_nothing(without_triage):
    system, triage = without_triage
    url = system.endpoints.database_url
    key = await system.partner_key()
    triage.start()
    expected: dict[uuid.UUID, int] = {}
    limit = asyncio.Semaphore(8)

    async def post(i: int, client) -> None:
        body, notifications = body_for(i)
        async with limit:
            response = await client.post("/v1/referrals", json=body, headers={"Idempotency-Key": f"crash-{i}"})
        assert response.status_code == 202, response.text
        expected[uuid.UUID(response.json()["referral_id"])] = notifications

    async with system.client(key) as client:
        first = asyncio.gather(*(post(i, client) for i in range(TOTAL // 2)))
        await first
        ids = list(expected)
        decided = await wait_for(lambda: _decided_some(url, ids), timeout=60, what="triage under way")
        triage.kill()
        killed_after = await count(url, "SELECT count(*) FROM triage.decisions WHERE referral_id = ANY($1)", ids)
        await asyncio.gather(*(post(i, client) for i in range(TOTAL // 2, TOTAL)))
    ids = list(expected)
    assert len(ids) == TOTAL
    assert decided < TOTAL and killed_after < TOTAL, "the kill must land mid-stream"
    triage.start()

    await wait_for(lambda: _all_audited(url, expected), timeout=120, what="every referral triaged and audited")
    per_referral = await fetch(url, """
        SELECT referral_id,
               count(*) FILTER (WHERE event_type = 'ReferralTriaged') AS triaged,
               count(*) FILTER (WHERE event_type = 'ReferralRouted') AS routed,
               count(*) FILTER (WHERE event_type = 'NotificationSent') AS sent
        FROM audit.log WHERE referral_id = ANY($1) GROUP BY referral_id""", ids)
    assert len(per_referral) == TOTAL
    for row in per_referral:
        assert (row["triaged"], row["routed"], row["sent"]) == (1, 1, expected[row["referral_id"]])
    assert await count(url, "SELECT count(*) FROM triage.decisions WHERE referral_id = ANY($1)", ids) == TOTAL
    await wait_for(lambda: _all_opened(url, ids), timeout=60, what="casework to open every referral's work item")
    assert await count(url, "SELECT count(*) FROM casework.work_items WHERE referral_id = ANY($1)", ids) == TOTAL
    assert await count(url, "SELECT count(*) FROM notify.notifications WHERE referral_id = ANY($1)", ids) \
        == sum(expected.values())
    report = await verify_log(system.endpoints)
    assert report.fault is None, report.fault
    checked = report.rows_checked
    print(f"\ncrash test: killed triage after {killed_after} of {TOTAL} decisions; {checked} audit rows verified")


async def _all_opened(url: str, ids: list) -> bool:
    return await count(url, "SELECT count(*) FROM casework.work_items WHERE referral_id = ANY($1)", ids) >= len(ids)


async def _decided_some(url: str, ids: list):
    try:
        n = await count(url, "SELECT count(*) FROM triage.decisions WHERE referral_id = ANY($1)", ids)
    except asyncpg.UndefinedTableError:  # the new triage process has not migrated yet
        return None
    return n if n >= 10 else None


async def _all_audited(url: str, expected: dict):
    rows = await fetch(url, "SELECT count(*) FROM audit.log WHERE referral_id = ANY($1) AND event_type IN "
                            "('ReferralTriaged', 'NotificationSent')", list(expected))
    return rows[0][0] >= TOTAL + sum(expected.values())
