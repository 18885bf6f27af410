"""Stage 7: the diplomatic events a post reports, typed with CAMEO and PLOVER.

    1. cues       one pass over the lower-cased text finds the cue keywords
                  (events_data.CUES), in the lead those of every type, further
                  down those of the types read there (stances, signings); each
                  keyword's patterns are tried on its sentence only, giving
                  (type, sentence, cue) hits
    2. readouts   meeting, call, consultations, visit and signing cues in the lead
                  (title and first paragraph): one event per cue sentence, its sides
                  the title's flags (🇷🇺🇨🇳), else Russia with the countries and
                  participants the sentence names before it turns to topics; a cue
                  sentence opening a list ("bilateral talks with the following
                  countries:") gives one event per item; a meeting among Russian
                  officials only, or an announced one ("will hold talks"), is none
    3. kind       a readout post (kind meeting, phone_call, consultations) whose lead
                  words its event unusually still reports that event
    4. stances    condemnation, condolences, congratulations and support cues in
                  every sentence; the sides are the subject before the cue (Russia
                  when the channel speaks: "We condemn") and the parties after it
                  (for a condemnation, the agents, not the victims); with no side of
                  their own in a readout, the readout's sides
    5. criticism  in the channel's own statements, a lead in words of criticism
                  ("a blatant armed invasion by the US") condemns the agent it names
    6. rubrics    a rubric hashtag over a section ("#KievRegimeCrimes") condemns the
                  countries of its line
    7. merge      one event per type and set of sides, in order of first cue; an
                  event of Russia alone goes when one of its type has a partner

Participants are the persons of stage 6 (ctx.people) the cue sentence names; date
and place are the post's (stage 5) for every event.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick_rs

from communique.extract import gazetteer
from communique.extract.context import Context
from communique.extract.events_data import (
    CASED_CUES,
    CRITICISM,
    CRITICISM_CUES,
    CRITICISM_KINDS,
    CUES,
    DOMESTIC_MEETING_WORDS,
    EVENT_CODES,
    FRONTED_OPENERS,
    FUTURE_WORDS,
    GROUP_WORDS,
    KIND_EVENTS,
    LEAD_LINES,
    NOT_AGENT_BEFORE,
    OWN_COUNTRY,
    READOUT_TYPES,
    RUBRIC_HASHTAGS,
    STANCE_TYPES,
    TOPIC_WORDS,
    WHOLE_POST_READOUTS,
)
from communique.models import Event, Person

__all__ = ["find"]

# -- patterns, built once ----------------------------------------------------------------


# A cue: its type (or CRITICISM), its pattern, the pattern's locator (see _search),
# and whether it reads the text as written (True) or lower-cased.
_Cue = tuple[str, re.Pattern[str], re.Pattern[str], bool]


def _cue(kind: str, pattern: str, cased: bool) -> _Cue:
    # An opening \b keeps the engine from skipping ahead to the literal letters that
    # follow it: it tries the pattern at every position. Without it the search runs
    # up to ten times faster, so _search finds with that locator where the pattern
    # may match and lets the pattern itself decide there.
    locator = pattern.removeprefix(r"\b")
    return kind, re.compile(pattern), re.compile(locator), cased


def _cue_index() -> dict[str, list[_Cue]]:
    index: dict[str, list[_Cue]] = {}
    for kind, cues in CUES.items():
        for keyword, pattern in cues:
            index.setdefault(keyword, []).append(_cue(kind, pattern, False))
    for kind, cues in CASED_CUES.items():
        for keyword, pattern in cues:
            index.setdefault(keyword, []).append(_cue(kind, pattern, True))
    for keyword, pattern in CRITICISM_CUES:
        index.setdefault(keyword, []).append(_cue(CRITICISM, pattern, False))
    return index


CUE_INDEX = _cue_index()


class _Keywords(NamedTuple):
    """An automaton over cue keywords; a match's index is that of its cues."""

    automaton: ahocorasick_rs.AhoCorasick
    cues: tuple[tuple[_Cue, ...], ...]


