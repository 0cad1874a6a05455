"""Text normalisation shared by splitting, matching and copy detection.

Matching compares claims as sets of *content tokens* (lower-cased, light
stemming, stop words removed) plus a separate set of *facts* (numbers, dates,
weekdays) and a polarity flag, because two sentences that differ only in a
number or a "not" are different claims, however similar their words.
"""
from __future__ import annotations

import math
import re

# Curly and typographic quotes are folded to ASCII so that every rule sees one form.
_QUOTE_FOLD = tuple({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u00a0": " ",
}.items())

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
    """Fold typographic quotes and dashes to ASCII, keeping the length unchanged. A doubled apostrophe, a
    house style's quotation mark (''Yes,'' she said), becomes '"' and a space."""
    if not text.isascii():
        for typographic, plain in _QUOTE_FOLD:  # str.replace per character: far faster than str.translate
            if typographic in text:
                text = text.replace(typographic, plain)
    if "''" in text:
        text = text.replace("''", '" ')
    return text


def words(text: str) -> list[str]:
    """Lower-cased word tokens, contractions expanded ("didn't" -> "didnt")."""
    low = fold(text).lower()
    found = _TOKEN_RE.findall(low)
    if "'" not in low:
        return found
    tokens = []
    for tok in found:
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


def _is_number(token: str) -> bool:
    """A number as written: digits ("60", "1,200", "2nd") or a number word ("sixty")."""
    return token in _NUMBER_WORDS or token[0].isdigit()


_YEAR_RANGE = (1900, 2100)


def is_year(value: str) -> bool:
    """A bare year ("2026"): too common to show that two mentions state the same fact."""
    return len(value) == 4 and value.isdigit() and _YEAR_RANGE[0] <= int(value) <= _YEAR_RANGE[1]


_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}


def _numeric_value(token: str) -> float | None:
    if token in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token])
    if token[0].isdigit():
        try:
            return float(token.replace(",", ""))
        except ValueError:  # "1.2.3"
            return None
    return None


def _format_number(value: float) -> str:
    if not math.isfinite(value):  # a run of 400 digits is beyond a float; its digits still name it
        return "inf" if value > 0 else "-inf"
    return str(int(value)) if value == int(value) else f"{value:g}"


def _numbers(tokens: list[str]) -> list[str]:
    """Numbers with their scale words folded in: "two hundred" -> 200, "2.5 million" -> 2500000."""
    found, i = [], 0
    while i < len(tokens):
        value = _numeric_value(tokens[i])
        if tokens[i] == "one" and i + 1 < len(tokens) and tokens[i + 1] in _SCALES:
            value = 1.0  # "one hundred" counts, though "one" alone does not
        if value is None or tokens[i] in _SCALES:  # a bare "hundred" or "million" is no count
            i += 1
            continue
        total, current = 0.0, value
        i += 1
        while i < len(tokens) and (tokens[i] in _NUMBER_WORDS or tokens[i] == "and"):
            word = tokens[i]
            if word == "and":
                if i + 1 < len(tokens) and tokens[i + 1] in _NUMBER_WORDS and tokens[i + 1] not in _SCALES:
                    i += 1
                    continue
                break
            if word == "hundred":
                current *= 100
            elif word in _SCALES:
                total += current * _SCALES[word]
                current = 0.0
            else:
                current += _NUMBER_WORDS[word]
            i += 1
        found.append(_format_number(total + current))
    return found


def facts(text: str) -> frozenset[str]:
    """Numbers, dates and weekdays in `text`, normalised ("sixty" -> "60", "$2.5 million" -> "2500000")."""
    toks = words(text)
    found = set(_numbers(toks))
    found.update(tok[:3] for tok in toks if tok in _DATE_WORDS)
    if _MAY_DATE_RE.search(text):
        found.add("may")
    return frozenset(found)


_UNIT_FILLERS = frozenset("""
of the a an and to in on at more than about some nearly almost over under around or just roughly least
""".split())


