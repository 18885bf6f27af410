"""One exception tree for communique.

Every error the library raises on purpose derives from ``CommuniqueError``, so a
caller (the CLI, the web app) can catch one type and show a clean message. Errors
from sqlite3 and other libraries are translated where they are raised, never leaked.

    CommuniqueError
    ├── InputError              a file or value the user gave cannot be read
    │   ├── UnsupportedFormat   no source recognises the input
    │   └── MalformedInput      the input is of a known format but broken
    │       ├── EncodingError   not UTF-8 text, or binary
    │       └── TooLarge        a line or a file beyond the sane limits
    ├── StoreError              the archive cannot be opened, read or written
    │   └── SchemaError         the archive's schema is newer than this program
    ├── NotFound                no post, channel or entity with that key
    └── SyncError               a channel could not be synced to the end (sync.py)
        ├── NoPublicPreview     t.me/s/NAME shows no channel
        ├── EmptyChannel        the preview says "No posts found"
        ├── FetchFailed         retries or waiting exhausted, a 4xx, a redirect off t.me
        └── PaginationLoop      older pages lead back to pages already seen

``InputError`` and its children carry the offending path (and line, where known)
so that the message names what was wrong and where.
"""

from __future__ import annotations


class CommuniqueError(Exception):
    """Base of every error communique raises on purpose."""


class InputError(CommuniqueError):
    """A file or value the user gave cannot be read."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


class UnsupportedFormat(InputError):
    """No source recognises the input."""


class MalformedInput(InputError):
    """The input is of a known format but broken."""


class EncodingError(MalformedInput):
    """The input is not UTF-8 text, or is binary."""


class TooLarge(MalformedInput):
    """A line or a file is beyond the limits a sane input stays within."""


class StoreError(CommuniqueError):
    """The archive cannot be opened, read or written."""


class SchemaError(StoreError):
    """The archive was written by a newer communique than this one."""


class NotFound(CommuniqueError):
    """No post, channel or entity with that key."""
