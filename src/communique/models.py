"""Typed records passed between the pipeline's stages.

    sources  --RawPost-->  normalise  --Post-->  store  --Post-->  search, export, interfaces

A source reports a post the way it saw it (``RawPost``: possibly several copies of
the text, widget texts already turned into media kinds); ``normalise`` turns that
into one faithful ``Post``. Records are plain dataclasses so that every stage can be
used and tested on its own.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from communique.errors import InputError


@dataclass(slots=True, frozen=True)
class SourceRef:
    """Where a record came from: the kind of source, the file, and the part of it."""

    kind: str  # "dump", "html", "tdesktop", "csv", "jsonl", or "web" for a live sync
    path: str | None = None  # the file read, or the page fetched
    # First and last line (1-based, inclusive) of the post in a line-based file.
    lines: tuple[int, int] | None = None
    # When the archive first and last saw the post here (set by the store).
    first_seen: str | None = None
    last_seen: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "path": self.path}
        if self.lines is not None:
            data["lines"] = list(self.lines)
        if self.first_seen is not None:
            data["first_seen"] = self.first_seen
            data["last_seen"] = self.last_seen
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SourceRef:
        lines = data.get("lines")
        return cls(
            kind=str(data["kind"]),
            path=data.get("path"),
            lines=(int(lines[0]), int(lines[1])) if lines else None,
            first_seen=data.get("first_seen"),
            last_seen=data.get("last_seen"),
        )

    def place(self) -> SourceRef:
        """The same place without the times, for comparing where posts came from."""
        return SourceRef(self.kind, self.path, self.lines)


@dataclass(slots=True, frozen=True)
class ReplyTo:
    """The post a reply answers, as the reply shows it."""

    channel: str | None  # display name of the replied-to channel
    text: str | None  # the one-line preview of the replied-to post
    message_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"channel": self.channel, "text": self.text}
        if self.message_id is not None:
            data["message_id"] = self.message_id
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReplyTo:
        return cls(
            channel=data.get("channel"),
            text=data.get("text"),
            message_id=data.get("message_id"),
        )


@dataclass(slots=True, frozen=True)
class Version:
    """An earlier text of an edited post, kept when a later sighting replaced it."""

    title: str
    text: str
    source: SourceRef
    replaced_at: str


@dataclass(slots=True, frozen=True)
class LinkPreview:
    """The preview card Telegram shows under a post for its first link."""

    url: str | None = None
    site: str | None = None
    title: str | None = None
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "site": self.site,
            "title": self.title,
            "description": self.description,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinkPreview:
        return cls(
            url=data.get("url"),
            site=data.get("site"),
            title=data.get("title"),
            description=data.get("description"),
        )


@dataclass(slots=True)
class Channel:
    """A channel as its public page or an export describes it."""

    username: str  # the t.me name, e.g. "MFARussia"
    title: str | None = None
    description: str | None = None
    subscribers: int | None = None
    followed: bool = False  # synced by `communique sync --all`
    last_synced_id: int | None = None  # the newest message id a sync has stored
    last_synced_at: str | None = None


# What a user may type for a channel: "MFARussia", "@MFARussia", "t.me/MFARussia",
# "https://t.me/s/MFARussia".
_CHANNEL_RE = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:t(?:elegram)?\.me/)?(?:s/)?@?([A-Za-z0-9_]{4,32})/?$"
)


def channel_username(text: str) -> str:
    """The username in what a user typed for a channel, or InputError."""
    match = _CHANNEL_RE.match(text.strip())
    if match is None:
        raise InputError(f"not a channel username or t.me link: {text!r}")
    return match.group(1)


@dataclass(slots=True, frozen=True)
class Person:
    """A person a post names, as far as the post states role and country."""

    name: str
    role: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "country": self.country}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Person:
        return cls(name=data["name"], role=data.get("role"), country=data.get("country"))


@dataclass(slots=True, frozen=True)
class Event:
    """A diplomatic event a post reports, typed with CAMEO and PLOVER."""

    type: str  # meeting, phone_call, consultations, visit, negotiations, agreement, ...
    date: str | None = None  # YYYY-MM-DD
    place: str | None = None
    participants: tuple[Person, ...] = ()
    countries: tuple[str, ...] = ()  # the sides, ISO alpha-2, sorted
    cameo: str = ""
    plover: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "date": self.date,
            "place": self.place,
            "participants": [p.to_dict() for p in self.participants],
            "countries": list(self.countries),
            "cameo": self.cameo,
            "plover": self.plover,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        return cls(
            type=data["type"],
            date=data.get("date"),
            place=data.get("place"),
            participants=tuple(Person.from_dict(p) for p in data.get("participants", [])),
            countries=tuple(data.get("countries", [])),
            cameo=data.get("cameo", ""),
            plover=data.get("plover", ""),
        )


@dataclass(slots=True)
class Structure:
    """What the extractor finds in a post (docs/structure.md)."""

    kind: str = "other"
    speaker: str | None = None
    event_date: str | None = None
    place: str | None = None
    countries: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    language: str | None = None


@dataclass(slots=True)
class RawPost:
    """A post as one source saw it, before cleaning.

    ``copies`` holds every rendering of the text the source gave (a text dump has
    two per post, each possibly missing lines the other has); ``normalise`` merges
    them into one text.
    """

    copies: list[list[str]]
    source: SourceRef
    channel: str | None = None
    message_id: int | None = None
    date: str | None = None  # ISO 8601, UTC
    forwarded_from: str | None = None
    reply_to: ReplyTo | None = None
    media: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # links the source knows beyond the text
    hashtags: list[str] = field(default_factory=list)  # hashtags the source marks as such
    kind: str = "post"  # "post", or "service" for channel created / pinned / renamed ...
    service: str | None = None  # what a service message says happened, e.g. "pinned"
    views: int | None = None
    # The unit of the last shown digit of ``views``: 1 for "523", 10 for "5.37K".
    views_rounding: int | None = None
    edited: bool = False
    author: str | None = None  # the signature of a signed post
    forwarded_url: str | None = None  # link to the original of a forward
    link_preview: LinkPreview | None = None


@dataclass(slots=True)
class Post:
    """One message of one channel: the unit the archive stores and exports."""

    key: str
    title: str
    text: str
    source: SourceRef
    channel: str | None = None
    message_id: int | None = None
    url: str | None = None
    date: str | None = None
    forwarded_from: str | None = None
    reply_to: ReplyTo | None = None
    media: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    kind: str = "post"  # or "service": channel created, pinned, renamed ...
    service: str | None = None
    views: int | None = None
    views_rounding: int | None = None  # unit of the last digit the source showed
    edited: bool = False
    author: str | None = None
    forwarded_url: str | None = None
    link_preview: LinkPreview | None = None
    # Which kind of source the current text came from (see identity.TEXT_FIDELITY).
    text_kind: str | None = None
    # What the extractor found (kind above is its kind, or "service"), and which
    # version of the extractor found it.
    speaker: str | None = None
    event_date: str | None = None
    place: str | None = None
    countries: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    language: str | None = None
    extractor: str | None = None
    # Every place the post was seen, as the store knows it; not part of its identity.
    sources: list[SourceRef] = field(default_factory=list, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The export contract (docs/export.md): field names and meanings are fixed."""
        return {
            "key": self.key,
            "channel": self.channel,
            "message_id": self.message_id,
            "url": self.url,
            "date": self.date,
            "title": self.title,
            "text": self.text,
            "forwarded_from": self.forwarded_from,
            "reply_to": self.reply_to.to_dict() if self.reply_to else None,
            "media": list(self.media),
            "hashtags": list(self.hashtags),
            "links": list(self.links),
            "source": self.source.to_dict(),
            "kind": self.kind,
            "service": self.service,
            "views": self.views,
            "views_rounding": self.views_rounding,
            "edited": self.edited,
            "author": self.author,
            "forwarded_url": self.forwarded_url,
            "link_preview": self.link_preview.to_dict() if self.link_preview else None,
            "sources": [s.to_dict() for s in self.sources],
            "speaker": self.speaker,
            "event_date": self.event_date,
            "place": self.place,
            "countries": list(self.countries),
            "organizations": list(self.organizations),
            "people": [p.to_dict() for p in self.people],
            "events": [e.to_dict() for e in self.events],
            "language": self.language,
            "extractor": self.extractor,
        }


@dataclass(slots=True)
class Skipped:
    """A post a source could not turn into a Post, and why."""

    reason: str
    source: SourceRef


@dataclass(slots=True)
class Note:
    """Something a source could not undo in a post it read (e.g. a scraper's artefact)."""

    text: str
    source: SourceRef


@dataclass(slots=True)
class FileReport:
    """What ingesting one file did."""

    path: str
    format: str | None = None
    new: int = 0
    merged: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    error: str | None = None  # set when the whole file was refused; nothing was written

    @property
    def posts(self) -> int:
        return self.new + self.merged + self.unchanged


@dataclass(slots=True)
class IngestReport:
    """What one ingest command did, file by file."""

    files: list[FileReport] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(int(getattr(f, name)) for f in self.files)

    @property
    def skipped(self) -> list[Skipped]:
        return [s for f in self.files for s in f.skipped]

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.error is not None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "new": self.total("new"),
            "merged": self.total("merged"),
            "unchanged": self.total("unchanged"),
            "skipped": len(self.skipped),
            "files": [asdict(f) for f in self.files],
        }
