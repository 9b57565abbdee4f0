"""The consumer delivery policy: poison to the DLQ at once, bugs after bounded retries, outages re-raised."""

from dataclasses import dataclass, field

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import OperationalError

from shared.messaging.delivery import DeliveryPolicy, PoisonMessage, decode, decode_typed


@dataclass
class Record:
    topic: str = "referrals.received"
    value: bytes = b'{"x": 1}'
    key: bytes = b"r1"
    partition: int = 0
    offset: int = 7
    headers: list = field(default_factory=lambda: [("event-id", b"e1")])


class FakeDlq:
    def __init__(self) -> None:
        self.published: list[tuple] = []

    async def __call__(self, value, topic, *, key, headers):
        self.published.append((value, topic, key, headers))


class Model(BaseModel):
    name: str


def policy(dlq) -> DeliveryPolicy:
    return DeliveryPolicy(dlq, max_attempts=3, initial_backoff=0.001, max_backoff=0.002)


async def test_a_body_that_does_not_fit_the_contract_goes_to_the_dlq_once_without_its_values():
    dlq, calls = FakeDlq(), []

    async def handle():
        calls.append(1)
        decode(Model, b'{"name": 12345678, "extra": "secret-name"}')

    await policy(dlq).run(handle, [Record()])
    assert len(calls) == 1
    value, topic, key, headers = dlq.published[0]
    assert (topic, key, value) == ("referrals.received.dlq", b"r1", b'{"x": 1}')
    assert headers["dlq-source-offset"] == "0:7" and headers["event-id"] == "e1"
    assert "name (string_type)" in headers["dlq-error"] and "12345678" not in headers["dlq-error"]


async def test_a_failing_handler_is_retried_then_dead_lettered():
    dlq, calls = FakeDlq(), []

    async def handle():
        calls.append(1)
        raise KeyError("bug")

    await policy(dlq).run(handle, [Record(), Record(offset=8)])
    assert len(calls) == 3  # max_attempts in all, the first try included
    assert [h["dlq-source-offset"] for *_, h in dlq.published] == ["0:7", "0:8"]


async def test_a_transient_failure_succeeds_on_retry_without_a_dlq():
    dlq, calls = FakeDlq(), []

    async def handle():
        calls.append(1)
        if len(calls) < 2:
            raise RuntimeError("flaky")

    await policy(dlq).run(handle, [Record()])
    assert len(calls) == 2 and dlq.published == []


async def test_an_infrastructure_outage_is_re_raised_so_the_offset_is_not_committed():
    dlq = FakeDlq()

    async def handle():
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError())

    impatient = DeliveryPolicy(dlq, initial_backoff=0.001, max_backoff=0.002, infrastructure_patience=0.01,
                               healthy=database_down)
    with pytest.raises(OperationalError):
        await impatient.run(handle, [Record()])
    assert dlq.published == []


def test_poison_message_describes_fields_not_values():
    with pytest.raises(PoisonMessage) as caught:
        decode(Model, b"{}")
    assert str(caught.value) == "ValidationError: name (missing)"
    assert isinstance(caught.value.__cause__, ValidationError)


async def database_down() -> bool:
    return False


def decode_model(record) -> Model:
    return decode(Model, record.value)


async def test_a_batch_runs_in_one_call_and_a_record_that_does_not_decode_is_dead_lettered_alone():
    dlq, batches = FakeDlq(), []

    async def handle_many(events):
        batches.append([e.name for e in events])

    records = [Record(value=b'{"name": "a"}'), Record(value=b"{}", offset=8), Record(value=b'{"name": "c"}', offset=9)]
    await policy(dlq).run_batch(records, decode_model, handle_many)
    assert batches == [["a", "c"]]
    assert [h["dlq-source-offset"] for *_, h in dlq.published] == ["0:8"]


async def test_a_batch_that_fails_is_split_so_only_the_record_that_breaks_the_handler_is_dead_lettered():
    dlq, landed = FakeDlq(), []

    async def handle_many(events):
        if any(e.name == "bug" for e in events):
            raise KeyError("bug")
        landed.extend(e.name for e in events)

    records = [Record(value=b'{"name": "a"}'), Record(value=b'{"name": "bug"}', offset=8),
               Record(value=b'{"name": "c"}', offset=9)]
    await policy(dlq).run_batch(records, decode_model, handle_many)
    assert landed == ["a", "c"]
    assert [h["dlq-source-offset"] for *_, h in dlq.published] == ["0:8"]


