"""The tantivy ranking index: same answers as FTS5, kept up to date, rebuilt when lost."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from communique import textindex, textquery
from communique.ingest import ingest
from communique.query import parse
from communique.search import Query, search
from communique.store import Store, open_store
from conftest import CSV_MFA, DUMP_000, DUMP_002


def run(store: Store, query: Query, engine: str, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", engine)
    return search(store, query)


def every_key(store: Store, query: Query, monkeypatch: pytest.MonkeyPatch, engine: str) -> list:
    monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", engine)
    found: list[str] = []
    while True:
        page = replace(query, limit=500, offset=len(found), facets=False)
        results = search(store, page)
        found += [h.key for h in results.hits]
        if not results.hits or len(found) >= results.total:
            return found


@pytest.fixture(autouse=True)
def tantivy_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ranking index is what this module tests; a test switches to FTS5 when it
    compares the two."""
    monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", "tantivy")


def ingest_behind(store: Store, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest without bringing the index up to date (as with search_engine=fts5),
    leaving changes in the log for a later search or refresh to apply."""
    monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", "fts5")
    ingest(store, [path], channel="MFARussia")
    monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", "tantivy")


@pytest.fixture(scope="module")
def archive(samples_db: Path) -> Path:
    return samples_db


# Queries and filters of every kind the search page offers, on the real posts.
CASES = [
    Query(text="Lavrov"),
    Query(text='"Security Council"'),
    Query(text="sanction*"),
    Query(text="China OR Vietnam"),
    Query(text="Russia NOT Ukraine"),
    Query(text="(Lavrov OR Zakharova) AND briefing"),
    Query(text="Russia-China"),
    Query(text="Russia", country=["CN"]),
    Query(text="Russia", kind=["statement", "meeting"]),
    Query(text="Russia", since="2026-01-01", until="2026-01-31"),
    Query(text="Russia", hashtag=["#Lavrov"]),
    Query(text="Russia", has_media=True),
    Query(text="Russia", forwarded=False),
    Query(text="minister", speaker=["Sergey Lavrov"]),
    Query(text="", country=["US"]),
    Query(text="", org=["UN"], sort="date"),
]


@pytest.mark.parametrize("query", CASES, ids=lambda q: f"{q.text or '*'}")
def test_tantivy_finds_and_counts_what_fts5_finds(
    archive: Path, query: Query, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(archive)
    fts = every_key(store, query, monkeypatch, "fts5")
    ranked = every_key(store, query, monkeypatch, "tantivy")
    assert fts, "each case must match something"
    assert sorted(ranked) == sorted(fts)
    a = run(store, query, "fts5", monkeypatch)
    b = run(store, query, "tantivy", monkeypatch)
    assert b.total == a.total and b.facets == a.facets  # type: ignore[attr-defined]


def test_words_in_most_posts_count_countries_by_complement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The country facet of a word in most posts is the scope's counts less the
    left-out posts' (textquery._by_complement): the same as FTS5 counts, with or
    without filters, and still after a write changes a post's countries."""
    store = open_store(tmp_path / "a.db")
    ingest(store, [CSV_MFA])
    complements: list[object] = []
    complete = textquery._complete
    monkeypatch.setattr(textquery, "_complete", lambda *a: complements.append(a) or complete(*a))
    queries = [
        Query(text="Russia"),
        Query(text="Russia", since="2026-01-01", until="2026-02-28"),
        Query(text="the", kind=["statement", "meeting"]),
    ]
    for query in queries:
        fts = run(store, query, "fts5", monkeypatch)
        assert fts.total * 2 > run(store, replace(query, text=""), "fts5", monkeypatch).total  # type: ignore[attr-defined]
        used = len(complements)
        assert run(store, query, "tantivy", monkeypatch).facets == fts.facets  # type: ignore[attr-defined]
        assert len(complements) > used, f"{query.text!r}: not counted by complement"
    # Every country's count, both ways; then a post of the matching set names
    # Zimbabwe too: the counts kept for the scope are not reused.
    used = len(complements)
    before, in_sql = all_countries(store, "Russia")
    assert before == in_sql and len(complements) > used
    zw = dict(before).get("ZW", 0)
    post = store.get(run(store, queries[0], "tantivy", monkeypatch).hits[0].key)  # type: ignore[attr-defined]
    assert post is not None and "ZW" not in post.countries
    with store.transaction():
        store.update(post.key, replace(post, countries=[*post.countries, "ZW"]))
    after, in_sql = all_countries(store, "Russia")
    assert after == in_sql and dict(after)["ZW"] == zw + 1


def test_counts_are_not_kept_for_a_state_another_process_moved_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process changes a post's countries and commits it to the index before
    its mark is written: this process's searcher sees the change, so the counts it
    kept for the old state must not serve it (counted directly instead)."""
    path = tmp_path / "a.db"
    store = open_store(path)
    ingest(store, [CSV_MFA])
    search(store, Query(text="Russia"))
    assert all_countries(store, "Russia")[1]  # split and kept at the mark
    post = store.get(search(store, Query(text="Russia")).hits[0].key)
    assert post is not None and "ZW" not in post.countries
    other = open_store(path)  # the other process: SQLite first, then the index
    with other.transaction():
        other.update(post.key, replace(post, countries=[*post.countries, "ZW"]))
    handle = textindex.handle_of(store.conn, path)  # type: ignore[attr-defined]
    writer = handle.index.writer(heap_size=15_000_000, num_threads=1)
    post_id = other.conn.execute("SELECT id FROM posts WHERE key = ?", (post.key,)).fetchone()[0]  # type: ignore[attr-defined]
    writer.delete_documents_by_term("id", post_id)
    textindex._add(writer, handle.schema, textindex._posts(other.conn, [post_id]))  # type: ignore[attr-defined]
    writer.commit()  # ...and it still holds the writer: no mark written yet
    searcher, handle, mark = textindex.snapshot(store.conn, path)  # type: ignore[attr-defined]
    assert mark is None
    assert textquery.split_search(searcher, handle, mark, parse("Russia"), NO_FILTERS) is None
    results = search(store, Query(text="Russia", country=["ZW"]))
    assert post.key in [h.key for h in results.hits]
    writer.rollback()
    del writer
    assert textindex.snapshot(store.conn, path)[2] is not None  # type: ignore[attr-defined]


def test_counts_are_kept_for_a_few_scopes_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path / "a.db")
    ingest(store, [CSV_MFA])
    monkeypatch.setattr(textquery, "TOTALS_KEPT", 2)
    kept = textindex.handle_of(store.conn, store.path).totals  # type: ignore[attr-defined]
    seen: list[str] = []
    for month in ["2025-12", "2026-01", "2026-02"]:
        search(store, Query(text="Russia", since=f"{month}-01", until=f"{month}-28"))
        seen += [key for key in kept if key not in seen]
    assert len(seen) == 3 and list(kept) == seen[1:]  # the oldest went


NO_FILTERS = textquery.Filters([], [], None, None, {}, None, None)


def all_countries(store: Store, text: str) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Every country's count for the word ``text``: by complement, and in SQL."""
    searcher, handle, mark = textindex.snapshot(store.conn, store.path)  # type: ignore[attr-defined]
    none = NO_FILTERS
    node = parse(text)
    query = textquery.with_filters(
        textquery.to_query(node, handle.schema, 1.0), none, handle.schema
    )
    split = textquery.split_search(searcher, handle, mark, node, none)
    assert split is not None, f"{text!r} is not in most posts"
    by_complement = textquery.facets(searcher, query, ["country"], 500, split).result()
    rows = store.conn.execute(  # type: ignore[attr-defined]
        "SELECT value, count(*) FROM post_entities WHERE type = 'country' AND post_id IN "
        "(SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?) "
        "GROUP BY value ORDER BY count(*) DESC, value",
        (text,),
    ).fetchall()
    return by_complement["country"], [tuple(r) for r in rows]


def test_date_order_is_the_same(archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(archive)
    query = Query(text="Lavrov", sort="date")
    fts = every_key(store, query, monkeypatch, "fts5")
    ranked = every_key(store, query, monkeypatch, "tantivy")
    dates = {p.key: p.date for p in store.posts()}
    assert [dates[k] for k in ranked] == [dates[k] for k in fts]


def test_new_and_changed_posts_are_found_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_path / "a.db")
    ingest(store, [DUMP_000], channel="MFARussia")
    before = search(store, Query(text="Russia")).total
    ingest(store, [CSV_MFA])
    after = search(store, Query(text="Russia"))
    assert after.total > before
    monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", "fts5")
    assert search(store, Query(text="Russia")).total == after.total
    monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", "tantivy")
    # A post's text changes: its old words go, its new ones come.
    post = store.get(after.hits[0].key)
    assert post is not None
    with store.transaction():
        store.update(post.key, replace(post, text=post.text + " zanzibarian"))
    assert [h.key for h in search(store, Query(text="zanzibarian")).hits] == [post.key]
    # ...and a deleted post is gone from the index too.
    store.conn.execute("DELETE FROM posts WHERE key = ?", (post.key,))  # type: ignore[attr-defined]
    assert search(store, Query(text="zanzibarian")).total == 0


def test_a_lost_or_foreign_index_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.db"
    store = open_store(path)
    ingest(store, [DUMP_000, DUMP_002], channel="MFARussia")
    expected = search(store, Query(text="Russia")).total
    folder = textindex.folder_of(path)
    assert folder is not None and (folder / "state.json").is_file()
    store.close()
    textindex._HANDLES.clear()  # a new process
    shutil.rmtree(folder)
    assert search(open_store(path), Query(text="Russia")).total == expected
    # The archive deleted and made again under the same name: the index left
    # beside it belongs to the old one and must not answer for the new one.
    textindex._HANDLES.clear()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    fresh = open_store(path)
    ingest(fresh, [DUMP_000], channel="MFARussia")
    assert 0 < search(fresh, Query(text="Russia")).total < expected
    # Garbage where the index should be.
    textindex._HANDLES.clear()
    state = json.loads((folder / "state.json").read_text())
    for f in folder.iterdir():
        if f.name != "state.json":
            f.write_bytes(b"\x00garbage") if f.is_file() else shutil.rmtree(f)
    (folder / "meta.json").write_bytes(b"{not json")
    (folder / "state.json").write_text(json.dumps(state))
    assert 0 < search(open_store(path), Query(text="Russia")).total < expected


def test_a_read_only_archive_is_searched_and_refreshed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.db"
    store = open_store(path)
    ingest(store, [DUMP_000], channel="MFARussia")
    search(store, Query(text="Russia"))  # the index, as of the first dump
    ingest_behind(store, DUMP_002, monkeypatch)
    textindex._HANDLES.clear()  # a new process, say a web server
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    searcher, _ = textindex.open_index(conn, path)
    assert searcher.num_docs == store.count() - _service(path)


def test_prune_drops_the_applied_log_and_search_stays_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.db"
    store = open_store(path)
    ingest_behind(store, DUMP_000, monkeypatch)
    conn = store.conn  # type: ignore[attr-defined]
    assert conn.execute("SELECT count(*) FROM search_queue").fetchone()[0] > 0
    textindex.prune(conn, path)
    assert conn.execute("SELECT count(*) FROM search_queue").fetchone()[0] == 0
    ingest_behind(store, DUMP_002, monkeypatch)
    monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", "fts5")
    expected = search(store, Query(text="Russia")).total
    monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", "tantivy")
    assert search(store, Query(text="Russia")).total == expected


def test_a_busy_writer_leaves_search_working_on_what_is_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.db"
    store = open_store(path)
    ingest(store, [DUMP_000], channel="MFARussia")
    before = search(store, Query(text="Russia")).total
    ingest_behind(store, DUMP_002, monkeypatch)
    handle = textindex.handle_of(store.conn, path)  # type: ignore[attr-defined]
    busy = handle.index.writer(heap_size=15_000_000, num_threads=1)  # as another process
    assert search(store, Query(text="Russia")).total == before
    busy.rollback()
    del busy
    assert search(store, Query(text="Russia")).total > before


def test_in_memory_archives_have_their_own_index(monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = open_store(":memory:"), open_store(":memory:")
    ingest(one, [DUMP_000], channel="MFARussia")
    ingest(two, [DUMP_002], channel="MFARussia")
    a = {h.key for h in search(one, Query(text="Russia", limit=100)).hits}
    b = {h.key for h in search(two, Query(text="Russia", limit=100)).hits}
    assert a and b and not a & b


def _service(path: Path) -> int:
    conn = sqlite3.connect(path)
    return int(conn.execute("SELECT count(*) FROM posts WHERE kind = 'service'").fetchone()[0])


def test_write_jobs_leave_the_index_current_and_the_log_pruned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from communique.reextract import reextract

    monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", "tantivy")
    path = tmp_path / "a.db"
    store = open_store(path)
    ingest(store, [DUMP_000], channel="MFARussia")
    conn = store.conn  # type: ignore[attr-defined]
    report = reextract(store, everything=True)
    assert report.posts > 0
    assert conn.execute("SELECT count(*) FROM search_queue").fetchone()[0] == 0
    state = json.loads((path.parent / "a.db.tantivy" / "state.json").read_text())
    assert (
        state["seq"]
        == conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'search_queue'").fetchone()[0]
    )


def test_ingest_leaves_the_index_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.db"
    store = open_store(path)
    ingest(store, [DUMP_000, DUMP_002], channel="MFARussia")
    conn = store.conn  # type: ignore[attr-defined]
    assert conn.execute("SELECT count(*) FROM search_queue").fetchone()[0] == 0
    state = json.loads((path.parent / "a.db.tantivy" / "state.json").read_text())
    latest = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'search_queue'")
    assert state["seq"] == latest.fetchone()[0] > 0
    # Another process opens the index as ingest left it, with nothing to apply.
    textindex._HANDLES.clear()
    handle = textindex.handle_of(conn, path)
    assert textindex.refresh(conn, handle) == 0
    handle.index.reload()
    assert handle.index.searcher().num_docs == store.count() - _service(path)
