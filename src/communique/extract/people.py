"""Stage 6: the persons a post names, with role and country.

    1. runs      every run of capitalised words (with name particles inside, an
                 initial run on: "K.Eide", a '#' before a surname: "Sergey #Lavrov");
                 its titles ("Deputy Foreign Minister") are noted, and it splits into
                 stretches of name words between title, organisation, calendar, city
                 and country words (roles_data, gazetteer mentions)
    2. evidence  a stretch is a person when a title ends just before it ("Deputy
                 Foreign Minister Andrey Rudenko", "President of Iran Masoud
                 Pezeshkian"), when it shares the title of the name before it ("Daniel
                 Ortega and Rosario Murillo"), when it opens with a given name or an
                 initial ("Donald Trump", "V.Gordeev"), when it is a known surname
                 ("Zelensky"), when an apposition gives it a role ("Pum Chantini,
                 Secretary General ..."), when it speaks ("💬 Name:"), or when it is a
                 lone Russian given name ("Natalia, Yekaterina and Vera")
    3. role      the title with its complements, country complements taken off and
                 rewritten to the shortest clear form (roles_data.ROLE_REWRITES)
    4. country   the country before the title ("Russia's", "Togolese") or in an "of
                 <country>" complement; else the known person's country
    5. merge     spellings of one person become one (``same_person``: Yury / Yuri, a
                 surname alone, a middle name left out, a patronymic address), and the
                 fullest spelling stands for them all

``canonical`` and ``same_person`` are also the comparison a people table with
aliases uses across posts. The vocabularies and what a run's words are live in
runs.py; steps 3 and 4 (role and country) in roles.py.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from dataclasses import dataclass

from communique.extract import gazetteer
from communique.extract.context import Context
from communique.extract.roles import Spans, apposition, countries_of, role_noun_before, role_of
from communique.extract.roles_data import (
    ARTICLE_BEFORE_RE,
    DASH_AFTER_RE,
    DASH_BEFORE_RE,
    EPONYM_WORDS,
    GAP_BREAK_RE,
    INITIAL_RE,
    MAX_GAP,
    OBJECT_BEFORE_RE,
    PARENS_RE,
    PATRONYMIC_RE,
    RUN_RE,
    SPACES_RE,
    SPEAKER_RE,
)
from communique.extract.runs import (
    BARE,
    DASHES,
    GIVEN,
    HEAD_NOUNS,
    INSIDE_WORD,
    KNOWN,
    PARTICLES,
    RANKS,
    SINGLES,
    STOP,
    TITLE_WORDS,
    Run,
    analyse,
    has_evidence,
    name_stretches,
)
from communique.models import Person
from communique.names import person_key

__all__ = ["canonical", "find", "same_person"]

# -- records -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Mention:
    """One mention of a person: the name's words and where each starts."""

    tokens: list[str]
    starts: list[int]
    end: int
    role: str | None = None
    country: str | None = None
    # Further countries of a coordinated complement ("Permanent Representatives of
    # Kuwait and the Netherlands"), for the names coordinated after this one.
    others: tuple[str, ...] = ()

    @property
    def start(self) -> int:
        return self.starts[0]

    def name(self, text: str) -> str:
        """The name as the post writes it ("K.Eide", "Sergey Lavrov")."""
        name = text[self.starts[0] : self.end].replace("#", "")
        name = name.replace("\u2011", "-").replace("\u2010", "-")
        # Whitespace other than a space is unprintable: a printable name without a
        # double space has nothing to fold.
        if name.isprintable() and "  " not in name:
            return name
        return SPACES_RE.sub(" ", name)


# -- steps 1-4 ---------------------------------------------------------------------------


def find(ctx: Context) -> list[Person]:
    """The persons ``ctx.text`` names, merged, in order of first mention."""
    text = ctx.text
    if not text:
        return []
    return merge(text, mentions(text, country_spans(text, ctx.language)))


def country_spans(text: str, language: str | None = None) -> Spans:
    """The gazetteer's country mentions in ``text``, sorted by position."""
    found = sorted(gazetteer.country_mentions(text, language), key=_START)
    return Spans(list(map(_START, found)), list(map(_END, found)), list(map(_CODE, found)))


