"""End to end through the CLI: files in, Parquet tables and manifest.json out, read back with pandas."""
import contextlib
import gzip
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claims.matching import MatchParams
from claims.stance_model import load_stance_model
from claims.verify import STANCES
from pipelines.cli import beam_options, default_workers, run, runner_kind, sample_corpus_path, sample_targets_path
from schemas import TABLES


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_loads_with_pandas_and_matches_its_schema(sample_output, table):
    frame = pd.read_parquet(sample_output / table)
    assert list(frame.columns) == TABLES[table].column_names
    files = sorted((sample_output / table).glob("*.parquet"))
    assert files and all(pq.read_schema(f).remove_metadata().equals(TABLES[table].schema) for f in files)


def test_sample_run_tables_are_linked_and_offsets_are_exact(sample_output):
    corpus = {a["id"]: a for a in map(json.loads, Path(sample_corpus_path()).read_text().splitlines())}
    articles = pd.read_parquet(sample_output / "articles")
    claims = pd.read_parquet(sample_output / "claims")
    clusters = pd.read_parquet(sample_output / "clusters")
    matches = pd.read_parquet(sample_output / "matches")
    links = pd.read_parquet(sample_output / "article_links")
    assert sorted(articles.article_id) == sorted(corpus)
    assert str(articles.published_at.dtype) == "datetime64[us, UTC]"
    for row in claims.itertuples():
        assert corpus[row.article_id]["text"][row.char_start:row.char_end] == row.text
    assert set(claims.cluster_id) == set(clusters.cluster_id)
    assert set(matches.claim_id_a) | set(matches.claim_id_b) <= set(claims.claim_id)
    assert set(links.article_id_a) | set(links.article_id_b) <= set(articles.article_id)
    assert articles.set_index("article_id").n_claims.to_dict() == claims.groupby("article_id").size().to_dict()
    assert clusters.n_mentions.sum() == len(claims)
    assert clusters.score.between(0, 1).all() and matches.score.between(0, 1).all()
    assert (clusters.n_independent <= clusters.n_sources).all() and (clusters.n_sources <= clusters.n_articles).all()
    assert claims.claim_id.is_unique and clusters.cluster_id.is_unique


def test_manifest_balances_and_records_the_run(sample_output, n_sample_articles):
    manifest = json.loads((sample_output / "manifest.json").read_text())
    assert manifest["balanced"] is True
    n = n_sample_articles
    assert manifest["totals"] == {"records_read": n, "accepted": n, "rejected": 0}
    assert manifest["tables"]["claims"]["rows"] == len(pd.read_parquet(sample_output / "claims"))
    assert manifest["pipeline_options"]["runner"] == "FnApiRunner"
    assert manifest["versions"]["apache-beam"]
    assert manifest["parameters"]["match"]["threshold"] == MatchParams().threshold
    assert not (sample_output / "_run").exists()


def _write_inputs(folder: Path) -> None:
    folder.mkdir()
    good = {"id": "j1", "text": "A fire destroyed a warehouse at the Port Calder docks on Tuesday night.",
            "url": "https://www.harbortimes.example/fire", "published": "2026-03-04T10:00:00Z"}
    lines = [json.dumps(good).encode(), b"{oops", json.dumps({"id": "j2", "text": ""}).encode(),
             b'{"id": "j3", "text": "caf\xe9 fire"}', json.dumps({"id": "j4", "text": "x" * 500}).encode(),
             json.dumps({**good, "text": "The same id again, a second time."}).encode()]
    (folder / "feed.jsonl.gz").write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))
    (folder / "wire.csv").write_text('id,text,source\nc1,"Nobody was injured in the fire, officials said.",Metro Wire\n'
                                     'c2,"an ""unterminated quote,x\n')
    pq.write_table(pa.table({"id": ["p1"], "text": ["About 200 residents were evacuated from nearby homes."],
                             "source": ["Valley Post"]}), folder / "extra.parquet")
    (folder / "texts").mkdir()
    (folder / "texts" / "harbor-story.txt").write_text("Fire at the docks\n\nCrews fought the warehouse fire "
                                                       "for six hours before it was under control.\n")
    (folder / "notes.md").write_text("not an input")


