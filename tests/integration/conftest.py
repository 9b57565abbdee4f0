"""Fixtures shared by integration test modules."""

from tests.support.audit_log import log_db  # noqa: F401 - a fixture: pytest finds it by name
