"""The ranking index: tantivy beside SQLite, for fast top-k search and facets.

SQLite stays the store of record; this index is derived from it and can be thrown
away at any time (``rm -r ARCHIVE.tantivy``): the next search rebuilds it.

1. Layout. The index lives in a folder beside the archive (``ARCHIVE.db.tantivy``),
   with ``state.json`` naming the last change it applied and its schema version.
   An in-memory archive gets an in-memory index.
2. Keeping up. Triggers log every write to a post in ``search_queue`` (schema v6).
   ``refresh`` re-indexes the posts logged after the index's mark, then moves the
   mark; a missing, foreign or outdated index is rebuilt from the posts. Refreshing
   writes nothing to SQLite, so a read-only server can do it; writers prune the
   applied part of the log (``prune``).
3. Fields. Title and text are tokenised like FTS5's unicode61 (split on what is not
   a letter or digit, lower-cased, accents folded). Everything a filter or a facet
   needs is a raw, fast field: channel, kind, speaker, month, the entity index's
   values (country, organisation, person, speaker key, hashtag), a timestamp and
   two flags. Service messages are not indexed: they are never searched.
4. Two processes: tantivy lets one writer at a time hold an index. A search that
   finds the writer busy (an ingest is refreshing) searches what is committed.

Queries, filters and facets over the index are ``textquery``'s.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import tantivy

from communique import settings
from communique.errors import StoreError

SCHEMA_VERSION = 2
ANALYZER = "words"
# Fields filled from post_entities, by entity type.
ENTITY_FIELDS = {
    "country": "country",
    "organization": "org",
    "person": "person",
    "speaker": "speaker_key",
    "hashtag": "hashtag",
}
RAW_FIELDS = ("channel", "channel_key", "kind", "speaker", "month", *ENTITY_FIELDS.values())
WRITER_HEAP = 40_000_000  # bytes; tantivy flushes a segment when it is full
BATCH = 5_000  # posts read from SQLite at a time

POST_COLUMNS = (
    "SELECT id, channel, date, title, text, kind, speaker, media != '[]', "
    "forwarded_from IS NOT NULL FROM posts"
)


def analyzer() -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(64))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    # i64, not u64: tantivy-py deletes by term only on integer fields.
    b.add_integer_field("id", stored=True, indexed=True, fast=True)
    b.add_text_field("title", tokenizer_name=ANALYZER)
    b.add_text_field("text", tokenizer_name=ANALYZER)
    for name in RAW_FIELDS:
        b.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    b.add_integer_field("ts", indexed=True, fast=True)  # microseconds since the epoch
    b.add_unsigned_field("media", indexed=True, fast=True)
    b.add_unsigned_field("forwarded", indexed=True, fast=True)
    return b.build()


@dataclass(slots=True)
class Handle:
    index: tantivy.Index
    schema: tantivy.Schema
    folder: Path | None
    archive: str  # search_meta.archive_id of the archive it mirrors
    mark: int  # last search_queue seq applied; -1: build from scratch
    lock: threading.Lock
    # Country counts over a whole scope, by Split.key: see textquery._by_complement.
    totals: dict[str, dict[str, int]] = field(default_factory=dict)


_HANDLES: dict[tuple[str, str], Handle] = {}
_HANDLES_LOCK = threading.Lock()


def folder_of(db_path: Path | str) -> Path | None:
    text = str(db_path)
    if text in ("", ":memory:") or text.startswith("file::memory:"):
        return None
    return Path(text + ".tantivy")


def must_build(db_path: Path | str) -> bool:
    """Whether the next search of this archive builds its index from scratch (a
    caller may want to say so: it takes about a minute per million posts)."""
    folder = folder_of(db_path)
    if folder is None or engine_setting() != "tantivy":
        return False
    return _read_state(folder).get("schema") != SCHEMA_VERSION


def engine_setting() -> str:
    return settings.get_str("search_engine").strip().lower()


def open_index(conn: sqlite3.Connection, db_path: Path | str) -> tuple[tantivy.Searcher, Handle]:
    """A searcher on an index brought up to date with the archive."""
    searcher, handle, _ = snapshot(conn, db_path)
    return searcher, handle


def snapshot(
    conn: sqlite3.Connection, db_path: Path | str
) -> tuple[tantivy.Searcher, Handle, int | None]:
    """``open_index``, with the mark of the state the searcher sees, or None when
    that is not sure: another process may have committed more to the index than
    this one has applied (its writer was busy when this one refreshed). tantivy
    commits only what SQLite committed before, so a searcher reloaded while the
    archive's log ends at the mark sees exactly the state at the mark."""
    handle = handle_of(conn, db_path)
    refresh(conn, handle)
    with handle.lock:  # this process's commits move the mark under it
        handle.index.reload()
        searcher = handle.index.searcher()
        return searcher, handle, handle.mark if handle.mark == _latest(conn) else None


