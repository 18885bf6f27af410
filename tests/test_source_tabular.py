"""CSV and JSONL sources: the real MFA CSV, its repair against seed dump 000, bad inputs."""

from __future__ import annotations

import csv
import json
import re
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from communique import settings
from communique.errors import EncodingError, InputError, MalformedInput, TooLarge
from communique.models import RawPost, Skipped
from communique.sources import tabular
from communique.sources.repair import repair_text, split_reply_preview
from communique.sources.tabular import (
    parse_mapping,
    read_csv,
    read_jsonl,
    sniff_csv,
    sniff_jsonl,
)
from conftest import CSV_MFA, DUMP_000

# Where seed dump 000 holds the posts the CSV shares with it: message id -> the
# dump's lines (1-based, inclusive) of the post's first copy and of its second copy,
# headers and widget lines left out, with the first words of the post's first line.
DUMP_POSTS: dict[int, tuple[tuple[int, int], tuple[int, int], str]] = {
    28089: ((1, 5), (6, 9), "🎙 Russian Foreign Ministry Spokeswoman"),
    28090: ((13, 15), (16, 17), "Steven Witkoff welcomed"),
    28092: ((51, 71), (72, 91), "⚡️ Comment by Aide"),
    28093: ((92, 97), (98, 102), "🇷🇺🇨🇳 On January 22"),
    28096: ((103, 113), (114, 132), "🗓 On January 23, 1930"),
    28097: ((133, 145), (146, 157), "🎙 Statement by Permanent Representative"),
    28098: ((159, 164), (165, 168), "📅 On January 21, 2026"),
    28102: ((173, 176), (177, 179), "📆 On January 23, Director"),
    28103: ((180, 187), (188, 194), "✍️ Russia's Foreign Minister"),
    28104: ((196, 199), (200, 202), "📆January 24 is"),
    28105: ((203, 208), (209, 213), "🇷🇺🇻🇳 On January 24"),
    28107: ((239, 249), (250, 259), "⚡ Comment by Foreign Ministry"),
    28108: ((260, 266), (267, 271), "🇷🇺🇨🇳 On January 23, Russia's"),
}
# The repaired CSV text equals the dump's text line for line for these ...
EXACT = [28089, 28090, 28093, 28096, 28097, 28102, 28103, 28105, 28107, 28108]
# ... and differs from it only in what cannot be undone: no-break spaces the dump
# lost (28092), spaces after emoji the author did not type (28098, 28104).
NEAR = [28092, 28098, 28104]
# The two replies of the dump: their reply header (channel, preview) lines.
REPLIES = {28091: 18, 28106: 214}


@pytest.fixture(scope="module")
def mfa() -> list[RawPost | Skipped]:
    return list(read_csv(CSV_MFA))


@pytest.fixture(scope="module")
def by_id(mfa: list[RawPost | Skipped]) -> dict[int, RawPost]:
    return {p.message_id: p for p in mfa if isinstance(p, RawPost) and p.message_id}


@pytest.fixture(scope="module")
def dump_lines() -> list[str]:
    return DUMP_000.read_text(encoding="utf-8").split("\n")


def dump_post(lines: list[str], message_id: int) -> list[str]:
    """The post's text in the dump: the union of its two copies, in order."""
    (a1, a2), (b1, b2), opening = DUMP_POSTS[message_id]
    first, second = lines[a1 - 1 : a2], lines[b1 - 1 : b2]
    assert first[0].startswith(opening), (message_id, first[0][:40])
    merged: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, first, second).get_opcodes():
        merged += first[i1:i2]
        if tag in ("replace", "insert"):
            merged += second[j1:j2]
    return merged


def text_lines(post: RawPost) -> list[str]:
    # Blank lines mark paragraphs in the CSV; the dump has none.
    return [line for line in post.copies[0] if line]


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- the real CSV ----------------------------------------------------------------


