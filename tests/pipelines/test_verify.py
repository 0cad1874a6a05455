import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from claims.mentions import extract_mentions
from claims.verify import Target
from pipelines.verify import VerifyTargets


def test_verify_targets_writes_evidence_and_a_verdict_for_every_target(pipeline, make_article):
    texts = {"a1": "Mila Reyes is leaving Hollow Pines to go solo.",
             "a2": "Mila Reyes is leaving Hollow Pines to go solo.",
             "a3": "Reyes denied that she is leaving Hollow Pines to go solo.",
             "a4": "The Port Calder council met on Tuesday to discuss the budget."}
    articles = [make_article("a1", texts["a1"], "Celeb Buzz"), make_article("a2", texts["a2"], "Daily Ledger"),
                make_article("a3", texts["a3"], "Metro Wire"), make_article("a4", texts["a4"], "Harbor Times")]
    targets = [Target("quits", "Mila Reyes is leaving Hollow Pines to go solo."),
               Target("bridge", "The Kestrel Bay bridge will close for repairs.")]
    with pipeline as p:
        out = {"targets": p | "targets" >> beam.Create(targets),
               "articles": p | "articles" >> beam.Create(articles),
               "copy_groups": p | "groups" >> beam.Create([("a1", "g1"), ("a2", "g1"), ("a3", "g3"), ("a4", "g4")]),
               "mentions": p | "mentions" >> beam.Create([m for aid, t in texts.items()
                                                           for m in extract_mentions(aid, t)])} | VerifyTargets()
        assert_that(out["evidence"] | beam.Map(lambda r: (r.target_id, r.article_id, r.stance, r.copy_group)),
                    equal_to([("quits", "a1", "support", "g1"), ("quits", "a2", "support", "g1"),
                              ("quits", "a3", "refute", "g3")]), label="evidence")
        assert_that(out["verdicts"] | beam.Map(lambda v: (v.target_id, v.n_articles, v.n_independent_support,
                                                          v.n_independent_refute, v.status)),
                    equal_to([("quits", 3, 1, 1, "contested"), ("bridge", 0, 0, 0, "not_found")]), label="verdicts")
