"""all-MiniLM-L6-v2 as a numpy forward pass: the sentence encoder ``embed`` uses.

BERT embeddings, 6 layers of 12-head attention and a GELU MLP, mean pooling over
the attention mask, L2 normalisation, as sentence-transformers does; inputs are cut
at ``MAX_TOKENS`` word pieces. No PyTorch: the weights are read from the model
folder given (``embed.default_encoder`` finds the installed package's), with
safetensors, and the word pieces made by tokenizers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from tokenizers import Tokenizer

DIM = 384
MAX_TOKENS = 128
F32 = NDArray[np.float32]

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

    def __init__(self, folder: Path, *, batch_size: int = 32, threads: int | None = 1):
        self.folder = folder
        self.batch_size = batch_size
        self.threads = threads
        self._tokenizer: Tokenizer | None = None
        self._weights: _Weights | None = None

    def _load(self) -> tuple[Tokenizer, _Weights]:
        if self._tokenizer is None or self._weights is None:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer

            folder = self.folder
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
