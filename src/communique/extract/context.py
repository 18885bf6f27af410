"""What every extraction stage reads, and what the stages before it found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from communique.models import Event, Person, Post


@dataclass(slots=True)
class Context:
    post: Post
    title: str
    lines: list[str]  # the text's lines, title first
    text: str
    # The post's own date (UTC day) when the source gave one.
    posted: date | None
    # The year to give dates written without one: the post's year, else a hint
    # (e.g. the year most of a dump's posts state).
    year: int | None
    # Filled by the stages, in cascade order.
    language: str | None = None
    countries: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    kind: str = "other"
    speaker: str | None = None
    event_date: str | None = None
    place: str | None = None
    people: list[Person] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def make_context(post: Post, *, year: int | None = None) -> Context:
    posted = _day(post.date)
    return Context(
        post=post,
        title=post.title,
        lines=post.text.split("\n") if post.text else [],
        text=post.text,
        posted=posted,
        year=posted.year if posted else year,
    )


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
