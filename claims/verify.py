"""Verify mode: which articles address a given claim, where each one stands, and a verdict per claim.

- Addressing: an article addresses a target when the TF-IDF cosine of their
  content words reaches a threshold (IDF over the corpus's articles, log
  term frequency in the article), the standard retrieval measure: rare words
  shared count most, and an article that keeps returning to them ranks
  above one that names them in passing. Candidate articles come from prefix
  blocking, as in matching: each target is indexed under its rarest words,
  and an article meets only the targets that share one of those with it,
  never all targets.
- Stance comes from the article's own sentences about the target (its
  mentions holding enough of the target's words), strongest cue first:
  *refute* when such a sentence denies or debunks ("denied", "a hoax",
  "not true"), flips the target's polarity, or gives a different number or
  date for the same quantity; *support* when one states it plainly, neither
  hedged nor attributed; otherwise *discuss*: the article reports the claim
  without asserting it ("reportedly", "according to", "it is unclear"), or no
  single sentence states it. By default a small learned model
  (claims.stance_model) then weighs these same cues, counted over the
  article, and gives the stance, except where the closest sentence gives a
  different number or date or states the opposite: facts that refute. The
  evidence cites the sentence the stance was read from.
- Verdict: supporting and refuting articles are grouped into independent
  origins exactly as cluster scoring does (copies, one outlet and one cited
  source count once), and `score = (S + 1) / (S + R + 2)` with S and R the
  weights of supporting and refuting origins: 0.5 with no evidence either
  way, rising with independent support, falling with refutation. An article
  weighs only for the side it takes.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from claims.matching import idf, quantities_conflict, rarest
from claims.mentions import Mention, is_denial, is_negated
from claims.scoring import UNSCORED, Evidence, ScoreParams, find_origins, mention_weight
from claims.text import clip, content_tokens, facts, fold, is_year, quantities

SUPPORT, REFUTE, DISCUSS = "support", "refute", "discuss"
STANCES = (SUPPORT, REFUTE, DISCUSS)
STANCE_METHODS = ("model", "rules")  # the learned model (claims.stance_model) weighs the rules' cues
CORROBORATED, SINGLE_SOURCE, UNCONFIRMED = "corroborated", "single_source", "unconfirmed"
CONTESTED, REFUTED, NOT_FOUND = "contested", "refuted", "not_found"
VERDICT_STATUSES = (CORROBORATED, SINGLE_SOURCE, UNCONFIRMED, CONTESTED, REFUTED, NOT_FOUND, UNSCORED)

# Words that call a report false: a sentence about the target holding one refutes it. A bare "false" is
# left to is_denial, which takes it only as a verdict ("is false"), not in "a false alarm".
DEBUNK_RE = re.compile(
    r"\b(?:hoax(?:es)?|fake|faked|fabricat\w*|debunk\w*|myth|satir\w*|spoof|parody|prank|doctored|"
    r"photoshopped|misleading|no evidence|not real|untrue|not true|falsely|bogus)\b", re.I)
UNCLEAR_RE = re.compile(r"\b(?:unclear|not clear|unknown whether|remains to be seen|unverified|unconfirmed)\b", re.I)


@dataclass(frozen=True)
class VerifyParams:
    """Verify-mode settings; validated on construction."""

    related_threshold: float = 0.08  # TF-IDF cosine at which an article addresses a target
    mention_threshold: float = 0.5  # share of the target's weighted words a sentence must hold to speak about it
    support_threshold: float = 0.7  # ... to support it by stating it plainly
    refute_threshold: float = 0.3  # ... to refute it by calling it false ("a hoax", "denied")
    refute_min_shared: int = 2  # ... and the content words it must share, so a one-word name is not enough
    opposite_threshold: float = 0.9  # ... for a negation in it to flip the claim
    prefix_share: float = 0.5  # share of a target's words, rarest first, it is indexed under
    min_prefix_tokens: int = 4  # ... and never fewer than this many
    stance: str = "model"  # who gives an addressing article's stance: the learned model, or the rules alone
    model_side_threshold: float = 0.3  # share of the target's words the closest sentence must hold to take a side

    def __post_init__(self):
        if self.stance not in STANCE_METHODS:
            raise ValueError(f"stance must be one of {', '.join(STANCE_METHODS)}")
        for name in ("related_threshold", "mention_threshold", "support_threshold", "refute_threshold",
                     "opposite_threshold", "model_side_threshold", "prefix_share"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in (0, 1]")
        if self.min_prefix_tokens < 1:
            raise ValueError("min_prefix_tokens must be at least 1")
        if self.refute_min_shared < 1:
            raise ValueError("refute_min_shared must be at least 1")


@dataclass(frozen=True)
class Target:
    target_id: str
    text: str


def parse_targets(lines: Iterable[str | bytes], path: str) -> list[Target]:
    """Targets from JSONL lines, each {"id": ..., "text": ...}.

    The targets are the user's own question, so a bad line stops the run with
    an error naming it rather than quietly shrinking the question.
    """
    targets, seen = [], {}
    for number, line in enumerate(lines, 1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8-sig" if number == 1 else "utf-8")  # a byte-order mark may lead the file
            except UnicodeDecodeError as err:
                raise ValueError(f"{path}, line {number}: bytes that are not valid UTF-8 ({err.reason})") from None
        elif number == 1:
            line = line.removeprefix("\ufeff")
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as err:
            raise ValueError(f"{path}, line {number}: not valid JSON ({err})") from None
        if not isinstance(record, dict):
            raise ValueError(f"{path}, line {number}: expected an object with \"id\" and \"text\"")
        target_id, text = record.get("id"), record.get("text")
        if isinstance(target_id, bool) or not isinstance(target_id, (str, int)) or not str(target_id).strip():
            raise ValueError(f"{path}, line {number}: \"id\" must be a non-empty string or an integer")
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{path}, line {number}: \"text\" must be a non-empty string")
        if not words_of(text):
            raise ValueError(f"{path}, line {number}: \"text\" has no content words to look for ({text.strip()!r})")
        target_id = str(target_id).strip()
        if target_id in seen:
            raise ValueError(f"{path}, line {number}: id {target_id!r} repeats line {seen[target_id]}")
        seen[target_id] = number
        targets.append(Target(target_id, " ".join(text.split())))
    if not targets:
        raise ValueError(f"{path}: no targets")
    return targets


@dataclass(frozen=True)
class TargetFeatures:
    """A target's words with their corpus weights, its polarity and quantities, and its blocking keys."""

    target_id: str
    text: str
    weight: tuple[tuple[str, float], ...]  # (content token, IDF), sorted by token
    prefix: tuple[str, ...]  # the rarest tokens: an article must hold one to be a candidate
    negated: bool
    quantities: tuple[tuple[str, frozenset[str]], ...]
    debunks: bool = False  # the target itself denies or negates ("The photo is a hoax", "Reyes is not leaving")
    facts: frozenset[str] = frozenset()  # its specific numbers and dates (years left out: too common)

    @property
    def norm(self) -> float:
        return math.sqrt(math.fsum(w * w for _, w in self.weight))


