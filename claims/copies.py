"""Copy detection between articles: MinHash LSH for candidates, then an exact check.

Two articles are compared only if their MinHash signatures agree on a whole
band (locality-sensitive hashing), so the work grows with the number of
near-duplicates, not with the square of the corpus. Each candidate is then
checked exactly on its 5-word shingle sets:

- Jaccard = |A & B| / |A | B| measures how much two whole texts agree;
- containment = |A & B| / min(|A|, |B|) measures how much of the shorter one
  appears in the longer, which catches excerpts and copies with a paragraph cut.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from claims.ids import stable_hash64
from claims.text import words

COPY = "copy"
EXCERPT = "excerpt"
SHARES_PASSAGES = "shares_passages"
# Relations that put two articles in one copy group: they count once as a source.
GROUPING_RELATIONS = frozenset({COPY, EXCERPT})


@dataclass(frozen=True)
class CopyParams:
    """Copy detection settings; validated on construction."""

    shingle_words: int = 5
    num_perm: int = 128
    bands: int = 32
    copy_jaccard: float = 0.5  # with containment >= copy_containment: a copy, else an excerpt
    copy_containment: float = 0.8
    link_containment: float = 0.3  # below this nothing is linked
    seed: int = 20261121

    def __post_init__(self):
        if self.shingle_words < 1:
            raise ValueError("shingle_words must be at least 1")
        if self.bands < 1 or self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands ({self.bands})")
        for name in ("copy_jaccard", "copy_containment", "link_containment"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in (0, 1]")
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


def relation(jaccard: float, containment: float, params: CopyParams) -> str | None:
    """Label a compared pair, or None when it should not be linked."""
    if containment >= params.copy_containment:
        return COPY if jaccard >= params.copy_jaccard else EXCERPT
    if jaccard >= params.copy_jaccard:
        return COPY  # long shared body with edits on both sides
    if containment >= params.link_containment:
        return SHARES_PASSAGES
    return None


def bucket_pairs(article_ids: list[str]) -> list[tuple[str, str]]:
    """Every unordered pair in one LSH bucket, as (smaller id, larger id)."""
    ids = sorted(set(article_ids))
    return [(ids[i], ids[j]) for i in range(len(ids)) for j in range(i + 1, len(ids))]
