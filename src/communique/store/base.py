"""The Store protocol: everything the stages above ask of an archive.

It is deliberately small: reading and writing whole posts, the three look-ups that
identity matching needs, and the aggregate counts of ``stats``. Matching and merging
rules live above it (``communique.identity``), so a second implementation only has
to store and fetch.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from communique.models import Channel, Post


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

    def get_by_message(self, channel: str, message_id: int) -> Post | None: ...

    def find_by_title(self, title_key: str) -> list[Post]:
        """Posts whose title has this comparison form (``normalise.title_key``)."""
        ...

    def insert(self, post: Post) -> None: ...

    def update(self, key: str, post: Post) -> None:
        """Replace the post stored under ``key``; a changed key keeps the old as alias."""
        ...

    def put_channel(self, channel: Channel) -> None: ...

    def channels(self) -> list[Channel]: ...

    def posts(self) -> Iterator[Post]:
        """Every post, dated ones first in date order, then in the order stored."""
        ...

    def count(self) -> int: ...

    def stats(self, top: int = 10) -> Stats: ...

    def close(self) -> None: ...
