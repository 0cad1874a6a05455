import pytest

from claims.matching import (CONFLICT, SAME_CLAIM, MatchParams, block_pairs, centre_clusters, claim_features,
                             compare, document_frequencies, first_shared_token, idf, is_same_claim, match_score,
                             prefix_tokens, quantities_conflict, same_claim, text_key, weigh, word_score)

P = MatchParams()


def f(text, negative=False):
    return claim_features(text, negative)


@pytest.mark.parametrize("a, b, expected", [
    pytest.param("No one was injured in the fire", "Nobody was injured in the fire", SAME_CLAIM,
                 id="paraphrase of a negative claim"),
    pytest.param("We are not going anywhere", "We are not going anywhere, and the fans know that", SAME_CLAIM,
                 id="quote repeated with extra words"),
    pytest.param("About 200 residents were evacuated from nearby buildings",
                 "Around 200 residents were evacuated from nearby homes", SAME_CLAIM, id="same number, other words"),
    pytest.param("About 40 firefighters battled the blaze", "More than 60 firefighters battled the blaze", CONFLICT,
                 id="different number is a conflict"),
    pytest.param("The fire started on Tuesday night at the docks", "The fire started on Wednesday night at the docks",
                 CONFLICT, id="different day is a conflict"),
    pytest.param("The warehouse fire destroyed the roof", "The band cancelled its autumn tour", None,
                 id="unrelated"),
])
def test_compare(a, b, expected):
    result = compare(f(a, "not" in a.split() or "No" in a.split()), f(b, "not" in b.split() or "Nobody" in b.split()), P)
    assert (result[0] if result else None) == expected


def test_negation_flip_is_a_conflict_not_a_match():
    leaving, denial = f("Reyes is leaving Hollow Pines"), f("Reyes is leaving Hollow Pines", negative=True)
    assert compare(leaving, denial, P)[0] == CONFLICT
    assert not is_same_claim(leaving, denial)


def test_word_score_is_symmetric_and_bounded():
    a, b = f("The fire destroyed the roof of the warehouse"), f("Fire destroyed the warehouse roof")
    assert word_score(a, b) == word_score(b, a)
    assert 0.0 <= word_score(a, b) <= 1.0
    assert word_score(a, a) == 1.0


@pytest.mark.parametrize("share, minimum, expected", [
    pytest.param(0.5, 2, ("brennan", "destroy", "roof"), id="half of five, rounded up"),
    pytest.param(0.2, 2, ("brennan", "roof"), id="never fewer than the minimum"),
    pytest.param(1.0, 2, ("brennan", "destroy", "fire", "roof", "warehous"), id="every token"),
])
def test_prefix_tokens_are_the_rarest_share(share, minimum, expected):
    doc_freq = {"fire": 100, "warehous": 50, "roof": 2, "destroy": 3, "brennan": 1}
    params = MatchParams(prefix_share=share, min_prefix_tokens=minimum)
    assert prefix_tokens(f("Brennan: fire destroyed the warehouse roof"), doc_freq, params) == expected


def test_prefix_ties_break_by_spelling_so_every_text_ranks_alike():
    params = MatchParams(prefix_share=0.1, min_prefix_tokens=1)
    assert prefix_tokens(f("zinc blaze"), {}, params) == prefix_tokens(f("blaze zinc roof"), {"roof": 5}, params)


def test_main_clause_has_its_own_prefix():
    # The long mention's rarest tokens are all in its added clause; its main clause must still be reachable.
    doc_freq = {"firefight": 9, "battl": 9, "blaze": 9, "60": 9}
    long = f("More than 60 firefighters battled the blaze, including crews from Eastbrook and Milford "
             "who came under a mutual aid agreement")
    short = f("More than 60 firefighters battled the blaze at its height")
    params = MatchParams(prefix_share=0.3, min_prefix_tokens=2)
    assert set(prefix_tokens(long, doc_freq, params)) & set(prefix_tokens(short, doc_freq, params))


def test_block_pairs_compare_each_pair_once_across_blocks():
    texts = {"m1": "The warehouse fire destroyed the roof", "m2": "Fire destroyed the warehouse roof",
             "m3": "The band cancelled its autumn tour"}
    members = [(cid, f(t), prefix_tokens(f(t), {}, P)) for cid, t in texts.items()]
    blocks = sorted({token for _, _, prefix in members for token in prefix})
    found = [pair for token in blocks for pair in block_pairs(members, token, P)]
    assert [(a, b, rel) for a, b, rel, _ in found] == [("m1", "m2", SAME_CLAIM)]


def test_text_key_separates_polarity_and_wording():
    assert text_key("Reyes is leaving", False) == text_key("Reyes is leaving", False)
    assert len({text_key("Reyes is leaving", False), text_key("Reyes is leaving", True),
                text_key("Reyes is leaving.", False)}) == 3


