"""The LSH buckets of near-duplicate detection (dedupe step 4), as sorted runs.

Each post is filed under ``BANDS`` buckets, random 64-bit keys. Kept as a B-tree
(one row per bucket and post, until schema version 9), every insertion landed on a
random page: at 1M posts the table had 10M rows and 186 MB, and filing a post cost
~145 µs, most of near-duplicate upkeep. Here the buckets are **runs**, as in a
log-structured merge tree: each transaction of ``dedupe.update`` writes its new
entries as one sorted run (``lsh_runs``: two BLOBs, the bucket keys in order and
the post of each), and runs of about the same size are merged ``FANOUT`` at a time
up to ``MAX_RUN`` entries. A look-up (``find``) reads every run once a
transaction, one at a time, and finds all of the transaction's buckets with a
binary search; a look-up of a few keys (``PROBED``: a sync of a few posts) searches
each run where it lies instead, reading a few bytes a step.

The runs live in the archive, in the caller's transaction: a failed update leaves
them as they were, and no file beside the archive can fall out of step with it.

Entries are never deleted: a post whose text changed keeps its old entries beside
the new ones, and a deleted post its own. Those who use a look-up check a candidate
against its current signature (``dedupe`` compares the buckets of both), so stale
entries cost a little reading, never a wrong candidate.
"""

from __future__ import annotations

import bisect
import sqlite3

import numpy as np
from numpy.typing import NDArray

FANOUT = 4  # runs of one size class merged together
MAX_RUN = 1 << 20  # entries in a merged run at most: its arrays take 16 MB
BASE = 2048  # entries of the smallest size class; each class is FANOUT times larger
# Up to this many keys (ten a post) a look-up searches the runs where they lie
# (``_probe``): 20 to 40 reads of eight bytes a key and run, instead of every run.
PROBED = 160

Keys = NDArray[np.uint64]
Posts = NDArray[np.int64]


def find(conn: sqlite3.Connection, keys: Keys) -> tuple[Keys, Posts]:
    """Every stored entry under one of ``keys``: their keys, and their posts, run by
    run, key by key. Each run is read once, one at a time, and searched for all the
    keys together; for a few keys (a small sync), searched where it lies instead."""
    wanted = np.unique(keys)
    if len(wanted) <= PROBED:
        return _probe(conn, wanted)
    found_keys: list[Keys] = [np.zeros(0, dtype=np.uint64)]
    found_posts: list[Posts] = [np.zeros(0, dtype=np.int64)]
    for blob_keys, blob_posts in conn.execute("SELECT keys, posts FROM lsh_runs"):
        run_keys = np.frombuffer(blob_keys, dtype="<u8")
        at = matches(wanted, run_keys)[1]
        found_keys.append(run_keys[at])
        found_posts.append(np.frombuffer(blob_posts, dtype="<i8")[at])
    return np.concatenate(found_keys), np.concatenate(found_posts)


def _probe(conn: sqlite3.Connection, wanted: Keys) -> tuple[Keys, Posts]:
    """``find`` for a few keys: binary searches inside each run's BLOBs, reading eight
    bytes a step (``blobopen``), instead of copying every run out whole. SQLite still
    follows each BLOB's chain of overflow pages to reach a position, so the pages are
    read all the same: at 1M posts a sync of one post looks its buckets up in 15 ms
    instead of 77 with the archive in the page cache, and in about the same 1.5 s
    from a cold disk (bench/dedupe_speed.py --lookup)."""
    found_keys: list[int] = []
    found_posts: list[int] = []
    # One snapshot for the list of runs and every read inside them, as the one
    # statement of the whole-read path has: a merge elsewhere may delete runs.
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        runs = conn.execute("SELECT id, entries FROM lsh_runs").fetchall()
        for run_id, entries in runs:
            _probe_run(conn, run_id, entries, wanted, found_keys, found_posts)
    finally:
        if own:
            conn.execute("COMMIT")
    return np.array(found_keys, dtype=np.uint64), np.array(found_posts, dtype=np.int64)


def _probe_run(
    conn: sqlite3.Connection,
    run_id: int,
    entries: int,
    wanted: Keys,
    found_keys: list[int],
    found_posts: list[int],
) -> None:
    """The entries of one run under ``wanted``, added to the two lists."""
    with conn.blobopen("lsh_runs", "keys", run_id, readonly=True) as blob:
        run_keys = _BlobKeys(blob, entries)
        spans = [(key, *_span(run_keys, key)) for key in wanted.tolist()]
    spans = [(key, lo, hi) for key, lo, hi in spans if hi > lo]
    if not spans:
        return
    with conn.blobopen("lsh_runs", "posts", run_id, readonly=True) as blob:
        for key, lo, hi in spans:
            blob.seek(8 * lo)
            posts = np.frombuffer(blob.read(8 * (hi - lo)), dtype="<i8")
            found_keys += [key] * (hi - lo)
            found_posts += posts.tolist()


