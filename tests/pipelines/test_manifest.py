"""build_manifest checks what was written against what was read and split: each check can fail."""
import json

import pytest

from pipelines.manifest import build_manifest
from pipelines.split import FILTERED


def _inputs_of(manifest):
    file_counts = {i["path"]: i["records_read"] for i in manifest["inputs"]}
    claims = manifest["claims"]
    tallies = {"split.articles": claims["articles_split"], "split.sentences": claims["sentences"],
               "split.mentions": claims["written"], **{FILTERED + r: n for r, n in claims["filtered"].items()}}
    return file_counts, tallies


@pytest.fixture
def written(sample_output):
    manifest = json.loads((sample_output / "manifest.json").read_text())
    return sample_output, manifest


def test_the_written_sample_balances(written):
    out, manifest = written
    file_counts, tallies = _inputs_of(manifest)
    rebuilt = build_manifest(str(out), file_counts, manifest["parameters"], {}, tallies=tallies)
    assert rebuilt["balanced"] and rebuilt["claims"]["balanced"] and rebuilt["complete"]
    assert rebuilt["claims"] == manifest["claims"] and rebuilt["limits"] == manifest["limits"]


@pytest.mark.parametrize("change", [
    pytest.param(lambda counts, tallies: counts.update({k: v + 1 for k, v in counts.items()}), id="a record lost"),
    pytest.param(lambda counts, tallies: tallies.update({"split.sentences": tallies["split.sentences"] + 1}),
                 id="a sentence neither written nor filtered"),
    pytest.param(lambda counts, tallies: tallies.update({"split.mentions": tallies["split.mentions"] + 1,
                                                         "split.sentences": tallies["split.sentences"] + 1}),
                 id="a claim split but not written"),
    pytest.param(lambda counts, tallies: tallies.update({"split.articles_failed": 1}),
                 id="a failed split without its reject"),
    pytest.param(lambda counts, tallies: tallies.update({"split.articles": tallies["split.articles"] - 1}),
                 id="an article never split"),
])
def test_a_count_that_does_not_match_the_written_tables_unbalances(written, change):
    out, manifest = written
    file_counts, tallies = _inputs_of(manifest)
    change(file_counts, tallies)
    assert build_manifest(str(out), file_counts, manifest["parameters"], {}, tallies=tallies)["balanced"] is False
