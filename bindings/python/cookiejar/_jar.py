"""The native API: ``Jar`` (one ``cj_jar`` handle) and ``Cookie`` (one stored cookie)."""

from __future__ import annotations

import ctypes
import enum
import gc
import itertools
import math
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from ctypes import POINTER, byref, c_char, c_size_t
from typing import (
    Any,
    Callable,
    Dict,
    FrozenSet,
    Iterable,
    Iterator,
    List,
    NamedTuple,
    Optional,
    TypeVar,
    Union,
    overload,
)

from . import _ffi
from ._ffi import cstr, lib, optional_cstr
from ._managed import Managed

__all__ = [
    "Jar",
    "Cookie",
    "SameSite",
    "Priority",
    "Durability",
    "Category",
    "Profile",
    "Decision",
    "UnclassifiedPolicy",
    "Source",
    "AuditEntry",
    "UnclassifiedSeen",
    "ImportResult",
    "Now",
]

#: A file name: what ``open`` accepts.
PathArg = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

#: A point in time: Unix time in seconds (``int``/``float``), or a ``datetime`` (a naive one is
#: local time, as ``datetime.timestamp`` reads it). ``None`` means the system clock.
Now = Union[None, int, float, datetime]

T = TypeVar("T")

_UTC = timezone.utc
_MAX_MS = 2**63 - 1


class SameSite(enum.IntEnum):
    """The ``SameSite`` attribute (``cj_same_site``)."""

    DEFAULT = 0  #: no attribute: Lax by default (see ``lax_by_default``)
    NONE = 1
    LAX = 2
    STRICT = 3


class Priority(enum.IntEnum):
    """The ``Priority`` attribute (``cj_priority``); it orders eviction."""

    LOW = 0
    MEDIUM = 1
    HIGH = 2


class Durability(enum.IntEnum):
    """How each change to a file-backed jar is made durable (``cj_durability``)."""

    PROCESS = 0  #: in the mapped file before the call returns: survives the process dying
    SYNC = 1  #: also written to the disk (msync) before the call returns: survives power loss


class Category(enum.IntEnum):
    """A consent category (``cj_category``), for the consent functions of the C library."""

    NECESSARY = 0
    PREFERENCES = 1
    STATISTICS = 2
    MARKETING = 3
    UNCLASSIFIED = 4


class Profile(enum.IntEnum):
    """A jurisdiction profile for consent (``cj_profile``)."""

    STRICT = 0  #: the default: every optional category is opt-in, no exemption
    CNIL = 1  #: France: first-party audience measurement declared by the operator is exempt
    UK_DUAA = 2  #: UK: first-party preferences and statistics are on until the user objects


class Decision(enum.IntEnum):
    """A user's answer for one category (``cj_decision``)."""

    UNSET = 0  #: not answered: a refusal, unless the profile makes the category opt-out/exempt
    GRANTED = 1
    DENIED = 2


class UnclassifiedPolicy(enum.IntEnum):
    """What happens to cookies no rule classifies (``cj_unclassified_policy``)."""

    TREAT_AS = 0  #: allowed exactly when the category given with it is (Marketing by default)
    REJECT = 1  #: never allowed while consent is enforced
    ALLOW_FIRST_PARTY_SESSION = 2  #: first-party session cookies allowed, the rest as Marketing


class Source(enum.IntEnum):
    """Where a cookie's classification came from (``cj_source``)."""

    OPERATOR = 0  #: an operator rule (``add_rule``, ``load_policy``)
    OVERLAY = 1  #: the built-in overlay of framework cookies
    OPEN_COOKIE_DB = 2  #: the Open Cookie Database compiled into the library
    DEFAULT = 3  #: nothing matched: unclassified


# cj_request_flags (the header's CJ_REQUEST_* defines; checked by tests/test_abi.py).
REQUEST_NAVIGATION = 1
REQUEST_UNSAFE_METHOD = 2
REQUEST_NON_HTTP = 4


def now_ms(now: Now) -> int:
    """``now`` as the library's ``now_ms``: Unix milliseconds, or -1 for the system clock."""
    if now is None:
        return -1
    if isinstance(now, datetime):
        seconds = now.timestamp()
    elif isinstance(now, (int, float)) and not isinstance(now, bool):
        seconds = now
    else:
        raise TypeError(f"now must be None, a number of seconds or a datetime, not {type(now).__name__}")
    if isinstance(seconds, float) and not math.isfinite(seconds):
        raise _ffi._argument_error("INVALID_ARGUMENT", f"now must be a finite time, not {seconds}")
    ms = seconds * 1000 if isinstance(seconds, int) else round(seconds * 1000)
    if not 0 <= ms <= _MAX_MS:
        raise _ffi._argument_error("INVALID_ARGUMENT", f"now must be a Unix time at or after 1970, not {seconds}")
    return int(ms)


