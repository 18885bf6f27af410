"""Posts as rows of the SQLite archive, and back: the columns, the JSON-encoded
fields, the sightings read along with a post."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from functools import cache
from typing import Any

from communique.models import Channel, Event, LinkPreview, Person, Post, ReplyTo, SourceRef
from communique.normalise import line_key, title_key

POST_COLUMNS = (
    "key, channel, message_id, url, date, title, title_key, title_hash, text, "
    "forwarded_from, reply_to, media, hashtags, links, source, kind, service, views, "
    "views_rounding, edited, author, forwarded_url, link_preview, text_kind, reply_key, speaker, "
    "event_date, place, countries, organizations, people, events, language, extractor"
)
POST_FIELDS = [c.strip() for c in POST_COLUMNS.split(",")]
# A post's sightings as one JSON array, oldest first, read with the post itself.
SOURCES_OF = (
    "(SELECT json_group_array(json_object('kind', kind, 'path', path, 'first_line', "
    "first_line, 'last_line', last_line, 'first_seen', first_seen, 'last_seen', last_seen)) "
    "FROM (SELECT * FROM post_sources s WHERE s.post_id = {alias}.id "
    "ORDER BY s.rowid)) AS sources"
)
CHANNEL_COLUMNS = (
    "username, title, description, subscribers, followed, last_synced_id, last_synced_at"
)
# json.dumps builds an encoder at every call when given options; ingest encodes eight
# fields a post, so one encoder serves them all. The output is json.dumps's.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


@cache
def select(alias: str) -> str:
    columns = ", ".join(f"{alias}.{c}" for c in POST_FIELDS)
    return f"SELECT {columns}, {SOURCES_OF.format(alias=alias)} FROM posts {alias}"


def title_hash(key: str) -> int:
    """A title key's 64-bit hash, what the title index holds. Titles are long and
    arrive in no order: an index of the keys themselves took 147 MB at 1M posts, and
    every insertion dirtied a page of it; the hashes take 17 MB. The SQL function
    ``title_hash`` (registered by ``SQLiteStore``) is this one."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def to_json(value: Any) -> str:
    if isinstance(value, list) and not value:
        return "[]"  # most posts have no media, links, hashtags or events
    return _ENCODE(value)


def values(post: Post) -> tuple[Any, ...]:
    reply = post.reply_to
    return (
        post.key,
        post.channel,
        post.message_id,
        post.url,
        post.date,
        post.title,
        (key := title_key(post.title)),
        title_hash(key),
        post.text,
        post.forwarded_from,
        to_json(reply.to_dict()) if reply else None,
        to_json(post.media),
        to_json(post.hashtags),
        to_json(post.links),
        to_json(post.source.to_dict()),
        post.kind,
        post.service,
        post.views,
        post.views_rounding,
        int(post.edited),
        post.author,
        post.forwarded_url,
        to_json(post.link_preview.to_dict()) if post.link_preview else None,
        post.text_kind,
        line_key(reply.text) if reply and reply.text else None,
        post.speaker,
        post.event_date,
        post.place,
        to_json(post.countries),
        to_json(post.organizations),
        to_json([p.to_dict() for p in post.people]),
        to_json([e.to_dict() for e in post.events]),
        post.language,
        post.extractor,
    )


def post_of(row: sqlite3.Row) -> Post:
    reply = json.loads(row["reply_to"]) if row["reply_to"] else None
    preview = json.loads(row["link_preview"]) if row["link_preview"] else None
    return Post(
        key=row["key"],
        channel=row["channel"],
        message_id=row["message_id"],
        url=row["url"],
        date=row["date"],
        title=row["title"],
        text=row["text"],
        forwarded_from=row["forwarded_from"],
        reply_to=ReplyTo.from_dict(reply) if reply else None,
        media=json.loads(row["media"]),
        hashtags=json.loads(row["hashtags"]),
        links=json.loads(row["links"]),
        source=SourceRef.from_dict(json.loads(row["source"])),
        kind=row["kind"],
        service=row["service"],
        views=row["views"],
        views_rounding=row["views_rounding"],
        edited=bool(row["edited"]),
        author=row["author"],
        forwarded_url=row["forwarded_url"],
        link_preview=LinkPreview.from_dict(preview) if preview else None,
        text_kind=row["text_kind"],
        sources=[sighting_of(s) for s in json.loads(row["sources"] or "[]")],
        speaker=row["speaker"],
        event_date=row["event_date"],
        place=row["place"],
        countries=json.loads(row["countries"]),
        organizations=json.loads(row["organizations"]),
        people=[Person.from_dict(p) for p in json.loads(row["people"])],
        events=[Event.from_dict(e) for e in json.loads(row["events"])],
        language=row["language"],
        extractor=row["extractor"],
    )


def sighting_of(data: dict[str, Any]) -> SourceRef:
    lines = (data["first_line"], data["last_line"]) if data["last_line"] is not None else None
    return SourceRef(
        kind=data["kind"],
        path=data["path"] or None,
        lines=lines,
        first_seen=data["first_seen"],
        last_seen=data["last_seen"],
    )


def channel_of(row: sqlite3.Row) -> Channel:
    data = dict(row)
    data["followed"] = bool(data["followed"])
    return Channel(**data)
