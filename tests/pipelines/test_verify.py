import math

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to

from claims.mentions import extract_mentions
from claims.stance_model import parse_stance_model
from claims.verify import Target, VerifyParams
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
        out = ({"targets": p | "targets" >> beam.Create(targets),
               "articles": p | "articles" >> beam.Create(articles),
               "copy_groups": p | "groups" >> beam.Create([("a1", "g1"), ("a2", "g1"), ("a3", "g3"), ("a4", "g4")]),
               "mentions": p | "mentions" >> beam.Create([m for aid, t in texts.items()
                                                           for m in extract_mentions(aid, t)])}
               | VerifyTargets(VerifyParams(stance="rules")))
        assert_that(out["evidence"] | beam.Map(lambda r: (r.target_id, r.article_id, r.stance, r.copy_group)),
                    equal_to([("quits", "a1", "support", "g1"), ("quits", "a2", "support", "g1"),
                              ("quits", "a3", "refute", "g3")]), label="evidence")
        assert_that(out["verdicts"] | beam.Map(lambda v: (v.target_id, v.n_articles, v.n_independent_support,
                                                          v.n_independent_refute, v.status)),
                    equal_to([("quits", 3, 1, 1, "contested"), ("bridge", 0, 0, 0, "not_found")]), label="verdicts")


def test_the_stance_model_gives_each_stance_its_probabilities_and_the_score_its_leaning(pipeline, make_article,
                                                                                         stance_model_bytes):
    """A model that leans to support reads an article near the claim so; one far from it takes no side."""
    model = parse_stance_model(stance_model_bytes({"discuss": 0.0, "refute": -1.0, "support": 1.0}))
    texts = {"a1": "Reyes denied that she is leaving Hollow Pines to go solo.",
             "a2": "Hollow Pines fans gathered in Lisbon. The Reyes tour sold out. Pines merchandise ran out."}
    p_discuss, p_refute, p_support = (round(p, 4) for p in _softmax([0.0, -1.0, 1.0]))
    with pipeline as p:
        out = ({"targets": p | "targets" >> beam.Create([Target("quits", "Mila Reyes is leaving Hollow Pines.")]),
                "articles": p | "articles" >> beam.Create([make_article(a, t, s) for (a, t), s in
                                                           zip(texts.items(), ("Metro Wire", "Daily Ledger"))]),
                "copy_groups": p | "groups" >> beam.Create([("a1", "g1"), ("a2", "g2")]),
                "mentions": p | "mentions" >> beam.Create([m for aid, t in texts.items()
                                                            for m in extract_mentions(aid, t)])}
               | VerifyTargets(model=model))
        assert_that(out["evidence"] | beam.Map(lambda r: (r.article_id, r.stance, r.support_probability,
                                                          r.refute_probability, r.discuss_probability,
                                                          r.stance_reason.startswith("weighing all its cues"))),
                    equal_to([("a1", "support", p_support, p_refute, p_discuss, True),
                              ("a2", "discuss", p_support, p_refute, p_discuss, False)]), label="evidence")
        # a1 leans (p_support, p_refute), a2 nowhere: score = (S + 1) / (S + R + 2)
        assert_that(out["verdicts"] | beam.Map(lambda v: (v.n_independent_support, v.score)),
                    equal_to([(1, round((p_support + 1) / (p_support + p_refute + 2), 4))]), label="verdict")


def _softmax(raw):
    e = [math.exp(r) for r in raw]
    return [v / sum(e) for v in e]


def test_a_model_needs_the_model_stance():
    with pytest.raises(ValueError, match="not 'model'"):
        VerifyTargets(VerifyParams(stance="rules"), model=object())
