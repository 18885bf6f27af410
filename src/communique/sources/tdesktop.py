"""Telegram Desktop JSON exports ("Export chat history" -> JSON, ``result.json``).

Telegram Desktop writes two shapes of ``result.json``:

- one chat: ``{"name", "type": "public_channel" | ..., "id", "messages": [...]}``;
- the whole account (Settings -> Advanced -> Export Telegram data):
  ``{"about", "personal_information", ..., "chats": {"about", "list": [chat, ...]},
  "left_chats": {"about", "list": [...]}}``, each chat shaped as above.

Each chat yields a ``Channel`` and then its messages in file order. Exports do not
store t.me usernames, so the username comes from the ``channel`` argument; it is
accepted only when the file holds exactly one chat, and a file of several chats
with ``channel`` given is refused rather than filed under one name. Without it the
posts' ``channel`` stays None (so no t.me link is made from a display name) and
the ``Channel`` record, whose username cannot be empty, carries the chat's name as
both username and title.

How a message maps to ``RawPost`` (``SourceRef(kind="tdesktop", path=...)``):

============================  ===============================================
export field                  RawPost
============================  ===============================================
``id``                        ``message_id`` (a message without one: Skipped)
``text_entities`` / ``text``  ``copies``: one copy, its lines split at "\\n"
``date_unixtime`` (``date``)  ``date``: UTC, "2026-01-22T20:04:09+00:00"
``edited``                    ``edited=True``
``author``                    ``author`` (the signature of a signed post)
``forwarded_from``            ``forwarded_from`` (``saved_from`` when absent)
``reply_to_message_id``       ``reply_to=ReplyTo(None, None, id)``; no id when
                              ``reply_to_peer_id`` names another chat
``photo``, ``file``, ...      ``media``: see ``MEDIA_TYPES`` and ``MEDIA_KEYS``
``link``/``text_link``        ``links``: absolute URLs, first-seen order, once each
``hashtag`` entities          ``hashtags``: without "#", first-seen order, once each
``type: "service"``           ``kind="service"``, ``service`` = ``action``
============================  ===============================================

A service message has no text in the export; it gets the line t.me's preview shows
for it (``SERVICE_TEXTS``: "Channel created", "Channel photo updated", ...), so that
it keeps a text through ``normalise`` and matches the same message read from t.me.

``date`` in the export is the exporting computer's local time without a zone, so
``date_unixtime`` is preferred; older exports carry only ``date``, which is then
passed on without an offset rather than guessed to be UTC.

The file is parsed whole with ``json``: exports are written as one JSON document,
and the standard library has no streaming parser. ``check_size`` bounds the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from communique.errors import InputError, MalformedInput
from communique.models import Channel, RawPost, ReplyTo, Skipped, SourceRef
from communique.sources.textfile import BOM, may_hold_surrogates, read_text, without_surrogates

NAME = "tdesktop"

# Chat types as Telegram Desktop names them (export_output_json.cpp, TypeString).
CHAT_TYPES = frozenset(
    {
        "saved_messages",
        "replies",
        "verification_codes",
        "personal_chat",
        "bot_chat",
        "private_group",
        "private_supergroup",
        "public_supergroup",
        "private_channel",
        "public_channel",
    }
)

# ``media_type`` of a message with a ``file``; a file without one is a document.
MEDIA_TYPES: dict[str, str] = {
    "video_file": "video",
    "animation": "video",  # GIFs are sent as silent MPEG-4 videos
    "video_message": "round_video",
    "audio_file": "audio",
    "voice_message": "voice",
    "sticker": "sticker",
}

# Keys whose presence marks an attachment of that kind.
MEDIA_KEYS: tuple[tuple[str, str], ...] = (
    ("photo", "photo"),
    ("poll", "poll"),
    ("location_information", "location"),
    ("contact_information", "contact"),
)

LINK_ENTITIES = frozenset({"link", "text_link"})

# The line t.me's preview shows for a service ``action`` (an unlisted action shows
# as its own words). {chat} is "Channel" or "Group"; {title} and {actor} are the
# message's own fields.
SERVICE_TEXTS: dict[str, str] = {
    "create_channel": "Channel created",
    "create_group": "Group created",
    "edit_group_title": "{chat} name was changed to «{title}»",
    "edit_group_photo": "{chat} photo updated",
    "delete_group_photo": "{chat} photo removed",
    "pin_message": "{actor} pinned a message",
    "migrate_to_supergroup": "Group upgraded to a supergroup",
    "migrate_from_group": "Supergroup created from a group",
}

# A scheme such as "https:" or "mailto:" (not "host:8080"); a "link" entity is the URL
# as typed and may lack one ("mid.ru/en"), which Telegram opens as http.
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:(?!\d)")

# What the head of an export shows: a chat's message list next to its type, a
# message's type, or the sections of a whole-account export.
_MESSAGES = re.compile(r'"messages"\s*:\s*\[')
_CHAT_TYPE = re.compile(r'"type"\s*:\s*"(' + "|".join(sorted(CHAT_TYPES)) + r')"')
_MESSAGE_TYPE = re.compile(r'"type"\s*:\s*"(message|service)"\s*,\s*"date"\s*:')
_ACCOUNT = re.compile(r'"personal_information"\s*:\s*\{|"(left_)?chats"\s*:\s*\{[^{}]*"list"\s*:')


def sniff(path: Path, head: str) -> bool:
    """Whether ``head`` starts a Telegram Desktop export (one JSON document)."""
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        return False
    text = head.lstrip(BOM + " \t\r\n")
    if not text.startswith("{") or _is_json_lines(text):
        return False
    if _ACCOUNT.search(text):
        return True
    return bool(_MESSAGES.search(text)) and bool(
        _CHAT_TYPE.search(text) or _MESSAGE_TYPE.search(text)
    )


def _is_json_lines(text: str) -> bool:
    """A first line that is a whole object followed by more lines: JSON Lines."""
    first, _, rest = text.partition("\n")
    return first.rstrip().endswith("}") and rest.strip().startswith("{")


def read(path: Path, *, channel: str | None = None) -> Iterator[RawPost | Skipped | Channel]:
    """Yield each chat's ``Channel`` and then its messages, in file order."""
    ref = SourceRef(kind=NAME, path=str(path))
    chats = _chats(_load(path), path)
    if channel is not None and len(chats) > 1:
        raise InputError(
            f"this export holds {len(chats)} chats; a channel name can be given only "
            "for an export of one chat",
            path=str(path),
        )
    for chat in chats:
        if not isinstance(chat, dict) or not isinstance(chat.get("messages"), list):
            yield Skipped("chat without a list of messages", ref)
            continue
        yield from _read_chat(chat, channel, ref)


