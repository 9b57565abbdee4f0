"""Rules for accepting a referral that need today's date, and the idempotency fingerprint.

The contract model checks everything that does not depend on the day; these checks do, so they take
`today` as an argument (the clock stays at the edge).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.events.referral import ReferralV1

MAX_PREGNANCY_AHEAD = timedelta(days=305)  # about ten months
OVERDUE_TOLERANCE = timedelta(days=21)  # a pregnancy can run past its due date


@dataclass(frozen=True)
class FieldProblem:
    field: str
    problem: str


def date_problems(referral: ReferralV1, today: date) -> list[FieldProblem]:
    problems = []
    child = referral.child
    if child.date_of_birth and child.date_of_birth > today:
        problems.append(FieldProblem("child.date_of_birth", "must not be in the future"))
    if child.expected_due_date and not (
            today - OVERDUE_TOLERANCE <= child.expected_due_date <= today + MAX_PREGNANCY_AHEAD):
        problems.append(FieldProblem("child.expected_due_date",
                                     "must be within the next 10 months (or at most 3 weeks past)"))
    if referral.youth_justice and referral.youth_justice.event_date and referral.youth_justice.event_date > today:
        problems.append(FieldProblem("youth_justice.event_date", "must not be in the future"))
    for i, member in enumerate(referral.household):
        if member.date_of_birth and member.date_of_birth > today:
            problems.append(FieldProblem(f"household.{i}.date_of_birth", "must not be in the future"))
    return problems


def fingerprint(body: dict[str, Any]) -> str:
    """Same referral body, same fingerprint, whatever the key order or spacing the partner used."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
