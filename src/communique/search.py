"""Full-text search with filters and facets, over SQLite FTS5.

    search(store, Query(text="Lavrov NOT Blinken", country=["VN"], sort="date"))

1. The query text is parsed (``communique.query``) into a safe FTS5 expression.
2. Filters become SQL conditions on the post and on the entity index
   (``post_entities``: countries, organisations, people, speakers, hashtags).
3. The matching set is ranked by BM25 (title weighted over body) or by date, and
   one page of it is read with highlighted snippets.
4. Facets count the whole matching set by kind, channel, country, speaker, month.

Service messages are never searched. Filters of one kind combine with OR
(``country=["VN", "CN"]``: either), filters of different kinds with AND.
"""

from __future__ import annotations

import html
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import pycountry

from communique import textindex, textquery
from communique.errors import StoreError
from communique.extract.gazetteer import country_mentions
from communique.names import person_key
from communique.query import Node, QueryError, parse, to_fts
from communique.store.base import Store
from communique.textquery import Filters

# BM25 weights of the indexed columns (title, text): a word in the title says more.
BM25_WEIGHTS = (5.0, 1.0)
SNIPPET_WORDS = 24
MAX_LIMIT = 500
FACET_SIZE = 10
# Snippet markers: control characters FTS5 puts around matches, replaced after
# the snippet is HTML-escaped, so that text from a post can never become markup.
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"
FACETS = ("kind", "channel", "country", "speaker", "month")
ENGINES = ("tantivy", "fts5")

Sort = Literal["relevance", "date"]
Mode = Literal["text", "semantic", "hybrid"]


@dataclass(slots=True)
class Query:
    text: str = ""
    channel: list[str] = field(default_factory=list)
    since: str | None = None  # ISO date or datetime, inclusive
    until: str | None = None  # inclusive: a bare date means the whole day
    kind: list[str] = field(default_factory=list)
    speaker: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)  # ISO codes or names
    org: list[str] = field(default_factory=list)
    person: list[str] = field(default_factory=list)
    hashtag: list[str] = field(default_factory=list)
    has_media: bool | None = None
    forwarded: bool | None = None
    mode: Mode = "text"
    sort: Sort = "relevance"
    limit: int = 20
    offset: int = 0
    facets: bool = True


@dataclass(slots=True)
class Hit:
    key: str
    channel: str | None
    message_id: int | None
    date: str | None
    title: str
    snippet: str  # HTML-escaped, matches in <mark>
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "channel": self.channel,
            "message_id": self.message_id,
            "date": self.date,
            "title": self.title,
            "snippet": self.snippet,
            "score": self.score,
        }


@dataclass(slots=True)
class Results:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The shape of ``communique search --json`` and the JSON API."""
        return {
            "total": self.total,
            "results": [h.to_dict() for h in self.hits],
            "facets": {
                name: [{"value": v, "count": n} for v, n in rows]
                for name, rows in self.facets.items()
            },
        }


def search(store: Store, query: Query) -> Results:
    conn = _connection(store)
    filters = resolve(query)
    if query.mode != "text":
        return _by_meaning(store, conn, query, filters)
    if engine() == "tantivy":
        return _ranked(store, conn, query, filters)
    where, params = _conditions(filters)
    match = to_fts(query.text) if query.text.strip() else None
    try:
        total = _count(conn, match, where, params)
        hits = _page(conn, query, match, where, params)
        facets = _facets(conn, match, where, params) if query.facets else {}
    except sqlite3.OperationalError as exc:
        # to_fts keeps user syntax out of FTS5; anything left is ours to report.
        raise StoreError(f"search failed: {exc}") from None
    return Results(total=total, hits=hits, facets=facets)


def engine() -> str:
    """Which index ranks and counts: tantivy (the default) or SQLite's FTS5."""
    name = textindex.engine_setting()
    if name not in ENGINES:
        raise QueryError(f"search_engine must be one of {', '.join(ENGINES)}, not {name!r}")
    return name


