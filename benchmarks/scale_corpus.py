"""Build a benchmark corpus of N articles from the FNC-1 bodies, with realistic syndication.

    python benchmarks/scale_corpus.py DATA_DIR --articles 10000 --output corpus.jsonl [--seed 7]

DATA_DIR holds `fnc-1/train_bodies.csv` (and `train_stances.csv`, for stories).
The real bodies are the originals (as many as fit, in a seeded random order).
Every further article derives from one of them, the way news spreads: a few
originals are picked up very widely and most barely at all (a heavy-tailed
share per original). Each derived article comes from a new outlet, later
than its original, and is one of:

- verbatim: the same text;
- edited: words swapped for synonyms in one or two sentences, a sentence
  dropped, a tagline added;
- excerpt: the opening 30-70% of the sentences, with a pointer to the source;
- reordered: the same paragraphs (or sentence runs) in another order;
- rewrite: a new article on the same story, picking sentences from two or
  three bodies of that story, one or two of them reworded.

The output is JSONL in claimbeam's input fields (id, title, text, source, url,
published), plus `derived_from` and `derivation` for analysis. The same
arguments always give the same file.
"""
from __future__ import annotations

import csv
import functools
import itertools
import json
import random
import re
import sys
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from claims.sentences import split_sentences  # noqa: E402
from claims.unionfind import components  # noqa: E402

DERIVATIONS = (("verbatim", 0.30), ("edited", 0.25), ("excerpt", 0.15), ("reordered", 0.10), ("rewrite", 0.20))
# Swaps an editor might make; both directions are used.
SYNONYMS = (("said", "stated"), ("told", "informed"), ("reported", "revealed"), ("according to", "per"),
            ("however", "but"), ("also", "additionally"), ("about", "around"), ("people", "individuals"),
            ("police", "authorities"), ("claimed", "alleged"), ("shows", "reveals"), ("video", "footage"),
            ("photo", "picture"), ("big", "large"), ("man", "individual"), ("after", "following"))
TAGLINES = ("This story originally appeared on {source}.", "Copyright {source}. Republished with permission.",
            "Follow {outlet} for more updates on this developing story.", "Reporting by the {outlet} news desk.")
BASE_TIME = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)


def read_bodies(data_dir: Path) -> dict[str, str]:
    """Body id -> text, in file order."""
    csv.field_size_limit(1 << 24)
    with open(data_dir / "fnc-1" / "train_bodies.csv", encoding="utf-8", newline="") as f:
        return {row["Body ID"]: row["articleBody"] for row in csv.DictReader(f)}


def read_stories(data_dir: Path) -> dict[str, str]:
    """Body id -> story label: connected components of the related headline-body pairs."""
    with open(data_dir / "fnc-1" / "train_stances.csv", encoding="utf-8", newline="") as f:
        edges = [(f"h:{row['Headline'].strip().lower()}", f"b:{row['Body ID']}")
                 for row in csv.DictReader(f) if row["Stance"] != "unrelated"]
    return {node[2:]: root for node, root in components(edges).items() if node.startswith("b:")}


@functools.lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(text[s.start:s.end] for s in split_sentences(text))


def sentences(text: str) -> list[str]:
    return list(_sentences(text))


