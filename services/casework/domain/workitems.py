"""The life of a work item, and who may do what to it: pure rules, no I/O.

A routed referral becomes one work item on its primary queue. Practitioners work the queues their token
names; managers work every queue and alone may override triage's route. Every permitted action yields the
event that records it; everything else is refused with a reason a person can act on.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from shared.events.referral import storable
from services.casework.domain.urgency import QueueUrgency, after_move, more_urgent

OUTCOMES = {
    "strategy_discussion": "Strategy discussion",
    "section_47_enquiry": "Section 47 enquiry",
    "child_and_family_assessment": "Child and family assessment",
    "early_help_assessment": "Early help assessment",
    "dct_assessment": "Disabled Children's Team assessment",
    "transition_assessment": "Transition (Care Act s58) assessment",
    "youth_justice_prevention": "Youth justice prevention and diversion",
    "signposted": "Signposted to services",
    "stepped_down_to_early_help": "Stepped down to early help",
    "stepped_up_to_social_care": "Stepped up to social care",
    "no_further_action_with_advice": "No further action, with advice",
}
STAFF_ROLES = ("practitioner", "manager")
MAX_STAFF_TEXT = 4_000


class Refused(Exception):
    """The actor may not do this (403)."""


class Conflict(Exception):
    """The item is not in a state that allows this, usually because someone else acted first (409)."""


class Invalid(ValueError):
    """The request is missing something it needs, e.g. a reason or a note (422); `field` names it."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem


@dataclass(frozen=True)
class Actor:
    id: str
    roles: frozenset[str]
    queues: frozenset[str]

    @property
    def is_manager(self) -> bool:
        return "manager" in self.roles

    def works(self, queue: str) -> bool:
        return self.is_manager or ("practitioner" in self.roles and queue in self.queues)


@dataclass(frozen=True)
class WorkItem:
    id: UUID
    referral_id: UUID
    queue_id: str
    secondary_queues: tuple[str, ...]
    state: str  # new | claimed | closed
    assignee: str | None
    rag: str
    due_at: datetime
    outcome: str | None = None
    sla_warned: bool = False
    sla_breached: bool = False


@dataclass(frozen=True)
class Change:
    """The item after an action, and what the event on `workitems.events` says about it."""

    item: WorkItem
    event_type: str
    details: dict[str, str | None]


def _must_work(actor: Actor, item: WorkItem) -> None:
    if not actor.works(item.queue_id):
        raise Refused(f"you do not work the {item.queue_id} queue")


def _open(item: WorkItem) -> None:
    if item.state == "closed":
        raise Conflict("this referral is already closed")


def _reason(text: str | None, field: str = "reason") -> str:
    """Staff text is held to partner text's rules: storable, and short enough for any message it travels in
    (an unlimited note once became an event Kafka refused, and stopped every referral behind it)."""
    if not text or not text.strip():
        raise Invalid(field, "is required: say why, for the record")
    if len(text) > MAX_STAFF_TEXT:
        raise Invalid(field, f"is too long: at most {MAX_STAFF_TEXT:,} characters")
    try:
        return storable(text.strip())
    except ValueError as exc:
        raise Invalid(field, str(exc)) from None


def claim(item: WorkItem, actor: Actor) -> Change:
    _must_work(actor, item)
    _open(item)
    if item.state == "claimed":
        raise Conflict("already claimed by someone else" if item.assignee != actor.id else "you already have it")
    return Change(replace(item, state="claimed", assignee=actor.id), "WorkItemClaimed", {})


def release(item: WorkItem, actor: Actor) -> Change:
    _must_work(actor, item)
    if item.state != "claimed":
        raise Conflict("nobody has claimed this referral")
    if item.assignee != actor.id and not actor.is_manager:
        raise Refused("only the person who claimed it, or a manager, can release it")
    return Change(replace(item, state="new", assignee=None), "WorkItemReleased", {})


@dataclass(frozen=True)
class Move:
    """Where an item goes, why, and the clock it meets there (the destination's urgency, never lower)."""

    to_queue: str
    reason: str | None
    urgency: QueueUrgency
    now: datetime


def _move(item: WorkItem, move: Move, event_type: str) -> Change:
    _open(item)
    why = _reason(move.reason)
    if move.to_queue == item.queue_id:
        raise Invalid("to_queue", "is the queue it is already on")
    rag, due_at = after_move(item.rag, item.due_at, move.to_queue, move.urgency, move.now)
    return Change(replace(item, queue_id=move.to_queue, state="new", assignee=None, rag=rag, due_at=due_at),
                  event_type, {"from_queue": item.queue_id, "reason": why})


def transfer(item: WorkItem, actor: Actor, move: Move) -> Change:
    _must_work(actor, item)
    return _move(item, move, "WorkItemTransferred")


def override(item: WorkItem, actor: Actor, move: Move) -> Change:
    if not actor.is_manager:
        raise Refused("only a manager can override triage's route")
    return _move(item, move, "RouteOverridden")


def redecided(item: WorkItem, rag: str, move: Move) -> Change | None:
    """Triage decided the referral again (a confirmed link): the item goes to the new primary queue, unclaimed,
    and takes the decision's urgency if that is higher, its clock restarting from now but never later than
    already due. None when nothing changes for the item, or it is closed (its work is done; the new decision
    is on record and the child's page shows it)."""
    if item.state == "closed":
        return None
    raised, moved = more_urgent(rag, item.rag), move.to_queue != item.queue_id
    if not moved and not raised:
        return None
    rag, due_at = after_move(rag if raised else item.rag, item.due_at, move.to_queue, move.urgency, move.now)
    if raised:
        due_at = min(due_at, move.now + timedelta(hours=move.urgency.rag_hours[rag]))
    changed = replace(item, queue_id=move.to_queue, rag=rag, due_at=due_at, state="new" if moved else item.state,
                      assignee=None if moved else item.assignee)
    return Change(changed, "WorkItemRedecided", {"from_queue": item.queue_id, "reason": move.reason})


def close(item: WorkItem, actor: Actor, outcome: str | None, note: str | None) -> Change:
    _must_work(actor, item)
    _open(item)
    if item.state != "claimed" or (item.assignee != actor.id and not actor.is_manager):
        raise Conflict("claim the referral before closing it")
    if outcome not in OUTCOMES:
        raise Invalid("outcome", "choose one of the listed outcomes")
    return Change(replace(item, state="closed", outcome=outcome), "WorkItemClosed",
                  {"outcome": outcome, "note": _reason(note, "note")})


def feedback(item: WorkItem, actor: Actor, note: str | None) -> Change:
    _must_work(actor, item)
    return Change(item, "ReferrerFeedbackSent", {"note": _reason(note, "note")})