def test_real_csv_gives_505_posts_of_mfarussia(mfa: list[RawPost | Skipped]) -> None:
    posts = [p for p in mfa if isinstance(p, RawPost)]
    assert len(posts) == len(mfa) == 505
    assert len({p.message_id for p in posts}) == 505
    assert {p.channel for p in posts} == {"MFARussia"}
    assert all(re.fullmatch(r"2025-12-\d\dT|2026-0[1-3]-\d\dT", (p.date or "")[:11]) for p in posts)
    assert all(p.date and p.date.endswith("+00:00") for p in posts)
    assert posts[0].source.kind == "csv" and posts[0].source.lines == (2, 19)
    spans = [p.source.lines for p in posts if p.source.lines]
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize(
    ("message_id", "date", "views", "rounding"),
    [
        (28614, "2026-03-09T08:04:57+00:00", 5370, 10),
        (28089, "2026-01-22T20:04:09+00:00", 2950, 10),
        (28092, "2026-01-23T11:05:40+00:00", 4600, 100),
        (28632, "2026-03-10T06:29:58+00:00", 674, 1),
        (27793, "2025-12-20T09:16:54+00:00", None, None),
    ],
)
def test_real_rows_dates_and_views(
    by_id: dict[int, RawPost], message_id: int, date: str, views: int | None, rounding: int | None
) -> None:
    post = by_id[message_id]
    assert (post.date, post.views, post.views_rounding) == (date, views, rounding)


@pytest.mark.parametrize(
    ("message_id", "hashtags"),
    [
        (28105, ["RussiaVietnam"]),
        (28108, ["APR", "ASEAN", "RussiaChina"]),
        (28277, ["Grenada", "IndependenceDay", "CARICOM", "RussiaGrenada", "RussiaLatinAmerica"]),
        (28089, []),
    ],
)
def test_real_rows_hashtags(
    by_id: dict[int, RawPost], message_id: int, hashtags: list[str]
) -> None:
    assert by_id[message_id].hashtags == hashtags


def test_real_rows_links_media_and_service(by_id: dict[int, RawPost]) -> None:
    # A link given twice is kept once; hashtag search links are not links.
    assert by_id[28092].links == [
        "http://en.kremlin.ru/events/president/news/79029",
        "https://t.me/MFARussia/26019",
    ]
    # The scraper left "&amp;" in hrefs.
    assert "https://mid.ru/ru/maps/gd/2048692/?lang=en&COUNTRY_CODE=gd" in by_id[28277].links
    assert by_id[28089].media == ["photo"] and by_id[28090].media == []
    pinned = by_id[27793]
    assert (pinned.kind, pinned.service, pinned.links) == ("service", "pinned", [])
    assert by_id[28089].kind == "post"


# --- the repair, measured against the dump -------------------------------------


@pytest.mark.parametrize("message_id", EXACT)
def test_repaired_text_equals_the_dump(
    by_id: dict[int, RawPost], dump_lines: list[str], message_id: int
) -> None:
    assert text_lines(by_id[message_id]) == dump_post(dump_lines, message_id)


def _loosely(line: str) -> str:
    line = line.replace("\u00a0", " ")
    return re.sub(r"([\U0001f000-\U0001faff\ufe0f\u20e3]) ", r"\1", line)


@pytest.mark.parametrize("message_id", NEAR)
def test_repaired_text_differs_only_where_nothing_tells(
    by_id: dict[int, RawPost], dump_lines: list[str], message_id: int
) -> None:
    got, expected = text_lines(by_id[message_id]), dump_post(dump_lines, message_id)
    assert got != expected
    assert [_loosely(x) for x in got] == [_loosely(x) for x in expected]


def test_csv_artefacts_are_gone_from_the_shared_posts(by_id: dict[int, RawPost]) -> None:
    texts = "\n".join("\n".join(text_lines(by_id[i])) for i in DUMP_POSTS)
    for artefact in ["Zakharova :", "e xpressed", "( #APR )", "🇷🇺 🇨🇳", "Josef .", "\n \n"]:
        assert artefact not in texts
    assert "Ministers expressed readiness" in texts and "(#APR)" in texts


@pytest.mark.parametrize("message_id", sorted(REPLIES))
def test_reply_whose_text_is_only_the_preview(dump_lines: list[str], message_id: int) -> None:
    notes: list[tuple[int, str]] = []
    posts = {
        p.message_id: p
        for p in read_csv(
            CSV_MFA,
            on_note=lambda ref, note: notes.append((ref.lines[0] if ref.lines else 0, note)),
        )
        if isinstance(p, RawPost)
    }
    post = posts[message_id]
    channel_line = REPLIES[message_id]
    assert dump_lines[channel_line - 1] == "Russian MFA 🇷🇺"
    assert post.copies == []
    assert post.reply_to is not None
    assert post.reply_to.text == dump_lines[channel_line]  # the preview line, unchanged
    assert post.reply_to.text.startswith("#Outcomes2025 🎙 Russian Foreign Minister")
    first_line = post.source.lines[0] if post.source.lines else 0
    assert any(line == first_line and "own text is not in the file" in n for line, n in notes)