def words_of(text: str) -> frozenset[str]:
    """The content tokens that addressing and similarity count."""
    return frozenset(content_tokens(text))


def article_words(text: str) -> Counter:
    """An article's content tokens with their counts. The title is left out: the text is what reports the claim,
    and verbatim copies under their own headlines must address the same targets alike."""
    return Counter(content_tokens(text))


def article_norm(term_counts: Mapping[str, int], doc_freq: Mapping[str, int], n_articles: int) -> float:
    """Length of the article's TF-IDF vector: log term frequency times IDF."""
    return math.sqrt(math.fsum(((1.0 + math.log(n)) * idf(doc_freq.get(t, 0), n_articles)) ** 2
                               for t, n in term_counts.items()))


def cosine(target: TargetFeatures, term_counts: Mapping[str, int], norm: float) -> float:
    """TF-IDF cosine of a target (binary term weights) and an article (`norm` from `article_norm`), in [0, 1]."""
    if not norm or not target.weight:
        return 0.0
    dot = math.fsum(w * w * (1.0 + math.log(term_counts[t])) for t, w in target.weight if t in term_counts)
    return round(dot / (target.norm * norm), 4)


def target_features(target: Target, doc_freq: Mapping[str, int], n_articles: int,
                    params: VerifyParams = VerifyParams()) -> TargetFeatures:
    """Weigh a target's words by their rarity among the corpus's articles (`doc_freq` counts articles)."""
    tokens = sorted(words_of(target.text))
    weight = tuple((t, idf(doc_freq.get(t, 0), n_articles)) for t in tokens)
    seen = [t for t in tokens if doc_freq.get(t, 0)]  # a word no article holds can never block a match
    prefix = tuple(sorted(rarest(seen, doc_freq, params.prefix_share, params.min_prefix_tokens)))
    negated = is_negated(target.text)
    debunks = negated or is_denial(target.text) or bool(DEBUNK_RE.search(fold(target.text)))
    specific = frozenset(f for f in facts(target.text) if not is_year(f))
    return TargetFeatures(target.target_id, target.text, weight, prefix, negated, quantities(target.text), debunks,
                          specific)


