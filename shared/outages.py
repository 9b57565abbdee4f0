"""Which failures mean "the database or the broker is unavailable", however the exception is wrapped.

An outage is waited out; it is never the message's fault, so it never spends a message's retry budget and
never sends anything to a dead-letter topic, and intake answers it with 503 + Retry-After. SQLAlchemy raises
some outages as a bare `DBAPIError` (PostgreSQL's "the database system is starting up", 57P03, arrives that
way), so the classification looks at SQLSTATE codes and driver exception types along the whole chain
(`orig` and `__cause__`; not the implicit `__context__`, which
may be an unrelated error that was being handled), not at the outermost type alone.

SQLSTATE classes (PostgreSQL manual, appendix A): 08 connection exception; 53 insufficient resources (too many
connections, disk full, out of memory); 57P01-57P03 and 57P05 shutdown, crash, starting up, idle timeout; 58
system (I/O) error; 25006 read-only transaction (a failover left us on a standby); 40001/40P01 serialisation
failure and deadlock (retrying works).
"""

import asyncio

from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError
from asyncpg.exceptions import InterfaceError as AsyncpgInterfaceError
from asyncpg.exceptions import PostgresConnectionError
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "58")
UNAVAILABLE_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "57P05", "25006", "40001", "40P01"})
UNAVAILABLE_TYPES = (OSError, ConnectionError, TimeoutError, asyncio.TimeoutError, OperationalError, InterfaceError,
                     DisconnectionError, PoolTimeoutError, PostgresConnectionError, AsyncpgInterfaceError,
                     KafkaConnectionError, KafkaTimeoutError)
MAX_CHAIN = 16
NOT_OUTAGES = (FileNotFoundError, FileExistsError, PermissionError, IsADirectoryError, NotADirectoryError)


def _sqlstate(exc: BaseException) -> str | None:
    code = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    return code if isinstance(code, str) and len(code) == 5 else None


def _one_is_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, KafkaError) and exc.retriable:
        return True
    if (code := _sqlstate(exc)) is not None:
        return code in UNAVAILABLE_SQLSTATES or code[:2] in UNAVAILABLE_SQLSTATE_CLASSES
    return isinstance(exc, UNAVAILABLE_TYPES) and not isinstance(exc, NOT_OUTAGES)  # a missing file is no outage


def _chain(exc: BaseException):
    """The exception and everything it wraps, each once."""
    seen: set[int] = set()
    todo = [exc]
    while todo and len(seen) < MAX_CHAIN:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        todo.extend(e for e in (getattr(current, "orig", None), current.__cause__) if isinstance(e, BaseException))
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)


def is_unavailable(exc: BaseException) -> bool:
    """True when `exc`, or anything it wraps, says PostgreSQL or Kafka cannot serve us right now."""
    return any(_one_is_unavailable(e) for e in _chain(exc) if isinstance(e, BaseException))


def is_missing_table(exc: BaseException) -> bool:
    """PostgreSQL's "relation does not exist" (42P01): a schema its service has not migrated yet."""
    return any(_sqlstate(e) == "42P01" for e in _chain(exc))
