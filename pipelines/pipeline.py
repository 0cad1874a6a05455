"""The whole data flow: read -> split / copies -> match -> score [-> verify] -> write.

`FindClaims` is every step between reading and writing, `ExtractClaims` the same over a PCollection of
records (dicts) for a Beam pipeline of one's own, and `build` the `claimbeam run` pipeline around them.
"""
from __future__ import annotations

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from pipelines.copies import DetectCopies
from pipelines.faults import FAULTS, TALLIES, WriteRunCounts
from pipelines.match import MatchClaims
from pipelines.options import ClaimParams, RunConfig
from pipelines.progress import ReportProgress
from pipelines.read import ARTICLES, REJECTS, ParseRecords, ReadArticles
from pipelines.score import AttachArticles, ScoreCorroboration
from pipelines.split import SplitClaims
from pipelines.verify import VerifyTargets
from pipelines.write import WriteTables
from schemas import row_type

RUN_DIR = "_run"  # scratch output the CLI turns into manifest.json, then removes
FILE_COUNTS_FILE = "file_counts.json"  # records read per input file
TALLIES_FILE = "tallies.json"  # sentences split and filtered, limits hit (pipelines/faults.py)
RejectsRow = row_type("rejects")


class FindClaims(beam.PTransform):
    """{"articles": Article, "rejects": Reject} -> every output table's rows by table name (schemas.row_type),
    plus TALLIES: (name, count) pairs of what was filtered and which limits were hit."""

    def __init__(self, params: ClaimParams):
        super().__init__()
        self._params = params

    def expand(self, read):
        params = self._params
        articles = read[ARTICLES] | "Report articles read" >> ReportProgress("read", "articles")
        split = articles | "Split articles into claims" >> SplitClaims(params.split)
        mentions = split["mentions"] | "Report claims split" >> ReportProgress("split", "claim mentions")
        copies = articles | "Detect copies" >> DetectCopies(params.copies)
        matched = mentions | "Match claims" >> MatchClaims(params.match)
        attached = ({"articles": articles, "copy_groups": copies["copy_groups"], "mentions": mentions}
                    | "Attach articles to mentions" >> AttachArticles())
        scored = ({"evidence": attached["evidence"], "assignments": matched["assignments"],
                   "conflicts": matched["conflicts"]}
                  | "Score corroboration" >> ScoreCorroboration(params.score))
        faults = [split[FAULTS], copies[FAULTS], matched[FAULTS], scored[FAULTS]]
        tables = {
            "articles": attached["articles"],
            "claims": scored["claims"],
            "matches": matched["matches"] | "Report pairs matched" >> ReportProgress("match", "matched pairs"),
            "clusters": scored["clusters"] | "Report claims scored" >> ReportProgress("score", "distinct claims"),
            "article_links": copies["links"],
        }
        if params.verify_mode:
            verified = ({"targets": articles.pipeline | "Read target claims" >> beam.Create(params.targets),
                         "articles": articles, "copy_groups": copies["copy_groups"], "mentions": mentions}
                        | "Verify target claims" >> VerifyTargets(params.verify, params.score,
                                                                  params.load_stance_model()))
            faults.append(verified.pop(FAULTS))
            verified["verdicts"] = verified["verdicts"] | "Report targets checked" >> ReportProgress("verify",
                                                                                                     "targets")
            tables.update(verified)
        # Bad records, and the accepted articles, clusters and targets that one step failed on (each names its stage)
        tables["rejects"] = ((read[REJECTS], *faults)
                             | "Collect rejects and failures" >> beam.Flatten()
                             | "Build reject rows" >> beam.Map(lambda r: RejectsRow(**vars(r))))
        tables[TALLIES] = ((split[TALLIES], matched[TALLIES]) | "Collect tallies" >> beam.Flatten())
        return tables


class ExtractClaims(beam.PTransform):
    """claimbeam inside your own Beam pipeline: a PCollection of records -> the output tables' rows.

    Each record is a dict of fields, read as `claimbeam run` reads a JSONL line: `id` and `text`, and
    optionally `title`, `source`, `url` and `published` (rename them with `ClaimParams(read=ReadParams(
    fields=FieldMap(...)))`). Returns a dict of PCollections by table name ("articles", "claims", "matches",
    "clusters", "article_links", "rejects", and in verify mode "evidence" and "verdicts"), each element a row
    NamedTuple of `schemas.row_type(name)`. A record that is not a dict, lacks text or repeats an id becomes a
    "rejects" row with the reason, as for a file; its `input` is `label` and its record_number is null.
    """

    def __init__(self, params: ClaimParams | None = None, label: str = "records"):
        super().__init__()
        self._params = params or ClaimParams()
        self._label = label

    def expand(self, records):
        read = records | "Parse the records" >> ParseRecords(self._params.read, self._label)
        tables = read | "Find the claims" >> FindClaims(self._params)
        tables.pop(TALLIES)  # the counts that manifest.json records; a pipeline of one's own has no manifest
        return tables


def build(p: beam.Pipeline, config: RunConfig) -> dict:
    """Adds every step of `claimbeam run` to `p`; returns the PCollections of rows, by table name."""
    read = p | "Read articles" >> ReadArticles(list(config.inputs), config.read)
    tables = read | "Find claims" >> FindClaims(config)
    tallies = tables.pop(TALLIES)
    tables | "Write tables" >> WriteTables(config.output, config.num_shards)
    run_dir = FileSystems.join(config.output, RUN_DIR)
    read["file_counts"] | "Write records read per file" >> WriteRunCounts(FileSystems.join(run_dir, FILE_COUNTS_FILE))
    tallies | "Write tallies" >> WriteRunCounts(FileSystems.join(run_dir, TALLIES_FILE))
    return tables
