"""When the front door is at capacity: which referrals are still taken in, and which are asked to retry.

The backlog is referrals accepted and handed to Kafka but not yet triaged. Past `max_backlog`, every new
referral would wait behind thousands of others, so partners are asked to retry (429 + Retry-After) and the
backlog stays bounded. A referral reporting immediate danger or suspected significant harm is always taken
while it can be stored: being told to retry must never delay a child who may be at risk. Referrals waiting
only because Kafka is down are not backlog (DESIGN: intake keeps answering while Kafka is down).

Intake itself can be the bottleneck too: past `max_in_flight` requests being served at once, a new one would
only queue, so it is answered 429 at once, before any parsing or database work (unless it claims urgency).
"""

from dataclasses import dataclass

from shared.events.referral import ReferralV1


@dataclass(frozen=True)
class Admission:
    max_backlog: int
    retry_after_seconds: int
    max_in_flight: int = 64


def urgent(immediate_danger: object, significant_harm_suspected: object) -> bool:
    """The one definition of a referral that is never asked to wait."""
    return immediate_danger is True or significant_harm_suspected is True


def must_wait(referral: ReferralV1, backlog: int, admission: Admission) -> bool:
    return not urgent(referral.immediate_danger, referral.significant_harm_suspected) \
        and backlog >= admission.max_backlog


def claims_urgency(body: object) -> bool:
    """Whether an unvalidated body says the child is in danger: such a request is never turned away unread."""
    return isinstance(body, dict) and urgent(body.get("immediate_danger"), body.get("significant_harm_suspected"))


def too_busy(in_flight: int, admission: Admission) -> bool:
    return in_flight >= admission.max_in_flight
