"""Turn an article's text into claim mentions with kind, speaker and attribution.

A mention is one sentence that asserts something. For each one we record how
it is sourced, because corroboration depends on it: a direct quote rests on
its speaker, "According to Celeb Buzz" rests on Celeb Buzz, "an insider told
the website" rests on nobody we can name, and "reportedly" is not an
assertion at all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from claims.ids import stable_id
from claims.sentences import split_sentences
from claims.text import fold, is_negative, words

DIRECT_QUOTE = "direct_quote"
REPORTED_SPEECH = "reported_speech"
STATEMENT = "statement"

# attribution_type values
PERSON = "person"
OUTLET = "outlet"
ANONYMOUS = "anonymous"
SOCIAL_MEDIA = "social_media"
OFFICIAL = "official"

_SPEECH = (r"(?:said|says|told|tells|added|adds|stated|explained|announced|confirmed|confirms|wrote|writes|"
           r"posted|tweeted|insisted|insists|claimed|claims|noted|warned|denied|denies|admitted|revealed|"
           r"reported|reports|recalled|replied|responded|acknowledged|stressed|suggested)")
# "denied" always denies; "dismissed", "rejected", "brushed off" and "played down" deny only a report
# ("rejected the claims", "brushed off reports"), not a proposal; "false" denies only as a verdict ("is false"), not in "a false alarm".
_DENIAL_VERBS = re.compile(
    r"\b(?:denied|denies|deny|refuted|refutes|(?:dismissed|dismisses|rejected|rejects|(?:brushed|brushes|shrugged|"
    r"shrugs|laughed|laughs)\s+off|played\s+down|plays\s+down|downplayed|downplays)\s+(?:\w+\s+){0,3}?"
    r"(?:reports?|claims?|allegations?|rumou?rs?|suggestions?|story|stories|speculation|accusations?))\b", re.I)
# A denial verb after these was not made: "did not deny", "didn't deny", "can deny it all she wants",
# "refused to deny" (but "was quick to deny" and "took to Instagram to deny" are denials).
_UNMADE_DENIAL = re.compile(
    r"(?:\b(?:not|never|can|could|may|might|would|will)|n't|\b(?:refused|refuses|refusing|declined|declines|"
    r"declining|failed|fails|failing)\s+to)\s+(?:\w+\s+)?$", re.I)
_DENIAL_PHRASES = re.compile(
    r"\b(?:not true|untrue|no truth|baseless|fake news|nonsense|"
    r"(?:is|was|are|were|be|been)\s+(?:completely\s+|simply\s+|totally\s+|entirely\s+)?false)\b", re.I)

_NAME = r"(?:[A-Z][\w'.\-]*(?:\s+(?:[A-Z][\w'.\-]*|of|for|de|da|van|von|al|bin|la|le)){0,5})"
_ROLE = r"(?:(?:[a-z][\w\-]*\s+){0,3})"  # "drummer", "fire chief", "lead singer"
_ANON_NOUN = (r"(?i:insiders?|sources?|spokes(?:person|man|woman)|representatives?|rep|officials?|witness(?:es)?|"
              r"friends?|persons?|people|neighbou?rs?|residents?|employees?|workers?|investigators?|"
              r"authorities|police|firefighters|organi[sz]ers|aides?|members?|fans?|observers?|"
              r"company|firm|band|council|department|agency|ministry|government|label|club|team|"
              r"hospital|university|management|statement)")
_ANON_PHRASE = (r"(?:(?:(?i:an?|the|two|three|several|some|one)\s+(?:[\w\-]+\s+){0,3}?)?" + _ANON_NOUN +
                r"(?:\s+(?:close to|familiar with|for|at|of|from|with|inside|within)\s+(?:the\s+)?[\w\-]+(?:\s+[\w\-]+){0,3}?)?)")
_PRONOUN = r"(?:he|she|they|He|She|They)"
_AGENT = rf"(?:{_ANON_PHRASE}|{_PRONOUN}|{_ROLE}{_NAME}|{_ANON_NOUN})"

_ACCORDING_RE = re.compile(rf"\baccording to\s+(?P<agent>{_AGENT})", re.I)
_AFTER_QUOTE_RE = re.compile(rf'^\s*(?:,\s*)?(?:(?P<agent>{_AGENT})\s+(?:has\s+|had\s+)?{_SPEECH}\b|{_SPEECH}\s+(?P<agent2>{_AGENT}))')
_LEADING_RE = re.compile(rf"^(?P<agent>{_AGENT})(?:,\s*[^,]{{1,50}},)?\s+(?:has\s+|had\s+|also\s+|later\s+|previously\s+)?(?P<verb>{_SPEECH})\b(?P<rest>.*)$", re.S)
# Verbs that are speech only when what follows is a report: "wrote that", "posted:", 'wrote "...'.
_WEAK_SPEECH = frozenset({"wrote", "writes", "posted", "reported", "reports"})
_REPORT_FOLLOWS = re.compile(r'(?<!\s)\s*(?:on\s+\w+\s*)?(?:that\b|:|,\s*"|")')
_ADDRESSEE = re.compile(r"^(?:[\w.'\-]+\s+){1,8}?that\s+")
_BARE_ADDRESSEES = frozenset({"reporters", "journalists", "the website", "the newspaper", "the magazine", "the paper",
                              "the outlet", "the site", "him", "her", "them", "us", "me", "local media"})
_TRAILING_RE = re.compile(rf",\s*(?P<agent>{_AGENT})\s+(?:has\s+|had\s+)?{_SPEECH}(?:\s+[\w\-]+){{0,4}}\s*(?:[.!]\s*)?$")
# After ", said police" a clause may follow to the end, across a hard-wrapped line: "(?s:.*)" always reaches the
# end, so a failed attempt never rescans the rest of the sentence (which was quadratic on ", said he" repeated).
_TRAILING_INVERTED_RE = re.compile(rf",\s*{_SPEECH}\s+(?P<agent>{_AGENT})(?:\s*,(?s:.*)|\s*(?:[.!]\s*)?)$")
_SOCIAL_RE = re.compile(
    r"\b(?:(?i:in|on)\s+(?:(?:a|an|her|his|their|its)\s+)?(?:\w+\s+)?(?:post|tweet|video|story|message|statement)\s+on\s+"
    r"(?P<site1>Instagram|X|Twitter|Facebook|TikTok|Threads|YouTube|Bluesky|Snapchat)"
    r"|(?:wrote|posted|said|shared|announced|tweeted)\s+on\s+(?P<site2>Instagram|X|Twitter|Facebook|TikTok|Threads|YouTube|Bluesky)"
    r"|(?i:in)\s+(?:a|an)\s+(?P<site3>Instagram|Facebook|TikTok|YouTube|X|Twitter)\s+(?:post|story|video|live)"
    r"|(?i:in)\s+a\s+(?P<tweet>tweet))\b")
_QUOTE_RE = re.compile(r'"([^"]+)"')
_HEDGE_RE = re.compile(
    r"\b(?:reportedly|allegedly|rumou?r(?:s|ed)?|apparently|possibly|perhaps|purportedly|supposedly|unconfirmed|"
    r"speculat\w*|(?:is|are|was|were)\s+(?:said|believed|thought|understood|rumou?red|expected)\s+to|"
    r"appears?\s+to|seems?\s+to|could|might|may)\b")
_QUESTION_START = re.compile(r"^(?:who|what|when|where|why|how|will|would|could|can|is|are|do|does|did|should)\b", re.I)
_CALL_TO_ACTION = re.compile(
    r"^(?:check out|click|watch|subscribe|sign up|follow (?:us|her|him|them|our)|read more|read:|share|scroll|"
    r"see (?:the|our|more|below|all)|don'?t miss|tap|download|join us|listen|tell us|let us know|email us|"
    r"visit|like us|get the latest|stay tuned|find out|keep reading|continue reading|sign in|register|"
    r"check back|start the conversation|be the first to comment|leave a comment)\b", re.I)
_BOILERPLATE = re.compile(
    r"(?:copyright|all rights reserved|\u00a9|\(c\) \d{4}|contributed to this report|this story has been updated|"
    r"this article (?:was|originally)|advertisement|editor'?s note|image caption|photo credit|getty images|"
    r"terms of (?:use|service)|privacy policy|cookie|"
    # reporting process, not a claim about the world
    r"(?:did not|didn't|has not|hasn't|could not|couldn't)\s+(?:immediately\s+)?(?:respond|reply|return)\w*\s+to\s+(?:a\s+|multiple\s+|several\s+)?requests?\s+for\s+comment|"
    r"could not be reached for comment|declined to comment|did not return (?:calls|messages|emails)|"
    r"this is a (?:breaking|developing) (?:news )?story|"
    # verification disclaimers: "could not be independently verified", "has not been confirmed"
    r"(?:not|n't)\s+(?:be(?:en)?\s+)?(?:(?:immediately|independently)\s+)+(?:verif|confirm)\w*|"
    r"(?:could|can)\s*(?:not|n't)\s+be\s+(?:verified|confirmed))", re.I)
_MIN_WORDS = 4

# Why a sentence is not a claim mention; the manifest counts each (claims.filtered).
HEADING, TOO_LONG, TOO_SHORT, OVER_MENTION_LIMIT = "heading", "too long", "too short", "over the mentions limit"
FILTER_REASONS = (HEADING, "question", "call to action", "boilerplate", TOO_SHORT, TOO_LONG, OVER_MENTION_LIMIT)


@dataclass(frozen=True)
class SplitParams:
    """Limits that keep one article's cost bounded; what they cut is counted, never dropped silently."""

    max_mentions: int = 1000  # claim mentions kept per article; later claim sentences are counted, not kept
    max_sentence_chars: int = 5000  # longer "sentences" (run-on text with no stops) are not claims

    def __post_init__(self):
        if self.max_mentions < 1:
            raise ValueError("max_mentions must be at least 1")
        if self.max_sentence_chars < 1:
            raise ValueError("max_sentence_chars must be at least 1")