_START, _END, _CODE = (operator.attrgetter(a) for a in ("start", "end", "code"))


def mentions(text: str, spans: Spans) -> list[_Mention]:
    """Every person mention in ``text``, in order."""
    scan = _Scan(text, spans)
    for run in RUN_RE.finditer(text):
        raw = run.group()
        start = run.start()
        if " " in raw or "." in raw:
            if (has_evidence(raw) or scan.context(start, run.end())) and _starts_word(text, start):
                scan.run(raw, start)
        # Most one-word runs open a sentence or name a place: only titles, known
        # surnames, lone given names and names after a list's dash are looked at.
        elif (raw in SINGLES or text[start - 2 : start] in DASHES) and _starts_word(text, start):
            scan.one_word(raw, start)
    return scan.found


def _starts_word(text: str, start: int) -> bool:
    """A run that continues a word ("anti-Hitler", "iPhone", "30°C") is no name."""
    return not start or not (text[start - 1].isalnum() or text[start - 1] in INSIDE_WORD)


class _Scan:
    """One pass over a text's runs. It remembers the titles seen so far, and the last
    name, so that no title reaches across a name ("Foreign Minister Sergey Lavrov and
    Minister of … Barry Faure")."""

    __slots__ = ("found", "head_ends", "heads", "last_end", "spans", "text")

    def __init__(self, text: str, spans: Spans) -> None:
        self.text = text
        self.spans = spans
        self.heads: list[tuple[int, int, bool]] = []  # start, end, plural
        self.head_ends: list[int] = []
        self.found: list[_Mention] = []
        self.last_end = 0

    def context(self, start: int, end: int) -> bool:
        """Whether the context of a run of several words without evidence of a person
        (see has_evidence) may give it a role: a title before it, an apposition or a
        speaker's colon after it, a pair."""
        text = self.text
        heads = self.heads
        if heads and heads[-1][0] >= self.last_end and start - heads[-1][1] <= MAX_GAP:
            return True
        if text[end : end + 1] in (",", ":") or text[start - 5 : start] == " and ":
            return True
        return role_noun_before(text, start) is not None

    def one_word(self, raw: str, start: int) -> None:
        self._keep(self._one_word(raw, start))

    def run(self, raw: str, start: int) -> None:
        run = analyse(raw)
        for title_start, title_end, noun in run.titles:
            self._add_head(start + title_start, start + title_end, noun)
        stretches = run.stretches
        # A country only takes name words away: a run with no stretch of name words has
        # none here either, and only where a country may cover a word do the stretches
        # differ from those the vocabularies give.
        if stretches and self.spans.touching(start, start + len(raw)):
            covering = self.spans.covering
            named = [
                may and not covering(start + begin, start + end)
                for may, begin, end in zip(run.named, run.begins, run.ends, strict=True)
            ]
            stretches = name_stretches(run.words, named)
        for lo, hi in stretches:
            self._keep(self._judge(run, lo, hi, start))

    def _keep(self, mention: _Mention | None) -> None:
        if mention is not None:
            self.found.append(mention)
            self.last_end = mention.end

    def _after_title(self, start: int) -> bool:
        """Whether the word before ``start`` is a country or a title word."""
        if self.spans.ending_at(start - 1) is not None:
            return True
        word = self.text[max(0, start - 24) : start - 1].rsplit(" ", 1)[-1]
        return word.casefold() in TITLE_WORDS

    def _add_head(self, start: int, end: int, noun: str) -> None:
        plural = noun.endswith("s") and noun[:-1] in HEAD_NOUNS
        if self.head_ends and self.head_ends[-1] >= end:
            return
        if self.heads and self.heads[-1][0] == start:  # a longer title at the same place
            self.heads.pop()
            self.head_ends.pop()
        self.heads.append((start, end, plural))
        self.head_ends.append(end)

    def _one_word(self, raw: str, start: int) -> _Mention | None:
        """A one-word run: a title, a known surname, a lone given name, or a name
        after a dash in a list ("Pope – Francis"); else a title's object."""
        word = raw.lstrip("#")
        start += len(raw) - len(word)
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        key = word.casefold()
        if key in HEAD_NOUNS:
            self._add_head(start, start + len(word), key)
            return None
        if key in STOP or self.spans.covering(start, start + len(word)):
            return None
        mention = _Mention([word], [start], start + len(word))
        dashed = DASH_BEFORE_RE.search(self.text, max(0, start - 3), start)
        if dashed or key in KNOWN:
            i = self._title_before(start)
            if i >= 0 and self._attach_role(mention, i):
                return mention
        if key in KNOWN or (key in BARE and _standalone(self.text, mention.end)):
            return mention
        return None

    def _judge(self, run: Run, lo: int, hi: int, base: int) -> _Mention | None:
        """Step 2: is the stretch ``words[lo:hi]`` of the run at ``base`` a person, and
        with which role. The words' own evidence is weighed before the context's, and
        a mention is made only for a stretch that may be one."""
        text, words = self.text, run.words
        if hi < len(words) and words[hi].casefold() in EPONYM_WORDS:
            return None  # "Alexander Pushkin Medal"
        start = base + run.begins[lo]
        end = base + run.ends[hi - 1]
        mention = None
        # Only a stretch that ends its run can be a title's name: one followed by
        # more capitalised words is part of a complement ("Communist Party").
        final = hi == len(words)
        if final:
            i = self._title_before(start)
            if i >= 0:
                mention = _stretch(run, lo, hi, base)
                if self._attach_role(mention, i):
                    return mention
        word = words[lo]
        initial = INITIAL_RE.fullmatch(word) is not None
        if text[start - 1] == "#" or (initial and all(map(INITIAL_RE.fullmatch, words[lo:hi]))):
            return None  # a hashtag opens no name ("#RussiaAfrica"), nor do initials alone
        first = word.casefold()
        several = hi - lo >= 2
        if lo == 0 and final and several and self._pair_role(start) is not None:
            mention = mention or _stretch(run, lo, hi, base)
            self._coordinated(mention)
            return mention
        if several and (first in GIVEN or initial):
            # A given name or an initial opens a name ("Donald Trump", "V.Gordeev").
            role = apposition(text, end) or role_noun_before(text, start)
        elif not several and (first in KNOWN or (final and first in BARE)):
            role = None  # a known surname ("Zelensky"), a lone given name ("Natalia")
        elif not final:
            return None
        else:
            # Else only what stands around a run's last stretch makes it a name: an
            # apposition, a speaker's colon, a role noun before it.
            role = apposition(text, end)
            if role is None and not _speaks(text, start, end, hi - lo):
                role = role_noun_before(text, start) if several else None
                if role is None:
                    return None
        mention = mention or _stretch(run, lo, hi, base)
        mention.role = role
        return mention

    def _pair_role(self, start: int) -> str | None:
        """ "Co-presidents – Daniel Ortega and Rosario Murillo": the role of the name
        before, when "and" joins it to the one at ``start``."""
        prev = self.found[-1] if self.found else None
        if prev is None or self.text[prev.end : start] != " and ":
            return None
        return prev.role

    def _coordinated(self, mention: _Mention) -> None:
        """The second name of a pair shares the first one's title (and the next
        country of its complement)."""
        prev = self.found[-1]
        mention.role = prev.role
        mention.country, mention.others = (
            (prev.others[0], prev.others[1:]) if prev.others else (prev.country, ())
        )

    def _title_before(self, start: int) -> int:
        """The title that may introduce a name at ``start`` (its index), or -1: the
        last ending before it, after the last name, with nothing between that breaks."""
        text, heads = self.text, self.heads
        i = bisect.bisect_right(self.head_ends, start) - 1
        # A title inside a parenthesis qualifies the one before it: "Assistant Minister
        # … (with the rank of Deputy Minister) Liu Bin".
        while i > 0 and text.startswith(")", heads[i][1]):
            i -= 1
        if i < 0 or heads[i][0] < self.last_end or not _gap_ok(text, heads[i][1], start):
            return -1
        return i

    def _attach_role(self, mention: _Mention, i: int) -> bool:
        """Steps 2-4 for a name after title ``i``: the chain of titles ending there."""
        text, heads = self.text, self.heads
        if not self._fits(mention, i):
            return False
        cut = _object_words(text, mention, heads[i][1])
        if cut is None:
            return False
        del mention.tokens[:cut]
        del mention.starts[:cut]
        first = i
        while first > 0:
            start, end, _ = heads[first - 1]
            if start < self.last_end or not _gap_ok(text, end, heads[first][0]):
                break
            first -= 1
        role_start = heads[first][0]
        codes = countries_of(text, role_start, mention.start, self.spans)
        mention.country, mention.others = (codes[0], tuple(codes[1:])) if codes else (None, ())
        mention.role = role_of(text, role_start, mention.start, self.spans)
        return True

    def _fits(self, mention: _Mention, i: int) -> bool:
        """Whether title ``i`` may introduce the stretch at all."""
        start, end, plural = self.heads[i]
        adjacent = end + 1 == mention.start
        rank = self.text[start:end].casefold() in RANKS
        # A rank or a short word must follow its title at once: "General Robert
        # Foglesong", "President Xi", not "General Assembly Resolution No".
        short = len(mention.tokens) == 1 and len(mention.tokens[0]) < 3
        if not adjacent and (rank or short):
            return False
        # A dash or a comma and a given name after the stretch: the title's name follows
        # ("of South Ossetia – Alan Gagloyev", "Young Adult Writers, Svetlana …").
        if DASH_AFTER_RE.match(self.text, mention.end) or _named_after(self.text, mention.end):
            return False
        # A one-word name away from its title stands after a country or a title word
        # ("President of Moldova Sandu", "Secretary of State Nuland"), not after any
        # word ("Ambassador-at-Large on the Kiev Regime's War Crimes").
        if not adjacent and len(mention.tokens) == 1 and not self._after_title(mention.start):
            return False
        # A plural title is an organisation's ("Heads of Constituent Entities") unless
        # full names follow it.
        return not plural or len(mention.tokens) >= 2


