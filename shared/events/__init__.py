"""The wire contract: every event and the referral body, declared once for all services.

Names are loaded on first use (PEP 562), so a command that needs only the referral body (`frontdoor triage
decide`) does not build every event model at start.
"""

import importlib
from typing import TYPE_CHECKING, Any

_HOME = {
    "Concern": "codes", "QueueId": "codes", "Rag": "codes", "ReferralSource": "codes",
    "EventEnvelope": "envelope",
    "ReferralReceived": "intake", "ReferralReceivedPayload": "intake",
    "NotificationDelivered": "notification", "NotificationFailed": "notification",
    "NotificationPayload": "notification", "NotificationSent": "notification",
    "ChildRecordsSearched": "access", "ChildRecordsSearchedPayload": "access",
    "Candidate": "people", "HistorySnapshot": "people", "OpenWork": "people", "PastReferral": "people",
    "PersonLinkConfirmed": "people", "PersonLinkPayload": "people", "PersonLinkRejected": "people",
    "ReferralIdentified": "people", "ReferralIdentifiedPayload": "people",
    "ReferralReidentified": "people", "ReferralReidentifiedPayload": "people",
    "ReferralV1": "referral",
    "Decision": "triage", "ParallelWork": "triage", "ReferralRouted": "triage", "ReferralRoutedPayload": "triage",
    "ReferralTriaged": "triage", "ReferralTriagedPayload": "triage", "TraceEntry": "triage",
    "ReferralRedecided": "triage", "ReferralRedecidedPayload": "triage",
}
__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'shared.events' has no attribute {name!r}")
    return getattr(importlib.import_module(f"shared.events.{_HOME[name]}"), name)


if TYPE_CHECKING:  # what type checkers and readers see
    from shared.events.access import ChildRecordsSearched, ChildRecordsSearchedPayload
    from shared.events.codes import Concern, QueueId, Rag, ReferralSource
    from shared.events.envelope import EventEnvelope
    from shared.events.intake import ReferralReceived, ReferralReceivedPayload
    from shared.events.notification import (
        NotificationDelivered,
        NotificationFailed,
        NotificationPayload,
        NotificationSent,
    )
    from shared.events.people import (
        Candidate,
        HistorySnapshot,
        OpenWork,
        PastReferral,
        PersonLinkConfirmed,
        PersonLinkPayload,
        PersonLinkRejected,
        ReferralIdentified,
        ReferralIdentifiedPayload,
        ReferralReidentified,
        ReferralReidentifiedPayload,
    )
    from shared.events.referral import ReferralV1
    from shared.events.triage import (
        Decision,
        ParallelWork,
        ReferralRedecided,
        ReferralRedecidedPayload,
        ReferralRouted,
        ReferralRoutedPayload,
        ReferralTriaged,
        ReferralTriagedPayload,
        TraceEntry,
    )
