"""The `claimbeam` command line.

    claimbeam run [--input PATH_OR_GLOB ...] [--claims TARGETS.jsonl] [--output DIR] [--overwrite]
                  [--workers N | --dask-local N] [Beam options]
    claimbeam report OUT_DIR [--html FILE] [--claim CLUSTER_ID] [--top N]

Our own flags are parsed first (argparse `parse_known_args`); every remaining
flag goes to Beam's PipelineOptions, after a strict check, so that a typo in
a runner flag is an error rather than a warning lost in the log. `run_claimbeam` is the same run from
Python, with the flags as keywords.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import sys
import threading
import time
from importlib import resources

from claims.copies import CopyParams
from claims.matching import MatchParams
from claims.mentions import SplitParams
from claims.records import FieldMap, ReadParams, input_format
from claims.scoring import ScoreParams
from claims.text import clip
from claims.verify import STANCE_METHODS, VerifyParams

DEFAULT_OUTPUT = "claimbeam-output"
PINNED_LOCAL_RUNNER = "FnApiRunner"
DASK_RUNNER = "pipelines.dask_runner.DaskRunner"  # Beam's DaskRunner with its data-losing defects fixed
BEAM_DASK_RUNNER = "apache_beam.runners.dask.dask_runner.DaskRunner"
_GLOB_CHARS = "*?["


class UsageError(Exception):
    """A problem with the command line or its paths: reported in one line, exit status 2."""


def sample_corpus_path() -> str:
    return str(resources.files("claims") / "sample_corpus" / "articles.jsonl")


def sample_targets_path() -> str:
    """Example verify-mode targets about the sample corpus's stories."""
    return str(resources.files("claims") / "sample_corpus" / "targets.jsonl")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimbeam", description="Turn news articles into verified claims.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run", help="read articles, find and score claims, write Parquet tables",
        description="Any flag not listed here is passed to Apache Beam (e.g. --runner, --dask_client_address).")
    add_run_arguments(run)
    report = commands.add_parser(
        "report", help="write one self-contained HTML page about a claimbeam output",
        description="Overview, best corroborated and contested claims, one claim's timeline, copy groups, and "
                    "in verify mode each target's verdict. The page loads nothing from the network.")
    report.add_argument("output_dir", metavar="OUT_DIR", help="a claimbeam output directory (local or fsspec URL)")
    report.add_argument("--html", metavar="FILE", help="where to write the page (default: OUT_DIR/report.html)")
    report.add_argument("--claim", metavar="CLUSTER_ID",
                        help="the claim whose timeline is drawn (default: the one carried by the most outlets)")
    report.add_argument("--top", type=_positive_int, default=10, metavar="N",
                        help="claims listed in each of the top and contested sections (default: %(default)s)")
    return parser


