"""Entities: the countries, organisations and people the archive's posts name.

    entities(store, "country", contains="viet")   the most named first, with labels
    profile(store, "person", "Sergey Lavrov")      one entity: its posts over time,
                                                   what is named with it, its contacts

Values are what the entity index (``post_entities``) keeps: ISO alpha-2 codes,
organisation acronyms, person name keys (``names.person_key``); labels are what a
reader sees (the country's name, the person's first spelling seen). What a user
types is resolved to a value the way the search filters resolve it, so a profile
and a filtered search agree.

Co-mentions and contacts are counted over the ``SAMPLE`` posts naming the entity
that were stored last: an entity named in most of a million posts (Russia, in the
MFA's channel) still gets its page in well under a second. Lists, post counts and
timelines come from the ranking index when searches use it (``analyse.indexed``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pycountry

from communique.analyse import ALL_TIME, Period, conn_of
from communique.analyse.graphs import CONTACT_TYPES
from communique.analyse.indexed import ranked
from communique.analyse.timeline import Interval, Timeline, series, timeline
from communique.errors import InputError, NotFound
from communique.names import person_key
from communique.search import country_code
from communique.store.base import Store
from communique.textindex import ENTITY_FIELDS

TYPES = ("country", "organization", "person")
# The timeline series prefix of each type (analyse.timeline).
SERIES_PREFIX = {"country": "country", "organization": "org", "person": "person"}
SAMPLE = 5000
COMENTIONS = 10  # per type


@dataclass(slots=True, frozen=True)
class Entity:
    type: str  # country, organization, person
    value: str  # as the entity index keeps it
    label: str
    posts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "value": self.value, "label": self.label, "posts": self.posts}


@dataclass(slots=True)
class Contact:
    """Another side of the entity's contact events (meetings, calls, ...)."""

    type: str
    value: str
    label: str
    events: int = 0  # how many contact events joined the two
    types: dict[str, int] = field(default_factory=dict)  # event type -> events
    last: str | None = None  # the latest date of such an event

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "value": self.value, "label": self.label,
                "events": self.events, "types": self.types, "last": self.last}  # fmt: skip


@dataclass(slots=True)
class Profile:
    entity: Entity
    timeline: Timeline
    comentions: dict[str, list[Entity]]  # by type; ``posts``: posts naming both
    contacts: list[Contact]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.entity.to_dict(),
            "timeline": self.timeline.to_dict(),
            "comentions": {t: [e.to_dict() for e in es] for t, es in self.comentions.items()},
            "contacts": [c.to_dict() for c in self.contacts],
        }


def entities(
    store: Store, type: str, *, contains: str | None = None, limit: int = 50
) -> list[Entity]:
    """The entities of one type, the most named first (ties by value)."""
    _check_type(type)
    needle = (contains or "").strip().casefold()
    index = ranked(store)
    rows: Iterable[tuple[str, int]]
    if index is not None:
        rows = index.terms(index.select(), ENTITY_FIELDS[type], limit=None if needle else limit)
    else:
        rows = conn_of(store).execute(
            "SELECT value, count(*) FROM post_entities WHERE type = ? GROUP BY value "
            "ORDER BY 2 DESC, 1",
            (type,),
        )
    labels = _labels(store, type, needle)
    out: list[Entity] = []
    for value, count in rows:
        label = labels(value)
        if needle and needle not in label.casefold() and needle not in value.casefold():
            continue
        out.append(Entity(type, value, label, int(count)))
        if len(out) >= limit:
            break
    return out


def _labels(store: Store, type: str, needle: str) -> Callable[[str], str]:
    """What a reader calls each value: a person's first spelling seen (every
    person's, read once, when a list is filtered by name), a country's name."""
    if type != "person":
        return lambda value: label_of(type, value)
    if needle:
        names = dict(conn_of(store).execute("SELECT key, name FROM people"))
        return lambda value: names.get(value, value)
    return lambda value: _name(store, value) or value