def coverage(target: TargetFeatures, words: Iterable[str]) -> float:
    """Share of the target's words found in `words`, weighted by squared IDF (names and rare nouns dominate)."""
    total = target.norm ** 2
    if not total:
        return 0.0
    words = words if isinstance(words, (set, frozenset, dict)) else set(words)
    return round(math.fsum(w * w for t, w in target.weight if t in words) / total, 4)


def mention_similarities(target: TargetFeatures, mention_words: Iterable[frozenset[str]]) -> list[float]:
    """Each mention's `coverage` of the target, in mention order: what the rules and the model's features rank."""
    return [coverage(target, w) for w in mention_words]


class TargetIndex:
    """Targets under their prefix tokens: an article's words give its candidate targets."""

    def __init__(self, targets: Iterable[TargetFeatures]):
        self._by_token: dict[str, list[TargetFeatures]] = {}
        for target in sorted(targets, key=lambda t: t.target_id):
            for token in target.prefix:
                self._by_token.setdefault(token, []).append(target)

    def candidates(self, words: Iterable[str]) -> list[TargetFeatures]:
        found: dict[str, TargetFeatures] = {}
        for token in words:
            for target in self._by_token.get(token, ()):
                found[target.target_id] = target
        return [found[k] for k in sorted(found)]


@dataclass(frozen=True)
class SentenceStance:
    """What one sentence says of the target, as the rules read it."""

    stance: str
    reason: str
    claim_id: str
    similarity: float
    text: str
    clear_conflict: bool = False  # a different number or date, or the opposite polarity nearly word for word


@dataclass(frozen=True)
class ArticleStance:
    stance: str
    reason: str
    claim_id: str | None  # the mention the stance was read from; None when no sentence comes near the target
    similarity: float  # that mention's share of the target (the closest mention's when none is cited)
    clear_conflict: bool = False  # read from a clear conflict in the closest sentence, which no model overrules
    sentences: tuple[SentenceStance, ...] = ()  # the rules' reading of each sentence about the target, closest first

    def closest_with(self, stance: str) -> SentenceStance | None:
        """The closest sentence that the rules read as `stance`."""
        return next((s for s in self.sentences if s.stance == stance), None)


def quoted(sentence: str, limit: int = 120) -> str:
    """A sentence as an evidence reason quotes it."""
    return f'"{clip(" ".join(sentence.split()), limit)}"'


def _read(stance: str, reason: str, mention: Mention, similarity: float, clear_conflict: bool = False) -> SentenceStance:
    return SentenceStance(stance, f"{reason}: {quoted(mention.text)}", mention.claim_id, similarity, mention.text,
                          clear_conflict)


def mention_stance(target: TargetFeatures, mention: Mention, similarity: float = 1.0,
                   params: VerifyParams = VerifyParams(), words: frozenset[str] | None = None) -> SentenceStance | None:
    """The stance of one sentence holding `similarity` of the target's words, or None if it is not about it.

    Calling the claim false needs the least overlap (`refute_threshold`):
    a debunking sentence rarely repeats the whole claim ("The story is a
    hoax"), but it must share more than one word with it (`refute_min_shared`
    content words). A target that itself denies or negates ("The photo is a
    hoax", "Reyes is not leaving") is agreed with, not refuted, by such a
    sentence. Negation is read from the whole sentence, so it flips the claim
    only when the sentence is nearly the target's own words; below that, a
    sentence whose polarity differs never supports. A plain statement
    supports when it holds most of the target, or states the same specific
    number or date. `words` is the sentence's `words_of(text)`. A different
    number or date for the same quantity, and a flipped polarity, are clear
    conflicts: facts that no weighing of other cues makes agree.
    """
    folded = fold(mention.text)
    debunk = DEBUNK_RE.search(folded)
    if (mention.denial or debunk) and not target.debunks and similarity >= params.refute_threshold:
        words = words if words is not None else words_of(mention.text)
        shared = sum(1 for t, _ in target.weight if t in words)
        if shared >= min(params.refute_min_shared, len(target.weight)):
            cue = debunk.group(0) if debunk else "a denial"
            return _read(REFUTE, f"calls it false ({cue})", mention, similarity)
    if similarity < params.mention_threshold:
        return None
    if mention.negated != target.negated:
        if similarity >= params.opposite_threshold:
            return _read(REFUTE, "states the opposite", mention, similarity, clear_conflict=True)
        return _read(DISCUSS, "differs in polarity", mention, similarity)
    if quantities_conflict(target.quantities, quantities(mention.claim_text)):
        return _read(REFUTE, "gives a different number or date", mention, similarity, clear_conflict=True)
    if mention.hedged or UNCLEAR_RE.search(folded):
        return _read(DISCUSS, "hedged", mention, similarity)
    if mention.attributed_to or mention.speaker:
        return _read(DISCUSS, f"attributed to {mention.attributed_to or mention.speaker}", mention, similarity)
    if similarity < params.support_threshold and target.facts.isdisjoint(facts(mention.claim_text)):
        return _read(DISCUSS, "reports part of it", mention, similarity)
    return _read(SUPPORT, "states it", mention, similarity)