def _datetime(ms: int) -> datetime:
    try:
        return datetime.fromtimestamp(ms / 1000, _UTC)
    except (OverflowError, OSError, ValueError):
        return datetime.max.replace(tzinfo=_UTC) if ms > 0 else datetime.min.replace(tzinfo=_UTC)


@dataclass(frozen=True)
class Cookie:
    """One cookie with all the metadata the jar keeps (RFC 6265bis §5.7's cookie record).

    Times are timezone-aware UTC datetimes. ``expires`` is ``None`` for a session cookie.
    ``created`` and ``last_access`` are ``None`` only on a ``Cookie`` you built yourself to
    pass to ``Jar.insert``.
    """

    name: str
    value: str
    domain: str
    path: str = "/"
    #: Sent only to ``domain`` itself (no ``Domain`` attribute), not to its subdomains.
    host_only: bool = True
    secure: bool = False
    http_only: bool = False
    same_site: SameSite = SameSite.DEFAULT
    priority: Priority = Priority.MEDIUM
    #: For a ``Partitioned`` cookie (CHIPS), the top-level site it is kept under.
    partition: Optional[str] = None
    expires: Optional[datetime] = None
    created: Optional[datetime] = None
    last_access: Optional[datetime] = None

    @property
    def session(self) -> bool:
        """A session cookie: no ``Expires``/``Max-Age``, gone when the "browser" closes."""
        return self.expires is None

    def is_expired(self, now: Now = None) -> bool:
        """Whether the cookie has expired at ``now`` (a session cookie never has)."""
        if self.expires is None:
            return False
        ms = now_ms(now) if now is not None else time.time() * 1000
        return self.expires.timestamp() * 1000 <= ms

    def to_set_cookie(self) -> str:
        """This cookie as a ``Set-Cookie`` value that recreates it (used by ``Jar.insert``).

        Raises ``InvalidArgumentError`` when the name, value or path cannot be written in a
        ``Set-Cookie`` header (a ``;``; an ``=`` in the name; a nameless cookie whose value has
        an ``=``), since such a cookie could not have come from one.
        """
        for what, text in (("name", self.name), ("value", self.value), ("path", self.path)):
            if ";" in text:
                raise _ffi._argument_error("INVALID_ARGUMENT", f"the cookie's {what} contains ';': {text!r}")
        if "=" in self.name:
            raise _ffi._argument_error("INVALID_ARGUMENT", f"the cookie's name contains '=': {self.name!r}")
        if self.name:
            parts = [f"{self.name}={self.value}"]
        elif "=" in self.value:
            raise _ffi._argument_error("INVALID_ARGUMENT", "a nameless cookie's value cannot contain '='")
        else:
            parts = [self.value]
        parts.append(f"Path={self.path}")
        if not self.host_only:
            parts.append(f"Domain={self.domain}")
        if self.expires is not None:
            expires = self.expires if self.expires.tzinfo else self.expires.astimezone()
            parts.append("Expires=" + format_datetime(expires.astimezone(_UTC), usegmt=True))
        if self.secure:
            parts.append("Secure")
        if self.http_only:
            parts.append("HttpOnly")
        if self.same_site != SameSite.DEFAULT:
            parts.append("SameSite=" + SameSite(self.same_site).name.capitalize())
        if self.priority != Priority.MEDIUM:
            parts.append("Priority=" + Priority(self.priority).name.capitalize())
        if self.partition is not None:
            parts.append("Partitioned")
        return "; ".join(parts)


def _cookie_from_view(c: _ffi.cj_cookie) -> Cookie:
    partition = c.partition
    return Cookie(
        name=c.name.decode("utf-8"),
        value=c.value.decode("utf-8"),
        domain=c.domain.decode("utf-8"),
        path=c.path.decode("utf-8"),
        host_only=c.host_only,
        secure=c.secure,
        http_only=c.http_only,
        same_site=SameSite(c.same_site),
        priority=Priority(c.priority),
        partition=None if partition is None else partition.decode("utf-8"),
        expires=None if c.session else _datetime(c.expires_ms),
        created=_datetime(c.created_ms),
        last_access=_datetime(c.last_access_ms),
    )


