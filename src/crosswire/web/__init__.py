"""Newsroom pages, server-rendered: story list, story page, add articles, correct a story.

Readable without JavaScript; every value goes through Jinja autoescaping, so an article whose
text is markup shows as text. Mounted on the API app by `mount(app)`.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def mount(app) -> None:
    from fastapi.staticfiles import StaticFiles

    from crosswire.web.corrections import router as corrections
    from crosswire.web.pages import not_found, router
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(corrections)  # before the story page's /stories/{id}: its /correct must not read as an id
    app.include_router(router)
    app.state.html_not_found = not_found  # the API's 404 handler answers a browser with this page


__all__ = ["mount"]
