"""Web app server time: every page and API endpoint, measured in-process with
Starlette's TestClient (no network, no browser), p50 and p95 per route.

    python bench/web_speed.py --db build/bench-1m.db [--runs 10] [--only graph] [--budget 20]

Routes cover the search page (text with and without filters and facets, semantic,
hybrid), a post, channels, entities (a frequent country, a person, an organisation),
the contact graph, timelines, digests, the top lists, exports at the row cap and the
Atom feed. The sample values (a post, a channel, a person ...) are read from the
archive, preferring the ones analysts ask for (RU, US, Sergey Lavrov, NATO), so the
same routes run on a small archive. Semantic and hybrid routes are skipped when the
archive has no vectors or the model is missing.

Each route is requested once to warm up (and checked: 200), then ``runs`` times,
or fewer when its runs pass ``budget`` seconds (a slow route is still measured at
least twice). The archive is opened as `communique serve` opens it: read-only
connections. Issue 6 asks for a search page under 300 ms on a 1M-post archive; the
figures are recorded in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode

from embed_speed import busy
from fastapi.testclient import TestClient

from communique.web import WebConfig, create_app

# What analysts type, with the filters and sorts the page offers.
QUERIES = [
    {"q": "Lavrov"},
    {"q": "Russia"},
    {"q": '"Security Council"'},
    {"q": "telephone conversation", "sort": "date"},
    {"q": "China OR Vietnam", "country": "VN"},
    {"q": "sanctions NOT Europe", "since": "2018-01-01"},
    {"q": "humanitarian", "kind": "statement"},
    {},  # the front page: everything, newest first
]
TOP_FIELDS = ("speakers", "kinds", "channels", "hashtags", "countries", "organizations",
              "people", "forwarded_from")  # fmt: skip


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


class Samples:
    """Values the routes need, read from the archive (read-only)."""

    def __init__(self, db: Path):
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            self.post, self.channel = (
                conn.execute(
                    "SELECT key, channel FROM posts WHERE kind != 'service' AND events != '[]' "
                    "AND people != '[]' ORDER BY id DESC LIMIT 1"
                ).fetchone()
                or conn.execute(
                    "SELECT key, channel FROM posts WHERE kind != 'service' "
                    "ORDER BY id DESC LIMIT 1"
                ).fetchone()
            )
            self.countries = [self._pick(conn, "country", c) for c in ("RU", "US")]
            key = self._pick(conn, "person", "sergey lavrov")
            name = conn.execute("SELECT name FROM people WHERE key = ?", (key,)).fetchone()
            self.person = name[0] if name else key
            self.org = self._pick(conn, "organization", "NATO")
            newest = conn.execute("SELECT max(date) FROM posts").fetchone()[0] or "2026-01-01"
            self.year = str(int(newest[:4]) - 1)  # the last whole year, for period filters
            self.vectors = conn.execute("SELECT 1 FROM post_vectors LIMIT 1").fetchone() is not None
        finally:
            conn.close()
        self.channel = self.channel or "MFARussia"

    @staticmethod
    def _pick(conn: sqlite3.Connection, type_: str, wanted: str) -> str:
        """``wanted`` if a post names it; else the most named of the first entities."""
        if conn.execute("SELECT 1 FROM post_entities WHERE type = ? AND value = ? LIMIT 1",
                        (type_, wanted)).fetchone():  # fmt: skip
            return wanted
        row = conn.execute(
            "SELECT value FROM (SELECT value FROM post_entities WHERE type = ? LIMIT 10000) "
            "GROUP BY value ORDER BY count(*) DESC, value LIMIT 1",
            (type_,),
        ).fetchone()
        return str(row[0]) if row else wanted


def routes(s: Samples) -> list[tuple[str, str]]:
    """(label, URL) of every page and endpoint, in the order they are reported."""
    q = urlencode
    out = [(_label(p), "/?" + q(p)) for p in QUERIES]
    out += [
        ("search page 2", "/?" + q({"q": "Lavrov", "offset": 20})),
        ("search, 3 filters", "/?" + q({"q": "Lavrov", "country": s.countries[1],
                                        "kind": "statement", "since": f"{s.year}-01-01"})),
        ("api search", "/api/v1/search?" + q({"q": "Lavrov"})),
        ("api search, filters", "/api/v1/search?" + q({"q": "sanctions", "country": "CN",
                                                       "org": s.org})),
    ]  # fmt: skip
    if s.vectors:
        for mode in ("semantic", "hybrid"):
            out += [
                (f"{mode}", "/?" + q({"q": "telephone conversation", "mode": mode})),
                (f"{mode}, filter", "/?" + q({"q": "telephone conversation", "mode": mode,
                                              "country": "VN"})),
            ]  # fmt: skip
        out.append(("api similar", f"/api/v1/posts/{quote(s.post)}/similar"))
    period = {"since": f"{s.year}-01-01", "until": f"{s.year}-12-31"}
    person, org = quote(s.person), quote(s.org)
    out += [
        ("post page", f"/posts/{quote(s.post)}"),
        ("api post", f"/api/v1/posts/{quote(s.post)}"),
        ("channels", "/channels"),
        ("api channels", "/api/v1/channels"),
        ("channel page", f"/channels/{s.channel}"),
        ("api channel", f"/api/v1/channels/{s.channel}"),
        ("entities: countries", "/entities?type=country"),
        ("entities: organisations", "/entities?type=organization"),
        ("entities: people", "/entities?type=person"),
        ("entities: people q=lav", "/entities?type=person&q=lav"),
        ("api entities: people", "/api/v1/entities?type=person&limit=100"),
        ("api entities csv", "/api/v1/entities?type=person&format=csv"),
        *[(f"entity {c}", f"/entities/country/{c}") for c in s.countries],
        (f"entity {s.countries[0]}, weekly", f"/entities/country/{s.countries[0]}?interval=week"),
        ("entity person", f"/entities/person/{person}"),
        ("entity organisation", f"/entities/organization/{org}"),
        (f"api entity {s.countries[0]}", f"/api/v1/entities/country/{s.countries[0]}"),
        ("api entity person", f"/api/v1/entities/person/{person}"),
        ("graph page", "/graph"),
        ("api graph", "/api/v1/graph"),
        ("api graph, a year", "/api/v1/graph?" + q(period)),
        ("api graph, phone calls", "/api/v1/graph?type=phone_call"),
        ("api graph, as the page asks", "/api/v1/graph?limit=300"),
        ("api graph, people", "/api/v1/graph?nodes=people"),
        ("api graph, people, as the page asks", "/api/v1/graph?nodes=people&limit=300"),
        ("api graph, people, a year", "/api/v1/graph?" + q({"nodes": "people", **period})),
        ("api graph, graphml", "/api/v1/graph?format=graphml"),
        ("api comentions, a year", "/api/v1/graph?" + q({"network": "comentions", **period})),
    ]
    series = ["Lavrov", f"country:{s.countries[0]}", f"org:{s.org}", f"person:{s.person}",
              "kind:meeting"]  # fmt: skip
    out += [
        ("timeline, 5 series", "/timeline?" + q({"series": series}, doseq=True)),
        ("timeline, 2 series, weekly", "/timeline?" + q({"series": series[:2], "interval": "week"},
                                                         doseq=True)),
        ("api timeline, 5 series", "/api/v1/timeline?" + q({"series": series}, doseq=True)),
        ("api timeline parquet", "/api/v1/timeline?" + q({"series": series[1:3],
                                                          "format": "parquet"}, doseq=True)),
        ("digest 7d", "/digest?since=7d"),
        ("digest 1m", "/digest?since=1m"),
        ("api digest 7d", "/api/v1/digest?since=7d"),
        ("api digest 1m", "/api/v1/digest?since=1m"),
        *[(f"api top {f}", f"/api/v1/top/{f}") for f in TOP_FIELDS],
        ("api top countries, a year", "/api/v1/top/countries?" + q(period)),
        ("api top speakers, channel", f"/api/v1/top/speakers?channel={s.channel}"),
        *[(f"export {f}, q=Russia", "/api/v1/export?" + q({"q": "Russia", "format": f}))
          for f in ("csv", "jsonl", "parquet")],
        ("export csv, everything", "/api/v1/export?format=csv"),
        ("feed", "/feed.atom"),
        ("feed, q=Lavrov country", "/feed.atom?" + q({"q": "Lavrov", "country": "VN"})),
        ("docs", "/docs"),
    ]  # fmt: skip
    return out


def _label(params: dict[str, str]) -> str:
    if not params:
        return "search (front page)"
    return "search " + " ".join(f"{k}={v}" for k, v in params.items())


def measure(client: TestClient, url: str, runs: int, budget: float) -> list[float]:
    response = client.get(url)  # warm-up, and a check
    assert response.status_code == 200, (url, response.status_code, response.text[:300])
    times: list[float] = []
    spent = 0.0
    while len(times) < runs and (len(times) < 2 or spent < budget):
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, url
        times.append(elapsed * 1000)
        spent += elapsed
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--budget",
        type=float,
        default=20.0,
        help="seconds of runs per route before stopping early (min 2 runs)",
    )
    parser.add_argument("--only", default="", help="a regular expression: routes to run")
    args = parser.parse_args(argv)  # fmt: skip
    samples = Samples(args.db)
    client = TestClient(create_app(args.db, WebConfig.from_settings()), base_url="http://127.0.0.1")
    chosen = [(label, url) for label, url in routes(samples) if re.search(args.only, label)]
    print(f"{len(chosen)} routes of {args.db}, up to {args.runs} runs each; {date.today()}")
    if not samples.vectors:
        print("semantic and hybrid routes skipped: no vectors in the archive")
    print(f"  {busy()}")
    print(f"{'route':<44}{'runs':>5}{'p50':>11}{'p95':>11}")
    search_p95 = []
    for label, url in chosen:
        times = measure(client, url, args.runs, args.budget)
        if label.startswith("search ") and "=" in label or label == "search (front page)":
            search_p95.append(p95(times))
        print(f"{label[:43]:<44}{len(times):>5}{statistics.median(times):>9.1f}ms"
              f"{p95(times):>9.1f}ms", flush=True)  # fmt: skip
    print(f"  {busy()}")
    if search_p95:
        print(f"search page: p95 over all queries {max(search_p95):.1f} ms (worst query), "
              f"median of p95s {statistics.median(search_p95):.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
