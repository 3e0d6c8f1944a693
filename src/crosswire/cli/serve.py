"""`crosswire serve`: the JSON API and newsroom pages over the CLI's store."""
from __future__ import annotations

import click

from crosswire.cli import main


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default server.host, 127.0.0.1).")
@click.option("--port", default=None, type=click.IntRange(0, 65535),  # uvicorn wraps a bigger one round
              help="Port (default server.port, 8000).")
@click.pass_obj
def serve(app_ctx, host: str | None, port: int | None) -> None:
    """Serve the API (/api/v1, docs at /docs) and the web UI on the store given by --db."""
    import uvicorn

    from crosswire.api import create_app

    settings = app_ctx.settings
    host = host or str(settings.get("server", "host", "127.0.0.1"))
    port = port if port is not None else int(settings.get("server", "port", 8000))
    app = create_app(settings, store=app_ctx.store())
    if not settings.get("server", "token") and not settings.get("server", "open_writes"):
        click.echo("note: no CROSSWIRE_TOKEN set and server.open_writes is off: writes are refused", err=True)
    click.echo(f"crosswire: serving {settings.db} on http://{host}:{port}/", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
