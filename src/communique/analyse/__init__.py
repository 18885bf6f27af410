"""Analysis over the archive: each a library function, a CLI command and an export.

    timeline     posts per day / week / month for several series (queries, entities)
    graphs       the contact graph (who met, called or consulted whom, from the
                 extracted events) and the co-mention network of countries and
                 organisations
    top          top speakers, kinds, hashtags, countries ... for a period; channels
                 compared side by side

They read the SQLite store's tables (posts, post_entities) with SQL, through the
store's connection, at this one boundary (``conn_of``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from communique.errors import StoreError
from communique.store.base import Store


@dataclass(slots=True, frozen=True)
class Period:
    """Posts dated from ``since`` to ``until`` (ISO dates, inclusive); None: open."""

    since: str | None = None
    until: str | None = None

    def sql(self, column: str = "p.date") -> tuple[str, list[str]]:
        parts, params = [], []
        if self.since:
            parts.append(f"{column} >= ?")
            params.append(self.since[:10])
        if self.until:
            parts.append(f"substr({column}, 1, 10) <= ?")
            params.append(self.until[:10])
            after = _next_day(self.until)
            if after:  # the same bound, in a form an index on the column can use
                parts.append(f"{column} < ?")
                params.append(after)
        return (" AND ".join(parts) or "1"), params


def _next_day(value: str) -> str | None:
    try:
        return (date.fromisoformat(value[:10]) + timedelta(days=1)).isoformat()
    except (ValueError, OverflowError):
        return None


ALL_TIME = Period()


def conn_of(store: Store) -> sqlite3.Connection:
    conn = getattr(store, "conn", None)
    if not isinstance(conn, sqlite3.Connection):
        raise StoreError("analysis needs the SQLite store")
    return conn
