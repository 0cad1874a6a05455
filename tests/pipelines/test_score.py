import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from claims.mentions import extract_mentions
from pipelines.score import AttachArticles, ScoreCorroboration


def test_attach_articles_and_score_corroboration(pipeline, make_article):
    texts = {"a1": "No one was injured in the warehouse fire.",
             "a2": "No one was injured in the warehouse fire.",
             "a3": "Nobody was injured in the warehouse fire, officials said."}
    articles = [make_article("a1", texts["a1"], "Metro Wire"), make_article("a2", texts["a2"], "Northside Gazette"),
                make_article("a3", texts["a3"], "Daily Ledger")]
    mentions = [m for aid, t in texts.items() for m in extract_mentions(aid, t)]
    cluster = "k-test"
    with pipeline as p:
        attached = {"articles": p | "articles" >> beam.Create(articles),
                    "copy_groups": p | "groups" >> beam.Create([("a1", "g1"), ("a2", "g1"), ("a3", "g3")]),
                    "mentions": p | "mentions" >> beam.Create(mentions)} | AttachArticles()
        assert_that(attached["articles"] | beam.Map(lambda r: (r.article_id, r.n_claims, r.copy_group)),
                    equal_to([("a1", 1, "g1"), ("a2", 1, "g1"), ("a3", 1, "g3")]), label="articles")
        scored = {"evidence": attached["evidence"],
                  "assignments": p | "assign" >> beam.Create([(m.claim_id, (cluster, m.article_id == "a1"))
                                                              for m in mentions]),
                  "conflicts": p | "conflicts" >> beam.Create([])} | ScoreCorroboration()
        assert_that(scored["clusters"] | beam.Map(lambda c: (c.cluster_id, c.n_mentions, c.n_articles,
                                                             c.n_independent, c.status, c.canonical_text)),
                    equal_to([(cluster, 3, 3, 2, "corroborated", texts["a1"])]), label="clusters")
        assert_that(scored["claims"] | beam.Map(lambda r: (r.article_id, r.cluster_id)),
                    equal_to([("a1", cluster), ("a2", cluster), ("a3", cluster)]), label="claims")
