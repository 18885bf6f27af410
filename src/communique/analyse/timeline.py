"""Timelines: how many posts match each series, per day, week or month.

A series is a query ("Lavrov NOT Blinken", search syntax) or an entity written
``TYPE:VALUE``: ``country:VN`` (or a country name), ``org:NATO``, ``person:Sergey
Lavrov``, ``speaker:Maria Zakharova``, ``hashtag:RussiaChina``, ``kind:meeting``,
``channel:MFARussia``. Buckets run without gaps from the first to the last post of
the period that any series counts; undated posts cannot be placed and are left out.

A series says which posts it counts twice: as SQL over the posts (``condition``) and
as the ranking index selects them (``scope``, keywords of ``indexed.Index.select``),
which counts them in milliseconds where SQL reads every matching post. The index
counts when searches use it (setting search_engine) and the series has a scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from communique.analyse import ALL_TIME, Period, conn_of
from communique.analyse.indexed import TooManyBuckets, ranked
from communique.errors import InputError
from communique.names import person_key
from communique.query import to_fts
from communique.search import country_code
from communique.store.base import Store

Interval = Literal["day", "week", "month"]
# The bucket a post's date falls in; a week is named by its Monday.
BUCKET_SQL = {
    "day": "substr(p.date, 1, 10)",
    "week": "date(substr(p.date, 1, 10), '-6 days', 'weekday 1')",
    "month": "substr(p.date, 1, 7)",
}
ENTITY_TYPES = {"country": "country", "org": "organization", "person": "person",
                "speaker": "speaker", "hashtag": "hashtag"}  # fmt: skip


@dataclass(slots=True, frozen=True)
class Series:
    label: str
    condition: str  # SQL on posts p (and posts_fts when ``fts``)
    params: tuple[Any, ...]
    fts: bool = False
    # The same posts for the ranking index (Index.select's keywords); None: SQL only.
    scope: tuple[tuple[str, Any], ...] | None = None


@dataclass(slots=True)
class Timeline:
    interval: str
    buckets: list[str]
    counts: dict[str, list[int]]  # series label -> count per bucket

    def rows(self) -> list[tuple[str, str, int]]:
        """(bucket, series, count): the long form, for CSV."""
        return [(b, label, values[i]) for label, values in self.counts.items()
                for i, b in enumerate(self.buckets)]  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {"interval": self.interval, "buckets": self.buckets, "series": self.counts}


def series(spec: str) -> Series:
    """A series from its command-line form (see the module docstring)."""
    kind, sep, value = spec.partition(":")
    kind, value = kind.strip().lower(), value.strip()
    if sep and kind in ENTITY_TYPES and value:
        condition, params = _entity(ENTITY_TYPES[kind], value)
        return Series(spec, condition, params, scope=(("entity", params),))
    if sep and kind == "kind" and value:
        return Series(spec, "p.kind = ?", (value.lower(),), scope=(("kind", value.lower()),))
    if sep and kind == "channel" and value:
        name = value.lstrip("@")
        return Series(spec, "p.channel = ? COLLATE NOCASE", (name,), scope=(("channel", name),))
    return Series(spec, "posts_fts MATCH ?", (to_fts(spec),), fts=True, scope=(("text", spec),))


def every_post(label: str = "posts") -> Series:
    """A series of every post (the digest's posts per day)."""
    return Series(label, "1", (), scope=())


def _entity(kind: str, value: str) -> tuple[str, tuple[str, str]]:
    if kind == "country":
        value = country_code(value)
    elif kind in ("person", "speaker"):
        value = person_key(value)
    elif kind == "organization":
        value = value.upper()
    else:
        value = value.lstrip("#").casefold()
    sql = "p.id IN (SELECT post_id FROM post_entities WHERE type = ? AND value = ?)"
    return sql, (kind, value)


def timeline(
    store: Store, specs: list[Series], *, interval: Interval = "month", period: Period = ALL_TIME
) -> Timeline:
    if not specs:
        raise InputError("a timeline needs at least one series")
    if interval not in BUCKET_SQL:
        raise InputError(f"interval must be day, week or month, not {interval!r}")
    index = ranked(store) if any(s.scope is not None for s in specs) else None
    found: dict[str, dict[str, int]] = {}
    for s in specs:
        counts = None
        if index is not None and s.scope is not None:
            try:
                counts = index.buckets(index.select(period=period, **dict(s.scope)), interval)
            except TooManyBuckets:
                pass
        found[s.label] = _counted(store, s, interval, period) if counts is None else counts
    buckets = _buckets(interval, [b for counts in found.values() for b in counts])
    return Timeline(
        interval=interval,
        buckets=buckets,
        counts={label: [c.get(b, 0) for b in buckets] for label, c in found.items()},
    )


def _counted(store: Store, s: Series, interval: str, period: Period) -> dict[str, int]:
    """The series' posts per bucket, counted in SQL."""
    when, when_params = period.sql()
    source = "posts_fts JOIN posts p ON p.id = posts_fts.rowid" if s.fts else "posts p"
    sql = (f"SELECT {BUCKET_SQL[interval]}, count(*) FROM {source} WHERE {s.condition} "
           f"AND p.date IS NOT NULL AND p.kind != 'service' AND {when} GROUP BY 1")  # fmt: skip
    return dict(conn_of(store).execute(sql, [*s.params, *when_params]).fetchall())


def _buckets(interval: str, seen: list[str]) -> list[str]:
    """Every bucket from the first to the last seen, so charts show quiet periods."""
    if not seen:
        return []
    first, last = min(seen), max(seen)
    if interval == "month":
        out, (y, m) = [], (int(first[:4]), int(first[5:7]))
        while f"{y:04d}-{m:02d}" <= last:
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    step = timedelta(days=7 if interval == "week" else 1)
    day, end, out = date.fromisoformat(first), date.fromisoformat(last), []
    while day <= end:
        out.append(day.isoformat())
        day += step
    return out
