"""Stage 7: the diplomatic events a post reports."""

from __future__ import annotations

from communique.extract.context import Context
from communique.models import Event


def find(ctx: Context) -> list[Event]:
    """Placeholder."""
    return []
