"""Turn an article's text into claim mentions with kind, speaker and attribution.

A mention is one sentence that asserts something. For each one we record how
it is sourced, because corroboration depends on it: a direct quote rests on
its speaker, "According to Celeb Buzz" rests on Celeb Buzz, "an insider told
the website" rests on nobody we can name, and "reportedly" is not an
assertion at all.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

from claims.attribution import AttributionModel, Found, find_attribution
from claims.ids import stable_id
from claims.sentences import dateline_wire, split_sentences
from claims.sources import (ANONYMOUS, OFFICIAL, OUTLET, OUTLET_NOUNS, PERSON, SOCIAL_MEDIA,  # noqa: F401 (types)
                            Sourced, classify, clean_name, is_pronoun, looks_like_outlet, outlet_description,
                            resolve_article, sentence_subject, source_key)
from claims.text import fold, is_negative, words

DIRECT_QUOTE = "direct_quote"
REPORTED_SPEECH = "reported_speech"
STATEMENT = "statement"


_SPEECH = (r"(?:said|says|told|tells|added|adds|stated|explained|announced|confirmed|confirms|wrote|writes|"
           r"posted|tweeted|insisted|insists|claimed|claims|noted|warned|warns|denied|denies|admitted|revealed|"
           r"reported|reports|recalled|replied|responded|acknowledged|stressed|suggested|argued|argues|"
           r"believes|believed|thinks|contends|contended|maintains|maintained|predicted|predicts|"
           # intentions: the sentence stays the claim ("The union wants ...", see _INTENT_CUES)
           r"wants|wanted|vowed|vows|pledged|promised|promises|intends|hopes)")
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
# A verdict of falsehood passed on something: "called reports of her resignation completely false", "dismissed
# the claims as nonsense", "branded the story a fabrication". Not "a false alarm" (a noun follows), nor "called for".
_VERDICT_DENIAL = re.compile(
    r"\b(?:call(?:ed|s|ing)?|brand(?:ed|s|ing)?|label(?:l?ed|s|l?ing)?|describ(?:ed|es|ing)|dismiss(?:ed|es|ing)|"
    r"term(?:ed|s))\s+(?!(?:for|on|off|up|out|in|back|upon|it\s+quits)\b)"
    r"(?:(?!(?:because|after|before|when|while|who|which|whose|since|but|so|if|until|then|than)\b)[\w'\-]+\s+){0,8}?"
    r"(?:as\s+)?\"?(?:(?:completely|entirely|totally|simply|utterly|patently|categorically|wholly|absolutely|"
    r"plainly|blatantly|100\s+percent)\s+)?\"?"
    r"(?:false|untrue|fabricated|baseless|unfounded|groundless|inaccurate|nonsense|fake(?:\s+news)?|lies|fiction|"
    r"an?\s+(?:(?:complete|total|outright|absolute)\s+)?(?:fabrication|lie|hoax|fiction|invention))"
    r"(?![\w'\-])(?!\s+(?!(?:and|or|but|on|in|at|by|as|after|before|when|while|during|last|this|earlier|"
    r"yesterday|today|to|from|with|over|of)\b)(?-i:[a-z]))", re.I)
_DENIAL_PHRASES = re.compile(
    r"\b(?:not true|untrue|no truth|baseless|fake news|nonsense|"
    r"(?:is|was|are|were|be|been)\s+(?:completely\s+|simply\s+|totally\s+|entirely\s+)?false)\b", re.I)

# A capitalised clause opener is no name: "As stated in ...", "When Marsh said".
# So are a sentence adverb, a demonstrative, "Everyone" and a day: "Instead, Axelrod said", "That said, ...".
_NOT_A_NAME = (r"(?!(?:As|If|When|While|After|Before|Because|Although|Though|But|And|Yet|So|Then|Once|Since|Until|"
               r"Unless|Whether|Where|Why|How|What|Also|Even|Still|Now|Here|There|Instead|However|Meanwhile|Moreover|"
               r"Indeed|Thus|Having|That|This|These|Those|Everyone|Everybody|Monday|Tuesday|Wednesday|Thursday|Friday|"
               r"Saturday|Sunday)\b)")
_DAY_OR_MONTH = (r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|yesterday|tonight|january|"
                 r"february|march|april|may|june|july|august|september|october|november|december|last|earlier|later)")
_NAME = _NOT_A_NAME + r"(?:[A-Z][\w'.\-]*(?:\s+(?:[A-Z][\w'.\-]*|of|for|de|da|van|von|al|bin|la|le)){0,5})"
# "drummer", "fire chief", "lead singer"; not a pronoun, an auxiliary or a cue: in ", said he would welcome
# Cruz" and "said Kristen Day, ... reports USA Today" the words before the name are no role.
_ROLE = (r"(?:(?:(?!(?:he|she|they|it|we|i|you|who|that|which|would|will|could|should|can|may|might|must|has|have|"
         rf"had|is|was|are|were|{_SPEECH})\b)[a-z][\w\-]*\s+){{0,3}})")
_ANON_NOUN = (r"(?i:(?:insiders?|sources?|spokes(?:person|man|woman)|representatives?|rep|officials?|witness(?:es)?|"
              r"friends?|persons?|people|neighbou?rs?|residents?|employees?|workers?|investigators?|"
              r"authorities|police|firefighters|organi[sz]ers|aides?|members?|fans?|observers?|"
              r"company|firm|band|council|department|agency|ministry|government|label|club|team|"
              r"hospital|university|management|statement|union|railway|operator|airline|party|campaign|committee|"
              r"commission|board|manager|managers|director|owner|chairman|chairwoman|coach|lawyer|attorney|"
              r"executive|secretary|minister|mayor|chief)(?![\w'\-])"  # whole words: "rep" is not "Republican"
              # a title before a name is no anonymous source: "said Rep. Joseph Crowley", "Mayor Ana Ruiz said"
              rf"(?!\.?\s+(?!{_DAY_OR_MONTH}\b)(?-i:[A-Z])))")
_ANON_PHRASE = (r"(?:(?:(?i:an?|the|two|three|several|some|one)\s+(?:[\w'\-]+\s+){0,3}?)?" + _ANON_NOUN +
                r"(?:\s+(?:close to|familiar with|for|at|of|from|with|inside|within)\s+(?:the\s+)?[\w\-]+(?:\s+[\w\-]+){0,3}?)?)")
_PRONOUN = r"(?:he|she|they|He|She|They)"

_AGENT = rf"(?:{_ANON_PHRASE}|{_PRONOUN}|{_ROLE}{_NAME}|{_ANON_NOUN})"

# "according to the 2009 paper," and "according to a 2013 study by ...": a phrase that opens with a determiner
# runs to the clause's end (over numbers and quoted titles, where a name would stop), else the agent as above.
_ACCORDING_RE = re.compile(r"\baccording to\s+(?P<agent>(?:the|an?|its|his|her|their|our)\s+(?:[^,.;:!?]|\.(?=\S|\s+[A-Z])){1,80}?"
                           rf"(?=\s*(?:[,;:!?]|\.(?!\S|\s+[A-Z])|$))|{_AGENT})", re.I)
_AFTER_QUOTE_RE = re.compile(rf'^\s*(?:,\s*)?(?:(?P<agent>{_AGENT})(?:,\s*[^,]{{1,40}},)?\s+(?:has\s+|had\s+)?{_SPEECH}\b|'
                             rf'{_SPEECH}\s+(?P<agent2>{_AGENT}))')
_LEADING_RE = re.compile(rf"^(?P<agent>{_AGENT})(?:,\s*[^,]{{1,50}},)?\s+(?:has\s+|had\s+|also\s+|later\s+|previously\s+)?(?P<verb>{_SPEECH})\b(?P<rest>.*)$", re.S)
_OPENER_RE = re.compile(r"(?:But|And|Yet|So|Still|Now|Meanwhile|However|Instead|Then|Also),?\s+")
# Verbs that are speech only when what follows is a report: "wrote that", "posted:", 'wrote "...'.
# A transcript's speaker label: a name in capitals and a colon ('PENCE: Well, ...', '"WALLACE: Let's start').
_SPEAKER_LABEL_RE = re.compile(r"^\W{0,2}(?P<agent>[A-Z][A-Z'\-]+(?: [A-Z][A-Z'\-]+){0,2}):\s")
# Capitalised labels that name no speaker: "UPDATE: ...", "WATCH: ..."
_NOT_SPEAKERS = frozenset("""
update updated breaking watch read listen note editor's correction clarification exclusive live photos video
warning related more opinion analysis q a
""".split())
_POSSESSIVES = frozenset({"her", "his", "their", "its", "the"})
_WEAK_SPEECH = frozenset({"wrote", "writes", "posted", "reported", "reports"})
# Of those, the verbs of writing report nothing without "that" or a quote ("Reyes wrote most of the lyrics");
# "The Post reported on Monday, ..." and "Police reported no arrests" do report, and the learned model reads them.
_WRITING = frozenset({"wrote", "writes", "posted"})
_REPORT_FOLLOWS = re.compile(r'(?<!\s)\s*(?:on\s+\w+\s*)?(?:that\b|:|,\s*"|")')
_ADDRESSEE = re.compile(r"^(?:[\w.'\-]+\s+){1,8}?that\s+")
_BARE_ADDRESSEES = frozenset({"reporters", "journalists", "the website", "the newspaper", "the magazine", "the paper",
                              "the outlet", "the site", "him", "her", "them", "us", "me", "local media"})
_TRAILING_RE = re.compile(rf",\s*(?P<agent>{_AGENT})\s+(?:has\s+|had\s+)?{_SPEECH}(?:\s+[\w\-]+){{0,4}}\s*(?:[.!]\s*)?$")
# After ", said police" a clause may follow to the end, across a hard-wrapped line: "(?s:.*)" always reaches the
# end, so a failed attempt never rescans the rest of the sentence (which was quadratic on ", said he" repeated).
_TRAILING_INVERTED_RE = re.compile(rf",\s*{_SPEECH}\s+(?!(?:of|about|to|for|on|in|that|with|by|{_DAY_OR_MONTH})\b)(?P<agent>{_AGENT})(?:\s*,(?s:.*)|\s*(?:[.!]\s*)?)$")
_SOCIAL_RE = re.compile(
    r"\b(?:(?i:in|on)\s+(?:(?:a|an|her|his|their|its)\s+)?(?:\w+\s+)?(?:post|tweet|video|story|message|statement)\s+on\s+"
    r"(?P<site1>Instagram|X|Twitter|Facebook|TikTok|Threads|YouTube|Bluesky|Snapchat)"
    r"|(?:wrote|posted|said|shared|announced|tweeted|revealed|confirmed|admitted)\s+on\s+(?P<site2>Instagram|X|Twitter|Facebook|TikTok|Threads|YouTube|Bluesky)"
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
# Words without which a pattern cannot match: a substring test is far cheaper than the pattern's search,
# and most sentences hold none of them.
_BOILERPLATE_WORDS = ("copyright", "rights reserved", "\u00a9", "(c)", "contributed to", "updated", "this article",
                      "advertisement", "editor", "caption", "photo credit", "getty", "terms of", "privacy",
                      "cookie", "comment", "return", "breaking", "developing", "verif", "confirm")
_SOCIAL_WORDS = ("Instagram", "Twitter", "Facebook", "TikTok", "Threads", "YouTube", "Bluesky", "Snapchat",
                 "tweet", "X")
_TOLD_WORDS = ("told", "tells", "telling", "interview", "speaking", "according")
_DENIAL_WORDS = ("den", "refut", "dismiss", "reject", "off", "down", "true", "truth", "baseless", "fake", "nonsense",
                 "false", "fabricat", "founded", "groundless", "accurate", "lie", "fiction", "hoax", "invention")


def _may_hold(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


# Why a sentence is not a claim mention; the manifest counts each (claims.filtered).
HEADING, TOO_LONG, TOO_SHORT, OVER_MENTION_LIMIT = "heading", "too long", "too short", "over the mentions limit"
SYNDICATION_CREDIT = "syndication credit"
FILTER_REASONS = (HEADING, "question", "call to action", SYNDICATION_CREDIT, "boilerplate", TOO_SHORT, TOO_LONG,
                  OVER_MENTION_LIMIT)

# An outlet's name as a credit line gives it: capitalised words (or a domain), "The Conversation", "WireNet.com".
_CREDITED = r"(?P<outlet>(?:The\s+)?[A-Z0-9][\w&'.-]{0,40}(?:\s+(?:of\s+|&\s+)?[A-Z0-9][\w&'.-]{0,40}){0,5})"
# A syndication credit line: the article came from another outlet, so none of its sentences is that line.
_CREDIT_RE = re.compile(
    r"^(?i:this\s+(?:story|article|report|piece|post|item|content)\s+(?:was|is|has\s+been)\s+"
    r"(?:(?:first|originally)\s+)?(?:provided|distributed|supplied|syndicated|published|reprinted|republished|"
    r"produced)\s+(?:by|on|in|through|via)|"
    r"this\s+(?:story|article|report|piece|post|item)\s+(?:(?:first|originally)\s+)?appeared\s+(?:on|in)|"
    r"(?:originally|first)\s+(?:published|appeared)\s+(?:by|on|in)|"
    r"(?:republished|reprinted|distributed)\s+(?:with\s+permission\s+)?(?:from|by|of))\s+(?:the\s+)?"
    rf"{_CREDITED}\.?(?:$|\)|,|\s+(?i:and|with|under)\b)")
_MAX_CREDIT_WORDS = 30  # a longer sentence that names a publisher is a claim, not a credit line


def credited_outlet(sentence: str) -> str | None:
    """The outlet a syndication credit line names ("This story was provided by WireNet." -> "WireNet"), or None."""
    s = fold(sentence).strip().lstrip("(").strip()
    m = _CREDIT_RE.match(s)
    if not m or len(s.split()) > _MAX_CREDIT_WORDS:
        return None
    return m.group("outlet").rstrip(".") or None


def article_credit(text: str) -> str | None:
    """The outlet an article credits as the one it came from: a dateline's wire tag ("LONDON (Reuters) -",
    "(WireNet) —") or a syndication credit line, whichever comes first; None for an article of its own."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            credit = dateline_wire(line) or credited_outlet(line)
            if credit:
                return credit
    return None


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
    speaker: str | None  # resolved within the article: "Jo Marsh" for "she", "Marsh" or "the singer"
    attributed_to: str | None
    attribution_type: str | None
    hedged: bool
    negated: bool  # polarity: a negation, or a denial of what follows
    denial: bool
    speaker_as_written: str | None = None  # "she", "the singer", "Marsh"
    via_outlet: str | None = None  # the publication through which the claim reached this article
    speaker_key: str | None = None  # what scoring merges origins on: "person:jo marsh", "outlet:celebweekly"


