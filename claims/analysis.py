"""Load a claimbeam output into pandas in one call.

    from claims.analysis import load
    out = load("claimbeam-output")          # or "gs://bucket/run", "s3://...", "memory://..."
    out.clusters.query("status == 'corroborated'")
    out.mentions                             # claims joined to their clusters and articles
    out.timeline(cluster_id)                 # who carried one claim first, outlet by outlet

Every table gets the dtypes its schema implies: categoricals with the declared
labels for kinds, statuses, relations and stances; UTC timestamps; nullable
integers and booleans. Paths go through fsspec, so any filesystem it knows
works (cloud schemes need their fsspec package, such as gcsfs or s3fs).
"""
from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from functools import cached_property

import fsspec
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from claims.mentions import normalise_source
from claims.records import reject_kind
from schemas import READABLE_SCHEMA_VERSIONS, TABLES, VERIFY_TABLES

# Columns the mentions view takes from clusters and from articles (claims already has source and published_at).
_CLUSTER_VIEW = {"canonical_text": "canonical_text", "score": "cluster_score", "status": "cluster_status",
                 "n_independent": "cluster_n_independent", "n_sources": "cluster_n_sources"}
_ARTICLE_VIEW = ("title", "url", "copy_group")


def in_publication_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by publication time, then article_id, undated last: the order in which a copy group's first article
    is its origin (claims.copies.earliest_first, for a frame)."""
    return frame.sort_values(["published_at", "article_id"], na_position="last", kind="stable")


class OutputError(ValueError):
    """The directory cannot be read as a claimbeam output; the message says why and what to do."""


class NotClaimbeamOutput(OutputError):
    """No manifest.json written by claimbeam: not an output, or a run that did not finish."""


class OutputWarning(UserWarning):
    """The output loads, but its manifest says something is wrong with it (counts that do not balance)."""


class IncompleteOutput(NotClaimbeamOutput):
    """A run that failed or is still going: claimbeam marks its output complete only at the very end."""


class UnsupportedSchemaVersion(OutputError):
    """The output was written with table schemas this version of claimbeam does not know."""


def _arrow_to_pandas(table: pa.Table, name: str) -> pd.DataFrame:
    """One output table as a DataFrame, with nullable integers and booleans and declared categories."""
    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
    frame = table.to_pandas(types_mapper=mapping.get)
    for column in TABLES[name].columns:
        if column.values is None or column.name not in frame:
            continue
        labels = frame[column.name]
        categorical = pd.Categorical(labels, categories=column.values)
        unknown = sorted(set(labels[pd.isna(categorical) & labels.notna()]))
        if unknown:
            raise OutputError(f"{name}.{column.name} holds labels the schema does not declare: {unknown[:5]}")
        frame[column.name] = categorical
    return frame


def _read_manifest(fs, root: str, shown: str) -> dict:
    path = f"{root}/manifest.json"
    if not fs.isdir(root):
        raise NotClaimbeamOutput(f"{shown!r} is not a directory")
    if not fs.exists(path):
        raise NotClaimbeamOutput(f"{shown!r} is not a claimbeam output: it has no manifest.json")
    try:
        with fs.open(path, "rb") as f:
            manifest = json.loads(f.read().decode("utf-8"))
    except ValueError as err:
        raise NotClaimbeamOutput(f"{shown!r}: manifest.json is not valid JSON: {err}") from None
    if not isinstance(manifest, dict) or manifest.get("tool") != "claimbeam":
        raise NotClaimbeamOutput(f"{shown!r}: manifest.json was not written by claimbeam")
    if manifest.get("complete") is False:
        raise IncompleteOutput(f"{shown!r} is an unfinished claimbeam run: it failed or is still going "
                               "(manifest.json says \"complete\": false). Re-run it with --overwrite")
    if manifest.get("balanced") is False:
        warnings.warn(f"{shown!r}: its counts do not balance (manifest.json says \"balanced\": false): records or "
                      "claims were lost; see manifest.json's inputs and claims", OutputWarning, stacklevel=3)
    version = manifest.get("schema_version")
    if version not in READABLE_SCHEMA_VERSIONS:
        found = "no schema version (written before versions were recorded)" if version is None else \
            f"schema version {version!r}"
        *earlier, last = READABLE_SCHEMA_VERSIONS
        readable = f"{', '.join(map(str, earlier))} and {last}" if earlier else str(last)
        raise UnsupportedSchemaVersion(f"{shown!r} has {found}; this claimbeam reads versions {readable}. "
                                       "Re-run claimbeam on the articles, or load it with the claimbeam that wrote it")
    return manifest


def _read_table(fs, root: str, name: str, shown: str, expected_rows: int | None) -> pd.DataFrame:
    schema = TABLES[name].schema
    folder = f"{root}/{name}"
    # Listed, not globbed: a folder called "run[1]" must not be read as a pattern.
    paths = sorted(p for p in fs.find(folder) if p.endswith(".parquet")) if fs.isdir(folder) else []
    parts = []
    for path in paths:
        with fs.open(path, "rb") as f:
            parts.append(pq.read_table(f, use_threads=False))  # see pipelines.manifest.read_table on threads
    table = pa.concat_tables(parts, promote_options="permissive") if parts else schema.empty_table()
    if expected_rows is not None and table.num_rows != expected_rows:
        raise OutputError(f"{shown!r}: the {name} table has {table.num_rows:,} rows but manifest.json says "
                          f"{expected_rows:,}; the output is damaged or was changed after the run")
    missing = [f for f in schema if f.name not in table.column_names]
    required = [f.name for f in missing if not f.nullable]
    if required:
        raise OutputError(f"{shown!r}: the {name} table lacks columns {required}; the output is damaged or was "
                          "written by another tool")
    for column in missing:  # a column added to the schema after this output was written reads as nulls
        table = table.append_column(column, pa.nulls(table.num_rows, column.type))
    return _arrow_to_pandas(table.select(schema.names), name)


@dataclass(eq=False)
class ClaimbeamOutput:
    """Every table of one claimbeam output as a DataFrame; `evidence` and `verdicts` are None outside verify mode."""
    path: str
    manifest: dict = field(repr=False)
    articles: pd.DataFrame = field(repr=False)
    claims: pd.DataFrame = field(repr=False)
    matches: pd.DataFrame = field(repr=False)
    clusters: pd.DataFrame = field(repr=False)
    article_links: pd.DataFrame = field(repr=False)
    rejects: pd.DataFrame = field(repr=False)
    evidence: pd.DataFrame | None = field(default=None, repr=False)
    verdicts: pd.DataFrame | None = field(default=None, repr=False)

    @property
    def verify_mode(self) -> bool:
        return self.verdicts is not None

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables this output holds, by name, in the schema's order."""
        return {name: getattr(self, name) for name in TABLES if getattr(self, name) is not None}

    @cached_property
    def mentions(self) -> pd.DataFrame:
        """One row per claim mention, with its cluster's canonical text, score and status and its article's
        title, URL and copy group. Cluster columns are prefixed `cluster_` where claims has the same name."""
        clusters = self.clusters[["cluster_id", *_CLUSTER_VIEW]].rename(columns=_CLUSTER_VIEW)
        articles = self.articles[["article_id", *_ARTICLE_VIEW]]
        return (self.claims.merge(clusters, on="cluster_id", how="left", validate="many_to_one")
                .merge(articles, on="article_id", how="left", validate="many_to_one"))

    @cached_property
    def timelines(self) -> pd.DataFrame:
        """Each cluster's first appearance in each outlet, earliest first.

        Columns: cluster_id, order (1 for the outlet that carried it first), source, first_seen, article_id,
        copy_group, n_mentions (the outlet's mentions of the claim) and is_copy: the article is a copy or
        excerpt of an article that carried the claim earlier, so the outlet adds no independent origin.
        Outlets are told apart as scoring tells them apart ("The Daily Ledger" is "dailyledger.example"), and
        an article without a source is an outlet of its own. Undated mentions sort after dated ones, by
        article_id, and their is_copy is unknown (NA): nothing says which article came first.
        """
        columns = ["cluster_id", "order", "source", "first_seen", "article_id", "copy_group", "n_mentions", "is_copy"]
        mentions = self.mentions
        if mentions.empty:
            return pd.DataFrame(columns=columns)
        outlet = [normalise_source(s) if isinstance(s, str) and s else f"article:{a}"
                  for s, a in zip(mentions["source"], mentions["article_id"])]
        ordered = (mentions.assign(outlet=outlet)
                   .sort_values(["cluster_id", "published_at", "article_id", "position"], na_position="last",
                                kind="stable"))
        # A copy group's first article is its origin in the claim; later articles of the group repeat it.
        origin = ordered.drop_duplicates(["cluster_id", "copy_group"]).set_index(["cluster_id", "copy_group"])
        per_outlet = ordered.groupby(["cluster_id", "outlet"], sort=False)
        timeline = per_outlet.head(1).rename(columns={"published_at": "first_seen"})
        timeline["n_mentions"] = per_outlet["claim_id"].transform("size").loc[timeline.index].astype("Int64")
        first = origin["article_id"].reindex(pd.MultiIndex.from_frame(timeline[["cluster_id", "copy_group"]]))
        is_copy = pd.array(first.to_numpy() != timeline["article_id"].to_numpy(), dtype="boolean")
        is_copy[timeline["first_seen"].isna().to_numpy()] = pd.NA
        timeline["is_copy"] = is_copy
        timeline["order"] = pd.array(timeline.groupby("cluster_id", sort=False).cumcount() + 1, dtype="Int64")
        return timeline[columns].reset_index(drop=True)

    @cached_property
    def cited_evidence(self) -> pd.DataFrame | None:
        """The evidence rows with `sentence`, the text of the mention cited (null where none was), the article's
        `url`, and `origin_article_id`: the first article of its copy group that addresses the same target, by
        publication time then article_id (undated last), which its copies fold under, as they count once.
        None outside verify mode."""
        if self.evidence is None:
            return None
        sentences = self.claims[["claim_id", "text"]].rename(columns={"text": "sentence"})
        cited = (self.evidence.merge(sentences, on="claim_id", how="left", validate="many_to_one")
                 .merge(self.articles[["article_id", "url"]], on="article_id", how="left", validate="many_to_one")
                 .pipe(in_publication_order)
                 .sort_values("target_id", kind="stable"))
        cited["origin_article_id"] = cited.groupby(["target_id", "copy_group"], sort=False)["article_id"].transform("first")
        return cited.reset_index(drop=True)

    def timeline(self, cluster_id: str) -> pd.DataFrame:
        """The timeline of one claim (see `timelines`); a KeyError names an unknown cluster."""
        if not (self.clusters["cluster_id"] == cluster_id).any():
            raise KeyError(f"no cluster {cluster_id!r} in {self.path}")
        found = self.timelines[self.timelines["cluster_id"] == cluster_id]
        return found.reset_index(drop=True)


