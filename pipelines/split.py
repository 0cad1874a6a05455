"""SplitClaims: articles -> claim mentions, with every sentence that is not a claim counted by reason."""
from __future__ import annotations

import json

import apache_beam as beam
from apache_beam.metrics import Metrics

from claims.mentions import SplitParams, normalise_source, split_article
from pipelines.faults import FAULTS, TALLIES, GuardedStep, fault_reject, tally

MENTIONS = "mentions"
# Tally names (pipelines/faults.py); manifest.json's claims section is built from them.
ARTICLES_SPLIT, ARTICLES_FAILED = "split.articles", "split.articles_failed"
SENTENCES, MENTIONS_SPLIT = "split.sentences", "split.mentions"
FILTERED = "split.filtered."  # + the reason: tallies of sentences that are not claims (manifest.json: claims.filtered)


class _SplitArticle(GuardedStep):
    stage = "split"

    def __init__(self, params: SplitParams):
        super().__init__(params)
        self._mentions = Metrics.counter("split", "mentions")
        self._empty = Metrics.counter("split", "articles_without_claims")

    def key_of(self, article) -> str:
        return article.article_id

    def run_step(self, article, outlet_names):
        split = split_article(article.article_id, article.text, outlet_names, self._params)
        self._mentions.inc(len(split.mentions))
        if not split.mentions:
            self._empty.inc()
        yield tally(ARTICLES_SPLIT)
        yield tally(SENTENCES, split.n_sentences)
        yield tally(MENTIONS_SPLIT, len(split.mentions))
        for reason, count in split.filtered.items():
            yield tally(FILTERED + reason, count)
        yield from split.mentions

    def fault_for(self, article, key, err):
        record = json.dumps({"id": article.article_id, "title": article.title, "text": article.text},
                            ensure_ascii=False)
        return fault_reject(self.stage, key, err, record, article.input, article.record_number)

    def fallback(self, article, err):
        yield tally(ARTICLES_FAILED)


class SplitClaims(beam.PTransform):
    """Splits each article into claim mentions; outlets seen in the corpus tell "According to X" apart from people.

    Returns {"mentions": Mention, "tallies": (name, count), "faults": Reject for an article that failed}.
    """

    def __init__(self, params: SplitParams = SplitParams()):
        super().__init__()
        self._params = params

    def expand(self, articles):
        outlet_names = (
            articles
            | "Name each outlet" >> beam.Map(lambda a: normalise_source(a.source))
            | "Keep distinct outlets" >> beam.Distinct()
            | "Collect the outlets" >> beam.combiners.ToList()
            | "Freeze the outlets" >> beam.Map(lambda names: frozenset(n for n in names if n)))
        split = articles | "Extract claim mentions" >> beam.ParDo(
            _SplitArticle(self._params), outlet_names=beam.pvalue.AsSingleton(outlet_names)).with_outputs(
            TALLIES, FAULTS, main=MENTIONS)
        return {MENTIONS: split[MENTIONS], TALLIES: split[TALLIES], FAULTS: split[FAULTS]}
