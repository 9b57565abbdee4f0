"""Blocking keys: the few exact keys under which the index files each sighting, so finding candidates is a
handful of index lookups, not a scan. A repeat record shares at least one key with its earlier sightings
unless it differs in almost everything (then it is a new person, which a practitioner can still link).

- `n:` NHS number;  `d:` date of birth (looked up as written and with day and month swapped);
- `f:` each surname part with the given name's sound (metaphone of its full form, so "Tom" files as "Thomas"):
  catches a mistyped or missing date of birth;
- `p:` postcode with the given name's sound: catches a changed surname with a wrong date of birth.
"""

from jellyfish import metaphone

from services.people.domain.records import ChildRecord


def _sound(name: str) -> str:
    return metaphone(name) if name else ""


def index_keys(r: ChildRecord) -> set[str]:
    keys = set()
    if r.nhs_number:
        keys.add(f"n:{r.nhs_number}")
    if r.date_of_birth:
        keys.add(f"d:{r.date_of_birth.isoformat()}")
    given = _sound(r.given_canonical)
    if given:
        keys.update(f"f:{_sound(part)}:{given}" for part in r.family)
        if r.postcode:
            keys.add(f"p:{r.postcode}:{given}")
    return keys


def lookup_keys(r: ChildRecord) -> set[str]:
    keys = index_keys(r)
    if (d := r.date_of_birth) and d.day <= 12 and d.day != d.month:
        keys.add(f"d:{d.replace(day=d.month, month=d.day).isoformat()}")
    return keys
