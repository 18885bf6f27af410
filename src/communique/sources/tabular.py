"""CSV and JSON Lines files written by other scrapers: one post per row or line.

Two formats, one reader: ``read_csv`` / ``sniff_csv`` (``CSV``) and ``read_jsonl`` /
``sniff_jsonl`` (``JSONL``). A *mapping* says which column (or JSON key) holds which
field, as ``target -> column``; ``parse_mapping`` reads it from the CLI form
``--map text=body,date=published``. Targets the mapping leaves out are guessed from
common column names (``GUESSES``). A file whose header is exactly that of a known
scraper takes its ``PRESETS`` entry: its mapping, its channel and its text repair.

How a row maps to ``RawPost`` (``SourceRef(kind="csv" | "jsonl", path, lines)``,
``lines`` being the physical lines of the row):

=========================  ======================================================
target                     RawPost
=========================  ======================================================
``text``                   ``copies``: one copy, split at "\\n" (required column)
``message_id``             ``message_id`` (not a positive integer: row Skipped)
``date``                   ``date``: ISO 8601, UTC when the value has an offset;
                           epoch seconds are UTC (unparseable: row Skipped)
``channel``                ``channel`` (else the ``channel`` argument, else the
                           preset's); "@name" and "t.me/name" become "name"
``url``                    ``channel`` and ``message_id`` when they are missing
``views``                  ``views`` and ``views_rounding``: "5.37K" is 5370 to 10
``links``                  ``links``: absolute URLs, once each; t.me search links
                           for "#Tag" go to ``hashtags`` instead
``hashtags``               ``hashtags``: without "#", in order, once each
``forwarded_from``         ``forwarded_from``
``reply_to_message_id``    ``reply_to=ReplyTo(None, None, id)``
``has_photo`` ...          ``media``: the kinds in ``MEDIA_FLAGS`` whose flag is true
=========================  ======================================================

A text that is one service line ("... pinned a photo", ``SERVICE_TEXTS``) makes a
``kind="service"`` post. The t.me address of a post is left to ``normalise``,
which builds it from ``channel`` and ``message_id``.

A file as a whole is refused (``InputError``, with path and line) when it is empty,
huge, binary or not UTF-8 (``textfile``), when its quoting is broken, or when no
column holds the text. One bad value only skips its row, with the reason.

The scraper's artefacts in the text are undone by ``repair`` (presets with
``repair=True``), which also moves a leading reply preview into ``reply_to``.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from communique import settings
from communique.errors import InputError, MalformedInput, TooLarge
from communique.models import RawPost, ReplyTo, Skipped, SourceRef
from communique.sources.repair import repair_text, split_reply_preview
from communique.sources.telegram import hashtag_of, parse_count
from communique.sources.textfile import (
    SURROGATE_NOTE,
    may_hold_surrogates,
    read_lines,
    without_surrogates,
)

# A true flag adds its media kind (the kinds tdesktop and the dump also use).
MEDIA_FLAGS: dict[str, str] = {
    "has_photo": "photo",
    "has_video": "video",
    "has_round_video": "round_video",
    "has_audio": "audio",
    "has_voice": "voice",
    "has_document": "document",
    "has_sticker": "sticker",
    "has_poll": "poll",
    "has_location": "location",
}

# Column names tried, case-insensitively and in this order, for unmapped targets.
GUESSES: dict[str, tuple[str, ...]] = {
    "text": ("text", "message", "content", "body", "message_text", "caption"),
    "date": ("date", "datetime", "timestamp", "time", "created_at", "published"),
    "message_id": ("message_id", "id", "msg_id", "post_id"),
    "channel": ("channel", "username", "channel_username", "chat"),
    "url": ("url", "link", "post_url", "permalink"),
    "views": ("views", "view_count", "views_count"),
    "links": ("links", "urls"),
    "hashtags": ("hashtags", "tags"),
    "forwarded_from": ("forwarded_from", "fwd_from", "forward_from"),
    "reply_to_message_id": ("reply_to_message_id", "reply_to_msg_id", "reply_to"),
    **{flag: (flag,) for flag in MEDIA_FLAGS},
}
TARGETS = tuple(GUESSES)  # what a mapping may name


@dataclass(slots=True, frozen=True)
class Preset:
    """The exact output of one known scraper, and how to read it."""

    header: tuple[str, ...]
    mapping: dict[str, str]
    channel: str | None = None
    repair: bool = False  # whether its texts carry the artefacts ``repair_text`` undoes


PRESETS: dict[str, Preset] = {
    # ../shared/data/mfarussia_2025-12_2026-03.csv (lobsterbush/kremlin-speeches):
    # "|"-joined urls with hashtags as "?q=%23Tag", views as "5.37K".
    "mfarussia-csv": Preset(
        header=("message_id", "date", "text", "urls", "has_photo", "views"),
        mapping={
            "message_id": "message_id",
            "date": "date",
            "text": "text",
            "links": "urls",
            "has_photo": "has_photo",
            "views": "views",
        },
        channel="MFARussia",
        repair=True,
    ),
}

# A service message the scraper kept as a text of one line, as the service names
# it in ``tme_html``: "Russian MFA 🇷🇺 pinned a photo".
SERVICE_TEXTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^.{1,64} pinned (?:an? [\w ]{1,24}|«.+»|\".+\")$"), "pinned"),
)

# A post's address on t.me, for a url column.
TME_POST = re.compile(r"^(?:https?://)?(?:t\.me|telegram\.me)/(?:s/)?(\w{4,})/(\d+)/?(?:[?#].*)?$")
TME_CHANNEL = re.compile(r"^(?:https?://)?(?:t\.me|telegram\.me)/(?:s/)?(\w{4,})/?$")
TRUE = frozenset({"true", "1", "yes", "y", "t"})
FALSE = frozenset({"false", "0", "no", "n", "f", ""})
# A JSONL file whose first lines all fail to parse is not JSONL; stop looking there.
MAX_LEADING_BAD_LINES = 1000

NoteSink = Callable[[SourceRef, str], None]


@dataclass(slots=True, frozen=True)
class TabularFormat:
    """What ``sources`` needs of a format: its name, its sniffer and its reader."""

    NAME: str
    sniff: Callable[[Path, str], bool]
    read: Callable[..., Iterator[RawPost | Skipped]]
    # Raises what ``read`` would raise for the file, and no more: the rows are not
    # converted (a bad value only skips its row). Ingest checks big files first.
    check: Callable[..., None]


class _BadValue(Exception):
    """One value of one row cannot be read: the row is skipped, the file goes on."""


# --- mapping ---------------------------------------------------------------------


def parse_mapping(spec: str) -> dict[str, str]:
    """``"text=body,date=published"`` as ``{"text": "body", "date": "published"}``."""
    mapping: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in spec.split(","))):
        target, sep, column = (s.strip() for s in item.partition("="))
        if not sep or not target or not column:
            raise InputError(f"bad mapping {item!r}: write TARGET=COLUMN, e.g. text=body")
        if target not in TARGETS:
            raise InputError(f"unknown mapping target {target!r}; known: {', '.join(TARGETS)}")
        if target in mapping:
            raise InputError(f"mapping target {target!r} given twice")
        mapping[target] = column
    if not mapping:
        raise InputError("empty mapping: write TARGET=COLUMN pairs, e.g. text=body")
    return mapping


def _resolve(
    names: list[str], mapping: Mapping[str, str] | None, path: Path, *, what: str = "column"
) -> dict[str, str]:
    """target -> column name, from the mapping given and else from ``GUESSES``."""
    by_folded = {name.strip().casefold(): name for name in reversed(names)}
    resolved: dict[str, str] = {}
    for target, column in (mapping or {}).items():
        found = column if column in names else by_folded.get(column.strip().casefold())
        if found is None:
            raise MalformedInput(
                f"{what} {column!r} (mapped to {target}) not found; "
                f"{what}s found: {_listing(names)}",
                path=str(path),
            )
        resolved[target] = found
    used = set(resolved.values())
    for target, candidates in GUESSES.items():
        if target in resolved:
            continue
        for candidate in candidates:
            found = by_folded.get(candidate)
            if found is not None and found not in used:
                resolved[target] = found
                used.add(found)
                break
    if "text" not in resolved:
        raise MalformedInput(
            f"no text {what}: expected one of {', '.join(GUESSES['text'])} "
            f"(or map one with text=NAME); {what}s found: {_listing(names)}",
            path=str(path),
        )
    return resolved


def _listing(names: list[str]) -> str:
    return ", ".join(repr(n) for n in names) if names else "none"


def _preset_for(header: list[str]) -> Preset | None:
    return next((p for p in PRESETS.values() if tuple(header) == p.header), None)


# --- sniffing --------------------------------------------------------------------


def sniff_csv(path: Path, head: str) -> bool:
    """A ``.csv`` name, or a first line that is a header with a text column and more."""
    if path.suffix.lower() == ".csv":
        return True
    first, newline, _ = head.lstrip("\ufeff").partition("\n")
    if not newline or "," not in first or first.lstrip().startswith(("{", "[", "<")):
        return False
    try:
        header = next(csv.reader([first]))
    except csv.Error:
        return False
    folded = {name.strip().casefold() for name in header}
    others = {name for target, names in GUESSES.items() if target != "text" for name in names}
    return bool(folded & set(GUESSES["text"])) and bool(folded & others)


def sniff_jsonl(path: Path, head: str) -> bool:
    """A ``.jsonl``/``.ndjson`` name, or a first line that is a whole JSON object."""
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        return True
    first, newline, _ = head.lstrip("\ufeff \t\r\n").partition("\n")
    if not newline or not first.startswith("{"):
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


# --- reading ---------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class _Context:
    """What converting any row of one file needs to know."""

    columns: dict[str, str]  # target -> column
    channel: str | None
    repair: bool
    on_note: NoteSink | None
    # (flag, column, media kind) of the media flags the file has: most have none,
    # and looking up nine absent columns a row was a tenth of reading it.
    media: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def of(
        cls, columns: dict[str, str], channel: str | None, repair: bool, on_note: NoteSink | None
    ) -> _Context:
        media = tuple(
            (flag, columns[flag], kind) for flag, kind in MEDIA_FLAGS.items() if flag in columns
        )
        return cls(columns, channel, repair, on_note, media)


def read_csv(
    path: Path,
    *,
    channel: str | None = None,
    mapping: Mapping[str, str] | None = None,
    on_note: NoteSink | None = None,
    convert: bool = True,
) -> Iterator[RawPost | Skipped]:
    """The rows of a CSV file with a header row, as raw posts, in file order.

    ``on_note`` hears what the text repair could not undo, row by row. Without
    ``convert``, the file is only parsed (``check_csv``).
    """
    _set_field_limit()
    reader = csv.reader((line + "\n" for _, line in read_lines(path)), strict=True)
    rows = _csv_rows(reader, path)
    header = next((row for _, _, row in rows if row), None)
    if header is None:
        raise MalformedInput("no header row", path=str(path))
    preset = _preset_for(header)
    merged = {**(preset.mapping if preset else {}), **(mapping or {})}
    ctx = _Context.of(
        columns=_resolve(header, merged, path),
        channel=channel or (preset.channel if preset else None),
        repair=bool(preset and preset.repair),
        on_note=on_note,
    )
    index = {name: header.index(name) for name in header}  # a repeated name: the first
    for first, last, row in rows:
        if not row or not convert:
            continue
        ref = SourceRef(kind="csv", path=str(path), lines=(first, last))
        if len(row) != len(header):
            yield Skipped(f"row has {len(row)} fields; the header has {len(header)}", ref)
            continue
        yield _convert({name: row[i] for name, i in index.items()}.get, ref, ctx)


def _set_field_limit() -> None:
    # The csv module's own limit (128 KiB) is unrelated to ours; a field may span
    # lines, so it gets the same bound as one line. The limit is process-wide, and
    # nothing else in communique reads CSV.
    csv.field_size_limit(settings.get_int("max_line_chars"))


def _csv_rows(reader: Any, path: Path) -> Iterator[tuple[int, int, list[str]]]:
    """(first physical line, last physical line, fields) of each row."""
    last = 0
    while True:
        first = last + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = str(exc)
            if "field larger than field limit" in message:
                raise TooLarge(
                    f"a field is longer than {csv.field_size_limit():,} characters",
                    path=str(path),
                    line=first,
                ) from None
            if "unexpected end of data" in message:
                message = "a quoted field opened in this row is never closed"
            raise MalformedInput(
                f"broken CSV quoting: {message} (row ends at line {reader.line_num})",
                path=str(path),
                line=first,
            ) from None
        last = reader.line_num
        yield first, last, row


def read_jsonl(
    path: Path,
    *,
    channel: str | None = None,
    mapping: Mapping[str, str] | None = None,
    on_note: NoteSink | None = None,
    convert: bool = True,
) -> Iterator[RawPost | Skipped]:
    """The objects of a JSON Lines file, one post per line, in file order.

    The first object's keys play the CSV header's part: they must include a text key.
    A line that is not a JSON object is skipped; a file where none is, is refused.
    Without ``convert``, the lines after the first object are only read as text
    (``check_jsonl``): what follows it can only skip lines, not refuse the file.
    """
    ctx: _Context | None = None
    leading: list[Skipped] = []  # bad lines before the first good one
    for number, line in read_lines(path):
        if not (convert or ctx is None) or not line.strip():
            continue
        ref = SourceRef(kind="jsonl", path=str(path), lines=(number, number))
        halves = False
        try:
            obj = json.loads(line)
            if may_hold_surrogates(line):
                obj, halves = without_surrogates(obj)
        except ValueError as exc:
            obj = exc
        if not isinstance(obj, dict):
            why = f"invalid JSON: {obj}" if isinstance(obj, ValueError) else "not a JSON object"
            if ctx is not None:
                yield Skipped(why, ref)
                continue
            leading.append(Skipped(why, ref))
            if len(leading) >= MAX_LEADING_BAD_LINES:
                break
            continue
        if ctx is None:
            columns = _resolve(list(obj), mapping, path, what="key")
            ctx = _Context.of(columns, channel, repair=False, on_note=on_note)
            yield from leading
        if halves and on_note is not None:
            on_note(ref, SURROGATE_NOTE)
        yield _convert(obj.get, ref, ctx)
    if ctx is None:
        if leading:
            first = leading[0]
            where = first.source.lines[0] if first.source.lines else None
            raise MalformedInput(
                f"no line is a JSON object ({first.reason})", path=str(path), line=where
            )
        raise MalformedInput("no JSON objects, only blank lines", path=str(path))


def check_csv(path: Path, **options: Any) -> None:
    for _ in read_csv(path, **options, convert=False):
        pass


def check_jsonl(path: Path, **options: Any) -> None:
    for _ in read_jsonl(path, **options, convert=False):
        pass


CSV = TabularFormat("csv", sniff_csv, read_csv, check_csv)
JSONL = TabularFormat("jsonl", sniff_jsonl, read_jsonl, check_jsonl)


# --- one row to one RawPost ----------------------------------------------------


def _convert(get: Callable[[str], Any], ref: SourceRef, ctx: _Context) -> RawPost | Skipped:
    columns = ctx.columns

    def value(target: str) -> Any:
        column = columns.get(target)
        return None if column is None else get(column)

    try:
        text = _text(value("text"))
        post = RawPost(
            copies=[],
            source=ref,
            channel=_channel(value("channel")) or ctx.channel,
            message_id=_positive_int(value("message_id"), "message_id"),
            date=_date(value("date")),
            forwarded_from=_optional_str(value("forwarded_from")),
            media=[kind for flag, column, kind in ctx.media if _flag(get(column), flag)],
        )
        post.views, post.views_rounding = _views(value("views"))
        links, tags = _links(value("links"))
        post.links = links
        post.hashtags = list(dict.fromkeys([*tags, *_hashtags(value("hashtags"))]))
        _apply_url(post, value("url"))
        replied = _positive_int(value("reply_to_message_id"), "reply_to_message_id")
    except _BadValue as exc:
        return Skipped(str(exc), ref)
    if replied is not None:
        post.reply_to = ReplyTo(channel=None, text=None, message_id=replied)
    notes: list[str] = []
    if ctx.repair:
        text, notes = repair_text(text)
        preview, text, preview_notes = split_reply_preview(text)
        notes += preview_notes
        if preview is not None:
            post.reply_to = ReplyTo(channel=None, text=preview, message_id=replied)
    post.copies = [text.split("\n")] if text.strip() else []
    service = next((name for pattern, name in SERVICE_TEXTS if pattern.match(text)), None)
    if service is not None:
        post.kind, post.service = "service", service
        # The link on the actor's name is the channel itself, not the post's.
        post.links = [link for link in post.links if not TME_CHANNEL.match(link)]
    if ctx.on_note is not None:
        for note in notes:
            ctx.on_note(ref, note)
    return post


def _text(raw: Any) -> str:
    if raw is None or isinstance(raw, str):
        return (raw or "").replace("\r\n", "\n")
    raise _BadValue(f"text is not a string: {_short(raw)}")


def _optional_str(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw.strip() or None
    raise _BadValue(f"not a string: {_short(raw)}")


def _channel(raw: Any) -> str | None:
    name = _optional_str(raw)
    if name is None:
        return None
    match = TME_CHANNEL.match(name)
    return match.group(1) if match else name.removeprefix("@")


def _positive_int(raw: Any, target: str) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    number: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, float) and raw.is_integer():
        number = int(raw)
    elif isinstance(raw, str) and re.fullmatch(r"\s*\d+(?:\.0+)?\s*", raw):
        number = int(raw.strip().split(".")[0])
    if number is None or number < 1:
        raise _BadValue(f"{target} is not a positive integer: {_short(raw)}")
    return number


def _date(raw: Any) -> str | None:
    """ISO 8601; UTC when the value says its offset or is epoch seconds.

    A date without an offset is passed on as it is, as ``tdesktop`` does, rather
    than guessed to be UTC.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            moment = datetime.fromtimestamp(raw, tz=UTC)
        elif isinstance(raw, str) and raw.strip().isdigit():
            moment = datetime.fromtimestamp(int(raw), tz=UTC)
        elif isinstance(raw, str):
            moment = datetime.fromisoformat(raw.strip())
        else:
            raise TypeError
    except (TypeError, ValueError, OverflowError, OSError):
        raise _BadValue(f"date is not ISO 8601 or epoch seconds: {_short(raw)}") from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="seconds")


