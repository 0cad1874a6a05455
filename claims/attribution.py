"""Who said it: a small learned model that finds a sentence's cue of speech or thought and its source.

News attributes claims in more shapes than patterns can list: "Clinton, speaking in Ohio on Tuesday, said
...", "..., the railway said", "the report found", "41 percent of respondents say", "Trump has repeatedly
argued ...". The model reads a sentence as tokens and scores each pair of a *cue* (a word that can report
speech, thought or findings: said, argued, believes, found, according) and a *source head* (the word that
names who: "Clinton", "officials", "he", "poll") near it. A pair's score is a logistic regression over
features of the cue, of the head and of the tokens between them. The best pair, if its probability clears
the model's thresholds, goes to a third model, the *pair check*: a logistic regression over what the two
models said of it (their probabilities, the cue and head words, what lies between and around them), trained
on held-out predictions to tell a right attribution, with the right source, from a wrong one. A pronoun
source ("he said") has a threshold of its own: the check asks only whether the attribution is right, since
resolution (claims.sources) names the person. If the check passes, the pair is the attribution, and the
source is the noun phrase around its head.

The model ships with the package as `claims/models/attribution.json`, trained by
`benchmarks/train_attribution_model.py` on PolNeAR's training articles only (see the README). It is plain
data, run with the standard library alone: no pickle, nothing downloaded. Training and inference compute the
features with the same functions of this module.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from typing import NamedTuple

from claims.model_files import read_spec, shipped_path
from claims.text import fold

FORMAT = "claimbeam-attribution-model"
FORMAT_VERSION = 2  # 2: the pair check

# Words, acronyms ("U.S."), and single marks; on folded text, so that every quote is '"' and every dash '-'.
_TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:['-]\w+)*|\S")
PRONOUNS = frozenset("he she they it we i you".split())
# Words between a source and its cue that leave the source the subject: "Trump has also repeatedly said".
_AUXILIARIES = frozenset("""
has had have also repeatedly previously later recently then would will may might could should was were is are been
be not never just already once again first publicly privately quickly often long still further even since
""".split())
# Lower-case words that are no part of a noun phrase: a source never extends over them.
FUNCTION_WORDS = frozenset("""
a an the this that these those and or but if as at by for from in into of on onto to with without about after
before over under while when where which who whom whose what why how than then so because although though since
until unless whether not no is are was were be been being has have had do does did will would can could shall
should may might must it its he she they we i you him her them us me his their our my your there here also
like including such via per among amid despite during within toward towards against upon across behind beyond
yet ah oh instead meanwhile however perhaps according
""".split())
DETERMINERS = frozenset("a an the this that these those his her their its our my your".split())
TITLES = frozenset("mr mrs ms dr prof sen rep gov gen lt col sgt capt rev st".split())
_WINDOW_LEFT, _WINDOW_RIGHT = 14, 8
_HEAD_SHAPES = ("C", "c", "N")  # how far from its cue a source head is looked for, in tokens
_MAX_CUES = 8  # cue candidates scored per sentence: a sentence with more is a list, not a report


class AttributionModelError(ValueError):
    """An attribution model file that cannot be used: not this format, or malformed weights."""


class Token(NamedTuple):
    """One word or mark of a sentence: what the features read of it. Tokens carry no offsets, so that one
    Token object serves every occurrence of its text (see token_spans for where each one stands)."""

    text: str
    lower: str
    shape: str  # C capitalised word, c lower-case word, P pronoun, N number, Q quote, or the mark itself
    klass: str  # its class in a between-signature (see between_signature)
    skip: bool  # an auxiliary or an adverb: "has", "also", "repeatedly"
    # it may head a source: not a function word, adverb, time or day, number, or lower-case verb form
    # ("engaging", "seized")
    headable: bool


_NOUNS_IN_LY = frozenset("family ally rally assembly supply italy july anomaly monopoly homily".split())
# Lower-case -ing and -ed words that are nouns and may head a source: "the briefing", "the ruling"
_NOUNS_IN_ING_ED = frozenset("""
briefing ruling filing hearing meeting finding spokeswoman king ring thing string offspring feed seed breed creed
""".split())
_NOBODY = frozenset("nobody none nothing noone neither nor".split())  # no source at all
_TIME_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april june july august september
october november december today yesterday tonight tomorrow now then week weekend month year morning afternoon
evening night day days weeks months years time ago
""".split())