def _connection(store: Store) -> sqlite3.Connection:
    conn = getattr(store, "conn", None)
    if not isinstance(conn, sqlite3.Connection):
        raise StoreError("full-text search needs the SQLite store")
    return conn


# -- semantic and hybrid -------------------------------------------------------------

# How many of each ranking hybrid mode fuses before it cuts the page.
FUSED = 100


def _by_meaning(store: Store, conn: sqlite3.Connection, q: Query, f: Filters) -> Results:
    """Semantic: nearest in meaning. Hybrid: BM25 and meaning fused by reciprocal
    rank (RRF). Both rank a bounded list, so ``total`` counts that list."""
    from communique import embed  # numpy and the model: only when asked for

    if not q.text.strip():
        raise QueryError(f"{q.mode} search needs query text")
    depth = max(FUSED, q.offset + q.limit)
    where, params = _conditions(f)
    ranked = embed.semantic_search(conn, q.text, limit=depth, where=where, params=params)
    if q.mode == "hybrid":
        ranked = embed.rrf(_lexical_ids(store, conn, q.text, f, where, params, depth), ranked)
    page = ranked[q.offset : q.offset + max(1, min(q.limit, MAX_LIMIT))]
    rows = {
        r[0]: r
        for r in conn.execute(
            "SELECT p.id, p.key, p.channel, p.message_id, p.date, p.title, substr(p.text, 1, 240) "
            f"FROM posts p WHERE p.id IN ({', '.join('?' * len(page))})",
            [i for i, _ in page],
        )
    }
    hits = [
        Hit(r[1], r[2], r[3], r[4], r[5], _highlight(r[6]), round(float(score), 4))
        for post_id, score in page
        if (r := rows.get(post_id)) is not None
    ]
    return Results(total=len(ranked), hits=hits, facets={})


def _lexical_ids(
    store: Store,
    conn: sqlite3.Connection,
    text: str,
    f: Filters,
    where: list[str],
    params: list[Any],
    depth: int,
) -> list[int]:
    """The ``depth`` best posts by BM25, from whichever index ranks."""
    if engine() == "tantivy":
        with textindex.translated():
            searcher, handle = textindex.open_index(conn, _path(store))
            _, query = _tantivy_query(text, f, handle)
            return [i for i, _ in textquery.top(searcher, query, depth, 0, by_date=False)[1]]
    match = to_fts(text)
    weights = ", ".join(map(str, BM25_WEIGHTS))
    sql = (f"SELECT p.id {_from(match)} {_where(match, where)} "
           f"ORDER BY bm25(posts_fts, {weights}) LIMIT ?")  # fmt: skip
    return [r[0] for r in conn.execute(sql, [*_args(match, params), depth])]


# -- the ranking index (tantivy) -----------------------------------------------------


def _ranked(store: Store, conn: sqlite3.Connection, q: Query, f: Filters) -> Results:
    """Rank, count and facet in tantivy; read the page's posts from SQLite."""
    with textindex.translated():
        searcher, handle, mark = textindex.snapshot(conn, _path(store))
        node, query = _tantivy_query(q.text, f, handle)
        by_date = q.sort == "date" or not q.text.strip()
        limit = max(1, min(q.limit, MAX_LIMIT))
        counting = None
        if q.facets:
            split = textquery.split_search(searcher, handle, mark, node, f) if node else None
            counting = textquery.facets(searcher, query, FACETS, FACET_SIZE, split)
        total, scored = textquery.top(searcher, query, limit, max(0, q.offset), by_date=by_date)
        facets = counting.result() if counting else {}
    hits = _hits(conn, scored, to_fts(q.text) if q.text.strip() else None)
    return Results(total=total, hits=hits, facets=facets)


