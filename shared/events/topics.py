"""Every topic name, once. Services, tests and docker-compose all read them from here."""

from shared.events.codes import QueueId

REFERRALS_RECEIVED = "referrals.received"
REFERRALS_IDENTIFIED = "referrals.identified"
PEOPLE_EVENTS = "people.events"
ACCESS_EVENTS = "access.events"
REFERRALS_TRIAGED = "referrals.triaged"
REFERRALS_REDECIDED = "referrals.redecided"
WORKITEMS_EVENTS = "workitems.events"
NOTIFICATIONS_EVENTS = "notifications.events"


def queue_topic(queue_id: QueueId | str) -> str:
    """The topic a team system subscribes to for its queue."""
    return f"queue.{QueueId(queue_id).value}"


def dlq_topic(topic: str) -> str:
    """Where a message that failed every retry goes, with its error."""
    return f"{topic}.dlq"


QUEUE_TOPICS = tuple(queue_topic(q) for q in QueueId)
EVENT_TOPICS = (REFERRALS_RECEIVED, REFERRALS_IDENTIFIED, PEOPLE_EVENTS, REFERRALS_TRIAGED, REFERRALS_REDECIDED,
                *QUEUE_TOPICS, WORKITEMS_EVENTS, NOTIFICATIONS_EVENTS, ACCESS_EVENTS)
DLQ_TOPICS = tuple(dlq_topic(t) for t in EVENT_TOPICS)
ALL_TOPICS = EVENT_TOPICS + DLQ_TOPICS
