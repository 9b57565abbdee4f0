"""How a consumer handles one message: retry what can succeed later, dead-letter what cannot.

- Infrastructure failures (database or broker unreachable) are retried with backoff for up to a minute and
  then re-raised, so the offset is not committed and the message is read again: nothing is skipped while
  Postgres is down.
- Anything else (a message that does not parse, a bug it triggers) is retried a bounded number of times and
  then published to `<topic>.dlq` with the error's type and field locations (never its input values), and
  the offset moves on: one poison message never blocks its partition.
"""

import logging
from collections.abc import Awaitable, Callable, Sequence

from opentelemetry.trace import Tracer
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_exponential_jitter

from shared.events.topics import dlq_topic
from shared.messaging.traced_batch import TracedBatch

log = logging.getLogger(__name__)
INFRASTRUCTURE_ERRORS = (OSError, ConnectionError, TimeoutError, OperationalError, InterfaceError)
INFRASTRUCTURE_PATIENCE_SECONDS = 60.0


class PoisonMessage(Exception):
    """The message itself is wrong: retrying can never help."""


def is_infrastructure_error(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, INFRASTRUCTURE_ERRORS)


def describe(exc: BaseException) -> str:
    """An error description safe to put in a DLQ header or a log: types and field paths, no values."""
    if isinstance(exc, PoisonMessage):
        return f"PoisonMessage: {exc}"
    if isinstance(exc, ValidationError):
        fields = ", ".join(".".join(map(str, e["loc"])) + f" ({e['type']})" for e in exc.errors()[:10])
        return f"ValidationError: {fields}"
    cause = exc.__cause__ or exc.__context__
    return type(exc).__name__ + (f" caused by {type(cause).__name__}" if cause else "")


class DeliveryPolicy:
    """Runs a message handler under the retry and dead-letter rules above."""

    def __init__(self, publish_dlq: Callable[..., Awaitable], *, max_attempts: int = 5,
                 initial_backoff: float = 0.1, max_backoff: float = 5.0,
                 infrastructure_patience: float = INFRASTRUCTURE_PATIENCE_SECONDS,
                 tracer: Tracer | None = None) -> None:
        self._publish_dlq, self._tracer = publish_dlq, tracer
        self._patience = infrastructure_patience
        self._max_attempts = max_attempts
        self._wait = wait_exponential_jitter(initial=initial_backoff, max=max_backoff)

    def _should_stop(self, state: RetryCallState) -> bool:
        exc = state.outcome.exception()
        if isinstance(exc, PoisonMessage):
            return True
        if is_infrastructure_error(exc):
            return state.seconds_since_start >= self._patience
        return state.attempt_number + 1 >= self._max_attempts  # + the first try, made before retrying starts

    async def run(self, handle: Callable[[], Awaitable[None]], records: Sequence) -> None:
        """Run `handle` for `records` (aiokafka ConsumerRecords: one, or one partition's batch)."""
        try:
            await handle()  # the common case, without the retry machinery's per-message cost
            return
        except PoisonMessage as exc:
            await self.dead_letter(records, describe(exc))
            return
        except Exception:
            pass
        retrying = AsyncRetrying(stop=self._should_stop, wait=self._wait, reraise=True,
                                 retry=retry_if_exception(lambda e: not isinstance(e, PoisonMessage)))

        async def attempt() -> None:
            await handle()

        try:
            await retrying(attempt)
        except Exception as exc:
            if is_infrastructure_error(exc):
                raise  # not committed: read again once the infrastructure is back
            await self.dead_letter(records, describe(exc))

    async def run_batch(self, records: Sequence, decode_one: Callable[[bytes], object],
                        handle_many: Callable[[TracedBatch], Awaitable[None]]) -> None:
        """One poll's records in one transaction (`handle_many`), which is what makes a consumer fast.

        Records that do not decode are dead-lettered on their own. If the batch fails for any reason other
        than the infrastructure, each record is then run alone under `run`, so a poison message is isolated
        and its neighbours still land (their inbox rows make the earlier partial attempt harmless)."""
        pairs, good = [], []
        for record in records:
            try:
                pairs.append((record, decode_one(record.value)))
                good.append(record)
            except PoisonMessage as exc:
                await self.dead_letter((record,), describe(exc))
        if not pairs:
            return
        batch = TracedBatch(pairs, self._tracer)

        async def handle(part: TracedBatch) -> None:
            try:
                await handle_many(part)
            finally:
                part.close()

        try:
            await handle(batch)
            return
        except Exception as exc:
            if is_infrastructure_error(exc):
                await self.run(lambda: handle(batch), good)  # waits the outage out, or re-raises
                return
        for record, single in zip(good, batch.split()):
            await self.run(lambda single=single: handle(single), (record,))

    async def dead_letter(self, records: Sequence, reason: str) -> None:
        for record in records:
            log.error("dead-lettering %s[%s]@%s: %s", record.topic, record.partition, record.offset, reason)
            headers = {k: v.decode(errors="replace") for k, v in record.headers or ()}
            await self._publish_dlq(record.value, dlq_topic(record.topic), key=record.key, headers={
                **headers, "dlq-error": reason, "dlq-source-topic": record.topic,
                "dlq-source-offset": f"{record.partition}:{record.offset}"})

def decode(model, body: bytes):
    """Parse a message body with its contract model; a body that does not fit is poison, not a retry."""
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise PoisonMessage(describe(exc)) from exc
