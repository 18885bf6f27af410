"""Counts read from the ranking index instead of the posts table.

At a million posts the posts table is 5 GB, and counting posts per month, kind,
speaker or country by reading it takes seconds. The ranking index
(``communique.textindex``) keeps every field those counts need as a fast field
(channel, kind, speaker, month, the entity index's values, a timestamp) and
counts them in milliseconds, so the analyses ask it first:

    ranked(store)                        an ``Index``, or None: searches use FTS5
    index.select(period=, channel=, ...) the posts a count is over (a tantivy query)
    index.count(selection)               how many posts
    index.ids(selection)                 the selected posts' ids
    index.terms(selection, field)        [(value, posts)], most first, ties by value
    index.buckets(selection, interval)   {day, Monday or month: posts}
    index.extremes(selection, field)     {value: (first post id, last post id)}

Counts are exact (every term of the field is counted, not a top-k estimate) and
agree with the SQL the analyses fall back to: service messages are not indexed,
as the SQL leaves them out; a period is whole days of the posts' own dates, which
are stored in UTC, so the index's timestamps give the same days.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import tantivy

from communique import textindex, textquery
from communique.analyse import Period
from communique.query import parse
from communique.search import engine
from communique.store.base import Store
from communique.textquery import Filters

# The BM25 weight of a title in a text series: as search ranks (unused in counts,
# but to_query wants one).
TITLE_BOOST = 5.0
DAY_US = 86_400_000_000
# 1970-01-01 was a Thursday: weeks named by their Monday start 4 days later.
MONDAY_US = 4 * DAY_US
INTERVAL_US = {"day": DAY_US, "week": 7 * DAY_US}


class TooManyBuckets(Exception):
    """A histogram over a span too long for the index's bucket limit (dates
    decades apart, by day): the caller counts in SQL instead."""


@dataclass(slots=True)
class Index:
    searcher: tantivy.Searcher
    schema: tantivy.Schema

    def select(
        self,
        *,
        period: Period | None = None,
        channel: str | None = None,
        kind: str | None = None,
        entity: tuple[str, str] | None = None,  # (type, value) as post_entities keeps it
        text: str | None = None,  # search syntax
        forwarded: bool | None = None,
    ) -> tantivy.Query:
        """The posts that meet every condition given (no condition: every post)."""
        words = None
        if text is not None:
            words = textquery.to_query(parse(text), self.schema, TITLE_BOOST)
        since = until = None
        if period is not None and period.since:
            since = period.since[:10] + "T00:00:00+00:00"
        if period is not None and period.until:
            until = period.until[:10] + "T23:59:59.999999+00:00"
        filters = Filters(
            channel=[channel] if channel else [],
            kind=[kind] if kind else [],
            since=since,
            until=until,
            entities={entity[0]: [entity[1]]} if entity else {},
            has_media=None,
            forwarded=forwarded,
        )
        return textquery.with_filters(words, filters, self.schema)

    def both(self, a: tantivy.Query, b: tantivy.Query) -> tantivy.Query:
        Occur = tantivy.Occur
        return tantivy.Query.boolean_query([(Occur.Must, a), (Occur.Must, b)])

    def either(self, queries: list[tantivy.Query]) -> tantivy.Query:
        if len(queries) == 1:
            return queries[0]
        return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in queries])

    def term(self, field: str, value: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field, value)

    def count(self, selection: tantivy.Query) -> int:
        return int(getattr(self.searcher.search(selection, 1, count=True), "count", 0) or 0)

    def ids(self, selection: tantivy.Query) -> list[int]:
        """The ids of the selected posts, in no order."""
        total = self.count(selection)
        if not total:
            return []
        found = self.searcher.search(selection, total, count=False)
        values = self.searcher.fast_field_values("id", [address for _, address in found.hits])
        return [int(v) for v in values if v is not None]

    def terms(
        self, selection: tantivy.Query, field: str, limit: int | None = None
    ) -> list[tuple[str, int]]:
        """Each value of ``field`` in the selected posts with how many posts have it,
        most first, ties by value; values no selected post has are left out."""
        rows = self.searcher.terms_with_prefix(field, "", filter_query=selection, limit=limit)
        return [(str(value), int(n)) for value, n in rows if n and value != ""]

    def buckets(self, selection: tantivy.Query, interval: str) -> dict[str, int]:
        """Posts per day, week (named by its Monday) or month; undated posts are
        not counted."""
        if interval == "month":
            return dict(self.terms(selection, "month"))
        spec = {"h": {"histogram": {"field": "ts", "interval": INTERVAL_US[interval],
                                    "offset": MONDAY_US if interval == "week" else 0,
                                    "min_doc_count": 1}}}  # fmt: skip
        try:
            found = self.searcher.aggregate(selection, spec)
        except ValueError as exc:  # over the index's bucket limit
            raise TooManyBuckets(str(exc)) from None
        return {
            _day(int(b["key"])): int(b["doc_count"])
            for b in found.get("h", {}).get("buckets", [])
            if b["doc_count"]
        }

    def extremes(self, selection: tantivy.Query, field: str) -> dict[str, tuple[int, int]]:
        """For each value of ``field``: the ids of its first and last dated posts."""
        hit = {"size": 1, "docvalue_fields": ["id"]}
        spec = {"v": {"terms": {"field": field, "size": 65_000}, "aggs": {
            "first": {"top_hits": {**hit, "sort": [{"ts": "asc"}]}},
            "last": {"top_hits": {**hit, "sort": [{"ts": "desc"}]}},
        }}}  # fmt: skip
        dated = self.both(selection, tantivy.Query.exists_query("ts"))
        out = {}
        for b in self.searcher.aggregate(dated, spec).get("v", {}).get("buckets", []):
            first, last = (
                b[end]["hits"][0]["docvalue_fields"]["id"][0] for end in ("first", "last")
            )
            out[str(b["key"])] = (int(first), int(last))
        return out


def ranked(store: Store) -> Index | None:
    """The archive's ranking index, brought up to date; None when searches use FTS5
    (setting search_engine), so analyses count in SQL as searches do."""
    if engine() != "tantivy":
        return None
    conn = getattr(store, "conn", None)
    if not isinstance(conn, sqlite3.Connection):
        return None
    with textindex.translated():
        searcher, handle = textindex.open_index(conn, str(getattr(store, "path", ":memory:")))
    return Index(searcher, handle.schema)


def _day(microseconds: int) -> str:
    return (EPOCH + timedelta(microseconds=microseconds)).date().isoformat()


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
