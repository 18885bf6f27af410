"""The ``communique`` command: thin wrappers over the library.

Each command parses its options, calls one library function and renders the
result. Library errors become a one-line message on stderr and an exit status:
2 for bad input (and usage errors, as click does), 1 for archive errors.

    base.py      the command group, shared options, errors, atomic writes, progress
    archive.py   ingest, sync, channels, reextract, embed, export, stats, show, serve
    analysis.py  search, similar, duplicates, timeline, graph, top, digest
"""

from communique.cli import analysis, archive  # noqa: F401 (they register the commands)
from communique.cli.base import main

__all__ = ["main"]