@lru_cache(maxsize=1 << 16)
def _token(text: str) -> Token:
    """The Token of one token's text (cached: a corpus repeats its words)."""
    lower = text.lower()
    first = text[0]
    if lower in PRONOUNS:
        shape = "P"
    elif first.isdigit():
        shape = "N"
    elif first.isalpha():
        shape = "C" if first.isupper() and lower not in FUNCTION_WORDS else "c"
    else:
        shape = "Q" if first == '"' else first
    adverb = shape == "c" and lower.endswith("ly") and len(lower) > 4 and lower not in _NOUNS_IN_LY
    skip = lower in _AUXILIARIES or adverb
    if skip:
        klass = "a"
    elif lower == "that":
        klass = "t"
    elif lower in ("who", "which", "whose"):
        klass = "r"
    elif shape == "c":
        klass = "w"
    else:
        klass = shape if shape in ("C", "P", "N", "Q", ",", ":") else "p"
    headable = shape == "P" or shape in ("C", "c") and not (
        lower in FUNCTION_WORDS or lower in _TIME_WORDS or lower in _NOBODY or adverb
        or shape == "c" and len(lower) > 4 and lower.endswith(("ing", "ed")) and lower not in _NOUNS_IN_ING_ED)
    return Token(text, lower, shape, klass, skip, headable)


def tokenize(folded: str) -> list[Token]:
    """The tokens of a folded sentence."""
    return [_token(t) for t in _TOKEN_RE.findall(folded)]


def token_spans(folded: str) -> list[tuple[int, int]]:
    """(start, end) of each token of tokenize(folded), in the same order."""
    return [m.span() for m in _TOKEN_RE.finditer(folded)]


def between_signature(tokens: list[Token], lo: int, hi: int) -> str:
    """The tokens strictly between two positions as classes with runs collapsed: "" (adjacent), "a" (only
    auxiliaries and adverbs), ",w," (an appositive), ...; "long" past eight classes. Classes: a auxiliary or
    adverb, t "that", r "who"/"which", w a lower-case word, C P N Q , : as their shapes, p another mark."""
    out = []
    for k in range(lo + 1, hi):
        c = tokens[k].klass
        if not out or out[-1] != c:
            out.append(c)
            if len(out) > 8:
                return "long"
    return "".join(out)


def _distance_bucket(d: int) -> str:
    a = abs(d)
    bucket = str(a) if a <= 3 else "4-5" if a <= 5 else "6-8" if a <= 8 else "9-14" if a <= 14 else "15+"
    return ("-" if d < 0 else "+") + bucket


def _low(tokens: list[Token], k: int) -> str:
    return tokens[k].lower if 0 <= k < len(tokens) else "<none>"


def _shape(tokens: list[Token], k: int) -> str:
    return tokens[k].shape if 0 <= k < len(tokens) else "<none>"


def cue_features(tokens: list[Token], i: int, quote_marks: list[int] | None = None) -> list[str]:
    """Features of token i as a cue: the word, its neighbours, where it stands, whether a quote is open.
    `quote_marks` are the indices of the sentence's quote marks, if the caller has them."""
    word = tokens[i].lower
    if quote_marks is None:
        quote_marks = [k for k, t in enumerate(tokens) if t.shape == "Q"]
    quotes = len(quote_marks)
    quotes_before = sum(1 for k in quote_marks if k < i)
    where = "first" if i == 0 else "last" if i >= len(tokens) - 2 else "mid"
    prev, nxt = _low(tokens, i - 1), _low(tokens, i + 1)
    return [
        "c=" + word,
        "cpp=" + _low(tokens, i - 2) + "_" + prev,
        "cnq=" + word + str(min(quotes, 3)) + str(tokens[0].shape == "Q"),
        "cp=" + prev,
        "cn=" + nxt,
        "cnn=" + word + "_" + nxt,
        "cps=" + word + "_" + _shape(tokens, i - 1) + _shape(tokens, i + 1),
        "cw=" + where,
        "cq=" + str(quotes_before % 2) + where,
        "cl=" + word + "_" + cue_lead(tokens, i)[0],
    ]


