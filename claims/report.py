"""`claimbeam report`: one self-contained HTML page about a claimbeam output.

The page loads nothing from outside: its style is inline and its charts are
SVG drawn by matplotlib and embedded in the page. Every piece of text from the
articles is HTML-escaped, and only http(s) URLs become links.
"""
from __future__ import annotations

import html
import io
import re
from datetime import datetime, timezone

import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from claims.analysis import (NO_CORROBORATED_CLAIM, ClaimbeamOutput, best_corroborated, in_publication_order,
                             most_contested, reject_counts, verdicts_by_attention)
from claims.copies import SHARES_PASSAGES
from claims.records import READ_STAGE
from claims.text import clip, counted
from claims.unionfind import components

STATUS_COLOURS = {
    "corroborated": "#2e7d32", "unconfirmed": "#9e9d24", "single_source": "#757575", "hedged": "#f9a825",
    "rumour": "#ef6c00",
    "contested": "#c62828", "refuted": "#6a1b9a", "not_found": "#bdbdbd", "unscored": "#000000",
}
STANCE_COLOURS = {"support": "#2e7d32", "refute": "#c62828", "discuss": "#90a4ae"}
RELATION_STYLES = {"copy": ("#37474f", "-"), "excerpt": ("#1565c0", "--"), "credited": ("#6a1b9a", "-."),
                   "shares_passages": ("#90a4ae", ":")}
_MAX_GRAPH_GROUPS = 12
_MAX_GROUP_MEMBERS = 40  # articles drawn per copy group; a wire story can have hundreds
_MAX_GROUP_ARROWS = 80  # a wire story's copies may all be linked pairwise: an arrow each would take seconds
_MAX_TIMELINE_OUTLETS = 50
_MAX_VERDICT_BARS = 30
_EVIDENCE_SHOWN = 4  # origins a verdict card lists open; the rest fold into <details>
_COPIES_SHOWN = 3  # copies listed under their origin; further ones are named on one line
_TAKING_SIDES = ("support", "refute")

_CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #212121; background: #fafafa; }
header, section { max-width: 1100px; margin: 0 auto; padding: 8px 24px; }
header { border-bottom: 1px solid #ddd; }
nav a { margin-right: 14px; }
h1 { font-size: 24px; } h2 { font-size: 20px; border-bottom: 1px solid #e0e0e0; padding-bottom: 4px; }
table { border-collapse: collapse; margin: 8px 0; } td, th { padding: 3px 10px; text-align: left; vertical-align: top; }
th { background: #eeeeee; } tr:nth-child(even) td { background: #f4f4f4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { background: white; border: 1px solid #e0e0e0; border-radius: 6px; padding: 8px 14px; min-width: 90px; }
.card b { display: block; font-size: 22px; }
.claim { background: white; border: 1px solid #e0e0e0; border-radius: 6px; padding: 8px 14px; margin: 10px 0; }
.said { font-size: 16px; font-weight: 600; }
.badge { display: inline-block; color: white; border-radius: 4px; padding: 0 6px; font-size: 13px; }
tr.copy td { font-size: 13px; } tr.copy td:first-child { padding-left: 22px; }
table.evidence td:nth-child(-n+2) { white-space: nowrap; }
.muted { color: #616161; font-size: 13px; }
.warn { color: #b71c1c; font-weight: 600; }
svg { max-width: 100%; height: auto; }
"""


# Control characters (NUL among them) are not text: HTML forbids most of them and fonts have no glyph for them.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _e(value) -> str:
    """Escaped text for HTML; missing values show as an em dash."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "\u2014"
    return html.escape(_CONTROL_RE.sub(" ", str(value)), quote=True)


def _when(value) -> str:
    return "undated" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d %H:%M UTC")


def _link(url, text) -> str:
    """A link for http(s) URLs only: a javascript: or data: URL from an article stays plain text."""
    if isinstance(url, str) and re.match(r"https?://", url, re.I):
        return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(text)}</a>'
    return _e(text)


# Marks that open or close a quotation: text that starts or ends with one quotes itself.
_QUOTE_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a"


def _quote(text) -> str:
    """Text from an article, quoted: in curly marks unless it already begins or ends with a quotation mark (a
    direct quote, '"We were lucky," the chief said.'), which would then show doubled. The marks are text, not
    <q>'s generated content, so that what is copied from the page is what is shown."""
    raw = str(text).strip() if isinstance(text, str) else ""
    if raw and (raw[0] in _QUOTE_MARKS or raw[-1] in _QUOTE_MARKS):
        return f'<span class="quote">{_e(text)}</span>'
    return f'<span class="quote">\u201c{_e(text)}\u201d</span>'


def _score(score) -> str:
    """An unscored claim or verdict (its step failed; see Robustness in the README) has a null score."""
    return "no score" if score is None or pd.isna(score) else f"score {score:.2f}"


def _badge(label, colours: dict[str, str] = STATUS_COLOURS, title=None) -> str:
    colour = colours.get(str(label), "#757575")
    hover = "" if title is None else f' title="{_e(title)}"'
    return f'<span class="badge" style="background:{colour}"{hover}>{_e(label)}</span>'


def _table(frame: pd.DataFrame, numeric: tuple[str, ...] = ()) -> str:
    head = "".join(f'<th class="num">{_e(c)}</th>' if c in numeric else f"<th>{_e(c)}</th>" for c in frame.columns)
    rows = []
    for record in frame.itertuples(index=False):
        cells = "".join(f'<td class="num">{_e(v)}</td>' if c in numeric else f"<td>{_e(v)}</td>"
                        for c, v in zip(frame.columns, record))
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _label(text, limit: int = 60) -> str:
    """Text for a matplotlib label: clipped, and with "$" escaped so that it is not read as mathtext."""
    return clip(_CONTROL_RE.sub(" ", str(text)), limit).replace("$", r"\$")


def _svg(figure: Figure) -> str:
    """The figure as inline SVG: text kept as text, ids and metadata fixed so the page is reproducible."""
    buffer = io.StringIO()
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "claimbeam"}):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and doctype, which are not allowed inside HTML


def status_chart(clusters: pd.DataFrame) -> str:
    counts = clusters["status"].value_counts(sort=False)
    figure = Figure(figsize=(6.5, 0.45 * len(counts) + 0.8))
    axes = figure.add_subplot()
    labels = [str(s) for s in counts.index]
    bars = axes.barh(labels, counts.to_numpy(), color=[STATUS_COLOURS.get(s, "#757575") for s in labels])
    axes.bar_label(bars, padding=3)
    axes.invert_yaxis()
    axes.set_xlabel("distinct claims")
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def timeline_chart(timeline: pd.DataFrame, title: str) -> str:
    """Each outlet's first mention of one claim over time; hollow squares are copies of an earlier article."""
    dated = timeline[timeline["first_seen"].notna()]
    figure = Figure(figsize=(8, 0.45 * max(len(timeline), 2) + 1.2))
    axes = figure.add_subplot()
    x = dated["first_seen"].dt.tz_convert(None) if not dated.empty else pd.Series(dtype="datetime64[ns]")
    y = range(len(dated))
    copies = dated["is_copy"].fillna(False).to_numpy(dtype=bool)
    independent = ~copies
    axes.scatter(x[independent], [i for i, keep in zip(y, independent) if keep], s=90, color="#2e7d32", zorder=3)
    axes.scatter(x[copies], [i for i, keep in zip(y, copies) if keep], s=90, marker="s", facecolors="white",
                 edgecolors="#37474f", linewidths=2, zorder=3)
    axes.set_yticks(list(y), [_label(s, 30) for s in dated["source"]])
    axes.invert_yaxis()
    axes.grid(axis="x", color="#e0e0e0")
    axes.set_title(_label(title, 90), fontsize=10, loc="left")
    axes.legend(handles=[
        Line2D([], [], marker="o", color="#2e7d32", linestyle="", markersize=9, label="independent"),
        Line2D([], [], marker="s", color="#37474f", markerfacecolor="white", linestyle="", markersize=9,
               label="copy of an earlier article"),
    ], loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    figure.autofmt_xdate()
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def publication_order(articles: pd.DataFrame) -> dict[str, int]:
    """Each article's place in publication order, then by article_id, undated last: the order in which claimbeam
    takes a copy group's first article as its origin."""
    return {a: i for i, a in enumerate(in_publication_order(articles)["article_id"])}


def directed_links(links: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """article_links with `from_id`, the earlier article of the pair (see publication_order), and `to_id`, the later:
    the pairs store no direction, and a copy can only come after what it copies."""
    rank = publication_order(articles)
    unknown = len(rank)  # an article missing from the articles table sorts last
    a_first = [rank.get(a, unknown) <= rank.get(b, unknown) for a, b in zip(links["article_id_a"], links["article_id_b"])]
    a_first = pd.Series(a_first, index=links.index, dtype=bool)
    return links.assign(from_id=links["article_id_a"].where(a_first, links["article_id_b"]),
                        to_id=links["article_id_b"].where(a_first, links["article_id_a"]))


def copy_graph(links: pd.DataFrame, articles: pd.DataFrame) -> str:
    """The largest groups of related articles, each in its own cell: its articles on a circle in publication order
    clockwise from the top, an arrow from the earlier article of each pair to the later one (a line without a head
    for shared passages, which copy neither way), copies hollow."""
    import math

    label_of = dict(zip(articles["article_id"], articles["source"].fillna("(unknown outlet)")))
    rank = publication_order(articles)
    origins = set(in_publication_order(articles).drop_duplicates("copy_group")["article_id"])
    directed = directed_links(links, articles)
    component = components(zip(links["article_id_a"], links["article_id_b"]))
    groups: dict = {}
    for node, root in component.items():
        groups.setdefault(root, []).append(node)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), min(g)))[:_MAX_GRAPH_GROUPS]
    columns = min(3, len(ordered))
    rows = math.ceil(len(ordered) / columns)
    figure = Figure(figsize=(3.6 * columns, 3.2 * rows))
    for index, group in enumerate(ordered):
        axes = figure.add_subplot(rows, columns, index + 1)
        members = sorted(group, key=lambda m: (rank.get(m, len(rank)), m))[:_MAX_GROUP_MEMBERS]  # the origin first
        angle = {m: math.pi / 2 - 2 * math.pi * i / len(members) for i, m in enumerate(members)}
        where = {m: (math.cos(a), math.sin(a)) for m, a in angle.items()}
        small = len(members) <= 12  # beyond that, labels and large dots would overlap
        radius = 6.5 if small else 3.5  # of a dot, in points: arrows stop at its edge
        inside = directed[directed["from_id"].isin(where) & directed["to_id"].isin(where)]
        # Every article's first arrow before any second one: a dense group keeps each article connected.
        by_time = inside.assign(later=inside["to_id"].map(rank), earlier=inside["from_id"].map(rank)).sort_values(
            ["later", "earlier"], na_position="last", kind="stable")
        repeat = by_time.duplicated("to_id")
        drawn = inside.loc[repeat.sort_values(kind="stable").index[:_MAX_GROUP_ARROWS]]
        for number, link in enumerate(drawn.itertuples()):
            colour, style = RELATION_STYLES[link.relation]
            arrow = FancyArrowPatch(where[link.from_id], where[link.to_id], color=colour, linestyle=style,
                                    linewidth=1.6, mutation_scale=11, shrinkA=radius + 1, shrinkB=radius + 1,
                                    arrowstyle="-" if link.relation == SHARES_PASSAGES else "-|>", zorder=1)
            arrow.set_gid(f"copy-arrow-{index}-{number}")
            axes.add_patch(arrow)
        hollow = [m not in origins for m in members]
        xs, ys = zip(*where.values())
        axes.scatter(xs, ys, s=(2 * radius) ** 2, color=["white" if h else "#1565c0" for h in hollow],
                     edgecolors="#1565c0", linewidths=1.5, zorder=2)
        for m, (x, y) in where.items():
            if small or m in origins:
                axes.annotate(_label(label_of.get(m, "?"), 24), (x, y), xytext=(11 * x, 11 * y),
                              textcoords="offset points", fontsize=7, ha="left" if x > 0.3 else "right" if x < -0.3
                              else "center", va="bottom" if y > 0.3 else "top" if y < -0.3 else "center")
        axes.set_xlim(-1.9, 1.9)
        axes.set_ylim(-1.6, 1.6)
        axes.set_axis_off()
        more = f" ({len(group) - len(members):,} more not drawn)" if len(group) > len(members) else ""
        left_out = f"; {len(inside) - len(drawn):,} links not drawn" if len(inside) > len(drawn) else ""
        axes.set_title(f"{len(group):,} articles{more}{left_out}", fontsize=9)
    legend = [Line2D([], [], color=c, linestyle=s, linewidth=2, label=r.replace("_", " "))
              for r, (c, s) in RELATION_STYLES.items()]
    legend += [Line2D([], [], marker="o", linestyle="", markersize=8, color="#1565c0", label="origin"),
               Line2D([], [], marker="o", linestyle="", markersize=8, color="#1565c0", markerfacecolor="white",
                      label="copy (later article of its copy group)")]
    figure.legend(handles=legend, loc="lower center", ncols=3, fontsize=9, frameon=False, bbox_to_anchor=(0.5, -0.06))
    return _svg(figure)


def verdict_chart(verdicts: pd.DataFrame) -> str:
    shown = verdicts.head(_MAX_VERDICT_BARS)
    figure = Figure(figsize=(8, 0.42 * max(len(shown), 2) + 1.0))
    axes = figure.add_subplot()
    rows = range(len(shown))  # positions, not labels: two ids that clip alike must keep two bars
    left = pd.Series(0, index=shown.index, dtype="float64")
    for stance in ("support", "refute", "discuss"):
        values = shown[f"n_{stance}"].astype("float64").fillna(0)
        axes.barh(rows, values, left=left, color=STANCE_COLOURS[stance], label=stance)
        left = left + values
    axes.set_yticks(list(rows), [_label(t, 30) for t in shown["target_id"]])
    axes.invert_yaxis()
    axes.set_xlabel("articles")
    axes.legend(loc="lower right", fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    return _svg(figure)


def _overview(out: ClaimbeamOutput) -> str:
    manifest = out.manifest
    totals = manifest.get("totals", {})
    cards = [("articles", len(out.articles)), ("claim mentions", len(out.claims)),
             ("distinct claims", len(out.clusters)),
             ("rejected records", int(out.rejects["stage"].fillna(READ_STAGE).eq(READ_STAGE).sum()))]  # null: older
    if out.verify_mode:
        cards.append(("targets", len(out.verdicts)))
    html_cards = "".join(f'<div class="card"><b>{n:,}</b>{_e(label)}</div>' for label, n in cards)
    balance = ("" if manifest.get("balanced") else
               '<p class="warn">The record counts do not balance: see manifest.json.</p>')
    read = (f"<p>{totals.get('records_read', 0):,} records read = {totals.get('accepted', 0):,} accepted + "
            f"{totals.get('rejected', 0):,} rejected.</p>")
    tables = pd.DataFrame([(name, info.get("rows"), info.get("files"))
                           for name, info in manifest.get("tables", {}).items()], columns=["table", "rows", "files"])
    rejects = ""
    if len(out.rejects):
        rejects = "<h3>Rejected records, by reason</h3>" + _table(reject_counts(out.rejects).head(10),
                                                                   numeric=("records",))
    return (f'<section id="overview"><h2>Overview</h2><div class="cards">{html_cards}</div>{read}{balance}'
            f'<h3>Tables</h3>{_table(tables, numeric=("rows", "files"))}{rejects}'
            f"<h3>Distinct claims by status</h3>{status_chart(out.clusters) if len(out.clusters) else ''}</section>")


def _claim_card(cluster, mentions: pd.DataFrame) -> str:
    rows = mentions.sort_values(["published_at", "article_id", "position"], na_position="last")
    items = "".join(
        f"<tr><td>{_link(m.url, m.source)}</td><td>{_e(_when(m.published_at))}</td><td>{_e(m.kind)}</td>"
        f"<td>{_e(m.text)}</td></tr>" for m in rows.itertuples())
    outlets = ", ".join(_e(s) for s in sorted(rows["source"].dropna().unique()))
    return (f'<div class="claim">{_badge(cluster.status)} <span class="muted">{_score(cluster.score)} \u00b7 '
            f"{counted(cluster.n_independent, 'independent origin')} \u00b7 {counted(cluster.n_articles, 'article')} "
            f"\u00b7 {counted(cluster.n_sources, 'outlet')} \u00b7 {_e(cluster.cluster_id)}</span>"
            f'<p class="said">{_quote(cluster.canonical_text)}</p><p>{_e(cluster.explanation)}</p>'
            f'<p class="muted">Outlets: {outlets}</p>'
            f"<details><summary>{counted(len(rows), 'mention')}</summary><table><thead><tr><th>outlet</th><th>published</th>"
            f"<th>kind</th><th>sentence</th></tr></thead><tbody>{items}</tbody></table></details></div>")


def _claims_section(section_id: str, title: str, intro: str, clusters: pd.DataFrame, out: ClaimbeamOutput,
                    none: str = "None in this output.") -> str:
    if clusters.empty:
        return f'<section id="{section_id}"><h2>{_e(title)}</h2><p class="none">{_e(none)}</p></section>'
    mentions = out.mentions[out.mentions["cluster_id"].isin(clusters["cluster_id"])]
    by_cluster = dict(tuple(mentions.groupby("cluster_id", sort=False)))
    cards = "".join(_claim_card(c, by_cluster.get(c.cluster_id, mentions.iloc[:0])) for c in clusters.itertuples())
    return f'<section id="{section_id}"><h2>{_e(title)}</h2><p class="muted">{_e(intro)}</p>{cards}</section>'


def _timeline_section(out: ClaimbeamOutput, cluster_id: str | None) -> str:
    if cluster_id is None:
        return '<section id="timeline"><h2>Timeline</h2><p>No claim in this output.</p></section>'
    cluster = out.clusters[out.clusters["cluster_id"] == cluster_id].iloc[0]
    everyone = out.timeline(cluster_id)
    timeline = everyone.head(_MAX_TIMELINE_OUTLETS)
    table = timeline.assign(first_seen=timeline["first_seen"].map(_when),
                            carried=timeline["is_copy"].map({True: "copy", False: "independent"}, na_action="ignore"))
    table = table[["order", "source", "first_seen", "carried", "article_id", "n_mentions"]]
    undated = int(timeline["first_seen"].isna().sum())
    note = f" {undated} outlets without a publication time are listed below but not drawn." if undated else ""
    if len(everyone) > len(timeline):
        note += f" The first {len(timeline)} of {len(everyone):,} outlets are shown."
    chart = timeline_chart(timeline, cluster.canonical_text) if undated < len(timeline) else ""
    return (f'<section id="timeline"><h2>Timeline of one claim</h2><p class="muted">Who carried '
            f"{_quote(cluster.canonical_text)} first, outlet by outlet ({_e(cluster_id)}; choose another with "
            f"<code>claimbeam report OUT --claim CLUSTER_ID</code>). A copy is an article that reproduces an "
            f"earlier article of the same copy group, so its outlet adds no independent origin.{_e(note)}</p>"
            f"{chart}{_table(table, numeric=('order', 'n_mentions'))}"
            "</section>")


def _copies_section(out: ClaimbeamOutput) -> str:
    links = out.article_links
    intro = ("Articles that copy, excerpt or share passages with each other. Copies and excerpts form one copy "
             "group, which counts as a single origin. Arrows point from the earlier article of a pair to the later; "
             "hollow dots are copies, later articles of their copy group.")
    if links.empty:
        return f'<section id="copy-groups"><h2>Copy groups</h2><p class="muted">{intro}</p><p>No related articles ' \
               "were found.</p></section>"
    relations = links["relation"].value_counts(sort=False)
    relations = relations[relations > 0].rename_axis("relation").reset_index(name="pairs")
    return (f'<section id="copy-groups"><h2>Copy groups</h2><p class="muted">{intro} The largest '
            f"{_MAX_GRAPH_GROUPS} groups are drawn.</p>{copy_graph(links, out.articles)}"
            f"{_table(relations, numeric=('pairs',))}</section>")


def _evidence_row(e, origin=None) -> str:
    """One article's evidence; `origin` is the evidence row of the article it is a copy of, if any."""
    if not isinstance(e.sentence, str):
        sentence = '<span class="muted">no sentence cited</span>'
    elif origin is not None and e.sentence == origin.sentence:
        sentence = '<span class="muted">the same sentence</span>'
    else:
        sentence = _quote(e.sentence)
    outlet = _link(e.url, e.source) if origin is None else f'\u21b3 {_link(e.url, e.source)} <span class="muted">copy</span>'
    return (f'<tr class="{"origin" if origin is None else "copy"}"><td>{outlet}</td><td>{_e(_when(e.published_at))}'
            f"</td><td>{_badge(e.stance, STANCE_COLOURS, e.stance_reason)}</td><td>{sentence}</td></tr>")


def _origin_rows(group: pd.DataFrame) -> str:
    """An origin's row, with its copies nested under it: the first few as rows, the rest named on one line."""
    origin, *copies = group.itertuples()
    rows = [_evidence_row(origin)] + [_evidence_row(c, origin) for c in copies[:_COPIES_SHOWN]]
    if len(copies) > _COPIES_SHOWN:
        outlets = ", ".join(dict.fromkeys(c.source if isinstance(c.source, str) else "(unknown outlet)"
                                          for c in copies[_COPIES_SHOWN:]))
        more = len(copies) - _COPIES_SHOWN
        rows.append(f'<tr class="copy"><td colspan="4">+ {more} more {"copy" if more == 1 else "copies"} in '
                    f"{_e(clip(outlets, 200))}</td></tr>")
    return "".join(rows)


def _evidence_list(evidence: pd.DataFrame) -> str:
    """A target's evidence, one row per origin with its copies under it: the origins that take a side first,
    each kind in publication order (the order cited_evidence gives)."""
    if evidence.empty:
        return ""  # the explanation says that no article addresses it
    groups = [g for _, g in evidence.groupby("origin_article_id", sort=False)]
    groups.sort(key=lambda g: not g["stance"].isin(_TAKING_SIDES).any())  # stable: publication order within

    def table(chosen):
        return ('<table class="evidence"><thead><tr><th>outlet</th><th>published</th><th>stance</th><th>cited sentence'
                f'</th></tr></thead><tbody>{"".join(map(_origin_rows, chosen))}</tbody></table>')
    shown, rest = groups[:_EVIDENCE_SHOWN], groups[_EVIDENCE_SHOWN:]
    if not rest:
        return table(shown)
    return (f"{table(shown)}<details><summary>{counted(len(rest), 'more origin')} "
            f"({counted(sum(map(len, rest)), 'article')})</summary>{table(rest)}</details>")


def _verdicts_section(out: ClaimbeamOutput) -> str:
    verdicts = verdicts_by_attention(out.verdicts)
    cited = out.cited_evidence
    by_target = dict(tuple(cited.groupby("target_id", sort=False)))
    cards = "".join(
        f'<div class="claim">{_badge(v.status)} <span class="muted">{_score(v.score)} \u00b7 '
        f"{v.n_independent_support} independent for, {v.n_independent_refute} against \u00b7 {v.n_support} support, "
        f"{v.n_refute} refute, {v.n_discuss} discuss of {v.n_articles} articles \u00b7 {_e(v.target_id)}</span>"
        f'<p class="said">{_quote(v.text)}</p><p>{_e(v.explanation)}</p>'
        f"{_evidence_list(by_target.get(v.target_id, cited.iloc[:0]))}</div>" for v in verdicts.itertuples())
    chart = verdict_chart(verdicts) if len(verdicts) else ""
    return (f'<section id="verdicts"><h2>Verdicts on the target claims</h2><p class="muted">Articles addressing '
            f"each target, by stance (the first {_MAX_VERDICT_BARS} targets by articles are drawn).</p>"
            f"{chart}{cards}</section>")


def default_claim(clusters: pd.DataFrame) -> str | None:
    """The claim the timeline shows by default: a dated one carried by the most outlets, then the best
    corroborated."""
    if clusters.empty:
        return None
    ranked = clusters.assign(dated=clusters["first_seen"].notna()).sort_values(
        ["dated", "n_sources", "n_articles", "score", "cluster_id"], ascending=[False, False, False, False, True],
        kind="stable")
    return str(ranked["cluster_id"].iloc[0])


def render(out: ClaimbeamOutput, claim: str | None = None, top: int = 10) -> str:
    """The whole report as one HTML document."""
    if claim is not None and not (out.clusters["cluster_id"] == claim).any():
        raise KeyError(f"no cluster {claim!r} in {out.path}")
    clusters = out.clusters
    top_claims, contested = best_corroborated(clusters, top), most_contested(clusters, top)
    sections = [
        _overview(out),
        _claims_section("top-claims", "Best corroborated claims", "Claims with at least two independent origins, "
                        "by corroboration score: copies, one outlet and one cited source count once; contested claims "
                        "and rumours are left out.", top_claims, out, none=NO_CORROBORATED_CLAIM),
        _claims_section("contested", "Contested claims", "Claims that some independent origins contradict: a "
                        "different number, date or polarity, or a denial.", contested, out),
        _timeline_section(out, claim or default_claim(clusters)),
        _copies_section(out),
    ]
    nav = ["overview", "top-claims", "contested", "timeline", "copy-groups"]
    if out.verify_mode:
        sections.append(_verdicts_section(out))
        nav.append("verdicts")
    created = out.manifest.get("created_at", "")
    command = " ".join(out.manifest.get("command") or [])
    links = "".join(f'<a href="#{n}">{n.replace("-", " ")}</a>' for n in nav)
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>claimbeam report: {_e(out.path)}</title><style>{_CSS}</style></head><body>"
            f"<header><h1>claimbeam report</h1><p class=\"muted\">{_e(out.path)} \u00b7 run {_e(created)} \u00b7 "
            f"report {_e(generated)}<br><code>{_e(command)}</code></p><nav>{links}</nav></header>"
            f"{''.join(sections)}</body></html>\n")
