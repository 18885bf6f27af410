"""Stage 2: the countries and international organisations a post mentions.

One pass of an Aho-Corasick automaton over the lower-cased text finds every
candidate (names, adjectives, demonyms, capitals, abbreviations and acronyms of
countries and organisations). Each candidate then passes, in order:

    1. word boundaries     a whole word, or a CamelCase part of a hashtag (#RussiaTogo)
    2. case                the capitals of the form as written ("Turkey", not "turkey";
                           "US" exactly, not "us")
    3. context             a capital only where it stands for the government, an
                           ambiguous name ("Jordan", "Georgia") only as the country
    4. overlaps            the longest match wins ("South Sudan" over "Sudan"), and
                           blockers ("the Korean Peninsula") win and count for nothing
    5. shared forms        "Congo", "Korean" go to the country the post names otherwise

Flags are decoded from pairs of regional indicators. The vocabularies are data:
countries_data.py and organizations_data.py, with pycountry for ISO names. Posts in
Russian are also matched by lemma (russian.py, loaded only when one is seen).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import ahocorasick_rs
import pycountry

from communique.extract import countries_data as cd
from communique.extract import organizations_data as od
from communique.extract.context import Context
from communique.extract.language import detect_text

__all__ = [
    "Mention",
    "countries",
    "country_mentions",
    "lowered",
    "org_mentions",
    "organizations",
]


@dataclass(frozen=True, slots=True)
class Mention:
    """A country or an organisation named in a text, at ``text[start:end]``."""

    start: int
    end: int
    code: str  # ISO 3166-1 alpha-2, or an organisation's acronym
    surface: str  # the matched text
    form: str  # "name", "adjective", "demonym", "capital", "flag"; or "acronym"


# -- the gazetteer ----------------------------------------------------------------------

# Which context check (step 3) an entry needs: none; an abbreviation that is also
# a word ("US"); an adjective with another sense (the language "French", the
# "1st Ukrainian Front"); a capital; one of the metonymic capitals ("Washington");
# a name with another sense ("Jordan").
_PLAIN, _WORDLIKE, _ADJECTIVE, _CAPITAL, _METONYM, _AMBIGUOUS = range(6)


@dataclass(frozen=True, slots=True)
class _Entry:
    codes: tuple[str, ...]  # one code; several for a shared form; () for a blocker
    form: str
    org: bool
    caps: tuple[int, ...]  # offsets that must be upper case in the text
    rule: int = _PLAIN
    exact: str | None = None  # the only way to write it ("US"), if case matters


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    # Two automata over the same lower-cased keys, whose matches are indexes into
    # ``entries``: the leftmost-longest keys of a text, and every key of a span.
    longest: ahocorasick_rs.AhoCorasick
    every: ahocorasick_rs.AhoCorasick
    entries: tuple[tuple[_Entry, ...], ...]
    countries: frozenset[str]  # the codes a flag may stand for


# British/American spellings and typographic variants, derived rather than listed.
_SPELLINGS = (
    ("Organization", "Organisation"),
    ("Programme", "Program"),
    ("Co-operation", "Cooperation"),
    ("Cooperation", "Co-operation"),
    ("'", "’"),
    ("’", "'"),
)


def _variants(name: str) -> set[str]:
    out = {name}
    for old, new in _SPELLINGS:
        out |= {v.replace(old, new) for v in out if old in v}
    words = name.split()
    # Hashtags write multiword names in CamelCase: #RussiaSouthSudan, #KievRegimeCrimes.
    if len(words) > 1 and name[0].isupper():
        out.add("".join(w[:1].upper() + w[1:] for w in words))
    return out


def _caps(name: str) -> tuple[int, ...]:
    """Offsets of the letters that must be capitals: each capitalised word's first."""
    return tuple(
        i for i, c in enumerate(name) if c.isupper() and (i == 0 or not name[i - 1].isalpha())
    )


_BRACKETS = re.compile(r"\s*\(([^)]*)\)")