def add_run_arguments(run: argparse.ArgumentParser) -> None:
    """The flags of `claimbeam run`; `run_claimbeam` takes the same ones as keywords."""
    run.add_argument("--input", nargs="+", action="extend", metavar="PATH_OR_GLOB",
                     help="input files, globs or folders: .jsonl[.gz], .csv[.gz], .parquet, .txt "
                          "(local or any Beam filesystem such as gs://). Default: the bundled sample corpus.")
    run.add_argument("--claims", metavar="TARGETS.jsonl",
                     help="verify mode: check these claims (JSONL lines with \"id\" and \"text\") against the "
                          "articles, and also write the evidence and verdicts tables")
    run.add_argument("--stance", choices=STANCE_METHODS, default=VerifyParams().stance,
                     help="verify mode: who reads each article's stance: the learned model, which weighs the "
                          "rules' cues (trained on FNC-1; see the README), or the rules alone (default: %(default)s)")
    run.add_argument("--stance-model", metavar="MODEL.json",
                     help="verify mode: a stance model file written by benchmarks/train_stance_model.py, local "
                          "or on any Beam filesystem (default: the one shipped with claimbeam)")
    run.add_argument("--output", default=DEFAULT_OUTPUT, help=f"output directory (default: {DEFAULT_OUTPUT})")
    run.add_argument("--overwrite", action="store_true", help="replace an existing claimbeam output directory")
    for name in ("id", "text", "title", "source", "url", "published"):
        run.add_argument(f"--{name}-field", default=name, metavar="COLUMN",
                         help=f"input column holding the article's {name} (default: {name})")
    run.add_argument("--max-article-chars", type=int, default=ReadParams().max_chars, metavar="N",
                     help="reject articles longer than this (default: %(default)s)")
    run.add_argument("--max-mentions-per-article", type=int, default=SplitParams().max_mentions, metavar="N",
                     help="claim mentions kept per article; the rest are counted in manifest.json "
                          "(default: %(default)s)")
    run.add_argument("--max-sentence-chars", type=int, default=SplitParams().max_sentence_chars, metavar="N",
                     help="longer sentences (run-on text) are not claims; counted in manifest.json "
                          "(default: %(default)s)")
    run.add_argument("--max-block-size", type=int, default=MatchParams().max_block_size, metavar="N",
                     help="a blocking word shared by more distinct claim texts is too common to compare on; "
                          "counted in manifest.json (default: %(default)s)")
    run.add_argument("--match-threshold", type=float, default=MatchParams().threshold, metavar="X",
                     help="similarity in (0, 1] at which two mentions are the same claim (default: %(default)s)")
    run.add_argument("--num-shards", type=int, default=1, metavar="N",
                     help="Parquet files per table (default: %(default)s)")
    where = run.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive_int, metavar="N",
                       help="local runner: worker processes (default: all cores; 1 runs everything in this process)")
    where.add_argument("--dask-local", type=_positive_int, metavar="N",
                       help="start a local Dask cluster of N worker processes, run on it, and stop it "
                            "(needs the dask extra: pip install 'claimbeam[dask]')")
    run.add_argument("--quiet", action="store_true", help="print no progress and no summary")
    run.add_argument("--verbose", action="store_true", help="let Beam's and Dask's own log lines through")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def default_workers() -> int:
    """The cores this process may use (its CPU affinity, which containers narrow), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no affinity call
        return os.cpu_count() or 1


def _inside_claimbeam_output(path: str, output: str | None, known: dict[str, bool]) -> bool:
    """True for files of this run's output or of any earlier claimbeam output (a folder with manifest.json)."""
    if "://" in path:
        return bool(output) and path.startswith(output.rstrip("/") + "/")
    folder = os.path.dirname(os.path.abspath(path))
    if output and (folder + os.sep).startswith(os.path.abspath(output) + os.sep):
        return True
    while folder and folder != os.path.dirname(folder):
        if folder not in known:
            known[folder] = os.path.isfile(os.path.join(folder, "manifest.json")) and \
                os.path.isdir(os.path.join(folder, "claims"))
        if known[folder]:
            return True
        folder = os.path.dirname(folder)
    return False


def resolve_inputs(patterns: list[str], output: str | None = None) -> tuple[list[str], list[str]]:
    """Expand paths, globs and folders into supported files; returns (files, skipped files).

    Folders and globs never pick up a claimbeam output (this run's or an earlier
    one's), so re-running over a folder that holds its own results is safe.
    """
    from apache_beam.io.filesystems import FileSystems

    files, skipped, known = [], [], {}
    for pattern in patterns:
        explicit = not any(ch in pattern for ch in _GLOB_CHARS)
        if explicit and os.path.isdir(pattern):
            pattern, explicit = os.path.join(pattern, "**"), False
        elif explicit and "://" in pattern and pattern.endswith("/"):
            pattern, explicit = pattern + "**", False
        try:
            matched = [m.path for result in FileSystems.match([pattern]) for m in result.metadata_list]
        except Exception as err:  # BeamIOError and friends: report the path, not a traceback
            raise UsageError(f"cannot list input {pattern!r}: {err}") from None
        matched = [p for p in matched if not os.path.isdir(p)]
        if not matched:
            raise UsageError(f"no input matches {pattern!r}")
        for path in sorted(matched):
            if not explicit and _inside_claimbeam_output(path, output, known):
                continue
            if input_format(path):
                files.append(path)
            elif explicit:
                raise UsageError(f"unsupported input format: {path!r} (use .jsonl, .csv or .txt, optionally "
                                 "compressed as .gz, or .parquet)")
            else:
                skipped.append(path)
    files = list(dict.fromkeys(files))
    if not files:
        raise UsageError(f"no input with a supported extension matches {' '.join(patterns)!r}")
    return files, skipped


