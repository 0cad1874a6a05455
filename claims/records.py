"""Parse input records (JSONL, CSV, Parquet, plain text) into articles or rejects.

Every record read becomes exactly one `Article` or one `Reject` with a reason,
so the run's counts balance: records read = accepted + rejected. The parsers
take open binary streams, so they work the same on local files, gzip files
and cloud objects (the pipeline opens them through Beam's FileSystems).
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath
from urllib.parse import urlparse

from claims.ids import stable_id
from claims.text import clip

REJECT_RECORD_CHARS = 2000  # a rejected record is kept up to this many characters
OVER_SIZE_LIMIT = "article is"  # how a reason for the article-size limit starts; the manifest counts them

FORMATS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".txt": "txt",
}
COMPRESSED_SUFFIXES = (".gz", ".bz2", ".zst", ".deflate")


@dataclass(frozen=True)
class FieldMap:
    """Which input column holds each article field (`--id-field` and friends)."""

    id: str = "id"
    text: str = "text"
    title: str = "title"
    source: str = "source"
    url: str = "url"
    published: str = "published"

    def __post_init__(self):
        for name, value in self.__dict__.items():
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"field name for {name!r} must be a non-empty string")


@dataclass(frozen=True)
class ReadParams:
    fields: FieldMap = field(default_factory=FieldMap)
    max_chars: int = 200_000

    def __post_init__(self):
        if self.max_chars < 1:
            raise ValueError("max_chars must be at least 1")


@dataclass(frozen=True)
class Article:
    article_id: str
    text: str
    title: str | None
    source: str | None
    url: str | None
    published_at: datetime | None
    published_raw: str | None
    input: str
    record_number: int | None  # None for a record from a PCollection (ExtractClaims), which has no order


READ_STAGE = "read"  # a Reject from the readers: the record never became an article


@dataclass(frozen=True)
class Reject:
    input: str | None
    record_number: int | None
    reason: str
    record: str
    stage: str = READ_STAGE  # or the later step that failed on an accepted article (see claims.faults)


def reject_kind(reason: str) -> str:
    """A reject reason without its particulars, for counting: "CSV row has 5 fields; the header has 3" and
    "... 7 fields ..." are one kind, as are "duplicate id 'a'" and "duplicate id 'b'"."""
    head = reason.split(":", 1)[0]
    return re.sub(r"\d+", "N", re.sub(r"'[^']*'|\"[^\"]*\"", "'...'", head)).strip()


def input_format(path: str) -> str | None:
    """The format of `path` from its extension ("a.jsonl.gz" -> "jsonl"), or None."""
    name = PurePosixPath(path.rstrip("/")).name.lower()
    compressed = False
    for suffix in COMPRESSED_SUFFIXES:
        if name.endswith(suffix):
            name, compressed = name[: -len(suffix)], True
    fmt = FORMATS.get(PurePosixPath(name).suffix)
    return None if fmt == "parquet" and compressed else fmt  # Parquet compresses inside; readers need to seek


def source_from_url(url: str | None) -> str | None:
    """The URL's host without "www.", used as the outlet when `source` is missing."""
    if not url:
        return None
    host = urlparse(url if "//" in url else f"//{url}").hostname
    return re.sub(r"^www\d?\.", "", host) if host else None


_EPOCH_MS_FROM = 10**11  # larger epoch numbers are milliseconds (10**11 seconds is the year 5138)