def _keyword_automaton(kinds: frozenset[str]) -> _Keywords:
    """The keywords of the cues of ``kinds``, with those cues."""
    # Aho-Corasick finds every keyword in one pass in compiled code; a regular
    # expression of sixty alternatives costs three times as much on the same text.
    table = {
        keyword: wanted
        for keyword, cues in CUE_INDEX.items()
        if (wanted := tuple(cue for cue in cues if cue[0] in kinds))
    }
    automaton = ahocorasick_rs.AhoCorasick(
        list(table), implementation=ahocorasick_rs.Implementation.DFA
    )
    return _Keywords(automaton, tuple(table.values()))


# Which cues each part of a post is read for: in the lead every type (criticism only
# where the channel speaks in its own voice, step 5); further down only the types
# that steps 2 and 4 read there, stances and signings. A keyword of no type read
# in a part is not even looked for there.
_ALL_KINDS = frozenset(cue[0] for cues in CUE_INDEX.values() for cue in cues)
LEAD_KEYWORDS = _keyword_automaton(_ALL_KINDS)
LEAD_KEYWORDS_QUIET = _keyword_automaton(_ALL_KINDS - {CRITICISM})
BODY_KEYWORDS = _keyword_automaton(frozenset(STANCE_TYPES + WHOLE_POST_READOUTS))


def _words(words: tuple[str, ...], flags: int = 0) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b", flags)


# Where a sentence ends: ".", "!" or "?" before a space and a capital or an emoji,
# but not after a title or an initial ("Dr. Omar", "H.E. Pum", "George T."). The
# punctuation comes first so that the engine skips to it.
SENTENCE_END_RE = re.compile(
    r"[.!?](?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bSt\.)(?<!\bNo\.)"
    r"(?<!\bGen\.)(?<!\b[A-Z]\.)(?=\s+[^\sa-z])"
)
TOPIC_RE = _words(TOPIC_WORDS)
FUTURE_RE = _words(FUTURE_WORDS)
GROUP_RE = _words(GROUP_WORDS)
DOMESTIC_RE = _words(DOMESTIC_MEETING_WORDS)
# A fronted adverbial before a stance's subject ("After sharing opinions on … the Kiev
# regime, the leaders exchanged greetings"): the subject starts after it.
FRONTED_RE = re.compile(rf"(?:{'|'.join(FRONTED_OPENERS)})\b[^,]*,\s")
# Before a country, a preposition makes it a target or a place, not an agent.
NOT_AGENT_RE = re.compile(rf"\b(?:{'|'.join(NOT_AGENT_BEFORE)})\s+(?:the\s+)?$")
# "We", "our" and the ministry itself speak for the channel's own country.
OWN_VOICE_RE = _words(("we", "our", "us", "the foreign ministry", "the russian foreign ministry",
                       "the ministry", "the russian side"))  # fmt: skip
# A sentence pointing back ("This development … warrants condemnation") takes its
# parties from the sentence before.
ANAPHORA_RE = re.compile(r"(?:this|these|that|those|such)\b")
BILATERAL_RE = _words(("bilateral",))
YEAR_RE = re.compile(r"\b(?:1[7-9]\d\d|20\d\d)\b")
# A list item: a line opening with a number, a bullet, a flag or another emoji.
LIST_ITEM_RE = re.compile(r"\s*(?:\d{1,2}[.)]|[^\w\s«\"“‘'(\[])")
HASHTAG_RE = re.compile(r"#(\w+)")
HASHTAG_LINE_RE = re.compile(r"\s*(?:#\w+\s*)+")


# -- records -----------------------------------------------------------------------------


class _Hit(NamedTuple):
    """A cue found: its type, its sentence, and where the cue itself stands (a named
    tuple rather than a frozen dataclass: one is made per cue, three times faster)."""

    kind: str
    start: int
    end: int
    cue: int
    cue_end: int
    words: str


