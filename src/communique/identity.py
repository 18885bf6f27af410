"""Identity: whether a post is already in the archive, and how two sightings merge.

Finding the stored post a new one is (``find``), in this order:

1. the same channel and message id;
2. the same key (the same text from the same channel: a re-ingest);
3. a candidate with the same title, or replying to the same preview, that is
   ``same_message``: a compatible channel (the same, or either unknown), no
   conflicting message id, and either most of the shorter text's lines in the other
   (``SAME_POST_OVERLAP``), or one of the two without text (a row whose text a
   scraper lost) replying to the same preview;
4. when only a reply preview links them (one side has no text), or several
   candidates qualify, message order decides: the one candidate that fits between
   the message ids of its neighbours in the file it came from (dumps and exports
   list posts in message order). Ingest defers such posts to the end of their file,
   when all neighbours are stored. No single fit: a new post.

Merging two sightings (``merge``) keeps the earlier key and source and fills what
it lacked (id, date, channel, headers, views). Which text wins depends on the
fidelity of the source kinds (``TEXT_FIDELITY``): a cleaner rendering replaces a
noisier one; of two equally faithful ones, texts that only drop lines (``LOSSY``
kinds: the two copies of a dump) are united, and otherwise the later sighting is an
edit: it becomes the text and the earlier one goes into the edit history.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from communique.models import Post, ReplyTo
from communique.normalise import clean_media, line_key, merge_lines, post_key, title_key, unique
from communique.store.base import Store

SAME_POST_OVERLAP = 0.6
# How faithful each kind of source is to the text as published. A web page and an
# export carry the text itself; a dump is clean text with lines possibly dropped;
# other scrapers' CSV/JSONL move spaces around links and emoji and lose replies.
TEXT_FIDELITY = {"html": 3, "web": 3, "tdesktop": 3, "dump": 2, "csv": 1, "jsonl": 1}
# Kinds whose renderings of one text differ only by dropped lines.
LOSSY = frozenset({"dump"})
# How far to walk along a file looking for a neighbour with a message id.
NEIGHBOUR_STEPS = 20


class Outcome(Enum):
    NEW = "new"
    MERGED = "merged"
    UNCHANGED = "unchanged"
    DEFERRED = "deferred"  # to be saved again once the rest of its file is stored


def save(
    store: Store,
    post: Post,
    *,
    defer: bool = False,
    annotate: Callable[[Post], Post] | None = None,
    new: bool = False,
) -> Outcome:
    """Store ``post``: insert it, merge it into its earlier sighting, or do nothing.

    With ``defer``, a post whose match only message order can decide (rule 4) is
    not saved but returned as DEFERRED: the caller saves it again, without
    ``defer``, after the rest of its file, when its neighbours are known.
    ``annotate`` (the extractor) runs on a new post, and on a merged one whose
    content changed, so the stored structure always describes the stored text.
    ``new`` says that the caller knows (``unseen``) that ``find`` finds nothing.
    """
    existing, certain = (None, True) if new else find(store, post)
    if not certain and defer:
        return Outcome.DEFERRED
    if existing is None:
        if annotate is not None:
            post = annotate(post)
        store.insert(post)  # records its source as the first sighting
        return Outcome.NEW
    merged, edited = merge(existing, post)
    if annotate is not None and _content(merged) != _content(existing):
        merged = annotate(merged)
    if edited:
        store.add_version(existing.key, existing.title, existing.text, existing.source)
    outcome = Outcome.UNCHANGED
    if merged != existing:
        store.update(existing.key, merged)
        outcome = Outcome.MERGED
    store.add_sighting(merged.key, post.source)
    return outcome


def unseen(store: Store, posts: Sequence[Post]) -> list[bool]:
    """For each post of a batch, whether ``find`` surely finds nothing for it: no
    stored post, and no post before it in the batch, has its channel and message id
    or its key (rules 1-2), its title or its reply preview (rule 3's candidates). A
    post this leaves in doubt goes through ``find``. Most posts of a new file are
    new: six queries a batch spare them several a post.

    The answer holds while the batch's posts are only inserted: once one is merged,
    the stored post may have taken on the id, key or title of a later one.
    """
    identified = [_message(p) is not None for p in posts]
    titles = [title_key(p.title) if p.title else "" for p in posts]
    replies = [line_key(p.reply_to.text) if p.reply_to and p.reply_to.text else "" for p in posts]
    anonymous = [i for i, known in enumerate(identified) if not known]
    messages = store.stored_messages(m for p in posts if (m := _message(p)) is not None)
    keys = store.stored_keys(posts[i].key for i in anonymous)
    stored = _Seen(
        titles=store.stored_titles({t for t in titles if t}, anonymous_only=True),
        replies=store.stored_replies({r for r in replies if r}, anonymous_only=True),
        any_titles=store.stored_titles({titles[i] for i in anonymous if titles[i]}),
        any_replies=store.stored_replies({replies[i] for i in anonymous if replies[i]}),
    )
    batch = _Seen()  # the batch's posts before this one
    fresh = []
    for post, known, title, reply in zip(posts, identified, titles, replies, strict=True):
        # Rule 3 looks for a post with channel and id among those without them only.
        if known:
            found = _message(post) in messages or stored.has(title, reply, anonymous_only=True)
        else:
            found = post.key in keys or stored.has(title, reply)
        # (An identified post's key is its channel and id: normalise.post_key.)
        found = found or post.key in batch.keys or batch.has(title, reply, anonymous_only=known)
        fresh.append(not found)
        batch.add(post.key, title, reply, anonymous=not known)
    return fresh


def _message(post: Post) -> tuple[str, int] | None:
    """The post's channel and message id, if it has both (rule 1)."""
    if post.channel and post.message_id is not None:
        return post.channel, post.message_id
    return None


@dataclass(slots=True)
class _Seen:
    """Keys, titles and reply previews of posts; of those without channel or id apart."""

    titles: set[str] = field(default_factory=set)  # of posts without channel or id
    replies: set[str] = field(default_factory=set)
    any_titles: set[str] = field(default_factory=set)  # of all posts
    any_replies: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)

    def has(self, title: str, reply: str, *, anonymous_only: bool = False) -> bool:
        """Whether a post with this title or reply preview is among them; with
        ``anonymous_only``, among those without channel or id."""
        titles, replies = (
            (self.titles, self.replies) if anonymous_only else (self.any_titles, self.any_replies)
        )
        return bool(title and title in titles or reply and reply in replies)

    def add(self, key: str, title: str, reply: str, *, anonymous: bool) -> None:
        self.keys.add(key)
        for seen, value in ((self.any_titles, title), (self.any_replies, reply)):
            if value:
                seen.add(value)
        if anonymous:
            for seen, value in ((self.titles, title), (self.replies, reply)):
                if value:
                    seen.add(value)


