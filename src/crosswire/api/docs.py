"""/docs and /redoc served from this machine, never from a CDN.

FastAPI's own pages load Swagger UI and ReDoc from cdn.jsdelivr.net (and fonts from Google), so on a
newsroom machine without internet /docs was a blank page. The `fastapi-offline` package (MIT) ships the
Swagger UI 5 bundle (5, not 4: Swagger UI 4 cannot render the OpenAPI 3.1 schema FastAPI writes); when it is
installed its files are served under /docs-assets. When it is not, /docs is a plain page listing the
endpoints from the app's own OpenAPI schema, which needs no script at all. /redoc leads to /docs (ReDoc's
bundle loads its logo from cdn.redoc.ly). Either way no page refers to another host.
"""
from __future__ import annotations

import importlib.util
from html import escape
from pathlib import Path

ASSETS = "/docs-assets"
SWAGGER_FILES = ("swagger-ui-bundle.js", "swagger-ui.css")


def assets_dir() -> Path | None:
    """The folder of fastapi-offline's static files, or None when it is not installed (or lacks them)."""
    try:
        spec = importlib.util.find_spec("fastapi_offline")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    static = Path(spec.origin).parent / "static"
    return static if all((static / name).is_file() for name in SWAGGER_FILES) else None


def install(app) -> None:
    """Serve /docs (with /docs/oauth2-redirect, and /redoc leading there) on `app`, which FastAPI built with
    ``docs_url=None, redoc_url=None``."""
    from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
    from fastapi.responses import HTMLResponse, RedirectResponse
    from fastapi.staticfiles import StaticFiles

    static = assets_dir()
    if static is not None:
        app.mount(ASSETS, StaticFiles(directory=static), name="docs-assets")
    favicon = f"{ASSETS}/favicon.png" if static is not None and (static / "favicon.png").is_file() else "data:,"
    redirect_url = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        if static is None:
            return HTMLResponse(endpoint_list(app.openapi(), app.openapi_url))
        return get_swagger_ui_html(openapi_url=app.openapi_url, title=f"{app.title} API",
                                   swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{ASSETS}/swagger-ui.css", swagger_favicon_url=favicon,
                                   oauth2_redirect_url=redirect_url)

    @app.get(redirect_url, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> RedirectResponse:
        # fastapi-offline ships ReDoc too, but ReDoc's sidebar loads its logo from cdn.redoc.ly
        return RedirectResponse("/docs", status_code=307)


def endpoint_list(schema: dict, openapi_url: str) -> str:
    """A page naming every operation of `schema` (method, path, summary, parameters): the fallback /docs."""
    rows = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            params = ", ".join(escape(str(p.get("name", ""))) for p in operation.get("parameters", []))
            rows.append(f"<tr><td>{escape(method.upper())}</td><td><code>{escape(path)}</code></td>"
                        f"<td>{escape(operation.get('summary', ''))}</td><td>{params}</td></tr>")
    title = escape(schema.get("info", {}).get("title", "API"))
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} API</title>"
            f"<link rel=\"stylesheet\" href=\"/static/crosswire.css\"></head><body><main>"
            f"<h1>{title} API</h1><p>The full schema is <a href=\"{escape(openapi_url)}\">{escape(openapi_url)}</a>"
            f" (OpenAPI). Install <code>fastapi-offline</code> for the interactive Swagger UI here.</p>"
            f"<table><thead><tr><th>method</th><th>path</th><th>what</th><th>parameters</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></main></body></html>")