def prepare_output(output: str, overwrite: bool) -> None:
    """Refuse to clobber, replace only a previous claimbeam output, and prove the directory is writable."""
    try:
        _prepare_output(output, overwrite)
    except UsageError:
        raise
    except Exception as err:  # e.g. a filesystem scheme Beam does not know, or missing cloud credentials
        raise UsageError(f"cannot use output directory {output!r}: {err}") from None


def _prepare_output(output: str, overwrite: bool) -> None:
    from apache_beam.io.filesystems import FileSystems

    manifest = FileSystems.join(output, "manifest.json")
    if os.path.isfile(output):
        raise UsageError(f"output {output!r} is a file, not a directory")
    exists = FileSystems.exists(output) and (not os.path.isdir(output) or bool(os.listdir(output)))
    if exists:
        if not overwrite:
            raise UsageError(f"output directory {output!r} already exists; pass --overwrite to replace it")
        if not FileSystems.exists(manifest):
            raise UsageError(f"refusing to overwrite {output!r}: it is not a claimbeam output (no manifest.json)")
        FileSystems.delete([output])
    probe = FileSystems.join(output, ".write-probe")
    try:
        if "://" not in output:
            os.makedirs(output, exist_ok=True)
        with FileSystems.create(probe) as f:
            f.write(b"ok")
        FileSystems.delete([probe])
    except Exception as err:
        raise UsageError(f"cannot write to output directory {output!r}: {err}") from None


def _beam_parser() -> argparse.ArgumentParser:
    """The parser Beam builds for its pipeline options, but failing loudly (UsageError) on a bad value."""
    from apache_beam.options.pipeline_options import PipelineOptions, _BeamArgumentParser

    class _StrictParser(_BeamArgumentParser):
        def error(self, message):
            raise UsageError(f"invalid pipeline option: {message}")

    try:  # Dask's options register only when its runner is imported, which needs dask installed
        import apache_beam.runners.dask.dask_runner  # noqa: F401
    except ImportError:
        pass
    parser = _StrictParser(allow_abbrev=False)
    for cls in {str(c): c for c in PipelineOptions.__subclasses__()}.values():
        cls._add_argparse_args(parser)
    return parser


def beam_options(flags: list[str], workers: int | None = None, dask_local: int | None = None):
    """Validate Beam flags strictly and choose the runner; returns (PipelineOptions, notes).

    The local runner is pinned to the FnApiRunner, in one process for one worker
    and in multi_processing mode for several. Dask runs on claimbeam's fixed
    DaskRunner (pipelines/dask_runner.py), whether asked for by name or by
    --dask-local, whose cluster address run() fills in once it has started.
    """
    from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions

    _, unknown = _beam_parser().parse_known_args(flags)
    if unknown:
        raise UsageError(f"unknown option {unknown[0]!r} (see 'claimbeam run --help' and Beam's pipeline options)")
    if not any(f.startswith("--default_sdk_harness_log_level") for f in flags):
        flags = [*flags, "--default_sdk_harness_log_level=WARNING"]  # worker processes log INFO by default
    options = PipelineOptions(flags)
    standard = options.view_as(StandardOptions)
    notes = []
    kind = runner_kind(standard.runner)
    if dask_local is not None:
        if kind not in (None, "dask") or any(f.startswith(("--dask_client_address", "--dask_scheduler_file"))
                                             for f in flags):
            raise UsageError("--dask-local starts its own cluster: drop --runner, --dask_client_address and "
                             "--dask_scheduler_file")
        standard.runner, kind = "DaskRunner", "dask"
    if kind == "dask":
        _check_dask_installed()
        if dask_local is None and not any(f.startswith(("--dask_client_address", "--dask_scheduler_file"))
                                          for f in flags):
            raise UsageError("the Dask runner needs a cluster: --dask_client_address=HOST:PORT or "
                             "--dask_scheduler_file=FILE, or --dask-local N for one started for this run")
        if standard.runner == BEAM_DASK_RUNNER:
            notes.append(f"runner: {standard.runner} replaced by claimbeam's DaskRunner, which fixes its lost outputs "
                         "(see pipelines/dask_runner.py)")
        standard.runner = DASK_RUNNER
    if kind in (None, "local"):
        # The DirectRunner tries to download Prism and, offline, silently falls back to
        # the FnApiRunner. Pin that path so every machine runs the same engine.
        if standard.runner and standard.runner != PINNED_LOCAL_RUNNER:
            notes.append(f"runner: {standard.runner} pinned to {PINNED_LOCAL_RUNNER} "
                         "(no Prism download, no silent fallback)")
        standard.runner = PINNED_LOCAL_RUNNER
        _set_local_workers(options.view_as(DirectOptions), flags, workers)
    elif workers is not None:
        raise UsageError(f"--workers sizes the local runner, not {standard.runner}; give that runner its own "
                         "worker settings")
    return options, notes


