"""Stage 4: whose words the post mainly presents."""

from __future__ import annotations

from communique.extract.context import Context


def find(ctx: Context) -> str | None:
    """Placeholder."""
    return None
