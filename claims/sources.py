"""Who a source is: its type, its name within the article, and the key that counts it once across articles.

A sentence names its source in whatever form the writer chose: "Jo Marsh", "Marsh", "Jo", "she", "the
singer"; "Celebrity Weekly", "the magazine", "the website"; "Northline Rail", "the railway", "state
officials"; "the report", "41 percent of respondents". Corroboration needs one answer per source, so:

- `classify` types a source as a person, an outlet, an official source (organisations, agencies, companies,
  their officials and their documents), an anonymous one (insiders, witnesses, unnamed groups), or a
  social-media account (set by the sentence's cue, not here);
- `resolve_article` walks an article's attributions in order and replaces pronouns, descriptions and
  partial names with the fullest name the article gives that source, keeping the surface form;
- `source_key` is the key scoring merges origins on: "person:jo marsh", "outlet:celebrityweekly",
  "official:northlinerail". Unnamed officials and anonymous sources have none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from claims.attribution import FUNCTION_WORDS
from claims.text import fold

PERSON = "person"
OUTLET = "outlet"
ANONYMOUS = "anonymous"
SOCIAL_MEDIA = "social_media"
OFFICIAL = "official"

# Words that mark a capitalised name as a publication: "Celebrity Weekly", "the Daily Ledger", "Metro Wire".
OUTLET_NAME_WORDS = frozenset("""
weekly daily times post news journal herald tribune gazette magazine ledger chronicle observer guardian telegraph
mail express sun star monitor review wire press radio tv television today insider online bulletin courier
dispatch examiner inquirer register standard record independent mirror globe digest reuters bloomberg cnn bbc
msnbc npr politico axios breitbart huffpost buzzfeed vox slate salon newsweek time forbes fortune tmz people
variety billboard rollingstone vogue networks network channel broadcasting gazette beacon sentinel advocate
""".split())
# Lower-case descriptions of a publication: "told the website", "the influential daily".
OUTLET_NOUNS = frozenset("""
website site magazine newspaper paper outlet publication tabloid daily weekly network broadcaster station channel
newsroom blog podcast show programme program
""".split())
# Words that mark a capitalised name as an organisation: "Northline Rail", "Acme Corp", "the FBI".
ORGANISATION_WORDS = frozenset("""
rail railway railways railroad corp corporation inc ltd llc plc co company companies group holdings industries
systems technologies labs energy motors airlines airways bank bancorp partners capital studios records
council department ministry agency police university college hospital school party committee commission
association institute foundation federation union board authority service services office court administration
campaign government senate congress house parliament army navy force forces command bureau centre center
church club team league fund trust society organization organisation coalition alliance network
""".split())
# Lower-case heads of an organisation or its people: "the railway said", "state officials said".
ORGANISATION_NOUNS = frozenset("""
railway railroad company firm operator airline carrier council department ministry agency government
administration authorities authority police officials official spokesperson spokesman spokeswoman spokespeople
representative representatives rep prosecutors investigators regulators regulator firefighters paramedics
university hospital school district campaign committee commission court judge band label club team league
management board union party city county state statement office embassy military army navy
""".split())
# Organisation nouns that stand for the organisation itself (not for its people: "officials", "spokesman").
ORGANISATION_BODIES = frozenset("""
railway railroad company firm operator airline carrier council department ministry agency government
administration university hospital school district campaign committee commission court band label club team
league board union party embassy
""".split())
# Documents speak for whoever issued them: "the report found", "the filing says", "a poll released Tuesday".
DOCUMENT_NOUNS = frozenset("""
report reports filing filings poll polls survey surveys study studies analysis data statement statements letter
memo document documents complaint lawsuit indictment ruling order records audit review investigation findings
release figures estimates projections transcript video footage ad advertisement website release census
""".split())
# Unnamed people: they identify no source that another outlet could be checked against.
ANONYMOUS_NOUNS = frozenset("""
insider insiders source sources friend friends witness witnesses person persons people neighbour neighbours
neighbor neighbors resident residents employee employees worker workers observer observers aide aides member
members fan fans expert experts analyst analysts critic critics supporter supporters opponent opponents voter
voters respondent respondents americans adults economists scientists researchers activists advocates
officers staff staffers insider colleague colleagues relative relatives acquaintance acquaintances
""".split())
TITLES = frozenset("""
mr mrs ms miss mx dr prof sir dame lord lady sen senator rep representative gov governor president pres vice
secretary gen general col colonel sgt sergeant capt captain lt lieutenant rev hon judge justice mayor chief
chairman chairwoman chair speaker leader minister premier chancellor commissioner director officer detective
inspector superintendent deputy former the a an
""".split())
SUBJECT_PRONOUNS = frozenset({"he", "she", "they"})
_GENDERED = {"he": "m", "she": "f"}
_LEADING_FUNCTION_RE = re.compile(
    r"^(?:(?:when|while|after|before|as|but|and|so|if|because|although|though|since|then|also|yet|still|now)\s+)+",
    re.I)
_NAME_TOKEN_RE = re.compile(r"[A-Za-z][\w'\-]*")
_ACRONYM_RE = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z]{2,6}$")


def clean_name(name: str | None) -> str | None:
    """A source's name without the clause words a pattern may take with it ("When Jo Marsh" -> "Jo Marsh")."""
    if not name:
        return None
    name = _LEADING_FUNCTION_RE.sub("", " ".join(name.split())).strip(" ,.;:")
    return name or None


