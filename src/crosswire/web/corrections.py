"""The story page's correction form: an editor splits reports off a story or merges other stories into it
(``stories/edits.py`` says why and how; the API's ``POST /stories/{id}/split|merge`` run the same edits).

A page of its own, not a form on the story page: the story page is cached for every reader (``rendered``), and a
form carries a per-visitor CSRF token. Writing needs the write token, as adding articles does.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from crosswire.api.auth import check_token
from crosswire.api.errors import ApiError
from crosswire.api.story_edits import corrected, merge_edit, split_edit
from crosswire.errors import CrosswireError, NotFound
from crosswire.web.csrf import COOKIE
from crosswire.web.pages import csrf, form_page, story_not_found, story_number

router = APIRouter(include_in_schema=False)


async def _form(request: Request, story_id: int, status: int = 200, message: str | None = None,
                fields: dict[str, Any] | None = None) -> HTMLResponse:
    from crosswire import pipeline
    state = request.app.state
    try:
        story = state.store.get_story(story_id)
    except NotFound:
        return story_not_found(f"There is no story {story_id}.")
    comparison = await run_in_threadpool(pipeline.story_comparison, state.store, story.id, state.settings)
    return form_page(request, "correct.html", status, story=story, sources=comparison.sources, message=message,
                     form=fields or {})


@router.get("/stories/{story_id}/correct", response_class=HTMLResponse)
async def correct_page(request: Request, story_id: str) -> HTMLResponse:
    number = story_number(story_id)
    if number is None:
        return story_not_found(f"There is no story {story_id[:40]!r}.")
    return await _form(request, number)


@router.post("/stories/{story_id}/correct", response_class=HTMLResponse)
async def correct_submit(request: Request, story_id: str) -> HTMLResponse:
    number = story_number(story_id)
    if number is None:
        return story_not_found(f"There is no story {story_id[:40]!r}.")
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    if not csrf.valid(request.cookies.get(COOKIE), fields.get("csrf")):
        return await _form(request, number, 403, "The form expired or came from another site; please try again.")
    why = fields.get("why", "")[:300]
    try:
        check_token(request.app.state.settings, fields.get("token") or None)
        if fields.get("action") == "merge":
            others = [o for o in fields.get("stories", "").replace(",", " ").split() if o]
            if not all(story_number(o) is not None for o in others):
                raise CrosswireError(f"story ids are whole numbers: {fields.get('stories', '')[:60]!r}")
            changed = await run_in_threadpool(corrected, request.app.state, merge_edit, number,
                                              [int(o) for o in others], why)
        elif fields.get("action") == "split":
            moving = [v for v in form.getlist("move") if isinstance(v, str)]
            changed = await run_in_threadpool(corrected, request.app.state, split_edit, number, moving, why)
        else:
            raise CrosswireError("choose Split or Merge")
    except ApiError as exc:
        return await _form(request, number, exc.status, exc.message, fields)
    except CrosswireError as exc:
        status = 404 if isinstance(exc, NotFound) else 422
        return await _form(request, number, status, str(exc), fields)
    return RedirectResponse(f"/stories/{changed[0]['id']}", status_code=303)
