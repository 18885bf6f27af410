"""How post vectors are stored: what of a post is embedded, int8 codes in SQLite
(``post_vectors``), and the ANN index beside the archive (usearch HNSW at
``<db>.vectors.usearch``, with ``<db>.vectors.usearch.json``). ``embed`` (see its
docstring) computes the vectors and searches them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from communique.encoder import DIM, F32, MAX_TOKENS
from communique.errors import StoreError

if TYPE_CHECKING:
    from usearch.index import Index

MODEL = "all-MiniLM-L6-v2"  # the post_vectors.model of these vectors
MAX_CHARS = 2000
RECIPE = f"{MODEL}/tokens={MAX_TOKENS}/chars={MAX_CHARS}/v1"  # part of every text_hash
CHUNK = 65_536  # rows dequantised at once by exact search (25 MB of float32)
ANN_MIN = 20_000  # vectors from which embed_posts keeps an ANN index
# HNSW parameters. On clustered data (as real embeddings are) recall@10 is 1.00 at
# expansion 256 and 0.91 at usearch's default of 64, for under a millisecond more.
ANN_CONNECTIVITY, ANN_EXPANSION_ADD, ANN_EXPANSION_SEARCH = 16, 128, 256

I8 = NDArray[np.int8]

# -- what is embedded, and how it is stored ------------------------------------------


def post_text(title: str, text: str) -> str:
    """What is embedded of a post: its text, led by its title when the text lacks it."""
    body = text if title and text.startswith(title) else f"{title}\n{text}".strip()
    return body[:MAX_CHARS]


def text_hash(text: str) -> str:
    return hashlib.blake2b(f"{RECIPE}\n{text}".encode(), digest_size=8).hexdigest()


def quantise(vectors: F32) -> I8:
    """int8 codes, each row scaled so that its largest component is +-127."""
    peak = np.abs(vectors).max(axis=-1, keepdims=True)
    scale = np.float32(127) / np.where(peak > 0, peak, np.float32(1))
    return np.rint(vectors * scale).astype(np.int8)


def dequantise(codes: I8) -> F32:
    """Unit vectors again: the scale was never kept, as every vector had length 1."""
    values = codes.astype(np.float32)
    norms = np.sqrt(np.einsum("ij,ij->i", values, values))[:, None]
    unit: F32 = values / np.maximum(norms, np.float32(1e-12))
    return unit


# -- the archive boundary ------------------------------------------------------------


def connection(target: Any) -> sqlite3.Connection:
    """The sqlite3 connection of a ``SQLiteStore``, or the connection given."""
    conn = target if isinstance(target, sqlite3.Connection) else getattr(target, "conn", None)
    if not isinstance(conn, sqlite3.Connection):
        raise StoreError("semantic search needs the SQLite store")
    return conn


@contextmanager
def translated() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(f"embeddings: {exc}") from None


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One transaction, or a part of the caller's when one is open."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def index_path(conn: sqlite3.Connection) -> Path | None:
    """``<db>.vectors.usearch`` beside the archive; None for an in-memory one."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main" and row[2]:
            return Path(f"{row[2]}.vectors.usearch")
    return None


def as_codes(blobs: Sequence[bytes]) -> I8:
    return np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(len(blobs), DIM)


