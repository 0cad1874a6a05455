"""Smoke test of the stance-model benchmark on tiny FNC-1 files: features, stories, folds and both predictions."""
import pytest

from claims.stance_features import FEATURE_NAMES

BODIES = {
    1: "Mila Reyes is leaving Hollow Pines to record a solo album in Lisbon.",
    2: "Mila Reyes denied that she is leaving Hollow Pines for a solo album in Lisbon. It is a hoax, her label said.",
    3: "A fire destroyed a warehouse at the Port Calder docks on Tuesday night.",
    4: "The Port Calder warehouse fire was reportedly started by faulty wiring, investigators said.",
    5: "The Kestrel Bay bridge will close for repairs next spring, the council said.",
    6: "Engineers say the Kestrel Bay bridge needs new cables; it closes in the spring.",
}
HEADS = {"reyes": "Mila Reyes leaving Hollow Pines for solo album in Lisbon",
         "fire": "Fire destroys Port Calder warehouse", "bridge": "Kestrel Bay bridge to close for repairs"}
STANCES = [(HEADS["reyes"], 1, "agree"), (HEADS["reyes"], 2, "disagree"), (HEADS["reyes"], 3, "unrelated"),
           (HEADS["fire"], 3, "agree"), (HEADS["fire"], 4, "discuss"), (HEADS["fire"], 5, "unrelated"),
           (HEADS["bridge"], 5, "agree"), (HEADS["bridge"], 6, "discuss"), (HEADS["bridge"], 1, "unrelated")]


def test_pair_table_has_stories_relatedness_and_every_feature(load_benchmark, tiny_fnc):
    module = load_benchmark("stance_model")
    table = module.pair_table(tiny_fnc(BODIES, STANCES))
    assert len(table) == len(STANCES) and list(table.columns[3:]) == list(FEATURE_NAMES)
    assert table.story.nunique() == 3  # one story per headline and its related bodies
    assert table.related.tolist() == [gold != "unrelated" for _, _, gold in STANCES]
    rules = module.rules_prediction(table)
    assert rules[1] == "disagree"  # "Reyes denied ..." refutes by the rules


def test_the_benchmark_reports_rules_and_each_model(run_benchmark, tiny_fnc, tmp_path):
    pytest.importorskip("sklearn", reason="the stance-model benchmark needs scikit-learn (the bench extra)")
    results = run_benchmark("stance_model", [str(tiny_fnc(BODIES, STANCES)), "--folds", "3", "--weights", "1", "4",
                                             "--json", str(tmp_path / "out.json")])
    rows = results["fnc1_train_cv"]
    assert [r["stance of related pairs"] for r in rows] == ["rules", "model, disagree weight 1",
                                                           "model, disagree weight 4"]
    assert all(r["pairs"] == len(STANCES) and 0.0 <= r["relative FNC score"] <= 1.0 for r in rows)
    assert (tmp_path / "out.json").exists()
