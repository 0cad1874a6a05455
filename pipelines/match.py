"""MatchClaims: mentions -> matched pairs and each mention's cluster."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from claims.ids import first_of_identical, stable_id
from claims.matching import (CONFLICT, IDENTICAL_TEXT, METHOD, SAME_CLAIM, MatchParams, block_pairs, centre_clusters,
                             claim_features, prefix_tokens, text_key, weigh)
from pipelines.components import ConnectedComponents
from pipelines.faults import FAULTS, TALLIES, GuardedStep, fault_reject
from schemas import row_type

MatchesRow = row_type("matches")
MATCHES, ASSIGNMENTS, CONFLICTS, FEATURES = "matches", "assignments", "conflicts", "features"
BLOCKS_SKIPPED = "match.blocks_skipped_oversized"  # the manifest reports it under limits


class _CompareBlock(GuardedStep):
    """(blocking word, texts holding it) -> the matched pairs among them; a failure skips this block only."""

    stage = "match"

    def __init__(self, params: MatchParams):
        super().__init__(params)
        self._compared = Metrics.counter("match", "blocks_compared")
        self._candidates = Metrics.counter("match", "candidate_pairs")
        self._pairs = Metrics.counter("match", "pairs_matched")

    def fault_for(self, keyed, key, err):
        members = list(keyed[1])
        return fault_reject(self.stage, key, err, f"block {key!r} of {len(members)} claim texts: "
                                                  + ", ".join(sorted(m[0] for m in members)[:20]))

    def run_step(self, keyed, oversized):
        key, members = keyed
        self._compared.inc()
        for id_a, id_b, relation, score in block_pairs(list(members), key, self._params, oversized):
            self._candidates.inc()
            if relation:
                self._pairs.inc()
                yield MatchesRow(claim_id_a=id_a, claim_id_b=id_b, score=score, method=METHOD, relation=relation)


class _CountOversized(beam.DoFn):
    def __init__(self):
        self._skipped = Metrics.counter("match", "blocks_skipped_oversized")

    def process(self, key):
        self._skipped.inc()
        yield key


class _MatchFeatures(GuardedStep):
    """(text id, (text, negated, other ids)) -> (text id, ClaimFeatures); a failure leaves that claim unmatched."""

    stage = "match"

    def run_step(self, distinct):
        text_id, (text, negated, _) = distinct
        yield text_id, claim_features(text, negated)

    def fault_for(self, distinct, key, err):
        return fault_reject(self.stage, key, err, f"claim text {key}: {distinct[1][0]}")


def _distinct_text(keyed):
    """(text key, [(claim_id, text, negated)]) -> (smallest claim_id, (text, negated, the other claim_ids))."""
    (first_id, text, negated), others = first_of_identical(keyed[1], id_at=0)
    return first_id, (text, negated, others)


def _identical_pairs(distinct):
    first_id, (_, _, others) = distinct
    for claim_id in others:
        yield MatchesRow(claim_id_a=first_id, claim_id_b=claim_id, score=1.0, method=IDENTICAL_TEXT,
                         relation=SAME_CLAIM)


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
    text_id, grouped = keyed
    centres = grouped["centre"]
    centre = centres[0] if centres else text_id
    cluster = stable_id("k", centre)
    for _, _, others in grouped["text"]:
        yield text_id, (cluster, centre == text_id)
        for claim_id in others:
            yield claim_id, (cluster, False)


class MatchClaims(beam.PTransform):
    """Matches mentions across articles.

    Mentions with the same text are matched once: the mention with the
    smallest claim_id stands for its text, and each other one is linked to it
    by an identical-text pair.

    Returns {"matches": MatchesRow (identical-text, same-claim and conflict pairs),
    "assignments": (claim_id, (cluster_id, is_centre)) for every mention,
    "conflicts": (claim_id_a, claim_id_b), "tallies": (name, count) of blocks skipped as too common,
    "faults": Reject for a claim text or a block that failed (left unmatched, or not compared)}.
    """

    def __init__(self, params: MatchParams = MatchParams()):
        super().__init__()
        self._params = params

    def expand(self, mentions):
        params = self._params
        texts = (
            mentions
            | "Key mentions by text" >> beam.Map(
                lambda m: (text_key(m.claim_text, m.negated), (m.claim_id, m.claim_text, m.negated)))
            | "Group identical texts" >> beam.GroupByKey()
            | "Keep one copy of each text" >> beam.Map(_distinct_text))
        # (text id: the smallest claim_id with that text, (text, negated, the other claim_ids))
        identical = texts | "Pair identical mentions" >> beam.FlatMap(_identical_pairs)
        computed = texts | "Compute match features" >> beam.ParDo(_MatchFeatures()).with_outputs(FAULTS, main=FEATURES)
        features = computed[FEATURES]
        # (text id, ClaimFeatures)
        doc_freq = (
            features
            | "List each text's words" >> beam.FlatMap(lambda kv: kv[1].words)
            | "Count texts per word" >> beam.combiners.Count.PerElement())
        # (word, number of distinct texts); content tokens are a subset of the words
        n_texts = features | "Count distinct texts" >> beam.combiners.Count.Globally()
        with_prefix = features | "Weigh words and pick blocking tokens" >> beam.Map(
            lambda kv, df, n: (kv[0], weigh(kv[1], df, n), prefix_tokens(kv[1], df, params)),
            df=beam.pvalue.AsDict(doc_freq), n=beam.pvalue.AsSingleton(n_texts))
        # (text id, ClaimFeatures with IDF weights, prefix tokens)
        oversized_tokens = (
            with_prefix
            | "List blocking tokens" >> beam.FlatMap(lambda m: m[2])
            | "Count texts per token" >> beam.combiners.Count.PerElement()
            | "Keep tokens too common to block on" >> beam.Filter(lambda kv: kv[1] > params.max_block_size)
            | "Take oversized tokens" >> beam.Map(lambda kv: kv[0])
            | "Note oversized blocks" >> beam.ParDo(_CountOversized()))
        tallies = oversized_tokens | "Tally oversized blocks" >> beam.Map(lambda _: (BLOCKS_SKIPPED, 1))
        oversized = (
            oversized_tokens
            | "Collect oversized tokens" >> beam.combiners.ToList()
            | "Freeze oversized tokens" >> beam.Map(frozenset))
        skip = beam.pvalue.AsSingleton(oversized)
        blocks = (
            with_prefix
            | "Key texts by block" >> beam.FlatMap(
                lambda m, skip: [(token, m) for token in m[2] if token not in skip], skip=skip)
            # (prefix token, (text id, ClaimFeatures, prefix tokens))
            | "Group texts by block" >> beam.GroupByKey())
        compared = blocks | "Compare pairs within blocks" >> beam.ParDo(
            _CompareBlock(params), oversized=skip).with_outputs(FAULTS, main=MATCHES)
        scored = compared[MATCHES]
        same = (
            scored
            | "Keep same-claim pairs" >> beam.Filter(lambda m: m.relation == SAME_CLAIM)
            | "Key pairs by first text" >> beam.Map(lambda m: (m.claim_id_a, (m.claim_id_a, m.claim_id_b, m.score))))
        # (text id a, (text id a, text id b, score))
        components = (
            same
            | "Take pair endpoints" >> beam.Map(lambda kv: (kv[1][0], kv[1][1]))
            | "Find connected texts" >> ConnectedComponents())
        # (text id, component root)
        conflicts = (
            scored
            | "Keep conflicting pairs" >> beam.Filter(lambda m: m.relation == CONFLICT)
            | "Take conflicting endpoints" >> beam.Map(lambda m: (m.claim_id_a, m.claim_id_b)))
        centres = (
            {"component": components, "edges": same,
             "conflicts": conflicts | "Key conflicts by first text" >> beam.Map(lambda p: (p[0], p))}
            | "Join pairs to their component" >> beam.CoGroupByKey()
            | "Key pairs by component" >> beam.FlatMap(_edges_by_component)
            # (component root, (SAME_CLAIM, (a, b, score)) or (CONFLICT, (a, b)))
            | "Group pairs by component" >> beam.GroupByKey()
            | "Split components around centres" >> beam.FlatMap(_centres))
        # (text id, centre text id)
        assignments = (
            {"text": texts, "centre": centres}
            | "Join texts to centres" >> beam.CoGroupByKey()
            | "Assign each mention a cluster" >> beam.FlatMap(_assign))
        # (claim_id, (cluster_id, is_centre))
        matches = (identical, scored) | "Collect matched pairs" >> beam.Flatten()
        faults = (computed[FAULTS], compared[FAULTS]) | "Collect match faults" >> beam.Flatten()
        return {MATCHES: matches, ASSIGNMENTS: assignments, CONFLICTS: conflicts, TALLIES: tallies, FAULTS: faults}
