"""The communique command: ingest, export, stats, show; exit codes and messages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.cli import main
from communique.extract import VERSION
from communique.extract.kind import KINDS
from conftest import DUMP_000, DUMP_002

EXPORT_FIELDS = [
    "key", "channel", "message_id", "url", "date", "title", "text", "forwarded_from",
    "reply_to", "media", "hashtags", "links", "source", "kind", "service", "views",
    "views_rounding", "edited", "author", "forwarded_url", "link_preview", "sources",
    "speaker", "event_date", "place", "countries", "organizations", "people", "events",
    "language", "extractor",
]  # fmt: skip


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def archive(db_path: Path) -> Path:
    code, out, _ = run(
        "ingest", str(DUMP_000), str(DUMP_002), "--channel", "MFARussia", "--db", str(db_path)
    )
    assert code == 0, out
    return db_path


def test_ingest_reports_each_file_and_totals(db_path: Path) -> None:
    code, out, _ = run("ingest", str(DUMP_000), str(DUMP_002), "--db", str(db_path))
    assert code == 0
    assert f"{DUMP_000}: 15 new, 0 merged, 0 unchanged, 0 skipped [dump]" in out
    assert "total: 28 new, 0 merged, 0 unchanged, 0 skipped" in out
    code, out, _ = run("ingest", str(DUMP_000), "--db", str(db_path), "--json")
    report = json.loads(out)
    assert (report["new"], report["unchanged"]) == (0, 15)


def test_bad_file_exits_2_with_its_name_while_good_files_load(
    db_path: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "photo.jpg.txt"
    bad.write_bytes(b"\xff\xd8\xff\xe0" + DUMP_000.read_bytes()[:100])
    code, out, err = run("ingest", str(bad), str(DUMP_002), "--db", str(db_path))
    assert code == 2
    assert f"error: {bad}:1: not UTF-8 text" in err
    assert "Traceback" not in err + out
    assert f"{DUMP_002}: 13 new" in out


def test_db_defaults_to_the_environment_variable(tmp_path: Path) -> None:
    env_db = tmp_path / "env.db"
    code, _, _ = run("ingest", str(DUMP_002), env={"COMMUNIQUE_DB": str(env_db)})
    assert code == 0 and env_db.exists()
    code, out, _ = run("stats", "--json", env={"COMMUNIQUE_DB": str(env_db)})
    assert json.loads(out)["posts"] == 13


def test_export_jsonl_follows_the_contract(archive: Path) -> None:
    code, out, _ = run("export", "--db", str(archive))
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 28
    for record in records:
        assert list(record) == EXPORT_FIELDS
        assert isinstance(record["key"], str) and record["channel"] == "MFARussia"
        assert record["message_id"] is None and record["url"] is None and record["date"] is None
        assert record["title"] == record["text"].split("\n")[0]
        assert isinstance(record["media"], list) and isinstance(record["hashtags"], list)
        assert record["source"]["kind"] == "dump" and len(record["source"]["lines"]) == 2
        assert record["kind"] in KINDS and record["edited"] is False
        assert record["extractor"] == VERSION and record["language"] == "en"
        [sighting] = record["sources"]
        assert sighting["lines"] == record["source"]["lines"] and sighting["first_seen"]
    [witkoff] = [r for r in records if r["title"] == "Steven Witkoff welcomed at the Kremlin"]
    assert witkoff["forwarded_from"] == "Kremlin. News"
    assert witkoff["media"] == ["unsupported"]
    replies = [r for r in records if r["reply_to"]]
    assert len(replies) == 2
    assert replies[0]["reply_to"]["channel"] == "Russian MFA 🇷🇺"
    assert replies[0]["reply_to"]["text"].startswith("#Outcomes2025 🎙 Russian Foreign Minister")
    # Emoji are kept, flags included.
    assert sum(r["title"].startswith("🇷🇺🇻🇳 On ") for r in records) == 2


def test_export_csv_opens_as_a_table_and_to_a_file(archive: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    code, _, err = run("export", "--db", str(archive), "--format", "csv", "--output", str(target))
    assert code == 0 and "28 posts written" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 28
    assert list(rows[0]) == EXPORT_FIELDS
    jsonl = [json.loads(x) for x in run("export", "--db", str(archive))[1].splitlines()]
    for row, record in zip(rows, jsonl, strict=True):
        assert row["text"] == record["text"]
        assert json.loads(row["hashtags"]) == record["hashtags"]
        assert json.loads(row["source"]) == record["source"]


def test_stats_summarises_dumps_forwards_and_hashtags(archive: Path) -> None:
    code, out, _ = run("stats", "--db", str(archive))
    assert code == 0
    assert "posts: 28 (2 replies)" in out
    assert "000_499e0aa9a67e31b2.txt" in out and "002_c2c1f8fbdd2ff555.txt" in out
    assert "Russia in Canada" in out
    assert "#RussiaChina" in out


def test_show_prints_a_post_and_refuses_an_unknown_key(archive: Path) -> None:
    records = [json.loads(x) for x in run("export", "--db", str(archive))[1].splitlines()]
    key = records[1]["key"]
    code, out, _ = run("show", key, "--db", str(archive))
    assert code == 0
    assert "forwarded from: Kremlin. News" in out
    assert records[1]["text"] in out
    code, out, _ = run("show", key, "--db", str(archive), "--json")
    shown = json.loads(out)
    assert shown.pop("versions") == []
    assert shown.pop("same_text") == []
    assert shown == records[1]
    code, _, err = run("show", "nope", "--db", str(archive))
    assert code == 1 and "no post with key 'nope'" in err


def test_a_damaged_archive_gets_a_message_not_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "broken.db"
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50 + b"garbage" * 100)
    code, _, err = run("stats", "--db", str(db))
    assert code == 1
    assert err.startswith("error: ") and "Traceback" not in err
