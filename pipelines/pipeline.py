"""The whole data flow as one function: read -> split / copies -> match -> score -> write."""
from __future__ import annotations

import json

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from pipelines.copies import DetectCopies
from pipelines.match import MatchClaims
from pipelines.options import RunConfig
from pipelines.progress import ReportProgress
from pipelines.read import ReadArticles
from pipelines.score import AttachArticles, ScoreCorroboration
from pipelines.split import SplitClaims
from pipelines.verify import VerifyTargets
from pipelines.write import WriteTables
from schemas import row_type

RUN_DIR = "_run"  # scratch output the CLI turns into manifest.json, then removes
FILE_COUNTS_FILE = "file_counts.json"
RejectsRow = row_type("rejects")


def build(p: beam.Pipeline, config: RunConfig) -> dict:
    """Adds every step to `p`; returns the PCollections of rows, by table name."""
    read = p | "Read articles" >> ReadArticles(list(config.inputs), config.read)
    articles = read["articles"] | "Report articles read" >> ReportProgress("read", "articles")
    mentions = (articles | "Split articles into claims" >> SplitClaims()
                | "Report claims split" >> ReportProgress("split", "claim mentions"))
    copies = articles | "Detect copies" >> DetectCopies(config.copies)
    matched = mentions | "Match claims" >> MatchClaims(config.match)
    attached = ({"articles": articles, "copy_groups": copies["copy_groups"], "mentions": mentions}
                | "Attach articles to mentions" >> AttachArticles())
    scored = ({"evidence": attached["evidence"], "assignments": matched["assignments"],
               "conflicts": matched["conflicts"]}
              | "Score corroboration" >> ScoreCorroboration(config.score))
    tables = {
        "articles": attached["articles"],
        "claims": scored["claims"],
        "matches": matched["matches"] | "Report pairs matched" >> ReportProgress("match", "matched pairs"),
        "clusters": scored["clusters"] | "Report claims scored" >> ReportProgress("score", "distinct claims"),
        "article_links": copies["links"],
        "rejects": read["rejects"] | "Build reject rows" >> beam.Map(lambda r: RejectsRow(**vars(r))),
    }
    if config.verify_mode:
        verified = ({"targets": p | "Read target claims" >> beam.Create(config.targets), "articles": articles,
                     "copy_groups": copies["copy_groups"], "mentions": mentions}
                    | "Verify target claims" >> VerifyTargets(config.verify, config.score))
        verified["verdicts"] = verified["verdicts"] | "Report targets checked" >> ReportProgress("verify", "targets")
        tables.update(verified)
    tables | "Write tables" >> WriteTables(config.output, config.num_shards)
    (read["file_counts"]
     | "Collect records read per file" >> beam.combiners.ToDict()
     | "Encode file counts" >> beam.Map(lambda counts: json.dumps(counts, sort_keys=True))
     | "Write file counts" >> beam.io.WriteToText(
         FileSystems.join(config.output, RUN_DIR, FILE_COUNTS_FILE), shard_name_template="", num_shards=1))
    return tables
