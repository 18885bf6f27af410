"""The HTML pages: each parses its parameters, calls the library, renders a template.

    /                           search: query, filters, facets, snippets, pages, modes
    /posts/{key}                one post, its entities marked, related posts, history
    /channels, /channels/{name} channels; one channel's volume and top lists
    /entities, /entities/{type}/{value}   countries, organisations, people
    /graph                      the contact graph (drawn by static/js/graph.js)
    /timeline                   several queries or entities compared over time
    /digest                     the digest of a period
    /docs                       the API reference, drawn from the OpenAPI schema

Every list links to its CSV, JSONL and Parquet download (the API's ``format``
parameter, or ``/api/v1/export`` for posts) and every search to its Atom feed.
"""

from __future__ import annotations

import calendar
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi import Query as Param
from starlette.responses import RedirectResponse, Response

from communique import annotate, charts, related
from communique.analyse import channels as channel_lib
from communique.analyse import entities as entity_lib
from communique.analyse.graphs import CONTACT_TYPES
from communique.analyse.timeline import series, timeline
from communique.digest import digest
from communique.embed import EmbeddingsUnavailable
from communique.errors import InputError, NotFound
from communique.search import Hit, Query, Results, search
from communique.store import Store
from communique.web.api import EntityType, check_series
from communique.web.errors import classify
from communique.web.params import check_text, config_of, period, search_query, store_of
from communique.web.templating import clean_params, render, url_with

router = APIRouter(include_in_schema=False)
SearchQuery = Annotated[Query, Depends(search_query)]
FILTERS = ("channel", "kind", "speaker", "country", "org", "person", "hashtag")
FACET_FILTERS = ("kind", "channel", "country", "speaker")  # facets named as their filter
RECENT = 10  # latest posts on a channel's or an entity's page
ENTITY_LIST = 200
GRAPH_EDGES = 300  # the heaviest links the graph page draws


@router.get("/")
def search_page(request: Request, query: SearchQuery) -> Response:
    # A form sends every field, blank or default; one search gets one URL (and one
    # feed and export URL): without them, 303 so the browser shows it.
    given = request.query_params.multi_items()
    kept = clean_params(given)
    if kept != given:
        cleaned = urlencode(kept)
        return RedirectResponse(request.url.path + (f"?{cleaned}" if cleaned else ""), 303)
    store = store_of(request)
    results, error, status = Results(0, []), None, 200
    if query.text or query.mode == "text":
        try:
            results = search(store, query)
        except (InputError, EmbeddingsUnavailable) as exc:
            error, (status, _) = str(exc), classify(exc)
    context = {
        "query": query,
        "results": results,
        "error": error,
        "filters": [(name, v) for name in FILTERS for v in getattr(query, name)],
        "facets": _facet_links(request, results),
        "pages": _pages(request, query, results.total),
    }
    return render(request, "search.html", context, status)


@router.get("/posts/{key:path}")
def post_page(request: Request, key: str) -> Response:
    store = store_of(request)
    post = store.get(key)
    if post is None:
        raise NotFound(f"no post with key {key!r}")
    spellings = entity_lib.spellings(store, [p.name for p in post.people])
    similar, similar_error = [], None
    try:
        similar = related.similar_posts(store, post.key, limit=RECENT)
    except EmbeddingsUnavailable as exc:
        similar_error = str(exc)
    context = {
        "post": post,
        "pieces": annotate.pieces(post, spellings),
        "versions": store.versions(post.key),
        "twins": related.same_text_posts(store, post.key),
        "similar": similar,
        "similar_error": similar_error,
    }
    return render(request, "post.html", context)


@router.get("/channels")
def channels_page(request: Request) -> Response:
    return render(
        request, "channels.html", {"channels": channel_lib.channel_list(store_of(request))}
    )


@router.get("/channels/{name}")
def channel_page(request: Request, name: str) -> Response:
    store = store_of(request)
    found = channel_lib.channel_profile(store, name)
    username = found.summary.channel.username
    recent = _recent(store, Query(channel=[username]))
    counts = next(iter(found.volume.counts.values()), [])
    chart = charts.bars(found.volume.buckets, counts, title="posts per month")
    return render(request, "channel.html", {"profile": found, "recent": recent, "chart": chart})


@router.get("/entities")
def entities_page(
    request: Request, type: EntityType = "country", q: Annotated[str, Param()] = ""
) -> Response:
    check_text(q, config_of(request))
    found = entity_lib.entities(store_of(request), type, contains=q, limit=ENTITY_LIST)
    return render(request, "entities.html", {"type": type, "q": q, "entities": found})


@router.get("/entities/{type}/{value}")
def entity_page(
    request: Request,
    type: EntityType,
    value: str,
    interval: Literal["day", "week", "month"] = "month",
) -> Response:
    check_text(value, config_of(request), "value")
    store = store_of(request)
    found = entity_lib.profile(store, type, value, interval=interval)
    entity = found.entity
    query = Query()
    getattr(query, _FILTER_OF[type]).append(entity.label if type == "person" else entity.value)
    line = found.timeline
    counts = next(iter(line.counts.values()), [])
    chart = charts.bars(line.buckets, counts, title=f"posts per {interval}")
    context = {"profile": found, "entity": entity, "chart": chart, "interval": interval,
               "recent": _recent(store, query), "filter": _FILTER_OF[type],
               "undated": max(entity.posts - sum(counts), 0)}  # fmt: skip
    return render(request, "entity.html", context)


