"""AttachArticles and ScoreCorroboration: mentions + copy groups + clusters -> scored claims."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import apache_beam as beam
from apache_beam.metrics import Metrics

from claims.scoring import UNSCORED, Evidence, ScoreParams, score_cluster
from pipelines.faults import FAULTS, GuardedStep, fault_reject
from schemas import row_type

ArticlesRow, ClaimsRow, ClustersRow = row_type("articles"), row_type("claims"), row_type("clusters")
ARTICLES, EVIDENCE, CLAIMS, CLUSTERS = "articles", "evidence", "claims", "clusters"


def _iso(ts) -> str | None:
    return ts.isoformat() if ts else None


class _JoinArticle(beam.DoFn):
    """One article with its copy group and mentions -> its table row, plus each mention's evidence."""

    def process(self, keyed):
        article_id, grouped = keyed
        (article, n_chars), group = grouped["article"][0], grouped["copy_group"][0]
        mentions = grouped["mentions"]
        yield ArticlesRow(
            article_id=article_id, source=article.source, url=article.url, title=article.title,
            published_at=article.published_at, published_raw=article.published_raw, n_claims=len(mentions),
            copy_group=group, n_chars=n_chars, input=article.input, record_number=article.record_number)
        for m in mentions:
            evidence = Evidence(
                claim_id=m.claim_id, article_id=article_id, source=article.source or article_id, copy_group=group,
                attributed_to=m.attributed_to, attribution_type=m.attribution_type, speaker=m.speaker,
                hedged=m.hedged, published_at=_iso(article.published_at), speaker_key=m.speaker_key,
                via_outlet=m.via_outlet)
            # The article's source and time, not the article: its text would travel with every mention.
            yield beam.pvalue.TaggedOutput(EVIDENCE,
                                           (m.claim_id, (m, evidence, (article.source, article.published_at))))


class AttachArticles(beam.PTransform):
    """{"articles", "copy_groups", "mentions"} -> {"articles": ArticlesRow, "evidence": (claim_id, (Mention, Evidence, (source, published_at)))}."""

    def expand(self, inputs):
        joined = (
            {"article": inputs["articles"] | "Key articles without their text" >> beam.Map(
                lambda a: (a.article_id, (replace(a, text=""), len(a.text)))),
             "copy_group": inputs["copy_groups"],
             "mentions": inputs["mentions"] | "Key mentions by article" >> beam.Map(lambda m: (m.article_id, m))}
            | "Join articles, groups and mentions" >> beam.CoGroupByKey()
            # (article_id, {"article": [(Article without text, n_chars)], "copy_group": [str], "mentions": [Mention]})
            | "Build article rows and evidence" >> beam.ParDo(_JoinArticle()).with_outputs(EVIDENCE, main=ARTICLES))
        return {ARTICLES: joined[ARTICLES], EVIDENCE: joined[EVIDENCE]}


def _claim_row(keyed):
    claim_id, grouped = keyed
    (mention, evidence, (source, published_at)), = grouped["evidence"]
    (cluster_id, is_centre), = grouped["cluster"]
    row = ClaimsRow(
        claim_id=claim_id, article_id=mention.article_id, position=mention.position,
        char_start=mention.char_start, char_end=mention.char_end, text=mention.text, claim_text=mention.claim_text,
        kind=mention.kind, speaker=mention.speaker, attributed_to=mention.attributed_to,
        attribution_type=mention.attribution_type, speaker_as_written=mention.speaker_as_written,
        via_outlet=mention.via_outlet, speaker_key=mention.speaker_key, hedged=mention.hedged,
        negated=mention.negated, denial=mention.denial, cluster_id=cluster_id, source=source,
        published_at=published_at)
    return cluster_id, (row, evidence, is_centre)


def _opposing_clusters(keyed):
    """For a mention that conflicts with others, tell each other mention's cluster about it."""
    _, grouped = keyed
    for cluster_id, _, _ in grouped["member"]:
        for other in grouped["opposes"]:
            yield other, cluster_id


def _against_evidence(keyed):
    _, grouped = keyed
    for _, evidence, _ in grouped["member"]:
        for cluster_id in grouped["opposed_cluster"]:
            yield cluster_id, evidence


