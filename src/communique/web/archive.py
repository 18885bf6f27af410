"""The archive a server reads: one read-only SQLite store per worker thread.

FastAPI runs each request's handler in a pool of threads, and a sqlite3 connection
belongs to the thread that opened it, so each thread opens its own store once and
keeps it (with its page cache) for the requests it serves; a thread that ends takes
its store with it.

Read-only: every connection is put in ``PRAGMA query_only``, so nothing a request
does can write to the archive. (The store has no read-only mode of its own yet: a
``mode=ro`` connection would also skip the schema migration and WAL setup; see
docs/web.md.) The archive is opened once, read-write, when the app is created, so
that an archive written by an older communique is brought up to date before it is
served, as any command would. A server reads its ranking index and contact events
once at start (``warm``), so that no visitor waits for them.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from communique.analyse import conn_of
from communique.analyse.contacts import contact_events
from communique.analyse.indexed import ranked
from communique.errors import StoreError
from communique.store import Store, open_store

log = logging.getLogger("communique.web")


class Archive:
    def __init__(self, path: Path):
        if not path.is_file():
            raise StoreError(f"{path}: no archive there (build one with `communique ingest`)")
        open_store(path).close()  # migrate an older archive before serving it
        self.path = path
        self._local = threading.local()

    def store(self) -> Store:
        """This thread's store, opened on first use."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = open_store(self.path)
            conn_of(store).execute("PRAGMA query_only = ON")
            self._local.store = store
        return store

    def warm(self) -> threading.Thread:
        """Read in another thread what the first requests would otherwise wait for:
        the ranking index (built, if the archive has none) and the contact events
        (seconds at a million posts; see analyse.contacts)."""
        thread = threading.Thread(target=self._warm, name="communique-warm", daemon=True)
        thread.start()
        return thread

    def _warm(self) -> None:
        try:
            store = open_store(self.path)
            try:
                conn_of(store).execute("PRAGMA query_only = ON")
                ranked(store)
                contact_events(store)
            finally:
                store.close()
        except Exception:  # a request will meet the same problem and report it
            log.warning("could not read the archive ahead of requests", exc_info=True)
