"""Plain-text dumps of a channel's public web preview (``../shared/seeds``).

A dump is what a scraper copied off t.me/s/CHANNEL as text: no dates, ids or
channel names, and each post's text twice in a row. The first copy opens with the
post's first line (its title), the second copy lacks it; either copy may lack lines
the other has (the second drops lines with custom emoji, the first can drop
paragraphs or list items). Header lines stand before a post (a forward header, a
reply header of two lines), and widget texts mark media the preview could not show
(``communique.boilerplate``).

The splitter walks the lines once, in this order of rules:

1. A forward header, a reply header or a "before" widget is kept for the next post;
   an "after" widget belongs to the post just read; a lone "VIEW IN TELEGRAM" is
   dropped.
2. Any other line starts a post: it is the title, and the first copy runs from it
   up to the start of the second copy: the first line that repeats a line of the
   first copy *and* is followed by the line that followed it there (so a "<...>"
   marker used twice inside one copy is not taken for the second copy).
3. The second copy runs while its lines match the first copy's in order. A run of
   lines the first copy lacks is taken into the second copy when the first copy's
   lines resume right after it and the run repeats no line of its own (a run with
   its own repeats is the next post, with its own two copies).
4. The post ends where its second copy ends (every line of the first copy matched,
   or nothing matches any more), at a header or widget, or at the end of the file.

Known limits: a post whose second copy is missing entirely (every line had custom
emoji) is recognised only when a header or widget follows it; otherwise it runs
into the next post. When the second copy opens with a line the first copy dropped,
that line is placed after the first copy's lines rather than before them.

The merge of the two copies into one text is ``normalise``'s job; this module only
finds the copies and the metadata around them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from communique.boilerplate import (
    FORWARDED_PREFIX,
    MAX_CHANNEL_NAME_CHARS,
    REPLY_PREVIEW_ENDINGS,
    VIEW_IN_TELEGRAM,
    WIDGETS,
)
from communique.models import RawPost, ReplyTo, Skipped, SourceRef
from communique.sources.textfile import read_lines

NAME = "dump"

# How many lines a second copy may carry that the first copy dropped, in one run
# (seen: a 9-item list). Bounds the look-ahead of rule 3.
MAX_DROPPED_RUN = 40
# How far ahead a reply preview is checked not to repeat: a post's own lines repeat
# within its second copy, a reply preview never does.
REPLY_LOOKAHEAD = 400


def sniff(path: Path, head: str) -> bool:
    """Any text that is not markup or JSON: the dump is the format of last resort."""
    start = head.lstrip("\ufeff \t\r\n")[:1]
    return bool(start) and start not in "<{[" and "\x00" not in head


@dataclass(slots=True)
class _Pending:
    """Header lines read since the last post, waiting for the post they introduce."""

    first_line: int | None = None
    forwarded_from: str | None = None
    reply_to: ReplyTo | None = None
    media: list[str] = field(default_factory=list)

    def note(self, number: int) -> None:
        if self.first_line is None:
            self.first_line = number

    def empty(self) -> bool:
        return self.first_line is None


def read(path: Path, *, channel: str | None = None) -> Iterator[RawPost | Skipped]:
    numbered = [(n, line.rstrip()) for n, line in read_lines(path)]
    # Blank lines carry nothing in a dump; line numbers are kept for the source span.
    numbered = [(n, line) for n, line in numbered if line.strip()]
    yield from _Splitter(path, [n for n, _ in numbered], [t for _, t in numbered], channel)


class _Splitter:
    def __init__(self, path: Path, numbers: list[int], lines: list[str], channel: str | None):
        self.path = str(path)
        self.numbers = numbers
        self.lines = lines
        self.channel = channel

    def __iter__(self) -> Iterator[RawPost | Skipped]:
        lines, n = self.lines, len(self.lines)
        pending = _Pending()
        last: RawPost | None = None
        i = 0
        while i < n:
            line = lines[i]
            if line == VIEW_IN_TELEGRAM:
                i += 1
            elif line in WIDGETS:
                widget = WIDGETS[line]
                # The link under a widget belongs to it, and to the post's span.
                end = i + 1 if i + 1 < n and lines[i + 1] == VIEW_IN_TELEGRAM else i
                if widget.position == "after" and last is not None and pending.empty():
                    _add_media(last.media, widget.media)
                    last.source = self._span(last.source, end)
                else:
                    pending.note(self.numbers[i])
                    _add_media(pending.media, widget.media)
                i = end + 1
            elif line.startswith(FORWARDED_PREFIX) and len(line) > len(FORWARDED_PREFIX):
                pending.note(self.numbers[i])
                pending.forwarded_from = line[len(FORWARDED_PREFIX) :].strip()
                i += 1
            elif self._is_reply_header(i):
                pending.note(self.numbers[i])
                pending.reply_to = ReplyTo(channel=line.strip(), text=lines[i + 1].strip())
                i += 2
            else:
                if last is not None:
                    yield last
                end, copies = self._read_post(i)
                last = self._raw_post(pending, i, end, copies)
                pending = _Pending()
                i = end
        if last is not None:
            yield last
        if not pending.empty():
            first = pending.first_line or 0
            yield Skipped(
                reason="header or widget lines with no post after them",
                source=SourceRef(kind=NAME, path=self.path, lines=(first, self.numbers[-1])),
            )

    def _raw_post(
        self, pending: _Pending, start: int, end: int, copies: list[list[str]]
    ) -> RawPost:
        first = pending.first_line if pending.first_line is not None else self.numbers[start]
        return RawPost(
            copies=copies,
            source=SourceRef(kind=NAME, path=self.path, lines=(first, self.numbers[end - 1])),
            channel=self.channel,
            forwarded_from=pending.forwarded_from,
            reply_to=pending.reply_to,
            media=pending.media,
        )

    def _span(self, source: SourceRef, last_index: int) -> SourceRef:
        first = source.lines[0] if source.lines else self.numbers[last_index]
        return SourceRef(
            kind=source.kind, path=source.path, lines=(first, self.numbers[last_index])
        )

    def _is_boundary(self, i: int) -> bool:
        """A header or widget line: no post's copy runs across it."""
        line = self.lines[i]
        return (
            line in WIDGETS
            or line == VIEW_IN_TELEGRAM
            or (line.startswith(FORWARDED_PREFIX) and len(line) > len(FORWARDED_PREFIX))
        )

    def _is_reply_header(self, i: int) -> bool:
        """A short channel name, then a one-line preview that is not repeated later."""
        lines = self.lines
        if i + 2 >= len(lines):
            return False
        name, preview = lines[i], lines[i + 1]
        if len(name) > MAX_CHANNEL_NAME_CHARS or name.endswith(REPLY_PREVIEW_ENDINGS):
            return False
        if not preview.endswith(REPLY_PREVIEW_ENDINGS) or self._is_boundary(i + 1):
            return False
        # A post's own line comes back in its second copy; a preview comes back only
        # as the preview of another reply to the same post, under the same name.
        window = lines[i + 2 : i + 2 + REPLY_LOOKAHEAD]
        return all(window[k - 1] == name for k, line in enumerate(window) if line == preview and k)

    def _limit(self, start: int) -> int:
        """Index of the first header or widget line at or after ``start``."""
        for j in range(start, len(self.lines)):
            if self._is_boundary(j):
                return j
        return len(self.lines)

    def _read_post(self, p: int) -> tuple[int, list[list[str]]]:
        """Rules 2-4 for the post titled by line ``p``: (end index, its copies)."""
        lines = self.lines
        limit = self._limit(p + 1)
        r = self._second_copy_start(p, limit)
        if r is None:
            return limit, [lines[p:limit]]
        first = lines[p:r]
        end = self._second_copy_end(first, r, limit)
        return end, [first, lines[r:end]]

    def _second_copy_start(self, p: int, limit: int) -> int | None:
        lines = self.lines
        seen: dict[str, list[int]] = {lines[p]: [p]}
        for j in range(p + 1, limit):
            for a in seen.get(lines[j], ()):
                if a > p and self._continues(a, j, limit):
                    return j
            seen.setdefault(lines[j], []).append(j)
        return None

    def _continues(self, a: int, j: int, limit: int) -> bool:
        """Whether line ``j``, a repeat of line ``a``, opens the second copy."""
        lines = self.lines
        if a + 1 == j or j + 1 >= limit:
            return True
        follows = {lines[a + 1]}
        if a + 2 < j:
            follows.add(lines[a + 2])  # the second copy may drop the line after
        return lines[j + 1] in follows

    def _second_copy_end(self, first: list[str], r: int, limit: int) -> int:
        lines = self.lines
        ptr = -1  # index in ``first`` of the last line matched
        j = r
        while j < limit:
            q = _find(first, lines[j], ptr + 1)
            if q is not None:
                ptr, j = q, j + 1
                continue
            if ptr == len(first) - 1 or self._is_reply_header(j):
                break
            resume = self._resume(first[ptr + 1 :], j, limit)
            if resume is None:
                break
            j = resume
        return j

    def _resume(self, remaining: list[str], j: int, limit: int) -> int | None:
        """Where the first copy's remaining lines resume after a run it dropped."""
        wanted = set(remaining)
        run: set[str] = set()
        for k in range(j, min(limit, j + MAX_DROPPED_RUN)):
            line = self.lines[k]
            if line in wanted:
                return k
            if line in run:
                return None
            run.add(line)
        return None


def _find(items: list[str], value: str, start: int) -> int | None:
    for k in range(start, len(items)):
        if items[k] == value:
            return k
    return None


def _add_media(media: list[str], kind: str) -> None:
    if kind not in media:
        media.append(kind)
