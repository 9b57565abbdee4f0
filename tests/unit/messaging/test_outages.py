"""What counts as the database or broker being unavailable, however SQLAlchemy or a driver wraps it."""

import asyncpg.exceptions as pg
import pytest
from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError, NotLeaderForPartitionError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from shared.outages import is_unavailable


def wrapped(orig: Exception) -> DBAPIError:
    """As SQLAlchemy raises a driver error it has no more specific class for: a bare DBAPIError."""
    return DBAPIError("SELECT 1", {}, orig)


@pytest.mark.parametrize("orig", [
    pg.CannotConnectNowError("the database system is starting up"),  # 57P03, the error that lost referrals
    pg.AdminShutdownError("terminating connection due to administrator command"),  # 57P01
    pg.CrashShutdownError("terminating connection because of crash of another server process"),  # 57P02
    pg.TooManyConnectionsError("sorry, too many clients already"),  # 53300
    pg.ConnectionFailureError("connection failure"),  # 08006
    pg.ReadOnlySQLTransactionError("cannot execute INSERT in a read-only transaction"),  # 25006: failover
    pg.SerializationError("could not serialize access"),  # 40001
    pg.DiskFullError("could not extend file"),  # 53100
    ConnectionRefusedError(111, "Connection refused"),
])
def test_every_kind_of_database_unavailability_is_an_outage_even_inside_a_bare_dbapi_error(orig):
    assert is_unavailable(wrapped(orig))


def test_an_outage_found_through_the_cause_chain_counts():
    try:
        try:
            raise pg.CannotConnectNowError("starting up")
        except pg.CannotConnectNowError as inner:
            raise RuntimeError("handler failed") from inner
    except RuntimeError as outer:
        assert is_unavailable(outer)


def test_broker_unavailability_is_an_outage_but_a_message_kafka_refuses_is_not():
    assert is_unavailable(KafkaConnectionError("no broker"))
    assert is_unavailable(NotLeaderForPartitionError())
    assert not is_unavailable(MessageSizeTooLargeError())


@pytest.mark.parametrize("exc", [
    IntegrityError("INSERT", {}, pg.UniqueViolationError("duplicate key")),
    wrapped(pg.CharacterNotInRepertoireError("invalid byte sequence")),  # 22021: the message's own fault
    wrapped(pg.UndefinedColumnError("column does not exist")),  # 42703: a bug
    KeyError("bug"),
    ValueError("bad"),
])
def test_errors_a_message_or_a_bug_causes_are_not_outages(exc):
    assert not is_unavailable(exc)


def test_operational_error_with_a_connection_refused_is_an_outage():
    assert is_unavailable(OperationalError("SELECT 1", {}, ConnectionRefusedError()))


def test_a_missing_or_unreadable_file_is_not_an_outage():
    assert not is_unavailable(FileNotFoundError(2, "No such file or directory"))
    assert not is_unavailable(PermissionError(13, "Permission denied"))
