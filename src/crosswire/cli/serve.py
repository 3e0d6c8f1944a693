"""`crosswire serve`: the JSON API and newsroom pages over the CLI's store."""
from __future__ import annotations

import socket

import click

from crosswire.cli import main
from crosswire.errors import CrosswireError


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default server.host, 127.0.0.1).")
@click.option("--port", default=None, type=click.IntRange(0, 65535),  # uvicorn wraps a bigger one round
              help="Port (default server.port, 8000; 0 = any free port, printed when listening).")
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
    listening = _listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"crosswire: serving {settings.db} on http://{shown}:{listening.getsockname()[1]}/", err=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    server.run(sockets=[listening])


def _listen(host: str, port: int) -> socket.socket:
    """The bound socket, before anything says "serving": a port in use is one error line, not a "serving"
    line and then uvicorn's log, and with ``--port 0`` the port the system picked can be printed."""
    # the family as uvicorn chooses it: IPv6 only for an IPv6 address, so "localhost" stays 127.0.0.1 even where
    # the resolver lists ::1 first (a proxy or script pointed at 127.0.0.1 keeps working)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except (OSError, UnicodeError) as exc:  # in use, no such interface, a host name that does not resolve
        raise CrosswireError(f"cannot listen on {host}:{port}: {getattr(exc, 'strerror', None) or exc}") from None
    return sock
