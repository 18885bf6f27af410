"""The SQLite store: WAL, the FTS5 index in sync, migrations, transactions."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from communique.errors import SchemaError, StoreError
from communique.models import Channel
from communique.store import open_store
from communique.store import sqlite as sqlite_module
from communique.store.sqlite import SQLiteStore
from conftest import DUMP_000, dump_posts


def fts(store: SQLiteStore, query: str) -> list[str]:
    rows = store.conn.execute(
        "SELECT p.key FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid "
        "WHERE posts_fts MATCH ? ORDER BY p.id",
        (query,),
    ).fetchall()
    return [row[0] for row in rows]


@pytest.fixture
def store(db_path: Path) -> SQLiteStore:
    s = open_store(db_path)
    assert isinstance(s, SQLiteStore)
    return s


def test_new_archive_is_wal_at_the_latest_schema(store: SQLiteStore) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.version == sqlite_module.VERSION


def test_posts_round_trip_unchanged(store: SQLiteStore) -> None:
    posts = dump_posts(DUMP_000)
    with store.transaction():
        for post in posts:
            store.insert(post)
    assert store.count() == 15
    for post in posts:
        assert store.get(post.key) == post
    assert list(store.posts()) == posts  # undated: in the order stored
    # In one read, as exports do: the same posts; unknown keys left out.
    keys = [p.key for p in posts[::-1]] + ["mfarussia/0"]
    assert store.get_many(keys) == {p.key: p for p in posts}
    assert store.get_many([]) == {}


def test_fts_index_follows_inserts_updates_and_deletes(store: SQLiteStore) -> None:
    posts = dump_posts(DUMP_000)
    with store.transaction():
        for post in posts:
            store.insert(post)
    savicheva = [p.key for p in posts if "Savicheva" in p.text]
    assert fts(store, "Savicheva") == savicheva
    target = posts[0]
    with store.transaction():
        store.update(target.key, replace(target, text=target.text + "\nMarinera postscript"))
    assert fts(store, "postscript") == [target.key]
    with store.transaction():
        store.conn.execute("DELETE FROM posts WHERE key = ?", (target.key,))
    assert fts(store, "postscript") == []
    store.conn.execute("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')")


def test_a_failed_transaction_writes_nothing(store: SQLiteStore) -> None:
    posts = dump_posts(DUMP_000)
    with pytest.raises(RuntimeError), store.transaction():
        for post in posts[:5]:
            store.insert(post)
        raise RuntimeError("boom")
    assert store.count() == 0
    assert fts(store, "Zakharova") == []


def test_changed_key_keeps_the_old_one_as_alias(store: SQLiteStore) -> None:
    post = dump_posts(DUMP_000)[0]
    with store.transaction():
        store.insert(post)
        store.update(post.key, replace(post, key="mfarussia/28089", message_id=28089))
    assert store.get("mfarussia/28089") is not None
    alias = store.get(post.key)
    assert alias is not None and alias.key == "mfarussia/28089"
    assert list(store.get_many([post.key, "mfarussia/28089"])) == ["mfarussia/28089"]


def test_channels_keep_known_fields(store: SQLiteStore) -> None:
    with store.transaction():
        store.put_channel(Channel("MFARussia", title="MFA Russia 🇷🇺", subscribers=1000))
        store.put_channel(Channel("mfarussia"))
    assert store.channels() == [Channel("MFARussia", "MFA Russia 🇷🇺", None, 1000)]


def test_forward_migration_runs_once(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(db_path).close()
    extra = "ALTER TABLE posts ADD COLUMN extra TEXT;"
    monkeypatch.setattr(sqlite_module, "MIGRATIONS", [*sqlite_module.MIGRATIONS, extra])
    monkeypatch.setattr(sqlite_module, "VERSION", sqlite_module.VERSION + 1)
    s = SQLiteStore(db_path)
    assert s.version == sqlite_module.VERSION
    columns = [r[1] for r in s.conn.execute("PRAGMA table_info(posts)")]
    assert "extra" in columns
    s.close()
    SQLiteStore(db_path).close()  # a second open does not run it again


def test_a_failed_migration_leaves_the_archive_at_its_version(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_store(db_path).close()
    broken = "CREATE TABLE half (x); THIS IS NOT SQL;"
    monkeypatch.setattr(sqlite_module, "MIGRATIONS", [*sqlite_module.MIGRATIONS, broken])
    monkeypatch.setattr(sqlite_module, "VERSION", sqlite_module.VERSION + 1)
    with pytest.raises(StoreError):
        SQLiteStore(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(sqlite_module.MIGRATIONS) - 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half'").fetchone()[0] == 0


def test_an_archive_from_a_newer_communique_is_refused(db_path: Path) -> None:
    open_store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SchemaError, match="newer"):
        open_store(db_path)


def test_a_file_that_is_not_an_archive_gets_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "not.db"
    path.write_bytes(DUMP_000.read_bytes())
    with pytest.raises(StoreError, match="not a communique archive"):
        open_store(path)


def test_stats_count_sources_forwards_hashtags_and_media(store: SQLiteStore) -> None:
    with store.transaction():
        for post in dump_posts(DUMP_000):
            store.insert(post)
    stats = store.stats(top=3)
    assert stats.posts == 15 and stats.replies == 2
    assert stats.sources == [(str(DUMP_000), 15)]
    assert ("Kremlin. News", 1) in stats.forwards
    assert stats.hashtags[0] == ("Outcomes2025", 2)
    assert dict(stats.media) == {"unsupported": 1, "needs_app": 1}


def test_an_archive_before_title_hashes_gets_them_and_finds_posts_by_title(
    store: SQLiteStore,
) -> None:
    """Migration 7 -> 8: a hash of each title key, filled in and indexed, and the
    look-ups by title go through it; FTS5 merges eight segments at a time."""
    posts = dump_posts(DUMP_000)
    with store.transaction():
        for post in posts:
            store.insert(post)
    conn = store.conn
    # Back to version 7, as an archive written before the change is.
    conn.executescript(
        "DROP INDEX posts_title_hash; ALTER TABLE posts DROP COLUMN title_hash; "
        "CREATE INDEX posts_title_key ON posts (title_key); "
        "DELETE FROM posts_fts_config WHERE k = 'automerge'; DROP TABLE lsh_runs; "
        "CREATE TABLE lsh_buckets (bucket INTEGER NOT NULL, post_id INTEGER NOT NULL, "
        "PRIMARY KEY (bucket, post_id)) WITHOUT ROWID; PRAGMA user_version = 7;"
    )
    queued = conn.execute("SELECT count(*) FROM search_queue").fetchone()[0]
    store.close()

    s = SQLiteStore(store.path)
    assert s.version == sqlite_module.VERSION
    rows = s.conn.execute("SELECT title_key, title_hash FROM posts ORDER BY id").fetchall()
    assert len(rows) == 15
    assert all(h == sqlite_module.title_hash(k) for k, h in rows)
    # Filling the hashes in is no change the ranking index has to follow.
    assert s.conn.execute("SELECT count(*) FROM search_queue").fetchone()[0] == queued
    indexes = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "posts_title_hash" in indexes and "posts_title_key" not in indexes
    config = "SELECT v FROM posts_fts_config WHERE k = 'automerge'"
    assert s.conn.execute(config).fetchone()[0] == 8

    target = posts[3]
    key = rows[3][0]
    assert [p.key for p in s.find_by_title(key)] == [target.key]
    assert s.stored_titles([key, "nosuchtitle"]) == {key}
    # The store's own statements (as run, values in place) use the hash index.
    statements: list[str] = []
    s.conn.set_trace_callback(statements.append)
    s.find_by_title(key)
    s.stored_titles([key])
    s.conn.set_trace_callback(None)
    for sql in [q for q in statements if "title_hash" in q]:
        plan = s.conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        assert "posts_title_hash" in " ".join(str(tuple(r)) for r in plan), sql
    assert len([q for q in statements if "title_hash" in q]) == 2
    # The dump's posts have no message ids: they are also found among anonymous ones.
    assert [p.key for p in s.find_by_title(key, anonymous_only=True)] == [target.key]
    s.close()
