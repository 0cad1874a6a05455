import pickle

import pytest

from claims.mentions import PERSON, extract_mentions
from claims.scoring import Evidence
from claims.verify import (CONTESTED, CORROBORATED, DISCUSS, NOT_FOUND, REFUTE, REFUTED, SINGLE_SOURCE, SUPPORT,
                           UNCONFIRMED, ArticleStance, Target, TargetIndex, VerifyParams, article_norm, article_stance, article_words,
                           cosine, coverage, leaning, parse_targets, target_features, verdict)

CORPUS = {  # article id -> text: the document frequencies the weights come from
    "fire": "A fire destroyed a warehouse at the Port Calder docks on Tuesday night.",
    "fire2": "About 200 residents were evacuated from the Port Calder docks on Tuesday.",
    "band": "Mila Reyes is leaving Hollow Pines, the band she fronts, on Tuesday.",
    "other": "The council met on Tuesday to discuss the new budget for schools.",
}


def doc_freq():
    counts = {}
    for text in CORPUS.values():
        for w in article_words(text):
            counts[w] = counts.get(w, 0) + 1
    return counts


def features(text, target_id="t1"):
    return target_features(Target(target_id, text), doc_freq(), len(CORPUS))


def norm(term_counts):
    return article_norm(term_counts, doc_freq(), len(CORPUS))


def test_parse_targets_reads_ids_and_texts():
    lines = [b'{"id": "a", "text": "  Mila Reyes   is leaving. "}', b"", b'{"id": 7, "text": "A fire."}']
    assert parse_targets(lines, "t.jsonl") == [Target("a", "Mila Reyes is leaving."), Target("7", "A fire.")]


@pytest.mark.parametrize("lines, message", [
    pytest.param([b"{oops"], "line 1: not valid JSON", id="bad json"),
    pytest.param([b'["a"]'], "line 1: expected an object", id="not an object"),
    pytest.param([b'{"text": "x"}'], 'line 1: "id" must be', id="no id"),
    pytest.param([b'{"id": "a", "text": " "}'], 'line 1: "text" must be', id="blank text"),
    pytest.param([b'{"id": "a", "text": "A fire."}', b'{"id": "a", "text": "A flood."}'], "line 2: id 'a' repeats line 1",
                 id="repeated id"),
    pytest.param([b"", b"  "], "no targets", id="empty file"),
    pytest.param([b'{"id": "a", "text": "A fire."}', b'{"id": "b", "text": "caf\xe9"}'], "line 2: bytes that are not valid",
                 id="not utf-8"),
    pytest.param([b'{"id": "a", "text": "The it was."}'], "line 1: \"text\" has no content words", id="stop words only"),
])
def test_parse_targets_names_the_bad_line(lines, message):
    with pytest.raises(ValueError, match=message):
        parse_targets(lines, "t.jsonl")


def test_a_byte_order_mark_is_not_part_of_the_first_line():
    assert parse_targets(['\ufeff{"id": "a", "text": "A fire."}'], "t") == parse_targets(
        [b'\xef\xbb\xbf{"id": "a", "text": "A fire."}'], "t") == [Target("a", "A fire.")]


def test_words_the_corpus_lacks_are_not_blocking_keys():
    target = features("Mila Reyes leaving Hollow Pines, Zorblat Quxxy Wibbleton Frobnitz Blorpington confirm.")
    assert target.prefix and set(target.prefix) <= set(doc_freq())  # without this, unseen words filled the prefix


def test_rare_words_outweigh_common_ones():
    target = features("Mila Reyes is leaving Hollow Pines on Tuesday")
    assert coverage(target, article_words(CORPUS["band"])) == 1.0
    assert coverage(target, article_words(CORPUS["other"])) < 0.05  # shares only "Tuesday"
    assert "tuesday" not in target.prefix


def test_index_offers_only_targets_sharing_a_prefix_word():
    band, fire = features("Mila Reyes is leaving Hollow Pines", "band"), features("Fire at the Port Calder docks",
                                                                                   "fire")
    index = pickle.loads(pickle.dumps(TargetIndex([fire, band])))  # shipped to workers as a side input
    assert [t.target_id for t in index.candidates(article_words(CORPUS["band"]))] == ["band"]
    assert [t.target_id for t in index.candidates(article_words(CORPUS["other"]))] == []