def _iso_names() -> Iterator[tuple[str, str]]:
    for country in pycountry.countries:
        code = country.alpha_2
        if code in cd.EXCLUDED_CODES:
            continue
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            if not name or "," in name:
                continue  # "Korea, Republic of": the forms in NAMES cover these
            name = name.removeprefix("the ")
            # "Falkland Islands (Malvinas)": both are names; "Saint Martin (French
            # part)", "Cocos (Keeling) Islands": only the name without the brackets.
            inner = _BRACKETS.search(name)
            if inner:
                name = " ".join(_BRACKETS.sub(" ", name).split())
                words = inner.group(1).split()
                if inner.end() == len(inner.string) and all(w[0].isupper() for w in words):
                    yield code, inner.group(1)
            yield code, name


_NO_PLURAL = ("ese", "sh", "ch", "s", "z", "x", "ic")


def _country_entries() -> Iterator[tuple[str, _Entry]]:
    def entry(code: str, form: str, name: str, rule: int = _PLAIN) -> tuple[str, _Entry]:
        if name in cd.AMBIGUOUS_NAMES:
            rule = _AMBIGUOUS
        elif form == "adjective" and name in cd.LANGUAGE_ADJECTIVES | cd.FRONT_ADJECTIVES:
            rule = _ADJECTIVE
        return name, _Entry((code,), form, False, _caps(name), rule)

    for name, code in cd.GOVERNMENT_PHRASES.items():
        yield entry(code, "capital", name)
    for code, name in _iso_names():
        yield entry(code, "name", name)
    for code, names in cd.NAMES.items():
        for name in names:
            yield entry(code, "name", name)
    for code, names in cd.ADJECTIVES.items():
        for name in names:
            yield entry(code, "adjective", name)
            # Russian -> Russians, Israeli -> Israelis, Cypriot -> Cypriots; not
            # Chinese, French, Swiss (irregular plurals are listed in DEMONYMS).
            if not name.endswith(_NO_PLURAL):
                yield entry(code, "demonym", name + "s")
    for code, names in cd.DEMONYMS.items():
        for name in names:
            yield entry(code, "demonym", name)
    for name, code in cd.CAPITALS.items():
        rule = _METONYM if name in cd.METONYMIC_CAPITALS else _CAPITAL
        yield entry(code, "capital", name, rule)
    for name, (form, codes) in cd.SHARED_FORMS.items():
        yield name, _Entry(codes, form, False, _caps(name))
    for name in cd.BLOCKERS:
        yield name, _Entry((), "", False, _caps(name))


def _org_entries() -> Iterator[tuple[str, _Entry]]:
    for code, names in od.NAMES.items():
        for name in names:
            yield name, _Entry((code,), "name", True, _caps(name))
    for name, code in od.CAPITALS.items():
        rule = _METONYM if name in cd.METONYMIC_CAPITALS else _CAPITAL
        yield name, _Entry((code,), "capital", True, _caps(name), rule)
    for name in od.BLOCKERS:
        yield name, _Entry((), "", True, _caps(name))


def _exact_entries() -> Iterator[tuple[str, _Entry]]:
    for code, names in cd.ABBREVIATIONS.items():
        for name in names:
            rule = _WORDLIKE if name in cd.WORDLIKE else _PLAIN
            yield name, _Entry((code,), "name", False, (), rule, name)
    for code, names in od.ACRONYMS.items():
        for name in names:
            rule = _WORDLIKE if name in od.WORDLIKE else _PLAIN
            yield name, _Entry((code,), "acronym", True, (), rule, name)


def _table(entries: Iterable[tuple[str, _Entry]]) -> dict[str, list[_Entry]]:
    """The entries under each lower-cased key."""
    table: dict[str, list[_Entry]] = {}
    for name, entry in entries:
        variants = {name} if entry.exact else _variants(name)
        for variant in variants:
            found = table.setdefault(variant.lower(), [])
            # The first entry for a key wins within its kind (a name over an adjective);
            # an exact-case form ("WHO") lives beside a word form of the same letters.
            if not any(e.org == entry.org and e.exact == entry.exact for e in found):
                caps = _caps(variant) if entry.caps else ()
                found.append(
                    _Entry(entry.codes, entry.form, entry.org, caps, entry.rule, entry.exact)
                )
    return table