def _content(post: Post) -> tuple[object, ...]:
    """What the extractor reads: when it changes, the structure is found again."""
    return (post.text, post.date, post.forwarded_from, post.reply_to, post.channel)


def find(store: Store, post: Post) -> tuple[Post | None, bool]:
    """The stored post ``post`` is, if any, and whether rules 1-3 decided it."""
    identified = bool(post.channel) and post.message_id is not None
    if identified:
        found = store.get_by_message(post.channel or "", post.message_id or 0)
        if found is not None:
            return found, True
    else:  # an identified post's key is its channel and id: rule 1 looked already
        found = store.get(post.key)
        if found is not None:
            return found, True
    matches = [c for c in _candidates(store, post) if same_message(c, post)]
    if not matches:
        return None, True
    if len(matches) == 1 and matches[0].text and post.text:
        return matches[0], True
    # Only the reply preview, or several candidates: message order decides.
    return _by_neighbours(store, post, matches), False


def _candidates(store: Store, post: Post) -> list[Post]:
    # A post with channel and id that rule 1 did not match can only be a sighting
    # of a post stored without them: the store leaves the others out (on a big
    # archive, thousands of posts can share a title such as "#LIVE").
    anonymous = bool(post.channel) and post.message_id is not None
    found: dict[str, Post] = {}
    if post.title:
        titled = store.find_by_title(title_key(post.title), anonymous_only=anonymous)
        found.update((p.key, p) for p in titled)
    if post.reply_to and post.reply_to.text:
        replies = store.find_by_reply(line_key(post.reply_to.text), anonymous_only=anonymous)
        found.update((p.key, p) for p in replies)
    return list(found.values())


def same_message(a: Post, b: Post) -> bool:
    if a.channel and b.channel and a.channel.lower() != b.channel.lower():
        return False
    if a.message_id is not None and b.message_id is not None and a.message_id != b.message_id:
        return False
    if not a.text or not b.text:
        return _same_reply(a.reply_to, b.reply_to)
    return overlap(a.text, b.text) >= SAME_POST_OVERLAP


def _same_reply(a: ReplyTo | None, b: ReplyTo | None) -> bool:
    return bool(a and b and a.text and b.text and line_key(a.text) == line_key(b.text))


def overlap(a: str, b: str) -> float:
    """Share of the shorter text's distinct lines that the other text has too."""
    lines_a = {line_key(x) for x in a.split("\n")}
    lines_b = {line_key(x) for x in b.split("\n")}
    shorter = min(len(lines_a), len(lines_b))
    return len(lines_a & lines_b) / shorter if shorter else 0.0


