"""Routes of the newsroom pages. Writes use the API's pipeline path and token rule.

A browser cannot send `Authorization: Bearer`, so the add form carries the token in a
password field (unless `server.open_writes`), and every form post is CSRF-checked.
"""
from __future__ import annotations

import mimetypes
from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from crosswire.api.auth import check_token, writes_open
from crosswire.api.bodies import article_from_json, parse_articles
from crosswire.api.errors import ApiError
from crosswire.api.listing import list_stories as list_filtered
from crosswire.api.listing import parse_bound
from crosswire.api.routes import MAX_STORY_PATH_ID, ingest, refreshed, rendered
from crosswire.api.views import story_summary
from crosswire.errors import CrosswireError, NotFound
from crosswire.ingest import CONTENT_TYPES, READERS
from crosswire.stories.edits import story_history
from crosswire.brief.sections import worded_updates
from crosswire.web import HERE
from crosswire.web.csrf import COOKIE, Csrf
from crosswire.web.layout import entity_chips, side_by_side, timeline

router = APIRouter(include_in_schema=False)
_env = None
csrf = Csrf()  # one per process: the add form and the correction form (web/corrections.py) check it


def _templates():
    global _env
    if _env is None:
        from jinja2 import Environment, FileSystemLoader
        _env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                           trim_blocks=True, lstrip_blocks=True)
    return _env


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return page_response(_templates().get_template(name).render(**context), status)


def not_found(request: Request) -> HTMLResponse:
    """The page a browser gets for an address that names no page (the API's paths keep their JSON 404)."""
    path = request.url.path
    return page("error.html", status=404, title="Page not found",
                message=f"There is no page at {path[:80]!r}.")


def page_response(html: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status_code=status,
                        headers={"Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                                 "style-src 'self'; script-src 'self'; frame-ancestors 'none'",
                                 "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"})


@router.get("/", response_class=HTMLResponse)
async def story_list(request: Request, q: str = "", entity: str = "", lang: str = "", since: str = "",
               until: str = "", cursor: str = "") -> HTMLResponse:
    store = request.app.state.store
    filters = {"q": q[:500], "entity": entity[:200], "lang": lang[:20], "since": since[:40], "until": until[:40]}
    message = None
    stories, next_cursor = [], None
    try:
        stories, next_cursor = list_filtered(
            store, q=filters["q"] or None, entity=filters["entity"] or None, lang=filters["lang"] or None,
            since=parse_bound(filters["since"], "since"), until=parse_bound(filters["until"], "until"),
            until_written=filters["until"], cursor=cursor or None, limit=30)
        stories = await refreshed(request.app.state, stories)
    except (ApiError, CrosswireError) as exc:
        message = getattr(exc, "message", None) or str(exc)
    languages = store.languages()
    return page("list.html", status=422 if message else 200, stories=[story_summary(s) for s in stories],
                filters=filters, next_cursor=next_cursor, message=message, languages=languages)


def story_number(value: str) -> int | None:
    """The id in a /stories/{id} URL, or None when it names no story (not a whole number in the API's
    StoryId range); read here, not by a typed path parameter, whose 422 would be the API's JSON error."""
    if not (value.isascii() and value.isdigit() and len(value) <= 19):  # int() of 4,300+ digits raises
        return None
    number = int(value)
    return number if number <= MAX_STORY_PATH_ID else None


