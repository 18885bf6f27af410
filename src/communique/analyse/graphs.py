"""Networks: who met, called or consulted whom; which entities are named together.

The contact graph is read from the events the extractor found (``posts.events``):
every pair of sides of a contact event (a meeting, a call, consultations, a visit,
negotiations) is an edge, weighted by how many events joined them and carrying
their dates and types. Nodes are countries (ISO codes) or people (by name key,
labelled with the first spelling seen).

The co-mention network joins two countries or organisations each time one post
names both; edges are weighted by the number of such posts.

Both read a million posts in well under a second: the contact events are read
once per state of the archive and kept (``analyse.contacts``); co-mentions are
counted by the ranking index when searches use it (``analyse.indexed``), from
the entity index otherwise.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

from communique.analyse import ALL_TIME, Period, conn_of
from communique.analyse.contacts import CONTACT_TYPES, ContactEvent, contact_events, read_events
from communique.analyse.indexed import Index, ranked
from communique.store.base import Store
from communique.textindex import ENTITY_FIELDS

__all__ = ["CONTACT_TYPES", "Edge", "Graph", "Nodes", "comentions", "contact_graph"]

Nodes = Literal["countries", "people"]


@dataclass(slots=True)
class Edge:
    source: str
    target: str
    weight: int = 0
    dates: list[str] = field(default_factory=list)
    types: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Graph:
    nodes: dict[str, dict[str, Any]]  # id -> {"label", "weight"}
    edges: list[Edge]
    found: int | None = None  # edges before a limit kept the heaviest (contact graph)

    def to_dict(self) -> dict[str, Any]:
        return {
            "nodes": [{"id": k, **v} for k, v in self.nodes.items()],
            "edges": [
                {
                    "source": e.source,
                    "target": e.target,
                    "weight": e.weight,
                    "dates": e.dates,
                    "types": e.types,
                }  # fmt: skip
                for e in self.edges
            ],
        }

    def graphml(self) -> str:
        """GraphML, which Gephi, Cytoscape and networkx open."""
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
            '<key id="label" for="node" attr.name="label" attr.type="string"/>',
            '<key id="weight" for="all" attr.name="weight" attr.type="int"/>',
            '<key id="dates" for="edge" attr.name="dates" attr.type="string"/>',
            '<graph edgedefault="undirected">',
        ]
        for node, data in self.nodes.items():
            lines.append(f'<node id={quoteattr(node)}><data key="label">'
                         f'{escape(str(data["label"]))}</data><data key="weight">'
                         f'{data["weight"]}</data></node>')  # fmt: skip
        for e in self.edges:
            lines.append(f"<edge source={quoteattr(e.source)} target={quoteattr(e.target)}>"
                         f'<data key="weight">{e.weight}</data><data key="dates">'
                         f'{escape(" ".join(e.dates))}</data></edge>')  # fmt: skip
        lines += ["</graph>", "</graphml>"]
        return "\n".join(lines) + "\n"


def contact_graph(
    store: Store,
    *,
    nodes: Nodes = "countries",
    period: Period = ALL_TIME,
    types: tuple[str, ...] = CONTACT_TYPES,
    limit: int | None = None,
) -> Graph:
    """The contact network; with ``limit``, only its heaviest edges (ties by name)
    and, when that leaves some out, only the nodes they join: a graph a browser can
    lay out."""
    wanted = set(types)
    if wanted <= set(CONTACT_TYPES):
        events = [e for e in contact_events(store, period) if e.type in wanted]
    else:
        events = [e for e in read_events(store, types) if _in(period, e.when)]
    weights: dict[str, int] = {}
    labels: dict[str, str] = {}
    for event in events:
        for side in _sides(event, nodes):
            weights[side] = weights.get(side, 0) + 1
        if nodes == "people":
            for key, name in event.names:
                labels.setdefault(key, name)
    kept = None if limit is None else _heaviest(events, nodes, limit)
    found = _edges(events, nodes, kept)
    heaviest = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))
    ordered = sorted(weights.items(), key=lambda item: -item[1])
    if kept is not None and kept.total > len(kept.pairs):  # cut: the nodes left joined
        joined = {side for pair in kept.pairs for side in pair}
        ordered = [(k, w) for k, w in ordered if k in joined]
    return Graph(
        nodes={k: {"label": labels.get(k, k), "weight": w} for k, w in ordered},
        edges=[Edge(a, b, w, dates, kinds) for (a, b), (w, kinds, dates) in heaviest],
        found=len(found) if kept is None else kept.total,
    )


def _sides(event: ContactEvent, nodes: Nodes) -> tuple[str, ...]:
    return event.countries if nodes == "countries" else event.people


@dataclass(slots=True)
class _Kept:
    pairs: set[tuple[str, str]]  # the heaviest
    total: int  # pairs in all


def _heaviest(events: list[ContactEvent], nodes: Nodes, limit: int) -> _Kept:
    """The ``limit`` pairs joined by the most events (ties by name)."""
    counts: dict[tuple[str, str], int] = {}
    for event in events:
        for pair in combinations(_sides(event, nodes), 2):
            counts[pair] = counts.get(pair, 0) + 1
    best = heapq.nsmallest(limit, counts.items(), key=lambda item: (-item[1], item[0]))
    return _Kept({pair for pair, _ in best}, len(counts))


def _edges(
    events: list[ContactEvent], nodes: Nodes, kept: _Kept | None
) -> dict[tuple[str, str], list[Any]]:
    """Each pair's [weight, {type: events}, dates]: every pair's, or the kept ones'."""
    found: dict[tuple[str, str], list[Any]] = {}
    for event in events:
        for pair in combinations(_sides(event, nodes), 2):
            if kept is not None and pair not in kept.pairs:
                continue
            edge = found.get(pair)
            if edge is None:
                edge = found[pair] = [0, {}, []]
            edge[0] += 1
            edge[1][event.type] = edge[1].get(event.type, 0) + 1
            if event.when:
                edge[2].append(event.when)
    return found


