"""VerifyTargets: target claims + articles -> evidence (target x addressing article) and one verdict per target.

The targets are broadcast to the workers as a side input, indexed under
their rarest words (see claims.verify), so each article meets only the
targets it may address and no step compares all pairs. So is the corpus's
document frequency of every word, which TF-IDF needs. The memory bound that
follows, held once per worker, is the targets with their weights (a few
hundred bytes each) plus the vocabulary (about 100 bytes a distinct word:
tens of MB for a million articles); the articles are never gathered in one
place.
"""
from __future__ import annotations

from datetime import datetime

import apache_beam as beam
from apache_beam.metrics import Metrics

from claims.scoring import Evidence, ScoreParams
from claims.stance_features import article_cues, pair_features
from claims.stance_model import StanceModel, load_stance_model, model_stance
from claims.verify import (DISCUSS, REFUTE, STANCES, SUPPORT, UNSCORED, TargetIndex, VerifyParams, article_norm,
                           article_stance, article_words, cosine, leaning, mention_similarities, target_features,
                           verdict, words_of)
from pipelines.faults import FAULTS, GuardedStep, fault_reject
from schemas import row_type

EvidenceRow, VerdictsRow = row_type("evidence"), row_type("verdicts")
EVIDENCE, VERDICTS = "evidence", "verdicts"


class _AddressedTargets(GuardedStep):
    """One article with its copy group and mentions -> (target_id, (stance, Evidence, EvidenceRow, leaning)) per
    target it addresses; leaning is (support, refute) for the verdict's score (claims.verify.leaning)."""

    stage = "stance"

    def __init__(self, params: VerifyParams, model: StanceModel | None):
        super().__init__(params)
        self._model = model
        self._candidates = Metrics.counter("verify", "candidate_pairs")
        self._addressed = Metrics.counter("verify", "evidence_rows")

    def fault_for(self, keyed, key, err):
        """This article counts in no target's verdict; the reject says which article and where it was read."""
        (_, _, _, input_path, record_number), = keyed[1]["words"]
        return fault_reject(self.stage, key, err, f"article {key}", input_path, record_number)

    def run_step(self, keyed, index: TargetIndex, doc_freq: dict[str, int], n_articles: int):
        article_id, grouped = keyed
        (words, source, published_at, _, _), = grouped["words"]
        copy_group, = grouped["copy_group"]
        mentions = sorted(grouped["mentions"], key=lambda m: m.position)
        by_id = {m.claim_id: m for m in mentions}
        addressed, norm = [], None  # (target, relatedness); the norm only if some target is a candidate
        for target in index.candidates(words):
            self._candidates.inc()
            norm = article_norm(words, doc_freq, n_articles) if norm is None else norm
            related = cosine(target, words, norm)
            if related >= self._params.related_threshold:
                addressed.append((target, related))
        if not addressed:
            return
        self._addressed.inc(len(addressed))
        mention_words = [words_of(m.text) for m in mentions]
        similarities = [mention_similarities(target, mention_words) for target, _ in addressed]
        stances = [article_stance(target, mentions, self._params, mention_words, sims)
                   for (target, _), sims in zip(addressed, similarities)]
        probabilities = [None] * len(addressed)
        if self._model is not None:  # one batch per article: its cues once, every addressed target's features
            cues = article_cues(mentions, mention_words)
            rows = [pair_features(t, cues, related, rules, self._params, sims)
                    for (t, related), rules, sims in zip(addressed, stances, similarities)]
            read = self._model.probabilities(rows)
            stances = [model_stance(rules, self._model.classes, p, self._params) for rules, p in zip(stances, read)]
            probabilities = [dict(zip(self._model.classes, (round(float(x), 4) for x in p))) for p in read]
        for (target, related), stance, p in zip(addressed, stances, probabilities):
            m = by_id.get(stance.claim_id)
            evidence = Evidence(
                claim_id=stance.claim_id or "", article_id=article_id, source=source or article_id,
                copy_group=copy_group, attributed_to=m.attributed_to if m else None,
                attribution_type=m.attribution_type if m else None, speaker=m.speaker if m else None,
                hedged=m.hedged if m else False, published_at=published_at.isoformat() if published_at else None,
                speaker_key=m.speaker_key if m else None, via_outlet=m.via_outlet if m else None)
            row = EvidenceRow(
                target_id=target.target_id, article_id=article_id, claim_id=stance.claim_id,
                similarity=stance.similarity, relatedness=related, stance=stance.stance,
                stance_reason=stance.reason, **{f"{s}_probability": p[s] if p else None for s in STANCES},
                source=source, copy_group=copy_group, published_at=published_at)
            yield target.target_id, (stance.stance, evidence, row, leaning(stance, p))


