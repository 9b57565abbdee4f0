"""Who is told about a routed referral, and what they are told: a reference, the queue, urgency, deadline
and a link. Never the child's name, date of birth, address or the concern text."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from shared.events.codes import QueueId, Rag


@dataclass(frozen=True)
class Recipient:
    id: str
    channel: str
    address: str
    role: str  # team_inbox | lead_practitioner | duty_manager


@dataclass(frozen=True)
class Message:
    reference: str
    recipient: Recipient
    subject: str
    body: str


class NoRecipient(Exception):
    """A queue nobody is told about: raised at start, and a NotificationFailed at run time, never a drop."""


def reference(referral_id: UUID, event_id: UUID, recipient_id: str) -> str:
    """Deterministic, so a redelivered event maps to the same notification and is never sent twice."""
    return f"{referral_id}:{event_id}:{recipient_id}"


def recipients_for(queue: QueueId, rag: Rag, directory: dict[str, list[Recipient]]) -> list[Recipient]:
    """The queue's inbox and lead practitioners; red items also go to the duty manager."""
    chosen = [r for r in directory.get(queue.value, []) if r.role != "duty_manager"]
    if rag is Rag.RED:
        chosen += [r for r in directory.get(queue.value, []) + directory.get("duty_manager", [])
                   if r.role == "duty_manager" and r not in chosen]
    if not chosen:
        raise NoRecipient(queue.value)
    return chosen


def new_referral_message(*, ref: str, recipient: Recipient, queue_name: str, rag: Rag, due_at: datetime,
                         console_url: str, referral_id: UUID) -> Message:
    return Message(
        reference=ref, recipient=recipient,
        subject=f"[{rag.value.upper()}] New referral for {queue_name}",
        body=(f"A referral is waiting in {queue_name}.\nUrgency: {rag.value}\n"
              f"Screen by: {due_at.isoformat(timespec='minutes')}\n"
              f"Open it: {console_url}/referrals/{referral_id}\nReference: {ref}\n"),
    )
