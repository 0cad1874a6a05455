import gzip
import io
import json
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claims.records import (Article, FieldMap, ReadParams, Reject, as_binary_stream, input_format, iter_records,
                            keep_first, missing_text_fields, parse_element, parse_mapping, parse_published, parse_text_file,
                            reject_kind, source_from_url)

PARAMS = ReadParams()


def read(name, data: bytes, params=PARAMS):
    return list(iter_records(io.BytesIO(data), name, params))


@pytest.mark.parametrize("path, fmt", [
    pytest.param("a.jsonl", "jsonl", id="jsonl"), pytest.param("gs://b/a.jsonl.gz", "jsonl", id="gzipped jsonl"),
    pytest.param("a.CSV", "csv", id="upper-case csv"), pytest.param("a.parquet", "parquet", id="parquet"),
    pytest.param("story.txt", "txt", id="txt"), pytest.param("a.xml", None, id="unsupported"),
    pytest.param("a.parquet.gz", None, id="compressed parquet cannot be read"),
])
def test_input_format(path, fmt):
    assert input_format(path) == fmt


@pytest.mark.parametrize("value, expected", [
    pytest.param("2026-03-04T06:45:00-05:00", datetime(2026, 3, 4, 11, 45, tzinfo=timezone.utc), id="ISO with offset"),
    pytest.param("2026-03-04T11:45:00Z", datetime(2026, 3, 4, 11, 45, tzinfo=timezone.utc), id="ISO Z"),
    pytest.param("2026-03-04", datetime(2026, 3, 4, tzinfo=timezone.utc), id="date only, taken as UTC"),
    pytest.param("Wed, 04 Mar 2026 11:45:00 GMT", datetime(2026, 3, 4, 11, 45, tzinfo=timezone.utc), id="RFC 2822"),
    pytest.param(0, datetime(1970, 1, 1, tzinfo=timezone.utc), id="epoch seconds"),
    pytest.param(1772624700000, datetime(2026, 3, 4, 11, 45, tzinfo=timezone.utc), id="epoch milliseconds"),
    pytest.param("1772624700", datetime(2026, 3, 4, 11, 45, tzinfo=timezone.utc), id="epoch seconds as text"),
    pytest.param(float("nan"), None, id="NaN"),
    pytest.param(1e20, None, id="out of range"),
    pytest.param("0001-01-01T00:00:00+01:00", None, id="overflows when made UTC"),
    pytest.param({"date": "2026-03-04"}, None, id="an object"),
    pytest.param("last Tuesday", None, id="unparseable"),
    pytest.param(None, None, id="missing"),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


def test_source_from_url_host():
    assert source_from_url("https://www.valleypost.example/news/1") == "valleypost.example"
    assert source_from_url(None) is None


def test_jsonl_records_and_rejects():
    lines = [json.dumps({"id": "a1", "text": "A fire broke out.", "url": "https://www.harbor.example/x"}).encode(),
             b"{not json",
             json.dumps({"id": "a2", "text": "  "}).encode(),
             b'{"id": "a3", "text": "caf\xe9"}',
             b"",
             json.dumps(["a list"]).encode(),
             json.dumps({"id": "a4", "text": 42}).encode()]
    out = read("in.jsonl", b"\n".join(lines) + b"\n")
    assert isinstance(out[0], Article) and out[0].source == "harbor.example" and out[0].record_number == 1
    reasons = [(r.record_number, r.reason.split(":")[0].split(" (")[0]) for r in out[1:]]
    assert reasons == [(2, "malformed JSON"), (3, "missing or empty text"), (4, "bytes that are not valid UTF-8"),
                       (6, "JSON line is a list, not an object"), (7, "text")]
    assert all(isinstance(r, Reject) and r.input == "in.jsonl" for r in out[1:])


@pytest.mark.parametrize("record, reason", [
    ({"id": "a", "body": "A fire broke out."},
     "missing or empty text (field 'text'): the record has no such field; its fields are 'id', 'body'"),
    ({"id": "a", "text": " "}, "missing or empty text (field 'text')"),
    ({f"c{i}": i for i in range(23)}, "missing or empty text (field 'text'): the record has no such field; its "
     "fields are " + ", ".join(f"'c{i}'" for i in range(20)) + " and 3 more"),
], ids=["another-name", "empty", "many-fields"])
def test_a_record_without_its_text_field_names_the_fields_it_has(record, reason):
    out = parse_mapping(record, "in.jsonl", 1, ReadParams())
    assert isinstance(out, Reject) and out.reason == reason
    assert reject_kind(out.reason) == "missing or empty text (field '...')"  # counted as one kind either way
    assert missing_text_fields(out.reason) == (reason.split("its fields are ")[1] if "such" in reason else None)


def test_oversized_article_is_rejected():
    out = read("in.jsonl", json.dumps({"id": "big", "text": "word " * 50}).encode(), ReadParams(max_chars=100))
    assert isinstance(out[0], Reject) and "over the limit of 100" in out[0].reason


def test_missing_id_gets_a_stable_hash():
    data = json.dumps({"text": "A fire broke out at the docks."}).encode()
    assert read("a.jsonl", data)[0].article_id == read("b.jsonl", data)[0].article_id


def test_csv_with_mapped_fields_bad_rows_and_bad_bytes():
    data = ("body,headline,link,when\n"
            '"A fire broke out, officials said.",Fire,https://harbortimes.example/f,2026-03-04\n'
            '"unterminated "quote" here,x,y,z\n'
            "only,three,fields\n").encode() + b'"caf\xe9 burned",t,https://x.example/1,2026-03-04\n'
    params = ReadParams(fields=FieldMap(text="body", title="headline", url="link", published="when"))
    out = read("in.csv", data, params)
    assert isinstance(out[0], Article) and out[0].title == "Fire" and out[0].source == "harbortimes.example"
    assert out[0].published_at == datetime(2026, 3, 4, tzinfo=timezone.utc)
    assert [type(r).__name__ for r in out[1:]] == ["Reject", "Reject", "Reject"]
    assert "CSV row cannot be parsed" in out[1].reason
    assert "3 fields; the header has 4" in out[2].reason
    assert "not valid UTF-8" in out[3].reason
    assert [r.record_number for r in out] == [1, 2, 3, 4]


def test_parquet_records():
    table = pa.table({"doc_id": ["p1", "p2"], "content": ["A fire broke out at the docks.", None]})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    params = ReadParams(fields=FieldMap(id="doc_id", text="content"))
    out = read("in.parquet", buf.getvalue(), params)
    assert isinstance(out[0], Article) and out[0].article_id == "p1"
    assert isinstance(out[1], Reject) and out[1].record_number == 2


def test_text_file_title_and_stem():
    article = parse_text_file(b"Fire at the docks\n\nA fire broke out.\nIt spread.", "dir/fire-story.txt", PARAMS)
    assert (article.article_id, article.title, article.text) == ("fire-story", "Fire at the docks",
                                                                 "A fire broke out.\nIt spread.")
    untitled = parse_text_file(b"A fire broke out.\nIt spread.", "dir/untitled.txt", PARAMS)
    assert untitled.title is None and untitled.text.startswith("A fire")


def test_gzip_stream_without_readinto_is_adapted():
    class ReadOnly:  # like Beam's CompressedFile: read() but not a full io stream
        def __init__(self, data):
            self._f = io.BytesIO(data)

        def read(self, n=-1):
            return self._f.read(n)

    data = gzip.decompress(gzip.compress(b'{"id": "g", "text": "A fire broke out."}\n'))
    out = list(iter_records(ReadOnly(data), "a.jsonl.gz", PARAMS))
    assert out[0].article_id == "g"
    assert as_binary_stream(io.BytesIO(b"x")).read() == b"x"


def test_keep_first_duplicate_by_input_order_then_record():
    def art(inp, n):
        return Article("dup", "text", None, None, None, None, None, inp, n)
    kept, rejects = keep_first([art("b.jsonl", 1), art("a.jsonl", 5), art("a.jsonl", 2)], {"a.jsonl": 0, "b.jsonl": 1})
    assert (kept.input, kept.record_number) == ("a.jsonl", 2)
    assert [(r.input, r.record_number) for r in rejects] == [("a.jsonl", 5), ("b.jsonl", 1)]
    assert all("duplicate id 'dup'" in r.reason for r in rejects)


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)], ids=["as-given", "reversed", "rotated"])
def test_keep_first_of_numberless_records_is_chosen_by_content_whatever_the_order(order):
    versions = [Article("dup", text, None, None, None, None, None, "records", None)
                for text in ("Zebra text.", "Alpha text.", "Middle text.")]
    kept, rejects = keep_first([versions[i] for i in order], {})
    assert kept.text == "Alpha text."
    assert [r.record_number for r in rejects] == [None, None]
    assert all(r.reason == "duplicate id 'dup': another record with this id was kept" for r in rejects)