def _tantivy_query(text: str, f: Filters, handle: textindex.Handle) -> tuple[Node | None, Any]:
    """The parsed words (None for none) and the tantivy query with the filters."""
    node = parse(text) if text.strip() else None
    words = textquery.to_query(node, handle.schema, BM25_WEIGHTS[0]) if node else None
    return node, textquery.with_filters(words, f, handle.schema)


def _hits(
    conn: sqlite3.Connection, scored: list[tuple[int, float]], match: str | None
) -> list[Hit]:
    """The page's posts in rank order, with FTS5's snippets for the matched words."""
    if not scored:
        return []
    ids = [post_id for post_id, _ in scored]
    marks = ", ".join("?" * len(ids))
    rows = {
        r[0]: r
        for r in conn.execute(
            "SELECT id, key, channel, message_id, date, title, substr(text, 1, 200) "
            f"FROM posts WHERE id IN ({marks})",
            ids,
        )
    }
    snippets: dict[int, str] = {}
    if match:
        snippet = f"snippet(posts_fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', {SNIPPET_WORDS})"
        sql = (
            f"SELECT rowid, {snippet} FROM posts_fts WHERE posts_fts MATCH ? AND rowid IN ({marks})"
        )
        snippets = {r[0]: r[1] for r in conn.execute(sql, [match, *ids])}
    return [
        Hit(r[1], r[2], r[3], r[4], r[5], _highlight(snippets.get(post_id) or r[6] or ""),
            round(score, 4))
        for post_id, score in scored
        if (r := rows.get(post_id)) is not None
    ]  # fmt: skip


def _path(store: Store) -> str:
    return str(getattr(store, "path", ":memory:"))


# -- filters -------------------------------------------------------------------------


def resolve(q: Query) -> Filters:
    """The query's filters as stored values: country codes, person keys, moments."""
    return Filters(
        channel=[c.lstrip("@") for c in q.channel],
        kind=[k.lower() for k in q.kind],
        since=_moment(q.since, "since") if q.since else None,
        until=_moment(q.until, "until", end_of_day=True) if q.until else None,
        entities={
            name: values
            for name, values in (
                ("country", [country_code(c) for c in q.country]),
                ("organization", [o.upper() for o in q.org]),
                ("person", [person_key(p) for p in q.person]),
                ("speaker", [person_key(s) for s in q.speaker]),
                ("hashtag", [h.lstrip("#").casefold() for h in q.hashtag]),
            )
            if values
        },
        has_media=q.has_media,
        forwarded=q.forwarded,
    )


def _conditions(f: Filters) -> tuple[list[str], list[Any]]:
    """The filters as SQL conditions on ``posts p``, ANDed."""
    where = ["p.kind != 'service'"]
    params: list[Any] = []

    def any_of(sql: str, values: list[Any]) -> None:
        if values:
            where.append("(" + " OR ".join([sql] * len(values)) + ")")
            params.extend(values)

    any_of("p.channel = ? COLLATE NOCASE", f.channel)
    any_of("p.kind = ?", f.kind)
    if f.since:
        where.append("p.date >= ?")
        params.append(f.since)
    if f.until:
        where.append("p.date <= ?")
        params.append(f.until)
    for kind, values in f.entities.items():
        marks = ", ".join("?" * len(values))
        where.append(
            f"p.id IN (SELECT post_id FROM post_entities WHERE type = ? AND value IN ({marks}))"
        )
        params.extend([kind, *values])
    if f.has_media is not None:
        where.append("p.media != '[]'" if f.has_media else "p.media = '[]'")
    if f.forwarded is not None:
        where.append("p.forwarded_from IS " + ("NOT NULL" if f.forwarded else "NULL"))
    return where, params


def _moment(value: str, name: str, *, end_of_day: bool = False) -> str:
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise QueryError(f"--{name}: not an ISO date: {value!r}") from None
    if len(text) <= 10:  # a bare date: the whole day
        return text + ("T23:59:59.999999+00:00" if end_of_day else "T00:00:00+00:00")
    return parsed.isoformat()


