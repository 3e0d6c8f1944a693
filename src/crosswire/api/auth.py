"""Who may write: a Bearer token (CROSSWIRE_TOKEN), or anyone when `server.open_writes` is on.

Reads are always open: the store holds published news, and the point is to show it.
Browser forms cannot send an Authorization header, so they pass the same token in a form
field (`token`); see docs/web.md.
"""
from __future__ import annotations

import hmac

from crosswire.api.errors import ApiError
from crosswire.config import Settings


def writes_open(settings: Settings) -> bool:
    """Only a real ``true`` opens writes: ``bool("false")`` is True, so anything else (a string that
    slipped past the config check, e.g. through ``Settings.overridden``) keeps them closed."""
    return settings.get("server", "open_writes", False) is True


def check_token(settings: Settings, presented: str | None) -> None:
    """Raise ApiError(401) unless writes are open or `presented` is the configured token."""
    if writes_open(settings):
        return
    token = str(settings.get("server", "token", "") or "")
    if not token:
        raise ApiError(401, "writes are disabled: set CROSSWIRE_TOKEN (or server.open_writes = true for local use)")
    if not presented:
        raise ApiError(401, "this request writes; send 'Authorization: Bearer <CROSSWIRE_TOKEN>'")
    if not hmac.compare_digest(presented.encode(), token.encode()):
        raise ApiError(401, "the token is not valid")


def bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None
