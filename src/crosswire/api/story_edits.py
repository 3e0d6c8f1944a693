"""Story corrections over HTTP (``stories/edits.py`` says why): merge and split by hand with the write token, and
each story's history for anyone who can read it. The web's correction form (web/pages.py) runs the same edits."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from crosswire.api.auth import bearer, check_token
from crosswire.api.routes import ERROR, NOT_FOUND, StoryId, write_lock
from crosswire.api.views import story_summary
from crosswire.store.base import MAX_STORY_ID

router = APIRouter(prefix="/api/v1", tags=["story corrections"])
WRITES = {**NOT_FOUND, 400: {"description": "the body is not JSON", **ERROR}, 401: {"description": "no or wrong token", **ERROR},
          422: {"description": "nothing to do, or a report not in the story", **ERROR}}


class MergeIn(BaseModel):
    """Stories to merge into the one in the path; `why` is kept in its history."""

    model_config = ConfigDict(extra="forbid")
    stories: list[Annotated[StrictInt, Field(ge=0, le=MAX_STORY_ID)]] = Field(min_length=1, max_length=100)  # not true or "2"
    why: str = Field("", max_length=300)


class SplitIn(BaseModel):
    """Article ids to move out of the story in the path into a new story; `why` is kept in both histories."""

    model_config = ConfigDict(extra="forbid")
    articles: list[Annotated[StrictStr, Field(min_length=1, max_length=64)]] = Field(min_length=1, max_length=1000)
    why: str = Field("", max_length=300)


def corrected(state, edit, *args) -> list[dict[str, Any]]:
    """Run one correction under the API's write lock, then compare the stories it changed again."""
    from crosswire import pipeline
    with write_lock:
        changed = edit(state.store, *args)
    for story_id in changed:
        pipeline.story_comparison(state.store, story_id, state.settings)  # its counts and headline as it is now
    return [story_summary(state.store.get_story(story_id)) for story_id in changed]


def merge_edit(store, story_id: int, others: list[int], why: str) -> list[int]:
    from crosswire.stories.edits import merge_by_hand
    return [merge_by_hand(store, story_id, others, why)]


def split_edit(store, story_id: int, articles: list[str], why: str) -> list[int]:
    from crosswire.stories.edits import split_by_hand
    new, _ = split_by_hand(store, story_id, articles, why)
    return [store.get_story(story_id).id, new]


@router.post("/stories/{story_id}/merge", summary="Merge other stories into this one (by hand)", responses=WRITES)
async def merge(request: Request, story_id: StoryId, body: MergeIn,
                authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    return await _write(request, authorization, merge_edit, story_id, body.stories, body.why)


async def _write(request: Request, authorization: str | None, edit, *args) -> dict[str, Any]:
    """One correction with the write token: the stories it changed, compared again."""
    state = request.app.state
    check_token(state.settings, bearer(authorization))
    return {"stories": await run_in_threadpool(corrected, state, edit, *args)}


@router.post("/stories/{story_id}/split", summary="Move reports out of this story into a new one (by hand)",
             responses=WRITES)
async def split(request: Request, story_id: StoryId, body: SplitIn,
                authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
    return await _write(request, authorization, split_edit, story_id, body.articles, body.why)


@router.get("/stories/{story_id}/history", summary="What made the story: joins, merges and splits, with reasons",
            responses=NOT_FOUND)
async def history(request: Request, story_id: StoryId) -> dict[str, Any]:
    from crosswire.stories.edits import story_history
    store = request.app.state.store
    story = store.get_story(story_id)
    return {"story": story.id, "events": await run_in_threadpool(story_history, store, story_id)}
