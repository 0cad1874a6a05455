"""Claim matching: blocking keys, a pairwise same-claim decision, and clustering.

- Distinct texts: mentions with the same text and polarity are the same claim
  by definition, so syndicated copies are matched once, not once per copy.
- Blocking (prefix filtering): every distinct text is a key in the block of
  each token of its *prefix*, its rarest content tokens in one corpus-wide
  order (`prefix_share` of them, at least `min_prefix_tokens`). Two texts
  that share most of their words share a prefix token, so they meet in some
  block; the comparisons grow with block sizes, never with all pairs.
- Comparing: the score is the rarity-weighted (IDF) Dice overlap of the two
  mentions' stemmed words, with document frequencies from the corpus being
  processed, so rare words ("Lisbon", "Lantern") weigh far more than common
  ones; rapidfuzz pairs up near-identical spellings the stemmer missed.
  Two mentions whose words agree but that give different values for the same
  quantity ("60 firefighters" / "40 firefighters"), day or date, or that
  differ in polarity, are a *conflict*, not the same claim; the scorer uses
  conflicts to mark contested claims.
- Clustering: each connected group of same-claim pairs is split around
  centres, so every member matches its centre directly and unrelated claims
  cannot chain together through intermediate ones.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property

from rapidfuzz import fuzz, process

from claims.ids import stable_id
from claims.text import content_tokens, facts, is_year, main_clause, match_tokens, quantities

SAME_CLAIM = "same_claim"
CONFLICT = "conflict"
METHOD = "idf-dice-rapidfuzz-v3"
IDENTICAL_TEXT = "identical-text"  # the method of pairs whose texts are equal: linked to the first, not scored


@dataclass(frozen=True)
class MatchParams:
    """Matcher settings; validated on construction."""

    threshold: float = 0.55  # score at or above which two mentions are the same claim
    shared_fact_threshold: float = 0.45  # the threshold when both state the same number or date
    conflict_threshold: float = 0.45  # word similarity at which a differing quantity or polarity makes a conflict
    min_shared_tokens: int = 2
    prefix_share: float = 0.5  # share of a text's content tokens, rarest first, that are its blocking keys
    min_prefix_tokens: int = 4  # ... and never fewer than this many
    max_block_size: int = 1000  # keys shared by more texts are too common to block on; counted

    def __post_init__(self):
        for name in ("threshold", "shared_fact_threshold", "conflict_threshold"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in (0, 1]")
        if self.min_shared_tokens < 1:
            raise ValueError("min_shared_tokens must be at least 1")
        if not 0.0 < self.prefix_share <= 1.0:
            raise ValueError("prefix_share must be in (0, 1]")
        if self.min_prefix_tokens < 1:
            raise ValueError("min_prefix_tokens must be at least 1")
        if self.max_block_size < 2:
            raise ValueError("max_block_size must be at least 2")


@dataclass(frozen=True)
class ClaimFeatures:
    """What the matcher needs from a mention, computed once."""

    tokens: tuple[str, ...]  # sorted, unique stemmed content tokens: blocking and the shared-word floor
    words: tuple[str, ...]  # sorted, unique stemmed words, stop words included: the score
    facts: frozenset[str]  # every number and date value
    quantities: tuple[tuple[str, frozenset[str]], ...]  # values by what they count (see text.quantities)
    negative: bool
    core_words: tuple[str, ...] = ()  # words of the main clause, when the mention adds a clause to it
    weights: tuple[float, ...] = ()  # IDF of each of `words`; empty means all weigh 1
    core_weights: tuple[float, ...] = ()

    @cached_property
    def views(self) -> tuple[_View, ...]:
        """The weighted words of the whole mention, and of its main clause if it has one (built once)."""
        views = [_View.of(self.words, self.weights)]
        if self.core_words:
            views.append(_View.of(self.core_words, self.core_weights))
        return tuple(views)

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("views", None)  # a cache: rebuilt on demand, not shipped between workers
        return state


@dataclass(frozen=True)
class _View:
    words: tuple[str, ...]  # sorted
    weight: dict[str, float]
    total: float

    @staticmethod
    def of(words: tuple[str, ...], weights: tuple[float, ...]) -> _View:
        weight = dict(zip(words, weights)) if weights else dict.fromkeys(words, 1.0)
        return _View(words, weight, math.fsum(weight.values()))


def claim_features(claim_text: str, negative: bool) -> ClaimFeatures:
    core = main_clause(claim_text)
    return ClaimFeatures(tuple(sorted(set(content_tokens(claim_text)))), tuple(sorted(set(match_tokens(claim_text)))),
                         facts(claim_text), quantities(claim_text), negative,
                         core_words=tuple(sorted(set(match_tokens(core)))) if core else ())


def idf(doc_count: int, n_docs: int) -> float:
    """Smoothed inverse document frequency: rare words weigh more, and never less than 1."""
    return math.log((n_docs + 1) / (doc_count + 1)) + 1.0


def weigh(features: ClaimFeatures, doc_freq: Mapping[str, int], n_docs: int) -> ClaimFeatures:
    """The features with IDF weights from the corpus's document frequencies."""
    return replace(features, weights=tuple(idf(doc_freq.get(w, 0), n_docs) for w in features.words),
                   core_weights=tuple(idf(doc_freq.get(w, 0), n_docs) for w in features.core_words))


