"""Dirty input, failing steps and hostile ids, end to end through the CLI: every record and every sentence is
accounted for in manifest.json, one failing record never stops the run, a failed run never looks complete, and
nothing is written outside the output directory."""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import apache_beam as beam
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claims.analysis import IncompleteOutput, load
from claims.faults import FAULTS_ENV
from claims.mentions import SplitParams, split_article
from pipelines import pipeline as pipeline_module
from pipelines.cli import run, sample_targets_path
from schemas import TABLES

STORY = ("PORT CALDER \u2014 A fire destroyed a storage warehouse at the Port Calder docks on Tuesday night. "
         "About 40 firefighters battled the blaze, officials said. \"We were lucky,\" fire chief Dana Ruiz said. "
         "Was it arson? Check out the video below. All rights reserved. He left.")
HOSTILE = {
    "quotes": '"' * 5000 + " The mayor said the bridge will reopen in May.",
    "html": "<p>The <b>council</b> approved the budget on Monday.</p><script>alert(1)</script>\n" * 20,
    "controls": "Crews\x00 cleared\x07 the\x1f road\u202e by\u0301 noon \U0001f600 on Friday.\n" * 10,
    "run-on": "the river rose " * 200,  # one 3,000-character sentence with no stop: over --max-sentence-chars
    "many claims": " ".join(f"Crew {i} reached the pier at {i} a.m. on Friday." for i in range(1, 9)),
}


