"""What `frontdoor` says when the database or the broker cannot be reached: one line that also names the failing
step (a start-up timeout in CI said only "TimeoutError"), and never a statement's parameters."""

from sqlalchemy.exc import OperationalError

from tools.cli import what_failed


def test_an_unreachable_server_is_named_by_the_driver_not_by_the_statement_and_its_parameters():
    """A SQLAlchemy error's text carries the statement's parameters, which may be a child's details."""
    wrapped = OperationalError("SELECT * FROM people WHERE name = $1", ("Ada Lovelace",), ConnectionRefusedError(
        111, "Connect call failed ('127.0.0.1', 5432)"))
    assert what_failed(wrapped) == "OperationalError: [Errno 111] Connect call failed ('127.0.0.1', 5432)"
    assert what_failed(TimeoutError("the witness not ready after 30s")) == (
        "TimeoutError: the witness not ready after 30s")
    assert what_failed(TimeoutError()) == "TimeoutError"
