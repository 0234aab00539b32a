"""``http.cookiejar`` compatibility: a drop-in ``CookieJar`` whose cookies live in the engine,
and a ``NullCookieJar`` that keeps nothing (for the fast adapters).

How requests and httpx use a session jar (read from their sources):

- requests copies the session jar into a fresh ``RequestsCookieJar`` for every request
  (``merge_cookies`` -> ``update`` -> ``for cookie in jar: set_cookie(copy.copy(cookie))``) and
  lets *that* jar's standard-library policy build the ``Cookie`` header; it feeds each response
  back with ``jar.extract_cookies(MockResponse(msg), MockRequest(request))``, and copies a
  request's jar with ``jar.copy()`` when there is one (else ``copy.copy(jar)`` then
  ``.clear()`` on the copy, which must never clear the original).
- httpx wraps the jar in ``Cookies``: ``len``/``bool``/iteration, ``set_cookie`` for
  ``client.cookies.set``, ``clear(domain, path, name)`` for ``delete``, a copy into a fresh
  standard jar per request and per redirect, and ``extract_cookies`` after every response.

So this jar must iterate as real ``http.cookiejar.Cookie`` objects in the standard library's
conventions (``.example.com`` for a domain cookie), accept standard ``Cookie`` objects, take
``Set-Cookie`` headers straight from the response, and copy itself without sharing its handle.
What is stored is decided by the engine (RFC 6265bis, public suffixes, prefixes, limits);
what a client library *sends* from such a copy is decided by its own standard-library jar,
which is why the fast adapters (``cookiejar.for_requests``, ``cookiejar.for_httpx``) exist.
"""

from __future__ import annotations

import http.cookiejar
import logging
import math
import os
import time
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

from ._errors import ArgumentError, CookieRejected
from ._ffi import cj_cookie
from ._jar import Cookie, Jar, Now, Priority, SameSite, _datetime

__all__ = ["CookieJar", "NullCookieJar", "to_http_cookie", "from_http_cookie"]

log = logging.getLogger("cookiejar")

_SAME_SITE_TEXT = {SameSite.NONE: "None", SameSite.LAX: "Lax", SameSite.STRICT: "Strict"}
_PRIORITY_TEXT = {Priority.LOW: "Low", Priority.HIGH: "High"}

#: The ``_rest`` key under which an exported partitioned cookie records its partition's site
#: (besides the ``Partitioned`` flag, which the standard library's own parser would record).
PARTITION_KEY = "Partition-Key"


def _http_cookie(
    name: str,
    value: str,
    domain: str,
    path: str,
    host_only: bool,
    secure: bool,
    expires_s: Optional[int],
    http_only: bool,
    same_site: int,
    priority: int,
    partition: Optional[str],
) -> http.cookiejar.Cookie:
    rest: Dict[str, Optional[str]] = {}
    if http_only:
        rest["HttpOnly"] = None
    if same_site:
        rest["SameSite"] = _SAME_SITE_TEXT[SameSite(same_site)]
    if priority != Priority.MEDIUM:
        rest["Priority"] = _PRIORITY_TEXT[Priority(priority)]
    if partition is not None:
        rest["Partitioned"] = None
        rest[PARTITION_KEY] = partition
    # A nameless cookie (RFC 6265bis keeps them) is "value-only" in the standard library:
    # name=value, value=None, which it sends as just "value", as a browser does.
    if not name:
        name, value = value, None  # type: ignore[assignment]
    # The attributes Cookie.__init__ would set, without its checks and copies (these values
    # are already normalised): a jar of 10k cookies is exported on every change.
    cookie = _new_cookie(http.cookiejar.Cookie)
    cookie.__dict__.update(
        version=0,
        name=name,
        value=value,
        port=None,
        port_specified=False,
        domain=domain if host_only else "." + domain,
        domain_specified=not host_only,
        domain_initial_dot=False,
        path=path,
        path_specified=True,
        secure=secure,
        expires=expires_s,
        discard=expires_s is None,
        comment=None,
        comment_url=None,
        rfc2109=False,
        _rest=rest,
    )
    return cookie


_new_cookie = object.__new__


