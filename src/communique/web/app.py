"""The ASGI app: pages, the JSON API, static assets, security headers, errors.

    app = create_app(Path("communique.db"))          # what `communique serve` runs
    app = create_app(path, WebConfig.from_settings(host="0.0.0.0"))

The app only reads: it opens the archive read-only (``archive.py``) and has no
endpoint that writes; ingest, sync, embed and reextract are CLI commands. Every
asset is served from the package (``static/``), and every response carries a
Content-Security-Policy that allows nothing but the app's own origin.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from communique import __version__
from communique.web import api, errors, feeds, pages
from communique.web.archive import Archive
from communique.web.config import WebConfig
from communique.web.templating import HERE, error_page


def create_app(db_path: Path, config: WebConfig | None = None) -> FastAPI:
    archive = Archive(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        archive.warm()  # a server, not a test client: read ahead in the background
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="communique",
        version=__version__,
        summary="A searchable archive of diplomatic Telegram channels: the JSON API.",
        docs_url=None,  # Swagger UI loads from a CDN: /docs is our own page instead
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.archive = archive
    app.state.config = config or WebConfig.from_settings()
    errors.install(app, error_page)
    app.include_router(api.router)
    app.include_router(feeds.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(HeadAsGet)
    app.add_middleware(Security, allowed_hosts=app.state.config.allowed_hosts)
    return app


class HeadAsGet:
    """Answers HEAD as GET without the body (HTTP's rule), for link checkers and
    ``curl -I``: FastAPI's routes answer only the methods they name."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the rest of a streamed body: not sent
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


class Security:
    """Adds the security headers to every response; refuses unknown Host headers."""

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...]):
        self.app = app
        self.allowed = {h.casefold() for h in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = _hostname(Headers(scope=scope).get("host", ""))
        if self.allowed and host not in self.allowed:
            body = errors.error_body(
                400,
                f"unknown host {host!r}: open this server as http://127.0.0.1 or http://localhost",
                "bad_host",
            )
            response = JSONResponse(body, status_code=400, headers=errors.SECURITY_HEADERS)
            await response(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in errors.SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_secured)


def _hostname(host: str) -> str:
    """The name in a Host header, without its port: "[::1]:8000" -> "::1"."""
    host = host.strip().casefold()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host
