"""Near-duplicate signatures: what dedupe compares of a text, and how (issue 5).

Steps 1-3 and 5 of ``communique.dedupe`` (its docstring tells the whole recipe),
apart from the archive: pure functions on texts and signatures.

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
   of ``ROWS`` (3), an entry of the bucket runs each (``communique.lshindex``);
   posts sharing one are candidates. A pair with Jaccard 0.69 (the least step 5 can
   accept) is found 98% of the time, 0.8 99.9%, 0.85 99.99%: as with 16 bands of 4,
   with 10 entries a post instead of 16.
5. **Verification** (``alike``): near-duplicates have an estimated Jaccard of at
   least ``SAME_TEXT`` (0.85), or are copies: ``COPY_CONTAINED`` (95%) of the
   smaller's shingles in the larger, the smaller at least ``COPY_SIZE`` (3/4) of
   the larger (a header, a closing line, a paragraph added or cut). No two
   different real texts of ../shared reach either (the closest, weekly briefing
   announcements differing in their dates: Jaccard 0.79, containment 0.88); 95% of
   their copies with the last line cut and 96% with a header line added do, nearly
   all the others short posts where that line is over a quarter of the text.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from communique.boilerplate import OWN_LABELS
from communique.normalise import line_key

SHINGLE_WORDS = 5
MIN_SHINGLES = 4
PERMUTATIONS = 128
BANDS, ROWS = 10, 3  # a band's ROWS 16-bit values and its number make one int64
SAME_TEXT = 0.85
COPY_CONTAINED = 0.95
COPY_SIZE = 0.75
# The recipe, hashed into every text_hash and seeding the hash functions. Changing
# it needs a migration that empties lsh_runs and post_signatures and queues every
# post again (as migration 8 -> 9 does).
SCHEME = f"w{SHINGLE_WORDS}p{PERMUTATIONS}b16l{BANDS}x{ROWS}v1"
SIGN_BATCH = 32  # texts hashed at once: fewer numpy calls, arrays still in cache
MAX_CHARS = 65535  # a text is compared on its first MAX_CHARS characters
SHINGLE_BITS = 40  # of a shingle's hash, kept under the index of its text
BLOCK = 8192  # shingles hashed at once (a batch's, mostly): 128 x 8192 uint32, 4 MB

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


# -- 1-3: words, shingles, signatures ---------------------------------------------


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
    return len(line) <= BOILERPLATE_MAX_CHARS and _short_boilerplate(line)


@lru_cache(maxsize=4096)
def _short_boilerplate(line: str) -> bool:
    # Cached: short lines are mostly the same few labels, post after post.
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

    @staticmethod
    def rows(blobs: Sequence[bytes]) -> tuple[NDArray[np.float64], NDArray[np.uint16]]:
        """Stored signatures (none empty) at once: their shingle counts, and their
        values a row each; as ``from_bytes`` would give, without an object each."""
        raw = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), -1)
        sizes = raw[:, :4].copy().view("<u4")[:, 0].astype(np.float64)
        return sizes, raw[:, 4:].copy().view("<u2").astype(np.uint16)

    @classmethod
    def from_bytes(cls, blob: bytes) -> Signature | None:
        """The signature stored as ``blob``; None for a post too short to sign."""
        if not blob:
            return None
        (shingles,) = struct.unpack_from("<I", blob)
        return cls(shingles, np.frombuffer(blob, dtype="<u2", offset=4).astype(np.uint16))

    def buckets(self) -> list[int]:
        """Its LSH buckets, one per band (dedupe step 4)."""
        result: list[int] = bucket_array([self])[0].tolist()
        return result


def bucket_array(signatures: Sequence[Signature]) -> Array:
    """Each signature's LSH buckets (dedupe step 4), a row per signature: a band's
    number, then its ROWS values, in an int64."""
    if not signatures:
        return np.zeros((0, BANDS), dtype=np.uint64)
    return bucket_rows(np.stack([s.values[: BANDS * ROWS] for s in signatures]))


def bucket_rows(values: NDArray[np.uint16]) -> Array:
    """``bucket_array`` of signatures' values, a row each."""
    bands = values[:, : BANDS * ROWS].astype(np.uint64).reshape(len(values), BANDS, ROWS)
    keys = np.zeros((len(values), BANDS), dtype=np.uint64)
    keys |= np.arange(BANDS, dtype=np.uint64) << np.uint64(16 * ROWS)
    for row in range(ROWS):
        keys |= bands[:, :, row] << np.uint64(16 * row)
    return keys


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
    return alike_values(signature.values, signature.shingles, values, sizes)


def alike_values(
    values: NDArray[np.uint16],
    size: int | NDArray[np.float64],
    others: NDArray[Any],
    sizes: NDArray[np.float64],
) -> NDArray[np.bool_]:
    """``alike`` on a signature's values and shingle count against rows of others;
    or, given rows of values and counts for both, row against row (pairs)."""
    jaccard = (others == values).mean(axis=1)
    common = jaccard * (sizes + size) / (1 + jaccard)  # estimated shared shingles
    small, large = np.minimum(sizes, size), np.maximum(sizes, size)
    copy = (common >= COPY_CONTAINED * small) & (small >= COPY_SIZE * large)
    result: NDArray[np.bool_] = (jaccard >= SAME_TEXT) | copy
    return result
