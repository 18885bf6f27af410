"""The archive's storage, behind the small ``Store`` protocol (``base``).

``open_store`` picks the implementation from the location: a file path is a SQLite
archive (the embedded default). A PostgreSQL store will answer to ``postgresql://``
locations without any stage above this package changing.
"""

from __future__ import annotations

from pathlib import Path

from communique.store.base import Stats, Store
from communique.store.sqlite import SQLiteStore

__all__ = ["Stats", "Store", "open_store"]


def open_store(location: str | Path) -> Store:
    return SQLiteStore(Path(location))
