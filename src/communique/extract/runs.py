"""The people stage's vocabularies, and what a run of capitalised words holds.

A run ("Russia's Foreign Minister Sergey Lavrov") is read word by word, whatever the
post: each word's offsets, whether it may stand in a name as far as the
vocabularies tell (roles_data, places_data), the titles it holds (title words ending
in a head noun), and its stretches of name words. ``people`` (step 1) asks for each
run it meets; the answers are cached, as runs recur from post to post.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import NamedTuple

from communique.extract.places_data import CITIES
from communique.extract.roles_data import (
    BARE_GIVEN_NAMES,
    GIVEN_NAMES,
    HONORIFICS,
    INITIAL_RE,
    KNOWN_PEOPLE,
    NAME_PARTICLES,
    NOT_NAME_WORDS,
    RANK_HEADS,
    ROLE_HEADS,
    ROMAN_RE,
)

PARTICLES = frozenset(NAME_PARTICLES)
# The characters that continue a word ("anti-Hitler", "iPhone", "30°C").
INSIDE_WORD = frozenset("-‐‑'’°")


def _title_words() -> tuple[frozenset[str], frozenset[str]]:
    """Every capitalised word of a title, and the head nouns a title ends in (with
    plurals): the last word, or the last before a lower-case complement ("Secretary"
    of "Secretary of State")."""
    words: set[str] = set()
    nouns: set[str] = set()
    for phrase in ROLE_HEADS + RANK_HEADS:
        parts = phrase.split(" ")
        words.update(w.casefold() for w in parts if w[0].isupper())
        first_run = parts[: next((k for k, w in enumerate(parts) if not w[0].isupper()), None)]
        nouns.add(first_run[-1].casefold())
        if len(parts) > 2 and parts[-2] == "and":  # "Ambassador Extraordinary and Plenipotentiary"
            nouns.add(parts[-1].casefold())
    nouns |= {n + "s" for n in nouns if not n.endswith((".", "s"))}
    return frozenset(words | nouns), frozenset(nouns)


TITLE_WORDS, HEAD_NOUNS = _title_words()
RANKS = frozenset(r.casefold() for r in RANK_HEADS)
STOP = NOT_NAME_WORDS | HONORIFICS | TITLE_WORDS
KNOWN = {surname.casefold(): (full, code) for surname, full, code in KNOWN_PEOPLE}
GIVEN = frozenset(n.casefold() for n in GIVEN_NAMES)
BARE = frozenset(n.casefold() for n in BARE_GIVEN_NAMES)
# The one-word runs worth a look, as written: titles, known surnames, lone given
# names, with a possessive or a hashtag.
SINGLES = frozenset(
    form
    for word in {w for h in ROLE_HEADS + RANK_HEADS for w in h.split(" ")}
    | {n for n, _, _ in KNOWN_PEOPLE}
    | BARE_GIVEN_NAMES
    for base in (word, word + "s")
    for form in (base, base + "'s", base + "’s", "#" + base)
)
EVIDENCE = TITLE_WORDS | GIVEN | frozenset(KNOWN)
DASHES = frozenset({"– ", "— "})
POSSESSIVE = frozenset({"'s", "’s"})
OF_ENDINGS = (" of ", " of the ")
# The last words of city names, to test for a city only where one may end.
CITY_ENDS = frozenset(city.rsplit(" ", 1)[-1] for city in CITIES)


class Run(NamedTuple):
    """What a run's words are, whatever the post. Immutable: it is cached."""

    words: tuple[str, ...]  # possessive and '#' off
    begins: tuple[int, ...]  # where each word starts and ends in the run
    ends: tuple[int, ...]
    # Whether each word may stand in a name as far as the vocabularies tell (countries
    # are the post's to tell).
    named: tuple[bool, ...]
    titles: tuple[tuple[int, int, str], ...]  # start, end, head noun
    stretches: tuple[tuple[int, int], ...]  # index ranges of name words


@functools.lru_cache(maxsize=8192)
def analyse(raw: str) -> Run:
    """What a run's words are, whatever the post: each word with its offsets in the run
    and whether it may stand in a name as far as the vocabularies tell, its titles
    (title words ending in a head noun), and its stretches of name words. Cached: runs
    recur from post to post ("Russia's Foreign Minister Sergey Lavrov")."""
    words: list[str] = []
    begins: list[int] = []
    ends: list[int] = []
    named: list[bool] = []
    titles: list[tuple[int, int, str]] = []
    title_start = -1
    for part, pos in split_run(raw, 0):
        word = part.lstrip("#") if part[0] == "#" else part
        begin = end = pos + len(part)
        begin -= len(word)
        if word[-2:] in POSSESSIVE:
            word, end = word[:-2], end - 2
        key = word.casefold()
        words.append(word)
        begins.append(begin)
        ends.append(end)
        if key in TITLE_WORDS:
            title_start = begin if title_start < 0 else title_start
            if key in HEAD_NOUNS:
                titles.append((title_start, end, key))
            named.append(False)
            continue
        title_start = -1
        named.append(may_name(word, key))
    cities = city_tail(words)
    if cities:
        named[-cities:] = [False] * cities
    return Run(
        tuple(words),
        tuple(begins),
        tuple(ends),
        tuple(named),
        tuple(titles),
        name_stretches(words, named),
    )


@functools.lru_cache(maxsize=8192)
def has_evidence(raw: str) -> bool:
    """Whether a run has a title word, a given name, a known surname or an initial."""
    return "." in raw or not EVIDENCE.isdisjoint(raw.casefold().replace("#", "").split(" "))


def may_name(word: str, key: str) -> bool:
    if word in PARTICLES:
        return True
    # Acronyms (UN, MFA, SCO) are organisations, never names, and a letter alone is a
    # name only as an initial ("T."); Roman numerals follow names ("Leo XIV").
    if key in STOP or (word.isupper() and not INITIAL_RE.fullmatch(word)):
        return ROMAN_RE.fullmatch(word) is not None
    return True


def split_run(raw: str, start: int) -> list[tuple[str, int]]:
    """A run's words and where each starts; "K.Eide" is an initial and a surname."""
    out = []
    pos = start
    for piece in raw.split(" "):
        if len(piece) > 2 and piece[1] == "." and piece[2] != ".":
            out += [(piece[:2], pos), (piece[2:], pos + 2)]
        else:
            out.append((piece, pos))
        pos += len(piece) + 1
    return out


def city_tail(words: list[str]) -> int:
    """How many tokens at the end of a run spell a city ("Consul General in New
    York"). A city inside a run is left alone: there it is a complement's object the
    connective rule takes off ("in Toronto Vladlen Epifanov"), or a first name
    ("Rosario Murillo")."""
    if words[-1] not in CITY_ENDS:
        return 0
    for n in (3, 2, 1):
        if len(words) >= n and " ".join(words[-n:]) in CITIES:
            return n
    return 0


def name_stretches(words: Sequence[str], named: Sequence[bool]) -> tuple[tuple[int, int], ...]:
    """Index ranges of the stretches of name words among a run's words."""
    out = []
    lo = -1
    for i, word in enumerate(words):
        if named[i] and lo < 0 and word not in PARTICLES and not ROMAN_RE.fullmatch(word):
            lo = i
        elif not named[i] and lo >= 0:
            out.append(trim(words, lo, i))
            lo = -1
    if lo >= 0:
        out.append(trim(words, lo, len(words)))
    return tuple(s for s in out if s[1] > s[0])


def trim(words: Sequence[str], lo: int, hi: int) -> tuple[int, int]:
    while hi > lo and words[hi - 1] in PARTICLES:
        hi -= 1
    return lo, hi
