"""All sources through ingest: detection, options, provenance, edits, service posts.

Fixtures come from the real samples: the t.me fragments, the CSV, and Telegram
Desktop exports built from the CSV's posts (tests/test_source_tdesktop.py).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from communique.cli import main
from communique.ingest import ingest
from communique.models import Post, SourceRef
from communique.store import open_store
from conftest import CSV_MFA, DUMP_000, TME_HTML
from test_source_tdesktop import ALL_ROWS, build_chat, write


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_auto_detects_every_format(db_path: Path, tmp_path: Path) -> None:
    export = write(tmp_path / "result.json", build_chat(ALL_ROWS))
    jsonl = tmp_path / "rows.jsonl"
    with CSV_MFA.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))[:5]
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    page = TME_HTML / "parse_photo_single.html"
    report = ingest(open_store(db_path), [DUMP_000, page, export, CSV_MFA, jsonl])
    assert [f.format for f in report.files] == ["dump", "html", "tdesktop", "csv", "jsonl"]
    assert report.failed == []


def test_saved_pages_folder_keeps_service_messages_out_of_default_exports(
    db_path: Path,
) -> None:
    code, out, _ = run("ingest", str(TME_HTML), "--db", str(db_path))
    assert code == 0, out
    default = run("export", "--db", str(db_path))[1].splitlines()
    everything = run("export", "--db", str(db_path), "--include-service")[1].splitlines()
    services = [json.loads(x) for x in everything if json.loads(x)["kind"] == "service"]
    assert len(services) == len(everything) - len(default) > 0
    assert all(json.loads(x)["kind"] != "service" for x in default)
    assert {s["service"] for s in services} >= {"channel_created", "pinned"}


def test_a_changed_text_is_an_edit_with_history(db_path: Path, tmp_path: Path) -> None:
    original = TME_HTML / "parse_text_message_multiline.html"
    edited = tmp_path / "later.html"
    edited.write_text(
        original.read_text(encoding="utf-8").replace("number<br/>34", "number<br/>35"), "utf-8"
    )
    store = open_store(db_path)
    ingest(store, [original])
    report = ingest(store, [edited])
    assert report.total("merged") == 1
    post = store.get("tchantest/62")
    assert post is not None and post.text.endswith("35") and post.edited
    [version] = store.versions("tchantest/62")
    assert version.text.endswith("34")
    assert [s.path for s in post.sources] == [str(original), str(edited)]
    code, out, _ = run("show", "tchantest/62", "--db", str(db_path))
    assert "earlier text, replaced" in out and "number\n34" in out


def test_resighting_moves_last_seen_not_the_count(db_path: Path) -> None:
    store = open_store(db_path)
    page = TME_HTML / "parse_text_message_multiline.html"
    ingest(store, [page])
    first = store.get("tchantest/62")
    ingest(store, [page])
    again = store.get("tchantest/62")
    assert first is not None and again is not None
    assert len(again.sources) == 1
    assert again.sources[0].first_seen == first.sources[0].first_seen
    assert store.versions("tchantest/62") == []


def test_column_mapping_reads_renamed_columns(db_path: Path, tmp_path: Path) -> None:
    text = CSV_MFA.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    assert header == "message_id,date,text,urls,has_photo,views"
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("id,published,body,urls,has_photo,views\n" + rest, encoding="utf-8")
    code, out, err = run(
        "ingest", str(renamed), "--db", str(db_path), "--channel", "https://t.me/s/MFARussia",
        "--map", "message_id=id,date=published,text=body,links=urls,views=views",
    )  # fmt: skip
    assert code == 0, err
    assert "505 new" in out
    post = open_store(db_path).get("mfarussia/28105")
    assert post is not None and post.views == 2020 and post.hashtags == ["RussiaVietnam"]


def test_bad_mappings_are_refused_clearly(db_path: Path) -> None:
    code, _, err = run("ingest", str(CSV_MFA), "--db", str(db_path), "--map", "colour=text")
    assert code == 2 and "unknown mapping target 'colour'" in err
    code, out, err = run("ingest", str(DUMP_000), "--db", str(db_path), "--map", "text=text")
    assert code == 2 and "applies to CSV and JSONL, not to dump files" in err


def test_real_media_replaces_the_placeholder_when_sources_meet() -> None:
    from communique.identity import merge

    dump_post = Post(key="h1", title="t", text="t", source=SourceRef("dump"),
                     media=["unsupported"], text_kind="dump")  # fmt: skip
    page_post = Post(key="c/1", title="t", text="t", source=SourceRef("html"),
                     media=["video"], text_kind="html")  # fmt: skip
    merged, edited = merge(dump_post, page_post)
    assert merged.media == ["video"] and not edited


def test_ingest_json_report_lists_repair_notes(db_path: Path) -> None:
    code, out, _ = run("ingest", str(CSV_MFA), "--db", str(db_path), "--json")
    assert code == 0
    [file] = json.loads(out)["files"]
    notes = [n["text"] for n in file["notes"]]
    # Rows whose whole text is one line cut with "…": a reply preview, nothing else.
    with CSV_MFA.open(encoding="utf-8") as fh:
        texts = [r["text"].strip() for r in csv.DictReader(fh)]
    previews = [t for t in texts if t.endswith("…") and "\n" not in t]
    assert sum("only the preview" in n for n in notes) == len(previews) > 0
    assert any("lone letter" in n for n in notes)