def _views(raw: Any) -> tuple[int | None, int | None]:
    """(views, unit of the last shown digit): "5.37K" -> (5370, 10), "523" -> (523, 1)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return raw, 1
    count = parse_count(raw) if isinstance(raw, str) else None
    if count is None:
        raise _BadValue(f"views is not a count like 523 or 5.37K: {_short(raw)}")
    return count


def _flag(raw: Any, target: str) -> bool:
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    folded = str(raw).strip().casefold()
    if folded in TRUE:
        return True
    if folded in FALSE:
        return False
    raise _BadValue(f"{target} is not true or false: {_short(raw)}")


def _links(raw: Any) -> tuple[list[str], list[str]]:
    """(absolute URLs, hashtags of t.me search links), each in order and once."""
    links: dict[str, None] = {}
    tags: dict[str, None] = {}
    for item in _items(raw, r"[|\s]+", "links"):
        # The scraper copied hrefs from HTML without unescaping ("&amp;").
        url = html.unescape(item)
        tag = hashtag_of(url)
        if tag:
            tags[tag] = None
        elif url.startswith(("http://", "https://")):
            links[url] = None
    return list(links), list(tags)


def _hashtags(raw: Any) -> list[str]:
    return [tag.lstrip("#") for tag in _items(raw, r"[|,\s]+", "hashtags") if tag.lstrip("#")]


def _items(raw: Any, separator: str, target: str) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [item for item in re.split(separator, raw.strip()) if item]
    if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        return [item.strip() for item in raw if item.strip()]
    raise _BadValue(f"{target} is not a list of strings: {_short(raw)}")


def _apply_url(post: RawPost, raw: Any) -> None:
    url = _optional_str(raw)
    match = TME_POST.match(url) if url else None
    if match is None:
        return
    post.channel = post.channel or match.group(1)
    if post.message_id is None:
        post.message_id = int(match.group(2))


def _short(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."
