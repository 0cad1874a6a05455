import pytest

from claims.sentences import dateline_wire, split_sentences


def sentences(text):
    return [text[s.start:s.end] for s in split_sentences(text) if not s.heading]


@pytest.mark.parametrize("text, expected", [
    pytest.param("The fire spread fast. Crews arrived at 11.", ["The fire spread fast.", "Crews arrived at 11."],
                 id="two plain sentences"),
    pytest.param('"It burned. We ran," she said. Then it rained.',
                 ['"It burned. We ran," she said.', "Then it rained."], id="quotation spanning two sentences"),
    pytest.param("\u201cIt burned. We ran,\u201d she said. Then it rained.",
                 ["\u201cIt burned. We ran,\u201d she said.", "Then it rained."], id="curly quotation spanning sentences"),
    pytest.param("Dr. Ruiz met Mr. Lang on St. James Rd. on Friday. They spoke.",
                 ["Dr. Ruiz met Mr. Lang on St. James Rd. on Friday.", "They spoke."], id="title abbreviations"),
    pytest.param("J. K. Lane wrote it. It sold well.", ["J. K. Lane wrote it.", "It sold well."], id="initials"),
    pytest.param("Damage was put at $3.5 million. Nobody was hurt.",
                 ["Damage was put at $3.5 million.", "Nobody was hurt."], id="decimal number"),
    pytest.param('He asked, "Is it safe?" The chief nodded.', ['He asked, "Is it safe?"', "The chief nodded."],
                 id="question inside a quote ends the sentence"),
    pytest.param("Wait! Stop. Go?", ["Wait!", "Stop.", "Go?"], id="exclamation and question marks"),
    pytest.param("He moved to the U.S. Army base in 2019. It closed.", ["He moved to the U.S. Army base in 2019.",
                 "It closed."], id="U.S. before a name"),
    pytest.param("She moved to the U.S. The band stayed.", ["She moved to the U.S.", "The band stayed."],
                 id="U.S. at the end of a sentence"),
    pytest.param('"It is a sad day," said Rep. G.K. Hale of Ohio. He left.',
                 ['"It is a sad day," said Rep. G.K. Hale of Ohio.', "He left."], id="a name's joined initials"),
    pytest.param("The march ended in Washington, D.C. The crowd went home.",
                 ["The march ended in Washington, D.C.", "The crowd went home."], id="a place's initials at the end"),
    pytest.param("He said ''it is over. We are done,'' and left. Then he ran.",
                 ["He said ''it is over. We are done,'' and left.", "Then he ran."],
                 id="a quotation in doubled apostrophes stays whole"),
    pytest.param("It started at 6 p.m. Tuesday near the pier. Nobody was hurt.",
                 ["It started at 6 p.m. Tuesday near the pier.", "Nobody was hurt."], id="p.m. before a weekday"),
    pytest.param('The 12" pipe burst on Monday. Water flooded the basement.',
                 ['The 12" pipe burst on Monday.', "Water flooded the basement."], id="inch mark is not a quote"),
    pytest.param('He said "it burned. We left. Nobody came back.',
                 ['He said "it burned.', "We left.", "Nobody came back."], id="unpaired quote groups nothing"),
])
def test_split_sentences(text, expected):
    assert sentences(text) == expected


def test_headline_and_byline_are_headings():
    text = "Fire Guts Warehouse\n\nBy Jane Okafor, Staff Writer\n\nThe fire spread fast. Crews came."
    segs = split_sentences(text)
    assert [(text[s.start:s.end], s.heading) for s in segs] == [
        ("Fire Guts Warehouse", True), ("By Jane Okafor, Staff Writer", True),
        ("The fire spread fast.", False), ("Crews came.", False)]


def test_dateline_is_stripped_and_offsets_point_into_text():
    text = "PORT CALDER \u2014 A fire tore through a warehouse. It burned for hours."
    segs = [s for s in split_sentences(text) if not s.heading]
    assert text[segs[0].start:segs[0].end] == "A fire tore through a warehouse."
    assert text[segs[1].start:segs[1].end] == "It burned for hours."


def test_hard_wrapped_lines_are_joined():
    text = ("The council voted on Tuesday to approve the new tram line that will run from the harbour\n"
            "to the university campus. Work starts next year.")
    assert sentences(text) == [
        "The council voted on Tuesday to approve the new tram line that will run from the harbour\n"
        "to the university campus.", "Work starts next year."]


def test_empty_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("  \n\n ") == []


@pytest.mark.parametrize("text, expected", [
    pytest.param("COVID-19 cases rose sharply this week.", "COVID-19 cases rose sharply this week.", id="COVID-19"),
    pytest.param("NATO-led forces withdrew on Friday.", "NATO-led forces withdrew on Friday.", id="NATO-led"),
    pytest.param("LONDON (Reuters) - Prices rose again.", "Prices rose again.", id="wire dateline with hyphen"),
    pytest.param("(WireNet) \u2014 Twelve cars derailed.", "Twelve cars derailed.", id="a wire tag alone"),
    pytest.param("(Updated) Twelve cars derailed on Tuesday.", "(Updated) Twelve cars derailed on Tuesday.",
                 id="parentheses without a dash"),
])
def test_datelines_need_a_spaced_dash(text, expected):
    assert sentences(text) == [expected]


@pytest.mark.parametrize("line, wire", [
    pytest.param("LONDON (Reuters) - Prices rose again.", "Reuters", id="city and wire"),
    pytest.param("(WireNet) \u2014 Twelve cars derailed.", "WireNet", id="wire tag alone"),
    pytest.param("PORT CALDER \u2014 A fire tore through a warehouse.", None, id="a city credits no one"),
    pytest.param("(WireNet) \u2014", None, id="a tag with no story after it"),
])
def test_dateline_wire(line, wire):
    assert dateline_wire(line) == wire


def test_by_a_day_is_a_sentence_not_a_byline():
    assert sentences("By Friday, three people had died in the blaze.") == [
        "By Friday, three people had died in the blaze."]
