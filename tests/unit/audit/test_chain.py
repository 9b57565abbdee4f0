"""The hash chain: leaf hashes per RFC 6962, and verification that names the first bad row."""

import hashlib
from dataclasses import replace

from services.audit.domain.chain import GENESIS, canonical, leaf_hash, link, verify


def rows(n: int):
    return link(None, [canonical({"event_id": str(i), "n": i}) for i in range(n)])


def test_leaf_hash_is_rfc6962():
    # transparency-dev/merkle rfc6962 test vector: HashLeaf("") (tech-reference §4)
    assert leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"


def test_canonical_bytes_are_sorted_and_compact():
    assert canonical({"b": 1, "a": {"d": [1, 2], "c": "é"}}) == '{"a":{"c":"é","d":[1,2]},"b":1}'.encode()


def test_rows_link_from_genesis_and_continue_a_chain():
    first = rows(3)
    assert [r.seq for r in first] == [1, 2, 3] and first[0].prev_hash == GENESIS
    more = link(first[-1], [b"x"])
    assert more[0].seq == 4 and more[0].prev_hash == first[-1].entry_hash
    assert verify(first + more) is None


def test_an_altered_row_is_named():
    chain = rows(5)
    chain[2] = replace(chain[2], canonical=chain[2].canonical.replace(b"2", b"9"))
    fault = verify(chain)
    assert fault.seq == 3 and "altered" in fault.problem


def test_a_removed_row_is_named():
    chain = rows(5)
    del chain[1]
    fault = verify(chain)
    assert fault.seq == 3 and "gap" in fault.problem


def test_swapped_rows_are_found():
    chain = rows(5)
    a, b = chain[1], chain[2]
    chain[1], chain[2] = replace(b, seq=2), replace(a, seq=3)
    fault = verify(chain)
    assert fault.seq == 2 and "prev_hash" in fault.problem


def test_a_rehashed_forgery_still_breaks_the_link():
    chain = rows(4)
    forged = canonical({"event_id": "1", "n": 999})
    chain[1] = replace(chain[1], canonical=forged, entry_hash=hashlib.sha256(b"\x00" + forged).digest())
    assert verify(chain).seq == 3
