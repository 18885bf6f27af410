"""Near-duplicates: posts that carry the same text, across channels (issue 5).

Forwards, cross-posts between a ministry and its embassies, statements repeated
word for word: each such set of posts is a **group**, named by its earliest post
(by date, undated posts last, then by id: the store's ``POST_ORDER``)::

    report = update(conn)            # incremental; a DedupeReport
    group_of(conn, post_id)          # [post_id, ...], earliest first
    groups(conn, min_size=2)         # [Group], largest first

Each takes a ``SQLiteStore`` or its ``sqlite3.Connection``, the one way in to the
archive; sqlite3's errors leave as ``StoreError``.

1-3. **Words, shingles, signatures** (``communique.minhash``: ``clean``, ``sign``):
   MinHash over the distinct runs of five words of each text, boilerplate left out.
4. **Buckets** (``minhash.bucket_array``): 10 bands of each signature, an entry of
   the archive's sorted runs each (``communique.lshindex``); posts sharing one are
   candidates, read once a transaction for all its posts.
5. **Verification** (``minhash.alike``): an estimated Jaccard of at least
   ``SAME_TEXT``, or one text nearly all contained in the other.
6. **Groups**: the connected components of near-duplicate pairs; ``dup_groups`` has
   a row for each member of a group of two or more.

``update`` is incremental: triggers on ``posts`` queue new posts and those whose
text, date or kind changed (``dedupe_queue``), and ``update`` works off the queue,
``TRANSACTION`` posts a transaction, so that it costs what changed, not the size of
the archive. A post whose words changed (``text_hash``) leaves its group, which is
re-clustered, and is placed afresh; one whose date changed may rename its group.
Signatures and buckets stay in SQLite: a transaction holds its own posts'
signatures, reads the bucket runs one at a time, and pairs its posts with their
candidates ``PAIRED`` posts at a time.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from communique import lshindex
from communique.errors import NotFound, StoreError
from communique.minhash import (
    BANDS,
    MIN_SHINGLES,
    PERMUTATIONS,
    SAME_TEXT,
    SCHEME,
    SHINGLE_WORDS,
    Signature,
    alike,
    alike_values,
    bucket_rows,
    clean,
    sign,
    text_hash,
)
from communique.store.sqlite import POST_ORDER, SQLiteStore

__all__ = [
    "BANDS",
    "CHUNK",
    "MIN_SHINGLES",
    "PERMUTATIONS",
    "SAME_TEXT",
    "SCHEME",
    "SHINGLE_WORDS",
    "TRANSACTION",
    "DedupeReport",
    "Group",
    "Signature",
    "alike",
    "clean",
    "group_of",
    "groups",
    "same_text",
    "sign",
    "text_hash",
    "update",
]

CHUNK = 256  # posts read and signed together
# Posts paired with their candidates at once: a text in thousands of posts gives each
# thousands of pairs, so memory grows with this times the largest group.
PAIRED = 64
# Posts a commit: each writes one bucket run and reads every run once, so the fewer
# commits, the less reading; 16,384 posts hold ~10 MB of signatures in memory.
TRANSACTION = 16_384
# Candidate pairs verified at once: a large archive's transaction has ~250,000, and
# their signatures read all together would take ~200 MB.
VERIFIED = 32_768


# -- 4 and 6: buckets and groups in the archive ------------------------------------


@dataclass(slots=True)
class Group:
    """Posts that carry the same text; ``id`` is the earliest, ``posts[0]``."""

    id: int
    posts: list[int]


@dataclass(slots=True)
class DedupeReport:
    """What one ``update`` did."""

    checked: int = 0  # posts looked at
    signed: int = 0  # of those, new or with changed words: (re)signed and (re)placed
    unsigned: int = 0  # of the signed, too short (or a service message) to compare
    grouped: int = 0  # of the signed, alike a post signed before them


def update(
    archive: SQLiteStore | sqlite3.Connection, post_ids: Iterable[int] | None = None
) -> DedupeReport:
    """Sign and group the queued posts (new, or text, date or kind changed), or
    exactly ``post_ids``; running it again does nothing."""
    conn = _connection(archive)
    report = DedupeReport()
    with _translated():
        given = None if post_ids is None else sorted({int(i) for i in post_ids})
        batches = _queued(conn) if given is None else _chunks(given, TRANSACTION)
        for ids in batches:
            with _writing(conn):
                placed: dict[int, Signature] = {}
                for chunk in _chunks(ids, CHUNK):
                    placed |= _check(conn, chunk, report)
                report.grouped += _place(conn, placed)
                conn.executemany("DELETE FROM dedupe_queue WHERE post_id = ?", [(i,) for i in ids])
    return report


def group_of(archive: SQLiteStore | sqlite3.Connection, post_id: int) -> list[int]:
    """The posts in ``post_id``'s group, earliest first; just itself if in none."""
    conn = _connection(archive)
    with _translated():
        if conn.execute("SELECT 1 FROM posts WHERE id = ?", (post_id,)).fetchone() is None:
            raise NotFound(f"no post with id {post_id}")
        row = conn.execute("SELECT group_id FROM dup_groups WHERE post_id = ?", (post_id,))
        return [post_id] if (found := row.fetchone()) is None else _members(conn, found[0])


