import pickle

import numpy as np
from datetime import datetime, timezone

import pytest

from claims.copies import (COPY, CREDITED, EXCERPT, SHARES_PASSAGES, CopyParams, OutletOf, band_keys, bucket_pairs,
                           earliest_first, minhash, overlap, relation, shingles, text_fingerprint)

BODY = ("The fire started shortly before midnight in a storage room at the back of the warehouse and spread "
        "quickly through the roof, officials said. Firefighters from three towns fought the blaze until dawn. "
        "About two hundred residents were moved to a shelter at the community center on Harbor Street. "
        "The owner said the building held rope, pallets and marine paint. Investigators returned on Thursday.")
OTHER = ("Hollow Pines singer Mila Reyes spent the weekend in Lisbon recording new songs with a producer she met "
         "on tour last spring. Her label declined to discuss release dates or any change to the line-up.")


def test_shingles_are_sorted_unique_and_stable():
    s = shingles(BODY)
    assert s.dtype == np.uint64 and list(s) == sorted(set(s.tolist()))
    assert np.array_equal(s, shingles(BODY))
    assert shingles("") .size == 0
    assert shingles("too short").size == 1


@pytest.mark.parametrize("a, b, expected", [
    pytest.param(BODY, BODY, (1.0, 1.0), id="identical"),
    pytest.param(BODY, OTHER, (0.0, 0.0), id="unrelated"),
])
def test_overlap(a, b, expected):
    assert overlap(shingles(a), shingles(b)) == expected


def test_excerpt_has_full_containment_but_low_jaccard():
    excerpt = BODY.split(". ")[0] + "."
    jaccard, containment = overlap(shingles(BODY), shingles(excerpt))
    assert containment == 1.0 and jaccard < 0.5


@pytest.mark.parametrize("jaccard, containment, expected", [
    pytest.param(0.95, 0.97, COPY, id="verbatim copy"),
    pytest.param(0.75, 0.98, COPY, id="copy with a paragraph dropped"),
    pytest.param(0.2, 0.95, EXCERPT, id="excerpt"),
    pytest.param(0.55, 0.7, COPY, id="edited on both sides"),
    pytest.param(0.2, 0.45, SHARES_PASSAGES, id="shares passages"),
    pytest.param(0.05, 0.1, None, id="unrelated"),
])
def test_relation(jaccard, containment, expected):
    assert relation(jaccard, containment, CopyParams()) == expected


@pytest.mark.parametrize("jaccard, containment, expected", [
    pytest.param(0.2, 0.45, CREDITED, id="shared passages and a credit make a rewritten copy"),
    pytest.param(0.95, 0.97, COPY, id="a credited verbatim copy is still a copy"),
    pytest.param(0.05, 0.1, None, id="a credit alone links nothing"),
])
def test_relation_of_a_credited_pair(jaccard, containment, expected):
    assert relation(jaccard, containment, CopyParams(), credited=True) == expected


WIRE_CREDIT = "The fire spread overnight.\n\nThis story was provided by Metro Wire."


@pytest.mark.parametrize("a, b, credits", [
    pytest.param(OutletOf.of("Valley Post", WIRE_CREDIT), OutletOf.of("Metro Wire", BODY), True, id="credit line"),
    pytest.param(OutletOf.of("Metro Wire", BODY), OutletOf.of("Valley Post", WIRE_CREDIT), True, id="either side"),
    pytest.param(OutletOf.of("Valley Post", "(Metro Wire) — The fire spread overnight, officials said."),
                 OutletOf.of("metrowire.example", BODY), True, id="wire tag, outlet as a host name"),
    pytest.param(OutletOf.of("Valley Post", WIRE_CREDIT), OutletOf.of("Harbor Times", BODY), False,
                 id="another outlet"),
    pytest.param(OutletOf.of("Metro Wire", WIRE_CREDIT), OutletOf.of("Metro Wire", BODY), False,
                 id="an outlet crediting itself"),
    pytest.param(OutletOf.of("Valley Post", BODY), OutletOf.of("Metro Wire", BODY), False, id="no credit"),
])
def test_outlet_credits(a, b, credits):
    assert a.credits(b) is credits


def test_minhash_estimates_jaccard_and_bands_collide_for_copies():
    params = CopyParams()
    edited = BODY.replace("Investigators returned on Thursday.", "Investigators will return next week.")
    sig_a, sig_b, sig_c = (minhash(shingles(t), params) for t in (BODY, edited, OTHER))
    true_jaccard = overlap(shingles(BODY), shingles(edited))[0]
    assert abs(float(np.mean(sig_a == sig_b)) - true_jaccard) < 0.15
    assert set(band_keys(sig_a, params)) & set(band_keys(sig_b, params))
    assert not set(band_keys(sig_a, params)) & set(band_keys(sig_c, params))
    assert len(band_keys(sig_a, params)) == params.bands


def test_bucket_pairs_are_ordered_and_unique():
    members = [("3", "c"), ("1", "a"), ("2", "b"), ("1", "a")]
    assert bucket_pairs(members, max_size=3) == [("a", "b"), ("a", "c"), ("b", "c")]


def test_large_bucket_pairs_each_member_with_the_earliest_and_its_predecessor():
    members = [(str(i), f"x{9 - i}") for i in range(6)]  # x9 is the earliest, then x8, ...
    pairs = bucket_pairs(members, max_size=5)
    assert len(pairs) == 5 + 4  # linear, not 15
    assert {("x8", "x9"), ("x7", "x9"), ("x4", "x9"), ("x7", "x8"), ("x4", "x5")} <= set(pairs)
    assert ("x4", "x7") not in pairs


def test_earliest_first_orders_by_time_then_id_with_unknown_times_last():
    early, late = datetime(2026, 3, 1, tzinfo=timezone.utc), datetime(2026, 3, 2, tzinfo=timezone.utc)
    keys = [earliest_first(None, "a"), earliest_first(late, "a"), earliest_first(early, "z"), earliest_first(early, "b")]
    assert sorted(keys) == [keys[3], keys[2], keys[1], keys[0]]


@pytest.mark.parametrize("a, b, same", [
    pytest.param("The fire spread fast.", "the fire  spread, fast", True, id="case punctuation spacing"),
    pytest.param("The fire spread fast.", "The fire spread slowly.", False, id="a word changed"),
    pytest.param("Fire spread. It was fast.", "It was fast. Fire spread.", False, id="reordered"),
])
def test_text_fingerprint(a, b, same):
    assert (text_fingerprint(a) == text_fingerprint(b)) == same


def test_params_validate_and_pickle():
    with pytest.raises(ValueError):
        CopyParams(num_perm=100, bands=32)
    with pytest.raises(ValueError):
        CopyParams(link_containment=0.9, copy_containment=0.8)
    params = CopyParams()
    params._hash_coefficients  # cached state must survive pickling for Beam workers
    clone = pickle.loads(pickle.dumps(params))
    assert np.array_equal(minhash(shingles(BODY), clone), minhash(shingles(BODY), params))
