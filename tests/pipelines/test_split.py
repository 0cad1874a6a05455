import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from claims.faults import FAULTS_ENV
from pipelines.split import SplitClaims


def test_split_claims_uses_corpus_outlets_for_attribution(pipeline, make_article):
    articles = [make_article("a1", "According to Celeb Buzz, the band has split up for good. Will they return?"),
                make_article("a2", "The band announced a farewell tour of twelve cities.", source="Celeb Buzz")]
    with pipeline as p:
        split = p | beam.Create(articles) | SplitClaims()
        assert_that(split["mentions"] | beam.Map(lambda m: (m.article_id, m.attributed_to, m.attribution_type, m.kind)),
                    equal_to([("a1", "Celeb Buzz", "outlet", "reported_speech"), ("a2", "The band", "official", "reported_speech")]))
        assert_that(split["tallies"] | beam.CombinePerKey(sum),
                    equal_to([("split.articles", 2), ("split.sentences", 3), ("split.mentions", 2),
                              ("split.filtered.question", 1)]), label="tallies")
        assert_that(split["faults"], equal_to([]), label="no faults")


def test_split_claims_keeps_a_failing_article_to_itself(pipeline, make_article, monkeypatch):
    monkeypatch.setenv(FAULTS_ENV, "split:a2")
    articles = [make_article("a1", "The band announced a farewell tour of twelve cities."),
                make_article("a2", "The fire started on Tuesday night in a storage warehouse.", record_number=2)]
    with pipeline as p:
        split = p | beam.Create(articles) | SplitClaims()
        assert_that(split["mentions"] | beam.Map(lambda m: m.article_id), equal_to(["a1"]))
        assert_that(split["faults"] | beam.Map(lambda r: (r.stage, r.input, r.record_number, r.reason)),
                    equal_to([("split", "in.jsonl", 2, "split failed (InjectedFault): fault injected by "
                                                       "CLAIMBEAM_TEST_FAULTS for split:a2 [a2]")]), label="faults")
        assert_that(split["tallies"] | beam.CombinePerKey(sum),
                    equal_to([("split.articles", 1), ("split.sentences", 1), ("split.mentions", 1),
                              ("split.articles_failed", 1)]), label="tallies")