def groups(archive: SQLiteStore | sqlite3.Connection, min_size: int = 2) -> list[Group]:
    """Every group of at least ``min_size`` posts (a group has two or more), largest
    first, then by its earliest post."""
    conn = _connection(archive)
    with _translated():
        rows = conn.execute(
            "SELECT g.group_id, g.post_id FROM dup_groups g JOIN posts p ON p.id = g.post_id "
            "WHERE g.group_id IN (SELECT group_id FROM dup_groups GROUP BY group_id "
            f"HAVING count(*) >= ?) ORDER BY {POST_ORDER}",
            (max(min_size, 2),),
        ).fetchall()
    found: dict[int, Group] = {}
    for group_id, post_id in rows:
        found.setdefault(group_id, Group(group_id, [])).posts.append(post_id)
    return sorted(found.values(), key=lambda g: -len(g.posts))  # stable: earliest first


def same_text(archive: SQLiteStore, key: str) -> list[str]:
    """The keys of the posts with the same text as the post ``key`` (its group),
    earliest first, itself included; [] for an unknown key."""
    conn = _connection(archive)
    with _translated():
        row = conn.execute("SELECT id FROM posts WHERE key = ?", (key,)).fetchone()
        if row is None:
            return []
        ids = group_of(conn, int(row[0]))
        marks = ", ".join("?" * len(ids))
        keys = dict(conn.execute(f"SELECT id, key FROM posts WHERE id IN ({marks})", ids))
    return [keys[i] for i in ids]


def _check(
    conn: sqlite3.Connection, ids: Sequence[int], report: DedupeReport
) -> dict[int, Signature]:
    """Re-sign the posts whose words changed, taking them out of their groups; rename
    the groups of those whose date may have. The signed posts, to be placed."""
    rows = conn.execute(
        "SELECT p.id, p.text, p.kind, s.text_hash, s.signature FROM posts p "
        "LEFT JOIN post_signatures s ON s.post_id = p.id "
        "WHERE p.id IN (SELECT value FROM json_each(?)) ORDER BY p.id",
        (json.dumps(ids),),
    ).fetchall()
    report.checked += len(rows)
    texts = {r[0]: clean(r[1]) if r[2] != "service" else "" for r in rows}
    hashes = {post_id: text_hash(text) for post_id, text in texts.items()}
    for post_id, _, _, old_hash, old in rows:
        if old_hash == hashes[post_id]:
            _rename(conn, post_id)
        elif old is not None:
            _leave(conn, post_id)
    todo = [r[0] for r in rows if r[3] != hashes[r[0]]]
    signatures = dict(zip(todo, sign([texts[p] for p in todo]), strict=True))
    conn.executemany(
        "INSERT OR REPLACE INTO post_signatures (post_id, text_hash, signature) VALUES (?, ?, ?)",
        [(p, hashes[p], b"" if s is None else s.to_bytes()) for p, s in signatures.items()],
    )
    placed = {p: s for p, s in signatures.items() if s is not None}
    report.signed += len(signatures)
    report.unsigned += len(signatures) - len(placed)
    return placed


Entries = tuple[lshindex.Keys, lshindex.Posts]  # bucket keys, sorted; their posts
_NONE = (np.zeros(1), np.zeros((1, PERMUTATIONS), dtype=np.uint16))  # Signature.rows of none


@dataclass(slots=True, frozen=True)
class _Batch:
    """The posts a transaction places, in id order (searched by id), with their signatures' rows."""

    ids: NDArray[np.int64]
    values: NDArray[np.uint16]
    sizes: NDArray[np.float64]
    buckets: NDArray[np.uint64]


