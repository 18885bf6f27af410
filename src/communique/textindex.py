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
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import tantivy

from communique import settings
from communique.errors import StoreError
from communique.query import Node, Words

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
    # Country counts over a whole scope, by Split.key: see _by_complement.
    totals: dict[str, dict[str, int]] = field(default_factory=dict)


_HANDLES: dict[tuple[str, str], Handle] = {}
_HANDLES_LOCK = threading.Lock()
_TOTALS_LOCK = threading.Lock()  # for Handle.totals, which threads share


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


def top(
    searcher: tantivy.Searcher, query: tantivy.Query, limit: int, offset: int, *, by_date: bool
) -> tuple[int, list[tuple[int, float]]]:
    """How many posts match, and one page of (post id, score), best or newest first."""
    if by_date:
        found = searcher.search(query, limit, count=True, order_by_field="ts", offset=offset)
    else:
        found = searcher.search(query, limit, count=True, offset=offset)
    page = [
        (int(searcher.doc(address)["id"][0]), 0.0 if by_date else float(score))
        for score, address in found.hits
    ]
    return int(getattr(found, "count", 0) or 0), page


# -- queries -------------------------------------------------------------------------


@dataclass(slots=True)
class Filters:
    """Filter values as search.py resolved them (codes, keys, ISO moments)."""

    channel: list[str]
    kind: list[str]
    since: str | None
    until: str | None
    entities: dict[str, list[str]]  # entity type -> values
    has_media: bool | None
    forwarded: bool | None


def to_query(node: Node, sch: tantivy.Schema, title_boost: float) -> tantivy.Query:
    """The tantivy query for a parsed search (communique.query.parse)."""
    if isinstance(node, Words):
        return _words(node, sch, title_boost)
    left = to_query(node.left, sch, title_boost)
    right = to_query(node.right, sch, title_boost)
    Occur = tantivy.Occur
    if node.op == "OR":
        return tantivy.Query.boolean_query([(Occur.Should, left), (Occur.Should, right)])
    second = Occur.MustNot if node.op == "NOT" else Occur.Must
    return tantivy.Query.boolean_query([(Occur.Must, left), (second, right)])


_ANALYZER = analyzer()


def _words(words: Words, sch: tantivy.Schema, title_boost: float) -> tantivy.Query:
    """A word or phrase in the title or the text, the title's match weighing more."""
    tokens: list[Any] = _ANALYZER.analyze(words.text)
    if not tokens:  # only punctuation: FTS5 matches nothing for it either
        return tantivy.Query.empty_query()
    per_field = []
    for name, boost in (("title", title_boost), ("text", 1.0)):
        if words.prefix and len(tokens) == 1:
            q = tantivy.Query.regex_query(sch, name, re.escape(tokens[0]) + ".*")
        elif words.prefix:
            q = tantivy.Query.phrase_prefix_query(sch, name, tokens)
        elif len(tokens) == 1:
            q = tantivy.Query.term_query(sch, name, tokens[0])
        else:
            q = tantivy.Query.phrase_query(sch, name, tokens)
        per_field.append((tantivy.Occur.Should, tantivy.Query.boost_query(q, boost)))
    return tantivy.Query.boolean_query(per_field)


def with_filters(text: tantivy.Query | None, f: Filters, sch: tantivy.Schema) -> tantivy.Query:
    """The text query (or every post) narrowed by the filters, which do not score."""
    Q, Occur = tantivy.Query, tantivy.Occur
    must: list[tantivy.Query] = []

    def any_of(field: str, values: list[str]) -> None:
        if values:
            must.append(Q.term_set_query(sch, field, values))

    any_of("channel_key", [c.casefold() for c in f.channel])
    any_of("kind", f.kind)
    for type_, values in f.entities.items():
        any_of(ENTITY_FIELDS[type_], values)
    if f.since or f.until:
        must.append(
            Q.range_query(
                sch,
                "ts",
                tantivy.FieldType.Integer,
                timestamp(f.since) if f.since else None,
                timestamp(f.until) if f.until else None,
            )
        )
    if f.has_media is not None:
        must.append(Q.term_query(sch, "media", int(f.has_media)))
    if f.forwarded is not None:
        must.append(Q.term_query(sch, "forwarded", int(f.forwarded)))
    clauses = [(Occur.Must, text if text is not None else Q.all_query())]
    clauses += [(Occur.Must, Q.const_score_query(m, 0.0)) for m in must]
    return clauses[0][1] if len(clauses) == 1 else Q.boolean_query(clauses)


@dataclass(slots=True, frozen=True)
class Split:
    """A search as its words and its filters apart, for ``_by_complement``."""

    words: tantivy.Query
    scope: tantivy.Query  # the filters alone: every post if none
    key: str  # names the scope and the index state
    handle: Handle


def split_search(
    searcher: tantivy.Searcher, handle: Handle, mark: int | None, node: Node, f: Filters
) -> Split | None:
    """A ``Split`` of the search if its words likely match most posts of the index
    and the searcher's state is known (``snapshot``), else None."""
    if mark is None:
        return None
    if _share(searcher, node) <= MOST:
        return None
    words = to_query(node, handle.schema, 1.0)  # the scores are not used
    scope = with_filters(None, f, handle.schema)
    return Split(words, scope, f"{mark} {f!r}", handle)


