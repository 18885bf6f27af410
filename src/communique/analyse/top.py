"""Rankings for a period: top speakers, kinds, hashtags, countries ...; channels compared."""

from __future__ import annotations

from typing import Any

from communique.analyse import ALL_TIME, Period, conn_of
from communique.errors import InputError
from communique.store.base import Store

# What can be ranked, and the SQL that counts it over posts p in the period.
FIELDS = {
    "speakers": "SELECT p.speaker, count(*) FROM posts p WHERE p.speaker IS NOT NULL AND {w} "
    "GROUP BY 1",
    "kinds": "SELECT p.kind, count(*) FROM posts p WHERE {w} GROUP BY 1",
    "channels": "SELECT p.channel, count(*) FROM posts p WHERE p.channel IS NOT NULL AND {w} "
    "GROUP BY 1",
    "hashtags": "SELECT j.value, count(*) FROM posts p, json_each(p.hashtags) j WHERE {w} "
    "GROUP BY 1",
    "countries": "SELECT j.value, count(*) FROM posts p, json_each(p.countries) j WHERE {w} "
    "GROUP BY 1",
    "organizations": "SELECT j.value, count(*) FROM posts p, json_each(p.organizations) j "
    "WHERE {w} GROUP BY 1",
    "people": "SELECT json_extract(j.value, '$.name'), count(*) FROM posts p, "
    "json_each(p.people) j WHERE {w} GROUP BY 1",
    "forwarded_from": "SELECT p.forwarded_from, count(*) FROM posts p WHERE "
    "p.forwarded_from IS NOT NULL AND {w} GROUP BY 1",
}


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
    when, params = period.sql()
    where = f"p.kind != 'service' AND {when}"
    if channel:
        where += " AND p.channel = ? COLLATE NOCASE"
        params = [*params, channel.lstrip("@")]
    sql = FIELDS[field].format(w=where) + " ORDER BY 2 DESC, 1 LIMIT ?"
    rows = conn_of(store).execute(sql, [*params, limit]).fetchall()
    return [(str(value), int(count)) for value, count in rows]


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