@dataclass(frozen=True)
class Attribution:
    kind: str
    speaker: str | None  # as this sentence writes it
    attributed_to: str | None
    attribution_type: str | None
    claim_text: str
    via_outlet: str | None = None  # the publication the sentence says the claim came through
    outlet_reference: str | None = None  # "the website": a publication it refers back to
    site: str | None = None  # the social-media site of a post
    antecedent: str | None = None  # for a pronoun speaker: the person the sentence opens with, who it refers to
    labelled: bool = False  # a transcript's "PENCE: ..." label names the speaker
    learned: bool = False  # the learned model (claims.attribution), not a pattern, found the source


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
    if credited_outlet(s):
        return SYNDICATION_CREDIT
    if _may_hold(s.lower(), _BOILERPLATE_WORDS) and _BOILERPLATE.search(s):
        return "boilerplate"
    if len(words(s)) < _MIN_WORDS:
        return TOO_SHORT
    return None


def _clean_agent(agent: str | None) -> str | None:
    if not agent:
        return None
    agent = " ".join(agent.split()).strip(" ,.")
    return agent or None


_SPEECH_RE = re.compile(rf"\b{_SPEECH}\b")
# "in a post that ...", "on Friday that ...", "on Twitter that ..."
_REPORT_LEAD_RE = re.compile(r"^\s*(?:(?:in|on)\s+(?:(?:a|an|the)\s+)?\w+\s+(?=(?:\w+\s+){0,3}?that\b))?(?:that\s+)?")


