"""Stage 3: what kind of post it is.

The channel titles its posts by genre, so the title decides most posts and the
body only the untitled ones. The cascade, first step that decides wins (the
patterns are data, in kind_patterns.py):

    0. layout     the opening lines: hashtag lines ("#Outcomes2025"), a source or
                  speaker header ("Russian Embassy in Rwanda:", "Russia's Foreign
                  Ministry Spokeswoman Maria Zakharova:"), then the title
    1. markers    over the title block: "#LIVE", "#Announcement", the future tense
                  ("will hold her weekly briefing") -> announcement; "annual news
                  conference" -> briefing; "#Opinion" -> opinion
    2. title      the earliest genre word or readout verb in the title: "Statement
                  by", "'s answer to a media question", "Interview", "greetings",
                  "had a telephone conversation", "held consultations", "ceremony",
                  "held a meeting", "24 years ago", "On January 12, 1945, ..."; a
                  title that names no genre yields to a byline under it ("Message
                  by ...")
    3. emoji      the title's leading emoji: 📞 call, ✉️ message, 🤝 meeting, 🔴 live
    4. cues       a closing "(Excerpt from ... weekly briefing ...)": briefing;
                  "❓ Question" answered by "💬 ...": answer (interview when there are
                  several); a speaker header or a title that is a "💬" quote: the
                  person's statement, or a meeting if the quote is a first-person
                  readout ("we met"), or a report if it is "PHOTO EVIDENCE"
    5. lead       the readout verbs on the first lines after the title, and the
                  ministry's own reactions ("Moscow welcomes ..." -> comment)
    6. weak       "congratulated" -> message; "anniversary", war-memory words or a
                  memory hashtag ("#Victory81") -> history
    7. otherwise  other

Each table of rules is matched in one pass by a ``RuleSet``: an Aho-Corasick
automaton finds the words the rules open with, and only the rules so found are
tried, at those places. ``layout`` and ``RuleSet`` serve stage 4 (speaker.py) too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

import ahocorasick_rs

from communique.extract import kind_patterns as kp
from communique.extract.context import Context

KINDS = (
    "statement", "comment", "answer", "interview", "briefing", "meeting", "phone_call",
    "consultations", "message", "ceremony", "history", "announcement", "opinion", "report",
    "service", "other",
)  # fmt: skip

# What a needle may be: the literal words a pattern opens with.
_LITERAL = re.compile(r"[\w #'’&:–—-]+")


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule matching a text at ``match.start()``."""

    kind: str
    match: re.Match[str]


class RuleSet:
    """A table of ``(kind, pattern)`` rules, matched together (kind_patterns.py says how)."""

    def __init__(self, rules: Sequence[tuple[str, str]]) -> None:
        self.kinds = tuple(kind for kind, _ in rules)
        self.cased = tuple(pattern.startswith(kp.CASED) for _, pattern in rules)
        # MULTILINE: a rule's "^" opens any line of the text it reads.
        self.patterns = tuple(re.compile(pattern, re.MULTILINE) for _, pattern in rules)
        table: dict[str, list[int]] = {}
        for i, (_, pattern) in enumerate(rules):
            for needle in needles(pattern):
                table.setdefault(needle, []).append(i)
        self.automaton = ahocorasick_rs.AhoCorasick(
            list(table), implementation=ahocorasick_rs.Implementation.DFA
        )
        # By the automaton's match index: whether the needle opens with a letter or a
        # digit (then it must open a word too), and the rules it opens.
        self.needles = tuple((needle[0].isalnum(), tuple(ids)) for needle, ids in table.items())

    def hits(self, text: str) -> list[Hit]:
        """Every rule that matches ``text``, by place, then in table order."""
        return [Hit(self.kinds[i], m) for _, i, m in self._scan(text)]

    def first(self, text: str, ref: int | None = None) -> str | None:
        """The kind of the earliest rule matching ``text``; ``ref`` dates memory posts."""
        for _, i, m in self._scan(text):
            kind = self.kinds[i]
            if kind != "history_date":
                return None if kind == "-" else kind
            if _long_ago(int(m.group()[-4:]), ref):
                return "history"
        return None

    def _scan(self, text: str) -> list[tuple[int, int, re.Match[str]]]:
        lowered = text.lower()
        if len(lowered) != len(text):  # a rare letter whose lower case is longer
            text = lowered
        found = []
        needles = self.needles
        for index, start, _ in self.automaton.find_matches_as_indexes(lowered, overlapping=True):
            word, ids = needles[index]
            if word and start and lowered[start - 1].isalnum():
                continue  # a needle inside a word: "met" in "helmet"
            for i in ids:
                m = self.patterns[i].match(text if self.cased[i] else lowered, start)
                if m is not None:
                    found.append((start, i, m))
        if len(found) > 1:
            found.sort(key=_PLACE_AND_RULE)
        return found


