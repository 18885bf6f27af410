"""The embedded archive: one SQLite file, WAL mode, an FTS5 index kept in sync.

sqlite3's errors are translated into ``StoreError`` here, at the one boundary, so
no caller ever sees the database's own error text. Writes happen only inside
``transaction()``; the connection is in autocommit mode otherwise, so a batch is
exactly the transaction the caller opened.

Posts inserted in a transaction are written together (``_write``), when anything
next reads the archive (any method, or ``conn``) or the transaction commits: a row
at a time, the FTS5 trigger writes the index out at each statement (a new segment
a post, merged again and again), which made indexing three times as slow; many
rows in one statement share a segment. Reading through the store or ``conn`` sees
every post inserted before, so this changes no result.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from communique.errors import NotFound, SchemaError, StoreError
from communique.models import Channel, Person, Post, SourceRef, Version
from communique.names import person_key
from communique.store.base import Stats
from communique.store.sqlite_rows import (
    CHANNEL_COLUMNS,
    POST_COLUMNS,
    POST_FIELDS,
    channel_of,
    post_of,
    select,
    title_hash,
    to_json,
    values,
)
from communique.store.sqlite_schema import MIGRATIONS, VERSION

# Dated posts in date order first, then undated ones in the order they were stored.
POST_ORDER = "p.date IS NULL, p.date, p.id"
# SQLite's own limit on one statement's parameters is 32,766; a few hundred posts a
# statement already share their FTS5 segment.
MAX_STATEMENT_ROWS = 500
PERSON_UPSERT = (
    "INSERT INTO people (key, name, role, country) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (key) DO UPDATE SET role = coalesce(role, excluded.role), "
    "country = coalesce(country, excluded.country)"
)
ALIAS_INSERT = "INSERT OR IGNORE INTO person_aliases (alias, person_key) VALUES (?, ?)"
ENTITY_INSERT = "INSERT INTO post_entities (type, value, post_id) VALUES (?, ?, ?)"
SIGHTING_UPSERT = (
    "INSERT INTO post_sources (post_id, kind, path, first_line, last_line, "
    "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT DO UPDATE SET last_seen = excluded.last_seen, "
    "last_line = excluded.last_line"
)


class SQLiteStore:
    def __init__(self, path: Path):
        self.path = path
        self._depth = 0
        self._pending: list[tuple[Post, str]] = []  # inserted, not yet written: (post, when)
        try:
            self._db = sqlite3.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the archive ({exc})") from None
        self._db.row_factory = sqlite3.Row
        self._db.create_function("title_hash", 1, title_hash, deterministic=True)
        with self._translated():
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA busy_timeout = 5000")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            # 64 MB of page cache (the default is 2 MB): the FTS, entity and LSH
            # tables are read at random, and this cuts ingest and search time.
            self._db.execute("PRAGMA cache_size = -65536")
            self._migrate()

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection, with every post inserted so far written to it."""
        if self._pending:
            self._flush()
        return self._db

    # -- schema ------------------------------------------------------------------

    @property
    def version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.version
        if current > VERSION:
            raise SchemaError(
                f"{self.path}: archive schema version {current} is newer than this "
                f"communique understands ({VERSION}); upgrade communique"
            )
        for version in range(current, VERSION):
            script = f"BEGIN;\n{MIGRATIONS[version]}\nPRAGMA user_version = {version + 1};\nCOMMIT;"
            try:
                self.conn.executescript(script)
            except sqlite3.Error:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    # -- transactions ------------------------------------------------------------

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: {_describe(exc)}") from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        with self._translated():
            self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            self._flush()
        except BaseException:
            self._depth = 0
            self._pending.clear()
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        self._depth = 0
        with self._translated():
            self._db.execute("COMMIT")

    # -- posts -------------------------------------------------------------------

    def get(self, key: str) -> Post | None:
        with self._translated():
            row = self.conn.execute(f"{select('p')} WHERE p.key = ?", (key,)).fetchone()
            if row is None:
                row = self.conn.execute(
                    f"{select('p')} JOIN post_aliases a ON a.post_id = p.id WHERE a.alias = ?",
                    (key,),
                ).fetchone()
        return post_of(row) if row else None

    def get_many(self, keys: Iterable[str]) -> dict[str, Post]:
        given = list(keys)
        if not given:
            return {}
        with self._translated():
            rows = self.conn.execute(
                f"{select('p')} WHERE p.key IN (SELECT value FROM json_each(?))",
                (json.dumps(given),),
            ).fetchall()
        return {row["key"]: post_of(row) for row in rows}

    def get_by_message(self, channel: str, message_id: int) -> Post | None:
        with self._translated():
            row = self.conn.execute(
                f"{select('p')} WHERE p.channel = ? AND p.message_id = ?", (channel, message_id)
            ).fetchone()
        return post_of(row) if row else None

    def find_by_title(self, title_key: str, *, anonymous_only: bool = False) -> list[Post]:
        if anonymous_only:  # the partial index posts_title_key_anonymous
            return self._posts_where("p.title_key = ?", (title_key,), anonymous_only)
        return self._posts_where(
            "p.title_hash = ? AND p.title_key = ?", (title_hash(title_key), title_key)
        )

    def find_by_reply(self, reply_key: str, *, anonymous_only: bool = False) -> list[Post]:
        return self._posts_where("p.reply_key = ?", (reply_key,), anonymous_only)

    def _posts_where(
        self, condition: str, params: tuple[Any, ...], anonymous_only: bool = False
    ) -> list[Post]:
        if anonymous_only:
            # Written as in the partial index posts_title_key_anonymous, so it is used.
            condition += " AND (p.message_id IS NULL OR p.channel IS NULL)"
        with self._translated():
            rows = self.conn.execute(
                f"{select('p')} WHERE {condition} ORDER BY p.id", params
            ).fetchall()
        return [post_of(row) for row in rows]

    def stored_messages(self, messages: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
        """Those of the (channel, message id) pairs that stored posts have."""
        pairs = list(messages)
        found = self._present(
            "EXISTS (SELECT 1 FROM posts p WHERE p.channel = json_extract(j.value, '$[0]') "
            "AND p.message_id = json_extract(j.value, '$[1]'))",
            pairs,
        )
        return {pairs[i] for i in found}

    def stored_keys(self, keys: Iterable[str]) -> set[str]:
        """Those of ``keys`` that are a stored post's key, or were one (aliases)."""
        given = list(keys)
        found = self._present(
            "EXISTS (SELECT 1 FROM posts p WHERE p.key = j.value) "
            "OR EXISTS (SELECT 1 FROM post_aliases a WHERE a.alias = j.value)",
            given,
        )
        return {given[i] for i in found}

    def stored_titles(self, title_keys: Iterable[str], *, anonymous_only: bool = False) -> set[str]:
        """Those of ``title_keys`` that stored posts have (``find_by_title``)."""
        if anonymous_only:  # as in find_by_title
            return self._stored_in("p.title_key = j.value", list(title_keys), anonymous_only)
        condition = "p.title_hash = title_hash(j.value) AND p.title_key = j.value"
        return self._stored_in(condition, list(title_keys), anonymous_only)

    def stored_replies(
        self, reply_keys: Iterable[str], *, anonymous_only: bool = False
    ) -> set[str]:
        """Those of ``reply_keys`` that stored posts reply to (``find_by_reply``)."""
        return self._stored_in("p.reply_key = j.value", list(reply_keys), anonymous_only)

    def _stored_in(self, condition: str, given: list[str], anonymous_only: bool) -> set[str]:
        if anonymous_only:  # as in _posts_where
            condition += " AND (p.message_id IS NULL OR p.channel IS NULL)"
        found = self._present(f"EXISTS (SELECT 1 FROM posts p WHERE {condition})", given)
        return {given[i] for i in found}

    def _present(self, condition: str, given: list[Any]) -> list[int]:
        """The places in ``given`` of the values that meet ``condition`` on ``j.value``:
        one query for a whole batch of look-ups."""
        if not given:
            return []
        with self._translated():
            rows = self.conn.execute(
                f"SELECT j.key FROM json_each(?) j WHERE {condition}", (json.dumps(given),)
            )
            return [row[0] for row in rows]

    def neighbour(self, path: str, line: int, *, before: bool) -> Post | None:
        """The post seen in ``path`` just before (or after) ``line``."""
        if before:
            condition, order = "s.path = ? AND s.last_line < ?", "s.last_line DESC"
        else:
            condition, order = "s.path = ? AND s.first_line > ?", "s.first_line"
        with self._translated():
            row = self.conn.execute(
                f"{select('p')} JOIN post_sources s ON s.post_id = p.id "
                f"WHERE {condition} ORDER BY {order} LIMIT 1",
                (path, line),
            ).fetchone()
        return post_of(row) if row else None

    def insert(self, post: Post) -> None:
        """Store a new post; in a transaction, written with the others (``_write``)."""
        if self._depth:
            self._pending.append((post, _now()))
            return
        with self.transaction():
            self._pending.append((post, _now()))

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending:
            with self._translated():
                self._write(pending)

    def _write(self, pending: list[tuple[Post, str]]) -> None:
        """Insert posts, with their entity rows, people and first sightings."""
        db = self._db
        first_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM posts").fetchone()[0]
        rows = [(first_id + i, *values(post), now, now) for i, (post, now) in enumerate(pending)]
        for start in range(0, len(rows), MAX_STATEMENT_ROWS):
            chunk = rows[start : start + MAX_STATEMENT_ROWS]
            db.execute(_insert_posts(len(chunk)), [value for row in chunk for value in row])
        people: list[Person] = []
        entities: list[tuple[str, str, int]] = []
        sightings: list[tuple[Any, ...]] = []
        for i, (post, now) in enumerate(pending):
            post_id = first_id + i
            entities += [(kind, value, post_id) for kind, value in _entities(post)]
            people += post.people
            sightings.append(_sighting_row(post_id, post.source, now))
        self._people(people)
        entities.sort()
        db.executemany(ENTITY_INSERT, entities)
        db.executemany(SIGHTING_UPSERT, sightings)

    def update(self, key: str, post: Post) -> None:
        with self._translated():
            post_id = self._id(key)
            assignments = ", ".join(f"{c} = ?" for c in POST_FIELDS)
            self.conn.execute(
                f"UPDATE posts SET {assignments}, updated_at = ? WHERE id = ?",
                (*values(post), _now(), post_id),
            )
            self._index(post_id, post)
            if post.key != key:
                self.conn.execute(
                    "INSERT OR REPLACE INTO post_aliases (alias, post_id) VALUES (?, ?)",
                    (key, post_id),
                )

    def _index(self, post_id: int, post: Post) -> None:
        """Rewrite the post's rows in the entity index, and record its people."""
        self.conn.execute("DELETE FROM post_entities WHERE post_id = ?", (post_id,))
        self._people(post.people)
        self.conn.executemany(
            ENTITY_INSERT, [(kind, value, post_id) for kind, value in _entities(post)]
        )

    def _people(self, people: Iterable[Person]) -> None:
        """Record people under their keys, with every spelling; a role or a country
        is only filled where the people table has none yet."""
        found: dict[str, list[str | None]] = {}  # key -> [name, role, country]
        spellings: dict[str, str] = {}
        for person in people:
            key = person_key(person.name)
            known = found.setdefault(key, [person.name, person.role, person.country])
            # As upserts one by one would: the first name, the first role and country.
            if known[1] is None:
                known[1] = person.role
            if known[2] is None:
                known[2] = person.country
            spellings.setdefault(person.name, key)
        self._db.executemany(PERSON_UPSERT, [(key, *known) for key, known in found.items()])
        self._db.executemany(ALIAS_INSERT, spellings.items())

    def person(self, name: str) -> tuple[Person, list[str]] | None:
        """A person by any spelling of the name: as first seen, and every spelling."""
        with self._translated():
            row = self.conn.execute(
                "SELECT key, name, role, country FROM people WHERE key = ?", (person_key(name),)
            ).fetchone()
            if row is None:
                return None
            aliases = [
                r[0]
                for r in self.conn.execute(
                    "SELECT alias FROM person_aliases WHERE person_key = ? ORDER BY alias",
                    (row["key"],),
                )
            ]
        return Person(row["name"], row["role"], row["country"]), aliases

    def add_sighting(self, key: str, source: SourceRef) -> None:
        """Record that the post was seen at ``source`` (again: only the time moves)."""
        with self._translated():
            self._sighting(self._id(key), source, _now())

    def _sighting(self, post_id: int, source: SourceRef, now: str) -> None:
        self.conn.execute(SIGHTING_UPSERT, _sighting_row(post_id, source, now))

    def add_version(self, key: str, title: str, text: str, source: SourceRef) -> None:
        with self._translated():
            self.conn.execute(
                "INSERT INTO post_versions (post_id, title, text, source, replaced_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (self._id(key), title, text, to_json(source.to_dict()), _now()),
            )

    def versions(self, key: str) -> list[Version]:
        with self._translated():
            rows = self.conn.execute(
                "SELECT title, text, source, replaced_at FROM post_versions "
                "WHERE post_id = ? ORDER BY id",
                (self._id(key),),
            ).fetchall()
        return [
            Version(
                r["title"],
                r["text"],
                SourceRef.from_dict(json.loads(r["source"])),
                r["replaced_at"],
            )
            for r in rows
        ]

    def _id(self, key: str) -> int:
        row = self.conn.execute(
            "SELECT id FROM posts WHERE key = ? UNION ALL "
            "SELECT post_id FROM post_aliases WHERE alias = ? LIMIT 1",
            (key, key),
        ).fetchone()
        if row is None:
            raise NotFound(f"no post with key {key!r}")
        return int(row[0])

    def undated_from(self, path: str) -> list[Post]:
        """The posts seen in file ``path`` that have no date, in file order."""
        with self._translated():
            rows = self.conn.execute(
                f"{select('p')} JOIN post_sources s ON s.post_id = p.id "
                "WHERE s.path = ? AND p.date IS NULL ORDER BY s.first_line, p.id",
                (path,),
            ).fetchall()
        return [post_of(row) for row in rows]

    def keys(self) -> list[str]:
        with self._translated():
            return [r[0] for r in self.conn.execute("SELECT key FROM posts ORDER BY id")]

    def posts(self, *, include_service: bool = False) -> Iterator[Post]:
        where = "" if include_service else "WHERE p.kind != 'service'"
        with self._translated():
            cursor = self.conn.execute(f"{select('p')} {where} ORDER BY {POST_ORDER}")
            for row in cursor:
                yield post_of(row)

    def count(self) -> int:
        with self._translated():
            return int(self.conn.execute("SELECT count(*) FROM posts").fetchone()[0])

    # -- channels ----------------------------------------------------------------

    def put_channel(self, channel: Channel) -> None:
        """Record a channel; known fields are kept where the new record lacks them."""
        with self._translated():
            self.conn.execute(
                "INSERT INTO channels (username, title, description, subscribers) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (username) DO UPDATE SET "
                "title = coalesce(excluded.title, title), "
                "description = coalesce(excluded.description, description), "
                "subscribers = coalesce(excluded.subscribers, subscribers)",
                (channel.username, channel.title, channel.description, channel.subscribers),
            )

    def channel(self, username: str) -> Channel | None:
        with self._translated():
            row = self.conn.execute(
                f"SELECT {CHANNEL_COLUMNS} FROM channels WHERE username = ?", (username,)
            ).fetchone()
        return channel_of(row) if row else None

    def channels(self, *, followed_only: bool = False) -> list[Channel]:
        where = "WHERE followed" if followed_only else ""
        with self._translated():
            rows = self.conn.execute(
                f"SELECT {CHANNEL_COLUMNS} FROM channels {where} ORDER BY username"
            ).fetchall()
        return [channel_of(row) for row in rows]

    def follow(self, username: str, followed: bool = True) -> bool:
        """Mark a channel followed (or not); False when unfollowing an unknown one."""
        with self._translated():
            if followed:
                self.conn.execute(
                    "INSERT INTO channels (username, followed) VALUES (?, 1) "
                    "ON CONFLICT (username) DO UPDATE SET followed = 1",
                    (username,),
                )
                return True
            cursor = self.conn.execute(
                "UPDATE channels SET followed = 0 WHERE username = ? AND followed", (username,)
            )
            return cursor.rowcount > 0

    def set_synced(self, username: str, last_id: int | None, at: str) -> None:
        with self._translated():
            self.conn.execute(
                "INSERT INTO channels (username, last_synced_id, last_synced_at) "
                "VALUES (?, ?, ?) ON CONFLICT (username) DO UPDATE SET "
                "last_synced_id = CASE WHEN excluded.last_synced_id IS NULL "
                "THEN last_synced_id ELSE max(coalesce(last_synced_id, 0), "
                "excluded.last_synced_id) END, "
                "last_synced_at = excluded.last_synced_at",
                (username, last_id, at),
            )

    # -- aggregates --------------------------------------------------------------

    def stats(self, top: int = 10) -> Stats:
        q = self._pairs
        with self._translated():
            total, replies, first, last = self.conn.execute(
                "SELECT count(*), count(reply_to), min(date), max(date) FROM posts "
                "WHERE kind != 'service'"
            ).fetchone()
            return Stats(
                posts=total,
                replies=replies,
                first_date=first,
                last_date=last,
                channels=q(
                    "SELECT coalesce(channel, '(unknown)'), count(*) FROM posts "
                    "GROUP BY 1 ORDER BY 2 DESC, 1"
                ),
                sources=q(
                    "SELECT json_extract(source, '$.path'), count(*) FROM posts "
                    "GROUP BY 1 ORDER BY 1"
                ),
                forwards=q(
                    "SELECT forwarded_from, count(*) FROM posts WHERE forwarded_from "
                    "IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
                    (top,),
                ),
                hashtags=q(
                    "SELECT j.value, count(*) FROM posts, json_each(posts.hashtags) j "
                    "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
                    (top,),
                ),
                media=q(
                    "SELECT j.value, count(*) FROM posts, json_each(posts.media) j "
                    "GROUP BY 1 ORDER BY 2 DESC, 1"
                ),
            )

    def _pairs(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[str, int]]:
        return [(str(a), int(b)) for a, b in self.conn.execute(sql, params).fetchall()]

    def close(self) -> None:
        self.conn.close()


@cache
def _insert_posts(rows: int) -> str:
    """One INSERT of ``rows`` posts, ids given."""
    row = f"({', '.join('?' * (len(POST_FIELDS) + 3))})"
    return (
        f"INSERT INTO posts (id, {POST_COLUMNS}, created_at, updated_at) "
        f"VALUES {', '.join([row] * rows)}"
    )


def _entities(post: Post) -> set[tuple[str, str]]:
    """The post's rows in the entity index: (type, value)."""
    rows = {("country", c) for c in post.countries}
    rows |= {("organization", o) for o in post.organizations}
    rows |= {("hashtag", h.casefold()) for h in post.hashtags}
    rows |= {("person", person_key(p.name)) for p in post.people}
    if post.speaker:
        rows.add(("speaker", person_key(post.speaker)))
    return rows


def _sighting_row(post_id: int, source: SourceRef, now: str) -> tuple[Any, ...]:
    first, last = source.lines if source.lines else (0, None)
    return (post_id, source.kind, source.path or "", first, last, now, now)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _describe(exc: sqlite3.DatabaseError) -> str:
    message = str(exc)
    if "file is not a database" in message or "malformed" in message:
        return "not a communique archive, or the file is damaged"
    if "readonly" in message:
        return "the archive is read-only"
    if "locked" in message or "busy" in message:
        return "the archive is busy (another communique is writing); try again"
    return f"archive error: {message}"