@dataclass(frozen=True)
class Mention:
    """One claim mention: a sentence of an article that asserts something."""

    claim_id: str
    article_id: str
    position: int
    char_start: int
    char_end: int
    text: str
    claim_text: str  # the asserted content: the quotation, or the sentence without its attribution
    kind: str
    speaker: str | None
    attributed_to: str | None
    attribution_type: str | None
    hedged: bool
    negated: bool  # polarity: a negation, or a denial of what follows
    denial: bool


@dataclass(frozen=True)
class Attribution:
    kind: str
    speaker: str | None
    attributed_to: str | None
    attribution_type: str | None
    claim_text: str


def not_a_claim_reason(sentence: str) -> str | None:
    """Why a sentence is not a claim (question, call to action, boilerplate, too short), or None."""
    s = fold(sentence).strip()
    quotes = _QUOTE_RE.findall(s)
    outside = _QUOTE_RE.sub(" ", s).strip(" ,.")
    if s.endswith("?") or (quotes and quotes[0].rstrip().endswith("?") and len(outside.split()) <= 4):
        return "question"
    if _QUESTION_START.match(s) and s.rstrip('"\'').endswith("?"):
        return "question"
    if _CALL_TO_ACTION.match(s.lstrip('"\'(')):
        return "call to action"
    if _BOILERPLATE.search(s):
        return "boilerplate"
    if len(words(s)) < _MIN_WORDS:
        return TOO_SHORT
    return None


