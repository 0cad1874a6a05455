"""Sentence segmentation for news text, with character offsets.

News prose breaks the naive "split on a full stop" rule in three common
ways, and each has a rule here:
- a quotation may hold several sentences (`"It burned. We ran," she said.`),
  so no sentence ends while a double quote is open;
- abbreviations and initials ("Dr.", "St.", "J. K.", "a.m.") end with a stop;
- headlines, sub-heads and bylines have no final stop at all, so a line
  break after them is a boundary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from claims.text import fold

# Titles and abbreviations that never end a sentence.
_NEVER_FINAL = frozenset("""
mr mrs ms dr prof st sr jr gen col lt sgt capt cmdr gov sen rep rev hon supt insp det no nos vs
jan feb mar apr jun jul aug sep sept oct nov dec mt ft ave rd blvd fig approx dept est inc corp ltd co
""".split())
# Abbreviations that may end a sentence or not, depending on the next word (see _is_boundary).
_TIMES = frozenset({"a.m", "p.m"})
_COUNTRY_INITIALS = frozenset({"u.s", "u.k", "u.n", "e.u", "u.s.a"})
_INITIALS_RE = re.compile(r"(?<![a-z.])(?:[a-z]\.)+[a-z]$")  # "g.k", "d.c": a name's initials or a place's, before a name

_TERMINAL = ".!?"
_CLOSERS = "\"')]"
_PARAGRAPH_RE = re.compile(r"\n[ \t]*\n+")
_WORD_RE = re.compile(r"\S+")
_DAY_OR_MONTH = ("monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|"
                 "july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_BYLINE_RE = re.compile(
    rf"^(?i:by|written by|reporting by|story by)\s+(?!(?i:{_DAY_OR_MONTH}|the|a|an|then|now|late|early)\b)"
    # name words of at most 40 characters: an unbounded word beside the "-" separator would backtrack quadratically
    r"[A-Z][\w.'-]{0,40}(?:\s+[A-Z][\w.'-]{0,40}){0,3}(?:\s*(?:,|and|\||-).*)?$")
# "PORT CALDER — ", "LONDON (Reuters) - ", "(WireNet) — ": capitals or a wire service's tag in parentheses, then
# a dash set off by space (not "COVID-19"). The tag credits the wire service the story came from.
_DATELINE_RE = re.compile(
    r"(?:(?<![\w.'])[A-Z][A-Z.'\s]{1,40}?(?:,\s*[A-Z][\w.]+)?(?:\s*\((?P<wire>[^)]{1,40})\))?|\((?P<tag>[A-Z][^)]{0,39})\))"
    r"(?:\s+-{1,2}|\s*[\u2014\u2013])\s+")
_TIME_FOLLOWERS = re.compile(rf"(?i:{_DAY_OR_MONTH}|et|gmt|utc|bst|pt|est|edt|pst|pdt)\b")
# After "U.S." a capitalised word usually continues a name ("U.S. Army"); these words start a new sentence.
_SENTENCE_STARTERS = frozenset("""
The A An He She It They We I You This That These Those There But And Yet So In On At By For From His Her Their Its
Our My After Before When While As If Officials Police No None Nobody Some Many Most Several
""".split())


@dataclass(frozen=True)
class Segment:
    """A sentence-like span of the article text. `heading` marks lines with no final stop."""

    start: int
    end: int
    heading: bool = False


def _lines_in_block(text: str, start: int, end: int):
    """Yield (start, end) of the parts of a paragraph that a line break separates.

    A single newline is a boundary after a line that ends a sentence or looks like a
    heading (short, no final stop); otherwise the text is hard-wrapped and the
    newline is just a space.
    """
    part_start = line_start = start
    many_words = False  # the part has more than 12 words: known from its first line, and it only grows
    last = ""  # the part's last visible character, kept line by line so that a long wrapped part is read once
    pos = text.find("\n", start, end)
    while pos != -1:
        line = text[line_start:pos].strip()
        last = line[-1] if line else last
        many_words = many_words or len(line.split(maxsplit=12)) > 12
        wrapped = last and last not in _TERMINAL + _CLOSERS + ":" and many_words
        if not wrapped:
            yield part_start, pos
            part_start = pos + 1
            many_words, last = False, ""
        line_start = pos + 1
        pos = text.find("\n", pos + 1, end)
    yield part_start, end


def _word_before(text: str, pos: int) -> str:
    """The token (letters and inner dots) ending just before `pos`, lower-cased."""
    start = pos
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    return text[start:pos].lower().strip(".")


_MARKS_RE = re.compile(r'["!?.]')  # in folded text: the only characters the splitter acts on


def _split_line(text: str, folded: str, start: int, end: int):
    """Yield sentence spans inside one line of prose, keeping quotations whole; `folded` is fold(text)."""
    # A quote mark only groups sentences when the line's quotes pair up; 12" (inches) is no quote.
    quotes = [m.start() for m in re.finditer('"', folded[start:end])]  # folded: '' and curly quotes count
    inch_marks = {start + i for i in quotes if i > 0 and text[start + i - 1].isdigit()}
    quotes_pair_up = ((len(quotes) - len(inch_marks)) % 2 == 0
                      and text.count("\u201c", start, end) == text.count("\u201d", start, end))
    in_quote = False
    sent_start = start
    i = start
    while True:
        mark = _MARKS_RE.search(folded, i, end)  # jump straight to the next quote or stop
        if not mark:
            break
        i = mark.start()
        ch = folded[i]
        if ch == '"':
            if quotes_pair_up and i not in inch_marks:
                # Curly quotes say which way they face; a straight quote toggles.
                if text[i] in "\u201c\u201e":
                    in_quote = True
                elif text[i] == "\u201d":
                    in_quote = False
                else:
                    in_quote = not in_quote
            i += 1
            continue
        j = i + 1
        while j < end and folded[j] in _TERMINAL:
            j += 1
        closes_quote = False
        while j < end and folded[j] in _CLOSERS:
            if folded[j] == '"' and quotes_pair_up:
                closes_quote = True
            j += 1
        if closes_quote:
            in_quote = False
        if closes_quote and _ATTRIBUTION_TAIL_RE.match(folded, _skip_space(folded, j, end), end):
            i = j  # '"Is it over?" Rubio asked.': the attribution after a quotation belongs to it
            continue
        if not in_quote and _is_boundary(text, folded, i, j, end):
            yield sent_start, j
            while j < end and folded[j].isspace():
                j += 1
            sent_start = j
        i = j
    if sent_start < end and text[sent_start:end].strip():
        yield sent_start, end


# A short attribution after a closing quote, ending the sentence: 'Rubio asked.', 'said Jo Marsh, 34.'
_ATTRIBUTION_TAIL_RE = re.compile(
    r"(?:(?:[A-Z][\w.'-]{0,30}\s+){1,4}(?:said|says|asked|asks|added|told|wrote|explained|recalled|replied|"
    r"continued|insisted|noted|argued|tweeted|shouted|wondered|responded)\b|(?:said|asked|added|wrote)\s+[A-Z])"
    r"[^.!?\"\n]{0,80}[.!?](?=\s|$)")


def _skip_space(folded: str, pos: int, end: int) -> int:
    while pos < end and folded[pos].isspace():
        pos += 1
    return pos


def _is_title_case(line: str) -> bool:
    """A headline set in title case ("Marsh Quits Band After Ten Years."), whatever its final mark."""
    significant = [w for w in line.split() if w.lower() not in _SMALL_WORDS and w[0].isalpha()]
    return len(significant) >= 4 and sum(w[0].isupper() for w in significant) >= 0.85 * len(significant)


_SMALL_WORDS = frozenset("a an the of to in on for and or but at by with from as is are vs via".split())


def _is_boundary(text: str, folded: str, stop: int, after: int, end: int) -> bool:
    """Decide whether the stop at `stop` (run ending at `after`) ends a sentence."""
    if after >= end:
        return True
    if not folded[after].isspace():
        return False  # "3.5", "U.S.-based", "yahoo.com"
    nxt = after
    while nxt < end and folded[nxt].isspace():
        nxt += 1
    if nxt >= end:
        return True
    follower = folded[nxt]
    if folded[stop] != ".":
        return follower.isupper() or follower in "\"'(["
    word = _word_before(folded, stop)
    if word in _NEVER_FINAL or (len(word) == 1 and word.isalpha()):
        return False  # "Dr. Ruiz", "J. K. Lane"
    if word in _TIMES and _TIME_FOLLOWERS.match(folded, nxt):
        return False  # "at 6 p.m. Tuesday"
    if word in _COUNTRY_INITIALS or _INITIALS_RE.match(word):  # "U.S. Army", "G.K. Butterfield", "D.C. Mayor"
        following = _WORD_RE.match(folded, nxt, end).group(0)  # not folded[nxt:]: copying the rest is quadratic
        return following.strip("\"'(,") in _SENTENCE_STARTERS  # not "U.S. Army"
    return follower.isupper() or follower in "\"'(["


def dateline_wire(line: str) -> str | None:
    """The wire service a line's dateline credits ("LONDON (Reuters) - ..." -> "Reuters"), or None."""
    m = _DATELINE_RE.match(line)
    if not m or m.end() >= len(line.rstrip()):
        return None
    return (m.group("wire") or m.group("tag") or "").strip() or None


