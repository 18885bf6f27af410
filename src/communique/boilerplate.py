"""Boilerplate of Telegram's web preview, kept as data.

Widget texts are not a post's words: they mark media or content the preview could
not show. Each maps to the media kind it signals and to where it stands relative to
the post's text in a plain-text dump of the preview: the media widgets stand before
the text (Telegram draws media above the caption), the "open Telegram" notice after
it. The seed dumps show both: "This media is not supported" follows a forward
header and precedes the text; "Please open Telegram to view this post" follows the
last line of the post it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(slots=True, frozen=True)
class Widget:
    media: str
    position: Literal["before", "after"]


WIDGETS: dict[str, Widget] = {
    "This media is not supported in your browser": Widget("unsupported", "before"),
    "Media is too big": Widget("too_big", "before"),
    "Please open Telegram to view this post": Widget("needs_app", "after"),
}

# Media kinds that only say "something the preview could not show". Once a source
# names the real kind (the page's video player, an export's media_type), they go.
PLACEHOLDER_MEDIA = frozenset({"unsupported"})

# The link under every widget; it carries nothing of its own.
VIEW_IN_TELEGRAM = "VIEW IN TELEGRAM"

# The header a forwarded post opens with, in front of the original channel's name.
FORWARDED_PREFIX = "Forwarded from "

# A reply shows the replied-to channel's name on one line and a one-line preview of
# the replied post on the next, cut with an ellipsis. Channel names are short.
REPLY_PREVIEW_ENDINGS = ("…", "...")
MAX_CHANNEL_NAME_CHARS = 64

# Labels that are the post's own words and stay in its text (listed so that nobody
# mistakes them for boilerplate): link labels and the author's cut marker.
OWN_LABELS = frozenset(
    {
        "Read in full",
        "📺 Watch the news conference in full",
        "Listen to the interview",
        "<...>",
        "<…>",
    }
)