@pytest.mark.parametrize("article, stance, cue", [
    pytest.param("Mila Reyes is leaving Hollow Pines to go solo.", SUPPORT, "states it", id="plain statement"),
    pytest.param("Mila Reyes is reportedly leaving Hollow Pines to go solo.", DISCUSS, "hedged", id="hedged"),
    pytest.param("Mila Reyes is leaving Hollow Pines to go solo, according to Celeb Buzz.", DISCUSS, "attributed",
                 id="attributed"),
    pytest.param("Reyes denied that she is leaving Hollow Pines to go solo.", REFUTE, "calls it false",
                 id="denial"),
    pytest.param("The story that Mila Reyes is leaving Hollow Pines to go solo is a hoax.", REFUTE, "hoax",
                 id="debunked"),
    pytest.param("Mila Reyes is not leaving Hollow Pines to go solo.", REFUTE, "opposite", id="negation flips it"),
    pytest.param("Hollow Pines played in Lisbon. The band sold out.", DISCUSS, "no sentence states", id="off topic"),
])
def test_article_stance_cues(article, stance, cue):
    target = features("Mila Reyes is leaving Hollow Pines to go solo.")
    found = article_stance(target, extract_mentions("a1", article), VerifyParams())
    assert found.stance == stance and cue in found.reason


@pytest.mark.parametrize("target, sentence, stance", [
    pytest.param("Mila Reyes is leaving Hollow Pines to record a solo album.",
                 "Mila Reyes is not leaving Hollow Pines to record an album.", DISCUSS,
                 id="opposite polarity below 90% never supports"),
    pytest.param("Mila Reyes is not leaving Hollow Pines.", "The report that Mila Reyes is leaving Hollow Pines is false.",
                 SUPPORT, id="a denial agrees with a negated target"),
    pytest.param("Reyes is leaving Hollow Pines.", "Reyes denied reports that she is pregnant.", DISCUSS,
                 id="a denial sharing only the name does not refute"),
    pytest.param("Mila Reyes is leaving Hollow Pines.", "Mila Reyes didn't deny she is leaving Hollow Pines.",
                 SUPPORT, id="a denial not made"),
    pytest.param("Mila Reyes is leaving Hollow Pines.", "Mila Reyes refused to deny she is leaving Hollow Pines.",
                 DISCUSS, id="refusing to deny is not a denial (what she did is attributed to her: discuss)"),
    pytest.param("A fire destroyed a warehouse at the Port Calder docks.",
                 "A false alarm at the Port Calder docks brought crews to the warehouse.", DISCUSS,
                 id="'false' as an adjective does not refute"),
])
def test_polarity_and_denial_edge_cases(target, sentence, stance):
    assert article_stance(features(target), extract_mentions("a1", sentence)).stance == stance


def test_a_short_debunking_sentence_refutes():
    target = features("Mila Reyes is leaving Hollow Pines to record a new solo album.")
    found = article_stance(target, extract_mentions("a1", "Talk of Mila Reyes going solo is a hoax, her label said."))
    assert found.similarity < 0.5 and found.stance == REFUTE


def test_calling_it_false_agrees_with_a_target_that_calls_it_false():
    target = features("The video of Mila Reyes leaving Hollow Pines is a hoax.")
    found = article_stance(target, extract_mentions("a1", "The video of Mila Reyes leaving Hollow Pines is fake."))
    assert found.stance == SUPPORT


@pytest.mark.parametrize("article, stance, clear", [
    pytest.param("About 50 residents were evacuated from the Port Calder docks.", REFUTE, True,
                 id="a different number in the closest sentence"),
    pytest.param("About 200 residents were not evacuated from the Port Calder docks.", REFUTE, True,
                 id="the opposite polarity, word for word"),
    pytest.param("About 200 residents were evacuated from the Port Calder docks on Tuesday. A later count found "
                 "that 50 residents were evacuated from the docks.", REFUTE, False,
                 id="a different number, but farther than a sentence that states it"),
    pytest.param("Police denied that 200 residents were evacuated from the Port Calder docks.", REFUTE, False,
                 id="a denial is a reading, not a conflict of facts"),
    pytest.param("About 200 residents were evacuated from the Port Calder docks.", SUPPORT, False, id="agreement"),
])
def test_a_clear_conflict_is_one_in_the_closest_sentence(article, stance, clear):
    found = article_stance(features("About 200 residents were evacuated from the Port Calder docks."),
                           extract_mentions("a1", article))
    assert (found.stance, found.clear_conflict) == (stance, clear)


@pytest.mark.parametrize("article, cited", [
    pytest.param("The council met on Tuesday. Residents complained about the noise.", None,
                 id="every sentence below refute_threshold: none is cited"),
    pytest.param("The council met on Tuesday. Residents complained about the noise at the docks.",
                 "Residents complained about the noise at the docks.", id="the closest, when it comes near"),
    pytest.param("The story about residents evacuated from Port Calder is a hoax. About 200 residents were "
                 "evacuated from the Port Calder docks, a reporter wrote.",
                 "The story about residents evacuated from Port Calder is a hoax.",
                 id="the sentence the stance was read from, not the closest"),
])
def test_the_evidence_cites_the_sentence_the_stance_was_read_from(article, cited):
    mentions = extract_mentions("a1", article)
    found = article_stance(features("About 200 residents were evacuated from the Port Calder docks."), mentions)
    text_of = {m.claim_id: m.text for m in mentions}
    assert text_of.get(found.claim_id) == cited
    assert (cited is None and found.reason == "no sentence states the claim") or f'"{cited}"' in found.reason


