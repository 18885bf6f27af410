"""Countries and organisations in Russian-language text, matched by lemma.

Russian inflects names ("России", "в Норвегии", "Вьетнама") and builds compound
adjectives ("российско-китайские"), so the English gazetteer's surface matching
does not carry over. Here each token is reduced to its dictionary form, and the
gazetteer (pycountry's Russian names plus the tables in countries_data and
organizations_data, lemmatised the same way) is matched on lemma sequences:

    1. tokens     natasha's segmenter (razdel)
    2. lemmas     pymorphy2's dictionary, a geographic reading first for a
                  capitalised word ("Того" the country, not the pronoun "того")
    3. matching   the longest lemma sequence at each token; names and capitals
                  must be capitalised; a capital after "в" is a place ("в Москве")
    4. compounds  each half of a hyphenated adjective ("российско-" is "российский")

natasha and the dictionaries take about a third of a second and tens of megabytes to
load, so they load on the first Russian text, never for English posts.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import pycountry

from communique.extract import countries_data as cd
from communique.extract import organizations_data as od

__all__ = ["country_mentions", "lemmas", "org_mentions"]

# (start, end, code, form), as gazetteer.py records a mention.
Found = tuple[int, int, str, str]


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str
    lemma: str  # lower case, "ё" written "е"


@dataclass(frozen=True, slots=True)
class _Key:
    code: str
    form: str  # "name", "adjective", "capital", "acronym"
    org: bool
    cased: bool = False  # must be written with a capital (names, capitals)


@dataclass(frozen=True, slots=True)
class _Tools:
    segmenter: Any
    morph: Any
    keys: dict[tuple[str, ...], _Key]
    longest: int  # the most lemmas in a key


@cache
def _tools() -> _Tools:
    # natasha before pymorphy2: importing it applies yargy's fix that lets pymorphy2
    # 0.9 run on Python 3.11 (pymorphy2 calls inspect.getargspec, removed in 3.11).
    # pymorphy2 ships no type information (pyproject's mypy overrides name natasha's).
    import pymorphy2_dicts_ru  # type: ignore[import-untyped]
    from natasha import Segmenter
    from pymorphy2 import MorphAnalyzer  # type: ignore[import-untyped]

    # The dictionary path is given rather than found: pymorphy2 looks dictionaries up
    # through pkg_resources, which recent setuptools no longer provides.
    morph = MorphAnalyzer(path=pymorphy2_dicts_ru.get_path())
    segmenter = Segmenter()
    keys: dict[tuple[str, ...], _Key] = {}
    for name, key in _entries():
        lemmas = tuple(_lemma(morph, word) for word in name.split())
        keys.setdefault(lemmas, key)
    return _Tools(segmenter, morph, keys, max(map(len, keys)))


def _entries() -> Iterator[tuple[str, _Key]]:
    names = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    for country in pycountry.countries:
        if country.alpha_2 in cd.EXCLUDED_CODES:
            continue
        for attr in ("name", "official_name", "common_name"):
            name = getattr(country, attr, None)
            translated = names.gettext(name) if name else ""
            if translated and translated != name and "," not in translated:
                # "Респу́блика": pycountry marks some stresses; texts do not.
                name = translated.partition("(")[0].replace("\u0301", "")
                yield name, _Key(country.alpha_2, "name", False, cased=True)
    for code, forms in cd.RU_NAMES.items():
        yield from ((form, _Key(code, "name", False, cased=True)) for form in forms)
    for code, forms in cd.RU_ADJECTIVES.items():
        yield from ((form, _Key(code, "adjective", False)) for form in forms)
    for form, code in cd.RU_CAPITALS.items():
        yield form, _Key(code, "capital", False, cased=True)
    for form, code in cd.RU_GOVERNMENT_PHRASES.items():
        yield form, _Key(code, "capital", False)
    for code, forms in od.RU_NAMES.items():
        yield from ((form, _Key(code, "acronym", True)) for form in forms)


def _lemma(morph: Any, word: str) -> str:
    parses = morph.parse(word)
    if word[:1].isupper():
        # A capitalised word may be a country whose name is also a common word.
        parses = [p for p in parses if "Geox" in p.tag] or parses
    return str(parses[0].normal_form).replace("ё", "е") if parses else word.lower()


def lemmas(text: str) -> list[Token]:
    """The tokens of ``text`` with their lemmas (loads natasha on first use)."""
    tools = _tools()
    return [
        Token(t.start, t.stop, t.text, _lemma(tools.morph, t.text))
        for t in tools.segmenter.tokenize(text)
    ]


@lru_cache(maxsize=8)
def _matches(text: str) -> tuple[tuple[int, int, _Key], ...]:
    """The longest key at each token, left to right (both stages ask: memoised)."""
    tools = _tools()
    tokens = lemmas(text)
    found: list[tuple[int, int, _Key]] = []
    i = 0
    while i < len(tokens):
        for n in range(min(tools.longest, len(tokens) - i), 0, -1):
            key = tools.keys.get(tuple(t.lemma for t in tokens[i : i + n]))
            if key and _fits(tokens, i, key):
                found.append((tokens[i].start, tokens[i + n - 1].end, key))
                i += n
                break
        else:
            found.extend(_compound(tokens[i], tools.keys))
            i += 1
    return tuple(found)


def _fits(tokens: list[Token], i: int, key: _Key) -> bool:
    """Names are written with a capital; a capital after "в" is a place, not a state."""
    if key.cased and not tokens[i].text[:1].isupper():
        return False
    return not (key.form == "capital" and i and tokens[i - 1].lemma in cd.RU_PLACE_WORDS_BEFORE)


def _compound(token: Token, keys: dict[tuple[str, ...], _Key]) -> list[tuple[int, int, _Key]]:
    """Countries in the halves of a hyphenated adjective: "российско-китайский"."""
    if "-" not in token.lemma:
        return []
    found = []
    for part in token.lemma.split("-"):
        code = cd.RU_COMPOUND_PREFIXES.get(part)
        if code is None and part.endswith("о"):
            key = keys.get((part[:-1] + "ий",)) or keys.get((part[:-1] + "ый",))
        else:
            key = keys.get((part,))
        if code:
            found.append((token.start, token.end, _Key(code, "adjective", False)))
        elif key and key.form == "adjective":
            found.append((token.start, token.end, key))
    return found


def country_mentions(text: str) -> list[Found]:
    """Country mentions in Russian ``text``, as (start, end, code, form)."""
    return [(s, e, k.code, k.form) for s, e, k in _matches(text) if not k.org]


def org_mentions(text: str) -> list[Found]:
    """Organisation mentions in Russian ``text``, as (start, end, acronym, form)."""
    return [(s, e, k.code, k.form) for s, e, k in _matches(text) if k.org]
