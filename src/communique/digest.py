"""Digest: a report on a period, as Markdown and as a self-contained HTML page.

    digest(store, since="7d")   the archive's last seven days

1. The period: ``since`` is a date, or ``Nd`` / ``Nw`` / ``Nm`` counted back from the
   archive's newest post (so an old archive still gets its last week; for a synced
   archive that is the current week); ``until`` defaults to that newest post.
2. Headline counts: posts, channels, kinds.
3. New contacts: pairs of countries that met, called or consulted in the period and
   never before it in the archive.
4. Top topics: countries, organisations, hashtags, speakers.
5. Key statements: the period's statements, comments, answers, interviews, briefings
   and opinion pieces, most viewed first, with links to t.me.
6. Charts: posts per day and the contact graph, as inline SVG (in Markdown as data
   URIs), so both files open with no network.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from communique import charts
from communique.analyse import Period, conn_of
from communique.analyse.contacts import first_contacts
from communique.analyse.graphs import Graph, contact_graph
from communique.analyse.timeline import every_post, timeline
from communique.analyse.top import top
from communique.errors import InputError
from communique.models import Post
from communique.store.base import Store

KEY_KINDS = ("statement", "comment", "answer", "interview", "briefing", "opinion")
KEY_POSTS = 10
RELATIVE = re.compile(r"^(\d{1,4})([dwm])$")
UNIT_DAYS = {"d": 1, "w": 7, "m": 30}


@dataclass(slots=True)
class Digest:
    period: Period
    posts: int
    channels: list[tuple[str, int]]
    kinds: list[tuple[str, int]]
    new_contacts: list[tuple[str, str, int]]
    topics: dict[str, list[tuple[str, int]]]
    key_posts: list[Post]
    days: list[str] = field(default_factory=list)
    per_day: list[int] = field(default_factory=list)
    graph: Graph | None = None


def digest(store: Store, *, since: str = "7d", until: str | None = None) -> Digest:
    period = resolve_period(store, since, until)
    days = timeline(store, [every_post()], interval="day", period=period)
    per_day = days.counts["posts"]
    graph = contact_graph(store, period=period)
    return Digest(
        period=period,
        posts=sum(per_day),
        channels=top(store, "channels", period=period, limit=20),
        kinds=top(store, "kinds", period=period, limit=20),
        new_contacts=_new_contacts(store, graph, period),
        topics={
            name: top(store, name, period=period, limit=8)
            for name in ("countries", "organizations", "hashtags", "speakers")
        },
        key_posts=_key_posts(store, period),
        days=days.buckets,
        per_day=per_day,
        graph=graph,
    )


def resolve_period(store: Store, since: str, until: str | None) -> Period:
    newest = (
        conn_of(store).execute("SELECT max(date) FROM posts WHERE kind != 'service'").fetchone()[0]
    )
    end = (until or (newest or date.today().isoformat()))[:10]
    match = RELATIVE.match(since.strip())
    if match:
        start = date.fromisoformat(end) - timedelta(
            days=int(match.group(1)) * UNIT_DAYS[match.group(2)] - 1
        )
        return Period(start.isoformat(), end)
    try:
        date.fromisoformat(since.strip()[:10])
    except ValueError:
        message = f"--since: a date (2026-01-01) or a span (7d, 2w, 1m), not {since!r}"
        raise InputError(message) from None
    return Period(since.strip()[:10], end)


def _new_contacts(store: Store, graph: Graph, period: Period) -> list[tuple[str, str, int]]:
    """The period's pairs that were in contact on no earlier day."""
    start = (period.since or "")[:10]
    firsts = first_contacts(store)
    return [
        (e.source, e.target, e.weight)
        for e in graph.edges
        if firsts.get((e.source, e.target), start) >= start
    ]


def _key_posts(store: Store, period: Period) -> list[Post]:
    when, params = period.sql()
    marks = ", ".join("?" * len(KEY_KINDS))
    rows = (
        conn_of(store)
        .execute(
            # "+p.kind": read the period by date (a digest's is days or weeks), not
            # every statement of the archive by kind.
            f"SELECT p.key FROM posts p WHERE +p.kind IN ({marks}) AND {when} "
            "ORDER BY coalesce(p.views, 0) DESC, p.date DESC LIMIT ?",
            [*KEY_KINDS, *params, KEY_POSTS],
        )
        .fetchall()
    )
    return [post for (key,) in rows if (post := store.get(key)) is not None]