def test_a_statement_holding_little_of_the_target_only_discusses_it():
    target = features("Mila Reyes is leaving Hollow Pines to record a new solo album.")
    found = article_stance(target, extract_mentions("a1", "Mila Reyes is leaving Hollow Pines to record music."))
    assert 0.5 <= found.similarity < 0.7 and found.stance == DISCUSS and "reports part" in found.reason


def test_cosine_ranks_an_article_about_the_target_above_one_naming_it_in_passing():
    target = features("Mila Reyes is leaving Hollow Pines")
    about = article_words("Mila Reyes is leaving Hollow Pines. Reyes told fans Hollow Pines will go on.")
    passing = article_words("The council met on Tuesday. The budget for schools grew. Hollow Pines played.")
    assert 1.0 >= cosine(target, about, norm(about)) > cosine(target, passing, norm(passing)) > 0.0


def test_the_same_specific_number_lets_a_partial_statement_support():
    target = features("About 200 residents were evacuated from the Port Calder docks after the warehouse fire.")
    same = article_stance(target, extract_mentions("a1", "About 200 residents were evacuated from the Port Calder "
                                                         "docks."))
    unnumbered = article_stance(target, extract_mentions("a1", "Residents were evacuated from the Port Calder docks."))
    assert same.similarity < 0.7 and same.stance == SUPPORT
    assert unnumbered.similarity < 0.7 and unnumbered.stance == DISCUSS


def test_a_different_number_refutes():
    target = features("About 200 residents were evacuated from the Port Calder docks.")
    found = article_stance(target, extract_mentions("a1", "About 50 residents were evacuated from the Port Calder "
                                                          "docks."))
    assert found.stance == REFUTE and "number" in found.reason


def test_refutation_outranks_support_in_one_article():
    target = features("Mila Reyes is leaving Hollow Pines.")
    text = "Mila Reyes is leaving Hollow Pines. Her label said the report that Reyes is leaving Hollow Pines is false."
    assert article_stance(target, extract_mentions("a1", text)).stance == REFUTE


def ev(article, source, group=None, speaker=None, hedged=False):
    return Evidence(f"m-{article}", article, source, group or f"g-{article}", speaker,
                    PERSON if speaker else None, speaker, hedged, "2026-03-04T10:00:00+00:00")


@pytest.mark.parametrize("stances, status, n_support, n_refute, score", [
    pytest.param([], NOT_FOUND, 0, 0, 0.5, id="no article"),
    pytest.param([(DISCUSS, ev("1", "Harbor Times"))], UNCONFIRMED, 0, 0, 0.5, id="only reported"),
    pytest.param([(SUPPORT, ev("1", "Harbor Times"))], SINGLE_SOURCE, 1, 0, 0.6667, id="one source"),
    pytest.param([(SUPPORT, ev("1", "Harbor Times")), (SUPPORT, ev("2", "Daily Ledger"))], CORROBORATED, 2, 0,
                 0.75, id="two outlets"),
    pytest.param([(SUPPORT, ev("1", "Metro Wire", "g")), (SUPPORT, ev("2", "Northside Gazette", "g"))],
                 SINGLE_SOURCE, 1, 0, 0.6667, id="copies count once"),
    pytest.param([(REFUTE, ev("1", "Harbor Times"))], REFUTED, 0, 1, 0.3333, id="refuted"),
    pytest.param([(SUPPORT, ev("1", "Celeb Buzz")), (REFUTE, ev("2", "Metro Wire", speaker="Reyes")),
                  (REFUTE, ev("3", "Harbor Times", speaker="Mila Reyes"))], CONTESTED, 1, 1, 0.5,
                 id="one quoted denial repeated by two outlets counts once"),
])
def test_verdict_counts_independent_origins(stances, status, n_support, n_refute, score):
    v = verdict(stances)
    assert (v.status, v.n_independent_support, v.n_independent_refute, v.score) == (status, n_support, n_refute,
                                                                                      score)
    assert v.n_articles == len(stances) and v.explanation