def attribute(sentence: str, outlet_names: frozenset[str] = frozenset(),
              model: AttributionModel | None = None) -> Attribution:
    """Find who a sentence's claim comes from and what exactly it asserts.

    The patterns above read the common shapes precisely; a sentence they find no source in goes to the
    learned model (claims.attribution), which reads every other shape of cue and source. `outlet_names`
    are normalised outlet names (see `normalise_source`); an agent that matches one is an outlet rather
    than a person. The speaker is as the sentence writes it: split_article resolves it within the article.
    """
    s = fold(sentence)
    speaker = None
    kind = STATEMENT
    claim_text = s
    reports_nothing = False  # the patterns read the sentence's verb as no report: the model is not asked
    label = _SPEAKER_LABEL_RE.match(s)
    if label and label.group("agent").lower() not in _NOT_SPEAKERS:  # a transcript: "PENCE: Well, look, ..."
        name = label.group("agent")
        return Attribution(DIRECT_QUOTE, name, name, PERSON, s[label.end():].strip(' "') or s, labelled=True)
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
    if kind == STATEMENT and ("ccording" in s or _SPEECH_RE.search(s)):  # every pattern below needs one
        for regex in (_ACCORDING_RE, _TRAILING_RE, _TRAILING_INVERTED_RE):
            m = regex.search(s)
            if m and regex is not _ACCORDING_RE and len(s[: m.start()].split()) < 3:
                m = None  # "Still, officials said the plan was sound": an opener, not the claim, before the comma
            if m:
                speaker = m.group("agent")
                claim_text = (s[: m.start()] + s[m.end():]).strip(" ,.")
                kind = REPORTED_SPEECH
                break
        else:
            opener = _OPENER_RE.match(s)
            m = _LEADING_RE.match(s[opener.end():] if opener else s)  # "But Fowler said"
            if not m and 0 < s.find(",") and len(s[: s.find(",")].split()) <= 8:
                # "In a post on Instagram, drummer Theo Lang wrote that ..."
                m = _LEADING_RE.match(s[s.find(",") + 1:].lstrip())
            if m and m.group("verb") in _WEAK_SPEECH and not _REPORT_FOLLOWS.match(m.group("rest")):
                m, reports_nothing = None, m.group("verb") in _WRITING  # "Reyes wrote most of the band's lyrics"
            if m:
                speaker = m.group("agent")
                claim_text = _REPORT_LEAD_RE.sub("", m.group("rest")).strip(" ,.")
                if m.group("verb") in _INTENT_CUES:
                    claim_text = s
                if m.group("verb") in ("told", "tells"):
                    claim_text = _strip_addressee(claim_text, outlet_names)
                kind = REPORTED_SPEECH
    found = None
    if speaker is None and not reports_nothing:
        found = find_attribution(s, model)
        if found and s[found.cue_start:found.cue_end] in _WRITING and not _REPORT_FOLLOWS.match(s, found.cue_end):
            found = None  # as for the patterns: "she writes most of the lyrics" reports nothing
        if found:
            speaker = s[found.source_start:found.source_end]
            if kind == STATEMENT:
                kind = REPORTED_SPEECH
                claim_text = _content_of(s, found)
    speaker = clean_name(_clean_agent(speaker))
    if speaker and speaker.split()[0].lower() in _POSSESSIVES:
        named = re.match(r",\s+((?:[A-Z][\w'&.\-]*\s+){0,4}[A-Z][\w'&.\-]*),", s[s.find(speaker) + len(speaker):])
        if named:
            speaker = named.group(1)  # "Her label, Harbourlight Records, said": the name, not the description
    attribution_type = classify(speaker, outlet_names) if speaker else None
    social = _SOCIAL_RE.search(s) if _may_hold(s, _SOCIAL_WORDS) else None
    site = None
    if social:
        site = social.group("site1") or social.group("site2") or social.group("site3") or "X"
        attribution_type = SOCIAL_MEDIA
        if kind == STATEMENT:
            kind = REPORTED_SPEECH
    via, reference = _outlet_cited(s, speaker, attribution_type, outlet_names)
    antecedent = sentence_subject(s, speaker) if is_pronoun(speaker) else None
    return Attribution(kind, speaker, attributed_to_label(speaker, attribution_type, site), attribution_type,
                       claim_text.strip() or s, via, reference, site, antecedent,
                       learned=found is not None and speaker is not None)


