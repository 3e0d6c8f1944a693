"""Downloading a page or feed: bounded in time and size, with errors a user can act on."""
from __future__ import annotations

from crosswire.errors import InputError

TIMEOUT_S = 20.0
USER_AGENT = "Crosswire/0.1 (+news comparison; respects robots by being run by hand)"


def download(url: str, max_bytes: int) -> tuple[bytes, str]:
    """(body, media type). Streams, so a huge response is cut off at max_bytes, not loaded."""
    import httpx
    try:
        with httpx.stream("GET", url, timeout=TIMEOUT_S, follow_redirects=True,
                          headers={"User-Agent": USER_AGENT}) as response:
            if response.status_code >= 400:
                raise InputError(url, f"HTTP {response.status_code} {response.reason_phrase}")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(url, f"response larger than {max_bytes:,} bytes")
                chunks.append(chunk)
            media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    except httpx.InvalidURL as exc:
        raise InputError(url, f"invalid URL ({exc})") from None
    except httpx.TimeoutException:
        raise InputError(url, f"no answer within {TIMEOUT_S:.0f} s") from None
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot download ({type(exc).__name__}: {exc})") from None
    return b"".join(chunks), media
