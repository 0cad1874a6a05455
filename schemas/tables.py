"""Output tables: each column is declared once here, with its type and meaning.

Writers build pyarrow schemas from these declarations and tests check the
written Parquet against them; nothing else names a table's columns. Each
table also gets a row dataclass (`row_type("claims")`) so that pipeline code
builds rows by keyword and a misspelt column fails at once.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pyarrow as pa

UTC_TIMESTAMP = pa.timestamp("us", tz="UTC")
# Bumped whenever a column is renamed, removed or changes meaning; manifest.json records it and
# claims.analysis.load refuses versions it does not know. Added columns do not bump it.
# 2: claims.speaker is the source resolved within its article ("Jo Marsh" for "she"); the source as written
#    moved to claims.speaker_as_written, beside the new via_outlet and speaker_key.
# 3: clusters.status "rumour" is only for hedged claims without a named or official source; hedged claims on
#    the record are "hedged". article_links.relation may be "credited".
SCHEMA_VERSION = 3
READABLE_SCHEMA_VERSIONS = (1, 2, 3)  # outputs claims.analysis.load reads; columns a version lacks load as nulls


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    doc: str
    nullable: bool = True
    values: tuple[str, ...] | None = None  # the closed set of labels a categorical column may hold


@dataclass(frozen=True)
class Table:
    name: str
    one_row_per: str
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name, type_, doc, nullable=True, values=None):
    return Column(name, type_, doc, nullable, values)


S, I, F, B = pa.string(), pa.int64(), pa.float64(), pa.bool_()

ARTICLES = Table("articles", "input article", (
    _c("article_id", S, "the input's id, or a stable hash of the record", False),
    _c("source", S, "outlet; derived from the URL's host when the input has none"),
    _c("url", S, "article URL"),
    _c("title", S, "headline"),
    _c("published_at", UTC_TIMESTAMP, "publication time in UTC; null when missing or unparseable"),
    _c("published_raw", S, "the publication time as given in the input"),
    _c("n_claims", I, "number of claim mentions found in the article", False),
    _c("copy_group", S, "articles that are copies or excerpts of each other share this id", False),
    _c("n_chars", I, "length of the article text in characters", False),
    _c("input", S, "input file the article was read from (ExtractClaims: its label, by default \"records\")", False),
    _c("record_number", I, "1-based record number within that input file; null for a record from a PCollection "
                           "(ExtractClaims), which has no order"),
))

CLAIMS = Table("claims", "claim mention", (
    _c("claim_id", S, "stable id of this mention", False),
    _c("article_id", S, "article the mention is in", False),
    _c("position", I, "0-based index of the mention within its article", False),
    _c("char_start", I, "offset of the sentence's first character in the article text", False),
    _c("char_end", I, "offset just past the sentence's last character", False),
    _c("text", S, "the sentence as written", False),
    _c("claim_text", S, "what the sentence asserts: the quotation, or the sentence without its attribution", False),
    _c("kind", S, "direct_quote, reported_speech or statement", False,
       values=("direct_quote", "reported_speech", "statement")),
    _c("speaker", S, "who is quoted or reported, if anyone, resolved within the article: the fullest name the "
       "article gives a person referred to as 'she', 'the singer' or 'Marsh' (schema version 2)"),
    _c("attributed_to", S, "the source the claim is attributed to: a person, an outlet, a social-media account, 'anonymous source'"),
    _c("attribution_type", S, "person, outlet, official (organisations, agencies, companies, their officials and "
       "documents), anonymous or social_media",
       values=("person", "outlet", "official", "anonymous", "social_media")),
    _c("speaker_as_written", S, "the source as this sentence writes it: 'she', 'the singer', 'Marsh'"),
    _c("via_outlet", S, "the publication through which the claim reached this article ('According to Celebrity "
       "Weekly', 'told the website'), whether or not the corpus holds its articles"),
    _c("speaker_key", S, "the key scoring merges origins on: 'person:jo marsh', 'outlet:celebrityweekly', "
       "'official:northlinerail'; null for unnamed and anonymous sources"),
    _c("hedged", B, "the claim is hedged ('reportedly', 'rumoured', 'could')", False),
    _c("negated", B, "the claim is negative or denied", False),
    _c("denial", B, "the sentence denies something ('denied', 'not true')", False),
    _c("cluster_id", S, "the distinct claim this mention belongs to", False),
    _c("source", S, "outlet of the article"),
    _c("published_at", UTC_TIMESTAMP, "publication time of the article"),
))

MATCHES = Table("matches", "matched mention pair", (
    _c("claim_id_a", S, "the smaller claim_id of the pair", False),
    _c("claim_id_b", S, "the larger claim_id of the pair", False),
    _c("score", F, "word similarity in [0, 1]", False),
    _c("method", S, "matcher version that produced the score", False),
    _c("relation", S, "same_claim, or conflict (same words, different number, date or polarity)", False,
       values=("same_claim", "conflict")),
))

CLUSTERS = Table("clusters", "distinct claim", (
    _c("cluster_id", S, "stable id of the distinct claim", False),
    _c("canonical_text", S, "the claim as its most-matched mention states it", False),
    _c("n_mentions", I, "mentions in the cluster", False),
    _c("n_articles", I, "articles with a mention", False),
    _c("n_sources", I, "distinct outlets with a mention", False),
    _c("n_independent", I, "independent origins: copies, one outlet and one cited source count once", False),
    _c("n_contradicting", I, "independent origins of mentions that contradict the claim", False),
    _c("score", F, "corroboration score in [0, 1] (see README); null when scoring this cluster failed"),
    _c("status", S, "corroborated, unconfirmed, single_source, hedged (every mention hedged, one on the record), "
       "rumour (every mention hedged, none with a named or official source), contested, or unscored (scoring "
       "failed; see rejects)", False,
       values=("corroborated", "unconfirmed", "single_source", "hedged", "rumour", "contested", "unscored")),
    _c("explanation", S, "the origins counted and why mentions were discounted", False),
    _c("origins", pa.list_(S), "labels of the independent origins"),
    _c("first_seen", UTC_TIMESTAMP, "earliest publication time among the mentions"),
    _c("first_article_id", S, "the article that carried the claim first"),
))

ARTICLE_LINKS = Table("article_links", "related article pair", (
    _c("article_id_a", S, "the smaller article_id of the pair", False),
    _c("article_id_b", S, "the larger article_id of the pair", False),
    _c("relation", S, "copy, excerpt, credited (shares passages with an article of the outlet it credits as its "
       "origin) or shares_passages; all but shares_passages put the pair in one copy group", False,
       values=("copy", "excerpt", "credited", "shares_passages")),
    _c("similarity", F, "Jaccard similarity of the 5-word shingle sets", False),
    _c("containment", F, "share of the shorter article's shingles found in the other", False),
))

REJECTS = Table("rejects", "rejected record, or a record that one later step failed on", (
    _c("input", S, "input file; null for a failure that no single input record caused (one cluster's scoring)"),
    _c("record_number", I, "1-based record number within the file; null where input is"),
    _c("reason", S, "why the record was rejected, or the step's error", False),
    _c("record", S, "the record as read, shortened to 2,000 characters"),
    _c("stage", S, "read (the record is not an article), or the later step that failed on it: split, copies, match, "
       "score, stance or verdict (the record is kept; that step's output for it is missing); null in outputs "
       "written before stages were recorded",
       values=("read", "split", "copies", "match", "score", "stance", "verdict")),
))

EVIDENCE = Table("evidence", "target claim and article that addresses it (verify mode)", (
    _c("target_id", S, "the target's id, as given in the targets file", False),
    _c("article_id", S, "an article that addresses the target", False),
    _c("claim_id", S, "the article's mention that the stance was read from (the closest one, unless another "
       "one's cue outranks it); null when no mention holds refute_threshold of the target's words"),
    _c("similarity", F, "share of the target's words, weighted by rarity, that that mention holds (the closest "
       "mention's share when none is cited)", False),
    _c("relatedness", F, "TF-IDF cosine of the target and the article, in [0, 1]", False),
    _c("stance", S, "support, refute or discuss (reports the claim without asserting it)", False,
       values=("support", "refute", "discuss")),
    _c("stance_reason", S, "the cue the stance rests on, quoted from the article where there is one", False),
    _c("support_probability", F, "the stance model's probability that the article supports the target; null "
       "under --stance rules"),
    _c("refute_probability", F, "... that it refutes it; null under --stance rules"),
    _c("discuss_probability", F, "... that it only reports it; null under --stance rules"),
    _c("source", S, "outlet of the article"),
    _c("copy_group", S, "the article's copy group: copies count as one origin", False),
    _c("published_at", UTC_TIMESTAMP, "publication time of the article"),
))

VERDICTS = Table("verdicts", "target claim (verify mode)", (
    _c("target_id", S, "the target's id, as given in the targets file", False),
    _c("text", S, "the target claim", False),
    _c("n_articles", I, "articles that address the target", False),
    _c("n_support", I, "articles that support it", False),
    _c("n_refute", I, "articles that refute it", False),
    _c("n_discuss", I, "articles that report it without taking a side", False),
    _c("n_independent_support", I, "independent origins of support: copies, one outlet and one cited source count once", False),
    _c("n_independent_refute", I, "independent origins of refutation, counted the same way", False),
    _c("score", F, "corroboration score in [0, 1]; higher is better corroborated (see README); null when the "
       "verdict failed"),
    _c("status", S, "corroborated, single_source, contested, refuted, unconfirmed, not_found, or unscored (the "
       "verdict failed; see rejects)", False,
       values=("corroborated", "single_source", "unconfirmed", "contested", "refuted", "not_found", "unscored")),
    _c("explanation", S, "the origins counted on each side, in words", False),
    _c("first_seen", UTC_TIMESTAMP, "earliest publication time among the addressing articles"),
))

TABLES: dict[str, Table] = {t.name: t for t in (ARTICLES, CLAIMS, MATCHES, CLUSTERS, ARTICLE_LINKS, REJECTS,
                                                EVIDENCE, VERDICTS)}
VERIFY_TABLES = frozenset({"evidence", "verdicts"})  # written only in verify mode (--claims)


def table_names(verify: bool) -> list[str]:
    """The tables a run writes, in declaration order."""
    return [name for name in TABLES if verify or name not in VERIFY_TABLES]


def schema(table: str) -> pa.Schema:
    return TABLES[table].schema


def _make_row_type(table: Table):
    cls = dataclasses.make_dataclass(
        "".join(part.title() for part in table.name.split("_")) + "Row",
        [(c.name, object) for c in table.columns],
        frozen=True,
    )
    cls.__module__ = __name__  # make_dataclass's module= needs Python 3.12
    cls.__doc__ = f"One row of the {table.name} table: one per {table.one_row_per}."
    return cls


_ROW_TYPES = {name: _make_row_type(t) for name, t in TABLES.items()}
globals().update({cls.__name__: cls for cls in _ROW_TYPES.values()})  # so rows pickle by reference


def row_type(table: str):
    return _ROW_TYPES[table]
