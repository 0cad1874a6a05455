import json

import apache_beam as beam

from apache_beam.testing.util import assert_that, equal_to

from claims.records import ReadParams
from pipelines.read import ParseRecords, ReadArticles


def test_read_articles_parses_dedupes_and_counts(pipeline, tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("\n".join([json.dumps({"id": "x1", "text": "A fire broke out."}), "{broken",
                                json.dumps({"id": "x2", "text": "The roof fell in."})]) + "\n")
    second.write_text(json.dumps({"id": "x1", "text": "A copy with the same id."}) + "\n")
    paths = [str(first), str(second)]
    with pipeline as p:
        out = p | ReadArticles(paths, ReadParams())
        assert_that(out["articles"] | "ids" >> beam.Map(lambda a: (a.article_id, a.input)),
                    equal_to([("x1", str(first)), ("x2", str(first))]), label="articles")
        assert_that(out["rejects"] | "reasons" >> beam.Map(
            lambda r: (r.input, r.record_number, r.reason.split(":")[0].split(" '")[0])),
            equal_to([(str(first), 2, "malformed JSON"), (str(second), 1, "duplicate id")]), label="rejects")
        assert_that(out["file_counts"], equal_to([(str(first), 3), (str(second), 1)]), label="counts")


def test_a_corrupt_file_keeps_what_was_read_and_rejects_the_rest(pipeline, tmp_path):
    import gzip

    good = (json.dumps({"id": "ok", "text": "A fire broke out at the docks."}) + "\n").encode()
    data = gzip.compress(good + b"".join(
        (json.dumps({"id": f"n{i}", "text": "x" * 100}) + "\n").encode() for i in range(2000)))
    corrupt = tmp_path / "cut.jsonl.gz"
    corrupt.write_bytes(data[: len(data) // 2])  # truncated mid-stream
    with pipeline as p:
        out = p | ReadArticles([str(corrupt)], ReadParams())
        assert_that(out["articles"] | "first article" >> beam.Filter(lambda a: a.article_id == "ok")
                    | "its id" >> beam.Map(lambda a: a.article_id), equal_to(["ok"]), label="kept")
        assert_that(out["rejects"] | "why" >> beam.Map(lambda r: r.reason.startswith("cannot read the rest of the file")),
                    equal_to([True]), label="rejects")


def test_parse_records_keeps_one_article_per_id_and_rejects_the_rest(pipeline):
    records = [{"id": "x1", "text": "B comes second."}, {"id": "x1", "text": "A comes first."}, 42,
               {"id": "x2", "text": "The roof fell in."}]
    with pipeline as p:
        out = p | beam.Create(records) | ParseRecords(ReadParams(), "feed")
        assert_that(out["articles"] | "ids" >> beam.Map(lambda a: (a.article_id, a.text, a.input, a.record_number)),
                    equal_to([("x1", "A comes first.", "feed", None), ("x2", "The roof fell in.", "feed", None)]),
                    label="articles")
        assert_that(out["rejects"] | "reasons" >> beam.Map(lambda r: (r.input, r.reason)),
                    equal_to([("feed", "record is not a mapping of field names to values but a 'int'"),
                              ("feed", "duplicate id 'x1': another record with this id was kept")]), label="rejects")