def split_sentences(text: str) -> list[Segment]:
    """Split article text into sentence segments with character offsets into `text`."""
    segments: list[Segment] = []
    folded = fold(text)  # once per text: folding per line made long articles quadratic
    block_start = 0
    bounds = [(m.start(), m.end()) for m in _PARAGRAPH_RE.finditer(text)] + [(len(text), len(text))]
    for gap_start, gap_end in bounds:
        for line_start, line_end in _lines_in_block(text, block_start, gap_start):
            line = text[line_start:line_end]
            stripped = line.strip()
            if not stripped:
                continue
            lead = line_start + (len(line) - len(line.lstrip()))
            trail = line_start + len(line.rstrip())
            words = len(stripped.split(maxsplit=20))  # exact up to 20, as far as the heading tests look
            if _BYLINE_RE.match(stripped) and words <= 12 and stripped[-1] not in _TERMINAL:
                segments.append(Segment(lead, trail, heading=True))
                continue
            if stripped[-1] not in _TERMINAL + _CLOSERS and words <= 14 or words <= 20 and _is_title_case(stripped):
                segments.append(Segment(lead, trail, heading=True))
                continue
            dateline = _DATELINE_RE.match(text, lead, trail)
            if dateline and dateline.end() < trail:
                lead = dateline.end()
            for s, e in _split_line(text, folded, lead, trail):
                s += len(text[s:e]) - len(text[s:e].lstrip())
                e = s + len(text[s:e].strip())
                if e > s:
                    segments.append(Segment(s, e))
        block_start = gap_end
    return segments