def _clean_agent(agent: str | None) -> str | None:
    if not agent:
        return None
    agent = " ".join(agent.split()).strip(" ,.")
    return agent or None


_ANON_PHRASE_RE, _ANON_NOUN_RE = re.compile(_ANON_PHRASE, re.I), re.compile(_ANON_NOUN, re.I)
_QUALIFIER_RE = re.compile(r"(?<!\s)\s+(?:close to|familiar with|for|at|of|from|with|inside|within)\s+")
_SPEECH_RE = re.compile(rf"\b{_SPEECH}\b")
_REPORT_LEAD_RE = re.compile(r"^\s*(?:(?:in|on)\s+(?:a|an|the)\s+\w+\s+)?(?:that\s+)?")  # "in a post that ..."
_OFFICIAL_RE = re.compile(
    r"officials?|police|authorities|investigators|firefighters|spokes|representative|company|firm|band|council|"
    r"department|agency|ministry|government|label|club|team|hospital|university|management|statement", re.I)


def _classify_agent(agent: str) -> str:
    """PERSON for a name; OFFICIAL for an organisation or its officials; ANONYMOUS for unnamed people."""
    if _ANON_PHRASE_RE.fullmatch(agent) or _ANON_NOUN_RE.fullmatch(agent):
        head = _QUALIFIER_RE.split(agent)[0]
        return OFFICIAL if _OFFICIAL_RE.search(head) else ANONYMOUS
    return PERSON