def load(path: str, **storage_options) -> ClaimbeamOutput:
    """Read every table of the claimbeam output at `path` (a local folder or any fsspec URL).

    Raises NotClaimbeamOutput for a folder without claimbeam's manifest, UnsupportedSchemaVersion for
    tables of another schema version, and OutputError for a damaged table. `storage_options` go to
    fsspec (credentials, for example).
    """
    fs, root = fsspec.core.url_to_fs(str(path), **storage_options)
    root = root.rstrip("/") or "/"
    manifest = _read_manifest(fs, root, str(path))
    counts = manifest.get("tables", {})
    tables = {name: _read_table(fs, root, name, str(path), counts.get(name, {}).get("rows")) for name in TABLES
              if name not in VERIFY_TABLES or name in counts}
    return ClaimbeamOutput(path=str(path), manifest=manifest, **tables)


# What a summary of an output shows first: shared by the end-of-run table and the HTML report.
# Corroboration needs two origins: copies, one outlet's articles and one cited source count once.
MIN_CORROBORATING_ORIGINS = 2
NOT_CORROBORATED = ("contested", "rumour")  # contradicted, or repeated without any source on the record


def best_corroborated(clusters: pd.DataFrame, n: int) -> pd.DataFrame:
    """Claims with at least two independent origins, neither contested nor rumours, best corroborated first."""
    shared = clusters[(clusters["n_independent"] >= MIN_CORROBORATING_ORIGINS)
                      & ~clusters["status"].isin(NOT_CORROBORATED)]
    return shared.sort_values(["score", "n_independent", "cluster_id"], ascending=[False, False, True],
                              kind="stable").head(n)


