import math

import pytest

from claims.mentions import extract_mentions
from claims.stance_features import FEATURE_NAMES, article_cues, pair_features
from claims.verify import Target, article_stance, target_features, words_of

TARGET = target_features(Target("t1", "Mila Reyes is leaving Hollow Pines"), {}, 1)


def _features(text: str, target=TARGET, relatedness: float = 0.5) -> dict[str, float]:
    mentions = extract_mentions("a1", text)
    words = [words_of(m.text) for m in mentions]
    rules = article_stance(target, mentions, mention_words=words)
    return dict(zip(FEATURE_NAMES, pair_features(target, article_cues(mentions, words), relatedness, rules)))


@pytest.mark.parametrize("text, expected", [
    pytest.param("Reyes denied that she is leaving Hollow Pines.",
                 {"near_denial": 1.0, "rules_refute": 1.0, "near_opposite_polarity": 1.0}, id="a denial"),
    pytest.param("Mila Reyes is leaving Hollow Pines.", {"rules_support": 1.0, "best_similarity": 1.0},
                 id="stated plainly"),
    pytest.param("Mila Reyes is reportedly leaving Hollow Pines.", {"near_share_hedged": 1.0, "rules_support": 0.0},
                 id="hedged"),
    pytest.param("The video of Mila Reyes leaving Hollow Pines is a hoax.",
                 {"near_debunk": 1.0, "article_share_debunk": 1.0, "article_rate_hoax": 100 / 11}, id="a debunk"),  # 11 words
    pytest.param("The bridge will close in spring. Crews will repaint it.",
                 {"best_similarity": 0.0, "n_near": 0.0, "n_sentences": 2.0}, id="nothing about the target"),
])
def test_features_read_the_cues_the_rules_read(text, expected):
    found = _features(text)
    assert {name: found[name] for name in expected} == expected


def test_every_feature_is_a_finite_number_even_for_an_article_without_claims():
    for text in ("", "Was it true? Check out the video below.", "Mila Reyes is leaving Hollow Pines."):
        values = _features(text)
        assert list(values) == list(FEATURE_NAMES) and all(math.isfinite(v) for v in values.values())
    assert _features("")["best_position"] == 1.0 and _features("")["relatedness"] == 0.5


def test_the_target_itself_is_described():
    target = target_features(Target("t2", "Is the Hollow Pines split a hoax?"), {}, 1)
    found = _features("Mila Reyes is leaving Hollow Pines.", target)
    assert found["target_debunks"] == 1.0 and found["target_question"] == 1.0 and found["target_has_hoax"] == 1.0
