"""What an auditor sees of a child by default: the record minimised (Front Door's auditor privacy policy).

Auditors verify that nothing was altered and replay decisions; for that they need ids, codes, decisions,
rule traces, times and hashes, not who the child is. So every trail (CLI, API, HTML; and the console and staff
API, which never show auditors the referral) withholds the child's and family's identifying details, the
referrer's personal contact details and all free text written about the child (the concern summary, the
reason consent was not sought, staff reasons and notes, a link decision's reason, what a practitioner searched
for). A reviewer who needs the whole record (a Child
Safeguarding Practice Review, a complaint, a court) asks for it with a reason; the read, with that reason, is
logged before anything is shown. Hashes and verification always cover the full recorded bytes.
"""

import copy
from typing import Any

from shared.events.topics import ACCESS_EVENTS, PEOPLE_EVENTS, WORKITEMS_EVENTS

WITHHELD = "[withheld]"
CHILD = ("given_name", "family_name", "date_of_birth", "expected_due_date", "nhs_number", "upn", "postcode")
REFERRER = ("name", "email", "phone")
STAFF_TEXT = ("reason", "note")
STAFF_TEXT_TOPICS = (WORKITEMS_EVENTS, PEOPLE_EVENTS)  # staff reasons and notes; a link decision's reason


def _withhold(section: object, fields: tuple[str, ...]) -> None:
    for field in fields:
        if isinstance(section, dict) and section.get(field) not in (None, ""):
            section[field] = WITHHELD


def minimise(event: dict[str, Any], topic: str) -> dict[str, Any]:
    """A copy of `event` with identifying details and free text withheld; codes, flags and ids kept."""
    shown = copy.deepcopy(event)
    payload = shown.get("payload")
    if not isinstance(payload, dict):
        return shown
    referral = payload.get("referral")
    if isinstance(referral, dict):
        _withhold(referral.get("child"), CHILD)
        _withhold(referral.get("referrer"), REFERRER)
        _withhold(referral, ("concern_summary",))
        _withhold(referral.get("consent"), ("reason_not_sought",))
        if referral.get("household"):
            referral["household"] = f"{WITHHELD} ({len(referral['household'])} member(s))"
    if topic in STAFF_TEXT_TOPICS:
        _withhold(payload, STAFF_TEXT)
    if topic == ACCESS_EVENTS and isinstance(payload.get("criteria"), dict):
        _withhold(payload["criteria"], tuple(payload["criteria"]))  # what was searched for: names, dates
    return shown