def _categories(bits: int) -> FrozenSet[Category]:
    return frozenset(c for c in Category if bits & (1 << c))


@dataclass(frozen=True)
class AuditEntry:
    """One stored cookie as the consent audit sees it (``Jar.audit``)."""

    cookie: Cookie
    #: Its consent categories (normally one).
    categories: FrozenSet[Category]
    #: Where the classification came from.
    source: Source
    #: The operator granted it the audience-measurement exemption.
    exempt: bool
    #: It belongs to the site it is kept under (not a third-party cookie).
    first_party: bool
    #: The current consent allows it on ``site``.
    allowed: bool
    #: The top-level site it is kept under.
    site: str


@dataclass(frozen=True)
class UnclassifiedSeen:
    """An unclassified cookie the jar has seen, stored or refused: one that needs a rule."""

    name: str
    domain: str
    count: int
    last_seen: datetime


class ImportResult(NamedTuple):
    """What ``Jar.import_netscape`` did."""

    #: Cookies stored (new, or replacing one with the same name, domain and path).
    imported: int
    #: Lines not imported: unreadable, or a cookie the rules refuse.
    refused: int


def _audit_from_view(e: _ffi.cj_audit_entry) -> AuditEntry:
    view = e.cookie.contents
    return AuditEntry(
        cookie=_cookie_from_view(view),
        categories=_categories(view.categories),
        source=Source(e.source),
        exempt=e.exempt,
        first_party=e.first_party,
        allowed=e.allowed,
        site=e.site.decode("utf-8"),
    )


def _enum_arg(enum_type: Any, value: object, what: str) -> Any:
    """An enum member from a member, its int value or its name (any case, ``-`` for ``_``)."""
    if isinstance(value, enum_type):
        return value
    if isinstance(value, str):
        try:
            return enum_type[value.upper().replace("-", "_")]
        except KeyError:
            pass
    elif isinstance(value, int) and not isinstance(value, bool):
        try:
            return enum_type(value)
        except ValueError:
            pass
    else:
        raise TypeError(f"{what} must be a {enum_type.__name__}, not {type(value).__name__}")
    names = ", ".join(m.name.lower() for m in enum_type)
    raise _ffi._argument_error("INVALID_ARGUMENT", f"{what} must be one of {names}, not {value!r}")


def _looks_like_text(value: str) -> bool:
    """Whether a ``str`` given as "a path or the text" is the text: a file's contents has a
    line break or a tab (cookies.txt, CSV) or starts like JSON; a file name has none."""
    return "\n" in value or "\t" in value or value.lstrip().startswith(("[", "{"))


# Every change made through any Jar takes a new number from here (see Jar.generation).
_generations = itertools.count(1)


def _free_jar(ptr: Any) -> None:
    lib.cj_jar_free(ptr)


def _free_options(ptr: Any) -> None:
    lib.cj_options_free(ptr)


class _Options(Managed[Any]):
    """A ``cj_options`` builder, alive only while a jar is being created."""

    _what = "options"

    def __init__(self) -> None:
        ptr = POINTER(_ffi.cj_options)()
        _ffi.check(lib.cj_options_new(byref(ptr)))
        super().__init__(ptr, _free_options)

    def set(self, function: Callable[..., int], value: Any) -> None:
        ptr = self._borrow()
        try:
            status = function(ptr, value)
        finally:
            self._release()
        _ffi.check(status)


def _durability(value: object) -> Durability:
    if isinstance(value, str):
        try:
            return Durability[value.upper()]
        except KeyError:
            pass
    elif isinstance(value, int) and not isinstance(value, bool):
        try:
            return Durability(value)
        except ValueError:
            pass
    else:
        raise TypeError(f"durability must be a Durability or 'process'/'sync', not {type(value).__name__}")
    raise _ffi._argument_error("INVALID_ARGUMENT", f"durability must be 'process' or 'sync', not {value!r}")


