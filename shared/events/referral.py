"""The v1 referral body: what a partner posts, and what `ReferralReceived` carries to triage and audit.

Field names are the partner contract (DESIGN "Referral API v1"). Unknown fields are rejected so that a
partner's typo is an error they see, not data we silently drop. Rules that need today's date (a date of birth
not in the future, a due date within ten months) are intake's to check, because the contract has no clock.
"""

from datetime import date
from typing import Annotated, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from shared.events.codes import Concern, ReferralSource

EARLIEST_DATE_OF_BIRTH = date(1990, 1, 1)
MAX_FREE_TEXT = 20_000


def storable(value: str) -> str:
    """Text PostgreSQL can store and every system can print: no NUL characters, valid Unicode."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


Text = Annotated[str, AfterValidator(storable)]
ShortText = Field(default=None, max_length=200)


class ContractModel(BaseModel):
    """Strict and immutable: unknown fields are errors, values never change after validation."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def nhs_number_is_valid(value: str) -> bool:
    """The NHS number modulus 11 check: weights 10..2 over the first nine digits; 10 is never valid."""
    if len(value) != 10 or not value.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(value[:9], range(10, 1, -1))) % 11
    check = 11 - remainder
    check = 0 if check == 11 else check
    return check != 10 and check == int(value[9])


class Referrer(ContractModel):
    source: ReferralSource = Field(description="CIN census referral source code", examples=["2A"])
    organisation: Text | None = ShortText
    name: Text | None = ShortText
    role: Text | None = ShortText
    email: EmailStr | None = None
    phone: Text | None = Field(default=None, max_length=40)
    is_professional: bool


class Child(ContractModel):
    given_name: Text | None = ShortText
    family_name: Text | None = ShortText
    date_of_birth: date | None = None
    unborn: bool = False
    expected_due_date: date | None = None
    sex: Literal["male", "female", "unknown"] = "unknown"
    nhs_number: Text | None = Field(default=None, description="10 digits with a valid mod-11 check digit")
    upn: str | None = Field(default=None, pattern=r"^[A-Z][0-9]{11}[0-9A-Z]$", description="Unique pupil number")
    postcode: Text | None = Field(default=None, max_length=10)

    @field_validator("nhs_number")
    @classmethod
    def _nhs_number(cls, value: str | None) -> str | None:
        if value is not None and not nhs_number_is_valid(value.replace(" ", "")):
            raise ValueError("must be 10 digits whose last digit is the NHS mod-11 check digit")
        return value.replace(" ", "") if value else value

    @field_validator("date_of_birth")
    @classmethod
    def _not_before_1990(cls, value: date | None) -> date | None:
        if value is not None and value < EARLIEST_DATE_OF_BIRTH:
            raise ValueError("must not be before 1990-01-01")
        return value

    @model_validator(mode="after")
    def _unborn_has_due_date_only(self) -> Self:
        if self.unborn and self.expected_due_date is None:
            raise ValueError("expected_due_date is required when unborn is true")
        if self.unborn and self.date_of_birth is not None:
            raise ValueError("date_of_birth must be absent when unborn is true")
        if not self.unborn and self.expected_due_date is not None:
            raise ValueError("expected_due_date is only allowed when unborn is true")
        return self


class HouseholdMember(ContractModel):
    relationship: Text = Field(max_length=100)
    given_name: Text | None = ShortText
    family_name: Text | None = ShortText
    date_of_birth: date | None = None
    parental_responsibility: bool = False


DisabilityType = Literal[
    "learning", "physical", "hearing", "vision", "autism", "communication",
    "complex_health", "life_limiting", "behaviour", "other",
]


class Disability(ContractModel):
    has_disability: bool
    types: list[DisabilityType] = Field(default_factory=list, max_length=10)
    diagnosed: bool = False
    long_term: bool = Field(default=False, description="Lasted or expected to last 12+ months, or for life")
    substantial_support_needed: bool = Field(
        default=False,
        description="Needs total or substantial support, not age-appropriate, that the family network cannot provide",
    )


class Send(ContractModel):
    has_ehcp: bool = False
    in_education_or_training: bool = False


YouthJusticeEvent = Literal[
    "arrest", "voluntary_interview", "community_resolution", "youth_caution",
    "youth_conditional_caution", "charge", "court_order", "antisocial_behaviour",
]


class YouthJustice(ContractModel):
    event: YouthJusticeEvent
    event_date: date | None = None


class Consent(ContractModel):
    status: Literal["given", "refused", "not_sought"]
    given_by: Literal["parent", "young_person", "both"] | None = None
    reason_not_sought: Text | None = Field(default=None, max_length=2_000)

    @model_validator(mode="after")
    def _given_by_only_when_given(self) -> Self:
        if self.status == "given" and self.given_by is None:
            raise ValueError("given_by is required when status is given")
        return self


class KnownToServices(ContractModel):
    open_to_social_care: bool = False
    open_early_help: bool = False
    child_protection_plan: bool = False
    looked_after: bool = False
    open_youth_justice: bool = False


class ReferralV1(ContractModel):
    """A referral about one child, as a partner agency posts it (`POST /v1/referrals`)."""

    referrer: Referrer
    child: Child
    household: list[HouseholdMember] = Field(default_factory=list, max_length=30)
    concern_summary: Text = Field(min_length=1, max_length=MAX_FREE_TEXT)
    immediate_danger: bool
    significant_harm_suspected: bool
    concerns: list[Concern] = Field(default_factory=list, max_length=len(Concern))
    disability: Disability | None = None
    send: Send | None = None
    likely_care_needs_after_18: bool = False
    youth_justice: YouthJustice | None = None
    consent: Consent
    known_to_services: KnownToServices = Field(default_factory=KnownToServices)
