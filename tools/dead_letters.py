"""Dead letters: what consumers and outbox relays set aside, and what operators did about each.

Everything is on Kafka: each `<topic>.dlq` holds the dead letters (the original message with `dlq-*` headers
naming its source and error, or a small notice for an outbox row set aside in the database), and the records
operators add with `frontdoor dlq replay|resolve` (header `dlq-action`). Audit consumes the DLQ topics, so every
dead letter and every operator action is in the hash-chained log, on the child's trail.
"""

import json
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer

from shared.events.topics import DLQ_TOPICS
from shared.messaging.topic_scan import records_on

REASON_LIMIT = 200


class CannotReplay(Exception):
    pass


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes
    headers: dict[str, str]

    @property
    def id(self) -> str:
        return f"{self.topic}:{self.partition}:{self.offset}"

    @property
    def action(self) -> str | None:
        """'replayed' or 'resolved' for an operator's record; None for a dead letter."""
        return self.headers.get("dlq-action")

    @property
    def source_topic(self) -> str:
        return self.headers.get("dlq-source-topic") or self.topic.removesuffix(".dlq")

    @property
    def set_aside(self) -> str | None:
        """Where the relay kept an outbox row Kafka refused (it is not on Kafka, so it cannot be replayed)."""
        return self.headers.get("dlq-set-aside")

    def summary(self) -> dict:
        """Ids and codes only: what `list` prints and a monitor may log."""
        return {"id": self.id, "source_topic": self.source_topic, "event_type": self.headers.get("event-type"),
                "event_id": self.headers.get("event-id"), "referral_id": (self.key or b"").decode(errors="replace"),
                "error": self.headers.get("dlq-error"), "set_aside": self.set_aside}


async def read_all(bootstrap: str) -> list[DeadLetter]:
    records = await records_on(bootstrap, *DLQ_TOPICS, client_id="frontdoor-dlq")
    return [DeadLetter(r.topic, r.partition, r.offset, r.timestamp, r.key, r.value,
                       {k: v.decode(errors="replace") for k, v in r.headers or ()})
            for r in sorted(records, key=lambda r: (r.timestamp, r.topic, r.partition, r.offset))]


def with_outcomes(records: list[DeadLetter]) -> list[tuple[DeadLetter, DeadLetter | None]]:
    """Each dead letter with the operator record that dealt with it (None while it is open)."""
    handled = {r.headers.get("dlq-replay-of"): r for r in records if r.action}
    return [(r, handled.get(r.id)) for r in records if not r.action]


def _producer(bootstrap: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(bootstrap_servers=bootstrap, client_id="frontdoor-dlq", acks="all",
                            enable_idempotence=True)


async def record_action(producer: AIOKafkaProducer, letter: DeadLetter, action: str, operator: str,
                        reason: str) -> None:
    """The operator's record, on the same DLQ topic, so audit logs it and `list` shows the letter handled."""
    headers = {"dlq-action": action, "dlq-replay-of": letter.id, "dlq-operator": operator,
               "dlq-reason": reason[:REASON_LIMIT], "dlq-source-topic": letter.source_topic,
               **{k: letter.headers[k] for k in ("event-id", "event-type") if k in letter.headers}}
    body = json.dumps({"action": action, "of": letter.id, "operator": operator}).encode()
    await producer.send_and_wait(letter.topic, body, key=letter.key,
                                 headers=[(k, v.encode()) for k, v in headers.items()])


async def replay(bootstrap: str, letter: DeadLetter, *, operator: str, reason: str) -> None:
    """Publish the original message to its source topic again (consumers de-duplicate by event id, so a
    message that did land once is harmless), then record the replay."""
    if letter.action:
        raise CannotReplay(f"{letter.id} is an operator's record, not a dead letter")
    if letter.set_aside:
        raise CannotReplay(f"{letter.id} is a notice: the message was never published and is kept in "
                           f"{letter.set_aside}; fix or remove that row, then `frontdoor dlq resolve` it")
    producer = _producer(bootstrap)
    await producer.start()
    try:
        original = [(k, v.encode()) for k, v in letter.headers.items() if not k.startswith("dlq-")]
        await producer.send_and_wait(letter.source_topic, letter.value, key=letter.key,
                                     headers=[*original, ("dlq-replayed-from", letter.id.encode())])
        await record_action(producer, letter, "replayed", operator, reason)
    finally:
        await producer.stop()


async def resolve(bootstrap: str, letter: DeadLetter, *, operator: str, reason: str) -> None:
    """Close a dead letter without replaying it (a person followed it up by other means)."""
    producer = _producer(bootstrap)
    await producer.start()
    try:
        await record_action(producer, letter, "resolved", operator, reason)
    finally:
        await producer.stop()