def attribute(sentence: str, outlet_names: frozenset[str] = frozenset()) -> Attribution:
    """Find who a sentence's claim comes from and what exactly it asserts.

    `outlet_names` are normalised outlet names (see `normalise_source`); an
    agent that matches one is an outlet rather than a person.
    """
    s = fold(sentence)
    speaker = None
    kind = STATEMENT
    claim_text = s
    quote_match = max(_QUOTE_RE.finditer(s), key=lambda m: len(m.group(1)), default=None)
    if quote_match and _is_main_quote(quote_match, s):
        after = _AFTER_QUOTE_RE.match(s[quote_match.end():])
        before = _LEADING_RE.match(s[: quote_match.start()] + " said")
        if after:
            speaker = after.group("agent") or after.group("agent2")
        elif before:
            speaker = before.group("agent")
        elif _SPEECH_RE.search(s, 0, quote_match.start()) or _SPEECH_RE.search(s, quote_match.end()):
            lead = _LEADING_RE.match(s)
            speaker = lead.group("agent") if lead else None
        if speaker or len(quote_match.group(1)) >= 0.6 * len(s):
            kind = DIRECT_QUOTE
            claim_text = quote_match.group(1).strip(" ,")
    if kind == STATEMENT:
        for regex in (_ACCORDING_RE, _TRAILING_RE, _TRAILING_INVERTED_RE):
            m = regex.search(s)
            if m:
                speaker = m.group("agent")
                claim_text = (s[: m.start()] + s[m.end():]).strip(" ,.")
                kind = REPORTED_SPEECH
                break
        else:
            m = _LEADING_RE.match(s)
            if not m and 0 < s.find(",") and len(s[: s.find(",")].split()) <= 8:
                # "In a post on Instagram, drummer Theo Lang wrote that ..."
                m = _LEADING_RE.match(s[s.find(",") + 1:].lstrip())
            if m and m.group("verb") in _WEAK_SPEECH and not _REPORT_FOLLOWS.match(m.group("rest")):
                m = None  # "Reyes wrote most of the band's lyrics" reports nothing
            if m:
                speaker = m.group("agent")
                claim_text = _REPORT_LEAD_RE.sub("", m.group("rest")).strip(" ,.")
                if m.group("verb") in ("told", "tells"):
                    claim_text = _strip_addressee(claim_text, outlet_names)
                kind = REPORTED_SPEECH
    speaker = _clean_agent(speaker)
    attributed_to, attribution_type = None, None
    social = _SOCIAL_RE.search(s)
    if speaker:
        attribution_type = _classify_agent(speaker)
        if normalise_source(speaker) in outlet_names:
            attribution_type = OUTLET
        attributed_to = speaker if attribution_type in (PERSON, OUTLET, OFFICIAL) else "anonymous source"
    if social:
        site = social.group("site1") or social.group("site2") or social.group("site3") or "X"
        attribution_type = SOCIAL_MEDIA
        attributed_to = f"{speaker} ({site})" if speaker else f"a post on {site}"
        if kind == STATEMENT:
            kind = REPORTED_SPEECH
    return Attribution(kind, speaker, attributed_to, attribution_type, claim_text.strip() or s)


def _is_main_quote(quote: re.Match, sentence: str) -> bool:
    """A quotation is the claim when it opens the sentence or is introduced by a colon or comma
    (`Ruiz said: "..."`); one embedded in a clause ("contain "decades of wiring" that") is not."""
    before = sentence[: quote.start()].rstrip()
    return len(quote.group(1).split()) >= 3 and (not before or before.endswith((":", ",")))


def _strip_addressee(rest: str, outlet_names: frozenset[str]) -> str:
    """ "the Ledger that he was heartbroken" -> "he was heartbroken"; "reporters he was ..." likewise."""
    stripped = _ADDRESSEE.sub("", rest, count=1)
    if stripped != rest:
        return stripped
    tokens = rest.split()
    for n in range(min(4, len(tokens) - 1), 0, -1):
        head = " ".join(tokens[:n])
        if head.lower() in _BARE_ADDRESSEES or (outlet_names and normalise_source(head) in outlet_names):
            return " ".join(tokens[n:])
    return rest