def test_a_preview_before_the_reply_text_moves_to_reply_to() -> None:
    preview = "💬 Sergey Lavrov: " + "words " * 45 + "in terms…"
    found, rest, notes = split_reply_preview(f"{preview}\nThe reply itself.")
    assert (found, rest) == (preview, "The reply itself.")
    assert notes and "moved to reply_to" in notes[0]
    # A short line ending in "…" is the author's own.
    assert split_reply_preview("To be continued…\nMore.") == (None, "To be continued…\nMore.", [])


@pytest.mark.parametrize(
    ("scraped", "repaired"),
    [
        ("💬 Maria Zakharova : A considerable", "💬 Maria Zakharova: A considerable"),
        ("the Ministers e xpressed readiness", "the Ministers expressed readiness"),
        ("in the region ( #APR ).", "in the region (#APR)."),
        ("🇷🇺 🇨🇳 On January 23", "🇷🇺🇨🇳 On January 23"),
        ("Rodion Miroshnik , Ambassador", "Rodion Miroshnik, Ambassador"),
        ("Sergey Lavrov 's remarks", "Sergey Lavrov's remarks"),
        ('the medal " for her contribution ".', 'the medal "for her contribution".'),
        ("more than 7️⃣ 5️⃣ 0️⃣ students", "more than 7️⃣5️⃣0️⃣ students"),
        ("fell from $ 2.2 billion", "fell from $2.2 billion"),
        ("Title \n \n First paragraph . \n Next line", "Title\n\nFirst paragraph.\nNext line"),
        # Left as written: spaces the author typed, words that are words.
        ("🔴 🔴 No one is forgotten!", "🔴 🔴 No one is forgotten!"),
        (
            "I hiked the Doroga v Lavru, an ancient road",
            "I hiked the Doroga v Lavru, an ancient road",
        ),
        ("areas A and B of the West Bank", "areas A and B of the West Bank"),
        ("a 5 m long wall", "a 5 m long wall"),
    ],
)
def test_repair_text(scraped: str, repaired: str) -> None:
    assert repair_text(scraped)[0] == repaired


def test_repair_joins_a_word_end_the_post_knows_and_notes_what_it_cannot_tell() -> None:
    text, notes = repair_text("It is, howeve r it continues. However, that is all.")
    assert text == "It is, however it continues. However, that is all."
    assert notes == []
    text, notes = repair_text("talks were held o in Naypyidaw")
    assert text == "talks were held o in Naypyidaw"
    assert notes == ["lone letter 'o' in 'held o in' kept"]
    assert repair_text('he said " yes')[1] == [
        "line 1: unpaired straight quote; spaces next to quotes kept"
    ]


# --- mapping ---------------------------------------------------------------------


def test_parse_mapping() -> None:
    spec = "text=body, date = published,message_id=id,has_photo=photo"
    assert parse_mapping(spec) == {
        "text": "body",
        "date": "published",
        "message_id": "id",
        "has_photo": "photo",
    }


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("txt=body", "unknown mapping target 'txt'; known: text, date"),
        ("text", "bad mapping 'text'"),
        ("text=", "bad mapping 'text='"),
        ("text=a,text=b", "given twice"),
        (" , ", "empty mapping"),
    ],
)
def test_parse_mapping_refuses(spec: str, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)):
        parse_mapping(spec)


def test_mapping_and_guessed_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "posts.csv",
        "ID,published,body,Channel,link_list,views\n"
        '7,2026-01-22T23:04:09+03:00,"Hello\nworld",@SomeChannel,https://a.example/x,1.2M\n',
    )
    (post,) = read_csv(path, mapping={"text": "body", "date": "published", "links": "link_list"})
    assert isinstance(post, RawPost)
    assert post.copies == [["Hello", "world"]]
    assert (post.message_id, post.channel, post.date) == (
        7,
        "SomeChannel",
        "2026-01-22T20:04:09+00:00",
    )
    assert (post.views, post.views_rounding, post.links) == (
        1_200_000,
        100_000,
        ["https://a.example/x"],
    )
    assert post.source.lines == (2, 3)


def test_mapping_names_a_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, "posts.csv", "id,body\n1,hi\n")
    with pytest.raises(
        MalformedInput, match=r"column 'content' \(mapped to text\) not found.*'id', 'body'"
    ):
        list(read_csv(path, mapping={"text": "content"}))