def _words(name: str) -> list[str]:
    return _NAME_TOKEN_RE.findall(fold(name))


def _lower_words(name: str) -> list[str]:
    return [w.lower().removesuffix("'s") for w in _words(name)]


def is_pronoun(name: str | None) -> bool:
    return bool(name) and name.lower() in SUBJECT_PRONOUNS


def is_description(name: str) -> bool:
    """A definite description with a lower-case head: "the singer", "the influential daily", "the railway"."""
    words = _words(name)
    return len(words) >= 2 and words[0].lower() in ("the", "this", "that") and words[-1].islower()


def looks_like_outlet(name: str, outlet_names: frozenset[str] = frozenset()) -> bool:
    """A publication's name: one the corpus has, a web host, or a capitalised name with a newspaper word."""
    from claims.mentions import normalise_source  # the one outlet key; mentions imports this module

    if outlet_names and normalise_source(name) in outlet_names:
        return True
    if re.search(r"\.(?:com|org|net|co\.uk|news|example)\b", name, re.I):
        return True
    words = _words(name)
    capitalised = [w for w in words if w[0].isupper()]
    return bool(capitalised) and len(capitalised) == len([w for w in words if w.lower() not in ("the", "of")]) \
        and any(w.lower() in OUTLET_NAME_WORDS for w in capitalised)


def outlet_description(name: str) -> bool:
    """"the website", "the magazine", "the influential daily": a publication named elsewhere in the article."""
    words = _lower_words(name)
    return is_description(name) and words[-1] in OUTLET_NOUNS


_QUALIFIER_RE = re.compile(r"(?<!\s)\s+(?:close to|familiar with|for|at|of|from|with|inside|within|in|on)\s+", re.I)


_GROUP_NOUNS = ANONYMOUS_NOUNS | ORGANISATION_NOUNS
_COMMON_NOUNS = ANONYMOUS_NOUNS | ORGANISATION_NOUNS | DOCUMENT_NOUNS | OUTLET_NOUNS


