"""Features of one (target, article) pair for a learned stance model: the cues the rules read, as numbers.

Verify mode's stance rules (claims.verify) pick one cue per article. A model
over the same cues, counted rather than ranked, can weigh them against each
other: how close the article's nearest sentences come to the target, whether
those sentences deny, debunk, hedge, attribute or flip the claim, how much of
the whole article does so, what the rules conclude, and what the target itself
says. `benchmarks/stance_model.py` measures such a model by story-grouped
cross-validation on FNC-1; the features are computed from the same functions
the pipeline calls, so a model trained on them can run inside it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz

from claims.mentions import DIRECT_QUOTE, Mention, is_hedged
from claims.text import fold, words
from claims.verify import (DEBUNK_RE, UNCLEAR_RE, REFUTE, SUPPORT, TargetFeatures, VerifyParams, article_stance,
                           coverage)

# Words whose presence near a claim tends to mark a side (after the FNC-1 baseline's refuting-word list).
CUE_WORDS = ("fake", "fraud", "hoax", "false", "deny", "denies", "denied", "not", "despite", "nope", "doubt",
             "doubts", "bogus", "debunk", "pranks", "retract", "rumor", "rumour", "unconfirmed", "claims",
             "reportedly", "allegedly", "but", "however")
_NEAR_CUES = ("denial", "debunk", "opposite_polarity", "unclear")
_NEAR_SHARES = ("hedged", "attributed", "direct_quote")
FEATURE_NAMES = (
    "relatedness", "best_similarity", "second_similarity", "n_near", "n_about", "n_sentences", "best_position",
    "rules_support", "rules_refute",
    *(f"near_{c}" for c in _NEAR_CUES), *(f"near_share_{c}" for c in _NEAR_SHARES),
    "article_share_denial", "article_share_hedged", "article_share_debunk",
    "target_debunks", "target_negated", "target_hedged", "target_question", "target_words",
    "best_token_set_ratio", "best_partial_ratio",
    *(f"article_rate_{w}" for w in CUE_WORDS), *(f"closest_has_{w}" for w in CUE_WORDS),
    *(f"target_has_{w}" for w in CUE_WORDS),
)


def pair_features(target: TargetFeatures, mentions: Sequence[Mention], mention_words: Sequence[frozenset[str]],
                  relatedness: float, params: VerifyParams = VerifyParams()) -> tuple[float, ...]:
    """The FEATURE_NAMES values for one target and one article (its mentions in order, with their words_of)."""
    ranked = sorted(((coverage(target, w), i) for i, w in enumerate(mention_words)), key=lambda ci: (-ci[0], ci[1]))
    similarity = [c for c, _ in ranked]
    near = [mentions[i] for c, i in ranked if c >= params.refute_threshold]
    closest = [mentions[i] for c, i in ranked[:3] if c > 0]
    folded = [fold(m.text) for m in mentions]
    debunking = [bool(DEBUNK_RE.search(f)) for f in folded]
    near_folded = [fold(m.text) for m in near]
    rules = article_stance(target, mentions, params, mention_words)
    n, n_near = max(1, len(mentions)), max(1, len(near))
    article_tokens = [t for f in folded for t in words(f)]
    closest_tokens = {t for m in closest for t in words(m.text)}
    target_tokens = set(words(target.text))
    best_text = fold(closest[0].text).lower() if closest else ""
    headline = fold(target.text).lower()
    values = {
        "relatedness": relatedness,
        "best_similarity": similarity[0] if similarity else 0.0,
        "second_similarity": similarity[1] if len(similarity) > 1 else 0.0,
        "n_near": len(near),
        "n_about": sum(1 for c in similarity if c >= params.mention_threshold),
        "n_sentences": len(mentions),
        "best_position": ranked[0][1] / n if ranked else 1.0,
        "rules_support": rules.stance == SUPPORT, "rules_refute": rules.stance == REFUTE,
        "near_denial": any(m.denial for m in near),
        "near_debunk": any(DEBUNK_RE.search(f) for f in near_folded),
        "near_opposite_polarity": any(m.negated != target.negated for m in near),
        "near_unclear": any(UNCLEAR_RE.search(f) for f in near_folded),
        "near_share_hedged": sum(m.hedged for m in near) / n_near,
        "near_share_attributed": sum(bool(m.attributed_to or m.speaker) for m in near) / n_near,
        "near_share_direct_quote": sum(m.kind == DIRECT_QUOTE for m in near) / n_near,
        "article_share_denial": sum(m.denial for m in mentions) / n,
        "article_share_hedged": sum(m.hedged for m in mentions) / n,
        "article_share_debunk": sum(debunking) / n,
        "target_debunks": target.debunks, "target_negated": target.negated, "target_hedged": is_hedged(target.text),
        "target_question": "?" in target.text, "target_words": len(target.weight),
        "best_token_set_ratio": fuzz.token_set_ratio(headline, best_text) / 100 if best_text else 0.0,
        "best_partial_ratio": fuzz.partial_ratio(headline, best_text) / 100 if best_text else 0.0,
    }
    counts = Counter(article_tokens)
    for w in CUE_WORDS:
        values[f"article_rate_{w}"] = 100 * counts.get(w, 0) / max(1, len(article_tokens))
        values[f"closest_has_{w}"] = w in closest_tokens
        values[f"target_has_{w}"] = w in target_tokens
    return tuple(float(values[name]) for name in FEATURE_NAMES)

