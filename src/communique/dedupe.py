"""Near-duplicates: posts that carry the same text, across channels (issue 5).

Forwards, cross-posts between a ministry and its embassies, statements repeated
word for word: each such set of posts is a **group**, named by its earliest post
(by date, undated posts last, then by id: the store's ``POST_ORDER``)::

    report = update(conn)            # incremental; a DedupeReport
    group_of(conn, post_id)          # [post_id, ...], earliest first
    groups(conn, min_size=2)         # [Group], largest first

Each takes a ``SQLiteStore`` or its ``sqlite3.Connection``, the one way in to the
archive; sqlite3's errors leave as ``StoreError``.

1. **Words** (``clean``): the text less boilerplate lines (``BOILERPLATE_LINES``,
   ``CREDIT_RE``), links and hashtags, NFKC-normalised and case-folded: its runs of
   letters and digits. An added hashtag line, emoji, link label or photo credit
   makes no different text.
2. **Shingles**: the distinct runs of ``SHINGLE_WORDS`` (5) words; five, not three,
   so that a template's changed dates ("On Thursday, January 15 ... weekly
   briefing") cost more shingles than a copy's added or cut line. Service messages
   and texts under ``MIN_SHINGLES`` (8 words) are never grouped: too short to tell
   a copy from a common phrase.
3. **Signature** (``sign``): MinHash with ``PERMUTATIONS`` (128) functions
   ``(a * x + b) mod 2**32``, vectorised with numpy over batches of texts; the low
   16 bits of each minimum are kept (different minima agree once in 65,536), with
   the number of distinct shingles: 260 bytes a post.
4. **Buckets** (``Signature.buckets``): the first 30 values as ``BANDS`` (10) bands
   of ``ROWS`` (3), a row of ``lsh_buckets`` each; posts sharing one are candidates.
   A pair with Jaccard 0.69 (the least step 5 can accept) is found 98% of the time,
   0.8 99.9%, 0.85 99.99%: as with 16 bands of 4, but with 10 random B-tree
   insertions a post instead of 16.
5. **Verification** (``alike``): near-duplicates have an estimated Jaccard of at
   least ``SAME_TEXT`` (0.85), or are copies: ``COPY_CONTAINED`` (95%) of the
   smaller's shingles in the larger, the smaller at least ``COPY_SIZE`` (3/4) of
   the larger (a header, a closing line, a paragraph added or cut). No two
   different real texts of ../shared reach either (the closest, weekly briefing
   announcements differing in their dates: Jaccard 0.79, containment 0.88); 95% of
   their copies with the last line cut and 96% with a header line added do, nearly
   all the others short posts where that line is over a quarter of the text.
6. **Groups**: the connected components of near-duplicate pairs; ``dup_groups`` has
   a row for each member of a group of two or more.

``update`` is incremental: triggers on ``posts`` queue new posts and those whose
text, date or kind changed (``dedupe_queue``), and ``update`` works off the queue,
``TRANSACTION`` posts a transaction, so that it costs what changed, not the size of
the archive. A post whose words changed (``text_hash``) leaves its group, which is
re-clustered, and is placed afresh; one whose date changed may rename its group.
Signatures and buckets stay in SQLite, never all in memory.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import struct
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from communique.boilerplate import OWN_LABELS
from communique.errors import NotFound, StoreError
from communique.normalise import line_key
from communique.store.sqlite import POST_ORDER, SQLiteStore

SHINGLE_WORDS = 5
MIN_SHINGLES = 4
PERMUTATIONS = 128
BANDS, ROWS = 10, 3  # a band's ROWS 16-bit values and its number make one int64
SAME_TEXT = 0.85
COPY_CONTAINED = 0.95
COPY_SIZE = 0.75
# The recipe, hashed into every text_hash and seeding the hash functions. Changing
# it needs a migration that empties lsh_buckets and queues every post again.
SCHEME = f"w{SHINGLE_WORDS}p{PERMUTATIONS}b16l{BANDS}x{ROWS}v1"
CHUNK = 256  # posts read and placed together: one bucket look-up, one insertion
TRANSACTION = 4096  # posts a commit: each commit rewrites every bucket page touched
SIGN_BATCH = 16  # texts hashed at once: numpy's arrays stay small enough to be reused
MAX_CHARS = 65535  # a text is compared on its first MAX_CHARS characters
SHINGLE_BITS = 40  # of a shingle's hash, kept under the index of its text
BLOCK = 4096  # shingles hashed at once: 128 x 4096 uint32, 2 MB

# Lines that are no one's statement: link labels (a post's own words, but shared
# by hundreds of posts) and the platforms a broadcast streams on. Compared by their
# letters and digits (normalise.line_key), so emoji and spacing do not matter.
BOILERPLATE_LINES = frozenset(
    line_key(line)
    for line in (
        *OWN_LABELS,
        "🔴 X (ex-Twitter)",
        "🔴 Facebook",
        "🔴 Ruptly",
        "🔴 Russia's MFA website",
        "🔴 UN Web TV",
        "🔴 VK",
        "🔴 Rutube",
        "🔴 YouTube",
        "👉 Watch LIVE",
    )
)
BOILERPLATE_MAX_CHARS = 40  # longer lines are the post's own: no look-up
CREDIT_RE = re.compile(r"^\W*©")  # a photo or video credit: "📹 © Kremlin.News"
LINK_RE = re.compile(r"(?:https?://|www\.|t\.me/)\S+")  # on case-folded text
# Any "#word" goes: 10 times faster than normalise.HASHTAG_RE, and what differs
# ("#1", "page#top") is no statement either.
TAG_RE = re.compile(r"#\w+")

Array = NDArray[np.uint64]


# -- 1-3: words, shingles, signatures ----------------------------------------------


def clean(text: str) -> str:
    """The part of a post's text that dedupe compares (step 1), case-folded."""
    kept = [line for line in text[:MAX_CHARS].split("\n") if not _boilerplate(line)]
    folded = unicodedata.normalize("NFKC", "\n".join(kept)).casefold()
    # The substring tests spare most texts a regex scan (a third of clean's time).
    if "http" in folded or "www." in folded or "t.me/" in folded:
        folded = LINK_RE.sub(" ", folded)
    if "#" in folded:
        folded = TAG_RE.sub(" ", folded)
    return folded[:MAX_CHARS]


