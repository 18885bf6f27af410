"""Where ingest's time goes: µs of elapsed time per post, stage by stage.

    python bench/ingest_stages.py --corpus build/corpus-20k.jsonl --db build/stages.db

Runs the ``communique ingest`` of a JSONL corpus in this process (the command's
own steps: ingest, then near-duplicate upkeep), with timers around each stage, and
prints µs per post for each. "the goal's path" is what the issue's ingest goal
names: reading, extraction and storage with full-text indexing; near-duplicate
upkeep and the ranking index follow it in the same command and are shown apart.
The stages wrap the functions ``communique.ingest`` calls, so the figures include
the calls' own overhead; ``ingest_speed.py`` measures the command from outside.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

from ingest_speed import setup

from communique import dedupe, identity, textindex
from communique.store.sqlite import SQLiteStore

# The module, not the function the package exports under the same name.
INGEST = importlib.import_module("communique.ingest")
GOAL = (
    "whole-file check",
    "normalise",
    "extraction",
    "identity look-ups",
    "store: write",
    "store: commit",
)


def main(argv: list[str]) -> int:
    args, posts = setup(argv, __doc__)

    spent: dict[str, float] = {}

    def timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*a: Any, **k: Any) -> Any:
            start = time.perf_counter()
            try:
                return func(*a, **k)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

        return wrapper

    INGEST.normalise = timed("normalise", INGEST.normalise)
    INGEST.annotate = timed("extraction", INGEST.annotate)
    INGEST._check = timed("whole-file check", INGEST._check)
    identity.unseen = timed("identity look-ups", identity.unseen)
    SQLiteStore._flush = timed("store: write", SQLiteStore._flush)
    INGEST.textindex.keep_up = timed("ranking index", textindex.keep_up)

    real_commit = SQLiteStore.transaction

    store = SQLiteStore(args.db)
    store.transaction = _commit_timed(store, real_commit, spent)  # type: ignore[method-assign]
    written = _written()
    start = time.perf_counter()
    cpu = time.process_time()
    INGEST.ingest(store, [args.corpus], format="jsonl")
    timed("near-duplicate upkeep", dedupe.update)(store)
    store.close()
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu

    goal = sum(spent.get(name, 0.0) for name in GOAL)
    rest = total - sum(spent.values())
    print(f"{posts:,} posts, µs per post (elapsed):")
    for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {name:24s} {seconds / posts * 1e6:7.1f}")
    print(f"  {'the rest (reading, loop)':24s} {rest / posts * 1e6:7.1f}")
    print(f"whole command: {total / posts * 1e6:,.0f} µs/post = {posts / total:,.0f} posts/s "
          f"(CPU of all threads {cpu / posts * 1e6:,.0f} µs/post); peak memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")  # fmt: skip
    if written is not None and (now := _written()) is not None:
        # Less noisy than time: most of the store's cost on a large archive is pages
        # written, to the WAL and again at checkpoints.
        print(f"written by the process: {(now - written) / posts / 1024:,.1f} KB/post")
    path = goal + rest
    print(f"the goal's path (reading, extraction, storage with FTS5): {path / posts * 1e6:,.0f} "
          f"µs/post = {posts / path:,.0f} posts/s")  # fmt: skip
    return 0


def _written() -> int | None:
    """Bytes this process has written so far (Linux), None where unknown."""
    try:
        with open("/proc/self/io", encoding="ascii") as io:
            return next(int(line.split()[1]) for line in io if line.startswith("wchar:"))
    except (OSError, StopIteration):
        return None


def _commit_timed(
    store: SQLiteStore, transaction: Callable[..., Any], spent: dict[str, float]
) -> Callable[..., Any]:
    """``store.transaction`` with its COMMIT (and the flush before it) timed apart:
    the flush is timed by its own wrapper, so the commit is the remainder."""

    @contextlib.contextmanager
    def wrapped() -> Any:
        context = transaction(store)
        context.__enter__()
        try:
            yield
        except BaseException:
            if not context.__exit__(*sys.exc_info()):
                raise
            return
        before = spent.get("store: write", 0.0)
        start = time.perf_counter()
        context.__exit__(None, None, None)
        flushed = spent.get("store: write", 0.0) - before
        spent["store: commit"] = spent.get("store: commit", 0.0) + (
            time.perf_counter() - start - flushed
        )

    return wrapped


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
