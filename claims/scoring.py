"""Corroboration scoring for one claim cluster.

The question a fact-checker asks is not "how many articles say this?" but
"how many *independent* origins say this?". Mentions are merged into one
origin when they share any of:
- a copy group (syndicated or lightly edited copies of one article);
- an outlet (one outlet saying a thing twice is still one outlet);
- a cited primary source: an outlet ("According to Celeb Buzz", which also
  merges with Celeb Buzz's own articles, as does "an insider told Celeb
  Buzz"), a named person, a named organisation, or a social-media account,
  by the key the splitter resolved within each article (`speaker_key`:
  "Jo", "Marsh" and "she" are all "person:jo marsh" in an article that names
  Jo Marsh). A surname or first name left alone in an article ("Marsh")
  meets the one full name in the cluster that it belongs to. Unnamed
  officials and anonymous insiders identify no source, so they do not merge
  outlets.

Each origin weighs 1, halved if all its mentions are hedged ("reportedly")
and halved if it rests only on anonymous sources. With support S (the sum of
weights) and refutation R (the same sum over origins that contradict the
claim by polarity or by a conflicting number or date):

    score = S / (S + 1) * S / (S + R)

so one origin gives 0.5, two 0.67, three 0.75, and any contradiction pulls
the score down. The status is, in order: `contested` (R > 0), `rumour`
(every mention hedged, and none names its source or comes from an official
one), `hedged` (every mention hedged, at least one on the record: "Fire Chief
Tom Alvarez said the derailment could have been far worse"), `corroborated` (at least two origins of full
weight), `unconfirmed` (several origins, but fewer than two of full weight),
`single_source`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from claims.mentions import ANONYMOUS, OUTLET, PERSON, SOCIAL_MEDIA, normalise_source
from claims.sources import is_pronoun, person_name, person_name_key
from claims.text import counted
from claims.unionfind import components

CONTESTED = "contested"
RUMOUR = "rumour"  # hedged and unsourced: what readers take the word for
HEDGED = "hedged"  # hedged, but on the record
CORROBORATED = "corroborated"
UNCONFIRMED = "unconfirmed"
SINGLE_SOURCE = "single_source"
UNSCORED = "unscored"  # not a score: the pipeline could not score the cluster (see pipelines/score.py)
STATUSES = (CORROBORATED, UNCONFIRMED, SINGLE_SOURCE, HEDGED, RUMOUR, CONTESTED, UNSCORED)


@dataclass(frozen=True)
class ScoreParams:
    """Corroboration scoring settings; validated on construction."""

    hedged_weight: float = 0.5
    anonymous_weight: float = 0.5
    saturation: float = 1.0  # support at which the score reaches 0.5 without refutation
    corroborated_min_origins: int = 2

    def __post_init__(self):
        for name in ("hedged_weight", "anonymous_weight"):
            if not 0.0 < getattr(self, name) <= 1.0:  # zero would let a cluster have no support at all
                raise ValueError(f"{name} must be in (0, 1]")
        if self.saturation <= 0:
            raise ValueError("saturation must be positive")
        if self.corroborated_min_origins < 1:
            raise ValueError("corroborated_min_origins must be at least 1")


@dataclass(frozen=True)
class Evidence:
    """A mention as the scorer sees it, with its article's outlet and copy group."""

    claim_id: str
    article_id: str
    source: str
    copy_group: str
    attributed_to: str | None
    attribution_type: str | None
    speaker: str | None
    hedged: bool
    published_at: str | None  # ISO 8601 UTC, sortable
    speaker_key: str | None = None  # the cited source's key (claims.sources.source_key)
    via_outlet: str | None = None  # the publication the claim came through


@dataclass(frozen=True)
class Origin:
    label: str
    weight: float
    mentions: tuple[Evidence, ...]
    cited: str | None = None  # the primary source its mentions cite, named once


