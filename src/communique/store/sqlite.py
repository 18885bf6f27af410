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

from communique.errors import SchemaError, StoreError
from communique.models import Channel, Post, ReplyTo, SourceRef
from communique.normalise import title_key
from communique.store.base import Stats
from communique.store.sqlite_schema import MIGRATIONS, VERSION

POST_COLUMNS = (
    "key, channel, message_id, url, date, title, title_key, text, forwarded_from, "
    "reply_to, media, hashtags, links, source"
)
# Dated posts in date order first, then undated ones in the order they were stored.
POST_ORDER = "date IS NULL, date, id"


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
            row = self.conn.execute(
                f"SELECT {POST_COLUMNS} FROM posts WHERE key = ?", (key,)
            ).fetchone()
            if row is None:
                row = self.conn.execute(
                    f"SELECT {_qualified('p')} FROM posts p "
                    "JOIN post_aliases a ON a.post_id = p.id WHERE a.alias = ?",
                    (key,),
                ).fetchone()
        return _post(row) if row else None

    def get_by_message(self, channel: str, message_id: int) -> Post | None:
        with self._translated():
            row = self.conn.execute(
                f"SELECT {POST_COLUMNS} FROM posts WHERE channel = ? AND message_id = ?",
                (channel, message_id),
            ).fetchone()
        return _post(row) if row else None

    def find_by_title(self, title_key: str) -> list[Post]:
        with self._translated():
            rows = self.conn.execute(
                f"SELECT {POST_COLUMNS} FROM posts WHERE title_key = ? ORDER BY id", (title_key,)
            ).fetchall()
        return [_post(row) for row in rows]

    def insert(self, post: Post) -> None:
        now = _now()
        with self._translated():
            self.conn.execute(
                f"INSERT INTO posts ({POST_COLUMNS}, created_at, updated_at) "
                f"VALUES ({', '.join('?' * 16)})",
                (*_values(post), now, now),
            )

    def update(self, key: str, post: Post) -> None:
        with self._translated():
            row = self.conn.execute("SELECT id FROM posts WHERE key = ?", (key,)).fetchone()
            if row is None:
                raise StoreError(f"{self.path}: no post with key {key!r} to update")
            assignments = ", ".join(f"{c.strip()} = ?" for c in POST_COLUMNS.split(","))
            self.conn.execute(
                f"UPDATE posts SET {assignments}, updated_at = ? WHERE id = ?",
                (*_values(post), _now(), row["id"]),
            )
            if post.key != key:
                self.conn.execute(
                    "INSERT OR REPLACE INTO post_aliases (alias, post_id) VALUES (?, ?)",
                    (key, row["id"]),
                )

    def posts(self) -> Iterator[Post]:
        with self._translated():
            cursor = self.conn.execute(f"SELECT {POST_COLUMNS} FROM posts ORDER BY {POST_ORDER}")
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

    def channels(self) -> list[Channel]:
        with self._translated():
            rows = self.conn.execute(
                "SELECT username, title, description, subscribers FROM channels ORDER BY username"
            ).fetchall()
        return [Channel(**dict(row)) for row in rows]

    # -- aggregates --------------------------------------------------------------

    def stats(self, top: int = 10) -> Stats:
        q = self._pairs
        with self._translated():
            total, replies, first, last = self.conn.execute(
                "SELECT count(*), count(reply_to), min(date), max(date) FROM posts"
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


def _qualified(alias: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in POST_COLUMNS.split(","))


def _values(post: Post) -> tuple[Any, ...]:
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
        json.dumps(post.reply_to.to_dict(), ensure_ascii=False) if post.reply_to else None,
        json.dumps(post.media, ensure_ascii=False),
        json.dumps(post.hashtags, ensure_ascii=False),
        json.dumps(post.links, ensure_ascii=False),
        json.dumps(post.source.to_dict(), ensure_ascii=False),
    )


def _post(row: sqlite3.Row) -> Post:
    reply = json.loads(row["reply_to"]) if row["reply_to"] else None
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
    )


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
