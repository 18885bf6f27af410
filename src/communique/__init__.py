"""communique: a clean, structured, searchable archive of diplomatic Telegram channels.

The small public API: open an archive, ingest files into it, and the records that
come back. Everything else is importable from its module but may change.

    >>> from communique import ingest, open_store
    >>> store = open_store("communique.db")
    >>> report = ingest(store, ["dump.txt"], channel="MFARussia")
"""

from importlib.metadata import PackageNotFoundError, version

from communique.errors import CommuniqueError, InputError, NotFound, StoreError
from communique.ingest import ingest
from communique.models import Channel, IngestReport, Post, RawPost, ReplyTo, SourceRef
from communique.store import Store, open_store

try:
    __version__ = version("communique")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

__all__ = [
    "Channel",
    "CommuniqueError",
    "IngestReport",
    "InputError",
    "NotFound",
    "Post",
    "RawPost",
    "ReplyTo",
    "SourceRef",
    "Store",
    "StoreError",
    "__version__",
    "ingest",
    "open_store",
]