def _from_epoch(value: float) -> datetime | None:
    seconds = value / 1000 if abs(value) >= _EPOCH_MS_FROM else value
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def parse_published(value) -> datetime | None:
    """A UTC datetime from ISO 8601, RFC 2822 or epoch seconds or milliseconds (also as digit strings).

    Naive times are taken as UTC. Anything unparseable or out of range gives None;
    the caller keeps the raw value.
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, (int, float)):
        return _from_epoch(value) if value == value else None  # NaN is not a time
    elif not isinstance(value, str):
        return None
    else:
        text = value.strip()
        if re.fullmatch(r"-?\d{9,14}(?:\.\d+)?", text):
            return _from_epoch(float(text))
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            try:
                parsed = parsedate_to_datetime(text)
            except (TypeError, ValueError, IndexError, OverflowError):
                return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


def _optional_text(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if _has_surrogates(text):
        text = _printable(text)
    return text or None


def shorten_record(record: str) -> str:
    """A record as stored in rejects: cut to REJECT_RECORD_CHARS characters."""
    return record if len(record) <= REJECT_RECORD_CHARS else record[:REJECT_RECORD_CHARS] + "..."


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _has_surrogates(text: str) -> bool:
    """True when `text` cannot be written as UTF-8: bytes kept by errors="surrogateescape",
    or a lone surrogate from a JSON escape such as "\\ud83d". (A regex, since a loop in Python costs 50 ns a
    character: half a second on a 10 MB record, and more than splitting on an ordinary article.)"""
    return _SURROGATE_RE.search(text) is not None


def _printable(text: str) -> str:
    """`text` with undecodable bytes and lone surrogates shown as escapes, so it can be stored."""
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


MISSING_TEXT = "missing or empty text"
_FIELDS_LISTED = 20


def missing_text_reason(text_field: str, record: dict | None = None) -> str:
    """The reject reason for a record without text; `record` when it has no `text_field` at all, so that the
    reason names the fields it has, one of which is probably the text under another name."""
    reason = f"{MISSING_TEXT} (field {text_field!r})"
    if record is None:
        return reason
    names = [clip(" ".join(str(name).split()), 40) for name in record][:_FIELDS_LISTED]
    more = f" and {len(record) - _FIELDS_LISTED} more" if len(record) > _FIELDS_LISTED else ""
    return f"{reason}: the record has no such field; its fields are " + (
        ", ".join(repr(name) for name in names) + more if names else "none")


def missing_text_fields(reason: str) -> str | None:
    """The field list that missing_text_reason put in `reason`, or None."""
    head, _, fields = reason.partition("; its fields are ")
    return fields if fields and head.startswith(MISSING_TEXT) else None


def parse_mapping(record: dict, input_path: str, record_number: int | None, params: ReadParams,
                  raw: str | None = None) -> Article | Reject:
    """Validate one record (a dict of input columns) into an Article, or reject it with a reason."""
    f = params.fields
    raw = raw if raw is not None else json.dumps(record, default=str, ensure_ascii=False)

    def reject(reason: str) -> Reject:
        return Reject(input_path, record_number, reason, shorten_record(raw))

    text = record.get(f.text)
    if text is None or (isinstance(text, str) and not text.strip()):
        return reject(missing_text_reason(f.text, None if f.text in record else record))
    if not isinstance(text, str):
        return reject(f"text (field {f.text!r}) is a {type(text).__name__}, not a string")
    if _has_surrogates(text):
        return reject("text that is not valid UTF-8 (undecodable bytes or a lone surrogate)")
    if len(text) > params.max_chars:
        return reject(f"{OVER_SIZE_LIMIT} {len(text):,} characters, over the limit of {params.max_chars:,}")
    title, url = _optional_text(record.get(f.title)), _optional_text(record.get(f.url))
    source = _optional_text(record.get(f.source)) or source_from_url(url)
    raw_published = record.get(f.published)
    published_raw = _optional_text(raw_published)
    raw_id = record.get(f.id)
    if isinstance(raw_id, (dict, list, bool)):
        return reject(f"id (field {f.id!r}) is a {type(raw_id).__name__}, not a string or number")
    if isinstance(raw_id, float) and raw_id.is_integer():
        raw_id = int(raw_id)  # 17.0 from a numeric column is id "17"
    article_id = _optional_text(raw_id)
    if article_id is None:
        article_id = stable_id("a", source, url, title, text)
    return Article(article_id, text, title, source, url, parse_published(raw_published),
                   published_raw, input_path, record_number)


def _guarded_parse(record: dict, input_path: str, record_number: int | None, params: ReadParams,
                   raw: str) -> Article | Reject:
    """parse_mapping, with any unexpected failure kept to this one record as a reject."""
    try:
        return parse_mapping(record, input_path, record_number, params, raw=raw)
    except Exception as err:  # one odd value must not cost the rest of the file
        return Reject(input_path, record_number, f"record cannot be parsed: {type(err).__name__}: {err}",
                      shorten_record(_printable(raw)))


def parse_element(element, label: str, params: ReadParams) -> Article | Reject:
    """One record handed over in memory (an element of a PCollection), which has no file and no number."""
    if not isinstance(element, Mapping):
        kind = type(element).__name__
        return Reject(label, None, f"record is not a mapping of field names to values but a {kind!r}",
                      shorten_record(_printable(repr(element))))
    record = dict(element)
    try:
        raw = json.dumps(record, default=str, ensure_ascii=False)
    except (TypeError, ValueError):  # keys that JSON cannot hold, a value that refers to itself
        raw = repr(record)
    return _guarded_parse(record, label, None, params, raw)


def iter_jsonl(stream, input_path: str, params: ReadParams) -> Iterator[Article | Reject]:
    """One record per non-blank line of a JSON Lines stream."""
    for line_number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        if line_number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]  # a UTF-8 byte-order mark, as Windows tools write
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as err:
            yield Reject(input_path, line_number, f"bytes that are not valid UTF-8 ({err.reason} at byte {err.start})",
                         shorten_record(line.decode("utf-8", "backslashreplace").rstrip("\r\n")))
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as err:
            yield Reject(input_path, line_number, f"malformed JSON: {err.msg} at column {err.colno}",
                         shorten_record(text.rstrip("\r\n")))
            continue
        except (ValueError, RecursionError) as err:  # e.g. nesting too deep, an integer too long
            yield Reject(input_path, line_number, f"malformed JSON: {type(err).__name__}: {err}",
                         shorten_record(text.rstrip("\r\n")))
            continue
        if not isinstance(record, dict):
            yield Reject(input_path, line_number, f"JSON line is a {type(record).__name__}, not an object",
                         shorten_record(text.rstrip("\r\n")))
            continue
        yield _guarded_parse(record, input_path, line_number, params, text.rstrip("\r\n"))


class _LineTap:
    """Iterates a text stream's lines for csv.reader while remembering the current row's raw text."""

    def __init__(self, text_stream):
        self._lines = iter(text_stream)
        self.consumed: list[str] = []

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.consumed.append(line)
        return line

    def take(self) -> str:
        raw, self.consumed = "".join(self.consumed), []
        return raw.rstrip("\r\n")


def iter_csv(stream, input_path: str, params: ReadParams) -> Iterator[Article | Reject]:
    """One record per data row of a CSV stream with a header row."""
    # utf-8-sig drops a byte-order mark; the field limit must admit any article up to max_chars
    csv.field_size_limit(max(csv.field_size_limit(), 4 * params.max_chars + 1))
    text_stream = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    tap = _LineTap(text_stream)
    reader = csv.reader(tap, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as err:
        raise ValueError(f"{input_path}: the CSV header cannot be parsed ({err})") from err
    tap.take()
    row_number = 0
    while True:
        row_number += 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield Reject(input_path, row_number, f"CSV row cannot be parsed: {err}",
                         shorten_record(_printable(tap.take())))
            continue
        raw = tap.take()
        if not any(cell.strip() for cell in row):
            row_number -= 1  # a blank line is not a record
            continue
        if len(row) != len(header):
            yield Reject(input_path, row_number, f"CSV row has {len(row)} fields; the header has {len(header)}",
                         shorten_record(_printable(raw)))
            continue
        if _has_surrogates(raw):
            yield Reject(input_path, row_number, "bytes that are not valid UTF-8", shorten_record(_printable(raw)))
            continue
        yield _guarded_parse(dict(zip(header, row)), input_path, row_number, params, raw)


def iter_parquet(stream, input_path: str, params: ReadParams) -> Iterator[Article | Reject]:
    """One record per row of a Parquet file, read a row group at a time."""
    import pyarrow.parquet as pq  # local import: only Parquet inputs need it

    parquet = pq.ParquetFile(stream)
    row_number = 0
    for batch in parquet.iter_batches(batch_size=1024):
        for record in batch.to_pylist():
            row_number += 1
            for key, value in record.items():
                if isinstance(value, bytes):
                    try:
                        record[key] = value.decode("utf-8")
                    except UnicodeDecodeError:
                        record[key] = value.decode("utf-8", "surrogateescape")
            yield _guarded_parse(record, input_path, row_number, params,
                                 _printable(json.dumps(record, default=str, ensure_ascii=False)))


def parse_text_file(data: bytes, input_path: str, params: ReadParams) -> Article | Reject:
    """A .txt file is one article: the id is the file stem; the first line is the title when a blank line follows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return Reject(input_path, 1, f"bytes that are not valid UTF-8 ({err.reason} at byte {err.start})",
                      shorten_record(data.decode("utf-8", "backslashreplace")))
    text = text.replace("\r\n", "\n")
    title = None
    # Not one regex: a lazy title group beside [ \t]* backtracks quadratically on a long first line of spaces.
    first, newline, rest = text.partition("\n")
    blank, newline_2, body = rest.partition("\n")
    if newline and newline_2 and first.strip(" \t") and not blank.strip(" \t"):
        title, text = first.strip(" \t"), body
    name = PurePosixPath(input_path.rstrip("/")).name
    stem = re.sub(r"\.txt(?:\.\w+)?$", "", name, flags=re.I)
    record = {params.fields.id: stem, params.fields.text: text, params.fields.title: title}
    return _guarded_parse(record, input_path, 1, params, text)


