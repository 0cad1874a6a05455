"""claims.report: the page's sections, its self-containment, and escaping of hostile article text."""
import html
import itertools
import json
import math
import re

import pandas as pd
import pytest

from claims.analysis import load
from claims.report import STANCE_COLOURS, _quote, default_claim, directed_links, render
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


def _verdict_card(page: str, target_id: str) -> str:
    section = page.split('<section id="verdicts">')[1].split("</section>")[0]
    return next(card for card in section.split('<div class="claim">')[1:] if f"\u00b7 {target_id}</span>" in card)


def _evidence_rows(card: str) -> list[tuple[str, list[str]]]:
    """(origin or copy, the cells' text without markup) for each evidence row of a verdict card, in page order."""
    rows = re.findall(r'<tr class="(origin|copy)">(.*?)</tr>', card, re.S)
    return [(kind, [html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)])
            for kind, row in rows]


def test_each_verdict_card_lists_its_evidence(sample_output, sample_page):
    out = load(sample_output)
    cited = out.cited_evidence
    for target_id, evidence in cited.groupby("target_id"):
        rows = _evidence_rows(_verdict_card(sample_page, target_id))
        assert len(rows) == len(evidence), target_id  # every article once, as an origin or as a copy
        listed = {(cells[0].removeprefix("\u21b3 ").removesuffix(" copy"), cells[1], cells[2]) for _, cells in rows}
        assert listed == {(e.source, e.published_at.strftime("%Y-%m-%d %H:%M UTC"), e.stance)
                          for e in evidence.itertuples()}, target_id
    firefighters = _verdict_card(sample_page, "fire-firefighters")
    for sentence in cited.loc[cited["target_id"] == "fire-firefighters", "sentence"].dropna().unique():
        assert html.escape(sentence) in firefighters
    assert 'href="https://www.valleypost.example/' in firefighters
    assert f'<span class="badge" style="background:{STANCE_COLOURS["refute"]}"' in firefighters
    # No mention of fire-arson's articles states the claim: the card says so rather than quoting a sentence.
    assert {cells[3] for _, cells in _evidence_rows(_verdict_card(sample_page, "fire-arson"))} <= {
        "no sentence cited", "the same sentence"}
    assert "<table" not in _verdict_card(sample_page, "unrelated-bridge")  # no article addresses it


def test_a_copy_is_nested_under_its_origin(sample_page):
    """Northside Gazette reprinted Metro Wire's fire report: one origin, its copy under it, not a row of its own."""
    rows = _evidence_rows(_verdict_card(sample_page, "fire-firefighters"))
    outlets = [cells[0] for _, cells in rows]
    at = outlets.index("Metro Wire")
    assert rows[at][0] == "origin" and rows[at + 1] == ("copy", [
        "\u21b3 Northside Gazette copy", "2026-03-04 13:10 UTC", "support", "the same sentence"])
    assert [kind for kind, _ in rows].count("copy") == 1


def test_evidence_that_takes_a_side_comes_first_then_by_publication_time(sample_output, sample_page):
    """reyes-quits: supporting and refuting origins in time order, then the ones that only report it; the first
    origins are listed open, the rest in a <details>."""
    card = _verdict_card(sample_page, "reyes-quits")
    origins = [cells for kind, cells in _evidence_rows(card) if kind == "origin"]
    sides = [cells[2] != "discuss" for cells in origins]
    assert sides == sorted(sides, reverse=True) and any(sides) and not all(sides)
    for taking_side in (True, False):
        times = [cells[1] for cells, side in zip(origins, sides) if side == taking_side]
        assert times == sorted(times)
    open_part, folded = card.split("<details>")
    assert len([k for k, _ in _evidence_rows(open_part) if k == "origin"]) == 4
    assert "2 more origins (3 articles)" in folded  # Metro Wire's discussing article and its copy among them


def test_a_wire_story_copied_many_times_names_the_copies_beyond_the_first(sample_output):
    out = load(sample_output)
    reprints = out.evidence[out.evidence["article_id"] == "metro-fire-1"].assign(copy_group="g-wire")
    reprints = pd.concat([reprints.assign(article_id=f"reprint-{i}", source=f"Outlet {i}",
                                          published_at=reprints["published_at"] + pd.Timedelta(hours=i + 1))
                          for i in range(6)])
    out.evidence = pd.concat([out.evidence.assign(copy_group=lambda e: e["copy_group"].mask(
        e["article_id"] == "metro-fire-1", "g-wire")), reprints], ignore_index=True)
    card = _verdict_card(render(out), "fire-firefighters")
    assert [kind for kind, _ in _evidence_rows(card)].count("copy") == 3 + 1  # three listed, one line for the rest
    assert "+ 3 more copies in Outlet 3, Outlet 4, Outlet 5" in card


def test_evidence_text_is_escaped(sample_output):
    out = load(sample_output)
    cited = out.evidence.loc[out.evidence["target_id"] == "fire-firefighters", "claim_id"].dropna().iloc[0]
    out.claims = out.claims.assign(text=out.claims["text"].mask(out.claims["claim_id"] == cited, "<img src=x>"))
    out.evidence = out.evidence.assign(source=out.evidence["source"].astype(object).mask(
        out.evidence["claim_id"] == cited, "<b>Bold</b>"))
    card = _verdict_card(render(out), "fire-firefighters")
    assert "\u201c&lt;img src=x&gt;\u201d" in card and "&lt;b&gt;Bold&lt;/b&gt;" in card
    assert "<img" not in card and "<b>" not in card


