"""Ingest: files in, posts in the archive, a report out.

For each file: pick its source (``--format``, or detection), read it, normalise
each raw post, and save it through ``identity``, all inside one transaction. A file
that cannot be read is refused whole with its error in the report: the transaction
rolls back, so nothing of it is written, and the other files go on. Each post is
annotated by the extractor (``communique.extract``) as it is saved. An ingest
killed midway leaves the archive as it was before the file being read; running it
again completes it, since saving a post already stored changes nothing.

Big files are stored in batches of ``ingest_batch`` posts, one transaction each, so
memory and the write-ahead log stay small; such a file is first checked once without
storing anything, so that one broken near its end is still refused whole.

A batch is read and normalised first, then saved in file order. The posts that the
archive and the batch surely know nothing of (``identity.unseen``, a few queries a
batch: most posts of a new file) skip the per-post look-ups of ``identity.find``,
and the store writes the batch's new posts together when it commits.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from communique import identity, settings, sources, textindex
from communique.errors import InputError
from communique.extract import annotate
from communique.extract.when import year_hint
from communique.models import Channel, FileReport, IngestReport, Note, Post, RawPost, Skipped
from communique.normalise import normalise
from communique.store.base import Store

# How many times a batch ``identity.unseen`` is asked again after a merge.
RECHECKS = 8
# The garbage collector's thresholds while ingesting (``_fewer_collections``).
GC_THRESHOLDS = (100_000, 20, 100)


class Progress(Protocol):
    """What ingest tells a progress display: a file begins, a line is reached."""

    def file(self, path: str, lines: int) -> None: ...

    def at(self, line: int) -> None: ...


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    *,
    channel: str | None = None,
    format: str = "auto",
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest files; ``mapping`` (target field -> column) is for CSV and JSONL."""
    report = IngestReport()
    with _fewer_collections():
        for path in expand(paths):
            report.files.append(
                ingest_file(
                    store, path, channel=channel, format=format, mapping=mapping, progress=progress
                )
            )
    textindex.keep_up(store)  # the ranking index follows, so the next search need not
    return report


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while ingesting.

    A batch keeps thousands of containers alive (its posts, waiting to be written),
    and extraction makes and drops hundreds a post. At the default thresholds the
    collector went through the live ones every few posts, and through the whole
    heap (the modules, the gazetteers) a dozen times in 20,000 posts: 7% of the
    time. The objects there before are set aside (gc.freeze), and the young
    generation is collected every 100,000 net allocations, not 700; reference
    counting frees nearly everything anyway (the collector only reclaims cycles).
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLDS[0], GC_THRESHOLDS[1], GC_THRESHOLDS[2])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given; folders as the visible files inside them, sorted."""
    for item in paths:
        path = Path(item)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
        else:
            yield path


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def ingest_file(
    store: Store,
    path: Path,
    *,
    channel: str | None = None,
    format: str = "auto",
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> FileReport:
    report = FileReport(path=str(path))
    committed = False
    try:
        source = sources.detect(path) if format == "auto" else sources.get(format)
        report.format = source.NAME
        options = _options(source.NAME, report, mapping)
        if progress is not None:
            progress.file(str(path), count_lines(path))
        batch = settings.get_int("ingest_batch")
        if path.stat().st_size > settings.get_int("check_whole_bytes"):
            # More than one batch: read the file once storing nothing, so that a
            # file broken near its end is refused before any batch is committed.
            checking = {k: v for k, v in options.items() if k != "on_note"}
            _check(source, path, channel, checking)
        items = iter(source.read(path, channel=channel, **options))
        deferred: list[Post] = []
        more = True
        while more:
            with store.transaction():
                if channel and not committed:
                    store.put_channel(Channel(username=channel))
                more = _save_batch(store, items, report, progress, deferred, batch)
                if not more:
                    for post in deferred:  # their neighbours in this file are all stored
                        _count(report, identity.save(store, post, annotate=annotate))
                    date_undated(store, path)
            committed = True
    except InputError as exc:
        if not committed:  # the transaction rolled back: nothing of this file is stored
            return FileReport(path=str(path), format=report.format, error=str(exc))
        report.error = f"{exc} (posts of the batches before it were stored; fix and rerun)"
    return report


def _check(source: sources.Source, path: Path, channel: str | None, options: Any) -> None:
    """Raise what reading the file would raise. A source that can tell without
    converting every post (``check``: CSV, JSONL) does: a third of the time."""
    check = getattr(source, "check", None)
    if check is not None:
        check(path, channel=channel, **options)
        return
    for _ in source.read(path, channel=channel, **options):
        pass


def _save_batch(
    store: Store,
    items: Iterator[RawPost | Skipped | Channel],
    report: FileReport,
    progress: Progress | None,
    deferred: list[Post],
    size: int,
) -> bool:
    """Save up to ``size`` items; whether the file has more."""
    posts: list[Post] = []
    more = True
    for _ in range(size):
        item = next(items, None)
        if item is None:
            more = False
            break
        if isinstance(item, Channel):
            store.put_channel(item)
            continue
        post = item if isinstance(item, Skipped) else normalise(item)
        if isinstance(post, Skipped):
            report.skipped.append(post)
        else:
            posts.append(post)
    _save_posts(store, posts, report, progress, deferred)
    return more


def _save_posts(
    store: Store,
    posts: list[Post],
    report: FileReport,
    progress: Progress | None,
    deferred: list[Post],
) -> None:
    """Save a batch's posts in file order; those ``identity.unseen`` knows to be new
    skip the look-ups of ``identity.find``."""
    fresh = identity.unseen(store, posts)
    rechecks = 0
    for i, post in enumerate(posts):
        outcome = identity.save(store, post, defer=True, annotate=annotate, new=fresh[i])
        if outcome is identity.Outcome.DEFERRED:
            deferred.append(post)
        else:
            _count(report, outcome)
        if outcome is identity.Outcome.MERGED:
            # The stored post may now have the id or title of a later one: ask again,
            # a few times a batch (a file of updates merges every post).
            rest = posts[i + 1 :]
            rechecks += 1
            checked = rechecks <= RECHECKS
            fresh[i + 1 :] = identity.unseen(store, rest) if checked else [False] * len(rest)
    # Once a batch: a progress display redrawn a few times a second needs no more.
    lines = [p.source.lines[1] for p in posts[-1:] if p.source.lines]
    if progress is not None and lines:
        progress.at(lines[0])


def _options(name: str, report: FileReport, mapping: dict[str, str] | None) -> dict[str, object]:
    accepted = sources.OPTIONS.get(name, frozenset())
    if mapping and "mapping" not in accepted:
        raise InputError(f"a column mapping applies to CSV and JSONL, not to {name} files")
    options: dict[str, object] = {}
    if mapping:
        options["mapping"] = mapping
    if "on_note" in accepted:
        options["on_note"] = lambda source, text: report.notes.append(Note(text, source))
    return options


def _count(report: FileReport, outcome: identity.Outcome) -> None:
    setattr(report, outcome.value, getattr(report, outcome.value) + 1)


def date_undated(store: Store, path: Path) -> None:
    """Give the undated posts of a file (a dump) the year most of its posts state.

    A dump has no dates: "On January 23" gets its year from the dump's other posts
    ("(January 22, 2026)"), which are only all known once the file is read.
    """
    undated = store.undated_from(str(path))
    year = year_hint([p.text for p in undated])
    if year is None:
        return
    for post in undated:
        dated = annotate(post, year=year)
        if dated != post:
            store.update(post.key, dated)


def count_lines(path: Path) -> int:
    """Line count for a progress bar; cheap even on large files (1 MiB reads)."""
    lines, last = 0, b"\n"
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return 0
    return lines + (last != b"\n")
