"""Atom feeds of searches: what a feed reader polls to hear of new posts.

    /feed.atom?q=Lavrov&country=VN     the newest web_feed_size posts of that search

Any search page's parameters make a feed (the text mode, newest first, whatever the
page's sort). Built with ElementTree, so every text is escaped; characters XML 1.0
forbids (control characters a scraper let through) are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from communique import __version__
from communique.models import Post
from communique.search import Query, search
from communique.web.params import config_of, search_query, store_of
from communique.web.templating import path_part, query_string

ATOM = "http://www.w3.org/2005/Atom"
SUMMARY_CHARS = 600
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

router = APIRouter(include_in_schema=False)


@router.get("/feed.atom")
def feed(request: Request, query: Annotated[Query, Depends(search_query)]) -> Response:
    store = store_of(request)
    query = replace(
        query, mode="text", sort="date", limit=config_of(request).feed_size, offset=0, facets=False
    )
    posts = [p for hit in search(store, query).hits if (p := store.get(hit.key)) is not None]
    base = str(request.base_url).rstrip("/")
    params = query_string(request)
    body = atom(
        posts,
        title=f"communique: {query.text or 'all posts'}",
        feed_url=f"{base}/feed.atom" + (f"?{params}" if params else ""),
        page_url=f"{base}/" + (f"?{params}" if params else ""),
        post_url=lambda post: f"{base}/posts/{path_part(post.key)}",
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def atom(
    posts: list[Post], *, title: str, feed_url: str, page_url: str, post_url: Callable[[Post], str]
) -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    _add(root, "id", feed_url)
    _add(root, "title", title)
    dated = [p.date for p in posts if p.date]
    _add(root, "updated", max(dated) if dated else datetime.now(UTC).isoformat(timespec="seconds"))
    _add(root, "link", rel="self", href=feed_url)
    _add(root, "link", rel="alternate", type="text/html", href=page_url)
    _add(root, "generator", "communique", version=__version__)
    _add(ET.SubElement(root, f"{{{ATOM}}}author"), "name", "communique")
    for post in posts:
        _entry(root, post, post_url(post))
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _entry(root: ET.Element, post: Post, url: str) -> None:
    entry = ET.SubElement(root, f"{{{ATOM}}}entry")
    _add(entry, "id", f"urn:communique:post:{path_part(post.key)}")
    _add(entry, "title", post.title or post.key)
    # An undated post (from a text dump) is dated by when the archive first saw it.
    seen = post.sources[0].first_seen if post.sources else None
    _add(entry, "updated", post.date or seen or datetime.now(UTC).isoformat(timespec="seconds"))
    if post.date:
        _add(entry, "published", post.date)
    _add(entry, "link", rel="alternate", type="text/html", href=url)
    if post.url and post.url.startswith("https://t.me/"):
        _add(entry, "link", rel="related", href=post.url)
    if post.channel:
        _add(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", post.channel)
    _add(entry, "category", term=post.kind)
    text = post.text if len(post.text) <= SUMMARY_CHARS else post.text[:SUMMARY_CHARS] + "…"
    _add(entry, "summary", text, type="text")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _xml(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _xml(text)
    return element


def _xml(text: str) -> str:
    return NOT_XML.sub("", text)