async def test_a_batch_during_an_outage_is_re_raised_whole_and_nothing_is_dead_lettered():
    dlq = FakeDlq()

    async def handle_many(events):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError())

    impatient = DeliveryPolicy(dlq, initial_backoff=0.001, max_backoff=0.002, infrastructure_patience=0.01,
                               healthy=database_down)
    with pytest.raises(OperationalError):
        await impatient.run_batch([Record(value=b'{"name": "a"}')], decode_model, handle_many)
    assert dlq.published == []


async def test_a_starting_up_database_is_waited_out_without_spending_the_poison_budget():
    """The issue's failure: 57P03 arrives as a bare DBAPIError; it must never reach the DLQ, however many
    times it is seen, and the message then lands."""
    import asyncpg.exceptions as pg
    from sqlalchemy.exc import DBAPIError

    dlq, calls = FakeDlq(), []

    async def handle():
        calls.append(1)
        if len(calls) <= 10:  # more failures than max_attempts
            raise DBAPIError("INSERT", {}, pg.CannotConnectNowError("the database system is starting up"))

    await policy(dlq).run(handle, [Record()])
    assert len(calls) == 11 and dlq.published == []


async def test_any_error_while_the_database_fails_its_probe_is_an_outage_not_poison():
    dlq, calls, health = FakeDlq(), [], {"ok": False}

    async def healthy():
        return health["ok"]

    async def handle():
        calls.append(1)
        if len(calls) == 6:
            health["ok"] = True  # the database is back; the next try succeeds
        if not health["ok"]:
            raise RuntimeError("an error nobody classified")

    await DeliveryPolicy(dlq, max_attempts=2, initial_backoff=0.001, max_backoff=0.002, healthy=healthy).run(
        handle, [Record()])
    assert len(calls) == 6 and dlq.published == []


async def test_outage_attempts_do_not_count_against_a_poison_message_that_follows():
    from sqlalchemy.exc import OperationalError

    dlq, calls = FakeDlq(), []

    async def handle():
        calls.append(1)
        if len(calls) <= 4:
            raise OperationalError("SELECT 1", {}, ConnectionRefusedError())
        raise KeyError("bug")  # on a healthy system: poison after max_attempts (3) tries of its own

    await policy(dlq).run(handle, [Record()])
    assert len(calls) == 4 + 3
    assert len(dlq.published) == 1


async def test_an_error_that_says_unavailable_on_a_healthy_database_for_ever_is_eventually_poison():
    from sqlalchemy.exc import OperationalError

    dlq, calls = FakeDlq(), []

    async def handle():
        calls.append(1)
        raise OperationalError("SELECT 1", {}, TimeoutError())

    impatient = DeliveryPolicy(dlq, max_attempts=2, initial_backoff=0.001, max_backoff=0.002,
                               infrastructure_patience=0.01)
    await impatient.run(handle, [Record()])
    assert len(dlq.published) == 1 and len(calls) >= 2


class _Opened(BaseModel):
    event_type: str
    case: int


class _Closed(BaseModel):
    event_type: str
    outcome: str


def test_a_body_on_a_topic_of_several_types_is_parsed_with_the_model_its_event_type_names():
    models = {"Opened": _Opened, "Closed": _Closed}
    assert decode_typed(models, b'{"case": 7, "event_type": "Opened"}') == _Opened(event_type="Opened", case=7)
    assert decode_typed(models, b'{"event_type": "Closed", "outcome": "nfa"}') == _Closed(event_type="Closed",
                                                                                         outcome="nfa")
    for body, problem in ((b'{"case": 7}', "no event_type"), (b"[1, 2]", "no event_type"),
                          (b"not json", "no event_type"), (b'{"event_type": 5}', "no event_type"),
                          (b'{"event_type": "Reopened"}', "unknown event type 'Reopened'")):
        with pytest.raises(PoisonMessage, match=problem):
            decode_typed(models, body)
    with pytest.raises(PoisonMessage, match="case"):  # its own model still refuses what does not fit
        decode_typed(models, b'{"event_type": "Opened", "case": "seven"}')
