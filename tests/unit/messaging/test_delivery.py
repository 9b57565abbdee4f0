"""The consumer delivery policy: poison to the DLQ at once, bugs after bounded retries, outages re-raised."""

from dataclasses import dataclass, field

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import OperationalError

from shared.messaging.delivery import DeliveryPolicy, PoisonMessage, decode


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

    impatient = DeliveryPolicy(dlq, initial_backoff=0.001, max_backoff=0.002, infrastructure_patience=0.01)
    with pytest.raises(OperationalError):
        await impatient.run(handle, [Record()])
    assert dlq.published == []


def test_poison_message_describes_fields_not_values():
    with pytest.raises(PoisonMessage) as caught:
        decode(Model, b"{}")
    assert str(caught.value) == "ValidationError: name (missing)"
    assert isinstance(caught.value.__cause__, ValidationError)


def decode_model(value: bytes) -> Model:
    return decode(Model, value)


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

    impatient = DeliveryPolicy(dlq, initial_backoff=0.001, max_backoff=0.002, infrastructure_patience=0.01)
    with pytest.raises(OperationalError):
        await impatient.run_batch([Record(value=b'{"name": "a"}')], decode_model, handle_many)
    assert dlq.published == []
