"""Who is told about what, and what they are told: a reference, the queue, urgency, deadline and a link.

Never the child's name, date of birth, address or the concern text: messages are built only from ids and
codes, so there is nothing personal to leak (the tests check every message against the referral's values).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

DUTY_MANAGER = "duty_manager"
ROLES = ("team_inbox", "lead_practitioner", DUTY_MANAGER)


@dataclass(frozen=True)
class Recipient:
    id: str
    queue_id: str
    channel: str
    address: str
    role: str = "team_inbox"
    area: str | None = None  # postcode district (e.g. NN1); None serves the whole authority


@dataclass(frozen=True)
class Intent:
    """One message to one recipient because of one event."""

    recipient: Recipient
    trigger: str
    purpose: str  # "action" or "for_information"
    queue_id: str
    rag: str | None = None  # parallel work carries its own urgency and clock; None: the trigger's
    due_at: datetime | None = None


@dataclass(frozen=True)
class Message:
    reference: str
    recipient_id: str
    address: str
    subject: str
    body: str
    fields: dict[str, str]


class NoRecipient(Exception):
    """A queue nobody is told about: refused at start, a NotificationFailed at run time, never a silent drop."""


def reference(referral_id: UUID, event_id: UUID, recipient_id: str) -> str:
    """Deterministic, so a redelivered event maps to the same notification and is never sent twice."""
    return f"{referral_id}:{event_id}:{recipient_id}"


def _serving(directory: list[Recipient], queue: str, role_filter: Callable[[str], bool],
             locality: str | None) -> list[Recipient]:
    candidates = [r for r in directory if r.queue_id == queue and role_filter(r.role)]
    local = [r for r in candidates if r.area and locality and locality.upper().startswith(r.area.upper())]
    return local or [r for r in candidates if not r.area]


def team(directory: list[Recipient], queue: str, locality: str | None) -> list[Recipient]:
    return _serving(directory, queue, lambda role: role != DUTY_MANAGER, locality)


def duty_managers(directory: list[Recipient], queue: str, locality: str | None) -> list[Recipient]:
    """The queue's own duty manager if it has one, else the MASH duty manager (queue `duty_manager`)."""
    return (_serving(directory, queue, lambda role: role == DUTY_MANAGER, locality)
            or _serving(directory, DUTY_MANAGER, lambda role: True, locality))


def intents_for(*, trigger: str, queue: str, rag: str, secondary: list[str], locality: str | None,
                directory: list[Recipient], parallel: tuple[tuple[str, str, datetime], ...] = ()) -> list[Intent]:
    """Who is told for each trigger (issue 6): new items to the team, red and clock events to the duty
    manager. A secondary route that is parallel work (`parallel`: (queue, rag, due_at) each) is an item of its
    own for its team to act on; one that is not (`secondary`, from events before parallel work) is for
    information. Raises NoRecipient when someone must be told and nobody is."""
    def action(recipients: list[Recipient]) -> list[Intent]:
        return [Intent(r, trigger, "action", queue) for r in recipients]

    if trigger in ("ReferralTriaged", "WorkItemTransferred", "RouteOverridden", "WorkItemRedecided"):
        chosen = action(team(directory, queue, locality))
        if not chosen:
            raise NoRecipient(queue)
        if rag == "red" or trigger == "RouteOverridden":
            chosen += action(duty_managers(directory, queue, locality))
        for other in secondary:
            chosen += [Intent(r, trigger, "for_information", other) for r in team(directory, other, locality)]
        for other, other_rag, other_due in parallel:
            recipients = team(directory, other, locality)
            if not recipients:
                raise NoRecipient(other)
            chosen += [Intent(r, trigger, "action", other, other_rag, other_due) for r in recipients]
    elif trigger in ("SlaWarning", "SlaBreached"):
        chosen = action(duty_managers(directory, queue, locality))
        if not chosen:
            raise NoRecipient(DUTY_MANAGER)
    else:
        return []
    unique: dict[str, Intent] = {}
    for intent in chosen:
        unique.setdefault(intent.recipient.id, intent)
    return list(unique.values())


SUBJECTS = {
    "ReferralTriaged": "New referral for {queue}",
    "WorkItemTransferred": "Referral transferred to {queue}",
    "RouteOverridden": "Referral re-routed to {queue} by a manager",
    "WorkItemRedecided": "Referral decided again for {queue} (child's history confirmed)",
    "SlaWarning": "Referral in {queue} is close to its deadline",
    "SlaBreached": "Referral in {queue} has passed its deadline",
}


def compose(*, ref: str, recipient_id: str, address: str, trigger: str, purpose: str, queue_name: str, rag: str,
            due_at: datetime, console_url: str, referral_id: UUID) -> Message:
    subject = f"[{rag.upper()}] " + SUBJECTS[trigger].format(queue=queue_name)
    if purpose == "for_information":
        subject = f"For information: {subject}"
    link = f"{console_url}/referrals/{referral_id}"
    body = (f"{subject}.\nUrgency: {rag}\nScreen by: {due_at.isoformat(timespec='minutes')}\n"
            f"Open it in the MASH console: {link}\nReference: {ref}\n")
    fields = {"reference": ref, "queue": queue_name, "rag": rag, "due_at": due_at.isoformat(), "link": link,
              "trigger": trigger, "purpose": purpose}
    return Message(reference=ref, recipient_id=recipient_id, address=address, subject=subject, body=body,
                   fields=fields)