def article_stance(target: TargetFeatures, mentions: Iterable[Mention], params: VerifyParams = VerifyParams(),
                   mention_words: Iterable[frozenset[str]] | None = None,
                   similarities: Iterable[float] | None = None) -> ArticleStance:
    """The article's stance toward the target, from its sentences that speak about it.

    Refutation outranks support, and support outranks discussion: one
    sentence calling the claim false makes the article a refuting one, even
    if it also repeats the claim to debunk it. The stance is read from one
    sentence, which the evidence cites; an article whose sentences all hold
    less than `refute_threshold` of the target cites none, as no rule reads
    a stance from so little. `mention_words` (each
    mention's `words_of(text)`, in order) saves recomputing them per target,
    and `similarities` (`mention_similarities`) the coverage of each.
    """
    mentions = list(mentions)
    mention_words = mention_words if mention_words is not None else [words_of(m.text) for m in mentions]
    similarities = similarities if similarities is not None else mention_similarities(target, mention_words)
    scored = sorted(zip(similarities, mentions, mention_words), key=lambda smw: (-smw[0], smw[1].position))
    closest = scored[0][0] if scored else 0.0
    judged = tuple(found for s, m, w in scored if s > 0.0 and (found := mention_stance(target, m, s, params, w)))
    if not judged:
        if closest < params.refute_threshold:
            return ArticleStance(DISCUSS, "no sentence states the claim", None, closest)
        best = scored[0][1]
        return ArticleStance(DISCUSS, "no sentence states the claim; the closest: " + quoted(best.text),
                             best.claim_id, closest)
    chosen = next((j for wanted in (REFUTE, SUPPORT) for j in judged if j.stance == wanted), judged[0])
    clear = chosen.clear_conflict and chosen.claim_id == scored[0][1].claim_id
    return ArticleStance(chosen.stance, chosen.reason, chosen.claim_id, chosen.similarity, clear, judged)


@dataclass(frozen=True)
class Verdict:
    n_articles: int
    n_support: int
    n_refute: int
    n_discuss: int
    n_independent_support: int
    n_independent_refute: int
    score: float
    status: str
    explanation: str
    first_seen: str | None


def too_far_to_take_a_side(similarity: float, params: VerifyParams = VerifyParams()) -> bool:
    """Under the model, an article whose closest sentence holds less than `model_side_threshold` of the target."""
    return similarity < params.model_side_threshold


def _full_lean(stance: str) -> tuple[float, float]:
    """(support, refute) of a stance taken without doubt: (1, 0), (0, 1) or, for discuss, (0, 0)."""
    return float(stance == SUPPORT), float(stance == REFUTE)


def leaning(stance: ArticleStance, probabilities: Mapping[str, float] | None) -> tuple[float, float]:
    """How far an article leans to (support, refute) in the verdict's score: only to the side it takes.

    Under the rules, and for a clear conflict that the model may not
    overrule, its stance: (1, 0), (0, 1) or (0, 0). Under the model, the
    model's probability of the stance it gives, so that a confident reading
    counts more than a hesitant one; an article that only discusses the
    claim leans nowhere, so a score above or below 0.5 always has an
    article supporting or refuting the claim behind it.
    """
    if probabilities is None or stance.clear_conflict:
        return _full_lean(stance.stance)
    return (probabilities[SUPPORT] if stance.stance == SUPPORT else 0.0,
            probabilities[REFUTE] if stance.stance == REFUTE else 0.0)


