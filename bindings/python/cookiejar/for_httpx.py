"""The fast path for httpx: a transport that takes the ``Cookie`` header straight from the
engine and feeds every ``Set-Cookie`` straight back, on every hop of a redirect chain.

::

    import httpx, cookiejar
    from cookiejar.for_httpx import CookieTransport

    jar = cookiejar.Jar("cookies.jar")
    client = httpx.Client(transport=CookieTransport(jar), cookies=cookiejar.NullCookieJar())
    # or: client = cookiejar.for_httpx.client(jar)

``cookies=NullCookieJar()`` stops httpx from also parsing and matching cookies with
``http.cookiejar`` (its cost grows with the jar). Read the cookies from ``jar`` itself. Wrap
every transport the client uses (``mounts=``, a proxy's transport): a request through an
unwrapped one gets no cookies. The transport owns the ``Cookie`` header: it replaces any the
request carries.
"""

from __future__ import annotations

from typing import Any, Optional, Union

import httpx

from ._jar import Jar
from ._stdlib import CookieJar, NullCookieJar, _header_text, feed

__all__ = ["CookieTransport", "AsyncCookieTransport", "client", "async_client"]


def _jar_of(jar: Union[Jar, CookieJar]) -> Jar:
    if isinstance(jar, CookieJar):
        return jar.jar
    if isinstance(jar, Jar):
        return jar
    raise TypeError(f"jar must be a cookiejar.Jar or cookiejar.CookieJar, not {type(jar).__name__}")


def _before(jar: Jar, request: httpx.Request) -> str:
    url = str(request.url)
    header = jar.cookie_header(url)
    if header is None:
        request.headers.pop("Cookie", None)
    else:
        request.headers["Cookie"] = header
    return url


def _after(jar: Jar, url: str, response: httpx.Response) -> None:
    feed(jar, url, [_header_text(v) for v in response.headers.get_list("Set-Cookie")])


class CookieTransport(httpx.BaseTransport):
    """Wraps a transport (``httpx.HTTPTransport()`` by default) and handles cookies with
    the engine: the ``Cookie`` header from ``jar.cookie_header(url)`` before each request,
    every ``Set-Cookie`` into ``jar.set_cookie(url, value)`` after it."""

    def __init__(self, jar: Union[Jar, CookieJar], transport: Optional[httpx.BaseTransport] = None) -> None:
        self.jar = _jar_of(jar)
        self.transport = transport if transport is not None else httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = _before(self.jar, request)
        response = self.transport.handle_request(request)
        _after(self.jar, url, response)
        return response

    def close(self) -> None:
        self.transport.close()


class AsyncCookieTransport(httpx.AsyncBaseTransport):
    """``CookieTransport`` for ``httpx.AsyncClient`` (the engine's calls take microseconds
    and never block on I/O for an in-memory jar, so they run inline)."""

    def __init__(self, jar: Union[Jar, CookieJar], transport: Optional[httpx.AsyncBaseTransport] = None) -> None:
        self.jar = _jar_of(jar)
        self.transport = transport if transport is not None else httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = _before(self.jar, request)
        response = await self.transport.handle_async_request(request)
        _after(self.jar, url, response)
        return response

    async def aclose(self) -> None:
        await self.transport.aclose()


def _refuse_unwrapped(kwargs: dict) -> None:
    for key in ("proxy", "proxies", "mounts", "cookies"):
        if key in kwargs:
            raise TypeError(
                f"{key}= would bypass or duplicate the cookie transport: build the client "
                "yourself and wrap each transport in CookieTransport"
            )


def client(jar: Union[Jar, CookieJar], *, transport: Optional[httpx.BaseTransport] = None, **kwargs: Any) -> httpx.Client:
    """An ``httpx.Client`` whose cookies live in ``jar`` (through ``CookieTransport`` around
    ``transport``); other keyword arguments go to ``httpx.Client``."""
    _refuse_unwrapped(kwargs)
    return httpx.Client(transport=CookieTransport(jar, transport), cookies=NullCookieJar(), **kwargs)


def async_client(jar: Union[Jar, CookieJar], *, transport: Optional[httpx.AsyncBaseTransport] = None, **kwargs: Any) -> httpx.AsyncClient:
    """``client`` for ``httpx.AsyncClient``."""
    _refuse_unwrapped(kwargs)
    return httpx.AsyncClient(transport=AsyncCookieTransport(jar, transport), cookies=NullCookieJar(), **kwargs)