def text_key(claim_text: str, negated: bool) -> str:
    """Mentions with equal keys have equal features: one distinct text, matched once."""
    return stable_id("t", claim_text, "1" if negated else "0")


def prefix_tokens(features: ClaimFeatures, doc_freq: Mapping[str, int], params: MatchParams) -> tuple[str, ...]:
    """The text's blocking keys, sorted: the prefix of its tokens, and of its main clause's tokens if it has one.

    A prefix is the rarest tokens in the corpus-wide (frequency, spelling)
    order. Every text ranks tokens the same way, so two texts sharing most of
    their tokens share a prefix token (prefix filtering). The main clause gets
    its own prefix because it is compared on its own (see `word_score`).
    """
    prefix = set(_prefix(features.tokens, doc_freq, params))
    if features.core_words:
        prefix.update(_prefix(set(features.tokens).intersection(features.core_words), doc_freq, params))
    return tuple(sorted(prefix))


def _prefix(tokens: Iterable[str], doc_freq: Mapping[str, int], params: MatchParams) -> list[str]:
    return rarest(tokens, doc_freq, params.prefix_share, params.min_prefix_tokens)


def rarest(tokens: Iterable[str], doc_freq: Mapping[str, int], share: float, minimum: int) -> list[str]:
    """The `share` of `tokens` (at least `minimum`) that are rarest in the corpus-wide (frequency, spelling) order."""
    ranked = sorted(set(tokens), key=lambda t: (doc_freq.get(t, 0), t))
    return ranked[:max(minimum, math.ceil(share * len(ranked)))]


def first_shared_token(prefix_a: tuple[str, ...], prefix_b: tuple[str, ...],
                       skipped: frozenset[str] = frozenset()) -> str | None:
    """The smallest prefix token two texts share, leaving out `skipped` (oversized) blocks.

    A pair meets in the block of every token it shares; it is compared only in
    this one, so each pair is compared once without a global dedupe.
    """
    shared = set(prefix_a).intersection(prefix_b) - skipped
    return min(shared) if shared else None


_SOFT_MATCH_CUTOFF = 80  # rapidfuzz ratio at which two unmatched words count as the same ("organise"/"organize")
_SOFT_MATCH_MIN_LENGTH = 4