@pytest.mark.parametrize("stances, leanings, score", [
    pytest.param([(SUPPORT, ev("1", "Harbor Times"))], [(0.6, 0.1)], round(1.6 / 2.6, 4),
                 id="one article, weighed by its probability of the side it takes"),
    pytest.param([(SUPPORT, ev("1", "Metro Wire", "g")), (SUPPORT, ev("2", "Northside Gazette", "g"))],
                 [(0.8, 0.1), (0.4, 0.3)], round(1.8 / 2.8, 4), id="copies lean as far as the most leaning one"),
    pytest.param([(DISCUSS, ev("1", "Harbor Times")), (DISCUSS, ev("2", "Daily Ledger"))], [(0.45, 0.2), (0.1, 0.6)],
                 0.5, id="articles that only discuss lean nowhere, whatever their probabilities"),
    pytest.param([(REFUTE, ev("1", "Harbor Times")), (DISCUSS, ev("2", "Daily Ledger"))], [(0.3, 0.5), (0.7, 0.1)],
                 round(1 / 2.5, 4), id="a refuting article counts only against"),
    pytest.param([(SUPPORT, ev("1", "Harbor Times", hedged=True))], [(1.0, 0.0)], 0.6, id="a hedged origin weighs half"),
    pytest.param([(SUPPORT, ev("1", "Metro Wire", "g", hedged=True)), (SUPPORT, ev("2", "Northside Gazette", "g"))],
                 [(0.9, 0.0), (0.1, 0.0)], round(1.45 / 2.45, 4),
                 id="an unhedged copy leaning less adds nothing to a hedged one leaning more"),
])
def test_the_score_weighs_each_side_by_its_leaning(stances, leanings, score):
    v = verdict(stances, leanings=leanings)
    assert v.score == score
    counted = [lean[0] if s == SUPPORT else lean[1] for (s, _), lean in zip(stances, leanings) if s != DISCUSS]
    assert ("how confidently the stance model" in v.explanation) == any(0 < x < 1 for x in counted)


@pytest.mark.parametrize("stances, direction", [
    pytest.param([DISCUSS, DISCUSS], 0, id="nothing supports or refutes: 0.5"),
    pytest.param([SUPPORT, DISCUSS], 1, id="support only: above 0.5"),
    pytest.param([REFUTE, DISCUSS, DISCUSS], -1, id="refutation only: below 0.5"),
])
@pytest.mark.parametrize("model", [False, True], ids=["rules", "model"])
def test_score_and_explanation_point_the_same_way(stances, direction, model):
    """Under the model, discussing articles have probabilities of support and refute too: they must not move the
    score of a claim that the explanation says nothing supports or refutes."""
    evidence = [(s, ev(str(i), f"Outlet {i}")) for i, s in enumerate(stances)]
    leanings = [(0.45, 0.25) if s == DISCUSS else (0.7, 0.1) if s == SUPPORT else (0.2, 0.6) for s in stances] \
        if model else None
    v = verdict(evidence, leanings=leanings)
    assert (v.score > 0.5) - (v.score < 0.5) == direction
    assert ("no article supports it" in v.explanation) == (direction <= 0)
    assert ("no article refutes it" in v.explanation) == (direction >= 0)


@pytest.mark.parametrize("stance, probabilities, expected", [
    pytest.param(ArticleStance(SUPPORT, "states it", "c1", 0.8), None, (1.0, 0.0), id="the rules: the stance itself"),
    pytest.param(ArticleStance(DISCUSS, "hedged", "c1", 0.8), None, (0.0, 0.0), id="the rules: discuss leans nowhere"),
    pytest.param(ArticleStance(SUPPORT, "weighing", "c1", 0.8), {SUPPORT: 0.45, REFUTE: 0.2, DISCUSS: 0.35},
                 (0.45, 0.0), id="the model: its probability of the side taken"),
    pytest.param(ArticleStance(DISCUSS, "weighing", "c1", 0.8), {SUPPORT: 0.3, REFUTE: 0.3, DISCUSS: 0.4},
                 (0.0, 0.0), id="the model: discuss leans nowhere"),
    pytest.param(ArticleStance(REFUTE, "gives a different number", "c1", 1.0, clear_conflict=True),
                 {SUPPORT: 0.6, REFUTE: 0.05, DISCUSS: 0.35}, (0.0, 1.0),
                 id="a clear conflict refutes fully, however the model reads it"),
])
def test_leaning(stance, probabilities, expected):
    assert leaning(stance, probabilities) == expected


@pytest.mark.parametrize("field, value", [("related_threshold", 0.0), ("mention_threshold", 1.5),
                                          ("prefix_share", 0.0), ("min_prefix_tokens", 0),
                                          ("model_side_threshold", 0.0), ("stance", "oracle")])
def test_params_validate(field, value):
    with pytest.raises(ValueError, match=field):
        VerifyParams(**{field: value})
