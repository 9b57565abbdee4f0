"""An index held in memory: the records matched earlier in the same poll (not yet committed, so not in the
database's index) and, for `frontdoor people link`, the whole index built from a file."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from uuid import UUID

from shared.events.people import PastReferral
from services.people.domain.frequencies import NameCounts
from services.people.domain.records import ChildRecord, Sighting


class InMemoryIndex:
    def __init__(self) -> None:
        self._by_key: dict[str, list[Sighting]] = defaultdict(list)
        self.referrals: dict[UUID, list[PastReferral]] = defaultdict(list)
        self.given: Counter[str] = Counter()
        self.family: Counter[str] = Counter()
        self.total = 0

    def add(self, sighting: Sighting, keys: Iterable[str]) -> None:
        for key in keys:
            self._by_key[key].append(sighting)
        self.given[sighting.record.given] += 1
        self.family.update(set(sighting.record.family))
        self.total += 1

    def counts(self, record: ChildRecord) -> NameCounts:
        return NameCounts(given=self.given[record.given], family={p: self.family[p] for p in record.family},
                          total=self.total)

    def find(self, keys: Iterable[str]) -> list[Sighting]:
        seen: dict[int, Sighting] = {}
        for key in keys:
            for sighting in self._by_key.get(key, ()):
                seen[id(sighting)] = sighting
        return list(seen.values())
