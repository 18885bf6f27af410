"""Stage 5: when and where the reported event took place.

Both fields come from the post's *lead*: its heading (the title line, and the
hashtag or "Name:" lines above it) and the few lines after it, list items left out.
Further down come background, quotes and history. In a question-and-answer post
the lead is the heading alone: the questions name what was talked about.

Event date (the first rule that gives a date wins):
    1. the heading's dateline, the parenthesis that dates a statement, answer or
       readout: "(January 20, 2026)", "(Perm, May 29, 2025)", "(24.01.2026)";
    2. a place line: "📍 Cairo, December 19", "📍 January 15, 2026, Geneva";
    3. a date opening a sentence of the lead: "On January 23, ...", "📆 On May 29,
       2025, ...", "In the early hours of January 1, ...", "💬 Name: On December 17
       in Maputo ..."; then, except in a history post, a calendar day: "January 24
       is the International Day ...";
    4. a date an event word leads to: "had a telephone conversation on January 3",
       "working visit to Cairo on December 19-20", "Decree No. 883 of December 12";
       not one in a topic ("a question regarding ... the talks on June 2").
A range ("December 18-19") gives its first day. A date more than a year before the
reference (the post's day, else the year hint) is history, never an event date; a
dateline a year off that lands within TYPO_DAYS of the post's day is a typo
("January 14, 2025" posted on 2026-01-15). A post whose title opens with a past date
("On January 23, 1930, ...") or whose heading has a HISTORY_CUES phrase ("On this
day", "memorable date") is a history post, whatever the kind stage says.

Year of a date written without one: of the post's year and the two around it, the
one that puts the event nearest the post's day, a day after it weighing as much as
FUTURE_WEIGHT days before it (a post of 2026-01-02 saying "On December 30" means
2025-12-30); an undated post takes ``ctx.year``, which ingest sets from
``year_hint`` over the post's dump.

Place (the first rule that names a city wins; history posts have none):
    1. a dated heading: the city of its dateline ("(New York, May 29, 2025)"), else
       a venue the heading names, else none: the cities of a dated statement's body
       are what it talks about, not where it was made;
    2. a place line: "📍 Cairo, December 19";
    3. the first city of the lead that its words make a venue (``_is_venue``): "On
       January 22, In Beijing", "held in Hanoi", "took place at the State Hermitage
       Museum of St Petersburg", "visit to Cairo", or a town before its region ("in
       Khorly, Kherson Region"); not a city in a paragraph about the past, nor one
       dated otherwise than the event ("signed in Minsk on October 28, 2025").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

import ahocorasick_rs

from communique.extract import places_data as pd
from communique.extract.context import Context

__all__ = ["event_date", "place", "year_hint"]

# -- data ---------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
    "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9,
    "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12,
}  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Phrases that open a sentence with the event's date.
OPENERS = (
    "On", "In the early hours of", "In the early hours on", "Early on", "Late on",
    "On the night of", "On the evening of", "On the morning of", "Overnight into",
)  # fmt: skip
# Words that make a date later in their sentence the event's ("conversation on").
EVENT_WORDS = (
    "conversation", "call", "talks", "meeting", "consultations", "negotiations", "visit",
    "visited", "decree", "Decree", "held", "took place", "signed", "met", "received",
    "hosted", "opened", "concluded", "ceremony", "session", "summit", "conference",
    "briefing",
)  # fmt: skip
# A heading that says one of these is a history post's.
HISTORY_CUES = ("On this day", "memorable date", "years ago", "#History")
HEADING_LINES = 3  # at most this many lines before the title (hashtags, "Name:")
LEAD_LINES = 3  # the lead: the title line and the lines after it
SCAN_LINES = HEADING_LINES + LEAD_LINES + 6  # and room for the list items skipped
FUTURE_WEIGHT = 3  # a day after the post weighs as much as this many days before it
HISTORICAL_DAYS = 366  # a date older than this before the post's day is history
TYPO_DAYS = 7  # a dateline a year off that lands this near the post's day is a typo

# -- patterns -----------------------------------------------------------------------


def _alternation(words: tuple[str, ...] | frozenset[str] | list[str]) -> str:
    """A regex alternation, longest first so that "New York City" beats "New York"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _date_pattern() -> str:
    """A date in any of the genre's forms: "May 29, 2025", "20 December", "24.01.2026"."""
    month, day = f"(?:{_alternation(list(MONTHS))})\\.?", r"(?:3[01]|[12]\d|0?[1-9])"
    span, year = rf"(?:\s*[-–—]\s*{day})?", r"(?:1[0-9]|20)\d\d"
    return (
        rf"(?:\b(?P<m1>{month})\s+(?P<d1>{day})(?:st|nd|rd|th)?{span}"
        rf"(?:,?\s+(?P<y1>{year}))?"
        rf"|\b(?P<d2>{day})(?:st|nd|rd|th)?{span}\s+(?P<m2>{month})"
        rf"(?:,?\s+(?P<y2>{year}))?"
        rf"|\b(?P<d3>{day})\.(?P<m3>1[0-2]|0?[1-9])\.(?P<y3>{year})"
        r")(?!\d)"
    )