@lru_cache(maxsize=1 << 14)
def classify(name: str, outlet_names: frozenset[str] = frozenset()) -> str:
    """PERSON, OUTLET, OFFICIAL or ANONYMOUS for a source's name as written (see the module docstring)."""
    head_phrase = _QUALIFIER_RE.split(name, maxsplit=1)[0]
    last = head_phrase.split()[-1] if head_phrase.split() else ""
    if head_phrase != name and (last.islower() or last.lower() in _GROUP_NOUNS):
        name = head_phrase  # "sources close to the band", "a spokesperson for Northline Rail": the head decides
    words = _words(name)
    if not words:
        return ANONYMOUS
    lower = [w.lower().removesuffix("'s") for w in words]
    head = lower[-1]
    if is_pronoun(name):
        return PERSON
    if looks_like_outlet(name, outlet_names) or outlet_description(name):
        return OUTLET
    common = _COMMON_NOUNS
    # capitalised words other than titles, and other than a common noun capitalised by the sentence start
    capitalised = [w for k, w in enumerate(words) if w[0].isupper() and w.lower() not in TITLES
                   and not (k == 0 and w.lower() in common)]
    if capitalised and words[-1] in capitalised:
        # a proper name: an organisation by its words or an acronym ("FBI"), a person otherwise; a person's
        # title may hold an organisation's word ("Senate Majority Leader Mitch McConnell")
        titled = any(w in TITLES and w not in ("the", "a", "an", "former") for w in lower)
        if titled and lower[-1] not in ORGANISATION_WORDS:
            return PERSON
        if any(w in ORGANISATION_WORDS for w in lower) or any(_ACRONYM_RE.match(w) for w in capitalised):
            return OFFICIAL
        return PERSON
    if head in ANONYMOUS_NOUNS and not any(w in ORGANISATION_WORDS for w in lower[:-1]):
        return ANONYMOUS
    if head in ORGANISATION_NOUNS or head in DOCUMENT_NOUNS or any(w in ORGANISATION_WORDS for w in lower):
        return OFFICIAL
    if head in ANONYMOUS_NOUNS:
        return ANONYMOUS
    # a lower-case description of someone ("the singer", "the 34-year-old"): a person the article names
    return PERSON if is_description(name) else ANONYMOUS


def person_name(name: str) -> str:
    """A person's first and last name without titles, roles or initials: "Fire Chief Dana Ruiz",
    "Entertainment Reporter Dana Ruiz" and "Dana J. Ruiz" are all "Dana Ruiz"; "Ruiz" stays "Ruiz"."""
    words = _words(name)
    capitalised = [w for w in words if w[0].isupper() and w.lower().rstrip(".") not in TITLES and len(w) > 1
                   and w.lower() not in FUNCTION_WORDS]
    return " ".join(w.removesuffix("'s") for w in capitalised[-2:] or words[-1:])


def person_name_key(name: str) -> str:
    """person_name, lower-cased: the part of a person's key after "person:"."""
    return person_name(name).lower()


def source_key(name: str | None, attribution_type: str | None) -> str | None:
    """The key origins merge on, or None for a source that identifies no one (pronouns left unresolved,
    unnamed officials, anonymous people)."""
    from claims.mentions import normalise_source

    if not name or is_pronoun(name):
        return None
    if attribution_type == OUTLET:
        return "outlet:" + normalise_source(name)
    words = _words(name)
    if attribution_type in (PERSON, SOCIAL_MEDIA):
        if not any(w[0].isupper() and w.lower() not in TITLES and w.lower() not in FUNCTION_WORDS for w in words):
            return None  # "the singer", "The singer" left unresolved name no one
        return "person:" + person_name_key(name)
    if attribution_type == OFFICIAL and words and words[-1][0].isupper() and words[-1].lower() not in TITLES:
        return "official:" + normalise_source(name)  # a named organisation, not "State officials"
    return None


@dataclass(frozen=True)
class Sourced:
    """One sentence's source as found in it, and, after resolve_article, as the article resolves it."""

    speaker: str | None  # resolved: the fullest name the article gives this source
    speaker_as_written: str | None
    attribution_type: str | None
    via_outlet: str | None  # the publication the claim reached this article through
    outlet_reference: str | None = None  # "told the website": an outlet this sentence refers back to
    antecedent: str | None = None  # a pronoun's person in its own sentence ("Rendell, ..., but he said")
    start: int = 0  # the sentence's offset in the article


