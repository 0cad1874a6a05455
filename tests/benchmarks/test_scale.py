"""Smoke tests of the scale corpus generator and the end-to-end scale benchmark, on tiny FNC-format files."""
import json
from collections import Counter

BODIES = {
    1: ("PORT CALDER - A fire tore through a storage warehouse at the docks overnight, the fire chief said. "
        "About 40 firefighters battled the blaze through the night. No one was injured, officials said.\n\n"
        "Investigators have not said what caused the fire. The owner said he was cooperating with them."),
    2: ("A warehouse at the Port Calder docks burned overnight. More than 60 firefighters battled the blaze, "
        "the fire department said. Nobody was hurt.\n\nThe cause of the fire remains unknown, police said."),
    3: ("Singer Mila Reyes is leaving Hollow Pines to record a solo album in Lisbon, the magazine reported. "
        "Her label declined to comment on Monday.\n\nThe band said in a statement that it wished her well."),
    4: ("Mila Reyes will leave Hollow Pines after the summer tour, a friend of the singer told the website. "
        "She has been recording in Lisbon since March, the friend said."),
}
STANCES = [("Warehouse fire at Port Calder docks", 1, "discuss"), ("Warehouse fire at Port Calder docks", 2, "agree"),
           ("Reyes quits Hollow Pines", 3, "agree"), ("Reyes quits Hollow Pines", 4, "discuss")]


def test_generator_is_deterministic_and_derives_every_kind(load_benchmark, tiny_fnc, tmp_path):
    data = tiny_fnc(BODIES, STANCES)
    corpus = load_benchmark("scale_corpus")
    first, again = (corpus.write_corpus(data, 200, tmp_path / name) for name in ("a.jsonl", "b.jsonl"))
    assert first.read_bytes() == again.read_bytes()
    records = [json.loads(line) for line in first.read_text().splitlines()]
    assert len(records) == 200 and len({r["id"] for r in records}) == 200
    kinds = Counter(r["derivation"] for r in records)
    assert set(kinds) == {"original", "verbatim", "edited", "excerpt", "reordered", "rewrite"}
    originals = {r["id"]: r for r in records if r["derivation"] == "original"}
    assert len(originals) == 4
    for r in records:
        source = originals[r["derived_from"]]
        assert r["published"] >= source["published"]
        if r["derivation"] == "verbatim":
            assert r["text"] == source["text"] and r["source"] != "" and r["url"].startswith("https://")
        if r["derivation"] == "excerpt":
            assert r["text"][:40] in source["text"]  # the opening sentences (a dateline may be cut)


def test_scale_benchmark_runs_tiers_and_measures_recall(run_benchmark, tiny_fnc, tmp_path, capsys):
    data = tiny_fnc(BODIES, STANCES)
    out = tmp_path / "results.json"
    run_benchmark("scale", [str(data), "--tiers", "8", "20", "--work", str(tmp_path / "work"), "--json", str(out)])
    results = json.loads(out.read_text())
    tiers = results["tiers"]
    assert [t["articles"] for t in tiers] == [8, 20]
    for tier in tiers:
        assert tier["mentions"] > 0 and tier["articles per second"] > 0 and tier["peak memory GiB"] > 0
        assert tier["candidate pairs"] >= 0
    recall = results["blocking recall"][0]
    assert recall["brute-force same-claim pairs"] > 0  # the two fire bodies and their copies share claims
    assert recall["blocking recall"] == 1.0 and recall["pipeline pairs not in brute force"] == 0
    assert recall["identical-text pairs"] > 0  # the tier holds verbatim copies
    assert {row["rapidfuzz cdist token_set_ratio >="] for row in results["field comparison"]} == {90, 80}
    assert "Against rapidfuzz process.cdist" in capsys.readouterr().out


def test_a_run_over_its_memory_limit_is_stopped_and_reported(run_benchmark, tiny_fnc, tmp_path):
    data = tiny_fnc(BODIES, STANCES)
    out = tmp_path / "results.json"
    run_benchmark("scale", [str(data), "--tiers", "8", "--work", str(tmp_path / "work"), "--memory-limit-gib", "0.01",
                            "--json", str(out)])
    (tier,) = json.loads(out.read_text())["tiers"]
    assert tier["runs"] == 0 and tier["stopped"].startswith("stopped over 0.0 GiB")
