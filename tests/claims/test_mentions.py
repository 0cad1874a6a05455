import pytest

from claims.mentions import (ANONYMOUS, DIRECT_QUOTE, OFFICIAL, OUTLET, PERSON, REPORTED_SPEECH, SOCIAL_MEDIA,
                             STATEMENT, SYNDICATION_CREDIT, SplitParams, article_credit, attribute, credited_outlet,
                             extract_mentions, is_denial, is_hedged, normalise_source, not_a_claim_reason,
                             split_article)

OUTLETS = frozenset({"celebbuzz", "dailyledger"})


@pytest.mark.parametrize("sentence, kind, speaker, attributed_to, attribution_type, claim_text", [
    pytest.param('"We are not going anywhere," Reyes said.', DIRECT_QUOTE, "Reyes", "Reyes", PERSON,
                 "We are not going anywhere", id="quote then speaker"),
    pytest.param('"The building was fully engulfed. We pulled back," said Fire Chief Dana Ruiz.', DIRECT_QUOTE,
                 "Fire Chief Dana Ruiz", "Fire Chief Dana Ruiz", PERSON,
                 "The building was fully engulfed. We pulled back", id="quote then inverted speaker"),
    pytest.param("Still, officials said the plan was sound.", REPORTED_SPEECH, "officials", "officials", OFFICIAL,
                 "the plan was sound", id="an opener, then the source and its claim"),
    pytest.param("According to Celeb Buzz, Reyes has signed a solo deal.", REPORTED_SPEECH, "Celeb Buzz",
                 "Celeb Buzz", OUTLET, "Reyes has signed a solo deal", id="according to an outlet"),
    pytest.param("An insider told the website that the band has cancelled its tour.", REPORTED_SPEECH,
                 "An insider", "anonymous source", ANONYMOUS, "the band has cancelled its tour", id="anonymous insider"),
    pytest.param("Sources close to the band said Reyes had already left.", REPORTED_SPEECH,
                 "Sources close to the band", "anonymous source", ANONYMOUS, "Reyes had already left",
                 id="sources close to"),
    pytest.param('In a post on Instagram, drummer Theo Lang wrote that the band is taking a break.', REPORTED_SPEECH,
                 "drummer Theo Lang", "drummer Theo Lang (Instagram)", SOCIAL_MEDIA, "the band is taking a break",
                 id="social media post"),
    pytest.param("No one was injured, officials said.", REPORTED_SPEECH, "officials", "officials", OFFICIAL,
                 "No one was injured", id="trailing unnamed officials"),
    pytest.param("Ruiz said the cause was still under investigation.", REPORTED_SPEECH, "Ruiz", "Ruiz", PERSON,
                 "the cause was still under investigation", id="reported speech"),
    pytest.param("Mr. Lang, 34, told Celeb Buzz that he was surprised.", REPORTED_SPEECH, "Mr. Lang", "Mr. Lang",
                 PERSON, "he was surprised", id="speaker with apposition"),
    pytest.param('Osei said old warehouses often contain "decades of layered wiring" that is hard to inspect.',
                 REPORTED_SPEECH, "Osei", "Osei", PERSON,
                 'old warehouses often contain "decades of layered wiring" that is hard to inspect',
                 id="scare quotes inside reported speech are not a direct quote"),
    pytest.param('He added: "The building was a tinderbox and we knew it."', DIRECT_QUOTE, "He", "He", PERSON,
                 "The building was a tinderbox and we knew it.", id="quote introduced by a colon"),
    pytest.param("Ruiz told reporters at a briefing that crews kept the flames from the depot.", REPORTED_SPEECH,
                 "Ruiz", "Ruiz", PERSON, "crews kept the flames from the depot", id="told someone that"),
    pytest.param("Residents told the Daily Ledger they had complained for years.", REPORTED_SPEECH, "Residents",
                 "anonymous source", ANONYMOUS, "they had complained for years", id="told an outlet without that"),
    pytest.param("Reyes wrote most of the band's lyrics and sang on every hit.", STATEMENT, None, None, None,
                 "Reyes wrote most of the band's lyrics and sang on every hit.", id="'wrote' without a report"),
    pytest.param("The warehouse burned for six hours.", STATEMENT, None, None, None,
                 "The warehouse burned for six hours.", id="plain statement"),
])
def test_attribute(sentence, kind, speaker, attributed_to, attribution_type, claim_text):
    a = attribute(sentence, OUTLETS)
    assert (a.kind, a.speaker, a.attributed_to, a.attribution_type, a.claim_text) == (
        kind, speaker, attributed_to, attribution_type, claim_text)


