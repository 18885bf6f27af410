"""Channels as a reader meets them: every channel with posts, and one channel's profile.

    channel_list(store)               [ChannelSummary], the most posts first
    channel_profile(store, "MFARussia")   description, volume per month, top kinds,
                                          speakers, hashtags, countries

A channel is known from the ``channels`` table (followed, synced, described by its
page) or only from its posts (a dump ingested with ``--channel``); both count.
Posts are counted by the ranking index when searches use it (``analyse.indexed``),
in SQL otherwise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from communique.analyse import conn_of
from communique.analyse.indexed import Index, ranked
from communique.analyse.timeline import Timeline, series, timeline
from communique.analyse.top import top
from communique.errors import NotFound
from communique.models import Channel
from communique.store.base import Store

TOP = 10


@dataclass(slots=True)
class ChannelSummary:
    channel: Channel
    posts: int
    first_date: str | None
    last_date: str | None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self.channel), "posts": self.posts, "first_date": self.first_date,
                "last_date": self.last_date}  # fmt: skip


@dataclass(slots=True)
class ChannelProfile:
    summary: ChannelSummary
    volume: Timeline  # posts per month
    tops: dict[str, list[tuple[str, int]]]  # kinds, speakers, hashtags, countries

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.summary.to_dict(),
            "volume": self.volume.to_dict(),
            "top": {
                name: [{"value": v, "count": n} for v, n in rows]
                for name, rows in self.tops.items()
            },
        }


def channel_list(store: Store) -> list[ChannelSummary]:
    index = ranked(store)
    if index is not None:
        counted = _indexed(store, index)
    else:
        rows = conn_of(store).execute(
            "SELECT channel, count(*), min(date), max(date) FROM posts "
            "WHERE kind != 'service' AND channel IS NOT NULL GROUP BY channel"
        )
        counted = {name.casefold(): (name, n, first, last) for name, n, first, last in rows}
    out = []
    for channel in store.channels():
        name, n, first, last = counted.pop(channel.username.casefold(), (None, 0, None, None))
        out.append(ChannelSummary(channel, n, first, last))
    for name, n, first, last in counted.values():
        out.append(ChannelSummary(Channel(username=name), n, first, last))
    return sorted(out, key=lambda s: (-s.posts, s.channel.username.casefold()))


def channel_summary(store: Store, name: str) -> ChannelSummary:
    username = name.strip().lstrip("@")
    index = ranked(store)
    if index is not None:
        stored, n, first, last = _indexed(store, index, username).get(
            username.casefold(), (None, 0, None, None)
        )
    else:
        n, first, last, stored = (
            conn_of(store)
            .execute(
                "SELECT count(*), min(date), max(date), min(channel) FROM posts "
                "WHERE kind != 'service' AND channel = ? COLLATE NOCASE",
                (username,),
            )
            .fetchone()
        )
    record = store.channel(username)
    if record is None and not n:
        raise NotFound(f"no channel {name!r} in the archive")
    return ChannelSummary(record or Channel(username=stored or username), int(n), first, last)


def channel_profile(store: Store, name: str) -> ChannelProfile:
    summary = channel_summary(store, name)
    username = summary.channel.username
    return ChannelProfile(
        summary=summary,
        volume=timeline(store, [series(f"channel:{username}")], interval="month"),
        tops={
            field: top(store, field, channel=username, limit=TOP)
            for field in ("kinds", "speakers", "hashtags", "countries")
        },
    )


Counted = tuple[str, int, str | None, str | None]  # name, posts, first date, last date


def _indexed(store: Store, index: Index, channel: str | None = None) -> dict[str, Counted]:
    """Channels by folded name, as the ranking index counts them: the name as most
    of its posts write it, posts, the dates of the first and the last."""
    chosen = index.select(channel=channel)
    names: dict[str, str] = {}
    for name, _ in index.terms(chosen, "channel"):  # the most posts first
        names.setdefault(name.casefold(), name)
    ends = index.extremes(chosen, "channel_key")
    wanted = sorted({i for pair in ends.values() for i in pair})
    marks = ", ".join("?" * len(wanted))
    dates = dict(
        conn_of(store).execute(f"SELECT id, date FROM posts WHERE id IN ({marks})", wanted)
    )
    out = {}
    for key, n in index.terms(chosen, "channel_key"):
        first, last = ends.get(key, (None, None))
        out[key] = (names.get(key, key), n, dates.get(first), dates.get(last))
    return out
