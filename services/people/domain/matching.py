"""match(): grade a referred child against the known people the index retrieved. Pure: same records, same
policy, same answer; every grade carries the field levels that explain it.

- Equal valid NHS numbers: certain. Different valid NHS numbers: never the same child, not even a candidate.
- Otherwise the Fellegi-Sunter sum of the policy's weights gives a probability; `certain` further needs the
  identifying fields to agree (`CERTAIN_LEVELS`, see match_policy): the first given name exactly, which twins
  (same surname, birthday and address) never share; at most one slip in surname or date of birth, and only
  with the same unit postcode (two Amelia Smiths born a month apart in one district are two children).
- A person is compared through each of their sightings (every referral's record of them); the best counts.
- Only a certain match attaches; anything less is a new person with the candidates listed.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from uuid import UUID

from services.people.domain.comparison import levels
from services.people.domain.frequencies import NameCounts, exact_weight
from services.people.domain.match_policy import MatchPolicy
from services.people.domain.records import ChildRecord, Sighting

GRADE_RANK = {"certain": 0, "probable": 1, "possible": 2, "new": 3}
CERTAIN_LEVELS = {"given": ("exact",), "family": ("exact", "part", "typo"), "dob": ("exact", "swap", "slip"),
                  "sex": ("agree", "unknown"), "postcode": ("exact", "district", "missing")}


@dataclass(frozen=True)
class PersonMatch:
    person_id: UUID
    grade: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MatchResult:
    grade: str
    score: float
    attach_to: UUID | None  # the known person, only when certain
    candidates: tuple[PersonMatch, ...]
    matcher_version: str


def compare(new: ChildRecord, known: ChildRecord, person_id: UUID, policy: MatchPolicy,
            counts: NameCounts | None = None) -> PersonMatch | None:
    """How well `known` (one sighting of `person_id`) matches `new`; None when they cannot be the same child.
    With `counts`, an exact name weighs by how rare it is in the index (frequencies.py), else by the policy."""
    if new.nhs_number and known.nhs_number:
        if new.nhs_number != known.nhs_number:
            return None
        return PersonMatch(person_id, "certain", 1.0, ("nhs_number:equal",))
    found = levels(new, known)
    weights = {name: policy.weights[name][level] for name, level in found.items()}
    if counts is not None:
        if found["given"] == "exact":
            weights["given"] = exact_weight(counts.given, counts.total)
        if found["family"] == "exact":
            weights["family"] = min(exact_weight(counts.family.get(part, 0), counts.total) for part in new.family)
    total = policy.prior + sum(weights.values())
    probability = round(1 / (1 + math.pow(2, -total)), 6)
    slips = (found["family"] != "exact") + (found["dob"] != "exact")
    identical = all(found[name] in allowed for name, allowed in CERTAIN_LEVELS.items()) and (
        slips == 0 or (slips == 1 and found["postcode"] == "exact"))
    if identical and probability >= policy.certain_probability:
        grade = "certain"
    elif probability >= policy.probable_probability:
        grade = "probable"
    elif probability >= policy.possible_probability:
        grade = "possible"
    else:
        grade = "new"
    return PersonMatch(person_id, grade, probability, tuple(f"{k}:{v}" for k, v in found.items()))


def match(new: ChildRecord, sightings: Iterable[Sighting], policy: MatchPolicy,
          counts: NameCounts | None = None) -> MatchResult:
    best: dict[UUID, PersonMatch] = {}
    excluded: set[UUID] = set()
    for sighting in sightings:
        found = compare(new, sighting.record, sighting.person_id, policy, counts)
        if found is None:
            excluded.add(sighting.person_id)
        elif (current := best.get(sighting.person_id)) is None or _better(found, current):
            best[sighting.person_id] = found
    ranked = sorted((m for p, m in best.items() if p not in excluded and m.grade != "new"),
                    key=lambda m: (GRADE_RANK[m.grade], -m.score, str(m.person_id)))[:policy.max_candidates]
    if not ranked:
        return MatchResult("new", 0.0, None, (), policy.version)
    top = ranked[0]
    if top.grade == "certain":
        return MatchResult("certain", top.score, top.person_id, tuple(ranked[1:]), policy.version)
    return MatchResult(top.grade, top.score, None, tuple(ranked), policy.version)


def without_rejected(result: MatchResult, person_id: UUID, rejected: set[frozenset[UUID]]) -> MatchResult:
    """`result` without the candidates a practitioner has said are a different child from `person_id` (the
    person the record was attached to or starts): a rejected pair is not offered again."""
    kept = tuple(c for c in result.candidates if frozenset((person_id, c.person_id)) not in rejected)
    if len(kept) == len(result.candidates):
        return result
    if result.attach_to is not None:
        return replace(result, candidates=kept)
    top = kept[0] if kept else None
    return replace(result, candidates=kept, grade=top.grade if top else "new", score=top.score if top else 0.0)


def _better(a: PersonMatch, b: PersonMatch) -> bool:
    return (GRADE_RANK[a.grade], -a.score) < (GRADE_RANK[b.grade], -b.score)
