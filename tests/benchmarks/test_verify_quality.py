"""Smoke test of the verify-mode benchmark on tiny FNC-1 and Emergent files written here."""
import csv
import json

import pandas as pd
import pytest

BODIES = {
    1: "Mila Reyes is leaving Hollow Pines to record a solo album in Lisbon.",
    2: "Reyes denied that she is leaving Hollow Pines to record a solo album in Lisbon.",
    3: "A fire destroyed a warehouse at the Port Calder docks on Tuesday night.",
    4: "The Port Calder warehouse fire was reportedly started by faulty wiring, investigators said.",
}
HEAD_REYES, HEAD_FIRE = "Mila Reyes leaving Hollow Pines for solo album in Lisbon", "Fire destroys Port Calder warehouse"
STANCES = [(HEAD_REYES, 1, "agree"), (HEAD_REYES, 2, "disagree"), (HEAD_REYES, 3, "unrelated"),
           (HEAD_FIRE, 3, "agree"), (HEAD_FIRE, 4, "discuss"), (HEAD_FIRE, 1, "unrelated")]


def test_scores_follow_the_official_definitions(load_benchmark):
    module = load_benchmark("verify_quality")
    gold = pd.Series(["agree", "disagree", "discuss", "unrelated"])
    assert module.fnc_scores(gold, gold)["relative FNC score"] == 1.0
    wrong_stance = module.fnc_scores(gold, pd.Series(["discuss", "discuss", "discuss", "unrelated"]))
    assert wrong_stance["relative FNC score"] == pytest.approx((3 * 0.25 + 0.75 + 0.25) / (3 + 0.25))
    assert wrong_stance["related F1"] == 1.0 and wrong_stance["discuss recall"] == 1.0
    assert module.auroc([0.9, 0.8], [0.1, 0.8]) == pytest.approx(0.875)


def test_fnc_and_emergent_end_to_end_on_tiny_files(run_benchmark, tiny_fnc, tmp_path):
    data = tiny_fnc(BODIES, STANCES)
    (data / "emergent").mkdir()
    with open(data / "emergent" / "edata_all.csv", "w", newline="") as f:
        rows = [["claimHeadline", "articleHeadline", "articleHeadlineStance", "claimId", "claimTruth"],
                ["Mila Reyes is leaving Hollow Pines", HEAD_REYES, "for", "c-reyes", "false"],
                ["A fire destroyed a warehouse at the Port Calder docks", HEAD_FIRE, "for", "c-fire", "true"]]
        csv.writer(f).writerows(rows)
    out = tmp_path / "results.json"
    results = run_benchmark("verify_quality", [str(data), "--stance", "rules", "--json", str(out)])
    fnc = results["fnc1_train"][0]
    assert fnc["pairs"] == len(STANCES) and fnc["targets"] == 2
    assert fnc["related F1"] == 1.0 and fnc["unrelated recall"] == 1.0
    assert fnc["disagree recall"] == 1.0  # the denial
    emergent = results["emergent"][0]
    assert (emergent["claims"], emergent["true"], emergent["false"]) == (2, 1, 1)
    assert emergent["verdict score AUROC (true vs false)"] == 1.0  # supported fire above the denied rumour
    assert json.loads(out.read_text())["fnc1_train"][0]["pairs"] == len(STANCES)


def test_cross_validation_runs_each_fold_with_its_own_model(load_benchmark, tmp_path):
    module = load_benchmark("verify_quality")
    models = (tmp_path / "m0.json", tmp_path / "m1.json")
    setup = module.StanceSetup("model", {"h:A": 0, "h:B": 1, "h:C": 0}, models)
    targets = [{"id": "t1", "text": "A"}, {"id": "t2", "text": "B"}, {"id": "t3", "text": "C"}]
    runs = setup.runs(targets, lambda t: f"h:{t['text']}")
    assert runs == [([targets[0], targets[2]], ("--stance-model", str(models[0]))),
                    ([targets[1]], ("--stance-model", str(models[1])))]
    assert module.StanceSetup("rules").runs(targets, None) == [(targets, ("--stance", "rules"))]
    assert setup.runs(targets[:1], lambda t: f"h:{t['text']}") == [(targets[:1], ("--stance-model", str(models[0])))]
    with pytest.raises(ValueError, match="belong to no story fold, such as 'h:D'"):
        setup.runs([{"id": "t4", "text": "D"}], lambda t: f"h:{t['text']}")
    assert "in-sample" in module.StanceSetup().label() and "out-of-story" in setup.label()


def test_cross_validated_fnc_end_to_end_on_tiny_files(run_benchmark, three_stories, three_stories_pairs):
    pytest.importorskip("sklearn", reason="cross-validation trains models: scikit-learn (the bench extra)")
    results = run_benchmark("verify_quality", [str(three_stories), "--only", "fnc", "--cross-validate", "2"])
    fnc = results["fnc1_train"][0]
    assert fnc["stance"] == "model, 2 story folds (out-of-story)" and fnc["runs"] == 2
    assert fnc["pairs"] == len(three_stories_pairs) and fnc["related F1"] == 1.0
