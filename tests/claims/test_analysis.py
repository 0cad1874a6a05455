"""claims.analysis.load: dtypes, the joined views, fsspec paths, and clear errors for what is not an output."""
import dataclasses
import json
import re
import shutil

import fsspec
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claims.analysis import (ClaimbeamOutput, IncompleteOutput, NotClaimbeamOutput, OutputError, OutputWarning,
                             UnsupportedSchemaVersion, best_corroborated, load, reject_counts)
from schemas import SCHEMA_VERSION, TABLES


@pytest.fixture(scope="module")
def out(sample_output):
    return load(sample_output)


def test_every_table_is_loaded_with_its_columns(out, n_sample_articles):
    assert list(out.tables) == list(TABLES)
    for name, frame in out.tables.items():
        assert list(frame.columns) == TABLES[name].column_names
    assert len(out.articles) == n_sample_articles and len(out.verdicts) == 5 and out.verify_mode


@pytest.mark.parametrize("table, column, dtype", [
    pytest.param("claims", "kind", "category", id="kind is categorical"),
    pytest.param("claims", "attribution_type", "category", id="attribution type is categorical"),
    pytest.param("clusters", "status", "category", id="cluster status is categorical"),
    pytest.param("evidence", "stance", "category", id="stance is categorical"),
    pytest.param("verdicts", "status", "category", id="verdict status is categorical"),
    pytest.param("article_links", "relation", "category", id="link relation is categorical"),
    pytest.param("articles", "published_at", "datetime64[us, UTC]", id="timestamps are UTC"),
    pytest.param("clusters", "first_seen", "datetime64[us, UTC]", id="first seen is UTC"),
    pytest.param("clusters", "n_independent", "Int64", id="counts are nullable integers"),
    pytest.param("rejects", "record_number", "Int64", id="record numbers are nullable integers"),
    pytest.param("claims", "hedged", "boolean", id="flags are nullable booleans"),
    pytest.param("clusters", "score", "float64", id="scores are floats"),
])
def test_dtypes(out, table, column, dtype):
    assert str(out.tables[table][column].dtype) == dtype


def test_categories_are_the_declared_labels_in_order(out):
    declared = next(c for c in TABLES["clusters"].columns if c.name == "status").values
    assert tuple(out.clusters["status"].cat.categories) == declared
    assert out.clusters["status"].notna().all()


def test_mentions_view_joins_clusters_and_articles(out):
    mentions = out.mentions
    assert len(mentions) == len(out.claims)
    row = mentions[mentions["claim_id"] == out.claims["claim_id"].iloc[0]].iloc[0]
    cluster = out.clusters.set_index("cluster_id").loc[row["cluster_id"]]
    article = out.articles.set_index("article_id").loc[row["article_id"]]
    assert (row["canonical_text"], row["cluster_status"], row["cluster_score"]) == (
        cluster["canonical_text"], cluster["status"], cluster["score"])
    assert (row["title"], row["url"], row["copy_group"]) == (article["title"], article["url"], article["copy_group"])


def test_timeline_orders_outlets_and_marks_copies(out):
    # "No one was injured in the fire." is carried by Metro Wire first and copied by Northside Gazette.
    cluster_id = out.clusters.loc[out.clusters["canonical_text"] == "No one was injured in the fire.",
                                  "cluster_id"].item()
    timeline = out.timeline(cluster_id)
    assert list(timeline["order"]) == list(range(1, len(timeline) + 1))
    assert timeline["first_seen"].is_monotonic_increasing and timeline["source"].is_unique
    assert timeline.loc[timeline["source"] == "Northside Gazette", "is_copy"].item()
    assert not timeline.loc[timeline["source"] == "Metro Wire", "is_copy"].item()
    assert int((~timeline["is_copy"]).sum()) == out.clusters.set_index("cluster_id").loc[cluster_id, "n_independent"]
    assert set(out.timelines["cluster_id"]) == set(out.clusters["cluster_id"])


def test_cited_evidence_has_the_sentence_and_folds_copies_under_their_origin(out):
    cited = out.cited_evidence.set_index(["target_id", "article_id"])
    assert len(cited) == len(out.evidence)
    # Metro Wire's fire report came first; Northside Gazette's is a copy of it (one copy group).
    copy = cited.loc[("fire-firefighters", "northside-fire-1")]
    assert copy["origin_article_id"] == "metro-fire-1"
    assert cited.loc[("fire-firefighters", "metro-fire-1"), "origin_article_id"] == "metro-fire-1"
    assert copy["sentence"] == out.claims.set_index("claim_id").loc[copy["claim_id"], "text"]
    assert copy["url"].startswith("https://www.northsidegazette.example/")
    uncited = cited[cited["claim_id"].isna()]
    assert len(uncited) and uncited["sentence"].isna().all()  # no sentence cited, none made up
    independent = cited.reset_index().query("article_id == origin_article_id")
    assert not independent.duplicated(["target_id", "copy_group"]).any()


