import pytest

from claims.sources import (ANONYMOUS, OFFICIAL, OUTLET, PERSON, Sourced, classify, clean_name, person_name,
                            resolve_article, sentence_subject, source_key)


@pytest.mark.parametrize("name, outlets, kind", [
    pytest.param("Jo Marsh", frozenset(), PERSON, id="a person"),
    pytest.param("Fire Chief Dana Ruiz", frozenset(), PERSON, id="a person with a title"),
    pytest.param("Northline Rail", frozenset(), OFFICIAL, id="a company"),
    pytest.param("Harbourlight Records", frozenset(), OFFICIAL, id="a record label"),
    pytest.param("the FBI", frozenset(), OFFICIAL, id="an acronym"),
    pytest.param("the railway", frozenset(), OFFICIAL, id="an organisation by its noun"),
    pytest.param("State officials", frozenset(), OFFICIAL, id="officials"),
    pytest.param("The report", frozenset(), OFFICIAL, id="a document"),
    pytest.param("Celebrity Weekly", frozenset(), OUTLET, id="a publication outside the corpus"),
    pytest.param("Celeb Buzz", frozenset({"celebbuzz"}), OUTLET, id="an outlet of the corpus"),
    pytest.param("the website", frozenset(), OUTLET, id="a publication referred back to"),
    pytest.param("An insider", frozenset(), ANONYMOUS, id="an insider"),
    pytest.param("Sources close to the band", frozenset(), ANONYMOUS, id="sources close to"),
    pytest.param("A spokesperson for Northline Rail", frozenset(), OFFICIAL, id="an organisation's spokesperson"),
    pytest.param("41 percent of respondents", frozenset(), ANONYMOUS, id="a poll's respondents"),
    pytest.param("the singer", frozenset(), PERSON, id="a description of someone"),
])
def test_classify(name, outlets, kind):
    assert classify(name, outlets) == kind


@pytest.mark.parametrize("name, expected", [
    pytest.param("When Jo Marsh", "Jo Marsh", id="a clause word"),
    pytest.param("But officials", "officials", id="a conjunction"),
    pytest.param("Jo Marsh,", "Jo Marsh", id="trailing punctuation"),
])
def test_clean_name(name, expected):
    assert clean_name(name) == expected


@pytest.mark.parametrize("name, expected", [
    pytest.param("Fire Chief Dana Ruiz", "Dana Ruiz", id="title"),
    pytest.param("Entertainment Reporter Mila Reyes", "Mila Reyes", id="capitalised role"),
    pytest.param("Rep. Patrick J. Tiberi", "Patrick Tiberi", id="initial"),
    pytest.param("Marsh", "Marsh", id="surname alone"),
])
def test_person_name(name, expected):
    assert person_name(name) == expected


@pytest.mark.parametrize("name, kind, key", [
    pytest.param("Singer Jo Marsh", PERSON, "person:jo marsh", id="person"),
    pytest.param("she", PERSON, None, id="an unresolved pronoun names no one"),
    pytest.param("The singer", PERSON, None, id="an unresolved description names no one"),
    pytest.param("Celebrity Weekly", OUTLET, "outlet:celebrityweekly", id="outlet"),
    pytest.param("Northline Rail", OFFICIAL, "official:northlinerail", id="a named organisation"),
    pytest.param("State officials", OFFICIAL, None, id="unnamed officials"),
    pytest.param("An insider", ANONYMOUS, None, id="anonymous"),
])
def test_source_key(name, kind, key):
    assert source_key(name, kind) == key


def _resolve(text, sources):
    """sources: (surface, type, start, extras) in article order -> resolved speakers and vias."""
    resolved = resolve_article([Sourced(name, name, kind, extra.pop("via_outlet", None), start=text.index(at), **extra)
                                for name, kind, at, extra in sources], text)
    return [(s.speaker, s.via_outlet) for s in resolved]


def test_pronouns_take_their_sentence_subject_else_the_last_named_person():
    text = "Jo Marsh said one thing. She said another. Tom Reed, who met her, said he agreed."
    assert _resolve(text, [("Jo Marsh", PERSON, "Jo Marsh said", {}), ("She", PERSON, "She said", {}),
                           ("he", PERSON, "Tom Reed", {"antecedent": "Tom Reed"})]) == [
        ("Jo Marsh", None), ("Jo Marsh", None), ("Tom Reed", None)]


def test_a_pronoun_before_any_named_speaker_takes_the_person_the_article_names_most():
    text = "Jo Marsh is back. Reports say Jo Marsh and Tom Reed met. \"It is true,\" she told fans."
    assert _resolve(text, [("she", PERSON, "\"It is", {})]) == [("Jo Marsh", None)]