@pytest.mark.parametrize("sentence, reason", [
    pytest.param("Will the band survive without her?", "question", id="question"),
    pytest.param('"Why would I leave?" she asked.', "question", id="quoted question"),
    pytest.param("Check out the video below.", "call to action", id="call to action"),
    pytest.param("Sign up for our newsletter.", "call to action", id="newsletter"),
    pytest.param("Copyright 2026 Metro Wire. All rights reserved.", "boilerplate", id="copyright"),
    pytest.param("The label did not respond to a request for comment.", "boilerplate", id="no comment"),
    pytest.param("Check back here for updates.", "call to action", id="check back"),
    pytest.param("Start the conversation and be the first to comment.", "call to action", id="comments"),
    pytest.param("This is a developing story.", "boilerplate", id="developing story"),
    pytest.param("The footage could not be independently verified.", "boilerplate", id="not verified"),
    pytest.param("That claim had not been immediately confirmed by the band.", "boilerplate", id="not confirmed"),
    pytest.param("The agency said it could not independently verify the recording.", "boilerplate",
                 id="could not verify"),
    pytest.param("The fire chief confirmed that no one was injured.", None, id="a confirmation is a claim"),
    pytest.param("He left.", "too short", id="too short"),
    pytest.param("The fire destroyed the warehouse.", None, id="a claim"),
    pytest.param("This story was provided by WireNet.", SYNDICATION_CREDIT, id="syndication credit"),
])
def test_not_a_claim_reason(sentence, reason):
    assert not_a_claim_reason(sentence) == reason


@pytest.mark.parametrize("sentence, outlet", [
    pytest.param("This story was provided by WireNet.", "WireNet", id="provided by"),
    pytest.param("This article originally appeared on The Conversation.", "The Conversation", id="appeared on"),
    pytest.param("This article was originally published on WireNet.com and is republished with permission.",
                 "WireNet.com", id="published on, with a tail"),
    pytest.param("Originally published by Harbor Times.", "Harbor Times", id="originally published"),
    pytest.param("Republished with permission from the Valley Post.", "Valley Post", id="republished from"),
    pytest.param("(This story was provided by WireNet, a news agency.)", "WireNet", id="in parentheses"),
    pytest.param("The report was published by the Transport Safety Board on Monday.", None,
                 id="a report that was published is a claim"),
    pytest.param("The story was published in The Gazette in 1998, the lawyer said.", None,
                 id="another story's publication is a claim"),
    pytest.param("This story was provided by WireNet, which said on Tuesday that twelve cars of a freight train "
                 "derailed near Port Calder after a signal failed, and that the line would stay closed for a week "
                 "while crews cleared the track.", None, id="a long sentence is a claim"),
])
def test_credited_outlet(sentence, outlet):
    assert credited_outlet(sentence) == outlet


SYNDICATED = ("Train derails near Port Calder\n\n(WireNet) \u2014 Twelve cars of a freight train derailed near "
              "Port Calder on Tuesday, the railway said.\n\nNobody was hurt, according to the county fire "
              "service.\n\nThis story was provided by WireNet.")