def word_score(a: ClaimFeatures, b: ClaimFeatures, floor: float = 0.0) -> float:
    """Rarity-weighted Dice overlap of two mentions' words, in [0, 1].

    Words shared exactly count in full. A word left unmatched counts in part
    when rapidfuzz finds a close spelling among the other side's unmatched
    words (variants, typos, what stemming missed), scaled by that similarity.
    Both sides' weights come from one corpus, so a shared word weighs the same
    on each side; without weights every word weighs 1. When a mention adds a
    clause to its main statement ("..., including crews from two towns"), its
    main clause is compared too, and the best of the comparisons counts.

    A comparison that cannot reach `floor` (or the best view pair so far)
    even if its unmatched words found perfect spelling matches skips the
    rapidfuzz step; its exact-match score, below `floor` too, is returned.
    Scores at or above `floor` are unaffected.
    """
    best = 0.0
    for view_a in a.views:
        for view_b in b.views:
            if view_a.total and view_b.total:
                shared = _shared_weight(view_a, view_b, max(floor, best))
                best = max(best, 2.0 * shared / (view_a.total + view_b.total))
    return round(best, 4)


def _shared_weight(a: _View, b: _View, floor: float = 0.0) -> float:
    wa, wb = a.weight, b.weight
    exact = math.fsum(wa[w] for w in wa.keys() & wb.keys())  # fsum: exact in any order
    left_a = [w for w in a.words if w not in wb and len(w) >= _SOFT_MATCH_MIN_LENGTH]
    left_b = [w for w in b.words if w not in wa and len(w) >= _SOFT_MATCH_MIN_LENGTH]
    if not left_a or not left_b:
        return exact
    if floor > 0.0:
        # Each close spelling pairs one word of a with one of b and adds at most their mean weight,
        # so k = min(len) pairs add at most the mean of the k heaviest words on each side.
        k = min(len(left_a), len(left_b))
        heaviest = (sum(sorted((wa[w] for w in left_a), reverse=True)[:k])
                    + sum(sorted((wb[w] for w in left_b), reverse=True)[:k])) / 2.0
        if 2.0 * (exact + heaviest) / (a.total + b.total) < floor:
            return exact
    similar = process.cdist(left_a, left_b, scorer=fuzz.ratio, score_cutoff=_SOFT_MATCH_CUTOFF)  # one C call
    rows, cols = similar.nonzero()  # row-major: each word of a, in order, with its close spellings in b
    if not len(rows):
        return exact
    close: dict[int, list[tuple[float, int]]] = {}
    for i, j, score in zip(rows.tolist(), cols.tolist(), similar[rows, cols].tolist()):
        close.setdefault(i, []).append((score, -j))
    soft, taken = [], set()
    for i, options in close.items():  # each word of a, in order, takes its closest still-free spelling
        best = max((o for o in options if -o[1] not in taken), default=None)
        if best:
            j = -best[1]
            taken.add(j)
            soft.append((wa[left_a[i]] + wb[left_b[j]]) / 2 * best[0] / 100.0)
    return math.fsum([exact, *soft])


def quantities_conflict(a: tuple[tuple[str, frozenset[str]], ...], b: tuple[tuple[str, frozenset[str]], ...]) -> bool:
    """Both give a value for the same quantity or date slot, and the values differ ("60" vs "40" firefighters)."""
    slots_b = dict(b)
    return any(slot in slots_b and values.isdisjoint(slots_b[slot]) for slot, values in a)


def compare(a: ClaimFeatures, b: ClaimFeatures, params: MatchParams) -> tuple[str, float] | None:
    """Decide how two mentions relate: (SAME_CLAIM or CONFLICT, score), or None.

    Agreeing on a specific number or date ("200 residents") is strong evidence
    of the same claim, so such pairs need less word similarity; a bare year is
    too common to count.
    """
    if len(set(a.tokens) & set(b.tokens)) < params.min_shared_tokens:
        return None
    score = word_score(a, b, floor=min(params.threshold, params.shared_fact_threshold, params.conflict_threshold))
    if a.negative != b.negative or quantities_conflict(a.quantities, b.quantities):
        return (CONFLICT, score) if score >= params.conflict_threshold else None
    threshold = params.threshold
    if any(not is_year(f) for f in a.facts & b.facts):
        threshold = min(threshold, params.shared_fact_threshold)
    return (SAME_CLAIM, score) if score >= threshold else None