def _in(period: Period, when: str | None) -> bool:
    if period.since is None and period.until is None:
        return True
    if when is None:
        return False
    return (period.since is None or when >= period.since[:10]) and (
        period.until is None or when <= period.until[:10]
    )


def comentions(
    store: Store,
    *,
    period: Period = ALL_TIME,
    types: tuple[str, ...] = ("country", "organization"),
    min_count: int = 2,
    top: int = 100,
) -> Graph:
    """The ``top`` pairs named together in at least ``min_count`` posts, the most
    first (ties by name). A value is a node whatever its type: "AU", Australia
    or the African Union, is one."""
    index = ranked(store)
    if index is not None and all(t in ENTITY_FIELDS for t in types):
        singles, pairs = _indexed_pairs(index, period, [ENTITY_FIELDS[t] for t in types],
                                        min_count, top)  # fmt: skip
    else:
        singles, pairs = _counted_pairs(store, period, types)
    ranked_pairs = sorted((item for item in pairs.items() if item[1] >= min_count),
                          key=lambda item: (-item[1], item[0]))  # fmt: skip
    kept = ranked_pairs[:top]
    used = {v for (a, b), _ in kept for v in (a, b)}
    return Graph(
        nodes={v: {"label": v, "weight": singles[v]}
               for v in sorted(used, key=lambda v: (-singles[v], v))},
        edges=[Edge(a, b, n) for (a, b), n in kept],
    )  # fmt: skip


Pairs = dict[tuple[str, str], int]


def _counted_pairs(
    store: Store, period: Period, types: tuple[str, ...]
) -> tuple[Counter[str], Pairs]:
    """Every pair, from every post's entities (SQL)."""
    conn = conn_of(store)
    when, params = period.sql()
    marks = ", ".join("?" * len(types))
    sql = (
        "SELECT e.post_id, e.value FROM post_entities e JOIN posts p ON p.id = e.post_id "
        f"WHERE e.type IN ({marks}) AND p.kind != 'service' AND {when} ORDER BY e.post_id"
    )
    per_post: dict[int, list[str]] = defaultdict(list)
    for post_id, value in conn.execute(sql, [*types, *params]):
        per_post[post_id].append(value)
    pairs: Counter[tuple[str, str]] = Counter()
    singles: Counter[str] = Counter()
    for values in per_post.values():
        singles.update(set(values))
        pairs.update(combinations(sorted(set(values)), 2))
    return singles, dict(pairs)


def _indexed_pairs(
    index: Index, period: Period, fields: list[str], min_count: int, top: int
) -> tuple[Counter[str], Pairs]:
    """The pairs that can be among the ``top``, counted by the ranking index.

    Values are taken the most named first, and each is counted with every value
    named beside it; a pair is at most as frequent as its rarer value, so once a
    value is rarer than the ``top``-th pair found (or than ``min_count``), no pair
    left can enter and the count stops. At a million posts that is a few dozen
    values of a few hundred."""
    chosen = index.select(period=period)
    per_field = [dict(index.terms(chosen, f)) for f in fields]
    shared = {v for i, d in enumerate(per_field) for v in d
              if any(v in other for other in per_field[i + 1 :])}  # fmt: skip

    def naming(value: str) -> Any:  # the posts naming it, in any of the fields
        return index.either([index.term(f, value) for f in fields])

    singles: Counter[str] = Counter()
    for found in per_field:
        singles.update(found)
    for value in shared:  # not twice for a post naming it in two fields
        singles[value] = index.count(index.both(chosen, naming(value)))
    pairs: Pairs = {}
    best: list[int] = []  # the ``top`` largest counts found, a heap
    done: set[str] = set()
    for a in sorted(singles, key=lambda v: (-singles[v], v)):
        if singles[a] < min_count or (len(best) >= top and singles[a] < best[0]):
            break
        with_a = index.both(chosen, naming(a))
        beside: Counter[str] = Counter()
        for f in fields:
            beside.update({b: n for b, n in index.terms(with_a, f) if b != a and b not in done})
        for b in shared & set(beside):
            beside[b] = index.count(index.both(with_a, naming(b)))
        for b, n in beside.items():
            pairs[(a, b) if a < b else (b, a)] = n
            if n >= min_count:
                heapq.heappush(best, n)
                if len(best) > top:
                    heapq.heappop(best)
        done.add(a)
    return singles, pairs
