"""Telegram's public web preview (``t.me/s/CHANNEL``): saved pages and fetched HTML.

``read`` takes a page saved from a browser; ``parse_page`` takes HTML from anywhere
(the live sync feeds it fetched pages). The page is treated as hostile: odd or
truncated HTML never raises, a message without an identity becomes a ``Skipped``.

How a page maps onto records:

- channel header (``.tgme_channel_info*``, with the ``og:`` meta tags as fallback)
  -> ``Channel(username, title, description, subscribers)``; "1.2K subscribers"
  counts become 1200.
- every ``div.tgme_widget_message`` -> one ``RawPost``, in page order; an album
  (several media under one ``data-post``) is one post. Cascade for one message:

  1. identity: ``data-post="channel/ID"`` -> ``channel``, ``message_id``; without a
     usable one the message is ``Skipped``;
  2. date: the footer's ``time[datetime]`` -> ISO 8601 in UTC;
  3. text: the outermost ``.tgme_widget_message_text.js-message_text`` that is not
     inside a reply quote -> ``copies == [lines]`` (one copy; ``<br>`` and blocks
     break lines, whitespace collapses as a browser shows it, emoji kept, real
     ``<script>``/``<style>`` elements dropped). No text -> ``copies == []``;
  4. links in that text -> ``links`` (absolute, each once, in order; only http,
     https, tg and mailto); search links ``?q=%23Tag`` -> ``hashtags`` ("Tag");
  5. ``.tgme_widget_message_forwarded_from`` -> ``forwarded_from`` (display name)
     and ``forwarded_url`` (when the name is a link);
  6. ``.tgme_widget_message_reply`` -> ``ReplyTo(channel, text, message_id)``;
  7. media -> ``media``: each kind once, in order of first appearance (an album of
     two photos and a video is ``["photo", "video"]``), from the table
     ``MEDIA_CLASSES``; a ``.message_media_not_supported_label`` adds its widget
     kind from ``boilerplate.WIDGETS`` ("too_big", "needs_app", "unsupported").
     "unsupported" is dropped when the post shows a real media kind: Telegram puts
     that label, hidden, beside every video, round video and sticker as a fallback
     for browsers that cannot play them, so it says nothing about the post;
  8. ``.tgme_widget_message_link_preview`` -> ``LinkPreview``;
  9. footer: views ("5.37K") -> ``views`` 5370 and ``views_rounding`` 10 (the unit
     of the last shown digit); "edited" -> ``edited``;
     ``.tgme_widget_message_from_author`` -> ``author``;
  10. ``service_message`` class -> ``kind="service"`` and ``service`` from
      ``SERVICE_ACTIONS`` ("other" when no pattern knows the text). The class, not
      the text, decides: a post whose text reads "Channel video changed" is a post.

Pagination (``Page``): the smallest and largest message ids, the "load older/newer"
links' ``data-before``/``data-after``, and whether the page says "No posts found".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from communique.boilerplate import WIDGETS
from communique.errors import MalformedInput
from communique.models import Channel, LinkPreview, RawPost, ReplyTo, Skipped, SourceRef
from communique.sources.telegram import hashtag_of, parse_count
from communique.sources.textfile import read_text

NAME = "html"

# A page is parsed whole, in memory. A t.me/s page is a few hundred kB, and one
# saved after scrolling through ten thousand posts stays under 100 MB; anything
# far larger is not a saved page (and the HTML parser is slow on pathological
# nesting), so it is refused rather than loaded.
MAX_PAGE_BYTES = 256 * 1024**2

# -- Markers and selectors -------------------------------------------------------

# The markers must sit in a class attribute, so a CSV or JSON file that merely
# quotes such HTML (with escaped quotes) is not taken for a page.
SNIFF_MARKERS = re.compile(
    r'class="[^"]*\b(?:tgme_widget_message|tgme_channel_info|tme_no_messages_found)\b'
)
HTML_SUFFIXES = frozenset({".html", ".htm"})
LOOSE_MARKERS = ("tgme_widget_message", "tgme_channel_info", "tme_no_messages_found")

MESSAGE = "div.tgme_widget_message"
NO_POSTS = ".tme_no_messages_found"
MORE_BEFORE = ".tme_messages_more[data-before]"
MORE_AFTER = ".tme_messages_more[data-after]"

TEXT = ".tgme_widget_message_text.js-message_text"
DATE = ".tgme_widget_message_date time[datetime]"
ANY_DATE = "time[datetime]"
VIEWS = ".tgme_widget_message_views"
META = ".tgme_widget_message_meta"
AUTHOR = ".tgme_widget_message_from_author"
FORWARDED = ".tgme_widget_message_forwarded_from"
FORWARDED_NAME = ".tgme_widget_message_forwarded_from_name"
REPLY = ".tgme_widget_message_reply"
REPLY_NAME = ".tgme_widget_message_author_name"
# Telegram has drawn the reply preview under both classes over the years.
REPLY_TEXT = ".js-message_reply_text, .tgme_widget_message_metatext"
LINK_PREVIEW = ".tgme_widget_message_link_preview"
PREVIEW_PARTS = {
    "site": ".link_preview_site_name",
    "title": ".link_preview_title",
    "description": ".link_preview_description",
}
DOCUMENT_ICON = ".tgme_widget_message_document_icon"

# Parts of a message that quote other content: nothing in them is the post's own.
FOREIGN_CLASSES = frozenset({"tgme_widget_message_reply", "tgme_widget_message_link_preview"})
# A service message names its actor with a link to the channel itself: not content.
NON_CONTENT_LINK_CLASSES = frozenset({"tgme_widget_message_author_name"})
LINK_SCHEMES = frozenset({"http", "https", "tg", "mailto"})

HEADER = (
    ".tgme_channel_info, .tgme_channel_info_header, .tgme_channel_info_header_title,"
    " .tgme_channel_info_header_username, .tgme_channel_info_counters"
)
HEADER_TITLE = ".tgme_channel_info_header_title"
HEADER_USERNAME = ".tgme_channel_info_header_username"
HEADER_DESCRIPTION = ".tgme_channel_info_description"
HEADER_COUNTER = ".tgme_channel_info_counter"
META_TITLE = 'meta[property="og:title"]'
META_DESCRIPTION = 'meta[property="og:description"]'
SUBSCRIBER_TYPES = ("subscriber", "member")

# -- Media -------------------------------------------------------------------------

MEDIA_CLASSES: dict[str, str] = {
    "tgme_widget_message_photo_wrap": "photo",
    "tgme_widget_message_video_player": "video",
    "tgme_widget_message_roundvideo_player": "round_video",
    "tgme_widget_message_voice_player": "voice",
    "tgme_widget_message_document_wrap": "document",  # "audio" when its icon says so
    "tgme_widget_message_sticker_wrap": "sticker",
    "tgme_widget_message_poll": "poll",
    "tgme_widget_message_location_wrap": "location",
}
NOT_SUPPORTED_LABEL = "message_media_not_supported_label"
REAL_MEDIA = frozenset({*MEDIA_CLASSES.values(), "audio"})
UNSUPPORTED = "unsupported"

# -- Service messages --------------------------------------------------------------

# Tried in order against the service text; the anchored renames come before
# "pinned" so that a title that contains the word is not taken for a pin.
SERVICE_ACTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^channel created$", re.I), "channel_created"),
    (re.compile(r"^channel (?:name was changed|renamed) to\b", re.I), "title_changed"),
    (re.compile(r"^channel photo (?:updated|changed)\b", re.I), "photo_changed"),
    (re.compile(r"^channel video (?:updated|changed)\b", re.I), "video_changed"),
    (re.compile(r"\bpinned\b", re.I), "pinned"),
)
SERVICE_OTHER = "other"

# -- Text --------------------------------------------------------------------------

BLOCK_TAGS = frozenset(
    {"div", "p", "blockquote", "pre", "li", "ul", "ol", "table", "tr", "h1", "h2", "h3"}
)
DROPPED_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})
# HTML whitespace collapses as a browser shows it; U+00A0 is content and stays.
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# Older pages draw an emoji as an empty <i class="emoji"> whose image name is the
# emoji's UTF-8 bytes in hex.
EMOJI_IMAGE = re.compile(r"/emoji/\d+/([0-9A-Fa-f]+)\.png")

# Numbers are ASCII digits of bounded length: a hostile page must not make int()
# choke on a 5000-digit "id" (Python refuses to convert more than 4300 digits).
DATA_POST = re.compile(r"^([A-Za-z0-9_]+)/([0-9]{1,18})$")
POST_URL = re.compile(r"^https?://t\.me/(?:s/)?([A-Za-z0-9_]+)/([0-9]{1,18})")
PAGE_ID = re.compile(r"[0-9]{1,18}")
EDITED = re.compile(r"\bedited\b", re.I)


@dataclass(slots=True)
class Page:
    """What one web preview page holds, and what paging on from it needs."""

    channel: Channel | None
    posts: list[RawPost] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    no_posts: bool = False  # the page says "No posts found"
    before: int | None = None  # data-before of the "load older posts" link
    after: int | None = None  # data-after of the "load newer posts" link

    @property
    def oldest_id(self) -> int | None:
        ids = [p.message_id for p in self.posts if p.message_id is not None]
        return min(ids) if ids else None

    @property
    def newest_id(self) -> int | None:
        ids = [p.message_id for p in self.posts if p.message_id is not None]
        return max(ids) if ids else None

    @property
    def recognised(self) -> bool:
        """Whether this is a web preview page at all (even an empty one)."""
        return bool(self.posts or self.skipped or self.channel or self.no_posts)


# -- The source interface ----------------------------------------------------------


def sniff(path: Path, head: str) -> bool:
    if SNIFF_MARKERS.search(head):
        return True
    return path.suffix.lower() in HTML_SUFFIXES and any(m in head for m in LOOSE_MARKERS)


def read(path: Path, *, channel: str | None = None) -> Iterator[RawPost | Skipped | Channel]:
    """The saved page's channel header, then its posts in page order, then skips.

    ``channel`` is accepted for the common source signature and not needed: every
    message names its channel in its ``data-post``.
    """
    page = parse_page(read_text(path, max_bytes=MAX_PAGE_BYTES), path=str(path))
    if not page.recognised:
        raise MalformedInput("not a Telegram web preview page", path=str(path))
    if page.channel is not None:
        yield page.channel
    yield from page.posts
    yield from page.skipped


def parse_page(html: str, *, path: str | None = None) -> Page:
    tree = LexborHTMLParser(html)
    source = SourceRef(kind="html", path=path)
    page = Page(channel=None, no_posts=tree.css_first(NO_POSTS) is not None)
    for node in tree.css(MESSAGE):
        item = parse_message(node, source)
        if isinstance(item, Skipped):
            page.skipped.append(item)
        else:
            page.posts.append(item)
    page.channel = parse_channel(tree, page.posts)
    page.before = _int_attr(tree.css_first(MORE_BEFORE), "data-before")
    page.after = _int_attr(tree.css_first(MORE_AFTER), "data-after")
    return page


# -- One message -------------------------------------------------------------------


def parse_message(node: LexborNode, source: SourceRef) -> RawPost | Skipped:
    """One ``div.tgme_widget_message`` as a post, or why it cannot be one."""
    data_post = (node.attributes.get("data-post") or "").strip()
    match = DATA_POST.match(data_post)
    if match is None:
        if not data_post:
            return Skipped(reason="message without data-post", source=source)
        return Skipped(reason=f"message with unusable data-post {data_post!r}", source=source)
    channel, message_id = match.group(1), int(match.group(2))
    text = _own_first(node, TEXT)
    links, hashtags = _links(text, channel) if text is not None else ([], [])
    lines = text_lines(text) if text is not None else []
    post = RawPost(
        copies=[lines] if lines else [],
        source=source,
        channel=channel,
        message_id=message_id,
        date=_date(node),
        reply_to=_reply(node),
        media=media_kinds(node),
        links=links,
        hashtags=hashtags,
        link_preview=_link_preview(node),
        author=_text_of(_own_first(node, AUTHOR)),
        edited=_edited(node),
    )
    post.forwarded_from, post.forwarded_url = _forwarded(node, channel)
    views = parse_count(_text_of(_own_first(node, VIEWS)))
    if views is not None:
        post.views, post.views_rounding = views
    if "service_message" in _classes(node):
        post.kind = "service"
        post.service = service_action(" ".join(lines))
    return post


def _date(node: LexborNode) -> str | None:
    time = _own_first(node, DATE) or _own_first(node, ANY_DATE)
    return iso_utc(time.attributes.get("datetime") if time is not None else None)


def iso_utc(value: str | None) -> str | None:
    """An ISO 8601 timestamp in UTC, or None for a missing or broken one.

    A timestamp without an offset is taken as UTC: t.me writes offsets, and UTC is
    the only zone a naive one could sensibly mean.
    """
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    except (ValueError, OverflowError):  # OverflowError: "0001-01-01T00:00+05:00"
        return None


def _edited(node: LexborNode) -> bool:
    meta = _own_first(node, META)
    if meta is None:
        return False
    # Only the meta's own words: an author signed "edited" must not count.
    own = (c.text_content or "" for c in meta.iter(include_text=True) if c.tag == "-text")
    return any(EDITED.search(t) for t in own)


def _forwarded(node: LexborNode, channel: str) -> tuple[str | None, str | None]:
    box = _own_first(node, FORWARDED)
    if box is None:
        return None, None
    name = box.css_first(FORWARDED_NAME)
    if name is None:
        # No name element: the box reads "Forwarded from NAME".
        text = _text_of(box) or ""
        return text.removeprefix("Forwarded from").strip() or None, None
    href = name.attributes.get("href") if name.tag == "a" else None
    return _text_of(name), _absolute(href, channel)


def _reply(node: LexborNode) -> ReplyTo | None:
    box = node.css_first(REPLY)
    if box is None:
        return None
    text_node = box.css_first(REPLY_TEXT)
    text = " ".join(text_lines(text_node)).strip() if text_node is not None else ""
    match = POST_URL.match(box.attributes.get("href") or "")
    return ReplyTo(
        channel=_text_of(box.css_first(REPLY_NAME)),
        text=text or None,
        message_id=int(match.group(2)) if match else None,
    )


def _link_preview(node: LexborNode) -> LinkPreview | None:
    box = node.css_first(LINK_PREVIEW)
    if box is None:
        return None
    parts: dict[str, str | None] = {}
    for name, selector in PREVIEW_PARTS.items():
        part = box.css_first(selector)
        lines = text_lines(part) if part is not None else []
        parts[name] = "\n".join(lines) or None
    url = box.attributes.get("href")
    return LinkPreview(url=url.strip() if url else None, **parts)


def media_kinds(node: LexborNode) -> list[str]:
    """The kinds of media the message shows, each once, in order of appearance."""
    kinds: list[str] = []
    for element in _elements(node, prune=_is_foreign):
        kind = _media_kind(element)
        if kind is not None and kind not in kinds:
            kinds.append(kind)
    if UNSUPPORTED in kinds and REAL_MEDIA.intersection(kinds):
        kinds.remove(UNSUPPORTED)
    return kinds


def _media_kind(element: LexborNode) -> str | None:
    classes = _classes(element)
    if NOT_SUPPORTED_LABEL in classes:
        widget = WIDGETS.get(_text_of(element) or "")
        return widget.media if widget is not None else UNSUPPORTED
    for cls, kind in MEDIA_CLASSES.items():
        if cls in classes:
            if kind == "document" and "audio" in _classes(element.css_first(DOCUMENT_ICON)):
                return "audio"
            return kind
    return None


def service_action(text: str) -> str:
    """The normalised action a service message's text reports."""
    text = text.strip()
    for pattern, action in SERVICE_ACTIONS:
        if pattern.search(text):
            return action
    return SERVICE_OTHER


