"""Which events travel on which topic: the one map the AsyncAPI document, its CI check and readers use.

Every event model in `shared/events` is on at least one topic here (tests/contract/test_asyncapi.py checks it,
and that the committed document matches the models); a dead-letter topic carries its source topic's messages
as they failed, with error headers (DESIGN "Delivery semantics").
"""

from pydantic import BaseModel

from shared.events.access import ChildRecordsSearched
from shared.events.intake import ReferralReceived
from shared.events.notification import NotificationDelivered, NotificationFailed, NotificationSent
from shared.events.people import PersonLinkConfirmed, PersonLinkRejected, ReferralIdentified, ReferralReidentified
from shared.events.topics import (
    ACCESS_EVENTS,
    NOTIFICATIONS_EVENTS,
    PEOPLE_EVENTS,
    QUEUE_TOPICS,
    REFERRALS_IDENTIFIED,
    REFERRALS_RECEIVED,
    REFERRALS_REDECIDED,
    REFERRALS_TRIAGED,
    WORKITEMS_EVENTS,
)
from shared.events.triage import ReferralRedecided, ReferralRouted, ReferralTriaged
from shared.events.workitems import WORK_ITEM_EVENTS

TOPIC_EVENTS: dict[str, tuple[type[BaseModel], ...]] = {
    REFERRALS_RECEIVED: (ReferralReceived,),
    REFERRALS_IDENTIFIED: (ReferralIdentified,),
    PEOPLE_EVENTS: (ReferralReidentified, PersonLinkConfirmed, PersonLinkRejected),
    REFERRALS_TRIAGED: (ReferralTriaged,),
    REFERRALS_REDECIDED: (ReferralRedecided,),
    **dict.fromkeys(QUEUE_TOPICS, (ReferralRouted,)),
    WORKITEMS_EVENTS: tuple(WORK_ITEM_EVENTS.values()),
    NOTIFICATIONS_EVENTS: (NotificationSent, NotificationFailed, NotificationDelivered),
    ACCESS_EVENTS: (ChildRecordsSearched,),
}

TOPIC_PURPOSE = {
    REFERRALS_RECEIVED: "A partner's referral, accepted by intake (key: referral id).",
    REFERRALS_IDENTIFIED: "The referral with the child it is about (or the candidates a person must decide) and "
                          "their history.",
    PEOPLE_EVENTS: "Practitioners' link decisions, and a referral re-identified after a confirmed link.",
    REFERRALS_TRIAGED: "Triage's decision: route, urgency, level of need, the rules that fired.",
    REFERRALS_REDECIDED: "A referral decided again after a confirmed link (history raises, never lowers).",
    WORKITEMS_EVENTS: "What MASH staff did with routed work, and the clocks (warnings, breaches).",
    NOTIFICATIONS_EVENTS: "Who was told, by which channel, and what failed.",
    ACCESS_EVENTS: "Staff searches of children's records.",
    **{topic: f"Work routed to the {topic.removeprefix('queue.').replace('_', ' ')} team's queue."
       for topic in QUEUE_TOPICS},
}
