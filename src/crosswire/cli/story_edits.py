"""`crosswire merge` and `crosswire split`: an editor corrects the stories (stories/edits.py says why and how);
`crosswire history`: what changed a story, by the clusterer or by hand."""
from __future__ import annotations

import re

import click

from crosswire.cli import AppContext, main
from crosswire.cli.output import counted, emit_json
from crosswire.errors import InputError, NotFound
from crosswire.store import MAX_STORY_ID

ARTICLE_ID = re.compile(r"[0-9a-f]{16}")
SOURCE_NUMBER = re.compile(r"\[?([0-9]{1,18})\]?")


def _story_id(value: str) -> int:
    if not (value.isascii() and value.isdigit()):
        raise InputError(repr(value), "not a story id: a story id is a whole number (`crosswire stories` lists them)")
    if int(value) > MAX_STORY_ID:  # the database would overflow rather than answer "not found"
        raise NotFound(f"no story with id {value}")
    return int(value)


def _reports(app: AppContext, story_id: int, given: tuple[str, ...]) -> list[str]:
    """Article ids from what the user gave: ids as stored, or source numbers as the story's briefing cites them
    ("3" or "[3]")."""
    from crosswire.pipeline import story_comparison
    numbered: dict[int, str] | None = None
    ids = []
    for value in given:
        if ARTICLE_ID.fullmatch(value):
            ids.append(value)
            continue
        number = SOURCE_NUMBER.fullmatch(value)
        if not number:
            raise InputError(repr(value), "neither an article id (16 hex digits) nor a source number such as 3 or [3]")
        if numbered is None:
            numbered = {s.id: s.article_id for s in story_comparison(app.store(), story_id, app.settings).sources}
        if int(number.group(1)) not in numbered:
            raise InputError(f"story {story_id}", f"has no source [{number.group(1)}]: its briefing cites "
                                                  f"[1] to [{len(numbered)}]")
        ids.append(numbered[int(number.group(1))])
    return ids


def _show(app: AppContext, story_ids: list[int], as_json: bool, said: str) -> None:
    """The corrected stories as the lists show them, with comparisons made again (their counts changed)."""
    from crosswire.api.views import story_summary
    from crosswire.pipeline import story_comparison
    store = app.store()
    for story_id in story_ids:
        story_comparison(store, story_id, app.settings)
    summaries = [story_summary(store.get_story(story_id)) for story_id in story_ids]
    if as_json:
        emit_json({"done": said, "stories": summaries})
        return
    click.echo(said)
    for s in summaries:
        click.echo(f"  story {s['id']}: {s['headline'][:80]} ({s['article_count']} reports, "
                   f"{s['conflict_count']} differences)")


@main.command()
@click.argument("story")
@click.argument("others", nargs=-1, required=True, metavar="OTHER...")
@click.option("--why", default="", help="A note kept in the story's history (`crosswire history STORY`).")
@click.option("--json", "as_json", is_flag=True, help="Print the merged story as JSON.")
@click.pass_obj
def merge(app: AppContext, story: str, others: tuple[str, ...], why: str, as_json: bool) -> None:
    """Merge stories OTHER... into STORY: reports the clusterer kept apart are one event.

    Old links to the other stories open STORY. The story index keeps the correction: the merged story is not
    split again automatically."""
    from crosswire.stories.edits import merge_by_hand
    kept = merge_by_hand(app.store(), _story_id(story), [_story_id(o) for o in others], why)
    _show(app, [kept], as_json, f"merged {', '.join(others)} into story {kept} (by hand)")


@main.command()
@click.argument("story")
@click.argument("reports", nargs=-1, required=True, metavar="REPORT...")
@click.option("--why", default="", help="A note kept in the story's history (`crosswire history STORY`).")
@click.option("--json", "as_json", is_flag=True, help="Print both stories as JSON.")
@click.pass_obj
def split(app: AppContext, story: str, reports: tuple[str, ...], why: str, as_json: bool) -> None:
    """Move REPORT... out of STORY into a new story: they are about another event.

    A REPORT is a source number as STORY's briefing cites it (3 or [3]) or an article id. The story index keeps
    the correction: the two stories are not merged back automatically."""
    from crosswire.stories.edits import split_by_hand
    story_id = _story_id(story)
    app.store().get_story(story_id)  # an unknown story: "no story with id", before reading its sources
    new, moved = split_by_hand(app.store(), story_id, _reports(app, story_id, reports), why)
    kept = app.store().get_story(story_id).id
    _show(app, [kept, new], as_json, f"moved {counted(len(moved), 'report')} of story {kept} into new story {new} (by hand)")


@main.command()
@click.argument("story")
@click.option("--json", "as_json", is_flag=True, help="Print the events as JSON.")
@click.pass_obj
def history(app: AppContext, story: str, as_json: bool) -> None:
    """What made STORY what it is, oldest first: its reports joining, and merges and splits, each with its reason
    (the clusterer's scores, or an editor's note)."""
    from crosswire.stories.edits import story_history
    events = story_history(app.store(), _story_id(story))
    if as_json:
        emit_json(events)
        return
    for event in events:
        click.echo(f"{(event['at'] or '')[:16]:16}  {event['what']}" + (f"  ({event['reason']})" if event["reason"] else ""))
