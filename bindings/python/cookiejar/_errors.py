"""The exception hierarchy.

Every failure of the C library is a ``cj_status`` code; each code has its own exception class,
generated at build time from the header into ``_status.py`` (``CJ_STATUS_PUBLIC_SUFFIX`` ->
``PublicSuffixError``). The classes below are the groups those codes fall into, one per block
of the status enum, so that callers can catch as broadly or as narrowly as they like::

    CookieJarError
    ├── ArgumentError (also a ValueError)  1–99    the call's arguments were unusable
    ├── CookieRejected                     100–199 the cookie was ignored; .reason says why
    │   └── ConsentRefused                 150–199 ... because consent was not given
    ├── StorageError                       200–299 the jar file
    ├── LibraryBug                         900–999 a bug in the library (please report it)
    └── ClosedError (also a ValueError)            the jar was closed
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple, Type

__all__ = [
    "CookieJarError",
    "ArgumentError",
    "CookieRejected",
    "ConsentRefused",
    "StorageError",
    "LibraryBug",
    "ClosedError",
    "group_for",
]


class CookieJarError(Exception):
    """Base class of every error raised by this package.

    ``status`` is the C library's ``cj_status`` code (an ``int``; a ``Status`` member when the
    code is known), ``status_name`` its C name, and ``message`` the library's explanation
    (``cj_last_error``), which is also ``str(error)``.
    """

    status: int = -1
    status_name: str = ""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Keyword-only extras (url, set_cookie) survive pickling and multiprocessing.
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


def _rebuild(cls: Type[CookieJarError], message: str, state: dict) -> CookieJarError:
    error = cls.__new__(cls)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ArgumentError(CookieJarError, ValueError):
    """The arguments of a call were unusable (status 1–99); nothing was changed."""


class CookieRejected(CookieJarError):
    """The cookie was ignored (status 100–199), for the rule ``reason`` names; the jar is
    unchanged. Browsers drop such cookies silently; this error tells you why, like Chromium's
    cookie inclusion status.

    ``url`` is the request URL and ``set_cookie`` the ``Set-Cookie`` value that was refused.
    """

    def __init__(self, message: str, *, url: Optional[str] = None, set_cookie: Optional[str] = None) -> None:
        super().__init__(message)
        self.url = url
        self.set_cookie = set_cookie

    @property
    def reason(self) -> int:
        """The rule that refused the cookie: a ``Status`` member such as
        ``Status.PUBLIC_SUFFIX`` (the same as ``status``)."""
        return self.status


class ConsentRefused(CookieRejected):
    """The cookie was ignored because its consent category was not granted (status 150–199)."""


class StorageError(CookieJarError):
    """The jar file could not be opened, read or written (status 200–299)."""


class LibraryBug(CookieJarError):
    """A bug in the library (status 900–999): please report it with the message."""


class ClosedError(CookieJarError, ValueError):
    """The jar (or other native object) was used after ``close()``."""


#: The status blocks of ``include/cookiejar.h``, and the class each block's errors derive from.
BLOCKS: Tuple[Tuple[int, int, Type[CookieJarError]], ...] = (
    (1, 99, ArgumentError),
    (100, 149, CookieRejected),
    (150, 199, ConsentRefused),
    (200, 299, StorageError),
    (900, 999, LibraryBug),
)


def group_for(status: int) -> Type[CookieJarError]:
    """The group class of a status code (``CookieJarError`` for a code outside every block)."""
    for low, high, cls in BLOCKS:
        if low <= status <= high:
            return cls
    return CookieJarError


_unknown: Dict[int, Type[CookieJarError]] = {}


def class_for_unknown(status: int, name: str) -> Type[CookieJarError]:
    """A class for a code this package was not built with (a newer library): named after the
    library's own name for it (``cj_status_name``), derived from its block's group."""
    cls = _unknown.get(status)
    if cls is None:
        base = group_for(status)
        words = name[len("CJ_STATUS_"):].split("_") if name.startswith("CJ_STATUS_") else ["Unknown"]
        cls = type(
            "".join(w.capitalize() for w in words) + "Error",
            (base,),
            {"status": status, "status_name": name, "__module__": __name__,
             "__doc__": f"Status {status} ({name}), unknown when this package was built."},
        )
        _unknown[status] = cls
    return cls
