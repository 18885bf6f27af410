"""Reading text files defensively: the checks every line-based source shares.

A file is refused as a whole, with its path and the line at fault, when it is
binary, is not UTF-8, is empty, is larger than ``max_file_bytes``, or has a line
longer than ``max_line_chars`` (a huge file with no line breaks). The checks run
while reading, so a source never holds more than one line in memory for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from communique import settings
from communique.errors import EncodingError, InputError, MalformedInput, TooLarge

# A UTF-8 byte order mark is harmless; Windows editors write one.
BOM = "\ufeff"


def check_size(path: Path) -> int:
    """The file's size in bytes, after refusing a missing, empty or oversized file."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from None
    if path.is_dir():
        raise InputError("is a folder, not a file", path=str(path))
    if size == 0:
        raise MalformedInput("file is empty", path=str(path))
    limit = settings.get_int("max_file_bytes")
    if size > limit:
        raise TooLarge(f"file is {size:,} bytes; the limit is {limit:,}", path=str(path))
    return size


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Yield (line number, line without its line break) for a UTF-8 text file."""
    check_size(path)
    max_chars = settings.get_int("max_line_chars")
    # Read in bytes with a bounded readline, so a multi-gigabyte file without line
    # breaks is refused after max_chars*4 bytes instead of being loaded whole.
    limit = max_chars * 4 + 1
    with path.open("rb") as fh:
        number = 0
        while True:
            raw = fh.readline(limit)
            if not raw:
                break
            number += 1
            if len(raw) >= limit and not raw.endswith(b"\n"):
                raise TooLarge(
                    f"line is longer than {max_chars:,} characters; not line-based text",
                    path=str(path),
                    line=number,
                )
            text = decode(raw, path, first_line=number)
            text = text.rstrip("\r\n")
            if number == 1 and text.startswith(BOM):
                text = text[len(BOM) :]
            if len(text) > max_chars:
                raise TooLarge(
                    f"line is longer than {max_chars:,} characters; not line-based text",
                    path=str(path),
                    line=number,
                )
            yield number, text


def read_text(path: Path, *, max_bytes: int | None = None) -> str:
    """A whole UTF-8 text file (for formats parsed whole: JSON, HTML), checked."""
    size = check_size(path)
    if max_bytes is not None and size > max_bytes:
        raise TooLarge(f"file is {size:,} bytes; the limit here is {max_bytes:,}", path=str(path))
    return decode(path.read_bytes(), path).removeprefix(BOM)


def decode(data: bytes, path: Path, *, first_line: int = 1) -> str:
    """``data`` as UTF-8, or an error naming the line and column of the first bad byte."""
    if b"\x00" in data:
        line, column = _position(data, data.index(b"\x00"), first_line)
        raise EncodingError(
            f"binary data (NUL byte at column {column}); not a text file",
            path=str(path),
            line=line,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start, first_line)
        raise EncodingError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column})",
            path=str(path),
            line=line,
        ) from None


def _position(data: bytes, offset: int, first_line: int) -> tuple[int, int]:
    """Line and byte column (1-based) of ``offset`` in ``data``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return first_line + data.count(b"\n", 0, offset), offset - line_start + 1


# A JSON string may escape half of a character: "\ud83d" without its pair (an emoji
# cut in two by a scraper that truncates). No text with one can be encoded, stored
# or matched, so such a half becomes U+FFFD, one character for one.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_NOTE = "half a character (a lone UTF-16 surrogate) replaced by U+FFFD"


def may_hold_surrogates(json_text: str) -> bool:
    """Whether JSON text escapes a surrogate at all: most never do."""
    return "\\ud" in json_text or "\\uD" in json_text


def without_surrogates(value: Any) -> tuple[Any, bool]:
    """A parsed JSON value with every lone surrogate replaced; whether there was one."""
    if isinstance(value, str):
        fixed = _LONE_SURROGATE.sub("\ufffd", value)
        return fixed, fixed != value
    if isinstance(value, list):
        pairs = [without_surrogates(v) for v in value]
        return [v for v, _ in pairs], any(c for _, c in pairs)
    if isinstance(value, dict):
        keys, keys_changed = without_surrogates(list(value))
        items, items_changed = without_surrogates(list(value.values()))
        return dict(zip(keys, items, strict=True)), keys_changed or items_changed
    return value, False
