"""Throughput of the whole extraction cascade on English posts, on one core.

    python bench/extract_speed.py [--rounds N]

Runs ``extract`` over every real post of ../shared (the 505 CSV posts and the 28
seed posts), ``rounds`` times after one warm-up round, and prints posts per second
(the best round: the machines are noisy, and the best is the least disturbed).
"""

from __future__ import annotations

import argparse
import sys
import time

from evaluate import CSV_NAME, SHARED, _posts

from communique.extract import extract
from communique.models import Post
from communique.sources import dump, tabular


def corpus() -> list[Post]:
    posts = _posts(tabular.read_csv(SHARED / "data" / CSV_NAME))
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        posts += _posts(dump.read(path))
    return [p for p in posts if p.text]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    posts = corpus()
    chars = sum(len(p.text) for p in posts)
    for post in posts:  # warm-up: lazy automata, regex caches
        extract(post)
    best = float("inf")
    for _ in range(args.rounds):
        start = time.perf_counter()
        for post in posts:
            extract(post)
        best = min(best, time.perf_counter() - start)
    rate = len(posts) / best
    print(f"extract: {len(posts)} posts ({chars / len(posts):,.0f} chars on average), "
          f"best of {args.rounds} rounds: {best * 1000:.1f} ms, {rate:,.0f} posts/s, "
          f"{best / len(posts) * 1e6:.0f} µs/post")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
