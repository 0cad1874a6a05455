"""ReadArticles: input files -> articles; ParseRecords: a PCollection of dicts -> articles. Every bad record,
and every repeat of an id, is sent to rejects."""
from __future__ import annotations

import gzip

import apache_beam as beam
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics

from claims.records import ReadParams, Reject, iter_records, keep_first, parse_element

ARTICLES, REJECTS, FILE_COUNTS = "articles", "rejects", "file_counts"


def open_input(path: str):
    """Opens a decompressed binary stream on any Beam filesystem.

    gzip is decompressed here rather than by Beam, whose reader stops quietly
    at a truncated stream; Python's raises, so a cut-off file is reported.
    """
    if path.lower().endswith(".gz"):
        return gzip.GzipFile(fileobj=FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED))
    return FileSystems.open(path)


def _routed(item, rejected):
    """An article to the main output; a reject, counted, to REJECTS."""
    if isinstance(item, Reject):
        rejected.inc()
        return beam.pvalue.TaggedOutput(REJECTS, item)
    return item


class _ParseFile(beam.DoFn):
    """Opens one input file (any Beam filesystem, compression from the extension) and parses its records."""

    def __init__(self, params: ReadParams):
        self._params = params
        self._read = Metrics.counter("read", "records_read")
        self._rejected = Metrics.counter("read", "records_rejected")
        self._unreadable = Metrics.counter("read", "files_unreadable")

    def process(self, path: str):
        n_read = 0
        try:
            with open_input(path) as stream:
                for item in iter_records(stream, path, self._params):
                    n_read += 1
                    yield _routed(item, self._rejected)
        except Exception as err:  # a corrupt or unreadable file: keep what was read, reject the rest
            n_read += 1
            self._rejected.inc()
            self._unreadable.inc()
            yield beam.pvalue.TaggedOutput(REJECTS, Reject(
                path, n_read, f"cannot read the rest of the file after record {n_read - 1}: "
                              f"{type(err).__name__}: {err}", ""))
        self._read.inc(n_read)
        yield beam.pvalue.TaggedOutput(FILE_COUNTS, (path, n_read))


class _KeepFirstOfDuplicates(beam.DoFn):
    def __init__(self, input_rank: dict[str, int]):
        self._input_rank = input_rank
        self._duplicates = Metrics.counter("read", "duplicate_ids")

    def process(self, keyed):
        _, articles = keyed
        kept, rejects = keep_first(list(articles), self._input_rank)
        yield kept
        for reject in rejects:
            self._duplicates.inc()
            yield beam.pvalue.TaggedOutput(REJECTS, reject)


class KeepFirstOfEachId(beam.PTransform):
    """{"articles", "rejects"} as parsed -> {"articles": one article per id, "rejects": the parsing rejects and
    the repeats, each repeat naming the article kept}."""

    def __init__(self, input_rank: dict[str, int] | None = None):
        super().__init__()
        self._input_rank = dict(input_rank or {})

    def expand(self, parsed):
        unique = (
            parsed[ARTICLES]
            | "Key articles by id" >> beam.Map(lambda a: (a.article_id, a))
            # (article_id, Article)
            | "Group articles by id" >> beam.GroupByKey()
            # (article_id, [Article, ...])
            | "Keep the first article of each id" >> beam.ParDo(
                _KeepFirstOfDuplicates(self._input_rank)).with_outputs(REJECTS, main=ARTICLES))
        rejects = (parsed[REJECTS], unique[REJECTS]) | "Collect all rejects" >> beam.Flatten()
        return {ARTICLES: unique[ARTICLES], REJECTS: rejects}


class ReadArticles(beam.PTransform):
    """Reads articles from files; returns {"articles", "rejects", "file_counts": (path, records read)}."""

    def __init__(self, paths: list[str], params: ReadParams):
        super().__init__()
        self._paths = list(paths)
        self._params = params

    def expand(self, pbegin):
        parsed = (
            pbegin
            | "List the input files" >> beam.Create(self._paths)
            | "Spread the files over workers" >> beam.Reshuffle()
            | "Parse each file's records" >> beam.ParDo(_ParseFile(self._params)).with_outputs(
                REJECTS, FILE_COUNTS, main=ARTICLES))
        unique = ({ARTICLES: parsed[ARTICLES], REJECTS: parsed[REJECTS]}
                  | "Drop repeated ids" >> KeepFirstOfEachId({p: i for i, p in enumerate(self._paths)}))
        return {**unique, FILE_COUNTS: parsed[FILE_COUNTS]}


class _ParseRecord(beam.DoFn):
    def __init__(self, params: ReadParams, label: str):
        self._params, self._label = params, label
        self._rejected = Metrics.counter("read", "records_rejected")

    def process(self, element):
        yield _routed(parse_element(element, self._label, self._params), self._rejected)


class ParseRecords(beam.PTransform):
    """A PCollection of records (dicts of fields, as a JSONL line) -> {"articles", "rejects"}.

    A PCollection has no order, so of records sharing an id the one kept is chosen by content, the same on
    every runner; its input is `label` and its record number is null."""

    def __init__(self, params: ReadParams, label: str = "records"):
        super().__init__()
        self._params, self._label = params, label

    def expand(self, records):
        parsed = records | "Parse each record" >> beam.ParDo(_ParseRecord(self._params, self._label)).with_outputs(
            REJECTS, main=ARTICLES)
        return {ARTICLES: parsed[ARTICLES], REJECTS: parsed[REJECTS]} | "Drop repeated ids" >> KeepFirstOfEachId()
