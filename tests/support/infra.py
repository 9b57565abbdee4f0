"""The real Kafka broker and PostgreSQL the integration and end-to-end tests share.

Where a Docker engine answers, testcontainers provides both; otherwise the project's own local stack (the
same one `make run` uses, in a separate state directory and on free ports). Either way a fresh database is
created for the session, and everything started is stopped at the end by pid (or by the container API).
"""

import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

from tools.localinfra.databases import fresh_database  # noqa: F401  (re-exported for the tests)
from tools.localinfra.dev_env import prepare
from tools.localinfra.stack import PROJECT_ROOT, Endpoints, LocalStack

TEST_STATE = PROJECT_ROOT / ".frontdoor" / "test-stack"


def docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0


@contextmanager
def containers():
    from testcontainers.kafka import KafkaContainer
    from testcontainers.postgres import PostgresContainer

    with KafkaContainer("apache/kafka:4.1.1").with_kraft() as kafka, PostgresContainer("postgres:17") as pg:
        url = pg.get_connection_url().replace("postgresql+psycopg2://", "postgresql+asyncpg://")
        yield Endpoints(kafka.get_bootstrap_server(), url)


@contextmanager
def local_stack():
    stack = LocalStack(state_dir=TEST_STATE)
    given = stack.external()
    started = given is None and stack.status() is None
    if started:  # what an interrupted session left (a broker's unclean logs are recovered slowly) goes first
        stack.down()
        shutil.rmtree(TEST_STATE, ignore_errors=True)
    try:
        yield prepare(stack)[0]  # as `infra up` does: servers, then the settings file a CLI in a new shell reads
    finally:
        if started:
            stack.down()
            shutil.rmtree(TEST_STATE, ignore_errors=True)  # the next session starts from nothing


@contextmanager
def real_services():
    with (containers() if docker_answers() else local_stack()) as endpoints:
        yield endpoints


def artefacts_dir() -> Path:
    path = PROJECT_ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