def _stretch(run: Run, lo: int, hi: int, base: int) -> _Mention:
    """The mention of the stretch ``words[lo:hi]`` of the run at ``base``."""
    starts = [base + begin for begin in run.begins[lo:hi]]
    return _Mention(list(run.words[lo:hi]), starts, base + run.ends[hi - 1])


def _named_after(text: str, end: int) -> bool:
    """Whether ", <given name>" follows ``end``: the apposition holds the name."""
    if not text.startswith(", ", end):
        return False
    word = text[end + 2 : end + 40].split(" ", 1)[0]
    return word.casefold() in GIVEN


def _standalone(text: str, end: int) -> bool:
    """A lone given name stands for a person in a list or before a verb, not in a title."""
    return end >= len(text) or text[end] in " ,;.:)!?\n"


def _gap_ok(text: str, start: int, end: int) -> bool:
    if end - start > MAX_GAP:
        return False
    gap = text[start:end]
    if "(" in gap:  # "(with the rank of Deputy Minister)" qualifies the title
        gap = PARENS_RE.sub("", gap)
    return GAP_BREAK_RE.search(gap) is None


def _object_words(text: str, mention: _Mention, head_end: int) -> int | None:
    """How many words at the front of a titled name are a complement's object; None
    if the whole stretch is one. Right after "of", "in", "and" the first word is a
    place or a body ("in Toronto Vladlen Epifanov"), or the words up to a given name
    ("and Emigration Badr Abdelatty"); after "the" the stretch is an organisation
    unless a given name follows ("of the Halk Maslahaty")."""
    tokens = mention.tokens
    before = text[max(head_end, mention.start - 8) : mention.start]
    article = ARTICLE_BEFORE_RE.search(before) is not None
    if not article and not OBJECT_BEFORE_RE.search(before):
        return 0
    given = next((k for k, t in enumerate(tokens) if k and t.casefold() in GIVEN), None)
    if given is not None:
        cut = given
    elif article:
        return None
    elif INITIAL_RE.match(tokens[0]):
        return 0  # an initial opens the name itself
    else:
        cut = 1
    while cut < len(tokens) and tokens[cut] in PARTICLES:
        cut += 1
    return cut if cut < len(tokens) else None


