"""Copy detection between articles: MinHash LSH for candidates, then an exact check.

Articles with the same words are copies outright: each is linked to the
earliest one, and only one of them goes on. The others are compared only if
their MinHash signatures agree on a whole band (locality-sensitive hashing),
so the work grows with the number of near-duplicates, not with the square of
the corpus. A bucket of more than `max_bucket_size` articles (a story picked
up everywhere) is not paired all with all: each member is paired with the
bucket's earliest article and with the one before it, which keeps the copy
group whole at a linear cost. Each candidate is then checked exactly on its
5-word shingle sets:

- Jaccard = |A & B| / |A | B| measures how much two whole texts agree;
- containment = |A & B| / min(|A|, |B|) measures how much of the shorter one
  appears in the longer, which catches excerpts and copies with a paragraph cut.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from claims.ids import stable_hash64, stable_id
from claims.mentions import article_credit, normalise_source
from claims.text import words

COPY = "copy"
EXCERPT = "excerpt"
CREDITED = "credited"  # shares passages with an article of the outlet it credits ("This story was provided by X")
SHARES_PASSAGES = "shares_passages"
RELATIONS = (COPY, EXCERPT, CREDITED, SHARES_PASSAGES)
# Relations that put two articles in one copy group: they count once as a source.
GROUPING_RELATIONS = frozenset({COPY, EXCERPT, CREDITED})


@dataclass(frozen=True)
class CopyParams:
    """Copy detection settings; validated on construction."""

    shingle_words: int = 5
    num_perm: int = 128
    bands: int = 32
    copy_jaccard: float = 0.5  # with containment >= copy_containment: a copy, else an excerpt
    copy_containment: float = 0.8
    link_containment: float = 0.3  # below this nothing is linked
    max_bucket_size: int = 50  # larger LSH buckets pair each member with the earliest and the previous only
    seed: int = 20261121

    def __post_init__(self):
        if self.shingle_words < 1:
            raise ValueError("shingle_words must be at least 1")
        if self.bands < 1 or self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands ({self.bands})")
        for name in ("copy_jaccard", "copy_containment", "link_containment"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in (0, 1]")
        if self.max_bucket_size < 2:
            raise ValueError("max_bucket_size must be at least 2")
        if self.link_containment > self.copy_containment:
            raise ValueError("link_containment must not exceed copy_containment")

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands

    @cached_property
    def _hash_coefficients(self) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.Generator(np.random.PCG64(self.seed))
        a = rng.integers(1, 2**63, size=self.num_perm, dtype=np.uint64) | np.uint64(1)  # odd multipliers
        b = rng.integers(0, 2**63, size=self.num_perm, dtype=np.uint64)
        return a, b


def shingles(text: str, size: int = 5) -> np.ndarray:
    """Sorted unique 64-bit hashes of the text's `size`-word shingles."""
    toks = words(text)
    if not toks:
        return np.empty(0, dtype=np.uint64)
    if len(toks) < size:
        grams = [" ".join(toks)]
    else:
        grams = [" ".join(toks[i:i + size]) for i in range(len(toks) - size + 1)]
    return np.unique(np.fromiter((stable_hash64(g) for g in grams), dtype=np.uint64, count=len(grams)))


def minhash(shingle_hashes: np.ndarray, params: CopyParams) -> np.ndarray:
    """MinHash signature with multiply-shift hashing: h(x) = (a*x + b) mod 2**64 >> 32."""
    if shingle_hashes.size == 0:
        return np.full(params.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    a, b = params._hash_coefficients
    with np.errstate(over="ignore"):
        hashed = (a[:, None] * shingle_hashes[None, :] + b[:, None]) >> np.uint64(32)
    return hashed.min(axis=1)


def band_keys(signature: np.ndarray, params: CopyParams) -> list[bytes]:
    """One LSH bucket key per band: the band's index and its slice of the signature."""
    rows = params.rows
    return [bytes([band % 256, band // 256]) + signature[band * rows:(band + 1) * rows].tobytes()
            for band in range(params.bands)]


def overlap(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Exact (Jaccard, containment) of two sorted shingle-hash arrays."""
    if a.size == 0 or b.size == 0:
        return 0.0, 0.0
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / (a.size + b.size - shared), shared / min(a.size, b.size)


def relation(jaccard: float, containment: float, params: CopyParams, credited: bool = False) -> str | None:
    """Label a compared pair, or None when it should not be linked. `credited`: one of the two credits the
    other's outlet as its origin, so passages they share make it a rewritten copy, not a coincidence."""
    if containment >= params.copy_containment:
        return COPY if jaccard >= params.copy_jaccard else EXCERPT
    if jaccard >= params.copy_jaccard:
        return COPY  # long shared body with edits on both sides
    if containment >= params.link_containment:
        return CREDITED if credited else SHARES_PASSAGES
    return None


@dataclass(frozen=True)
class OutletOf:
    """Who published an article and whom it credits, as normalised outlet names ("" for none)."""

    outlet: str
    credit: str

    @classmethod
    def of(cls, source: str | None, text: str) -> OutletOf:
        return cls(normalise_source(source), normalise_source(article_credit(text)))

    def credits(self, other: OutletOf) -> bool:
        """Whether either article credits the other's outlet (an article crediting its own outlet does not)."""
        return bool(self.credit and self.credit == other.outlet != self.outlet
                    or other.credit and other.credit == self.outlet != other.outlet)


def text_fingerprint(text: str) -> str:
    """Equal for texts with the same words in the same order (case, punctuation and spacing aside)."""
    return stable_id("w", " ".join(words(text)))


def bucket_pairs(members: list[tuple[str, str]], max_size: int) -> list[tuple[str, str]]:
    """Candidate pairs in one LSH bucket, as (smaller id, larger id).

    `members` are (order key, article id); the order key puts the earliest
    article first. Up to `max_size` members every pair is a candidate; beyond
    that each member is paired with the first member and with its predecessor.
    """
    ordered = [article_id for _, article_id in sorted(set(members))]
    if len(ordered) <= max_size:
        pairs = [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:]]
    else:
        pairs = [(ordered[0], b) for b in ordered[1:]] + list(zip(ordered[1:], ordered[2:]))
    return sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b})


def earliest_first(published_at, article_id: str) -> str:
    """An order key that sorts articles by publication time (unknown last), then id."""
    return f"{published_at.isoformat() if published_at else '~'}|{article_id}"
