import json

import pytest

from claims.attribution import (AttributionModelError, between_signature, find_attribution, load_attribution_model,
                                parse_attribution_model, source_span, token_spans, tokenize)
from claims.mentions import attribute
from claims.text import fold


@pytest.mark.parametrize("sentence, source", [
    pytest.param("The senator vowed to block the bill.", "The senator", id="vowed"),
    pytest.param("Critics argued that the plan was too costly.", "Critics", id="argued"),
    pytest.param("The mayor warned that the bridge could close.", "The mayor", id="warned"),
    pytest.param("Marsh believes the tour will go ahead.", "Marsh", id="believes"),
    pytest.param("The union wants a new contract for its drivers.", "The union", id="wants"),
    pytest.param("The coach insisted the team was ready.", "The coach", id="insisted"),
    pytest.param("According to the county geology office, the slope had been unstable for years.",
                 "the county geology office", id="according to"),
    pytest.param("The filing says the company owed two million dollars.", "The filing", id="a document says"),
    pytest.param("The report found that the river was polluted.", "The report", id="a report found"),
    pytest.param("41 percent of respondents say the economy is improving.", "41 percent of respondents",
                 id="a poll"),
    pytest.param("Service resumed at noon, the railway said.", "the railway", id="trailing organisation"),
    pytest.param("The water was safe to drink, state officials said.", "state officials", id="trailing officials"),
    pytest.param("Environmental officials said the spill had been contained.", "Environmental officials",
                 id="leading officials"),
    pytest.param("Clinton, speaking at a rally in Ohio on Tuesday, said the plan would create jobs.", "Clinton",
                 id="across an appositive"),
    pytest.param("The minister said the talks had failed, adding that a new round was unlikely.", "The minister",
                 id="a participle takes the sentence's subject"),
    pytest.param("President Obama, dedicating the National Museum of African American History and Culture on "
                 "Saturday, argued that it would tell an American story.", "President Obama",
                 id="a subject beyond the window of near words"),
    pytest.param("The governor is insisting that the budget will balance by June.", "The governor",
                 id="a progressive after 'is' is no passive"),
    pytest.param("Chastened by the analyses, the senator conceded that the plan would cost more than promised.",
                 "the senator",
                 id="an opening participle is no name"),
    pytest.param("''This museum tells the truth about our past,'' Mr. Bush declared.", "Mr. Bush",
                 id="doubled apostrophes quote, so the source stands outside them"),
    pytest.param('"We will win," said Republican party boss Ana Ruiz.', "Republican",
                 id="an anonymous noun is a whole word: 'rep' is not the start of 'Republican'"),
    pytest.param("The line will close, according to a report from the inspector general.",
                 "a report from the inspector general", id="nor is 'rep' the start of 'report'"),
    pytest.param("The tax would raise $110 billion a year, according to the 2009 paper.", "the 2009 paper",
                 id="according to a determiner's phrase runs over numbers"),
    pytest.param('The plan would cost $1 trillion, according to the "Care for all" document he released.',
                 'the "Care for all" document he released', id="and over quoted titles"),
    pytest.param("The town grew, according to the U.S. Census Bureau.", "the U.S. Census Bureau",
                 id="and over an abbreviation's stops"),
    pytest.param("Sen. Ana Ruiz, facing a hard race in Iowa, a swing state, said he would welcome Cruz.",
                 "Sen. Ana Ruiz", id="a pronoun and an auxiliary after the cue are no role before a name"),
    pytest.param('"This platform says you are not welcome," said Kristen Day, a director, reports USA Today.',
                 "Kristen Day", id="nor is a cue"),
    pytest.param('Instead, Axelrod said, "she started as such a favourite."', "Axelrod",
                 id="a sentence adverb is no name"),
    pytest.param("But they are convinced that the president could have done much more.", "they",
                 id="a state of mind after 'are' is no passive"),
    pytest.param("Police reported no arrests late Monday, although 55 people were cited.", "Police",
                 id="'reported' without 'that' goes to the learned model"),
])
def test_cues_and_sources_are_found(sentence, source):
    assert attribute(sentence).speaker == source


@pytest.mark.parametrize("sentence", [
    pytest.param("No one was reported injured in the fire.", id="a passive cue has no source but after 'by'"),
    pytest.param("It was reported that the mayor resigned.", id="the subject of a passive is not its source"),
    pytest.param("The warehouse burned for six hours.", id="no cue at all"),
    pytest.param("Reyes wrote most of the band's lyrics and sang on every hit.", id="a verb the patterns reject"),
    pytest.param("Reyes is reportedly recording a solo album in Lisbon.", id="reportedly: its subject is its topic"),
    pytest.param("The singer is allegedly planning a tour.", id="allegedly: its subject is its topic"),
    pytest.param("Wednesday added one more unusual development to the list.", id="a day is no name"),
    pytest.param("Reyes wrote most of the lyrics, her bandmates recall, and posted the demos herself.",
                 id="writing reports nothing without 'that'"),
])
def test_no_attribution(sentence):
    assert attribute(sentence).speaker is None


def test_find_attribution_gives_spans_into_the_sentence():
    sentence = "Service resumed at noon, the railway said."
    found = find_attribution(sentence)
    assert sentence[found.cue_start:found.cue_end] == "said"
    assert sentence[found.source_start:found.source_end] == "the railway"
    assert not found.source_after_cue and 0 < found.probability <= 1