def _country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) - cd.EXCLUDED_CODES


@cache
def _gazetteer() -> _Gazetteer:
    """Built once, on first use (pycountry's data takes a few tens of ms to load)."""
    table = _table([*_country_entries(), *_org_entries(), *_exact_entries()])
    keys = list(table)
    # DFAs: twice as fast as the crate's default NFA on posts, for ~2 MB each.
    dfa = ahocorasick_rs.Implementation.DFA
    return _Gazetteer(
        longest=ahocorasick_rs.AhoCorasick(
            keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest, implementation=dfa
        ),
        every=ahocorasick_rs.AhoCorasick(keys, implementation=dfa),
        entries=tuple(tuple(table[key]) for key in keys),
        countries=_country_codes(),
    )


# -- matching ---------------------------------------------------------------------------

_MONTHS = "|".join(cd.MONTHS)
# After a capital: a dateline ("Cairo, December 19", "(Moscow, 20 December 2025)")
# or the end of a parenthesis ("5.00 pm CST (Beijing)").
_DATELINE = re.compile(rf"\s*(?:,\s*(?:\d|{_MONTHS})|\))")
_NEXT_WORD = re.compile(r"[ \u00a0]+([^\W\d_][\w'’-]*)")
# A list of capitalised names ending right before a match ("in Moscow, Geneva and "),
# and one going on right after it (", French and Spanish").
_NAME = r"[A-Z][\w'’.-]*(?:[ \u00a0]+[A-Z][\w'’.-]*)*"
_SEPARATOR = r"(?:,[ \u00a0]*|,?[ \u00a0]+(?:and|or)[ \u00a0]+)"
_LIST_BEFORE = re.compile(rf"(?:{_NAME}{_SEPARATOR})+$")
_LIST_AFTER = re.compile(rf"(?:{_SEPARATOR}{_NAME})+")
_SEPARATORS = re.compile(rf"^{_SEPARATOR}|{_SEPARATOR}$|{_SEPARATOR}")
_CAPITALISED = re.compile(r"[A-Z][\w'’-]*")
_LANGUAGE_AFTER = re.compile(r"[ \u00a0-]+([^\W\d_]+)")
# Spaces that are not " " but separate words all the same: matched as " ".
_SPACES = ("\u00a0", "\u202f", "\u2009", "\u2007")


def _plain_spaces(text: str) -> str:
    # str.replace per kind of space: far faster than str.translate with a mapping.
    for space in _SPACES:
        if space in text:
            text = text.replace(space, " ")
    return text


@lru_cache(maxsize=16)
def lowered(text: str) -> str:
    """``text.lower()``, memoised: the events stage matches its cues on it too."""
    return text.lower()


def _fold(text: str) -> str:
    folded = lowered(text)
    if len(folded) != len(text):
        # A few characters lower-case to two ("İ"); keep offsets aligned with the text.
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return _plain_spaces(folded)


def _camel(text: str, start: int) -> bool:
    """Whether a word starts inside a CamelCase hashtag: the "Togo" of #RussiaTogo."""
    return text[start - 1].islower() and text[start].isupper()


def _bounded(text: str, start: int, end: int) -> bool:
    """Step 1: a whole word, or a CamelCase part of a hashtag (#RussiaTogo, #UNHabitat)."""
    if start and text[start - 1].isalnum() and not _camel(text, start):
        return False
    return end == len(text) or not text[end].isalnum() or _joined_end(text, end)


def _joined_end(text: str, end: int) -> bool:
    """Whether a match followed by a letter or digit ends a part of a hashtag all the same."""
    after = text[end]
    last = text[end - 1]
    if after.isupper():
        # "RussiaTogo"; an acronym then a word ("UNHabitat"), not "UNSC".
        return last.islower() or (
            last.isupper() and end + 1 < len(text) and text[end + 1].islower()
        )
    return after.isdigit() and last.isalpha()  # #UN80