_DATE = _date_pattern()
DATE_RE = re.compile(_DATE)
# Every written month starts with one of these: a line without any has no date, and
# looking for them costs a tenth of running DATE_RE over the line.
MONTH_HINT_RE = re.compile("|".join(sorted({name[:3] for name in MONTHS})))
# What stands before a date of each form; matched on the text just before the date,
# to which ". " is prefixed at the start of a line so that "^" needs no case.
_START = r"[.!?:]\s+[^\w(]*?"
_WEEKDAY = rf"(?:(?:the\s+)?(?:{_alternation(WEEKDAYS)}),?\s+)?"
OPENING_BEFORE_RE = re.compile(rf"{_START}(?:{_alternation(OPENERS)})\s+{_WEEKDAY}$")
CALENDAR_BEFORE_RE = re.compile(rf"{_START}$")
CALENDAR_AFTER_RE = re.compile(r"\s+(?:is|marks)\b|\s*[–—-]\s")
_IN_SENTENCE = r"(?:[^.;!?\n]|\.(?=\s*\d))"  # "No. 883" does not end a sentence
EVENT_BEFORE_RE = re.compile(
    rf"\b(?:{_alternation(EVENT_WORDS)})\b{_IN_SENTENCE}{{0,60}}?\b(?:on|of)\s+(?:the\s+)?$"
)
ON_DATE_RE = re.compile(rf"\s+on\s+(?:the\s+)?{_DATE}")
BEFORE_CHARS = 100  # how much text before a date its form is read from
CLAUSE_CHARS = 300  # how far back from a city its clause is read
WORDS_CHARS = 24  # "headquartered in ": the words right before a city
PAREN_RE = re.compile(r"\(([^()]{4,80})\)")
PIN_RE = re.compile(r"^\W*📍\s*(.+)$")
LIST_ITEM_RE = re.compile(r"^\s*(?:[▪◾◽▫•◦‣▸►🔹🔸🔺🔻➖*–—-]|\d+\s*[.)]\s|\d\ufe0f?\u20e3)")
HASHTAGS_RE = re.compile(r"\W*(?:#\w+\s*)+")  # a line of hashtags: "#Outcomes2025"
QUESTION_RE = re.compile(r"^\W*(?:❓|Question:)")
PLACE_NAME_RE = re.compile(r"[A-Z][\w’'.-]*(?:[\s-][A-Z][\w’'.-]*){0,2}")

_REGION = rf"(?:{_alternation(pd.NAMED_REGIONS)}|[A-Z][\w-]+\s+(?:{_alternation(pd.REGION_WORDS)}))"
REGION_HINT_RE = re.compile(rf",\s+{_REGION}\b")  # cheap: starts with a literal
TOWN_RE = re.compile(
    rf"\b[Ii]n\s+(?P<town>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{0,2}}),\s+{_REGION}\b"
)
NEXT_WORD_RE = re.compile(r"[’']s\b|\s+([\w-]+)")
NOT_A_PLACE_AFTER = frozenset(pd.NOT_A_PLACE_AFTER)
LOCATIVE_RE = re.compile(r"\b(?:in|In|at|At)\s+$")
ARRIVAL_RE = re.compile(rf"\b(?:{_alternation(pd.ARRIVAL_WORDS)})\s+to\s+$")
STATIC_RE = re.compile(rf"\b(?:{_alternation(pd.STATIC_WORDS)})\s+(?:in|at)\s+$")
VENUE_VERB_RE = re.compile(rf"\b(?:{_alternation(pd.VENUE_VERBS)})\b")
VENUE_PREP_RE = re.compile(r"\b(?:[Ii]n|[Aa]t|of)\s+(?:the\s+)?$")
ROLE_RE = re.compile(rf"\b(?:{_alternation(pd.ROLE_WORDS)})\b")
OFFICE_TITLE_RE = re.compile(r"(?:\s+(?:of|to|the|and|for|[A-Z][\w’'.-]*))*\s+(?:in|at)\s+")
AT_THE_RE = re.compile(r"\b(?:at|At)\s+(?:the\s+)?(?:\w+\s+){0,2}$")
# No leading \b: a pattern that opens with its words is scanned for much faster,
# and none of these words ends another word.
TOPIC_RE = re.compile(rf"(?:{_alternation(pd.TOPIC_WORDS)})\b")
# A sentence ends at ". " unless the dot closes an initial or a short title ("U.S.",
# "St.", "No."): a clause must keep the words that open it ("regarding ...").
CLAUSE_END_RE = re.compile(
    r"[.;!?](?<!\b[A-Z]\.)(?<!\bSt\.)(?<!\bNo\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)\s"
)