# -- writing ---------------------------------------------------------------------------


def markdown(d: Digest) -> str:
    lines = [f"# Digest {d.period.since} – {d.period.until}", "", _headline(d), ""]
    lines += _md_table("Posts by kind", ["kind", "posts"], d.kinds)
    lines += ["## New contacts", ""]
    lines += [f"- {a} – {b} ({n})" for a, b, n in d.new_contacts] or ["None in this period."]
    lines.append("")
    for name, rows in d.topics.items():
        lines += _md_table(f"Top {name}", [name, "posts"], rows)
    lines += ["## Key statements", ""]
    for post in d.key_posts:
        who = f" — {post.speaker}" if post.speaker else ""
        link = f" ([t.me]({post.url}))" if post.url else ""
        lines.append(f"- **{(post.date or '')[:10]}** {_md(post.title)}{who}{link}")
    if not d.key_posts:
        lines.append("None in this period.")
    lines += ["", "## Charts", "", _md_image("posts per day", _timeline_svg(d)),
              "", _md_image("contacts", _graph_svg(d)), ""]  # fmt: skip
    return "\n".join(lines)


def html_page(d: Digest) -> str:
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Digest {e(d.period.since or '')} – {e(d.period.until or '')}</title>",
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60em;margin:2em auto;"
        "padding:0 1em}table{border-collapse:collapse}td,th{padding:2px 10px;"
        "border-bottom:1px solid #ddd;text-align:left}</style></head><body>",
        f"<h1>Digest {e(d.period.since or '')} – {e(d.period.until or '')}</h1>",
        f"<p>{e(_headline(d))}</p>",
        _html_table("Posts by kind", ["kind", "posts"], d.kinds),
        "<h2>New contacts</h2><ul>",
        "".join(f"<li>{e(a)} – {e(b)} ({n})</li>" for a, b, n in d.new_contacts)
        or "<li>None in this period.</li>",
        "</ul>",
        *(_html_table(f"Top {name}", [name, "posts"], rows) for name, rows in d.topics.items()),
        "<h2>Key statements</h2><ul>",
        "".join(_html_post(p) for p in d.key_posts) or "<li>None in this period.</li>",
        "</ul><h2>Charts</h2>",
        _timeline_svg(d),
        _graph_svg(d),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _headline(d: Digest) -> str:
    channels = ", ".join(f"{c} ({n})" for c, n in d.channels) or "none"
    return f"{d.posts} posts from {len(d.channels)} channel(s): {channels}."


def _md(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def _md_table(title: str, header: list[str], rows: list[tuple[str, int]]) -> list[str]:
    out = [f"## {title}", ""]
    if not rows:
        return [*out, "None in this period.", ""]
    out += [f"| {header[0]} | {header[1]} |", "|---|---:|"]
    out += [f"| {_md(str(v))} | {n} |" for v, n in rows]
    return [*out, ""]


def _html_table(title: str, header: list[str], rows: list[tuple[str, int]]) -> str:
    e = html.escape
    if not rows:
        return f"<h2>{e(title)}</h2><p>None in this period.</p>"
    body = "".join(f"<tr><td>{e(str(v))}</td><td>{n}</td></tr>" for v, n in rows)
    return (f"<h2>{e(title)}</h2><table><tr><th>{e(header[0])}</th><th>{e(header[1])}</th>"
            f"</tr>{body}</table>")  # fmt: skip


def _html_post(post: Post) -> str:
    e = html.escape
    who = f" — {e(post.speaker)}" if post.speaker else ""
    title = e(post.title)
    if post.url and post.url.startswith("https://t.me/"):
        title = f"<a href='{e(post.url)}'>{title}</a>"
    return f"<li><b>{e((post.date or '')[:10])}</b> {title}{who}</li>"


def _md_image(alt: str, svg: str) -> str:
    data = base64.b64encode(svg.encode()).decode()
    return f"![{alt}](data:image/svg+xml;base64,{data})"


def _timeline_svg(d: Digest) -> str:
    return charts.bars(d.days, d.per_day, title="posts per day")


def _graph_svg(d: Digest) -> str:
    return charts.network(d.graph or Graph({}, []), title="who met, called or consulted whom")
