"""Networks: who met, called or consulted whom; which entities are named together.

The contact graph is read from the events the extractor found (``posts.events``):
every pair of sides of a contact event (a meeting, a call, consultations, a visit,
negotiations) is an edge, weighted by how many events joined them and carrying
their dates and types. Nodes are countries (ISO codes) or people (by name key,
labelled with the first spelling seen).

The co-mention network joins two countries or organisations each time one post
names both; edges are weighted by the number of such posts.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

from communique.analyse import ALL_TIME, Period, conn_of
from communique.names import person_key
from communique.store.base import Store

# The event types that are contacts between sides (docs/structure.md).
CONTACT_TYPES = ("meeting", "phone_call", "consultations", "visit", "negotiations")
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
) -> Graph:
    conn = conn_of(store)
    edges: dict[tuple[str, str], Edge] = {}
    weights: Counter[str] = Counter()
    labels: dict[str, str] = {}
    sql = ("SELECT p.events, p.date FROM posts p WHERE p.events != '[]' "
           "AND p.kind != 'service' ORDER BY p.date")  # fmt: skip
    for raw, posted in conn.execute(sql):
        for event in json.loads(raw):
            when = event.get("date") or (posted or "")[:10] or None
            if event["type"] not in types or not _in(period, when):
                continue
            sides = _sides(event, nodes, labels)
            for side in sides:
                weights[side] += 1
            for a, b in combinations(sorted(sides), 2):
                edge = edges.setdefault((a, b), Edge(a, b))
                edge.weight += 1
                edge.types[event["type"]] = edge.types.get(event["type"], 0) + 1
                if when:
                    edge.dates.append(when)
    return Graph(
        nodes={k: {"label": labels.get(k, k), "weight": w} for k, w in weights.most_common()},
        edges=sorted(edges.values(), key=lambda e: (-e.weight, e.source, e.target)),
    )


def _sides(event: dict[str, Any], nodes: Nodes, labels: dict[str, str]) -> set[str]:
    if nodes == "countries":
        return set(event.get("countries", []))
    sides = set()
    for person in event.get("participants", []):
        key = person_key(person["name"])
        labels.setdefault(key, person["name"])
        sides.add(key)
    return sides


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
    kept = [(pair, n) for pair, n in pairs.most_common(top) if n >= min_count]
    used = {v for (a, b), _ in kept for v in (a, b)}
    return Graph(
        nodes={
            v: {"label": v, "weight": singles[v]} for v in sorted(used, key=lambda v: -singles[v])
        },
        edges=[Edge(a, b, n) for (a, b), n in kept],
    )
