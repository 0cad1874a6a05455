"""Smoke test of the runner-floor benchmark's stages, in process on a tiny corpus."""
import json

import pytest


@pytest.mark.parametrize("stage, expected", [("read", 2), ("split", 4), ("shuffle", 3)])
def test_each_stage_counts_what_it_should(load_benchmark, pipeline, tmp_path, stage, expected):
    corpus = tmp_path / "corpus.jsonl"
    texts = ["A fire destroyed a warehouse at the Port Calder docks. About 200 residents were evacuated.",
             "A fire destroyed a warehouse at the Port Calder docks. Crews from Eastbrook helped at the scene."]
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    out = tmp_path / "count.txt"
    with pipeline as p:
        load_benchmark("runner_floor").build_stage(p, stage, str(corpus), str(out))
    assert int(out.read_text()) == expected  # mentions, then distinct texts: the shared first sentence once