def attributed_to_label(speaker: str | None, attribution_type: str | None, site: str | None = None) -> str | None:
    """What `attributed_to` says: the source's name, "anonymous source", or the account and its site."""
    if site:
        return f"{speaker} ({site})" if speaker else f"a post on {site}"
    if not speaker:
        return None
    return "anonymous source" if attribution_type == ANONYMOUS else speaker


_TOLD_OUTLET_RE = re.compile(
    r"\b(?:told|tells|telling|in an interview with|speaking to|speaking with|according to)\s+"
    r"(?P<outlet>(?:the\s+)?(?:[A-Z][\w'.&\-]*\s+){0,4}[A-Z][\w'.&\-]*|the\s+(?:[a-z\-]+\s+){0,2}?(?:%s))\b"
    % "|".join(sorted(OUTLET_NOUNS)))


def _outlet_cited(s: str, speaker: str | None, attribution_type: str | None,
                  outlet_names: frozenset[str]) -> tuple[str | None, str | None]:
    """(the outlet the claim came through, if the sentence names it; a description of one it refers back to).

    "According to Celebrity Weekly, ...", "..., she told Celebrity Weekly" name it; "an insider told the
    website" refers back to one named earlier. An outlet that is itself the speaker is the channel too.
    """
    if speaker and attribution_type == OUTLET:
        return (None, speaker) if outlet_description(speaker) else (speaker, None)
    if not _may_hold(s, _TOLD_WORDS):
        return None, None
    for m in _TOLD_OUTLET_RE.finditer(s):
        name = m.group("outlet")
        if outlet_description(name):
            return None, name
        if looks_like_outlet(name, outlet_names):
            return name.removeprefix("the ").removeprefix("The "), None
    return None, None


