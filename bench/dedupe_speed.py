"""Cost of near-duplicate detection per post, on one core: signing, and LSH upkeep.

    python bench/dedupe_speed.py [--posts N] [--rounds R] [--cache-mb MB]
    python bench/dedupe_speed.py --archive DB [--last N]
    python bench/dedupe_speed.py --copies N
    python bench/dedupe_speed.py --archive DB --lookup [--rounds R]

1. **Signing** the real posts of ../shared (the 505 CSV posts and the seed dumps):
   ``clean`` (boilerplate, links, hashtags, NFKC, case), ``text_hash``, and
   ``sign`` in batches of ``dedupe.CHUNK``; microseconds per post, the best of
   ``rounds`` (the machines are noisy, and the best is the least disturbed).
2. **update() at scale**: an archive of ``posts`` posts made of the real texts,
   each with a third of its words swapped for other real words (so that no two
   are alike), and one post in ten a cross-post of an earlier one under another
   channel (a header line added, or its last line cut). ``update`` works the
   whole queue (sign, bucket look-up, verification, grouping, commits), then a
   last slice of ``posts / 10`` new posts: the steady cost once the archive is
   big. Prints microseconds per post, the groups found, the size of the dedupe
   tables on disk, and the peak memory of the process.
3. With ``--archive DB --last N``, instead: the last ``N`` posts of an existing
   archive (say the 1M-post one ``ingest_speed.py`` leaves) taken out of the
   near-duplicate tables, queued again and grouped again: the steady cost at that
   archive's size, on its real bucket runs. Their entries stay in the runs, beside
   the same ones filed again. This writes to the archive: give it a
   benchmark archive or a copy. Their groups are found again, by the same rules.
4. With ``--copies N``, instead: N copies of the longest real text grouped in one
   update, the worst case for memory (every copy a candidate of every other).
5. With ``--archive DB --lookup``, instead, read-only: the bucket look-up of a small
   sync (the last post's buckets, and the last 16 posts'), searched inside the runs
   and by reading every run, the best of ``rounds`` each.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from extract_speed import corpus

from communique import dedupe, lshindex
from communique.minhash import BANDS, Signature, bucket_rows
from communique.store.sqlite import SQLiteStore

START = datetime(2020, 1, 1, tzinfo=UTC)


def best(rounds: int, run: object) -> float:
    assert callable(run)
    fastest = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        fastest = min(fastest, time.perf_counter() - start)
    return fastest


def signing(texts: list[str], rounds: int) -> None:
    dedupe.sign(texts[:10])  # warm-up: the hash constants and the letter table
    cleaned = [dedupe.clean(t) for t in texts]
    n = len(texts)
    steps = {
        "clean": best(rounds, lambda: [dedupe.clean(t) for t in texts]),
        "text_hash": best(rounds, lambda: [dedupe.text_hash(t) for t in cleaned]),
        "sign": best(rounds, lambda: dedupe.sign(cleaned)),
    }
    words = sum(len(t.split()) for t in cleaned) / n
    print(f"signing {n} real posts ({words:.0f} words on average), best of {rounds}:")
    for name, seconds in steps.items():
        print(f"  {name:10} {seconds / n * 1e6:6.1f} µs/post")
    print(f"  {'total':10} {sum(steps.values()) / n * 1e6:6.1f} µs/post")


def synthetic(texts: list[str], seed: int = 5) -> Iterator[tuple[str, int, str, str]]:
    """(channel, message id, date, text) rows, endlessly: varied real texts, and
    one in ten a cross-post of one of the last thousand."""
    rng = random.Random(seed)
    vocabulary = sorted({w for t in texts for w in t.split()})
    recent: list[str] = []
    for i in itertools.count():
        date = (START + timedelta(minutes=i)).isoformat()
        if recent and rng.random() < 0.1:
            lines = rng.choice(recent).split("\n")
            if len(lines) > 3 and rng.random() < 0.5:
                yield "RusEmb", i, date, "\n".join(lines[:-1])
            else:
                yield "RusEmb", i, date, "\n".join(["🇷🇺 Embassy of Russia:", *lines])
            continue
        words = rng.choice(texts).split(" ")
        for j in rng.sample(range(len(words)), len(words) // 3):
            words[j] = rng.choice(vocabulary)
        text = " ".join(words)
        recent = [*recent[-999:], text]
        yield "MFARussia", i, date, text


def fill(conn: sqlite3.Connection, rows: Iterator[tuple[str, int, str, str]], count: int) -> None:
    for _ in range(0, count, 10_000):
        batch = list(itertools.islice(rows, min(10_000, count)))
        count -= len(batch)
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO posts (key, channel, message_id, date, title, title_key, text, "
            "source, created_at, updated_at) VALUES (?, ?, ?, ?, '', '', ?, '{}', '', '')",
            [(f"{c.lower()}/{m}", c, m, d, t) for c, m, d, t in batch],
        )
        conn.execute("COMMIT")


def memory(field: str) -> float:
    """The process's resident memory (VmRSS) or its peak (VmHWM), in MB."""
    status = Path("/proc/self/status")
    if not status.exists():  # not Linux: the peak since the process began
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return next(int(ln.split()[1]) for ln in status.read_text().split("\n") if field in ln) / 1024


