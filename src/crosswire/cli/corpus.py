"""`crosswire ingest` and `crosswire stats`: getting reports in, and seeing what is there."""
from __future__ import annotations

import sys

import click

from crosswire.cli import AppContext, main
from crosswire.cli.output import counted, emit_json, progress_bar
from crosswire.errors import StoreError


SETTLE_S = 2.0  # polling: a file in a watched folder younger than this waits a round (it may be half-written)


def read_inputs(app: AppContext, inputs: tuple[str, ...], waiting: set[str] | None = None):
    """Files, folders, URLs and feeds -> (articles, error lines). Bad inputs never stop the batch.

    ``waiting`` (polling): the files the last round left for this one; replaced by this round's (see SETTLE_S)."""
    from crosswire import ingest
    articles, errors = [], []
    paths = [i for i in inputs if not i.startswith(("http://", "https://"))]
    urls = [i for i in inputs if i.startswith(("http://", "https://"))]
    settle = SETTLE_S if waiting is not None else 0.0
    batches = [ingest.read_paths(paths, app.settings, settle, frozenset(waiting or ()))] if paths else []
    if waiting is not None:
        waiting.clear()
        waiting.update(w for batch in batches for w in batch.waiting)
    batches += [ingest.fetch_url(url, app.settings) for url in urls]
    for batch in batches:
        articles.extend(batch.articles)
        errors.extend(str(e) for e in batch.errors)
    return articles, errors


class PollInterval(click.FloatRange):
    """Seconds between polling rounds: 0.1 s up to a week. ``nan`` passes a plain FloatRange (every
    comparison with it is false) and would busy-loop; ``inf`` would overflow ``time.sleep``."""

    def __init__(self) -> None:
        super().__init__(min=0.1, max=7 * 24 * 3600)

    def convert(self, value, param, ctx):
        rv = super().convert(value, param, ctx)
        if rv != rv:  # nan
            self.fail(f"{value!r} is not a number of seconds.", param, ctx)
        return rv


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH|URL...")
@click.option("--json", "as_json", is_flag=True, help="Print the ingest report as JSON (one line per round with --every).")
@click.option("--every", type=PollInterval(), metavar="SECONDS",
              help="Keep going: read the inputs again every SECONDS (feeds, folders that grow) until Ctrl-C. "
                   "The story index stays in memory between rounds.")
@click.option("--rounds", type=click.IntRange(min=1), help="With --every: stop after this many rounds.")
@click.pass_obj
def ingest(app: AppContext, inputs: tuple[str, ...], as_json: bool, every: float | None, rounds: int | None) -> None:
    """Read files, folders (recursively), pages, feeds or URLs into the store and group them into stories.

    Re-running on the same input adds nothing. Each unreadable input gets one line on stderr
    naming it and the reason; the exit code is non-zero only when nothing could be read (without
    --every: a feed that is down for one round of a polling run is retried next round). With
    --every, a round the database fails (locked past [store] busy_timeout, a PostgreSQL restart)
    is reported and the next round tries again: what it had stored stays, what it had not is
    read again.
    """
    if rounds is not None and every is None:
        raise click.UsageError("--rounds needs --every")
    if every is None:
        if not _ingest_round(app, inputs, as_json, one_line=False):
            sys.exit(1)
        return
    import signal
    import time
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a service manager's stop: leave as Ctrl-C does
    done, read_any = 0, False
    shown: set[str] = set()  # last round's error lines: a folder waiting for files, a feed down for hours
    waiting: set[str] = set()  # files the last round left for this one (changed within SETTLE_S)
    try:
        while True:
            began = time.monotonic()
            last = rounds is not None and done + 1 >= rounds  # nothing is left for a round that never comes
            try:
                read_any = _ingest_round(app, inputs, as_json, one_line=True, shown=shown,
                                         waiting=None if last else waiting) or read_any
            except StoreError as exc:
                _report_failed_round(exc, done + 1, every, as_json)
            done += 1
            if rounds is not None and done >= rounds:
                break
            time.sleep(max(0.0, every - (time.monotonic() - began)))
    except KeyboardInterrupt:
        click.echo(f"stopped after {done} rounds", err=True)
    if done and not read_any:  # every round failed: as without --every, that is a failure
        sys.exit(1)


def _report_failed_round(exc: StoreError, number: int, every: float, as_json: bool) -> None:
    """One line on stderr (and, with --json, a report line like any other round's)."""
    from crosswire.model import IngestReport
    line = f"store: {exc}"
    click.echo(f"error: round {number}: {line}; trying again in {every:g} s", err=True)
    if as_json:
        emit_json(IngestReport(errors=[line]).to_dict(), one_line=True)


def _ingest_round(app: AppContext, inputs: tuple[str, ...], as_json: bool, one_line: bool,
                  shown: set[str] | None = None, waiting: set[str] | None = None) -> bool:
    """Read and ingest ``inputs`` once and report it; False when nothing at all could be read.

    ``shown`` (polling): the error lines the last round printed. A line printed then is not printed
    again while it stays the same, so a watched folder that is still empty or a feed that is still down
    does not fill the terminal once per round; the round's count line and its JSON still carry it."""
    from crosswire.pipeline import ingest_articles
    last = set(shown or ())

    def show(lines: list[str]) -> None:
        for line in lines:
            if line not in last:
                click.echo(f"error: {line}", err=True)
    articles, errors = read_inputs(app, inputs, waiting)
    show(errors)  # before the analysis: a long round should not hide a refused input until its end
    store = app.store()
    with progress_bar("Analysing articles", len(articles), enabled=not as_json) as advance:
        report = ingest_articles(store, articles, app.settings, progress=advance)
    show(report.errors)  # the pipeline's own: a left-over article it could not place
    for line in report.notes:
        click.echo(f"note: {line}", err=True)
    if not as_json:
        for line in report.story_changes:
            click.echo(f"story: {line}")
    lines = errors + report.errors
    if shown is not None:
        shown.clear()
        shown.update(lines)
    report.errors = lines
    if as_json:
        emit_json({**report.to_dict(), **({"waiting": sorted(waiting)} if waiting else {})}, one_line=one_line)
    else:
        stories = len({report.stories[a] for a in report.added if a in report.stories})
        click.echo(f"{counted(len(report.added), 'new article')} in {counted(stories, 'story', 'stories')}; "
                   + (f"{counted(len(report.updated), 'article')} updated at a stored URL (new text; "
                      "the earlier text is kept); " if report.updated else "")
                   + f"{len(report.already_stored)} already stored; {counted(len(report.duplicates), 'copy', 'copies')} of "
                   f"earlier articles; {counted(len(errors), 'input')} refused. "
                   + (f"{counted(len(report.placed_late), 'article')} an earlier run stored without a story placed now. "
                      if report.placed_late else "")
                   + (f"{len(waiting)} files changed in the last {SETTLE_S:g} s wait for the next round. "
                      if waiting else "") + f"Store: {store.url}")
    return bool(articles or not errors)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_obj
def stats(app: AppContext, as_json: bool) -> None:
    """Counts of what the store holds: articles, stories, sources, languages..."""
    counts = app.store().stats()
    if as_json:
        emit_json(counts)
        return
    for key, value in counts.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in sorted(value.items(), key=lambda kv: -kv[1])) or "-"
        click.echo(f"{key:>12}: {value}")