def _http_cookie_from_view(c: cj_cookie) -> http.cookiejar.Cookie:
    partition = c.partition
    return _http_cookie(
        c.name.decode("utf-8"),
        c.value.decode("utf-8"),
        c.domain.decode("utf-8"),
        c.path.decode("utf-8"),
        c.host_only,
        c.secure,
        # The standard library keeps whole seconds and expires a cookie at `expires <= now`:
        # round up, so that it never drops a cookie the engine still has.
        None if c.session else -(-c.expires_ms // 1000),
        c.http_only,
        c.same_site,
        c.priority,
        None if partition is None else partition.decode("utf-8"),
    )


def to_http_cookie(cookie: Cookie) -> http.cookiejar.Cookie:
    """A ``cookiejar.Cookie`` as an ``http.cookiejar.Cookie`` (standard-library conventions:
    ``.example.com`` for a domain cookie; ``HttpOnly``/``SameSite``/``Priority`` in ``_rest``)."""
    expires = None if cookie.expires is None else math.ceil(cookie.expires.timestamp())
    return _http_cookie(
        cookie.name, cookie.value, cookie.domain, cookie.path, cookie.host_only, cookie.secure,
        expires, cookie.http_only, cookie.same_site, cookie.priority, cookie.partition,
    )


def _rest_get(cookie: http.cookiejar.Cookie, key: str) -> Tuple[bool, Any]:
    rest = getattr(cookie, "_rest", None) or {}
    for k, v in rest.items():
        if k.lower() == key.lower():
            return True, v
    return False, None


def from_http_cookie(cookie: http.cookiejar.Cookie) -> Cookie:
    """An ``http.cookiejar.Cookie`` as a ``cookiejar.Cookie``.

    A leading dot or ``domain_specified`` makes a domain cookie, anything else host-only. A
    value-only cookie (``value is None``) becomes a nameless one. ``HttpOnly``, ``SameSite``,
    ``Priority`` and ``Partitioned`` are read from ``_rest`` in any letter case (note that
    requests' and httpx's helpers put ``HttpOnly`` on every cookie they create).
    """
    if not isinstance(cookie, http.cookiejar.Cookie):
        raise TypeError(f"cookie must be an http.cookiejar.Cookie, not {type(cookie).__name__}")
    domain = cookie.domain or ""
    host_only = not (domain.startswith(".") or cookie.domain_specified)
    domain = domain.lstrip(".")
    name, value = cookie.name, cookie.value
    if value is None:
        name, value = "", name
    has_http_only, http_only = _rest_get(cookie, "HttpOnly")
    _, same_site_text = _rest_get(cookie, "SameSite")
    _, priority_text = _rest_get(cookie, "Priority")
    partitioned, _ = _rest_get(cookie, "Partitioned")
    _, partition = _rest_get(cookie, PARTITION_KEY)
    same_site = SameSite.DEFAULT
    if isinstance(same_site_text, str):
        same_site = {"none": SameSite.NONE, "lax": SameSite.LAX, "strict": SameSite.STRICT}.get(
            same_site_text.strip().lower(), SameSite.DEFAULT
        )
    priority = Priority.MEDIUM
    if isinstance(priority_text, str):
        priority = {"low": Priority.LOW, "high": Priority.HIGH}.get(priority_text.strip().lower(), Priority.MEDIUM)
    if partitioned and not partition:
        # Partitioned, partition unknown (parsed by the standard library): the partition of
        # its own site, which is what a top-level URL on its own domain gives.
        partition = domain
    return Cookie(
        name=name,
        value=value,
        domain=domain,
        path=cookie.path or "/",
        host_only=host_only,
        secure=bool(cookie.secure),
        http_only=has_http_only and http_only not in (False, "false", "False", "0"),
        same_site=same_site,
        priority=priority,
        partition=str(partition) if partitioned else None,
        expires=None if cookie.expires is None else _datetime(int(cookie.expires) * 1000),
    )


def _header_text(value: str) -> str:
    """A header value as text. http.client (so requests) decodes header bytes as Latin-1;
    cookies are UTF-8 on the wire, so undo that when the bytes are valid UTF-8."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def set_cookie_headers(headers: Any) -> List[str]:
    """Every ``Set-Cookie`` value of an ``email.message.Message``-like header object."""
    get_all = getattr(headers, "get_all", None)
    if get_all is not None:
        values = get_all("Set-Cookie") or []
    else:
        getlist = getattr(headers, "getlist", None)
        values = getlist("Set-Cookie") if getlist is not None else []
    return [_header_text(v) for v in values]


def feed(jar: Jar, url: str, values: List[str], now: Now = None) -> None:
    """Sets every ``Set-Cookie`` value received from ``url``; refused cookies are logged
    (logger ``cookiejar``, level DEBUG) and skipped, as a browser skips them."""
    for value in values:
        try:
            jar.set_cookie(url, value, now=now)
        except CookieRejected as e:
            log.debug("cookie from %s refused (%s): %s", url, e.status_name, e)
        except ArgumentError as e:
            log.debug("Set-Cookie from %s unusable (%s): %s", url, e.status_name, e)


class CookieJar(http.cookiejar.CookieJar):
    """A drop-in ``http.cookiejar.CookieJar`` whose cookies are kept by the engine.

    ``CookieJar(path=None, **options)`` creates its own ``Jar`` (options as ``Jar``);
    ``CookieJar(jar=existing)`` wraps one you already have (shared, for example, with a fast
    adapter). Use it wherever a standard jar goes::

        session = requests.Session(); session.cookies = cookiejar.CookieJar()
        client = httpx.Client(cookies=cookiejar.CookieJar())

    What is *stored* follows RFC 6265bis (public-suffix protection, prefixes, ``SameSite``,
    limits, deletion). The jar's own ``add_cookie_header`` also *sends* by RFC 6265bis; but
    requests and httpx copy the jar into a standard one for each request and let that one
    choose what to send. For browser-exact sending, and to skip that per-request copy, use
    the fast adapters in ``cookiejar.for_requests`` and ``cookiejar.for_httpx``.

    The policy of the standard library does not apply: ``set_policy`` is accepted and ignored.
    """

    def __init__(self, path: Union[str, bytes, "os.PathLike[str]", None] = None, *, jar: Optional[Jar] = None, **options: Any) -> None:
        super().__init__()
        if jar is not None:
            if path is not None or options:
                raise TypeError("pass either jar= or path/options, not both")
            if not isinstance(jar, Jar):
                raise TypeError(f"jar must be a cookiejar.Jar, not {type(jar).__name__}")
            self.jar = jar
        else:
            self.jar = Jar(path, **options)
        # (generation, earliest expiry in ms, cookies): what the last iteration produced.
        self._snapshot: Optional[Tuple[int, float, List[http.cookiejar.Cookie]]] = None

    # -- reading -----------------------------------------------------------------------------

    def _http_cookies(self) -> List[http.cookiejar.Cookie]:
        """The jar as standard cookies, cached until the jar changes or a cookie expires."""
        now = time.time() * 1000
        snap = self._snapshot
        if snap is not None and snap[0] == self.jar.generation and now < snap[1]:
            return snap[2]
        generation = self.jar.generation  # read before the enumeration: see Jar.generation
        expiries: List[int] = []

        def convert(view: cj_cookie) -> http.cookiejar.Cookie:
            if not view.session:
                expiries.append(view.expires_ms)
            return _http_cookie_from_view(view)

        cookies = self.jar._visit(convert, int(now))
        self._snapshot = (generation, min(expiries, default=math.inf), cookies)
        return cookies

    def __iter__(self) -> Iterator[http.cookiejar.Cookie]:
        """Every cookie not yet expired, as ``http.cookiejar.Cookie`` objects. They are copies:
        changing one does not change the jar (use ``set_cookie`` for that)."""
        for template in self._http_cookies():
            c = http.cookiejar.Cookie.__new__(http.cookiejar.Cookie)
            c.__dict__.update(template.__dict__)
            c._rest = dict(template._rest)  # type: ignore[attr-defined]
            yield c

    def __len__(self) -> int:
        return len(self.jar)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}[{', '.join(repr(c) for c in self)}]>"

    def __str__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}[{', '.join(str(c) for c in self)}]>"

    def add_cookie_header(self, request: Any) -> None:
        """Adds the ``Cookie`` header for ``request`` (a ``urllib.request.Request``-like
        object: ``get_full_url``, ``has_header``, ``add_unredirected_header``) from the engine,
        unless the request already has one (as the standard library does)."""
        if request.has_header("Cookie"):
            return
        header = self.jar.cookie_header(request.get_full_url())
        if header is not None:
            request.add_unredirected_header("Cookie", header)

    # -- writing -----------------------------------------------------------------------------

    def extract_cookies(self, response: Any, request: Any) -> None:
        """Stores the cookies of every ``Set-Cookie`` header of ``response`` (its ``info()``
        headers), received for ``request.get_full_url()``. Refused cookies are skipped (and
        logged at DEBUG level on the ``cookiejar`` logger)."""
        feed(self.jar, request.get_full_url(), set_cookie_headers(response.info()))

    def set_cookie(self, cookie: http.cookiejar.Cookie) -> None:
        """Stores a standard ``Cookie`` object (see ``Jar.insert`` for how). Raises
        ``CookieRejected`` if the engine's rules refuse it and ``InvalidArgumentError`` if it
        has no domain: unlike the standard library, this jar never keeps a cookie it would not
        have accepted from a server."""
        self.jar.insert(from_http_cookie(cookie))

    def set_cookie_if_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> None:
        """Stores ``cookie`` as if ``request``'s response had set it; silently skips it when
        the rules refuse it."""
        try:
            feed(self.jar, request.get_full_url(), [from_http_cookie(cookie).to_set_cookie()])
        except ArgumentError as e:
            log.debug("cookie %r skipped: %s", cookie.name, e)

    def clear(self, domain: Optional[str] = None, path: Optional[str] = None, name: Optional[str] = None) -> None:
        """Removes cookies, with the standard library's meaning: all of them; those whose
        domain is exactly ``domain`` (``.example.com`` for domain cookies, ``example.com`` for
        host-only ones); those also on ``path``; or the one also named ``name`` (``KeyError``
        if there is none)."""
        if domain is None:
            if path is not None or name is not None:
                raise ValueError("domain must be given with path or name")
            self.jar.clear()
            return
        found = [
            c for c in self._http_cookies()
            if c.domain == domain and (path is None or c.path == path) and (name is None or c.name == name)
        ]
        if name is not None and not found:
            raise KeyError(name)
        for c in found:
            self.jar.remove(domain.lstrip("."), c.path, c.name if c.value is not None else "")

    def clear_session_cookies(self) -> None:
        self.jar.clear_session_cookies()

    def clear_expired_cookies(self) -> None:
        self.jar.purge_expired()

    # -- the rest of the contract ------------------------------------------------------------

    def copy(self) -> "CookieJar":
        """An independent in-memory copy (requests calls this when it copies a request)."""
        return type(self)(jar=self.jar.copy())

    def __copy__(self) -> "CookieJar":
        return self.copy()

    def __deepcopy__(self, memo: Dict[int, Any]) -> "CookieJar":
        return self.copy()

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_restore_cookiejar, (self.jar,))

    def flush(self) -> None:
        """``Jar.flush``: make every change survive power loss (file-backed jars)."""
        self.jar.flush()

    def close(self) -> None:
        """Closes the underlying ``Jar``."""
        self.jar.close()

    def __enter__(self) -> "CookieJar":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _restore_cookiejar(jar: Jar) -> CookieJar:
    return CookieJar(jar=jar)


class NullCookieJar(http.cookiejar.CookieJar):
    """A jar that keeps nothing, sends nothing and costs nothing.

    Give it to a client whose cookies are handled by a fast adapter
    (``requests.Session().cookies = NullCookieJar()``, ``httpx.Client(cookies=NullCookieJar())``)
    so that the client's own per-request copying, matching and parsing does no work.
    """

    def __iter__(self) -> Iterator[http.cookiejar.Cookie]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def add_cookie_header(self, request: Any) -> None:
        pass

    def extract_cookies(self, response: Any, request: Any) -> None:
        pass

    def make_cookies(self, response: Any, request: Any) -> List[http.cookiejar.Cookie]:
        return []

    def set_cookie(self, cookie: http.cookiejar.Cookie) -> None:
        pass

    def set_cookie_if_ok(self, cookie: http.cookiejar.Cookie, request: Any) -> None:
        pass

    def clear(self, domain: Optional[str] = None, path: Optional[str] = None, name: Optional[str] = None) -> None:
        pass

    def clear_session_cookies(self) -> None:
        pass

    def clear_expired_cookies(self) -> None:
        pass

    def copy(self) -> "NullCookieJar":
        return NullCookieJar()
