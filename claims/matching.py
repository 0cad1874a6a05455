"""Claim matching: blocking keys, a pairwise same-claim decision, and clustering.

- Blocking: a mention emits one key per pair of its rarest content tokens, so
  two mentions are compared only when they share two distinctive words. The
  number of comparisons grows with block sizes, never with all pairs.
- Comparing: rapidfuzz ratios over stemmed content tokens give the score. Two
  mentions whose words agree but whose numbers, dates or polarity differ are a
  *conflict*, not the same claim; the scorer uses conflicts to mark contested
  claims.
- Clustering: each connected group of same-claim pairs is split around
  centres, so every member matches its centre directly and unrelated claims
  cannot chain together through intermediate ones.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz

from claims.text import content_tokens, facts, is_negative

SAME_CLAIM = "same_claim"
CONFLICT = "conflict"
METHOD = "rapidfuzz-tokens-v1"


@dataclass(frozen=True)
class MatchParams:
    """Matcher settings; validated on construction."""

    threshold: float = 0.75  # score at or above which two mentions are the same claim
    shared_fact_threshold: float = 0.60  # the threshold when both state the same number or date
    conflict_threshold: float = 0.70  # word similarity at which differing facts make a conflict
    min_shared_tokens: int = 2
    block_tokens: int = 12  # keys are pairs among this many rarest tokens of a mention
    max_block_size: int = 1000  # keys shared by more mentions are too common to block on; counted

    def __post_init__(self):
        for name in ("threshold", "shared_fact_threshold", "conflict_threshold"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in (0, 1]")
        if self.min_shared_tokens < 1:
            raise ValueError("min_shared_tokens must be at least 1")
        if self.block_tokens < 2:
            raise ValueError("block_tokens must be at least 2")
        if self.max_block_size < 2:
            raise ValueError("max_block_size must be at least 2")


@dataclass(frozen=True)
class ClaimFeatures:
    """What the matcher needs from a mention, computed once."""

    tokens: tuple[str, ...]  # sorted, unique stemmed content tokens
    facts: frozenset[str]
    negative: bool


def claim_features(claim_text: str, negative: bool) -> ClaimFeatures:
    return ClaimFeatures(tuple(sorted(set(content_tokens(claim_text)))), facts(claim_text), negative)


def rarest_tokens(tokens: Iterable[str], doc_freq: Mapping[str, int], params: MatchParams) -> tuple[str, ...]:
    """The mention's `block_tokens` rarest tokens (ties broken by spelling), sorted."""
    rarest = sorted(set(tokens), key=lambda t: (doc_freq.get(t, 0), t))[: params.block_tokens]
    return tuple(sorted(rarest))


def keys_from_rarest(rarest: tuple[str, ...]) -> list[str]:
    """One blocking key per pair of rare tokens: "a b" with a < b."""
    return [f"{a} {b}" for i, a in enumerate(rarest) for b in rarest[i + 1:]]


def blocking_keys(tokens: Iterable[str], doc_freq: Mapping[str, int], params: MatchParams) -> list[str]:
    """Keys for the pairs among the mention's `block_tokens` rarest tokens."""
    return keys_from_rarest(rarest_tokens(tokens, doc_freq, params))


def first_shared_key(rarest_a: tuple[str, ...], rarest_b: tuple[str, ...],
                     skipped: frozenset[str] = frozenset()) -> str | None:
    """The smallest key two mentions share, from their sorted rare tokens, leaving out `skipped` keys.

    Keys are "a b" strings, and a space sorts before every token character, so
    keys sort like the token pairs they are made of.
    """
    shared = sorted(set(rarest_a) & set(rarest_b))
    for i, a in enumerate(shared):
        for b in shared[i + 1:]:
            key = f"{a} {b}"
            if key not in skipped:
                return key
    return None


def word_score(a: ClaimFeatures, b: ClaimFeatures) -> float:
    """Similarity of two mentions' content words in [0, 1]: rapidfuzz token-set and sorted ratios."""
    sa, sb = " ".join(a.tokens), " ".join(b.tokens)
    if not sa or not sb:
        return 0.0
    return round((fuzz.token_set_ratio(sa, sb) + fuzz.ratio(sa, sb)) / 200.0, 4)