def _shouting(text: str, start: int, end: int) -> bool:
    """Whether the words around an abbreviation are all capitals too ("LET US KNOW")."""
    before = text[max(0, start - 3) : max(0, start - 1)]  # the two letters before " US"
    after = text[end + 1 : end + 3]
    return any(len(w) == 2 and w.isalpha() and w.isupper() for w in (before, after))


def _previous_word(text: str, start: int) -> str:
    words = text[max(0, start - 30) : start].rsplit(None, 2)  # the last two words
    if words and words[-1].lower() == "the":
        words.pop()
    return words[-1].strip("(\"'“«").lower() if words else ""


def _list_start(text: str, start: int) -> int:
    """Where the list of names that a match ends begins (``start`` if none)."""
    if not text.endswith(_LIST_JOINS, max(0, start - 6), start):
        return start  # the common case, without the regex's backtracking
    found = _LIST_BEFORE.search(text, max(0, start - 80), start)
    return found.start() if found else start


def _list_end(text: str, end: int) -> int:
    """Where the list of names that a match begins ends (``end`` if none)."""
    if not text.startswith(_LIST_JOINS_AFTER, end):
        return end
    found = _LIST_AFTER.match(text, end)
    return found.end() if found else end


_LIST_JOINS = (",", ", ", " and ", " or ", "\u00a0and ", " and\u00a0")
_LIST_JOINS_AFTER = (",", " and ", " or ", " and\u00a0")


def _is_place(text: str, start: int, end: int, metonym: bool) -> bool:
    """Whether a capital is the place of an event or part of a name, not a government."""
    if _DATELINE.match(text, end):
        return True
    after = _NEXT_WORD.match(text, end)
    if after and (after.group(1)[0].isupper() or after.group(1).lower() in cd.NAME_WORDS_AFTER):
        return True  # "Moscow Region", "the Vienna Convention", "the Minsk agreements"
    places = cd.METONYM_PLACE_WORDS_BEFORE if metonym else cd.PLACE_WORDS_BEFORE
    # In a list of capitals, only the words that govern every item count: "in Moscow,
    # Geneva and Bangkok" are places, "relations between Moscow and Lilongwe", "the
    # positions of Moscow and Lomé" are governments ("Kirill of Moscow and All Rus’"
    # is no list of capitals).
    first = _list_start(text, start)
    last = _list_end(text, end)
    # (No list, the common case: empty spans name no capital.)
    if (first < start or last > end) and _has_other_capital(text[first:start], text[end:last]):
        places = places & _LIST_PLACE_WORDS
    else:
        first = start
    return _previous_word(text, first) in places


def _has_other_capital(*spans: str) -> bool:
    return any(
        item in cd.CAPITALS or item in od.CAPITALS
        for span in spans
        for item in _SEPARATORS.split(span)
    )


_LIST_PLACE_WORDS = frozenset({"in", "at", "📍", "near", "outside", "around", "across"})


def _is_language(text: str, start: int, end: int, first: int) -> bool:
    """Whether an adjective names a language ("English, French and Spanish translation");
    ``first`` is where the list of names it ends begins (_list_start)."""
    last = _list_end(text, end)
    if (first < start or last > end) and not cd.LANGUAGES.isdisjoint(
        _CAPITALISED.findall(text, first, last)
    ):
        return True
    after = _LANGUAGE_AFTER.match(text, last)
    if after:  # "French translation", "French-speaking"; not "Chinese partners"
        return after.group(1).lower() in cd.LANGUAGE_NOUNS
    # The phrase ends with it: "translated into French."
    return _previous_word(text, first) in cd.LANGUAGE_WORDS_BEFORE


def _other_adjective(text: str, start: int, end: int) -> bool:
    """Whether an adjective is a language's or a Red Army front's, not a country's."""
    word = text[start:end]
    first = _list_start(text, start)  # "the 2nd and 3rd Byelorussian fronts"
    if word in cd.FRONT_ADJECTIVES and (
        _previous_word(text, start) in cd.ORDINALS
        or (first < start and _previous_word(text, first) in cd.ORDINALS)
    ):
        return True
    return word in cd.LANGUAGE_ADJECTIVES and _is_language(text, start, end, first)


