"""The HTTP surface: JSON API under /api/v1 and the newsroom pages, one FastAPI app.

`create_app(settings)` is the only entry point; FastAPI is imported inside it so that
`crosswire --help` never pays for it.
"""
from __future__ import annotations

from typing import Any

from crosswire.config import Settings


def create_app(settings: Settings, store: Any = None):
    """The app over the store at `settings.db` (or a store already opened by the caller)."""
    from contextlib import asynccontextmanager

    from fastapi import FastAPI

    from crosswire import __version__
    from crosswire.api import docs, errors
    from crosswire.api.limits import BodyLimit
    from crosswire.api.render_cache import RenderCache
    from crosswire.api.routes import router
    from crosswire.api.story_edits import router as story_edits
    from crosswire.store import open_store
    from crosswire.web import mount as mount_web

    owned = store is None
    opened = store if store is not None else open_store(settings.db, settings.busy_timeout, settings.db_is_default)

    @asynccontextmanager
    async def lifespan(app):
        yield
        from crosswire.kept_indexes import save_story_index
        save_story_index(opened, settings)  # the next process loads it instead of rebuilding
        if owned:
            opened.close()

    app = FastAPI(title="Crosswire", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Stories across news sources: what they agree on and where they clash.")
    app.state.settings = settings
    app.state.store = opened
    app.state.renders = RenderCache()
    errors.install(app)
    app.include_router(router)
    app.include_router(story_edits)
    docs.install(app)  # /docs and /redoc without a CDN (docs.py)

    @app.get("/healthz", summary="Liveness: the store answers")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", **opened.counts()}

    mount_web(app)
    max_bytes = int(settings.get("server", "max_body_bytes", 10_000_000))
    app.add_middleware(BodyLimit, max_bytes=max_bytes)
    return app


__all__ = ["create_app"]