# Aho-Corasick finds every city in one pass; a regex alternation of 600 names costs
# about ten times as much per line. Matches are indexes into CITY_NAMES.
CITY_NAMES = sorted(pd.CITIES)
CITIES_AC = ahocorasick_rs.AhoCorasick(
    CITY_NAMES,
    matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
    implementation=ahocorasick_rs.Implementation.DFA,
)

# -- dates --------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class _Written:
    """A date as written: the year may be missing."""

    year: int | None
    month: int
    day: int


def _written(m: re.Match[str]) -> _Written:
    g = m.groupdict()
    month = g["m1"] or g["m2"] or g["m3"]
    year = g["y1"] or g["y2"] or g["y3"]
    number = int(month) if month.isdigit() else MONTHS[month.rstrip(".")]
    return _Written(int(year) if year else None, number, int(g["d1"] or g["d2"] or g["d3"]))


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve(written: _Written, ctx: Context, *, dateline: bool = False) -> date | None:
    """The event's day for a date as written; None if it is history or impossible."""
    ref = ctx.posted
    if written.year is None:
        if ref is not None:
            return _nearest(written, ref)
        return _day(ctx.year, written.month, written.day) if ctx.year else None
    found = _day(written.year, written.month, written.day)
    if found is None or ref is None:
        ok = found is not None and (ctx.year is None or found.year >= ctx.year - 1)
        return found if ok else None
    if dateline and abs(written.year - ref.year) == 1:
        fixed = _day(ref.year, written.month, written.day)
        if fixed and abs((fixed - ref).days) <= TYPO_DAYS < abs((found - ref).days):
            return fixed
    return None if (ref - found).days > HISTORICAL_DAYS else found


def _nearest(written: _Written, ref: date) -> date | None:
    """The day in the year around ``ref`` that puts it nearest, preferably before."""
    best: tuple[int, date] | None = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        day = _day(year, written.month, written.day)
        if day is not None:
            gap = (ref - day).days if day <= ref else FUTURE_WEIGHT * (day - ref).days
            if best is None or gap < best[0]:
                best = (gap, day)
    return best[1] if best else None


def _dates(line: str) -> list[re.Match[str]]:
    """The written dates in ``line`` (day-month forms; "24.01.2026" only in datelines)."""
    hint = MONTH_HINT_RE.search(line)
    if hint is None:
        return []
    # A date starts at most "18-19 " before its month.
    return list(DATE_RE.finditer(line, max(0, hint.start() - 8)))


def _is_past(dates: list[re.Match[str]], ctx: Context) -> bool:
    """Whether one of ``dates`` is a full date that is history."""
    for m in dates:
        written = _written(m)
        if written.year is not None and _resolve(written, ctx, dateline=True) is None:
            return True
    return False


# -- the lead -----------------------------------------------------------------------


@dataclass(slots=True)
class _Lead:
    heading: list[str]  # the header lines and the title line
    lines: list[str]  # the title line and the lines after it, list items left out
    pins: list[str]  # what follows "📍" in the first lines
    history: bool
    found: list[list[re.Match[str]] | None]  # the dates of each line, once looked for

    def dates(self, i: int) -> list[re.Match[str]]:
        """The dates written in line ``i`` (looked for only when a rule needs them)."""
        found = self.found[i]
        if found is None:
            found = self.found[i] = _dates(self.lines[i])
        return found


def _lead(ctx: Context) -> _Lead:
    """The heading, lead lines, place lines and history flag of the post (docstring)."""
    lines = [line for line in ctx.lines[:SCAN_LINES] if line.strip()]
    start = 0
    while start < min(HEADING_LINES, len(lines) - 1) and _is_header(lines[start]):
        start += 1
    heading = lines[: start + 1]
    pins = [m.group(1) for s in lines[: start + LEAD_LINES] if "📍" in s and (m := PIN_RE.match(s))]
    head = "\n".join(heading)
    history = ctx.kind == "history" or any(cue in head for cue in HISTORY_CUES)
    text = "\n".join(lines)
    if ("❓" in text or "Question:" in text) and any(QUESTION_RE.match(s) for s in lines):
        body = heading[-1:]
    else:
        body = [line for line in lines[start:] if not LIST_ITEM_RE.match(line)][:LEAD_LINES]
    lead = _Lead(heading, body, pins, history, [None] * len(body))
    if body and body[0] is heading[-1] and not history:
        lead.history = _is_past(lead.dates(0)[:1], ctx)  # "On January 23, 1930, ..."
    return lead