def verdict(stances: Iterable[tuple[str, Evidence]], params: ScoreParams = ScoreParams(),
            leanings: Iterable[tuple[float, float]] | None = None) -> Verdict:
    """A target's verdict from each addressing article's (stance, Evidence of its closest mention).

    `leanings` (per article, from `leaning`) weigh each side in the score;
    by default they are the stances themselves. An article counts only for
    the side of its stance, so the score and the explanation never point
    different ways: 0.5 when nothing supports or refutes the claim, above it
    only with support, below it only with refutation. An origin leans as far
    as its most leaning article, so copies still count once.
    """
    stances = list(stances)
    leanings = list(leanings) if leanings is not None else [_full_lean(s) for s, _ in stances]
    by_stance = {s: [e for stance, e in stances if stance == s] for s in STANCES}
    support = find_origins(by_stance[SUPPORT], params) if by_stance[SUPPORT] else []
    refute = find_origins(by_stance[REFUTE], params) if by_stance[REFUTE] else []
    side_of = {SUPPORT: 0, REFUTE: 1}
    counted = [(stance, e, lean[side_of[stance]]) for (stance, e), lean in zip(stances, leanings) if stance in side_of]
    s, r = (_side_weight([(e, lean) for stance, e, lean in counted if stance == wanted], params)
            for wanted in (SUPPORT, REFUTE))
    strong = sum(1 for o in support if o.weight >= 1.0)
    if not stances:
        status = NOT_FOUND
    elif support and refute:
        status = CONTESTED
    elif refute:
        status = REFUTED
    elif strong >= params.corroborated_min_origins:
        status = CORROBORATED
    elif len(support) == 1:
        status = SINGLE_SOURCE
    else:
        status = UNCONFIRMED
    dated = sorted(e.published_at for _, e in stances if e.published_at)
    return Verdict(
        n_articles=len(stances), n_support=len(by_stance[SUPPORT]), n_refute=len(by_stance[REFUTE]),
        n_discuss=len(by_stance[DISCUSS]), n_independent_support=len(support), n_independent_refute=len(refute),
        score=round((s + 1.0) / (s + r + 2.0), 4), status=status,
        explanation=_explain(len(stances), support, refute, len(by_stance[DISCUSS]),
                             (s, r) if any(0.0 < lean < 1.0 for _, _, lean in counted) else None),
        first_seen=dated[0] if dated else None)


def _side_weight(leaning: list[tuple[Evidence, float]], params: ScoreParams) -> float:
    """Sum over the independent origins of the articles leaning to one side of the origin's most leaning article
    (its weight as an origin times its lean): copies count once, and never for more than one of them would."""
    lean_of = {}
    for e, lean in leaning:
        if lean > 0:
            lean_of[e.article_id] = max(lean, lean_of.get(e.article_id, 0.0))
    evidence = [e for e, lean in leaning if lean > 0]
    if not evidence:
        return 0.0
    return math.fsum(max(mention_weight(m, params) * lean_of[m.article_id] for m in o.mentions)
                     for o in find_origins(evidence, params))


def _explain(n_articles: int, support, refute, n_discuss: int, weighed: tuple[float, float] | None = None) -> str:
    if not n_articles:
        return "No article in the corpus addresses this claim."

    def side(origins, verb):  # verb in the singular: "supports"
        if not origins:
            return f"no article {verb} it"
        labels = "; ".join(o.label + ("" if o.weight >= 1.0 else f" (weight {o.weight:g})") for o in origins)
        if len(origins) == 1:
            return f"1 independent origin {verb} it ({labels})"
        return f"{len(origins)} independent origins {verb[:-1]} it ({labels})"

    parts = [f"{n_articles} article{'s' if n_articles != 1 else ''} address this claim: "
             f"{side(support, 'supports')}; {side(refute, 'refutes')}."]
    if n_discuss:
        parts.append(f"{n_discuss} only report{'s' if n_discuss == 1 else ''} it without taking a side.")
    if weighed:  # the model's confidence, not the number of origins, sets how far the score moves
        parts.append("The score weighs each article by how confidently the stance model reads it: support "
                     f"{weighed[0]:.2f}, refutation {weighed[1]:.2f}.")
    return " ".join(parts)