def _new_pipeline(beam, options):
    try:
        return beam.Pipeline(options=options)
    except ValueError as err:  # the runner's own validation, e.g. a malformed Dataflow project id
        raise UsageError(f"invalid pipeline options: {' '.join(str(err).split())}") from None


def runner_kind(name: str | None) -> str | None:
    """"local", "dask", "dataflow" or "other" for a --runner value, matched as Beam matches names
    (case-insensitive, "Runner" optional, or a class path); None when no runner is named."""
    if not name:
        return None
    if name in (DASK_RUNNER, BEAM_DASK_RUNNER):
        return "dask"
    short = name.lower().removesuffix("runner")
    return {"direct": "local", "switchingdirect": "local", "fnapi": "local", "dask": "dask",
            "dataflow": "dataflow"}.get(short, "other")


def _dry_run(options) -> bool:
    """--dry_run=True: translate the job without submitting it, which only the DataflowRunner honours."""
    from apache_beam.options.pipeline_options import StandardOptions, TestOptions

    if not options.view_as(TestOptions).dry_run:
        return False
    runner = options.view_as(StandardOptions).runner
    if runner_kind(runner) != "dataflow":
        raise UsageError(f"--dry_run is honoured by the DataflowRunner only; {runner} would really run")
    return True


def _check_test_faults() -> None:
    """A malformed CLAIMBEAM_TEST_FAULTS (the tests' fault hook) stops the run here, not in every record."""
    from claims.faults import injected_faults

    try:
        injected_faults()
    except ValueError as err:
        raise UsageError(str(err)) from None


def _check_dask_installed() -> None:
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        raise UsageError("the Dask runner needs dask: pip install 'claimbeam[dask]'") from None


def _set_local_workers(direct, flags: list[str], workers: int | None) -> None:
    """--workers N: one process for 1, else Beam's multi_processing mode (the only local mode using several cores)."""
    explicit = [f for f in flags if f.startswith(("--direct_num_workers", "--direct_running_mode"))]
    if explicit and workers is not None:
        raise UsageError(f"give either --workers or {explicit[0].split('=')[0]}, not both")
    if direct.direct_running_mode == "multi_threading":
        raise UsageError("--direct_running_mode=multi_threading is refused: it silently loses records; "
                         "use --workers N for several cores")
    if explicit:
        return
    workers = default_workers() if workers is None else workers
    direct.direct_running_mode = "multi_processing" if workers > 1 else "in_memory"
    direct.direct_num_workers = workers


def _local_dask_cluster(n_workers: int | None, verbose: bool):
    if not n_workers:
        return contextlib.nullcontext(None)
    from pipelines.dask_cluster import local_cluster

    return local_cluster(n_workers, verbose)


def load_targets(path: str):
    """The verify-mode targets, from any Beam filesystem; a bad file is a usage error naming the line."""
    from apache_beam.io.filesystems import FileSystems

    from claims.verify import parse_targets

    try:
        with FileSystems.open(path, compression_type="auto") as f:
            data = f.read()
    except Exception as err:  # missing file, unknown scheme, no credentials, ...
        raise UsageError(f"cannot read targets {path!r}: {err}") from None
    try:
        return tuple(parse_targets(data.splitlines(), path))
    except ValueError as err:
        raise UsageError(f"invalid targets file: {err}") from None


