"""claims.report: the page's sections, its self-containment, and escaping of hostile article text."""
import json
import re

import pytest

from claims.analysis import load
from claims.report import default_claim, render
from pipelines.cli import run

SECTIONS = ["overview", "top-claims", "contested", "timeline", "copy-groups", "verdicts"]


@pytest.fixture(scope="module")
def sample_page(sample_output):
    return render(load(sample_output))


@pytest.fixture(scope="module")
def hostile_output(tmp_path_factory):
    """Two outlets carrying the same claim, with markup, a javascript: URL and a dollar sign in their text."""
    folder = tmp_path_factory.mktemp("hostile")
    text = ('The mayor said the <script>alert("x")</script> budget of $40 million & more was approved on Monday. '
            "Officials confirmed the vote was unanimous.")
    records = [
        {"id": "a1", "text": text, "title": "<img src=x onerror=alert(1)>", "source": "Harbor <b>Times</b>",
         "url": "javascript:alert(1)", "published": "2026-03-04T10:00:00Z"},
        {"id": "a2", "text": text.replace("Monday", "Monday night"), "title": "Budget", "source": "Metro Wire",
         "url": "https://metrowire.example/budget", "published": "2026-03-04T12:00:00Z"},
    ]
    (folder / "in.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    out = folder / "out"
    assert run(["run", "--input", str(folder / "in.jsonl"), "--output", str(out), "--quiet", "--workers", "1"]) == 0
    return out


def test_every_section_is_present_in_verify_mode(sample_page):
    assert re.findall(r'<section id="([\w-]+)"', sample_page) == SECTIONS


def test_charts_are_inline_svg_and_nothing_is_fetched(sample_page):
    assert sample_page.count("<svg") >= 4  # status, timeline, copy groups, verdicts
    assert "<?xml" not in sample_page and "<!DOCTYPE svg" not in sample_page
    assert not re.search(r"""(?:src|srcset|xlink:href|data)\s*=\s*["']?(?:https?:)?//""", sample_page)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", sample_page) and "@import" not in sample_page
    assert "<script" not in sample_page and "<link" not in sample_page


def test_article_links_are_http_only_and_open_without_referrer(sample_page):
    hrefs = re.findall(r'<a href="([^"]+)"', sample_page)
    external = [h for h in hrefs if not h.startswith("#")]
    assert external and all(h.startswith(("https://", "http://")) for h in external)


def test_markup_in_articles_is_shown_as_text(hostile_output):
    page = render(load(hostile_output))
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script" not in page and "<img" not in page and "<b>Times" not in page
    assert "Harbor &lt;b&gt;Times&lt;/b&gt;" in page
    assert 'href="javascript' not in page and 'href="https://metrowire.example/budget"' in page


def test_dollar_signs_reach_the_charts_as_text(hostile_output):
    out = load(hostile_output)
    shared = out.clusters.sort_values("n_sources", ascending=False).iloc[0]
    page = render(out, claim=shared["cluster_id"])
    timeline = page.split('<section id="timeline">')[1].split("</section>")[0]
    assert "$40 million" in timeline  # in the chart's title, not parsed as mathtext


def test_a_run_without_targets_has_no_verdicts_section(hostile_output):
    assert re.findall(r'<section id="([\w-]+)"', render(load(hostile_output))) == SECTIONS[:-1]


def test_the_timeline_claim_can_be_chosen_and_must_exist(sample_output):
    out = load(sample_output)
    chosen = out.clusters.sort_values("cluster_id")["cluster_id"].iloc[0]
    assert f"({chosen};" in render(out, claim=chosen)
    with pytest.raises(KeyError, match="no cluster 'k-missing'"):
        render(out, claim="k-missing")


def test_default_claim_is_the_one_most_outlets_carry(sample_output):
    clusters = load(sample_output).clusters
    chosen = clusters.set_index("cluster_id").loc[default_claim(clusters)]
    assert chosen["n_sources"] == clusters["n_sources"].max()
    assert default_claim(clusters.iloc[:0]) is None


def test_rendering_is_reproducible_apart_from_the_report_time(sample_output):
    def strip(page):
        return re.sub(r"report \d{4}-\d\d-\d\d \d\d:\d\d UTC", "", page)
    assert strip(render(load(sample_output))) == strip(render(load(sample_output)))
