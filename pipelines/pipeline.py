"""The whole data flow as one function: read -> split / copies -> match -> score -> write."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from pipelines.copies import DetectCopies
from pipelines.faults import FAULTS, TALLIES, WriteRunCounts
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
FILE_COUNTS_FILE = "file_counts.json"  # records read per input file
TALLIES_FILE = "tallies.json"  # sentences split and filtered, limits hit (pipelines/faults.py)
RejectsRow = row_type("rejects")


def build(p: beam.Pipeline, config: RunConfig) -> dict:
    """Adds every step to `p`; returns the PCollections of rows, by table name."""
    read = p | "Read articles" >> ReadArticles(list(config.inputs), config.read)
    articles = read["articles"] | "Report articles read" >> ReportProgress("read", "articles")
    split = articles | "Split articles into claims" >> SplitClaims(config.split)
    mentions = split["mentions"] | "Report claims split" >> ReportProgress("split", "claim mentions")
    copies = articles | "Detect copies" >> DetectCopies(config.copies)
    matched = mentions | "Match claims" >> MatchClaims(config.match)
    attached = ({"articles": articles, "copy_groups": copies["copy_groups"], "mentions": mentions}
                | "Attach articles to mentions" >> AttachArticles())
    scored = ({"evidence": attached["evidence"], "assignments": matched["assignments"],
               "conflicts": matched["conflicts"]}
              | "Score corroboration" >> ScoreCorroboration(config.score))
    faults = [split[FAULTS], copies[FAULTS], matched[FAULTS], scored[FAULTS]]
    tallies = [split[TALLIES], matched[TALLIES]]
    tables = {
        "articles": attached["articles"],
        "claims": scored["claims"],
        "matches": matched["matches"] | "Report pairs matched" >> ReportProgress("match", "matched pairs"),
        "clusters": scored["clusters"] | "Report claims scored" >> ReportProgress("score", "distinct claims"),
        "article_links": copies["links"],
    }
    if config.verify_mode:
        verified = ({"targets": p | "Read target claims" >> beam.Create(config.targets), "articles": articles,
                     "copy_groups": copies["copy_groups"], "mentions": mentions}
                    | "Verify target claims" >> VerifyTargets(config.verify, config.score, config.load_stance_model()))
        faults.append(verified.pop(FAULTS))
        verified["verdicts"] = verified["verdicts"] | "Report targets checked" >> ReportProgress("verify", "targets")
        tables.update(verified)
    # Bad records, and the accepted articles, clusters and targets that one step failed on (each names its stage)
    tables["rejects"] = ((read["rejects"], *faults)
                         | "Collect rejects and failures" >> beam.Flatten()
                         | "Build reject rows" >> beam.Map(lambda r: RejectsRow(**vars(r))))
    tables | "Write tables" >> WriteTables(config.output, config.num_shards)
    run_dir = FileSystems.join(config.output, RUN_DIR)
    read["file_counts"] | "Write records read per file" >> WriteRunCounts(FileSystems.join(run_dir, FILE_COUNTS_FILE))
    (tuple(tallies)
     | "Collect tallies" >> beam.Flatten()
     | "Write tallies" >> WriteRunCounts(FileSystems.join(run_dir, TALLIES_FILE)))
    return tables