def country_code(value: str) -> str:
    """An ISO alpha-2 code for a code, a name or a demonym the gazetteer knows."""
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    mentions = country_mentions(text)
    if mentions:
        return mentions[0].code
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        raise QueryError(f"unknown country {value!r}: give an ISO code (VN) or a name") from None


# -- the matching set ----------------------------------------------------------------


def _from(match: str | None) -> str:
    if match is None:
        return "FROM posts p"
    return "FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid"


def _where(match: str | None, where: list[str]) -> str:
    conditions = (["posts_fts MATCH ?"] if match else []) + where
    return "WHERE " + " AND ".join(conditions)


def _args(match: str | None, params: list[Any]) -> list[Any]:
    return ([match] if match else []) + params


def _count(conn: sqlite3.Connection, match: str | None, where: list[str], params: list[Any]) -> int:
    sql = f"SELECT count(*) {_from(match)} {_where(match, where)}"
    return int(conn.execute(sql, _args(match, params)).fetchone()[0])


def _page(
    conn: sqlite3.Connection, q: Query, match: str | None, where: list[str], params: list[Any]
) -> list[Hit]:
    limit = max(1, min(q.limit, MAX_LIMIT))
    if match:
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        score = f"-bm25(posts_fts, {weights})"
        snippet = f"snippet(posts_fts, 1, '{MARK_OPEN}', '{MARK_CLOSE}', '…', {SNIPPET_WORDS})"
    else:
        score, snippet = "0.0", "substr(p.text, 1, 200)"
    order = f"{score} DESC" if q.sort == "relevance" and match else "p.date DESC, p.id DESC"
    sql = (
        f"SELECT p.key, p.channel, p.message_id, p.date, p.title, {snippet}, {score} "
        f"{_from(match)} {_where(match, where)} ORDER BY {order} LIMIT ? OFFSET ?"
    )
    rows = conn.execute(sql, [*_args(match, params), limit, max(0, q.offset)]).fetchall()
    return [
        Hit(r[0], r[1], r[2], r[3], r[4], _highlight(r[5] or ""), round(float(r[6]), 4))
        for r in rows
    ]


def _highlight(snippet: str) -> str:
    escaped = html.escape(snippet.replace("\n", " "), quote=False)
    return escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


# -- facets --------------------------------------------------------------------------

# "CROSS JOIN" makes SQLite read the matching set first and look each post up by
# id; left to itself it may scan posts and probe the (unindexed) set for each.
FACET_SQL = {
    "kind": "SELECT p.kind, count(*) FROM m CROSS JOIN posts p ON p.id = m.id GROUP BY 1",
    "channel": "SELECT p.channel, count(*) FROM m CROSS JOIN posts p ON p.id = m.id "
    "WHERE p.channel IS NOT NULL GROUP BY 1",
    "month": "SELECT substr(p.date, 1, 7), count(*) FROM m CROSS JOIN posts p ON p.id = m.id "
    "WHERE p.date IS NOT NULL GROUP BY 1",
    "country": "SELECT e.value, count(*) FROM m CROSS JOIN post_entities e "
    "ON e.post_id = m.id AND e.type = 'country' GROUP BY 1",
    "speaker": "SELECT p.speaker, count(*) FROM m CROSS JOIN posts p ON p.id = m.id "
    "WHERE p.speaker IS NOT NULL GROUP BY 1",
}


def _facets(
    conn: sqlite3.Connection, match: str | None, where: list[str], params: list[Any]
) -> dict[str, list[tuple[str, int]]]:
    matching = f"WITH m AS (SELECT p.id AS id {_from(match)} {_where(match, where)}) "
    out = {}
    for name in FACETS:
        order = "1 DESC" if name == "month" else "2 DESC, 1"
        sql = matching + FACET_SQL[name] + f" ORDER BY {order} LIMIT {FACET_SIZE}"
        out[name] = [(str(v), int(n)) for v, n in conn.execute(sql, _args(match, params))]
    return out
