"""Smoke test of the copy-detection benchmark on a tiny FNC-format file written here."""
import json


WIRE = ("A fire tore through a storage warehouse at the Port Calder docks overnight, sending thick smoke over the "
        "harbor and forcing nearby residents from their homes. The blaze was reported shortly before midnight at a "
        "two-story building used to store pallets, rope and marine paint. About two hundred residents were moved to "
        "a shelter at the community center on Harbor Street, and crews stayed on site until the morning.")
OTHER = ("Hollow Pines singer Mila Reyes spent the weekend in Lisbon recording new songs with a producer she met on "
         "tour last spring, and her label declined to discuss any release dates or changes to the line-up.")


def test_copy_detection_finds_the_copy_and_nothing_else(run_benchmark, tiny_fnc, tmp_path, capsys):
    data = tiny_fnc({1: WIRE, 2: WIRE + " Police closed the coast road.", 3: OTHER}, [])
    out = tmp_path / "results.json"
    run_benchmark("copy_detection", [str(data), "--json", str(out)])
    summary = json.loads(out.read_text())["summary"][0]
    assert summary["articles"] == 3 and summary["pairs with jaccard >= 0.8"] == 1
    assert summary["recall at jaccard >= 0.8"] == 1.0 and summary["links written"] == 1
    assert summary["linked with containment < 0.3"] == 0
    field = {row["system"]: row for row in json.loads(out.read_text())["field comparison"]}
    assert [row["pairs with jaccard >= 0.5 found"] for row in field.values()] == [1, 1]
    assert all(row["found by both"] == 1 for row in field.values())
    printed = capsys.readouterr().out
    assert "How pairs are labelled" in printed and "Against datasketch MinHashLSH" in printed


def test_identical_articles_imply_their_pairs(run_benchmark, tiny_fnc, tmp_path):
    data = tiny_fnc({1: WIRE, 2: WIRE, 3: WIRE, 4: OTHER}, [])
    out = tmp_path / "results.json"
    run_benchmark("copy_detection", [str(data), "--json", str(out), "--skip-datasketch"])
    summary = json.loads(out.read_text())["summary"][0]
    assert summary["pairs with jaccard >= 0.8"] == 3 and summary["links written"] == 2  # a star: 1-2, 1-3
    assert summary["recall at jaccard >= 0.8"] == 1.0  # 2-3 follows from both being identical to 1
