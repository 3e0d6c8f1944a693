"""Downloading a page or feed: bounded in time and size, with errors a user can act on."""
from __future__ import annotations

import time

from crosswire.errors import InputError

TIMEOUT_S = 20.0  # one stalled connect or read
# The whole download's default ([ingest] download_deadline), however the server paces it: a server that
# sends a byte a second never stalls a read, yet would hold an ingest (and a polling round) for hours.
DOWNLOAD_DEADLINE_S = 60.0
USER_AGENT = "Crosswire/0.1 (+news comparison; respects robots by being run by hand)"


def download(url: str, max_bytes: int, deadline_s: float = DOWNLOAD_DEADLINE_S) -> tuple[bytes, str]:
    """(body, Content-Type header). Streams, so a huge or endless response is cut off, not loaded, and one
    not finished ``deadline_s`` seconds after the request is given up."""
    import httpx
    deadline = time.monotonic() + deadline_s  # from the request on: slow headers count too
    stall = min(TIMEOUT_S, deadline_s)  # a deadline below one read's timeout bounds every read too
    try:
        with httpx.stream("GET", url, timeout=stall, follow_redirects=True,
                          headers={"User-Agent": USER_AGENT}) as response:
            if response.status_code >= 400:
                raise InputError(url, f"HTTP {response.status_code} {response.reason_phrase}")
            body = _body(response, url, max_bytes, deadline, deadline_s)
            content_type = response.headers.get("content-type", "")
    except (httpx.InvalidURL, UnicodeError) as exc:  # UnicodeError: a host name IDNA cannot encode
        raise InputError(url, f"invalid URL ({exc})") from None
    except httpx.TimeoutException:
        raise InputError(url, f"no answer within {stall:g} s") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot download ({type(exc).__name__}: {exc})") from None
    return body, content_type


def _body(response, url: str, max_bytes: int, deadline: float, deadline_s: float) -> bytes:
    """The body, checked after each chunk: past max_bytes or past the deadline, the rest is not waited for."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise InputError(url, f"response larger than {max_bytes:,} bytes")
        if time.monotonic() > deadline:
            raise InputError(url, f"download not finished within {deadline_s:g} s "
                                  f"({size:,} bytes received)")
        chunks.append(chunk)
    return b"".join(chunks)