def handle_of(conn: sqlite3.Connection, db_path: Path | str) -> Handle:
    """The process's one handle on the archive's index (opened once, then shared)."""
    archive = str(conn.execute("SELECT archive_id FROM search_meta").fetchone()[0])
    folder = folder_of(db_path)
    key = (str(db_path) if folder else ":memory:", archive)
    with _HANDLES_LOCK:
        handle = _HANDLES.get(key)
        if handle is None:
            handle = _HANDLES[key] = _load(folder, archive)
        return handle


def _load(folder: Path | None, archive: str) -> Handle:
    sch = schema()
    if folder is None:
        index = tantivy.Index(sch)
    else:
        state = _read_state(folder)
        if state.get("archive") != archive or state.get("schema") != SCHEMA_VERSION:
            _clear(folder)  # another archive's, an older layout's, or half-built
        try:
            index = tantivy.Index(sch, path=str(folder), reuse=True)
        except ValueError:  # files tantivy cannot read: start again
            _clear(folder)
            index = tantivy.Index(sch, path=str(folder), reuse=True)
    index.register_tokenizer(ANALYZER, analyzer())
    return Handle(index, sch, folder, archive, -1, threading.Lock())


def _clear(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


def _read_state(folder: Path) -> dict[str, Any]:
    try:
        state = json.loads((folder / "state.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def _write_state(handle: Handle) -> None:
    if handle.folder is None:
        return
    state = {"schema": SCHEMA_VERSION, "archive": handle.archive, "seq": handle.mark}
    tmp = handle.folder / "state.json.tmp"
    tmp.write_text(json.dumps(state), "utf-8")
    os.replace(tmp, handle.folder / "state.json")


# -- keeping up ----------------------------------------------------------------------


def refresh(conn: sqlite3.Connection, handle: Handle) -> int:
    """Apply the changes logged since the index's mark; returns how many posts.

    Reads one consistent snapshot of the archive (a read transaction), so the mark
    it moves to matches exactly what was indexed.
    """
    with handle.lock:
        _adopt(handle)
        if 0 <= handle.mark == _latest(conn):
            return 0
        try:
            writer = handle.index.writer(heap_size=WRITER_HEAP, num_threads=1)
        except ValueError:  # another process holds the writer: search what is there
            return 0
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN")
        try:
            latest = _latest(conn)
            if handle.mark < 0 or handle.mark > latest:  # new, or the log went back
                writer.delete_all_documents()
                count = _add(writer, handle.schema, _all_posts(conn))
            else:
                ids = _changed(conn, handle.mark)
                for post_id in ids:
                    writer.delete_documents_by_term("id", post_id)
                count = _add(writer, handle.schema, _posts(conn, ids))
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        finally:
            if own:
                conn.execute("COMMIT")
        handle.mark = latest
        handle.totals.clear()
        _write_state(handle)
        return count


def _adopt(handle: Handle) -> None:
    """Take the mark another process has written, with the index it committed."""
    if handle.folder is None:
        return
    state = _read_state(handle.folder)
    if state.get("archive") == handle.archive and state.get("schema") == SCHEMA_VERSION:
        seq = int(state.get("seq", -1))
        if seq != handle.mark:
            handle.index.reload()
            handle.mark = seq
            handle.totals.clear()


def keep_up(store: object) -> None:
    """After a job that writes posts (ingest, sync, reextract): bring the ranking
    index up to date, so the next search need not, and prune the log. Nothing to do
    when searches use FTS5 alone, or for an in-memory archive (searched lazily)."""
    conn, path = getattr(store, "conn", None), getattr(store, "path", None)
    if not isinstance(conn, sqlite3.Connection) or folder_of(path or "") is None:
        return
    if engine_setting() != "tantivy":
        return
    with translated():
        prune(conn, str(path))


def prune(conn: sqlite3.Connection, db_path: Path | str) -> None:
    """Bring the index up to date and drop the change log it has applied; writers
    (ingest, sync, reextract) call this when they finish."""
    handle = handle_of(conn, db_path)
    refresh(conn, handle)
    if handle.mark > 0:
        conn.execute("DELETE FROM search_queue WHERE seq <= ?", (handle.mark,))


def _latest(conn: sqlite3.Connection) -> int:
    # sqlite_sequence, not max(seq): the log may have been pruned to nothing.
    row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'search_queue'").fetchone()
    return int(row[0]) if row else 0


def _changed(conn: sqlite3.Connection, mark: int) -> list[int]:
    rows = conn.execute("SELECT DISTINCT post_id FROM search_queue WHERE seq > ?", (mark,))
    return sorted(r[0] for r in rows)


def _all_posts(conn: sqlite3.Connection) -> Iterator[tuple[tuple[Any, ...], list[Any]]]:
    last = 0
    while True:
        rows = conn.execute(
            f"{POST_COLUMNS} WHERE id > ? AND kind != 'service' ORDER BY id LIMIT ?",
            (last, BATCH),
        ).fetchall()
        if not rows:
            return
        yield from _with_entities(conn, rows)
        last = rows[-1][0]


def _posts(conn: sqlite3.Connection, ids: list[int]) -> Iterator[tuple[tuple[Any, ...], list[Any]]]:
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        marks = ", ".join("?" * len(chunk))
        rows = conn.execute(
            f"{POST_COLUMNS} WHERE id IN ({marks}) AND kind != 'service' ORDER BY id", chunk
        ).fetchall()
        yield from _with_entities(conn, rows)


def _with_entities(
    conn: sqlite3.Connection, rows: list[Any]
) -> Iterator[tuple[tuple[Any, ...], list[Any]]]:
    if not rows:
        return
    entities: dict[int, list[Any]] = {}
    marks = ", ".join("?" * len(rows))
    for post_id, type_, value in conn.execute(
        f"SELECT post_id, type, value FROM post_entities WHERE post_id IN ({marks})",
        [r[0] for r in rows],
    ):
        entities.setdefault(post_id, []).append((type_, value))
    for row in rows:
        yield tuple(row), entities.get(row[0], [])


def _add(
    writer: tantivy.IndexWriter,
    sch: tantivy.Schema,
    posts: Iterable[tuple[tuple[Any, ...], list[Any]]],
) -> int:
    count = 0
    for row, entities in posts:
        writer.add_document(tantivy.Document.from_dict(document(row, entities), sch))
        count += 1
    return count


def document(row: tuple[Any, ...], entities: list[tuple[str, str]]) -> dict[str, Any]:
    post_id, channel, date, title, text, kind, speaker, media, forwarded = row
    doc: dict[str, Any] = {
        "id": post_id,
        "title": title,
        "text": text,
        "kind": kind or "",
        "media": int(bool(media)),
        "forwarded": int(bool(forwarded)),
    }
    if channel:
        doc["channel"] = channel
        doc["channel_key"] = channel.casefold()
    if speaker:
        doc["speaker"] = speaker
    if date:
        doc["ts"] = timestamp(date)
        doc["month"] = date[:7]
    for type_, value in entities:
        name = ENTITY_FIELDS.get(type_)
        if name is not None:
            doc.setdefault(name, []).append(value)
    return doc


def timestamp(iso: str) -> int:
    """Microseconds since the epoch; a date without a zone is taken as UTC."""
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH) // timedelta(microseconds=1)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@contextmanager
def translated() -> Iterator[None]:
    """tantivy's errors (a damaged folder, a full disk) as communique's."""
    try:
        yield
    except (ValueError, RuntimeError, OSError) as exc:
        raise StoreError(f"search index: {exc}") from None