_PLACE_AND_RULE = itemgetter(0, 1)


def needles(pattern: str) -> tuple[str, ...]:
    """The literal words ``pattern`` opens with, lower-cased (ValueError if none)."""
    body = pattern.removeprefix(kp.CASED).lstrip("^")
    quantified = ("?", "*", "{")
    if body.startswith("(?:"):
        close = body.index(")")
        words = body[3:close].split("|")
        if body[close + 1 : close + 2] in quantified:  # an optional opening is no needle
            words = []
    else:
        m = _LITERAL.match(body)
        words = [m.group()] if m else []
        if m and body[m.end() : m.end() + 1] in quantified:  # "answers?": "answer"
            words = [m.group()[:-1]]
    if not words or any(len(w) < 2 or not _LITERAL.fullmatch(w) for w in words):
        raise ValueError(f"a rule must open with literal words: {pattern!r}")
    return tuple(w.lower() for w in words)


_HASHTAG_LINE = re.compile(kp.HASHTAG_LINE)
_LEADING_MARKS = re.compile(kp.LEADING_MARKS)
_QUOTE_LINE = re.compile(kp.QUOTE_LINE)
_QUESTION_LINE = re.compile(kp.QUESTION_LINE)
_BYLINE = re.compile(kp.BYLINE, re.IGNORECASE)
_HISTORY_HASHTAG = re.compile(kp.HISTORY_HASHTAG, re.IGNORECASE)

_MARKERS = RuleSet(kp.MARKER_RULES)
_EXCERPT = RuleSet(kp.EXCERPT_RULES)
_TITLE = RuleSet(kp.GENRE_RULES + kp.READOUT_RULES)
_QUOTED = RuleSet(kp.QUOTED_RULES)
_LEAD = RuleSet(kp.READOUT_RULES + kp.LEAD_RULES)
_WEAK = RuleSet(kp.WEAK_RULES)


@dataclass(slots=True, frozen=True)
class Layout:
    """The opening lines of a post, told apart."""

    tags: tuple[str, ...]  # hashtag lines before the title
    header: str | None  # a source or speaker header line, leading marks removed
    speaker_header: bool  # the header names a person
    mark: str  # the title's leading emoji and bullets
    title: str  # the title line, leading marks removed
    quote: bool  # the title is a quote ("💬 ...") rather than a title
    byline: str | None  # "Message by ..." under the title
    lead: tuple[str, ...]  # the lines after the title that step 5 reads


def classify(ctx: Context) -> str:
    """The kind of the post in ``ctx``: one of ``KINDS`` (never "service": sources say)."""
    if not ctx.lines:
        return "other"
    shape = layout(ctx.lines)
    return (
        _markers(shape)
        or _title(shape, ctx.year)
        or _emoji(shape)
        or _cues(shape, ctx)
        or _lead(shape, ctx.year)
        or _weak(shape, ctx.lines)
        or "other"
    )


def layout(lines: list[str]) -> Layout:
    """Step 0: hashtag lines, header and title of a post's ``lines``."""
    # Stage 4 asks again for the post stage 3 just read: keep the last answer (read
    # once, so that another thread replacing it cannot mix two posts).
    global _last
    last = _last
    if last is not None and last[0] is lines:
        return last[1]
    found = _layout(lines)
    _last = (lines, found)
    return found


_last: tuple[list[str], Layout] | None = None


def _layout(lines: list[str]) -> Layout:
    i, tags = _skip_tags(lines, 0)
    header, speaker_header = None, False
    if i < len(lines) and (found := _header(lines[i])) is not None:
        header, speaker_header = found
        i, more = _skip_tags(lines, i + 1)
        tags += more
    line = lines[i] if i < len(lines) else ""
    marks = _LEADING_MARKS.match(line)
    mark = marks.group() if marks else ""
    return Layout(
        tags=tuple(tags),
        header=header,
        speaker_header=speaker_header,
        mark=mark,
        title=line[len(mark) :],
        quote=bool(_QUOTE_LINE.match(line)),
        byline=_byline(lines[i + 1]) if i + 1 < len(lines) else None,
        lead=tuple(lines[i + 1 : i + 1 + kp.LEAD_LINES]),
    )