def _place(conn: sqlite3.Connection, placed: dict[int, Signature]) -> int:
    """File posts in their buckets, and merge each with the groups of the posts it
    is alike among those filed before it (stored, or earlier in ``placed``, which is
    in id order); how many found one. With numpy, ``PAIRED`` posts at a time: on a
    large archive a transaction's posts have some 250,000 candidates between them."""
    if not placed:
        return 0
    values = np.stack([s.values for s in placed.values()])
    batch = _Batch(
        ids=np.fromiter(placed, dtype=np.int64, count=len(placed)),
        values=values,
        sizes=np.array([s.shingles for s in placed.values()], dtype=np.float64),
        buckets=bucket_rows(values),
    )
    ids, buckets = batch.ids, batch.buckets
    stored = _sorted(*lshindex.find(conn, buckets.ravel()))
    # Stored entries of the posts placed here are those of an old text: their
    # current buckets are the batch's own entries.
    old = np.isin(stored[1], ids)
    stored = stored[0][~old], stored[1][~old]
    filed = buckets.ravel(), np.repeat(ids, BANDS)  # the batch's own entries
    own = _sorted(*filed)
    grouped = 0
    for start in range(0, len(ids), PAIRED):
        part = slice(start, start + PAIRED)
        pairs = _candidates(ids[part], buckets[part], stored, own)
        matched: dict[int, list[int]] = {}
        for at in range(0, len(pairs), VERIFIED):  # by post, then by other
            for post_id, other in _alike(conn, pairs[at : at + VERIFIED], batch):
                matched.setdefault(post_id, []).append(other)
        for post_id, others in matched.items():
            _merge(conn, post_id, others)
        grouped += len(matched)
    lshindex.file(conn, *filed)
    return grouped


def _sorted(keys: NDArray[np.uint64], posts: NDArray[np.int64]) -> Entries:
    order = np.argsort(keys, kind="stable")
    return keys[order], posts[order]


def _candidates(
    ids: NDArray[np.int64], buckets: NDArray[np.uint64], stored: Entries, own: Entries
) -> NDArray[np.int64]:
    """Pairs (post, other), unique and in order, of posts sharing a bucket: stored
    entries, whose post may be any, and the batch's own, whose post must come first.
    Band by band, each band's pairs made unique before the next: a text repeated
    in many posts shares all its bands, and all bands at once take ten times the
    memory."""
    pairs = np.zeros((0, 2), dtype=np.int64)
    for band in range(BANDS):
        keys = buckets[:, band]
        mine, theirs = lshindex.matches(keys, stored[0])
        first, second = ids[mine], stored[1][theirs]
        mine, theirs = lshindex.matches(keys, own[0])
        earlier = own[1][theirs] < ids[mine]
        first = np.concatenate([first, ids[mine][earlier]])
        second = np.concatenate([second, own[1][theirs][earlier]])
        pairs = _unique(np.concatenate([pairs, np.stack([first, second], axis=1)]))
    return pairs


def _unique(pairs: NDArray[np.int64]) -> NDArray[np.int64]:
    """The distinct rows, in order: ``np.unique(axis=0)``, which compares rows as
    bytes and took seconds for a million pairs."""
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    new = np.ones(len(pairs), dtype=bool)
    new[1:] = (pairs[1:] != pairs[:-1]).any(axis=1)
    return pairs[new]


def _alike(
    conn: sqlite3.Connection, pairs: NDArray[np.int64], batch: _Batch
) -> list[tuple[int, int]]:
    """The candidate pairs that are near-duplicates. A pair's post is of the batch;
    its other is of the batch too (an earlier post) or was filed before."""
    a = np.searchsorted(batch.ids, pairs[:, 0])
    at = np.minimum(np.searchsorted(batch.ids, pairs[:, 1]), len(batch.ids) - 1)
    in_batch = batch.ids[at] == pairs[:, 1]
    # The others filed before, read in one query; a candidate deleted or no longer
    # signed has no signature, and drops out.
    stored = conn.execute(
        "SELECT post_id, signature FROM post_signatures "
        "WHERE post_id IN (SELECT value FROM json_each(?)) AND signature != x'' ORDER BY post_id",
        (json.dumps(np.unique(pairs[~in_batch, 1]).tolist()),),
    ).fetchall()
    # A row of zeros stands in when none is: every index below then has a row.
    got = np.array([r[0] for r in stored] or [-1], dtype=np.int64)
    sizes, values = Signature.rows([r[1] for r in stored]) if stored else _NONE
    pos = np.minimum(np.searchsorted(got, pairs[:, 1]), len(got) - 1)
    keep = in_batch | (got[pos] == pairs[:, 1])
    pairs, a, at, pos, in_batch = pairs[keep], a[keep], at[keep], pos[keep], in_batch[keep]
    other_values = np.where(in_batch[:, None], batch.values[at], values[pos])
    other_sizes = np.where(in_batch, batch.sizes[at], sizes[pos])
    other_buckets = np.where(in_batch[:, None], batch.buckets[at], bucket_rows(values)[pos])
    # Filed under a bucket it no longer has (an old text): not a candidate.
    shared = (batch.buckets[a] == other_buckets).any(axis=1)
    hits = shared & alike_values(batch.values[a], batch.sizes[a], other_values, other_sizes)
    found: list[tuple[int, int]] = [tuple(pair) for pair in pairs[hits].tolist()]
    return found


