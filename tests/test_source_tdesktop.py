"""The Telegram Desktop export source, on exports built from real @MFARussia posts.

The exports are built at test time, in the shape Telegram Desktop writes, from the
posts of ``../shared/data/mfarussia_2025-12_2026-03.csv``: the first 30 rows and the
posts of seed dump 000 (ids 28089-28108). Posts with hashtags or links in the CSV's
``urls`` column get their text as a list of parts with hashtag and text_link
entities; the others as a plain string.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

from communique.errors import EncodingError, InputError, MalformedInput
from communique.models import Channel, RawPost, ReplyTo, Skipped
from communique.sources import tdesktop
from conftest import CSV_MFA, DUMP_000

CHAT_NAME = "MFA Russia 🇷🇺"
CHAT_ID = 1113529039
# The exporting computer's zone: ``date`` is written in it, ``date_unixtime`` in UTC.
MOSCOW = timezone(timedelta(hours=3))
# Forward and replies as seed dump 000 shows them: 28090 is forwarded from the
# Kremlin's channel; 28091 and 28106 answer post 28068 (the CSV's scraper kept the
# reply's one-line preview of 28068 as their text).
FORWARDS = {28090: "Kremlin. News"}
REPLIES = {28091: 28068, 28106: 28068}
EDITED = {28092, 28614}
PIN_ID = 28700  # above every id in the CSV


# --- reading the real posts -------------------------------------------------------


def _load_rows() -> list[dict[str, str]]:
    with CSV_MFA.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


ROWS = _load_rows()
FIRST_30 = ROWS[:30]
DUMP_ROWS = [r for r in ROWS if 28089 <= int(r["message_id"]) <= 28108]
ALL_ROWS = sorted(FIRST_30 + DUMP_ROWS, key=lambda r: int(r["message_id"]))


def _urls(row: dict[str, str]) -> list[str]:
    return [u for u in row["urls"].split("|") if u]


def _tags(row: dict[str, str]) -> list[str]:
    """The CSV's hashtag links (``?q=%23Tag``) that the text really carries, in text order."""
    tags = dict.fromkeys(unquote(u)[len("?q=#") :] for u in _urls(row) if u.startswith("?q="))
    found = {t: m.start() for t in tags if (m := _hashtag_re(t).search(row["text"]))}
    return sorted(found, key=found.__getitem__)


def _links(row: dict[str, str]) -> list[str]:
    return [u for u in _urls(row) if u.startswith("http")]


def _hashtag_re(tag: str) -> re.Pattern[str]:
    return re.compile(re.escape("#" + tag) + r"(?!\w)")


# --- building exports in Telegram Desktop's shape ---------------------------------


def _entities(row: dict[str, str]) -> list[dict[str, str]]:
    """``text_entities`` covering the whole text: hashtags where the text has them,
    each link on a word of its own (the CSV does not say which words carried them)."""
    text = row["text"]
    spans: list[tuple[int, int, dict[str, str]]] = []
    for tag in _tags(row):
        spans += [
            (m.start(), m.end(), {"type": "hashtag"}) for m in _hashtag_re(tag).finditer(text)
        ]
    taken = [(a, b) for a, b, _ in spans]
    words = [m for m in re.finditer(r"[A-Za-z]{4,}", text) if _free(m, taken)]
    links = _links(row)
    assert len(words) > len(links), row["message_id"]
    for url, word in zip(links, words, strict=False):
        spans.append((word.start(), word.end(), {"type": "text_link", "href": url}))
    bold = words[len(links)]
    spans.append((bold.start(), bold.end(), {"type": "bold"}))
    return _cover(text, sorted(spans, key=lambda s: s[0]))


def _free(m: re.Match[str], taken: list[tuple[int, int]]) -> bool:
    return all(m.end() <= a or m.start() >= b for a, b in taken)


def _cover(text: str, spans: list[tuple[int, int, dict[str, str]]]) -> list[dict[str, str]]:
    out, at = [], 0
    for start, end, entity in spans:
        if start > at:
            out.append({"type": "plain", "text": text[at:start]})
        # Telegram Desktop writes "type", then "text", then the rest ("href").
        out.append({"type": entity["type"], "text": text[start:end]} | entity)
        at = end
    if at < len(text):
        out.append({"type": "plain", "text": text[at:]})
    return out


