"""Who said it: attribution quality on PolNeAR's hand-annotated political news, and the splitter's cost.

    python benchmarks/attribution_quality.py DATA_DIR [--split train|dev] [--json results.json]

DATA_DIR holds `polnear/{train,dev}/{text,attributions}` (and, for the cost on the FNC-1 bodies,
`fnc-1/train_bodies.csv`): the layout of the project's shared eval-data folder. The script writes the split's
articles as JSONL (`id` = the file's stem, `text` = the whole file, so that offsets are into the file), runs
`claimbeam run` on them and reads the claims table back. Then, per claim mention [char_start, char_end):

- it is *gold-attributed* when a gold Content span overlaps it by at least half of the shorter of the two; a
  discontinuous Content (brat's "start end;start end", as for a quotation that a "said X" interrupts) is a
  span for each of its pieces as well, so that the sentence holding one piece of a quotation is attributed;
- it is *predicted* when `speaker` or `attributed_to` is set;
- its source is *correct* when the predicted name shares a content word (not a stop word, title or
  determiner) with a gold Source text of the attributions it overlaps. The predicted name is the source as
  the sentence writes it (`speaker_as_written`, which is what a gold Source span annotates), or, when that is
  a pronoun, the name claimbeam resolved it to (`speaker`), else `attributed_to`. Mentions whose gold sources
  are all pronouns (or absent) are not judged for the source.

Reported: detection P/R/F1, who-said-it P/R/F1 (correct / predicted, correct / gold-attributed, over judged
mentions: a predicted mention that is not gold-attributed counts as a wrong source), the naming accuracy
(correct / judged mentions that are both gold-attributed and predicted: who-said-it precision without the
detection errors), and the time per article of splitting plus attribution (`claims.mentions.split_article`, one
process, median of three passes) on the split's articles and, where DATA_DIR has them, on FNC-1's train bodies.
An article annotated by several annotators is judged against the first annotation file by name.
"""
from __future__ import annotations

import csv
import json
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from benchmarks.common import parse_args, print_table, write_json  # noqa: E402
from claims.text import STOP_WORDS, fold  # noqa: E402

# Words that never identify a source on their own: "Mr. Trump" and "President Trump" share only "Trump".
TITLES = frozenset("""
mr mrs ms miss mx dr prof sir dame lord lady sen senator rep representative gov governor president pres vice
secretary gen general col sgt rev hon judge justice mayor chairman chairwoman chair speaker leader
""".split())
PRONOUNS = frozenset("""
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs who whom whose
which that this these those himself herself themselves itself ourselves myself yourself
""".split())
_WORD_RE = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


@dataclass(frozen=True)
class GoldContent:
    """One annotated Content span (a list of pieces, for discontinuous spans) and its attributions' sources."""

    pieces: tuple[tuple[int, int], ...]
    sources: tuple[str, ...]

    @property
    def length(self) -> int:
        return sum(e - s for s, e in self.pieces)

    def overlap(self, start: int, end: int) -> int:
        return sum(max(0, min(e, end) - max(s, start)) for s, e in self.pieces)

    def covers(self, start: int, end: int) -> bool:
        """Whether the span, or one of its pieces, overlaps [start, end) by at least half of the shorter."""
        spans = [self] + ([GoldContent((piece,), self.sources) for piece in self.pieces] if len(self.pieces) > 1
                          else [])
        return any(0 < span.overlap(start, end) and span.overlap(start, end) * 2 >= min(end - start, span.length)
                   for span in spans)


@dataclass(frozen=True)
class GoldArticle:
    article_id: str
    text: str
    contents: tuple[GoldContent, ...]


def content_words(name: str | None) -> frozenset[str]:
    """A name's words that can identify a source: lower-cased, possessives dropped, no stop words or titles."""
    found = set()
    for word in _WORD_RE.findall(fold(name or "").lower()):
        word = word[:-2] if word.endswith("'s") else word
        if word not in STOP_WORDS and word not in TITLES and word not in PRONOUNS:
            found.add(word)
    return frozenset(found)


def _spans(field: str) -> tuple[tuple[int, int], ...]:
    """brat's "start end" or "start end;start end" -> ((start, end), ...)."""
    return tuple((int(s), int(e)) for s, e in (piece.split() for piece in field.split(";")))


