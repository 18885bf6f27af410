"""Stage 5: when and where the reported event took place."""

from __future__ import annotations

from communique.extract.context import Context


def event_date(ctx: Context) -> str | None:
    """Placeholder: YYYY-MM-DD."""
    return None


def place(ctx: Context) -> str | None:
    """Placeholder: the city."""
    return None


def year_hint(texts: list[str]) -> int | None:
    """Placeholder: the year most of a dump's posts state, for its undated dates."""
    return None
