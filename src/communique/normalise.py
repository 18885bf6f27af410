"""Normalise: one faithful Post out of a RawPost.

1. Clean each line: Unicode NFC, no line-break or trailing space, no zero-width
   junk; empty lines and widget texts dropped (they are not the post's words).
2. Merge the copies into one text: the union of their lines, in the post's order
   (``merge_lines``). Lines both copies have appear once.
3. Take the title (first line), the hashtags (``#Tag``, in order of first
   appearance, no repeats, without "#") and the links (http/https URLs in the text,
   then the links the source knew of, no repeats).
4. Give the post its key (``post_key``): ``channel/message_id`` when both are
   known, else a fingerprint of its channel and normalised text.

Fingerprints compare text loosely (``line_key``): case, width and spacing
variants of the same line are one line, so that two sources' renderings of a post
can be matched (``communique.identity``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from communique.boilerplate import PLACEHOLDER_MEDIA, VIEW_IN_TELEGRAM, WIDGETS
from communique.models import Post, RawPost, Skipped

# Telegram makes a hashtag of "#" and word characters with at least one letter
# ("#1" is not a hashtag); "#" inside a word or URL ("page#top") is not one either.
HASHTAG_RE = re.compile(r"(?<![\w/&#])#(\w*[^\W\d_]\w*)")
# The same without the look-behind, which keeps the regex engine from jumping to
# each "#" (it tried every character: a third of normalise's time); ``hashtags``
# checks the character before.
HASHTAG_AT_RE = re.compile(r"#(\w*[^\W\d_]\w*)")
NOT_BEFORE_HASHTAG = re.compile(r"[\w/&#]")
URL_RE = re.compile(r"https?://[^\s<>\"'«»“”]+", re.IGNORECASE)
# Punctuation that ends a sentence after a URL rather than belonging to it.
URL_TRAILING = ".,;:!?)]}…"
# Invisible characters scrapers leave behind; they only break comparisons.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
SPACES_RE = re.compile(r"\s+")
NON_WORD_RE = re.compile(r"[\W_]+")
# Two lines this alike, at the same place in two copies, are one line rendered twice.
SAME_LINE_RATIO = 0.9
KEY_HASH_CHARS = 16


def normalise(raw: RawPost) -> Post | Skipped:
    lines = merge_lines(*[clean_lines(copy) for copy in raw.copies])
    identified = bool(raw.channel) and raw.message_id is not None
    if not lines and not identified:
        return Skipped(reason="no text, and no channel and message id", source=raw.source)
    # A post known by its id is kept without text (a photo, a sticker, or a row whose
    # text a scraper lost): another source may bring the text later.
    text = "\n".join(lines)
    url = f"https://t.me/{raw.channel}/{raw.message_id}" if identified else None
    return Post(
        key=post_key(raw.channel, raw.message_id, text),
        title=lines[0] if lines else "",
        text=text,
        source=raw.source,
        channel=raw.channel,
        message_id=raw.message_id,
        url=url,
        date=raw.date,
        forwarded_from=raw.forwarded_from,
        reply_to=raw.reply_to,
        media=clean_media(raw.media),
        hashtags=unique([*raw.hashtags, *hashtags(text)]),
        links=unique([*links(text), *raw.links]),
        kind=raw.kind,
        service=raw.service,
        views=raw.views,
        views_rounding=raw.views_rounding,
        edited=raw.edited,
        author=raw.author,
        forwarded_url=raw.forwarded_url,
        link_preview=raw.link_preview,
        text_kind=raw.source.kind if lines else None,
    )


def clean_media(media: Iterable[str]) -> list[str]:
    """Media kinds once each; a placeholder goes when the real kind is known."""
    kinds = unique(media)
    if any(kind not in PLACEHOLDER_MEDIA for kind in kinds):
        kinds = [kind for kind in kinds if kind not in PLACEHOLDER_MEDIA]
    return kinds


def clean_lines(lines: Iterable[str]) -> list[str]:
    lines = list(lines)
    text = "\n".join(lines)
    if text.count("\n") != len(lines) - 1:  # a line holding a line break: one by one
        return [line for line in (_clean_line(x) for x in lines) if line]
    # The lines at once: NFC never joins characters across a line break, and one
    # call and one regex scan cost a fraction of one a line.
    text = unicodedata.normalize("NFC", text)
    if any(c in text for c in INVISIBLE):  # str's search beats a regex scan tenfold
        text = INVISIBLE_RE.sub("", text)
    return [line for line in (_kept(x.rstrip()) for x in text.split("\n")) if line]


def _clean_line(line: str) -> str:
    return _kept(INVISIBLE_RE.sub("", unicodedata.normalize("NFC", line)).rstrip())


def _kept(line: str) -> str:
    """The line, or "" when it is blank or a widget's text (not the post's words)."""
    return "" if line in WIDGETS or line == VIEW_IN_TELEGRAM or not line.strip() else line


def merge_lines(*copies: Sequence[str]) -> list[str]:
    """The union of the copies' lines, in order: each line once where copies agree."""
    if not copies:
        return []
    merged = list(copies[0])
    for other in copies[1:]:
        merged = _union(merged, list(other))
    return merged