@dataclass(frozen=True)
class GoldSpan:
    pieces: tuple[tuple[int, int], ...]
    text: str


@dataclass(frozen=True)
class GoldEvent:
    """One annotated attribution: its cue, source (none, one or several) and content spans."""

    cues: tuple[GoldSpan, ...]
    sources: tuple[GoldSpan, ...]
    contents: tuple[GoldSpan, ...]


def read_events(path: Path) -> tuple[GoldEvent, ...]:
    """The attributions of one brat standoff file (events "E<n> Attribution:T.. Content:T.. Cue:T.. Source:T..")."""
    spans: dict[str, GoldSpan] = {}
    events = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            _, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = GoldSpan(_spans(offsets), parts[2] if len(parts) > 2 else "")
        elif line.startswith("E") and len(parts) >= 2:
            events.append([arg.split(":", 1) for arg in parts[1].split() if ":" in arg])
    # "Content2:T9" and the like: an event may list several contents, cues and sources
    return tuple(GoldEvent(*(tuple(spans[t] for role, t in event if role.startswith(name) and t in spans)
                             for name in ("Cue", "Source", "Content"))) for event in events)


def read_annotation(path: Path) -> tuple[GoldContent, ...]:
    """The Content spans of one brat standoff file, each with the Source texts of the events that cite it.

    A Content span that no event cites (an annotator's leftover) still marks its text as attributed.
    """
    sources: dict[tuple, list[str]] = {}
    for event in read_events(path):
        for content in event.contents:
            sources.setdefault(content.pieces, []).extend(s.text for s in event.sources)
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2 and parts[1].startswith("Content "):
            sources.setdefault(_spans(parts[1].partition(" ")[2]), [])
    return tuple(GoldContent(pieces, tuple(names)) for pieces, names in sorted(sources.items()))


