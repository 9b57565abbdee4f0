"""Each identifying field of two records compared into a level: the words the match policy weighs and the
reasons a practitioner reads ("given:nickname", "dob:swap")."""

from datetime import date

from jellyfish import metaphone
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from services.people.domain.records import ChildRecord

TYPO_SIMILARITY = 0.9  # Jaro-Winkler; or one edit (insert, delete, substitute, transpose) in a name of 4+;
# or the same sound (metaphone: "Maisie" and "Maisy")


def levels(a: ChildRecord, b: ChildRecord) -> dict[str, str]:
    return {"given": given(a, b), "family": family(a.family, b.family), "dob": dob(a.date_of_birth, b.date_of_birth),
            "sex": sex(a.sex, b.sex), "postcode": postcode(a, b)}


def _typo(x: str, y: str) -> bool:
    if JaroWinkler.similarity(x, y) >= TYPO_SIMILARITY or metaphone(x) == metaphone(y):
        return True
    return min(len(x), len(y)) >= 4 and DamerauLevenshtein.distance(x, y) <= 1


def given(a: ChildRecord, b: ChildRecord) -> str:
    if not a.given or not b.given:
        return "missing"
    if a.given == b.given:
        return "exact"
    if a.given_canonical == b.given_canonical:
        return "nickname"
    if _typo(a.given, b.given):
        return "typo"
    if (len(a.given) == 1 or len(b.given) == 1) and a.given[0] == b.given[0]:
        return "initial"
    return "differ"


def family(a: tuple[str, ...], b: tuple[str, ...]) -> str:
    if not a or not b:
        return "missing"
    if a == b:
        return "exact"
    if set(a) & set(b):
        return "part"  # double-barrelled, or one of two surnames used
    if _typo("".join(a), "".join(b)):
        return "typo"
    return "differ"


def dob(a: date | None, b: date | None) -> str:
    if a is None or b is None:
        return "missing"
    if a == b:
        return "exact"
    if (a.day, a.month, a.year) == (b.month, b.day, b.year):
        return "swap"  # 03/04 written for 04/03
    x, y = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    if sum(c != d for c, d in zip(x, y, strict=True)) == 1:
        return "slip"  # one digit mistyped
    return "differ"


def sex(a: str, b: str) -> str:
    if "unknown" in (a, b):
        return "unknown"
    return "agree" if a == b else "conflict"


def postcode(a: ChildRecord, b: ChildRecord) -> str:
    if not a.postcode or not b.postcode:
        return "missing"
    if a.postcode == b.postcode:
        return "exact"
    return "district" if a.district == b.district else "differ"