_SENTENCE_OPENERS = frozenset("but and yet so still now meanwhile however then also".split())


def sentence_subject(sentence: str, pronoun: str) -> str | None:
    """The person a sentence opens with, before its pronoun speaker: "Rendell" in "Rendell, who ran the
    party in 2000, agreed, but he said ..."; None when the sentence opens with anything else."""
    from claims.attribution import opening_modifier, token_spans, tokenize

    folded = fold(sentence)
    tokens = tokenize(folded)
    for k, t in enumerate(tokens):
        if t.lower.split("'")[0] == pronoun.lower():  # "he" and "He's"
            break
        if t.shape == "C" and not opening_modifier(tokens, k):  # "Unfortunately, ... he"
            b = k
            while b + 1 < len(tokens) and tokens[b + 1].shape == "C":
                b += 1
            spans = token_spans(folded)
            name = folded[spans[k][0]:spans[b][1]]
            return name if classify(name) == PERSON else None
        if not (t.shape == "c" and (t.lower in TITLES or k == 0 and t.lower in _SENTENCE_OPENERS)):
            return None  # the sentence opens otherwise ("In New York, he said"): no antecedent in it
    return None


def resolve_article(sourced: list[Sourced], text: str) -> list[Sourced]:
    """Each sentence's source with pronouns, descriptions and partial names resolved within the article.

    - "he" and "she" take the person their own sentence opens with, else the last person the article
      attributed a claim to by name, else the person the article names most often before them, passing over
      one whom the article titles as the other gender ("Mrs. Clinton" is no "he"); "they" stays as written;
    - a description ("the singer", "the GOP nominee") takes the name the article ties to its head word
      earlier on ("Jo Marsh, the band's singer", "singer Jo Marsh"), and stays as written otherwise;
    - "the railway" and "the company" take the organisation the article names, when it names one;
    - outlet descriptions ("the website") and "told the website" take the last outlet the article named;
    - a partial name ("Marsh", "Jo") takes the fullest name in the article that contains it ("Jo Marsh").
    """
    names = _ArticleNames(text)
    organisations = {source_key(s.speaker, OFFICIAL): s.speaker for s in sourced
                     if s.attribution_type == OFFICIAL and source_key(s.speaker, OFFICIAL)}
    organisation = next(iter(organisations.values())) if len(organisations) == 1 else None
    last_person = last_outlet = None
    out = []
    for s in sourced:
        speaker, kind, via = s.speaker, s.attribution_type, s.via_outlet
        if speaker and kind in (PERSON, SOCIAL_MEDIA):
            if is_pronoun(speaker):
                speaker = _antecedent(speaker, s, names, last_person) or speaker
            elif is_description(speaker):
                speaker = names.described(speaker, s.start) or speaker
            else:
                speaker = names.fullest(speaker)
                last_person = speaker
        elif speaker and kind == OFFICIAL and organisation and _stands_for(speaker, organisation):
            speaker = organisation  # "the railway", "the company": the one organisation the article names
        elif speaker and kind == OUTLET:
            if outlet_description(speaker):
                speaker = last_outlet or speaker
            else:
                last_outlet = speaker
            via = speaker if not outlet_description(speaker) else via
        if s.outlet_reference and not via:
            via = last_outlet
        if via and not outlet_description(via):
            last_outlet = via
        out.append(s if speaker == s.speaker and via == s.via_outlet else replace(s, speaker=speaker, via_outlet=via))
    return out


# Capitalised words within a line (not a byline and a lede), starting at a word's start: inside a long word a
# match would begin again at every capital, which is quadratic.
_NAME_RUN = r"(?<![\w'\-])[A-Z][\w'\-]*(?:[ \t]+(?:[A-Z]\.[ \t]+)?[A-Z][\w'\-]*){1,3}"


