"""Plain-text renderings shared by the CLI: ingest reports, stats, one post."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from communique.analyse.graphs import Graph
from communique.analyse.timeline import Timeline
from communique.models import Channel, IngestReport, Post, SourceRef, Version
from communique.search import Query, Results
from communique.store.base import Stats
from communique.sync import SyncReport

# Notes shown per file in the text report; --json has them all.
MAX_NOTES = 10


def report_lines(report: IngestReport) -> Iterator[tuple[str, bool]]:
    """(line, is_error) pairs: one line per file, the skipped posts, the totals."""
    for f in report.files:
        if f.error is not None:
            yield f"error: {f.error} (nothing from this file was stored)", True
            continue
        yield (
            f"{f.path}: {f.new} new, {f.merged} merged, {f.unchanged} unchanged, "
            f"{len(f.skipped)} skipped [{f.format}]",
            False,
        )
        for s in f.skipped:
            yield f"  skipped {_where(s.source)}: {s.reason}", False
        for n in f.notes[:MAX_NOTES]:
            yield f"  note {_where(n.source)}: {n.text}", False
        if len(f.notes) > MAX_NOTES:
            yield f"  ... and {len(f.notes) - MAX_NOTES} more notes (--json lists all)", False
    failed = len(report.failed)
    yield (
        f"total: {report.total('new')} new, {report.total('merged')} merged, "
        f"{report.total('unchanged')} unchanged, {len(report.skipped)} skipped"
        + (f"; {failed} file(s) refused" if failed else ""),
        False,
    )


def _where(source: SourceRef) -> str:
    lines = f":{source.lines[0]}-{source.lines[1]}" if source.lines else ""
    return f"{source.path}{lines}"


def stats_lines(stats: Stats) -> Iterator[str]:
    yield f"posts: {stats.posts} ({stats.replies} replies)"
    if stats.first_date:
        yield f"dates: {stats.first_date} .. {stats.last_date}"
    sections = [
        ("posts per channel", stats.channels),
        ("posts per source file", [(Path(p).name, n) for p, n in stats.sources]),
        ("forwards by source channel", stats.forwards),
        ("top hashtags", [(f"#{tag}", n) for tag, n in stats.hashtags]),
        ("media", stats.media),
    ]
    for title, rows in sections:
        if not rows:
            continue
        yield ""
        yield f"{title}:"
        width = max(len(name) for name, _ in rows)
        for name, count in rows:
            yield f"  {name.ljust(width)}  {count:>6}"


def sync_lines(reports: list[SyncReport]) -> Iterator[tuple[str, bool]]:
    for r in reports:
        counts = f"{r.new} new, {r.merged} merged, {r.unchanged} unchanged"
        pages = f"{r.pages} page{'s' if r.pages != 1 else ''}"
        gaps = f", {r.gaps} ids missing (deleted?)" if r.gaps else ""
        if r.errors:
            yield f"@{r.channel}: {counts} from {pages} before it failed{gaps}", False
            for error in r.errors:
                yield f"error: @{r.channel}: {error}", True
        else:
            yield f"@{r.channel}: {counts} from {pages}; {r.stopped_because}{gaps}", False


def search_table(results: Results, query: Query) -> RenderableType:
    """The results as a terminal table, matches in bold, and the facets under it."""
    shown = f"{query.offset + 1}-{query.offset + len(results.hits)}" if results.hits else "0"
    table = Table(title=f"{results.total} posts ({shown} shown)", show_lines=True, expand=True)
    table.add_column("date", no_wrap=True)
    table.add_column("key", no_wrap=True)
    table.add_column("post", ratio=1)
    for hit in results.hits:
        title = Text(hit.title, style="bold")
        body = _marked(hit.snippet)
        table.add_row((hit.date or "")[:10], hit.key, Text.assemble(title, "\n", body))
    facets = [
        f"{name}: " + ", ".join(f"{value} {count}" for value, count in rows)
        for name, rows in results.facets.items()
        if rows
    ]
    return Group(table, Text("\n".join(facets), style="dim"))


def _marked(snippet: str) -> Text:
    """A snippet's <mark>s as bold; the rest as plain text (it was HTML-escaped)."""
    text = Text()
    for i, part in enumerate(snippet.replace("</mark>", "<mark>").split("<mark>")):
        text.append(html.unescape(part), style="bold yellow" if i % 2 else "")
    return text


def timeline_table(result: Timeline) -> RenderableType:
    table = Table(title=f"posts per {result.interval}")
    table.add_column(result.interval)
    for label in result.counts:
        table.add_column(label, justify="right")
    for i, bucket in enumerate(result.buckets):
        table.add_row(bucket, *(str(values[i]) for values in result.counts.values()))
    return table


def graph_table(result: Graph, limit: int = 30) -> RenderableType:
    table = Table(title=f"{len(result.nodes)} nodes, {len(result.edges)} edges")
    for column in ("from", "to", "weight", "first", "last"):
        table.add_column(column, justify="right" if column == "weight" else "left")
    for e in result.edges[:limit]:
        dates = sorted(e.dates)
        table.add_row(
            str(result.nodes[e.source]["label"]),
            str(result.nodes[e.target]["label"]),
            str(e.weight),
            dates[0] if dates else "",
            dates[-1] if dates else "",
        )
    return table


def channel_lines(channels: list[Channel]) -> Iterator[str]:
    if not channels:
        yield "no channels yet: `communique channels add NAME`, or ingest with --channel"
        return
    width = max(len(c.username) for c in channels)
    for c in channels:
        mark = "*" if c.followed else " "
        synced = f"synced to {c.last_synced_id} at {c.last_synced_at}" if c.last_synced_at else ""
        yield f"{mark} {c.username.ljust(width)}  {c.title or ''}  {synced}".rstrip()
    yield "(* followed: synced by `communique sync --all`)"


def post_text(
    post: Post, versions: list[Version] | None = None, same_text: list[str] | None = None
) -> str:
    meta = [
        ("key", post.key),
        ("channel", post.channel),
        ("message", str(post.message_id) if post.message_id is not None else None),
        ("date", post.date),
        ("url", post.url),
        ("kind", post.service and f"service: {post.service}"),
        ("author", post.author),
        ("forwarded from", post.forwarded_from),
        ("reply to", _reply(post)),
        ("media", ", ".join(post.media) or None),
        ("hashtags", " ".join(f"#{t}" for t in post.hashtags) or None),
        ("links", "\n                ".join(post.links) or None),
        ("views", _views(post)),
        ("edited", "yes" if post.edited else None),
        (
            "seen in",
            "\n                ".join(_seen(s) for s in post.sources) or _seen(post.source),
        ),
        ("same text as", " ".join(same_text or []) or None),
    ]
    head = [f"{name + ':':<15} {value}" for name, value in meta if value]
    parts = [*head, "", post.text]
    for version in versions or []:
        parts += ["", f"--- earlier text, replaced {version.replaced_at} ---", version.text]
    return "\n".join(parts)


def _views(post: Post) -> str | None:
    if post.views is None:
        return None
    rounding = (
        f" (±{post.views_rounding // 2})" if post.views_rounding and post.views_rounding > 1 else ""
    )
    return f"{post.views}{rounding}"


def _seen(src: SourceRef) -> str:
    when = f" ({src.first_seen} .. {src.last_seen})" if src.first_seen else ""
    return f"{src.kind} {_where(src)}{when}"


def _reply(post: Post) -> str | None:
    if post.reply_to is None:
        return None
    return f"{post.reply_to.channel or '?'}: {post.reply_to.text or ''}".strip()
