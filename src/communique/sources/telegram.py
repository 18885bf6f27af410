"""Conventions of Telegram's public web that several sources meet.

The web preview shows counts rounded ("5.37K") and turns hashtags into channel
search links ("?q=%23Tag"); scrapers copy both as they are. One reading of each, so
that a post's views and hashtags come out the same whichever source saw it.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

COUNT = re.compile(r"^([0-9]{1,15})(?:\.([0-9]{1,9}))?([KMB]?)$", re.I)
COUNT_UNITS = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}
# Digit grouping and spaces a count may carry ("1 234", "1,234").
COUNT_NOISE = re.compile(r"[\s,\u00a0\u202f]")
TELEGRAM_HOSTS = frozenset({"", "t.me", "telegram.me"})


def parse_count(text: str | None) -> tuple[int, int] | None:
    """A shown count and the unit of its last digit: "5.37K" -> (5370, 10).

    None for text that is not a count, or one more precise than its unit allows
    ("1.2345K" would be a fraction of a view).
    """
    match = COUNT.match(COUNT_NOISE.sub("", text or ""))
    if match is None:
        return None
    whole, fraction, suffix = match.group(1), match.group(2) or "", match.group(3).upper()
    scale = 10 ** len(fraction)
    unit = COUNT_UNITS[suffix]
    if scale > unit:
        return None
    return int(whole + fraction) * (unit // scale), unit // scale


def hashtag_of(href: str) -> str | None:
    """The tag a channel-search link stands for ("?q=%23Tag" -> "Tag"), else None."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    if parts.netloc not in TELEGRAM_HOSTS:
        return None
    query = parse_qs(parts.query).get("q", [""])[0]
    tag = query[1:].strip() if query.startswith("#") else ""
    return tag or None
