"""One trace runs from the partner's POST through people, triage, casework, notify and audit (in-memory exporter,
real broker)."""

import uuid

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.support.observe import fetch, wait_for
from tests.support.referrals import PERSONAL_VALUES, referral_body
from tests.support.system import RunningSystem

pytestmark = pytest.mark.infra


@pytest.fixture(scope="module")
async def traced(endpoints):
    exporter = InMemorySpanExporter()
    running = await RunningSystem(endpoints, span_processor=SimpleSpanProcessor(exporter)).start()
    yield running, exporter
    await running.stop()


def services_in(spans, trace_id: int) -> set[str]:
    return {s.resource.attributes["service.name"] for s in spans if s.context.trace_id == trace_id}


async def test_a_referral_is_one_trace_across_all_six_services(traced):
    system, exporter = traced
    key = await system.partner_key()
    async with system.client(key) as client:
        response = await client.post("/v1/referrals", json=referral_body(),
                                     headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 202
    rid = uuid.UUID(response.json()["referral_id"])
    await wait_for(lambda: fetch(system.endpoints.database_url, "SELECT 1 FROM audit.log WHERE referral_id = $1 "
                                 "AND event_type = 'NotificationSent'", rid), what="notification audited")

    spans = exporter.get_finished_spans()
    post_span = next(s for s in spans if s.attributes.get("http.route") == "/v1/referrals"
                     and s.kind.name == "SERVER")
    trace_id = post_span.context.trace_id
    await wait_for(lambda: _all_six(exporter, trace_id), what="spans from all six services in one trace")
    await wait_for(lambda: _consumed(exporter, trace_id), what="each consumer's span in the referral's trace")

    for span in exporter.get_finished_spans():
        rendered = str(dict(span.attributes or {})) + span.name + str([dict(e.attributes or {}) for e in span.events])
        assert not any(value in rendered for value in PERSONAL_VALUES), span.name


CONSUMED = {("frontdoor-people", "referrals.received process"), ("frontdoor-triage", "referrals.identified process"),
            ("frontdoor-casework", "referrals.identified process"), ("frontdoor-casework", "referrals.triaged process"),
            ("frontdoor-notify", "referrals.triaged process"), ("frontdoor-audit", "referrals.received process"),
            ("frontdoor-audit", "notifications.events process")}


async def _consumed(exporter, trace_id) -> bool:
    """Each consumer's `<topic> process` span (the delivery policy's) continues the referral's trace."""
    return CONSUMED <= {(s.resource.attributes["service.name"], s.name) for s in exporter.get_finished_spans()
                        if s.context.trace_id == trace_id and s.kind.name == "CONSUMER"}


async def _all_six(exporter, trace_id):
    return services_in(exporter.get_finished_spans(), trace_id) >= {
        "frontdoor-intake", "frontdoor-people", "frontdoor-triage", "frontdoor-casework", "frontdoor-notify",
        "frontdoor-audit"}