def test_cited_evidence_outside_verify_mode_is_none(out):
    assert dataclasses.replace(out, evidence=None, verdicts=None).cited_evidence is None


def test_timeline_of_an_unknown_claim_is_a_key_error(out):
    with pytest.raises(KeyError, match="no cluster 'k-nope'"):
        out.timeline("k-nope")


def test_loads_through_fsspec(sample_output):
    fs = fsspec.filesystem("memory")
    for path in sample_output.rglob("*"):
        if path.is_file():
            fs.pipe(f"/copy/{path.relative_to(sample_output).as_posix()}", path.read_bytes())
    loaded = load("memory://copy")
    assert len(loaded.claims) == len(load(sample_output).claims) and loaded.path == "memory://copy"


def test_a_run_without_verify_mode_has_no_verify_tables(tmp_path, sample_output):
    copy = tmp_path / "out"
    shutil.copytree(sample_output, copy)
    shutil.rmtree(copy / "evidence")
    shutil.rmtree(copy / "verdicts")
    manifest = json.loads((copy / "manifest.json").read_text())
    del manifest["tables"]["evidence"], manifest["tables"]["verdicts"]
    (copy / "manifest.json").write_text(json.dumps(manifest))
    loaded = load(copy)
    assert loaded.evidence is None and loaded.verdicts is None and not loaded.verify_mode
    assert "verdicts" not in loaded.tables


def _damaged_copy(tmp_path, sample_output, change):
    copy = tmp_path / "out"
    shutil.copytree(sample_output, copy)
    change(copy)
    return copy


def _edit_manifest(**fields):
    def change(copy):
        manifest = json.loads((copy / "manifest.json").read_text())
        manifest.update(fields)
        (copy / "manifest.json").write_text(json.dumps(manifest))
    return change


def _relabel_status(copy):
    path = next((copy / "clusters").glob("*.parquet"))
    table = pq.read_table(path)
    status = pa.array(["legendary"] * table.num_rows)
    pq.write_table(table.set_column(table.schema.get_field_index("status"), "status", status), path)


def _drop_column(copy):
    path = next((copy / "claims").glob("*.parquet"))
    pq.write_table(pq.read_table(path).drop_columns(["cluster_id"]), path)


def _drop_rows(copy):
    path = next((copy / "clusters").glob("*.parquet"))
    pq.write_table(pq.read_table(path).slice(0, 3), path)


@pytest.mark.parametrize("change, error, message", [
    pytest.param(lambda c: (c / "manifest.json").unlink(), NotClaimbeamOutput, "has no manifest.json",
                 id="no manifest"),
    pytest.param(_edit_manifest(complete=False), IncompleteOutput, "is an unfinished claimbeam run",
                 id="unfinished run"),
    pytest.param(lambda c: (c / "manifest.json").write_text("{not json"), NotClaimbeamOutput, "not valid JSON",
                 id="manifest not JSON"),
    pytest.param(_edit_manifest(tool="other"), NotClaimbeamOutput, "not written by claimbeam", id="foreign manifest"),
    pytest.param(_edit_manifest(schema_version=SCHEMA_VERSION + 1), UnsupportedSchemaVersion,
                 f"schema version {SCHEMA_VERSION + 1}; this claimbeam reads versions "
                 f"{', '.join(map(str, range(1, SCHEMA_VERSION)))} and {SCHEMA_VERSION}",
                 id="newer schema version"),
    pytest.param(_edit_manifest(schema_version=None), UnsupportedSchemaVersion, "no schema version",
                 id="no schema version"),
    pytest.param(_relabel_status, OutputError, "clusters.status holds labels the schema does not declare: "
                 "['legendary']", id="undeclared label"),
    pytest.param(_drop_column, OutputError, "the claims table lacks columns ['cluster_id']", id="missing column"),
    pytest.param(_drop_rows, OutputError, "the clusters table has 3 rows but manifest.json says ",
                 id="rows lost"),
])
def test_errors_say_what_is_wrong(tmp_path, sample_output, change, error, message):
    assert issubclass(error, ValueError)  # callers that catch ValueError keep working
    with pytest.raises(error, match=re.escape(message)):
        load(_damaged_copy(tmp_path, sample_output, change))


def test_counts_that_do_not_balance_load_with_a_warning(tmp_path, sample_output):
    with pytest.warns(OutputWarning, match="counts do not balance"):
        out = load(_damaged_copy(tmp_path, sample_output, _edit_manifest(balanced=False)))
    assert len(out.claims) == len(load(sample_output).claims)


def test_rejects_written_before_stages_were_recorded_read_as_null_stages(tmp_path, sample_output):
    def drop_stage(copy):
        path = next((copy / "rejects").glob("*.parquet"))
        pq.write_table(pq.read_table(path).drop_columns(["stage"]), path)
    assert "stage" in load(_damaged_copy(tmp_path, sample_output, drop_stage)).rejects.columns