def _other_sense(text: str, start: int, end: int) -> bool:
    """Whether an ambiguous name is a person's or a US state's ("Jordan Bardella")."""
    after = _NEXT_WORD.match(text, end)
    if after and after.group(1)[0].isupper():
        return True
    return any(cue in text for cue in cd.AMBIGUOUS_NAMES.get(text[start:end], ()))


def _context_ok(text: str, start: int, end: int, rule: int) -> bool:
    """Step 3: the sense of the words around the candidate."""
    if rule == _WORDLIKE:
        return not _shouting(text, start, end)
    if rule == _ADJECTIVE:
        return not _other_adjective(text, start, end)
    if rule == _AMBIGUOUS:
        return not _other_sense(text, start, end)
    return not _is_place(text, start, end, rule == _METONYM)


# Regional indicators (U+1F1E6-U+1F1FF) all start with these three bytes in UTF-8,
# which bytes.find locates far faster than a regex finds the characters.
_INDICATOR = b"\xf0\x9f\x87"


def _flags(text: str, countries: frozenset[str]) -> tuple[list[Found], list[Found]]:
    """Flags as pairs of regional indicators: "🇷🇺🇸🇨" is 🇷🇺 and 🇸🇨, not the 🇺🇸 between."""
    found: tuple[list[Found], list[Found]] = ([], [])
    data = text.encode("utf-8", "surrogatepass")
    at = data.find(_INDICATOR)
    byte, char = 0, 0  # a byte offset and the text offset it corresponds to
    while at >= 0:
        char += len(data[byte:at].decode("utf-8", "surrogatepass"))
        run = at
        while data.startswith(_INDICATOR, run):
            run += 4
        letters = [chr(data[i + 3] - 0xA6 + 65) for i in range(at, run, 4)]
        for i in range(0, len(letters) - 1, 2):
            code = letters[i] + letters[i + 1]
            if code in countries:
                found[0].append((char + i, char + i + 2, code, "flag"))
            elif code in od.FLAGS:
                found[1].append((char + i, char + i + 2, od.FLAGS[code], "flag"))
        byte, char = run, char + len(letters)
        at = data.find(_INDICATOR, run)
    return found


# (start, end, entry): a candidate; (start, end, code, form): a mention found.
Candidate = tuple[int, int, _Entry]
Found = tuple[int, int, str, str]


def _candidates(text: str) -> tuple[list[Candidate], list[Candidate]]:
    """Steps 1-3: valid candidates, (countries, organisations), overlaps unresolved.

    The automaton yields the leftmost-longest keys only ("Russian", not also the
    "Russia" in it; "Mexico City", not the "Mexico" of a place). A multiword key that
    is not a whole phrase ("Ukrainian Front" in "Ukrainian Frontier") gives way to
    the keys inside it (ending before its last letter).
    """
    gazetteer = _gazetteer()
    entries = gazetteer.entries
    found: tuple[list[Candidate], list[Candidate]] = ([], [])
    folded = _fold(text)
    size = len(text)
    for index, start, end in gazetteer.longest.find_matches_as_indexes(folded):
        # Most keys found inside a longer word ("us" in "because") fail here, cheaply;
        # this is _bounded, its common cases written out as it runs for every key.
        if start and text[start - 1].isalnum() and not _camel(text, start):
            continue
        if (end == size or not text[end].isalnum() or _joined_end(text, end)) and _add(
            text, start, end, entries[index], found
        ):
            continue
        span = folded[start : end - 1]
        if " " in span:
            for inner, inner_start, inner_end in gazetteer.every.find_matches_as_indexes(
                span, overlapping=True
            ):
                if _bounded(text, start + inner_start, start + inner_end):
                    _add(text, start + inner_start, start + inner_end, entries[inner], found)
    return found