class _GiveVerdict(GuardedStep):
    """(target_id, {"target": [Target], "evidence": [(stance, Evidence, EvidenceRow, leaning)]}) -> VerdictsRow."""

    stage = "verdict"

    def run_step(self, keyed):
        target_id, grouped = keyed
        target, = grouped["target"]
        v = verdict(((stance, evidence) for stance, evidence, _, _ in grouped["evidence"]), self._params,
                    [lean for _, _, _, lean in grouped["evidence"]])
        yield VerdictsRow(
            target_id=target_id, text=target.text, n_articles=v.n_articles, n_support=v.n_support,
            n_refute=v.n_refute, n_discuss=v.n_discuss, n_independent_support=v.n_independent_support,
            n_independent_refute=v.n_independent_refute, score=v.score, status=v.status, explanation=v.explanation,
            first_seen=datetime.fromisoformat(v.first_seen) if v.first_seen else None)

    def fault_for(self, keyed, key, err):
        return fault_reject(self.stage, key, err, f"target {key}: {keyed[1]['target'][0].text}")

    def fallback(self, keyed, err):
        """Every target keeps its row: the plain stance counts, no independent origins, no score."""
        target_id, grouped = keyed
        stances = [stance for stance, _, _, _ in grouped["evidence"]]
        yield VerdictsRow(
            target_id=target_id, text=grouped["target"][0].text, n_articles=len(stances),
            n_support=stances.count(SUPPORT), n_refute=stances.count(REFUTE), n_discuss=stances.count(DISCUSS),
            n_independent_support=0, n_independent_refute=0, score=None, status=UNSCORED,
            explanation=f"Not scored: the verdict failed ({type(err).__name__}); see rejects.", first_seen=None)


def _index(targets, doc_freq, n_articles, params):
    return TargetIndex(target_features(t, doc_freq, n_articles, params) for t in targets)


class VerifyTargets(beam.PTransform):
    """{"targets", "articles", "copy_groups", "mentions"} -> {"evidence": EvidenceRow, "verdicts": VerdictsRow,
    "faults": Reject for an article or target that failed}."""

    def __init__(self, params: VerifyParams = VerifyParams(), score: ScoreParams = ScoreParams(),
                 model: StanceModel | None = None):
        super().__init__()
        if model is not None and params.stance != "model":
            raise ValueError("a stance model was given, but params.stance is not 'model'")
        self._params = params
        self._score = score
        # The model travels inside the step (about 0.3 MB), so remote workers need no file of their own.
        self._model = (model or load_stance_model()) if params.stance == "model" else None

    def expand(self, inputs):
        targets = inputs["targets"]
        words = (inputs["articles"]
                 | "Count each article's words" >> beam.Map(
                     lambda a: (a.article_id, (article_words(a.text), a.source, a.published_at, a.input,
                                               a.record_number))))
        # (article_id, (Counter of words, source, published_at, input, record_number))
        doc_freq = (
            words
            | "List each article's distinct words" >> beam.FlatMap(lambda kv: sorted(kv[1][0]))
            | "Count articles per word" >> beam.combiners.Count.PerElement())
        n_articles = words | "Count articles" >> beam.combiners.Count.Globally()
        index = (
            targets
            | "Collect the targets" >> beam.combiners.ToList()
            | "Index targets by their rarest words" >> beam.Map(
                _index, doc_freq=beam.pvalue.AsDict(doc_freq), n_articles=beam.pvalue.AsSingleton(n_articles),
                params=self._params))
        addressed = (
            {"words": words, "copy_group": inputs["copy_groups"],
             "mentions": inputs["mentions"] | "Key mentions by article" >> beam.Map(lambda m: (m.article_id, m))}
            | "Join words, groups and mentions" >> beam.CoGroupByKey()
            # (article_id, {"words": [(words, source, published_at, input, record_number)], "copy_group": [str],
            #               "mentions": [Mention]})
            | "Find the targets each article addresses" >> beam.ParDo(
                _AddressedTargets(self._params, self._model), index=beam.pvalue.AsSingleton(index),
                doc_freq=beam.pvalue.AsDict(doc_freq), n_articles=beam.pvalue.AsSingleton(n_articles)
            ).with_outputs(FAULTS, main=EVIDENCE))
        # (target_id, (stance, Evidence, EvidenceRow, (support leaning, refute leaning)))
        verdicts = (
            {"target": targets | "Key targets by id" >> beam.Map(lambda t: (t.target_id, t)),
             "evidence": addressed[EVIDENCE]}
            | "Join targets and their evidence" >> beam.CoGroupByKey()
            # (target_id, {"target": [Target], "evidence": [(stance, Evidence, EvidenceRow, leaning)]})
            | "Give each target a verdict" >> beam.ParDo(_GiveVerdict(self._score)).with_outputs(FAULTS, main=VERDICTS))
        faults = (addressed[FAULTS], verdicts[FAULTS]) | "Collect verify faults" >> beam.Flatten()
        return {EVIDENCE: addressed[EVIDENCE] | "Build evidence rows" >> beam.Map(lambda kv: kv[1][2]),
                VERDICTS: verdicts[VERDICTS], FAULTS: faults}
