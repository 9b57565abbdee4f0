"""docker-compose.yml agrees with the code: services, environment variable names, ports and topics.

There is no Docker engine here to run it, so this is what keeps it honest.
"""

import re

from shared.events.topics import ALL_TOPICS
from tests.support.deployment import COMPOSE, SETTINGS, env_names
from tools.runner import SERVICES


def test_every_service_is_in_compose_with_its_run_command():
    assert set(SERVICES) == set(SETTINGS)
    for name in SERVICES:
        assert COMPOSE["services"][name]["command"] == ["run", name]


def test_the_audit_key_is_made_by_an_explicit_step_before_audit_starts():
    keygen, audit = COMPOSE["services"]["audit-key"], COMPOSE["services"]["audit"]
    assert keygen["command"][:2] == ["audit", "keygen"]
    assert audit["depends_on"]["audit-key"] == {"condition": "service_completed_successfully"}
    assert audit["environment"]["AUDIT_SIGNING_KEY_FILE"] == keygen["command"][2]


def test_compose_environment_names_are_settings_the_code_reads():
    for name, cls in SETTINGS.items():
        unknown = set(COMPOSE["services"][name]["environment"]) - env_names(cls)
        assert not unknown, f"{name}: compose sets {unknown}, which no setting reads"


def test_published_ports_match_each_services_settings():
    for name, cls in SETTINGS.items():
        env = COMPOSE["services"][name]["environment"]
        port = env[f"{name.upper()}_PORT"]
        # loopback only: the development stack's public signing key must not be reachable from the network
        assert port == cls().port and COMPOSE["services"][name]["ports"] == [f"127.0.0.1:{port}:{port}"]


def test_nothing_in_compose_is_published_beyond_loopback():
    for name, service in COMPOSE["services"].items():
        for published in service.get("ports", []):
            assert str(published).startswith("127.0.0.1:"), (name, published)


def test_compose_creates_exactly_the_contract_topics():
    script = COMPOSE["services"]["kafka-init"]["command"][0]
    listed = re.search(r"for t in (.*?);", script, re.S).group(1).split()
    assert sorted(listed) == sorted(ALL_TOPICS)


def test_database_url_uses_the_async_driver_and_the_compose_database():
    url = COMPOSE["services"]["triage"]["environment"]["DATABASE_URL"]
    pg = COMPOSE["services"]["postgres"]["environment"]
    assert url == f"postgresql+asyncpg://{pg['POSTGRES_USER']}:{pg['POSTGRES_PASSWORD']}@postgres:5432/{pg['POSTGRES_DB']}"