_URL_START_RE = re.compile(r"^(?:https?://)?(?:www\.)?")
_DOMAIN_END_RE = re.compile(r"\.(?:com|org|net|co\.uk|co|news|example|info|io|tv|us|uk)(?:/.*)?$", re.S)
_LEADING_THE_RE = re.compile(r"^the\s+")
_NOT_ALNUM_RE = re.compile(r"[^a-z0-9]+")


def normalise_source(name: str | None) -> str:
    """Outlet key: "The Daily Ledger", "dailyledger.example" and "Daily Ledger" all give "dailyledger"."""
    if not name:
        return ""
    low = fold(name).lower().strip()
    low = _URL_START_RE.sub("", low)
    low = _DOMAIN_END_RE.sub("", low)
    low = _LEADING_THE_RE.sub("", low)
    return _NOT_ALNUM_RE.sub("", low)


def is_hedged(sentence: str) -> bool:
    return bool(_HEDGE_RE.search(fold(sentence)))


def _denials(s: str) -> tuple[bool, bool]:
    """(a denial is made, a denial verb is there but not made) in folded text."""
    made = unmade = False
    for m in _DENIAL_VERBS.finditer(s):
        if _UNMADE_DENIAL.search(s[:m.start()]):
            unmade = True
        else:
            made = True
    return made or bool(_DENIAL_PHRASES.search(s)), unmade


def is_denial(sentence: str) -> bool:
    return _denials(fold(sentence))[0]


def is_negated(claim_text: str, sentence: str | None = None) -> bool:
    """The claim's polarity: a negation or a denial, not both ("denied that she is not leaving").

    A negation that only governs a denial not made ("has not denied", "refused to deny") leaves the claim
    positive.
    """
    return _negated(claim_text, _denials(fold(sentence if sentence is not None else claim_text)))


def _negated(claim_text: str, denials: tuple[bool, bool]) -> bool:
    made, unmade = denials
    return made != (is_negative(claim_text) and not unmade)


@dataclass(frozen=True)
class Split:
    """One article split: its claim mentions, and how many sentences were not claims, by reason."""

    mentions: list[Mention]
    filtered: dict[str, int]

    @property
    def n_sentences(self) -> int:
        return len(self.mentions) + sum(self.filtered.values())


def extract_mentions(article_id: str, text: str, outlet_names: frozenset[str] = frozenset(),
                     params: SplitParams = SplitParams()) -> list[Mention]:
    """The claim mentions of `text` (see `split_article`)."""
    return split_article(article_id, text, outlet_names, params).mentions


def split_article(article_id: str, text: str, outlet_names: frozenset[str] = frozenset(),
                  params: SplitParams = SplitParams()) -> Split:
    """Split `text` into sentences, keep those that are claims with their attribution, and count the rest.

    Every sentence is either a mention or counted under one of FILTER_REASONS.
    """
    mentions: list[Mention] = []
    filtered: dict[str, int] = {}
    last_named_speaker = None
    for seg in split_sentences(text):
        sentence = text[seg.start:seg.end]
        reason = (HEADING if seg.heading else TOO_LONG if len(sentence) > params.max_sentence_chars
                  else not_a_claim_reason(sentence))
        if reason is None and len(mentions) >= params.max_mentions:
            reason = OVER_MENTION_LIMIT
        if reason:
            filtered[reason] = filtered.get(reason, 0) + 1
            continue
        attr = attribute(sentence, outlet_names)
        speaker, attributed_to = attr.speaker, attr.attributed_to
        if speaker and speaker.lower() in ("he", "she", "they"):
            # A pronoun refers back to the last person this article quoted by name.
            speaker = last_named_speaker or speaker
            attributed_to = speaker if attr.attribution_type != SOCIAL_MEDIA else attributed_to
        elif attr.attribution_type == PERSON:
            last_named_speaker = speaker
        denials = _denials(fold(sentence))  # once per sentence: the denial flag and the polarity both need it
        denial, negated = denials[0], _negated(attr.claim_text, denials)
        mentions.append(Mention(
            claim_id=stable_id("m", article_id, seg.start, seg.end),
            article_id=article_id,
            position=len(mentions),
            char_start=seg.start,
            char_end=seg.end,
            text=sentence,
            claim_text=attr.claim_text,
            kind=attr.kind,
            speaker=speaker,
            attributed_to=attributed_to,
            attribution_type=attr.attribution_type,
            hedged=is_hedged(sentence),
            negated=negated,
            denial=denial,
        ))
    return Split(mentions, filtered)
