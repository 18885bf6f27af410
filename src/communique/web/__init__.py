"""The web app and JSON API over an archive (docs/web.md).

    app.py        create_app(db_path, config): the ASGI app `communique serve` runs
    archive.py    one read-only store per worker thread
    params.py     query parameters shared by pages and API, with the size limits
    api.py        /api/v1: search, posts, channels, entities, timeline, graph, export
    pages.py      HTML pages (Jinja2 templates in templates/, assets in static/)
    feeds.py      Atom feeds of searches
    exports.py    CSV, JSONL and Parquet downloads
    errors.py     the one error envelope, and the security headers

Thin by design: handlers parse parameters, call library functions and render.
"""

from communique.web.app import create_app
from communique.web.config import WebConfig

__all__ = ["WebConfig", "create_app"]