_FILTER_OF = {"country": "country", "organization": "org", "person": "person"}


@router.get("/graph")
def graph_page(request: Request) -> Response:
    # The page is a form and a container; static/js/graph.js fetches /api/v1/graph
    # with the form's values and draws the network.
    params = request.query_params
    period(params.get("since"), params.get("until"))
    context = {
        "types": CONTACT_TYPES,
        "chosen": [t for t in params.getlist("type") if t in CONTACT_TYPES] or list(CONTACT_TYPES),
        "nodes": "people" if params.get("nodes") == "people" else "countries",
        "since": params.get("since", ""),
        "until": params.get("until", ""),
        "limit": GRAPH_EDGES,
    }
    return render(request, "graph.html", context)


@router.get("/timeline")
def timeline_page(
    request: Request,
    series_: Annotated[list[str] | None, Param(alias="series")] = None,
    interval: Literal["day", "week", "month"] = "month",
    since: str | None = None,
    until: str | None = None,
) -> Response:
    specs = [s for s in series_ or [] if s.strip()]
    result, chart, error = None, "", None
    if specs:
        try:
            wanted = check_series(request, specs)
            result = timeline(store_of(request), [series(s) for s in wanted], interval=interval,
                              period=period(since, until))  # fmt: skip
            chart = charts.lines(result.buckets, result.counts, title=f"posts per {interval}")
        except InputError as exc:
            error = str(exc)
    context = {"specs": specs, "result": result, "chart": chart, "error": error,
               "interval": interval, "since": since or "", "until": until or ""}  # fmt: skip
    return render(request, "timeline.html", context, 400 if error else 200)


@router.get("/digest")
def digest_page(request: Request, since: str = "7d", until: str | None = None) -> Response:
    check_text(since, config_of(request), "since")
    d = digest(store_of(request), since=since, until=period(None, until).until)
    context = {
        "d": d,
        "since": since,
        "until": until or "",
        "chart": charts.bars(d.days, d.per_day, title="posts per day"),
        "graph": charts.network(d.graph, title="who met, called or consulted whom")
        if d.graph
        else "",
    }
    return render(request, "digest.html", context)


@router.get("/docs")
def docs_page(request: Request) -> Response:
    schema = request.app.openapi()
    return render(request, "docs.html", {"schema": schema, "operations": _operations(schema)})


# -- helpers ---------------------------------------------------------------------------


def _recent(store: Store, query: Query) -> list[Hit]:
    query.sort, query.limit, query.facets = "date", RECENT, False
    return search(store, query).hits


def _facet_links(request: Request, results: Results) -> dict[str, list[tuple[str, int, str]]]:
    """Facet values with their counts and the URL that narrows the search to them."""
    out: dict[str, list[tuple[str, int, str]]] = {}
    for name, rows in results.facets.items():
        if name == "month":
            out[name] = [(v, n, _month_url(request, v)) for v, n in rows]
        elif name in FACET_FILTERS:
            out[name] = [(v, n, url_with(request, **{f"add_{name}": [v]})) for v, n in rows]
    return out


def _month_url(request: Request, month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    last = calendar.monthrange(year, number)[1]
    return url_with(request, since=f"{month}-01", until=f"{month}-{last:02d}")


def _pages(request: Request, query: Query, total: int) -> dict[str, Any]:
    shown = min(query.limit, max(total - query.offset, 0))
    before = max(query.offset - query.limit, 0)
    after = query.offset + query.limit
    return {
        "first": query.offset + 1 if shown else 0,
        "last": query.offset + shown,
        "previous": url_with(request, offset=before or None) if query.offset else None,
        "next": url_with(request, offset=after) if after < total else None,
    }


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The API's operations as the docs page lists them, in the schema's order."""
    out = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            parameters = [_parameter(p) for p in op.get("parameters", [])]
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "parameters": parameters,
                    "anchor": op.get("operationId", path),
                }
            )
    return out


def _parameter(p: dict[str, Any]) -> dict[str, Any]:
    schema = p.get("schema", {})
    default = schema.get("default")
    return {
        "name": p["name"],
        "where": p.get("in", ""),
        "required": p.get("required", False),
        "type": " or ".join(
            _type(s) for s in schema.get("anyOf", [schema]) if s.get("type") != "null"
        ),
        "default": "" if default in (None, "", []) else default,
        "description": p.get("description") or schema.get("description", ""),
    }


def _type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"] if v != "")
    if schema.get("type") == "array":
        return "list of " + _type(schema.get("items", {}))
    bound = f" ≥ {schema['minimum']}" if "minimum" in schema else ""
    return str(schema.get("type", "")) + bound