def _load(path: Path) -> Any:
    """The parsed document, after refusing empty, huge, binary, non-UTF-8 or bad JSON."""
    text = read_text(path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedInput(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
            path=str(path),
            line=exc.lineno,
        ) from None
    # Half characters (lone surrogates) become U+FFFD, as in JSONL (textfile.py).
    return without_surrogates(document)[0] if may_hold_surrogates(text) else document


def _chats(data: Any, path: Path) -> list[Any]:
    """The chats of a one-chat or a whole-account export."""
    if isinstance(data, dict) and "messages" in data:
        return [data]
    sections = [data.get(key) for key in ("chats", "left_chats")] if isinstance(data, dict) else []
    lists = [s["list"] for s in sections if isinstance(s, dict) and isinstance(s.get("list"), list)]
    if lists:
        return [chat for chats in lists for chat in chats]
    if isinstance(data, dict) and "personal_information" in data:
        raise MalformedInput(
            "this Telegram export holds no chats; export again with chats selected",
            path=str(path),
        )
    raise MalformedInput(
        "valid JSON but not a Telegram Desktop export (no messages or chats list)",
        path=str(path),
    )


@dataclass(slots=True, frozen=True)
class _Chat:
    """What every message of one chat needs to know about the chat."""

    username: str | None
    id: Any
    noun: str  # "Channel" or "Group", as service lines name the chat
    ref: SourceRef


def _read_chat(
    chat: dict[str, Any], username: str | None, ref: SourceRef
) -> Iterator[RawPost | Skipped | Channel]:
    yield _channel(chat, username)
    noun = "Channel" if "channel" in str(chat.get("type")) else "Group"
    context = _Chat(username=username, id=chat.get("id"), noun=noun, ref=ref)
    for message in chat["messages"]:
        yield _message(message, context)


def _channel(chat: dict[str, Any], username: str | None) -> Channel:
    """The chat as a Channel; its name stands in for the username exports lack."""
    name = _string(chat.get("name"))
    # Saved Messages has no name; its type is the best label there is.
    fallback = name or _string(chat.get("type")) or f"chat{chat.get('id', '')}"
    return Channel(username=username or fallback, title=name)


def _message(message: Any, chat: _Chat) -> RawPost | Skipped:
    if not isinstance(message, dict):
        return Skipped("message is not a JSON object", chat.ref)
    message_id = message.get("id")
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        return Skipped(f"message without an id (date {message.get('date')!r})", chat.ref)
    kind = message.get("type", "message")
    if kind not in {"message", "service"}:
        return Skipped(f"message {message_id}: unknown type {kind!r}", chat.ref)
    parts = _parts(message)
    text = "".join(text for _, text, _ in parts)
    post = RawPost(
        copies=[_lines(text)],
        source=chat.ref,
        channel=chat.username,
        message_id=message_id,
        date=_date(message),
        edited="edited" in message or "edited_unixtime" in message,
        links=_links(parts),
        hashtags=_unique(text.lstrip("#") for type_, text, _ in parts if type_ == "hashtag"),
    )
    if kind == "service":
        post.kind = "service"
        post.service = _string(message.get("action"))
        post.copies = [_lines(text or _service_text(message, chat))]
        return post
    post.author = _string(message.get("author"))
    post.forwarded_from = _string(message.get("forwarded_from")) or _string(
        message.get("saved_from")
    )
    post.reply_to = _reply(message, chat.id)
    post.media = _media(message)
    return post


def _service_text(message: dict[str, Any], chat: _Chat) -> str:
    action = _string(message.get("action")) or "service message"
    template = SERVICE_TEXTS.get(action)
    if template is None:
        return action.replace("_", " ").capitalize()
    return template.format(
        chat=chat.noun,
        title=_string(message.get("title")) or "",
        actor=_string(message.get("actor")) or chat.noun,
    )


def _parts(message: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """The text as (entity type, text, href) parts.

    ``text_entities`` always lists every part (plain ones too); ``text`` is a bare
    string when the text has no formatting, else a list of strings and entities.
    """
    raw = message.get("text_entities")
    if not isinstance(raw, list):
        raw = message.get("text", "")
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    return [part for item in raw if (part := _part(item)) is not None]


def _part(item: Any) -> tuple[str, str, str | None] | None:
    if isinstance(item, str):
        return "plain", item, None
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        href = item.get("href")
        return str(item.get("type", "plain")), item["text"], href if isinstance(href, str) else None
    return None


def _lines(text: str) -> list[str]:
    # Split on "\n" only: str.splitlines would also break at U+2028 and form feeds,
    # which Telegram shows inside a line.
    return [line.rstrip("\r") for line in text.split("\n")] if text else []


def _date(message: dict[str, Any]) -> str | None:
    unixtime = message.get("date_unixtime")
    if isinstance(unixtime, str | int) and str(unixtime).isdigit():
        return datetime.fromtimestamp(int(unixtime), tz=UTC).isoformat()
    local = message.get("date")
    if isinstance(local, str):
        try:
            return datetime.fromisoformat(local).isoformat()
        except ValueError:
            return None
    return None


def _reply(message: dict[str, Any], chat_id: Any) -> ReplyTo | None:
    replied = message.get("reply_to_message_id")
    if not isinstance(replied, int):
        return None
    peer = message.get("reply_to_peer_id")
    # A reply to another chat names that chat as "channel123"; its message id means
    # nothing in this chat, and the export does not name the chat, so keep neither.
    if isinstance(peer, str) and peer.lstrip("abcdefghijklmnopqrstuvwxyz") != str(chat_id):
        return ReplyTo(channel=None, text=None, message_id=None)
    return ReplyTo(channel=None, text=None, message_id=replied)


def _media(message: dict[str, Any]) -> list[str]:
    media = [kind for key, kind in MEDIA_KEYS if message.get(key) is not None]
    if message.get("file") is not None or message.get("media_type") is not None:
        media.append(MEDIA_TYPES.get(str(message.get("media_type")), "document"))
    return media


def _links(parts: list[tuple[str, str, str | None]]) -> list[str]:
    # A "link" is a URL written in the text; a "text_link" hides its URL in href.
    return _unique(_absolute(href or text) for type_, text, href in parts if type_ in LINK_ENTITIES)


def _absolute(url: str) -> str:
    url = url.strip()
    return url if not url or _SCHEME.match(url) else f"http://{url}"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