def _by_neighbours(store: Store, post: Post, matches: list[Post]) -> Post | None:
    """Rule 4: the one candidate whose place in message order fits, if exactly one."""
    if post.message_id is not None:
        n = post.message_id
        fits = [c for c in matches if c.message_id is None and _between(_ids_around(store, c), n)]
    else:
        around = _ids_around(store, post)
        fits = [c for c in matches if c.message_id is not None and _between(around, c.message_id)]
    return fits[0] if len(fits) == 1 else None


def _between(bounds: tuple[int | None, int | None], n: int) -> bool:
    low, high = bounds
    if low is None and high is None:
        return False  # nothing known of its place: no evidence either way
    return (low is None or low < n) and (high is None or n < high)


def _ids_around(store: Store, post: Post) -> tuple[int | None, int | None]:
    """The nearest message ids before and after ``post`` in the file it came from."""
    src = post.source
    if src.path is None or src.lines is None:
        return None, None
    return (
        _walk(store, src.path, src.lines[0], before=True),
        _walk(store, src.path, src.lines[1], before=False),
    )


def _walk(store: Store, path: str, line: int, *, before: bool) -> int | None:
    for _ in range(NEIGHBOUR_STEPS):
        found = store.neighbour(path, line, before=before)
        if found is None:
            return None
        if found.message_id is not None:
            return found.message_id
        place = next((s.lines for s in found.sources if s.path == path and s.lines), None)
        if place is None:
            return None
        line = place[0] if before else place[1]
    return None


def merge(old: Post, new: Post) -> tuple[Post, bool]:
    """The merged post, and whether the new sighting is an edit of the old text."""
    text, text_kind, edited = _merge_text(old, new)
    lines = text.split("\n") if text else []
    channel = old.channel or new.channel
    message_id = old.message_id if old.message_id is not None else new.message_id
    identified = bool(channel) and message_id is not None
    views, rounding = _views(old, new)
    merged = replace(
        old,
        key=post_key(channel, message_id, text) if identified else old.key,
        title=lines[0] if lines else "",
        text=text,
        text_kind=text_kind,
        channel=channel,
        message_id=message_id,
        url=old.url or new.url or (f"https://t.me/{channel}/{message_id}" if identified else None),
        date=old.date or new.date,
        forwarded_from=old.forwarded_from or new.forwarded_from,
        forwarded_url=old.forwarded_url or new.forwarded_url,
        reply_to=_merge_reply(old.reply_to, new.reply_to),
        media=clean_media([*old.media, *new.media]),
        hashtags=unique([*old.hashtags, *new.hashtags]),
        links=unique([*old.links, *new.links]),
        views=views,
        views_rounding=rounding,
        edited=old.edited or new.edited or edited,
        author=old.author or new.author,
        link_preview=old.link_preview or new.link_preview,
    )
    return merged, edited


def _merge_text(old: Post, new: Post) -> tuple[str, str | None, bool]:
    """(text, the kind it came from, whether it is an edit of the old text)."""
    if not new.text or new.text == old.text:
        return old.text, old.text_kind, False
    if not old.text:
        return new.text, new.text_kind, False
    rank_old = TEXT_FIDELITY.get(old.text_kind or "", 0)
    rank_new = TEXT_FIDELITY.get(new.text_kind or "", 0)
    if rank_new != rank_old:
        return (
            (new.text, new.text_kind, False)
            if rank_new > rank_old
            else (old.text, old.text_kind, False)
        )
    if old.text_kind in LOSSY and new.text_kind in LOSSY:
        merged = "\n".join(merge_lines(old.text.split("\n"), new.text.split("\n")))
        return merged, old.text_kind, False
    if [line_key(x) for x in old.text.split("\n")] == [line_key(x) for x in new.text.split("\n")]:
        return old.text, old.text_kind, False  # the same words, spaced differently
    return new.text, new.text_kind, True


def _merge_reply(old: ReplyTo | None, new: ReplyTo | None) -> ReplyTo | None:
    if old is None or new is None:
        return old or new
    return ReplyTo(
        channel=old.channel or new.channel,
        text=old.text or new.text,
        message_id=old.message_id if old.message_id is not None else new.message_id,
    )


def _views(old: Post, new: Post) -> tuple[int | None, int | None]:
    """Views only grow: the higher count, with the rounding it was shown with."""
    if new.views is None or (old.views is not None and old.views >= new.views):
        return old.views, old.views_rounding
    return new.views, new.views_rounding