_GENERIC_BODIES = frozenset("company firm operator organisation organization group corporation".split())


def _antecedent(pronoun: str, s: Sourced, names: _ArticleNames, last_person: str | None) -> str | None:
    """The person "he" or "she" stands for: its sentence's opening person (a name the article uses again, so
    not "Ever" in "Ever since she ..."), else the last person named as a source, else the article's main person; the first whose title ("Mr.", "Ms.") does not give the other
    gender. "They" stands for a group, never for one person: it stays as written."""
    gender = _GENDERED.get(pronoun.lower())
    if gender is None:
        return None
    opening = s.antecedent if s.antecedent and names.recurs(s.antecedent) else None
    for candidate in ((names.fullest(opening),) if opening else (last_person, names.main_person(s.start))):
        if candidate and names.gender(candidate) in (None, gender):
            return candidate
    return None


def _stands_for(description: str, organisation: str) -> bool:
    """"the company" stands for any company, "the railway" for Northline Rail: a bare "the X" whose X is
    generic or shares its stem with a word of the name. "The drivers' union" names another body."""
    words = _lower_words(description)
    if len(words) != 2 or words[0] not in ("the", "this") or words[1] not in ORGANISATION_BODIES | _GENERIC_BODIES:
        return False
    return words[1] in _GENERIC_BODIES or any(w[:4] == words[1][:4] for w in _lower_words(organisation))


# A description's head word tied to a name: "Jo Marsh, the band's lead singer" and "singer Jo Marsh".
_TIE_BEFORE_HEAD = re.compile(rf"(?P<name>{_NAME_RUN}),\s+(?:(?:a|an|the|[\w'\-]+'s)\s+)?(?:[\w'\-]+\s+){{0,4}}?$")
_TIE_AFTER_HEAD = re.compile(rf"(?<!\s),?\s+(?P<name>{_NAME_RUN})")  # (?<!\s): linear on a run of spaces
_TIE_REACH = 240  # characters before the head word that a tie may take
_TITLED_SURNAME_RE = re.compile(r"(?<![\w.])(Mr|Mrs|Ms)\.?[ \t]+(?:[A-Z]\.[ \t]+|[A-Z][\w'\-]*[ \t]+){0,2}([A-Z][\w'\-]*)")


