import pytest

from claims.mentions import ANONYMOUS, OFFICIAL, OUTLET, PERSON
from claims.scoring import (CONTESTED, CORROBORATED, HEDGED, RUMOUR, SINGLE_SOURCE, UNCONFIRMED, Evidence, ScoreParams,
                            find_origins, score_cluster)


def ev(cid, source, group=None, attributed_to=None, attribution_type=None, speaker=None, hedged=False,
       published="2026-03-04T10:00:00+00:00"):
    return Evidence(cid, f"art-{cid}", source, group or f"g-{cid}", attributed_to, attribution_type,
                    speaker or (attributed_to if attribution_type == PERSON else None), hedged, published)


@pytest.mark.parametrize("mentions, n_independent, status", [
    pytest.param([ev("1", "Harbor Times"), ev("2", "Daily Ledger"), ev("3", "Valley Post")], 3, CORROBORATED,
                 id="three independent outlets"),
    pytest.param([ev("1", "Metro Wire", "g1"), ev("2", "Northside Gazette", "g1"), ev("3", "Harbor Times", "g1")],
                 1, SINGLE_SOURCE, id="syndicated copies count once"),
    pytest.param([ev("1", "Daily Ledger", attributed_to="Celeb Buzz", attribution_type=OUTLET),
                  ev("2", "Metro Wire", attributed_to="Celeb Buzz", attribution_type=OUTLET),
                  ev("3", "Celeb Buzz")], 1, SINGLE_SOURCE, id="citations of one outlet count once"),
    pytest.param([ev("1", "Daily Ledger", attributed_to="Reyes", attribution_type=PERSON),
                  ev("2", "Metro Wire", attributed_to="Mila Reyes", attribution_type=PERSON)], 1, SINGLE_SOURCE,
                 id="one quoted person counts once"),
    pytest.param([ev("1", "Harbor Times"), ev("2", "Harbor Times")], 1, SINGLE_SOURCE, id="same outlet twice"),
    pytest.param([ev("1", "Valley Post", hedged=True), ev("2", "Daily Ledger", hedged=True)], 2, RUMOUR,
                 id="all hedged is a rumour"),
    pytest.param([ev("1", "Valley Post", hedged=True, attributed_to="insiders", attribution_type=ANONYMOUS),
                  ev("2", "Daily Ledger", hedged=True)], 2, RUMOUR, id="hedged and from insiders is a rumour"),
    pytest.param([ev("1", "Valley Post", hedged=True, attributed_to="Fire Chief Tom Alvarez", attribution_type=PERSON),
                  ev("2", "Daily Ledger", hedged=True)], 2, HEDGED, id="hedged on the record is hedged"),
    pytest.param([ev("1", "Valley Post", hedged=True, attributed_to="the railway", attribution_type=OFFICIAL)],
                 1, HEDGED, id="hedged by an official source is hedged"),
    pytest.param([ev("1", "Valley Post", hedged=True, attributed_to="Fire Chief Tom Alvarez", attribution_type=PERSON),
                  ev("2", "Daily Ledger")], 2, UNCONFIRMED, id="one unhedged mention is no hedged claim"),
    pytest.param([ev("1", "Valley Post", attributed_to="anonymous source", attribution_type=ANONYMOUS),
                  ev("2", "Celeb Buzz")], 2, UNCONFIRMED, id="one full origin and one anonymous"),
])
def test_status_and_independence(mentions, n_independent, status):
    result = score_cluster(mentions)
    assert (result.n_independent, result.status) == (n_independent, status)


def test_score_rises_with_independent_origins_and_falls_with_contradiction():
    one = score_cluster([ev("1", "A")]).score
    two = score_cluster([ev("1", "A"), ev("2", "B")]).score
    three = score_cluster([ev("1", "A"), ev("2", "B"), ev("3", "C")]).score
    contested = score_cluster([ev("1", "A"), ev("2", "B")], [ev("9", "C")])
    assert (one, two, three) == (0.5, 0.6667, 0.75)
    assert contested.status == CONTESTED and contested.score < two and contested.n_contradicting == 1


def test_explanation_names_origins_and_discounts():
    result = score_cluster([ev("1", "Metro Wire", "g1"), ev("2", "Northside Gazette", "g1"),
                            ev("3", "Daily Ledger", attributed_to="Celeb Buzz", attribution_type=OUTLET),
                            ev("4", "Harbor Times", attributed_to="Celeb Buzz", attribution_type=OUTLET),
                            ev("5", "Valley Post", hedged=True)])
    text = result.explanation
    assert text.startswith("3 independent origins:")
    assert "Metro Wire (+ copies in Northside Gazette)" in text
    assert "Celeb Buzz (via Daily Ledger, Harbor Times)" in text
    assert "1 as a copy" in text and "the same cited source (Celeb Buzz)" in text and "1 hedged" in text