def test_mixed_formats_rejects_and_balanced_counts(tmp_path, capsys):
    _write_inputs(tmp_path / "in")
    out = tmp_path / "out"
    assert run(["run", "--input", str(tmp_path / "in"), "--output", str(out), "--max-article-chars", "400",
                "--workers", "1"]) == 0
    articles = pd.read_parquet(out / "articles").set_index("article_id")
    assert sorted(articles.index) == ["c1", "harbor-story", "j1", "p1"]
    assert articles.loc["j1", "source"] == "harbortimes.example"  # derived from the URL
    assert articles.loc["harbor-story", "title"] == "Fire at the docks"
    rejects = pd.read_parquet(out / "rejects")
    reasons = {(Path(r.input).name, r.record_number): r.reason for r in rejects.itertuples()}
    assert reasons[("feed.jsonl.gz", 2)].startswith("malformed JSON")
    assert reasons[("feed.jsonl.gz", 3)].startswith("missing or empty text")
    assert reasons[("feed.jsonl.gz", 4)].startswith("bytes that are not valid UTF-8")
    assert "over the limit of 400" in reasons[("feed.jsonl.gz", 5)]
    assert reasons[("feed.jsonl.gz", 6)].startswith("duplicate id 'j1'")
    assert reasons[("wire.csv", 2)].startswith("CSV row cannot be parsed")
    manifest = json.loads((out / "manifest.json").read_text())
    per_file = {Path(i["path"]).name: (i["records_read"], i["accepted"], i["rejected"]) for i in manifest["inputs"]}
    assert per_file == {"feed.jsonl.gz": (6, 1, 5), "wire.csv": (2, 1, 1), "extra.parquet": (1, 1, 0),
                        "harbor-story.txt": (1, 1, 0)}
    assert manifest["balanced"]
    err = capsys.readouterr().err
    assert "skipped 1 files with unsupported extensions" in err


def test_verify_mode_finds_support_and_refutation_in_the_sample(sample_output):
    evidence = pd.read_parquet(sample_output / "evidence")
    verdicts = pd.read_parquet(sample_output / "verdicts").set_index("target_id")
    targets = [json.loads(line)["id"] for line in Path(sample_targets_path()).read_text().splitlines()]
    assert sorted(verdicts.index) == sorted(targets)  # every target has a verdict, addressed or not
    assert set(evidence.target_id) <= set(targets)
    articles = pd.read_parquet(sample_output / "articles")
    assert set(evidence.article_id) <= set(articles.article_id)
    claims = pd.read_parquet(sample_output / "claims").set_index("claim_id")
    linked = evidence.dropna(subset=["claim_id"])
    assert len(linked) > len(evidence) / 2
    assert (claims.loc[linked.claim_id, "article_id"].to_numpy() == linked.article_id.to_numpy()).all()
    counts = evidence.groupby("target_id").stance.value_counts().unstack(fill_value=0)
    for target, v in verdicts.iterrows():
        got = counts.loc[target] if target in counts.index else {}
        assert (v.n_support, v.n_refute, v.n_discuss) == tuple(int(got.get(s, 0)) for s in
                                                                ("support", "refute", "discuss"))
    quits = evidence[evidence.target_id == "reyes-quits"].set_index("article_id")
    assert quits.loc["northside-reyes-1", "stance"] == "refute"  # "Reyes denied that she is leaving"
    assert quits.loc["celeb-reyes-1", "stance"] == "support"
    assert verdicts.loc["reyes-quits", "status"] == "contested"
    assert verdicts.loc["unrelated-bridge", ["status", "n_articles", "score"]].tolist() == ["not_found", 0, 0.5]
    assert verdicts.score.between(0, 1).all()
    manifest = json.loads((sample_output / "manifest.json").read_text())
    assert manifest["tables"]["verdicts"]["rows"] == len(targets) == manifest["parameters"]["verify"]["n_targets"]
    # The shipped stance model read every pair, and the manifest names it
    probabilities = evidence[[f"{s}_probability" for s in STANCES]]
    assert probabilities.notna().all().all() and ((probabilities.sum(axis=1) - 1).abs() < 1e-3).all()
    model = manifest["parameters"]["verify"]["stance_model"]
    assert model["path"] == "shipped" and model["sha256"] == load_stance_model().sha256
    assert "FNC-1 train" in model["trained_on"]


