"""Shared fixtures: where the real samples live, and a fresh archive per test."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from communique.models import Post, RawPost
from communique.normalise import normalise
from communique.sources import dump
from communique.store import Store

ROOT = Path(__file__).resolve().parent.parent
# The real samples sit beside the project (../shared); CI lays them out the same way.
SHARED = Path(os.environ.get("COMMUNIQUE_SHARED", ROOT.parent / "shared")).resolve()
SEEDS = SHARED / "seeds"
DUMP_000 = SEEDS / "000_499e0aa9a67e31b2.txt"
DUMP_002 = SEEDS / "002_c2c1f8fbdd2ff555.txt"
CSV_MFA = SHARED / "data" / "mfarussia_2025-12_2026-03.csv"
TME_HTML = SHARED / "data" / "tme_html"


def pytest_configure(config: pytest.Config) -> None:
    if not SEEDS.is_dir():
        raise pytest.UsageError(
            f"the real samples are missing: expected {SHARED} (set COMMUNIQUE_SHARED)"
        )
    stale = stale_compiled()
    if stale:
        raise pytest.UsageError(
            f"compiled modules older than their source: {', '.join(stale)}; "
            "run `make test` (or `pip install -e .`) to compile them again"
        )


def stale_compiled() -> list[str]:
    """The modules whose compiled extension (setup.py) predates their source: Python
    imports the extension, so the tests would run the code before the edit."""
    stale = []
    for built in (ROOT / "src" / "communique").rglob("*.so"):
        source = built.with_name(built.name.split(".", 1)[0] + ".py")
        if source.exists() and source.stat().st_mtime > built.stat().st_mtime:
            stale.append(str(source.relative_to(ROOT)))
    return sorted(stale)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


def dump_posts(path: Path, channel: str | None = "MFARussia") -> list[Post]:
    """The posts of a seed dump, read and normalised as ingest does."""
    posts = []
    for item in dump.read(path, channel=channel):
        assert isinstance(item, RawPost), item
        post = normalise(item)
        assert isinstance(post, Post), post
        posts.append(post)
    return posts


def blank_structure(store: Store) -> None:
    """Clear what the extractor found in every post, so a test can set it by hand
    and know exactly what analysis built on it must give."""
    with store.transaction():
        for post in list(store.posts(include_service=True)):
            blank = replace(post, countries=[], organizations=[], people=[], events=[],
                             speaker=None, kind="other")  # fmt: skip
            store.update(post.key, blank)


def csv_posts_before(month: str = "2026-02") -> dict[int, Post]:
    """The CSV's posts by message id, read as ingest reads them, dated before
    ``month``: the labelled months, never the held-out ones."""
    from communique.sources import tabular

    posts = {}
    for item in tabular.read_csv(CSV_MFA):
        if isinstance(item, RawPost) and item.date and item.date < month:
            post = normalise(item)
            if isinstance(post, Post) and post.message_id is not None:
                posts[post.message_id] = post
    return posts


# -- the web app's archive (tests/test_web_*.py) ----------------------------------------

# A post whose text is markup and script: every page must show it as text.
HOSTILE_TEXT = (
    "<script>alert(1)</script> Lavrov met <b>bold</b> & friends\n"
    "second line <img src=x onerror=alert(2)> in Vietnam"
)


@pytest.fixture(scope="session")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both seed dumps and the MFA CSV in one archive, built once per session; for
    tests that only read it (search on both indexes)."""
    from communique import ingest, open_store

    path = tmp_path_factory.mktemp("samples") / "samples.db"
    store = open_store(path)
    try:
        ingest(store, [DUMP_000, DUMP_002, CSV_MFA], channel="MFARussia")
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real samples (both dumps, the CSV, the saved pages) plus a hostile post
    edited once (so it has an edit history), built once per test session."""
    import json

    from communique import ingest, open_store
    from communique.dedupe import update

    folder = tmp_path_factory.mktemp("web")
    first, second = folder / "hostile-1.jsonl", folder / "hostile-2.jsonl"
    record = {"channel": "evilchan", "id": 1, "date": "2026-01-05T10:00:00+00:00"}
    first.write_text(json.dumps({**record, "text": HOSTILE_TEXT}) + "\n", encoding="utf-8")
    second.write_text(json.dumps({**record, "text": HOSTILE_TEXT + ", edited"}) + "\n",
                      encoding="utf-8")  # fmt: skip
    path = folder / "web.db"
    store = open_store(path)
    try:
        ingest(store, [DUMP_000, DUMP_002], channel="MFARussia")
        report = ingest(store, [CSV_MFA, TME_HTML, first])
        assert not report.failed, report.failed
        ingest(store, [second])
        update(store)
    finally:
        store.close()
    return path


@pytest.fixture(scope="session")
def embedded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two seed dumps with their embeddings: semantic search and similar posts."""
    from communique import embed, ingest, open_store
    from communique.store.sqlite import SQLiteStore

    path = tmp_path_factory.mktemp("web-embedded") / "embedded.db"
    store = open_store(path)
    try:
        ingest(store, [DUMP_000, DUMP_002], channel="MFARussia")
        assert isinstance(store, SQLiteStore)
        embed.embed_posts(store)
    finally:
        store.close()
    return path
