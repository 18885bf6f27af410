"""Stage 2: countries and organisations mentioned in a post."""

from __future__ import annotations

from communique.extract.context import Context


def countries(ctx: Context) -> list[str]:
    """Placeholder: ISO alpha-2 codes, sorted."""
    return []


def organizations(ctx: Context) -> list[str]:
    """Placeholder: usual acronyms, sorted."""
    return []


def country_mentions(text: str) -> list[tuple[int, int, str]]:
    """Placeholder: (start, end, ISO alpha-2) of each country mention in ``text``."""
    return []
