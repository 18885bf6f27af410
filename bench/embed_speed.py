"""Embedding throughput, and semantic query latency at archive scale (issue 5).

    python bench/embed_speed.py [--sizes 100000 1000000] [--queries 100] [--exact-queries 5]

1. Throughput: the real posts of ../shared (seed dumps and the MFA CSV) ingested
   into a scratch archive and embedded by ``embed_posts`` (tokenise, encode, write);
   then the encoder alone, best of three rounds. Posts are cut at 128 word pieces,
   which most of these reach, so posts per second hardly depends on their length.
2. Latency at N vectors: a scratch archive of N bare posts holding random unit
   vectors (int8, as stored) drawn around random topics, and its ANN index built
   by ``sync_index``. Each query is a text, encoded as a user's would be, then
   searched by ``semantic_search``: exact (vectors read from SQLite and dequantised
   chunk by chunk), and through the ANN index, without and with an SQL filter that
   keeps one post in ten (a date range). Recall@10 of the ANN against exact search
   is measured by ``more_like_this`` of stored posts. The memory in use (RSS) and
   the sizes of the archive and the index close each size's figures.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from communique import embed
from communique.ingest import ingest
from communique.store.sqlite import SQLiteStore

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
QUERIES = [
    "telephone conversation between the Russian and Vietnamese leaders",
    "sanctions against Russia",
    "humanitarian aid to Gaza",
    "consultations with China on Asia-Pacific security",
    "terrorist attack condemned by the ministry",
    "nuclear programme of Iran and the IAEA",
    "Arctic cooperation",
    "Diplomat's Day reception",
]
TOPICS = 500
DAYS = 3650  # bare posts are spread over ten years; the filter keeps the last one
FIRST_DAY = date(2016, 1, 1)


def throughput(scratch: Path) -> None:
    store = SQLiteStore(scratch / "real.db")
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    ingest(store, [*seeds, SHARED / "data" / "mfarussia_2025-12_2026-03.csv"], channel="MFARussia")
    report = embed.embed_posts(store)
    print(
        f"embed_posts: {report.embedded} posts in {report.seconds:.1f} s = "
        f"{report.posts_per_second:.1f} posts/s (tokenise, encode, write)"
    )
    rows = store.conn.execute("SELECT title, text FROM posts WHERE kind != 'service'")
    texts = [t for t in (embed.post_text(*r) for r in rows) if t]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        embed.default_encoder().encode(texts)
        best = min(best, time.perf_counter() - start)
    print(f"encoder alone: {len(texts)} posts, {len(texts) / best:.1f} posts/s (best of 3)")
    print(f"  {busy()}")
    store.close()


def scratch_archive(path: Path, size: int) -> SQLiteStore:
    """N bare posts with random unit vectors, written as embed_posts writes them."""
    store = SQLiteStore(path)
    conn = store.conn
    conn.execute("DROP TRIGGER posts_fts_insert")  # no text to index in bare posts
    rng = np.random.default_rng(5)
    topics = _unit(rng.standard_normal((TOPICS, embed.DIM), dtype=np.float32))
    for start in range(1, size + 1, embed.CHUNK):
        ids = range(start, min(start + embed.CHUNK, size + 1))
        codes = embed.quantise(_mixtures(rng, topics, len(ids)))
        with store.transaction():
            conn.executemany(
                "INSERT INTO posts (id, key, title, title_key, text, source, date, "
                "created_at, updated_at) VALUES (?, ?, '', '', '', '{}', ?, '', '')",
                ((i, f"bench/{i}", _day(i)) for i in ids),
            )
            conn.executemany(
                "INSERT INTO post_vectors (rowid, post_id, model, text_hash, vector) "
                "VALUES (?, ?, ?, '', ?)",
                ((i, i, embed.MODEL, codes[n].tobytes()) for n, i in enumerate(ids)),
            )
    return store


def _mixtures(rng: np.random.Generator, topics: NDArray[np.float32], n: int) -> NDArray[np.float32]:
    """Unit vectors between two random topics, plus noise: a continuum of clusters, as
    real embeddings are. (Isotropic random vectors have no true neighbours: on them
    HNSW's recall@10 is 0.1 to 0.4, a case no archive presents.)"""
    a, b = rng.integers(0, len(topics), n), rng.integers(0, len(topics), n)
    w = rng.random((n, 1), dtype=np.float32)
    noise = rng.standard_normal((n, embed.DIM), dtype=np.float32) * np.float32(0.03)
    return _unit(w * topics[a] + (1 - w) * topics[b] + noise)


def _unit(vectors: NDArray[np.float32]) -> NDArray[np.float32]:
    unit: NDArray[np.float32] = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return unit


def _day(i: int) -> str:
    return (FIRST_DAY + timedelta(days=i % DAYS)).isoformat() + "T12:00:00+00:00"


def latencies(call: Callable[[str], object], count: int) -> list[float]:
    out = []
    for n in range(count):
        start = time.perf_counter()
        call(QUERIES[n % len(QUERIES)])
        out.append((time.perf_counter() - start) * 1000)
    return out


def line(name: str, ms: list[float]) -> str:
    p50, p95 = np.percentile(ms, 50), np.percentile(ms, 95)
    return f"  {name:<28} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   ({len(ms)} queries)"


def busy() -> str:
    """How much other work competed for the CPU (Linux PSI): figures need it."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except OSError:
        return "CPU pressure unknown"
    return f"CPU pressure {line.split()[2].split('=')[1]}% (tasks kept waiting, last minute)"


def rss_mb() -> float:
    for text in Path("/proc/self/status").read_text().splitlines():
        if text.startswith("VmRSS:"):
            return int(text.split()[1]) / 1024
    return float("nan")


def at_scale(scratch: Path, size: int, queries: int, exact_queries: int) -> None:
    print(f"\n{size:,} vectors")
    start = time.perf_counter()
    store = scratch_archive(scratch / f"n{size}.db", size)
    print(f"  scratch archive written in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    outcome = embed.sync_index(store, force=True)
    print(f"  ANN index {outcome} in {time.perf_counter() - start:.1f} s")
    since = (FIRST_DAY + timedelta(days=DAYS - DAYS // 10)).isoformat()
    where = {"where": ["p.date >= ?"], "params": [since]}
    embed.semantic_search(store, QUERIES[0], method="ann")  # load the model and the index
    rss = rss_mb()
    ann = latencies(lambda q: embed.semantic_search(store, q, limit=10, method="ann"), queries)
    print(line("ANN", ann))
    print(
        line(
            "ANN, 1 post in 10",
            latencies(
                lambda q: embed.semantic_search(store, q, limit=10, method="ann", **where), queries
            ),
        )
    )
    print(
        line(
            "exact",
            latencies(
                lambda q: embed.semantic_search(store, q, limit=10, method="exact"), exact_queries
            ),
        )
    )
    print(
        line(
            "exact, 1 post in 10",
            latencies(
                lambda q: embed.semantic_search(store, q, limit=10, method="exact", **where),
                exact_queries,
            ),
        )
    )
    recall = []
    for post in np.random.default_rng(7).integers(1, size + 1, exact_queries):
        truth = embed.more_like_this(store, int(post), limit=10, method="exact")
        found = embed.more_like_this(store, int(post), limit=10, method="ann")
        recall.append(len({i for i, _ in truth} & {i for i, _ in found}) / 10)
    print(f"  ANN recall@10 against exact: {np.mean(recall):.2f} ({len(recall)} posts)")
    path = Path(store.path)
    index = Path(f"{path}.vectors.usearch")
    print(f"  {busy()}")
    print(
        f"  RSS {rss:.0f} MB after loading model and index, {rss_mb():.0f} MB now; "
        f"archive {path.stat().st_size / 2**20:.0f} MB, index {index.stat().st_size / 2**20:.0f} MB"
    )
    store.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--exact-queries", type=int, default=5)
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args(argv)
    if not embed.available():
        print(embed.unavailable_reason(), file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_throughput:
            throughput(Path(tmp))
        for size in args.sizes:
            at_scale(Path(tmp), size, args.queries, args.exact_queries)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