# Cues of intention: what follows them ("to block the bill") is no claim without its subject, so the
# sentence stays whole ("The senator vowed to block the bill").
_INTENT_CUES = frozenset("""
want wants wanted vow vows vowed plan plans planned promise promises promised pledge pledges pledged hope hopes
hoped intend intends intended seek seeks sought aim aims aimed threaten threatens threatened
""".split())


def _content_of(s: str, found: Found) -> str:
    """What a sentence asserts once the model's attribution is taken out of it.

    A leading attribution ("Clinton, in Ohio, said that ...", "According to the poll, ...") leaves what
    follows it; a trailing one (", the railway said.", ", said Ruiz.") leaves what precedes it.
    """
    if s[found.cue_start:found.cue_end].lower() in _INTENT_CUES:
        return s
    lead_end = max(found.cue_end, found.source_end) if found.source_after_cue else found.cue_end
    after = s[lead_end:].strip(" ,:.")
    after = _REPORT_LEAD_RE.sub("", after) if after else after
    if len(after.split()) >= _MIN_WORDS:
        return after.strip(" ,")
    before = s[:min(found.cue_start, found.source_start)]
    comma = before.rfind(",")
    if comma > 0 and len(before[comma + 1:].split()) <= 3:
        before = before[:comma]  # "..., state fire officials said": the source's modifiers go with it
    before = before.strip(" ,")
    return before if len(before.split()) >= _MIN_WORDS else s


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
    low = s.lower()
    if not _may_hold(low, _DENIAL_WORDS):
        return False, False
    for m in itertools.chain(_DENIAL_VERBS.finditer(s), _VERDICT_DENIAL.finditer(s)):
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
                  params: SplitParams = SplitParams(), model: AttributionModel | None = None) -> Split:
    """Split `text` into sentences, keep those that are claims with their attribution, and count the rest.

    Every sentence is either a mention or counted under one of FILTER_REASONS. Sources are resolved within
    the article (claims.sources.resolve_article), and the sentences of a quotation that runs over several
    take the source of the sentence that attributes it. An article that credits another outlet (a dateline's
    wire tag, "This story was provided by WireNet.") passes that outlet on as every claim's via_outlet.
    """
    kept: list[tuple[int, int, str, Attribution]] = []
    filtered: dict[str, int] = {}
    credit = article_credit(text)
    for seg in split_sentences(text):
        sentence = text[seg.start:seg.end]
        reason = (HEADING if seg.heading else TOO_LONG if len(sentence) > params.max_sentence_chars
                  else not_a_claim_reason(sentence))
        if reason is None and len(kept) >= params.max_mentions:
            reason = OVER_MENTION_LIMIT
        if reason:
            filtered[reason] = filtered.get(reason, 0) + 1
            continue
        kept.append((seg.start, seg.end, sentence, attribute(sentence, outlet_names, model)))
    attributions = continue_quotations([k[2] for k in kept], [k[3] for k in kept],
                                       [k and "\n" in text[kept[k - 1][1]:kept[k][0]] for k in range(len(kept))])
    resolved = resolve_article([Sourced(a.speaker, a.speaker, a.attribution_type, a.via_outlet, a.outlet_reference,
                                        a.antecedent, start) for (start, _, _, _), a in zip(kept, attributions)],
                               text)
    mentions = []
    for (start, end, sentence, _), attr, source in zip(kept, attributions, resolved):
        denials = _denials(fold(sentence))  # once per sentence: the denial flag and the polarity both need it
        mentions.append(Mention(
            claim_id=stable_id("m", article_id, start, end),
            article_id=article_id,
            position=len(mentions),
            char_start=start,
            char_end=end,
            text=sentence,
            claim_text=attr.claim_text,
            kind=attr.kind,
            speaker=source.speaker,
            attributed_to=attributed_to_label(source.speaker, attr.attribution_type, attr.site),
            attribution_type=attr.attribution_type,
            hedged=is_hedged(sentence),
            negated=_negated(attr.claim_text, denials),
            denial=denials[0],
            speaker_as_written=attr.speaker,
            via_outlet=source.via_outlet or credit,  # a syndicated article's claims all came through its credit
            speaker_key=source_key(source.speaker, attr.attribution_type),
        ))
    return Split(mentions, filtered)


