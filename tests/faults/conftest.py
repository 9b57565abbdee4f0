"""Fault tests break the session's own local Kafka and PostgreSQL, so they need the local stack (by pid)."""

import pytest

from tests.support.faults import SECRET, FaultySystem
from tests.support.infra import TEST_STATE
from tests.support.receivers import WebhookReceiver
from tools.localinfra.stack import LocalStack


@pytest.fixture
def stack(endpoints) -> LocalStack:
    stack = LocalStack(state_dir=TEST_STATE)
    if stack.status() is None:
        pytest.fail("fault tests kill and restart the suite's local Kafka and PostgreSQL; they need the local "
                    "stack (tests/support/infra.py), not containers or external servers")
    return stack


@pytest.fixture
async def faulty(request, endpoints, tmp_path):
    async with WebhookReceiver(SECRET) as receiver:
        system = await FaultySystem.start(endpoints, receiver, tmp_path, request.node.name[:40])
        try:
            yield system
        finally:
            system.stop()
