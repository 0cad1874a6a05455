import math
import pickle

import numpy as np
import pytest

from claims.stance_features import FEATURE_NAMES
from claims.stance_model import StanceModelError, load_stance_model, model_stance, parse_stance_model
from claims.verify import ArticleStance, VerifyParams

BEST = FEATURE_NAMES.index("best_similarity")
RELATED = FEATURE_NAMES.index("relatedness")


def _row(**values) -> list[float]:
    row = [0.0] * len(FEATURE_NAMES)
    for name, value in values.items():
        row[FEATURE_NAMES.index(name)] = value
    return row


def _softmax(raw: list[float]) -> list[float]:
    e = [math.exp(r) for r in raw]
    return [v / sum(e) for v in e]


def test_trees_are_walked_and_their_leaves_added_to_the_baseline(stance_model_bytes):
    # refute tree: best_similarity <= 0.5 -> +1.5, else (relatedness <= 0.2 -> -1, else +0.25)
    refute = {"class": 1, "feature": [BEST, -1, RELATED, -1, -1], "threshold": [0.5, 0, 0.2, 0, 0],
              "left": [1, 0, 3, 0, 0], "right": [2, 0, 4, 0, 0], "value": [0, 1.5, 0, -1.0, 0.25]}
    support = {"class": 2, "feature": [-1], "threshold": [0.0], "left": [0], "right": [0], "value": [0.5]}
    model = parse_stance_model(stance_model_bytes({"discuss": 0.0, "refute": -1.0, "support": 0.0},
                                                  [refute, support]))
    rows = [_row(best_similarity=0.5), _row(best_similarity=0.9, relatedness=0.1),
            _row(best_similarity=0.9, relatedness=0.3)]
    expected = [_softmax([0.0, -1.0 + leaf, 0.5]) for leaf in (1.5, -1.0, 0.25)]
    assert model.probabilities(rows) == pytest.approx(np.array(expected))
    assert model.classes == ("discuss", "refute", "support")


def test_the_shipped_model_loads_reads_these_features_and_gives_probabilities():
    model = load_stance_model()
    assert "FNC-1 train" in model.trained_on and len(model.sha256) == 64
    p = model.probabilities([_row(best_similarity=1.0, relatedness=0.4, rules_support=1.0),
                             _row(best_similarity=0.8, relatedness=0.3, near_denial=1.0, rules_refute=1.0)])
    assert p.shape == (2, 3) and np.allclose(p.sum(axis=1), 1.0) and (p > 0).all()


def test_a_model_travels_to_workers_by_pickle_unchanged():
    model = load_stance_model()
    row = [_row(best_similarity=0.7, relatedness=0.2)]
    assert (pickle.loads(pickle.dumps(model)).probabilities(row) == model.probabilities(row)).all()


def test_features_that_are_not_finite_are_refused():
    with pytest.raises(ValueError, match="finite"):
        load_stance_model().probabilities([_row(relatedness=float("nan"))])


@pytest.mark.parametrize("change, message", [
    pytest.param({"format": "something-else"}, "not a claimbeam stance model", id="another format"),
    pytest.param({"format_version": 99}, "format version 99", id="a newer format"),
    pytest.param({"features": ["relatedness"]}, "other features", id="other features"),
    pytest.param({"classes": ["agree", "disagree", "discuss"]}, "expected the stances", id="FNC-1's labels"),
    pytest.param({"features": 5}, "other features", id="features that are not a list"),
    pytest.param({"classes": [["discuss"], "refute", "support"]}, "expected the stances", id="a class that is a list"),
    pytest.param({"baseline": [0.0, 1.0]}, "a baseline per class", id="a baseline too short"),
    pytest.param({"baseline": [0.0, float("inf"), 0.0]}, "not finite", id="an infinite baseline"),
    pytest.param({"trees": []}, "non-empty list of trees", id="no trees"),
    pytest.param({"trees": [{"class": 0, "feature": [0, -1, -1], "threshold": [0.5, 0, 0], "left": [0, 0, 0],
                             "right": [2, 0, 0], "value": [0, 0, 0]}]}, "not after its parent",
                 id="a child pointing back: the walk would never end"),
    pytest.param({"trees": [{"class": 0, "feature": [0, -1], "threshold": [0.5, 0], "left": [1, 0],
                             "right": [7, 0], "value": [0, 0]}]}, "outside the tree", id="a child outside its tree"),
    pytest.param({"trees": [{"class": 0, "feature": [999, -1, -1], "threshold": [0.5, 0, 0], "left": [1, 0, 0],
                             "right": [2, 0, 0], "value": [0, 0, 0]}]}, "does not exist", id="a feature out of range"),
    pytest.param({"trees": [{"class": 5, "feature": [-1], "threshold": [0], "left": [0], "right": [0], "value": [0]}]}, "needs a \"class\" from 0 to 2",
                 id="a tree of no class"),
    pytest.param({"trees": [{"class": [0, 1], "feature": [-1], "threshold": [0], "left": [0], "right": [0], "value": [0]}]}, "needs a \"class\"", id="a class that is a list"),
    pytest.param({"trees": [{"class": 1.7, "feature": [-1], "threshold": [0], "left": [0], "right": [0], "value": [0]}]}, "needs a \"class\"", id="a fractional class"),
    pytest.param({"trees": [{"class": 0, "feature": [-1]}]}, "malformed tree 0 threshold", id="a tree without its lists"),
    pytest.param({"trees": [{"class": 0, "feature": [[-1]], "threshold": [0], "left": [0], "right": [0], "value": [0]}]}, "a flat list", id="nested lists"),
    pytest.param({"trees": [{"class": 0, "feature": [1.9, -1, -1], "threshold": [0.5, 0, 0], "left": [1, 0, 0],
                             "right": [2, 0, 0], "value": [0, 0, 0]}]}, "whole numbers", id="a fractional feature index"),
    pytest.param({"trees": [{"class": 0, "feature": [True], "threshold": [0], "left": [0], "right": [0], "value": [0]}]}, "whole numbers", id="a boolean"),
    pytest.param({"trees": [{"class": 0, "feature": [-1], "threshold": [0], "left": [10 ** 30], "right": [0],
                             "value": [0]}]}, "out of range", id="a huge number"),
    pytest.param({"trees": [{"class": 0, "feature": [-1, -1], "threshold": [0], "left": [0], "right": [0], "value": [0]}]}, "of one length", id="lists of two lengths"),
])
def test_a_bad_model_file_says_what_is_wrong(stance_model_bytes, change, message):
    with pytest.raises(StanceModelError, match=message):
        parse_stance_model(stance_model_bytes({"discuss": 0.0, "refute": 0.0, "support": 0.0}, **change))