def _add(
    text: str,
    start: int,
    end: int,
    entries: tuple[_Entry, ...],
    found: tuple[list[Candidate], list[Candidate]],
) -> bool:
    """Add the entries valid at ``text[start:end]``; whether any was written right."""
    written = False
    for entry in entries:
        if entry.exact is None:
            if not _capitalised(text, start, entry.caps):
                continue
        elif text[start:end] != entry.exact:
            continue
        written = True
        if entry.rule == _PLAIN or _context_ok(text, start, end, entry.rule):
            found[entry.org].append((start, end, entry))
    return written


def _capitalised(text: str, start: int, caps: tuple[int, ...]) -> bool:
    """Step 2: whether the letters that must be capitals are ("Turkey", not "turkey")."""
    for offset in caps:  # a loop, not all(): this runs for every candidate
        if not text[start + offset].isupper():
            return False
    return True


def _resolve(candidates: list[Candidate]) -> list[Found]:
    """Steps 4-5: the longest leftmost candidates that do not overlap, blockers
    dropped after them, shared forms given to the country named otherwise.

    The automaton gives candidates in text order, longest first where two start
    together (an exact-case and a word form of one key), so one pass suffices.
    """
    kept: list[Candidate] = []
    reach = 0
    for cand in candidates:
        if cand[0] >= reach:
            kept.append(cand)
            reach = cand[1]
    out = [(start, end, e.codes[0], e.form) for start, end, e in kept if len(e.codes) == 1]
    if len(out) < len(kept):  # shared forms and blockers
        named = {found[2] for found in out}
        for start, end, entry in kept:
            if len(entry.codes) > 1:
                code = next((c for c in entry.codes if c in named), entry.codes[0])
                if code:
                    out.append((start, end, code, entry.form))
        out.sort()
    return out


@lru_cache(maxsize=16)
def _mentions(text: str, language: str | None) -> tuple[tuple[Found, ...], tuple[Found, ...]]:
    """Country and organisation mentions, memoised: both stages and later ones ask."""
    if not text:
        return (), ()
    country_cands, org_cands = _candidates(text)
    found = (_resolve(country_cands), _resolve(org_cands))
    flags = _flags(text, _gazetteer().countries)
    if flags[0] or flags[1]:
        found[0].extend(flags[0])
        found[1].extend(flags[1])
        found[0].sort()
        found[1].sort()
    if language == "ru":
        from communique.extract import russian  # natasha loads only for Russian posts

        found[0].extend(russian.country_mentions(text))
        found[1].extend(russian.org_mentions(text))
        found[0].sort()
        found[1].sort()
    return tuple(found[0]), tuple(found[1])


@lru_cache(maxsize=16)
def _mention_records(text: str, language: str | None, org: bool) -> tuple[Mention, ...]:
    """The mentions as records, memoised too: people and events ask for them again."""
    return tuple(
        Mention(start, end, code, text[start:end], form)
        for start, end, code, form in _mentions(text, language)[org]
    )


# -- the stage --------------------------------------------------------------------------


def country_mentions(text: str, language: str | None = None) -> list[Mention]:
    """Every country mention in ``text``, in text order.

    ``language`` (ISO 639-1) is detected when not given; Russian text is also matched
    by lemma, so inflected names ("Вьетнама") count.
    """
    return list(_mention_records(text, language or _language(text), False))


def org_mentions(text: str, language: str | None = None) -> list[Mention]:
    """Every international organisation mention in ``text``, in text order."""
    return list(_mention_records(text, language or _language(text), True))


def countries(ctx: Context) -> list[str]:
    """ISO alpha-2 codes, sorted, of the countries the post mentions."""
    return sorted({found[2] for found in _mentions(ctx.text, ctx.language)[0]})


def organizations(ctx: Context) -> list[str]:
    """Usual acronyms, sorted, of the international organisations the post mentions."""
    text = ctx.text
    found = _mentions(text, ctx.language)[1]
    codes = {code for _, _, code, _ in found}
    # "United Nations Development Programme" names the UN too.
    if any(c not in od.UN_ORGANS and text.startswith(od.UN_PREFIXES, s) for s, _, c, _ in found):
        codes.add("UN")
    return sorted(codes)


def _language(text: str) -> str | None:
    return detect_text(text)
