"""Casework's inputs as triage announces them, and its work queue over the in-memory unit of work: for
casework's use-case tests."""

import uuid
from datetime import UTC, datetime, timedelta

from shared.events import ReferralIdentified, ReferralReceived, ReferralReceivedPayload, ReferralTriaged, ReferralV1
from shared.events.codes import QueueId, Rag
from shared.events.triage import ParallelWork, ReferralTriagedPayload
from services.casework.application.work_queue import WorkQueue
from services.casework.domain.queue_policy import POLICY_2027_1
from services.casework.domain.workitems import Actor
from services.triage.domain.rules.engine import decide
from services.triage.domain.rules.registry import get_ruleset
from tests.support.fake_units_of_work import FakeCaseworkUnitOfWork, Store
from tests.support.fakes import FixedClock
from tests.support.identified import identified
from tests.support.referrals import referral_body

RECEIVED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday
PRACTITIONER = Actor("pat", frozenset({"practitioner"}), frozenset({"early_help"}))
COLLEAGUE = Actor("chris", frozenset({"practitioner"}), frozenset({"early_help"}))
MANAGER = Actor("mo", frozenset({"manager"}), frozenset())


def triaged(*, parallel: bool = False, received: ReferralReceived | None = None
            ) -> tuple[ReferralIdentified, ReferralTriaged]:
    """`received` (a new referral if not given) identified and triaged; `parallel`: with a second route's work."""
    if received is None:
        rid = uuid.uuid4()
        received = ReferralReceived(occurred_at=RECEIVED, referral_id=rid, correlation_id=rid, producer="intake",
                                    payload=ReferralReceivedPayload(referral=ReferralV1.model_validate(referral_body()),
                                                                    received_at=RECEIVED, partner_id="test"))
    referral = received.payload.referral
    work = [ParallelWork(queue_id=QueueId.DISABLED_CHILDREN, work_item_id=uuid.uuid4(), rag=Rag.AMBER,
                         due_at=RECEIVED + timedelta(hours=6))] if parallel else []
    decision = decide(referral, get_ruleset("2027.1"), RECEIVED.date())
    event = received.caused(ReferralTriaged, producer="triage", occurred_at=RECEIVED, payload=ReferralTriagedPayload(
        decision=decision, work_item_id=uuid.uuid4(), received_at=RECEIVED, due_at=RECEIVED + timedelta(hours=24),
        decision_due_at=RECEIVED + timedelta(days=1), parallel_work=work))
    return identified(received), event


def work_queue(store: Store, now: datetime = RECEIVED) -> WorkQueue:
    return WorkQueue(uow=lambda: FakeCaseworkUnitOfWork(store), clock=FixedClock(now), urgency=POLICY_2027_1.urgency)
