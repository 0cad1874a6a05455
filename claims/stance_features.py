"""Features of one (target, article) pair for a learned stance model: the cues the rules read, as numbers.

Verify mode's stance rules (claims.verify) pick one cue per article. A model
over the same cues, counted rather than ranked, can weigh them against each
other: how close the article's nearest sentences come to the target, whether
those sentences deny, debunk, hedge, attribute or flip the claim, how much of
the whole article does so, what the rules conclude, and what the target itself
says. claims.stance_model runs such a model inside verify mode, and
`benchmarks/train_stance_model.py` trains it; both compute these features with
the same functions, so training and inference see the same numbers.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from claims.mentions import DIRECT_QUOTE, Mention, is_hedged
from claims.text import fold, words
from claims.verify import (DEBUNK_RE, REFUTE, SUPPORT, UNCLEAR_RE, ArticleStance, TargetFeatures, VerifyParams,
                           coverage, mention_similarities)

# Words whose presence near a claim tends to mark a side (after the FNC-1 baseline's refuting-word list).
CUE_WORDS = ("fake", "fraud", "hoax", "false", "deny", "denies", "denied", "not", "despite", "nope", "doubt",
             "doubts", "bogus", "debunk", "pranks", "retract", "rumor", "rumour", "unconfirmed", "claims",
             "reportedly", "allegedly", "but", "however")
_NEAR_CUES = ("denial", "debunk", "opposite_polarity", "unclear")
_NEAR_SHARES = ("hedged", "attributed", "direct_quote")
FEATURE_NAMES = (
    "relatedness", "article_coverage", "best_similarity", "second_similarity", "n_near", "n_about", "n_sentences",
    "best_position",
    "rules_support", "rules_refute",
    *(f"near_{c}" for c in _NEAR_CUES), *(f"near_share_{c}" for c in _NEAR_SHARES),
    "article_share_denial", "article_share_hedged", "article_share_debunk",
    "target_debunks", "target_negated", "target_hedged", "target_question", "target_words",
    "best_token_set_ratio", "best_partial_ratio",
    *(f"article_rate_{w}" for w in CUE_WORDS), *(f"closest_has_{w}" for w in CUE_WORDS),
    *(f"target_has_{w}" for w in CUE_WORDS),
)


@dataclass(frozen=True)
class ArticleCues:
    """What the features read from one article, whatever the target: computed once per article."""

    mentions: tuple[Mention, ...]  # in article order
    words: tuple[frozenset[str], ...]  # each mention's words_of(text)
    folded: tuple[str, ...]
    all_words: frozenset[str]  # every mention's words together
    share_denial: float
    share_hedged: float
    share_debunk: float
    cue_rates: tuple[float, ...]  # per CUE_WORDS: occurrences per 100 of the article's tokens


def article_cues(mentions: Sequence[Mention], mention_words: Sequence[frozenset[str]]) -> ArticleCues:
    """The target-independent cues of an article (its mentions in order, with their words_of)."""
    folded = tuple(fold(m.text) for m in mentions)
    tokens = Counter(t for f in folded for t in words(f))
    n, n_tokens = max(1, len(mentions)), max(1, sum(tokens.values()))
    return ArticleCues(
        tuple(mentions), tuple(mention_words), folded, frozenset().union(*mention_words),
        share_denial=sum(m.denial for m in mentions) / n, share_hedged=sum(m.hedged for m in mentions) / n,
        share_debunk=sum(bool(DEBUNK_RE.search(f)) for f in folded) / n,
        cue_rates=tuple(100 * tokens.get(w, 0) / n_tokens for w in CUE_WORDS))


def pair_features(target: TargetFeatures, article: ArticleCues, relatedness: float, rules: ArticleStance,
                  params: VerifyParams = VerifyParams(), similarities: Sequence[float] | None = None) -> tuple[float, ...]:
    """The FEATURE_NAMES values for one target and one article; `rules` is article_stance's reading of the pair,
    and `similarities` the mentions' `mention_similarities`, which article_stance ranked too."""
    mentions = article.mentions
    similarities = similarities if similarities is not None else mention_similarities(target, article.words)
    ranked = sorted(((c, i) for i, c in enumerate(similarities)), key=lambda ci: (-ci[0], ci[1]))
    similarity = [c for c, _ in ranked]
    near = [i for c, i in ranked if c >= params.refute_threshold]
    closest = [mentions[i] for c, i in ranked[:3] if c > 0]
    n_near = max(1, len(near))
    closest_tokens = {t for m in closest for t in words(m.text)}
    target_tokens = set(words(target.text))
    best_text = article.folded[ranked[0][1]].lower() if closest else ""  # closest[0] is mentions[ranked[0][1]]
    headline = fold(target.text).lower()
    values = {
        "relatedness": relatedness,
        "article_coverage": coverage(target, article.all_words),
        "best_similarity": similarity[0] if similarity else 0.0,
        "second_similarity": similarity[1] if len(similarity) > 1 else 0.0,
        "n_near": len(near),
        "n_about": sum(1 for c in similarity if c >= params.mention_threshold),
        "n_sentences": len(mentions),
        "best_position": ranked[0][1] / max(1, len(mentions)) if ranked else 1.0,
        "rules_support": rules.stance == SUPPORT, "rules_refute": rules.stance == REFUTE,
        "near_denial": any(mentions[i].denial for i in near),
        "near_debunk": any(DEBUNK_RE.search(article.folded[i]) for i in near),
        "near_opposite_polarity": any(mentions[i].negated != target.negated for i in near),
        "near_unclear": any(UNCLEAR_RE.search(article.folded[i]) for i in near),
        "near_share_hedged": sum(mentions[i].hedged for i in near) / n_near,
        "near_share_attributed": sum(bool(mentions[i].attributed_to or mentions[i].speaker) for i in near) / n_near,
        "near_share_direct_quote": sum(mentions[i].kind == DIRECT_QUOTE for i in near) / n_near,
        "article_share_denial": article.share_denial,
        "article_share_hedged": article.share_hedged,
        "article_share_debunk": article.share_debunk,
        "target_debunks": target.debunks, "target_negated": target.negated, "target_hedged": is_hedged(target.text),
        "target_question": "?" in target.text, "target_words": len(target.weight),
        "best_token_set_ratio": fuzz.token_set_ratio(headline, best_text) / 100 if best_text else 0.0,
        "best_partial_ratio": fuzz.partial_ratio(headline, best_text) / 100 if best_text else 0.0,
    }
    for w, rate in zip(CUE_WORDS, article.cue_rates):
        values[f"article_rate_{w}"] = rate
        values[f"closest_has_{w}"] = w in closest_tokens
        values[f"target_has_{w}"] = w in target_tokens
    return tuple(float(values[name]) for name in FEATURE_NAMES)
