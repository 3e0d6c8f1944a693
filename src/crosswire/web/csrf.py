"""CSRF protection for form posts: a random nonce in a cookie plus its HMAC in a hidden field.

Why double-submit with a signature: a cross-site form can make the browser send our cookie but
cannot read it, so it cannot produce the matching signed field; and the server keeps no session.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

COOKIE = "crosswire_csrf"


class Csrf:
    def __init__(self, secret: bytes | None = None):
        self.secret = secret or secrets.token_bytes(32)

    def sign(self, nonce: str) -> str:
        mac = hmac.new(self.secret, nonce.encode(), hashlib.sha256).hexdigest()
        return f"{nonce}.{mac}"

    def issue(self, cookie_nonce: str | None) -> tuple[str, str]:
        """(nonce for the cookie, signed value for the hidden field); reuses a valid cookie."""
        nonce = cookie_nonce if cookie_nonce and len(cookie_nonce) == 32 else secrets.token_hex(16)
        return nonce, self.sign(nonce)

    def valid(self, cookie_nonce: str | None, field: str | None) -> bool:
        if not cookie_nonce or not field or "." not in field:
            return False
        nonce, _ = field.split(".", 1)
        return hmac.compare_digest(nonce, cookie_nonce) and hmac.compare_digest(self.sign(nonce), field)
