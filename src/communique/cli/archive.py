"""Commands that fill and keep the archive: ingest, sync, channels, reextract, embed,
export, stats, show and serve."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import click

from communique import export as export_lib
from communique import settings, sources
from communique.cli.base import (
    archive,
    db_option,
    handle_errors,
    json_option,
    main,
    progress_bar,
    sqlite_store,
    update_groups,
    write_atomically,
)
from communique.dedupe import same_text
from communique.errors import InputError, NotFound
from communique.ingest import ingest as ingest_files
from communique.models import IngestReport, Post, channel_username
from communique.reextract import reextract as reextract_posts
from communique.render import (
    channel_lines,
    post_text,
    report_lines,
    stats_lines,
    sync_lines,
)
from communique.sources.tabular import TARGETS, parse_mapping
from communique.store.sqlite import SQLiteStore
from communique.sync import sync as sync_channels


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
    with archive(db) as store, progress_bar() as progress:
        report = ingest_files(
            store, paths, channel=channel, format=fmt, mapping=columns, progress=progress
        )
        update_groups(store)
    _print_report(report, as_json)
    if report.failed:
        sys.exit(2)


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
    with archive(db) as store, progress_bar() as progress:
        wanted = list(names)
        if all_followed:
            wanted += [c.username for c in store.channels(followed_only=True)]
        if not wanted:
            raise InputError("name channels to sync, or --all for the followed ones")
        reports = sync_channels(
            store, dict.fromkeys(wanted), since=since, limit=limit, delay=delay,
            progress=progress,
        )  # fmt: skip
        update_groups(store)
    if as_json:
        click.echo(json.dumps([asdict(r) for r in reports], ensure_ascii=False, indent=2))
    else:
        for line, is_error in sync_lines(reports):
            click.echo(line, err=is_error)
    if any(r.errors for r in reports):
        sys.exit(1)


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


@main.command()
@db_option
@click.option("--all", "everything", is_flag=True, help="Also posts already at this version.")
@handle_errors
def reextract(db: Path | None, everything: bool) -> None:
    """Find the structure of stored posts again (after the rules changed)."""
    with archive(db) as store, progress_bar() as progress:
        report = reextract_posts(store, everything=everything, progress=progress)
    click.echo(
        f"{report.posts} posts extracted again with rules version {report.version}; "
        f"{report.changed} changed"
    )


@main.command("embed")
@db_option
@handle_errors
def embed_command(db: Path | None) -> None:
    """Compute sentence embeddings for posts that lack them (semantic search)."""
    from communique import embed

    with archive(db) as store, progress_bar() as bar:
        bar.file("embed", 0)
        report = embed.embed_posts(sqlite_store(store), progress=lambda done, total: bar.at(done))
    click.echo(
        f"{report.embedded} posts embedded, {report.unchanged} unchanged "
        f"({report.posts_per_second:.1f} posts/s); index {report.index}"
    )


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
        count = write_atomically(output, lambda fh: export_lib.write(posts, fh, fmt))
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