# -- Links -------------------------------------------------------------------------


def _links(text: LexborNode, channel: str) -> tuple[list[str], list[str]]:
    links: list[str] = []
    hashtags: list[str] = []
    for anchor in text.css("a[href]"):
        if NON_CONTENT_LINK_CLASSES & _classes(anchor):
            continue
        href = anchor.attributes.get("href") or ""
        tag = hashtag_of(href)
        if tag is not None:
            _append_once(hashtags, tag)
            continue
        url = _absolute(href, channel)
        if url is not None:
            _append_once(links, url)
    return links, hashtags


def _absolute(href: str | None, channel: str) -> str | None:
    """``href`` as an absolute URL, relative to the channel's page; None if unsafe."""
    if not href or not href.strip():
        return None
    try:
        url = urljoin(f"https://t.me/s/{channel}", href.strip())
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in LINK_SCHEMES else None


def _append_once(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)


# -- Channel header ----------------------------------------------------------------


def parse_channel(tree: LexborHTMLParser, posts: list[RawPost]) -> Channel | None:
    """The channel the header describes; None when the page has no header."""
    if tree.css_first(HEADER) is None:
        return None
    username = _username(tree) or next((p.channel for p in posts if p.channel), None)
    if username is None:
        return None
    return Channel(
        username=username,
        title=_text_of(tree.css_first(HEADER_TITLE)) or _meta(tree, META_TITLE),
        description=_description(tree),
        subscribers=_subscribers(tree),
    )


