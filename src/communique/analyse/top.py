"""Rankings for a period: top speakers, kinds, hashtags, countries ...; channels compared.

Hashtags and people are ranked as the entity index keeps them, so that a count is
what a filter on it finds: a hashtag whatever its case (shown as a post writes it),
a person under every spelling of the name (shown as first seen). Channels are
ranked whatever the case of their name, as the archive compares them.

The ranking index counts when searches use it (``analyse.indexed``); the SQL below
counts the same posts otherwise. Who posts are forwarded from is not indexed: the
index finds the forwarded posts, SQL reads their origin.
"""

from __future__ import annotations

import json
from typing import Any

from communique.analyse import ALL_TIME, Period, conn_of
from communique.analyse.indexed import Index, ranked
from communique.errors import InputError
from communique.store.base import Store

# What can be ranked, and the SQL that counts it over posts p in the period.
FIELDS = {
    "speakers": "SELECT p.speaker, count(*) FROM posts p WHERE p.speaker IS NOT NULL AND {w} "
    "GROUP BY 1",
    "kinds": "SELECT p.kind, count(*) FROM posts p WHERE {w} GROUP BY 1",
    "channels": "SELECT p.channel, count(*) FROM posts p WHERE p.channel IS NOT NULL AND {w} "
    "GROUP BY 1",
    "hashtags": "SELECT e.value, count(*) FROM posts p JOIN post_entities e ON e.post_id = p.id "
    "AND e.type = 'hashtag' WHERE {w} GROUP BY 1",
    "countries": "SELECT j.value, count(*) FROM posts p, json_each(p.countries) j WHERE {w} "
    "GROUP BY 1",
    "organizations": "SELECT j.value, count(*) FROM posts p, json_each(p.organizations) j "
    "WHERE {w} GROUP BY 1",
    "people": "SELECT e.value, count(*) FROM posts p JOIN post_entities e ON e.post_id = p.id "
    "AND e.type = 'person' WHERE {w} GROUP BY 1",
    "forwarded_from": "SELECT p.forwarded_from, count(*) FROM posts p WHERE "
    "p.forwarded_from IS NOT NULL AND {w} GROUP BY 1",
}
# The ranking index's field for each ranking.
INDEX_FIELDS = {"speakers": "speaker", "kinds": "kind", "channels": "channel_key",
                "hashtags": "hashtag", "countries": "country", "organizations": "org",
                "people": "person"}  # fmt: skip


def top(
    store: Store,
    field: str,
    *,
    period: Period = ALL_TIME,
    channel: str | None = None,
    limit: int = 10,
) -> list[tuple[str, int]]:
    if field not in FIELDS:
        raise InputError(f"cannot rank {field!r}; choose from {', '.join(FIELDS)}")
    index = ranked(store)
    if index is not None and field == "forwarded_from":
        rows = _forwarded(store, index, period, channel, limit)
    elif index is not None:
        rows = _indexed(index, field, period, channel, limit)
    else:
        rows = _counted(store, field, period, channel, limit)
    return _named(store, field, rows, index, period, channel)


def _counted(
    store: Store, field: str, period: Period, channel: str | None, limit: int
) -> list[tuple[str, int]]:
    when, params = period.sql()
    where = f"p.kind != 'service' AND {when}"
    if channel:
        where += " AND p.channel = ? COLLATE NOCASE"
        params = [*params, channel.lstrip("@")]
    sql = FIELDS[field].format(w=where) + " ORDER BY 2 DESC, 1 LIMIT ?"
    rows = conn_of(store).execute(sql, [*params, limit]).fetchall()
    return [(str(value), int(count)) for value, count in rows]


def _indexed(
    index: Index, field: str, period: Period, channel: str | None, limit: int
) -> list[tuple[str, int]]:
    chosen = index.select(period=period, channel=channel.lstrip("@") if channel else None)
    return index.terms(chosen, INDEX_FIELDS[field], limit=limit)


def _forwarded(
    store: Store, index: Index, period: Period, channel: str | None, limit: int
) -> list[tuple[str, int]]:
    """Who forwarded posts come from: the index finds them, SQL reads whom from."""
    chosen = index.select(period=period, channel=channel.lstrip("@") if channel else None,
                          forwarded=True)  # fmt: skip
    ids = index.ids(chosen)
    if not ids:
        return []
    sql = (
        "SELECT p.forwarded_from, count(*) FROM posts p WHERE p.id IN (SELECT value FROM "
        "json_each(?)) AND p.forwarded_from IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?"
    )
    rows = conn_of(store).execute(sql, (json.dumps(ids), limit)).fetchall()
    return [(str(value), int(count)) for value, count in rows]


def _named(
    store: Store,
    field: str,
    rows: list[tuple[str, int]],
    index: Index | None,
    period: Period,
    channel: str | None,
) -> list[tuple[str, int]]:
    """The values as a reader knows them: channel names and hashtags as posts write
    them, people by the name first seen (values as the index keeps them otherwise)."""
    if field == "people":
        return [(name, n) for (_, n), name in zip(rows, _people(store, rows), strict=True)]
    if field == "hashtags":
        return [(_hashtag(store, tag), n) for tag, n in rows]
    if field == "channels" and index is not None:
        chosen = index.select(period=period, channel=channel.lstrip("@") if channel else None)
        spelt: dict[str, str] = {}
        for name, _ in index.terms(chosen, "channel"):  # the most posts first
            spelt.setdefault(name.casefold(), name)
        return [(spelt.get(key, key), n) for key, n in rows]
    return rows


def _people(store: Store, rows: list[tuple[str, int]]) -> list[str]:
    keys = [key for key, _ in rows]
    marks = ", ".join("?" * len(keys))
    names = dict(
        conn_of(store).execute(f"SELECT key, name FROM people WHERE key IN ({marks})", keys)
    )
    return [names.get(key, key) for key in keys]


def _hashtag(store: Store, tag: str) -> str:
    """A hashtag as its latest post writes it (the entity index keeps it folded)."""
    row = (
        conn_of(store)
        .execute(
            "SELECT j.value FROM posts p, json_each(p.hashtags) j WHERE p.id = (SELECT "
            "max(post_id) FROM post_entities WHERE type = 'hashtag' AND value = ?)",
            (tag,),
        )
        .fetchall()
    )
    return next((str(v) for (v,) in row if str(v).casefold() == tag), tag)


def compare(
    store: Store, channels: list[str], *, period: Period = ALL_TIME, limit: int = 5
) -> dict[str, dict[str, Any]]:
    """Channels side by side: posts, and their top kinds, countries and hashtags."""
    out: dict[str, dict[str, Any]] = {}
    for channel in channels:
        kinds = top(store, "kinds", period=period, channel=channel, limit=100)
        out[channel] = {
            "posts": sum(n for _, n in kinds),
            "kinds": kinds[:limit],
            "countries": top(store, "countries", period=period, channel=channel, limit=limit),
            "hashtags": top(store, "hashtags", period=period, channel=channel, limit=limit),
            "speakers": top(store, "speakers", period=period, channel=channel, limit=limit),
        }
    return out