@dataclass(slots=True)
class _Post:
    """What the stage reads of a post: the text (as written and lower-cased), its
    country mentions, the persons of stage 6, and the flags opening it."""

    text: str
    lower: str
    starts: list[int]
    ends: list[int]
    codes: list[str]
    people: list[Person]
    flags: set[str]
    lead_end: int
    # The sentence found last: asked for again when one sentence holds several cues.
    last: tuple[int, int] = (0, 0)

    def sentence(self, pos: int) -> tuple[int, int]:
        """The bounds of the sentence around ``pos``, within its line."""
        start, end = self.last
        if start <= pos < end:
            return start, end
        self.last = self._sentence(pos)
        return self.last

    def _sentence(self, pos: int) -> tuple[int, int]:
        text = self.text
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        # Only the sentence ends on either side of ``pos`` are looked for, not all of
        # the text's: the next by a search (on past the line, as what follows a "."
        # decides whether it ends a sentence: "Moscow.\nThe"), the one before among
        # the "." "!" "?" before ``pos`` in its line.
        after = SENTENCE_END_RE.search(text, pos)
        end = line_end if after is None else min(line_end, after.end())
        stop = pos
        while True:
            stop = max(text.rfind(".", line_start, stop), text.rfind("!", line_start, stop),
                       text.rfind("?", line_start, stop))  # fmt: skip
            if stop < 0:
                return line_start, end
            if SENTENCE_END_RE.match(text, stop):
                return stop + 2, end  # past the stop and the space after it

    def codes_between(self, start: int, end: int) -> list[str]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [self.codes[i] for i in range(lo, hi) if self.ends[i] <= end]


# -- the stage ---------------------------------------------------------------------------


def find(ctx: Context) -> list[Event]:
    """The events ``ctx`` reports, typed and with their sides (steps 1-7)."""
    text = ctx.text
    if not text:
        return []
    found = gazetteer.country_mentions(text, ctx.language)  # in text order
    post = _Post(text, gazetteer.lowered(text), [m.start for m in found],
                 [m.end for m in found], [m.code for m in found], ctx.people,
                 _title_flags(found), _lead_end(text))  # fmt: skip
    hits = _hits(post, criticism=ctx.kind in CRITICISM_KINDS)
    readouts = _readouts(post, hits, ctx.year)
    readouts += _from_kind(ctx.kind, post, hits, {e.type for e in readouts})
    stances = _stances(post, hits, readouts) + _rubrics(post)
    if ctx.kind in CRITICISM_KINDS:
        stances += _criticism(post, hits)
    return _merge(readouts + stances, ctx.event_date, ctx.place)


def _title_flags(found: list[gazetteer.Mention]) -> set[str]:
    """The flags opening a post (🇷🇺🇨🇳): the channel's own mark of a readout's sides.
    One flag alone marks a topic ("🇺🇬 Uganda held its election"), not sides."""
    flags: set[str] = set()
    for mention in found:
        if mention.form != "flag" or mention.start > 4 * (len(flags) + 1):
            break
        flags.add(mention.code)
    return flags if len(flags) >= 2 else set()


def _lead_end(text: str) -> int:
    """Where the lead ends: after the title and LEAD_LINES lines; a line of hashtags
    alone ("#Outcomes2025") is a rubric over the post and does not count."""
    end = -1
    lines = 0
    while lines <= LEAD_LINES:
        start = end + 1
        end = text.find("\n", start)
        if end < 0:
            return len(text)
        # Most lines have no "#" and cannot be hashtags alone: no need for the pattern.
        if text.find("#", start, end) < 0 or not HASHTAG_LINE_RE.fullmatch(text, start, end):
            lines += 1
    return end


# -- step 1: cues ------------------------------------------------------------------------


def _hits(post: _Post, criticism: bool) -> list[_Hit]:
    """Every cue in the post that a later step reads, at most one per type and
    sentence, in text order: in the lead every type (criticism only if asked for),
    further down stances and signings."""
    hits = []
    seen: set[tuple[str, int]] = set()
    lower = post.lower
    lead = LEAD_KEYWORDS if criticism else LEAD_KEYWORDS_QUIET
    # The lead ends at a line break, which no keyword spans.
    for keywords, start, end in ((lead, 0, post.lead_end),
                                 (BODY_KEYWORDS, post.lead_end, len(lower))):  # fmt: skip
        part = lower[start:end]
        for index, first, _ in keywords.automaton.find_matches_as_indexes(part, overlapping=True):
            first += start
            cues = keywords.cues[index]
            if first and lower[first - 1].isalpha():
                continue  # inside a word: "met" in "method"
            sentence, sentence_end = post.sentence(first)
            for kind, pattern, locator, cased in cues:
                if (kind, sentence) in seen:
                    continue
                text = post.text if cased else lower
                match = _search(pattern, locator, text, sentence, sentence_end)
                if match is not None:
                    seen.add((kind, sentence))
                    hits.append(_Hit(kind, sentence, sentence_end, match.start(), match.end(),
                                     match.group()))  # fmt: skip
    hits.sort(key=lambda h: h.cue)
    return hits