def _boilerplate(line: str) -> bool:
    if len(line) > BOILERPLATE_MAX_CHARS:
        return False
    return bool(CREDIT_RE.match(line)) or line_key(line) in BOILERPLATE_LINES


def text_hash(cleaned: str) -> str:
    return hashlib.blake2b(f"{SCHEME}\0{cleaned}".encode(), digest_size=8).hexdigest()


@dataclass(slots=True, frozen=True, eq=False)
class Signature:
    """A post's MinHash: its number of distinct shingles and PERMUTATIONS minima."""

    shingles: int
    values: NDArray[np.uint16]

    def to_bytes(self) -> bytes:
        return struct.pack("<I", self.shingles) + self.values.astype("<u2").tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes) -> Signature | None:
        """The signature stored as ``blob``; None for a post too short to sign."""
        if not blob:
            return None
        (shingles,) = struct.unpack_from("<I", blob)
        return cls(shingles, np.frombuffer(blob, dtype="<u2", offset=4).astype(np.uint16))

    def buckets(self) -> list[int]:
        """Its LSH buckets, one per band (step 4)."""
        return _buckets([self])[0]


def _buckets(signatures: Sequence[Signature]) -> list[list[int]]:
    """Each signature's buckets: a band's number, then its ROWS values, in an int64."""
    if not signatures:
        return []
    values = np.stack([s.values[: BANDS * ROWS] for s in signatures]).astype(np.uint64)
    bands = values.reshape(len(signatures), BANDS, ROWS)
    keys = np.zeros((len(signatures), BANDS), dtype=np.uint64)
    keys |= np.arange(BANDS, dtype=np.uint64) << np.uint64(16 * ROWS)
    for row in range(ROWS):
        keys |= bands[:, :, row] << np.uint64(16 * row)
    result: list[list[int]] = keys.tolist()
    return result