@dataclass(frozen=True)
class ClusterScore:
    n_mentions: int
    n_articles: int
    n_sources: int
    n_independent: int
    n_contradicting: int
    score: float
    status: str
    explanation: str
    origins: tuple[str, ...]
    first_seen: str | None
    first_article_id: str | None


def _cited_source(e: Evidence) -> tuple[str, str] | None:
    """(key, label) of the primary source the mention attributes to, if one is identifiable."""
    if e.speaker_key:
        name = e.speaker or e.attributed_to or e.speaker_key
        return e.speaker_key, person_name(name) if e.speaker_key.startswith("person:") else name
    if e.attribution_type == OUTLET and e.attributed_to:
        return "outlet:" + normalise_source(e.attributed_to), e.attributed_to
    if e.attribution_type in (PERSON, SOCIAL_MEDIA) and e.speaker and not is_pronoun(e.speaker):
        return "person:" + person_name_key(e.speaker), person_name(e.speaker)  # evidence from before speaker keys
    return None


def _keys(e: Evidence) -> list[str]:
    keys = [f"group:{e.copy_group}", f"outlet:{normalise_source(e.source) or e.article_id}"]
    cited = _cited_source(e)
    if cited:
        keys.append(cited[0])
    if e.via_outlet:
        keys.append("outlet:" + normalise_source(e.via_outlet))
    return keys


def _partial_name_edges(keys: set[str]) -> list[tuple[str, str]]:
    """Link "person:marsh" (an article that gave only the surname) to the one full name it belongs to."""
    full = [k for k in keys if k.startswith("person:") and " " in k]
    edges = []
    for key in keys:
        if key.startswith("person:") and " " not in key:
            name = key.removeprefix("person:")
            owners = [f for f in full if name in (f.removeprefix("person:").split()[0], f.split()[-1])]
            if len(owners) == 1:
                edges.append((key, owners[0]))
    return edges


def on_the_record(e: Evidence) -> bool:
    """The mention names its source, or has an official or published one: not an insider, not nobody."""
    return bool(e.attributed_to or e.speaker) and e.attribution_type not in (None, ANONYMOUS)


def mention_weight(e: Evidence, params: ScoreParams) -> float:
    """A mention's weight as an origin: hedged and anonymous ones count for less."""
    weight = 1.0
    if e.hedged:
        weight *= params.hedged_weight
    if e.attribution_type == ANONYMOUS:
        weight *= params.anonymous_weight
    return weight


def _earliest_first(e: Evidence) -> tuple[str, str, str]:
    """Publication time, then article id: a copy group's origin is its earliest article (undated ones last)."""
    return e.published_at or "~", e.article_id, e.claim_id


def find_origins(mentions: list[Evidence], params: ScoreParams = ScoreParams()) -> list[Origin]:
    """Group mentions into independent origins (see the module docstring)."""
    mentions = sorted(mentions, key=_earliest_first)
    edges = []
    for i, e in enumerate(mentions):
        node = f"mention:{i}"
        edges.extend((node, key) for key in _keys(e))
    edges.extend(_partial_name_edges({key for _, key in edges}))
    label_of = components(edges)
    grouped: dict[str, list[Evidence]] = {}
    for i, e in enumerate(mentions):
        grouped.setdefault(label_of[f"mention:{i}"], []).append(e)
    origins = []
    for members in grouped.values():
        cited = [c[1] for c in map(_cited_source, members) if c]
        if cited:  # the source named once, in its fullest form: "Jo Marsh" for "Jo Marsh" and "Marsh"
            cited.insert(0, max(cited, key=lambda name: (len(name.split()), -cited.index(name))))
        outlets = list(dict.fromkeys(m.source for m in members))  # the earliest article's outlet first
        carried = {normalise_source(o) for o in outlets}
        if not cited:  # no cited source, but an outlet the claims came through: a syndication credit, "according to"
            cited = [m.via_outlet for m in members if m.via_outlet and normalise_source(m.via_outlet) not in carried]
        label = cited[0] if cited else outlets[0]
        if cited and normalise_source(cited[0]) not in carried:
            label = f"{cited[0]} (via {', '.join(outlets)})"
        elif len(outlets) > 1:
            label = f"{outlets[0]} (+ copies in {', '.join(outlets[1:])})"
        weight = max(mention_weight(m, params) for m in members)
        origins.append(Origin(label, weight, tuple(members), cited[0] if cited else None))
    origins.sort(key=lambda o: (-o.weight, o.mentions[0].published_at or "~", o.label))
    return origins


