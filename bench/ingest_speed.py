"""Ingest speed and peak memory on the CSV/JSONL path, with extraction and indexing.

    python bench/ingest_speed.py --corpus build/corpus-1m.jsonl --db build/bench-1m.db

Runs ``communique ingest`` in a child process on a generated corpus (bench/corpus.py)
into a new archive (or a copy of ``--onto``'s), and reports posts per second and the
child's peak resident memory (``ru_maxrss``): the figures users get, start-up
included. It also reports the child's CPU time (user + system) per post, which
varies less than the elapsed time when other work shares the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def setup(argv: list[str], doc: str) -> tuple[argparse.Namespace, int]:
    """The arguments (``--corpus``, ``--db``, ``--onto``), the archive removed with
    its ranking index so that the run starts empty (or from a copy of ``--onto``'s),
    and the corpus's number of posts."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument(
        "--onto", type=Path,
        help="start from a copy of this archive and its ranking index: the cost of "
        "adding the corpus (new posts: bench/corpus.py --after) to an archive that size",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.onto and args.onto.resolve() == args.db.resolve():
        parser.error("--onto must be another archive than --db: --db is removed first")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(f"{args.db}.tantivy", ignore_errors=True)
    if args.onto:
        # Checkpointed first: a copy of the main file alone would miss the WAL's pages.
        with contextlib.closing(sqlite3.connect(args.onto)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(args.onto, args.db)
        if Path(f"{args.onto}.tantivy").is_dir():
            shutil.copytree(f"{args.onto}.tantivy", f"{args.db}.tantivy")
    with args.corpus.open("rb") as fh:
        return args, sum(1 for _ in fh)


def main(argv: list[str]) -> int:
    args, posts = setup(argv, __doc__)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "communique.cli", "ingest", str(args.corpus), "--db", str(args.db),
         "--format", "jsonl"],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    size_mb = args.db.stat().st_size / 1024**2
    print(f"ingest: {posts:,} posts in {seconds:,.1f} s = {posts / seconds:,.0f} posts/s; "
          f"peak memory {usage.ru_maxrss / 1024:,.0f} MB; archive {size_mb:,.0f} MB; "
          f"CPU {cpu / posts * 1e6:,.0f} µs/post ({posts / cpu:,.0f} posts/s of CPU)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
