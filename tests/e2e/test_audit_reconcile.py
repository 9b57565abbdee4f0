"""Gap detection: events on the topics that never reached the audit log are found, then caught up.

In a module of its own so that no other module's audit consumer is running while the gap is made."""

import asyncio
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from shared.events.topics import EVENT_TOPICS
from services.audit.adapters.kafka_topic_scan import event_ids_on
from services.audit.application.reconcile import reconcile
from services.audit.entrypoints.cli import tools_for
from tests.support.audit import audit_settings, service_env
from tests.support.observe import fetch, wait_for
from tests.support.referrals import referral_body
from tests.support.system import RunningSystem

pytestmark = pytest.mark.infra


async def test_reconciliation_finds_events_that_never_reached_audit(endpoints):
    without_audit = await RunningSystem(endpoints, services=("notify", "people", "triage", "intake")).start()
    try:
        key = await without_audit.partner_key()
        async with without_audit.client(key) as client:
            response = await client.post("/v1/referrals", json=referral_body(),
                                         headers={"Idempotency-Key": str(uuid.uuid4())})
        rid = response.json()["referral_id"]
        await wait_for(lambda: fetch(endpoints.database_url, "SELECT 1 FROM notify.notifications WHERE referral_id "
                                     "= $1 AND status = 'sent'", uuid.UUID(rid)), what="notified")
        await asyncio.sleep(1)  # NotificationSent relayed
        missing = await _missing_for(endpoints, rid)
        assert {m.topic for m in missing} == {"referrals.received", "referrals.identified", "referrals.triaged",
                                              "queue.early_help", "notifications.events"}
        cli = await asyncio.to_thread(subprocess.run, [str(Path(sys.executable).with_name("frontdoor")), "audit",
                                                       "reconcile"], capture_output=True, text=True,
                                      env=endpoints.as_env() | service_env() | {"PATH": "/usr/bin:/bin"})
        assert cli.returncode == 1 and f"(referral {rid})" in cli.stdout
    finally:
        await without_audit.stop()
    audit = await RunningSystem(endpoints, services=("audit",)).start()
    try:
        await wait_for(lambda: _none_missing(endpoints, rid), timeout=30, what="audit to catch up")
    finally:
        await audit.stop()


async def _missing_for(endpoints, rid):
    async with tools_for(audit_settings(endpoints)) as tools:
        _, missing = await reconcile(topics=EVENT_TOPICS, logged_ids=tools.log.event_ids,
                                     scan=lambda t: event_ids_on(endpoints.kafka_bootstrap_servers, t))
    return [m for m in missing if m.referral_id == rid]


async def _none_missing(endpoints, rid):
    return not await _missing_for(endpoints, rid)
