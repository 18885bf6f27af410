"""Search latency on a large archive: p50 and p95 of full-text queries with filters
and facets, beside the bare FTS5 top-20 query on the same database.

    python bench/search_speed.py --db build/bench-1m.db [--runs 20] [--engine fts5] [--rebuild]

Each query is run ``runs`` times after a warm-up; the figures are per query kind:
``bare`` (FTS5 MATCH ORDER BY rank LIMIT 20, nothing else), ``search`` (the same
words through communique.search with a filter and all facets), ``page`` (search
without facets). Ratios are search / bare on the same words. ``--engine`` picks the
index that ranks and counts (tantivy, the default, or fts5); the first search on an
archive without a tantivy index builds it, which is timed apart.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

from communique import textindex
from communique.query import to_fts
from communique.search import ENGINES, Query, engine, search
from communique.store import open_store
from communique.store.sqlite import SQLiteStore

# Frequent and rare words, a phrase, boolean forms: what analysts type.
QUERIES = [
    "Lavrov",
    "Russia",
    '"Security Council"',
    "telephone conversation",
    "China OR Vietnam",
    "sanctions NOT Europe",
    "Nebenzia",
    "humanitarian",
]


def timed(fn: object, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - start) * 1000)
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--engine", choices=ENGINES, default=None)
    parser.add_argument("--rebuild", action="store_true", help="build the index from scratch")
    args = parser.parse_args(argv)
    folder = textindex.folder_of(args.db)
    if args.rebuild and folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    if args.engine:
        os.environ["COMMUNIQUE_SEARCH_ENGINE"] = args.engine
    store = open_store(args.db)
    assert isinstance(store, SQLiteStore)
    posts = store.count()
    print(f"{posts:,} posts in {args.db}; search engine: {engine()}")
    start = time.perf_counter()
    search(store, Query(text="", limit=1, facets=False))  # builds or refreshes the index
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"index ready in {time.perf_counter() - start:.1f} s; peak memory so far {peak:,.0f} MB")
    rows = []
    for text in QUERIES:
        match = to_fts(text)

        def bare(match: str = match) -> None:
            store.conn.execute(
                "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ? ORDER BY rank LIMIT 20",
                (match,),
            ).fetchall()

        def full(text: str = text) -> None:
            search(store, Query(text=text, since="2018-01-01", limit=20))

        def page(text: str = text) -> None:
            search(store, Query(text=text, since="2018-01-01", limit=20, facets=False))

        for fn in (bare, full, page):
            fn()  # warm-up
        b, f, p = timed(bare, args.runs), timed(full, args.runs), timed(page, args.runs)
        total = search(store, Query(text=text, limit=1, facets=False)).total
        rows.append((text, total, p95(b), p95(p), p95(f), p95(f) / p95(b)))
    print(f"{'query':<26}{'matches':>9}{'bare p95':>10}{'page p95':>10}{'search p95':>12}"
          f"{'ratio':>7}")  # fmt: skip
    for text, total, b, p, f, ratio in rows:
        print(f"{text:<26}{total:>9,}{b:>9.1f}ms{p:>9.1f}ms{f:>11.1f}ms{ratio:>7.1f}")
    everything = [r[4] for r in rows]
    print(f"search with filter and facets: p95 over all queries {max(everything):.1f} ms "
          f"(worst query), median of p95s {statistics.median(everything):.1f} ms")  # fmt: skip
    if engine() == "tantivy":
        # A word in most posts has its country facet counted by complement, from the
        # scope's counts kept until the index changes: the first such search after a
        # change counts the scope too. Timed here with the kept counts dropped.
        handle = textindex.handle_of(store.conn, args.db)

        def cold() -> None:
            handle.totals.clear()
            search(store, Query(text="Russia", since="2018-01-01", limit=20))

        print(f"Russia, first search after a change to the archive: p95 "
              f"{p95(timed(cold, args.runs)):.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
