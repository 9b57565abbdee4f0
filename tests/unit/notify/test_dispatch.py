"""Claim, send, settle: a database outage after a send never sends again; a crash leaves at most the messages
in flight unsettled, and each of those is resolved by what its channel can do (domain/resend.py)."""

import asyncio
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy.exc import OperationalError

from services.notify.application.dispatch_notifications import DispatchNotifications
from services.notify.application.outcomes import Claimed
from services.notify.application.ports import PermanentSendError, RetryableSendError
from services.notify.domain.resend import AfterCrash, after_crash
from tests.support.fakes import FixedClock

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def Item(*, attempts: int = 0, previously_claimed_at: datetime | None = None) -> Claimed:
    rid = uuid4()
    return Claimed(id=uuid4(), reference=f"{rid}:{uuid4()}:ops", referral_id=rid, correlation_id=rid,
                   trigger_event_id=uuid4(), queue_id="early_help", rag="green", due_at=NOW, recipient_id="ops",
                   channel="webhook", address="https://example.test/hook", trigger="ReferralTriaged",
                   purpose="action", status="sending", attempts=attempts, trace_headers={},
                   previously_claimed_at=previously_claimed_at)


class Store:
    def __init__(self, due: list[Item], commit_failures: int = 0) -> None:
        self.due, self.outcomes, self.commit_failures = due, [], commit_failures
        self.settlements: list = []


class FakeClaims:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def claim_due(self, batch, lease_seconds):
        claimed, self.store.due = self.store.due[:batch], self.store.due[batch:]
        return claimed


class FakeUow:
    def __init__(self, store: Store) -> None:
        self.store, self.pending = store, []

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return None

    async def settle(self, item, settlement):
        self.pending.append((settlement.attempt, item.id))
        self.store.settlements.append(settlement)

    async def commit(self):
        if self.pending and self.store.commit_failures:
            self.store.commit_failures -= 1
            raise OperationalError("COMMIT", {}, ConnectionRefusedError())
        self.store.outcomes.extend(self.pending)


class FakeChannel:
    def __init__(self, *, resend_is_safe=True, already=None) -> None:
        self.resend_is_safe, self._already, self.sent = resend_is_safe, already, []

    async def send(self, message):
        self.sent.append(message.reference)

    async def already_sent(self, message):
        return self._already

    async def close(self):
        return None


def dispatcher(store: Store, channel: FakeChannel) -> DispatchNotifications:
    return DispatchNotifications(uow=lambda: FakeUow(store), claims=FakeClaims(store), channels={"webhook": channel},
                                 clock=FixedClock(NOW), console_url="http://console.test", in_flight=3)


async def test_an_outage_while_recording_a_send_waits_it_out_and_never_sends_again():
    item, channel = Item(), FakeChannel()
    store = Store([item], commit_failures=3)
    assert await dispatcher(store, channel).dispatch_due() == 1
    assert channel.sent == [item.reference]
    assert store.outcomes == [("sent", item.id)]


async def test_each_message_is_settled_on_its_own_and_a_claim_is_at_most_in_flight_messages():
    items, channel = [Item() for _ in range(5)], FakeChannel()
    store = Store(list(items))
    d = dispatcher(store, channel)
    assert await d.dispatch_due() == 3
    assert len(store.outcomes) == 3 and len(channel.sent) == 3


@pytest.mark.parametrize(("channel", "sends", "outcome"), [
    (FakeChannel(resend_is_safe=True), 1, "sent"),              # webhook / SMTP: receivers de-duplicate
    (FakeChannel(resend_is_safe=False, already=True), 0, "sent"),  # GOV.UK Notify has it already
    (FakeChannel(resend_is_safe=False, already=False), 1, "sent"),  # Notify never got it: send
    (FakeChannel(resend_is_safe=False, already=None), 0, "in_doubt"),  # nobody can tell: a person checks
])
async def test_a_message_left_unsettled_by_a_crash_is_resolved_by_what_its_channel_can_do(channel, sends, outcome):
    item = Item(previously_claimed_at=datetime(2026, 12, 1, tzinfo=UTC))
    store = Store([item])
    await dispatcher(store, channel).dispatch_due()
    assert len(channel.sent) == sends
    assert store.outcomes == [(outcome, item.id)]


