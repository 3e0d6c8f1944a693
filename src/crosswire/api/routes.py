"""The JSON API under /api/v1: articles in, stories and comparisons out.

Reads are cheap (the store caches each story's comparison until the story changes) and run
on the event loop: they are short indexed queries, and a thread-pool hop costs more than the
query under load (the loop thread and the worker convoy on the GIL: list reads measured p99
1.2 s in a thread, 0.2 s on the loop). Writes run the full pipeline in a worker thread, one at
a time, because story assignment is a read-modify-write over the whole store.
"""
from __future__ import annotations

import json
import threading
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Callable, TypeVar

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from crosswire.api.auth import bearer, check_token
from crosswire.api.bodies import article_from_json, parse_articles
from crosswire.api.errors import ApiError
from crosswire.api.listing import list_stories as list_filtered
from crosswire.api.listing import parse_bound, plain_text
from crosswire.api.views import article_record, story_summary
from crosswire.errors import NotFound
from crosswire.model import Comparison

class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    """Every error response: `{"error": {"code", "message"}}`."""

    error: ErrorDetail


ERROR = {"model": ErrorBody}
NOT_FOUND = {404: {"description": "no such story or article", **ERROR}}
MAX_STORY_PATH_ID = 2**62
StoryId = Annotated[int, Path(ge=0, le=MAX_STORY_PATH_ID, description="story id")]
router = APIRouter(prefix="/api/v1", responses={422: {"description": "invalid parameters", **ERROR}})
write_lock = threading.Lock()
T = TypeVar("T")

ARTICLE_TYPES = ["application/json", "application/x-ndjson", "text/plain", "text/markdown", "text/html"]


class ArticleIn(BaseModel):
    """One article as JSON (the fields a newsroom usually has). Other keys are allowed, as in a JSON or JSONL
    file given to `crosswire ingest`: the record reader takes its aliases from them (`source`/`sitename` for
    outlet, `date`, `link`, `language`) and ignores the rest (an export's `id`, `tags`, ...)."""

    model_config = ConfigDict(extra="allow")

    text: str = Field(min_length=1, max_length=1_000_000)
    title: str = ""
    outlet: str = ""
    published: str | None = None
    url: str | None = None
    lang: str | None = None
    author: str | None = None


class CompareIn(BaseModel):
    """2–20 texts to compare ad hoc; stored only when `store` is true (needs the write token). Any other key
    is refused (422 naming it): a misspelt `"stor": true` must not compare without storing."""

    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=2, max_length=20)
    store: bool = False


def _state(request: Request):
    return request.app.state


async def story_comparison(state, story_id: StoryId) -> Comparison:
    """A story's comparison: parsed once from the store's cached JSON, else computed off the event loop."""
    return await rendered(state, story_id, "comparison", lambda comparison: comparison)


async def rendered(state, story_id: StoryId, kind: str, render: Callable[[Comparison], T], shows: Any = None) -> T:
    """`render(comparison)`, reused until the stored comparison (or `shows`, what else it displays) changes."""
    from crosswire import pipeline
    text = state.store.comparison_text(story_id)
    if not pipeline.comparison_is_current(text, state.settings):  # none yet, or made by other code or settings
        comparison = await run_in_threadpool(pipeline.story_comparison, state.store, story_id, state.settings)
        if comparison.story_id is None:
            comparison.story_id = story_id
        return render(comparison)
    return state.renders.get((kind, story_id), (text, shows), lambda: render(_parse(text, story_id)))


def _parse(text: str, story_id: StoryId) -> Comparison:
    comparison = Comparison.from_record(json.loads(text))
    if comparison.story_id is None:
        comparison.story_id = story_id
    return comparison


def ingest(state, articles: list, errors: list[str]) -> dict[str, Any]:
    """Run the pipeline on new articles; the report plus each article's story summary."""
    from crosswire import pipeline
    with write_lock:
        report = pipeline.ingest_articles(state.store, articles, state.settings)
        report.errors.extend(errors)
        joined: dict[str, Any] = {}
        out = []
        for article in articles:
            story_id = report.stories.get(article.id) or state.store.story_of(article.id)
            if story_id is not None and str(story_id) not in joined:
                joined[str(story_id)] = story_summary(state.store.get_story(story_id))
            out.append({"id": article.id, "title": article.title, "outlet": article.outlet,
                        "story_id": story_id,
                        "status": ("added" if article.id in report.added
                                   else "updated" if article.id in report.updated else "already_stored"),
                        "duplicate_of": report.duplicates.get(article.id)})
    return {**report.to_dict(), "articles": out, "joined": joined}


@router.post("/articles", status_code=201, summary="Add articles (JSON, JSONL, text/markdown, HTML)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": {"anyOf": [
                     {"$ref": "#/components/schemas/ArticleIn"},
                     {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"}}]}},
                 "application/x-ndjson": {"schema": {"type": "string"}},
                 "text/plain": {"schema": {"type": "string"}},
                 "text/markdown": {"schema": {"type": "string"}},
                 "text/html": {"schema": {"type": "string"}}}}},
             responses={401: {"description": "no or wrong token", **ERROR},
                        413: {"description": "body too large", **ERROR},
                        415: {"description": "no Content-Type", **ERROR}})