@pytest.mark.parametrize("text, shown", [
    pytest.param("The council approved it.", "\u201cThe council approved it.\u201d", id="plain text is quoted"),
    pytest.param('"We were lucky," the chief said.', "&quot;We were lucky,&quot; the chief said.",
                 id="a direct quote keeps its own marks"),
    pytest.param("\u201cIt is just what you do,\u201d he said.", "\u201cIt is just what you do,\u201d he said.",
                 id="curly marks too"),
    pytest.param('The chief said "we were lucky."', "The chief said &quot;we were lucky.&quot;",
                 id="a quote at the end"),
])
def test_quotes_are_not_doubled(text, shown):
    assert _quote(text) == f'<span class="quote">{shown}</span>'


def test_no_claim_on_the_page_is_quoted_twice(sample_output, sample_page):
    # <q> would add its own marks around "I am not leaving Hollow Pines," Reyes said.: marks are written as text.
    assert "<q>" not in sample_page and "<q " not in sample_page
    assert not re.search(r"\u201c(?:&quot;|\u201c|&#x27;|\u2018)|(?:&quot;|\u201d|&#x27;|\u2019)\u201d", sample_page)
    contested = sample_page.split('<section id="contested">')[1].split("</section>")[0]
    assert '<span class="quote">&quot;I am not leaving Hollow Pines,&quot; Reyes said.</span>' in contested


def _copy_graph_cells(page: str) -> list[str]:
    svg = page.split('<section id="copy-groups">')[1].split("</svg>")[0]
    return svg.split('<g id="axes_')[1:]


def _arrows(cell: str) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """(start, end) of each arrow's shaft in one cell of the copy graph, in SVG coordinates."""
    shafts = re.findall(r'<g id="copy-arrow-[\d-]+">\s*<path d="([^"]+)"', cell)
    points = [[tuple(map(float, p)) for p in re.findall(r"(-?[\d.]+) (-?[\d.]+)", d)] for d in shafts]
    return [(p[0], p[-1]) for p in points]


def test_copies_point_from_the_earlier_article_to_the_later(sample_output):
    """Metro Wire published both stories first; Harbor Times' copy is the smaller article_id of its pair, so the
    stored order (article_id_a, article_id_b) would point the wrong way."""
    out = load(sample_output)
    directed = directed_links(out.article_links, out.articles)
    assert set(zip(directed["from_id"], directed["to_id"])) == {("metro-fire-1", "northside-fire-1"),
                                                                ("metro-reyes-1", "harbor-reyes-1")}


def test_the_copy_graph_draws_arrows_from_origin_to_copy_with_outlet_labels(sample_page):
    cells = _copy_graph_cells(sample_page)
    copies = set()
    for cell in cells:
        labels = {text: (float(x), float(y)) for x, y, text in
                  re.findall(r'<text [^>]*x="([\d.-]+)" y="([\d.-]+)"[^>]*>([^<]+)</text>', cell)}
        (start, end), = _arrows(cell)
        copy = next(label for label in labels if label in ("Harbor Times", "Northside Gazette"))
        copies.add(copy)
        assert math.dist(start, labels["Metro Wire"]) < math.dist(start, labels[copy])
        assert math.dist(end, labels[copy]) < math.dist(end, labels["Metro Wire"])
    assert copies == {"Harbor Times", "Northside Gazette"}
    legend = re.findall(r">([^<>]+)</text>", cells[-1])
    assert {"copy", "excerpt", "credited", "shares passages"} <= set(legend)


def test_a_densely_linked_copy_group_keeps_every_article_connected_within_the_arrow_cap(sample_output):
    out = load(sample_output)
    members = [f"wire-{i:02d}" for i in range(40)]
    out.articles = pd.concat([out.articles, pd.DataFrame({
        "article_id": members, "source": "Wire", "copy_group": "g-wire",
        "published_at": pd.date_range("2026-03-01", periods=40, freq="h", tz="UTC")[::-1]})])  # the last id is first
    pairs = list(itertools.combinations(members, 2))
    out.article_links = pd.DataFrame({"article_id_a": [a for a, _ in pairs], "article_id_b": [b for _, b in pairs],
                                      "relation": "copy", "similarity": 0.9, "containment": 0.95})
    page = render(out)
    assert f"40 articles; {len(pairs) - 80} links not drawn" in page
    arrows = _arrows(_copy_graph_cells(page)[0])
    assert len(arrows) == 80
    dots = _copy_graph_cells(page)[0].split('<g id="PathCollection_')[1].split("</g>\n  </g>")[0]
    nodes = [tuple(map(float, p)) for p in re.findall(r'<use [^>]*x="([\d.-]+)" y="([\d.-]+)"', dots)]
    assert len(nodes) == 40
    def target(start, end, gap=4.5):  # arrows stop at the edge of the dot: one dot radius and a point short
        length = math.dist(start, end)
        return tuple(e + gap * (e - s) / length for s, e in zip(start, end))
    pointed_at = {min(nodes, key=lambda node: math.dist(node, target(*arrow))) for arrow in arrows}
    assert len(pointed_at) == 39  # every article but the origin has an arrow into it


def test_an_unscored_verdict_and_claim_say_so_rather_than_nan(sample_output):
    out = load(sample_output)
    out.verdicts = out.verdicts.assign(score=out.verdicts["score"].mask(out.verdicts["target_id"] == "fire-arson"),
                                       status=out.verdicts["status"].astype(object).mask(
                                           out.verdicts["target_id"] == "fire-arson", "unscored"))
    top = out.clusters["score"].idxmax()
    out.clusters = out.clusters.assign(score=out.clusters["score"].mask(out.clusters.index == top))
    page = render(out)
    assert "no score" in _verdict_card(page, "fire-arson")
    assert "score nan" not in page