def test_after_crash_rules():
    assert after_crash(True, False) is AfterCrash.ALREADY_SENT
    assert after_crash(None, True) is AfterCrash.SEND
    assert after_crash(None, False) is AfterCrash.IN_DOUBT


class FailingChannel(FakeChannel):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    async def send(self, message):
        raise self.error


@pytest.mark.parametrize(("error", "outcome"), [
    (RetryableSendError("http 503"), "retry"),
    (PermanentSendError("http 404"), "failed"),
])
async def test_a_failed_send_is_settled_as_a_retry_or_a_failure(error, outcome):
    item = Item()
    store = Store([item])
    await dispatcher(store, FailingChannel(error)).dispatch_due()
    assert store.outcomes == [(outcome, item.id)]


@pytest.mark.parametrize(("channel", "events", "status"), [
    (FakeChannel(), [("NotificationSent", "notifications.events")], "sent"),
    (FailingChannel(PermanentSendError("http 404")),
     [("NotificationFailed", "notifications.events"), ("NotificationFailed", "notifications.events.dlq")], "failed"),
    (FailingChannel(RetryableSendError("http 503")), [], "pending"),
])
async def test_the_use_case_decides_each_outcome_and_the_event_that_announces_it(channel, events, status):
    item = Item(attempts=1)
    store = Store([item])
    await dispatcher(store, channel).dispatch_due()
    [settled] = store.settlements
    assert settled.status == status and settled.attempts == 2
    assert [(event.event_type, topic) for event, topic in settled.events] == events
    for event, _ in settled.events:
        assert event.occurred_at == NOW and event.causation_id == item.trigger_event_id
        assert event.payload.reference == item.reference and event.payload.attempts == 2
    if status == "pending":  # retried later, after a full-jitter backoff of at most base * 2^attempts
        assert NOW <= settled.next_attempt_at <= NOW + timedelta(seconds=2)


class RecordedDuringClaim(FakeClaims):
    """A notification is recorded (and the dispatcher woken) while the first claim is finding nothing."""

    def __init__(self, store: Store, wake: asyncio.Event, late: Item) -> None:
        super().__init__(store)
        self.wake, self.late = wake, late

    async def claim_due(self, batch, lease_seconds):
        claimed = await super().claim_due(batch, lease_seconds)
        if self.late is not None:
            self.store.due.append(self.late)
            self.wake.set()
            self.late = None
        return claimed


async def test_a_notification_recorded_while_a_claim_finds_nothing_is_sent_without_waiting_for_a_poll():
    store, channel, wake, stopping, late = Store([]), FakeChannel(), asyncio.Event(), asyncio.Event(), Item()
    running = asyncio.create_task(DispatchNotifications(
        uow=lambda: FakeUow(store), claims=RecordedDuringClaim(store, wake, late), channels={"webhook": channel},
        clock=FixedClock(NOW), console_url="http://c.test", in_flight=3).run(stopping, wake, poll_seconds=3600))
    try:
        for _ in range(200):  # a few turns of the event loop, never a poll (an hour)
            if channel.sent:
                break
            await asyncio.sleep(0.01)
        assert channel.sent == [late.reference]
    finally:
        stopping.set()
        wake.set()
        await running


async def test_a_claim_short_of_in_flight_is_not_followed_by_an_empty_one():
    claims: list[int] = []

    class CountingClaims(FakeClaims):
        async def claim_due(self, batch, lease_seconds):
            claimed = await super().claim_due(batch, lease_seconds)
            claims.append(len(claimed))
            return claimed

    store, channel, wake, stopping = Store([Item(), Item()]), FakeChannel(), asyncio.Event(), asyncio.Event()
    running = asyncio.create_task(DispatchNotifications(
        uow=lambda: FakeUow(store), claims=CountingClaims(store), channels={"webhook": channel},
        clock=FixedClock(NOW), console_url="http://c.test", in_flight=3).run(stopping, wake, poll_seconds=3600))
    for _ in range(200):
        if len(channel.sent) == 2:
            break
        await asyncio.sleep(0.01)
    stopping.set()
    wake.set()
    await running
    assert claims == [2] and len(channel.sent) == 2
