"""Plain-text renderings shared by the CLI: ingest reports, stats, one post."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from communique.models import Channel, IngestReport, Post, SourceRef
from communique.store.base import Stats

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


def post_text(post: Post) -> str:
    meta = [
        ("key", post.key),
        ("channel", post.channel),
        ("message", str(post.message_id) if post.message_id is not None else None),
        ("date", post.date),
        ("url", post.url),
        ("forwarded from", post.forwarded_from),
        ("reply to", _reply(post)),
        ("media", ", ".join(post.media) or None),
        ("hashtags", " ".join(f"#{t}" for t in post.hashtags) or None),
        ("links", "\n        ".join(post.links) or None),
        ("source", _source(post)),
    ]
    head = [f"{name + ':':<15} {value}" for name, value in meta if value]
    return "\n".join([*head, "", post.text])


def _reply(post: Post) -> str | None:
    if post.reply_to is None:
        return None
    return f"{post.reply_to.channel or '?'}: {post.reply_to.text or ''}".strip()


def _source(post: Post) -> str:
    src = post.source
    lines = f" lines {src.lines[0]}-{src.lines[1]}" if src.lines else ""
    return f"{src.kind} {src.path or ''}{lines}".strip()