class _ArticleNames:
    """The capitalised name runs of an article, searched only when a partial name or a description needs them."""

    def __init__(self, text: str):
        self._text = fold(text)
        self._runs: dict[str, tuple[tuple[str, ...], ...]] | None = None
        self._people: list[tuple[int, tuple[str, ...]]] | None = None
        self._titled: dict[str, set[str]] | None = None
        self._ties: dict[str, list[tuple[int, str]]] = {}  # described(): each head word's ties, in text order

    def described(self, description: str, before: int) -> str | None:
        """The name the article ties to a description's head word before offset `before`: "Jo Marsh, the
        band's singer" or "singer Jo Marsh" for "the singer"; the latest such tie wins."""
        head = _words(description)[-1].lower()
        ties = self._ties.get(head)
        if ties is None:  # once per head word and article, from each place the word stands
            ties = self._ties[head] = []
            for word in re.finditer(rf"\b(?i:{re.escape(head)})\b", self._text):
                before_word = _TIE_BEFORE_HEAD.search(self._text, max(0, word.start() - _TIE_REACH), word.start())
                after_word = None if before_word else _TIE_AFTER_HEAD.match(self._text, word.end())
                if before_word:
                    ties.append((word.end(), before_word.group("name")))
                elif after_word:
                    ties.append((after_word.end(), after_word.group("name")))
        found = None
        for end, name in ties:
            if end > before:
                break
            found = name
        if not found:
            return None
        names = [w for w in found.split() if w.lower() not in TITLES and w.lower() not in FUNCTION_WORDS]
        return " ".join(names) if names and classify(" ".join(names)) == PERSON else None

    def fullest(self, name: str) -> str:
        words = [w for w in _words(name) if w.lower() not in TITLES]
        if len(words) != 1 and not (len(words) == 2 and name == " ".join(words)):
            return name
        if self._runs is None:
            self._runs = self._index_runs()
        found = {names for names in self._runs.get(words[0], ()) + self._runs.get(words[-1], ())
                 if len(names) > len(words) and _contains_in_order(list(names), words)}
        longest = max(map(len, found), default=0)
        fullest = {names for names in found if len(names) == longest}
        return " ".join(fullest.pop()) if len(fullest) == 1 else name  # two Marshes: leave it as written

    def recurs(self, name: str) -> bool:
        """Whether the article writes `name` more than once, or within a longer name: a name, not a capitalised
        sentence opener."""
        words = _words(name)
        if len(words) > 1:
            return True
        found = re.finditer(rf"(?<![\w'\-]){re.escape(name)}(?![\w'\-])", self._text)
        return next(found, None) is not None and next(found, None) is not None

    def gender(self, name: str) -> str | None:
        """"m" or "f" when the article titles the person's surname "Mr." or "Mrs."/"Ms." (and not both)."""
        if self._titled is None:
            self._titled = {}
            for m in _TITLED_SURNAME_RE.finditer(self._text):
                self._titled.setdefault(m.group(2), set()).add("m" if m.group(1) == "Mr" else "f")
        words = [w for w in _words(name) if w.lower() not in TITLES]
        found = self._titled.get(words[-1], set()) if words else set()
        return next(iter(found)) if len(found) == 1 else None

    def main_person(self, before: int) -> str | None:
        """The person the article names most often before offset `before` (by surname), in the fullest
        form it uses: whom an unattributed "she" most likely means."""
        counts: dict[str, int] = {}
        full: dict[str, tuple[str, ...]] = {}
        for start, names in self._positions():
            if start >= before:
                break
            counts[names[-1]] = counts.get(names[-1], 0) + 1
            if len(names) > len(full.get(names[-1], ())):
                full[names[-1]] = names
        if not counts:
            return None
        top = max(counts.values())
        leaders = [surname for surname, n in counts.items() if n == top]
        return " ".join(full[leaders[0]]) if len(leaders) == 1 else None

    def _positions(self) -> list[tuple[int, tuple[str, ...]]]:
        if self._people is None:
            self._people = []
            for m in re.finditer(_NAME_RUN, self._text):
                names = tuple(w.removesuffix("'s") for w in m.group().split()
                              if w.lower() not in TITLES and w.lower() not in FUNCTION_WORDS)
                if len(names) >= 2 and classify(" ".join(names)) == PERSON:
                    self._people.append((m.start(), names))
        return self._people

    def _index_runs(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        """The article's person-like name runs (no titles, no organisation or outlet words), by first and by
        last word."""
        index: dict[str, list[tuple[str, ...]]] = {}
        for run in re.findall(_NAME_RUN, self._text):
            names = tuple(w.removesuffix("'s") for w in run.split()
                          if w.lower() not in TITLES and w.lower() not in FUNCTION_WORDS)
            if len(names) >= 2 and not any(w.lower() in ORGANISATION_WORDS or w.lower() in OUTLET_NAME_WORDS
                                           for w in names):
                for key in {names[0], names[-1]}:
                    index.setdefault(key, []).append(names)
        return {key: tuple(runs) for key, runs in index.items()}


def _contains_in_order(run: list[str], words: list[str]) -> bool:
    """"Jo Marsh" contains "Marsh" and "Jo", as a first or last name, not as a middle one."""
    if len(words) == 1:
        return words[0] in (run[0], run[-1])
    return run[0] == words[0] and run[-1] == words[-1]