def _config(args, inputs):
    from pipelines.options import RunConfig

    try:
        fields = FieldMap(**{name: getattr(args, f"{name}_field") for name in
                             ("id", "text", "title", "source", "url", "published")})
        config = RunConfig(
            inputs=tuple(inputs), output=args.output,
            read=ReadParams(fields=fields, max_chars=args.max_article_chars),
            split=SplitParams(max_mentions=args.max_mentions_per_article, max_sentence_chars=args.max_sentence_chars),
            copies=CopyParams(),
            match=MatchParams(threshold=args.match_threshold, max_block_size=args.max_block_size),
            score=ScoreParams(),
            num_shards=args.num_shards, targets=load_targets(args.claims) if args.claims else (),
            targets_path=args.claims, verify=VerifyParams(stance=args.stance), stance_model=args.stance_model)
    except ValueError as err:
        raise UsageError(f"invalid option: {err}") from None
    if args.stance_model and args.stance != "model":
        raise UsageError("--stance-model needs --stance model")
    if args.stance_model and not args.claims:
        raise UsageError("--stance-model needs --claims: only verify mode reads stances")
    try:
        config.load_stance_model()  # a bad model file is a usage error now, not a failure in every worker
    except (OSError, ValueError) as err:
        raise UsageError(f"cannot use the stance model {args.stance_model or '(shipped)'}: {err}") from None
    return config


