"""A child as the matcher sees them: the identifying fields of one referral, normalised once."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from shared.events.referral import Child
from services.people.domain.names import canonical_given, first_given, parts


@dataclass(frozen=True)
class ChildRecord:
    given: str
    given_canonical: str
    family: tuple[str, ...]
    date_of_birth: date | None
    sex: str  # male | female | unknown
    postcode: str  # upper case, no spaces; "" when not given
    nhs_number: str | None

    @property
    def district(self) -> str:
        """The postcode's outward code (all but the last three characters of a full postcode)."""
        return self.postcode[:-3] if len(self.postcode) >= 5 else self.postcode


@dataclass(frozen=True)
class Sighting:
    """One referral's record of a person: the index compares a new referral with every sighting."""

    person_id: UUID
    record: ChildRecord


def record_of(child: Child) -> ChildRecord:
    """An unborn child has no date of birth to compare (the due date is not one): matched conservatively."""
    return ChildRecord(
        given=first_given(child.given_name), given_canonical=canonical_given(child.given_name),
        family=parts(child.family_name), date_of_birth=None if child.unborn else child.date_of_birth,
        sex=child.sex, postcode="".join((child.postcode or "").upper().split()),
        nhs_number=child.nhs_number or None)
