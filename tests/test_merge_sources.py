"""One message, one post: the CSV of another scraper and seed dump 000 together.

Dump 000 holds the posts 28089-28108 of the CSV (15 of those ids exist). In either
order of ingest they must end as 505 posts, the dump's posts carrying the CSV's ids
and dates and the dump's clean text. Two are replies whose CSV text is only the
preview of the replied post: they merge by their reply preview, and since both
reply to the same post, by message order (the dump's neighbours' ids).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from communique.ingest import ingest
from communique.store import open_store
from conftest import CSV_MFA, DUMP_000, dump_posts

# The dump's posts in order, and the CSV message ids they are (read by hand: the
# CSV row with the same title; the two replies by their place between 28090/28092
# and 28105/28107).
DUMP_IDS = [28089, 28090, 28091, 28092, 28093, 28096, 28097, 28098, 28102, 28103, 28104,
            28105, 28106, 28107, 28108]  # fmt: skip


def csv_dates() -> dict[int, str]:
    with CSV_MFA.open(encoding="utf-8") as fh:
        return {int(r["message_id"]): r["date"] for r in csv.DictReader(fh)}


@pytest.mark.parametrize("order", ["csv-first", "dump-first"])
def test_dump_posts_merge_into_the_csv_rows(db_path: Path, order: str) -> None:
    store = open_store(db_path)
    files = [CSV_MFA, DUMP_000] if order == "csv-first" else [DUMP_000, CSV_MFA]
    report = ingest(store, files, channel="MFARussia")
    assert report.failed == []
    assert store.count() == 505
    dates = csv_dates()
    for expected, message_id in zip(dump_posts(DUMP_000), DUMP_IDS, strict=True):
        stored = store.get_by_message("MFARussia", message_id)
        assert stored is not None, message_id
        assert stored.text == expected.text, message_id
        assert stored.key == f"mfarussia/{message_id}"
        assert stored.date is not None and stored.date[:19] == dates[message_id][:19]
        assert stored.forwarded_from == expected.forwarded_from
        assert {s.kind for s in stored.sources} == {"csv", "dump"}
        if expected.reply_to is not None:
            assert stored.reply_to is not None
            assert stored.reply_to.channel == "Russian MFA 🇷🇺"
            assert stored.reply_to.text == expected.reply_to.text
    if order == "dump-first":
        # The dump's fingerprint keys still find the posts they became.
        for expected, message_id in zip(dump_posts(DUMP_000), DUMP_IDS, strict=True):
            found = store.get(expected.key)
            assert found is not None and found.message_id == message_id


def test_either_order_gives_the_same_archive(tmp_path: Path) -> None:
    exports = []
    for name, files in [("a", [CSV_MFA, DUMP_000]), ("b", [DUMP_000, CSV_MFA])]:
        store = open_store(tmp_path / f"{name}.db")
        ingest(store, files, channel="MFARussia")
        exports.append(
            [(p.key, p.text, p.date, p.reply_to, p.forwarded_from, p.views) for p in store.posts()]
        )
    assert exports[0] == exports[1]


def test_reingesting_both_changes_nothing(db_path: Path) -> None:
    store = open_store(db_path)
    ingest(store, [CSV_MFA, DUMP_000], channel="MFARussia")
    again = ingest(store, [CSV_MFA, DUMP_000], channel="MFARussia")
    assert (again.total("new"), again.total("merged")) == (0, 0)
    assert store.count() == 505
