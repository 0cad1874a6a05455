"""claims.report: the page's sections, its self-containment, and escaping of hostile article text."""
import json
import re

import pandas as pd
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
    """Two independent outlets carrying the same claim, with markup, a javascript: URL and a dollar sign in
    their text."""
    folder = tmp_path_factory.mktemp("hostile")
    text = ('The <script>alert("x")</script> budget of $40 million & $2 more was approved by the council on '
            "Monday. Officials confirmed the vote was unanimous.")
    records = [
        {"id": "a1", "text": text, "title": "<img src=x onerror=alert(1)>", "source": "Harbor <b>Times</b>",
         "url": "javascript:alert(1)", "published": "2026-03-04T10:00:00Z"},
        {"id": "a2", "text": ('The council approved the <script>alert("x")</script> budget of $40 million & $2 more. Two '
         "council members were absent from the vote."), "title": "Budget", "source": "Metro Wire",
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
    shared = out.clusters[out.clusters["canonical_text"].str.contains("$40", regex=False)].iloc[0]
    page = render(out, claim=shared["cluster_id"])
    chart = page.split('<section id="timeline">')[1].split("<svg")[1].split("</svg>")[0]
    assert "$40 million &amp; $2 more" in chart  # two dollar signs would otherwise be read as mathtext


def test_a_claim_with_no_dates_gets_a_table_but_no_chart(sample_output):
    out = load(sample_output)
    out.claims = out.claims.assign(published_at=pd.NaT)
    out.__dict__.pop("mentions", None), out.__dict__.pop("timelines", None)
    chosen = default_claim(out.clusters)
    section = render(out, claim=chosen).split('<section id="timeline">')[1].split("</section>")[0]
    assert "<svg" not in section and "without a publication time are listed below but not drawn" in section
    assert "independent" not in section.split("<tbody>")[1]  # no dates: which article came first is unknown


def test_targets_whose_ids_clip_alike_keep_their_own_bars(sample_output):
    out = load(sample_output)
    prefix = "a-very-long-target-identifier-"
    out.verdicts = out.verdicts.assign(target_id=[f"{prefix}{i}" for i in range(len(out.verdicts))])
    chart = render(out).split('<section id="verdicts">')[1].split("</svg>")[0]
    assert chart.count(prefix[:20]) == len(out.verdicts)  # one tick label per target, all clipped alike


def test_a_large_copy_group_is_capped_and_says_so(sample_output):
    out = load(sample_output)
    members = [f"wire-{i:03d}" for i in range(120)]
    out.articles = pd.concat([out.articles, pd.DataFrame({"article_id": members, "source": "Wire"})])
    out.article_links = pd.DataFrame({"article_id_a": members[0], "article_id_b": members[1:], "relation": "copy",
                                      "similarity": 0.9, "containment": 0.95})
    section = render(out).split('<section id="copy-groups">')[1].split("</section>")[0]
    assert "120 articles (80 more not drawn)" in section


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


def test_best_corroborated_shows_only_claims_with_two_independent_origins(sample_output, sample_page):
    clusters = load(sample_output).clusters.set_index("cluster_id")
    section = sample_page.split('<section id="top-claims">')[1].split("</section>")[0]
    shown = re.findall(r"\u00b7 (k-[0-9a-f]+)</span>", section)
    assert shown and all(clusters.loc[shown, "n_independent"] >= 2)
    assert not clusters.loc[shown, "status"].isin(["contested", "rumour"]).any()


def test_best_corroborated_says_when_no_claim_has_two_independent_origins(tmp_path):
    """A wire story and its reprint: every claim has one origin, however many articles carry it."""
    text = "Twelve cars of a freight train derailed near Calder on Sunday. No one was hurt, the railway said."
    records = [{"id": "w1", "text": text, "source": "WireNet", "published": "2026-05-03T08:00:00Z"},
               {"id": "m1", "text": text, "source": "Metro Daily", "published": "2026-05-03T10:30:00Z"}]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    assert run(["run", "--input", str(tmp_path / "in.jsonl"), "--output", str(tmp_path / "out"), "--quiet",
                "--workers", "1"]) == 0
    out = load(tmp_path / "out")
    assert (out.clusters["n_articles"] == 2).all()  # carried twice, and still not corroborated
    section = render(out).split('<section id="top-claims">')[1].split("</section>")[0]
    assert '<div class="claim">' not in section and "No claim has 2 independent origins" in section
