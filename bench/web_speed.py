"""Search page render time: the server's time to answer the web app's search page
(query, facets, snippets, the HTML), measured in-process with Starlette's TestClient
(no network, no browser), p50 and p95 per query.

    python bench/web_speed.py --db build/bench-1m.db [--runs 20]

Each query is requested ``runs`` times after one warm-up request; the archive is
opened read-only, as `communique serve` opens it. Issue 6 asks for under 300 ms on a
1M-post archive; the figures are recorded in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

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


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    client = TestClient(create_app(args.db, WebConfig.from_settings()), base_url="http://127.0.0.1")
    print(f"search page of {args.db}, {args.runs} runs per query")
    print(f"{'query':<48}{'p50':>9}{'p95':>9}")
    worst = []
    for params in QUERIES:
        url = "/?" + urlencode(params)
        assert client.get(url).status_code == 200, url  # warm-up, and a check
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, url
        worst.append(p95(times))
        label = " ".join(f"{k}={v}" for k, v in params.items()) or "(front page)"
        print(f"{label[:47]:<48}{statistics.median(times):>7.1f}ms{p95(times):>7.1f}ms")
    print(f"search page: p95 over all queries {max(worst):.1f} ms (worst query), "
          f"median of p95s {statistics.median(worst):.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