_PHRASE_OPENERS = frozenset((",", "Q", ":", "-", "(", ";"))
_CLAUSE_OPENERS = frozenset(("and", "but", "that", "while", "because", "as", "although", "though", "when", "if",
                             "since", "after", "before", "so", "whether"))


def phrase_heads(tokens: list[Token], modifiers: frozenset[str], cues: frozenset[str]) -> dict[int, int]:
    """Heads of the noun phrases that open the sentence or a clause (after a comma, a quote, "and", "that"),
    each with its rank: 0 for the sentence's first, 1 for the next, ... These are where subjects stand.

    A phrase is determiners, then capitalised words and known modifiers, then at most one lower-case head
    ("the Clinton campaign", "a senior campaign official", "Mr. Trump", "officials", "he").
    """
    heads, rank, k, n = {}, 0, 0, len(tokens)
    while k < n:
        if k and tokens[k - 1].shape not in _PHRASE_OPENERS and tokens[k - 1].lower not in _CLAUSE_OPENERS:
            k += 1
            continue
        a = k
        while a < n and tokens[a].lower in DETERMINERS:
            a += 1
        b = a
        while b < n and (tokens[b].shape == "C" or tokens[b].lower in modifiers
                         or tokens[b].text == "." and b > a and tokens[b - 1].lower in TITLES):
            b += 1
        if b < n and tokens[b].shape in ("c", "P") and (tokens[b].shape == "P" or tokens[b].lower not in FUNCTION_WORDS
                                                     and tokens[b].lower not in cues):
            b += 1  # the lower-case head: "campaign", "officials", or a pronoun
        if b > a and tokens[b - 1].shape in ("C", "c", "P"):
            heads[b - 1] = rank
            rank += 1
        k = max(b, k + 1)
    return heads


_CONJUNCTIONS = frozenset(("and", "but", "or", "then", "while"))


def cue_lead(tokens: list[Token], i: int) -> tuple[str, int]:
    """What stands before a cue once auxiliaries and adverbs are skipped, and where: a conjunction or a comma
    (the cue shares an earlier verb's subject: "said ..., and urged", ", calling"), a word, a quote, the
    start (index -1)."""
    k = i - 1
    while k >= 0 and tokens[k].skip:
        k -= 1
    if k < 0:
        return "start", k
    t = tokens[k]
    if t.lower in _CONJUNCTIONS:
        return "conj", k
    return (t.shape if t.shape in ("C", "c", "P", "Q", ",", ":") else "other"), k


def _suffix(word: str) -> str:
    """The cue's form, roughly: a participle ("adding") takes its clause's subject, a finite verb its own."""
    return "ing" if word.endswith("ing") else "ed" if word.endswith("ed") else "s" if word.endswith("s") else "o"


@dataclass(frozen=True)
class CueContext:
    """What every candidate head of one cue shares: computed once per cue."""

    i: int
    word: str
    lead: str
    suffix: str
    around: tuple[str, str]  # the shapes just before and after the cue
    guess: int | None  # guess_subject's answer
    heads: dict[int, int]  # phrase_heads of the sentence

    @classmethod
    def of(cls, tokens: list[Token], i: int, heads: dict[int, int]) -> CueContext:
        lead, at = cue_lead(tokens, i)
        return cls(i, tokens[i].lower, lead, _suffix(tokens[i].lower), (_shape(tokens, i - 1), _shape(tokens, i + 1)),
                   guess_subject(tokens, i, heads, lead, at), heads)


def _placement(tokens: list[Token], i: int, j: int, heads: dict[int, int]) -> tuple[str, str, str]:
    """Where head j stands from cue i: its side ("L" or "R"), the between-signature, and its subject rank
    ("-" when it heads no opening phrase, else 0, 1 or 2)."""
    rank = heads.get(j)
    between = between_signature(tokens, j, i) if j < i else between_signature(tokens, i, j)
    return ("L" if j < i else "R"), between, ("-" if rank is None else str(min(rank, 2)))


