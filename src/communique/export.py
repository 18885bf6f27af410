"""Exports: the archive's posts as JSONL or CSV, in the fixed export contract.

JSONL has one object per post, exactly ``Post.to_dict()`` (docs/export.md). CSV has
one column per top-level field in the same order; lists and objects are written as
JSON in their cell, so that every value survives a round trip unambiguously.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any, TextIO

from communique.models import Post
from communique.search import MAX_LIMIT, Query, search
from communique.store.base import Store

FORMATS = ("jsonl", "csv")
FIELDS = (
    "key", "channel", "message_id", "url", "date", "title", "text", "forwarded_from",
    "reply_to", "media", "hashtags", "links", "source", "kind", "service", "views",
    "views_rounding", "edited", "author", "forwarded_url", "link_preview", "sources",
    "speaker", "event_date", "place", "countries", "organizations", "people", "events",
    "language", "extractor",
)  # fmt: skip


def write(posts: Iterable[Post], out: TextIO, format: str = "jsonl") -> int:
    """Write ``posts`` to ``out``; return how many were written."""
    if format == "jsonl":
        return write_jsonl(posts, out)
    if format == "csv":
        return write_csv(posts, out)
    raise ValueError(f"unknown export format {format!r}")


def search_posts(store: Store, query: Query, limit: int) -> tuple[int, Iterator[Post]]:
    """How many posts a search finds, and the first ``limit`` of them in its order
    (from ``query.offset`` on), read a page at a time, each page's posts in one read."""
    first = search(store, replace(query, limit=min(limit, MAX_LIMIT), facets=False))

    def posts() -> Iterator[Post]:
        page, offset, left = first, query.offset, limit
        while page.hits and left > 0:
            hits = page.hits[:left]
            found = store.get_many(hit.key for hit in hits)
            for hit in hits:
                post = found.get(hit.key) or store.get(hit.key)
                if post is not None:
                    yield post
            left -= len(page.hits)
            offset += len(page.hits)
            if left > 0:
                page = search(store, replace(query, offset=offset, limit=min(left, MAX_LIMIT),
                                             facets=False))  # fmt: skip

    return first.total, posts()


def write_jsonl(posts: Iterable[Post], out: TextIO) -> int:
    count = 0
    for post in posts:
        out.write(json.dumps(post.to_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(posts: Iterable[Post], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for post in posts:
        writer.writerow({name: _cell(value) for name, value in post.to_dict().items()})
        count += 1
    return count


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value