def sign(texts: Sequence[str]) -> list[Signature | None]:
    """The signatures of cleaned texts (``clean``), None for those too short."""
    signatures: list[Signature | None] = []
    for start in range(0, len(texts), SIGN_BATCH):
        batch = texts[start : start + SIGN_BATCH]
        keys, counts = _shingles(*_words(batch), len(batch))
        minima = _minhash(keys, len(batch)) & 0xFFFF
        signatures.extend(
            Signature(int(n), minima[:, i].astype(np.uint16)) if n >= MIN_SHINGLES else None
            for i, n in enumerate(counts)
        )
    return signatures


@dataclass(slots=True, frozen=True)
class _Params:
    """The hash functions' constants, drawn from SCHEME so that they never drift."""

    powers: Array  # B**i mod 2**64, i <= MAX_CHARS: a word's polynomial hash
    inverse_powers: Array  # B**-i
    window: Array  # multipliers of a shingle's SHINGLE_WORDS word hashes
    a: NDArray[np.uint32]  # odd: x -> a * x + b is a permutation of 32-bit values
    b: NDArray[np.uint32]
    word_chars: NDArray[np.bool_]  # whether each BMP code point is a letter or digit


@cache
def _params() -> _Params:
    count = 1 + SHINGLE_WORDS + 2 * PERMUTATIONS
    raw = hashlib.shake_256(f"communique.dedupe {SCHEME}".encode()).digest(8 * count)
    numbers = np.frombuffer(raw, dtype="<u8").astype(np.uint64) | np.uint64(1)
    base = int(numbers[0])
    a, b = numbers[1 + SHINGLE_WORDS :].reshape(2, PERMUTATIONS)
    return _Params(
        powers=_powers(base),
        inverse_powers=_powers(pow(base, -1, 2**64)),
        window=numbers[1 : 1 + SHINGLE_WORDS],
        a=a.astype(np.uint32),
        b=(b >> np.uint64(32)).astype(np.uint32),
        word_chars=np.fromiter((chr(c).isalnum() for c in range(0x10000)), bool, 0x10000),
    )


def _powers(base: int) -> Array:
    powers = np.ones(MAX_CHARS + 1, dtype=np.uint64)
    np.cumprod(np.full(MAX_CHARS, base, dtype=np.uint64), out=powers[1:])
    return powers


def _words(texts: Sequence[str]) -> tuple[Array, NDArray[np.intp]]:
    """Every word's hash in a batch of texts, and the index of the text it is in.

    A word's hash is the polynomial hash of its code points, read off prefix sums
    of the whole batch: with ``i`` a character's place in its text,
    sum(c[i] * B**i for i in word) / B**start, exact mod 2**64 as B is odd.
    Code points above the BMP (emoji) are not letters.
    """
    p = _params()
    # Each text ends with a line break, so that no word runs on into the next.
    joined = "".join(f"{text}\n" for text in texts)
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    is_word = np.zeros(len(points) + 2, dtype=bool)
    is_word[1:-1] = p.word_chars[np.minimum(points, 0xFFFF)]
    edges = np.flatnonzero(is_word[1:] != is_word[:-1])
    starts, ends = edges[0::2], edges[1::2]
    sizes = np.array([len(text) + 1 for text in texts])
    text_starts = np.cumsum(sizes) - sizes
    # Each character's place in its text: counting up, back to 0 where a text begins.
    place = np.ones(len(points), dtype=np.int32)
    place[text_starts] = 1 - np.concatenate(([1], sizes[:-1]))
    np.cumsum(place, out=place)
    weighted = p.powers[place]
    weighted *= points
    prefix = np.zeros(len(points) + 1, dtype=np.uint64)
    np.cumsum(weighted, out=prefix[1:])
    words = prefix[ends] - prefix[starts]
    words *= p.inverse_powers[place[starts]]
    return _mix(words), np.searchsorted(text_starts, starts, side="right") - 1


