"""Code lists of the v1 contract: the vocabularies partners send and triage routes on.

They live in the contract (not in triage) because partners, the OpenAPI schema and every consumer must agree
on them. Sources: DESIGN "Referral API v1"; CIN census referral sources and assessment factors
(domain research §4.1; sources in docs/sources.md).
"""

from enum import StrEnum


class ReferralSource(StrEnum):
    """Children in Need census referral source (who made the referral)."""

    INDIVIDUAL_FAMILY = "1A"
    INDIVIDUAL_ACQUAINTANCE = "1B"
    INDIVIDUAL_SELF = "1C"
    INDIVIDUAL_OTHER = "1D"
    SCHOOLS = "2A"
    EDUCATION_SERVICES = "2B"
    GP = "3A"
    HEALTH_VISITOR = "3B"
    SCHOOL_NURSE = "3C"
    OTHER_PRIMARY_HEALTH = "3D"
    A_AND_E = "3E"
    OTHER_HEALTH = "3F"
    HOUSING = "4"
    LA_SOCIAL_CARE = "5A"
    OTHER_INTERNAL_LA = "5B"
    EXTERNAL_LA = "5C"
    EARLY_HELP = "5D"
    POLICE = "6"
    OTHER_LEGAL_AGENCY = "7"
    OTHER = "8"
    ANONYMOUS = "9"
    UNKNOWN = "10"


#: concern code -> Children in Need census assessment factor (None where the census has none).
CONCERN_CIN_FACTORS: dict[str, str | None] = {
    "alcohol_misuse_child": "1A", "alcohol_misuse_parent": "1B",
    "drug_misuse_child": "2A", "drug_misuse_parent": "2B",
    "domestic_abuse_child": "3A", "domestic_abuse_parent": "3B",
    "mental_health_child": "4A", "mental_health_parent": "4B",
    "learning_disability_child": "5A", "physical_disability_child": "6A",
    "young_carer": "7A", "privately_fostered": "8B", "unaccompanied_asylum_seeker": "9A",
    "going_missing": "10A", "child_sexual_exploitation": "11A", "trafficking": "12A",
    "gang_involvement": "13A", "socially_unacceptable_behaviour": "14A", "self_harm": "15A",
    "neglect": "16A", "emotional_abuse": "17A", "physical_abuse": "18B", "sexual_abuse": "19B",
    "fgm": "22A", "abuse_linked_to_faith_or_belief": "23A", "child_criminal_exploitation": "24A",
    "radicalisation": None, "school_attendance": None, "behaviour": None, "parenting_support": None,
    "housing": None, "financial_hardship": None, "child_development": None, "other": "20",
}

Concern = StrEnum("Concern", {code.upper(): code for code in CONCERN_CIN_FACTORS})  # type: ignore[misc]
Concern.__doc__ = "A concern code from the v1 vocabulary (DESIGN 'Concern vocabulary')."


class QueueId(StrEnum):
    """Work queues triage routes to. The ids are the contract: topic `queue.<id>` exists for each."""

    STATUTORY_SAFEGUARDING = "statutory_safeguarding"
    EARLY_HELP = "early_help"
    DISABLED_CHILDREN = "disabled_children"
    ADULT_TRANSITION = "adult_transition"
    YOUTH_OFFENDING = "youth_offending"
    MASH_REVIEW = "mash_review"
    SIGNPOSTING = "signposting"


class Rag(StrEnum):
    """Screening urgency: red 2 h, amber 6 h, green 24 h by default (configurable per rule set)."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
