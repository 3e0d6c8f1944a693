"""One error shape for every failure: ``{"error": {"code", "message"}}``, never a traceback.

Why here and not per route: FastAPI/Starlette raise their own 404/405/422 before a route
runs, so the only way every client sees the same shape is to handle them all at app level.
"""
from __future__ import annotations

import logging
from typing import Any

from crosswire.errors import ConfigError, CrosswireError, InputError, NotFound, StoreError

log = logging.getLogger("crosswire.api")

STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 413: "payload_too_large", 415: "unsupported_media_type",
                422: "invalid_request", 500: "internal_error", 503: "unavailable"}


class ApiError(Exception):
    """Raised by routes for a client-visible failure with a chosen status."""

    def __init__(self, status: int, message: str, code: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or STATUS_CODES.get(status, "error")


def error_body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code or STATUS_CODES.get(status, "error"), "message": message}}


def status_for(exc: CrosswireError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, InputError):
        return 422
    if isinstance(exc, (StoreError, ConfigError)):
        return 503
    return 400


def install(app) -> None:
    """Register the handlers that turn every exception into the JSON error shape."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import JSONResponse
    from starlette.exceptions import HTTPException as StarletteHTTPException

    def respond(status: int, message: str, code: str | None = None, headers=None) -> JSONResponse:
        return JSONResponse(error_body(status, message, code), status_code=status, headers=headers)

    @app.exception_handler(ApiError)
    async def _api_error(request, exc: ApiError):
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return respond(exc.status, exc.message, exc.code, headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else STATUS_CODES.get(exc.status_code, "error")
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {request.url.path}"
            html = getattr(request.app.state, "html_not_found", None)  # set by the web pages when mounted
            if html is not None and not request.url.path.startswith("/api/") \
                    and "text/html" in request.headers.get("accept", ""):
                return html(request)  # a browser on a mistyped page address gets a page, not JSON
        if exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return respond(exc.status_code, message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request, exc: RequestValidationError):
        parts = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
            if err.get("type") == "extra_forbidden":
                parts.append(f"{where}: unknown field")
            else:
                parts.append(f"{where}: {err.get('msg', 'invalid')}")
        return respond(422, "; ".join(parts) or "invalid request")

    @app.exception_handler(CrosswireError)
    async def _crosswire(request, exc: CrosswireError):
        return respond(status_for(exc), str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return respond(500, "internal error; the server log has the details")
