"""The fast path for requests: a transport adapter that takes the ``Cookie`` header straight
from the engine and feeds every ``Set-Cookie`` straight back, on every hop of a redirect chain.

::

    import requests, cookiejar
    from cookiejar.for_requests import install

    jar = cookiejar.Jar("cookies.jar")
    session = install(requests.Session(), jar)
    session.get("https://example.com/")   # Cookie header: exactly what a browser would send

``install`` wraps the adapters mounted on the session (so custom adapters keep working) and
sets ``session.cookies`` to a ``NullCookieJar``: requests then no longer copies, matches and
parses cookies with ``http.cookiejar`` on each request, which is where its cost grows with
the size of the jar. Read the cookies from ``jar`` itself.

The adapter owns the ``Cookie`` header: it replaces whatever requests computed (on a redirect
hop requests fills it from a private standard-library jar that also holds the cookies of the
redirect responses, even ones the engine refused). Cookies you want sent belong in the jar:
``jar.set_cookie(url, "name=value")``.
"""

from __future__ import annotations

from typing import Any, List, Optional, Union

import requests
from requests.adapters import BaseAdapter, HTTPAdapter

from ._jar import Jar
from ._stdlib import CookieJar, NullCookieJar, _header_text, feed

__all__ = ["CookieAdapter", "install"]


def _jar_of(jar: Union[Jar, CookieJar]) -> Jar:
    if isinstance(jar, CookieJar):
        return jar.jar
    if isinstance(jar, Jar):
        return jar
    raise TypeError(f"jar must be a cookiejar.Jar or cookiejar.CookieJar, not {type(jar).__name__}")


def set_cookie_values(response: requests.Response) -> List[str]:
    """Every ``Set-Cookie`` value of a requests response, one per header line (the merged
    ``response.headers`` joins them with commas, which cannot be split back reliably)."""
    raw = response.raw
    headers = getattr(raw, "headers", None)
    getlist = getattr(headers, "getlist", None)
    if getlist is not None:  # urllib3's HTTPHeaderDict
        return [_header_text(v) for v in getlist("Set-Cookie")]
    original = getattr(raw, "_original_response", None)
    msg = getattr(original, "msg", None)
    if msg is not None and hasattr(msg, "get_all"):
        return [_header_text(v) for v in msg.get_all("Set-Cookie") or []]
    value = response.headers.get("Set-Cookie")
    return [] if value is None else [_header_text(value)]


class CookieAdapter(BaseAdapter):
    """A requests transport adapter that wraps another (``HTTPAdapter()`` by default) and
    handles cookies with the engine: before each send the ``Cookie`` header is set from
    ``jar.cookie_header(url)`` (or removed when no cookie applies); after it, every
    ``Set-Cookie`` of the response is stored with ``jar.set_cookie(url, value)`` (refused ones
    are logged at DEBUG level on the ``cookiejar`` logger and skipped)."""

    def __init__(self, jar: Union[Jar, CookieJar], adapter: Optional[BaseAdapter] = None) -> None:
        super().__init__()
        self.jar = _jar_of(jar)
        self.adapter = adapter if adapter is not None else HTTPAdapter()

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = request.url
        if not isinstance(url, str):
            raise TypeError("the request has no URL")
        header = self.jar.cookie_header(url)
        if header is None:
            request.headers.pop("Cookie", None)
        else:
            request.headers["Cookie"] = header
        response = self.adapter.send(request, **kwargs)
        feed(self.jar, url, set_cookie_values(response))
        return response

    def close(self) -> None:
        self.adapter.close()


def install(session: requests.Session, jar: Union[Jar, CookieJar]) -> requests.Session:
    """Makes ``session`` keep its cookies in ``jar`` through ``CookieAdapter``: every adapter
    mounted on it (``http://`` and ``https://`` by default) is wrapped, and
    ``session.cookies`` becomes a ``NullCookieJar``. Returns the session."""
    engine = _jar_of(jar)
    for prefix, adapter in list(session.adapters.items()):
        if isinstance(adapter, CookieAdapter):
            adapter = adapter.adapter
        session.mount(prefix, CookieAdapter(engine, adapter))
    session.cookies = NullCookieJar()  # type: ignore[assignment]
    return session
