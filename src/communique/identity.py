"""Identity: whether a post is already in the archive, and how two sightings merge.

A post is the same message as a stored one when, in this order:

1. both have the same channel and message id;
2. it has the same key (the same text from the same channel: a re-ingest);
3. a stored post has the same title (``normalise.title_key``), a compatible channel
   (the same, or either unknown), no conflicting message id, and most of its lines
   (``SAME_POST_OVERLAP`` of the shorter post's distinct lines) are the new post's.

Rule 3 is what lets an overlapping dump merge into the earlier one even where a
scraper dropped different lines, while two replies with the same first line but
different words ("#Outcomes2025" twice in dump 000) stay two posts.

A merge keeps the earlier sighting's key and source, fills what it lacked (id, date,
channel, headers) from the new one, and takes the union of text lines, media,
hashtags and links. When the merged post gains a channel and message id, its key
becomes ``channel/id`` and the old key stays an alias.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum

from communique.models import Post
from communique.normalise import line_key, merge_lines, post_key, title_key, unique
from communique.store.base import Store

SAME_POST_OVERLAP = 0.6


class Outcome(Enum):
    NEW = "new"
    MERGED = "merged"
    UNCHANGED = "unchanged"


def save(store: Store, post: Post) -> Outcome:
    """Store ``post``: insert it, merge it into its earlier sighting, or do nothing."""
    existing = find(store, post)
    if existing is None:
        store.insert(post)
        return Outcome.NEW
    merged = merge(existing, post)
    if merged == existing:
        return Outcome.UNCHANGED
    store.update(existing.key, merged)
    return Outcome.MERGED


def find(store: Store, post: Post) -> Post | None:
    if post.channel and post.message_id is not None:
        found = store.get_by_message(post.channel, post.message_id)
        if found is not None:
            return found
    found = store.get(post.key)
    if found is not None:
        return found
    for candidate in store.find_by_title(title_key(post.title)):
        if same_message(candidate, post):
            return candidate
    return None


def same_message(a: Post, b: Post) -> bool:
    if a.channel and b.channel and a.channel.lower() != b.channel.lower():
        return False
    if a.message_id is not None and b.message_id is not None and a.message_id != b.message_id:
        return False
    return overlap(a.text, b.text) >= SAME_POST_OVERLAP


def overlap(a: str, b: str) -> float:
    """Share of the shorter text's distinct lines that the other text has too."""
    lines_a = {line_key(x) for x in a.split("\n")}
    lines_b = {line_key(x) for x in b.split("\n")}
    shorter = min(len(lines_a), len(lines_b))
    return len(lines_a & lines_b) / shorter if shorter else 0.0


def merge(old: Post, new: Post) -> Post:
    lines = merge_lines(old.text.split("\n"), new.text.split("\n"))
    text = "\n".join(lines)
    channel = old.channel or new.channel
    message_id = old.message_id if old.message_id is not None else new.message_id
    key = old.key
    if channel and message_id is not None:
        key = post_key(channel, message_id, text)
    return replace(
        old,
        key=key,
        title=lines[0],
        text=text,
        channel=channel,
        message_id=message_id,
        url=old.url or new.url,
        date=old.date or new.date,
        forwarded_from=old.forwarded_from or new.forwarded_from,
        reply_to=old.reply_to or new.reply_to,
        media=unique([*old.media, *new.media]),
        hashtags=unique([*old.hashtags, *new.hashtags]),
        links=unique([*old.links, *new.links]),
    )