def _merge(conn: sqlite3.Connection, post_id: int, matched: list[int]) -> None:
    """Unite the post with its matches' groups, named by the earliest of all."""
    group_of_match = dict(
        conn.execute(
            "SELECT post_id, group_id FROM dup_groups "
            "WHERE post_id IN (SELECT value FROM json_each(?))",
            (json.dumps(matched),),
        ).fetchall()
    )
    # A match stands for its whole group (named by its earliest post), or for itself.
    names = sorted({group_of_match.get(m, m) for m in matched})
    members = [post_id, *names]
    earliest = conn.execute(
        "SELECT p.id FROM posts p WHERE p.id IN (SELECT value FROM json_each(?)) "
        f"ORDER BY {POST_ORDER} LIMIT 1",
        (json.dumps(members),),
    ).fetchone()[0]
    conn.execute(
        "UPDATE dup_groups SET group_id = ? WHERE group_id IN (SELECT value FROM json_each(?))",
        (earliest, json.dumps(names)),
    )
    conn.executemany(
        "INSERT OR REPLACE INTO dup_groups (post_id, group_id) VALUES (?, ?)",
        [(member, earliest) for member in members],
    )


def _leave(conn: sqlite3.Connection, post_id: int) -> None:
    """Take the post out of its group, and re-cluster the rest. Its buckets stay
    (``lshindex``: entries are never deleted); look-ups check them."""
    row = conn.execute("SELECT group_id FROM dup_groups WHERE post_id = ?", (post_id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM dup_groups WHERE post_id = ?", (post_id,))
        _regroup(conn, row[0])


def _regroup(conn: sqlite3.Connection, group_id: int) -> None:
    """Split a group that lost a post into the components its members still form."""
    members = conn.execute(
        "SELECT g.post_id, s.signature FROM dup_groups g JOIN posts p ON p.id = g.post_id "
        "JOIN post_signatures s ON s.post_id = g.post_id "
        f"WHERE g.group_id = ? AND s.signature != x'' ORDER BY {POST_ORDER}",
        (group_id,),
    ).fetchall()
    sizes, values = Signature.rows([blob for _, blob in members])
    parent = list(range(len(members)))  # union-find; a root is its component's earliest

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(members) - 1):
        hits = alike_values(values[i], int(sizes[i]), values[i + 1 :], sizes[i + 1 :])
        for j in np.flatnonzero(hits) + i + 1:
            low, high = sorted((root(i), root(int(j))))
            parent[high] = low
    roots = [root(i) for i in range(len(members))]
    size_of = Counter(roots)
    conn.execute("DELETE FROM dup_groups WHERE group_id = ?", (group_id,))
    conn.executemany(
        "INSERT INTO dup_groups (post_id, group_id) VALUES (?, ?)",
        [(p, members[r][0]) for (p, _), r in zip(members, roots, strict=True) if size_of[r] > 1],
    )


def _rename(conn: sqlite3.Connection, post_id: int) -> None:
    """Name the post's group by its earliest post again (a date may have moved)."""
    row = conn.execute("SELECT group_id FROM dup_groups WHERE post_id = ?", (post_id,)).fetchone()
    if row is not None and (earliest := _members(conn, row[0])[0]) != row[0]:
        conn.execute("UPDATE dup_groups SET group_id = ? WHERE group_id = ?", (earliest, row[0]))


def _members(conn: sqlite3.Connection, group_id: int) -> list[int]:
    """A group's posts, earliest first."""
    rows = conn.execute(
        "SELECT g.post_id FROM dup_groups g JOIN posts p ON p.id = g.post_id "
        f"WHERE g.group_id = ? ORDER BY {POST_ORDER}",
        (group_id,),
    )
    return [r[0] for r in rows]


# -- plumbing ----------------------------------------------------------------------


def _connection(archive: SQLiteStore | sqlite3.Connection) -> sqlite3.Connection:
    return archive if isinstance(archive, sqlite3.Connection) else archive.conn


def _queued(conn: sqlite3.Connection) -> Iterator[list[int]]:
    """The queue, TRANSACTION posts at a time, read as it is worked off."""
    last = 0
    query = "SELECT post_id FROM dedupe_queue WHERE post_id > ? ORDER BY post_id LIMIT ?"
    while ids := [r[0] for r in conn.execute(query, (last, TRANSACTION))]:
        yield ids
        last = ids[-1]


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@contextmanager
def _writing(conn: sqlite3.Connection) -> Iterator[None]:
    """A batch's writes, all or nothing: a transaction, or a savepoint in the caller's."""
    nested = conn.in_transaction
    conn.execute("SAVEPOINT dedupe" if nested else "BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # unless SQLite has rolled back already
            conn.execute("ROLLBACK TO dedupe" if nested else "ROLLBACK")
            if nested:
                conn.execute("RELEASE dedupe")
        raise
    conn.execute("RELEASE dedupe" if nested else "COMMIT")


@contextmanager
def _translated() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(f"near-duplicate index: {exc}") from None