@pytest.mark.parametrize("text, credit", [
    pytest.param(SYNDICATED, "WireNet", id="wire tag first"),
    pytest.param(SYNDICATED.replace("(WireNet) \u2014 ", ""), "WireNet", id="credit line"),
    pytest.param(SYNDICATED.replace("(WireNet) \u2014 ", "").replace("This story was provided by WireNet.", ""),
                 None, id="no credit"),
])
def test_article_credit(text, credit):
    assert article_credit(text) == credit


def test_a_syndicated_article_passes_its_credit_to_every_claim():
    """Every claim came through the credited wire, except one that names the outlet it came through itself."""
    text = SYNDICATED.replace("This story", "According to the Valley Post, the line will reopen on Friday.\n\n"
                                            "This story")
    split = split_article("a1", text)
    assert split.filtered == {"heading": 1, SYNDICATION_CREDIT: 1}
    assert [(m.claim_text, m.via_outlet) for m in split.mentions] == [
        ("Twelve cars of a freight train derailed near Port Calder on Tuesday", "WireNet"),
        ("Nobody was hurt", "WireNet"), ("the line will reopen on Friday", "the Valley Post")]


@pytest.mark.parametrize("sentence, hedged", [
    pytest.param("Reyes is reportedly recording in Lisbon.", True, id="reportedly"),
    pytest.param("Reyes is rumoured to be recording in Lisbon.", True, id="rumoured"),
    pytest.param("The roof could collapse.", True, id="could"),
    pytest.param("The band is said to be splitting.", True, id="is said to"),
    pytest.param("Reyes is recording in Lisbon.", False, id="plain"),
    pytest.param("It opened in May last year.", False, id="month May is no hedge"),
])
def test_is_hedged(sentence, hedged):
    assert is_hedged(sentence) is hedged


@pytest.mark.parametrize("sentence, denial", [
    pytest.param("Reyes denied that she is leaving the band.", True, id="denied"),
    pytest.param('"That story is simply not true," she said.', True, id="not true"),
    pytest.param("Reyes is leaving the band.", False, id="plain"),
    pytest.param("A false alarm forced the evacuation.", False, id="'false' as an adjective"),
    pytest.param("The council rejected the park proposal.", False, id="rejecting a proposal"),
    pytest.param("The council rejected reports that it sold the park.", True, id="rejecting reports"),
    pytest.param("The report is completely false, she said.", True, id="'is false'"),
    pytest.param("Reyes on Tuesday brushed off reports that she is quitting.", True, id="brushing off reports"),
    pytest.param("The mayor played down fears of flooding.", False, id="playing down fears, not a report"),
    pytest.param("Reyes has not denied the report.", False, id="not denied"),
    pytest.param("Reyes can deny it all she wants, but our sources stand firm.", False, id="a hypothetical denial"),
    pytest.param("Her label refused to deny the report.", False, id="refused to deny"),
    pytest.param("Reyes didn't deny the report.", False, id="didn't deny"),
    pytest.param("Reyes was quick to deny reports that she is leaving.", True, id="quick to deny"),
    pytest.param("Her office called reports of her resignation completely false.", True, id="called ... false"),
    pytest.param("The minister dismissed the claims as nonsense.", True, id="dismissed ... as nonsense"),
    pytest.param("The company branded the allegations untrue.", True, id="branded ... untrue"),
    pytest.param("She branded the story a fabrication on Monday.", True, id="branded ... a fabrication"),
    pytest.param('The spokesman called the rumours "entirely false".', True, id="a quoted verdict"),
    pytest.param("Her spokesman described the account as inaccurate.", True, id="described as inaccurate"),
    pytest.param("Officials called the alarm a false alarm.", False, id="called ... a false alarm"),
    pytest.param("She did not call the reports false.", False, id="did not call ... false"),
    pytest.param("The senator called for false statements to be punished.", False, id="called for"),
    pytest.param("Critics called the plan a lie factory.", False, id="a noun after the verdict"),
])
def test_is_denial(sentence, denial):
    assert is_denial(sentence) is denial


@pytest.mark.parametrize("a, b", [
    pytest.param("The Daily Ledger", "dailyledger.example", id="name and host"),
    pytest.param("Celeb Buzz", "https://www.celebbuzz.com/music", id="name and URL"),
])
def test_normalise_source_meets(a, b):
    assert normalise_source(a) == normalise_source(b)


def test_extract_mentions_offsets_positions_and_filters():
    text = ('PORT CALDER \u2014 A fire destroyed a warehouse on Tuesday. Will it reopen?\n\n'
            '"I am not leaving Hollow Pines," Reyes said. Check out the video below. She denied the rumours.')
    mentions = extract_mentions("a1", text, OUTLETS)
    assert [m.text for m in mentions] == [
        "A fire destroyed a warehouse on Tuesday.", '"I am not leaving Hollow Pines," Reyes said.',
        "She denied the rumours."]
    for m in mentions:
        assert text[m.char_start:m.char_end] == m.text
    assert [m.position for m in mentions] == [0, 1, 2]
    assert mentions[1].negated and not mentions[1].denial
    assert mentions[2].denial and mentions[2].negated
    assert len({m.claim_id for m in mentions}) == 3


def test_pronoun_speaker_resolves_to_last_named_person():
    text = '"We are fine and working hard," Reyes said. "I am staying with the band for good," she said.'
    mentions = extract_mentions("a1", text)
    assert mentions[-1].speaker == "Reyes"
    assert mentions[-1].attributed_to == "Reyes"


@pytest.mark.parametrize("text, params, mentions, filtered", [
    pytest.param("Fire at the docks\n\nThe fire destroyed a warehouse on Tuesday. Was it arson? Check out the video "
                 "below. All rights reserved. He left.", SplitParams(), 1,
                 {"heading": 1, "question": 1, "call to action": 1, "boilerplate": 1, "too short": 1},
                 id="each reason counted"),
    pytest.param(" ".join(f"Crew {i} reached the pier on Friday." for i in range(1, 6)), SplitParams(max_mentions=2),
                 2, {"over the mentions limit": 3}, id="claims past the mentions limit"),
    pytest.param("the river rose " * 20 + "today. The bridge closed on Friday.", SplitParams(max_sentence_chars=100),
                 1, {"too long": 1}, id="a run-on sentence over the length limit"),
    pytest.param("\n\n \n", SplitParams(), 0, {}, id="no sentences at all"),
])
def test_split_article_counts_every_sentence_it_does_not_keep(text, params, mentions, filtered):
    split = split_article("a1", text, params=params)
    assert len(split.mentions) == mentions and split.filtered == filtered
    assert split.n_sentences == mentions + sum(filtered.values())


def test_the_mentions_limit_keeps_the_first_claims_in_order():
    text = " ".join(f"Crew {i} reached the pier on Friday." for i in range(1, 6))
    kept = split_article("a1", text, params=SplitParams(max_mentions=2)).mentions
    assert [m.text for m in kept] == ["Crew 1 reached the pier on Friday.", "Crew 2 reached the pier on Friday."]


@pytest.mark.parametrize("field", ["max_mentions", "max_sentence_chars"])
def test_split_params_refuse_limits_below_one(field):
    with pytest.raises(ValueError, match=field):
        SplitParams(**{field: 0})