def _speaks(text: str, start: int, end: int, words: int) -> bool:
    """A named speaker opens a quotation: "💬 Name:"."""
    return (
        text.startswith(":", end)
        and words <= 4
        and SPEAKER_RE.search(text, max(0, start - 3), start) is not None
    )


# -- step 5: one person per name ---------------------------------------------------------


def merge(text: str, found: list[_Mention]) -> list[Person]:
    """One ``Person`` per person: spellings merged, the fullest kept, order kept."""
    # Each group: its fullest spelling's keys and name, its mentions, its first start.
    groups: list[tuple[list[str], str, list[_Mention], list[int]]] = []
    # Longest first, so that each group is named by its fullest spelling.
    for mention in sorted(found, key=_longest_first):
        name = mention.name(text)
        keys = _loose_tokens(name)
        for group_keys, fullest, group, first in groups:
            if _same_keys(group_keys, keys, fullest, name):
                group.append(mention)
                first[0] = min(first[0], mention.starts[0])
                break
        else:
            groups.append((keys, name, [mention], [mention.starts[0]]))
    groups.sort(key=_first_start)
    return [_person(name, group) for _, name, group, _ in groups]


def _longest_first(mention: _Mention) -> tuple[int, int]:
    return -len(mention.tokens), mention.starts[0]


