"""Session-wide real services for integration and end-to-end tests; unit tests never touch them."""

import os

os.environ["FRONTDOOR_ENV_FILE"] = ""  # before any settings load: tests never read a developer's local.env

import pytest

from tests.support.infra import fresh_database, real_services


@pytest.fixture(scope="session")
def real_endpoints():
    with real_services() as endpoints:
        yield endpoints


@pytest.fixture(scope="session")
async def endpoints(real_endpoints):
    """Broker and a fresh database for this session."""
    return await fresh_database(real_endpoints)
