"""The JSON API, /api/v1: the library's reads, one endpoint each (docs/web.md).

Shapes are the library's own ``to_dict()``: ``/search`` answers exactly what
``communique search --json`` prints, ``/posts/{key}`` what ``communique show --json``
prints. Lists take ``format=csv|jsonl|parquet`` to download instead of JSON. Every
error is the envelope of ``errors.error_body``. Nothing here writes: the API has no
write endpoint (writes are CLI commands).
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi import Query as Param
from fastapi.responses import JSONResponse, Response

from communique import related
from communique.analyse import channels as channel_lib
from communique.analyse import entities as entity_lib
from communique.analyse.graphs import CONTACT_TYPES, comentions, contact_graph
from communique.analyse.timeline import series, timeline
from communique.analyse.top import FIELDS as TOP_FIELDS
from communique.analyse.top import top
from communique.digest import digest
from communique.errors import InputError, NotFound
from communique.export import search_posts
from communique.models import Post
from communique.search import Query, search
from communique.web import exports
from communique.web.errors import LimitExceeded
from communique.web.params import (
    Format,
    check_limit,
    check_text,
    config_of,
    period,
    search_query,
    store_of,
)

router = APIRouter(prefix="/api/v1", tags=["api"])
SearchQuery = Annotated[Query, Depends(search_query)]
Since = Annotated[str | None, Param(description="From this ISO date.")]
Until = Annotated[str | None, Param(description="To this ISO date, inclusive.")]
Download = Annotated[Format, Param(description="json, or a file: csv, jsonl, parquet.")]


@router.get("/search", summary="Search posts (the shape of `communique search --json`)")
def search_posts_api(request: Request, query: SearchQuery) -> dict[str, Any]:
    return search(store_of(request), query).to_dict()


@router.get("/export", summary="Download the posts a search finds (docs/export.md)")
def export_posts(
    request: Request,
    query: SearchQuery,
    format: Literal["csv", "jsonl", "parquet"] = "jsonl",
    rows: Annotated[
        int | None,
        Param(ge=1, description="At most this many posts (default and cap: web_max_export_rows)."),
    ] = None,
) -> Response:
    cap = config_of(request).max_export_rows
    if rows is not None and rows > cap:
        raise LimitExceeded(
            f"rows {rows} is over the export limit, {cap} (setting web_max_export_rows)"
        )
    store = store_of(request)
    total, posts = search_posts(store, replace(query, offset=0), rows or cap)
    return exports.posts_download(posts, format, "communique-posts", total=total)


@router.get("/posts/{key:path}/similar", summary="Posts nearest in meaning (needs embeddings)")
def similar(request: Request, key: str, limit: Annotated[int, Param(ge=1)] = 10) -> dict[str, Any]:
    limit = check_limit(limit, config_of(request))
    found = related.similar_posts(store_of(request), key, limit=limit)
    return {"key": key, "results": [_brief(p) | {"score": score} for p, score in found]}


@router.get("/posts/{key:path}", summary="One post (the shape of `communique show --json`)")
def post(request: Request, key: str) -> dict[str, Any]:
    store = store_of(request)
    found = store.get(key)
    if found is None:
        raise NotFound(f"no post with key {key!r}")
    data = found.to_dict()
    data["versions"] = [asdict(v) for v in store.versions(found.key)]
    data["same_text"] = [p.key for p in related.same_text_posts(store, found.key)]
    return data


@router.get("/channels", summary="Channels with posts or followed, the most posts first")
def channels(request: Request, format: Download = "json") -> Any:
    rows = [c.to_dict() for c in channel_lib.channel_list(store_of(request))]
    if format != "json":
        fields = list(rows[0]) if rows else ["username", "posts"]
        return exports.rows_download(rows, fields, format, "communique-channels")
    return {"channels": rows}


@router.get("/channels/{name}", summary="One channel: volume per month, top kinds, speakers ...")
def channel(request: Request, name: str) -> dict[str, Any]:
    return channel_lib.channel_profile(store_of(request), name).to_dict()


EntityType = Literal["country", "organization", "person"]


@router.get("/entities", summary="Countries, organisations or people, the most named first")
def entities(
    request: Request,
    type: EntityType = "country",
    q: Annotated[str, Param(description="Only those whose name or code contains this.")] = "",
    limit: Annotated[int | None, Param(ge=1)] = None,
    format: Download = "json",
) -> Any:
    config = config_of(request)
    check_text(q, config)
    most = config.max_export_rows if format != "json" else (limit or config.page_size)
    if format == "json" and most > config.max_page_size:
        raise LimitExceeded(f"limit {most} is over the largest page, {config.max_page_size}")
    found = entity_lib.entities(store_of(request), type, contains=q, limit=most)
    rows = [e.to_dict() for e in found]
    if format != "json":
        fields = ["type", "value", "label", "posts"]
        return exports.rows_download(rows, fields, format, f"communique-{type}")
    return {"type": type, "entities": rows}


@router.get("/entities/{type}/{value}", summary="One entity: timeline, co-mentions, contacts")
def entity(request: Request, type: EntityType, value: str) -> dict[str, Any]:
    check_text(value, config_of(request), "value")
    return entity_lib.profile(store_of(request), type, value).to_dict()


@router.get("/entities/{type}/{value}/comentions", summary="What is named with an entity")
def entity_comentions(
    request: Request, type: EntityType, value: str, format: Download = "json"
) -> Any:
    check_text(value, config_of(request), "value")
    profile = entity_lib.profile(store_of(request), type, value)
    rows = [e.to_dict() for others in profile.comentions.values() for e in others]
    if format != "json":
        name = f"communique-{type}-comentions"
        return exports.rows_download(rows, ["type", "value", "label", "posts"], format, name)
    return {"entity": profile.entity.to_dict(), "comentions": rows}


@router.get("/entities/{type}/{value}/contacts", summary="Who an entity met, called or consulted")
def entity_contacts(
    request: Request, type: EntityType, value: str, format: Download = "json"
) -> Any:
    check_text(value, config_of(request), "value")
    profile = entity_lib.profile(store_of(request), type, value)
    rows = [c.to_dict() for c in profile.contacts]
    if format != "json":
        fields = ["type", "value", "label", "events", "types", "last"]
        return exports.rows_download(rows, fields, format, f"communique-{type}-contacts")
    return {"entity": profile.entity.to_dict(), "contacts": rows}


@router.get("/timeline", summary="Posts per day, week or month for each series")
def timeline_api(
    request: Request,
    series_: Annotated[
        list[str],
        Param(
            alias="series",
            description="A query, or TYPE:VALUE (country:VN, org:NATO, person:..., kind:meeting).",
        ),
    ],
    interval: Literal["day", "week", "month"] = "month",
    since: Since = None,
    until: Until = None,
    format: Download = "json",
) -> Any:
    specs = check_series(request, series_)
    result = timeline(
        store_of(request),
        [series(s) for s in specs],
        interval=interval,
        period=period(since, until),
    )
    if format != "json":
        rows = [{"bucket": b, "series": s, "count": n} for b, s, n in result.rows()]
        return exports.rows_download(
            rows, ["bucket", "series", "count"], format, "communique-timeline"
        )
    return result.to_dict()


@router.get("/graph", summary="Who met, called or consulted whom; or co-mentions")
def graph(
    request: Request,
    network: Literal["contacts", "comentions"] = "contacts",
    nodes: Literal["countries", "people"] = "countries",
    type: Annotated[
        list[str] | None,
        Param(description="Contact event types (repeat): " + ", ".join(CONTACT_TYPES)),
    ] = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[
        int | None,
        Param(
            ge=1,
            description="At most this many edges, the heaviest, with the nodes they "
            "join (contacts: all by default; co-mentions: 100).",
        ),
    ] = None,
    format: Annotated[Literal["json", "csv", "jsonl", "parquet", "graphml"], Param()] = "json",
) -> Any:
    types = tuple(t for t in type or [] if t)
    unknown = [t for t in types if t not in CONTACT_TYPES]
    if unknown:
        raise InputError(
            f"unknown event type {unknown[0]!r}; choose from {', '.join(CONTACT_TYPES)}"
        )
    store, when = store_of(request), period(since, until)
    if network == "contacts":
        result = contact_graph(store, nodes=nodes, period=when, types=types or CONTACT_TYPES,
                               limit=limit)  # fmt: skip
    else:
        result = comentions(store, period=when, top=limit or 100)
    if format == "graphml":
        return Response(
            result.graphml(),
            media_type="application/graphml+xml",
            headers={"Content-Disposition": 'attachment; filename="communique.graphml"'},
        )
    if format != "json":
        rows = result.to_dict()["edges"]
        fields = ["source", "target", "weight", "dates", "types"]
        return exports.rows_download(rows, fields, format, "communique-graph")
    # Answered as it is: a graph can hold a million dates, too many for FastAPI's
    # encoder to walk one by one.
    found = {} if result.found is None else {"X-Total-Count": str(result.found)}
    return JSONResponse(result.to_dict(), headers=found)


@router.get("/top/{field}", summary="The top speakers, kinds, hashtags, countries ... of a period")
def top_api(
    request: Request,
    field: str,
    since: Since = None,
    until: Until = None,
    channel: str | None = None,
    limit: Annotated[int, Param(ge=1)] = 10,
) -> dict[str, Any]:
    if field not in TOP_FIELDS:
        raise NotFound(f"cannot rank {field!r}; choose from {', '.join(TOP_FIELDS)}")
    limit = min(limit, config_of(request).max_page_size)
    rows = top(store_of(request), field, period=period(since, until), channel=channel, limit=limit)
    return {"field": field, "results": _pairs(rows)}


@router.get("/digest", summary="The digest of a period (what `communique digest` reports)")
def digest_api(
    request: Request,
    since: Annotated[
        str, Param(description="A date, or a span back from the newest post: 7d, 2w, 1m.")
    ] = "7d",
    until: Until = None,
) -> dict[str, Any]:
    d = digest(store_of(request), since=since, until=period(None, until).until)
    return {
        "since": d.period.since,
        "until": d.period.until,
        "posts": d.posts,
        "channels": _pairs(d.channels),
        "kinds": _pairs(d.kinds),
        "new_contacts": [{"source": a, "target": b, "weight": n} for a, b, n in d.new_contacts],
        "topics": {name: _pairs(rows) for name, rows in d.topics.items()},
        "key_posts": [
            {"key": p.key, "date": p.date, "title": p.title, "speaker": p.speaker, "url": p.url}
            for p in d.key_posts
        ],
        "per_day": dict(zip(d.days, d.per_day, strict=True)),
    }


def check_series(request: Request, specs: list[str]) -> list[str]:
    config = config_of(request)
    wanted = [check_text(s.strip(), config, "series") for s in specs if s.strip()]
    if not wanted:
        raise InputError("give at least one series: a query, or TYPE:VALUE (country:VN)")
    if len(wanted) > config.max_series:
        raise LimitExceeded(
            f"{len(wanted)} series; the limit is {config.max_series} (setting web_max_series)"
        )
    return wanted


def _brief(post: Post) -> dict[str, Any]:
    return {"key": post.key, "channel": post.channel, "date": post.date, "title": post.title}


def _pairs(rows: list[tuple[str, int]]) -> list[dict[str, Any]]:
    return [{"value": v, "count": n} for v, n in rows]