def _bool(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be a bool, not {type(value).__name__}")
    return value


class Jar(Managed[Any]):
    """A browser-grade cookie jar (RFC 6265bis): the engine, through its C ABI.

    ``Jar()`` is in memory; ``Jar(path)`` opens (or creates) a jar file: every change is in the
    file before the call returns, and the file stays locked while the jar is open (one process
    at a time). Options (all optional, keyword-only):

    - ``max_cookies``: the most cookies kept in all (default 3300);
    - ``max_cookies_per_site``: the most per registrable domain (default 180);
    - ``lax_by_default``: treat cookies without ``SameSite`` as ``Lax`` (default ``True``, as
      Chromium) or as ``None`` (``False``, as Firefox and Safari);
    - ``durability``: ``"process"`` (default) or ``"sync"`` (also survives power loss);
    - ``persist_session_cookies``: keep session cookies in the file too (default ``False``).

    Thread-safe: one jar may be used from many threads at once. Close it with ``close()`` or a
    ``with`` block; an unclosed jar is closed when it is garbage-collected.

    Times (``now=``) are Unix seconds or datetimes; ``None`` means the system clock.
    """

    _what = "jar"

    def __init__(
        self,
        path: Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]", None] = None,
        *,
        max_cookies: Optional[int] = None,
        max_cookies_per_site: Optional[int] = None,
        lax_by_default: Optional[bool] = None,
        durability: Union[Durability, str, None] = None,
        persist_session_cookies: Optional[bool] = None,
    ) -> None:
        options = {
            "max_cookies": None if max_cookies is None else _ffi.size_arg(max_cookies, "max_cookies"),
            "max_cookies_per_site": None
            if max_cookies_per_site is None
            else _ffi.size_arg(max_cookies_per_site, "max_cookies_per_site"),
            "lax_by_default": None if lax_by_default is None else _bool(lax_by_default, "lax_by_default"),
            "durability": None if durability is None else _durability(durability),
            "persist_session_cookies": None
            if persist_session_cookies is None
            else _bool(persist_session_cookies, "persist_session_cookies"),
        }
        raw_path = None if path is None else _ffi.fspath_bytes(path)
        ptr = POINTER(_ffi.cj_jar)()
        set_options: Dict[str, Any] = {k: v for k, v in options.items() if v is not None}
        if set_options:
            with _Options() as built:
                for key, value in set_options.items():
                    built.set(getattr(lib, "cj_options_set_" + key), value)
                optr = built._borrow()
                try:
                    if raw_path is None:
                        status = lib.cj_jar_new_with(optr, byref(ptr))
                    else:
                        status = lib.cj_jar_open_with(raw_path, optr, byref(ptr))
                finally:
                    built._release()
        elif raw_path is None:
            status = lib.cj_jar_new(byref(ptr))
        else:
            status = lib.cj_jar_open(raw_path, byref(ptr))
        _ffi.check(status)
        super().__init__(ptr, _free_jar)
        self._path = None if path is None else os.fsdecode(raw_path)  # type: ignore[arg-type]
        self._options = set_options
        self._generation = next(_generations)

    # -- properties --------------------------------------------------------------------------

    @property
    def path(self) -> Optional[str]:
        """The jar file, or ``None`` for an in-memory jar."""
        return self._path

    @property
    def options(self) -> Dict[str, Any]:
        """The options this jar was created with (only those given explicitly)."""
        return dict(self._options)

    @property
    def generation(self) -> int:
        """A number that changes whenever a change is made through this object (a cookie set,
        removed, cleared, purged). Views that cache the jar's contents compare it."""
        return self._generation

    def _changed(self) -> None:
        self._generation = next(_generations)

    # -- the two jobs: store, and produce the Cookie header ----------------------------------

    def set_cookie(
        self,
        url: str,
        set_cookie: str,
        *,
        top_level_url: Optional[str] = None,
        navigation: bool = False,
        unsafe_method: bool = False,
        non_http: bool = False,
        now: Now = None,
    ) -> None:
        """Stores the cookie of one ``Set-Cookie`` header value received from ``url`` (the
        storage model of RFC 6265bis §5.7).

        ``top_level_url`` is the page that made the request: a subresource of a page on
        another site is cross-site (``SameSite`` Lax/Strict cookies are refused) and its
        ``Partitioned`` cookies go into that page's partition. With ``navigation=True`` the
        request is instead a top-level navigation started from ``top_level_url``
        (``unsafe_method=True``: by POST or another unsafe method). ``non_http=True`` sets it
        as a script would (``document.cookie``: no ``HttpOnly``).

        A cookie that deletes another (an expiry in the past) is success. A refused cookie
        raises a ``CookieRejected`` subclass naming the rule (``PublicSuffixError``,
        ``SecurePrefixError``, ...); a bad argument an ``ArgumentError`` subclass.
        """
        u = cstr(url, "url")
        v = cstr(set_cookie, "set_cookie")
        t = optional_cstr(top_level_url, "top_level_url")
        flags = _flags(navigation, unsafe_method, non_http)
        ms = now_ms(now)
        ptr = self._borrow()
        try:
            if flags:
                status = lib.cj_jar_set_cookie_ex(ptr, u, t, flags, v, ms)
            elif t is None:
                status = lib.cj_jar_set_cookie(ptr, u, v, ms)
            else:
                status = lib.cj_jar_set_cookie_in(ptr, u, t, v, ms)
            if status == 0:
                self._changed()
            else:
                error = _ffi.error_for(status, url=url, set_cookie=set_cookie)
        finally:
            self._release()
        if status:
            raise error

    def cookie_header(
        self,
        url: str,
        *,
        top_level_url: Optional[str] = None,
        navigation: bool = False,
        unsafe_method: bool = False,
        non_http: bool = False,
        now: Now = None,
    ) -> Optional[str]:
        """The ``Cookie`` header value for a request to ``url`` (RFC 6265bis §5.8), such as
        ``"a=1; b=2"``, or ``None`` when no cookie applies. The context arguments are those of
        ``set_cookie``. Updates the last-access time of the cookies returned."""
        u = cstr(url, "url")
        t = optional_cstr(top_level_url, "top_level_url")
        flags = _flags(navigation, unsafe_method, non_http)
        ms = now_ms(now)
        out = POINTER(c_char)()
        ptr = self._borrow()
        try:
            if flags:
                status = lib.cj_jar_cookie_header_ex(ptr, u, t, flags, ms, byref(out))
            elif t is None:
                status = lib.cj_jar_cookie_header(ptr, u, ms, byref(out))
            else:
                status = lib.cj_jar_cookie_header_in(ptr, u, t, ms, byref(out))
            if status:
                error = _ffi.error_for(status)
        finally:
            self._release()
        if status:
            raise error
        if not out:
            return None
        try:
            return ctypes.string_at(out).decode("utf-8")
        finally:
            lib.cj_string_free(out)

    # -- contents ----------------------------------------------------------------------------

    def cookies(self, *, now: Now = None) -> List[Cookie]:
        """Every cookie not expired at ``now``, sorted by domain, path and name."""
        return self._visit(_cookie_from_view, now_ms(now))

    def __iter__(self) -> Iterator[Cookie]:
        return iter(self.cookies())

    def __len__(self) -> int:
        """The number of cookies stored (expired ones count until purged)."""
        n = c_size_t()
        self._call(lib.cj_jar_len, byref(n))
        return n.value

    def _visit(self, convert: Callable[[_ffi.cj_cookie], T], ms: int) -> List[T]:
        """Runs ``convert`` on every cookie (``cj_jar_for_each_cookie``), returning the list.

        ``convert`` only copies data out of the struct (valid during the call only); an
        exception in it stops the enumeration and is raised here."""
        found: List[T] = []
        failure: List[BaseException] = []
        append = found.append

        def visit(cookie: Any, _user_data: Any) -> int:
            try:
                append(convert(cookie.contents))
                return 0
            except BaseException as e:  # noqa: BLE001 - re-raised below, outside the library
                failure.append(e)
                return 1

        callback = _ffi.cj_cookie_visitor(visit)
        # One new object (or a few) per cookie and none in a reference cycle: pausing the
        # cyclic collector, which would otherwise sweep the whole heap every few hundred
        # allocations, makes listing a large jar about three times faster.
        paused = gc.isenabled()
        if paused:
            gc.disable()
        ptr = self._borrow()
        try:
            status = lib.cj_jar_for_each_cookie(ptr, ms, callback, None)
            if status:
                error = _ffi.error_for(status)
        finally:
            self._release()
            if paused:
                gc.enable()
        if failure:
            raise failure[0]
        if status:
            raise error
        return found

    # -- management --------------------------------------------------------------------------

    def remove(self, domain: str, path: str, name: str) -> int:
        """Removes the cookies with exactly this domain (no leading dot), path and name, in
        every partition. Returns how many were removed."""
        args = (cstr(domain, "domain"), cstr(path, "path"), cstr(name, "name"))
        return self._count(lib.cj_jar_remove, *args)

    def clear_domain(self, domain: str) -> int:
        """Removes every cookie of ``domain`` and its subdomains; returns how many."""
        return self._count(lib.cj_jar_clear_domain, cstr(domain, "domain"))

    def clear_session_cookies(self) -> int:
        """Removes every session cookie (what a browser does when it closes); returns how many."""
        return self._count(lib.cj_jar_clear_session_cookies)

    def purge_expired(self, *, now: Now = None) -> int:
        """Removes every cookie expired at ``now``; returns how many."""
        return self._count(lib.cj_jar_purge_expired, now_ms(now))

    def clear(self) -> None:
        """Removes every cookie (a jar file is rewritten empty)."""
        self._call(lib.cj_jar_clear, changes=True)

    def flush(self) -> None:
        """Makes every change so far survive power loss (msync and fsync of the jar file).
        A no-op for an in-memory jar."""
        self._call(lib.cj_jar_flush)

    def insert(self, cookie: Cookie, *, now: Now = None) -> None:
        """Stores ``cookie`` (for imports and copies), under the same rules as a received one.

        The C library has no call that stores a cookie record as it is yet, so the cookie is
        written as a ``Set-Cookie`` value (``Cookie.to_set_cookie``) and set from a URL on its
        own domain (``https``, so a ``Secure`` cookie is accepted; for a partitioned cookie, as
        a subresource of its partition's site), at ``now``, which defaults to the cookie's
        ``created`` time when it has one (so copies keep their creation order, which orders the
        ``Cookie`` header) and to the clock otherwise. The expiry is kept (within the 400-day
        cap); the last-access time becomes that same time. A cookie the rules refuse raises
        ``CookieRejected``, one that cannot be written as a header ``InvalidArgumentError``.
        """
        if not isinstance(cookie, Cookie):
            raise TypeError(f"cookie must be a cookiejar.Cookie, not {type(cookie).__name__}")
        host = cookie.domain
        if not host:
            raise _ffi._argument_error("INVALID_ARGUMENT", "the cookie has no domain: an RFC 6265 jar keeps every cookie under one")
        if not cookie.host_only and _subdomain_ok(host):
            # Set a domain cookie from a subdomain, as a server would: a Domain that is a
            # public suffix is then refused (from the suffix itself it would be kept host-only).
            host = "cookiejar-import." + host
        top = None if cookie.partition is None else f"https://{cookie.partition}/"
        if now is None:
            now = cookie.created
        self.set_cookie(f"https://{host}/", cookie.to_set_cookie(), top_level_url=top, now=now)

    def copy(self, *, now: Now = None) -> "Jar":
        """A new in-memory jar with the same options and the cookies not expired at ``now``
        (see ``insert`` for what is kept of each cookie)."""
        options = {k: v for k, v in self._options.items() if k not in ("durability", "persist_session_cookies")}
        other = Jar(**options)
        for cookie in self.cookies(now=now):
            other.insert(cookie)
        return other

    # -- consent -----------------------------------------------------------------------------

    def add_rule(
        self,
        name: str,
        category: Union[Category, str, int],
        *,
        domain: Optional[str] = None,
        prefix: bool = False,
    ) -> None:
        """Adds an operator rule, one line of a site's cookie policy: cookies called ``name``
        (or whose name starts with it, with ``prefix=True``) are of ``category``; on ``domain``
        and its subdomains, or on any domain when it is ``None``. Operator rules come before
        the built-in ones. The stored cookies are classified again, and those the consent no
        longer allows are purged.

        ``InvalidArgumentError`` for an empty name, a name no cookie can have (with ``;``,
        ``=`` or a control character) or a domain that is not a host name."""
        n = cstr(name, "name")
        d = optional_cstr(domain, "domain")
        c = _enum_arg(Category, category, "category")
        self._call(lib.cj_jar_add_rule, d, n, _bool(prefix, "prefix"), int(c), changes=True)

    def load_policy(self, policy: Union[str, PathArg]) -> int:
        """Loads a site's cookie policy, a table of provider, purpose, cookie, domain and
        category (CSV with a header row, or the same as JSON; see ``docs/consent.md``), adds its
        rules and re-evaluates the stored cookies. Returns how many rules were added.

        ``policy`` is the text itself or a file name: a ``str`` with a line break, or starting
        with ``[`` or ``{``, is the text; any other ``str``, ``bytes`` or path object names a
        file (read as UTF-8; ``OSError`` if it cannot be read). A malformed table raises
        ``InvalidArgumentError`` naming the line and field."""
        if isinstance(policy, str) and _looks_like_text(policy):
            text = policy
        else:
            with open(_ffi.fspath_bytes(policy), encoding="utf-8") as f:
                text = f.read()
        return self._count(lib.cj_jar_load_policy, cstr(text, "policy"))

    def set_consent(
        self,
        granted: Iterable[Union[Category, str, int]],
        *,
        site: Optional[str] = None,
        now: Now = None,
    ) -> int:
        """Records the user's consent, as a consent banner does: the categories in ``granted``
        are granted, every other optional one (preferences, statistics, marketing) is denied.
        Necessary cookies never need consent. ``site`` is a top-level site's host name
        (``"www.example.org"`` and ``"example.org"`` name the same site), or ``None`` for the
        jar-wide default.

        The first consent call starts enforcement (before it, the jar refuses nothing). The
        cookies the new consent does not allow are purged at once; returns how many. Granting
        again restores nothing."""
        if isinstance(granted, (str, int)):
            raise TypeError("granted must be a collection of categories, such as {Category.STATISTICS}")
        bits = 0
        for c in granted:
            bits |= 1 << int(_enum_arg(Category, c, "category"))
        return self._count(lib.cj_jar_set_consent_at, optional_cstr(site, "site"), bits, now_ms(now))

    def set_decision(
        self,
        category: Union[Category, str, int],
        decision: Union[Decision, str, int],
        *,
        site: Optional[str] = None,
        now: Now = None,
    ) -> int:
        """One answer about one category (``Decision.GRANTED``, ``DENIED`` or ``UNSET``) for
        ``site`` (``None``: the jar-wide default), leaving the other categories as they were.
        Only preferences, statistics and marketing can be decided (``InvalidArgumentError``
        otherwise). Starts enforcement; returns how many cookies were purged."""
        c = _enum_arg(Category, category, "category")
        d = _enum_arg(Decision, decision, "decision")
        return self._count(
            lib.cj_jar_set_decision, optional_cstr(site, "site"), int(c), int(d), now_ms(now)
        )

    def set_gpc(self, on: bool = True, *, now: Now = None) -> int:
        """Switches Global Privacy Control on or off. While on, marketing cookies (and
        unclassified ones, under the default policy) are refused and purged, except on sites
        granted marketing after GPC was switched on. Returns how many cookies were purged."""
        return self._count(lib.cj_jar_set_gpc_at, _bool(on, "on"), now_ms(now))

    def set_profile(self, profile: Union[Profile, str, int]) -> int:
        """Chooses the jurisdiction profile: ``Profile.STRICT`` (the default), ``CNIL`` or
        ``UK_DUAA`` (or their names, ``"uk-duaa"``). Returns how many cookies the change
        purged."""
        p = _enum_arg(Profile, profile, "profile")
        return self._count(lib.cj_jar_set_profile, int(p))

    def set_unclassified_policy(
        self,
        policy: Union[UnclassifiedPolicy, str, int],
        treat_as: Union[Category, str, int] = Category.MARKETING,
    ) -> int:
        """Chooses what happens to cookies no rule classifies once consent is enforced:
        ``TREAT_AS`` (allowed when ``treat_as`` is; Marketing by default), ``REJECT`` or
        ``ALLOW_FIRST_PARTY_SESSION``. Returns how many cookies the change purged."""
        p = _enum_arg(UnclassifiedPolicy, policy, "policy")
        c = _enum_arg(Category, treat_as, "treat_as")
        return self._count(lib.cj_jar_set_unclassified_policy, int(p), int(c))

    def audit(self, *, now: Now = None) -> List[AuditEntry]:
        """Every cookie not expired at ``now`` with what consent makes of it: categories,
        where the classification came from, first- or third-party, the site it is kept under,
        and whether the current consent allows it there. Sorted by domain, path and name."""
        found: List[AuditEntry] = []
        failure: List[BaseException] = []

        def visit(entry: Any, _user_data: Any) -> int:
            try:
                found.append(_audit_from_view(entry.contents))
                return 0
            except BaseException as e:  # noqa: BLE001 - re-raised below, outside the library
                failure.append(e)
                return 1

        callback = _ffi.cj_audit_visitor(visit)
        self._call(lib.cj_jar_audit, now_ms(now), callback, None)
        if failure:
            raise failure[0]
        return found

    def unclassified_report(self) -> List[UnclassifiedSeen]:
        """The unclassified cookies seen so far, stored or refused, most frequent first: the
        cookies that need a rule (``add_rule``)."""
        found: List[UnclassifiedSeen] = []

        def visit(entry: Any, _user_data: Any) -> int:
            u = entry.contents
            found.append(UnclassifiedSeen(u.name.decode("utf-8"), u.domain.decode("utf-8"),
                                          u.count, _datetime(u.last_seen_ms)))
            return 0

        callback = _ffi.cj_unclassified_visitor(visit)
        self._call(lib.cj_jar_unclassified_report, callback, None)
        return found

    # -- Netscape cookies.txt ----------------------------------------------------------------

    def import_netscape(self, source: Union[str, bytes, PathArg], *, now: Now = None) -> ImportResult:
        """Imports a Netscape ``cookies.txt`` (what curl, wget and browser extensions write):
        ``source`` is a file name (``str`` without a line break or tab, or a path object), or
        the file's contents (a ``str`` with a line break or tab, or ``bytes``).

        ``#HttpOnly_`` lines are ``HttpOnly`` cookies; other ``#`` lines are comments. Every
        cookie passes the rules a ``Set-Cookie`` does, at ``now``; bad lines and refused
        cookies are counted and skipped, not raised. Returns ``ImportResult(imported,
        refused)``; a file that cannot be read raises ``IoError``."""
        ms = now_ms(now)
        imported, refused = c_size_t(), c_size_t()
        if isinstance(source, bytes) or (isinstance(source, str) and _looks_like_text(source)):
            data = source if isinstance(source, bytes) else source.encode("utf-8", "surrogateescape")
            self._call(lib.cj_jar_import_netscape, data, len(data), ms, byref(imported), byref(refused),
                       changes=True)
        else:
            path = _ffi.fspath_bytes(source)
            self._call(lib.cj_jar_import_netscape_file, path, ms, byref(imported), byref(refused),
                       changes=True)
        return ImportResult(imported.value, refused.value)

    @overload
    def export_netscape(self, path: None = None, *, now: Now = None) -> str: ...

    @overload
    def export_netscape(self, path: PathArg, *, now: Now = None) -> int: ...

    def export_netscape(self, path: Optional[PathArg] = None, *, now: Now = None) -> Union[str, int]:
        """The cookies not expired at ``now`` in curl's ``cookies.txt`` layout (``#HttpOnly_``
        lines included). Without ``path``, returns the text; with it, replaces that file whole
        (created with mode 0600, written beside it and renamed) and returns the number of
        cookies written. Partitioned and nameless cookies cannot be written in the format and
        are left out; ``SameSite``, ``Priority`` and creation times are lost."""
        ms = now_ms(now)
        if path is not None:
            return self._count(lib.cj_jar_export_netscape_file, _ffi.fspath_bytes(path), ms)
        out = POINTER(c_char)()
        self._call(lib.cj_jar_export_netscape, ms, byref(out))
        try:
            return ctypes.string_at(out).decode("utf-8")
        finally:
            lib.cj_string_free(out)

    # -- plumbing ----------------------------------------------------------------------------

    def _call(self, function: Callable[..., int], *args: Any, changes: bool = False) -> None:
        ptr = self._borrow()
        try:
            status = function(ptr, *args)
            if status:
                error = _ffi.error_for(status)
            elif changes:
                self._changed()
        finally:
            self._release()
        if status:
            raise error

    def _count(self, function: Callable[..., int], *args: Any) -> int:
        n = c_size_t()
        self._call(function, *args, byref(n), changes=True)
        return n.value

    def __repr__(self) -> str:
        where = "memory" if self._path is None else repr(self._path)
        if self.closed:
            return f"<cookiejar.Jar ({where}) closed>"
        return f"<cookiejar.Jar ({where}) {len(self)} cookies>"

    def __reduce__(self):  # type: ignore[no-untyped-def]
        if self._path is not None:
            raise TypeError("a file-backed Jar cannot be pickled (its file is locked by this process); "
                            "pickle jar.copy() for an in-memory snapshot")
        return (_restore_jar, (self._options, self.cookies()))


def _restore_jar(options: Dict[str, Any], cookies: List[Cookie]) -> Jar:
    jar = Jar(**options)
    for cookie in cookies:
        jar.insert(cookie)
    return jar


def _subdomain_ok(domain: str) -> bool:
    """Whether a label can be put in front of ``domain`` (not an IP address, not too long)."""
    if len(domain) > 200 or domain.startswith("[") or ":" in domain:
        return False
    last = domain.rstrip(".").rsplit(".", 1)[-1]
    return not (last.isdigit() or last.lower().startswith("0x"))


def _flags(navigation: bool, unsafe_method: bool, non_http: bool) -> int:
    flags = 0
    if navigation:
        flags |= REQUEST_NAVIGATION
    if unsafe_method:
        flags |= REQUEST_UNSAFE_METHOD
    if non_http:
        flags |= REQUEST_NON_HTTP
    return flags