def _search(
    pattern: re.Pattern[str], locator: re.Pattern[str], text: str, start: int, end: int
) -> re.Match[str] | None:
    """``pattern.search(text, start, end)``, sped up by its locator: the pattern less
    its opening \\b, which matches wherever the pattern does (and maybe elsewhere),
    so trying the pattern only where the locator matches finds the same first match."""
    spot = locator.search(text, start, end)
    while spot is not None:
        match = pattern.match(text, spot.start(), end)
        if match is not None:
            return match
        spot = locator.search(text, spot.start() + 1, end)
    return None


# -- step 2: readouts in the lead --------------------------------------------------------


def _readouts(post: _Post, hits: list[_Hit], year: int | None) -> list[Event]:
    events: list[Event] = []
    for hit in _readout_hits(post, hits, year):
        if FUTURE_RE.search(post.lower, hit.start, hit.cue):
            continue  # "will hold talks": announced, not reported
        if hit.kind == "agreement":
            events.append(_agreement(post, hit, events))
        else:
            events += _readout(post, hit)
    return events


def _readout_hits(post: _Post, hits: list[_Hit], year: int | None) -> list[_Hit]:
    """Readout cues in the lead; a signing also further down a readout, unless its
    sentence dates it to another year ("As early as 1944 … signed an agreement")."""
    lead = [h for h in hits if h.kind in READOUT_TYPES and h.cue < post.lead_end]
    if not lead:
        return []
    later = [
        h for h in hits
        if h.kind in WHOLE_POST_READOUTS and h.cue >= post.lead_end
        and all(int(y) == year for y in YEAR_RE.findall(post.text, h.start, h.end))
    ]  # fmt: skip
    return lead + later


def _readout(post: _Post, hit: _Hit) -> list[Event]:
    text = post.text
    items = _list_items(text, hit.end)
    if items and BILATERAL_RE.search(post.lower, hit.start, hit.end):
        # "held bilateral talks with the following countries: …": one event each.
        return [_event(hit.kind, _own(post.codes_between(a, b)), []) for a, b in items]
    participants = _participants(post, hit.start, hit.end)
    sides = post.flags or _readout_sides(post, hit.cue_end, hit.start, hit.end, participants)
    if items or (len(sides) < 2 and GROUP_RE.search(post.lower, hit.start, hit.end)):
        # A group of counterparts ("the ambassadors of Central Asian States") is
        # listed further down: "Attending the meeting were: …".
        items = items or _first_list(text, hit.end)
        sides = sides | {c for a, b in items for c in post.codes_between(a, b)}
    if _domestic(sides, participants, hit.words):
        return []
    return [_event(hit.kind, sides, participants)]


def _readout_sides(post: _Post, cue_end: int, start: int, end: int,
                   participants: list[Person]) -> set[str]:  # fmt: skip
    """Russia, and the countries and participants named before the sentence turns to
    topics ("… with China's Deputy Foreign Minister Sun Weidong on cooperation …")."""
    topic = TOPIC_RE.search(post.lower, cue_end, end)
    stop = topic.start() if topic else end
    # Persons named anywhere in the sentence take part: an apposition may follow the
    # topic ("… on UN Security Council Reform, Permanent Representatives of Kuwait …").
    return _own(post.codes_between(start, stop)) | {p.country for p in participants if p.country}