def test_url_column_gives_channel_and_id(tmp_path: Path) -> None:
    path = write(tmp_path, "posts.csv", "text,url\nhi,https://t.me/s/MFARussia/28089\n")
    (post,) = read_csv(path)
    assert isinstance(post, RawPost)
    assert (post.channel, post.message_id) == ("MFARussia", 28089)


@pytest.mark.parametrize(
    ("views", "expected"),
    [("523", (523, 1)), ("5.37K", (5370, 10)), ("53.7K", (53700, 100)), ("5K", (5000, 1000)),
     ("1.2M", (1_200_000, 100_000)), ("", (None, None))],
)  # fmt: skip
def test_views_and_their_rounding(tmp_path: Path, views: str, expected: tuple[int, int]) -> None:
    (post,) = read_csv(write(tmp_path, "v.csv", f"text,views\nhi,{views}\n"))
    assert isinstance(post, RawPost)
    assert (post.views, post.views_rounding) == expected


# --- bad input -------------------------------------------------------------------


def test_no_text_column(tmp_path: Path) -> None:
    path = write(tmp_path, "posts.csv", "id,date,views\n1,2026-01-01T00:00:00+00:00,5\n")
    with pytest.raises(
        MalformedInput, match=r"no text column.*found: 'id', 'date', 'views'"
    ) as err:
        list(read_csv(path))
    assert err.value.path == str(path)


def test_broken_quoting_names_the_row(tmp_path: Path) -> None:
    path = write(tmp_path, "posts.csv", 'id,text\n1,"fine"\n2,"never closed\nstill\n')
    with pytest.raises(MalformedInput, match="never closed") as err:
        list(read_csv(path))
    assert err.value.line == 3


def test_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "posts.csv", "id,text\n1,ok\n2,caf\xe9\n".encode("latin-1"))
    with pytest.raises(EncodingError) as err:
        list(read_csv(path))
    assert err.value.line == 3


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(MalformedInput, match="empty"):
        list(read_csv(write(tmp_path, "posts.csv", "")))


def test_field_longer_than_the_line_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    limit = settings.SETTINGS["max_line_chars"]
    monkeypatch.setitem(
        settings.SETTINGS, "max_line_chars", settings.Setting(limit.name, 50, limit.help)
    )
    long_field = "\n".join(["x" * 40] * 3)
    path = write(tmp_path, "posts.csv", f'id,text\n1,short\n2,"{long_field}"\n')
    with pytest.raises(TooLarge) as err:
        list(read_csv(path))
    assert err.value.line == 3


def test_bad_rows_are_skipped_with_their_reason(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "posts.csv",
        "id,date,text\n"
        "1,2026-01-22T20:04:09+00:00,good\n"
        'x1,2026-01-22T20:04:09+00:00,"bad id\nover two lines"\n'
        "3,yesterday,bad date\n"
        "4,2026-01-22T20:04:09+00:00,too,many\n"
        "5,2026-01-22T20:04:09+00:00,good again\n",
    )
    items = list(read_csv(path))
    assert [p.message_id for p in items if isinstance(p, RawPost)] == [1, 5]
    skipped = [s for s in items if isinstance(s, Skipped)]
    assert [(s.source.kind, s.source.lines) for s in skipped] == [
        ("csv", (3, 4)),
        ("csv", (5, 5)),
        ("csv", (6, 6)),
    ]
    assert "message_id is not a positive integer: 'x1'" in skipped[0].reason
    assert "date is not ISO 8601" in skipped[1].reason
    assert "4 fields; the header has 3" in skipped[2].reason


# --- JSONL -----------------------------------------------------------------------


def _real_rows(*ids: int) -> list[dict[str, str]]:
    with CSV_MFA.open(encoding="utf-8", newline="") as fh:
        rows = {row["message_id"]: row for row in csv.DictReader(fh)}
    return [rows[str(i)] for i in ids]


