"""Names as partners write them, made comparable: case, accents, punctuation and spacing removed, a
double-barrelled or two-part surname split into its parts, a known short form read as its full name.

A nickname says "could be the same child", never "is": the matcher scores it below an exact given name.
"""

import unicodedata

from services.people.domain.nicknames import FULL_NAMES


def normalised(name: str | None) -> str:
    """Lower case, no accents, letters and single spaces only ("O'Brien-Smith " -> "obrien smith")."""
    if not name:
        return ""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    letters = "".join(c if c.isalpha() else (" " if c in " -" else "") for c in plain)
    return " ".join(letters.split())


def parts(name: str | None) -> tuple[str, ...]:
    """A surname's parts: "Smith-Jones" and "Smith Jones" are ("smith", "jones")."""
    return tuple(normalised(name).split())


def first_given(name: str | None) -> str:
    """The first given name: partners write "Amelia Rose" or "Amelia"."""
    given = parts(name)
    return given[0] if given else ""


def canonical_given(name: str | None) -> str:
    """The full form of a known short name ("tom" -> "thomas"), else the first given name itself."""
    first = first_given(name)
    return FULL_NAMES.get(first, first)