@router.get("/stories/{story_id}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: str) -> HTMLResponse:
    state = request.app.state
    number = story_number(story_id)
    if number is None:
        return story_not_found(f"There is no story {story_id[:40]!r}: a story's address ends in its number.")
    try:
        story = state.store.get_story(number)
        if story.id != number:  # merged into another: its address now, so the page and the URL agree
            return RedirectResponse(f"/stories/{story.id}", status_code=302)
        summary = story_summary(story)
        history = await run_in_threadpool(story_history, state.store, number, ("merge", "split"))
        html = await rendered(state, number, "page", lambda c: _story_html(summary, c, history),
                              shows=tuple(map(repr, summary.values())) + tuple(map(repr, history)))
    except NotFound:
        return story_not_found(f"There is no story {number}.")
    return page_response(html)


def _story_html(summary: dict[str, Any], comparison, history: list[dict[str, Any]]) -> str:
    counts = {"agree": 0, "conflict": 0, "single": 0}
    for fact in comparison.facts:
        counts[fact.status] = counts.get(fact.status, 0) + 1
    return _templates().get_template("story.html").render(
        story=summary, comparison=comparison, rows=side_by_side(comparison), timeline=timeline(comparison),
        entities=entity_chips(comparison), counts=counts, sources={s.id: s for s in comparison.sources},
        history=history, updates=worded_updates(comparison))


def form_page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page with a writing form: its CSRF token in the form and the matching cookie, and whether it must ask
    for the write token (the add form and the correction form)."""
    nonce, signed = csrf.issue(request.cookies.get(COOKIE))
    response = page(name, status=status, csrf=signed, open_writes=writes_open(request.app.state.settings), **context)
    response.set_cookie(COOKIE, nonce, httponly=True, samesite="strict", path="/")
    return response


def story_not_found(message: str) -> HTMLResponse:
    return page("error.html", status=404, title="Story not found", message=message)


def _add_form(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    return form_page(request, "add.html", status, **context)


GENERIC_TYPES = {"", "application/octet-stream", "binary/octet-stream", "application/unknown"}


def upload_type(filename: str, declared: str | None) -> str:
    """The media type to read an upload as. Browsers and curl declare `application/octet-stream` for
    an extension they do not know (`.jsonl`, often `.md`), and `mimetypes` does not know `.jsonl` either,
    so such a file would be read as one plain-text article holding the raw JSON lines. A generic type
    therefore yields to the file name's extension, read by the same reader file ingest uses for it."""
    media = (declared or "").split(";")[0].strip().lower()
    if media not in GENERIC_TYPES:
        return declared
    reader = READERS.get(PurePath(filename).suffix.lower())
    by_reader = {}
    for content_type, content_reader in CONTENT_TYPES.items():
        by_reader.setdefault(content_reader, content_type)
    if reader in by_reader:
        return by_reader[reader]
    return mimetypes.guess_type(filename)[0] or "text/plain"


@router.get("/add", response_class=HTMLResponse)
async def add_page(request: Request) -> HTMLResponse:
    return _add_form(request)


@router.post("/add", response_class=HTMLResponse)
async def add_submit(request: Request) -> HTMLResponse:
    state = request.app.state
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    if not csrf.valid(request.cookies.get(COOKIE), fields.get("csrf")):
        return _add_form(request, status=403, message="The form expired or came from another site; please try again.")
    try:
        check_token(state.settings, fields.get("token") or None)
    except ApiError as exc:
        return _add_form(request, status=401, message=exc.message, form=fields)
    articles, errors = [], []
    try:
        if fields.get("text", "").strip():
            articles.append(article_from_json(
                {"text": fields["text"], "title": fields.get("title"), "outlet": fields.get("outlet"),
                 "url": fields.get("url"), "published": fields.get("published") or None}, "pasted text"))
        for upload in form.getlist("files"):
            if isinstance(upload, str) or not upload.filename:
                continue
            data = await upload.read()
            kind = upload_type(upload.filename, upload.content_type)
            try:
                found, bad = await run_in_threadpool(parse_articles, data, kind, upload.filename, state.settings)
                articles.extend(found)
                errors.extend(bad)
            except CrosswireError as exc:
                errors.append(str(exc))
    except CrosswireError as exc:
        return _add_form(request, status=422, message=str(exc), form=fields)
    if not articles:
        return _add_form(request, status=422, form=fields,
                         message="; ".join(errors) or "Paste an article's text or choose files to upload.")
    result = await run_in_threadpool(ingest, state, articles, errors)
    return page("added.html", result=result)