def _is_header(line: str) -> bool:
    """A line above the title: hashtags, or a "Name:" or "Embassy of ...:" label."""
    return line.rstrip().endswith(":") or HASHTAGS_RE.fullmatch(line) is not None


@dataclass(slots=True)
class _Dateline:
    day: date
    place: str | None
    before: str  # the heading line up to the dateline


def _dateline(lead: _Lead, ctx: Context) -> _Dateline | None:
    """The heading's last parenthesis holding a full date, unless that date is history."""
    for line in reversed(lead.heading):
        for paren in reversed(list(PAREN_RE.finditer(line))):
            m = DATE_RE.search(paren.group(1))
            if m is None or _written(m).year is None:
                continue
            day = _resolve(_written(m), ctx, dateline=True)
            if day is None:
                return None
            return _Dateline(day, _named_place(_without(paren.group(1), m)), line[: paren.start()])
    return None


def _without(text: str, m: re.Match[str]) -> str:
    return (text[: m.start()] + text[m.end() :]).strip(" ,;:")


def _named_place(text: str) -> str | None:
    """``text`` if it can be the city of a dateline: not "The Ethiopian Herald"."""
    if text in pd.CITIES:
        return text
    if PLACE_NAME_RE.fullmatch(text) and not text.startswith("The "):
        return None if text in WEEKDAYS or text in MONTHS else text
    return None


def _pinned(lead: _Lead, ctx: Context) -> tuple[date | None, str | None]:
    """The day and city of the first "📍 Cairo, December 19" line."""
    for pin in lead.pins:
        m = DATE_RE.search(pin)
        if m is None:  # "📍 Cairo", but not "📍In 2026, #UNESCO events ..."
            name = pin.split(",")[0].strip()
            return None, name if name in pd.CITIES else None
        return _resolve(_written(m), ctx), _named_place(_without(pin, m))
    return None, None


# -- the stage ----------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class _Found:
    day: date | None
    place: str | None


# The cascade asks for the date and then the place of the same context, and both
# come from one reading of the lead: the last reading is kept, for that very context
# object in the same state, which halves the stage's time.
_last: list[tuple[Context, tuple[object, ...], _Found]] = []


def event_date(ctx: Context) -> str | None:
    """The day of the event the post reports, as YYYY-MM-DD (cascade in the docstring)."""
    day = _found(ctx).day
    return day.isoformat() if day else None


def place(ctx: Context) -> str | None:
    """The city where the reported event took place (cascade in the docstring)."""
    return _found(ctx).place


def _found(ctx: Context) -> _Found:
    state = (ctx.kind, ctx.year, ctx.posted, ctx.text)
    last = _last[0] if _last else None  # one read: another thread may replace it
    if last is not None and last[0] is ctx and last[1] == state:
        return last[2]
    lead = _lead(ctx)
    dateline = _dateline(lead, ctx)
    day: date | None
    if dateline is not None:
        day = dateline.day
        where = None if lead.history else dateline.place or _venue(dateline.before, day, ctx)
    else:
        pin_day, pin_place = _pinned(lead, ctx)
        day = pin_day or _lead_day(lead, ctx)
        where = None if lead.history else pin_place or _lead_place(lead, day, ctx)
    found = _Found(day, where)
    _last[:] = [(ctx, state, found)]
    return found


OPENING, CALENDAR, EVENT = 0, 1, 2  # the forms of rules 3 and 4, best first


def _lead_day(lead: _Lead, ctx: Context) -> date | None:
    """The first date of the best form in the lead (rules 3 and 4)."""
    found: dict[int, date] = {}
    for i, line in enumerate(lead.lines):
        for m in lead.dates(i):
            rank = _form(line, m, lead.history)
            if rank is not None and rank not in found:
                day = _resolve(_written(m), ctx)
                if day is not None:
                    found[rank] = day
        if OPENING in found:
            break
    return found[min(found)] if found else None


