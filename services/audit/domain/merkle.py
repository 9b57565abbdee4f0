"""RFC 9162 (Certificate Transparency 2.0, after RFC 6962) Merkle tree hashes, proofs and verifiers.

Written out rather than taken from a library because the proofs must be exactly RFC 9162's so that any CT
verifier can check them: pymerkle (used in the tests as an independent oracle for roots and inclusion paths)
shapes its consistency proofs differently. Leaves here are already leaf hashes, SHA-256(0x00 || entry).
The verifiers are stand-alone: an auditor can copy them, with hashlib, and trust nothing else of ours.
"""

import hashlib
from collections.abc import Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): RFC 9162's k, not the midpoint."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[0]
    k = _split(n)
    return node_hash(root(leaves[:k]), root(leaves[k:]))


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]): the audit path for leaf `index` in the tree of `leaves`."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError(f"leaf {index} is not in a tree of size {n}")
    if n == 1:
        return []
    k = _split(n)
    if index < k:
        return inclusion_proof(index, leaves[:k]) + [root(leaves[k:])]
    return inclusion_proof(index - k, leaves[k:]) + [root(leaves[:k])]


def consistency_path(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """The leaf ranges [a, b) whose roots make PROOF(m, D[n]), in order. Each lies wholly before the old size
    (then it is one of the old tree's perfect subtrees: a compact range node) or wholly after it."""
    if not 0 < old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to {new_size}")

    def sub(m: int, base: int, n: int, complete: bool) -> list[tuple[int, int]]:
        if m == n:
            return [] if complete else [(base, base + n)]
        k = _split(n)
        if m <= k:
            return sub(m, base, k, complete) + [(base + k, base + n)]
        return sub(m - k, base + k, n - k, False) + [(base, base + k)]

    return sub(old_size, 0, new_size, True)


def consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]): shows the tree of the first `old_size` leaves is a prefix of the tree of `leaves`."""
    return [root(leaves[a:b]) for a, b in consistency_path(old_size, len(leaves))]


def consistency_proof_since(old: "CompactRange", newer: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) from the old tree's compact range and only the leaves after it (`newer`): a witness's
    proof costs the new leaves, not the whole log again."""
    subtrees: dict[tuple[int, int], bytes] = {}
    start = 0
    for height in reversed(range(old.size.bit_length())):  # largest first, as the range keeps them
        if old.size >> height & 1:
            subtrees[(start, start + (1 << height))] = old.hashes[len(subtrees)]
            start += 1 << height
    proof = []
    for a, b in consistency_path(old.size, old.size + len(newer)):
        if a >= old.size:
            proof.append(root(newer[a - old.size:b - old.size]))
        elif (a, b) in subtrees:
            proof.append(subtrees[(a, b)])
        else:  # not expected of RFC 9162's proof shape; refused rather than guessed
            raise ValueError(f"the range [{a}, {b}) is not a node of the old tree's compact range")
    return proof


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], expected_root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if index >= size or index < 0:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == expected_root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2."""
    if old_size < 1 or old_size > new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # an exact power of two: the old root is itself a node of the new tree
        path.insert(0, old_root)
    if not path:
        return False
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0


class CompactRange:
    """The roots of the perfect subtrees that make up the first n leaves (largest first): enough to give
    MTH(D[n]) for any n met on the way in O(log n), so a verifier reading the log once, in order, checks every
    checkpoint in linear time instead of recomputing each root from all leaves. Saved (`hashes`, `size`), it
    lets a later verification go on from where this one stopped, reading only the new rows."""

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if len(hashes) != size.bit_count():
            raise ValueError(f"a range of {size} leaves has {size.bit_count()} subtree roots, not {len(hashes)}")
        self.size, self.hashes = size, list(hashes)

    def append(self, leaf: bytes) -> None:
        """Add the next leaf hash, merging equal-height subtrees as a binary counter carries."""
        node, carry = leaf, self.size
        while carry & 1:
            node = node_hash(self.hashes.pop(), node)
            carry >>= 1
        self.hashes.append(node)
        self.size += 1

    def root(self) -> bytes:
        """MTH of the leaves so far: the subtree roots folded from the right (RFC 9162's left-balanced tree)."""
        if not self.hashes:
            return EMPTY_ROOT
        node = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            node = node_hash(left, node)
        return node
