"""Query parameters shared by the pages and the API, checked against the limits.

The search parameters mirror ``communique search`` (docs/search.md): ``q`` and the
repeatable filters, ``mode``, ``sort``, ``limit``, ``offset``. Empty values (what
an HTML form sends for a blank field) count as absent. Anything over a limit of
``WebConfig`` is refused with ``LimitExceeded`` before the library is called.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import Query as Param
from fastapi import Request

from communique.analyse import Period
from communique.errors import InputError
from communique.search import Query
from communique.store import Store
from communique.web.archive import Archive
from communique.web.config import WebConfig
from communique.web.errors import LimitExceeded

Flag = Literal["", "true", "false"]
Format = Literal["json", "csv", "jsonl", "parquet"]
Many = Annotated[list[str] | None, Param()]


def store_of(request: Request) -> Store:
    """This worker thread's read-only store (call it inside the handler)."""
    archive: Archive = request.app.state.archive
    return archive.store()


def config_of(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.config
    return config


def search_query(
    request: Request,
    q: Annotated[
        str,
        Param(
            description='Query text: words, "phrases", AND OR NOT, prefix*, ( ) (docs/search.md).'
        ),
    ] = "",
    channel: Many = None,
    since: Annotated[str | None, Param(description="ISO date: posted on or after.")] = None,
    until: Annotated[str | None, Param(description="ISO date: posted on or before.")] = None,
    kind: Many = None,
    speaker: Many = None,
    country: Annotated[list[str] | None, Param(description="ISO code or name.")] = None,
    org: Many = None,
    person: Many = None,
    hashtag: Many = None,
    media: Annotated[Flag, Param(description="true: with media; false: without.")] = "",
    forwarded: Annotated[Flag, Param(description="true: forwards only; false: own posts.")] = "",
    mode: Literal["text", "semantic", "hybrid"] = "text",
    sort: Literal["relevance", "date"] = "relevance",
    limit: Annotated[
        int | None, Param(ge=1, description="Results per page (at most web_max_page_size).")
    ] = None,
    offset: Annotated[int, Param(ge=0)] = 0,
) -> Query:
    """A search from the request's parameters, within the limits."""
    config = config_of(request)
    page = check_limit(limit, config)
    filters = {
        "channel": channel,
        "kind": kind,
        "speaker": speaker,
        "country": country,
        "org": org,
        "person": person,
        "hashtag": hashtag,
    }
    values = {
        name: [v.strip() for v in found or [] if v.strip()] for name, found in filters.items()
    }
    for name, found in [("q", [q]), *values.items()]:
        for value in found:
            check_text(value, config, name)
    query = Query(
        text=q.strip(),
        since=check_date(since, "since"),
        until=check_date(until, "until"),
        has_media=_flag(media),
        forwarded=_flag(forwarded),
        mode=mode,
        sort=sort,
        limit=page,
        offset=offset,
    )
    for name, found in values.items():
        setattr(query, name, found)
    return query


def check_limit(limit: int | None, config: WebConfig) -> int:
    if limit is None:
        return config.page_size
    if limit > config.max_page_size:
        raise LimitExceeded(
            f"limit {limit} is over the largest page, {config.max_page_size} "
            "(setting web_max_page_size)"
        )
    return limit


def check_text(value: str, config: WebConfig, name: str = "q") -> str:
    if len(value) > config.max_query_chars:
        raise LimitExceeded(
            f"{name} is {len(value)} characters long; the limit is {config.max_query_chars} "
            "(setting web_max_query_chars)"
        )
    return value


def check_date(value: str | None, name: str) -> str | None:
    """An ISO date or datetime, or None for a blank one; InputError otherwise."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        (date if len(text) <= 10 else datetime).fromisoformat(text)
    except ValueError:
        raise InputError(f"{name}: not an ISO date (2026-01-31): {value!r}") from None
    return text


def period(since: str | None, until: str | None) -> Period:
    return Period(check_date(since, "since"), check_date(until, "until"))


def _flag(value: str) -> bool | None:
    return None if value == "" else value == "true"
