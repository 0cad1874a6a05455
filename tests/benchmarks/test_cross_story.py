"""Smoke test of the cross-story benchmark on tiny FNC-format files written here."""
import json


BODIES = {
    1: "No one was injured in the warehouse fire at the Port Calder docks, officials said on Wednesday.",
    2: "Nobody was injured in the warehouse fire at the Port Calder docks, the fire chief said.",
    3: "Mila Reyes is leaving Hollow Pines to record a solo album in Lisbon, the magazine reported.",
    4: "Singer Mila Reyes is leaving Hollow Pines to record a solo album in Lisbon, a friend said.",
}
STANCES = [("Warehouse fire at Port Calder docks", 1, "discuss"), ("Warehouse fire at Port Calder docks", 2, "agree"),
           ("Reyes quits Hollow Pines", 3, "agree"), ("Reyes quits Hollow Pines", 4, "discuss"),
           ("Reyes quits Hollow Pines", 1, "unrelated")]


def test_cross_story_rate_on_two_clean_stories(run_benchmark, tiny_fnc, tmp_path):
    data = tiny_fnc(BODIES, STANCES)
    out = tmp_path / "results.json"
    run_benchmark("cross_story", [str(data), "--json", str(out)])
    summary = json.loads(out.read_text())["summary"][0]
    assert summary["stories"] == 2 and summary["same-story body pairs"] == 2
    assert summary["multi-article clusters"] == 2 and summary["cross-story clusters"] == 0
    assert summary["share of same-story pairs sharing a cluster"] == 1.0
