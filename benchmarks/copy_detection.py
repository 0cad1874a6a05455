"""Copy detection on real news bodies (FNC-1 train) against exact all-pairs ground truth.

    python benchmarks/copy_detection.py DATA_DIR [--json results.json]

DATA_DIR holds `fnc-1/train_bodies.csv`. The ground truth is the exact 5-word
shingle Jaccard and containment of every pair of bodies, computed by brute force
(an inverted index over shingles, so pairs sharing nothing cost nothing). The
tested system is claimbeam's own `DetectCopies` transform, run on Beam's
FnApiRunner. Reported:

- recall of pairs with Jaccard >= 0.8 (the target is 1.0);
- linked pairs whose containment is below 0.3 (the target is none);
- how pairs in between are labelled, by band of containment;
- wall time of DetectCopies and of the brute-force ground truth;
- the field's tool in the same run: datasketch `MinHashLSH` (same 128
  permutations, same shingles) with an exact Jaccard check, its time, and how
  far its near-duplicate pairs agree with claimbeam's copies.

Articles with the same words are linked to the earliest of them only (a star).
Identical shingle sets overlap every third article equally, so a pair's
relation follows exactly from its members' identical ones: such implied pairs
count as linked.
"""
from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing

from benchmarks.common import parse_args, print_table, write_json  # noqa: E402
from claims.copies import CopyParams, shingles  # noqa: E402
from claims.records import Article, FieldMap, ReadParams, iter_records  # noqa: E402

BANDS = [(0.8, 1.01, "containment >= 0.8"), (0.5, 0.8, "0.5 <= containment < 0.8"),
         (0.3, 0.5, "0.3 <= containment < 0.5"), (0.0, 0.3, "containment < 0.3")]


def read_bodies(path: Path) -> list[Article]:
    params = ReadParams(fields=FieldMap(id="Body ID", text="articleBody"))
    with open(path, "rb") as f:
        return [r for r in iter_records(f, str(path), params) if isinstance(r, Article)]


def all_pairs_overlap(articles: list[Article], params: CopyParams) -> dict[tuple[str, str], tuple[float, float]]:
    """Exact (Jaccard, containment) of every pair of articles that shares at least one shingle."""
    sets = {a.article_id: set(shingles(a.text, params.shingle_words).tolist()) for a in articles}
    holders = defaultdict(list)
    for article_id, grams in sets.items():
        for gram in grams:
            holders[gram].append(article_id)
    shared: Counter = Counter()
    for ids in holders.values():
        ids = sorted(ids)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                shared[(a, b)] += 1
    result = {}
    for (a, b), n in shared.items():
        size_a, size_b = len(sets[a]), len(sets[b])
        result[(a, b)] = (n / (size_a + size_b - n), n / min(size_a, size_b))
    return result


def detect_with_pipeline(articles: list[Article], params: CopyParams) -> dict[tuple[str, str], str]:
    """Runs claimbeam's DetectCopies on Beam's FnApiRunner; returns {(a, b): relation} for the links written."""
    import json

    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines.copies import LINKS, DetectCopies

    with tempfile.TemporaryDirectory() as tmp:
        prefix = str(Path(tmp) / "links")
        with beam.Pipeline(options=PipelineOptions(["--runner=FnApiRunner"])) as p:
            links = (p | "Articles" >> beam.Create(articles) | "Detect copies" >> DetectCopies(params))[LINKS]
            (links
             | "Encode links" >> beam.Map(lambda link: json.dumps([link.article_id_a, link.article_id_b, link.relation,
                                                                   link.similarity]))
             | "Write links" >> beam.io.WriteToText(prefix, shard_name_template="", num_shards=1))
        lines = Path(prefix).read_text().splitlines()
    return {tuple(sorted((a, b))): (relation, similarity) for a, b, relation, similarity in map(json.loads, lines)}


def with_implied_pairs(links: dict[tuple[str, str], tuple[str, float]]):
    """relation_of(a, b): the written link, or the one implied through articles with identical shingles."""
    from claims.unionfind import components

    root = components([pair for pair, (_, similarity) in links.items() if similarity == 1.0])
    of = lambda article_id: root.get(article_id, article_id)  # noqa: E731
    between = {tuple(sorted((of(a), of(b)))): relation for (a, b), (relation, _) in links.items()}

    def relation_of(a: str, b: str) -> str | None:
        ra, rb = of(a), of(b)
        return "copy" if ra == rb else between.get(tuple(sorted((ra, rb))))
    return relation_of


