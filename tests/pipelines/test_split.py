import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from pipelines.split import SplitClaims


def test_split_claims_uses_corpus_outlets_for_attribution(pipeline, make_article):
    articles = [make_article("a1", "According to Celeb Buzz, the band has split up for good. Will they return?"),
                make_article("a2", "The band announced a farewell tour of twelve cities.", source="Celeb Buzz")]
    with pipeline as p:
        mentions = p | beam.Create(articles) | SplitClaims()
        assert_that(mentions | beam.Map(lambda m: (m.article_id, m.attributed_to, m.attribution_type, m.kind)),
                    equal_to([("a1", "Celeb Buzz", "outlet", "reported_speech"), ("a2", "The band", "official", "reported_speech")]))
