"""How commands talk to people and machines: rich on a terminal, plain JSON with --json."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from typing import Any, Iterator

import click


def emit_json(data: Any, one_line: bool = False) -> None:
    """Indented for a person reading it; ``one_line`` for JSON Lines (one record per event, as a
    polling `ingest --every --json` prints one per round)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=None if one_line else 2, default=str))


def counted(n: int, one: str, many: str | None = None) -> str:
    """"1 story", "2 stories": the count lines read as sentences."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def stderr_console():
    from rich.console import Console
    return Console(stderr=True)


@contextmanager
def progress_bar(description: str, total: int | None, enabled: bool = True) -> Iterator:
    """A rich progress bar on stderr; yields `advance(n)`. Silent when not a terminal."""
    if not enabled or total == 0 or not sys.stderr.isatty():
        yield lambda n=1: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=stderr_console(), transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n=1: progress.advance(task, n)


def print_markdown(text: str) -> None:
    """Markdown rendered by rich on a terminal; the raw Markdown when piped."""
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown
        Console().print(Markdown(text))
    else:
        click.echo(text, nl=False)
