import pyarrow as pa
import pytest

from claims import copies, matching, mentions, scoring, verify
from schemas import TABLES, row_type, schema

REQUIRED = {  # the output contract in DESIGN.md
    "articles": ["article_id", "source", "url", "title", "published_at", "n_claims", "copy_group"],
    "claims": ["claim_id", "article_id", "position", "char_start", "char_end", "text", "kind", "speaker",
               "attributed_to", "hedged", "cluster_id"],
    "matches": ["claim_id_a", "claim_id_b", "score", "method"],
    "clusters": ["cluster_id", "canonical_text", "n_mentions", "n_articles", "n_sources", "n_independent", "score",
                 "status", "explanation"],
    "article_links": ["article_id_a", "article_id_b", "relation", "similarity"],
    "rejects": ["input", "record_number", "reason", "record"],
    "evidence": ["target_id", "article_id", "claim_id", "similarity", "stance"],
    "verdicts": ["target_id", "text", "n_articles", "n_independent_support", "n_independent_refute", "score",
                 "status"],
}


@pytest.mark.parametrize("table", sorted(REQUIRED))
def test_contract_columns_exist(table):
    assert set(REQUIRED[table]) <= set(TABLES[table].column_names)


def test_published_at_is_a_utc_timestamp():
    assert schema("articles").field("published_at").type == pa.timestamp("us", tz="UTC")


@pytest.mark.parametrize("table", sorted(TABLES))
def test_row_type_builds_a_valid_arrow_row(table):
    fields = TABLES[table].schema
    values = {f.name: None for f in fields}
    row = row_type(table)(**values)
    assert list(vars(row)) == fields.names
    with pytest.raises(TypeError):
        row_type(table)(**values, not_a_column=1)


def test_every_column_is_documented():
    assert all(c.doc for t in TABLES.values() for c in t.columns)


@pytest.mark.parametrize("table, column, labels", [
    pytest.param("claims", "kind", (mentions.DIRECT_QUOTE, mentions.REPORTED_SPEECH, mentions.STATEMENT), id="kind"),
    pytest.param("claims", "attribution_type", (mentions.PERSON, mentions.OUTLET, mentions.OFFICIAL,
                                                mentions.ANONYMOUS, mentions.SOCIAL_MEDIA), id="attribution_type"),
    pytest.param("matches", "relation", (matching.SAME_CLAIM, matching.CONFLICT), id="match relation"),
    pytest.param("clusters", "status", scoring.STATUSES, id="cluster status"),
    pytest.param("article_links", "relation", copies.RELATIONS,
                 id="link relation"),
    pytest.param("evidence", "stance", verify.STANCES, id="stance"),
    pytest.param("verdicts", "status", verify.VERDICT_STATUSES, id="verdict status"),
])
def test_declared_labels_are_the_ones_the_domain_code_writes(table, column, labels):
    declared = next(c for c in TABLES[table].columns if c.name == column).values
    assert sorted(declared) == sorted(labels)


def test_only_string_columns_declare_labels():
    for table in TABLES.values():
        for column in table.columns:
            assert column.values is None or (column.type == pa.string() and len(set(column.values)) > 1)