def _mixed_corpus(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Good and bad records in every supported format; returns {file: (read, accepted, rejected)} expected."""
    folder.mkdir()
    good = [{"id": f"j{i}", "text": STORY.replace("Tuesday", day), "source": source}
            for i, (day, source) in enumerate([("Tuesday", "Harbor Times"), ("Monday", "Metro Wire")], 1)]
    hostile = [{"id": f"h-{name}", "text": text, "source": "Valley Post"} for name, text in HOSTILE.items()]
    lines = [json.dumps(r).encode() for r in good + hostile] + [
        b"{oops", b'["a list"]', json.dumps({"id": "e1", "text": "   "}).encode(), b'{"id": "u1", "text": "caf\xe9"}',
        json.dumps({"id": "big", "text": "word " * 2000}).encode(), json.dumps({**good[0], "text": "again"}).encode(),
        b"[" * 5000]
    (folder / "feed.jsonl").write_bytes(b"\n".join(lines) + b"\n\n")
    cut = [json.dumps({"id": f"k{i}", "text": STORY, "source": "Daily Ledger"}).encode() for i in (1, 2)]
    (folder / "cut.jsonl.gz").write_bytes(gzip.compress(b"\n".join(cut) + b"\n")[:-8])  # no end-of-stream trailer
    (folder / "wire.csv").write_text(
        "id,text,source\n"
        f'c1,"{STORY.replace(chr(34), 2 * chr(34))}",Daily Ledger\n'
        "c2,too,many,fields\n"
        'c3,"",Daily Ledger\n'
        'c4,"an ""unterminated quote,x\n')
    pq.write_table(pa.table({"id": ["p1", "p2", None], "text": [STORY, None, "Nobody was hurt in the fire, police said."],
                             "source": ["Celeb Buzz", "Celeb Buzz", None]}), folder / "extra.parquet")
    (folder / "story.txt").write_text("Fire at the docks\n\n" + STORY + "\n")
    (folder / "latin1.txt").write_bytes("Caf\xe9 fire".encode("latin-1"))
    # lines: 7 good or hostile + 7 bad, the 14th "[[[..." being too deep a nesting (a reject, not a crash)
    return {"feed.jsonl": (14, 7, 7), "cut.jsonl.gz": (3, 2, 1), "wire.csv": (4, 1, 3), "extra.parquet": (3, 2, 1),
            "story.txt": (1, 1, 0), "latin1.txt": (1, 0, 1)}


def test_every_record_and_sentence_in_a_mixed_corpus_is_accounted_for(tmp_path):
    expected = _mixed_corpus(tmp_path / "in")
    out = tmp_path / "out"
    assert run(["run", "--input", str(tmp_path / "in"), "--output", str(out), "--quiet", "--workers", "1",
                "--max-article-chars", "8000", "--max-mentions-per-article", "5", "--max-sentence-chars", "2000"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] and manifest["balanced"]
    per_file = {Path(i["path"]).name: (i["records_read"], i["accepted"], i["rejected"]) for i in manifest["inputs"]}
    assert per_file == expected
    assert all(i["records_read"] == i["accepted"] + i["rejected"] for i in manifest["inputs"])
    totals = manifest["totals"]
    assert totals == {"records_read": 26, "accepted": 13, "rejected": 13}

    claims = manifest["claims"]
    written = pd.read_parquet(out / "claims")
    assert claims["written"] == len(written) == pd.read_parquet(out / "articles").n_claims.sum()
    assert claims["sentences"] == claims["written"] + sum(claims["filtered"].values())
    assert claims["articles_split"] == totals["accepted"] and claims["articles_failed"] == 0
    for reason in ("question", "call to action", "boilerplate", "too short", "too long", "over the mentions limit"):
        assert claims["filtered"].get(reason, 0) > 0, reason
    limits = manifest["limits"]
    assert limits["max_article_chars"] == {"limit": 8000, "articles_rejected": 1}
    # what the limit cut, against the claims each accepted article holds without it
    texts = [t for t in HOSTILE.values() if len(t) <= 8000]  # the only articles with more than five claims
    over = sum(max(0, len(split_article("a", t, params=SplitParams(max_sentence_chars=2000)).mentions) - 5)
               for t in texts)
    assert over >= 3 and limits["max_mentions_per_article"] == {"limit": 5, "sentences_dropped": over}
    # the run-on sentence, and the 5,000 quotation marks that never close
    assert limits["max_sentence_chars"] == {"limit": 2000, "sentences_dropped": 2}
    assert written.groupby("article_id").size().max() == 5

    rejects = pd.read_parquet(out / "rejects")
    assert (rejects.stage == "read").all() and len(rejects) == totals["rejected"]
    reasons = {(Path(r.input).name, r.record_number): r.reason for r in rejects.itertuples()}
    assert reasons[("feed.jsonl", 14)].startswith("malformed JSON: RecursionError")
    assert reasons[("cut.jsonl.gz", 3)].startswith("cannot read the rest of the file after record 2")
    assert reasons[("latin1.txt", 1)].startswith("bytes that are not valid UTF-8")


@pytest.fixture
def faults(monkeypatch):
    """Makes the named steps fail (CLAIMBEAM_TEST_FAULTS, inherited by worker processes)."""
    return lambda value: monkeypatch.setenv(FAULTS_ENV, value)


def test_a_failing_step_costs_only_its_record_on_two_workers(tmp_path, faults, n_sample_articles):
    faults("split:ledger-fire-1,score:*,stance:metro-fire-1,verdict:fire-arson")
    out = tmp_path / "out"
    assert run(["run", "--output", str(out), "--claims", sample_targets_path(), "--quiet", "--workers", "2"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["balanced"] and manifest["totals"]["rejected"] == 0
    result = load(out)
    failed = result.rejects[result.rejects.stage != "read"]
    assert manifest["failures"] == failed.stage.astype(str).value_counts().sort_index().to_dict()
    split = failed[failed.stage == "split"].iloc[0]
    assert split.reason.startswith("split failed (InjectedFault)") and split.record_number is not None
    assert json.loads(split.record)["id"] == "ledger-fire-1"
    articles = result.articles.set_index("article_id")
    assert articles.loc["ledger-fire-1", "n_claims"] == 0 and len(articles) == n_sample_articles  # the article is kept
    assert "ledger-fire-1" not in set(result.claims.article_id) and len(result.claims) > 100
    assert (result.clusters.status == "unscored").all() and result.clusters.score.isna().all()
    assert manifest["failures"]["score"] == len(result.clusters)
    assert set(result.claims.cluster_id) == set(result.clusters.cluster_id)  # still joinable
    stance = failed[failed.stage == "stance"].iloc[0]
    assert stance.reason.endswith("[metro-fire-1]") and stance.record_number is not None and stance.input
    assert "metro-fire-1" not in set(result.evidence.article_id) and len(result.evidence) > 10
    verdicts = result.verdicts.set_index("target_id")
    assert verdicts.loc["fire-arson", "status"] == "unscored" and pd.isna(verdicts.loc["fire-arson", "score"])
    assert len(verdicts) == 5 and (verdicts.drop("fire-arson").status != "unscored").all()


def test_failing_copy_and_match_features_leave_articles_and_claims_unlinked(tmp_path, faults):
    faults("copies:*,match:*")
    out = tmp_path / "out"
    assert run(["run", "--output", str(out), "--quiet", "--workers", "1"]) == 0
    result = load(out)
    assert result.manifest["balanced"]
    counts = result.manifest["failures"]
    assert counts["copies"] == len(result.articles) - len(result.article_links)  # identical copies are not shingled
    assert counts["match"] == len(result.claims) - len(result.matches)  # one per distinct text; the rest identical
    assert set(result.matches.method) == {"identical-text"}
    assert result.articles.copy_group.nunique() == len(result.articles) - len(result.article_links)


def test_a_malformed_fault_hook_stops_the_run_before_it_starts(tmp_path, faults, capsys):
    faults("verify:a1")
    assert run(["run", "--output", str(tmp_path / "out"), "--quiet", "--workers", "1"]) == 2
    assert "CLAIMBEAM_TEST_FAULTS: expected stage:key" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def _explode(_):
    raise RuntimeError("the disk went away")


def test_a_failed_run_is_marked_incomplete_and_a_rerun_replaces_it(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    real_build = pipeline_module.build

    def build_then_fail(p, config):
        tables = real_build(p, config)
        p | "Fail the run" >> beam.Create([0]) | "Explode" >> beam.Map(_explode)
        return tables

    monkeypatch.setattr(pipeline_module, "build", build_then_fail)
    assert run(["run", "--output", str(out), "--quiet", "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "claimbeam: error: the run failed" in err and "the disk went away" in err and "incomplete" in err
    assert json.loads((out / "manifest.json").read_text())["complete"] is False
    with pytest.raises(IncompleteOutput, match="unfinished claimbeam run"):
        load(out)
    assert run(["report", str(out)]) == 2
    monkeypatch.setattr(pipeline_module, "build", real_build)
    assert run(["run", "--output", str(out), "--quiet", "--workers", "1"]) == 2  # not without --overwrite
    assert run(["run", "--output", str(out), "--quiet", "--workers", "1", "--overwrite"]) == 0
    assert load(out).manifest["complete"] is True


HOSTILE_IDS = ["../../escaped", "/tmp/absolute", "..\\..\\windows", "a/../../b", "%2e%2e%2fpct", "nul\u0000byte",
               "..", "manifest.json", "claims", "<script>alert('id')</script>"]


def test_ids_sources_and_text_cannot_escape_the_output_or_the_report(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    records = [{"id": article_id, "source": f"../../{i}/outlet", "url": f"file:///etc/{i}",
                "title": "<img src=x onerror=alert(1)>", "text": f"<script>alert({i})</script> " + STORY}
               for i, article_id in enumerate(HOSTILE_IDS)]
    (inputs / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    before = {p for p in tmp_path.rglob("*")}
    out = tmp_path / "deep" / "out"
    assert run(["run", "--input", str(inputs), "--output", str(out), "--quiet", "--workers", "1"]) == 0
    assert run(["report", str(out)]) == 0
    created = {p for p in tmp_path.rglob("*")} - before
    assert all(p == out.parent or out in p.parents or p == out for p in created)
    assert {p.name for p in out.iterdir()} == {*(t for t in TABLES if t not in ("evidence", "verdicts")),
                                               "manifest.json", "report.html"}
    assert all(p.suffix == ".parquet" and p.parent.parent == out for p in out.rglob("*") if p.is_file()
               and p.name not in ("manifest.json", "report.html"))
    assert sorted(pd.read_parquet(out / "articles").article_id) == sorted(HOSTILE_IDS)
    page = (out / "report.html").read_text()
    assert "<script" not in page and "<img" not in page and "\x00" not in page
    assert "&lt;script&gt;alert(0)&lt;/script&gt;" in page  # the article's own text, not only the hostile id
