"""Steps 3 and 4 of the people stage: a titled name's role and country.

    3. role      the title with its complements, country complements taken off and
                 rewritten to the shortest clear form (roles_data.ROLE_REWRITES)
    4. country   the country before the title ("Russia's", "Togolese") or in an "of
                 <country>" complement ("of Kuwait and the Netherlands": both)

``Spans`` holds the post's country mentions (the gazetteer's) for look-ups by
position; the role nouns and appositions that give a name its role are found here
too.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from communique.extract.roles_data import (
    AND_BETWEEN_RE,
    APPOSITION_RE,
    APPOSITION_ROLES,
    OBJECT_BEFORE_RE,
    ORG_GOES_ON_RE,
    PARENS_RE,
    POSSESSIVE_AFTER_RE,
    ROLE_NOUN_BEFORE_RE,
    ROLE_QUALIFIERS,
    ROLE_REWRITES,
    ROLE_TRIM_RE,
    SPACES_RE,
    STATE_FORMS,
)
from communique.extract.runs import OF_ENDINGS


@dataclass(slots=True)
class Spans:
    """The post's country mentions, for look-ups by position."""

    starts: list[int]
    ends: list[int]
    codes: list[str]

    def touching(self, start: int, end: int) -> bool:
        """Whether a mention may cover a word of ``text[start:end]``: one starts inside
        it, or the last one starting at or before ``start`` reaches past it."""
        i = bisect.bisect_right(self.starts, start)
        if i != bisect.bisect_left(self.starts, end):
            return True
        return i > 0 and self.ends[i - 1] > start

    def covering(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and self.ends[i] >= end

    def ending_at(self, end: int) -> str | None:
        i = bisect.bisect_left(self.ends, end)
        return self.codes[i] if i < len(self.ends) and self.ends[i] == end else None

    def between(self, start: int, end: int) -> list[int]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [i for i in range(lo, hi) if self.ends[i] <= end]


def countries_of(text: str, role_start: int, name_start: int, spans: Spans) -> list[str]:
    """Step 4: "Russia's Foreign Minister", "Minister … of Malawi", "US President";
    several for a coordinated complement ("of Kuwait and the Netherlands")."""
    match = POSSESSIVE_AFTER_RE.search(text, max(0, role_start - 4), role_start)
    if match is not None:
        code = spans.ending_at(match.start())
        if code is not None:
            return [code]
    inside = spans.between(role_start, name_start)
    fallback: list[str] = []
    for k, i in enumerate(inside):
        # "of Malawi", "of the Republic of Belarus": what stands before is "of (the) ".
        lead = text[max(role_start, spans.starts[i] - 8) : spans.starts[i]]
        if lead.endswith(OF_ENDINGS):
            return [spans.codes[i]] + coordinated_codes(text, spans, inside[k:])
        if not fallback and not OBJECT_BEFORE_RE.search(lead):
            fallback = [spans.codes[i]]
    return fallback


def coordinated_codes(text: str, spans: Spans, indexes: list[int]) -> list[str]:
    """The countries joined by "and" after the first of ``indexes``."""
    out = []
    for prev, i in zip(indexes, indexes[1:], strict=False):
        if not AND_BETWEEN_RE.fullmatch(text, spans.ends[prev], spans.starts[i]):
            break
        out.append(spans.codes[i])
    return out


def role_of(text: str, role_start: int, name_start: int, spans: Spans) -> str | None:
    """Step 3: the title and complements, without the country ones, shortest form.
    An "of <country>" complement goes ("Ambassador of Russia to Norway"), unless an
    organisation's name goes on after it ("… Party of Vietnam Central Committee")."""
    pieces = []
    pos = role_start
    for i in spans.between(role_start, name_start):
        lead = text[pos : spans.starts[i]]
        cut = of_complement(lead)
        end = spans.ends[i]
        if text.startswith(("'s", "’s"), end):
            end += 2
        if cut < len(lead) and not ORG_GOES_ON_RE.match(text, end, name_start):
            pieces.append(lead[:cut])
        else:
            pieces.append(text[pos:end])
        pos = end
    pieces.append(text[pos:name_start])
    return shortest_role("".join(pieces))


@functools.lru_cache(maxsize=1024)
def shortest_role(phrase: str) -> str | None:
    # Cached: the same titles ("Foreign Minister", "President of") recur in every post.
    role = ROLE_TRIM_RE.sub("", SPACES_RE.sub(" ", PARENS_RE.sub("", phrase)))
    words = role.split(" ")
    while words and words[0].casefold() in ROLE_QUALIFIERS:
        words.pop(0)
    role = ROLE_TRIM_RE.sub("", " ".join(words))
    for pattern, replacement in ROLE_REWRITES:
        # sub() with a template goes through Python code even where nothing matches;
        # most rewrites match nothing.
        if pattern.search(role) is not None:
            role = pattern.sub(replacement, role)
    return role or None


def of_complement(lead: str) -> int:
    """Where the "of" complement naming a country starts at the end of ``lead`` ("…
    of the Republic of "), or len(lead) if there is none."""
    for ending in OF_ENDINGS:
        if lead.endswith(ending):
            cut = len(lead) - len(ending)
            break
    else:
        return len(lead)
    # "of the (Islamic) Republic of": the state's form goes with the country.
    if lead[:cut].rsplit(" ", 1)[-1] in STATE_FORMS:
        k = lead.rfind(" of ", 0, cut)
        if k >= 0 and all(w[0].isupper() or w == "the" for w in lead[k + 4 : cut].split()):
            return k
    return cut


def apposition(text: str, end: int) -> str | None:
    """The role after the name: "Name, Secretary General of the Cambodian Red Cross"."""
    match = APPOSITION_RE.match(text, end)
    return None if match is None else match.group("title")


def role_noun_before(text: str, start: int) -> str | None:
    """The role just before a name of two words or more: "archaeologist Alexander
    Butyagin"."""
    lo = max(0, start - 24)
    if _ROLE_NOUNS:
        # A match ends in a space just before the name, or in one before a line break
        # just before it ("$"), and what comes before that space ends in a role noun.
        # Most runs follow no role noun, and str methods say so faster than the search.
        if start >= 1 and text[start - 1] == " ":
            space = start - 1
        elif start >= 2 and text[start - 2 : start] == " \n":
            space = start - 2
        else:
            return None
        if not text.endswith(_ROLE_NOUNS, lo, space):
            return None
    match = ROLE_NOUN_BEFORE_RE.search(text, lo, start)
    return None if match is None else match.group().strip()


# The role nouns ROLE_NOUN_BEFORE_RE looks for, while it is the pattern that
# role_noun_before's shortcut assumes; if it changes, the search alone decides.
_ROLE_NOUNS = (
    tuple(APPOSITION_ROLES)
    if ROLE_NOUN_BEFORE_RE.pattern == rf"\b(?:{'|'.join(APPOSITION_ROLES)}) $"
    else ()
)