class _BlobKeys:
    """A run's sorted keys as a sequence read from its BLOB, eight bytes at a time,
    for ``bisect``."""

    def __init__(self, blob: sqlite3.Blob, entries: int) -> None:
        self.blob = blob
        self.entries = entries

    def __len__(self) -> int:
        return self.entries

    def __getitem__(self, i: int) -> int:
        self.blob.seek(8 * i)
        return int.from_bytes(self.blob.read(8), "little")


def _span(keys: _BlobKeys, key: int) -> tuple[int, int]:
    """Where ``key``'s entries lie in a run's sorted keys: [lo, hi)."""
    lo = bisect.bisect_left(keys, key)
    if lo == len(keys) or keys[lo] != key:
        return lo, lo
    return lo, bisect.bisect_right(keys, key, lo)


def matches(needles: Keys, sorted_keys: Keys) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Every pair (i, j) with ``needles[i] == sorted_keys[j]``, as two arrays."""
    if not len(sorted_keys):
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    low = np.searchsorted(sorted_keys, needles, side="left")
    # Most needles are in no run: the second search is only for those that are.
    found = sorted_keys[np.minimum(low, len(sorted_keys) - 1)] == needles
    counts = np.zeros(len(needles), dtype=np.intp)
    counts[found] = np.searchsorted(sorted_keys, needles[found], side="right") - low[found]
    # The positions of every needle's matches: its first, then the ones after it.
    ends = np.cumsum(counts)
    total = int(ends[-1]) if len(ends) else 0
    which = np.repeat(np.arange(len(needles)), counts)
    return which, np.repeat(low - ends + counts, counts) + np.arange(total)


def file(conn: sqlite3.Connection, keys: Keys, posts: Posts) -> None:
    """Write entries as a run, and merge the runs that are due."""
    if len(keys):
        _write(conn, keys, posts)
    while (due := _due(conn)) is not None:
        _merge(conn, due)


def size_class(entries: int) -> int:
    """0 below ``BASE`` entries, then one more for each FANOUT times as many."""
    level, bound = 0, BASE
    while entries >= bound:
        level, bound = level + 1, bound * FANOUT
    return level


def _write(conn: sqlite3.Connection, keys: Keys, posts: Posts) -> None:
    order = np.lexsort((posts, keys))
    conn.execute(
        "INSERT INTO lsh_runs (level, entries, keys, posts) VALUES (?, ?, ?, ?)",
        (
            size_class(len(keys)),
            len(keys),
            keys[order].astype("<u8").tobytes(),
            posts[order].astype("<i8").tobytes(),
        ),
    )


def _due(conn: sqlite3.Connection) -> list[int] | None:
    """The runs to merge next: of the smallest size class with FANOUT runs or more,
    the smallest that fit in ``MAX_RUN`` together, if that is two or more."""
    runs: dict[int, list[tuple[int, int]]] = {}
    for run_id, level, entries in conn.execute(
        "SELECT id, level, entries FROM lsh_runs ORDER BY level, entries, id"
    ):
        runs.setdefault(level, []).append((entries, run_id))
    for level in sorted(runs):
        if len(runs[level]) < FANOUT:
            continue
        chosen, total = [], 0
        for entries, run_id in runs[level]:
            if total + entries > MAX_RUN:
                break
            chosen.append(run_id)
            total += entries
        if len(chosen) >= 2:
            return chosen
    return None


def _merge(conn: sqlite3.Connection, run_ids: list[int]) -> None:
    marks = ", ".join("?" * len(run_ids))
    rows = conn.execute(f"SELECT keys, posts FROM lsh_runs WHERE id IN ({marks})", run_ids)
    keys, posts = [], []
    for blob_keys, blob_posts in rows:
        keys.append(np.frombuffer(blob_keys, dtype="<u8"))
        posts.append(np.frombuffer(blob_posts, dtype="<i8"))
    conn.execute(f"DELETE FROM lsh_runs WHERE id IN ({marks})", run_ids)
    _write(conn, np.concatenate(keys), np.concatenate(posts))
