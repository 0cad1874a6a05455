"""Property-based fuzzing of the readers, the splitter and the matcher with hostile text.

Each property runs CLAIMBEAM_FUZZ_EXAMPLES examples (default 600, sized so that the whole fuzz suite stays
well under three minutes in CI); a long fuzz run raises it:

    CLAIMBEAM_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/fuzz --hypothesis-show-statistics

The text is built from pieces that stress each rule (quotes of every kind, stops, abbreviations, attribution
and denial words, HTML, right-to-left and combining marks, emoji, control characters and NUL, very long
words) mixed with arbitrary Unicode.
"""
from __future__ import annotations

import csv
import io
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.copies import CopyParams, band_keys, minhash, overlap, shingles, text_fingerprint
from claims.matching import MatchParams, claim_features, compare, match_score
from claims.mentions import DIRECT_QUOTE, FILTER_REASONS, REPORTED_SPEECH, STATEMENT, split_article
from claims.records import Article, ReadParams, Reject, iter_csv, iter_jsonl, iter_parquet, parse_text_file
from claims.sentences import split_sentences

EXAMPLES = int(os.environ.get("CLAIMBEAM_FUZZ_EXAMPLES", "600"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

PIECES = [
    '"', "\u201c", "\u201d", "\u201e", "'", "\u2018", "\u2019", "\u00ab", "\u00bb", ".", "!", "?", ",", ":", ";",
    "...", "\u2026", "\n", "\n\n", " ", "\t", "\r\n", "\x00", "\x0b", "\x0c", "\x1f", "\x7f", "\u2028", "\u2029",
    "\u202e", "\u200f", "\u200b", "\ufeff", "\u0301", "\u0301\u0301\u0301", "\u0645\u0631\u062d\u0628\u0627",
    "\u05e9\u05dc\u05d5\u05dd", "\U0001f600", "\U0001f469\u200d\U0001f469\u200d\U0001f467", "\U0001f1fa\U0001f1f8",
    "Dr.", "U.S.", "a.m.", "J. K.", "Mr", "St.", "said", "says", "told", "told the website", "according to",
    "denied", "not true", "a hoax", "has not denied", "reportedly", "could", "not", "n't", "Reyes", "Mila Reyes",
    "Port Calder", "the", "a", "band", "fire", "an insider", "officials said", "sources close to the band",
    "<p>", "</p>", "<script>alert(1)</script>", "&amp;", '<a href="javascript:x">', "<!--", "-->",
    "PORT CALDER \u2014", "By Jane Doe", "40", "1,000", "2.5 million", "sixty", "Tuesday", "May", "2026",
    "\u2014", "-", "(", ")", "[", "]", "Check out the video below", "All rights reserved",
    "in a post on Instagram", "x" * 300, "Supercalifragilistic" * 20, "1" * 400,
]
piece = st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=12))
hostile_text = st.lists(st.tuples(piece, st.sampled_from(["", " ", " ", "\n"])), max_size=120).map(
    lambda parts: "".join(p + sep for p, sep in parts))


@FUZZ
@given(hostile_text)
def test_sentences_are_ordered_disjoint_and_trimmed(text):
    previous_end = 0
    for seg in split_sentences(text):
        assert previous_end <= seg.start < seg.end <= len(text)
        assert not text[seg.start].isspace() and not text[seg.end - 1].isspace()
        previous_end = seg.end


@FUZZ
@given(hostile_text)
def test_every_sentence_is_a_mention_or_counted_as_filtered(text):
    split = split_article("a1", text)
    assert split.n_sentences == len(split_sentences(text))
    assert set(split.filtered) <= set(FILTER_REASONS) and all(n > 0 for n in split.filtered.values())
    for position, m in enumerate(split.mentions):
        assert m.position == position and text[m.char_start:m.char_end] == m.text
        assert m.kind in (DIRECT_QUOTE, REPORTED_SPEECH, STATEMENT) and m.claim_text.strip()
    assert [m.char_start for m in split.mentions] == sorted({m.char_start for m in split.mentions})


