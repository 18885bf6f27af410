"""What the commands share: the command group, common options, error handling,
opening the archive, atomic writes and the progress bar."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from communique import settings
from communique.dedupe import update as dedupe_update
from communique.errors import CommuniqueError, InputError, StoreError
from communique.store import Store, open_store
from communique.store.sqlite import SQLiteStore

F = TypeVar("F", bound=Callable[..., Any])

db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The archive file. [default: $COMMUNIQUE_DB, else communique.db]",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def handle_errors(func: F) -> F:
    """Turn library errors into a clean message and an exit status."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CommuniqueError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2 if isinstance(exc, InputError) else 1)

    return wrapper  # type: ignore[return-value]


@contextmanager
def archive(db: Path | None) -> Iterator[Store]:
    store = open_store(db or Path(settings.get_str("db")))
    try:
        yield store
    finally:
        store.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="communique")
def main() -> None:
    """communique: a clean, searchable archive of diplomatic Telegram channels."""


def sqlite_store(store: Store) -> SQLiteStore:
    if not isinstance(store, SQLiteStore):
        raise StoreError("near-duplicate groups need the SQLite store")
    return store


def post_keys(store: Store, ids: list[int]) -> list[str]:
    conn = sqlite_store(store).conn
    marks = ", ".join("?" * len(ids))
    keys = dict(conn.execute(f"SELECT id, key FROM posts WHERE id IN ({marks})", ids))
    return [keys[i] for i in ids]


def update_groups(store: Store) -> None:
    """Bring the near-duplicate groups up to date with what was just stored."""
    if isinstance(store, SQLiteStore):
        dedupe_update(store)


def write_text(path: Path, text: str) -> None:
    write_atomically(path, lambda fh: int(fh.write(text)))


def write_atomically(path: Path, write: Callable[[Any], int]) -> int:
    """Write through a temporary file, so a failed export never leaves half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            count = write(fh)
        # mkstemp makes the file private; give it the mode a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


class _Bar:
    """The ingest progress hook, drawn with rich on stderr when it is a terminal."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.task: Any = None

    def file(self, path: str, lines: int) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.task = self.progress.add_task(Path(path).name, total=max(lines, 1))

    def at(self, line: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=line)


@contextmanager
def progress_bar() -> Iterator[_Bar]:
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as progress:
        yield _Bar(progress)
