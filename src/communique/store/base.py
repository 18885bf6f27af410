"""The Store protocol: everything the stages above ask of an archive.

It is deliberately small: reading and writing whole posts, the three look-ups that
identity matching needs (and their batch forms, ``stored_*``, which only say whether
there is anything to find), and the aggregate counts of ``stats``. Matching and
merging rules live above it (``communique.identity``), so a second implementation
only has to store and fetch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from communique.models import Channel, Person, Post, SourceRef, Version


@dataclass(slots=True)
class Stats:
    posts: int = 0
    channels: list[tuple[str, int]] = field(default_factory=list)  # (channel, posts)
    sources: list[tuple[str, int]] = field(default_factory=list)  # (file, posts)
    forwards: list[tuple[str, int]] = field(default_factory=list)  # (original channel, posts)
    hashtags: list[tuple[str, int]] = field(default_factory=list)
    media: list[tuple[str, int]] = field(default_factory=list)
    replies: int = 0
    first_date: str | None = None
    last_date: str | None = None


class Store(Protocol):
    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside commit together or not at all."""
        ...

    def get(self, key: str) -> Post | None:
        """The post with this key, or with this key among its former keys."""
        ...

    def get_many(self, keys: Iterable[str]) -> dict[str, Post]:
        """The posts with these (current) keys, in one read: key -> post; a key no
        post has now is left out (``get`` also follows former keys)."""
        ...

    def get_by_message(self, channel: str, message_id: int) -> Post | None: ...

    def find_by_title(self, title_key: str, *, anonymous_only: bool = False) -> list[Post]:
        """Posts whose title has this comparison form (``normalise.title_key``);
        with ``anonymous_only``, only those without a channel or message id."""
        ...

    def find_by_reply(self, reply_key: str, *, anonymous_only: bool = False) -> list[Post]:
        """Posts replying to a post whose preview has this comparison form."""
        ...

    def stored_messages(self, messages: Iterable[tuple[str, int]]) -> set[tuple[str, int]]:
        """Those of the (channel, message id) pairs that stored posts have; the
        look-ups of ``get_by_message`` for a batch of posts at once."""
        ...

    def stored_keys(self, keys: Iterable[str]) -> set[str]:
        """Those of ``keys`` that ``get`` finds."""
        ...

    def stored_titles(self, title_keys: Iterable[str], *, anonymous_only: bool = False) -> set[str]:
        """Those of ``title_keys`` for which ``find_by_title`` finds posts."""
        ...

    def stored_replies(
        self, reply_keys: Iterable[str], *, anonymous_only: bool = False
    ) -> set[str]:
        """Those of ``reply_keys`` for which ``find_by_reply`` finds posts."""
        ...

    def neighbour(self, path: str, line: int, *, before: bool) -> Post | None:
        """The post seen in file ``path`` just before (or after) ``line``."""
        ...

    def insert(self, post: Post) -> None:
        """Store a new post; its ``source`` is recorded as its first sighting. The
        write may wait for the end of the transaction or the next read, so that many
        posts are written at once."""
        ...

    def update(self, key: str, post: Post) -> None:
        """Replace the post stored under ``key``; a changed key keeps the old as alias."""
        ...

    def add_sighting(self, key: str, source: SourceRef) -> None:
        """Record one more place the post was seen (provenance)."""
        ...

    def add_version(self, key: str, title: str, text: str, source: SourceRef) -> None:
        """Keep a text the post had before an edit replaced it."""
        ...

    def versions(self, key: str) -> list[Version]: ...

    def person(self, name: str) -> tuple[Person, list[str]] | None:
        """A person by any spelling of the name: as first seen, and every spelling."""
        ...

    def undated_from(self, path: str) -> list[Post]:
        """The posts seen in file ``path`` that have no date, in file order."""
        ...

    def keys(self) -> list[str]:
        """Every post's key, in the order stored."""
        ...

    def put_channel(self, channel: Channel) -> None: ...

    def channel(self, username: str) -> Channel | None: ...

    def channels(self, *, followed_only: bool = False) -> list[Channel]: ...

    def follow(self, username: str, followed: bool = True) -> bool: ...

    def set_synced(self, username: str, last_id: int | None, at: str) -> None:
        """Record a sync: the newest id it stored (never lowered) and when."""
        ...

    def posts(self, *, include_service: bool = False) -> Iterator[Post]:
        """Every post, dated ones first in date order, then in the order stored."""
        ...

    def count(self) -> int: ...

    def stats(self, top: int = 10) -> Stats: ...

    def close(self) -> None: ...