# Quotation marks as news text writes them, folded: '"', and the doubled apostrophe of some house styles.
_QUOTE_MARK_RE = re.compile(r"\"|''")


_MAX_QUOTED_SENTENCES = 12  # a quotation longer than this is a quote mark left open, not a quotation


def continue_quotations(sentences: list[str], attributions: list[Attribution],
                        new_paragraph: list[bool] | None = None) -> list[Attribution]:
    """Give the sentences of a quotation that spans several the source of the one that attributes it.

    `"We ran. We hid. Then it stopped," she said.` may come out as three sentences (a paragraph break, or
    quote marks that do not pair within one sentence); the first two are her words too. A quotation runs from
    a sentence that opens a quote mark it does not close to the one that closes it, over paragraphs only
    where the next one opens with a quote mark again (the convention for quotes of several paragraphs), and
    for at most _MAX_QUOTED_SENTENCES. Its sentences without a source of their own take the source of the
    run's attributed sentence (the closing one first), else of the sentence that introduces it with a colon
    (`Ruiz told reporters:`), else of the attributed quotation just before it (`"We ran," she said. "Then
    it stopped."`: a quote that follows one goes on in the same voice). `new_paragraph[k]` says whether
    sentence k starts a paragraph.
    """
    out = list(attributions)
    new_paragraph = new_paragraph or [False] * len(sentences)
    run: list[int] = []
    fallback = None  # the sentence whose source an unattributed quotation starting here would take

    def close(members: list[int], closed: bool = False) -> None:
        _share_source(out, members, fallback, closed)

    for k, sentence in enumerate(sentences):
        folded = fold(sentence).strip()
        marks = len(_QUOTE_MARK_RE.findall(folded))
        opens = folded.startswith(('"', "''"))
        if run and (new_paragraph[k] and not opens or len(run) >= _MAX_QUOTED_SENTENCES):
            close(run)
            run = []
        if run:
            run.append(k)
            reopens = new_paragraph[k] and opens  # a quote's next paragraph opens with a mark again
            if (marks - reopens) % 2 == 1:  # the closing mark
                close(run, closed=True)
                run = []
            continue
        if k and not new_paragraph[k] and out[k - 1].labelled and not out[k].speaker:
            out[k] = replace(out[k - 1], claim_text=out[k].claim_text)  # the labelled speaker goes on
            continue
        introduced = k and fold(sentences[k - 1]).rstrip().endswith(":")  # "Ruiz told reporters:"
        follows_quote = k and out[k - 1].kind == DIRECT_QUOTE
        fallback = k - 1 if (introduced or follows_quote) and out[k - 1].speaker else None
        if opens and marks % 2 == 1:
            run = [k]
        elif opens and not out[k].speaker:
            close([k], closed=True)
    if run:
        close(run)
    return out


def _share_source(out: list[Attribution], run: list[int], fallback: int | None, closed: bool) -> None:
    """The run's sentences without a source take the source of its closing sentence ('... it stopped," she
    said.'), else that of `fallback`. A run that no quote mark closes (a paragraph break or the length limit
    ended it) gives only the fallback's: its sentences' own sources are speech within the quotation."""
    source = out[run[-1]] if closed and out[run[-1]].speaker else None
    if source is None and fallback is not None:
        source = out[fallback]
    if source is None or not source.speaker:
        return
    for k in run:
        if not out[k].speaker:
            text = _QUOTE_MARK_RE.sub("", out[k].claim_text).strip(" ,")
            out[k] = replace(source, kind=DIRECT_QUOTE, claim_text=text or out[k].claim_text)
