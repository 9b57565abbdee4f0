"""Notify SIGKILLed after claiming a message, in the middle of sending it: after restart, once the claim has
expired, the message is sent again with the same Idempotency-Key and delivered once."""

import os
import uuid

import pytest
import yaml

from tests.support.infra import artefacts_dir
from tests.support.observe import fetch, wait_for
from tests.support.receivers import HANG, WebhookReceiver
from tests.support.referrals import referral_body
from tests.support.subprocess_service import ServiceProcess
from tests.support.system import RunningSystem
from tools.localinfra.processes import free_port

pytestmark = pytest.mark.infra
SECRET = "crash-test-secret"


async def test_kill_between_intent_and_send_then_restart_delivers_once(endpoints, tmp_path):
    async with WebhookReceiver(SECRET, {"team": [HANG]}) as hooks:
        directory = tmp_path / "directory.yaml"
        entries = {q: [{"id": f"{q}-hook", "channel": "webhook", "address": hooks.url("team")}] for q in (
            "statutory_safeguarding", "early_help", "disabled_children", "adult_transition", "youth_offending",
            "mash_review", "signposting")}
        entries["duty_manager"] = [{"id": "duty", "channel": "log", "address": "duty@example.gov.uk",
                                    "role": "duty_manager"}]
        directory.write_text(yaml.safe_dump(entries))
        env = {"NOTIFY_DIRECTORY_FILE": str(directory), "NOTIFY_WEBHOOK_SECRET": SECRET,
               "NOTIFY_PORT": str(free_port()), "NOTIFY_CLAIM_LEASE_SECONDS": "3"}
        notify = ServiceProcess("notify", endpoints, artefacts_dir() / "notify-crash-test.log", env=env)
        system = await RunningSystem(endpoints, services=("audit", "people", "triage", "intake")).start()
        try:
            notify.start()
            key = await system.partner_key()
            async with system.client(key) as client:
                response = await client.post("/v1/referrals", json=referral_body(),
                                             headers={"Idempotency-Key": str(uuid.uuid4())})
            rid = uuid.UUID(response.json()["referral_id"])
            await wait_for(lambda: _in_flight(hooks), timeout=60, what="the first send to be in flight")
            [pending] = await fetch(endpoints.database_url, "SELECT status, attempts FROM notify.notifications "
                                                            "WHERE referral_id = $1", rid)
            assert (pending["status"], pending["attempts"]) == ("sending", 0)  # claimed, not yet settled
            notify.kill()
            await wait_for(lambda: _aborted(hooks), what="the receiver to see the sender vanish")

            notify.start()
            [sent] = await wait_for(lambda: fetch(endpoints.database_url, "SELECT * FROM notify.notifications WHERE "
                                                  "referral_id = $1 AND status = 'sent'", rid), timeout=60,
                                    what="sent after restart")
            assert sent["attempts"] == 1
            mine = [c for c in hooks.calls["team"] if str(rid) in c["reference"]]
            assert [c["status"] for c in mine] == ["aborted", 200]  # the one in flight, then its resend
            assert len({c["reference"] for c in mine}) == 1  # under one Idempotency-Key: receivers de-duplicate
            await wait_for(lambda: fetch(endpoints.database_url, "SELECT 1 FROM audit.log WHERE referral_id = $1 "
                                         "AND event_type = 'NotificationSent'", rid), what="audited")
        finally:
            notify.stop()
            await system.stop()
            for name in env:
                os.environ.pop(name, None)


async def _in_flight(hooks):
    return hooks.in_flight > 0


async def _aborted(hooks):
    return any(c["status"] == "aborted" for c in hooks.calls["team"])
