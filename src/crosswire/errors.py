"""Errors a user can act on. The CLI and API print these as one line; anything else is a bug."""
from __future__ import annotations


class CrosswireError(Exception):
    """Base: the message is meant for the user, complete and on one line."""


class ConfigError(CrosswireError):
    pass


class InputError(CrosswireError):
    """A file, page, feed, URL or API body that cannot be used; names the input and the reason."""

    def __init__(self, source: str, reason: str):
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class StoreError(CrosswireError):
    pass


class NotFound(CrosswireError):
    pass
