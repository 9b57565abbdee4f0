"""The wire contract: every event and the referral body, declared once for all services."""

from shared.events.codes import Concern, QueueId, Rag, ReferralSource
from shared.events.envelope import EventEnvelope
from shared.events.intake import ReferralReceived, ReferralReceivedPayload
from shared.events.notification import (
    NotificationDelivered, NotificationFailed, NotificationPayload, NotificationSent)
from shared.events.referral import ReferralV1
from shared.events.triage import (
    Decision,
    ParallelWork,
    ReferralRouted,
    ReferralRoutedPayload,
    ReferralTriaged,
    ReferralTriagedPayload,
    TraceEntry,
)

__all__ = [
    "Concern", "Decision", "ParallelWork", "EventEnvelope", "NotificationDelivered", "NotificationFailed", "NotificationPayload", "NotificationSent",
    "QueueId", "Rag", "ReferralReceived", "ReferralReceivedPayload", "ReferralRouted", "ReferralRoutedPayload",
    "ReferralSource", "ReferralTriaged", "ReferralTriagedPayload", "ReferralV1", "TraceEntry",
]
