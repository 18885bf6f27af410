"""The benchmarks' small smoke versions: each script runs end to end on a tiny input
and prints its figures. Timings are never asserted (the machines are noisy); the
figures live in bench/RESULTS.md, measured with `make bench` and the 1M corpus."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def run(*args: str) -> str:
    env = {**os.environ, "PYTHONWARNINGS": "error"}
    proc = subprocess.run([sys.executable, *args], cwd=BENCH, capture_output=True, text=True,
                          env=env, timeout=600)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "corpus.jsonl"
    out = run("corpus.py", "--posts", "300", "--output", str(path))
    assert "300 posts written" in out
    assert len(path.read_text(encoding="utf-8").splitlines()) == 300
    return path


def test_ingest_and_search_benchmarks(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "bench.db"
    assert "posts/s; peak memory" in run("ingest_speed.py", "--corpus", str(corpus),
                                         "--db", str(db))  # fmt: skip
    out = run("dedupe_speed.py", "--archive", str(db), "--last", "100")
    assert "the last 100 of 300 posts grouped again" in out
    out = run("dedupe_speed.py", "--archive", str(db), "--lookup", "--rounds", "1")
    assert "buckets of 1 post(s)" in out and "every run read" in out
    out = run("ingest_stages.py", "--corpus", str(corpus), "--db", str(tmp_path / "stages.db"))
    assert "300 posts, µs per post" in out and "the goal's path" in out
    # Posts added to a copy of that archive: new ones, all stored, the original untouched.
    more = tmp_path / "more.jsonl"
    run("corpus.py", "--posts", "50", "--after", "300", "--seed", "2", "--output", str(more))
    onto = tmp_path / "onto.db"
    out = run("ingest_stages.py", "--corpus", str(more), "--db", str(onto), "--onto", str(db))
    assert "50 posts, µs per post" in out and "written by the process" in out
    for path, count in ((onto, 350), (db, 300)):
        with contextlib.closing(sqlite3.connect(path)) as conn:
            assert conn.execute("SELECT count(*) FROM posts").fetchone()[0] == count
    out = run("search_speed.py", "--db", str(db), "--runs", "2")
    assert "300 posts in" in out and "search with filter and facets: p95" in out
    assert "Russia, first search after a change to the archive: p95" in out
    out = run("web_speed.py", "--db", str(db), "--runs", "2")
    assert "(front page)" in out and "search page: p95 over all queries" in out
    out = run("search_speed.py", "--db", str(db), "--runs", "2", "--rebuild")
    assert "index ready in" in out and "peak memory so far" in out
    out = run("search_speed.py", "--db", str(db), "--runs", "2", "--engine", "fts5")
    assert "search engine: fts5" in out
    out = run("hybrid_speed.py", "--db", str(db), "--queries", "2")
    assert "synthetic vectors written: 300" in out and "hybrid, country CN" in out


def test_dedupe_benchmark() -> None:
    out = run("dedupe_speed.py", "--posts", "600", "--rounds", "1")
    assert "groups:" in out and "lsh_runs" in out
    out = run("dedupe_speed.py", "--copies", "120")
    assert "120 copies of one text grouped" in out and "1 group of 120" in out


def test_extract_benchmark_and_evaluation() -> None:
    assert "posts/s" in run("extract_speed.py", "--rounds", "1")
    assert "events" in run("evaluate.py", "--check")
