import pytest

from claims.text import content_tokens, facts, fold, is_negative, main_clause, match_tokens, quantities, stem, words


@pytest.mark.parametrize("a, b", [
    pytest.param("injured", "injuries", id="injured/injuries"),
    pytest.param("evacuated", "evacuation", id="evacuated/evacuation"),
    pytest.param("reports", "reported", id="reports/reported"),
])
def test_stem_brings_word_forms_together(a, b):
    assert stem(a) == stem(b)


@pytest.mark.parametrize("text, expected", [
    pytest.param("More than 60 firefighters", {"60"}, id="digits"),
    pytest.param("about sixty firefighters", {"60"}, id="number word"),
    pytest.param("a $1,200 fine on Tuesday", {"1200", "tue"}, id="thousands separator and weekday"),
    pytest.param("on March 3", {"mar", "3"}, id="month and day"),
    pytest.param("No one was injured", set(), id="'no one' is not a count"),
    pytest.param("The band may split", set(), id="the verb 'may' is not a month"),
    pytest.param("It opened on May 5", {"may", "5"}, id="the month May"),
    pytest.param("$2.5 million in damage", {"2500000"}, id="scale word"),
    pytest.param("$2,500,000 in damage", {"2500000"}, id="same amount in digits"),
    pytest.param("two hundred residents", {"200"}, id="number words with a scale"),
    pytest.param("one hundred and twenty homes", {"120"}, id="'one hundred and twenty'"),
    pytest.param("twenty-five people", {"25"}, id="hyphenated number words"),
    pytest.param("hundreds of people", set(), id="'hundreds' is no count"),
])
def test_facts(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize("text, expected", [
    pytest.param("Nobody was hurt", True, id="nobody"),
    pytest.param("She didn\u2019t leave", True, id="curly contraction"),
    pytest.param("She is leaving", False, id="positive"),
    pytest.param("She said she wouldn't mind working with him", False, id="idiom: wouldn't mind"),
    pytest.param("She said she'd love to work with him", False, id="the same claim without the idiom"),
    pytest.param("Marsh can't wait to tour again", False, id="idiom: can't wait to"),
    pytest.param("Not only did the band sell out, but it added two dates", False, id="idiom: not only ... but"),
    pytest.param("Although a date isn't available, the album could arrive in May", False,
                 id="negation inside a leading concessive clause"),
    pytest.param("The album, which was not finished in time, will arrive in May", False,
                 id="negation inside a relative clause"),
    pytest.param("The album will arrive in May, though the label has not confirmed it", False,
                 id="negation inside a trailing concessive clause"),
    pytest.param("Reyes did not resign", True, id="a real negation still negates"),
    pytest.param("Although she was asked to, Reyes did not resign", True, id="negation in the main clause"),
    pytest.param("No one was injured, although the warehouse burned for hours", True,
                 id="negation before a concessive clause"),
])
def test_is_negative(text, expected):
    assert is_negative(text) is expected


def test_content_tokens_drop_stop_words_numbers_and_negations():
    assert content_tokens("The 60 firefighters did not stop the blaze") == ["firefighter", "stop", "blaz"]


def test_fold_keeps_length_for_offsets():
    text = "\u201cHi\u201d \u2014 she said"
    assert len(fold(text)) == len(text) and fold(text).startswith('"Hi"')


def test_words_keeps_negated_contractions():
    assert words("Reyes's band didn't split") == ["reyes", "band", "didnt", "split"]


@pytest.mark.parametrize("text, expected", [
    pytest.param("More than 60 firefighters battled the blaze", {"firefighter": {"60"}}, id="count of a thing"),
    pytest.param("The fire started on Tuesday night", {"weekday": {"tue"}}, id="weekday"),
    pytest.param("It opened on March 3, 2026", {"day:mar": {"3"}, "month": {"mar"}, "year": {"2026"}},
                 id="date"),
    pytest.param("Shares rose $2.11, or about 11 percent", {"percent": {"11"}}, id="bare amount has no slot"),
    pytest.param("two hundred residents left", {"resident": {"200"}}, id="number words"),
])
def test_quantities(text, expected):
    assert {slot: set(values) for slot, values in quantities(text)} == expected


@pytest.mark.parametrize("text, expected", [
    pytest.param("More than 60 firefighters battled the blaze, including crews from Eastbrook",
                 "More than 60 firefighters battled the blaze", id="including"),
    pytest.param("About 200 residents were evacuated after the fire broke out",
                 "About 200 residents were evacuated", id="after"),
    pytest.param("Nobody was hurt in the fire", None, id="no added clause"),
    pytest.param("He left, and then", None, id="main part too short"),
])
def test_main_clause(text, expected):
    assert main_clause(text) == expected


def test_match_tokens_keep_stop_words_and_numbers():
    assert match_tokens("The 60 firefighters") == ["the", "60", "firefighter"]
