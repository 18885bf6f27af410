"""Timelines, graphs and rankings over the real posts.

Text series and hashtags come straight from the real archive; for the graphs, the
structure of a few real posts is set by hand here, so that the expected edges are
known exactly whatever the extractor finds.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from communique.analyse import Period
from communique.analyse.graphs import comentions, contact_graph
from communique.analyse.timeline import series, timeline
from communique.analyse.top import compare, top
from communique.cli import main
from communique.ingest import ingest
from communique.models import Event, Person
from communique.store import Store, open_store
from conftest import CSV_MFA, DUMP_000, blank_structure

PUTIN = Person("Vladimir Putin", "President", "RU")
TO_LAM = Person("To Lam", "General Secretary", "VN")
RUDENKO = Person("Andrey Rudenko", "Deputy Foreign Minister", "RU")


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("analyse") / "a.db"
    store = open_store(path)
    ingest(store, [CSV_MFA, DUMP_000], channel="MFARussia")
    blank_structure(store)
    set_structure(store)
    store.close()
    return path


def set_structure(store: Store) -> None:
    """Three readouts of dump 000 (CSV ids), with events and countries as read."""
    call = Event("phone_call", "2026-01-24", None, (PUTIN, TO_LAM), ("RU", "VN"), "041", "CONSULT")
    beijing1 = Event("consultations", "2026-01-22", "Beijing", (RUDENKO,), ("CN", "RU"), "040",
                     "CONSULT")  # fmt: skip
    beijing2 = replace(beijing1, date="2026-01-23")
    with store.transaction():
        for message_id, events, countries in [
            (28105, [call], ["RU", "VN"]),
            (28093, [beijing1], ["CN", "RU"]),
            (28108, [beijing2], ["CN", "RU", "MM"]),
        ]:
            post = store.get_by_message("MFARussia", message_id)
            assert post is not None
            store.update(post.key, replace(post, events=events, countries=countries))


@pytest.fixture
def store(archive: Path) -> Store:
    return open_store(archive)


def test_a_text_series_counts_matching_posts_per_month(store: Store) -> None:
    result = timeline(store, [series("Zakharova")], interval="month")
    posts = [p for p in store.posts() if p.date and re.search(r"zakharova", p.text, re.I)]
    assert sum(result.counts["Zakharova"]) == len(posts)
    assert result.buckets == ["2025-12", "2026-01", "2026-02", "2026-03"]
    for bucket, count in zip(result.buckets, result.counts["Zakharova"], strict=True):
        assert count == sum(1 for p in posts if (p.date or "").startswith(bucket))


def test_several_series_share_buckets_without_gaps(store: Store) -> None:
    result = timeline(store, [series("hashtag:RussiaChina"), series("Lavrov")], interval="week",
                      period=Period("2026-01-01", "2026-01-31"))  # fmt: skip
    assert len(result.counts) == 2
    assert all(len(v) == len(result.buckets) for v in result.counts.values())
    assert result.buckets[0] <= "2026-01-01" and result.buckets[-1] <= "2026-01-31"
    mondays = [date.fromisoformat(b) for b in result.buckets]
    assert all(d.weekday() == 0 for d in mondays)
    assert {(b - a).days for a, b in itertools.pairwise(mondays)} == {7}
    tagged = [p for p in store.posts() if "RussiaChina" in p.hashtags
              and "2026-01-01" <= (p.date or "")[:10] <= "2026-01-31"]  # fmt: skip
    assert sum(result.counts["hashtag:RussiaChina"]) == len(tagged)


def test_contact_graph_from_events(store: Store) -> None:
    graph = contact_graph(store)
    edges = {(e.source, e.target): e for e in graph.edges}
    assert set(edges) == {("CN", "RU"), ("RU", "VN")}
    assert edges[("CN", "RU")].weight == 2
    assert sorted(edges[("CN", "RU")].dates) == ["2026-01-22", "2026-01-23"]
    assert edges[("RU", "VN")].types == {"phone_call": 1}
    assert graph.nodes["RU"]["weight"] == 3
    calls_only = contact_graph(store, types=("phone_call",))
    assert [(e.source, e.target) for e in calls_only.edges] == [("RU", "VN")]
    january_22 = contact_graph(store, period=Period("2026-01-22", "2026-01-22"))
    assert [(e.source, e.target, e.weight) for e in january_22.edges] == [("CN", "RU", 1)]
    people = contact_graph(store, nodes="people")
    assert [(e.source, e.target) for e in people.edges] == [("to lam", "vladimir putin")]
    assert people.nodes["to lam"]["label"] == "To Lam"


def test_comentions_pair_entities_named_together(store: Store) -> None:
    graph = comentions(store, min_count=1)
    weights = {(e.source, e.target): e.weight for e in graph.edges}
    assert weights[("CN", "RU")] == 2
    assert weights[("RU", "VN")] == 1 and weights[("CN", "MM")] == 1
    assert comentions(store, min_count=2).edges[0].weight == 2


def test_top_and_compare(store: Store) -> None:
    hashtags = top(store, "hashtags", limit=3)
    counts: dict[str, int] = {}
    for post in store.posts():
        for tag in post.hashtags:
            counts[tag] = counts.get(tag, 0) + 1
    assert [n for _, n in hashtags] == sorted(counts.values(), reverse=True)[:3]
    assert top(store, "countries", limit=1) == [("RU", 3)]
    side = compare(store, ["MFARussia", "nosuch"])
    assert side["MFARussia"]["posts"] == len(list(store.posts()))
    assert side["nosuch"]["posts"] == 0


def test_cli_exports(archive: Path) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["graph", "--db", str(archive), "--format", "graphml"]).stdout
    assert out.startswith("<?xml") and '<edge source="CN" target="RU">' in out
    csv_out = runner.invoke(main, ["timeline", "Lavrov", "--db", str(archive), "--format",
                                   "csv"]).stdout  # fmt: skip
    assert csv_out.splitlines()[0] == "bucket,series,count"
    bad = runner.invoke(main, ["timeline", "country:Atlantis", "--db", str(archive)])
    assert bad.exit_code == 2 and "unknown country 'Atlantis'" in bad.stderr
