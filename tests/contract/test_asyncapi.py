"""The AsyncAPI document: generated from the six services' brokers and the contract, committed, and checked
here against both, so it cannot drift from the code (issue "Trust from outside", item 4)."""

import importlib
import inspect
import json
import pkgutil

import pytest
from fastapi.testclient import TestClient

import shared.events
from shared.asyncapi_docs import DOCUMENT, topics
from shared.events.catalogue import TOPIC_EVENTS
from shared.events.envelope import EventEnvelope
from shared.events.topics import ALL_TOPICS, DLQ_TOPICS, EVENT_TOPICS
from services.people.domain.match_policy import DEFAULT as MATCH_POLICY
from services.people.entrypoints.http import create_app
from tools.asyncapi import generate, render

NOT_ON_KAFKA = {"TrailRead"}  # audit writes it straight into its own log (shared/events/audit.py)


@pytest.fixture(scope="module")
def generated() -> dict:
    return generate()


def event_models() -> dict[str, type[EventEnvelope]]:
    found = {}
    for module in pkgutil.iter_modules(shared.events.__path__):
        for _, cls in inspect.getmembers(importlib.import_module(f"shared.events.{module.name}"), inspect.isclass):
            event_type = cls.model_fields["event_type"].default if issubclass(cls, EventEnvelope) else None
            if isinstance(event_type, str):
                found[event_type] = cls
    return found


def test_the_committed_document_is_what_the_services_and_the_contract_generate(generated):
    assert DOCUMENT.read_text() == render(generated), "stale: run `frontdoor docs asyncapi` and commit it"


def test_every_topic_is_a_channel_with_its_producers_and_consumers(generated):
    listed = topics(generated)
    assert set(listed) == set(ALL_TOPICS)
    for topic in EVENT_TOPICS:
        assert listed[topic]["publishers"] and listed[topic]["consumers"], topic
        assert "audit" in listed[topic]["consumers"], topic
    assert all(listed[topic]["consumers"] == {"audit"} for topic in DLQ_TOPICS)
    assert listed["referrals.received"]["publishers"] == {"intake"}
    assert listed["referrals.triaged"]["consumers"] == {"audit", "casework", "intake", "notify", "people"}


def test_every_event_of_the_contract_is_on_a_topic_with_its_own_schema(generated):
    models = event_models()
    on_topics = {m.__name__ for events in TOPIC_EVENTS.values() for m in events}
    assert set(models) - NOT_ON_KAFKA == on_topics
    schemas = generated["components"]["schemas"]
    for name in on_topics:
        assert schemas[name]["properties"]["event_type"]["const"] == name
        assert "referral_id" in schemas[name]["required"] and "payload" in schemas[name]["properties"]


def test_the_document_is_served_next_to_the_openapi_docs():
    client = TestClient(create_app(MATCH_POLICY))
    page = client.get("/asyncapi")
    assert page.status_code == 200 and all(f"<td>{topic}</td>" in page.text for topic in ALL_TOPICS)
    assert client.get("/asyncapi.json").json() == json.loads(DOCUMENT.read_text())
    assert client.get("/docs").status_code == 200
