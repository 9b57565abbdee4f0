"""The auditors' tools on the test database (the writer role, this session's signing key and checkpoint folder)."""

import tempfile
from pathlib import Path

from shared.settings import PlatformSettings
from services.audit.adapters.ed25519_signer import new_private_key_b64
from services.audit.config import AuditSettings
from services.audit.entrypoints.cli import tools_for
from tools.localinfra.dev_env import DEV_DIRECTORY
from tools.localinfra.stack import Endpoints

TEST_SIGNING_KEY = new_private_key_b64()  # one per test session, like a deployment's one key
TEST_CHECKPOINTS = Path(tempfile.mkdtemp(prefix="frontdoor-test-checkpoints-"))


def service_env() -> dict[str, str]:
    """What a service process or command in a test is configured with besides the endpoints: this session's
    audit key and checkpoint folder, and the development directory of who notify tells (as `infra up` gives)."""
    return {"AUDIT_SIGNING_KEY": TEST_SIGNING_KEY, "AUDIT_CHECKPOINT_DIR": str(TEST_CHECKPOINTS),
            "NOTIFY_DIRECTORY_FILE": str(DEV_DIRECTORY)}


def audit_settings(endpoints: Endpoints, **overrides) -> AuditSettings:
    return AuditSettings(platform=PlatformSettings(kafka_bootstrap_servers=endpoints.kafka_bootstrap_servers,
                                                   database_url=endpoints.database_url),
                         signing_key=TEST_SIGNING_KEY, checkpoint_dir=TEST_CHECKPOINTS, **overrides)


async def verify_log(endpoints: Endpoints):
    async with tools_for(audit_settings(endpoints)) as tools:
        return await tools.verify.execute(public_key=tools.public_key)
