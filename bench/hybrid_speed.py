"""Hybrid search latency on a large archive: BM25 and meaning fused, with filters.

    python bench/hybrid_speed.py --db build/bench-1m.db [--queries 50]

The archive is a real one (a generated corpus ingested by bench/ingest_speed.py).
Its posts need vectors: embedding 1M posts with the model takes about 11 hours at
25 posts/s (bench/embed_speed.py), so posts without a vector get a synthetic one,
drawn as bench/embed_speed.py draws them (mixtures of random topics, int8, stored as
``embed_posts`` stores them), and the ANN index is built over all of them. Queries
are real texts, encoded by the model as a user's would be; the lexical half runs
on the archive's ranking index. Each query runs once per kind after a warm-up.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from embed_speed import QUERIES, TOPICS, _mixtures, _unit, busy, line

from communique import embed
from communique.search import Query, engine, search
from communique.store.sqlite import SQLiteStore


def fill_vectors(store: SQLiteStore) -> int:
    """Synthetic vectors for posts that have none; returns how many were written."""
    conn = store.conn
    rng = np.random.default_rng(7)
    topics = _unit(rng.standard_normal((TOPICS, embed.DIM), dtype=np.float32))
    written = 0
    while True:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT p.id FROM posts p WHERE NOT EXISTS (SELECT 1 FROM post_vectors v "
                "WHERE v.model = ? AND v.post_id = p.id) ORDER BY p.id LIMIT ?",
                (embed.MODEL, embed.CHUNK),
            )
        ]
        if not ids:
            return written
        codes = embed.quantise(_mixtures(rng, topics, len(ids)))
        with store.transaction():
            conn.executemany(
                "INSERT INTO post_vectors (post_id, model, text_hash, vector) "
                "VALUES (?, ?, 'synthetic', ?)",
                ((i, embed.MODEL, codes[n].tobytes()) for n, i in enumerate(ids)),
            )
        written += len(ids)


def timed(store: SQLiteStore, count: int, **filters: object) -> list[float]:
    out = []
    for n in range(count):
        query = Query(text=QUERIES[n % len(QUERIES)], mode="hybrid", limit=20)
        for name, value in filters.items():
            setattr(query, name, value)
        start = time.perf_counter()
        search(store, query)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args(argv)
    store = SQLiteStore(args.db)
    print(f"{store.count():,} posts in {args.db}; search engine: {engine()}")
    start = time.perf_counter()
    written = fill_vectors(store)
    print(f"synthetic vectors written: {written:,} in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    print(f"ANN index: {embed.sync_index(store)} in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    search(store, Query(text=QUERIES[0], mode="hybrid"))  # model, ANN and ranking index
    print(f"first query (loads the model and both indexes): {time.perf_counter() - start:.1f} s")
    print(line("hybrid", timed(store, args.queries)))
    print(line("hybrid, since 2024-01-01", timed(store, args.queries, since="2024-01-01")))
    print(line("hybrid, country CN", timed(store, args.queries, country=["CN"])))
    print(busy())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