def head_features(tokens: list[Token], ctx: CueContext, j: int) -> list[str]:
    """Features of token j as the source head of a cue: its word, its neighbours, distance, what lies
    between, whether it heads a phrase where subjects stand, and whether the rule's guess picked it.
    (These thirteen templates rank as well as the twenty-five tried, on PolNeAR train held out by article.)"""
    head, i, heads = tokens[j], ctx.i, ctx.heads
    side, between, subject = _placement(tokens, i, j, heads)
    d = j - i
    closer = any(j < k < i for k in heads) if d < 0 else any(i < k < j for k in heads)  # a nearer subject
    distance = _distance_bucket(d)
    shape = head.shape
    word = head.lower if shape != "C" else "<C>"
    return [
        "hw=" + head.lower,
        "hcue=" + ctx.word + side + shape,
        "hn=" + _low(tokens, j + 1) + side,
        "hp=" + _low(tokens, j - 1) + side,
        "hbw=" + side + between + word,
        "hsubs=" + side + subject + shape + distance,
        "hsubb=" + side + subject + between,
        "hcloser=" + side + ("T" if closer else "F") + subject,
        "hdb=" + distance + between,
        "hlead=" + ctx.lead + side + subject,
        "hleadsuf=" + ctx.lead + ctx.suffix + side + subject,
        "hcp=" + side + ctx.around[0] + ctx.around[1] + shape,
        "hguess=" + ("T" if ctx.guess == j else "F"),
    ]


def guess_subject(tokens: list[Token], i: int, heads: dict[int, int], lead: str, at: int) -> int | None:
    """A rule's guess at the subject of cue i, for the model to weigh: the word just before it ("Trump has
    said"); across an appositive, the phrase before it ("Friedman, a radio host in Alabama, said"); for a
    participle or a coordinated verb (", saying", "and urged"), the sentence's subject; after a quote or
    for "according to", the phrase after the cue ('," said Ruiz'). `lead, at` are cue_lead's answer.
    """
    after = next((j for j in range(i + 1, min(len(tokens), i + 4)) if j in heads or tokens[j].shape in ("C", "P")),
                 None)
    if tokens[i].lower == "according" or lead == "Q":
        return after
    if at < 0:
        return None
    main = min((h for h in heads if h < i), key=heads.get, default=None)
    if lead in ("C", "c", "P"):
        return at if tokens[at].headable else None
    if lead == "conj" or tokens[i].lower.endswith("ing"):
        return main
    if lead == ",":
        if at and tokens[at - 1].shape == "Q":
            return after  # '"...," said Ruiz'
        opening = next((c for c in range(at - 1, -1, -1) if tokens[c].shape == ","), None)
        if opening is not None and opening > 0 and tokens[opening - 1].headable:
            return opening - 1  # the phrase before an appositive or a relative clause
        return main
    return None


def candidate_cues(tokens: list[Token], cues: frozenset[str]) -> list[int]:
    found = [k for k, t in enumerate(tokens) if t.lower in cues]
    return found[:_MAX_CUES]


_HEDGE_ADVERBS = frozenset("reportedly allegedly apparently supposedly purportedly seemingly".split())
_BE = frozenset("is are was were be been being".split())
# Participles that name a state of mind: after "be" they are no passive ("they are convinced that", "Democrats
# are worried"): their subject holds the thought.
_STATES_OF_MIND = frozenset("""
convinced concerned worried pleased disappointed frustrated alarmed surprised determined committed persuaded
satisfied relieved troubled angered outraged annoyed encouraged heartened puzzled skeptical
""".split())
# Past participles that are not "-ed": after a form of "be" these make a cue passive ("was told", "is thought").
_IRREGULAR_PARTICIPLES = frozenset("""
told said thought known shown seen heard written found quoted understood given taken held made spoken felt meant
""".split())
# Heads that count people rather than name them: the source is who they count ("41 percent of respondents").
_QUANTITY_HEADS = frozenset("percent majority minority share half third quarter most many some few".split())
_FAR_SUBJECT_RANK = 2  # beyond the window, the heads of a sentence's first three phrases stay candidates


