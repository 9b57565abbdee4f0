"""What a failure leaves behind carries no child's details (issue "Security and integrity" item 3): a failing
statement's error names the SQL but not the values bound to it, and a span's exception event keeps the
exception's type, never its message or stack trace (a driver may quote a bound value in its message)."""

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from shared.db.engine import make_engine
from shared.settings import PlatformSettings
from shared.telemetry import make_tracer_provider

pytestmark = pytest.mark.infra
MARKER = "Zebedee Markername 2016-05-04"


async def test_a_database_error_names_the_statement_not_its_parameters(endpoints):
    engine = make_engine(endpoints.database_url, pool_size=1)
    try:
        with pytest.raises(DBAPIError) as failed:
            async with engine.begin() as conn:
                await conn.execute(text("SELECT CAST(:name AS text), 1 / 0"), {"name": MARKER})
        assert "division by zero" in str(failed.value) and MARKER not in str(failed.value)
        assert "SQL parameters hidden" in str(failed.value)
    finally:
        await engine.dispose()


async def test_a_span_keeps_an_exceptions_type_not_its_text(endpoints):
    exported = InMemorySpanExporter()
    provider = make_tracer_provider("test", PlatformSettings(), processor=SimpleSpanProcessor(exported))
    engine = make_engine(endpoints.database_url, pool_size=1)
    try:
        with pytest.raises(DBAPIError), provider.get_tracer("t").start_as_current_span("handle"):
            async with engine.begin() as conn:  # asyncpg quotes a value it cannot encode in its own message
                await conn.execute(text("SELECT CAST(:name AS integer)"), {"name": MARKER})
    finally:
        await engine.dispose()
    [span] = exported.get_finished_spans()
    [event] = span.events
    assert event.name == "exception" and set(event.attributes) <= {"exception.type", "exception.escaped"}
    assert span.status.status_code is StatusCode.ERROR and not span.status.description
    assert MARKER not in str(span.to_json())