def _agreement(post: _Post, hit: _Hit, before: list[Event]) -> Event:
    """The parties to a signing are the countries its sentence names ("an Agreement
    between the Government of the Russian Federation and …"; "led by the UK and
    France, signed a declaration"): Russia only when named or when no one is."""
    participants = _participants(post, hit.start, hit.end)
    sides = set(post.codes_between(hit.start, hit.end))
    sides |= {p.country for p in participants if p.country}
    if not sides:
        sides = set(before[0].countries) if before else {OWN_COUNTRY}
    return _event("agreement", sides, participants)


def _domestic(sides: set[str], participants: list[Person], cue: str) -> bool:
    """A meeting among one's own officials ("a working meeting with First Deputy Prime
    Minister Denis Manturov") is government business, not a diplomatic event."""
    if sides != {OWN_COUNTRY}:
        return False
    if DOMESTIC_RE.search(cue):
        return True
    return bool(participants) and all(p.country == OWN_COUNTRY for p in participants)


def _list_items(text: str, end: int) -> list[tuple[int, int]]:
    """The list a sentence ending in ':' opens (one more "Among them were:" line may
    stand between): the bounds of its items' lines."""
    if not text.startswith(":", end - 1):
        return []
    pos = text.find("\n", end - 1)
    items: list[tuple[int, int]] = []
    intro_skipped = False
    while 0 <= pos < len(text) - 1:
        nxt = text.find("\n", pos + 1)
        line_end = len(text) if nxt < 0 else nxt
        if LIST_ITEM_RE.match(text, pos + 1, line_end):
            items.append((pos + 1, line_end))
        elif not items and not intro_skipped and text.startswith(":", line_end - 1):
            intro_skipped = True
        else:
            break
        pos = nxt
    return items


def _first_list(text: str, after: int) -> list[tuple[int, int]]:
    """The first list after ``after`` ("Attending the meeting were: …")."""
    pos = text.find(":\n", after)
    while pos >= 0:
        items = _list_items(text, pos + 1)
        if items:
            return items
        pos = text.find(":\n", pos + 2)
    return []


# -- step 3: the post's kind -------------------------------------------------------------


def _from_kind(kind: str, post: _Post, hits: list[_Hit], found: set[str]) -> list[Event]:
    event_type = KIND_EVENTS.get(kind)
    if event_type is None or event_type in found:
        return []
    # A cue of the type in the lead judged no event (a domestic meeting, an
    # announcement) is not overruled.
    if any(h.kind == event_type and h.cue < post.lead_end for h in hits):
        return []
    end = post.text.find("\n")
    end = len(post.text) if end < 0 else end
    participants = _participants(post, 0, end)
    sides = post.flags or _readout_sides(post, 0, 0, end, participants)
    if _domestic(sides, participants, ""):
        return []
    return [_event(event_type, sides, participants)]


# -- step 4: stances in every sentence ---------------------------------------------------


def _stances(post: _Post, hits: list[_Hit], readouts: list[Event]) -> list[Event]:
    # A stance stated in a readout with no side of its own is between the readout's
    # sides ("the leaders exchanged cordial New Year's greetings").
    default = set(readouts[0].countries) if readouts else {OWN_COUNTRY}
    events = []
    for hit in hits:
        if hit.kind not in STANCE_TYPES:
            continue
        sides, participants = _stance_sides(post, hit)
        items = _list_items(post.text, hit.end)
        if items:
            sides |= {c for a, b in items for c in post.codes_between(a, b)}
            participants += [p for a, b in items for p in _participants(post, a, b)]
        if sides == {OWN_COUNTRY} and hit.start > 1 and ANAPHORA_RE.match(post.lower, hit.start):
            before, _ = post.sentence(hit.start - 2)
            sides |= _agents(post, before, hit.start)
        if sides == {OWN_COUNTRY}:
            sides = default
        events.append(_event(hit.kind, sides, participants))
    return events


