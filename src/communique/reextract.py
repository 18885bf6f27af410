"""Re-run the extractor over stored posts, without reading any source again.

For when the rules improve (``extract.VERSION`` changes) or were not run: every
post (or only those stamped with another version) is annotated again, in batches
of one transaction each, so an interrupted run keeps its finished batches and a
rerun goes on where it stopped (posts already at the current version are skipped
unless ``everything``). Undated posts get their year from the other undated posts
of the file they came from, as at ingest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from communique import textindex
from communique.extract import VERSION, annotate
from communique.extract.when import year_hint
from communique.ingest import Progress
from communique.store.base import Store

BATCH = 500


@dataclass(slots=True)
class ReextractReport:
    posts: int = 0  # looked at
    changed: int = 0  # whose fields changed
    version: str = VERSION


def reextract(
    store: Store, *, everything: bool = False, progress: Progress | None = None
) -> ReextractReport:
    keys = store.keys()
    report = ReextractReport()
    if progress is not None:
        progress.file("reextract", len(keys))
    hints = _year_hints(store)
    for start in range(0, len(keys), BATCH):
        with store.transaction():
            for key in keys[start : start + BATCH]:
                post = store.get(key)
                if post is None or (post.extractor == VERSION and not everything):
                    continue
                report.posts += 1
                fresh = annotate(post, year=None if post.date else hints.get(post.source.path))
                if fresh != post:
                    store.update(post.key, fresh)
                    report.changed += 1
        if progress is not None:
            progress.at(min(start + BATCH, len(keys)))
    textindex.keep_up(store)
    return report


def _year_hints(store: Store) -> dict[str | None, int]:
    """For each file, the year its undated posts state most (see ingest)."""
    texts: dict[str | None, list[str]] = defaultdict(list)
    for post in store.posts(include_service=True):
        if post.date is None:
            texts[post.source.path].append(post.text)
    hints = {path: year_hint(group) for path, group in texts.items()}
    return {path: year for path, year in hints.items() if year is not None}
