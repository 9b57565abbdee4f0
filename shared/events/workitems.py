"""Work-item events (`workitems.events`): what MASH staff did with a routed referral, and the clocks.

Actors are staff ids (token subjects), never names; reasons and notes are free text written by staff and so
travel only here and into audit, never into notifications.
"""

from typing import Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict

from shared.events.codes import QueueId, Rag
from shared.events.envelope import EventEnvelope


class WorkItemPayload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    work_item_id: UUID
    queue_id: QueueId
    rag: Rag
    due_at: AwareDatetime
    actor: str | None = None
    from_queue: QueueId | None = None
    reason: str | None = None
    outcome: str | None = None
    note: str | None = None


class _WorkItemEvent(EventEnvelope):
    schema_version: Literal[1] = 1
    payload: WorkItemPayload


class WorkItemClaimed(_WorkItemEvent):
    """A practitioner took the item (or released it: `actor` None)."""

    event_type: Literal["WorkItemClaimed"] = "WorkItemClaimed"


class WorkItemReleased(_WorkItemEvent):
    event_type: Literal["WorkItemReleased"] = "WorkItemReleased"


class WorkItemTransferred(_WorkItemEvent):
    """Moved to another team's queue with a reason (`from_queue` -> `queue_id`)."""

    event_type: Literal["WorkItemTransferred"] = "WorkItemTransferred"


class RouteOverridden(_WorkItemEvent):
    """A manager changed triage's route with a reason; the original decision stays on record."""

    event_type: Literal["RouteOverridden"] = "RouteOverridden"


class WorkItemRedecided(_WorkItemEvent):
    """Triage decided the referral again after a confirmed link: moved (`from_queue` -> `queue_id`) or made more
    urgent, with the reason; `actor` is the practitioner whose confirmation caused it."""

    event_type: Literal["WorkItemRedecided"] = "WorkItemRedecided"


class WorkItemClosed(_WorkItemEvent):
    event_type: Literal["WorkItemClosed"] = "WorkItemClosed"


class ReferrerFeedbackSent(_WorkItemEvent):
    event_type: Literal["ReferrerFeedbackSent"] = "ReferrerFeedbackSent"


class SlaWarning(_WorkItemEvent):
    """75% of the time to `due_at` has passed and the item is still open."""

    event_type: Literal["SlaWarning"] = "SlaWarning"


class SlaBreached(_WorkItemEvent):
    """`due_at` has passed and the item is still open: the duty manager is told."""

    event_type: Literal["SlaBreached"] = "SlaBreached"


WORK_ITEM_EVENTS: dict[str, type[_WorkItemEvent]] = {cls.model_fields["event_type"].default: cls for cls in (
    WorkItemClaimed, WorkItemReleased, WorkItemTransferred, RouteOverridden, WorkItemRedecided, WorkItemClosed,
    ReferrerFeedbackSent, SlaWarning, SlaBreached)}
