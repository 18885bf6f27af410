"""Sources: one module per input format, each turning a file into raw posts.

Every source module exposes the same three names, so ``ingest`` can treat them alike:

- ``NAME``: the format's name, as given to ``ingest --format``;
- ``sniff(path, head) -> bool``: whether the file looks like this format, judged
  from its name and its first bytes (``head``, decoded leniently);
- ``read(path, *, channel=None) -> Iterator[RawPost | Skipped | Channel]``: the
  file's posts in file order, a ``Skipped`` for each post it cannot use, and a
  ``Channel`` when the file describes its channel. It raises ``InputError`` (with
  the path and line) when the file as a whole cannot be read.

``detect`` tries the sources in ``ORDER``: the more specific formats first, the
plain-text dump (which accepts almost any text) last.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from communique import settings
from communique.errors import EncodingError, UnsupportedFormat
from communique.sources import dump, tdesktop, tme_html
from communique.sources.textfile import check_size

# Most specific first: the dump accepts nearly any text, so it comes last.
ORDER: list[ModuleType] = [tme_html, tdesktop, dump]
BY_NAME: dict[str, ModuleType] = {m.NAME: m for m in ORDER}


def names() -> list[str]:
    return [m.NAME for m in ORDER]


def get(name: str) -> ModuleType:
    try:
        return BY_NAME[name]
    except KeyError:
        raise UnsupportedFormat(f"unknown format {name!r}; known: {', '.join(names())}") from None


def detect(path: Path) -> ModuleType:
    """The source that reads ``path``, judged by its name and first bytes."""
    check_size(path)
    with path.open("rb") as fh:
        head_bytes = fh.read(settings.get_int("sniff_bytes"))
    if b"\x00" in head_bytes:
        # Every format communique reads is text; NUL bytes mean binary or UTF-16/32.
        raise EncodingError("binary data (NUL bytes); not a text file", path=str(path))
    head = head_bytes.decode("utf-8", errors="replace")
    for module in ORDER:
        if module.sniff(path, head):
            return module
    raise UnsupportedFormat("not a format communique reads", path=str(path))