def candidate_heads(tokens: list[Token], i: int, heads: dict[int, int]) -> list[int]:
    """The words near cue i that may head its source, and, further left, the heads of the sentence's opening
    phrases (`heads` is phrase_heads' answer), where the subject of a long sentence stands ("President
    Obama, dedicating the museum on Saturday, said"). A passive cue ("was reported", "is widely expected")
    has none but after "by": its subject is what was said, not who said it. A progressive or an adjective
    after "be" is no passive: "Trump is insisting", "Democrats are hopeful"."""
    lo, hi = max(0, i - _WINDOW_LEFT), min(len(tokens), i + _WINDOW_RIGHT + 1)
    k = i - 1
    while k >= 0 and tokens[k].skip and tokens[k].lower not in _BE:
        k -= 1
    cue = tokens[i].lower
    passive = (cue.endswith("ed") or cue in _IRREGULAR_PARTICIPLES) and cue not in _STATES_OF_MIND
    if k >= 0 and tokens[k].lower in _BE and passive:
        by = next((b for b in range(i + 1, hi) if tokens[b].lower == "by"), None)
        if by is None:
            return []
        lo = by + 1
        far = []
    else:
        far = sorted(j for j, rank in heads.items() if j < lo and rank <= _FAR_SUBJECT_RANK)
    # a source stands on the cue's side of any quote mark: not inside the quotation it attributes
    quoted, inside = [], False
    for t in tokens[:hi]:
        if t.shape == "Q":
            inside = not inside
        quoted.append(inside)
    cue_inside = quoted[i]
    return [j for j in far + list(range(lo, hi)) if j != i and tokens[j].headable and quoted[j] == cue_inside
            and not opening_modifier(tokens, j)
            and not (tokens[j].lower == "one" and j and tokens[j - 1].lower == "no")  # "No one said"
            and not (tokens[j].lower.endswith("'s") and j + 1 < len(tokens) and tokens[j + 1].shape in ("C", "c"))]
    # (a possessive before its noun is no head: "Trump's statement")


def opening_modifier(tokens: list[Token], j: int) -> bool:
    """A participle or an adverb capitalised because it opens the sentence or a quotation ("Chastened by the
    analyses, Trump ...", "Deeply divided, leaders ..."): no name, unless a capitalised word follows it."""
    t = tokens[j]
    return (t.shape == "C" and (j == 0 or tokens[j - 1].shape == "Q") and len(t.lower) > 4
            and t.lower.endswith(("ly", "ed", "ing")) and not (j + 1 < len(tokens) and tokens[j + 1].shape == "C"))


@dataclass(frozen=True)
class LinearModel:
    """A logistic regression over binary features: the weight of each feature present, plus the bias."""

    weights: dict[str, float]
    bias: float

    def raw(self, features: list[str]) -> float:
        return self.bias + sum(map(self.weights.get, features, repeat(0.0)))

    def probability(self, features: list[str]) -> float:
        return sigmoid(self.raw(features))


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -700 else 0.0


@dataclass(frozen=True)
class AttributionModel:
    cues: frozenset[str]  # words that may be cues (with ":")
    modifiers: frozenset[str]  # lower-case words that may stand inside a source's noun phrase
    cue: LinearModel  # is this token a cue of an attribution?
    head: LinearModel  # given a cue, how likely is each candidate to be its source's head (a ranking)
    pair: LinearModel  # given the best cue and its best head, how likely is the attribution right, source and all
    cue_threshold: float  # a cue's probability at or above this makes the sentence a candidate
    head_threshold: float  # ... if its best head's probability times the cue's is at or above this
    pair_threshold: float  # ... and the pair check's probability at or above this makes it attributed
    pronoun_pair_threshold: float  # ... or this, for a pronoun source ("he said"), which resolution names
    trained_on: str
    sha256: str

    def threshold_for(self, candidate: Candidate) -> float:
        """The pair check's threshold for a candidate: a pronoun source has its own."""
        return self.pronoun_pair_threshold if candidate.pronoun_source else self.pair_threshold

    def best_cue(self, tokens: list[Token]) -> tuple[int, float] | None:
        """(index, probability) of the sentence's most probable cue, or None without a candidate."""
        best = None
        candidates = candidate_cues(tokens, self.cues)
        if not candidates:
            return None
        quote_marks = [k for k, t in enumerate(tokens) if t.shape == "Q"]
        for i in candidates:
            raw = self.cue.raw(cue_features(tokens, i, quote_marks))
            if best is None or raw > best[1]:
                best = (i, raw)
        return None if best is None else (best[0], sigmoid(best[1]))

    def best_head(self, tokens: list[Token], i: int) -> tuple[int, float, dict[int, int]] | None:
        """(index, probability, phrase heads) of the most probable source head of cue i, or None without a
        candidate.

        The head model ranks a cue's candidates against each other: the probability is the best one's
        share of the softmax over them.
        """
        heads = phrase_heads(tokens, self.modifiers, self.cues)
        candidates = candidate_heads(tokens, i, heads)
        if not candidates:
            return None
        ctx = CueContext.of(tokens, i, heads)
        raws = [self.head.raw(head_features(tokens, ctx, j)) for j in candidates]
        top = max(raws)
        best = raws.index(top)
        return candidates[best], 1.0 / sum(math.exp(r - top) for r in raws), heads