def paragraphs(text: str, rng: random.Random) -> list[str]:
    """Blank-line paragraphs; a text without them is cut into runs of 2-4 sentences."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(parts) > 1:
        return parts
    sents, runs = sentences(text), []
    while sents:
        take = rng.randint(2, 4)
        runs.append(" ".join(sents[:take]))
        sents = sents[take:]
    return runs


_SWAP = {a: b for pair in SYNONYMS for a, b in (pair, pair[::-1])}
_SWAPPABLE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _SWAP), key=len, reverse=True)) + r")\b")


def edit_words(text: str, rng: random.Random, rate: float) -> str:
    """Swap some words for synonyms (each occurrence with probability `rate`)."""
    return _SWAPPABLE.sub(lambda m: _SWAP[m.group(1)] if rng.random() < rate else m.group(1), text)


def reword(sents: list[str], rng: random.Random) -> list[str]:
    """Edit one or two sentences the way a copy editor does: swap a few words for synonyms."""
    sents = list(sents)
    for i in rng.sample(range(len(sents)), min(len(sents), rng.randint(1, 2))):
        sents[i] = edit_words(sents[i], rng, 0.7)
    return sents


class Outlets:
    """Invented outlet names: a pool that grows with the corpus."""

    def __init__(self, count: int, rng: random.Random):
        stems = ("Daily", "Morning", "Evening", "Metro", "County", "Valley", "Coast", "Capital", "Harbor", "Ridge")
        kinds = ("Ledger", "Herald", "Post", "Wire", "Gazette", "Chronicle", "Courier", "Observer", "Times", "Report")
        self.names = [f"{rng.choice(stems)} {rng.choice(kinds)} {i}" for i in range(count)]

    def pick(self, rng: random.Random) -> tuple[str, str]:
        name = rng.choice(self.names)
        return name, re.sub(r"[^a-z0-9]+", "", name.lower()) + ".example"


def generate(bodies: dict[str, str], stories: dict[str, str], n_articles: int, seed: int = 7):
    """Yields n_articles records (dicts); see the module docstring."""
    rng = random.Random(seed)
    ids = sorted(bodies, key=int)
    rng.shuffle(ids)
    originals = ids[: min(len(ids), max(1, n_articles * 2 // 5))]
    by_story = defaultdict(list)
    for body_id in originals:
        by_story[stories.get(body_id, f"alone:{body_id}")].append(body_id)
    outlets = Outlets(max(20, n_articles // 25), rng)
    # A heavy-tailed pick-up rate per original: most are rarely copied, a few very widely.
    reach = list(itertools.accumulate(rng.paretovariate(1.2) for _ in originals))
    times = {}
    for i, body_id in enumerate(originals):
        outlet, host = outlets.pick(rng)
        times[body_id] = BASE_TIME + timedelta(minutes=rng.randint(0, 60 * 24 * 30))
        yield _record(f"fnc-{body_id}", bodies[body_id], outlet, host, times[body_id], body_id, "original")
    kinds, shares = zip(*DERIVATIONS)
    for n in range(n_articles - len(originals)):
        body_id = rng.choices(originals, cum_weights=reach)[0]
        kind = rng.choices(kinds, weights=shares)[0]
        outlet, host = outlets.pick(rng)
        text = _derive(kind, body_id, bodies, by_story[stories.get(body_id, f"alone:{body_id}")], outlet, host, rng)
        published = times[body_id] + timedelta(minutes=rng.randint(5, 60 * 72))
        yield _record(f"gen-{n:07d}", text, outlet, host, published, body_id, kind)


def _derive(kind, body_id, bodies, story_bodies, outlet, host, rng) -> str:
    text = bodies[body_id]
    if kind == "verbatim":
        return text
    if kind == "edited":
        sents = reword(sentences(text), rng)
        if len(sents) > 3:
            del sents[rng.randrange(1, len(sents))]
        return " ".join(sents) + " " + rng.choice(TAGLINES).format(source=host, outlet=outlet)
    if kind == "excerpt":
        sents = sentences(text)
        keep = max(1, round(len(sents) * rng.uniform(0.3, 0.7)))
        return " ".join(sents[:keep]) + f" Read the full story at {host}."
    if kind == "reordered":
        parts = paragraphs(text, rng)
        rng.shuffle(parts)
        return "\n\n".join(parts)
    # rewrite: sentences from two or three bodies of the same story
    sources = rng.sample(story_bodies, min(len(story_bodies), rng.randint(2, 3)))
    picked = [s for b in sources for s in sentences(bodies[b]) if rng.random() < 0.5] or sentences(text)[:3]
    rng.shuffle(picked)
    return " ".join(reword(picked, rng))


def _record(article_id, text, outlet, host, published, derived_from, derivation) -> dict:
    first = sentences(text)[:1]
    title = first[0][:90] if first else outlet
    return {"id": article_id, "title": title, "text": text, "source": outlet,
            "url": f"https://{host}/news/{article_id}", "published": published.isoformat(),
            "derived_from": f"fnc-{derived_from}", "derivation": derivation}


def write_corpus(data_dir: Path, n_articles: int, output: Path, seed: int = 7) -> Path:
    bodies, stories = read_bodies(data_dir), read_stories(data_dir)
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="utf-8") as f:
        for record in generate(bodies, stories, n_articles, seed):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return output


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("data_dir", type=Path, help="folder with fnc-1/train_bodies.csv and train_stances.csv")
    parser.add_argument("--articles", type=int, required=True, help="how many articles to write")
    parser.add_argument("--output", type=Path, required=True, help="the JSONL file to write")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    print(write_corpus(args.data_dir, args.articles, args.output, args.seed))


if __name__ == "__main__":
    main()