def _text_field(entities: list[dict[str, str]]) -> str | list[Any]:
    """``text`` as Telegram Desktop writes it: a string, or parts with bare plain strings."""
    if all(e["type"] == "plain" for e in entities):
        return "".join(e["text"] for e in entities)
    return [e["text"] if e["type"] == "plain" else e for e in entities]


def _stamp(when: datetime) -> dict[str, str]:
    return {
        "date": when.astimezone(MOSCOW).strftime("%Y-%m-%dT%H:%M:%S"),
        "date_unixtime": str(int(when.timestamp())),
    }


def _message(row: dict[str, str], number: int) -> dict[str, Any]:
    message_id = int(row["message_id"])
    when = datetime.fromisoformat(row["date"])
    msg: dict[str, Any] = {"id": message_id, "type": "message", **_stamp(when)}
    if message_id in EDITED:
        edited = _stamp(when + timedelta(minutes=7))
        msg |= {"edited": edited["date"], "edited_unixtime": edited["date_unixtime"]}
    msg |= {"from": CHAT_NAME, "from_id": f"channel{CHAT_ID}"}
    if message_id in FORWARDS:
        msg["forwarded_from"] = FORWARDS[message_id]
    if message_id in REPLIES:
        msg["reply_to_message_id"] = REPLIES[message_id]
    if row["has_photo"] == "True":
        local = when.astimezone(MOSCOW)
        msg |= {"photo": f"photos/photo_{number}@{local:%d-%m-%Y_%H-%M-%S}.jpg"}
        msg |= {"photo_file_size": 123456, "width": 1280, "height": 853}
    entities = _entities(row) if _tags(row) or _links(row) else _plain(row["text"])
    msg |= {"text": _text_field(entities), "text_entities": entities}
    return msg


def _plain(text: str) -> list[dict[str, str]]:
    return [{"type": "plain", "text": text}] if text else []


def _service(number: int, when: datetime, action: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": number,
        "type": "service",
        **_stamp(when),
        "actor": CHAT_NAME,
        "actor_id": f"channel{CHAT_ID}",
        "action": action,
        **extra,
        "text": "",
        "text_entities": [],
    }


def build_chat(
    rows: list[dict[str, str]], *, name: str = CHAT_NAME, chat_id: int = CHAT_ID
) -> dict[str, Any]:
    created = datetime(2015, 11, 27, 9, 49, 31, tzinfo=UTC)
    last = datetime.fromisoformat(rows[-1]["date"]) + timedelta(hours=1)
    messages = [_service(1, created, "create_channel", title=name)]
    messages += [_message(r, n) for n, r in enumerate(rows, start=1)]
    messages.append(_service(PIN_ID, last, "pin_message", message_id=int(rows[-1]["message_id"])))
    return {"name": name, "type": "public_channel", "id": chat_id, "messages": messages}


def build_account(chats: list[dict[str, Any]], left: list[dict[str, Any]]) -> dict[str, Any]:
    """A whole-account export (Settings -> Advanced -> Export Telegram data)."""
    return {
        "about": "Here is the data you requested. Remember: Telegram is ad free, ...",
        "personal_information": {
            "user_id": 42,
            "first_name": "Archivist",
            "last_name": "",
            "phone_number": "+00 000 000 0000",
            "bio": "",
        },
        "contacts": {"about": "This is your contact list.", "list": []},
        "chats": {"about": "This page lists all chats from this export.", "list": chats},
        "left_chats": {
            "about": "This page lists all supergroups and channels you left.",
            "list": left,
        },
    }


def write(path: Path, data: Any) -> Path:
    # Telegram Desktop writes indented UTF-8 JSON with non-ASCII characters as is.
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def posts(items: list[RawPost | Skipped | Channel]) -> dict[int, RawPost]:
    out = {}
    for item in items:
        if isinstance(item, RawPost):
            assert item.message_id is not None
            out[item.message_id] = item
    return out


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("tdesktop") / "result.json", build_chat(ALL_ROWS))


@pytest.fixture(scope="module")
def items(export: Path) -> list[RawPost | Skipped | Channel]:
    return list(tdesktop.read(export, channel="MFARussia"))


# --- one chat: every field of every real post -------------------------------------


