"""Text normalisation shared by splitting, matching and copy detection.

Matching compares claims as sets of *content tokens* (lower-cased, light
stemming, stop words removed) plus a separate set of *facts* (numbers, dates,
weekdays) and a polarity flag, because two sentences that differ only in a
number or a "not" are different claims, however similar their words.
"""
from __future__ import annotations

import re

# Curly and typographic quotes are folded to ASCII so that every rule sees one form.
_QUOTE_FOLD = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u00a0": " ",
})

STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most
my myself of off on once only or other our ours ourselves out over own same she should so some such
than that the their theirs them themselves then there these they this those through to too under
until up very was we were what when where which while who whom why will with would you your yours
yourself yourselves said says say told tell according also would could should may might must shall
mr mrs ms dr just still yet us one
""".split())

NEGATION_WORDS = frozenset("""
not no never none nobody nothing neither nor cannot without isnt arent wasnt werent dont doesnt
didnt wont cant couldnt shouldnt wouldnt hasnt havent hadnt
""".split())

_NUMBER_WORDS = {
    "zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 1_000_000, "billion": 1_000_000_000,
}
_DATE_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
""".split())
# "one" is left out of the number words: "no one", "one of the" are not counts.
# "may" is a month only as "May 5"; it is handled in `facts`.

_MAY_DATE_RE = re.compile(r"\bMay\s+\d")
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*(?:'[a-z]+)?")
_SUFFIXES = ("ments", "ment", "ings", "ing", "ions", "ion", "ies", "ied",
             "ed", "es", "ly", "s", "e", "y")


def fold(text: str) -> str:
    """Fold typographic quotes and dashes to ASCII, keeping the length unchanged."""
    return text.translate(_QUOTE_FOLD)


def words(text: str) -> list[str]:
    """Lower-cased word tokens, contractions expanded ("didn't" -> "didnt")."""
    tokens = []
    for tok in _TOKEN_RE.findall(fold(text).lower()):
        if "'" in tok:
            head, tail = tok.split("'", 1)
            tok = head + tail if tail == "t" else head  # "didn't" keeps its negation; "Reyes's" -> "reyes"
        tokens.append(tok)
    return tokens


def stem(token: str) -> str:
    """Light suffix stripping so that "injured", "injuries" and "injury" meet."""
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def _as_number(token: str) -> str | None:
    if token in _NUMBER_WORDS:
        return str(_NUMBER_WORDS[token])
    if token[0].isdigit():
        return token.replace(",", "")
    return None


def facts(text: str) -> frozenset[str]:
    """Numbers, dates and weekdays in `text`, normalised ("sixty" -> "60")."""
    found = set()
    for tok in words(text):
        number = _as_number(tok)
        if number is not None:
            found.add(number)
        elif tok in _DATE_WORDS:
            found.add(tok[:3])
    if _MAY_DATE_RE.search(text):
        found.add("may")
    return frozenset(found)


def is_negative(text: str) -> bool:
    """True when the sentence contains a negation word ("not", "never", "no one")."""
    return any(tok in NEGATION_WORDS for tok in words(text))


def content_tokens(text: str) -> list[str]:
    """Stemmed tokens that carry meaning: no stop words, negations, numbers or dates."""
    out = []
    for tok in words(text):
        if tok in STOP_WORDS or tok in NEGATION_WORDS or tok in _DATE_WORDS:
            continue
        if _as_number(tok) is not None or len(tok) < 2:
            continue
        out.append(stem(tok))
    return out
