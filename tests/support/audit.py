"""The auditors' tools on the test database (the writer role, the development signing key)."""

from services.audit.config import AuditSettings
from services.audit.entrypoints.cli import tools_for
from shared.localinfra.stack import Endpoints
from shared.settings import PlatformSettings


def audit_settings(endpoints: Endpoints) -> AuditSettings:
    return AuditSettings(platform=PlatformSettings(kafka_bootstrap_servers=endpoints.kafka_bootstrap_servers,
                                                   database_url=endpoints.database_url))


async def verify_log(endpoints: Endpoints):
    async with tools_for(audit_settings(endpoints)) as tools:
        return await tools.verify.execute(public_key=tools.public_key)