@dataclass(frozen=True)
class Found:
    """An attribution in a sentence: character spans (into the sentence) of its cue and its source."""

    cue_start: int
    cue_end: int
    source_start: int
    source_end: int
    probability: float
    source_after_cue: bool  # "said Trump", "according to the poll"


@dataclass(frozen=True)
class Candidate:
    """A sentence's best cue and its best source head, as the pair check reads them."""

    tokens: list[Token]
    cue: int  # token indices
    head: int
    source: tuple[int, int]  # the source's first and last tokens
    features: list[str]  # pair_features
    cue_probability: float

    @property
    def pronoun_source(self) -> bool:
        return self.tokens[self.head].shape == "P"


def best_pair(folded: str, model: AttributionModel) -> Candidate | None:
    """The folded sentence's most probable cue and source head, if they clear the cue and head thresholds."""
    tokens = tokenize(folded)
    cue = model.best_cue(tokens)
    if cue is None or cue[1] < model.cue_threshold:
        return None
    i = cue[0]
    head = model.best_head(tokens, i)
    if head is None or head[1] * cue[1] < model.head_threshold:
        return None
    j = head[0]
    if j < i and tokens[i].lower in _HEDGE_ADVERBS:
        return None  # "Reyes is reportedly recording": others report it about her; she is its topic, not its source
    a, b = source_span(tokens, j, model.modifiers)
    return Candidate(tokens, i, j, (a, b), pair_features(tokens, i, j, (a, b), cue[1], head[1], head[2]), cue[1])


def _tenth(p: float) -> str:
    return str(min(9, int(p * 10)))


def pair_features(tokens: list[Token], i: int, j: int, source: tuple[int, int], cue_p: float, head_p: float,
                  heads: dict[int, int]) -> list[str]:
    """Features of cue i with source head j (source tokens `source`) for the pair check: the two models'
    probabilities, the words, where the source stands and what surrounds it ("in Palo Alto" is a place,
    "Prosecutors initially threatened" an act, "it is unclear" no one)."""
    cue, head = tokens[i].lower, tokens[j]
    a, b = source
    side, between, subject = _placement(tokens, i, j, heads)
    word = "<C>" if head.shape == "C" else head.lower
    opener = tokens[a].lower if tokens[a].lower in DETERMINERS else tokens[a].shape
    cb, hb = _tenth(cue_p), _tenth(head_p)
    return [
        "pc=" + cue,
        "pcb=" + cb,
        "phb=" + hb,
        "pcbhb=" + cb + hb,
        "phw=" + head.lower,
        "pcw=" + cue + "_" + word,
        "pside=" + side + _distance_bucket(j - i),
        "pbw=" + side + between,
        "psub=" + side + subject + head.shape,
        "pspan=" + str(min(b - a + 1, 4)) + opener,
        "pcn=" + cue + "_" + _low(tokens, i + 1),
        "pbefore=" + _low(tokens, a - 1),
        "pafter=" + side + _low(tokens, b + 1),
        "pquotes=" + str(min(sum(1 for t in tokens if t.shape == "Q"), 3)) + side,
        "pstart=" + str(a == 0) + head.shape,
        "popen=" + (tokens[0].lower if tokens[0].lower in FUNCTION_WORDS else tokens[0].shape),  # "If", "Instead"
        "paux=" + "_".join(t.lower for t in tokens[min(i, j) + 1:max(i, j)] if t.skip)[:40],  # "would", "has also"
    ]


def find_attribution(sentence: str, model: AttributionModel | None = None) -> Found | None:
    """The sentence's attribution as the model reads it, or None if it clears no threshold or fails the check."""
    model = model or load_attribution_model()
    folded = fold(sentence)
    found = best_pair(folded, model)
    if found is None:
        return None
    p = model.pair.probability(found.features)
    if p < model.threshold_for(found):
        return None
    spans = token_spans(folded)
    (a, b), i = found.source, found.cue
    return Found(spans[i][0], spans[i][1], spans[a][0], spans[b][1], p, found.head > i)


