"""Where a post names its countries, organisations and people: spans of its text.

    pieces(post, spellings)   the text cut into plain runs and marked mentions

A reader's view marks and links these (the web app's post page). Only entities the
post's stored structure holds are marked, so the marks agree with the filters and
the entity pages:

1. Countries and organisations: the gazetteer's mentions (``extract.gazetteer``),
   each with its code, kept when the code is among the post's ``countries`` or
   ``organizations``.
2. People: each of the post's ``people`` where its name, another spelling of it
   the archive knows, or its surname alone stands as whole words.
3. Overlaps: the earlier span wins, then the longer ("Sergey Lavrov" over a
   "Lavrov" inside it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from communique.extract.gazetteer import country_mentions, org_mentions
from communique.models import Post

MIN_SURNAME = 3  # shorter last words ("Le", "To") are not marked alone


@dataclass(slots=True, frozen=True)
class Span:
    start: int
    end: int
    type: str  # country, organization, person
    value: str  # ISO code, acronym, or the person's name as the post gives it


def spans(post: Post, spellings: Mapping[str, Sequence[str]] | None = None) -> list[Span]:
    """The marked spans of ``post.text``, in text order, not overlapping.

    ``spellings`` maps a person's name to other spellings the archive knows
    (``Store.person``)."""
    text = post.text
    found = [
        Span(m.start, m.end, "country", m.code)
        for m in country_mentions(text, post.language)
        if m.code in post.countries
    ]
    found += [
        Span(m.start, m.end, "organization", m.code)
        for m in org_mentions(text, post.language)
        if m.code in post.organizations
    ]
    for person in post.people:
        for form in _forms(person.name, (spellings or {}).get(person.name, ())):
            pattern = r"(?<!\w)" + re.escape(form) + r"(?!\w)"
            found += [Span(m.start(), m.end(), "person", person.name)
                      for m in re.finditer(pattern, text)]  # fmt: skip
    return _without_overlaps(found)


def pieces(
    post: Post, spellings: Mapping[str, Sequence[str]] | None = None
) -> list[tuple[str, Span | None]]:
    """The text as (run, span) pairs: span is None for plain text."""
    out: list[tuple[str, Span | None]] = []
    at = 0
    for span in spans(post, spellings):
        if span.start > at:
            out.append((post.text[at : span.start], None))
        out.append((post.text[span.start : span.end], span))
        at = span.end
    if at < len(post.text):
        out.append((post.text[at:], None))
    return out


def _forms(name: str, others: Sequence[str]) -> list[str]:
    forms = {name, *others}
    words = name.split()
    if len(words) > 1 and len(words[-1]) >= MIN_SURNAME and words[-1][0].isupper():
        forms.add(words[-1])
    return sorted(forms, key=len, reverse=True)


def _without_overlaps(found: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in sorted(found, key=lambda s: (s.start, -(s.end - s.start))):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept
