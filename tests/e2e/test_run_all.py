"""`frontdoor run all --demo-partner --witness` (what `make run` starts, with the optional witness): a referral
posted with the demo key reaches audit, a local witness cosigns the log's checkpoint, and Ctrl-C stops
everything it started, the witness too."""

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from tests.support.audit import TEST_SIGNING_KEY
from tests.support.infra import artefacts_dir
from tests.support.observe import fetch, wait_for
from tests.support.referrals import referral_body
from tools.localinfra.processes import free_port, pid_alive, stop_pid
from tools.localinfra.witness import NAME as WITNESS_NAME

pytestmark = pytest.mark.infra


async def test_run_all_serves_a_referral_end_to_end_and_stops_on_ctrl_c(endpoints, tmp_path):
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if k != "FRONTDOOR_ENV_FILE"}, **endpoints.as_env(),
           "FRONTDOOR_STATE_DIR": str(tmp_path), "INTAKE_PORT": str(port), "AUDIT_CHECKPOINT_SECONDS": "1",
           # the session's key: this audit signs checkpoints of the session's log, which later tests verify
           "AUDIT_SIGNING_KEY": TEST_SIGNING_KEY,
           **{f"{name}_PORT": str(free_port()) for name in ("PEOPLE", "TRIAGE", "CASEWORK", "AUDIT", "NOTIFY")}}
    log_path = artefacts_dir() / "run-all.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([str(Path(sys.executable).with_name("frontdoor")), "run", "all", "--demo-partner",
                                 "--witness"],
                                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        key = await wait_for(lambda: _demo_key(log_path, proc), timeout=90, what="run all to announce the demo key")
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            response = await client.post("/v1/referrals", json=referral_body(), headers={
                "Authorization": f"Bearer {key}", "Idempotency-Key": str(uuid.uuid4())})
        assert response.status_code == 202, response.text
        rid = uuid.UUID(response.json()["referral_id"])
        await wait_for(lambda: fetch(endpoints.database_url, "SELECT 1 FROM audit.log WHERE referral_id = $1 AND "
                                     "event_type = 'NotificationSent'", rid), what="the referral in audit")
        cosigned = tmp_path / "audit-checkpoints" / endpoints.database_url.rsplit("/", 1)[-1] / "cosigned.note"
        note = await wait_for(lambda: _read(cosigned), timeout=60, what="a checkpoint cosigned by the witness")
        assert f"— {WITNESS_NAME} " in note
        witness_pid = json.loads((tmp_path / "witness.json").read_text())["pid"]
        proc.send_signal(signal.SIGINT)
        assert await asyncio.to_thread(proc.wait, 60) == 0
        assert not pid_alive(witness_pid)
        assert "Front Door is running: intake, people, triage, casework, notify, audit" in log_path.read_text()
    finally:
        if proc.poll() is None:
            stop_pid(proc.pid)


async def _read(path: Path) -> str | None:
    return path.read_text() if path.exists() else None


async def _demo_key(log_path: Path, proc: subprocess.Popen):
    """The key, once announced; a process that has already exited fails the test at once, with its log."""
    if proc.poll() is not None:
        raise AssertionError(f"run all exited with {proc.returncode}:\n{log_path.read_text()[-4000:]}")
    found = re.search(r"demo partner key: (\S+)", log_path.read_text())
    return found.group(1) if found else None