@pytest.mark.parametrize("sentence, head, span", [
    pytest.param("Rep. Patrick J. Tiberi said so.", "Tiberi", "Rep. Patrick J. Tiberi", id="title and initial"),
    pytest.param("Secretary of State John Kerry said so.", "Kerry", "Secretary of State John Kerry",
                 id="'of' inside a title"),
    pytest.param("41 percent of respondents say so.", "percent", "41 percent of respondents", id="a count of people"),
    pytest.param("A senior campaign official said so.", "official", "A senior campaign official",
                 id="modifiers and a determiner"),
])
def test_source_span(sentence, head, span):
    folded = fold(sentence)
    tokens = tokenize(folded)
    j = next(k for k, t in enumerate(tokens) if t.text == head)
    a, b = source_span(tokens, j, load_attribution_model().modifiers)
    spans = token_spans(folded)
    assert folded[spans[a][0]:spans[b][1]] == span


@pytest.mark.parametrize("sentence, lo, hi, signature", [
    pytest.param("Trump has also repeatedly said it.", 0, 4, "a", id="auxiliaries and adverbs"),
    pytest.param("Friedman, a radio host, said it.", 0, 6, ",w,", id="an appositive"),
    pytest.param("Ruiz said it.", 0, 1, "", id="adjacent"),
])
def test_between_signature(sentence, lo, hi, signature):
    assert between_signature(tokenize(fold(sentence)), lo, hi) == signature


def test_tokens_and_spans_agree():
    folded = fold("\u201cWe ran,\u201d said Dr. Ruiz of the U.S. Army.")
    tokens, spans = tokenize(folded), token_spans(folded)
    assert [t.text for t in tokens] == [folded[a:b] for a, b in spans]
    assert "U.S." in [t.text for t in tokens]


def _model(**changes) -> bytes:
    spec = {"format": "claimbeam-attribution-model", "format_version": 2, "cue_threshold": 0.5,
            "head_threshold": 0.0, "pair_threshold": 0.5, "pronoun_pair_threshold": 0.5, "cues": ["said"],
            "modifiers": [],
            "cue": {"weights": {"c=said": 2.0}, "bias": 0}, "head": {"weights": {}, "bias": 0},
            "pair": {"weights": {"pc=said": 1.0}, "bias": 0}}
    spec.update(changes)
    return json.dumps(spec).encode()


def test_a_minimal_model_file_runs():
    model = parse_attribution_model(_model())
    found = find_attribution("The railway said the line was closed.", model)
    assert found is not None and len(model.sha256) == 64


@pytest.mark.parametrize("pair, attributed", [
    pytest.param({"weights": {"pc=said": 1.0}, "bias": 0}, True, id="a check that trusts 'said' passes it"),
    pytest.param({"weights": {"pc=said": -1.0}, "bias": 0}, False, id="a check that distrusts 'said' turns it down"),
    pytest.param({"weights": {"phw=railway": -3.0}, "bias": 1.0}, False, id="the check reads the source's head"),
])
def test_the_pair_check_decides_whether_the_best_cue_and_head_are_an_attribution(pair, attributed):
    model = parse_attribution_model(_model(pair=pair))
    assert (find_attribution("The railway said the line was closed.", model) is not None) is attributed


@pytest.mark.parametrize("sentence, attributed", [
    pytest.param("She said the line was closed.", True, id="a pronoun source meets the pronoun threshold"),
    pytest.param("The railway said the line was closed.", False, id="a named source meets the other threshold"),
])
def test_a_pronoun_source_has_a_threshold_of_its_own(sentence, attributed):
    model = parse_attribution_model(_model(pair={"weights": {}, "bias": 0.0}, pair_threshold=0.9,
                                           pronoun_pair_threshold=0.4))  # every pair's check says 0.5
    assert (find_attribution(sentence, model) is not None) is attributed


@pytest.mark.parametrize("data, message", [
    pytest.param(b"{not json", "not a JSON file", id="not JSON"),
    pytest.param(_model(format="other"), "not a claimbeam attribution model", id="another format"),
    pytest.param(_model(format_version=9), "format version 9", id="a newer version"),
    pytest.param(_model(cues="said"), "malformed cues", id="cues not a list"),
    pytest.param(_model(cue={"weights": {"c=said": "x"}, "bias": 0}), "malformed cue model", id="a weight not a number"),
    pytest.param(_model(head={"weights": {}, "bias": float("inf")}), "malformed head model", id="an infinite bias"),
    pytest.param(_model(cue_threshold=1.5), "malformed cue_threshold", id="a threshold out of range"),
    pytest.param(_model(pair=None), "malformed pair model", id="no pair check"),
    pytest.param(_model(pair_threshold=None), "malformed pair_threshold", id="no pair threshold"),
])
def test_bad_model_files_say_what_is_wrong(data, message):
    with pytest.raises(AttributionModelError, match=message):
        parse_attribution_model(data)


def test_the_shipped_model_loads():
    model = load_attribution_model()
    assert "said" in model.cues and "PolNeAR train" in model.trained_on and 0 < model.cue_threshold < 1
    assert model.pair.weights and 0 < model.pair_threshold < 1