@pytest.mark.parametrize("element, reason", [
    ("A fire broke out.", "record is not a mapping of field names to values but a 'str'"),
    (["id", "text"], "record is not a mapping of field names to values but a 'list'"),
    ({"id": "x", "body": "A fire."}, "missing or empty text (field 'text'): the record has no such field; its fields "
                                     "are 'id', 'body'"),
], ids=["string", "list", "no-text-field"])
def test_an_element_that_is_no_record_is_rejected_with_its_reason(element, reason):
    reject = parse_element(element, "records", PARAMS)
    assert isinstance(reject, Reject)
    assert (reject.input, reject.record_number, reject.reason) == ("records", None, reason)


def test_an_element_is_read_as_a_jsonl_record_without_a_number():
    record = {"id": 7, "text": "A fire broke out.", "source": "Harbor Times", "published": "2026-03-04T10:00:00Z",
              "extra": object()}  # a value JSON cannot hold is kept in the raw record as text
    article = parse_element(record, "feed", PARAMS)
    assert (article.article_id, article.source, article.input, article.record_number) == ("7", "Harbor Times",
                                                                                          "feed", None)
    assert article.published_at == datetime(2026, 3, 4, 10, tzinfo=timezone.utc)


def test_field_map_validates_itself():
    with pytest.raises(ValueError):
        FieldMap(text="")
    with pytest.raises(ValueError):
        ReadParams(max_chars=0)