@FUZZ
@given(st.lists(hostile_text, min_size=2, max_size=2), st.booleans(), st.booleans())
def test_match_scores_stay_in_range_and_agree_both_ways(texts, negated_a, negated_b):
    a, b = claim_features(texts[0], negated_a), claim_features(texts[1], negated_b)
    found = compare(a, b, MatchParams())
    assert found is None or 0.0 <= found[1] <= 1.0
    score = match_score(texts[0], texts[1])
    assert 0.0 <= score <= 1.0 and abs(score - match_score(texts[1], texts[0])) < 1e-9


@FUZZ
@given(st.lists(hostile_text, min_size=2, max_size=2))
def test_copy_detection_features_never_fail(texts):
    params = CopyParams()
    sets = [shingles(t, params.shingle_words) for t in texts]
    jaccard, containment = overlap(sets[0], sets[1])
    assert 0.0 <= jaccard <= containment <= 1.0 or (jaccard == containment == 0.0)
    for text, shingle_set in zip(texts, sets):
        text_fingerprint(text)
        assert len(band_keys(minhash(shingle_set, params), params)) == params.bands


json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | hostile_text,
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
                          max_leaves=8)
json_record = st.fixed_dictionaries({}, optional={"id": json_value, "text": json_value, "title": json_value,
                                                  "source": json_value, "url": json_value, "published": json_value})
jsonl_line = st.one_of(json_record.map(lambda r: json.dumps(r).encode()),
                       json_record.map(lambda r: json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogatepass")),
                       st.binary(max_size=60), hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
                       st.integers(1, 400).map(lambda n: b"[" * n))


def _read_all(items):
    items = list(items)
    assert all(isinstance(i, (Article, Reject)) for i in items)
    for article in (i for i in items if isinstance(i, Article)):
        article.text.encode("utf-8")  # storable: no undecodable bytes or lone surrogates reach the tables
        assert article.text.strip() and article.article_id
    return items


@FUZZ
@given(st.lists(jsonl_line, max_size=12))
def test_jsonl_gives_one_article_or_reject_per_non_blank_line(lines):
    data = b"\n".join(lines) + b"\n"
    expected = sum(1 for line in io.BytesIO(data) if line.strip())
    items = _read_all(iter_jsonl(io.BytesIO(data), "in.jsonl", ReadParams()))
    assert len(items) == expected
    assert [i.record_number for i in items] == sorted({i.record_number for i in items})


@FUZZ
@given(st.lists(st.lists(hostile_text, min_size=0, max_size=4), max_size=8), st.binary(max_size=40))
def test_csv_rows_each_give_one_article_or_reject(rows, garbage):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "text", "source"])
    writer.writerows(rows)
    data = out.getvalue().encode("utf-8", "surrogatepass") + garbage
    items = _read_all(iter_csv(io.BytesIO(data), "in.csv", ReadParams()))
    numbers = [i.record_number for i in items]
    assert numbers == list(range(1, len(items) + 1))


@FUZZ
@given(st.lists(st.tuples(st.one_of(st.none(), hostile_text, st.integers().map(str)),
                          st.one_of(st.none(), hostile_text)), max_size=10))
def test_parquet_rows_each_give_one_article_or_reject(rows):
    table = pa.table({"id": [r[0] for r in rows], "text": [r[1] for r in rows]},
                     schema=pa.schema([("id", pa.string()), ("text", pa.string())]))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    buffer.seek(0)
    items = _read_all(iter_parquet(buffer, "in.parquet", ReadParams()))
    assert [i.record_number for i in items] == list(range(1, len(rows) + 1))


@FUZZ
@given(st.one_of(st.binary(max_size=200), hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_a_text_file_is_one_article_or_one_reject(data):
    assert len(_read_all([parse_text_file(data, "story.txt", ReadParams())])) == 1