def test_half_a_character_in_an_export_becomes_a_replacement_character(
    tmp_path: Path,
) -> None:
    data = build_chat(DUMP_ROWS)
    message = next(m for m in data["messages"] if isinstance(m.get("text"), str) and m["text"])
    original = message["text"]
    # Half an emoji before the text, in both the plain text and its entities.
    message["text"] = "\ud83d" + original
    message["text_entities"][0]["text"] = "\ud83d" + message["text_entities"][0]["text"]
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")  # escaped: ASCII JSON
    post = posts(list(tdesktop.read(path, channel="MFARussia")))[message["id"]]
    assert post.copies[0][0] == "\ufffd" + original.split("\n")[0]


def test_fixture_has_both_text_shapes(export: Path) -> None:
    messages = json.loads(export.read_text(encoding="utf-8"))["messages"]
    shapes = {type(m["text"]) for m in messages if m["type"] == "message"}
    assert shapes == {str, list}
    assert len(DUMP_ROWS) == 15 and len(FIRST_30) == 30  # the 15 posts of dump 000


def test_channel_comes_first(items: list[RawPost | Skipped | Channel]) -> None:
    assert items[0] == Channel(username="MFARussia", title=CHAT_NAME)
    assert [i for i in items if isinstance(i, Channel)] == [items[0]]
    assert not [i for i in items if isinstance(i, Skipped)]


def test_posts_in_file_order(items: list[RawPost | Skipped | Channel]) -> None:
    ids = [i.message_id for i in items if isinstance(i, RawPost)]
    assert ids == [1, *(int(r["message_id"]) for r in ALL_ROWS), PIN_ID]


@pytest.mark.parametrize("row", ALL_ROWS, ids=lambda r: r["message_id"])
def test_post_fields(items: list[RawPost | Skipped | Channel], row: dict[str, str]) -> None:
    message_id = int(row["message_id"])
    post = posts(items)[message_id]
    assert post.copies == [row["text"].split("\n")]
    assert post.channel == "MFARussia"
    assert post.date == row["date"]
    assert post.edited is (message_id in EDITED)
    assert post.media == (["photo"] if row["has_photo"] == "True" else [])
    assert post.hashtags == _tags(row)
    assert post.links == list(dict.fromkeys(_links(row)))
    assert post.forwarded_from == FORWARDS.get(message_id)
    reply = REPLIES.get(message_id)
    assert post.reply_to == (ReplyTo(None, None, reply) if reply else None)
    assert (post.kind, post.service, post.author) == ("post", None, None)
    assert post.source.kind == "tdesktop" and post.source.path.endswith("result.json")


def test_hashtags_and_links_of_a_known_post(items: list[RawPost | Skipped | Channel]) -> None:
    post = posts(items)[28108]
    # The CSV lists #APR twice; the post's hashtags name it once.
    assert post.hashtags == ["APR", "ASEAN", "RussiaChina"]
    assert post.links == ["https://mid.ru/ru/foreign_policy/news/2074516/"]
    assert posts(items)[28092].links == [
        "http://en.kremlin.ru/events/president/news/79029",
        "https://t.me/MFARussia/26019",
    ]


def test_text_keeps_emoji_and_line_breaks(items: list[RawPost | Skipped | Channel]) -> None:
    post = posts(items)[28614]
    assert post.copies[0][0] == "#KievRegimeCrimes "
    assert post.copies[0][-1] == " 👉 Full report (PDF version)"
    assert "" not in post.copies[0] and " " in post.copies[0]


def test_forward_and_reply_are_the_dumps(items: list[RawPost | Skipped | Channel]) -> None:
    dump = DUMP_000.read_text(encoding="utf-8")
    forwarded = posts(items)[28090]
    assert f"Forwarded from {forwarded.forwarded_from}\n" in dump
    assert forwarded.copies[0][0].strip() in dump
    original = next(r for r in ROWS if r["message_id"] == "28068")["text"].split("\n")[0].strip()
    for message_id in (28091, 28106):
        reply = posts(items)[message_id]
        assert reply.reply_to == ReplyTo(None, None, 28068)
        assert f"Russian MFA 🇷🇺\n{reply.copies[0][0][:60]}" in dump
        assert reply.copies[0][0].startswith(original)