def _mix(x: Array) -> Array:
    """splitmix64's finaliser, in place: every input bit moves every output bit."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _shingles(words: Array, owner: NDArray[np.intp], count: int) -> tuple[Array, NDArray[np.intp]]:
    """Each text's distinct shingles (text index and hash in one key, sorted), and
    how many each text has."""
    n = len(words) - SHINGLE_WORDS + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(count, dtype=np.intp)
    hashes = np.zeros(n, dtype=np.uint64)
    for i in range(SHINGLE_WORDS):
        hashes += words[i : i + n] * _params().window[i]
    _mix(hashes)
    inside = owner[:n] == owner[SHINGLE_WORDS - 1 :]  # no shingle spans two texts
    keys = owner[:n][inside].astype(np.uint64) << np.uint64(SHINGLE_BITS)
    keys |= hashes[inside] >> np.uint64(64 - SHINGLE_BITS)
    keys.sort()
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    return keys, np.bincount((keys >> np.uint64(SHINGLE_BITS)).astype(np.intp), minlength=count)


def _minhash(keys: Array, count: int) -> NDArray[np.uint32]:
    """The PERMUTATIONS x count minima of (a * x + b) mod 2**32 over each text's keys."""
    p = _params()
    minima = np.full((PERMUTATIONS, count), np.iinfo(np.uint32).max, dtype=np.uint32)
    scratch = np.empty((PERMUTATIONS, min(BLOCK, len(keys))), dtype=np.uint32)
    for low in range(0, len(keys), BLOCK):
        block = keys[low : low + BLOCK]
        values = scratch[:, : len(block)]
        np.multiply(p.a[:, None], block.astype(np.uint32), out=values)
        values += p.b[:, None]
        texts = (block >> np.uint64(SHINGLE_BITS)).astype(np.intp)
        firsts = np.flatnonzero(np.diff(texts, prepend=-1))
        owners = texts[firsts]
        least = np.minimum.reduceat(values, firsts, axis=1)
        minima[:, owners] = np.minimum(minima[:, owners], least)
    return minima


# -- 5: verification -----------------------------------------------------------------


def alike(signature: Signature, others: Sequence[Signature]) -> NDArray[np.bool_]:
    """Which of ``others`` are near-duplicates of ``signature`` (step 5)."""
    values = np.stack([o.values for o in others]) if others else np.zeros((0, PERMUTATIONS))
    sizes = np.array([o.shingles for o in others], dtype=float)
    return _alike(signature.values, signature.shingles, values, sizes)


def _alike(
    values: NDArray[np.uint16], size: int, others: NDArray[Any], sizes: NDArray[np.float64]
) -> NDArray[np.bool_]:
    jaccard = (others == values).mean(axis=1)
    common = jaccard * (sizes + size) / (1 + jaccard)  # estimated shared shingles
    small, large = np.minimum(sizes, size), np.maximum(sizes, size)
    copy = (common >= COPY_CONTAINED * small) & (small >= COPY_SIZE * large)
    result: NDArray[np.bool_] = (jaccard >= SAME_TEXT) | copy
    return result


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
                for chunk in _chunks(ids, CHUNK):
                    _check(conn, chunk, report)
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


def _check(conn: sqlite3.Connection, ids: Sequence[int], report: DedupeReport) -> None:
    """Re-sign and re-place the posts whose words changed; rename the groups of
    those whose date may have."""
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
            _leave(conn, post_id, Signature.from_bytes(old))
    todo = [r[0] for r in rows if r[3] != hashes[r[0]]]
    signatures = dict(zip(todo, sign([texts[p] for p in todo]), strict=True))
    conn.executemany(
        "INSERT OR REPLACE INTO post_signatures (post_id, text_hash, signature) VALUES (?, ?, ?)",
        [(p, hashes[p], b"" if s is None else s.to_bytes()) for p, s in signatures.items()],
    )
    placed = {p: s for p, s in signatures.items() if s is not None}
    report.signed += len(signatures)
    report.unsigned += len(signatures) - len(placed)
    report.grouped += _place(conn, placed)


