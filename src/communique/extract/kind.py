"""Stage 3: what kind of post it is."""

from __future__ import annotations

from communique.extract.context import Context

KINDS = (
    "statement", "comment", "answer", "interview", "briefing", "meeting", "phone_call",
    "consultations", "message", "ceremony", "history", "announcement", "opinion", "report",
    "service", "other",
)  # fmt: skip


def classify(ctx: Context) -> str:
    """Placeholder."""
    return "other"
