"""The digest: period, sections, new contacts, key statements, self-contained files."""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.cli import main
from communique.digest import digest, html_page, markdown, resolve_period
from communique.ingest import ingest
from communique.models import Event
from communique.store import Store, open_store
from conftest import CSV_MFA, blank_structure


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = open_store(tmp_path / "a.db")
    ingest(store, [CSV_MFA])
    blank_structure(store)
    with store.transaction():
        # Two calls with Vietnam: one before the digest's week, one in it; a call with
        # the UAE only in it; and a statement with markup in its title.
        for message_id, when, other in [(28105, "2026-01-24", "VN"), (28613, "2026-03-08", "AE"),
                                        (28590, "2026-03-06", "VN")]:  # fmt: skip
            post = store.get_by_message("MFARussia", message_id)
            assert post is not None
            call = Event("phone_call", when, None, (), ("RU", other), "041", "CONSULT")
            store.update(post.key, replace(post, events=[call], kind="phone_call"))
        post = store.get_by_message("MFARussia", 28602)
        assert post is not None
        hostile = replace(post, kind="answer", speaker="Sergey Lavrov",
                          title=post.title + " <script>alert(1)</script>")  # fmt: skip
        store.update(post.key, hostile)
    return store


def test_a_span_counts_back_from_the_newest_post(store: Store) -> None:
    newest = max(p.date or "" for p in store.posts())[:10]
    period = resolve_period(store, "7d", None)
    assert period.until == newest == "2026-03-10"
    assert period.since == "2026-03-04"
    assert resolve_period(store, "2026-01-01", "2026-01-31").since == "2026-01-01"


def test_digest_sections(store: Store) -> None:
    d = digest(store, since="7d")
    in_week = [p for p in store.posts() if "2026-03-04" <= (p.date or "")[:10] <= "2026-03-10"]
    assert d.posts == len(in_week) == sum(d.per_day)
    assert d.days[0] == "2026-03-04" and d.days[-1] <= "2026-03-10"
    # RU-AE is new this week; RU-VN was already seen in January.
    assert d.new_contacts == [("AE", "RU", 1)]
    assert [p.message_id for p in d.key_posts] == [28602]
    text = markdown(d)
    for heading in ("# Digest 2026-03-04 – 2026-03-10", "## New contacts", "## Key statements",
                    "## Top hashtags", "## Charts"):  # fmt: skip
        assert heading in text
    assert (
        "AE – RU (1)" in text and "— Sergey Lavrov ([t.me](https://t.me/MFARussia/28602))" in text
    )


def test_files_are_self_contained_and_escaped(store: Store) -> None:
    d = digest(store, since="7d")
    page = html_page(d)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<svg" in page
    # Nothing is fetched: no external scripts, styles, fonts or images.
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert set(re.findall(r"href='([^']*)'", page)) == {"https://t.me/MFARussia/28602"}
    images = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", markdown(d))
    assert len(images) == 2
    assert all(base64.b64decode(i).startswith(b"<svg") for i in images)


def test_cli_writes_both_files(store: Store, tmp_path: Path) -> None:
    db = store.path  # type: ignore[attr-defined]
    store.close()
    result = CliRunner().invoke(main, ["digest", "--db", str(db), "--since", "1w", "-o",
                                       str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["digest-2026-03-04-2026-03-10.html", "digest-2026-03-04-2026-03-10.md"]
    bad = CliRunner().invoke(main, ["digest", "--db", str(db), "--since", "lately"])
    assert bad.exit_code == 2 and "a date (2026-01-01) or a span" in bad.stderr