NO_CORROBORATED_CLAIM = (f"No claim has {MIN_CORROBORATING_ORIGINS} independent origins in this output: each is "
                         "carried by one origin (with its copies), contested, or a rumour.")


def most_contested(clusters: pd.DataFrame, n: int) -> pd.DataFrame:
    """Contested claims, the most mentioned first."""
    contested = clusters[clusters["status"] == "contested"]
    return contested.sort_values(["n_mentions", "cluster_id"], ascending=[False, True], kind="stable").head(n)


def verdicts_by_attention(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Targets, those that the most articles address first."""
    return verdicts.sort_values(["n_articles", "target_id"], ascending=[False, True], kind="stable")


def reject_counts(rejects: pd.DataFrame) -> pd.DataFrame:
    """Rejected records by kind of reason (see claims.records.reject_kind), the commonest first. A kind whose
    records all share one head ("missing or empty text (field 'body')") is shown by that head."""
    heads = rejects["reason"].str.split(":", n=1).str[0].str.strip()
    kinds = heads.map(reject_kind)
    shared = heads.groupby(kinds).nunique() == 1
    one_head = heads.groupby(kinds).first()[shared]
    kinds = kinds.map(lambda kind: one_head.get(kind, kind)).rename("reason")
    return kinds.value_counts().rename_axis("reason").reset_index(name="records")
