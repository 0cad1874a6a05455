"""ExtractClaims: claimbeam inside a Beam pipeline of one's own gives the tables that `claimbeam run` writes."""
import json

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam.testing.util import assert_that, equal_to

from claims.records import FieldMap, ReadParams
from claims.verify import parse_targets
from pipelines import ClaimParams, ExtractClaims
from pipelines.cli import sample_corpus_path, sample_targets_path
from schemas import TABLES, VERIFY_TABLES

_FROM_THE_FILE = ("input", "record_number")  # where a file's article came from; a PCollection has neither


def _canonical(row: dict, table: str) -> str:
    """One row as comparable text: through the table's Arrow schema, as the writer converts it."""
    arrow = pa.Table.from_pylist([row], schema=TABLES[table].schema).to_pylist()[0]
    if table == "articles":
        arrow = {k: v for k, v in arrow.items() if k not in _FROM_THE_FILE}
    return json.dumps(arrow, sort_keys=True, default=str)


def _sample_records() -> list[dict]:
    with open(sample_corpus_path(), encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_extract_claims_gives_the_tables_that_the_command_line_writes(pipeline, sample_output):
    with open(sample_targets_path(), encoding="utf-8") as f:
        params = ClaimParams(targets=tuple(parse_targets(f, sample_targets_path())))
    expected = {name: [_canonical(row, name) for row in pq.read_table(sample_output / name).to_pylist()]
                for name in TABLES}
    assert set(expected) == {"articles", "claims", "matches", "clusters", "article_links", "rejects", *VERIFY_TABLES}
    assert all(expected[name] for name in expected if name != "rejects")  # a comparison of empty tables proves little
    with pipeline as p:
        tables = p | beam.Create(_sample_records()) | ExtractClaims(params)
        assert set(tables) == set(expected)
        for name, rows in tables.items():
            assert_that(rows | f"Canonical {name}" >> beam.Map(lambda r, t=name: _canonical(vars(r), t)),
                        equal_to(expected[name]), label=f"Same {name}")


def test_records_that_are_not_articles_become_rejects_and_a_repeated_id_keeps_one(pipeline):
    records = _sample_records()[:2]
    repeat = {**records[0], "text": "A different text under the same id."}
    with pipeline as p:
        tables = p | beam.Create([*records, repeat, "a plain string", {"id": "bare"}]) | ExtractClaims(label="feed")
        assert_that(tables["articles"] | beam.Map(lambda a: (a.article_id, a.input, a.record_number)),
                    equal_to([(r["id"], "feed", None) for r in records]), label="Articles")
        assert_that(tables["rejects"] | beam.Map(lambda r: (r.input, r.record_number, r.stage,
                                                             r.reason.split(":")[0].split(" (")[0])),
                    equal_to([("feed", None, "read", f"duplicate id {records[0]['id']!r}"),
                              ("feed", None, "read", "record is not a mapping of field names to values but a 'str'"),
                              ("feed", None, "read", "missing or empty text")]), label="Rejects")


def test_extract_claims_reads_renamed_fields(pipeline):
    params = ClaimParams(read=ReadParams(fields=FieldMap(id="key", text="body")))
    records = [{"key": r["id"], "body": r["text"], "source": r.get("source")} for r in _sample_records()[:3]]
    with pipeline as p:
        tables = p | beam.Create(records) | ExtractClaims(params)
        assert_that(tables["articles"] | beam.Map(lambda a: a.article_id), equal_to([r["key"] for r in records]))


def test_claim_params_validate_their_targets():
    with pytest.raises(ValueError, match="Target"):
        ClaimParams(targets=({"id": "t1", "text": "A claim."},))
