"""Use case: triage one identified referral (the referral, the person it is about, their history).

- A redelivered `ReferralIdentified` changes nothing (inbox), and neither does a second identification of a
  referral already decided (people re-reading `referrals.received` from the start, as a new consumer group
  does when the person index is first deployed): one decision per referral, never a second set of work.
- Under a rule set that reads history, the history facts the person index recorded are applied after the
  referral's own rules and recorded in the decision (replay needs no live index).
- The decision comes from the pure engine under the configured rule set, with ages as of the day the
  referral was received in England, not the day it is processed.
- Each secondary route is parallel work: its own work item, with the urgency its queue carries and its own
  clock, linked to the primary, routed on its own `queue.<id>` topic.
- The decision and its events (`referrals.triaged`, `queue.<id>` for each route) commit together; casework
  opens the work items they announce. A batch of referrals (one Kafka poll) commits in one transaction,
  because a commit per referral is the cost that caps throughput.
"""

from collections.abc import Sequence
from datetime import datetime
from uuid import uuid4

from shared.clock import Clock
from shared.events import ParallelWork, ReferralIdentified, ReferralRouted, ReferralRoutedPayload, ReferralTriaged
from shared.events.codes import QueueId, Rag
from shared.events.topics import REFERRALS_TRIAGED, queue_topic
from shared.events.triage import HistoryFacts, ReferralTriagedPayload
from shared.messaging.ports import first_time
from shared.working_days import HolidayCalendar
from services.triage.application.ports import TriageUnitOfWork, UnitOfWorkFactory
from services.triage.domain.clocks import ENGLAND, add_working_days, screening_due
from services.triage.domain.locality import outward_code
from services.triage.domain.rules.decide_identified import decide_identified
from services.triage.domain.rules.ruleset import RuleSet


class TriageReferral:
    def __init__(self, *, uow: UnitOfWorkFactory, ruleset: RuleSet, is_holiday: HolidayCalendar,
                 clock: Clock) -> None:
        self._uow, self._ruleset, self._is_holiday, self._clock = uow, ruleset, is_holiday, clock

    async def execute_many(self, events: Sequence[ReferralIdentified]) -> None:
        async with self._uow() as uow:
            fresh = await first_time(uow, events)
            done = await uow.decided([e.referral_id for e in fresh]) if fresh else set()
            for event in fresh:
                if event.referral_id not in done:
                    done.add(event.referral_id)
                    await self._triage(uow, event)
            await uow.commit()

    async def _triage(self, uow: TriageUnitOfWork, event: ReferralIdentified) -> None:
        p = event.payload
        received_at = p.received_at
        local_received = received_at.astimezone(ENGLAND)
        history = HistoryFacts(person_id=p.person_id, match_grade=p.grade, candidates=len(p.candidates),
                               snapshot=p.history)
        decision = decide_identified(p.referral, history, self._ruleset, local_received.date())
        thresholds = self._ruleset.thresholds
        due_at = screening_due(received_at, decision.rag, thresholds.rag_hours)
        decision_due_at = add_working_days(local_received, thresholds.decision_working_days, self._is_holiday)
        work_item_id = uuid4()
        parallel = [self._parallel(queue, received_at) for queue in decision.secondary_queues]
        await uow.save_decision(referral_id=event.referral_id, referral=event.payload.referral, decision=decision,
                                received_at=received_at)
        now = self._clock.now()
        triaged = event.caused(ReferralTriaged, producer="triage", occurred_at=now, payload=ReferralTriagedPayload(
            decision=decision, work_item_id=work_item_id, received_at=received_at, due_at=due_at,
            decision_due_at=decision_due_at, locality=outward_code(event.payload.referral.child.postcode),
            parallel_work=parallel, person_id=p.person_id))
        routes = [(decision.primary_queue, work_item_id, decision.rag, due_at, None)] + [
            (p.queue_id, p.work_item_id, p.rag, p.due_at, work_item_id) for p in parallel]
        await uow.stage((triaged, REFERRALS_TRIAGED), *(
            (triaged.caused(ReferralRouted, producer="triage", occurred_at=now, payload=ReferralRoutedPayload(
                queue_id=queue, work_item_id=item_id, rag=rag, level_of_need=decision.level_of_need,
                secondary_queues=decision.secondary_queues if linked is None else [], due_at=due,
                ruleset_version=decision.ruleset_version, linked_work_item_id=linked)), queue_topic(queue))
            for queue, item_id, rag, due, linked in routes))

    def _parallel(self, queue: QueueId, received_at: datetime) -> ParallelWork:
        """A secondary route's own work item: the urgency its queue carries, and that urgency's clock."""
        rag = Rag(self._ruleset.queue_urgency.get(queue.value, Rag.AMBER.value))
        return ParallelWork(queue_id=queue, work_item_id=uuid4(), rag=rag,
                            due_at=screening_due(received_at, rag, self._ruleset.thresholds.rag_hours))