def test_service_messages(items: list[RawPost | Skipped | Channel]) -> None:
    created, pinned = posts(items)[1], posts(items)[PIN_ID]
    assert (created.kind, created.service) == ("service", "create_channel")
    assert created.copies == [["Channel created"]]
    assert created.date == "2015-11-27T09:49:31+00:00"
    assert (pinned.kind, pinned.service) == ("service", "pin_message")
    assert pinned.copies == [[f"{CHAT_NAME} pinned a message"]]
    assert pinned.media == [] and pinned.reply_to is None


@pytest.mark.parametrize(
    ("action", "extra", "line"),
    [
        (
            "edit_group_title",
            {"title": "Russian MFA 🇷🇺"},
            "Channel name was changed to «Russian MFA 🇷🇺»",
        ),
        ("edit_group_photo", {"photo": "photos/photo_9.jpg"}, "Channel photo updated"),
        ("group_call", {}, "Group call"),
    ],
)
def test_service_lines(tmp_path: Path, action: str, extra: dict[str, Any], line: str) -> None:
    chat = build_chat(FIRST_30[:1])
    chat["messages"].append(_service(PIN_ID + 1, datetime.now(UTC), action, **extra))
    post = posts(list(tdesktop.read(write(tmp_path / "result.json", chat))))[PIN_ID + 1]
    assert (post.service, post.copies, post.media) == (action, [[line]], [])


def test_without_channel_the_name_labels_the_channel(tmp_path: Path) -> None:
    path = write(tmp_path / "result.json", build_chat(FIRST_30))
    items = list(tdesktop.read(path))
    assert items[0] == Channel(username=CHAT_NAME, title=CHAT_NAME)
    assert {p.channel for p in posts(items).values()} == {None}


# --- text shapes, links, media, replies, dates ------------------------------------


def _one(tmp_path: Path, **fields: Any) -> RawPost:
    """Read one message: the first dump post with ``fields`` laid over it."""
    chat = build_chat(DUMP_ROWS[:1])
    photo = ("photo", "photo_file_size", "width", "height")
    message = {k: v for k, v in chat["messages"][1].items() if k not in photo} | fields
    chat["messages"] = [{k: v for k, v in message.items() if v is not None}]
    items = list(tdesktop.read(write(tmp_path / "result.json", chat)))
    (post,) = posts(items).values()
    return post


def test_text_string_parts_and_entities_read_alike(tmp_path: Path) -> None:
    row = next(r for r in ALL_ROWS if len(_tags(r)) >= 2)
    entities = _entities(row)
    expected = [row["text"].split("\n")]
    as_string = _one(tmp_path, text=row["text"], text_entities=None)
    as_parts = _one(tmp_path, text=_text_field(entities), text_entities=None)
    as_entities = _one(tmp_path, text=_text_field(entities), text_entities=entities)
    assert as_string.copies == as_parts.copies == as_entities.copies == expected
    assert as_string.hashtags == [] and as_parts.hashtags == as_entities.hashtags == _tags(row)


def test_links_are_absolute_and_listed_once(tmp_path: Path) -> None:
    parts = [
        "Read in full: ",
        {"type": "link", "text": "mid.ru/en/foreign_policy/news/2074629/"},
        " and ",
        {"type": "text_link", "text": "here", "href": "https://t.me/MFARussia/23607"},
        ", ",
        {"type": "link", "text": "https://t.me/MFARussia/23607"},
        " ",
        {"type": "mention", "text": "@MFARussia"},
        " ",
        {"type": "email", "text": "info@mid.ru"},
    ]
    post = _one(tmp_path, text=parts, text_entities=None)
    assert post.links == [
        "http://mid.ru/en/foreign_policy/news/2074629/",
        "https://t.me/MFARussia/23607",
    ]
    assert post.copies == [
        [
            "Read in full: mid.ru/en/foreign_policy/news/2074629/ and here, "
            "https://t.me/MFARussia/23607 @MFARussia info@mid.ru"
        ]
    ]


