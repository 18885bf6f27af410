"""Sources: one module per input format, each turning a file into raw posts.

Every source (a module, or an object like ``tabular.CSV``) exposes the same three
names, so ``ingest`` can treat them alike:

- ``NAME``: the format's name, as given to ``ingest --format``;
- ``sniff(path, head) -> bool``: whether the file looks like this format, judged
  from its name and its first bytes (``head``, decoded leniently);
- ``read(path, *, channel=None) -> Iterator[RawPost | Skipped | Channel]``: the
  file's posts in file order, a ``Skipped`` for each post it cannot use, and a
  ``Channel`` when the file describes its channel. It raises ``InputError`` (with
  the path and line) when the file as a whole cannot be read.

A source may also take extra keyword options (``OPTIONS``): the tabular formats take
``mapping`` (``--map``) and ``on_note`` (what a text repair could not undo).

``detect`` tries the sources in ``ORDER``: the more specific formats first, the
plain-text dump (which accepts almost any text) last.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from communique import settings
from communique.errors import EncodingError, UnsupportedFormat
from communique.models import Channel, RawPost, Skipped
from communique.sources import dump, tabular, tdesktop, tme_html
from communique.sources.textfile import check_size


class Source(Protocol):
    @property
    def NAME(self) -> str: ...  # noqa: N802 (a module constant in most sources)

    def sniff(self, path: Path, head: str) -> bool: ...

    def read(
        self, path: Path, *, channel: str | None = ..., **options: Any
    ) -> Iterator[RawPost | Skipped | Channel]: ...


# Most specific first: JSONL before CSV (a JSONL line is not a CSV header), and the
# dump, which accepts nearly any text, last.
ORDER: list[Source] = [tme_html, tdesktop, tabular.JSONL, tabular.CSV, dump]  # type: ignore[list-item]
BY_NAME: dict[str, Source] = {m.NAME: m for m in ORDER}
# The extra options each source's reader takes.
OPTIONS: dict[str, frozenset[str]] = {
    "csv": frozenset({"mapping", "on_note"}),
    "jsonl": frozenset({"mapping", "on_note"}),
}


def names() -> list[str]:
    return [m.NAME for m in ORDER]


def get(name: str) -> Source:
    try:
        return BY_NAME[name]
    except KeyError:
        raise UnsupportedFormat(f"unknown format {name!r}; known: {', '.join(names())}") from None


def detect(path: Path) -> Source:
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
