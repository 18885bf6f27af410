"""Ingest's fast path: batch look-ups (identity.unseen), posts written together by the
store, and the cheap whole-file check of CSV and JSONL. Each must give exactly what the
post-by-post path gives."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from communique import identity, settings
from communique.errors import StoreError
from communique.ingest import ingest
from communique.models import Post
from communique.settings import Setting
from communique.store import Store, open_store
from communique.store.sqlite import SQLiteStore
from conftest import CSV_MFA, DUMP_000, dump_posts


@pytest.fixture
def store(db_path: Path) -> SQLiteStore:
    s = open_store(db_path)
    assert isinstance(s, SQLiteStore)
    return s


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of 50 posts, and the whole-file check for any file."""
    for name, value in (("ingest_batch", 50), ("check_whole_bytes", 0)):
        old = settings.SETTINGS[name]
        monkeypatch.setitem(settings.SETTINGS, name, Setting(name, value, old.help))


def numbered(posts: list[Post]) -> list[Post]:
    """The dump's posts with the message ids the dump does not show."""
    return [
        replace(p, message_id=1000 + i, key=f"mfarussia/{1000 + i}") for i, p in enumerate(posts)
    ]


def anonymous(post: Post) -> Post:
    """The post as a source without message ids would give it."""
    return replace(post, message_id=None, url=None, key=f"h-{post.key}")


def test_inserted_posts_are_read_back_before_the_commit(store: SQLiteStore) -> None:
    posts = numbered(dump_posts(DUMP_000))
    with store.transaction():
        for post in posts[:5]:
            store.insert(post)
        assert store.count() == 5
        assert store.get(posts[3].key) == store.get_by_message(
            "MFARussia", posts[3].message_id or 0
        )
        rows = store.conn.execute("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'Russia'")
        assert rows.fetchone()[0] > 0
        store.insert(posts[5])
    assert [p.key for p in store.posts()] == [p.key for p in posts[:6]]


def test_a_batch_failing_as_it_is_written_leaves_nothing(store: SQLiteStore) -> None:
    posts = dump_posts(DUMP_000)
    with pytest.raises(StoreError), store.transaction():
        for post in posts[:5]:
            store.insert(post)
        store.insert(posts[0])  # the same key again: refused when the batch is written
    assert store.count() == 0
    assert store.conn.execute("SELECT count(*) FROM post_entities").fetchone()[0] == 0


def test_unseen_knows_the_archive_and_the_batch(store: SQLiteStore) -> None:
    posts = numbered(dump_posts(DUMP_000))
    with store.transaction():
        store.insert(posts[0])
        store.insert(anonymous(posts[1]))
    shouted = replace(posts[0], channel="MFARUSSIA")  # channels compare without case
    batch = [shouted, posts[1], posts[2], posts[2], posts[3], anonymous(posts[3])]
    assert identity.unseen(store, batch) == [
        False,  # stored under its channel and id
        False,  # a post without id has its title (rule 3)
        True,
        False,  # twice in the batch
        True,
        False,  # without id, the same title as the post before it
    ]
    assert identity.unseen(store, [anonymous(posts[1]), anonymous(posts[4])]) == [False, True]


def test_a_file_of_repeats_and_updates_counts_as_before(store: SQLiteStore, tmp_path: Path) -> None:
    texts = [p.text for p in dump_posts(DUMP_000)]
    rows = [
        {"channel": "MFARussia", "message_id": 1000 + i, "text": text, "views": None}
        for i, text in enumerate(texts)
    ]
    grown = [{**row, "views": "1.2K"} for row in rows[:4]]  # a second sighting: more views
    path = tmp_path / "posts.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) for row in [*rows, *grown, rows[0]]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest(store, [path])
    assert (report.total("new"), report.total("merged"), report.total("unchanged")) == (15, 4, 1)
    assert store.count() == 15
    again = ingest(store, [path])
    assert (again.total("new"), again.total("merged"), again.total("unchanged")) == (0, 0, 20)


def test_batched_ingest_of_the_csv_is_the_one_by_one_ingest(
    db_path: Path, tmp_path: Path, small_batches: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    batched = open_store(db_path)
    ingest(batched, [DUMP_000, CSV_MFA])
    monkeypatch.setattr(identity, "unseen", lambda store, posts: [False] * len(posts))
    one_by_one = open_store(tmp_path / "one.db")
    ingest(one_by_one, [DUMP_000, CSV_MFA])
    assert placed(batched) == placed(one_by_one)


def placed(store: Store) -> list[Post]:
    """The store's posts, their sightings without the times."""
    return [
        replace(p, sources=[s.place() for s in p.sources])
        for p in store.posts(include_service=True)
    ]


def test_a_jsonl_file_is_refused_for_a_bad_last_line_only_if_it_cannot_be_read(
    store: SQLiteStore, tmp_path: Path, small_batches: None
) -> None:
    rows = [
        json.dumps({"channel": "c", "message_id": i, "text": f"post {i}"}) for i in range(1, 120)
    ]
    skipped = tmp_path / "skipped.jsonl"
    skipped.write_text("\n".join([*rows, "{not json"]) + "\n", encoding="utf-8")
    report = ingest(store, [skipped])
    assert report.files[0].error is None and len(report.skipped) == 1
    broken = tmp_path / "broken.jsonl"
    others = [row.replace('"c"', '"d"') for row in rows]
    broken.write_bytes("\n".join(others).encode() + b"\n\xff\xfe\n")
    report = ingest(store, [broken])
    assert report.files[0].error is not None and "UTF-8" in report.files[0].error
    assert store.count() == 119
