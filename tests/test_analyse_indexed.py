"""Analyses at scale (issue 6): what the ranking index counts is what SQL counts,
on the real samples; the contact events kept between calls follow every write; the
contact graph's cap; people and hashtags ranked as their filters find them.

Every analysis has two paths: the ranking index (search_engine tantivy, the
default) and SQL (fts5). Each test here runs both and wants the same answer, and
where it is cheap, the answer counted by hand from the posts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from communique.analyse import Period
from communique.analyse import channels as channel_lib
from communique.analyse import entities as entity_lib
from communique.analyse.graphs import comentions, contact_graph
from communique.analyse.timeline import every_post, series, timeline
from communique.analyse.top import FIELDS, top
from communique.ingest import ingest
from communique.models import Event, Person
from communique.names import person_key
from communique.search import Query, search
from communique.store import Store, open_store
from conftest import CSV_MFA, blank_structure

PERIODS = [Period(), Period("2026-01-01", "2026-02-15"), Period("2026-02-01", None)]


@pytest.fixture(scope="module")
def store(web_db: Path) -> Iterator[Store]:
    store = open_store(web_db)
    yield store
    store.close()


def both(monkeypatch: pytest.MonkeyPatch, count: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    """What ``count`` answers with the ranking index, checked against SQL's answer
    (records as their dicts)."""
    answers = []
    for engine in ("tantivy", "fts5"):
        monkeypatch.setenv("COMMUNIQUE_SEARCH_ENGINE", engine)
        answers.append(_plain(count(*args, **kw)))
    assert answers[0] == answers[1]
    return answers[0]


def _plain(found: Any) -> Any:
    if isinstance(found, list):
        return [_plain(item) for item in found]
    return found.to_dict() if hasattr(found, "to_dict") else found


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_timelines_agree(store: Store, monkeypatch: pytest.MonkeyPatch, interval: Any) -> None:
    specs = ["Lavrov", '"Security Council"', "sanction*", "Lavrov NOT Putin", "country:VN",
             "org:NATO", "person:Sergei Lavrov", "speaker:Maria Zakharova", "hashtag:RussiaChina",
             "kind:meeting", "channel:mfarussia"]  # fmt: skip
    for period in PERIODS:
        wanted = [series(s) for s in specs] + [every_post()]
        found = both(monkeypatch, timeline, store, wanted, interval=interval, period=period)
        dated = [p for p in store.posts() if p.date and _within(period, p.date)]
        assert sum(found["series"]["posts"]) == len(dated)
        assert sum(found["series"]["country:VN"]) == sum("VN" in p.countries for p in dated)


def test_rankings_agree(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for field in FIELDS:
        for period in PERIODS:
            for channel in (None, "mfarussia", "tchantest"):
                both(monkeypatch, top, store, field, period=period, channel=channel)
    countries = Counter(c for p in store.posts() for c in p.countries)
    assert top(store, "countries", limit=3) == countries.most_common(3)


def test_people_and_hashtags_are_ranked_as_their_filters_find_them(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = both(monkeypatch, top, store, "people", limit=3)
    # "Sergey Lavrov" and "Sergei Lavrov" are one person, shown as first seen.
    assert people[0][0] == "Sergey Lavrov"
    spellings = {p.name for post in store.posts() for p in post.people
                 if person_key(p.name) == "sergey lavrov"}  # fmt: skip
    assert {"Sergey Lavrov", "Sergei Lavrov"} <= spellings
    for name, count in people:
        assert search(store, Query(person=[name], limit=1)).total == count
    for tag, count in both(monkeypatch, top, store, "hashtags", limit=5):
        assert search(store, Query(hashtag=[tag], limit=1)).total == count
        assert any(tag in p.hashtags for p in store.posts())  # as a post writes it


def test_forwarded_from(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    found = both(monkeypatch, top, store, "forwarded_from", limit=100)
    by_hand = Counter(p.forwarded_from for p in store.posts() if p.forwarded_from)
    assert dict(found) == dict(by_hand) and found


def test_channels_agree(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = both(monkeypatch, channel_lib.channel_list, store)
    mfa = next(c for c in listed if c["username"] == "MFARussia")
    dates = sorted(p.date for p in store.posts() if p.channel == "MFARussia" and p.date)
    assert (mfa["first_date"], mfa["last_date"]) == (dates[0], dates[-1])
    for name in ("mfarussia", "tchantest", "evilchan"):
        both(monkeypatch, channel_lib.channel_profile, store, name)


def test_entities_agree(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    for type_, needle in [("country", ""), ("country", "viet"), ("organization", ""),
                          ("person", ""), ("person", "lav"), ("person", "a")]:  # fmt: skip
        both(monkeypatch, entity_lib.entities, store, type_, contains=needle, limit=200)
    for type_, value in [("country", "RU"), ("person", "Sergei Lavrov"), ("organization", "UN")]:
        both(monkeypatch, entity_lib.profile, store, type_, value)
    people = [p.name for post in store.posts() for p in post.people][:40]
    by_store = {n: found[1] for n in people if (found := store.person(n)) is not None}
    assert entity_lib.spellings(store, people) == by_store


def test_comentions_agree_and_count_every_pair(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = both(monkeypatch, comentions, store, min_count=1, top=100_000)
    pairs: Counter[tuple[str, str]] = Counter()
    for post in store.posts():
        pairs.update(combinations(sorted({*post.countries, *post.organizations}), 2))
    assert {(e["source"], e["target"]): e["weight"] for e in everything["edges"]} == dict(pairs)
    for period in PERIODS:
        graph = both(monkeypatch, comentions, store, period=period, top=10)
        weights = [(-e["weight"], e["source"], e["target"]) for e in graph["edges"]]
        assert weights == sorted(weights) and len(weights) == 10


def _within(period: Period, moment: str) -> bool:
    return (period.since or "") <= moment[:10] <= (period.until or "9999")


# -- the contact graph: events kept between calls, the cap ---------------------------

TO_LAM = Person("To Lam", "General Secretary", "VN")
PUTIN = Person("Vladimir Putin", "President", "RU")


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[Store]:
    store = open_store(tmp_path / "a.db")
    ingest(store, [CSV_MFA])
    blank_structure(store)
    yield store
    store.close()


def _call(store: Store, message_id: int, day: str, sides: tuple[str, str]) -> None:
    post = store.get_by_message("MFARussia", message_id)
    assert post is not None
    call = Event("phone_call", day, None, (PUTIN, TO_LAM), sides, "041", "CONSULT")
    store.update(post.key, replace(post, events=[*post.events, call]))


def test_contact_events_follow_every_write(writable: Store) -> None:
    assert contact_graph(writable).edges == []
    with writable.transaction():
        _call(writable, 28105, "2026-01-24", ("RU", "VN"))
    assert [(e.source, e.target, e.weight) for e in contact_graph(writable).edges] == [
        ("RU", "VN", 1)
    ]
    # Inside a transaction the graph sees its writes, and forgets them when it is undone.
    with pytest.raises(RuntimeError), writable.transaction():
        _call(writable, 28093, "2026-01-22", ("CN", "RU"))
        assert len(contact_graph(writable).edges) == 2
        raise RuntimeError("undo")
    assert len(contact_graph(writable).edges) == 1
    with writable.transaction():
        _call(writable, 28093, "2026-01-22", ("CN", "RU"))
    assert len(contact_graph(writable, period=Period("2026-01-22", "2026-01-22")).edges) == 1
    people = contact_graph(writable, nodes="people")
    assert [(e.source, e.target, e.weight) for e in people.edges] == [
        ("to lam", "vladimir putin", 2)
    ]


def test_a_capped_graph_keeps_the_heaviest_edges(writable: Store) -> None:
    with writable.transaction():
        _call(writable, 28105, "2026-01-24", ("RU", "VN"))
        _call(writable, 28108, "2026-01-25", ("RU", "VN"))
        _call(writable, 28093, "2026-01-22", ("CN", "RU"))
        _call(writable, 28590, "2026-03-06", ("CN", "MM"))
    whole = contact_graph(writable)
    assert whole.found == 3 and len(whole.edges) == 3
    capped = contact_graph(writable, limit=1)
    assert [(e.source, e.target, e.weight) for e in capped.edges] == [("RU", "VN", 2)]
    assert capped.edges[0].dates == ["2026-01-24", "2026-01-25"]
    assert set(capped.nodes) == {"RU", "VN"} and capped.found == 3
    assert capped.nodes["RU"] == whole.nodes["RU"]  # weights count every event
    # A cap that leaves nothing out changes nothing.
    assert contact_graph(writable, limit=3).to_dict() == whole.to_dict()
