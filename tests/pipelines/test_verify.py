import dataclasses
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
        # a1 leans p_support to the side it takes, a2 nowhere: score = (S + 1) / (S + R + 2), R = 0
        assert_that(out["verdicts"] | beam.Map(lambda v: (v.n_independent_support, v.score)),
                    equal_to([(1, round((p_support + 1) / (p_support + 2), 4))]), label="verdict")


DERAILMENT = {  # four outlets say twelve cars, one says fourteen; w1 and m1 are one text under two headlines
    "w1": ("WireNet", "Freight train derails near Calder",
           "Twelve cars of a freight train derailed near Calder Junction early Sunday. No one was hurt. The line will "
           "stay closed until Tuesday while crews clear the track."),
    "m1": ("Metro Daily", "Twelve cars derail at Calder Junction; nobody hurt", None),
    "h1": ("Harbor Times", "Calder derailment", "Twelve cars derailed near Calder Junction on Sunday. The railway "
                                               "has opened an inquiry into the cause."),
    "c1": ("Calder Courier", "Derailment at the junction", "Fourteen cars of a freight train derailed near Calder "
                                                          "Junction early Sunday. Witnesses described a loud bang."),
}


DERAILMENT_TEXTS = {a: text or DERAILMENT["w1"][2] for a, (_, _, text) in DERAILMENT.items()}
DERAILMENT_MENTIONS = [m for a, t in DERAILMENT_TEXTS.items() for m in extract_mentions(a, t)]
SENTENCE_OF = {m.claim_id: m.text for m in DERAILMENT_MENTIONS}


def _derailment(p, make_article, stance_model):
    texts = DERAILMENT_TEXTS
    articles = [dataclasses.replace(make_article(a, texts[a], source), title=title)
                for a, (source, title, _) in DERAILMENT.items()]
    return ({"targets": p | "targets" >> beam.Create([Target("twelve", "Twelve cars derailed near Calder Junction."),
                                                      Target("tuesday", "The Calder line reopens on Tuesday.")]),
             "articles": p | "articles" >> beam.Create(articles),
             "copy_groups": p | "groups" >> beam.Create([("w1", "g1"), ("m1", "g1"), ("h1", "h1"), ("c1", "c1")]),
             "mentions": p | "mentions" >> beam.Create(DERAILMENT_MENTIONS)}
            | VerifyTargets(model=stance_model))


def test_one_text_under_two_headlines_gets_one_stance_sentence_and_probabilities(pipeline, make_article):
    """The shipped model reads w1 and its verbatim copy m1 alike, whatever their headlines say."""
    with pipeline as p:
        out = _derailment(p, make_article, None)
        copies = (out["evidence"]
                  | beam.Filter(lambda r: r.article_id in ("w1", "m1"))
                  | beam.Map(lambda r: (r.target_id, (r.stance, SENTENCE_OF.get(r.claim_id),
                                                      r.similarity, r.relatedness, r.stance_reason,
                                                      r.support_probability, r.refute_probability)))
                  | beam.GroupByKey()
                  | beam.MapTuple(lambda target, readings: (target, len(readings), len(set(readings)))))
        assert_that(copies, equal_to([("twelve", 2, 1), ("tuesday", 2, 1)]))


def test_a_different_number_in_the_closest_sentence_refutes_whatever_the_model_says(pipeline, make_article,
                                                                                    stance_model_bytes):
    """A model that always leans to support cannot overrule a clear conflict; other articles it may read its way."""
    model = parse_stance_model(stance_model_bytes({"discuss": 0.0, "refute": -2.0, "support": 2.0}))
    with pipeline as p:
        out = _derailment(p, make_article, model)
        assert_that(out["evidence"]
                    | beam.Filter(lambda r: r.target_id == "twelve")
                    | beam.Map(lambda r: (r.article_id, r.stance, r.stance_reason.split(":")[0])),
                    equal_to([("w1", "support", "states it"), ("m1", "support", "states it"),
                              ("h1", "support", "states it"), ("c1", "refute", "gives a different number or date")]),
                    label="evidence")
        assert_that(out["verdicts"] | beam.Map(lambda v: (v.target_id, v.status, v.n_independent_refute)),
                    equal_to([("twelve", "contested", 1), ("tuesday", "unconfirmed", 0)]), label="verdicts")


def _softmax(raw):
    e = [math.exp(r) for r in raw]
    return [v / sum(e) for v in e]


def test_a_model_needs_the_model_stance():
    with pytest.raises(ValueError, match="not 'model'"):
        VerifyTargets(VerifyParams(stance="rules"), model=object())
