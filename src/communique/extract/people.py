"""Stage 6: the persons a post names, with role and country."""

from __future__ import annotations

from communique.extract.context import Context
from communique.models import Person


def find(ctx: Context) -> list[Person]:
    """Placeholder."""
    return []
