"""SplitClaims: articles -> claim mentions."""
from __future__ import annotations

import apache_beam as beam
from apache_beam.metrics import Metrics

from claims.mentions import extract_mentions, normalise_source


class _ExtractMentions(beam.DoFn):
    def __init__(self):
        self._mentions = Metrics.counter("split", "mentions")
        self._empty = Metrics.counter("split", "articles_without_claims")

    def process(self, article, outlet_names):
        mentions = extract_mentions(article.article_id, article.text, outlet_names)
        self._mentions.inc(len(mentions))
        if not mentions:
            self._empty.inc()
        yield from mentions


class SplitClaims(beam.PTransform):
    """Splits each article into claim mentions; outlets seen in the corpus tell "According to X" apart from people."""

    def expand(self, articles):
        outlet_names = (
            articles
            | "Name each outlet" >> beam.Map(lambda a: normalise_source(a.source))
            | "Keep distinct outlets" >> beam.Distinct()
            | "Collect the outlets" >> beam.combiners.ToList()
            | "Freeze the outlets" >> beam.Map(lambda names: frozenset(n for n in names if n)))
        return articles | "Extract claim mentions" >> beam.ParDo(
            _ExtractMentions(), outlet_names=beam.pvalue.AsSingleton(outlet_names))