def test_centre_clusters_do_not_chain():
    # a-b and b-c match, a and c do not: a chain of three. b is the centre of all three;
    # with a fourth node d hanging off c, d must not join b's cluster.
    edges = [("a", "b", 0.9), ("b", "c", 0.9), ("c", "d", 0.9), ("b", "e", 0.8)]
    centre = centre_clusters(edges)
    assert centre["a"] == centre["b"] == centre["c"] == centre["e"] == "b"
    assert centre["d"] == "d"


def test_params_validate():
    with pytest.raises(ValueError):
        MatchParams(threshold=1.5)
    with pytest.raises(ValueError):
        MatchParams(prefix_share=0.0)
    with pytest.raises(ValueError):
        MatchParams(min_prefix_tokens=0)


def test_centre_clusters_ignore_edge_order():
    edges = [("a", "b", 0.1), ("a", "c", 0.2), ("a", "d", 0.3), ("e", "b", 0.3), ("e", "c", 0.2), ("e", "d", 0.1 + 1e-17)]
    assert centre_clusters(edges) == centre_clusters(list(reversed(edges)))


@pytest.mark.parametrize("a, b, skipped, expected", [
    pytest.param(("fire", "roof", "zinc"), ("fire", "roof"), frozenset(), "fire", id="smallest shared"),
    pytest.param(("blaze", "roof"), ("fire", "zinc"), frozenset(), None, id="nothing shared"),
    pytest.param(("blaze", "fire", "roof"), ("blaze", "fire", "roof"), frozenset({"blaze"}), "fire",
                 id="oversized block skipped"),
    pytest.param(("blaze", "fire"), ("blaze", "fire"), frozenset({"blaze", "fire"}), None, id="all oversized"),
])
def test_first_shared_token(a, b, skipped, expected):
    assert first_shared_token(a, b, skipped) == first_shared_token(b, a, skipped) == expected


def test_centre_clusters_keep_conflicting_mentions_apart():
    # "firefighters battled" matches both counts; "40" and "60" conflict, so they must not share a cluster.
    edges = [("any", "forty", 0.9), ("any", "sixty", 0.9)]
    centre = centre_clusters(edges, conflicts=[("forty", "sixty")])
    assert centre["forty"] != centre["sixty"]
    assert centre_clusters(edges) == {"any": "any", "forty": "any", "sixty": "any"}


def test_rare_words_weigh_more_than_common_ones():
    # stemmed forms; each pair shares one word and differs in two, only the rarities differ
    doc_freq = {"zeppelin": 1, "rose": 50, "fell": 50, "crowd": 50, "rain": 1, "snow": 1}
    rare = ("zeppelin rose", "zeppelin fell")  # share a rare word
    common = ("crowd rain", "crowd snow")  # share a common word
    assert match_score(*rare) == match_score(*common) == 0.5  # unweighted they are alike
    assert match_score(*rare, doc_freq, 100) > 0.5 > match_score(*common, doc_freq, 100)
    assert idf(1, 100) > idf(50, 100) > idf(100, 100) == pytest.approx(1.0, abs=0.01)
    assert len(weigh(f("zeppelin rose"), doc_freq, 100).weights) == 2


def test_document_frequencies_count_each_text_once():
    doc_freq, n = document_frequencies(["The band, the band.", "A band."])
    assert (doc_freq["band"], doc_freq["the"], n) == (2, 1, 2)


def test_rapidfuzz_pairs_spelling_variants():
    exact = word_score(f("The organisation cancelled the tour"), f("The organisation cancelled the tour"))
    variant = word_score(f("The organisation cancelled the tour"), f("The organization cancelled the tour"))
    unrelated = word_score(f("The organisation cancelled the tour"), f("The council cancelled the tour"))
    assert exact == 1.0 and 0.9 < variant < 1.0 and unrelated < variant


def test_an_added_clause_does_not_hide_the_same_claim():
    short = "More than 60 firefighters battled the blaze"
    long = "More than 60 firefighters battled the blaze, including crews from Eastbrook and Milford on mutual aid"
    assert same_claim(short, long)


@pytest.mark.parametrize("a, b, conflict", [
    pytest.param("60 firefighters came", "40 firefighters came", True, id="same quantity, other value"),
    pytest.param("60 firefighters came", "60 firefighters and 12 trucks came", False, id="an added figure"),
    pytest.param("It began on Tuesday", "It began on Wednesday", True, id="other weekday"),
    pytest.param("Shares rose 5 percent", "Shares rose $2.11", False, id="different quantities"),
])
def test_quantities_conflict(a, b, conflict):
    assert quantities_conflict(f(a).quantities, f(b).quantities) is conflict