def _discounts(origins: list[Origin]) -> Counter:
    """Why each mention beyond an origin's first did not count as a new origin."""
    reasons: Counter = Counter()
    for origin in origins:
        first = origin.mentions[0]
        seen_groups, seen_outlets = {first.copy_group}, {normalise_source(first.source)}
        for m in origin.mentions[1:]:
            cited = _cited_source(m)
            if m.copy_group in seen_groups:
                reasons["a copy"] += 1
            elif normalise_source(m.source) in seen_outlets:
                reasons["the same outlet"] += 1
            elif cited:
                reasons[f"the same cited source ({origin.cited or cited[1]})"] += 1
            else:
                reasons["linked through another mention"] += 1
            seen_groups.add(m.copy_group)
            seen_outlets.add(normalise_source(m.source))
    return reasons


def score_cluster(mentions: list[Evidence], contradicting: list[Evidence] = (),
                  params: ScoreParams = ScoreParams()) -> ClusterScore:
    """Score one cluster's corroboration from its mentions and the mentions that contradict it."""
    if not mentions:
        raise ValueError("a cluster has at least one mention")
    origins = find_origins(list(mentions), params)
    against = find_origins(list(contradicting), params) if contradicting else []
    support = sum(o.weight for o in origins)
    refute = sum(o.weight for o in against)
    score = support / (support + params.saturation) * support / (support + refute)
    strong = sum(1 for o in origins if o.weight >= 1.0)
    if refute > 0:
        status = CONTESTED
    elif all(m.hedged for m in mentions):
        status = HEDGED if any(on_the_record(m) for m in mentions) else RUMOUR
    elif strong >= params.corroborated_min_origins:
        status = CORROBORATED
    elif len(origins) >= params.corroborated_min_origins:
        status = UNCONFIRMED
    else:
        status = SINGLE_SOURCE

    parts = [f"{counted(len(origins), 'independent origin')}: " + "; ".join(
        o.label + ("" if o.weight >= 1.0 else f" (weight {o.weight:g})") for o in origins) + "."]
    discounts = _discounts(origins)
    hedged = sum(1 for m in mentions if m.hedged)
    anonymous = sum(1 for m in mentions if m.attribution_type == ANONYMOUS)
    notes = [f"{n} as {reason}" for reason, n in sorted(discounts.items())]
    if hedged:
        notes.append(f"{hedged} hedged")
    if anonymous:
        notes.append(f"{anonymous} from anonymous sources")
    if notes:
        parts.append(f"Discounted {sum(discounts.values())} of {counted(len(mentions), 'mention')}: " + ", ".join(notes) + ".")
    if against:
        parts.append(f"Contradicted by {counted(len(against), 'origin')}: " + "; ".join(o.label for o in against) + ".")

    dated = sorted((m.published_at, m.article_id) for m in mentions if m.published_at)
    return ClusterScore(
        n_mentions=len(mentions),
        n_articles=len({m.article_id for m in mentions}),
        n_sources=len({normalise_source(m.source) for m in mentions}),
        n_independent=len(origins),
        n_contradicting=len(against),
        score=round(score, 4),
        status=status,
        explanation=" ".join(parts),
        origins=tuple(o.label for o in origins),
        first_seen=dated[0][0] if dated else None,
        first_article_id=dated[0][1] if dated else min(m.article_id for m in mentions),
    )