class _ScoreCluster(GuardedStep):
    stage = "score"

    def run_step(self, keyed):
        cluster_id, grouped = keyed
        members = _members(grouped)
        member_ids = {row.claim_id for row, _, _ in members}
        against = sorted({e.claim_id: e for e in grouped["against"] if e.claim_id not in member_ids}.values(),
                         key=lambda e: e.claim_id)
        result = score_cluster([e for _, e, _ in members], against, self._params)
        Metrics.counter("score", f"clusters_{result.status}").inc()
        yield ClustersRow(
            cluster_id=cluster_id, canonical_text=_centre(members).text, n_mentions=result.n_mentions,
            n_articles=result.n_articles, n_sources=result.n_sources, n_independent=result.n_independent,
            n_contradicting=result.n_contradicting, score=result.score, status=result.status,
            explanation=result.explanation, origins=list(result.origins),
            first_seen=datetime.fromisoformat(result.first_seen) if result.first_seen else None,
            first_article_id=result.first_article_id)

    def fault_for(self, keyed, key, err):
        members = _members(keyed[1])
        return fault_reject(self.stage, key, err, f"cluster {key} of {len(members)} mentions: "
                                                  f"{_centre(members).text if members else ''}")

    def fallback(self, keyed, err):
        """The cluster is still listed, so that its mentions' cluster_id joins, with no score and its plain counts."""
        cluster_id, grouped = keyed
        members = _members(grouped)
        rows = [row for row, _, _ in members]
        yield ClustersRow(
            cluster_id=cluster_id, canonical_text=_centre(members).text if members else "",
            n_mentions=len(rows), n_articles=len({r.article_id for r in rows}),
            n_sources=len({r.source for r in rows if r.source}), n_independent=0, n_contradicting=0, score=None,
            status=UNSCORED, explanation=f"Not scored: scoring failed ({type(err).__name__}); see rejects.",
            origins=[], first_seen=None, first_article_id=None)


def _members(grouped):
    return sorted(grouped["members"], key=lambda m: m[0].claim_id)


def _centre(members):
    return next((row for row, _, is_centre in members if is_centre), members[0][0])


class ScoreCorroboration(beam.PTransform):
    """{"evidence", "assignments", "conflicts"} -> {"claims": ClaimsRow, "clusters": ClustersRow,
    "faults": Reject for a cluster whose scoring failed (it is still listed, as unscored)}."""

    def __init__(self, params: ScoreParams = ScoreParams()):
        super().__init__()
        self._params = params

    def expand(self, inputs):
        members = (
            {"evidence": inputs["evidence"], "cluster": inputs["assignments"]}
            | "Join mentions to clusters" >> beam.CoGroupByKey()
            | "Build claim rows" >> beam.Map(_claim_row))
        # (cluster_id, (ClaimsRow, Evidence, is_centre))
        by_claim = members | "Key members by claim" >> beam.Map(lambda kv: (kv[1][0].claim_id, (kv[0],) + kv[1][1:]))
        # (claim_id, (cluster_id, Evidence, is_centre))
        both_ways = inputs["conflicts"] | "Pair conflicts both ways" >> beam.FlatMap(lambda p: [p, (p[1], p[0])])
        against = (
            {"member": by_claim, "opposes": both_ways}
            | "Join conflicts to clusters" >> beam.CoGroupByKey()
            | "Address each opposing mention" >> beam.FlatMap(_opposing_clusters))
        # (opposing claim_id, cluster_id it contradicts)
        against_evidence = (
            {"member": by_claim, "opposed_cluster": against}
            | "Join opposing mentions' evidence" >> beam.CoGroupByKey()
            | "Key contradictions by cluster" >> beam.FlatMap(_against_evidence))
        # (cluster_id, Evidence of a contradicting mention)
        clusters = (
            {"members": members, "against": against_evidence}
            | "Gather each cluster" >> beam.CoGroupByKey()
            | "Score each cluster" >> beam.ParDo(_ScoreCluster(self._params)).with_outputs(FAULTS, main=CLUSTERS))
        claims = members | "Take claim rows" >> beam.Map(lambda kv: kv[1][0])
        return {CLAIMS: claims, CLUSTERS: clusters[CLUSTERS], FAULTS: clusters[FAULTS]}
