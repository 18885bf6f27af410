"""Extract: the structure of a post, by a numbered cascade of rules and gazetteers.

    1. language   (language.py)  the text's language
    2. mentions   (gazetteer.py) countries and organisations, matched once with
                                 Aho-Corasick over the whole text
    3. kind       (kind.py)      title patterns and emoji markers, then structured
                                 cues ("💬 Name:", "❓ Question"), then the body
    4. speaker    (speaker.py)   whose words the post mainly presents
    5. when/where (when.py)      the event's date and city
    6. people     (people.py)    persons named, with role and country
    7. events     (events.py)    meetings, calls, consultations ... with CAMEO/PLOVER

Each stage reads the ``Context`` (the post's lines, its reference date, what the
stages before found) and adds its field; patterns and vocabularies live in data
modules beside the stage. ``VERSION`` names the rules: a post records the version
that produced its fields, and ``communique reextract`` brings old ones up to date.
"""

from __future__ import annotations

from dataclasses import replace

from communique.extract import events, gazetteer, kind, language, people, speaker, when
from communique.extract.context import Context, make_context
from communique.models import Post, Structure

# 2: a country named where a text ends partway into a longer name ("... in South
# China") is found.
VERSION = "2"

__all__ = ["VERSION", "Context", "annotate", "extract"]


def extract(post: Post, *, year: int | None = None) -> Structure:
    """The structure of ``post``; ``year`` stands in for an undated post's year."""
    ctx = make_context(post, year=year)
    if post.kind == "service":
        return Structure(kind="service", language=language.detect(ctx))
    ctx.language = language.detect(ctx)
    ctx.countries = gazetteer.countries(ctx)
    ctx.organizations = gazetteer.organizations(ctx)
    ctx.kind = kind.classify(ctx)
    ctx.speaker = speaker.find(ctx)
    ctx.event_date = when.event_date(ctx)
    ctx.place = when.place(ctx)
    ctx.people = people.find(ctx)
    return Structure(
        kind=ctx.kind,
        speaker=ctx.speaker,
        event_date=ctx.event_date,
        place=ctx.place,
        countries=ctx.countries,
        organizations=ctx.organizations,
        people=ctx.people,
        events=events.find(ctx),
        language=ctx.language,
    )


def annotate(post: Post, *, year: int | None = None) -> Post:
    """``post`` with the fields the extractor finds, stamped with ``VERSION``."""
    found = extract(post, year=year)
    return replace(
        post,
        kind=found.kind,
        speaker=found.speaker,
        event_date=found.event_date,
        place=found.place,
        countries=found.countries,
        organizations=found.organizations,
        people=found.people,
        events=found.events,
        language=found.language,
        extractor=VERSION,
    )