@pytest.mark.parametrize("wire_id, reprint_id", [
    pytest.param("z-wire", "a-reprint", id="earlier outlet sorts later by name"),
    pytest.param("a-wire", "z-reprint", id="earlier outlet sorts first by name"),
])
def test_a_copy_group_is_labelled_by_its_earliest_article(wire_id, reprint_id):
    wire = Evidence("c1", wire_id, "WireNet", "g1", None, None, None, False, "2026-03-04T08:00:00+00:00")
    reprint = Evidence("c2", reprint_id, "Metro Daily", "g1", None, None, None, False, "2026-03-04T10:30:00+00:00")
    result = score_cluster([reprint, wire])
    assert result.origins == ("WireNet (+ copies in Metro Daily)",)
    assert "WireNet (+ copies in Metro Daily)" in result.explanation


def credited(cid, source, via, published="2026-03-04T10:30:00+00:00"):
    return Evidence(cid, f"art-{cid}", source, f"g-{cid}", None, None, None, False, published, via_outlet=via)


@pytest.mark.parametrize("mentions, origins", [
    pytest.param([credited("1", "Metro Daily", "WireNet"), credited("2", "Valley Post", "WireNet")],
                 ("WireNet (via Metro Daily, Valley Post)",), id="the credited wire has no article here"),
    pytest.param([credited("1", "Metro Daily", "WireNet"), credited("2", "WireNet", None, "2026-03-04T08:00:00+00:00")],
                 ("WireNet (+ copies in Metro Daily)",), id="the credited wire's own article"),
    pytest.param([credited("1", "Metro Daily", None), credited("2", "Valley Post", None)],
                 ("Metro Daily", "Valley Post"), id="no credit: two origins"),
])
def test_a_credited_outlet_is_the_origin(mentions, origins):
    assert score_cluster(mentions).origins == origins


def test_undated_copies_are_ordered_by_article_id():
    later = Evidence("c1", "art-b", "Alpha News", "g1", None, None, None, False, None)
    first = Evidence("c2", "art-a", "Zulu Times", "g1", None, None, None, False, None)
    assert score_cluster([later, first]).origins == ("Zulu Times (+ copies in Alpha News)",)


def test_first_seen_is_the_earliest_mention():
    result = score_cluster([ev("1", "A", published="2026-03-05T00:00:00+00:00"),
                            ev("2", "B", published="2026-03-03T00:00:00+00:00")])
    assert (result.first_seen, result.first_article_id) == ("2026-03-03T00:00:00+00:00", "art-2")


def test_origins_are_deterministic_whatever_the_input_order():
    mentions = [ev(str(i), src) for i, src in enumerate(["A", "B", "A", "C"])]
    assert find_origins(mentions) == find_origins(list(reversed(mentions)))


def test_params_validate_and_empty_cluster_is_an_error():
    with pytest.raises(ValueError):
        ScoreParams(saturation=0)
    with pytest.raises(ValueError):
        ScoreParams(hedged_weight=0)
    with pytest.raises(ValueError):
        score_cluster([])


def keyed(cid, source, speaker, key, kind=PERSON, via=None):
    return Evidence(cid, f"art-{cid}", source, f"g-{cid}", speaker, kind, speaker, False,
                    "2026-03-04T10:00:00+00:00", speaker_key=key, via_outlet=via)


@pytest.mark.parametrize("mentions, n_independent", [
    pytest.param([keyed("1", "Metro Wire", "Singer Jo Marsh", "person:jo marsh"),
                  keyed("2", "Valley Post", "Jo Marsh", "person:jo marsh"),
                  keyed("3", "Harbor Times", "Marsh", "person:marsh")], 1,
                 id="one person in three forms, a lone surname meeting her full name"),
    pytest.param([keyed("1", "Metro Wire", "Bill Clinton", "person:bill clinton"),
                  keyed("2", "Valley Post", "Hillary Clinton", "person:hillary clinton"),
                  keyed("3", "Harbor Times", "Clinton", "person:clinton")], 3,
                 id="a surname two full names share stays apart"),
    pytest.param([keyed("1", "Star Scoop", "An insider", None, ANONYMOUS, via="Celebrity Weekly"),
                  keyed("2", "Metro Wire", "Celebrity Weekly", "outlet:celebrityweekly", OUTLET),
                  ev("3", "Celebrity Weekly")], 1, id="a claim via an outlet meets the outlet and its articles"),
    pytest.param([keyed("1", "Metro Wire", "Northline Rail", "official:northlinerail", OFFICIAL),
                  keyed("2", "Daily Ledger", "Northline Rail", "official:northlinerail", OFFICIAL)], 1,
                 id="a named organisation counts once"),
    pytest.param([keyed("1", "Metro Wire", "State officials", None, OFFICIAL),
                  keyed("2", "Daily Ledger", "officials", None, OFFICIAL)], 2,
                 id="unnamed officials identify no source"),
])
def test_origins_merge_by_speaker_key(mentions, n_independent):
    assert score_cluster(mentions).n_independent == n_independent


def test_the_explanation_names_one_person_once_in_her_fullest_form():
    result = score_cluster([keyed("1", "Metro Wire", "Singer Jo Marsh", "person:jo marsh"),
                            keyed("2", "Valley Post", "Jo Marsh", "person:jo marsh"),
                            keyed("3", "Harbor Times", "Marsh", "person:marsh")])
    assert result.explanation == ("1 independent origin: Jo Marsh (via Metro Wire, Valley Post, Harbor Times). "
                                  "Discounted 2 of 3 mentions: 2 as the same cited source (Jo Marsh).")