def _place(conn: sqlite3.Connection, placed: dict[int, Signature]) -> int:
    """File posts (in id order) in their buckets, and merge each with the groups of
    the posts it is alike among those filed before it; how many found one."""
    buckets = dict(zip(placed, _buckets(list(placed.values())), strict=True))
    # One look-up and one insertion for the whole batch: post by post, they would
    # cost more than the signing.
    filed: dict[int, list[int]] = {}
    wanted = sorted({bucket for keys in buckets.values() for bucket in keys})
    for bucket, post_id in conn.execute(
        "SELECT b.bucket, b.post_id FROM json_each(?) j JOIN lsh_buckets b ON b.bucket = j.value",
        (json.dumps(wanted),),
    ):
        filed.setdefault(bucket, []).append(post_id)
    conn.executemany(
        "INSERT OR IGNORE INTO lsh_buckets (bucket, post_id) VALUES (?, ?)",
        sorted((bucket, post_id) for post_id, keys in buckets.items() for bucket in keys),
    )
    candidates: dict[int, set[int]] = {}
    for post_id, keys in buckets.items():  # the batch's later posts see its earlier ones
        candidates[post_id] = {other for bucket in keys for other in filed.get(bucket, ())}
        for bucket in keys:
            filed.setdefault(bucket, []).append(post_id)
    unknown = sorted(set().union(*candidates.values()) - placed.keys())
    known: dict[int, Signature] = dict(placed)
    for other, blob in conn.execute(
        "SELECT post_id, signature FROM post_signatures "
        "WHERE post_id IN (SELECT value FROM json_each(?))",
        (json.dumps(unknown),),
    ):
        if (signature := Signature.from_bytes(blob)) is not None:
            known[other] = signature
    grouped = 0
    for post_id, found in candidates.items():
        others = sorted(found & known.keys())
        if not others:
            continue
        hits = alike(placed[post_id], [known[other] for other in others])
        if hits.any():
            _merge(conn, post_id, [o for o, hit in zip(others, hits, strict=True) if hit])
            grouped += 1
    return grouped


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


def _leave(conn: sqlite3.Connection, post_id: int, old: Signature | None) -> None:
    """Take the post out of its buckets and its group, and re-cluster the rest."""
    if old is not None:
        conn.executemany(
            "DELETE FROM lsh_buckets WHERE bucket = ? AND post_id = ?",
            [(bucket, post_id) for bucket in old.buckets()],
        )
    row = conn.execute("SELECT group_id FROM dup_groups WHERE post_id = ?", (post_id,)).fetchone()
    if row is not None:
        conn.execute("DELETE FROM dup_groups WHERE post_id = ?", (post_id,))
        _regroup(conn, row[0])


def _regroup(conn: sqlite3.Connection, group_id: int) -> None:
    """Split a group that lost a post into the components its members still form."""
    rows = conn.execute(
        "SELECT g.post_id, s.signature FROM dup_groups g JOIN posts p ON p.id = g.post_id "
        "JOIN post_signatures s ON s.post_id = g.post_id "
        f"WHERE g.group_id = ? ORDER BY {POST_ORDER}",
        (group_id,),
    ).fetchall()
    members = [(p, s) for p, blob in rows if (s := Signature.from_bytes(blob)) is not None]
    values = np.stack([s.values for _, s in members])
    sizes = np.array([s.shingles for _, s in members], dtype=float)
    parent = list(range(len(members)))  # union-find; a root is its component's earliest

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(members) - 1):
        hits = _alike(values[i], int(sizes[i]), values[i + 1 :], sizes[i + 1 :])
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
