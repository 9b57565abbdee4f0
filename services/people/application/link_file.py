"""Link a file of child records, in file order, each against the index built from the records before it:
the service's matcher and policy without the running system (`frontdoor people link`)."""

from collections.abc import Iterable, Iterator
from typing import Any

from shared.events.referral import Child
from services.people.application.batch_index import InMemoryIndex
from services.people.application.identify import new_person_id
from services.people.domain.blocking import index_keys, lookup_keys
from services.people.domain.match_policy import MatchPolicy
from services.people.domain.matching import match
from services.people.domain.records import Sighting, record_of


def link_records(records: Iterable[tuple[str, Child]], policy: MatchPolicy) -> Iterator[dict[str, Any]]:
    index = InMemoryIndex()
    for record_id, child in records:
        record = record_of(child)
        result = match(record, index.find(lookup_keys(record)), policy, index.counts(record))
        person_id = result.attach_to or new_person_id(record_id)
        index.add(Sighting(person_id, record), index_keys(record))
        yield {"record_id": record_id, "person_id": str(person_id), "grade": result.grade, "score": result.score,
               "candidates": [{"person_id": str(c.person_id), "grade": c.grade, "score": c.score}
                              for c in result.candidates],
               "matcher_version": result.matcher_version}