def _rich_table(title: str | None, columns: tuple[tuple[str, str], ...], rows):
    """A summary table; every cell is plain text, so brackets or colons in a claim are never read as markup."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")
    for row in rows:
        table.add_row(*(Text(str(cell)) for cell in row))
    return table


_CLAIM_COLUMNS = (("score", "right"), ("status", "left"), ("independent", "right"), ("articles", "right"),
                  ("claim", "left"))


def _claim_rows(clusters):
    return [(f"{c.score:.2f}", c.status, c.n_independent, c.n_articles, clip(c.canonical_text, 100))
            for c in clusters.itertuples()]


def print_summary(output: str, manifest: dict, console=None) -> None:
    """The end-of-run summary: tables written, records accounted for, the top and contested claims, verdicts."""
    from rich.console import Console

    from claims.analysis import (NO_CORROBORATED_CLAIM, best_corroborated, most_contested, reject_counts,
                                 verdicts_by_attention)
    from pipelines.manifest import read_table

    # A pipe or a log file gets a fixed width: rich would otherwise guess one from whatever terminal it can find.
    console = console or Console(highlight=False, markup=False, emoji=False, soft_wrap=True,
                                 width=None if sys.stdout.isatty() else 120)
    console.print(f"\nclaimbeam: wrote {output} in {manifest['wall_seconds']:.1f} s")
    console.print(_rich_table(None, (("table", "left"), ("rows", "right")),
                              [(name, f"{info['rows']:,}") for name, info in manifest["tables"].items()]))
    totals = manifest["totals"]
    console.print(f"records read {totals['records_read']:,} = accepted {totals['accepted']:,} "
                  f"+ rejected {totals['rejected']:,}")
    claims = manifest["claims"]
    filtered = ", ".join(f"{n:,} {reason}" for reason, n in sorted(claims["filtered"].items(), key=lambda kv: -kv[1]))
    console.print(f"sentences {claims['sentences']:,} = claims {claims['written']:,} "
                  f"+ not claims {sum(claims['filtered'].values()):,}" + (f" ({filtered})" if filtered else ""))
    if manifest["failures"]:
        console.print("failed and kept out (see rejects): " + ", ".join(
            f"{n:,} in {stage}" for stage, n in manifest["failures"].items()), style="bold red")
    hit = [f"{name} {info['limit']:,} ({count:,} {what.replace('_', ' ')})"
           for name, info in manifest["limits"].items() for what, count in info.items() if what != "limit" and count]
    if hit:
        console.print("limits hit: " + "; ".join(hit))
    rejects = reject_counts(read_table(output, "rejects", ["reason"]).to_pandas())
    if len(rejects):
        console.print("rejects: " + "; ".join(f"{r.records:,} {r.reason}" for r in rejects.head(5).itertuples()))
    clusters = read_table(output, "clusters").to_pandas()
    best = best_corroborated(clusters, 5)
    if len(best):
        console.print(_rich_table("Most corroborated claims", _CLAIM_COLUMNS, _claim_rows(best)))
    elif len(clusters):
        console.print(NO_CORROBORATED_CLAIM)
    contested = most_contested(clusters, 5)
    if len(contested):
        console.print(_rich_table("Contested claims", _CLAIM_COLUMNS, _claim_rows(contested)))
    if "verdicts" in manifest["tables"]:
        verdicts = verdicts_by_attention(read_table(output, "verdicts").to_pandas())
        console.print(_rich_table(
            f"Targets ({len(verdicts):,})",
            (("score", "right"), ("status", "left"), ("for", "right"), ("against", "right"), ("articles", "right"),
             ("target", "left")),
            [(f"{v.score:.2f}", v.status, v.n_independent_support, v.n_independent_refute, v.n_articles,
              f"{v.target_id}: {clip(v.text, 80)}") for v in verdicts.head(10).itertuples()]))
    if not manifest["balanced"]:
        console.print("WARNING: counts do not balance; see manifest.json", style="bold red")
    console.print(f"Explore it: claimbeam report {output}")


def report(args) -> int:
    """`claimbeam report`: load the output, render the page, write it (through fsspec, so cloud paths work)."""
    import fsspec

    from claims.analysis import OutputError, load
    from claims.report import render

    target = args.html or args.output_dir.rstrip("/") + "/report.html"
    try:
        page = render(load(args.output_dir), claim=args.claim, top=args.top)
    except (OutputError, KeyError) as err:
        print(f"claimbeam: error: {err.args[0] if isinstance(err, KeyError) else err}", file=sys.stderr)
        return 2
    except ImportError as err:  # fsspec names the package a URL scheme needs (gcsfs for gs://, s3fs for s3://)
        print(f"claimbeam: error: cannot read {args.output_dir!r}: {err}", file=sys.stderr)
        return 2
    with fsspec.open(target, "w", encoding="utf-8") as f:
        f.write(page)
    print(f"claimbeam: wrote {target}", file=sys.stderr)
    return 0


_MARKED_INCOMPLETE = 'marked incomplete (manifest.json: "complete": false)'


class RunFailed(Exception):
    """A run that started but left no complete, balanced output with an accepted record: exit status 1.

    `note` is a second line of advice; `closed_pipe` says stderr may be gone, so printing must not fail."""

    def __init__(self, message: str, note: str | None = None, closed_pipe: bool = False):
        super().__init__(message)
        self.note, self.closed_pipe = note, closed_pipe


def run(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    args, beam_flags = parser.parse_known_args(argv)
    if args.command == "report":
        if beam_flags:
            parser.error(f"unrecognized arguments: {' '.join(beam_flags)}")
        return report(args)
    # Beam's import-time notices are not for our users; --verbose brings them back
    logging.getLogger().setLevel(logging.INFO if args.verbose else logging.ERROR)
    try:
        execute(args, beam_flags, ["claimbeam"] + argv)
    except UsageError as err:
        print(f"claimbeam: error: {err}", file=sys.stderr)
        return 2
    except RunFailed as err:
        with contextlib.suppress(OSError) if err.closed_pipe else contextlib.nullcontext():
            print(f"claimbeam: error: {err}", file=sys.stderr, flush=True)
            if err.note:
                print(f"claimbeam: {err.note}", file=sys.stderr)
        return 1
    return 0


class ClaimbeamError(Exception):
    """Why `run_claimbeam` could not run, or ran without producing a usable output."""


class _RaisingParser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def run_claimbeam(inputs: str | list[str] | None = None, output: str = DEFAULT_OUTPUT, *, quiet: bool = True,
                  **flags):
    """Runs the whole pipeline from Python, as `claimbeam run` does, and returns the loaded output
    (`claims.analysis.ClaimbeamOutput`; None for a Dataflow dry run).

    `inputs` are the paths, globs or folders of `--input` (by default the bundled sample corpus). Every other
    flag of `claimbeam run` is a keyword, dashes spelled as underscores: `claims="targets.jsonl"`,
    `overwrite=True`, `text_field="body"`, `workers=1`. Any other keyword is a Beam pipeline option:
    `runner="DataflowRunner"`, `project="my-project"`, `experiments=["a", "b"]`. True passes a switch (or
    `=True` to an option that takes a value), and None or False leaves it out. Unlike the command line it
    prints no progress and no summary unless `quiet=False`; notes on the run, such as a runner replaced or
    files skipped, still go to stderr. A problem raises ClaimbeamError with the message the command line
    would print (with `verbose=True`, a failing runner's own exception instead, as the command line's
    traceback); the manifest records the equivalent command line.
    """
    from claims.analysis import load

    if "input" in flags:
        raise TypeError("run_claimbeam() takes the input paths as `inputs`, not `input`")
    parser = _RaisingParser(prog="claimbeam run", add_help=False, allow_abbrev=False)
    add_run_arguments(parser)
    level = logging.getLogger().level
    logging.getLogger().setLevel(logging.INFO if flags.get("verbose") else logging.ERROR)
    try:
        argv = _as_flags(parser, {"input": [inputs] if isinstance(inputs, str) else inputs, "output": output,
                                  "quiet": quiet, **flags})
        args, beam_flags = parser.parse_known_args(argv)
        manifest = execute(args, beam_flags, ["claimbeam", "run", *argv])
    except UsageError as err:
        raise ClaimbeamError(str(err)) from None
    except RunFailed as err:
        raise ClaimbeamError(f"{err}" + (f"; {err.note}" if err.note else "")) from err.__cause__
    finally:
        logging.getLogger().setLevel(level)
    return None if manifest is None else load(args.output)


def _as_flags(parser: argparse.ArgumentParser, keywords: dict) -> list[str]:
    """Keywords as command-line flags, each `--flag=value` so that a value may start with a dash: claimbeam's
    own spelled with dashes, Beam's kept as named; a list gives its flag once per item."""
    actions = {option: action for action in parser._actions for option in action.option_strings}
    beam = None
    argv = []
    for key, value in keywords.items():
        if value is None or value is False:
            continue
        flag = f"--{key.replace('_', '-')}"
        if flag not in actions:
            flag = f"--{key}"  # a Beam pipeline option, checked with the rest of them
            beam = beam or {o: a for a in _beam_parser()._actions for o in a.option_strings}
        action = actions.get(flag) or beam.get(flag)
        if value is True:
            argv.append(flag if action is None or action.nargs == 0 else f"{flag}=True")
        elif isinstance(value, (list, tuple)):
            if not value:
                raise UsageError(f"{key} is empty")
            argv += [f"{flag}={item}" for item in value]
        else:
            argv.append(f"{flag}={value}")
    return argv


