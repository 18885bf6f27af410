"""Every error the web app answers, in one envelope built by one function.

    {"error": {"status": 404, "type": "not_found", "message": "no post with key 'x/1'"}}

``error_body`` builds it (a test locks its shape); ``install`` routes every kind of
failure through it: routing 404s and 405s, FastAPI's validation errors (422), the
library's ``CommuniqueError`` tree (mapped to a status below, the one place that
does) and anything unexpected (500, with no detail leaked). The API answers the
envelope as JSON; pages render the same fields in the error template.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from communique.embed import EmbeddingsUnavailable
from communique.errors import CommuniqueError, InputError, NotFound, StoreError
from communique.query import QueryError

log = logging.getLogger("communique.web")


class LimitExceeded(InputError):
    """A request asks for more than the web app's limits allow (settings web_max_*)."""


# The library's errors, most specific first: the first class that matches decides.
STATUS: list[tuple[type[CommuniqueError], int, str]] = [
    (NotFound, 404, "not_found"),
    (LimitExceeded, 400, "limit_exceeded"),
    (QueryError, 400, "invalid_query"),
    (InputError, 400, "invalid_input"),
    (EmbeddingsUnavailable, 503, "embeddings_unavailable"),
    (StoreError, 500, "store_error"),
    (CommuniqueError, 500, "error"),
]
HTTP_TYPES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    422: "invalid_parameter",
    500: "internal_error",
}

# Sent with every response (app.security adds them; the 500 handler too, since
# Starlette answers unexpected errors outside the middleware stack).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def error_body(status: int, message: str, type: str | None = None) -> dict[str, Any]:
    """The one shape of every error the app returns."""
    kind = type or HTTP_TYPES.get(status, "error")
    return {"error": {"status": status, "type": kind, "message": message}}


def classify(exc: CommuniqueError) -> tuple[int, str]:
    for cls, status, kind in STATUS:
        if isinstance(exc, cls):
            return status, kind
    return 500, "error"  # unreachable: CommuniqueError closes the table


def install(app: FastAPI, render_page: Any) -> None:
    """Answer every error with the envelope; ``render_page(request, body)`` draws it
    as a page for browsers."""

    def answer(request: Request, body: dict[str, Any]) -> Response:
        status = body["error"]["status"]
        if _wants_json(request):
            return JSONResponse(body, status_code=status)
        return render_page(request, body)  # type: ignore[no-any-return]

    @app.exception_handler(CommuniqueError)
    async def library_error(request: Request, exc: CommuniqueError) -> Response:
        status, kind = classify(exc)
        if status >= 500 and not isinstance(exc, EmbeddingsUnavailable):
            log.error("%s %s: %s", request.method, request.url.path, exc)
        return answer(request, error_body(status, str(exc), kind))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        return answer(request, error_body(exc.status_code, message))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return answer(request, error_body(422, validation_message(exc.errors())))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("%s %s failed", request.method, request.url.path)
        response = answer(request, error_body(500, "internal error; see the server's log"))
        response.headers.update(SECURITY_HEADERS)
        return response


def validation_message(errors: Any) -> str:
    """ "query parameter limit: Input should be less than or equal to 100; ..."."""
    parts = []
    for error in errors:
        where = [str(x) for x in error.get("loc", ())]
        place = f"{where[0]} parameter {'.'.join(where[1:])}" if len(where) > 1 else ".".join(where)
        parts.append(f"{place}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/openapi.json"
