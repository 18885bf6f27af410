"""Stage 1: the language of a post's text."""

from __future__ import annotations

from communique.extract.context import Context


def detect(ctx: Context) -> str | None:
    """Placeholder: English unless most letters are Cyrillic."""
    letters = [c for c in ctx.text if c.isalpha()]
    if not letters:
        return None
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters)
    return "ru" if cyrillic > len(letters) / 2 else "en"
