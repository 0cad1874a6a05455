"""Inputs built to be slow: each one goes through every per-article step within a time bound.

An article's steps are parsing its record (as a JSON line, a CSV row and a text file), splitting it into claims (sentence rules and every attribution
regex), its copy-detection features (fingerprint, shingles, MinHash bands), the matcher's features of each
mention, and verify mode's word counts and stance toward a target. Each input is timed as the best of two runs, so that a busy shared
machine does not fail the bound; a regex that backtracks catastrophically takes seconds to hours, not a
fraction of one.
"""
from __future__ import annotations

import io
import json
import time

import pytest

from claims.copies import CopyParams, band_keys, minhash, shingles, text_fingerprint
from claims.matching import claim_features
from claims.mentions import split_article
from claims.records import Article, ReadParams, Reject, iter_csv, iter_jsonl, parse_mapping, parse_text_file
from claims.verify import Target, article_stance, article_words, target_features

BOUND_SECONDS = 1.0
LIMIT = ReadParams().max_chars  # the default article-size limit: the largest article a default run accepts


def _fill(unit: str, size: int = LIMIT) -> str:
    return (unit * (size // len(unit) + 1))[:size]


PATHOLOGICAL = {
    "no punctuation, at the size limit": _fill("alpha Beta gamma Port Calder fire said according to "),
    "100k straight quotation marks": '"' * 100_000,
    "100k quotation marks with spaces": _fill('" ', 200_000),
    "deeply nested quotes of every kind": _fill("\"'\u201c\u2018\u00ab") + " he said.",
    "HTML fragments": _fill("<div><p class='x'>The mayor said <b>yes</b>.</p><script>alert(1)</script></div>\n"),
    "one very long capitalised word": "A" + "a" * (LIMIT - 1),
    "very long words in a sentence": " ".join(["Word" + "x" * 4990] * 39) + " said Lane.",
    "a sentence at the sentence limit, then more": _fill("The mayor, " * 450 + "said Lane. "),
    "control characters and NUL": "".join(chr(i % 32) for i in range(LIMIT)),
    "right-to-left, combining marks and emoji": _fill("\u0645\u0631\u062d\u0628\u0627 \u202e abc\u0301\u0301 "
                                                      "\U0001f600\U0001f469\u200d\U0001f467 said. "),
    "abbreviations everywhere": _fill("U.S. Dr. J. K. a.m. St. "),
    "stops everywhere": _fill(". "),
    "a newline after every word": _fill("word\n"),
    "one hard-wrapped paragraph without a full stop": _fill("the council met on tuesday and the mayor said the "
                                                            "budget would pass by june with no new taxes\n"),
    "attribution chains": _fill("An insider close to the band told the website that officials said that "),
    "names of names": _fill("Mr Aaa Bbb of Ccc for Ddd de Eee van Fff, "),
    "quotes and speech verbs": _fill('"Yes," said Reyes. '),
    "one 400-digit number a sentence": _fill("1" * 400 + " firefighters came. "),
    "numbers and dates": _fill("40 firefighters and sixty people on 3 May 2026, "),
    "denials and negations": _fill("She has not denied that it is not untrue, and denied that. "),
    "runs of spaces inside sentences": _fill("The mayor said" + " " * 4000 + "x today. "),
    "runs of spaces after quotes and commas": _fill('"Yes," ' + " " * 2000 + ", police said" + " " * 2000 + ", "),
    "runs of tabs and newlines": _fill("In a post on\t\t\t" + "\t" * 3000 + "\n" * 3 + "was on "),
    "a dashed byline": "By Bo" + "-" * 40_000 + " w" * 13 + "\nx",
    "trailing attributions repeated in each sentence": _fill("A " + ", said he" * 550 + "\nnow. "),
    "a first line of spaces, then a blank line": "a" + " " * 100_000 + "b\n\nThe fire is out.",
    "a long capitalised word, then a surname, a pronoun and a description to resolve":
        "A" * 200_000 + " Marsh said the tour was on. She said it twice. The singer said it again.",
    "transcript labels and sources everywhere": _fill("PENCE: Well, the railway said so, the company said. "),
}
PATHOLOGICAL = {name: text[-LIMIT:] for name, text in PATHOLOGICAL.items()}  # keep endings such as "he said."


TARGET = target_features(Target("t1", "Officials said the warehouse fire was not started on purpose."), {}, 1)


def _one_article(text: str) -> None:
    line = json.dumps({"id": "a1", "text": text}).encode()
    record, = iter_jsonl(io.BytesIO(line), "in.jsonl", ReadParams())
    assert isinstance(record, Article)
    cell = text.replace('"', '""')
    row, = iter_csv(io.BytesIO(f'id,text\na1,"{cell}"\n'.encode("utf-8", "surrogatepass")), "in.csv", ReadParams())
    assert isinstance(row, Article)
    assert isinstance(parse_text_file(text.encode("utf-8", "surrogatepass"), "a1.txt", ReadParams()), Article)
    split = split_article(record.article_id, record.text)
    article_stance(TARGET, split.mentions)
    params = CopyParams()
    text_fingerprint(record.text)
    band_keys(minhash(shingles(record.text, params.shingle_words), params), params)
    for mention in split.mentions:
        claim_features(mention.claim_text, mention.negated)
    article_words(record.text)


def _best_of_two(step) -> float:
    times = []
    for _ in range(2):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times)


# Ordinary news text at the size limit: what an article of that size costs on this machine, today.
ORDINARY = _fill('Officials said the fire at the Calder warehouse was out by noon. "We were lucky," the fire chief '
                 'told reporters, and the railway said service resumed. ')
SLOWDOWN = 4  # a pathological article may cost this many ordinary ones; backtracking costs thousands


@pytest.fixture(scope="module")
def bound_seconds() -> float:
    """BOUND_SECONDS, or SLOWDOWN ordinary articles of the same size on a machine too busy or slow for it."""
    return max(BOUND_SECONDS, SLOWDOWN * _best_of_two(lambda: _one_article(ORDINARY)))


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_each_pathological_article_takes_under_the_bound(name, bound_seconds):
    seconds = _best_of_two(lambda: _one_article(PATHOLOGICAL[name]))
    print(f"\n{name}: {seconds:.3f} s per article (bound {bound_seconds:.3f} s)", end=" ")  # shown with pytest -s
    assert seconds < bound_seconds


TEN_MB_NO_PUNCTUATION = _fill("alpha beta gamma Port Calder fire ", 10_000_000)


def test_a_10_mb_article_is_rejected_by_the_size_limit_quickly():
    line = json.dumps({"id": "big", "text": TEN_MB_NO_PUNCTUATION})
    seconds = _best_of_two(lambda: parse_mapping(json.loads(line), "in.jsonl", 1, ReadParams(), raw=line))
    reject = parse_mapping(json.loads(line), "in.jsonl", 1, ReadParams(), raw=line)
    assert isinstance(reject, Reject) and "over the limit" in reject.reason and len(reject.record) < 2100
    assert seconds < BOUND_SECONDS


def test_a_10_mb_article_splits_within_the_bound_when_the_limit_admits_it():
    split = _best_of_two(lambda: split_article("big", TEN_MB_NO_PUNCTUATION))
    assert split < BOUND_SECONDS
    assert split_article("big", TEN_MB_NO_PUNCTUATION).filtered == {"too long": 1}


def test_deeply_nested_json_is_a_reject_not_a_crash():
    items = list(iter_jsonl(io.BytesIO(b"[" * 100_000 + b"\n" + b'{"a": ' * 50_000 + b"\n"), "in.jsonl", ReadParams()))
    assert [type(i) for i in items] == [Reject, Reject]
