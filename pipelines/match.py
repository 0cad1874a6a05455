"""MatchClaims: mentions -> matched pairs and each mention's cluster."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from claims.ids import stable_id
from claims.matching import (CONFLICT, METHOD, SAME_CLAIM, MatchParams, block_pairs, centre_clusters, claim_features,
                             keys_from_rarest, rarest_tokens, weigh)
from pipelines.components import ConnectedComponents
from schemas import row_type

MatchesRow = row_type("matches")
MATCHES, ASSIGNMENTS, CONFLICTS = "matches", "assignments", "conflicts"


class _CompareBlock(beam.DoFn):
    def __init__(self, params: MatchParams):
        self._params = params
        self._compared = Metrics.counter("match", "blocks_compared")
        self._pairs = Metrics.counter("match", "pairs_matched")

    def process(self, keyed, oversized):
        key, members = keyed
        self._compared.inc()
        for id_a, id_b, relation, score in block_pairs(list(members), key, self._params, oversized):
            self._pairs.inc()
            yield MatchesRow(claim_id_a=id_a, claim_id_b=id_b, score=score, method=METHOD, relation=relation)


class _CountOversized(beam.DoFn):
    def __init__(self):
        self._skipped = Metrics.counter("match", "blocks_skipped_oversized")

    def process(self, key):
        self._skipped.inc()
        yield key


def _edges_by_component(keyed):
    _, grouped = keyed
    for root in grouped["component"]:
        for edge in grouped["edges"]:
            yield root, (SAME_CLAIM, edge)
        for pair in grouped["conflicts"]:
            yield root, (CONFLICT, pair)


def _centres(keyed):
    _, tagged = keyed
    tagged = list(tagged)
    same = [edge for kind, edge in tagged if kind == SAME_CLAIM]
    conflicts = [pair for kind, pair in tagged if kind == CONFLICT]
    return sorted(centre_clusters(same, conflicts).items())


def _assign(keyed):
    claim_id, grouped = keyed
    centres = grouped["centre"]
    centre = centres[0] if centres else claim_id
    return claim_id, (stable_id("k", centre), centre == claim_id)


class MatchClaims(beam.PTransform):
    """Matches mentions across articles.

    Returns {"matches": MatchesRow (same-claim and conflict pairs),
    "assignments": (claim_id, (cluster_id, is_centre)) for every mention,
    "conflicts": (claim_id_a, claim_id_b)}.
    """

    def __init__(self, params: MatchParams = MatchParams()):
        super().__init__()
        self._params = params

    def expand(self, mentions):
        params = self._params
        features = mentions | "Compute match features" >> beam.Map(
            lambda m: (m.claim_id, claim_features(m.claim_text, m.negated)))
        # (claim_id, ClaimFeatures)
        doc_freq = (
            features
            | "List each mention's words" >> beam.FlatMap(lambda kv: kv[1].words)
            | "Count mentions per word" >> beam.combiners.Count.PerElement())
        # (word, number of mentions); content tokens are a subset of the words
        n_mentions = features | "Count mentions" >> beam.combiners.Count.Globally()
        with_rare = features | "Weigh words and pick the rarest" >> beam.Map(
            lambda kv, df, n: (kv[0], weigh(kv[1], df, n), rarest_tokens(kv[1].tokens, df, params)),
            df=beam.pvalue.AsDict(doc_freq), n=beam.pvalue.AsSingleton(n_mentions))
        # (claim_id, ClaimFeatures with IDF weights, rarest tokens)
        oversized = (
            with_rare
            | "List blocking keys" >> beam.FlatMap(lambda m: keys_from_rarest(m[2]))
            | "Count mentions per key" >> beam.combiners.Count.PerElement()
            | "Keep keys too common to block on" >> beam.Filter(lambda kv: kv[1] > params.max_block_size)
            | "Count oversized blocks" >> beam.Map(lambda kv: kv[0])
            | "Note oversized blocks" >> beam.ParDo(_CountOversized())
            | "Collect oversized keys" >> beam.combiners.ToList()
            | "Freeze oversized keys" >> beam.Map(frozenset))
        skip = beam.pvalue.AsSingleton(oversized)
        blocks = (
            with_rare
            | "Key mentions by block" >> beam.FlatMap(
                lambda m, skip: [(key, m) for key in keys_from_rarest(m[2]) if key not in skip], skip=skip)
            # (block key, (claim_id, ClaimFeatures, rarest tokens))
            | "Group mentions by block" >> beam.GroupByKey())
        matches = blocks | "Compare pairs within blocks" >> beam.ParDo(_CompareBlock(params), oversized=skip)
        same = (
            matches
            | "Keep same-claim pairs" >> beam.Filter(lambda m: m.relation == SAME_CLAIM)
            | "Key pairs by first mention" >> beam.Map(lambda m: (m.claim_id_a, (m.claim_id_a, m.claim_id_b, m.score))))
        # (claim_id_a, (claim_id_a, claim_id_b, score))
        components = (
            same
            | "Take pair endpoints" >> beam.Map(lambda kv: (kv[1][0], kv[1][1]))
            | "Find connected mentions" >> ConnectedComponents())
        # (claim_id, component root)
        conflicts = (
            matches
            | "Keep conflicting pairs" >> beam.Filter(lambda m: m.relation == CONFLICT)
            | "Take conflicting endpoints" >> beam.Map(lambda m: (m.claim_id_a, m.claim_id_b)))
        centres = (
            {"component": components, "edges": same,
             "conflicts": conflicts | "Key conflicts by first mention" >> beam.Map(lambda p: (p[0], p))}
            | "Join pairs to their component" >> beam.CoGroupByKey()
            | "Key pairs by component" >> beam.FlatMap(_edges_by_component)
            # (component root, (SAME_CLAIM, (a, b, score)) or (CONFLICT, (a, b)))
            | "Group pairs by component" >> beam.GroupByKey()
            | "Split components around centres" >> beam.FlatMap(_centres))
        # (claim_id, centre claim_id)
        assignments = (
            {"mention": features | "Take claim ids" >> beam.Map(lambda kv: (kv[0], None)), "centre": centres}
            | "Join mentions to centres" >> beam.CoGroupByKey()
            | "Assign each mention a cluster" >> beam.Map(_assign))
        # (claim_id, (cluster_id, is_centre))
        return {MATCHES: matches, ASSIGNMENTS: assignments, CONFLICTS: conflicts}