@pytest.mark.parametrize(
    ("fields", "media"),
    [
        ({"photo": "(File not included. Change data exporting settings to download.)"}, ["photo"]),
        (
            {"file": "video_files/a.mp4", "media_type": "video_file", "mime_type": "video/mp4"},
            ["video"],
        ),
        (
            {"file": "video_files/b.mp4", "media_type": "animation", "mime_type": "video/mp4"},
            ["video"],
        ),
        ({"file": "round_video_messages/c.mp4", "media_type": "video_message"}, ["round_video"]),
        ({"file": "files/d.mp3", "media_type": "audio_file", "performer": "MFA"}, ["audio"]),
        ({"file": "voice_messages/e.ogg", "media_type": "voice_message"}, ["voice"]),
        ({"file": "stickers/f.webp", "media_type": "sticker", "sticker_emoji": "👍"}, ["sticker"]),
        ({"file": "files/report.pdf", "mime_type": "application/pdf"}, ["document"]),
        ({"poll": {"question": "?", "closed": False, "total_voters": 3, "answers": []}}, ["poll"]),
        ({"location_information": {"latitude": 55.746, "longitude": 37.58}}, ["location"]),
        ({"contact_information": {"first_name": "A", "phone_number": "+7"}}, ["contact"]),
        ({"photo": None}, []),
    ],
    ids=lambda v: "-".join(v) if isinstance(v, list) else None,
)
def test_media(tmp_path: Path, fields: dict[str, Any], media: list[str]) -> None:
    assert _one(tmp_path, **fields).media == media


def test_signed_post(tmp_path: Path) -> None:
    assert _one(tmp_path, author="Maria Zakharova").author == "Maria Zakharova"


def test_saved_from_stands_in_for_forwarded_from(tmp_path: Path) -> None:
    assert _one(tmp_path, saved_from="Kremlin. News").forwarded_from == "Kremlin. News"


def test_reply_to_another_chat_keeps_no_message_id(tmp_path: Path) -> None:
    same = _one(tmp_path, reply_to_message_id=28091, reply_to_peer_id=f"channel{CHAT_ID}")
    other = _one(tmp_path, reply_to_message_id=5, reply_to_peer_id="channel1001")
    assert same.reply_to == ReplyTo(None, None, 28091)
    assert other.reply_to == ReplyTo(None, None, None)


def test_edited_unixtime_alone_marks_edited(tmp_path: Path) -> None:
    assert _one(tmp_path, edited_unixtime="1769213000").edited is True


def test_date_without_unixtime_is_left_without_zone(tmp_path: Path) -> None:
    post = _one(tmp_path, date="2026-01-22T23:04:09", date_unixtime=None)
    assert post.date == "2026-01-22T23:04:09"


def test_message_without_id_is_skipped(tmp_path: Path) -> None:
    chat = build_chat(FIRST_30[:3])
    del chat["messages"][2]["id"]
    chat["messages"].insert(1, "not a message")
    items = list(tdesktop.read(write(tmp_path / "result.json", chat)))
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [s.reason for s in skipped] == [
        "message is not a JSON object",
        f"message without an id (date {chat['messages'][3]['date']!r})",
    ]
    assert all(s.source.kind == "tdesktop" for s in skipped)
    assert len(posts(items)) == 4  # the service messages and the two posts with ids


# --- a whole-account export -------------------------------------------------------


def _account(tmp_path: Path) -> Path:
    first = build_chat(FIRST_30)
    second = build_chat(DUMP_ROWS[:10], name="Russian MFA 🇷🇺 (archive)", chat_id=1001)
    left = build_chat(DUMP_ROWS[10:], name="MID Russia", chat_id=1002)
    return write(tmp_path / "result.json", build_account([first, second], [left]))


def test_full_export_reads_each_chat_as_its_channel(tmp_path: Path) -> None:
    items = list(tdesktop.read(_account(tmp_path)))
    channels = [i for i in items if isinstance(i, Channel)]
    assert [c.title for c in channels] == [CHAT_NAME, "Russian MFA 🇷🇺 (archive)", "MID Russia"]
    assert [c.username for c in channels] == [c.title for c in channels]
    starts = [items.index(c) for c in channels]
    chunks = [items[a + 1 : b] for a, b in zip(starts, [*starts[1:], len(items)], strict=True)]
    expected = [FIRST_30, DUMP_ROWS[:10], DUMP_ROWS[10:]]
    for chunk, rows in zip(chunks, expected, strict=True):
        ids = [p.message_id for p in chunk if isinstance(p, RawPost) and p.kind == "post"]
        assert ids == [int(r["message_id"]) for r in rows]
        assert {p.channel for p in chunk if isinstance(p, RawPost)} == {None}
    assert posts(chunks[1])[28090].forwarded_from == "Kremlin. News"


