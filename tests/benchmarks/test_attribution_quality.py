"""The attribution benchmark and its trainer on two tiny fictional articles in PolNeAR's layout, written here."""
import json

import pandas as pd
import pytest

ARTICLES = {
    "wire_2026-03-08_landslide": (
        "Landslide closes line\n\n"
        "All trains were suspended after a landslide, the railway said. "
        "The slope had been flagged as unstable in 2024. "
        "Councillor Ben Hale said the closure would hurt shops in Corran."),
    "post_2026-03-09_union": (
        "Union wants pay\n\n"
        "The drivers' union wants the railway to pay its staff. "
        "He said the talks would resume on Monday. "
        "Engineers checked the slope on Sunday."),
}
# (label, covered text, a unique context holding it) per article; every three spans are one event
ANNOTATIONS = {
    "wire_2026-03-08_landslide": [
        ("Content", "All trains were suspended after a landslide", "All trains"), ("Source", "the railway", "the railway"),
        ("Cue", "said", "railway said"), ("Source", "Councillor Ben Hale", "Councillor"), ("Cue", "said", "Hale said"),
        ("Content", "the closure would hurt shops in Corran", "the closure")],
    "post_2026-03-09_union": [
        ("Source", "The drivers' union", "The drivers"), ("Cue", "wants", "wants"),
        ("Content", "the railway to pay its staff", "the railway to"), ("Source", "He", "He said"),
        ("Cue", "said", "He said"), ("Content", "the talks would resume on Monday", "the talks")],
}


def _write_split(root, split, copies=1):
    (root / "polnear" / split / "text").mkdir(parents=True)
    (root / "polnear" / split / "attributions").mkdir(parents=True)
    for stem, text in ((f"{stem}{n or ''}", text) for n in range(copies) for stem, text in ARTICLES.items()):
        (root / "polnear" / split / "text" / f"{stem}.txt").write_text(text)
        lines, ids = [], []
        for n, (label, covered, context) in enumerate(ANNOTATIONS[stem.rstrip("0123456789")], start=1):
            start = text.index(context) + context.index(covered) if covered in context else text.index(covered)
            lines.append(f"T{n}\t{label} {start} {start + len(covered)}\t{covered}")
            ids.append((label, f"T{n}"))
        for e, k in enumerate(range(0, len(ids), 3), start=1):
            lines.append(f"E{e}\tAttribution:{ids[k][1]} " + " ".join(f"{label}:{t}" for label, t in ids[k:k + 3]))
        (root / "polnear" / split / "attributions" / f"{stem}_ab12.ann").write_text("\n".join(lines) + "\n")


@pytest.fixture
def data_dir(tmp_path):
    _write_split(tmp_path, "train", copies=4)  # enough cues for the trainer's minimum counts
    _write_split(tmp_path, "dev")
    return tmp_path


def test_reads_events_and_contents(load_benchmark, data_dir):
    bench = load_benchmark("attribution_quality")
    articles = bench.read_split(data_dir / "polnear" / "dev")
    assert [a.article_id for a in articles] == sorted(ARTICLES)
    landslide = next(a for a in articles if a.article_id.startswith("wire"))
    assert [landslide.text[s:e] for c in landslide.contents for s, e in c.pieces] == [
        "All trains were suspended after a landslide", "the closure would hurt shops in Corran"]
    assert [c.sources for c in landslide.contents] == [("the railway",), ("Councillor Ben Hale",)]


@pytest.mark.parametrize("speaker, written, correct", [
    pytest.param("Northline Rail", "the railway", True, id="judged by the source as written"),
    pytest.param("Ben Hale", "the shops", False, id="a wrong surface form is wrong"),
])
def test_judge_counts_detection_and_sources(load_benchmark, data_dir, speaker, written, correct):
    bench = load_benchmark("attribution_quality")
    articles = bench.read_split(data_dir / "polnear" / "dev")
    article = next(a for a in articles if a.article_id.startswith("wire"))
    text = article.text
    sentence = "All trains were suspended after a landslide, the railway said."
    start = text.index(sentence)
    plain = "The slope had been flagged as unstable in 2024."
    mentions = pd.DataFrame([
        {"article_id": article.article_id, "char_start": start, "char_end": start + len(sentence),
         "speaker": speaker, "speaker_as_written": written, "attributed_to": speaker},
        {"article_id": article.article_id, "char_start": text.index(plain),
         "char_end": text.index(plain) + len(plain), "speaker": "Engineers", "speaker_as_written": "Engineers",
         "attributed_to": "Engineers"},
    ])
    result = bench.judge(mentions, articles)
    assert result["counts"]["gold"] == 1 and result["counts"]["predicted"] == 2
    assert result["detection"]["precision"] == 0.5 and result["detection"]["recall"] == 1.0
    assert result["counts"]["correct"] == int(correct)


def test_a_pronoun_gold_source_is_not_judged(load_benchmark, data_dir):
    bench = load_benchmark("attribution_quality")
    articles = bench.read_split(data_dir / "polnear" / "dev")
    union = next(a for a in articles if a.article_id.startswith("post"))
    sentence = "He said the talks would resume on Monday."
    start = union.text.index(sentence)
    mentions = pd.DataFrame([{"article_id": union.article_id, "char_start": start, "char_end": start + len(sentence),
                              "speaker": "Somebody", "speaker_as_written": "Somebody", "attributed_to": None}])
    counts = bench.judge(mentions, articles)["counts"]
    assert counts["detected"] == 1 and counts["judged_gold"] == 0 and counts["judged_predicted"] == 0


def test_benchmark_runs_the_cli_and_writes_json(run_benchmark, data_dir, tmp_path):
    out = tmp_path / "attribution.json"
    results = run_benchmark("attribution_quality", [str(data_dir), "--split", "dev", "--json", str(out)])
    assert json.loads(out.read_text())["counts"] == results["counts"]
    assert results["counts"]["gold"] == 4 and results["counts"]["detected"] >= 2
    assert results["cost"][0]["articles"] == 2 and results["cost"][0]["ms per article"] > 0


def test_trainer_writes_a_model_that_claims_reads(run_benchmark, data_dir, tmp_path):
    pytest.importorskip("sklearn")
    from claims.attribution import parse_attribution_model

    path = tmp_path / "attribution.json"
    run_benchmark("train_attribution_model", [str(data_dir), "--output", str(path), "--folds", "2"])
    model = parse_attribution_model(path.read_bytes())
    assert "said" in model.cues and "8 articles" in model.trained_on
    assert model.head.weights and 0 < model.cue_threshold < 1 and 0 < model.pair_threshold < 1
