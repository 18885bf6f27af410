"""Small SVG charts, written by hand so reports need no library and no network.

Every text that reaches the SVG is escaped; sizes are fixed so the charts read the
same in a browser, a Markdown viewer (as a data URI) and a printed page.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from communique.analyse.graphs import Graph

FONT = "font-family='system-ui, sans-serif' font-size='11'"
BAR = "#4a6fa5"
EDGE = "#9aa9bd"
# Line colours for several series, told apart also by the legend's order.
PALETTE = ("#4a6fa5", "#c8553d", "#2a9d8f", "#8e6c8a", "#e9a03b", "#5c7457", "#b5838d", "#3d5a80")


def bars(labels: list[str], values: list[int], *, title: str, width: int = 640,
         height: int = 200) -> str:  # fmt: skip
    """A bar chart of ``values``; every few labels shown under the bars."""
    top = max(values, default=0) or 1
    left, bottom, inner_h = 36, 30, height - 50
    slot = (width - left - 10) / max(len(values), 1)
    parts = [_open(width, height, title), f"<text x='{left}' y='14' {FONT}>{escape(title)}</text>"]
    parts.append(f"<text x='4' y='{height - bottom}' {FONT}>0</text>")
    parts.append(f"<text x='4' y='28' {FONT}>{top}</text>")
    step = max(1, math.ceil(len(labels) / 10))
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        h = inner_h * value / top
        x = left + i * slot
        y = height - bottom - h
        tip = f"<title>{escape(label)}: {value}</title>"
        bar = f"width='{max(slot - 1, 1):.1f}' height='{h:.1f}' fill='{BAR}'"
        parts.append(f"<rect x='{x:.1f}' y='{y:.1f}' {bar}>{tip}</rect>")
        if i % step == 0:
            parts.append(f"<text x='{x:.1f}' y='{height - 12}' {FONT}>{escape(label)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def lines(buckets: list[str], series: dict[str, list[int]], *, title: str, width: int = 720,
          height: int = 260) -> str:  # fmt: skip
    """One line per series over the same buckets, with a legend under the title."""
    top = max((v for values in series.values() for v in values), default=0) or 1
    left, bottom, legend = 36, 30, 18 * ((len(series) + 2) // 3)
    inner_h = height - bottom - 24 - legend
    step_x = (width - left - 10) / max(len(buckets) - 1, 1)
    parts = [_open(width, height, title), f"<text x='{left}' y='14' {FONT}>{escape(title)}</text>"]
    parts.append(f"<text x='4' y='{height - bottom}' {FONT}>0</text>")
    parts.append(f"<text x='4' y='{24 + legend + 10}' {FONT}>{top}</text>")
    for i, (label, values) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        lx, ly = left + (i % 3) * 220, 30 + (i // 3) * 18
        parts.append(f"<rect x='{lx}' y='{ly - 9}' width='12' height='10' fill='{colour}'/>"
                     f"<text x='{lx + 16}' y='{ly}' {FONT}>{escape(label)}</text>")  # fmt: skip
        xy = [
            (left + j * step_x, height - bottom - inner_h * v / top) for j, v in enumerate(values)
        ]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        parts.append(f"<polyline points='{points}' fill='none' stroke='{colour}' "
                     f"stroke-width='2'><title>{escape(label)}</title></polyline>")  # fmt: skip
        # Dots show single buckets, which a line cannot, and carry each count.
        parts += [f"<circle cx='{x:.1f}' cy='{y:.1f}' r='2.5' fill='{colour}'><title>"
                  f"{escape(label)} {escape(b)}: {v}</title></circle>"
                  for (x, y), b, v in zip(xy, buckets, values, strict=True)]  # fmt: skip
    every = max(1, math.ceil(len(buckets) / 8))
    for j, bucket in enumerate(buckets):
        if j % every == 0:
            x = left + j * step_x
            parts.append(f"<text x='{x:.1f}' y='{height - 12}' {FONT}>{escape(bucket)}</text>")
    parts.append("</svg>")
    return "".join(parts)


def network(graph: Graph, *, title: str, size: int = 420, max_nodes: int = 24) -> str:
    """Nodes on a circle, the heaviest first; edge width by weight."""
    nodes = list(graph.nodes)[:max_nodes]
    parts = [_open(size, size, title), f"<text x='8' y='16' {FONT}>{escape(title)}</text>"]
    if not nodes:
        parts.append(f"<text x='8' y='40' {FONT}>no contacts in this period</text></svg>")
        return "".join(parts)
    centre, radius = size / 2, size / 2 - 60
    where = {
        node: (centre + radius * math.cos(2 * math.pi * i / len(nodes) - math.pi / 2),
               centre + 10 + radius * math.sin(2 * math.pi * i / len(nodes) - math.pi / 2))
        for i, node in enumerate(nodes)
    }  # fmt: skip
    heaviest = max((e.weight for e in graph.edges), default=1)
    for e in graph.edges:
        if e.source in where and e.target in where:
            (x1, y1), (x2, y2) = where[e.source], where[e.target]
            w = 1 + 4 * e.weight / heaviest
            tip = f"<title>{escape(e.source)} – {escape(e.target)}: {e.weight}</title>"
            ends = f"x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}'"
            parts.append(f"<line {ends} stroke='{EDGE}' stroke-width='{w:.1f}'>{tip}</line>")
    for node, (x, y) in where.items():
        label = escape(str(graph.nodes[node]["label"]))
        parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='5' fill='{BAR}'/>"
                     f"<text x='{x + 7:.1f}' y='{y + 4:.1f}' {FONT}>{label}</text>")  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def _open(width: int, height: int, title: str) -> str:
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"viewBox='0 0 {width} {height}' role='img' aria-label='{escape(title)}'>")  # fmt: skip
