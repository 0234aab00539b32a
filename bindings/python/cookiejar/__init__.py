"""cookiejar: a browser-grade (RFC 6265bis) cookie jar for Python, backed by a Rust engine.

- ``Jar``: the native API (store ``Set-Cookie`` values, produce ``Cookie`` headers, list and
  manage cookies as ``Cookie`` records), in memory or in a crash-safe jar file.
- ``CookieJar``: a drop-in ``http.cookiejar.CookieJar`` for requests, httpx and urllib.
- ``cookiejar.for_requests`` / ``cookiejar.for_httpx``: adapters that set the ``Cookie``
  header straight from the engine, bypassing ``http.cookiejar`` entirely.
- Errors: ``CookieJarError`` and its groups (``ArgumentError``, ``CookieRejected``,
  ``StorageError``, ``LibraryBug``), with one class per status code of the C library
  (``PublicSuffixError``, ``LockedError``, ...).
"""

from __future__ import annotations

from . import _ffi
from ._errors import (
    ArgumentError,
    ClosedError,
    ConsentRefused,
    CookieJarError,
    CookieRejected,
    LibraryBug,
    StorageError,
)
from ._jar import (
    AuditEntry,
    Category,
    Cookie,
    Decision,
    Durability,
    ImportResult,
    Jar,
    Now,
    Priority,
    Profile,
    SameSite,
    Source,
    UnclassifiedPolicy,
    UnclassifiedSeen,
)
from ._status import *  # noqa: F401,F403  (Status and one exception class per status code)
from ._status import ERRORS, Status
from ._stdlib import CookieJar, NullCookieJar, from_http_cookie, to_http_cookie

#: The version of the native library this package loaded (``cj_version``).
library_version: str = _ffi.version()
__version__ = library_version

# Public classes print as cookiejar.X (tracebacks, reprs) and pickle by that name.
for _cls in (Jar, Cookie, AuditEntry, UnclassifiedSeen, ImportResult, CookieJar, NullCookieJar, CookieJarError, ArgumentError, CookieRejected,
             ConsentRefused, StorageError, LibraryBug, ClosedError, Status, *ERRORS.values()):
    _cls.__module__ = __name__
del _cls

__all__ = [
    "Jar",
    "Cookie",
    "CookieJar",
    "NullCookieJar",
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
    "Status",
    "Now",
    "CookieJarError",
    "ArgumentError",
    "CookieRejected",
    "ConsentRefused",
    "StorageError",
    "LibraryBug",
    "ClosedError",
    "ERRORS",
    "to_http_cookie",
    "from_http_cookie",
    "library_version",
] + [cls.__name__ for cls in ERRORS.values()]
