"""The matcher's policy: versioned data, recorded with every match so a grade can be explained and re-run.

The model is Fellegi-Sunter (the one record linkage libraries such as Splink fit): each field's comparison
falls in a level, each level carries a weight (log2 of how much more often that level is seen between records
of the same child than between different children), the weights add to a prior, and the sum becomes a match
probability. The weights here are set by hand from each level's discriminating power (a date of birth narrows
to about 1 in 6,600 children under 18, a unit postcode to about 15 households) and how often partners slip.
Siblings break the model's independence assumption (they share surname and address, twins their birthday too),
so a different given name weighs far more than its m/u ratio: that is what keeps twins apart. Then checked
on the synthetic set (`frontdoor people link --truth`). Fitting them
with Splink on real, consented data is future work; new weights are a new version.

Grades follow FHIR Patient `$match` (certain / probable / possible), plus `new`:
- certain: equal valid NHS numbers; or the first given name is exactly the same (never a nickname or a near
  spelling: twins are often named alike), the surname the same or one slip away, the date of birth the same
  or one slip away, sex not conflicting, the postcode not in another district, and the probability reaches
  `certain_probability`; a slip (surname or date of birth one step away) only with the same unit postcode;
- probable / possible: probability thresholds; both create a new person and offer the candidate to a person.
"""

from dataclasses import dataclass, field

from services.people.domain import nicknames


@dataclass(frozen=True)
class MatchPolicy:
    version: str
    prior: float  # log2 odds that two records retrieved together are the same child, before comparing
    weights: dict[str, dict[str, float]]
    certain_probability: float
    probable_probability: float
    possible_probability: float
    max_candidates: int = 5
    sources: tuple[str, ...] = field(default=())


POLICY_2026_12 = MatchPolicy(
    version=f"2026.12-1/nicknames-{nicknames.VERSION}",
    prior=-16.6,  # log2(1 / 100,000): one child among an authority's children
    weights={
        # log2(m/u): m = how often the level is seen for the same child (partners' slips), u = by chance
        "given": {"exact": 5.5, "nickname": 4.0, "typo": 3.0, "initial": 0.0, "differ": -12.0, "missing": 0.0},
        "family": {"exact": 6.5, "part": 5.0, "typo": 4.0, "differ": -3.0, "missing": 0.0},
        "dob": {"exact": 12.5, "swap": 8.0, "slip": 8.0, "differ": -6.0, "missing": 0.0},
        "sex": {"agree": 1.0, "conflict": -5.0, "unknown": 0.0},
        "postcode": {"exact": 12.0, "district": 4.0, "differ": -1.0, "missing": 0.0},
    },
    certain_probability=0.995,
    probable_probability=0.95,
    possible_probability=0.03,  # an exact name with nothing else still reaches a person
    sources=("HL7 FHIR R4 Patient $match (match-grade: certain, probable, possible)",
             "Fellegi & Sunter (1969), A Theory for Record Linkage, JASA 64(328)",
             "NHS Digital PDS: the NHS number is the unique identifier; different numbers are different people",
             "DESIGN 'Identity and history': twins and common names must never merge automatically"),
)

POLICIES = {p.version: p for p in (POLICY_2026_12,)}
DEFAULT = POLICY_2026_12