def test_verify_summary_lists_the_targets(tmp_path, capsys):
    assert run(["run", "--output", str(tmp_path / "out"), "--claims", sample_targets_path(), "--stance", "rules",
                "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1] for line in printed.splitlines() if len(line.split()) == 2}
    assert rows["evidence"] == "28" and rows["verdicts"] == "5" and "Targets (5)" in printed
    target = next(line.split() for line in printed.splitlines() if "reyes-quits:" in line)
    # her denial, relayed by three outlets, is one origin: Mila Reyes
    assert target[:6] == ["0.50", "contested", "1", "1", "7", "reyes-quits:"]  # score, status, for, against, articles
    probabilities = pd.read_parquet(tmp_path / "out" / "evidence")[[f"{s}_probability" for s in STANCES]]
    assert probabilities.isna().all().all()  # the rules give none
    verify = json.loads((tmp_path / "out" / "manifest.json").read_text())["parameters"]["verify"]
    assert verify["stance"] == "rules" and "stance_model" not in verify


def test_without_targets_no_verify_tables_are_written(tmp_path):
    out = tmp_path / "out"
    assert run(["run", "--output", str(out), "--quiet", "--workers", "1"]) == 0
    assert not (out / "evidence").exists() and not (out / "verdicts").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert "evidence" not in manifest["tables"] and "verify" not in manifest["parameters"] and manifest["balanced"]


def test_field_mapping_for_csv_with_other_column_names(tmp_path):
    src = tmp_path / "export.csv"
    src.write_text("doc,body,headline,link,date\n"
                   'd1,"A fire destroyed a warehouse at the docks.",Fire,https://www.valleypost.example/a,2026-03-04\n')
    out = tmp_path / "out"
    assert run(["run", "--input", str(src), "--output", str(out), "--quiet", "--id-field", "doc", "--text-field",
                "body", "--title-field", "headline", "--url-field", "link", "--published-field", "date",
                "--workers", "1"]) == 0
    row = pd.read_parquet(out / "articles").iloc[0]
    assert (row.article_id, row.title, row.source, str(row.published_at)) == (
        "d1", "Fire", "valleypost.example", "2026-03-04 00:00:00+00:00")


@pytest.mark.parametrize("content, name, expected", [
    ("doc,body\nd1,A fire destroyed a warehouse.\nd2,The mayor said the bridge reopens in May.\n", "export.csv",
     "no record was accepted; 2 rejected: 2 missing or empty text (field 'text'). The records have no field 'text' "
     "but 'doc', 'body': name the one that holds the text with --text-field COLUMN"),
    ('{"id": "a", "text": " "}\n{not json\n', "feed.jsonl",
     "no record was accepted; 2 rejected: 1 missing or empty text (field 'text'); 1 malformed JSON"),
    ("", "empty.jsonl", "no record was accepted: the inputs hold no records"),
], ids=["text-under-another-name", "empty-text-and-bad-json", "no-records"])
def test_a_run_that_accepts_no_record_exits_1_with_one_line_of_reasons(tmp_path, capsys, content, name, expected):
    src = tmp_path / name
    src.write_text(content)
    assert run(["run", "--input", str(src), "--output", str(tmp_path / "out"), "--quiet", "--workers", "1"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == f"claimbeam: error: {expected}"


def test_summary_names_corroborated_and_contested_claims(tmp_path, capsys, n_sample_articles):
    assert run(["run", "--output", str(tmp_path / "out"), "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1] for line in printed.splitlines() if len(line.split()) == 2}
    n = n_sample_articles
    assert rows["articles"] == str(n) and rows["rejects"] == "0"
    for expected in (f"records read {n} = accepted {n} + rejected 0", "Most corroborated claims", "Contested claims",
                     "No one was injured in the fire.", f"claimbeam report {tmp_path / 'out'}"):
        assert expected in printed
    best = printed.split("Most corroborated claims")[1].split("Contested claims")[0]
    assert " rumour " not in best and " single_source " not in best  # two independent origins at least


def test_summary_says_when_no_claim_has_two_independent_origins(tmp_path, capsys):
    text = "Twelve cars of a freight train derailed near Calder on Sunday. No one was hurt, the railway said."
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps({"id": i, "text": text, "source": outlet}) for i, outlet in
                             (("w1", "WireNet"), ("m1", "Metro Daily"))))
    assert run(["run", "--input", str(src), "--output", str(tmp_path / "out"), "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    assert "Most corroborated claims" not in printed
    assert "No claim has 2 independent origins in this output" in printed


def test_summary_accounts_for_sentences_and_names_the_limits_hit(tmp_path, capsys):
    assert run(["run", "--output", str(tmp_path / "out"), "--workers", "1", "--max-mentions-per-article", "3"]) == 0
    printed = capsys.readouterr().out
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    claims, dropped = manifest["claims"], manifest["limits"]["max_mentions_per_article"]["sentences_dropped"]
    assert dropped > 0 and claims["filtered"]["over the mentions limit"] == dropped
    assert (f"sentences {claims['sentences']:,} = claims {claims['written']:,} + not claims "
            f"{sum(claims['filtered'].values()):,} ({dropped} over the mentions limit,") in printed
    assert f"limits hit: max_mentions_per_article 3 ({dropped} sentences dropped)" in printed


def test_progress_shows_each_stage_with_its_final_count(tmp_path, capfd, stage_finals):
    assert run(["run", "--output", str(tmp_path / "out"), "--workers", "1", "--claims", sample_targets_path()]) == 0
    err = capfd.readouterr().err
    finals = {}
    for line in err.splitlines():
        stage, count = line.split("] ")[1].split()[:2]
        finals[stage] = int(count.replace(",", ""))
    assert finals == stage_finals(tmp_path / "out")


def test_quiet_prints_neither_progress_nor_summary(tmp_path, capfd):
    assert run(["run", "--output", str(tmp_path / "out"), "--workers", "2", "--quiet"]) == 0
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("args, message", [
    pytest.param(["--input", "/nonexistent/*.jsonl"], "no input matches", id="no input matches"),
    pytest.param(["--input", "{file}"], "unsupported input format", id="unsupported file"),
    pytest.param(["--direct_num_workers=two"], "invalid pipeline option", id="invalid option value"),
    pytest.param(["--no_such_option=1"], "unknown option '--no_such_option=1'", id="unknown option"),
    pytest.param(["--direct_running_mode=multi_threading"], "multi_threading is refused", id="multi_threading"),
    pytest.param(["--match-threshold", "1.5"], "invalid option: threshold", id="invalid threshold"),
    pytest.param(["--max-mentions-per-article", "0"], "invalid option: max_mentions", id="no mentions allowed"),
    pytest.param(["--max-sentence-chars", "-5"], "invalid option: max_sentence_chars", id="negative sentence limit"),
    pytest.param(["--max-block-size", "1"], "invalid option: max_block_size", id="block of one"),
    pytest.param(["--max-article-chars", "0"], "invalid option: max_chars", id="no article allowed"),
    pytest.param(["--output", "{file}/out"], "cannot write to output directory", id="unwritable output"),
    pytest.param(["--output", "{existing}"], "already exists; pass --overwrite", id="existing output"),
    pytest.param(["--output", "{existing}", "--overwrite"], "not a claimbeam output", id="overwrite foreign dir"),
    pytest.param(["--claims", "{targets}"], "invalid targets file: {targets}, line 2: not valid JSON",
                 id="bad targets line"),
    pytest.param(["--claims", "/nonexistent/targets.jsonl"], "cannot read targets", id="missing targets"),
    pytest.param(["--claims", "{good_targets}", "--stance-model", "{file}"],
                 "cannot use the stance model {file}: not a JSON file", id="a stance model that is not one"),
    pytest.param(["--claims", "{good_targets}", "--stance-model", "/nonexistent/model.json"],
                 "cannot use the stance model /nonexistent/model.json: [Errno 2]", id="a missing stance model"),
    pytest.param(["--claims", "{good_targets}", "--stance", "rules", "--stance-model", "{file}"],
                 "--stance-model needs --stance model", id="a model for the rules"),
    pytest.param(["--stance-model", "{file}"], "--stance-model needs --claims", id="a model outside verify mode"),
    pytest.param(["--workers", "2", "--direct_num_workers=2"], "either --workers or --direct_num_workers",
                 id="workers twice"),
    pytest.param(["--workers", "2", "--runner=DaskRunner", "--dask_client_address=127.0.0.1:1"],
                 "--workers sizes the local runner, not", id="workers on dask"),
    pytest.param(["--runner=DaskRunner"], "the Dask runner needs a cluster", id="dask without a cluster"),
    pytest.param(["--dask-local", "2", "--runner=FlinkRunner"], "--dask-local starts its own cluster",
                 id="dask-local with another runner"),
    pytest.param(["--dask-local", "2", "--dask_scheduler_file=s.json"], "--dask-local starts its own cluster",
                 id="dask-local with a scheduler file"),
    pytest.param(["--dry_run=True"], "--dry_run is honoured by the DataflowRunner only", id="local dry run"),
])
def test_cli_errors_are_one_clear_line(tmp_path, capsys, args, message):
    (tmp_path / "notes.md").write_text("x")
    (tmp_path / "targets.jsonl").write_text('{"id": "a", "text": "A fire."}\n{oops\n')
    (tmp_path / "existing").mkdir()
    (tmp_path / "existing" / "keep.txt").write_text("precious")
    fill = {"file": str(tmp_path / "notes.md"), "existing": str(tmp_path / "existing"),
            "targets": str(tmp_path / "targets.jsonl"), "good_targets": sample_targets_path()}
    args = [a.format(**fill) for a in args]
    message = message.format(**fill)
    if "--output" not in args:
        args += ["--output", str(tmp_path / "out")]
    assert run(["run", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("claimbeam: error: ") and message in err[0]
    assert (tmp_path / "existing" / "keep.txt").read_text() == "precious"


def test_overwrite_replaces_a_previous_output(tmp_path):
    out = tmp_path / "out"
    assert run(["run", "--output", str(out), "--quiet", "--workers", "1"]) == 0
    (out / "stale.parquet").write_text("left over")
    assert run(["run", "--output", str(out), "--quiet", "--workers", "1"]) == 2
    assert run(["run", "--output", str(out), "--quiet", "--overwrite", "--workers", "1"]) == 0
    assert not (out / "stale.parquet").exists() and (out / "manifest.json").exists()


def test_direct_runner_is_pinned_with_a_notice(tmp_path, capsys):
    assert run(["run", "--output", str(tmp_path / "out"), "--quiet", "--runner=DirectRunner"]) == 0
    assert "pinned to FnApiRunner" in capsys.readouterr().err


def test_rerun_over_a_folder_holding_its_own_output_ignores_that_output(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text(json.dumps({"id": "a", "text": "A fire destroyed a warehouse at the docks."}) + "\n")
    out = corpus / "out"
    assert run(["run", "--input", str(corpus), "--output", str(out), "--quiet", "--workers", "1"]) == 0
    assert run(["run", "--input", str(corpus), "--output", str(out), "--quiet", "--overwrite", "--workers", "1"]) == 0
    other = tmp_path / "elsewhere"
    assert run(["run", "--input", str(corpus), "--output", str(other), "--quiet", "--workers", "1"]) == 0
    for result in (out, other):
        manifest = json.loads((result / "manifest.json").read_text())
        assert [Path(i["path"]).name for i in manifest["inputs"]] == ["a.jsonl"]
        assert manifest["totals"] == {"records_read": 1, "accepted": 1, "rejected": 0}


@pytest.mark.parametrize("flags, workers, mode, n", [
    pytest.param([], None, "multi_processing" if default_workers() > 1 else "in_memory", default_workers(),
                 id="default: all cores"),
    pytest.param([], 1, "in_memory", 1, id="one worker runs in this process"),
    pytest.param([], 3, "multi_processing", 3, id="several workers are processes"),
    pytest.param(["--direct_running_mode=multi_processing", "--direct_num_workers=2"], None, "multi_processing", 2,
                 id="Beam's own flags still work"),
])
def test_workers_choose_the_local_running_mode(flags, workers, mode, n):
    from apache_beam.options.pipeline_options import DirectOptions, StandardOptions

    options, notes = beam_options(flags, workers)
    direct = options.view_as(DirectOptions)
    assert (options.view_as(StandardOptions).runner, direct.direct_running_mode, direct.direct_num_workers) == \
        ("FnApiRunner", mode, n) and notes == []


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_workers_must_be_a_positive_number(value, capsys):
    with pytest.raises(SystemExit) as exit_:
        run(["run", "--workers", value])
    assert exit_.value.code == 2 and "expected a whole number of at least 1" in capsys.readouterr().err


def test_dask_runner_names_all_select_the_fixed_runner():
    from apache_beam.options.pipeline_options import StandardOptions

    for name in ("DaskRunner", "dask", "daskrunner", "apache_beam.runners.dask.dask_runner.DaskRunner"):
        options, notes = beam_options([f"--runner={name}", "--dask_client_address=127.0.0.1:8786"])
        assert options.view_as(StandardOptions).runner == "pipelines.dask_runner.DaskRunner"
        assert bool(notes) == ("." in name)  # replacing a runner named in full is said


@pytest.mark.parametrize("name, kind", [
    (None, None), ("DirectRunner", "local"), ("directrunner", "local"), ("direct", "local"),
    ("FnApiRunner", "local"), ("DaskRunner", "dask"), ("dask", "dask"), ("DataflowRunner", "dataflow"),
    ("dataflow", "dataflow"), ("FlinkRunner", "other"), ("my.module.MyRunner", "other"),
])
def test_runner_names_are_matched_as_beam_matches_them(name, kind):
    assert runner_kind(name) == kind


def test_a_lower_case_direct_runner_is_pinned_too():
    from apache_beam.options.pipeline_options import StandardOptions

    options, notes = beam_options(["--runner=directrunner"], 2)
    assert options.view_as(StandardOptions).runner == "FnApiRunner" and "pinned" in notes[0]


@pytest.mark.parametrize("flags", [
    pytest.param(["--runner", "FlinkRunner", "--flink_master", "HOST:8081", "--flink_version", "1.19",
                  "--environment_type", "DOCKER", "--setup_file", "./pyproject.toml"], id="Flink"),
    pytest.param(["--runner", "SparkRunner", "--spark_master_url", "spark://HOST:7077", "--environment_type", "DOCKER",
                  "--setup_file", "./pyproject.toml"], id="Spark"),
])
def test_the_readmes_flink_and_spark_flags_are_accepted(flags):
    from apache_beam.options.pipeline_options import StandardOptions

    options, notes = beam_options(flags)
    assert options.view_as(StandardOptions).runner == flags[1] and notes == []


def test_report_writes_into_the_output_by_default(sample_output, tmp_path, capsys):
    copy = tmp_path / "out"
    shutil.copytree(sample_output, copy)
    assert run(["report", str(copy)]) == 0
    page = (copy / "report.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and '<section id="verdicts">' in page
    assert capsys.readouterr().err.strip() == f"claimbeam: wrote {copy}/report.html"


@pytest.mark.parametrize("args, message", [
    pytest.param(["{empty}"], "is not a claimbeam output: it has no manifest.json", id="not an output"),
    pytest.param(["{sample}", "--claim", "k-missing"], "no cluster 'k-missing'", id="unknown claim"),
    pytest.param(["{sample}", "--runner=DaskRunner"], "unrecognized arguments: --runner=DaskRunner",
                 id="no Beam flags"),
])
def test_report_errors_are_one_clear_line(sample_output, tmp_path, capsys, args, message):
    args = [a.format(empty=tmp_path, sample=sample_output) for a in args]
    with pytest.raises(SystemExit) if args[-1].startswith("--runner") else contextlib.nullcontext():
        assert run(["report", *args, "--html", str(tmp_path / "r.html")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert message in err[-1] and not (tmp_path / "r.html").exists()


def test_summary_prints_brackets_in_claims_as_written(tmp_path, capsys):
    sentence = "The council approved [the budget] of :fire: 40 million [/quote] on Monday"
    src = tmp_path / "in.jsonl"
    articles = [("Metro Wire", sentence + ". Officials confirmed the vote."),
                ("Daily Ledger", sentence + " night. Two members of the council were absent.")]  # independent
    src.write_text("\n".join(json.dumps({"id": f"a{i}", "text": text, "source": source})
                             for i, (source, text) in enumerate(articles)))
    out = tmp_path / "out"
    assert run(["run", "--input", str(src), "--output", str(out), "--workers", "1"]) == 0
    printed = " ".join(capsys.readouterr().out.split())  # cells may wrap
    assert "Most corroborated claims" in printed and sentence in printed and f"claimbeam: wrote {out} in" in printed


def test_another_stance_model_file_is_used_and_named(tmp_path, stance_model_bytes):
    """A model that always leans to refute: every article near a target refutes it, and the manifest says which."""
    model = tmp_path / "refuting.json"
    model.write_bytes(stance_model_bytes({"discuss": 0.0, "refute": 3.0, "support": 0.0}))
    out = tmp_path / "out"
    assert run(["run", "--output", str(out), "--claims", sample_targets_path(), "--stance-model", str(model),
                "--quiet", "--workers", "1"]) == 0
    evidence = pd.read_parquet(out / "evidence")
    near = evidence.similarity >= 0.3
    assert near.any() and (evidence[near].stance == "refute").all() and (evidence[~near].stance == "discuss").all()
    named = json.loads((out / "manifest.json").read_text())["parameters"]["verify"]["stance_model"]
    assert named["path"] == str(model) and named["sha256"] == hashlib.sha256(model.read_bytes()).hexdigest()


def _repeated_sample(path: Path, times: int) -> Path:
    """The sample corpus `times` over under fresh ids: a run long enough to be cut off in the middle."""
    rows = [json.loads(line) for line in Path(sample_corpus_path()).read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as f:
        for i in range(times):
            for row in rows:
                f.write(json.dumps({**row, "id": f"{row['id']}-{i}"}) + "\n")
    return path


@pytest.mark.parametrize("stream, lines_read", [("stdout", 0), ("stderr", 2)], ids=["stdout-head-0", "stderr-head-2"])
def test_a_closed_output_pipe_ends_the_run_at_once_and_marks_it_incomplete(tmp_path, stream, lines_read):
    """`claimbeam run ... | head -0` and `claimbeam run ... 2>&1 | head -2`: the run stops, leaving no complete output."""
    out = tmp_path / "out"
    args = [sys.executable, "-m", "pipelines.cli", "run", "--input", str(_repeated_sample(tmp_path / "a.jsonl", 40)),
            "--output", str(out)]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.DEVNULL} if stream == "stdout" else \
        {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    proc = subprocess.Popen(args, **pipes)
    reader = getattr(proc, stream)
    for _ in range(lines_read):
        assert reader.readline().startswith(b"claimbeam: [")
    reader.close()  # as `head` exits
    try:
        status = proc.wait(timeout=60)  # it hung for good before; at once is well under a second here
    finally:
        proc.kill()
    assert status == 1
    assert json.loads((out / "manifest.json").read_text())["complete"] is False


_HEDGES_AND_DENIALS = [
    {"id": "ledger-1", "source": "Daily Ledger", "published": "2026-05-02T09:00:00Z",
     "text": "Fire Chief Tom Alvarez said the derailment could have been far worse. "
             "Insiders say the rail line could stay closed until June. "
             "Her office called reports of Mayor Ana Ruiz's resignation completely false."},
    {"id": "post-1", "source": "Valley Post", "published": "2026-05-02T11:00:00Z",
     "text": "The derailment could have been far worse, Fire Chief Tom Alvarez said. "
             "The rail line could reportedly stay closed until June. "
             "The mayor's office dismissed the resignation reports as nonsense."},
]


def test_hedged_claims_on_the_record_are_hedged_and_unsourced_ones_rumours(tmp_path):
    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps(row) + "\n" for row in _HEDGES_AND_DENIALS))
    out = tmp_path / "out"
    assert run(["run", "--input", str(src), "--output", str(out), "--quiet", "--workers", "1"]) == 0
    claims = pd.read_parquet(out / "claims")
    clusters = pd.read_parquet(out / "clusters").set_index("cluster_id")
    status = {text: clusters.status[cluster] for text, cluster in zip(claims.text, claims.cluster_id)}
    assert status["Fire Chief Tom Alvarez said the derailment could have been far worse."] == "hedged"
    assert status["Insiders say the rail line could stay closed until June."] == "rumour"
    denials = claims.set_index("article_id").denial
    assert denials["ledger-1"].tolist() == [False, False, True] and denials["post-1"].tolist() == [False, False, True]


# run_claimbeam: the command line from Python

def test_run_claimbeam_returns_the_output_that_the_command_line_writes(sample_output, tmp_path, capfd):
    import logging

    from claims.analysis import load
    from pipelines import run_claimbeam

    level = logging.getLogger().level
    out = run_claimbeam(sample_corpus_path(), str(tmp_path / "out"), claims=sample_targets_path(), workers=1)
    assert logging.getLogger().level == level  # Beam's log lines are kept out of the run only
    assert capfd.readouterr().err == ""  # quiet unless asked otherwise
    expected = load(sample_output)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(out, name), getattr(expected, name), obj=name)
    assert out.manifest["command"] == ["claimbeam", "run", f"--input={sample_corpus_path()}",
                                       f"--output={tmp_path / 'out'}", "--quiet", f"--claims={sample_targets_path()}",
                                       "--workers=1"]


@pytest.mark.parametrize("keywords, flags", [
    ({"input": ["a.jsonl", "-odd.jsonl"]}, ["--input=a.jsonl", "--input=-odd.jsonl"]),
    ({"overwrite": True, "verbose": False, "claims": None}, ["--overwrite"]),
    ({"experiments": ["x", "y"], "save_main_session": True}, ["--experiments=x", "--experiments=y",
                                                              "--save_main_session"]),
    ({"dry_run": True, "runner": "DataflowRunner"}, ["--dry_run=True", "--runner=DataflowRunner"]),
], ids=["inputs-each-with-its-flag", "switches", "beam-lists-and-switches", "beam-option-taking-a-value"])
def test_run_claimbeam_keywords_become_flags(keywords, flags):
    import argparse

    from pipelines.cli import _as_flags, add_run_arguments, beam_options

    parser = argparse.ArgumentParser(allow_abbrev=False)
    add_run_arguments(parser)
    argv = _as_flags(parser, keywords)
    assert argv == flags
    args, beam_flags = parser.parse_known_args(argv)
    beam_options(beam_flags, args.workers, args.dask_local)  # Beam's own parser takes them as they are


def test_run_claimbeam_takes_neither_input_nor_a_shortened_flag(tmp_path):
    from pipelines import ClaimbeamError, run_claimbeam

    with pytest.raises(TypeError, match="`inputs`"):
        run_claimbeam(output=str(tmp_path / "out"), input=sample_corpus_path())
    with pytest.raises(ClaimbeamError, match="unknown option '--over'"):
        run_claimbeam(sample_corpus_path(), str(tmp_path / "out"), over=True)


@pytest.mark.parametrize("keywords, message", [
    ({"workers": 0}, "argument --workers: expected a whole number of at least 1, got '0'"),
    ({"stance": "guess"}, "argument --stance: invalid choice: 'guess'"),
    ({"num_workerz": 2}, "unknown option '--num_workerz=2'"),
    ({"stance_model": "m.json"}, "--stance-model needs --claims"),
], ids=["bad-value", "bad-choice", "unknown-keyword", "inconsistent"])
def test_run_claimbeam_raises_what_the_command_line_would_print(tmp_path, keywords, message):
    from pipelines import ClaimbeamError, run_claimbeam

    with pytest.raises(ClaimbeamError, match="^" + re.escape(message)):
        run_claimbeam(sample_corpus_path(), str(tmp_path / "out"), **keywords)
    assert not (tmp_path / "out").exists()


def test_run_claimbeam_raises_when_no_record_is_accepted(tmp_path):
    from pipelines import ClaimbeamError, run_claimbeam

    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps({"id": "1", "body": "A fire broke out at the docks on Tuesday."}) + "\n")
    with pytest.raises(ClaimbeamError, match="no record was accepted.*'id', 'body'.*--text-field COLUMN"):
        run_claimbeam([str(articles)], str(tmp_path / "out"), workers=1)
    assert run_claimbeam([str(articles)], str(tmp_path / "out"), overwrite=True, text_field="body",
                         workers=1).articles["article_id"].tolist() == ["1"]