def read_split(split_dir: Path) -> list[GoldArticle]:
    """Every article of one PolNeAR split with its (first, by file name) annotation."""
    annotations: dict[str, Path] = {}
    for path in sorted((split_dir / "attributions").glob("*.ann")):
        annotations.setdefault(path.stem.rsplit("_", 1)[0], path)
    articles = []
    for path in sorted((split_dir / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        gold = read_annotation(annotations[path.stem]) if path.stem in annotations else ()
        articles.append(GoldArticle(path.stem, text, gold))
    if not articles:
        raise SystemExit(f"{split_dir}: no articles under text/")
    return articles


# What a mention counts toward, by its outcome (see mention_outcome).
_COUNTS = {
    "correct": ("gold", "predicted", "detected", "judged_gold", "judged_predicted", "judged_detected", "correct"),
    "wrong source": ("gold", "predicted", "detected", "judged_gold", "judged_predicted", "judged_detected"),
    "not judged": ("gold", "predicted", "detected"),  # attributed, but the gold source is only a pronoun
    "false alarm": ("predicted", "judged_predicted"),
    "missed": ("gold", "judged_gold"),
    "missed, not judged": ("gold",),
    "rightly none": (),
}


def mention_outcome(row, article: GoldArticle) -> str:
    """What one mention (article_id, char_start, char_end, speaker, speaker_as_written, attributed_to) is
    against its gold article: one of _COUNTS."""
    start, end = int(row.char_start), int(row.char_end)
    overlapping = [c for c in article.contents if c.covers(start, end)]
    name = predicted_name(row)
    gold_words = [w for c in overlapping for w in map(content_words, c.sources) if w]
    if not overlapping:
        return "rightly none" if name is None else "false alarm"
    if not gold_words:
        return "missed, not judged" if name is None else "not judged"
    if name is None:
        return "missed"
    return "correct" if any(content_words(name) & w for w in gold_words) else "wrong source"


def score_outcomes(outcomes) -> dict:
    """Counts and P/R/F1 of detection and of who-said-it over mention outcomes."""
    n = dict.fromkeys(("mentions", "gold", "predicted", "detected", "judged_gold", "judged_predicted",
                       "judged_detected", "correct"), 0)
    for outcome in outcomes:
        n["mentions"] += 1
        for key in _COUNTS[outcome]:
            n[key] += 1
    naming = n["correct"] / n["judged_detected"] if n["judged_detected"] else 0.0
    return {"counts": n, "detection": _prf(n["detected"], n["predicted"], n["gold"]),
            "who_said_it": _prf(n["correct"], n["judged_predicted"], n["judged_gold"]),
            "naming_accuracy": round(naming, 4)}


def judge(mentions: pd.DataFrame, articles: list[GoldArticle]) -> dict:
    """Counts and P/R/F1 of detection and of who-said-it for mentions (article_id, char_start, char_end,
    speaker, attributed_to) against the gold articles."""
    by_id = {a.article_id: a for a in articles}
    return score_outcomes(mention_outcome(row, by_id[row.article_id]) for row in mentions.itertuples(index=False))


def predicted_name(row) -> str | None:
    """The name a mention's source is judged by (see the module docstring)."""
    written = _name(getattr(row, "speaker_as_written", None))
    if written and content_words(written):
        return written
    return _name(row.speaker) or written or _name(row.attributed_to)


def _name(value) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _prf(hits: int, predicted: int, gold: int) -> dict:
    p = hits / predicted if predicted else 0.0
    r = hits / gold if gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def run_claimbeam(articles: list[GoldArticle], workdir: Path) -> pd.DataFrame:
    """`claimbeam run` on the articles as JSONL; the claims table it writes."""
    from pipelines.cli import run

    corpus = workdir / "articles.jsonl"
    with open(corpus, "w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps({"id": a.article_id, "text": a.text}, ensure_ascii=False) + "\n")
    status = run(["run", "--input", str(corpus), "--output", str(workdir / "out"), "--quiet"])
    if status != 0:
        raise SystemExit(f"claimbeam run failed with status {status}")
    return pd.read_parquet(workdir / "out" / "claims", columns=["article_id", "char_start", "char_end", "speaker",
                                                                "speaker_as_written", "attributed_to"])


def split_seconds_per_article(texts: list[str], passes: int = 3) -> float:
    """Median over `passes` of the time per article of split_article (sentences, claims, attribution)."""
    from claims.mentions import split_article

    times = []
    for _ in range(passes):
        started = time.perf_counter()
        for i, text in enumerate(texts):
            split_article(str(i), text)
        times.append((time.perf_counter() - started) / len(texts))
    return statistics.median(times)


def fnc1_bodies(data_dir: Path) -> list[str]:
    path = data_dir / "fnc-1" / "train_bodies.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as f:
        return [row["articleBody"] for row in csv.DictReader(f)]


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(__doc__, "folder with polnear/{train,dev} (and fnc-1/ for the cost on its bodies)", argv,
                      extra=lambda parser: parser.add_argument("--split", choices=("train", "dev"), default="dev"))
    articles = read_split(args.data_dir / "polnear" / args.split)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        mentions = run_claimbeam(articles, Path(tmp))
        seconds = time.perf_counter() - started
    results = judge(mentions, articles)
    rows = [{"measure": measure, **results[measure]} for measure in ("detection", "who_said_it")]
    rows.append({"measure": "naming accuracy (correct / judged gold-attributed mentions it attributes)",
                 "precision": results["naming_accuracy"], "recall": "", "f1": ""})
    print_table(f"Attribution on PolNeAR {args.split} ({len(articles)} articles, "
                f"{results['counts']['mentions']} claim mentions, {results['counts']['gold']} gold-attributed)", rows)
    cost = [{"corpus": f"PolNeAR {args.split}", "articles": len(articles),
             "ms per article": 1000 * split_seconds_per_article([a.text for a in articles])}]
    bodies = fnc1_bodies(args.data_dir)
    if bodies:
        cost.append({"corpus": "FNC-1 train bodies", "articles": len(bodies),
                     "ms per article": 1000 * split_seconds_per_article(bodies)})
    print_table("Splitting plus attribution, one process (median of 3 passes)", cost)
    results.update({"split": args.split, "articles": len(articles), "claimbeam_seconds": round(seconds, 1),
                    "cost": cost})
    write_json(args.json, results)
    return results


if __name__ == "__main__":
    main()