def test_lone_surrogates_reject_the_text_and_are_escaped_elsewhere():
    bad_text = b'{"id": "s1", "text": "half an emoji \\ud83d here"}'
    bad_title = b'{"id": "s2", "text": "A fire broke out.", "title": "odd \\ud800 title"}'
    rejected, accepted = read("in.jsonl", bad_text + b"\n" + bad_title + b"\n")
    assert isinstance(rejected, Reject) and rejected.reason.startswith("text that is not valid UTF-8")
    assert accepted.title == "odd \\ud800 title"
    accepted.title.encode("utf-8")  # writable to Parquet


def test_one_odd_record_does_not_cost_the_rest_of_the_file():
    lines = [json.dumps({"id": "a", "text": "A fire broke out.", "published": {"nested": True}}),
             '{"id": "b", "text": "deep", "x": ' + "[" * 100000 + "]" * 100000 + "}",
             json.dumps({"id": {"x": 1}, "text": "An object as an id."}),
             json.dumps({"id": 7.0, "text": "A float id that is whole."}),
             json.dumps({"id": "c", "text": "The last record is still read."})]
    out = read("in.jsonl", "\n".join(lines).encode())
    assert [type(r).__name__ for r in out] == ["Article", "Reject", "Reject", "Article", "Article"]
    assert out[0].published_at is None and out[0].published_raw == "{'nested': True}"
    assert out[1].reason.startswith("malformed JSON: RecursionError")
    assert "id (field 'id') is a dict" in out[2].reason
    assert out[3].article_id == "7"


def test_byte_order_marks_are_ignored():
    bom = b"\xef\xbb\xbf"
    assert read("a.csv", bom + b"text,id\nA fire broke out.,1\n")[0].article_id == "1"
    assert read("a.jsonl", bom + b'{"id": "j", "text": "A fire broke out."}\n')[0].article_id == "j"


def test_csv_field_longer_than_the_csv_module_default_is_read():
    text = "word " * 40_000  # 200,000 characters: over csv's default 131,072 field limit
    out = read("a.csv", f"id,text\nbig,{text}\n".encode(), ReadParams(max_chars=250_000))
    assert isinstance(out[0], Article) and out[0].text == text