def test_full_export_refuses_one_channel_name_for_many_chats(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds 3 chats"):
        list(tdesktop.read(_account(tmp_path), channel="MFARussia"))


def test_full_export_of_one_chat_takes_the_channel_name(tmp_path: Path) -> None:
    path = write(tmp_path / "result.json", build_account([build_chat(FIRST_30[:5])], []))
    items = list(tdesktop.read(path, channel="MFARussia"))
    assert items[0] == Channel(username="MFARussia", title=CHAT_NAME)
    assert {p.channel for p in posts(items).values()} == {"MFARussia"}


# --- sniff ------------------------------------------------------------------------


def _head(path: Path) -> str:
    return path.read_bytes()[:65536].decode("utf-8", errors="replace")


def test_sniff_accepts_exports(tmp_path: Path, export: Path) -> None:
    account = _account(tmp_path)
    minified = tmp_path / "min.json"
    minified.write_text(json.dumps(build_chat(FIRST_30[:2])), encoding="utf-8")
    with_bom = tmp_path / "bom.json"
    with_bom.write_text("\ufeff" + export.read_text(encoding="utf-8"), encoding="utf-8")
    for path in (export, account, minified, with_bom):
        assert tdesktop.sniff(path, _head(path)), path.name


def _not_exports(tmp_path: Path) -> Iterator[Path]:
    generic = {"messages": ["hello"], "type": "inbox", "count": 1}
    yield write(tmp_path / "generic.json", generic)
    yield write(tmp_path / "list.json", [{"id": 1, "type": "message", "text": "hi"}])
    lines = [json.dumps(m, ensure_ascii=False) for m in build_chat(FIRST_30[:3])["messages"]]
    jsonl = tmp_path / "posts.json"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    yield jsonl
    yield write(tmp_path / "result.jsonl", build_chat(FIRST_30[:2]))
    yield DUMP_000
    yield CSV_MFA


def test_sniff_refuses_other_files(tmp_path: Path) -> None:
    for path in _not_exports(tmp_path):
        assert not tdesktop.sniff(path, _head(path)), path.name


# --- files that cannot be read ----------------------------------------------------


def test_bom_is_accepted(tmp_path: Path, export: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + export.read_bytes())
    assert len(posts(list(tdesktop.read(path)))) == len(ALL_ROWS) + 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"messages_count": 3, "chats": []}, "not a Telegram Desktop export"),
        ([{"id": 1, "type": "message"}], "not a Telegram Desktop export"),
        ({"about": "...", "personal_information": {"user_id": 42}}, "holds no chats"),
    ],
    ids=["object", "array", "account-without-chats"],
)
def test_json_that_is_not_an_export(tmp_path: Path, data: Any, message: str) -> None:
    path = write(tmp_path / "result.json", data)
    with pytest.raises(MalformedInput, match=message) as info:
        list(tdesktop.read(path))
    assert info.value.path == str(path) and str(path) in str(info.value)


def test_truncated_json_names_line_and_column(tmp_path: Path, export: Path) -> None:
    text = export.read_text(encoding="utf-8")
    path = tmp_path / "result.json"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text[: len(text) // 2])
    with pytest.raises(MalformedInput) as info:
        list(tdesktop.read(path))
    line, column = expected.value.lineno, expected.value.colno
    assert f"invalid JSON at line {line} column {column}" in str(info.value)
    assert info.value.line == line > 100 and str(path) in str(info.value)


def test_non_utf8_bytes(tmp_path: Path, export: Path) -> None:
    data = export.read_bytes().replace(b"Zakharova", b"Zakharov\xe1", 1)
    path = tmp_path / "result.json"
    path.write_bytes(data)
    with pytest.raises(EncodingError, match="not UTF-8 text \\(byte 0xe1 at column") as info:
        list(tdesktop.read(path))
    assert info.value.line == data[: data.index(b"\xe1")].count(b"\n") + 1


def test_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(b'{"messages": [\x00]}')
    with pytest.raises(EncodingError, match="binary data"):
        list(tdesktop.read(path))


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_bytes(b"")
    with pytest.raises(MalformedInput, match="file is empty"):
        list(tdesktop.read(path))
