"""Ingest: idempotence, overlapping dumps, bad input, interrupted runs.

Every fixture here is built from the real seed dumps: cut, overlapped, damaged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from communique import identity
from communique.ingest import ingest
from communique.store import open_store
from communique.store.sqlite import SQLiteStore
from conftest import DUMP_000, DUMP_002, dump_posts

LINES_000 = DUMP_000.read_text(encoding="utf-8").split("\n")


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def counts(report) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    return (
        report.total("new"),
        report.total("merged"),
        report.total("unchanged"),
        len(report.skipped),
    )


def test_reingest_adds_nothing(db_path: Path) -> None:
    store = open_store(db_path)
    first = ingest(store, [DUMP_000, DUMP_002])
    assert counts(first) == (28, 0, 0, 0)
    again = ingest(store, [DUMP_000, DUMP_002])
    assert counts(again) == (0, 0, 28, 0)
    assert store.count() == 28


def test_overlapping_dumps_add_only_new_posts_and_merge_the_rest(
    db_path: Path, tmp_path: Path
) -> None:
    # Earlier dump: posts 1-8 of dump 000 (lines 1-172), its Savicheva post missing
    # the diary lines (117-125) that only its second copy had.
    earlier = LINES_000[:116] + LINES_000[125:172]
    # Later dump: posts 5-15 (lines 92-272), complete.
    later = LINES_000[91:]
    store = open_store(db_path)
    assert counts(ingest(store, [write(tmp_path / "a.txt", earlier)])) == (8, 0, 0, 0)
    report = ingest(store, [write(tmp_path / "b.txt", later)])
    assert counts(report) == (7, 1, 3, 0)
    assert store.count() == 15
    # The merged post now has the diary lines, once, in place.
    [savicheva] = [p for p in store.posts() if "Savicheva" in p.title]
    text = savicheva.text.split("\n")
    assert text[4:13] == LINES_000[116:125]
    assert len(text) == len(set(text))
    # The whole archive equals a clean ingest of the full dump.
    reference = open_store(tmp_path / "ref.db")
    ingest(reference, [DUMP_000])
    assert sorted(p.text for p in store.posts()) == sorted(p.text for p in reference.posts())


def test_same_dump_under_another_path_is_unchanged(db_path: Path, tmp_path: Path) -> None:
    store = open_store(db_path)
    ingest(store, [DUMP_002])
    copy = tmp_path / "copy.txt"
    copy.write_bytes(DUMP_002.read_bytes())
    assert counts(ingest(store, [copy])) == (0, 0, 13, 0)
    assert {p.source.path for p in store.posts()} == {str(DUMP_002)}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (
            DUMP_000.read_bytes()[:3000] + b"\xe9t\xe9\n" + DUMP_000.read_bytes()[3000:],
            "not UTF-8 text",
        ),
        (DUMP_000.read_text(encoding="utf-8").encode("utf-16"), "binary data"),
        (b"Forwarded from " + b"x" * 1_100_000, "longer than 1,000,000 characters"),
    ],
    ids=["empty", "latin-1-inside", "utf-16", "no-line-breaks"],
)
def test_bad_file_is_refused_whole_and_names_the_problem(
    db_path: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    store = open_store(db_path)
    report = ingest(store, [bad, DUMP_002])
    [refused, good] = report.files
    assert refused.error is not None and message in refused.error
    assert str(bad) in refused.error
    assert refused.new == 0
    assert good.error is None and good.new == 13
    assert store.count() == 13


def test_decoding_error_names_the_line(db_path: Path, tmp_path: Path) -> None:
    data = bytearray(DUMP_000.read_bytes())
    lines = data.split(b"\n")
    lines[199] = lines[199] + b" \xff"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\n".join(lines))
    report = ingest(open_store(db_path), [bad])
    assert f"{bad}:200: not UTF-8 text" in (report.files[0].error or "")
    # The error is at line 200: the posts before it were read, and none was kept.
    assert open_store(db_path).count() == 0


def test_half_a_character_in_a_json_post_is_stored_replaced(db_path: Path, tmp_path: Path) -> None:
    """A post with a lone surrogate (half an emoji, escaped in JSON) used to stop the
    whole ingest with a traceback; it is stored with U+FFFD instead, and found."""
    store = SQLiteStore(db_path)
    post = next(p for p in dump_posts(DUMP_000) if "Vietnam" in p.text)
    line = json.dumps({"channel": "MFARussia", "message_id": 7, "text": "\ud83d " + post.text})
    path = tmp_path / "cut.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    report = ingest(store, [path])
    assert report.files[0].error is None and report.files[0].new == 1
    assert [n.text for n in report.files[0].notes] == [
        "half a character (a lone UTF-16 surrogate) replaced by U+FFFD"
    ]
    stored = store.get("mfarussia/7")
    assert stored is not None and stored.text.startswith("\ufffd ")
    assert "VN" in stored.countries  # extraction ran on it
    store.close()


def test_missing_file_and_folder_input(db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dumps"
    folder.mkdir()
    (folder / "000.txt").write_bytes(DUMP_000.read_bytes())
    (folder / ".hidden.txt").write_bytes(b"\xff\xfe")
    report = ingest(open_store(db_path), [tmp_path / "nope.txt", folder])
    assert [f.error is None for f in report.files] == [False, True]
    assert "no such file" in (report.files[0].error or "")
    assert report.files[1].new == 15


def test_an_interrupted_ingest_leaves_nothing_half_written_and_a_rerun_completes(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(db_path)
    ingest(store, [DUMP_002])
    calls = 0
    real_save = identity.save

    def failing_save(store_, post, **options):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 6:
            raise KeyboardInterrupt
        return real_save(store_, post, **options)

    monkeypatch.setattr(identity, "save", failing_save)
    with pytest.raises(KeyboardInterrupt):
        ingest(store, [DUMP_000])
    assert store.count() == 13
    monkeypatch.setattr(identity, "save", real_save)
    assert counts(ingest(store, [DUMP_000])) == (15, 0, 0, 0)
    assert store.count() == 28


KILL_SCRIPT = """
import os, signal, sys
from communique import identity
from communique.cli import main
real = identity.save
calls = 0
def save(store, post, **options):
    global calls
    calls += 1
    if calls == 6:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(store, post, **options)
identity.save = save
sys.argv = ["communique", "ingest", sys.argv[1], "--db", sys.argv[2]]
main()
"""


def test_a_killed_process_leaves_a_consistent_archive(db_path: Path) -> None:
    store = open_store(db_path)
    ingest(store, [DUMP_002])
    store.close()
    proc = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(DUMP_000), str(db_path)],
        capture_output=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert proc.returncode == -9
    store = open_store(db_path)
    assert isinstance(store, SQLiteStore)
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.conn.execute("INSERT INTO posts_fts (posts_fts) VALUES ('integrity-check')")
    assert store.count() == 13
    assert counts(ingest(store, [DUMP_000])) == (15, 0, 0, 0)