def timed_update(conn: sqlite3.Connection) -> tuple[dedupe.DedupeReport, float, float, str]:
    """update(), its wall and CPU seconds, and the process's memory before and at most."""
    clear_refs = Path("/proc/self/clear_refs")
    if clear_refs.exists():  # Linux: restart the peak count (VmHWM) here
        clear_refs.write_text("5")
    before = memory("VmRSS")
    wall, cpu = time.perf_counter(), time.process_time()
    report = dedupe.update(conn)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return report, wall, cpu, f"memory {before:.0f} MB before, {memory('VmHWM'):.0f} MB at most"


def at_scale(texts: list[str], count: int, cache_mb: int | None) -> None:
    rows = synthetic(texts)
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "bench.db")
        conn = store.conn
        if cache_mb is not None:
            conn.execute(f"PRAGMA cache_size = {-1024 * cache_mb}")
        fill(conn, rows, count)
        report, wall, cpu, peak = timed_update(conn)
        print(f"update() over a queue of {count:,} posts: {wall:.1f} s; per post "
              f"{wall / count * 1e6:.0f} µs wall, {cpu / count * 1e6:.0f} µs CPU; "
              f"{peak}")  # fmt: skip
        print(f"  {report}")
        more = max(count // 10, 1)
        fill(conn, rows, more)
        report, wall, cpu, peak = timed_update(conn)
        print(f"then {more:,} new posts: per post {wall / more * 1e6:.0f} µs wall, "
              f"{cpu / more * 1e6:.0f} µs CPU; {peak}")  # fmt: skip
        sizes = dict(
            conn.execute(
                "SELECT name, sum(pgsize) FROM dbstat WHERE name IN "
                "('post_signatures', 'lsh_runs', 'dup_groups', 'dup_groups_group', "
                "'dedupe_queue') GROUP BY name"
            ).fetchall()
        )
        found = dedupe.groups(conn)
        store.close()
    total = count + more
    print(f"groups: {len(found):,}, posts in them: {sum(len(g.posts) for g in found):,}")
    for name, size in sorted(sizes.items()):
        print(f"  {name:18} {size / 2**20:7.1f} MB, {size / total:5.0f} bytes/post")


def copies(texts: list[str], count: int) -> None:
    """Step 4: ``count`` copies of one text, grouped together."""
    text = max(texts, key=len)
    rows = ((f"Copy{i % 40}", i, (START + timedelta(minutes=i)).isoformat(), text)
            for i in itertools.count())  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "copies.db")
        fill(store.conn, rows, count)
        report, wall, _, peak = timed_update(store.conn)
        found = dedupe.groups(store.conn)
        store.close()
    print(f"{count:,} copies of one text grouped in {wall:.1f} s, {len(found)} group of "
          f"{len(found[0].posts) if found else 0:,}; {peak}")  # fmt: skip
    print(f"  {report}")