def _share(searcher: tantivy.Searcher, node: Node) -> float:
    """Roughly which share of the posts ``node`` matches, from its words' document
    frequencies (an AND at most its rarer side's); 0 for phrases and prefixes."""
    if isinstance(node, Words):
        tokens = _ANALYZER.analyze(node.text)
        if node.prefix or len(tokens) != 1 or not searcher.num_docs:
            return 0.0
        found = max(searcher.doc_freq(name, tokens[0]) for name in ("title", "text"))
        return float(found) / searcher.num_docs
    left, right = _share(searcher, node.left), _share(searcher, node.right)
    return {"AND": min(left, right), "OR": max(left, right)}.get(node.op, left)


# A share of the posts above which the complement is counted (``_by_complement``).
MOST = 0.5


def facets(
    searcher: tantivy.Searcher,
    query: tantivy.Query,
    names: Iterable[str],
    size: int,
    split: Split | None = None,
) -> Counting:
    """Counts over the whole matching set, by terms aggregations, computed on other
    threads while the caller ranks (tantivy lets go of the GIL while it works).

    Countries, several to a post, cost as much as the other facets together, so
    they are counted apart, and by complement when the words match most posts
    (``split``, from ``split_search``). Months come newest first; other values by count, ties by
    value, as the SQL path sorts them."""
    names = list(names)
    parts = []
    if "country" in names:
        if split is None:
            parts.append(_POOL.submit(_aggregate, searcher, query, ["country"], size))
        else:
            parts.append(_POOL.submit(_by_complement, searcher, query, split, size))
    others = [n for n in names if n != "country"]
    if others:
        parts.append(_POOL.submit(_aggregate, searcher, query, others, size))
    return Counting(names, parts)


@dataclass(slots=True)
class Counting:
    names: list[str]
    parts: list[Future[dict[str, list[tuple[str, int]]]]]

    def result(self) -> dict[str, list[tuple[str, int]]]:
        out: dict[str, list[tuple[str, int]]] = {}
        for part in self.parts:
            out.update(part.result())
        return {name: out[name] for name in self.names}


def _aggregate(
    searcher: tantivy.Searcher, query: tantivy.Query, names: list[str], size: int
) -> dict[str, list[tuple[str, int]]]:
    spec: dict[str, Any] = {}
    for name in names:
        terms: dict[str, Any] = {"field": name, "size": FACET_DEPTH}
        if name == "month":
            terms.update(size=size, order={"_key": "desc"})
        spec[name] = {"terms": terms}
    result = searcher.aggregate(query, spec)
    out: dict[str, list[tuple[str, int]]] = {}
    for name in names:
        rows = [
            (str(b["key"]), int(b["doc_count"]))
            for b in result.get(name, {}).get("buckets", [])
            if b["key"] != ""
        ]
        if name != "month":
            rows.sort(key=lambda r: (-r[1], r[0]))
        out[name] = rows[:size]
    return out


def _by_complement(
    searcher: tantivy.Searcher, query: tantivy.Query, split: Split, size: int
) -> dict[str, list[tuple[str, int]]]:
    """The country facet of a search whose words match most posts ("Russia", in 83%
    of them): the counts of its scope (the filters alone), less those of the posts
    of the scope that the words leave out. Counting the few left out costs a third
    of counting the many matched, and a scope's counts serve every such search in it
    until the index changes (kept per state, a few scopes). Exact: both are counted
    in full."""
    cache = split.handle.totals
    whole = cache.get(split.key)
    if whole is None:
        whole = _complete(searcher, split.scope, "country")
        if whole is None:
            return _aggregate(searcher, query, ["country"], size)
        with _TOTALS_LOCK:
            while len(cache) >= TOTALS_KEPT:
                cache.pop(next(iter(cache)))
            cache[split.key] = whole
    Q, Occur = tantivy.Query, tantivy.Occur
    left_out = Q.boolean_query([(Occur.Must, split.scope), (Occur.MustNot, split.words)])
    rest = _complete(searcher, left_out, "country")
    if rest is None or any(n > whole.get(k, 0) for k, n in rest.items()):
        # (More left out than in the scope: counts of another state. Not seen, as
        # the key names the state, but then counting directly is still right.)
        return _aggregate(searcher, query, ["country"], size)
    rows = [(k, n - rest.get(k, 0)) for k, n in whole.items() if n > rest.get(k, 0)]
    rows.sort(key=lambda r: (-r[1], r[0]))
    return {"country": rows[:size]}


def _complete(searcher: tantivy.Searcher, query: tantivy.Query, name: str) -> dict[str, int] | None:
    """Every value's count, or None if there may be more values than were returned."""
    spec = {name: {"terms": {"field": name, "size": COMPLETE, "segment_size": COMPLETE}}}
    buckets = searcher.aggregate(query, spec).get(name, {}).get("buckets", [])
    if len(buckets) >= COMPLETE:
        return None
    return {str(b["key"]): int(b["doc_count"]) for b in buckets if b["key"] != ""}


# More values than any facet counted by complement has (countries: some 250).
COMPLETE = 2_000
# Scopes whose counts are kept per index (``_by_complement``), the oldest dropped.
TOTALS_KEPT = 16

# Values a facet's aggregation returns, most frequent first, before they are sorted
# and cut to FACET_SIZE: room for ties at the cut. tantivy's counts of the values it
# returns are exact (each segment reports ten times as many candidates).
FACET_DEPTH = 100
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="facets")
