"""Contact events, read from the posts once and kept while the archive is unchanged.

The contact graph folds the meetings, calls, consultations, visits and negotiations
the extractor stored in ``posts.events``. Reading them means reading most of the
posts table: 5 s or more at a million posts, paid again by every graph, every
filter change and every digest (which compares a period with all before it).
So they are read once per state of the archive, in the order the graph folds them
(by post date), and kept in a compact form until a post is written.

    contact_events(store, period)   [ContactEvent] by post date, those of the period
    first_contacts(store)   {(country, country): the day they were first in contact}

A state is named by the archive's id and the sequence of its change log
(``search_queue``, schema v6: every write to a post moves it), read in the same
read transaction as the events. A store inside a write transaction reads afresh
and keeps nothing: what it sees may yet be rolled back. One state per archive is
kept, for the last few archives used (about 60 bytes a post at 1M posts).
"""

from __future__ import annotations

import json
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from communique.analyse import ALL_TIME, Period, conn_of
from communique.names import person_key
from communique.store.base import Store

# The event types that are contacts between sides (docs/structure.md).
CONTACT_TYPES = ("meeting", "phone_call", "consultations", "visit", "negotiations")
EVENTS_SQL = (
    "SELECT p.events, p.date FROM posts p WHERE p.events != '[]' AND p.kind != 'service' "
    "ORDER BY p.date"
)


@dataclass(slots=True, frozen=True)
class ContactEvent:
    type: str
    when: str | None  # the event's date, else its post's day; None: neither is known
    countries: tuple[str, ...]  # sorted, each once
    people: tuple[str, ...]  # the participants' person keys, sorted, each once
    names: tuple[tuple[str, str], ...]  # (key, name) of each participant, as listed


@dataclass(slots=True)
class _Kept:
    state: tuple[Any, ...]
    events: list[ContactEvent]
    firsts: dict[tuple[str, str], str] | None = None
    by_day: tuple[list[int], list[str]] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


_KEPT: dict[str, _Kept] = {}  # by archive path, the one used last at the end
KEEP = 4  # archives
_LOCKS: dict[str, threading.Lock] = {}  # one reader of each archive at a time
_LOCKS_LOCK = threading.Lock()


def contact_events(store: Store, period: Period = ALL_TIME) -> Sequence[ContactEvent]:
    """The contact events with a side, in the order of their posts' dates; with a
    period, those known to fall in it (do not change the list: it is shared)."""
    kept = _kept(store)
    if period.since is None and period.until is None:
        return kept.events
    with kept.lock:
        if kept.by_day is None:  # positions in the order of the events' days
            dated = [i for i, e in enumerate(kept.events) if e.when is not None]
            dated.sort(key=lambda i: kept.events[i].when or "")
            kept.by_day = (dated, [kept.events[i].when or "" for i in dated])
    positions, days = kept.by_day
    first = bisect_left(days, period.since[:10]) if period.since else 0
    last = bisect_right(days, period.until[:10]) if period.until else len(days)
    return [kept.events[i] for i in sorted(positions[first:last])]


def first_contacts(store: Store) -> dict[tuple[str, str], str]:
    """Each pair of countries (in code order) that was ever in contact, with the day
    of their first dated contact of any type."""
    kept = _kept(store)
    with kept.lock:
        if kept.firsts is None:
            firsts: dict[tuple[str, str], str] = {}
            for event in kept.events:
                if event.when is None:
                    continue
                for pair in combinations(event.countries, 2):
                    if pair not in firsts or event.when < firsts[pair]:
                        firsts[pair] = event.when
            kept.firsts = firsts
        return kept.firsts


def _kept(store: Store) -> _Kept:
    conn = conn_of(store)
    if conn.in_transaction:  # uncommitted writes may be rolled back: keep nothing
        return _Kept((), read_events(store))
    path = str(getattr(store, "path", ":memory:"))
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(path, threading.Lock())
    with lock:  # one reader per archive; the others wait for its list
        conn.execute("BEGIN")
        try:
            state = _state(store)
            with _LOCKS_LOCK:
                kept = _KEPT.pop(path, None)
            if kept is None or kept.state != state:
                kept = _Kept(state, read_events(store))
        finally:
            conn.execute("COMMIT")
        with _LOCKS_LOCK:
            _KEPT[path] = kept  # the archive used last, at the end
            while len(_KEPT) > KEEP:  # the archive used least recently goes
                _KEPT.pop(next(iter(_KEPT)))
    return kept


def _state(store: Store) -> tuple[Any, ...]:
    conn = conn_of(store)
    archive = conn.execute("SELECT archive_id FROM search_meta").fetchone()
    seq = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'search_queue'").fetchone()
    return (archive[0] if archive else None, seq[0] if seq else 0)


def read_events(store: Store, types: tuple[str, ...] = CONTACT_TYPES) -> list[ContactEvent]:
    """The events of these types with a side, read from the posts now."""
    kept: dict[Any, Any] = {}  # one copy of each date, code, name, key and tuple

    def one(value: Any) -> Any:
        return kept.setdefault(value, value)

    keys: dict[str, str] = {}  # a key costs a dozen regex passes: once per name
    # The events of a post that has none of these types are not parsed.
    marks = [json.dumps(t, ensure_ascii=False) for t in types]
    out = []
    for raw, posted in conn_of(store).execute(EVENTS_SQL):
        if not any(mark in raw for mark in marks):
            continue
        for event in json.loads(raw):
            if event["type"] not in types:
                continue
            countries = one(tuple(sorted({one(c) for c in event.get("countries", [])})))
            names = []
            for person in event.get("participants", []):
                name = person["name"]
                key = keys.get(name) or keys.setdefault(name, person_key(name))
                names.append(one((one(key), one(name))))
            if countries or names:
                when = event.get("date") or (posted or "")[:10] or None
                people = one(tuple(sorted({key for key, _ in names})))
                out.append(ContactEvent(one(event["type"]), one(when), countries, people,
                                        one(tuple(names))))  # fmt: skip
    return out
