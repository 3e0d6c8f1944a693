"""`crosswire stories`, `crosswire brief` and `crosswire compare`: reading what the sources say."""
from __future__ import annotations

from pathlib import Path

import click

from crosswire.cli import AppContext, main
from crosswire.cli.corpus import read_inputs
from crosswire.cli.output import emit_json, print_markdown, progress_bar
from crosswire.errors import CrosswireError, InputError, NotFound
from crosswire.store import MAX_STORY_ID

FORMAT = click.Choice(["md", "html", "json"])


@main.command()
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1),
              help="How many stories, newest first.")
@click.option("-q", "query", help="Full-text filter.")
@click.option("--entity", help="Only stories naming this person, place or organisation (any spelling that folds the same).")
@click.option("--lang", help="Only stories with a report in this language (a code such as de).")
@click.option("--since", help="Last updated at or after this date or date-time (YYYY-MM-DD[THH:MM], UTC unless it has an offset).")
@click.option("--until", help="Last updated at or before this; a date alone includes that whole day.")
@click.option("--json", "as_json", is_flag=True, help="Print the stories as JSON (the API's story fields, plus article_ids).")
@click.pass_obj
def stories(app: AppContext, limit: int, query: str | None, entity: str | None, lang: str | None,
            since: str | None, until: str | None, as_json: bool) -> None:
    """List stories, newest first: headline, articles, outlets, languages, conflicts (the same filters as the
    API's and the web list's)."""
    from crosswire.api.errors import ApiError
    from crosswire.api.listing import list_stories, parse_bound
    from crosswire.api.views import story_summary
    from crosswire.pipeline import listed_stories
    store = app.store()
    try:
        page, _ = list_stories(store, q=query, entity=entity, lang=lang, since=parse_bound(since, "--since"),
                               until=parse_bound(until, "--until"), until_written=until, limit=limit)
    except ApiError as exc:  # a filter the user typed: the API's words for it, as one error line
        raise InputError("stories", exc.message) from None
    page = listed_stories(store, page, app.settings)
    if as_json:
        emit_json([{**story_summary(s), "article_ids": s.article_ids} for s in page])
        return
    if not page:
        click.echo("No stories match." if any((query, entity, lang, since, until)) else
                   "No stories yet: `crosswire ingest PATH` reads reports and groups them into stories.")
        return
    from rich.console import Console
    from rich.table import Table
    table = Table("id", "headline", "articles", "outlets", "langs", "conflicts", "updated")
    for s in page:
        outlets = ", ".join(s.outlets)
        table.add_row(str(s.id), s.headline[:80], str(len(s.article_ids)), outlets if len(outlets) <= 40 else outlets[:39] + "…",
                      ",".join(s.languages), str(s.conflict_count), str(s.last_updated or "")[:10])
    Console().print(table)


def _check_output(out: str | None) -> None:
    """Refuse an ``-o FILE`` that cannot be written before any work is done: `brief PATH` stores
    articles first, and a briefing lost to a missing folder would leave the user guessing."""
    if out is None:
        return
    path = Path(out)
    if path.is_dir():
        raise InputError(out, "is a directory; give a file name")
    if not path.parent.is_dir():
        raise InputError(out, f"no such directory: {path.parent}")


def _write(text: str, out: str | None, fmt: str) -> None:
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as exc:  # permissions, a full disk: what the up-front check cannot see
            raise InputError(out, f"cannot write: {exc.strerror or exc}") from exc
        click.echo(f"wrote {out}", err=True)
    elif fmt == "md":
        print_markdown(text)
    else:
        click.echo(text, nl=False)


@main.command()
@click.argument("targets", nargs=-1, metavar="[STORY_ID | PATH...]")
@click.option("--format", "fmt", type=FORMAT, default="md", show_default=True)
@click.option("-o", "--output", "out", metavar="FILE", help="Write to a file instead of the terminal.")
@click.pass_obj
def brief(app: AppContext, targets: tuple[str, ...], fmt: str, out: str | None) -> None:
    """A cited briefing: agreed facts, differences, single-source facts, timeline, entities.

    With a story id, brief that story. With paths, ingest them (idempotently) and brief every
    story their articles belong to. With nothing, brief the newest story.
    """
    from crosswire.brief import render_many
    from crosswire.pipeline import ingest_articles, story_comparison
    _check_output(out)
    store = app.store()
    # story ids and paths may be mixed; an id is ASCII digits ("²".isdigit() is true but int("²") fails), unless a
    # file or folder of that name is there (`brief 2024 report.md` with a folder 2024 meant the folder, as before)
    numbers = [int(t) for t in targets if t.isascii() and t.isdigit() and not Path(t).exists()]
    paths = [t for t in targets if not (t.isascii() and t.isdigit()) or Path(t).exists()]
    for sid in numbers:
        if sid > MAX_STORY_ID:  # the database would overflow rather than answer "not found"
            raise NotFound(f"no story with id {sid}")
    story_ids: list[int] = []
    for sid in numbers:
        if (now := store.get_story(sid).id) != sid:  # an old link: say so, not brief another id without a word
            click.echo(f"note: story {sid} was merged into story {now} (`crosswire history {now}`)", err=True)
        if now not in story_ids:
            story_ids.append(now)
    if paths:
        articles, errors = read_inputs(app, tuple(paths))
        for line in errors:
            click.echo(f"error: {line}", err=True)
        if not articles:  # each input's own error line says why; a second line saying "none" adds nothing
            if errors:
                raise click.exceptions.Exit(1)
            raise CrosswireError("no readable articles in " + ", ".join(paths))
        with progress_bar("Analysing articles", len(articles)) as advance:
            report = ingest_articles(store, articles, app.settings, progress=advance)
        for line in report.errors:  # the pipeline's own: a left-over article it could not place
            click.echo(f"error: {line}", err=True)
        for line in report.notes:
            click.echo(f"note: {line}", err=True)
        story_ids += sorted({sid for a in articles if (sid := store.story_of(a.id)) is not None} - set(story_ids))
    elif not targets:
        page, _ = store.list_stories(limit=1)
        if not page:
            raise CrosswireError("the store has no stories yet: run `crosswire ingest PATH` first")
        story_ids = [page[0].id]
    comparisons = [story_comparison(store, sid, app.settings) for sid in story_ids]
    _write(render_many(comparisons, fmt), out, fmt)


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH PATH...")
@click.option("--json", "as_json", is_flag=True, help="Print the comparison JSON (same as --format json).")
@click.option("--format", "fmt", type=FORMAT, default="md", show_default=True)
@click.option("-o", "--output", "out", metavar="FILE")
@click.pass_obj
def compare(app: AppContext, paths: tuple[str, ...], as_json: bool, fmt: str, out: str | None) -> None:
    """Compare reports side by side without storing them: each file's articles are the sources."""
    from crosswire.brief import render
    from crosswire.pipeline import article_notes, compare_articles
    _check_output(out)
    articles, errors = read_inputs(app, paths)
    for line in errors:
        click.echo(f"error: {line}", err=True)
    if len(articles) < 2:
        raise InputError(", ".join(paths), f"need at least two readable articles to compare, got {len(articles)}")
    fmt = "json" if as_json else fmt
    for line in article_notes(articles, app.settings):
        click.echo(f"note: {line}", err=True)
    _write(render(compare_articles(articles, app.settings), fmt), out, fmt)
