"""Smoke tests of the stance-model trainer and study on tiny FNC-1 files: features, stories, folds, model files."""
import pytest

from claims.stance_features import FEATURE_NAMES
from claims.stance_model import parse_stance_model

def _needs_sklearn():
    pytest.importorskip("sklearn", reason="training needs scikit-learn (the bench extra)")


def test_pair_table_has_stories_relatedness_and_every_feature(load_benchmark, three_stories, three_stories_pairs):
    module = load_benchmark("train_stance_model")
    table = module.pair_table(three_stories)
    assert len(table) == len(three_stories_pairs) and list(table.columns[7:]) == list(FEATURE_NAMES)
    assert table.clear_conflict.dtype == bool  # the rules' reading that no model overrules, not a feature
    assert table.story.nunique() == 3  # one story per headline and its related bodies
    assert table.related.tolist() == [gold != "unrelated" for _, _, gold in three_stories_pairs]
    rules = load_benchmark("stance_model").rules_prediction(table)
    assert rules[1] == "disagree"  # "Reyes denied ..." refutes by the rules


@pytest.mark.parametrize("sizes, folds, expected", [
    pytest.param({"a": 5, "b": 4, "c": 3, "d": 2}, 2, {"a": 0, "b": 1, "c": 1, "d": 0}, id="largest first, to the lightest fold"),
    pytest.param({"x": 1, "y": 1}, 3, {"x": 0, "y": 1}, id="more folds than stories"),
])
def test_stories_are_dealt_into_balanced_folds(load_benchmark, sizes, folds, expected):
    assert load_benchmark("train_stance_model").story_folds(sizes, folds) == expected


def test_training_writes_a_model_that_claims_reads_and_is_reproducible(run_benchmark, three_stories, tmp_path):
    _needs_sklearn()
    first = run_benchmark("train_stance_model", [str(three_stories), "--output", str(tmp_path / "a.json")])
    run_benchmark("train_stance_model", [str(three_stories), "--output", str(tmp_path / "b.json")])
    assert first["pairs"] == 8  # the related pairs
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    model = parse_stance_model((tmp_path / "a.json").read_bytes())
    assert sorted(model.classes) == ["discuss", "refute", "support"] and "8 headline-body pairs" in model.trained_on


def test_exported_trees_reproduce_scikit_learn(load_benchmark):
    _needs_sklearn()
    import numpy as np
    import pandas as pd

    module = load_benchmark("train_stance_model")
    rng = np.random.default_rng(7)
    features = rng.random((600, len(FEATURE_NAMES)))
    gold = np.where(features[:, 0] > 0.6, "agree", np.where(features[:, 1] > 0.7, "disagree", "discuss"))
    table = pd.DataFrame(features, columns=list(FEATURE_NAMES)).assign(gold=gold, related=True)
    model = module.fit(table)
    data = module.export(model, features, "random rows", module.TrainParams())  # raises if they differ
    ours = parse_stance_model(data).probabilities(features[:50])
    assert np.abs(ours - model.predict_proba(features[:50])).max() < 1e-9
    assert len(set(np.argmax(ours, axis=1))) == 3  # the trees split: not just the baseline


def test_fold_models_never_see_their_fold(load_benchmark, three_stories, monkeypatch):
    _needs_sklearn()
    module = load_benchmark("train_stance_model")
    table = module.pair_table(three_stories)
    table.loc[table.gold == "unrelated", "related"] = True  # as if TF-IDF related them: bodies of other stories
    trained_on = []
    real_train = module.train
    monkeypatch.setattr(module, "train", lambda rows, *args: trained_on.append(rows) or real_train(rows, *args))
    fold_of, models = module.fold_models(table, 2)
    assert sorted(set(fold_of.values())) == [0, 1] and len(models) == len(trained_on) == 2
    for i, (rows, data) in enumerate(zip(trained_on, models)):
        assert len(rows) and not rows.story.map(fold_of).eq(i).any() and not rows.body_story.map(fold_of).eq(i).any()
        assert f"outside fold {i} of 2" in parse_stance_model(data).trained_on
    # A pair whose headline and body stories are in different folds is in neither model (e.g. reyes head, fire body)
    crossing = table.story.map(fold_of) != table.body_story.map(fold_of)
    assert crossing.any()
    assert not any(rows.index.isin(table.index[crossing]).any() for rows in trained_on)


def test_the_study_reports_rules_and_each_model(run_benchmark, three_stories, three_stories_pairs, tmp_path):
    _needs_sklearn()
    results = run_benchmark("stance_model", [str(three_stories), "--folds", "2", "--weights", "1", "4",
                                             "--json", str(tmp_path / "out.json")])
    rows = results["fnc1_train_cv"]
    assert [r["stance of related pairs"] for r in rows] == ["rules", "model, refute weight 1", "model, refute weight 4"]
    assert all(r["pairs"] == len(three_stories_pairs) and 0.0 <= r["relative FNC score"] <= 1.0 for r in rows)
    assert (tmp_path / "out.json").exists()