def _username(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first(HEADER_USERNAME)
    text = (_text_of(node) or "").lstrip("@").strip()
    if not text and node is not None:
        link = node.css_first("a[href]")
        text = urlsplit(link.attributes.get("href") or "").path.strip("/") if link else ""
    return text or None


def _description(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first(HEADER_DESCRIPTION)
    if node is not None:
        return "\n".join(text_lines(node)) or None
    return _meta(tree, META_DESCRIPTION)


def _subscribers(tree: LexborHTMLParser) -> int | None:
    for counter in tree.css(HEADER_COUNTER):
        kind = _text_of(counter.css_first(".counter_type")) or ""
        if kind.lower().startswith(SUBSCRIBER_TYPES):
            count = parse_count(_text_of(counter.css_first(".counter_value")))
            return count[0] if count else None
    return None


def _meta(tree: LexborHTMLParser, selector: str) -> str | None:
    node = tree.css_first(selector)
    content = (node.attributes.get("content") or "") if node is not None else ""
    return HTML_SPACE.sub(" ", content).strip() or None


# -- Counts ------------------------------------------------------------------------


# -- Text --------------------------------------------------------------------------


def text_lines(root: LexborNode) -> list[str]:
    """The lines a browser shows for ``root``: breaks at ``<br>`` and blocks.

    Walks with an explicit stack, so deeply nested hostile HTML cannot exhaust
    Python's recursion limit. Blank lines inside are kept; blank lines at the ends
    and spaces at line ends are not.
    """
    lines = [""]
    block_end = None  # marker pushed to close a block element
    stack: list[LexborNode | None] = list(reversed(list(root.iter(include_text=True))))
    while stack:
        node = stack.pop()
        if node is block_end:
            _break(lines)
            continue
        tag = node.tag
        if tag == "-text":
            lines[-1] += HTML_SPACE.sub(" ", node.text_content or "")
        elif tag == "br":
            lines.append("")
        elif tag in DROPPED_TAGS or tag is None or tag.startswith("-"):
            continue
        elif tag == "img":
            lines[-1] += node.attributes.get("alt") or ""
        elif "emoji" in _classes(node) and not node.text(deep=True).strip():
            lines[-1] += _emoji_from_image(node)
        else:
            if tag in BLOCK_TAGS:
                _break(lines)
                stack.append(block_end)
            stack.extend(reversed(list(node.iter(include_text=True))))
    return _trim_blank([line.strip(" ") for line in lines])


def _break(lines: list[str]) -> None:
    if lines[-1].strip():
        lines.append("")


def _trim_blank(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]


def _emoji_from_image(node: LexborNode) -> str:
    match = EMOJI_IMAGE.search(node.attributes.get("style") or "")
    if match is None or len(match.group(1)) % 2:
        return ""
    return bytes.fromhex(match.group(1)).decode("utf-8", errors="ignore")


# -- Small helpers -----------------------------------------------------------------


def _classes(node: LexborNode | None) -> set[str]:
    if node is None:
        return set()
    return set((node.attributes.get("class") or "").split())


def _text_of(node: LexborNode | None) -> str | None:
    """A node's text on one line, or None when it has none."""
    if node is None:
        return None
    return " ".join(text_lines(node)).strip() or None


def _is_foreign(node: LexborNode) -> bool:
    return bool(FOREIGN_CLASSES & _classes(node))


def _elements(root: LexborNode, *, prune: Callable[[LexborNode], bool]) -> Iterable[LexborNode]:
    """Descendant elements in document order, skipping pruned subtrees."""
    stack = list(reversed(list(root.iter())))
    while stack:
        node = stack.pop()
        if prune(node):
            continue
        yield node
        stack.extend(reversed(list(node.iter())))


def _own_first(message: LexborNode, selector: str) -> LexborNode | None:
    """The first match that belongs to the message itself, not to a quote in it."""
    for node in message.css(selector):
        if not _inside_foreign(node, message):
            return node
    return None


def _inside_foreign(node: LexborNode, stop: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent != stop:
        if _is_foreign(parent):
            return True
        parent = parent.parent
    return False


def _int_attr(node: LexborNode | None, name: str) -> int | None:
    value = (node.attributes.get(name) or "").strip() if node is not None else ""
    return int(value) if PAGE_ID.fullmatch(value) else None
