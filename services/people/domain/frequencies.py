"""How common a name is among the children the index knows: an exact "Oliver Smith" is weaker evidence than an
exact "Zephyrine Okonkwo-Baptiste" (term-frequency adjustment, as Splink makes it).

The frequency is smoothed towards a typical name's, so a young index, which has seen few names, neither
trusts a name as rare nor dismisses it as common: `(count + k * typical) / (total + k)`.
"""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class NameCounts:
    """Sightings of the record's first given name, of each of its surname parts, and of all records."""

    given: int
    family: dict[str, int]
    total: int


TYPICAL_FREQUENCY = 0.01
SMOOTHING = 200  # records' worth of belief in the typical frequency
SAME_NAME_AGREES = 0.9  # m: how often two records of the same child give the name exactly alike


def frequency(count: int, total: int) -> float:
    return (count + SMOOTHING * TYPICAL_FREQUENCY) / (total + SMOOTHING)


def exact_weight(count: int, total: int) -> float:
    """log2(m / u) for an exact agreement on a name seen `count` times in `total` records."""
    return math.log2(SAME_NAME_AGREES / frequency(count, total))
