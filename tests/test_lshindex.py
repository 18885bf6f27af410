"""LSH buckets as sorted runs: every entry found again through flushes and merges."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from communique import lshindex
from communique.minhash import bucket_array, clean, sign
from communique.models import Post, RawPost
from communique.normalise import normalise
from communique.sources import tabular
from communique.store.sqlite import SQLiteStore
from conftest import CSV_MFA


@pytest.fixture(scope="module")
def filed() -> list[list[int]]:
    """The buckets of the real posts of the MFA CSV, a list per post."""
    posts = [normalise(item) for item in tabular.read_csv(CSV_MFA) if isinstance(item, RawPost)]
    texts = [clean(post.text) for post in posts if isinstance(post, Post)]
    signatures = [s for s in sign(texts) if s is not None]
    assert len(signatures) > 300
    keys: list[list[int]] = bucket_array(signatures).tolist()
    return keys


def test_entries_survive_flushes_and_merges(
    filed: list[list[int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lshindex, "BASE", 32)
    monkeypatch.setattr(lshindex, "MAX_RUN", 600)
    store = SQLiteStore(tmp_path / "runs.db")
    conn = store.conn
    expected: dict[int, Counter[int]] = {}
    for start in range(0, len(filed), 7):  # a transaction of 7 posts: 70 entries
        posts = list(range(start, min(start + 7, len(filed))))
        keys = np.array([filed[p] for p in posts], dtype=np.uint64).ravel()
        lshindex.file(conn, keys, np.repeat(np.array(posts, dtype=np.int64), 10))
        for post_id in posts:
            for key in filed[post_id]:
                expected.setdefault(key, Counter())[post_id] += 1
    runs = conn.execute("SELECT level, entries, keys, posts FROM lsh_runs").fetchall()
    assert sum(r[1] for r in runs) == 10 * len(filed)
    assert len(runs) < len(filed) // 7 / 2  # merged as they came
    levels = Counter(r[0] for r in runs)
    for level, entries, keys, posts in runs:
        array = np.frombuffer(keys, dtype="<u8")
        assert len(array) == entries == len(posts) // 8
        assert (np.diff(array.astype(np.float64)) >= 0).all()  # sorted
        assert level == lshindex.size_class(entries)
        # A run only grows past MAX_RUN alone; a size class short of FANOUT runs
        # waits, and one with more holds runs that cannot merge under MAX_RUN.
        assert entries <= 600
    for level, count in levels.items():
        sizes = sorted(r[1] for r in runs if r[0] == level)
        assert count < lshindex.FANOUT or sizes[0] + sizes[1] > 600

    everything = np.array(list(expected), dtype=np.uint64)
    keys, posts = lshindex.find(conn, everything[::-1])
    found: dict[int, Counter[int]] = {}
    for key, post in zip(keys.tolist(), posts.tolist(), strict=True):
        found.setdefault(key, Counter())[post] += 1
    assert found == expected
    some = everything[:5]
    keys, posts = lshindex.find(conn, np.concatenate([some, [np.uint64(2**63 + 5)]]))
    assert sorted(set(keys.tolist())) == sorted(some.tolist())  # only what was asked
    assert len(posts) == sum(sum(expected[k].values()) for k in some.tolist())
    store.close()


def test_a_few_keys_are_found_in_place_as_by_reading_every_run(
    filed: list[list[int]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A look-up of a few keys (a small sync) binary-searches the runs inside their
    BLOBs: the same entries, in the same order, as reading every run whole."""
    monkeypatch.setattr(lshindex, "BASE", 32)
    store = SQLiteStore(tmp_path / "probe.db")
    conn = store.conn
    for start in range(0, len(filed), 50):
        posts = list(range(start, min(start + 50, len(filed))))
        keys = np.array([filed[p] for p in posts], dtype=np.uint64).ravel()
        lshindex.file(conn, keys, np.repeat(np.array(posts, dtype=np.int64), 10))
    stored = np.unique(np.frombuffer(b"".join(r[0] for r in conn.execute(
        "SELECT keys FROM lsh_runs")), dtype="<u8"))  # fmt: skip
    shared = [k for k, n in Counter(sum(filed, [])).items() if n > 1]
    asks = [
        np.array(filed[0], dtype=np.uint64),  # one post's buckets
        stored[:3],  # the smallest keys
        stored[-3:],  # the largest
        np.array(shared[:4] + shared[:2] + [2**64 - 1, 0, 12345], dtype=np.uint64),
    ]
    probing = lshindex.PROBED
    for ask in asks:
        assert len(np.unique(ask)) <= probing
        probed = lshindex.find(conn, ask)
        monkeypatch.setattr(lshindex, "PROBED", 0)
        whole = lshindex.find(conn, ask)
        monkeypatch.setattr(lshindex, "PROBED", probing)
        assert len(whole[0]) > 0
        assert probed[0].tolist() == whole[0].tolist()
        assert probed[1].tolist() == whole[1].tolist()
        assert probed[0].dtype == whole[0].dtype and probed[1].dtype == whole[1].dtype
    assert len(lshindex.find(conn, np.array([12345], dtype=np.uint64))[0]) == 0
    store.close()


def test_matches_pairs_every_equal_key() -> None:
    needles = np.array([5, 1, 9, 5], dtype=np.uint64)
    haystack = np.array([1, 5, 5, 7], dtype=np.uint64)
    which, where = lshindex.matches(needles, haystack)
    pairs = sorted(zip(which.tolist(), where.tolist(), strict=True))
    assert pairs == [(0, 1), (0, 2), (1, 0), (3, 1), (3, 2)]
    for empty in (
        lshindex.matches(np.zeros(0, dtype=np.uint64), haystack),
        lshindex.matches(needles, np.zeros(0, dtype=np.uint64)),
    ):
        assert [len(a) for a in empty] == [0, 0]


def test_size_classes() -> None:
    assert lshindex.size_class(0) == lshindex.size_class(lshindex.BASE - 1) == 0
    assert lshindex.size_class(lshindex.BASE) == 1
    assert lshindex.size_class(lshindex.BASE * lshindex.FANOUT) == 2
