"""DetectCopies: articles -> article links and each article's copy group."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from claims.copies import (COPY, GROUPING_RELATIONS, CopyParams, OutletOf, band_keys, bucket_pairs, earliest_first,
                           minhash, overlap, relation, shingles, text_fingerprint)
from claims.ids import first_of_identical, stable_id
from claims.text import clip
from pipelines.components import ConnectedComponents
from pipelines.faults import FAULTS, GuardedStep, fault_reject
from schemas import row_type

ArticleLinksRow = row_type("article_links")
LINKS, COPY_GROUPS, SHINGLED = "links", "copy_groups", "shingled"


class _CheckPairs(beam.DoFn):
    """Exact shingle overlap for the candidate pairs of one article b, given the shingles of each a."""

    def __init__(self, params: CopyParams):
        self._params = params
        self._checked = Metrics.counter("copies", "candidate_pairs_checked")
        self._linked = Metrics.counter("copies", "article_links")

    def process(self, keyed):
        id_b, grouped = keyed
        features_b = grouped["shingles"]
        if not features_b:
            return
        shingles_b, outlet_b = features_b[0]
        for id_a, (shingles_a, outlet_a) in sorted(grouped["candidates"], key=lambda c: c[0]):
            self._checked.inc()
            jaccard, containment = overlap(shingles_a, shingles_b)
            label = relation(jaccard, containment, self._params, outlet_a.credits(outlet_b))
            if label:
                self._linked.inc()
                yield ArticleLinksRow(article_id_a=id_a, article_id_b=id_b, relation=label,
                                      similarity=round(jaccard, 4), containment=round(containment, 4))


class _CopyFeatures(GuardedStep):
    """(article_id, (order key, text, source, ...)) -> (article_id, order key, sorted shingle hashes, LSH band keys,
    OutletOf)."""

    stage = "copies"

    def run_step(self, distinct):
        article_id, (order, text, source, _) = distinct
        hashes = shingles(text, self._params.shingle_words)
        yield article_id, order, hashes, band_keys(minhash(hashes, self._params), self._params), OutletOf.of(source, text)

    def fault_for(self, distinct, key, err):
        """The article is kept, in a copy group of its own: it is compared with no other."""
        return fault_reject(self.stage, key, err, f"article {key}: {clip(distinct[1][1], 200)}")


def _first_of_identical(keyed):
    """(fingerprint, [(order key, article_id, text, source)]) -> the earliest (article_id, (order key, text, source,
    other ids))."""
    (order, first_id, text, source), others = first_of_identical(keyed[1], id_at=1)
    return first_id, (order, text, source, others)


def _identical_links(distinct):
    first_id, (_, _, _, others) = distinct
    for article_id in others:
        yield ArticleLinksRow(article_id_a=first_id, article_id_b=article_id, relation=COPY, similarity=1.0,
                              containment=1.0)


class _PairBucket(beam.DoFn):
    def __init__(self, params: CopyParams):
        self._params = params
        self._large = Metrics.counter("copies", "large_buckets_paired_linearly")

    def process(self, keyed):
        _, members = keyed
        members = list(members)
        if len(members) > self._params.max_bucket_size:
            self._large.inc()
        yield from bucket_pairs(members, self._params.max_bucket_size)


def _attach_shingles_of_a(keyed):
    id_a, grouped = keyed
    for features_a in grouped["shingles"]:
        for id_b in grouped["partners"]:
            yield id_b, (id_a, features_a)


def _copy_group(keyed):
    article_id, grouped = keyed
    roots = grouped["component"]
    return article_id, stable_id("g", roots[0] if roots else article_id)


class DetectCopies(beam.PTransform):
    """Finds copies and excerpts: {"links": ArticleLinksRow, "copy_groups": (article_id, copy_group),
    "faults": Reject for an article whose copy features failed (it forms a copy group of its own)}.

    Articles with the same words are linked to the earliest of them (a star,
    not every pair); see claims.copies for the rest.
    """

    def __init__(self, params: CopyParams = CopyParams()):
        super().__init__()
        self._params = params

    def expand(self, articles):
        params = self._params
        distinct = (
            articles
            | "Key articles by their words" >> beam.Map(
                lambda a: (text_fingerprint(a.text), (earliest_first(a.published_at, a.article_id), a.article_id,
                                                      a.text, a.source or "")))
            | "Group articles with the same words" >> beam.GroupByKey()
            | "Keep the earliest of each" >> beam.Map(_first_of_identical))
        # (article_id of the earliest, (order key, text, ids of the identical others))
        identical = distinct | "Link identical articles to the earliest" >> beam.FlatMap(_identical_links)
        shingled = distinct | "Shingle and sign each distinct article" >> beam.ParDo(
            _CopyFeatures(params)).with_outputs(FAULTS, main=SHINGLED)
        # (article_id, order key, sorted shingle hashes, LSH band keys, OutletOf)
        fingerprints = shingled[SHINGLED] | "Key shingles by article" >> beam.Map(lambda a: (a[0], (a[2], a[4])))
        candidates = (
            shingled[SHINGLED]
            | "Key articles by LSH band" >> beam.FlatMap(lambda a: [(key, (a[1], a[0])) for key in a[3]])
            # (band key, (order key, article_id))
            | "Group articles sharing a band" >> beam.GroupByKey()
            | "Pair articles in each bucket" >> beam.ParDo(_PairBucket(params))
            # (article_id_a, article_id_b), a < b
            | "Drop pairs found in several bands" >> beam.Distinct())
        with_a = (
            {"shingles": fingerprints, "partners": candidates}
            | "Join the first article's shingles" >> beam.CoGroupByKey()
            | "Re-key by the second article" >> beam.FlatMap(_attach_shingles_of_a))
        # (article_id_b, (article_id_a, shingles_a))
        checked = (
            {"shingles": fingerprints, "candidates": with_a}
            | "Join the second article's shingles" >> beam.CoGroupByKey()
            | "Check each pair exactly" >> beam.ParDo(_CheckPairs(params)))
        links = (identical, checked) | "Collect links" >> beam.Flatten()
        components = (
            links
            | "Keep copy and excerpt links" >> beam.Filter(lambda link: link.relation in GROUPING_RELATIONS)
            | "Take link endpoints" >> beam.Map(lambda link: (link.article_id_a, link.article_id_b))
            | "Find copy groups" >> ConnectedComponents())
        # (article_id, smallest article_id in its group)
        copy_groups = (
            {"article": articles | "Take article ids" >> beam.Map(lambda a: (a.article_id, None)),
             "component": components}
            | "Join articles to their groups" >> beam.CoGroupByKey()
            | "Name each copy group" >> beam.Map(_copy_group))
        return {LINKS: links, COPY_GROUPS: copy_groups, FAULTS: shingled[FAULTS]}