def _form(line: str, m: re.Match[str], history: bool) -> int | None:
    """Which form of event date ``m`` is in ``line``, or None if none."""
    start = m.start()
    before = (". " if start <= BEFORE_CHARS else "") + line[max(0, start - BEFORE_CHARS) : start]
    if OPENING_BEFORE_RE.search(before):
        return OPENING
    if not history and CALENDAR_BEFORE_RE.search(before) and CALENDAR_AFTER_RE.match(line, m.end()):
        return CALENDAR
    if EVENT_BEFORE_RE.search(before):
        # Not a date in a topic: "regarding ... talks in Istanbul on June 2".
        return None if _in_topic(CLAUSE_END_RE.split(line[:start])[-1]) else EVENT
    return None


def _lead_place(lead: _Lead, day: date | None, ctx: Context) -> str | None:
    """The first venue of the lead outside paragraphs about the past (rule 3)."""
    for i, line in enumerate(lead.lines):
        found = _venue(line, day, ctx)
        if found and not _is_past(lead.dates(i), ctx):
            return found
    return None


def _venue(line: str, day: date | None, ctx: Context) -> str | None:
    """The first city in ``line`` that its words make the venue of the event of ``day``."""
    towns = TOWN_RE.finditer(line) if REGION_HINT_RE.search(line) else ()
    found = [
        (m.start("town"), m.group("town")) for m in towns if _is_venue(line[: m.start("town")])
    ]
    for start, end, name in _cities(line):
        if not _is_venue(line[:start]) or _in_longer_name(line, end):
            continue
        dated = ON_DATE_RE.match(line, end)  # "signed in Minsk on October 28, 2025"
        if dated is None or day is None or _resolve(_written(dated), ctx) == day:
            found.append((start, name))
            break
    return min(found)[1] if found else None


def _cities(line: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of the cities named in ``line``, in order, longest first."""
    found = []
    for index, start, end in CITIES_AC.find_matches_as_indexes(line):
        name = CITY_NAMES[index]
        if (start and _joins(line[start - 1])) or (end < len(line) and _joins(line[end])):
            continue  # part of a longer word: "Perm" in "Permanent"
        found.append((start, end, name))
    return found


def _joins(char: str) -> bool:
    return char.isalnum() or char == "-"


def _in_longer_name(line: str, end: int) -> bool:
    """Whether the city ending at ``end`` is part of a name: "the Kiev regime", "Moscow's"."""
    m = NEXT_WORD_RE.match(line, end)
    return m is not None and (m.group(1) is None or m.group(1) in NOT_A_PLACE_AFTER)


def _is_venue(before: str) -> bool:
    """Whether the city after ``before`` (its line up to the city) is a venue.

    It is after "in"/"at" ("held in Hanoi"), "visit to" or "coming to", or after
    "in/at/of (the)" in a clause with an event verb ("took place at the ... Museum
    of St Petersburg"). It is not after "located in", nor in an office's title
    ("Consul General ... in Toronto"; but "held at the Consulate General ... in
    Montreal" is a venue), nor in a topic ("answer ... regarding ... in Istanbul").
    """
    words = before[-WORDS_CHARS:]  # the few words right before the city
    if not VENUE_PREP_RE.search(words) and not ARRIVAL_RE.search(words):
        return False  # most cities in a text: "Moscow and Minsk", "Beijing's position"
    clause = CLAUSE_END_RE.split(before[-CLAUSE_CHARS:])[-1]
    if STATIC_RE.search(words) or _in_topic(clause):
        return False
    if ARRIVAL_RE.search(words):
        return True
    if LOCATIVE_RE.search(words):
        return not _in_office_title(clause)
    return VENUE_VERB_RE.search(clause) is not None


def _in_topic(clause: str) -> bool:
    """Whether ``clause`` ends in a topic: "regarding ... talks in", but not "Following
    the talks, the Ministers held a news conference in"."""
    ends = [m.end() for m in TOPIC_RE.finditer(clause)]
    return bool(ends) and not VENUE_VERB_RE.search(clause, ends[-1])


def _in_office_title(clause: str) -> bool:
    """Whether ``clause`` ends inside an office's title: "Consul General of ... in"."""
    for role in reversed(list(ROLE_RE.finditer(clause))):
        if OFFICE_TITLE_RE.fullmatch(clause, role.end()):
            return not AT_THE_RE.search(clause, 0, role.start())
    return False


# -- dumps --------------------------------------------------------------------------


def year_hint(texts: list[str]) -> int | None:
    """The year most of a dump's posts state in a full date, for its undated dates.

    A post counts once for each year it states; a tie goes to the later year, since
    history posts bring old years but never outnumber the dump's own.
    """
    counts: Counter[int] = Counter()
    for text in texts:
        counts.update({y for m in DATE_RE.finditer(text) if (y := _written(m).year)})
    if not counts:
        return None
    return max(counts, key=lambda year: (counts[year], year))
