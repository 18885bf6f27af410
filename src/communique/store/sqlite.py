"""The embedded archive: one SQLite file, WAL mode, an FTS5 index kept in sync.

sqlite3's errors are translated into ``StoreError`` here, at the one boundary, so
no caller ever sees the database's own error text. Writes happen only inside
``transaction()``; the connection is in autocommit mode otherwise, so a batch is
exactly the transaction the caller opened.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from communique.errors import NotFound, SchemaError, StoreError
from communique.models import (
    Channel,
    Event,
    LinkPreview,
    Person,
    Post,
    ReplyTo,
    SourceRef,
    Version,
)
from communique.names import person_key
from communique.normalise import line_key, title_key
from communique.store.base import Stats
from communique.store.sqlite_schema import MIGRATIONS, VERSION

POST_COLUMNS = (
    "key, channel, message_id, url, date, title, title_key, text, forwarded_from, "
    "reply_to, media, hashtags, links, source, kind, service, views, views_rounding, "
    "edited, author, forwarded_url, link_preview, text_kind, reply_key, speaker, "
    "event_date, place, countries, organizations, people, events, language, extractor"
)
POST_FIELDS = [c.strip() for c in POST_COLUMNS.split(",")]
# A post's sightings as one JSON array, oldest first, read with the post itself.
SOURCES_OF = (
    "(SELECT json_group_array(json_object('kind', kind, 'path', path, 'first_line', "
    "first_line, 'last_line', last_line, 'first_seen', first_seen, 'last_seen', last_seen)) "
    "FROM (SELECT * FROM post_sources s WHERE s.post_id = {alias}.id "
    "ORDER BY s.rowid)) AS sources"
)
CHANNEL_COLUMNS = (
    "username, title, description, subscribers, followed, last_synced_id, last_synced_at"
)
# Dated posts in date order first, then undated ones in the order they were stored.
POST_ORDER = "p.date IS NULL, p.date, p.id"


class SQLiteStore:
    def __init__(self, path: Path):
        self.path = path
        self._depth = 0
        try:
            self.conn = sqlite3.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the archive ({exc})") from None
        self.conn.row_factory = sqlite3.Row
        with self._translated():
            self.conn.execute("PRAGMA foreign_keys = ON")
            self.conn.execute("PRAGMA busy_timeout = 5000")
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            # 64 MB of page cache (the default is 2 MB): the FTS, entity and LSH
            # tables are read at random, and this cuts ingest and search time.
            self.conn.execute("PRAGMA cache_size = -65536")
            self._migrate()

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
            self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        with self._translated():
            self.conn.execute("COMMIT")

    # -- posts -------------------------------------------------------------------

    def get(self, key: str) -> Post | None:
        with self._translated():
            row = self.conn.execute(f"{_select('p')} WHERE p.key = ?", (key,)).fetchone()
            if row is None:
                row = self.conn.execute(
                    f"{_select('p')} JOIN post_aliases a ON a.post_id = p.id WHERE a.alias = ?",
                    (key,),
                ).fetchone()
        return _post(row) if row else None

    def get_by_message(self, channel: str, message_id: int) -> Post | None:
        with self._translated():
            row = self.conn.execute(
                f"{_select('p')} WHERE p.channel = ? AND p.message_id = ?", (channel, message_id)
            ).fetchone()
        return _post(row) if row else None

    def find_by_title(self, title_key: str, *, anonymous_only: bool = False) -> list[Post]:
        return self._posts_where("p.title_key = ?", (title_key,), anonymous_only)

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
                f"{_select('p')} WHERE {condition} ORDER BY p.id", params
            ).fetchall()
        return [_post(row) for row in rows]

    def neighbour(self, path: str, line: int, *, before: bool) -> Post | None:
        """The post seen in ``path`` just before (or after) ``line``."""
        if before:
            condition, order = "s.path = ? AND s.last_line < ?", "s.last_line DESC"
        else:
            condition, order = "s.path = ? AND s.first_line > ?", "s.first_line"
        with self._translated():
            row = self.conn.execute(
                f"{_select('p')} JOIN post_sources s ON s.post_id = p.id "
                f"WHERE {condition} ORDER BY {order} LIMIT 1",
                (path, line),
            ).fetchone()
        return _post(row) if row else None

    def insert(self, post: Post) -> None:
        now = _now()
        with self._translated():
            cursor = self.conn.execute(
                f"INSERT INTO posts ({POST_COLUMNS}, created_at, updated_at) "
                f"VALUES ({', '.join('?' * (len(POST_FIELDS) + 2))})",
                (*_values(post), now, now),
            )
            assert cursor.lastrowid is not None
            self._index(cursor.lastrowid, post, new=True)
            self._sighting(cursor.lastrowid, post.source, now)

    def update(self, key: str, post: Post) -> None:
        with self._translated():
            post_id = self._id(key)
            assignments = ", ".join(f"{c} = ?" for c in POST_FIELDS)
            self.conn.execute(
                f"UPDATE posts SET {assignments}, updated_at = ? WHERE id = ?",
                (*_values(post), _now(), post_id),
            )
            self._index(post_id, post)
            if post.key != key:
                self.conn.execute(
                    "INSERT OR REPLACE INTO post_aliases (alias, post_id) VALUES (?, ?)",
                    (key, post_id),
                )

    def _index(self, post_id: int, post: Post, *, new: bool = False) -> None:
        """Rewrite the post's rows in the entity index, and record its people."""
        if not new:
            self.conn.execute("DELETE FROM post_entities WHERE post_id = ?", (post_id,))
        rows = {("country", c) for c in post.countries}
        rows |= {("organization", o) for o in post.organizations}
        rows |= {("hashtag", h.casefold()) for h in post.hashtags}
        for person in post.people:
            rows.add(("person", self._person(person)))
        if post.speaker:
            rows.add(("speaker", person_key(post.speaker)))
        self.conn.executemany(
            "INSERT INTO post_entities (type, value, post_id) VALUES (?, ?, ?)",
            [(kind, value, post_id) for kind, value in rows],
        )

    def _person(self, person: Person) -> str:
        key = person_key(person.name)
        self.conn.execute(
            "INSERT INTO people (key, name, role, country) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET role = coalesce(role, excluded.role), "
            "country = coalesce(country, excluded.country)",
            (key, person.name, person.role, person.country),
        )
        self.conn.execute(
            "INSERT OR IGNORE INTO person_aliases (alias, person_key) VALUES (?, ?)",
            (person.name, key),
        )
        return key

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
        first, last = source.lines if source.lines else (0, None)
        self.conn.execute(
            "INSERT INTO post_sources (post_id, kind, path, first_line, last_line, "
            "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO UPDATE SET last_seen = excluded.last_seen, "
            "last_line = excluded.last_line",
            (post_id, source.kind, source.path or "", first, last, now, now),
        )

    def add_version(self, key: str, title: str, text: str, source: SourceRef) -> None:
        with self._translated():
            self.conn.execute(
                "INSERT INTO post_versions (post_id, title, text, source, replaced_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (self._id(key), title, text, _json(source.to_dict()), _now()),
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
                f"{_select('p')} JOIN post_sources s ON s.post_id = p.id "
                "WHERE s.path = ? AND p.date IS NULL ORDER BY s.first_line, p.id",
                (path,),
            ).fetchall()
        return [_post(row) for row in rows]

    def keys(self) -> list[str]:
        with self._translated():
            return [r[0] for r in self.conn.execute("SELECT key FROM posts ORDER BY id")]

    def posts(self, *, include_service: bool = False) -> Iterator[Post]:
        where = "" if include_service else "WHERE p.kind != 'service'"
        with self._translated():
            cursor = self.conn.execute(f"{_select('p')} {where} ORDER BY {POST_ORDER}")
            for row in cursor:
                yield _post(row)

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
        return _channel(row) if row else None

    def channels(self, *, followed_only: bool = False) -> list[Channel]:
        where = "WHERE followed" if followed_only else ""
        with self._translated():
            rows = self.conn.execute(
                f"SELECT {CHANNEL_COLUMNS} FROM channels {where} ORDER BY username"
            ).fetchall()
        return [_channel(row) for row in rows]

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


