"""Run every benchmark (``make bench``); results are recorded in bench/RESULTS.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [["extract_speed.py"], ["evaluate.py"]]


def main() -> int:
    status = 0
    for args in BENCHMARKS:
        print(f"$ python bench/{' '.join(args)}", flush=True)
        status |= subprocess.call([sys.executable, str(HERE / args[0]), *args[1:]], cwd=HERE)
    return status


if __name__ == "__main__":
    sys.exit(main())
