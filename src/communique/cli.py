"""The ``communique`` command: thin wrappers over the library.

Each command parses its options, calls one library function and renders the
result. Library errors become a one-line message on stderr and an exit status:
2 for bad input (and usage errors, as click does), 1 for archive errors.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from communique import export as export_lib
from communique import settings, sources, textindex
from communique.analyse import Period
from communique.analyse.graphs import CONTACT_TYPES, Graph, Nodes, comentions, contact_graph
from communique.analyse.timeline import Interval, series, timeline
from communique.analyse.top import FIELDS as TOP_FIELDS
from communique.analyse.top import compare, top
from communique.dedupe import groups as dedupe_groups
from communique.dedupe import same_text
from communique.dedupe import update as dedupe_update
from communique.digest import digest as make_digest
from communique.digest import html_page as digest_html
from communique.digest import markdown as digest_markdown
from communique.errors import CommuniqueError, InputError, NotFound, StoreError
from communique.ingest import ingest as ingest_files
from communique.models import IngestReport, Post, channel_username
from communique.reextract import reextract as reextract_posts
from communique.render import (
    channel_lines,
    graph_table,
    post_text,
    report_lines,
    search_table,
    stats_lines,
    sync_lines,
    timeline_table,
)
from communique.search import MAX_LIMIT, Query
from communique.search import search as run_search
from communique.sources.tabular import TARGETS, parse_mapping
from communique.store import Store, open_store
from communique.store.sqlite import SQLiteStore
from communique.sync import sync as sync_channels

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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--channel", help="The channel's username, for sources that do not name it.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", *sources.names()]),
    default="auto",
    show_default=True,
    help="The input format; auto detects it per file.",
)
@click.option(
    "--map",
    "mapping",
    metavar="TARGET=COLUMN,...",
    help="CSV/JSONL columns for the post's fields, e.g. text=body,date=published "
    "(targets: " + ", ".join(TARGETS) + ").",
)
@json_option
@handle_errors
def ingest(
    paths: tuple[Path, ...],
    db: Path | None,
    channel: str | None,
    fmt: str,
    mapping: str | None,
    as_json: bool,
) -> None:
    """Load posts from files (or folders of files) into the archive.

    Reads text dumps of the web preview, saved t.me/s pages, Telegram Desktop
    exports (result.json) and other scrapers' CSV or JSONL (docs/sources.md).
    """
    columns = parse_mapping(mapping) if mapping else None
    channel = channel_username(channel) if channel else None
    with archive(db) as store, _progress() as progress:
        report = ingest_files(
            store, paths, channel=channel, format=fmt, mapping=columns, progress=progress
        )
        _dedupe(store)
    _print_report(report, as_json)
    if report.failed:
        sys.exit(2)


@main.command()
@db_option
@click.option(
    "--format", "fmt", type=click.Choice(export_lib.FORMATS), default="jsonl", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option(
    "--include-service", is_flag=True, help="Include service messages (pinned, renamed, ...)."
)
@handle_errors
def export(db: Path | None, fmt: str, output: Path | None, include_service: bool) -> None:
    """Write every post in the export format (docs/export.md)."""
    with archive(db) as store:
        posts = store.posts(include_service=include_service)
        if output is None:
            export_lib.write(posts, sys.stdout, fmt)
            return
        count = _write_atomically(output, lambda fh: export_lib.write(posts, fh, fmt))
    click.echo(f"{count} posts written to {output}", err=True)


@main.command()
@db_option
@click.option("--top", default=10, show_default=True, help="How many rows per ranking.")
@json_option
@handle_errors
def stats(db: Path | None, top: int, as_json: bool) -> None:
    """Summarise the archive: posts per source, forwards, hashtags, media."""
    with archive(db) as store:
        result = store.stats(top=top)
    if as_json:
        click.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(stats_lines(result)))


@main.command()
@click.argument("key")
@db_option
@json_option
@handle_errors
def show(key: str, db: Path | None, as_json: bool) -> None:
    """Show one post by its key."""
    with archive(db) as store:
        post: Post | None = store.get(key)
        if post is None:
            raise NotFound(f"no post with key {key!r}")
        versions = store.versions(post.key)
        twins = (
            [k for k in same_text(store, post.key) if k != post.key]
            if isinstance(store, SQLiteStore)
            else []
        )
    if as_json:
        data = post.to_dict()
        data["versions"] = [asdict(v) for v in versions]
        data["same_text"] = twins
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(post_text(post, versions, twins))


def _many(name: str, help: str) -> Callable[[F], F]:
    return click.option(name, multiple=True, help=help + " (repeat for several: any of them)")


@main.command("search")
@click.argument("text", required=False, default="")
@db_option
@_many("--channel", "Only this channel's posts.")
@click.option("--since", metavar="DATE", help="Posted on or after this date (ISO 8601).")
@click.option("--until", metavar="DATE", help="Posted on or before this date.")
@_many("--kind", "Only posts of this kind (statement, meeting, phone_call, ...).")
@_many("--speaker", "Only posts presenting this person's words.")
@_many("--country", "Only posts mentioning this country (ISO code or name).")
@_many("--org", "Only posts mentioning this organisation (UN, NATO, ...).")
@_many("--person", "Only posts naming this person.")
@_many("--hashtag", "Only posts with this hashtag.")
@click.option("--media/--no-media", "has_media", default=None, help="With or without media.")
@click.option("--forwarded/--not-forwarded", default=None, help="Only forwards, or only own posts.")
@click.option("--mode", type=click.Choice(["text", "semantic", "hybrid"]), default="text",
              show_default=True)  # fmt: skip
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance",
              show_default=True)  # fmt: skip
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many results.")
@json_option
@handle_errors
def search_command(text: str, db: Path | None, as_json: bool, **options: Any) -> None:
    """Search posts: words, "phrases", AND / OR / NOT, prefix*, with filters.

    The syntax is in docs/search.md. Without TEXT, the filters alone select posts,
    newest first.
    """
    query = Query(text=text)
    for name, value in options.items():
        setattr(query, name, list(value) if isinstance(value, tuple) else value)
    with archive(db) as store:
        if textindex.must_build(getattr(store, "path", "")):
            click.echo("building the search index (once: about a minute per million posts)",
                       err=True)  # fmt: skip
        results = run_search(store, query)
    if as_json:
        click.echo(json.dumps(results.to_dict(), ensure_ascii=False, indent=2))
    else:
        Console(highlight=False).print(search_table(results, query))


period_since = click.option("--since", metavar="DATE", help="From this date (ISO 8601).")
period_until = click.option("--until", metavar="DATE", help="To this date, inclusive.")


@main.command("timeline")
@click.argument("specs", nargs=-1, required=True, metavar="SERIES...")
@db_option
@click.option("--interval", type=click.Choice(["day", "week", "month"]), default="month",
              show_default=True)  # fmt: skip
@period_since
@period_until
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)  # fmt: skip
@handle_errors
def timeline_command(
    specs: tuple[str, ...],
    db: Path | None,
    interval: Interval,
    since: str | None,
    until: str | None,
    fmt: str,
) -> None:
    """Posts per day, week or month for each SERIES.

    A series is a search query ("Lavrov NOT Blinken") or an entity: country:VN,
    org:NATO, person:"Sergey Lavrov", speaker:..., hashtag:..., kind:meeting,
    channel:NAME.
    """
    with archive(db) as store:
        result = timeline(
            store, [series(s) for s in specs], interval=interval, period=Period(since, until)
        )
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif fmt == "csv":
        _csv(["bucket", "series", "count"], result.rows())
    else:
        Console(highlight=False).print(timeline_table(result))


@main.command("graph")
@db_option
@click.option("--network", type=click.Choice(["contacts", "comentions"]), default="contacts",
              show_default=True, help="Contacts from events, or co-mentions in posts.")  # fmt: skip
@click.option("--nodes", type=click.Choice(["countries", "people"]), default="countries",
              show_default=True, help="For contacts: countries or people.")  # fmt: skip
@click.option("--type", "types", multiple=True, type=click.Choice(CONTACT_TYPES),
              help="For contacts: only these event types (repeat).")  # fmt: skip
@period_since
@period_until
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "graphml"]),
              default="table", show_default=True)  # fmt: skip
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
@handle_errors
def graph_command(
    db: Path | None,
    network: str,
    nodes: Nodes,
    types: tuple[str, ...],
    since: str | None,
    until: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Who met, called or consulted whom; or which entities are named together."""
    period = Period(since, until)
    with archive(db) as store:
        if network == "contacts":
            result = contact_graph(store, nodes=nodes, period=period, types=types or CONTACT_TYPES)
        else:
            result = comentions(store, period=period)
    if fmt == "table":
        Console(highlight=False).print(graph_table(result))
        return
    text = graph_text(result, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        _write_text(output, text)


@main.command("top")
@click.argument("field", type=click.Choice(sorted(TOP_FIELDS)))
@db_option
@period_since
@period_until
@click.option("--channel", help="Only this channel's posts.")
@click.option("--limit", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--compare", "channels", multiple=True, metavar="CHANNEL",
              help="Compare channels side by side instead (repeat).")  # fmt: skip
@json_option
@handle_errors
def top_command(
    field: str,
    db: Path | None,
    since: str | None,
    until: str | None,
    channel: str | None,
    limit: int,
    channels: tuple[str, ...],
    as_json: bool,
) -> None:
    """The top speakers, kinds, hashtags, countries ... of a period."""
    period = Period(since, until)
    with archive(db) as store:
        if channels:
            result: Any = compare(store, list(channels), period=period, limit=limit)
        else:
            result = top(store, field, period=period, channel=channel, limit=limit)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    elif channels:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        width = max((len(v) for v, _ in result), default=0)
        click.echo("\n".join(f"{v.ljust(width)}  {n:>6}" for v, n in result))


def graph_text(result: Graph, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "graphml":
        return result.graphml()
    rows = [(e.source, e.target, e.weight, " ".join(e.dates)) for e in result.edges]
    return _csv_text(["source", "target", "weight", "dates"], rows)


def _csv_text(header: list[str], rows: list[tuple[Any, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _csv(header: list[str], rows: list[tuple[Any, ...]]) -> None:
    click.echo(_csv_text(header, rows), nl=False)


@main.command("digest")
@db_option
@click.option("--since", default="7d", show_default=True,
              help="A date, or a span back from the newest post: 7d, 2w, 1m.")  # fmt: skip
@period_until
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="Folder for the two files.")  # fmt: skip
@handle_errors
def digest_command(db: Path | None, since: str, until: str | None, output: Path) -> None:
    """Write a Markdown and a self-contained HTML report on a period."""
    with archive(db) as store:
        report = make_digest(store, since=since, until=until)
    output.mkdir(parents=True, exist_ok=True)
    stem = output / f"digest-{report.period.since}-{report.period.until}"
    _write_text(stem.with_suffix(".md"), digest_markdown(report))
    _write_text(stem.with_suffix(".html"), digest_html(report))
    click.echo(f"{report.posts} posts; wrote {stem}.md and {stem}.html")


@main.command()
@db_option
@click.option("--all", "everything", is_flag=True, help="Also posts already at this version.")
@handle_errors
def reextract(db: Path | None, everything: bool) -> None:
    """Find the structure of stored posts again (after the rules changed)."""
    with archive(db) as store, _progress() as progress:
        report = reextract_posts(store, everything=everything, progress=progress)
    click.echo(
        f"{report.posts} posts extracted again with rules version {report.version}; "
        f"{report.changed} changed"
    )


@main.command("sync")
@click.argument("names", nargs=-1)
@db_option
@click.option("--all", "all_followed", is_flag=True, help="Also sync every followed channel.")
@click.option("--since", metavar="DATE", help="Fetch back to this date (ISO 8601).")
@click.option("--limit", type=click.IntRange(min=1), help="Fetch at most this many posts.")
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    default=lambda: float(settings.get_str("sync_delay")),
    show_default="1.0, or $COMMUNIQUE_SYNC_DELAY",
    help="Seconds between requests.",
)
@json_option
@handle_errors
def sync_command(
    names: tuple[str, ...],
    db: Path | None,
    all_followed: bool,
    since: str | None,
    limit: int | None,
    delay: float,
    as_json: bool,
) -> None:
    """Fetch new posts from channels' public web previews (t.me/s/NAME).

    Pages are fetched newest first, until posts already stored, --since or --limit;
    each page is stored at once, so an interrupted sync keeps what it fetched.
    """
    with archive(db) as store, _progress() as progress:
        wanted = list(names)
        if all_followed:
            wanted += [c.username for c in store.channels(followed_only=True)]
        if not wanted:
            raise InputError("name channels to sync, or --all for the followed ones")
        reports = sync_channels(
            store, dict.fromkeys(wanted), since=since, limit=limit, delay=delay,
            progress=progress,
        )  # fmt: skip
        _dedupe(store)
    if as_json:
        click.echo(json.dumps([asdict(r) for r in reports], ensure_ascii=False, indent=2))
    else:
        for line, is_error in sync_lines(reports):
            click.echo(line, err=is_error)
    if any(r.errors for r in reports):
        sys.exit(1)


@main.command("embed")
@db_option
@handle_errors
def embed_command(db: Path | None) -> None:
    """Compute sentence embeddings for posts that lack them (semantic search)."""
    from communique import embed

    with archive(db) as store, _progress() as bar:
        bar.file("embed", 0)
        report = embed.embed_posts(_sqlite(store), progress=lambda done, total: bar.at(done))
    click.echo(
        f"{report.embedded} posts embedded, {report.unchanged} unchanged "
        f"({report.posts_per_second:.1f} posts/s); index {report.index}"
    )


@main.command("similar")
@click.argument("key")
@db_option
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=10, show_default=True)
@json_option
@handle_errors
def similar_command(key: str, db: Path | None, limit: int, as_json: bool) -> None:
    """Posts nearest in meaning to the post KEY ("more like this")."""
    from communique import embed

    with archive(db) as store:
        ranked = embed.more_like_this(_sqlite(store), key, limit=limit)
        posts = dict(zip(_keys(store, [i for i, _ in ranked]), [s for _, s in ranked], strict=True))
        rows = [(k, s, store.get(k)) for k, s in posts.items()]
    if as_json:
        click.echo(json.dumps([{"key": k, "score": round(s, 4), "title": p.title if p else None}
                               for k, s, p in rows], ensure_ascii=False, indent=2))  # fmt: skip
    else:
        for k, s, p in rows:
            click.echo(f"{s:.3f}  {k}  {p.title[:90] if p else ''}")


@main.command("duplicates")
@click.argument("key", required=False)
@db_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@json_option
@handle_errors
def duplicates_command(key: str | None, db: Path | None, limit: int, as_json: bool) -> None:
    """Groups of posts with the same text (forwards, cross-posts, repeats).

    With KEY, that post's group, earliest first. Groups are kept up to date by
    ingest and sync.
    """
    with archive(db) as store:
        _dedupe(store)
        if key is not None:
            found: Any = same_text(_sqlite(store), key)
            if not found:
                raise NotFound(f"no post with key {key!r}")
        else:
            found = [
                [k for k in _keys(store, g.posts)] for g in dedupe_groups(_sqlite(store))[:limit]
            ]
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif key is not None:
        click.echo("\n".join(found))
    else:
        for group in found:
            click.echo(f"{len(group)} posts, first {group[0]}: " + " ".join(group[1:]))


def _sqlite(store: Store) -> SQLiteStore:
    if not isinstance(store, SQLiteStore):
        raise StoreError("near-duplicate groups need the SQLite store")
    return store


def _keys(store: Store, ids: list[int]) -> list[str]:
    conn = _sqlite(store).conn
    marks = ", ".join("?" * len(ids))
    keys = dict(conn.execute(f"SELECT id, key FROM posts WHERE id IN ({marks})", ids))
    return [keys[i] for i in ids]


def _dedupe(store: Store) -> None:
    """Bring the near-duplicate groups up to date with what was just stored."""
    if isinstance(store, SQLiteStore):
        dedupe_update(store)


@main.group()
def channels() -> None:
    """Channels followed by `sync --all`, with their sync state."""


@channels.command("add")
@click.argument("usernames", nargs=-1, required=True)
@db_option
@handle_errors
def channels_add(usernames: tuple[str, ...], db: Path | None) -> None:
    """Follow channels (their t.me usernames or links)."""
    with archive(db) as store, store.transaction():
        for username in usernames:
            store.follow(channel_username(username))
    click.echo(f"following {len(usernames)} channel(s)")


@channels.command("remove")
@click.argument("usernames", nargs=-1, required=True)
@db_option
@handle_errors
def channels_remove(usernames: tuple[str, ...], db: Path | None) -> None:
    """Stop following channels; their posts stay in the archive."""
    with archive(db) as store, store.transaction():
        unknown = [u for u in usernames if not store.follow(channel_username(u), followed=False)]
    if unknown:
        raise NotFound(f"not followed: {', '.join(unknown)}")


@channels.command("list")
@db_option
@json_option
@handle_errors
def channels_list(db: Path | None, as_json: bool) -> None:
    """List known channels: followed or not, last synced id and time."""
    with archive(db) as store:
        known = store.channels()
    if as_json:
        click.echo(json.dumps([asdict(c) for c in known], ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(channel_lines(known)))


@main.command("serve")
@db_option
@click.option("--host", default=lambda: settings.get_str("web_host"),
              show_default="127.0.0.1, or $COMMUNIQUE_HOST",
              help="Address to listen on (the default: this machine only).")  # fmt: skip
@click.option("--port", type=click.IntRange(1, 65535), default=lambda: settings.get_int("web_port"),
              show_default="8000, or $COMMUNIQUE_PORT", help="Port to listen on.")  # fmt: skip
@handle_errors
def serve_command(db: Path | None, host: str, port: int) -> None:
    """Serve the archive read-only: web pages and the JSON API (docs/web.md)."""
    import uvicorn

    from communique.web import WebConfig, create_app

    path = db or Path(settings.get_str("db"))
    app = create_app(path, WebConfig.from_settings(host=host))
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"serving {path} at http://{shown}:{port} (read-only; Ctrl+C to stop)")
    if not WebConfig.is_local(host):
        click.echo(f"warning: {host} is reachable from other machines", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _print_report(report: IngestReport, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    for line, is_error in report_lines(report):
        click.echo(line, err=is_error)


def _write_text(path: Path, text: str) -> None:
    _write_atomically(path, lambda fh: int(fh.write(text)))


def _write_atomically(path: Path, write: Callable[[Any], int]) -> int:
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
def _progress() -> Iterator[_Bar]:
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(
        *columns, console=console, transient=True, disable=not console.is_terminal
    ) as progress:
        yield _Bar(progress)


if __name__ == "__main__":
    main()