def is_same_claim(a: ClaimFeatures, b: ClaimFeatures, params: MatchParams = MatchParams()) -> bool:
    result = compare(a, b, params)
    return result is not None and result[0] == SAME_CLAIM


def sentence_features(text: str, doc_freq: Mapping[str, int] | None = None, n_docs: int = 0) -> ClaimFeatures:
    """Match features for a bare sentence, its polarity read from negations and denials.

    With `doc_freq` (word -> number of sentences holding it, over `n_docs`
    sentences) the words are weighted by rarity, as the pipeline does.
    """
    from claims.mentions import is_negated  # here, not at the top: mentions is the heavier module

    features = claim_features(text, is_negated(text))
    return weigh(features, doc_freq, n_docs) if doc_freq is not None else features


def match_score(text_a: str, text_b: str, doc_freq: Mapping[str, int] | None = None, n_docs: int = 0) -> float:
    """The matcher's similarity of two sentences in [0, 1]."""
    return word_score(sentence_features(text_a, doc_freq, n_docs), sentence_features(text_b, doc_freq, n_docs))


def same_claim(text_a: str, text_b: str, params: MatchParams = MatchParams(),
               doc_freq: Mapping[str, int] | None = None, n_docs: int = 0) -> bool:
    """The matcher's decision: do two sentences state the same claim (similar words, agreeing facts and polarity)?"""
    return is_same_claim(sentence_features(text_a, doc_freq, n_docs), sentence_features(text_b, doc_freq, n_docs),
                         params)


def document_frequencies(texts) -> tuple[dict[str, int], int]:
    """(word -> number of texts holding it, number of texts): the weights' source for plain-function use."""
    word_sets = [set(match_tokens(text)) for text in texts]
    return _count_texts_per_word(word_sets), len(word_sets)


def weighted_features(texts: Mapping[str, tuple[str, bool]]) -> tuple[dict[str, ClaimFeatures], dict[str, int]]:
    """Features of distinct texts (text id -> (claim text, negated)) weighted as MatchClaims weighs them.

    Returns (text id -> weighted features, word -> number of texts holding it).
    """
    features = {text_id: claim_features(text, negated) for text_id, (text, negated) in texts.items()}
    doc_freq = _count_texts_per_word(f.words for f in features.values())
    return {text_id: weigh(f, doc_freq, len(features)) for text_id, f in features.items()}, doc_freq


def _count_texts_per_word(word_sets) -> dict[str, int]:
    counts: dict[str, int] = {}
    for word_set in word_sets:
        for w in word_set:
            counts[w] = counts.get(w, 0) + 1
    return counts


def block_pairs(members: Iterable[tuple[str, ClaimFeatures, tuple[str, ...]]], key: str, params: MatchParams,
                skipped: frozenset[str] = frozenset()):
    """Compare every pair in one block, yielding (id_a, id_b, relation or None, score).

    `members` are (text id, features, prefix tokens). A pair is compared only
    in the block of its first shared prefix token that is not `skipped`, so
    each pair is compared once across blocks; a compared pair that does not
    match comes with relation None, so that callers can count comparisons.
    """
    members = sorted(members, key=lambda m: m[0])
    for i, (id_a, fa, prefix_a) in enumerate(members):
        for j in range(i + 1, len(members)):
            id_b, fb, prefix_b = members[j]
            if id_a == id_b or first_shared_token(prefix_a, prefix_b, skipped) != key:
                continue
            result = compare(fa, fb, params)
            yield (id_a, id_b, *result) if result else (id_a, id_b, None, 0.0)


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