@pytest.mark.parametrize("sentence, speaker, attribution_type", [
    pytest.param("When Jo Marsh revealed on Twitter that she was writing again, fans cheered.", "Jo Marsh",
                 SOCIAL_MEDIA, id="no clause word in the name, and a post is social media"),
    pytest.param("According to Celebrity Weekly, the tour starts in May.", "Celebrity Weekly", OUTLET,
                 id="a publication by its name, with no articles in the corpus"),
    pytest.param("Service on the line resumed at noon, the railway said.", "the railway", OFFICIAL,
                 id="a trailing organisation"),
    pytest.param("Northline Rail said the line would reopen on Wednesday.", "Northline Rail", OFFICIAL,
                 id="a company is official, not a person"),
    pytest.param("PENCE: Well, look, the question is why they invited him.", "PENCE", PERSON,
                 id="a transcript's speaker label"),
    pytest.param('"We were very much engaged," said Rep. Joseph Crowley (D-N.Y.), a leading advocate.',
                 "Rep. Joseph Crowley", PERSON, id="a title before a name is no anonymous source"),
    pytest.param("The fire was contained by noon, said Mayor Ana Ruiz.", "Mayor Ana Ruiz", PERSON,
                 id="a mayor with her name"),
    pytest.param("The fire was contained by noon, a spokesman said Tuesday.", "a spokesman", OFFICIAL,
                 id="an anonymous title before a weekday stays anonymous"),
    pytest.param("But Fowler said the politics would be more intense, and he noted that change would come late.",
                 "Fowler", PERSON, id="an opening conjunction"),
    pytest.param("Still, officials said the plan was sound and the money was there.", "officials", OFFICIAL,
                 id="an opener before the comma is no trailing claim"),
])
def test_attribution_shapes(sentence, speaker, attribution_type):
    a = attribute(sentence)
    assert (a.speaker, a.attribution_type) == (speaker, attribution_type)


def test_the_website_is_the_magazine_named_before_and_she_is_the_singer():
    text = ("Singer Jo Marsh is planning a tour, according to Celebrity Weekly. An insider told the website that "
            "rehearsals had begun. Celebrity Weekly previously reported that Marsh had made peace with her "
            'guitarist. "We talk every week now," she told her fans.')
    insider, reported, quote = extract_mentions("a1", text)[1:]
    assert (insider.speaker, insider.attribution_type, insider.via_outlet) == ("An insider", ANONYMOUS,
                                                                               "Celebrity Weekly")
    assert (reported.speaker, reported.attribution_type) == ("Celebrity Weekly", OUTLET)
    assert (quote.speaker, quote.speaker_as_written, quote.speaker_key) == ("Singer Jo Marsh", "she",
                                                                            "person:jo marsh")


@pytest.mark.parametrize("text, speakers", [
    pytest.param('"We ran for the trucks.\n\n"Then the roof came down," she said.', ["she", "she"],
                 id="a quote over two paragraphs"),
    pytest.param('Fire Chief Dana Ruiz told reporters at a briefing outside the station on Wednesday morning:\n\n'
                 '"The building was lost before we arrived."', ["Fire Chief Dana Ruiz", "Fire Chief Dana Ruiz"],
                 id="a quoted paragraph introduced by a colon"),
    pytest.param('"We pulled back," Ruiz said. "Nobody went back inside after that."', ["Ruiz", "Ruiz"],
                 id="a quote after an attributed quote goes on in the same voice"),
    pytest.param('"We pulled back," Ruiz said. The warehouse burned for six hours.', ["Ruiz", None],
                 id="a plain statement after a quote is not the speaker's"),
    pytest.param('PENCE: Well, look, we won the debate. We will win in November.\n\nThe hall emptied at ten.',
                 ["PENCE", "PENCE", None], id="a transcript label holds for its paragraph"),
])
def test_quotations_over_several_sentences_take_their_speaker(text, speakers):
    assert [m.speaker_as_written for m in extract_mentions("a1", text)] == speakers


@pytest.mark.parametrize("a, b", [
    pytest.param("She said she wouldn't mind working with him again.", "She said she would love to work with him again.",
                 id="an idiom does not flip the claim"),
    pytest.param("Although a date isn't available, the album could arrive in May.", "The album could arrive in May.",
                 id="a negated concessive clause does not flip the claim"),
])
def test_polarity_follows_the_claim(a, b):
    first, second = extract_mentions("a1", a)[0], extract_mentions("a2", b)[0]
    assert first.negated == second.negated is False


def test_a_real_negation_still_flips():
    assert extract_mentions("a1", "Reyes did not resign from the band.")[0].negated
    assert not extract_mentions("a2", "Reyes resigned from the band.")[0].negated