async def post_articles(request: Request, authorization: Annotated[str | None, Header()] = None) -> JSONResponse:
    state = _state(request)
    check_token(state.settings, bearer(authorization))
    content_type = request.headers.get("content-type", "")
    if not content_type:
        raise ApiError(415, "send a Content-Type: one of " + ", ".join(ARTICLE_TYPES))
    data = await request.body()
    if not data.strip():
        raise ApiError(422, "the request body is empty")
    articles, errors = await run_in_threadpool(parse_articles, data, content_type, "request body", state.settings)
    if not articles:
        unsupported = any("unsupported Content-Type" in e for e in errors)
        raise ApiError(415 if unsupported else 422, "; ".join(errors) or "no article found in the request body")
    result = await run_in_threadpool(ingest, state, articles, errors)
    return JSONResponse(result, status_code=201 if result["added"] or result["updated"] else 200)


@router.get("/articles/{article_id}", summary="One stored article with its story and the earlier texts its outlet replaced", responses=NOT_FOUND)
async def get_article(request: Request, article_id: str) -> dict[str, Any]:
    state = _state(request)
    article = state.store.get_article(article_id)
    return {**article_record(article, state.store.story_of(article.id)),
            "earlier_versions": [asdict(v) for v in state.store.article_versions([article.id])]}


SINCE_DOC = "last updated at or after this date or date-time (UTC unless it has an offset)"
UNTIL_DOC = "last updated at or before this date-time; a date alone (YYYY-MM-DD) includes that whole day (UTC)"


@router.get("/stories", summary="Stories, newest first, with filters and cursor paging")
async def list_stories(request: Request,
                 q: Annotated[str | None, Query(max_length=500, description="full-text search")] = None,
                 entity: Annotated[str | None, Query(max_length=200)] = None,
                 lang: Annotated[str | None, Query(max_length=20)] = None,
                 since: Annotated[datetime | None, Query(description=SINCE_DOC)] = None,
                 until: Annotated[datetime | None, Query(description=UNTIL_DOC)] = None,
                 cursor: Annotated[str | None, Query(max_length=200)] = None,
                 limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
    for name in ("since", "until"):  # "2023" is a Unix timestamp to pydantic, 33 minutes past 1970: refused as on the form
        parse_bound(request.query_params.get(name), name)
    stories, next_cursor = list_filtered(_state(request).store, q=q, entity=entity, lang=lang, since=since,
                                         until=until, until_written=request.query_params.get("until"),
                                         cursor=cursor, limit=limit)
    stories = await refreshed(_state(request), stories)
    return {"items": [story_summary(s) for s in stories], "next_cursor": next_cursor}


async def refreshed(state, stories: list) -> list:
    """The listed stories with counts from comparisons made by this code (``pipeline.listed_stories``)."""
    from crosswire import pipeline
    return await run_in_threadpool(pipeline.listed_stories, state.store, stories, state.settings)


@router.get("/stories/{story_id}", summary="A story's comparison (same JSON as `crosswire compare --json`)",
            responses=NOT_FOUND)
async def get_story(request: Request, story_id: StoryId) -> Response:
    body = await rendered(_state(request), story_id, "json",
                          lambda c: json.dumps(c.to_dict(), ensure_ascii=False).encode())
    return Response(body, media_type="application/json")


@router.get("/stories/{story_id}/brief.md", summary="Cited briefing, Markdown",
            responses={**NOT_FOUND, 200: {"content": {"text/markdown": {"schema": {"type": "string"}}}}})
async def get_brief_md(request: Request, story_id: StoryId) -> PlainTextResponse:
    from crosswire.brief import render
    markdown = await rendered(_state(request), story_id, "md", lambda c: render(c, "md"))
    return PlainTextResponse(markdown, media_type="text/markdown; charset=utf-8")


@router.get("/stories/{story_id}/brief.html", summary="Cited briefing, standalone HTML",
            responses={**NOT_FOUND, 200: {"content": {"text/html": {"schema": {"type": "string"}}}}})
async def get_brief_html(request: Request, story_id: StoryId) -> Response:
    from crosswire.brief import render
    html = await rendered(_state(request), story_id, "html", lambda c: render(c, "html"))
    return Response(html, media_type="text/html; charset=utf-8")


@router.post("/compare", summary="Compare 2–20 texts ad hoc (nothing stored unless `store` is true)")
async def post_compare(request: Request, body: CompareIn,
                       authorization: Annotated[str | None, Header()] = None) -> Response:
    state = _state(request)
    if body.store:
        check_token(state.settings, bearer(authorization))
    articles = [article_from_json(a.model_dump(), f"articles[{i}]", stored=body.store)
                for i, a in enumerate(body.articles)]
    if body.store:
        result = await run_in_threadpool(ingest, state, articles, [])
        ids = sorted(result["joined"], key=int)
        comparisons = [(await story_comparison(state, int(i))).to_dict() for i in ids]
        payload: dict[str, Any] = {"stored": result, "stories": comparisons}
        return Response(json.dumps(payload, ensure_ascii=False), media_type="application/json")
    from crosswire import pipeline
    comparison = await run_in_threadpool(pipeline.compare_articles, articles, state.settings)
    payload = {**comparison.to_dict(), "notes": pipeline.article_notes(articles, state.settings)}
    return Response(json.dumps(payload, ensure_ascii=False), media_type="application/json")


@router.get("/entities/{name}/stories", summary="Stories mentioning an entity (any spelling that folds the same)")
async def entity_stories(request: Request, name: str,
                         limit: Annotated[int, Query(ge=1, le=1000, description="at most this many stories")] = 100
                         ) -> dict[str, Any]:
    store = _state(request).store
    stories = []
    # the newest (highest ids) when there are more: a list cut to its oldest hid what the entity did lately
    for story_id in (store.stories_with_entity(name)[-limit:] if plain_text(name) else []):  # NUL or blank: none
        try:
            stories.append(store.get_story(story_id))
        except NotFound:
            continue
    return {"entity": name, "items": [story_summary(s) for s in await refreshed(_state(request), stories)]}