def _first_start(group: tuple[list[str], str, list[_Mention], list[int]]) -> int:
    return group[3][0]


def _person(name: str, group: list[_Mention]) -> Person:
    if len(group) == 1:  # most persons are named once
        role, country = group[0].role or None, group[0].country or None
    else:
        by_position = sorted(group, key=_first_start_of)
        role = next((m.role for m in by_position if m.role), None)
        country = next((m.country for m in by_position if m.country), None)
    if country is None:
        known = KNOWN.get(group[0].tokens[-1].casefold())
        country = known[1] if known else None
    return Person(name, role, country)


def _first_start_of(mention: _Mention) -> int:
    return mention.starts[0]


# Transliteration pairs person_key leaves apart, folded for matching only.
_LOOSE = ((re.compile(r"ph"), "f"), (re.compile(r"w"), "v"), (re.compile(r"ou"), "u"))


def canonical(name: str) -> str:
    """The key a people table files ``name`` under: "Yuri Ushakov" -> "yury ushakov"."""
    return person_key(name)


def same_person(a: str, b: str) -> bool:
    """Whether two spellings in one post name one person.

    The same key (Yury / Yuri Ushakov); a surname or first name alone ("Zelensky",
    "Xi"); the same first and last name around a middle name or initial ("George T.
    Chaponda" / "George Tapatula Chaponda"); an initial for the first name
    ("V.Gordeev" / "Vladimir Gordeev"); a first name and patronymic, the polite
    address ("Maria Vladimirovna" / "Maria Zakharova").
    """
    return _same_keys(_loose_tokens(a), _loose_tokens(b), a, b)


def _same_keys(ka: list[str], kb: list[str], a: str, b: str) -> bool:
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if len(ka) == 1 or len(kb) == 1:
        one, many = (ka, kb) if len(ka) == 1 else (kb, ka)
        return one[0] in (many[0], many[-1])
    if ka[-1] != kb[-1]:
        return ka[0] == kb[0] and (_addressed(ka) or _addressed(kb))
    return ka[0] == kb[0] or _initial_of(a, kb[0]) or _initial_of(b, ka[0])


def _addressed(tokens: list[str]) -> bool:
    """A first name with a patronymic, the Russian polite address."""
    return len(tokens) == 2 and PATRONYMIC_RE.search(tokens[1]) is not None


@functools.lru_cache(maxsize=4096)
def _loose_key(name: str) -> str:
    # Cached: the same names (Putin, Lavrov, Zakharova) recur in post after post.
    key = person_key(name)
    for pattern, replacement in _LOOSE:
        key = pattern.sub(replacement, key)
    return key


def _loose_tokens(name: str) -> list[str]:
    return _loose_key(name).split()


def _initial_of(name: str, first: str) -> bool:
    """Whether ``name`` opens with the initial of ``first`` ("V.Gordeev")."""
    head = name.strip()
    return len(head) > 1 and head[1] == "." and head[0].casefold() == first[:1]