def _name(store: Store, key: str) -> str | None:
    """A person's name as first seen, by person key."""
    row = conn_of(store).execute("SELECT name FROM people WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def spellings(store: Store, names: Iterable[str]) -> dict[str, list[str]]:
    """Every spelling the archive knows of each person named (``Store.person``'s,
    for several people in one read of the spellings: they are not indexed by
    person)."""
    keys = {name: person_key(name) for name in names}
    wanted = sorted(set(keys.values()))
    if not wanted:
        return {}
    marks = ", ".join("?" * len(wanted))
    conn = conn_of(store)
    known = {k for (k,) in conn.execute(f"SELECT key FROM people WHERE key IN ({marks})", wanted)}
    found: dict[str, list[str]] = {key: [] for key in known}
    for key, alias in conn.execute(
        f"SELECT person_key, alias FROM person_aliases WHERE person_key IN ({marks}) "
        "ORDER BY alias",
        wanted,
    ):
        found[key].append(alias)
    return {name: found[key] for name, key in keys.items() if key in found}


def resolve(store: Store, type: str, value: str) -> Entity:
    """The entity a user means by ``value`` (a code, a name, any spelling), with
    the number of posts naming it; NotFound when no post does."""
    _check_type(type)
    text = value.strip()
    if not text:
        raise InputError(f"name the {type}")
    if type == "country":
        key, label = country_code(text), ""
    elif type == "organization":
        key, label = text.upper(), text.upper()
    else:
        key = person_key(text)
        label = _name(store, key) or text
    index = ranked(store)
    if index is not None:
        count = index.count(index.select(entity=(type, key)))
    else:
        count = (
            conn_of(store)
            .execute("SELECT count(*) FROM post_entities WHERE type = ? AND value = ?", (type, key))
            .fetchone()[0]
        )
    if not count:
        raise NotFound(f"no post names the {type} {text!r}")
    return Entity(type, key, label or label_of(type, key), int(count))


def profile(
    store: Store, type: str, value: str, *, interval: Interval = "month", period: Period = ALL_TIME
) -> Profile:
    entity = resolve(store, type, value)
    spec = series(f"{SERIES_PREFIX[type]}:{entity.label if type == 'person' else entity.value}")
    return Profile(
        entity=entity,
        timeline=timeline(store, [spec], interval=interval, period=period),
        comentions=comentioned(store, entity),
        contacts=contacts(store, entity),
    )


def comentioned(
    store: Store, entity: Entity, *, limit: int = COMENTIONS
) -> dict[str, list[Entity]]:
    """The entities named most often in the same posts, by type."""
    conn = conn_of(store)
    out: dict[str, list[Entity]] = {}
    for other in TYPES:
        rows = conn.execute(
            "WITH m AS (SELECT post_id FROM post_entities WHERE type = ? AND value = ? "
            "ORDER BY post_id DESC LIMIT ?), "
            "c AS (SELECT e.value AS value, count(*) AS n FROM m JOIN post_entities e "
            "ON e.post_id = m.post_id AND e.type = ? WHERE NOT (e.type = ? AND e.value = ?) "
            "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?) "
            "SELECT c.value, c.n, pe.name FROM c LEFT JOIN people pe ON ? = 'person' "
            "AND pe.key = c.value ORDER BY 2 DESC, 1",
            (entity.type, entity.value, SAMPLE, other, entity.type, entity.value, limit, other),
        )
        out[other] = [Entity(other, v, name or label_of(other, v), n) for v, n, name in rows]
    return out


def contacts(store: Store, entity: Entity) -> list[Contact]:
    """The other sides of the contact events the entity took part in, most first.
    Organisations are never a side of an event: they have none."""
    if entity.type == "organization":
        return []
    conn = conn_of(store)
    rows = conn.execute(
        "SELECT p.events, p.date FROM posts p WHERE p.id IN (SELECT post_id FROM post_entities "
        "WHERE type = ? AND value = ? ORDER BY post_id DESC LIMIT ?) AND p.events != '[]' "
        "AND p.kind != 'service'",
        (entity.type, entity.value, SAMPLE),
    )
    found: dict[str, Contact] = {}
    for raw, posted in rows:
        for event in json.loads(raw):
            if event["type"] not in CONTACT_TYPES:
                continue
            sides = _sides(event, entity.type)
            if entity.value not in sides:
                continue
            when = event.get("date") or (posted or "")[:10] or None
            for other, label in sides.items():
                if other == entity.value:
                    continue
                contact = found.setdefault(other, Contact(entity.type, other, label))
                contact.events += 1
                contact.types[event["type"]] = contact.types.get(event["type"], 0) + 1
                if when and (contact.last is None or when > contact.last):
                    contact.last = when
    return sorted(found.values(), key=lambda c: (-c.events, c.value))


def _sides(event: dict[str, Any], type: str) -> dict[str, str]:
    if type == "country":
        return {c: label_of("country", c) for c in event.get("countries", [])}
    return {person_key(p["name"]): p["name"] for p in event.get("participants", [])}


def label_of(type: str, value: str) -> str:
    """What a reader calls a country code ("Viet Nam"); other values as they are."""
    if type != "country":
        return value
    country = pycountry.countries.get(alpha_2=value)
    if country is None:
        return value
    return str(getattr(country, "common_name", None) or country.name)


def _check_type(type: str) -> None:
    if type not in TYPES:
        raise InputError(f"entity type must be one of {', '.join(TYPES)}, not {type!r}")