@pytest.mark.parametrize("text, sources, expected", [
    pytest.param("Ms. Ana Ruiz said one thing. Mr. Tom Reed agreed, as Tom Reed does. Ruiz said more. "
                 "Later he said another.",
                 [("Ruiz", PERSON, "Ruiz said more", {}), ("he", PERSON, "he said another", {})],
                 ["Ana Ruiz", "Tom Reed"], id="a 'he' passes over the last source, titled 'Ms.', to the main man"),
    pytest.param("Mrs. Jo Marsh said one thing. Marsh said more. Then she said another.",
                 [("Marsh", PERSON, "Marsh said more", {}), ("she", PERSON, "she said another", {})],
                 ["Jo Marsh", "Jo Marsh"], id="a 'she' takes a woman titled 'Mrs.'"),
    pytest.param("Ms. Ana Ruiz said one thing. Then he said another.",
                 [("Ana Ruiz", PERSON, "Ms. Ana Ruiz", {}), ("he", PERSON, "he said another", {})],
                 ["Ana Ruiz", "he"], id="a 'he' with only a woman before it stays as written"),
    pytest.param("Jo Marsh said one thing. They said another.",
                 [("Jo Marsh", PERSON, "Jo Marsh", {}), ("They", PERSON, "They said", {})],
                 ["Jo Marsh", "They"], id="'they' is no one person"),
    pytest.param("Jo Marsh said one thing. Ever since she left, she has said another.",
                 [("Jo Marsh", PERSON, "Jo Marsh", {}), ("she", PERSON, "Ever since", {"antecedent": "Ever"})],
                 ["Jo Marsh", "Jo Marsh"], id="a capitalised opener the article writes once is no antecedent"),
    pytest.param("Tom Reed said one thing. Reed, who met her, said he agreed.",
                 [("Tom Reed", PERSON, "Tom Reed", {}), ("he", PERSON, "Reed, who", {"antecedent": "Reed"})],
                 ["Tom Reed", "Tom Reed"], id="a name the article writes again is"),
])
def test_pronouns_follow_gender_and_number(text, sources, expected):
    assert [speaker for speaker, _ in _resolve(text, sources)] == expected


@pytest.mark.parametrize("sentence, pronoun, subject", [
    pytest.param("Rendell, who ran the party in 2000, agreed, but he said it was late.", "he", "Rendell",
                 id="the opening person"),
    pytest.param("But Fowler said it would be intense, and he noted the date.", "he", "Fowler",
                 id="after an opening conjunction"),
    pytest.param("Unfortunately, many will support him, he said.", "he", None, id="an opening adverb is no one"),
    pytest.param("He's an immature man, and he says so.", "he", None, id="the pronoun itself, contracted"),
])
def test_sentence_subject(sentence, pronoun, subject):
    assert sentence_subject(sentence, pronoun) == subject


def test_partial_names_take_the_fullest_name_in_the_article():
    text = "The singer Jo Marsh arrived. Marsh said it was fine. Jo said she was happy."
    assert _resolve(text, [("Marsh", PERSON, "Marsh said", {}), ("Jo", PERSON, "Jo said", {})]) == [
        ("Jo Marsh", None), ("Jo Marsh", None)]


def test_two_people_with_one_surname_are_left_as_written():
    text = "Bill Clinton and Hillary Clinton spoke. Clinton said it was fine."
    assert _resolve(text, [("Clinton", PERSON, "Clinton said", {})]) == [("Clinton", None)]


def test_a_description_takes_the_name_the_article_ties_to_it():
    text = "Jo Marsh, the band's lead singer, arrived late. The singer said the show would go on."
    assert _resolve(text, [("The singer", PERSON, "The singer said", {})]) == [("Jo Marsh", None)]


def test_an_untied_description_stays_as_written():
    text = "Jo Marsh arrived late. The GOP nominee said the show would go on."
    assert _resolve(text, [("The GOP nominee", PERSON, "The GOP nominee", {})]) == [("The GOP nominee", None)]


def test_an_outlet_referred_back_to_is_the_channel():
    text = "According to Celebrity Weekly, the tour is on. An insider told the website it starts in May."
    assert _resolve(text, [("Celebrity Weekly", OUTLET, "According", {"via_outlet": "Celebrity Weekly"}),
                           ("An insider", ANONYMOUS, "An insider", {"outlet_reference": "the website"})]) == [
        ("Celebrity Weekly", "Celebrity Weekly"), ("An insider", "Celebrity Weekly")]


def test_the_company_is_the_organisation_the_article_names():
    text = "Trains stopped, the railway said. Northline Rail said the line would reopen. The drivers' union said no."
    assert _resolve(text, [("the railway", OFFICIAL, "Trains", {}), ("Northline Rail", OFFICIAL, "Northline", {}),
                           ("The drivers' union", OFFICIAL, "The drivers'", {})]) == [
        ("Northline Rail", None), ("Northline Rail", None), ("The drivers' union", None)]