def detect_with_datasketch(articles: list[Article], params: CopyParams, threshold: float = 0.5) -> tuple[set, float]:
    """datasketch MinHashLSH at `threshold`, then an exact Jaccard check: (pairs at or above it, seconds)."""
    from datasketch import MinHash, MinHashLSH

    started = time.perf_counter()
    sets = {a.article_id: set(shingles(a.text, params.shingle_words).tolist()) for a in articles}
    lsh = MinHashLSH(threshold=threshold, num_perm=params.num_perm)
    signatures = {}
    for article_id, grams in sets.items():
        m = MinHash(num_perm=params.num_perm, seed=1)
        m.update_batch([g.to_bytes(8, "little") for g in grams])
        signatures[article_id] = m
        lsh.insert(article_id, m)
    pairs = set()
    for article_id, m in signatures.items():
        for other in lsh.query(m):
            if other != article_id:
                a, b = sorted((article_id, other))
                shared = len(sets[a] & sets[b])
                if sets[a] and shared / (len(sets[a]) + len(sets[b]) - shared) >= threshold:
                    pairs.add((a, b))
    return pairs, time.perf_counter() - started


def evaluate(articles: list[Article], params: CopyParams, field: bool = True) -> dict:
    started = time.perf_counter()
    truth = all_pairs_overlap(articles, params)
    truth_seconds = time.perf_counter() - started
    started = time.perf_counter()
    linked = detect_with_pipeline(articles, params)
    pipeline_seconds = time.perf_counter() - started

    relation_of = with_implied_pairs(linked)
    label = {pair: relation_of(*pair) for pair in truth}
    near_copies = [pair for pair, (jaccard, _) in truth.items() if jaccard >= 0.8]
    found = sum(1 for pair in near_copies if label[pair] == "copy")
    low = [pair for pair in linked if truth.get(pair, (0.0, 0.0))[1] < 0.3]
    bands = []
    for low_c, high_c, name in BANDS:
        pairs = [pair for pair, (_, c) in truth.items() if low_c <= c < high_c]
        labels = Counter(label[pair] or "not linked" for pair in pairs)
        bands.append({"band": name, "pairs": len(pairs), "copy": labels["copy"], "excerpt": labels["excerpt"],
                      "shares_passages": labels["shares_passages"], "not linked": labels["not linked"]})
    summary = [{"articles": len(articles), "pairs sharing a shingle": len(truth),
                "pairs with jaccard >= 0.8": len(near_copies),
                "recall at jaccard >= 0.8": found / len(near_copies) if near_copies else 1.0,
                "linked with containment < 0.3": len(low), "links written": len(linked),
                "detect seconds": round(pipeline_seconds, 2), "brute force seconds": round(truth_seconds, 2)}]
    results = {"summary": summary, "bands": bands,
               "params": {k: v for k, v in vars(params).items() if not k.startswith("_")}}
    if field:
        results["field comparison"] = compare_with_datasketch(articles, params, truth, label, pipeline_seconds)
    return results


def compare_with_datasketch(articles, params, truth, label, pipeline_seconds) -> list[dict]:
    """Near-duplicates (exact Jaccard >= 0.5) by datasketch MinHashLSH against claimbeam's copy links."""
    theirs, seconds = detect_with_datasketch(articles, params, threshold=params.copy_jaccard)
    ours = {pair for pair, (jaccard, _) in truth.items() if jaccard >= params.copy_jaccard and label[pair] == "copy"}
    exact = {pair for pair, (jaccard, _) in truth.items() if jaccard >= params.copy_jaccard}
    near = {pair for pair, (jaccard, _) in truth.items() if jaccard >= 0.8}
    return [{"system": name, "seconds": round(secs, 2), "pairs with jaccard >= 0.5 found": len(pairs),
             "of all such pairs": len(exact),
             "recall at jaccard >= 0.5": round(len(pairs & exact) / max(1, len(exact)), 4),
             "recall at jaccard >= 0.8": round(len(pairs & near) / max(1, len(near)), 4),
             "found by both": len(ours & theirs)}
            for name, pairs, secs in (("claimbeam DetectCopies (Beam)", ours, pipeline_seconds),
                                      ("datasketch MinHashLSH + exact check", theirs, seconds))]


def main(argv: list[str] | None = None) -> dict:
    def extra(parser):
        parser.add_argument("--skip-datasketch", action="store_true",
                            help="no comparison with datasketch (pip install 'claimbeam[bench]' provides it)")

    args = parse_args(__doc__, "folder with fnc-1/train_bodies.csv", argv, extra)
    results = evaluate(read_bodies(args.data_dir / "fnc-1" / "train_bodies.csv"), CopyParams(),
                       field=not args.skip_datasketch)
    print_table("Copy detection on FNC-1 train bodies against exact all-pairs shingle overlap", results["summary"])
    print_table("How pairs are labelled, by exact containment", results["bands"])
    if "field comparison" in results:
        print_table("Against datasketch MinHashLSH, in the same run", results["field comparison"])
    write_json(args.json, results)
    return results


if __name__ == "__main__":
    main()