def _union(a: list[str], b: list[str]) -> list[str]:
    out: list[str] = []
    matcher = SequenceMatcher(
        None, [line_key(x) for x in a], [line_key(y) for y in b], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            # Lines with the same words: keep the fuller rendering (an emoji, a space).
            out.extend(max(x, y, key=len) for x, y in zip(a[i1:i2], b[j1:j2], strict=True))
        elif tag == "delete":
            out.extend(a[i1:i2])
        elif tag == "insert":
            out.extend(b[j1:j2])
        else:
            out.extend(_union_replaced(a[i1:i2], b[j1:j2]))
    return out


def _union_replaced(a: list[str], b: list[str]) -> list[str]:
    """Lines the copies disagree on at one place: keep each line once.

    A line of ``b`` that is a near-identical rendering of one of ``a`` (an emoji or
    a space lost) replaces it if fuller; the rest of ``b`` follows ``a``'s lines.
    """
    out = list(a)
    extra = []
    paired: set[int] = set()
    for line in b:
        match = next((i for i, x in enumerate(a) if i not in paired and _alike(x, line)), None)
        if match is None:
            extra.append(line)
            continue
        paired.add(match)
        if len(line) > len(out[match]):
            out[match] = line
    return out + extra


def _alike(x: str, y: str) -> bool:
    return SequenceMatcher(None, x, y, autojunk=False).ratio() >= SAME_LINE_RATIO


def line_key(line: str) -> str:
    """A line's comparison form: its letters and digits, compatibility-normalised and
    case-folded. Scrapers move spaces and punctuation around ("Zakharova :", "e
    xpressed", a non-breaking space) and drop emoji; the words stay. A line with no
    letters or digits ("<...>", "🔴 🔴") keeps its folded characters instead."""
    folded = unicodedata.normalize("NFKC", INVISIBLE_RE.sub("", line)).casefold()
    words = NON_WORD_RE.sub("", folded)
    return words or SPACES_RE.sub(" ", folded).strip()


@lru_cache(maxsize=4096)
def title_key(title: str) -> str:
    # Cached: ingest asks twice a post (identity.unseen, then the store's row).
    return line_key(title)


def hashtags(text: str) -> list[str]:
    """What ``HASHTAG_RE`` finds, in order, once each."""
    if "#" not in text:
        return []
    found = []
    for match in HASHTAG_AT_RE.finditer(text):
        at = match.start()
        # A match holds no "#" after its first character, so a refused one hides none.
        if not at or not NOT_BEFORE_HASHTAG.match(text, at - 1):
            found.append(match.group(1))
    return unique(found)


def links(text: str) -> list[str]:
    if "://" not in text:  # in every match of URL_RE; most posts have no link
        return []
    return unique(m.group(0).rstrip(URL_TRAILING) for m in URL_RE.finditer(text))


def post_key(channel: str | None, message_id: int | None, text: str) -> str:
    """``channel/id`` when known (as in t.me links, lower-cased), else a fingerprint."""
    if channel and message_id is not None:
        return f"{channel.lower()}/{message_id}"
    return "h" + fingerprint(channel, text)


def fingerprint(channel: str | None, text: str) -> str:
    body = "\n".join(line_key(line) for line in text.split("\n"))
    data = f"{(channel or '').lower()}\x00{body}".encode()
    return hashlib.blake2b(data, digest_size=KEY_HASH_CHARS // 2).hexdigest()


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))
