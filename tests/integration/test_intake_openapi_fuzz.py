"""schemathesis against the served OpenAPI document of a running intake: no 5xx, no schema violations."""

import asyncio
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.infra import artefacts_dir
from tests.support.subprocess_service import ServiceProcess
from tests.support.system import RunningSystem
from tools.localinfra.processes import free_port, port_open, wait_until

pytestmark = pytest.mark.infra
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]


@pytest.fixture(scope="module")
def served_intake(endpoints):
    port = free_port()
    os.environ["INTAKE_PORT"], os.environ["INTAKE_RATE_LIMIT"] = str(port), "100000/minute"
    intake = ServiceProcess("intake", endpoints, artefacts_dir() / "intake-fuzz.log")
    try:
        intake.start()
        wait_until(lambda: port_open(port), timeout=60, what="intake")
        key = asyncio.run(RunningSystem(endpoints).partner_key("fuzz-partner"))
        yield f"http://127.0.0.1:{port}", key
    finally:
        del os.environ["INTAKE_PORT"], os.environ["INTAKE_RATE_LIMIT"]
        intake.stop()


def test_no_server_errors_and_responses_match_the_contract(served_intake):
    """Every operation of the served document, fuzzed by schemathesis' generator (pytest 9 cannot load its
    pytest plugin, so the operations are driven here with hypothesis directly)."""
    url, key = served_intake
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} == {"POST /v1/referrals", "GET /v1/referrals/{referral_id}"}
    calls: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case):
            response = case.call_and_validate(base_url=url, headers={"Authorization": f"Bearer {key}"},
                                              checks=CHECKS)
            calls.append(response.status_code)

        fuzz()
    assert len(calls) >= 1_000 and all(code < 500 for code in calls)
    print(f"\nschemathesis: {len(calls)} requests, status codes {sorted(set(calls))}")
