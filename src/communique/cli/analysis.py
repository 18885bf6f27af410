"""Commands that search and analyse the archive: search, similar, duplicates,
timeline, graph, top and digest."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from communique import textindex
from communique.analyse import Period
from communique.analyse.graphs import CONTACT_TYPES, Graph, Nodes, comentions, contact_graph
from communique.analyse.timeline import Interval, series, timeline
from communique.analyse.top import FIELDS as TOP_FIELDS
from communique.analyse.top import compare, top
from communique.cli.base import (
    F,
    archive,
    db_option,
    handle_errors,
    json_option,
    main,
    post_keys,
    sqlite_store,
    update_groups,
    write_text,
)
from communique.dedupe import groups as dedupe_groups
from communique.dedupe import same_text
from communique.digest import digest as make_digest
from communique.digest import html_page as digest_html
from communique.digest import markdown as digest_markdown
from communique.errors import NotFound
from communique.render import (
    graph_table,
    search_table,
    timeline_table,
)
from communique.search import MAX_LIMIT, Query
from communique.search import search as run_search


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
        ranked = embed.more_like_this(sqlite_store(store), key, limit=limit)
        posts = dict(
            zip(post_keys(store, [i for i, _ in ranked]), [s for _, s in ranked], strict=True)
        )
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
        update_groups(store)
        if key is not None:
            found: Any = same_text(sqlite_store(store), key)
            if not found:
                raise NotFound(f"no post with key {key!r}")
        else:
            found = [
                [k for k in post_keys(store, g.posts)]
                for g in dedupe_groups(sqlite_store(store))[:limit]
            ]
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
    elif key is not None:
        click.echo("\n".join(found))
    else:
        for group in found:
            click.echo(f"{len(group)} posts, first {group[0]}: " + " ".join(group[1:]))


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
        write_text(output, text)


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
    write_text(stem.with_suffix(".md"), digest_markdown(report))
    write_text(stem.with_suffix(".html"), digest_html(report))
    click.echo(f"{report.posts} posts; wrote {stem}.md and {stem}.html")