def quantities(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """What each number counts, by slot: ("firefighter", {"60"}), ("day:mar", {"3"}), ("weekday", {"tue"}).

    Two sentences conflict when they give different values for the same slot;
    a number one of them adds elsewhere ("up 2 percent") is no conflict.
    """
    toks = words(text)
    slots: dict[str, set[str]] = {}
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok in _DATE_WORDS:
            slot = "weekday" if tok[:3] in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") else "month"
            slots.setdefault(slot, set()).add(tok[:3])
            i += 1
            continue
        if _numeric_value(tok) is None and not (tok == "one" and i + 1 < len(toks) and toks[i + 1] in _SCALES):
            i += 1
            continue
        j = i + 1
        while j < len(toks) and (toks[j] in _NUMBER_WORDS or toks[j] == "and" and j + 1 < len(toks)
                                 and toks[j + 1] in _NUMBER_WORDS):
            j += 1
        values = _numbers(toks[i:j])
        if values:
            value = values[0]
            before = toks[i - 1] if i else ""
            unit = toks[j] if j < len(toks) else ""
            if before in _DATE_WORDS and before[:3] not in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
                slot = f"day:{before[:3]}"  # "March 3"
            elif is_year(value) and unit not in ("people",):
                slot = "year"
            elif unit and unit not in _UNIT_FILLERS and not unit[0].isdigit():
                slot = stem(unit)  # "60 firefighters" -> firefighter
            else:
                slot = None  # a bare number: its meaning is unknown, so it cannot conflict
            if slot:
                slots.setdefault(slot, set()).add(value)
        i = j
    return tuple(sorted((slot, frozenset(values)) for slot, values in slots.items()))


# Where a sentence's main statement usually ends and an added clause begins.
_CLAUSE_BREAK = re.compile(
    r",\s+(?:including|which|who|whom|where|while|when|as|after|before|but|and|although|though|saying|according)\b"
    r"|(?<!\s)\s+(?:after|as|because|while|when|before|although|though|since|but)\s+|;|\s[-\u2014\u2013]\s")
_MIN_CLAUSE_WORDS = 4


def main_clause(text: str) -> str | None:
    """The sentence up to its first added clause ("..., including crews from two towns"), or None if it has none."""
    found = _CLAUSE_BREAK.search(text)
    if found and len(text[: found.start()].split()) >= _MIN_CLAUSE_WORDS:
        return text[: found.start()]
    return None


def match_tokens(text: str) -> list[str]:
    """Every word, stemmed, for the match score: rarity weighting, not a stop list, decides what counts."""
    return [stem(w) for w in words(text)]


# Negation words that do not negate the claim: "wouldn't mind", "can't wait to", "not only ... but".
_POLARITY_IDIOMS_RE = re.compile(
    r"\b(?:(?:would|do|does|did)(?:n't|\s+not)\s+mind|(?:can't|cannot|can\s+not|couldn't|could\s+not)\s+"
    r"(?:wait|help|stop|agree\s+more|be\s+happier|be\s+prouder)|not\s+only|not\s+just|not\s+least|"
    r"not\s+to\s+mention|no\s+doubt|without\s+(?:a\s+)?doubt|none\s+other\s+than|nothing\s+but|no\s+matter|"
    r"no\s+less\s+than|never\s+(?:been\s+)?(?:better|happier|prouder))\b", re.I)
_SUBORDINATORS = (r"(?:although|though|even\s+though|even\s+if|while|whereas|despite|in\s+spite\s+of|if|unless|"
                  r"because|since|when|whenever|after|before|until|as)")
# A clause that qualifies the claim rather than states it: "Although a date isn't available, ...",
# "..., though she has not confirmed it", "..., who had not been seen since May, ...".
_LEADING_CLAUSE_RE = re.compile(rf"^\s*{_SUBORDINATORS}\b[^,;]{{0,200}},", re.I)
_TRAILING_CLAUSE_RE = re.compile(rf",\s*(?:{_SUBORDINATORS}|who|which|whose)\b[^,;]{{0,200}}(?:,|$)", re.I)


def claim_core(text: str) -> str:
    """The part of a sentence that carries its polarity: without the idioms whose negation negates nothing
    and without the subordinate, concessive and relative clauses that qualify the claim."""
    core = _POLARITY_IDIOMS_RE.sub(" ", fold(text))
    core = _LEADING_CLAUSE_RE.sub(" ", core, count=1)
    return _TRAILING_CLAUSE_RE.sub(",", core)


def is_negative(text: str) -> bool:
    """True when the claim itself is negated ("not", "never", "no one"), not an idiom or a clause that
    qualifies it ("wouldn't mind", "Although a date isn't set, ...")."""
    if not any(tok in NEGATION_WORDS for tok in words(text)):
        return False  # no negation word at all: nothing for the idioms and clauses to take away
    return any(tok in NEGATION_WORDS for tok in words(claim_core(text)))


def content_tokens(text: str) -> list[str]:
    """Stemmed tokens that carry meaning: no stop words, negations, numbers or dates."""
    out = []
    for tok in words(text):
        if tok in STOP_WORDS or tok in NEGATION_WORDS or tok in _DATE_WORDS:
            continue
        if _is_number(tok) or len(tok) < 2:
            continue
        out.append(stem(tok))
    return out


def clip(text: str, limit: int) -> str:
    """The text cut to at most `limit` characters, marked with "..." where it was cut."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def counted(n: int, noun: str) -> str:
    """"1 article", "3 articles": a count with its noun, for explanations people read."""
    return f"{n} {noun}{'' if n == 1 else 's'}"
