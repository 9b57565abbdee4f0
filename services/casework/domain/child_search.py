"""Searching for a child: who may, and what a search must say. Pure.

Practitioners and managers look children up (a MASH practitioner under time pressure searches by name first);
auditors review decisions and do not browse children. A search needs something identifying: a name of two
letters or more, a date of birth, a postcode (or its district) or an NHS number.
"""

import re
from dataclasses import dataclass
from datetime import date

from services.casework.domain.workitems import Actor, Invalid, Refused

SEARCH_ROLES = frozenset({"practitioner", "manager"})
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?([0-9][A-Z]{2})?$")


@dataclass(frozen=True)
class SearchCriteria:
    name: str | None = None
    date_of_birth: date | None = None
    postcode: str | None = None  # upper case, no spaces; a district ("NN1") matches every postcode in it
    nhs_number: str | None = None

    def as_record(self) -> dict[str, str]:
        """What was searched for, as the audit log records it."""
        return {k: str(v) for k, v in vars(self).items() if v is not None}


def may_search(actor: Actor) -> None:
    if not actor.roles & SEARCH_ROLES:
        raise Refused("only practitioners and managers search for children")


def criteria(*, name: str = "", date_of_birth: str = "", postcode: str = "", nhs_number: str = "") -> SearchCriteria:
    """The criteria from a form or query string, or `Invalid` naming the field that is wrong."""
    name = " ".join(name.split())
    if name and len(name) < 2:
        raise Invalid("name", "needs at least two letters")
    try:
        born = date.fromisoformat(date_of_birth.strip()) if date_of_birth.strip() else None
    except ValueError:
        raise Invalid("date_of_birth", "must be a date (YYYY-MM-DD)") from None
    place = "".join(postcode.upper().split())
    if place and not POSTCODE.match(place):
        raise Invalid("postcode", "is not a postcode or postcode district")
    nhs = "".join(nhs_number.split())
    if nhs and not (nhs.isdigit() and len(nhs) == 10):
        raise Invalid("nhs_number", "must be 10 digits")
    found = SearchCriteria(name or None, born, place or None, nhs or None)
    if not found.as_record():
        raise Invalid("name", "give a name, date of birth, postcode or NHS number")
    return found
