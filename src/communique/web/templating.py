"""Jinja2 templates, with autoescaping on and the few helpers pages need.

Every value reaches the HTML escaped; the only markup that passes through is built
here (``snippet``: search snippets, re-checked so that only ``<mark>`` survives) or
by ``communique.charts`` (SVG, which escapes its own text).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import Response

from communique import __version__

HERE = Path(__file__).resolve().parent
ENTITY_PAGES = {"country", "organization", "person"}
# Search parameters at their default value: links leave them out (params.py).
DEFAULTS = {"mode": "text", "sort": "relevance", "offset": "0"}


def snippet(text: str) -> Markup:
    """A search snippet as markup: HTML-escaped text with matches in <mark>.

    search.py escapes snippets already; each run between marks is unescaped and
    escaped again, which leaves escaped text as it is and escapes anything raw, so
    a change in how snippets are made can never let a post's text become markup."""
    out = []
    for i, part in enumerate(text.split("<mark>")):
        inside, _, after = part.rpartition("</mark>") if i else ("", "", part)
        if inside:
            out.append("<mark>" + html.escape(html.unescape(inside)) + "</mark>")
        out.append(html.escape(html.unescape(after)))
    return Markup("".join(out))


def path_part(value: Any) -> str:
    """A value as one segment of a URL path."""
    return quote(str(value), safe="")


def entity_url(type: str, value: str) -> str:
    """An entity's page; for what has none (a kind, a speaker, a hashtag), the
    search filtered by it."""
    if type in ENTITY_PAGES:
        return f"/entities/{type}/{path_part(value)}"
    return "/?" + urlencode({type: value})


def clean_params(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Query parameters without the blank ones (a form's empty fields) and those at
    their default, in their order: what one search's URL carries."""
    return [(k, v) for k, v in items if v.strip() and DEFAULTS.get(k) != v]


def url_with(request: Request, **changes: Any) -> str:
    """This page's URL with query parameters changed: a value sets one, a list adds
    values to a repeatable one (``add_country=["VN"]``), ``remove_X=v`` drops one.
    The offset goes (a narrower list starts at its first page) unless it is set."""
    params = [(k, v) for k, v in clean_params(request.query_params.multi_items()) if k != "offset"]
    for name, value in changes.items():
        if name.startswith("add_"):
            key = name[4:]
            params += [(key, v) for v in value if (key, v) not in params]
        elif name.startswith("remove_"):
            params = [(k, v) for k, v in params if not (k == name[7:] and v == value)]
        else:
            params = [(k, v) for k, v in params if k != name]
            if value not in (None, ""):
                params.append((name, str(value)))
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def query_string(request: Request, drop: tuple[str, ...] = ("offset", "limit")) -> str:
    """This request's query parameters, for links to exports and feeds of the same list."""
    return urlencode([(k, v) for k, v in clean_params(request.query_params.multi_items())
                      if k not in drop])  # fmt: skip


def filename(path: str | None) -> str:
    """A source's file name without its folders, which would show this machine's
    layout (/home/NAME/..., /tmp/...); Windows paths too."""
    return (path or "").replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def day(value: str | None) -> str:
    return (value or "")[:10]


def minute(value: str | None) -> str:
    return (value or "").replace("T", " ")[:16]


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(snippet=snippet, path=path_part, filename=filename, day=day, minute=minute)
    env.globals.update(
        entity_url=entity_url, url_with=url_with, query_string=query_string, version=__version__
    )
    return env


templates = Jinja2Templates(env=_environment())


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, body: dict[str, Any]) -> Response:
    """The error envelope drawn as a page."""
    error = body["error"]
    return render(request, "error.html", {"error": error}, status=error["status"])
