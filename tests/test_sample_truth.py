"""The bundled corpus against its hand-written ground truth (tests/sample_truth.json)."""
import json
import re
from pathlib import Path

import pandas as pd
import pytest

TRUTH = json.loads((Path(__file__).parent / "sample_truth.json").read_text())


@pytest.fixture(scope="module")
def tables(sample_output):
    return {name: pd.read_parquet(sample_output / name) for name in ("articles", "claims", "clusters")}


def _cluster_of(claims, article_id, substring):
    rows = claims[(claims.article_id == article_id) & claims.text.str.contains(substring, regex=False)]
    assert len(rows) == 1, f"no single claim in {article_id} contains {substring!r}"
    return rows.cluster_id.iloc[0]


def test_copy_groups(tables):
    group = tables["articles"].set_index("article_id").copy_group
    expected = [set(g) for g in TRUTH["copy_groups"]]
    for members in expected:
        assert len({group[a] for a in members}) == 1, members
    grouped = set().union(*expected)
    singles = group[~group.index.isin(grouped)]
    assert singles.is_unique and not set(singles) & {group[a] for a in grouped}


@pytest.mark.parametrize("entry", TRUTH["same_claim"], ids=[e["name"] for e in TRUTH["same_claim"]])
def test_key_claims_cluster_together_with_their_status(tables, entry):
    clusters = {_cluster_of(tables["claims"], a, s) for a, s in entry["mentions"]}
    assert len(clusters) == 1, f"{entry['name']}: split over {len(clusters)} clusters"
    row = tables["clusters"].set_index("cluster_id").loc[clusters.pop()]
    assert row.status == entry["status"], row.explanation


@pytest.mark.parametrize("entry", TRUTH["different_claims"], ids=[e["name"] for e in TRUTH["different_claims"]])
def test_conflicting_claims_stay_apart(tables, entry):
    assert _cluster_of(tables["claims"], *entry["a"]) != _cluster_of(tables["claims"], *entry["b"])


@pytest.mark.parametrize("article_id, substring", TRUTH["not_claims"], ids=[s[:40] for _, s in TRUTH["not_claims"]])
def test_questions_calls_to_action_and_boilerplate_are_not_claims(tables, article_id, substring):
    claims = tables["claims"]
    assert not claims[(claims.article_id == article_id) & claims.text.str.contains(substring, regex=False)].size


@pytest.mark.parametrize("entry", [e for e in TRUTH["same_claim"] if "origin" in e],
                         ids=[e["name"] for e in TRUTH["same_claim"] if "origin" in e])
def test_one_source_is_one_origin_named_once(tables, entry):
    cluster = _cluster_of(tables["claims"], *entry["mentions"][0])
    row = tables["clusters"].set_index("cluster_id").loc[cluster]
    assert row.n_independent == 1 and row.explanation.startswith(f"1 independent origin: {entry['origin']} ")
    assert set(re.findall(r"the same cited source \(([^)]*)\)", row.explanation)) <= {entry["origin"]}


@pytest.mark.parametrize("entry", TRUTH["attributions"], ids=[e["why"] for e in TRUTH["attributions"]])
def test_attributions(tables, entry):
    claims = tables["claims"]
    rows = claims[(claims.article_id == entry["article"]) & claims.text.str.contains(entry["sentence"], regex=False)]
    assert len(rows) == 1
    found = rows.iloc[0]
    got = {k: (None if pd.isna(found[k]) else found[k])
           for k in ("speaker", "speaker_as_written", "attribution_type", "via_outlet")}
    assert got == {k: entry[k] for k in got}