def _stance_sides(post: _Post, hit: _Hit) -> tuple[set[str], list[Person]]:
    """Who takes the stance (the subject before the cue) and towards whom."""
    start = hit.start
    fronted = FRONTED_RE.match(post.lower, start, hit.cue)
    if fronted is not None:
        start = fronted.end()
    before = _participants(post, start, hit.cue)
    subject = set(post.codes_between(start, hit.cue)) | {p.country for p in before if p.country}
    if not subject or OWN_VOICE_RE.search(post.lower, start, hit.cue):
        subject.add(OWN_COUNTRY)
    after = _participants(post, hit.cue, hit.end)
    if hit.kind == "condemnation":
        # The condemned are the agents named after the cue ("the attack by the Kiev
        # regime"), not its victims or places ("interference in Iran's affairs", "on
        # the Russian President's residence").
        objects = _agents(post, hit.cue, hit.end)
    else:
        objects = set(post.codes_between(hit.cue, hit.end))
        objects |= {p.country for p in after if p.country}
    return subject | objects, before + after


def _agents(post: _Post, start: int, end: int) -> set[str]:
    """The countries named between ``start`` and ``end`` as agents, not as victims,
    places or possessors after a preposition; Russia never: the stance is its own."""
    agents = set()
    for i in range(bisect.bisect_left(post.starts, start), len(post.starts)):
        if post.ends[i] > end:
            break
        lead = post.lower[max(start, post.starts[i] - 24) : post.starts[i]]
        if post.codes[i] != OWN_COUNTRY and not NOT_AGENT_RE.search(lead):
            agents.add(post.codes[i])
    return agents


# -- step 5: criticism -------------------------------------------------------------------


def _criticism(post: _Post, hits: list[_Hit]) -> list[Event]:
    """A lead in words of criticism denounces the agent its first such sentence
    names ("by the US", "the Canadian authorities"); victims ("against Iran") and
    places ("in Venezuela") are not agents, nor is Russia, whose stance it is.
    Criticism in passing further down an interview is no event of the post."""
    for hit in hits:
        if hit.kind != CRITICISM or hit.cue >= post.lead_end:
            continue
        agents = _agents(post, hit.start, hit.end)
        if agents:
            participants = _participants(post, hit.start, hit.end)
            return [_event("condemnation", agents | {OWN_COUNTRY}, participants)]
    return []


# -- step 6: rubric hashtags -------------------------------------------------------------


def _rubrics(post: _Post) -> list[Event]:
    text = post.text
    if "#" not in text:
        return []
    events = []
    for match in HASHTAG_RE.finditer(text):
        kind = RUBRIC_HASHTAGS.get(match.group(1).casefold())
        if kind is None:
            continue
        line_end = text.find("\n", match.end())
        line_start = text.rfind("\n", 0, match.start()) + 1
        sides = set(post.codes_between(line_start, len(text) if line_end < 0 else line_end))
        events.append(_event(kind, sides | {OWN_COUNTRY}, []))
    return events


# -- shared ------------------------------------------------------------------------------


def _own(codes: list[str]) -> set[str]:
    return {OWN_COUNTRY, *codes}


def _participants(post: _Post, start: int, end: int) -> list[Person]:
    """The persons of stage 6 named between ``start`` and ``end``, full name or surname."""
    span = post.text[start:end]
    # The surname ends the full name: whoever is named in full is named by surname.
    return [p for p in post.people if p.name.rsplit(" ", 1)[-1] in span]


def _event(kind: str, sides: set[str], participants: list[Person]) -> Event:
    cameo, plover = EVENT_CODES[kind]
    unique = tuple(dict.fromkeys(participants))
    return Event(kind, participants=unique, countries=tuple(sorted(sides)),
                 cameo=cameo, plover=plover)  # fmt: skip


def _merge(events: list[Event], date: str | None, place: str | None) -> list[Event]:
    """Step 7: one event per type and sides, dated and placed as the post's event. An
    event with Russia alone is dropped beside one of its type with a partner: it is
    the same event, told without naming the partner again."""
    seen: dict[tuple[str, tuple[str, ...]], Event] = {}
    for event in events:
        key = (event.type, event.countries)
        if key not in seen:
            seen[key] = Event(event.type, date, place, event.participants, event.countries,
                              event.cameo, event.plover)  # fmt: skip
    partnered = {kind for kind, sides in seen if len(sides) > 1}
    own = (OWN_COUNTRY,)
    return [e for (kind, sides), e in seen.items() if not (sides == own and kind in partnered)]