def test_jsonl_from_real_rows(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": int(row["message_id"]),
                "date": row["date"],
                "text": row["text"],
                "links": row["urls"].split("|"),
                "has_photo": row["has_photo"] == "True",
                "views": row["views"],
            },
            ensure_ascii=False,
        )
        for row in _real_rows(28105, 28108)
    ]
    path = write(tmp_path, "posts.jsonl", f"{lines[0]}\n{{not json\n\n{lines[1]}\n")
    items = list(read_jsonl(path, channel="MFARussia"))
    first, bad, second = items
    assert isinstance(first, RawPost) and isinstance(second, RawPost)
    assert isinstance(bad, Skipped)
    assert bad.source.lines == (2, 2) and bad.reason.startswith("invalid JSON")
    assert (first.message_id, first.hashtags, first.views) == (28105, ["RussiaVietnam"], 2020)
    assert second.hashtags == ["APR", "ASEAN", "RussiaChina"]
    assert (second.channel, second.media, second.source.kind) == ("MFARussia", ["photo"], "jsonl")
    assert second.source.lines == (4, 4)
    # No repair outside the preset: the text is as the file has it.
    assert second.copies[0][0].startswith("🇷🇺 🇨🇳 On January 23")


def test_half_a_character_becomes_a_replacement_character(tmp_path: Path) -> None:
    """A scraper that cuts a text may leave half an emoji, a JSON escape such as
    "\\ud83c" without its pair: the post is read with U+FFFD in its place, one
    character for one, and a note says so; the posts around it are untouched."""
    rows = _real_rows(28105, 28108)
    text = rows[1]["text"]
    flag = text.index("🇨🇳")  # two characters, each a surrogate pair in JSON
    cut = text[:flag] + "\ud83c" + text[flag + 1 :]
    lines = [json.dumps({"id": int(r["message_id"]), "text": t}) for r, t in
             ((rows[0], rows[0]["text"]), (rows[1], cut))]  # fmt: skip
    assert "\\ud83c" in lines[1]  # escaped, as ensure_ascii writes it
    path = write(tmp_path, "cut.jsonl", "\n".join(lines) + "\n")
    notes: list[tuple[int, str]] = []
    items = list(read_jsonl(path, channel="MFARussia",
                            on_note=lambda ref, n: notes.append((ref.lines[0], n))))  # fmt: skip
    first, second = items
    assert isinstance(first, RawPost) and isinstance(second, RawPost)
    assert "\n".join(first.copies[0]) == rows[0]["text"].replace("\r\n", "\n")
    repaired = "\n".join(second.copies[0])
    assert repaired == text[:flag] + "\ufffd" + text[flag + 1 :]
    assert len(repaired) == len(text)
    assert notes == [(2, "half a character (a lone UTF-16 surrogate) replaced by U+FFFD")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-22T20:04:09Z", "2026-01-22T20:04:09+00:00"),
        ("2026-01-22T23:04:09+03:00", "2026-01-22T20:04:09+00:00"),
        (1769112249, "2026-01-22T20:04:09+00:00"),
        ("2026-01-22 20:04:09", "2026-01-22T20:04:09"),  # no offset: passed on, not guessed
    ],
)
def test_jsonl_dates(tmp_path: Path, value: object, expected: str) -> None:
    path = write(tmp_path, "d.jsonl", json.dumps({"text": "hi", "date": value}) + "\n")
    (post,) = read_jsonl(path)
    assert isinstance(post, RawPost) and post.date == expected


def test_jsonl_without_any_object_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MalformedInput, match="no line is a JSON object") as err:
        list(read_jsonl(write(tmp_path, "x.jsonl", "\n[1, 2]\n{oops\n")))
    assert err.value.line == 2


def test_jsonl_without_a_text_key(tmp_path: Path) -> None:
    with pytest.raises(MalformedInput, match=r"no text key.*'id', 'views'"):
        list(read_jsonl(write(tmp_path, "x.jsonl", '{"id": 1, "views": 3}\n')))


# --- sniffing and the format descriptors --------------------------------------


def test_sniff(tmp_path: Path) -> None:
    head = CSV_MFA.read_text(encoding="utf-8")[:4096]
    assert sniff_csv(CSV_MFA, head)
    assert sniff_csv(tmp_path / "export.txt", head)
    dump_head = DUMP_000.read_text(encoding="utf-8")[:4096]
    assert not sniff_csv(DUMP_000, dump_head)
    assert not sniff_jsonl(DUMP_000, dump_head)
    assert sniff_jsonl(tmp_path / "posts.txt", '{"text": "hi"}\n{"text": "ho"}\n')
    assert not sniff_jsonl(tmp_path / "result.json", '{\n "name": "MFA",\n "messages": []\n}\n')
    assert sniff_jsonl(tmp_path / "posts.ndjson", "")
    assert (tabular.CSV.NAME, tabular.JSONL.NAME) == ("csv", "jsonl")
    assert tabular.PRESETS["mfarussia-csv"].header == tuple(head.split("\n")[0].strip().split(","))
