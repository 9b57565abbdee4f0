"""RFC 6962 / 9162 Merkle hashes and proofs: the published test vectors, properties up to 64 leaves, and
pymerkle as an independent oracle (tech-reference §4; transparency-dev/merkle rfc6962 vectors)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymerkle import InmemoryTree

from services.audit.domain import merkle
from services.audit.domain.chain import leaf_hash
from services.audit.domain.merkle import CompactRange, root

VECTOR_LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                            "606162636465666768696a6b6c6d6e6f")]
LEAVES = [leaf_hash(d) for d in VECTOR_LEAVES]
ROOT_PREFIXES = ["6e340b9c", "fac54203", "aeb6bcfe", "d37ee418", "4e3bbb1f", "76e67dad", "ddb89be4", "5dc9da79"]


def prefixes(hashes) -> list[str]:
    return [h.hex()[:8] for h in hashes]


def test_empty_tree_and_leaf_hash_vectors():
    assert merkle.root([]).hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert leaf_hash(b"").hex() == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    assert leaf_hash(b"L123456").hex().startswith("395aa064")
    assert merkle.node_hash(b"N123", b"N456").hex().startswith("aa217fe8")


def test_roots_for_one_to_eight_leaves():
    assert [merkle.root(LEAVES[:n]).hex()[:8] for n in range(1, 9)] == ROOT_PREFIXES
    assert merkle.root(LEAVES).hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"


def test_inclusion_and_consistency_proof_vectors():
    assert prefixes(merkle.inclusion_proof(0, LEAVES)) == ["96a296d2", "5f083f0a", "6b47aaf2"]
    assert prefixes(merkle.inclusion_proof(5, LEAVES)) == ["bc1a0643", "ca854ea1", "d37ee418"]
    assert prefixes(merkle.consistency_proof(2, LEAVES)) == ["5f083f0a", "6b47aaf2"]


def test_bad_arguments_are_refused_not_guessed():
    assert not merkle.verify_inclusion(LEAVES[0], 8, 8, [], merkle.root(LEAVES))
    assert not merkle.verify_consistency(0, 8, b"", merkle.root(LEAVES), [])
    assert not merkle.verify_consistency(4, 8, merkle.root(LEAVES[:4]), merkle.root(LEAVES), [])


trees = st.lists(st.binary(min_size=0, max_size=16), min_size=1, max_size=64)


def flip(data: bytes, bit: int) -> bytes:
    i = bit % (len(data) * 8)
    return data[: i // 8] + bytes([data[i // 8] ^ (1 << (i % 8))]) + data[i // 8 + 1:]


@settings(max_examples=150, deadline=None)
@given(trees, st.data())
def test_every_inclusion_proof_verifies_and_any_flipped_bit_fails(entries, data):
    leaves = [leaf_hash(e) for e in entries]
    top, n = merkle.root(leaves), len(leaves)
    for index in range(n):
        proof = merkle.inclusion_proof(index, leaves)
        assert merkle.verify_inclusion(leaves[index], index, n, proof, top)
    index = data.draw(st.integers(0, n - 1))
    proof = merkle.inclusion_proof(index, leaves)
    bit = data.draw(st.integers(0, 255))
    assert not merkle.verify_inclusion(flip(leaves[index], bit), index, n, proof, top)
    assert not merkle.verify_inclusion(leaves[index], index, n, proof, flip(top, bit))
    if proof:
        k = data.draw(st.integers(0, len(proof) - 1))
        assert not merkle.verify_inclusion(leaves[index], index, n, proof[:k] + [flip(proof[k], bit)]
                                           + proof[k + 1:], top)


@settings(max_examples=150, deadline=None)
@given(trees, st.data())
def test_every_consistency_proof_verifies_and_any_flipped_bit_fails(entries, data):
    leaves = [leaf_hash(e) for e in entries]
    n = len(leaves)
    for m in range(1, n + 1):
        proof = merkle.consistency_proof(m, leaves)
        assert merkle.verify_consistency(m, n, merkle.root(leaves[:m]), merkle.root(leaves), proof)
    m = data.draw(st.integers(1, n))
    proof, bit = merkle.consistency_proof(m, leaves), data.draw(st.integers(0, 255))
    old, new = merkle.root(leaves[:m]), merkle.root(leaves)
    if m < n:
        assert not merkle.verify_consistency(m, n, flip(old, bit), new, proof)
        assert not merkle.verify_consistency(m, n, old, flip(new, bit), proof)
    if proof:
        k = data.draw(st.integers(0, len(proof) - 1))
        assert not merkle.verify_consistency(m, n, old, new, proof[:k] + [flip(proof[k], bit)] + proof[k + 1:])


@settings(max_examples=60, deadline=None)
@given(trees)
def test_roots_and_inclusion_paths_agree_with_pymerkle(entries):
    oracle = InmemoryTree(algorithm="sha256")
    for entry in entries:
        oracle.append_entry(entry)
    leaves = [leaf_hash(e) for e in entries]
    assert merkle.root(leaves) == oracle.get_root()
    for index in range(len(leaves)):
        path = oracle.prove_inclusion(index + 1).serialize()["path"]
        assert [bytes.fromhex(p) for p in path[1:]] == merkle.inclusion_proof(index, leaves)


def test_all_proofs_verify_for_every_tree_size_up_to_64():
    leaves = [leaf_hash(bytes([i])) for i in range(64)]
    roots = [merkle.root(leaves[:n]) for n in range(65)]
    for n in range(1, 65):
        tree = leaves[:n]
        assert all(merkle.verify_inclusion(tree[i], i, n, merkle.inclusion_proof(i, tree), roots[n])
                   for i in range(n))
        assert all(merkle.verify_consistency(m, n, roots[m], roots[n], merkle.consistency_proof(m, tree))
                   for m in range(1, n + 1))


@given(st.lists(st.binary(min_size=1, max_size=8), min_size=0, max_size=300))
def test_a_compact_range_gives_every_prefix_root_reading_the_leaves_once(entries):
    leaves = [leaf_hash(e) for e in entries]
    compact = CompactRange()
    assert compact.root() == root([])
    for n, leaf in enumerate(leaves, start=1):
        compact.append(leaf)
        assert compact.size == n and compact.root() == root(leaves[:n])
    resumed = CompactRange(compact.size, compact.hashes)  # saved and reloaded: carries on identically
    extra = leaf_hash(b"one more")
    resumed.append(extra)
    assert resumed.root() == root([*leaves, extra])


def test_a_compact_range_refuses_a_saved_state_of_the_wrong_shape():
    with pytest.raises(ValueError):
        CompactRange(3, [b"x" * 32])  # 3 leaves are two perfect subtrees (2 + 1)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 300), st.data())
def test_a_consistency_proof_from_the_old_trees_compact_range_and_the_new_leaves_is_rfc_9162s(new_size, data):
    old_size = data.draw(st.integers(1, new_size))
    leaves = [leaf_hash(i.to_bytes(2, "big")) for i in range(new_size)]
    old = CompactRange()
    for leaf in leaves[:old_size]:
        old.append(leaf)
    assert merkle.consistency_proof_since(old, leaves[old_size:]) == merkle.consistency_proof(old_size, leaves)