def facts_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Both state facts and each states one the other lacks ("60 firefighters" vs "40")."""
    return bool(a) and bool(b) and not (a <= b or b <= a)


def _is_year(fact: str) -> bool:
    return len(fact) == 4 and fact.isdigit() and 1900 <= int(fact) <= 2100


def compare(a: ClaimFeatures, b: ClaimFeatures, params: MatchParams) -> tuple[str, float] | None:
    """Decide how two mentions relate: (SAME_CLAIM or CONFLICT, score), or None.

    Agreeing on a specific number or date ("200 residents") is strong evidence
    of the same claim, so such pairs need less word similarity; a bare year is
    too common to count.
    """
    if len(set(a.tokens) & set(b.tokens)) < params.min_shared_tokens:
        return None
    score = word_score(a, b)
    if a.negative != b.negative or facts_conflict(a.facts, b.facts):
        return (CONFLICT, score) if score >= params.conflict_threshold else None
    threshold = params.threshold
    if any(not _is_year(f) for f in a.facts & b.facts):
        threshold = min(threshold, params.shared_fact_threshold)
    return (SAME_CLAIM, score) if score >= threshold else None


def is_same_claim(a: ClaimFeatures, b: ClaimFeatures, params: MatchParams = MatchParams()) -> bool:
    result = compare(a, b, params)
    return result is not None and result[0] == SAME_CLAIM


def sentence_features(text: str) -> ClaimFeatures:
    """Match features for a bare sentence, its polarity read from negations and denials."""
    from claims.mentions import is_denial  # here, not at the top: mentions is the heavier module

    return claim_features(text, is_negative(text) != is_denial(text))


def match_score(text_a: str, text_b: str) -> float:
    """The matcher's similarity of two sentences in [0, 1]."""
    return word_score(sentence_features(text_a), sentence_features(text_b))


def same_claim(text_a: str, text_b: str, params: MatchParams = MatchParams()) -> bool:
    """The matcher's decision: do two sentences state the same claim (same words, facts and polarity)?"""
    return is_same_claim(sentence_features(text_a), sentence_features(text_b), params)


def block_pairs(members: Iterable[tuple[str, ClaimFeatures, tuple[str, ...]]], key: str, params: MatchParams,
                skipped: frozenset[str] = frozenset()):
    """Compare every pair in one block, yielding (id_a, id_b, relation, score).

    `members` are (claim_id, features, rarest tokens). A pair that shares
    several keys is compared only in the block of its smallest shared key that
    is not `skipped` (oversized), so each pair is emitted once without a global
    dedupe.
    """
    members = sorted(members, key=lambda m: m[0])
    for i, (id_a, fa, rarest_a) in enumerate(members):
        for j in range(i + 1, len(members)):
            id_b, fb, rarest_b = members[j]
            if id_a == id_b or first_shared_key(rarest_a, rarest_b, skipped) != key:
                continue
            result = compare(fa, fb, params)
            if result:
                yield id_a, id_b, result[0], result[1]


def centre_clusters(edges: Iterable[tuple[str, str, float]],
                    conflicts: Iterable[tuple[str, str]] = ()) -> dict[str, str]:
    """Split one connected component into star clusters: node -> its centre.

    The node with most matches (then highest total score, then smallest id)
    becomes a centre and takes its unassigned neighbours; repeat. Every member
    is thus directly matched to its centre. A neighbour that conflicts with a
    member already taken ("40 firefighters" when "60 firefighters" is in) is
    left for another cluster, so no cluster contradicts itself.
    """
    adjacency: dict[str, dict[str, float]] = {}
    for a, b, score in edges:
        adjacency.setdefault(a, {})[b] = score
        adjacency.setdefault(b, {})[a] = score
    opposed: dict[str, set[str]] = {}
    for a, b in conflicts:
        opposed.setdefault(a, set()).add(b)
        opposed.setdefault(b, set()).add(a)
    # fsum is exact, so the ranking does not depend on the order the edges arrived in.
    order = sorted(adjacency, key=lambda n: (-len(adjacency[n]), -math.fsum(adjacency[n].values()), n))
    centre_of: dict[str, str] = {}
    for node in order:
        if node in centre_of:
            continue
        centre_of[node] = node
        blocked = set(opposed.get(node, ()))
        for neighbour in sorted(adjacency[node]):
            if neighbour not in centre_of and neighbour not in blocked:
                centre_of[neighbour] = node
                blocked |= opposed.get(neighbour, set())
    return centre_of
