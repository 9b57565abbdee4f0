"""Use case: decide a referral again when a practitioner confirms who the child is (`ReferralReidentified`).

The referral is read from triage's own record and decided under the configured rule set with the joined
history the person index sent; `redecide` keeps whatever raises concern and nothing that lowers it. The result
goes out as `ReferralRedecided` (changed or not, so auditors see every reconsideration) and, when it changed,
the recorded decision is replaced; casework moves or re-prioritises the work item. A referral triage never
decided (a link confirmed before its decision) needs nothing: its first decision reads the joined history.
"""

from collections.abc import Sequence

from shared.clock import Clock
from shared.events.envelope import EventEnvelope
from shared.events.people import ReferralReidentified
from shared.events.topics import REFERRALS_REDECIDED
from shared.events.triage import HistoryFacts, ReferralRedecided, ReferralRedecidedPayload
from shared.messaging.ports import first_time
from services.triage.application.ports import TriageUnitOfWork, UnitOfWorkFactory
from services.triage.domain.clocks import day_received
from services.triage.domain.redecision import redecide
from services.triage.domain.rules.decide_identified import decide_identified
from services.triage.domain.rules.ruleset import RuleSet


class RedecideReferral:
    def __init__(self, *, uow: UnitOfWorkFactory, ruleset: RuleSet, clock: Clock) -> None:
        self._uow, self._ruleset, self._clock = uow, ruleset, clock

    async def execute_many(self, events: Sequence[EventEnvelope]) -> None:
        """`events` are a poll of `people.events`; only re-identifications concern triage."""
        async with self._uow() as uow:
            for event in await first_time(uow, events):
                if isinstance(event, ReferralReidentified):
                    await self._redecide(uow, event)
            await uow.commit()

    async def _redecide(self, uow: TriageUnitOfWork, event: ReferralReidentified) -> None:
        stored = await uow.decision_of(event.referral_id)
        if stored is None:
            return
        p = event.payload
        history = HistoryFacts(person_id=p.person_id, match_grade="certain", candidates=len(p.candidates),
                               snapshot=p.history)
        again = decide_identified(stored.referral, history, self._ruleset, day_received(stored.received_at))
        result = redecide(stored.decision, again)
        if result.changed:
            await uow.replace_decision(referral_id=event.referral_id, decision=result.decision)
        await uow.stage((event.caused(ReferralRedecided, producer="triage", occurred_at=self._clock.now(),
                                      payload=ReferralRedecidedPayload(
                                          decision=result.decision, previous=stored.decision,
                                          changed=result.changed, received_at=stored.received_at,
                                          person_id=p.person_id, history=history,
                                          ruleset_version=self._ruleset.version,
                                          reason=f"link confirmed: person {p.previous_person_id} is {p.person_id}; "
                                                 f"decided again under rule set {self._ruleset.version}")),
                         REFERRALS_REDECIDED))