def again(path: Path, last: int, cache_mb: int | None) -> None:
    """Step 3: the last ``last`` posts of the archive at ``path`` grouped again."""
    store = SQLiteStore(path)
    conn = store.conn
    if cache_mb:
        conn.execute(f"PRAGMA cache_size = -{cache_mb * 1024}")
    top = conn.execute("SELECT count(*) FROM posts").fetchone()[0]
    row = conn.execute(
        "SELECT min(id) FROM (SELECT id FROM posts ORDER BY id DESC LIMIT ?)", (last,)
    )
    since = (row.fetchone()[0] or 1) - 1  # the ids after it are the last posts
    with store.transaction():
        for table in ("post_signatures", "dup_groups"):
            conn.execute(f"DELETE FROM {table} WHERE post_id > ?", (since,))
        conn.execute(
            "INSERT OR IGNORE INTO dedupe_queue SELECT id FROM posts WHERE id > ?", (since,)
        )
    start = time.perf_counter()
    report = dedupe.update(store)
    seconds = time.perf_counter() - start
    per_post = seconds / max(1, report.checked) * 1e6
    print(f"the last {report.checked:,} of {top:,} posts grouped again: "
          f"{per_post:,.0f} µs/post ({report.grouped:,} grouped)")  # fmt: skip
    store.close()


def lookup(path: Path, rounds: int) -> None:
    """Step 5: the bucket look-up of a small sync, read-only: the buckets of the
    archive's last post, and of its last 16, searched inside the runs
    (``lshindex._probe``) and by reading every run whole, alternated; the best of
    ``rounds`` each, after one look-up that warms the page cache."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    blobs = [r[0] for r in conn.execute(
        "SELECT signature FROM post_signatures ORDER BY post_id DESC LIMIT 16")]  # fmt: skip
    runs, entries = conn.execute("SELECT count(*), sum(entries) FROM lsh_runs").fetchone()
    print(f"{runs} runs, {entries or 0:,} entries")
    keys = bucket_rows(Signature.rows(blobs)[1]).ravel() if blobs else np.zeros(0, np.uint64)
    lshindex.find(conn, keys)
    for posts in (1, 16):
        ask = keys[: posts * BANDS]
        times = {"in place": float("inf"), "every run read": float("inf")}
        for _ in range(rounds):
            for way, probed in (("in place", lshindex.PROBED), ("every run read", 0)):
                default, lshindex.PROBED = lshindex.PROBED, probed
                start = time.perf_counter()
                found = lshindex.find(conn, ask)
                times[way] = min(times[way], time.perf_counter() - start)
                lshindex.PROBED = default
        print(
            f"buckets of {posts} post(s), {len(found[0])} entries: "
            + ", ".join(f"{way} {t * 1000:.1f} ms" for way, t in times.items())
        )
    conn.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--archive", type=Path, help="step 3 on this archive instead")
    parser.add_argument("--last", type=int, default=32_768)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--cache-mb", type=int, help="SQLite page cache for the run (default: the store's)"
    )
    parser.add_argument("--copies", type=int, help="step 4 with this many copies instead")
    parser.add_argument("--lookup", action="store_true", help="with --archive: step 5 instead")
    args = parser.parse_args(argv)
    if args.archive and args.lookup:
        lookup(args.archive, args.rounds)
        return 0
    if args.copies:
        copies([p.text for p in corpus()], args.copies)
        return 0
    if args.archive:
        again(args.archive, args.last, args.cache_mb)
        return 0
    texts = [p.text for p in corpus()]
    signing(texts, args.rounds)
    at_scale(texts, args.posts, args.cache_mb)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