def plain_rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
    """A cursor of plain tuples: faster than the store's ``sqlite3.Row`` in bulk."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, params)


# -- the ANN index -------------------------------------------------------------------


def ann_ready() -> bool:
    return importlib.util.find_spec("usearch") is not None


def _new_index() -> Index:
    from usearch.index import Index

    return Index(
        ndim=DIM,
        metric="cos",
        dtype="i8",
        connectivity=ANN_CONNECTIVITY,
        expansion_add=ANN_EXPANSION_ADD,
        expansion_search=ANN_EXPANSION_SEARCH,
    )


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _read_meta(path: Path) -> dict[str, Any] | None:
    try:
        meta = json.loads(_meta_path(path).read_text())
    except (OSError, ValueError):
        return None
    if not path.is_file() or not isinstance(meta, dict) or meta.get("model") != MODEL:
        return None
    return meta


def _state(conn: sqlite3.Connection) -> tuple[int, int]:
    """(vectors of the model, highest rowid of the table)."""
    (count,) = conn.execute(
        "SELECT count(*) FROM post_vectors WHERE model = ?", (MODEL,)
    ).fetchone()
    (top,) = conn.execute("SELECT coalesce(max(rowid), 0) FROM post_vectors").fetchone()
    return int(count), int(top)


def sync_index(target: Any, *, rebuild: bool = False, force: bool = False) -> str:
    """Bring the ANN index up to date: none, built, updated or current.

    It is kept from ``ANN_MIN`` vectors on, or at any size once it exists or when
    ``force``d (tests, benchmarks)."""
    conn = connection(target)
    path = index_path(conn)
    with translated():
        count, top = _state(conn)
        if path is None or not ann_ready():
            return "none"
        meta = None if rebuild else _read_meta(path)
        if meta is None and count < ANN_MIN and not force and not path.exists():
            return "none"
        if meta is not None and (meta["count"], meta["watermark"]) == (count, top):
            return "current"
        if meta is None or top < meta["watermark"]:
            index, outcome = _new_index(), "built"
            _add_rows(index, conn, 0)
        else:
            from usearch.index import Index

            restored, outcome = Index.restore(str(path)), "updated"
            if restored is None:
                raise StoreError(f"{path}: not a usearch index; delete it to rebuild")
            index = restored
            _add_rows(index, conn, meta["watermark"])
            if len(index) != count:
                _reconcile(index, conn)
    tmp = path.with_name(path.name + ".tmp")
    index.save(str(tmp))
    os.replace(tmp, path)
    meta_tmp = path.with_name(path.name + ".json.tmp")
    meta_tmp.write_text(json.dumps({"model": MODEL, "count": count, "watermark": top}))
    os.replace(meta_tmp, _meta_path(path))
    _open_index.cache_clear()
    return outcome


def _add_rows(index: Index, conn: sqlite3.Connection, after: int) -> None:
    cursor = plain_rows(
        conn,
        "SELECT post_id, vector FROM post_vectors WHERE rowid > ? AND +model = ? ORDER BY rowid",
        (after, MODEL),
    )
    while rows := cursor.fetchmany(CHUNK):
        keys = np.array([r[0] for r in rows], dtype=np.uint64)
        if len(index):
            index.remove(keys)  # a re-embedded post: its old vector goes
        index.add(keys, as_codes([r[1] for r in rows]))


def _reconcile(index: Index, conn: sqlite3.Connection) -> None:
    """Drop the keys of vectors no longer stored (their posts were deleted)."""
    stored = np.array(
        [r[0] for r in conn.execute("SELECT post_id FROM post_vectors WHERE model = ?", (MODEL,))],
        dtype=np.uint64,
    )
    keys = np.asarray(index.keys, dtype=np.uint64)
    gone = keys[~np.isin(keys, stored)]
    if len(gone):
        index.remove(gone)


@cache
def _open_index(path: Path, mtime_ns: int) -> Index | None:
    from usearch.index import Index

    index = Index.restore(str(path), view=True)
    if index is not None:
        # Not kept in the file. usearch declares this setter apart from its getter,
        # which mypy takes for a read-only property.
        index.expansion_search = ANN_EXPANSION_SEARCH  # type: ignore[misc]
    return index


def ann_index(conn: sqlite3.Connection) -> tuple[Index, int] | None:
    """The saved index (memory-mapped) and its watermark, if there is a usable one."""
    path = index_path(conn)
    if path is None or not ann_ready():
        return None
    meta = _read_meta(path)
    if meta is None:
        return None
    index = _open_index(path, path.stat().st_mtime_ns)
    return (index, int(meta["watermark"])) if index is not None and len(index) else None
