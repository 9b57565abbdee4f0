"""Referral bodies for tests: a valid v1 body, with whatever the test changes."""

import copy
import random
import string
from datetime import date


def letters() -> str:
    return "".join(random.choices(string.ascii_lowercase, k=8))


def another_child() -> str:
    """A given name no other test's child has: "Amelia" and eight random letters. With the surname's own random
    tail, every body is a different child to the person index, and not a sibling or twin of another test's
    child either, unless a test says otherwise (a shared name, birthday and postcode would make every test's
    referral a re-referral of one child)."""
    return "Amelia" + letters()


def unrelated_child() -> dict:
    """Name, birthday and unit postcode no other test's child shares: the person index would otherwise grade two
    tests' children born the same day at the same address a probable match (siblings or a renamed child)."""
    born = date(2009, 1, 1).toordinal() + random.randrange(11 * 365)
    unit = "".join(random.choices("ABDEFGHJLNPQRSTUWXYZ", k=2))
    return {"given_name": another_child(), "family_name": "Testchild" + letters(),
            "date_of_birth": date.fromordinal(born).isoformat(),
            "postcode": f"NN{random.randint(1, 9)} {random.randint(1, 9)}{unit}"}


def referral_body(*, dob: date | str | None = "2016-05-04", **overrides) -> dict:
    """A school's referral about a child (a new one each time: `another_child`) with one early-help need and
    consent given."""
    body = {
        "referrer": {"source": "2A", "organisation": "St Mary's Primary", "name": "Jo Bloggs",
                     "role": "Designated safeguarding lead", "email": "dsl@stmarys.example.org",
                     "is_professional": True},
        "child": {"given_name": another_child(), "family_name": "Testchild" + letters(), "sex": "female",
                  "postcode": "NN1 1AA"},
        "concern_summary": "Attendance has dropped; parent asked the school for help with routines.",
        "immediate_danger": False,
        "significant_harm_suspected": False,
        "concerns": ["school_attendance"],
        "consent": {"status": "given", "given_by": "parent"},
    }
    if dob is not None:
        body["child"]["date_of_birth"] = str(dob)
    body = copy.deepcopy(body)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(body.get(key), dict):
            body[key] = {**body[key], **value}
        else:
            body[key] = value
    return body


PERSONAL_VALUES = ("Amelia", "Testchild", "2016-05-04", "NN1 1AA", "Jo Bloggs", "Attendance has dropped")