def execute(args: argparse.Namespace, beam_flags: list[str], command: list[str]) -> dict | None:
    """Runs `claimbeam run` with parsed flags: writes the output and its manifest, prints progress and the
    summary unless quiet. Returns the manifest (None for a dry run); raises UsageError before the run
    starts, RunFailed when it ends without a usable output."""
    import apache_beam as beam
    from apache_beam.io.filesystems import FileSystems
    from apache_beam.options.pipeline_options import StandardOptions

    from pipelines.manifest import build_manifest, incomplete_manifest, write_manifest
    from pipelines.pipeline import FILE_COUNTS_FILE, RUN_DIR, TALLIES_FILE, build

    _check_test_faults()
    options, notes = beam_options(beam_flags, args.workers, args.dask_local)
    dry_run = _dry_run(options)
    inputs, skipped = resolve_inputs(args.input or [sample_corpus_path()], args.output)
    config = _config(args, inputs)
    pipeline = _new_pipeline(beam, options)
    if not dry_run:  # a dry run writes nothing, so it must not replace an earlier output either
        prepare_output(args.output, args.overwrite)
        # Marks the output as claimbeam's but unfinished until the real manifest replaces it at the end,
        # so a run that dies leaves nothing that loads as complete, and --overwrite may replace it.
        write_manifest(args.output, incomplete_manifest(command))
    for note in notes:
        print(f"claimbeam: {note}", file=sys.stderr)
    if skipped:
        print(f"claimbeam: skipped {len(skipped)} files with unsupported extensions, e.g. {skipped[0]}",
              file=sys.stderr)

    from pipelines.progress import quiet_stderr

    started = time.perf_counter()
    pipe_closed = threading.Event()
    try:
        with quiet_stderr(verbose=args.verbose, show_progress=not args.quiet, closed=pipe_closed), \
                _local_dask_cluster(args.dask_local, args.verbose) as address:
            if address:
                from pipelines.dask_runner import DaskOptions

                pipeline.options.view_as(DaskOptions).address = address  # the pipeline holds a copy of the options
            build(pipeline, config)
            try:
                result = pipeline.run()
                result.wait_until_finish()
            except Exception as err:  # a runner or filesystem failure; per-record failures never get here
                if args.verbose:
                    raise
                message = " ".join(str(err).split())[:2000]
                raise RunFailed(f"the run failed: {type(err).__name__}: {message}",
                                None if dry_run else f"{args.output} is {_MARKED_INCOMPLETE}; "
                                                     "rerun with --overwrite, or --verbose for the traceback") from err
    except KeyboardInterrupt:
        if not pipe_closed.is_set():
            raise
        raise _stopped_by_closed_pipe(args.output) from None
    if pipe_closed.is_set():  # the interrupt came too late to stop the run: the output still stays unfinished
        raise _stopped_by_closed_pipe(args.output)
    wall = time.perf_counter() - started
    if dry_run:
        print(f"claimbeam: dry run: the pipeline translated for {options.view_as(StandardOptions).runner} "
              f"in {wall:.1f} s; no job was submitted and nothing was written", file=sys.stderr)
        return None

    file_counts, tallies = (_read_run_counts(FileSystems.join(args.output, RUN_DIR, name))
                            for name in (FILE_COUNTS_FILE, TALLIES_FILE))
    FileSystems.delete([FileSystems.join(args.output, RUN_DIR)])
    manifest = build_manifest(args.output, file_counts, config.parameters(),
                              pipeline.options.get_all_options(drop_default=True), result, wall, command, tallies)
    write_manifest(args.output, manifest)
    if not args.quiet:
        print_summary(args.output, manifest)
    if not manifest["balanced"]:
        raise RunFailed("record counts do not balance; see manifest.json")
    if not manifest["totals"]["accepted"]:
        raise RunFailed(nothing_accepted(args.output, manifest, args.text_field))
    return manifest


