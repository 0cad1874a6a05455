"""Smoke test of the matching benchmark on tiny files in the MRPC and STS formats, written here."""
import json

import pytest


MRPC_PAIRS = [
    (1, "The fire destroyed the warehouse on Tuesday night.", "A fire destroyed the warehouse late on Tuesday."),
    (1, "About 200 residents were evacuated from nearby homes.", "Some 200 residents were evacuated from homes nearby."),
    (0, "The band cancelled its autumn tour.", "The council approved a new tram line."),
    (0, "Sixty firefighters fought the blaze.", "Forty firefighters fought the blaze."),
]
STS_ROWS = [
    ("main-news", "headlines", "2015", "0001", "5.0", "Fire destroys harbor warehouse", "Harbor warehouse destroyed by fire"),
    ("main-news", "headlines", "2015", "0002", "3.2", "Fire destroys harbor warehouse", "Warehouse fire forces evacuation"),
    ("main-news", "headlines", "2015", "0003", "0.4", "Fire destroys harbor warehouse", "Singer denies leaving band"),
    ("main-captions", "MSRvid", "2012", "0004", "4.0", "A dog runs on grass.", "A dog is running on the grass."),
]


@pytest.fixture
def data_dir(tmp_path):
    (tmp_path / "mrpc").mkdir()
    lines = ["Quality\t#1 ID\t#2 ID\t#1 String\t#2 String"] + [
        f"{label}\t{i}\t{i + 100}\t{a}\t{b}" for i, (label, a, b) in enumerate(MRPC_PAIRS)]
    (tmp_path / "mrpc" / "msr_paraphrase_train.txt").write_text("\ufeff" + "\r\n".join(lines) + "\r\n")
    (tmp_path / "sts-benchmark").mkdir()
    for split in ("train", "dev"):
        (tmp_path / "sts-benchmark" / f"sts-{split}.csv").write_text("\n".join("\t".join(r) for r in STS_ROWS) + "\n")
    return tmp_path


def test_match_quality_reports_every_row_and_writes_json(run_benchmark, data_dir, tmp_path, capsys):
    out = tmp_path / "results.json"
    run_benchmark("match_quality", [str(data_dir), "--json", str(out)])
    printed = capsys.readouterr().out
    assert "MRPC train" in printed and "STS Benchmark main-news" in printed
    results = json.loads(out.read_text())
    methods = [row["method"] for row in results["mrpc_train"]]
    assert methods[0] == "claimbeam same_claim (defaults)" and "majority class" in methods
    decision = results["mrpc_train"][0]
    assert decision["pairs"] == 4 and decision["accuracy"] == 1.0  # two paraphrases, two different claims
    sts = {row["split"]: row for row in results["sts_main_news"]}
    assert sts["train main-news"]["pairs"] == 3  # the caption row is filtered out
    assert sts["train main-news"]["claimbeam spearman"] > 0.9
    assert results["machine"]["cpus"] >= 1