class _ReadAdapter(io.RawIOBase):
    """Presents any object with read(n) (e.g. Beam's CompressedFile) as a raw io stream."""

    def __init__(self, stream):
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def as_binary_stream(stream):
    """`stream` itself if it is a full io stream, else a buffered wrapper around its read()."""
    if isinstance(stream, io.IOBase) and hasattr(stream, "readinto"):
        return stream
    return io.BufferedReader(_ReadAdapter(stream))


def iter_records(stream, input_path: str, params: ReadParams) -> Iterator[Article | Reject]:
    """Dispatch on the file's format; `stream` is an open, decompressed binary stream."""
    fmt = input_format(input_path)
    if fmt != "parquet":  # Parquet needs the original, seekable stream
        stream = as_binary_stream(stream)
    if fmt == "jsonl":
        yield from iter_jsonl(stream, input_path, params)
    elif fmt == "csv":
        yield from iter_csv(stream, input_path, params)
    elif fmt == "parquet":
        yield from iter_parquet(stream, input_path, params)
    elif fmt == "txt":
        yield parse_text_file(stream.read(), input_path, params)
    else:
        raise ValueError(f"{input_path}: unsupported input format (use .jsonl, .csv, .parquet or .txt)")


def keep_first(duplicates: list[Article], input_rank: dict[str, int]) -> tuple[Article, list[Reject]]:
    """Of articles sharing an id, keep the first by (input order, record number); reject the rest.

    Records without a number (from a PCollection, which has no order) are ordered by their content instead,
    so that every runner keeps the same one."""
    def order(a: Article):
        return (input_rank.get(a.input, len(input_rank)), a.input, a.record_number is None, a.record_number or 0,
                a.text, a.title or "", a.source or "", a.url or "", a.published_raw or "")

    ordered = sorted(duplicates, key=order)
    kept = ordered[0]
    kept_from = (f"first seen in {kept.input} record {kept.record_number}" if kept.record_number is not None
                 else "another record with this id was kept")
    rejects = [Reject(a.input, a.record_number, f"duplicate id {a.article_id!r}: {kept_from}",
                      shorten_record(json.dumps({"id": a.article_id, "title": a.title, "text": a.text}, ensure_ascii=False)))
               for a in ordered[1:]]
    return kept, rejects
