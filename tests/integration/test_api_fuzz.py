"""schemathesis against the served OpenAPI documents of the staff, audit and notify APIs on the real database:
at least 1,000 generated requests per API, and not one 5xx (issue "Security and integrity" item 1). Intake's
own run is `test_intake_openapi_fuzz.py`."""

import math

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from shared.auth.tokens import AuthSettings, Tokens
from tests.support.infra import artefacts_dir
from tests.support.subprocess_service import ServiceProcess
from tools.localinfra.processes import free_port, port_open, wait_until

pytestmark = pytest.mark.infra
PER_API = 1_000
CALLBACK_TOKEN = "fuzz-callback-token"


@pytest.fixture(scope="module")
def served(endpoints):
    """Each API in its own process (schemathesis calls synchronously, so the services cannot share its loop)."""
    ports = {name: free_port() for name in ("casework", "triage", "audit", "notify")}
    env = {f"{name.upper()}_PORT": str(port) for name, port in ports.items()} | {
        "NOTIFY_CALLBACK_TOKEN": CALLBACK_TOKEN}
    processes = [ServiceProcess(name, endpoints, artefacts_dir() / f"fuzz-{name}.log", env=env) for name in ports]
    try:
        for process in processes:
            process.start()
        for port in ports.values():
            wait_until(lambda port=port: port_open(port), timeout=90, what="a fuzzed API")
        yield {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    finally:
        for process in processes:
            process.stop()


def fuzz(url: str, headers: dict, at_least: int = PER_API) -> list[int]:
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    per_operation = math.ceil(at_least / len(operations))
    codes: list[int] = []
    for _ in range(10):  # operations with few distinct inputs yield few examples a round: go round again
        for operation in operations:

            @given(case=operation.as_strategy())
            @settings(max_examples=per_operation, deadline=None, suppress_health_check=list(HealthCheck),
                      database=None)
            def run(case):
                codes.append(case.call_and_validate(base_url=url, headers=headers,
                                                    checks=[not_a_server_error]).status_code)

            run()
        if len(codes) >= at_least:
            break
    return codes


@pytest.mark.parametrize("api", ["staff", "triage", "audit", "notify"])
def test_no_server_errors_under_fuzzing(served, api):
    tokens = Tokens(AuthSettings())
    url, headers = {
        "staff": (served["casework"], {"Authorization": f"Bearer {tokens.issue('mo', ['manager'])}"}),
        "triage": (served["triage"], {}),
        "audit": (served["audit"], {"Authorization": f"Bearer {tokens.issue('ada', ['auditor'])}"}),
        "notify": (served["notify"], {"Authorization": f"Bearer {CALLBACK_TOKEN}"}),
    }[api]
    codes = fuzz(url, headers)
    print(f"\n{api}: {len(codes)} requests, status codes {sorted(set(codes))}")
    assert len(codes) >= PER_API and all(code < 500 for code in codes)