def source_span(tokens: list[Token], j: int, modifiers: frozenset[str]) -> tuple[int, int]:
    """The noun phrase around head j, as token indices (first, last): "Secretary of State John Kerry",
    "the Clinton campaign", "a senior campaign official", "Mr. Trump"."""
    if tokens[j].shape == "P":
        return j, j
    a = b = j
    if tokens[j].shape == "C":
        while b + 1 < len(tokens) and (tokens[b + 1].shape == "C" or tokens[b + 1].text == "."
                                       and b + 2 < len(tokens) and tokens[b + 2].shape == "C"
                                       and (tokens[b].lower in TITLES or len(tokens[b].text) == 1)):
            b += 1  # "Rep. Patrick J. Tiberi"
    if tokens[j].lower in _QUANTITY_HEADS and b + 2 < len(tokens) and tokens[b + 1].lower == "of":
        b = source_span(tokens, b + 2, modifiers)[1] if tokens[b + 2].headable else b  # "41 percent of voters"
    while a > 0:
        prev = tokens[a - 1]
        if prev.shape == "C" or prev.lower.endswith("'s") and prev.shape in "Cc":
            a -= 1
        elif prev.shape == "c" and (prev.lower in modifiers or prev.lower in DETERMINERS and prev.lower != "that"):
            a -= 1
            if prev.lower in DETERMINERS:
                break
        elif prev.text == "." and a >= 2 and (tokens[a - 2].lower in TITLES or len(tokens[a - 2].text) == 1
                                              and tokens[a - 2].shape == "C"):
            a -= 2  # "Mr. Trump", "Patrick J. Tiberi"
        elif prev.lower == "of" and a >= 2 and tokens[a - 2].shape == "C" and tokens[a].shape == "C":
            a -= 2  # "Secretary of State"
        elif prev.shape == "N" and tokens[a].lower in _QUANTITY_HEADS:
            a -= 1  # "41 percent"
        else:
            break
    return a, b


def parse_attribution_model(data: bytes) -> AttributionModel:
    """An AttributionModel from a model file's bytes; AttributionModelError says what is wrong otherwise."""
    spec = read_spec(data, FORMAT, FORMAT_VERSION, AttributionModelError, "attribution model")
    words = {name: spec.get(name) for name in ("cues", "modifiers")}
    for name, value in words.items():
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise AttributionModelError(f"malformed {name}: expected a list of words")
    models = {name: _linear(spec.get(name), name) for name in ("cue", "head", "pair")}
    thresholds = {name: spec.get(name)
                  for name in ("cue_threshold", "head_threshold", "pair_threshold", "pronoun_pair_threshold")}
    for name, value in thresholds.items():
        if type(value) not in (int, float) or not 0.0 <= value < 1.0:
            raise AttributionModelError(f"malformed {name}: expected a number in [0, 1)")
    return AttributionModel(frozenset(words["cues"]), frozenset(words["modifiers"]), models["cue"], models["head"],
                            models["pair"], float(thresholds["cue_threshold"]), float(thresholds["head_threshold"]),
                            float(thresholds["pair_threshold"]), float(thresholds["pronoun_pair_threshold"]),
                            str(spec.get("trained_on", "")), hashlib.sha256(data).hexdigest())


def _linear(spec, name: str) -> LinearModel:
    weights = spec.get("weights") if isinstance(spec, dict) else None
    bias = spec.get("bias") if isinstance(spec, dict) else None
    numbers = [bias] + (list(weights.values()) if isinstance(weights, dict) else [])
    if not isinstance(weights, dict) or not all(type(v) in (int, float) and math.isfinite(v) for v in numbers):
        raise AttributionModelError(f"malformed {name} model: a feature-to-number map and a finite bias are needed")
    return LinearModel({str(k): float(v) for k, v in weights.items()}, float(bias))


def shipped_model_path() -> str:
    return shipped_path("attribution.json")


@lru_cache(maxsize=1)
def load_attribution_model() -> AttributionModel:
    """The model shipped with claimbeam."""
    with open(shipped_model_path(), "rb") as f:
        return parse_attribution_model(f.read())
