"""When the front door is at capacity: which referrals are still taken in, and which are asked to retry.

The backlog is referrals accepted and handed to Kafka but not yet triaged. Past `max_backlog`, every new
referral would wait behind thousands of others, so partners are asked to retry (429 + Retry-After) and the
backlog stays bounded. A referral reporting immediate danger or suspected significant harm is always taken
while it can be stored: being told to retry must never delay a child who may be at risk. Referrals waiting
only because Kafka is down are not backlog (DESIGN: intake keeps answering while Kafka is down).
"""

from dataclasses import dataclass

from shared.events.referral import ReferralV1


@dataclass(frozen=True)
class Admission:
    max_backlog: int
    retry_after_seconds: int


def must_wait(referral: ReferralV1, backlog: int, admission: Admission) -> bool:
    urgent = referral.immediate_danger or referral.significant_harm_suspected
    return not urgent and backlog >= admission.max_backlog