def test_a_folder_that_is_not_an_output(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(NotClaimbeamOutput, match="is not a claimbeam output"):
        load(tmp_path)
    with pytest.raises(NotClaimbeamOutput, match="is not a directory"):
        load(tmp_path / "missing")


def test_a_nullable_column_added_to_the_schema_later_reads_as_nulls(tmp_path, sample_output):
    def drop_speaker(copy):
        path = next((copy / "claims").glob("*.parquet"))
        pq.write_table(pq.read_table(path).drop_columns(["speaker"]), path)
    claims = load(_damaged_copy(tmp_path, sample_output, drop_speaker)).claims
    assert list(claims.columns) == TABLES["claims"].column_names and claims["speaker"].isna().all()


def test_an_output_of_schema_version_1_loads_without_the_columns_version_2_added(tmp_path, sample_output):
    def version_1(copy):
        path = next((copy / "claims").glob("*.parquet"))
        pq.write_table(pq.read_table(path).drop_columns(["speaker_as_written", "via_outlet", "speaker_key"]), path)
        _edit_manifest(schema_version=1)(copy)
    claims = load(_damaged_copy(tmp_path, sample_output, version_1)).claims
    assert claims[["speaker_as_written", "via_outlet", "speaker_key"]].isna().all().all()
    assert claims.speaker.notna().any()


def test_a_folder_name_with_glob_characters_is_not_a_pattern(tmp_path, sample_output):
    copy = tmp_path / "run[1]"
    shutil.copytree(sample_output, copy)
    assert len(load(copy).claims) == len(load(sample_output).claims)


def test_timeline_tells_outlets_apart_as_scoring_does():
    t = pd.Timestamp("2026-03-04 10:00", tz="UTC")
    rows = [  # article, source, hours after t (None: undated), copy group
        ("a1", "The Daily Ledger", 0, "g1"), ("a2", "dailyledger.example", 1, "g2"), ("a3", None, 2, "g3"),
        ("a4", None, 3, "g4"), ("a5", "Metro Wire", None, "g1"), ("a6", "Harbor Times", 4, "g1"),
    ]
    claims = pd.DataFrame({
        "claim_id": [f"m-{a}" for a, *_ in rows], "article_id": [a for a, *_ in rows], "position": 0,
        "cluster_id": "k1", "source": [src for _, src, *_ in rows],
        "published_at": [t + pd.Timedelta(hours=h) if h is not None else pd.NaT for *_, h, _ in rows]})
    articles = pd.DataFrame({"article_id": claims["article_id"], "title": "", "url": "",
                             "copy_group": [g for *_, g in rows]})
    clusters = pd.DataFrame({"cluster_id": ["k1"], "canonical_text": ["x"], "score": [0.5], "status": ["rumour"],
                             "n_independent": [4], "n_sources": [4]})
    out = ClaimbeamOutput("synthetic", {}, articles, claims, None, clusters, None, None)
    timeline = out.timeline("k1")
    assert list(timeline["article_id"]) == ["a1", "a3", "a4", "a6", "a5"]
    assert list(timeline["n_mentions"]) == [2, 1, 1, 1, 1]  # both spellings of the Daily Ledger are one outlet
    assert timeline["is_copy"].tolist() == [False, False, False, True, pd.NA]  # undated: unknown


def test_reject_counts_count_by_kind_and_show_a_shared_head_whole():
    reasons = ["missing or empty text (field 'body'): the record has no such field; its fields are 'id'",
               "missing or empty text (field 'body')", "duplicate id 'a'", "duplicate id 'b'", "malformed JSON: x"]
    counts = reject_counts(pd.DataFrame({"reason": reasons}))
    assert list(counts.itertuples(index=False, name=None)) == [
        ("missing or empty text (field 'body')", 2), ("duplicate id '...'", 2), ("malformed JSON", 1)]


@pytest.mark.parametrize("n_independent, n_articles, status, shown", [
    pytest.param(3, 4, "corroborated", True, id="three origins"),
    pytest.param(2, 2, "hedged", True, id="two origins on the record, hedged"),
    pytest.param(1, 5, "single_source", False, id="one origin with four copies"),
    pytest.param(2, 2, "rumour", False, id="a rumour two origins repeat"),
    pytest.param(2, 3, "contested", False, id="contested"),
])
def test_best_corroborated_needs_two_independent_origins(n_independent, n_articles, status, shown):
    clusters = pd.DataFrame({"cluster_id": ["k1"], "n_independent": pd.array([n_independent], "Int64"),
                             "n_articles": pd.array([n_articles], "Int64"), "status": [status], "score": [0.7]})
    assert list(best_corroborated(clusters, 5)["cluster_id"]) == (["k1"] if shown else [])