def _select(alias: str) -> str:
    columns = ", ".join(f"{alias}.{c}" for c in POST_FIELDS)
    return f"SELECT {columns}, {SOURCES_OF.format(alias=alias)} FROM posts {alias}"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _values(post: Post) -> tuple[Any, ...]:
    reply = post.reply_to
    return (
        post.key,
        post.channel,
        post.message_id,
        post.url,
        post.date,
        post.title,
        title_key(post.title),
        post.text,
        post.forwarded_from,
        _json(reply.to_dict()) if reply else None,
        _json(post.media),
        _json(post.hashtags),
        _json(post.links),
        _json(post.source.to_dict()),
        post.kind,
        post.service,
        post.views,
        post.views_rounding,
        int(post.edited),
        post.author,
        post.forwarded_url,
        _json(post.link_preview.to_dict()) if post.link_preview else None,
        post.text_kind,
        line_key(reply.text) if reply and reply.text else None,
        post.speaker,
        post.event_date,
        post.place,
        _json(post.countries),
        _json(post.organizations),
        _json([p.to_dict() for p in post.people]),
        _json([e.to_dict() for e in post.events]),
        post.language,
        post.extractor,
    )


def _post(row: sqlite3.Row) -> Post:
    reply = json.loads(row["reply_to"]) if row["reply_to"] else None
    preview = json.loads(row["link_preview"]) if row["link_preview"] else None
    return Post(
        key=row["key"],
        channel=row["channel"],
        message_id=row["message_id"],
        url=row["url"],
        date=row["date"],
        title=row["title"],
        text=row["text"],
        forwarded_from=row["forwarded_from"],
        reply_to=ReplyTo.from_dict(reply) if reply else None,
        media=json.loads(row["media"]),
        hashtags=json.loads(row["hashtags"]),
        links=json.loads(row["links"]),
        source=SourceRef.from_dict(json.loads(row["source"])),
        kind=row["kind"],
        service=row["service"],
        views=row["views"],
        views_rounding=row["views_rounding"],
        edited=bool(row["edited"]),
        author=row["author"],
        forwarded_url=row["forwarded_url"],
        link_preview=LinkPreview.from_dict(preview) if preview else None,
        text_kind=row["text_kind"],
        sources=[_sighting(s) for s in json.loads(row["sources"] or "[]")],
        speaker=row["speaker"],
        event_date=row["event_date"],
        place=row["place"],
        countries=json.loads(row["countries"]),
        organizations=json.loads(row["organizations"]),
        people=[Person.from_dict(p) for p in json.loads(row["people"])],
        events=[Event.from_dict(e) for e in json.loads(row["events"])],
        language=row["language"],
        extractor=row["extractor"],
    )


def _sighting(data: dict[str, Any]) -> SourceRef:
    lines = (data["first_line"], data["last_line"]) if data["last_line"] is not None else None
    return SourceRef(
        kind=data["kind"],
        path=data["path"] or None,
        lines=lines,
        first_seen=data["first_seen"],
        last_seen=data["last_seen"],
    )


def _channel(row: sqlite3.Row) -> Channel:
    data = dict(row)
    data["followed"] = bool(data["followed"])
    return Channel(**data)


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