def _skip_tags(lines: list[str], i: int) -> tuple[int, list[str]]:
    tags = []
    while i < len(lines) and "#" in lines[i] and _HASHTAG_LINE.match(lines[i]):
        tags.append(lines[i])
        i += 1
    return i, tags


def _byline(line: str) -> str | None:
    return _LEADING_MARKS.sub("", line) if _BYLINE.match(line) else None


def _header(line: str) -> tuple[str, bool] | None:
    """A title-case line ending with a colon, and whether it names a person.

    "Consulate General of Russia in Cape Town:" names a body, "Ambassador at Large
    ... Rodion Miroshnik:" a person: a person's header carries a role word, a
    body's an institution word.
    """
    if not line.endswith(":"):
        return None
    text = _LEADING_MARKS.sub("", line)[:-1]
    words = text.replace(",", " ").split()
    if not words or len(words) > kp.HEADER_MAX_WORDS:
        return None
    if any(w[0].islower() and w not in kp.HEADER_SMALL_WORDS for w in words):
        return None
    lowered = {w.lower() for w in words}
    if lowered.isdisjoint(kp.SPEAKER_ROLES):
        return (text, False) if not lowered.isdisjoint(kp.INSTITUTION_WORDS) else None
    return text, len(words) >= 3


def _long_ago(year: int, ref: int | None) -> bool:
    if ref is None:
        return year < kp.HISTORY_BEFORE
    return year <= ref - kp.HISTORY_MIN_AGE


def _markers(shape: Layout) -> str | None:
    """Step 1: live streams, announcements, briefings, op-eds, whatever the title says."""
    return _MARKERS.first("\n".join((*shape.tags, shape.header or "", shape.title)))


def _title(shape: Layout, ref: int | None) -> str | None:
    """Step 2: the genre word or readout verb of a real title (not of a quote)."""
    if shape.quote or shape.speaker_header:
        return None
    kind = _TITLE.first(shape.title, ref)
    if kind is None and shape.byline:
        return _TITLE.first(shape.byline, ref)
    return kind


def _emoji(shape: Layout) -> str | None:
    """Step 3: the title's leading emoji, when its words said nothing."""
    if shape.quote or shape.speaker_header:
        return None
    for emoji, kind in kp.EMOJI_KINDS.items():
        if emoji in shape.mark:
            return kind
    return None


def _cues(shape: Layout, ctx: Context) -> str | None:
    """Step 4: briefing excerpts, question-and-answer exchanges, speaker headers, quotes.

    A post that closes with "(From the briefing by ...)" quotes a briefing; but only
    when its title said nothing (a memory post may close with such a quote too).
    """
    if _EXCERPT.first("\n".join(ctx.lines[-2:])):
        return "briefing"
    exchanges = _exchanges(ctx.lines) if "❓" in ctx.text or "Question:" in ctx.text else 0
    if exchanges:
        return "interview" if exchanges >= kp.INTERVIEW_MIN_QUESTIONS else "answer"
    if not (shape.quote or shape.speaker_header):
        return None
    return _QUOTED.first(shape.title) or "statement"


def _exchanges(lines: list[str]) -> int:
    """How many "❓" questions are answered by the next line (a "💬" quote or "Answer:")."""
    count = 0
    for i in range(len(lines) - 1):
        if _QUESTION_LINE.match(lines[i]):
            reply = lines[i + 1]
            count += bool(_QUOTE_LINE.match(reply)) or "Answer:" in reply[:12]
    return count


def _lead(shape: Layout, ref: int | None) -> str | None:
    """Step 5: what the first lines report, for a post whose title said nothing."""
    return _LEAD.first("\n".join((shape.title, *shape.lead)), ref)


def _weak(shape: Layout, lines: list[str]) -> str | None:
    """Step 6: greetings and memory words, memory hashtags."""
    if kind := _WEAK.first("\n".join((shape.title, *shape.lead))):
        return kind
    tags = "\n".join((*shape.tags, *lines[-2:]))
    return "history" if _HISTORY_HASHTAG.search(tags) else None
