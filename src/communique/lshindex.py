"""The LSH buckets of near-duplicate detection (dedupe step 4), as sorted runs.

Each post is filed under ``BANDS`` buckets, random 64-bit keys. Kept as a B-tree
(one row per bucket and post, until schema version 9), every insertion landed on a
random page: at 1M posts the table had 10M rows and 186 MB, and filing a post cost
~145 µs, most of near-duplicate upkeep. Here the buckets are **runs**, as in a
log-structured merge tree: each transaction of ``dedupe.update`` writes its new
entries as one sorted run (``lsh_runs``: two BLOBs, the bucket keys in order and
the post of each), and runs of about the same size are merged ``FANOUT`` at a time
up to ``MAX_RUN`` entries. A look-up reads every run once a transaction, one at a
time, and finds all of the transaction's buckets with a binary search.

The runs live in the archive, in the caller's transaction: a failed update leaves
them as they were, and no file beside the archive can fall out of step with it.

Entries are never deleted: a post whose text changed keeps its old entries beside
the new ones, and a deleted post its own. Those who use a look-up check a candidate
against its current signature (``dedupe`` compares the buckets of both), so stale
entries cost a little reading, never a wrong candidate.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

FANOUT = 4  # runs of one size class merged together
MAX_RUN = 1 << 20  # entries in a merged run at most: its arrays take 16 MB
BASE = 2048  # entries of the smallest size class; each class is FANOUT times larger

Keys = NDArray[np.uint64]
Posts = NDArray[np.int64]


class Buckets:
    """The archive's buckets during one transaction: ``prefetch`` the stored
    entries of the buckets the transaction will ask for, ``find`` among those and
    the transaction's own, ``add`` entries, ``flush`` them as a run at the end."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._stored: dict[int, list[int]] = {}
        self._new: dict[int, list[int]] = {}

    def prefetch(self, keys: Keys) -> None:
        """Read every run once for these bucket keys (a transaction's, all at once)."""
        wanted = np.unique(keys)
        found_keys: list[Keys] = []
        found_posts: list[Posts] = []
        for run_keys, run_posts in self._runs():
            low = np.searchsorted(run_keys, wanted, side="left")
            high = np.searchsorted(run_keys, wanted, side="right")
            counts = high - low
            hit = counts > 0
            if not hit.any():
                continue
            starts, counts = low[hit], counts[hit]
            # The positions of every hit's entries: each start, then its successors.
            ends = np.cumsum(counts)
            at = np.repeat(starts - ends + counts, counts) + np.arange(int(ends[-1]))
            found_keys.append(run_keys[at])
            found_posts.append(run_posts[at])
        self._stored = {}
        if found_keys:
            for key, post in zip(
                np.concatenate(found_keys).tolist(),
                np.concatenate(found_posts).tolist(),
                strict=True,
            ):
                self._stored.setdefault(key, []).append(post)

    def find(self, key: int) -> list[int]:
        """The posts filed under a bucket: stored (``prefetch``ed) or added since."""
        return self._stored.get(key, []) + self._new.get(key, [])

    def add(self, keys: list[int], post_id: int) -> None:
        for key in keys:
            self._new.setdefault(key, []).append(post_id)

    def flush(self) -> None:
        """Write the added entries as a run, and merge runs that are due."""
        if self._new:
            keys = np.fromiter(
                (k for k, posts in self._new.items() for _ in posts), dtype=np.uint64
            )
            posts = np.fromiter(
                (p for ps in self._new.values() for p in ps), dtype=np.int64, count=len(keys)
            )
            _write(self.conn, keys, posts)
            self._new = {}
        while (due := _due(self.conn)) is not None:
            _merge(self.conn, due)
        self._stored = {}

    def _runs(self) -> Iterator[tuple[Keys, Posts]]:
        # One run in memory at a time: the cursor hands rows over as they are read.
        for blob_keys, blob_posts in self.conn.execute("SELECT keys, posts FROM lsh_runs"):
            yield np.frombuffer(blob_keys, dtype="<u8"), np.frombuffer(blob_posts, dtype="<i8")


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