def test_a_file_that_is_not_json_is_refused():
    with pytest.raises(StanceModelError, match="not a JSON file"):
        parse_stance_model(b"\x80\x03pickle")


RULES_DISCUSS = ArticleStance("discuss", 'hedged: "Reyes is reportedly leaving."', "c1", 0.8)
FAR = ArticleStance("discuss", 'no sentence states the claim; the closest: "A fire tore through the docks."', "c2", 0.12)
CLASSES = ("discuss", "refute", "support")


@pytest.mark.parametrize("rules, probabilities, expected", [
    pytest.param(RULES_DISCUSS, (0.2, 0.1, 0.7), ("support", True), id="the model overrules the rules"),
    pytest.param(RULES_DISCUSS, (0.6, 0.1, 0.3), ("discuss", False), id="the model agrees: the rules' reason stays"),
    pytest.param(RULES_DISCUSS, (0.4, 0.2, 0.4), ("discuss", False), id="a tie goes to discuss"),
    pytest.param(FAR, (0.2, 0.1, 0.7), ("discuss", False), id="no sentence near the claim: no support"),
    pytest.param(FAR, (0.2, 0.7, 0.1), ("discuss", False), id="no sentence near the claim: no refutation either"),
    pytest.param(ArticleStance("refute", 'calls it false (a hoax): "It is a hoax."', "c3", 0.2), (0.2, 0.7, 0.1),
                 ("discuss", True), id="rules set to refute this far (a lower refute_threshold) are overruled too"),
])
def test_model_stance(rules, probabilities, expected):
    stance = model_stance(rules, CLASSES, probabilities, VerifyParams())
    assert (stance.stance, stance.reason != rules.reason) == expected
    assert (stance.claim_id, stance.similarity) == (rules.claim_id, rules.similarity)  # the rules' closest mention
    if expected[1] and rules is RULES_DISCUSS:
        assert stance.reason.startswith("weighing all its cues (the rules alone: discuss, hedged:")


def _rules(target: str, article: str):
    from claims.mentions import extract_mentions
    from claims.verify import Target, article_stance, target_features, words_of

    mentions = extract_mentions("a1", article)
    doc_freq = dict.fromkeys(words_of(article) | words_of(target), 1)
    return article_stance(target_features(Target("t", target), doc_freq, 2), mentions), \
        {m.claim_id: m.text for m in mentions}


RESIDENTS = "About 200 residents were evacuated from the Port Calder docks."


@pytest.mark.parametrize("article, probabilities, stance, cited", [
    pytest.param("The story about residents evacuated from Port Calder is a hoax. About 200 residents were "
                 "evacuated from the Port Calder docks, a reporter wrote.", (0.1, 0.1, 0.8), "support",
                 "About 200 residents were evacuated from the Port Calder docks, a reporter wrote.",
                 id="overruled to support: the sentence that states it, not the one calling it false"),
    pytest.param("About 50 residents were evacuated from the Port Calder docks.", (0.1, 0.1, 0.8), "refute",
                 "About 50 residents were evacuated from the Port Calder docks.",
                 id="a different number in the closest sentence is not overruled"),
    pytest.param("About 200 residents were not evacuated from the Port Calder docks.", (0.7, 0.0, 0.3), "refute",
                 "About 200 residents were not evacuated from the Port Calder docks.",
                 id="nor is the opposite statement"),
    pytest.param("Police denied that 200 residents were evacuated from the Port Calder docks.", (0.1, 0.1, 0.8),
                 "support", "Police denied that 200 residents were evacuated from the Port Calder docks.",
                 id="a denial may be overruled, and its sentence is the closest one"),
])
def test_the_model_s_stance_cites_the_sentence_it_rests_on(article, probabilities, stance, cited):
    rules, text_of = _rules(RESIDENTS, article)
    found = model_stance(rules, CLASSES, probabilities, VerifyParams())
    assert (found.stance, text_of[found.claim_id]) == (stance, cited)
    assert f'"{cited}"' in found.reason


def test_the_file_s_class_order_is_kept(stance_model_bytes):
    model = parse_stance_model(stance_model_bytes({"support": 2.0, "discuss": 0.0, "refute": 1.0}))
    assert model.classes == ("support", "discuss", "refute")
    assert model.probabilities([_row()])[0] == pytest.approx(_softmax([2.0, 0.0, 1.0]))