def _stopped_by_closed_pipe(output: str) -> RunFailed:
    """stdout or stderr is a pipe whose reader went away (`... | head`): say so where one can, and fail."""
    return RunFailed(f"the output pipe was closed, so the run stopped; {output} is {_MARKED_INCOMPLETE}",
                     closed_pipe=True)


def nothing_accepted(output: str, manifest: dict, text_field: str) -> str:
    """Why a run accepted no record, in one line: the reject reasons with their counts and, for text that is
    missing, the fields the records do have and the flag that maps one."""
    from claims.analysis import reject_counts
    from claims.records import missing_text_fields
    from pipelines.manifest import read_table

    read = manifest["totals"]["records_read"]
    if not read:
        return "no record was accepted: the inputs hold no records"
    rejects = read_table(output, "rejects", ["reason"]).to_pandas()
    line = f"no record was accepted; {read:,} rejected: " + "; ".join(
        f"{r.records:,} {r.reason}" for r in reject_counts(rejects).itertuples())
    fields = next(filter(None, map(missing_text_fields, rejects["reason"])), None)
    if fields:
        line += f". The records have no field {text_field!r} but {fields}: name the one that holds the text " \
                "with --text-field COLUMN"
    return line


def _read_run_counts(path: str) -> dict[str, int]:
    from apache_beam.io.filesystems import FileSystems

    with FileSystems.open(path) as f:
        return json.loads(f.read().decode("utf-8") or "{}")


def main() -> None:
    try:
        status = run()
    except BrokenPipeError:  # the summary's reader went away (`claimbeam run ... | head -3`): nothing to show
        status = 1
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that Python's last flush of stdout at exit fails no more
    gc.collect()  # release Arrow and Beam objects while their libraries are still loaded (see manifest.read_table)
    sys.exit(status)


if __name__ == "__main__":
    main()
