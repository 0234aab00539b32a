"""The C library: loading it, the ctypes prototypes of every function used, and the small
conversions every call needs (strings in, status codes out).

``PROTOTYPES`` is the one place that states a C signature on the Python side;
``tests/test_abi.py`` parses ``include/cookiejar.h`` and compares every entry (name, return
type, argument count and types) and the ``cj_cookie`` struct with it, so the two cannot drift.
"""

from __future__ import annotations

import ctypes
import os
from ctypes import (
    POINTER,
    c_bool,
    c_char,
    c_char_p,
    c_int,
    c_int64,
    c_size_t,
    c_uint32,
    c_uint64,
    c_void_p,
)
from pathlib import Path
from typing import Any, Dict, Optional, Sequence, Tuple

from . import _errors
from ._errors import CookieJarError

__all__ = ["lib", "library_path", "PROTOTYPES", "check", "cstr", "last_error"]


class cj_jar(ctypes.Structure):
    """Opaque ``struct cj_jar``: only ever handled through a pointer."""


class cj_options(ctypes.Structure):
    """Opaque ``struct cj_options``."""


class cj_cookie(ctypes.Structure):
    """``struct cj_cookie``: one stored cookie as a ``cj_jar_for_each_cookie`` visitor sees it.

    Valid only during the visitor call; the library may append fields in later versions, which
    is harmless here because the struct is only read through the library's pointer.
    """

    _fields_ = [
        ("name", c_char_p),
        ("value", c_char_p),
        ("domain", c_char_p),
        ("path", c_char_p),
        ("partition", c_char_p),
        ("expires_ms", c_int64),
        ("created_ms", c_int64),
        ("last_access_ms", c_int64),
        ("session", c_bool),
        ("host_only", c_bool),
        ("secure", c_bool),
        ("http_only", c_bool),
        ("same_site", c_uint32),
        ("priority", c_uint32),
        ("categories", c_uint32),
    ]


cj_cookie_visitor = ctypes.CFUNCTYPE(c_int, POINTER(cj_cookie), c_void_p)


class cj_audit_entry(ctypes.Structure):
    """``struct cj_audit_entry``: one cookie as ``cj_jar_audit`` reports it (valid during the
    visitor call only)."""

    _fields_ = [
        ("cookie", POINTER(cj_cookie)),
        ("source", c_uint32),
        ("exempt", c_bool),
        ("first_party", c_bool),
        ("allowed", c_bool),
        ("site", c_char_p),
    ]


cj_audit_visitor = ctypes.CFUNCTYPE(c_int, POINTER(cj_audit_entry), c_void_p)


class cj_unclassified(ctypes.Structure):
    """``struct cj_unclassified``: an unclassified cookie the jar has seen."""

    _fields_ = [
        ("name", c_char_p),
        ("domain", c_char_p),
        ("count", c_uint64),
        ("last_seen_ms", c_int64),
    ]


cj_unclassified_visitor = ctypes.CFUNCTYPE(c_int, POINTER(cj_unclassified), c_void_p)

# `enum cj_status` is a plain C enum (an `int`); the flag and fixed-width enum types
# (`cj_request_flags`, `cj_durability`, ...) are `uint32_t`. `const char *` arguments are
# read-only strings (`c_char_p`); `char *` is memory the library owns or writes into
# (`POINTER(c_char)`), never converted implicitly, so it can be handed back to
# `cj_string_free` exactly as received.
_status = c_int
_jar_p = POINTER(cj_jar)
_options_p = POINTER(cj_options)
_owned_str = POINTER(c_char)

#: name -> (restype, argtypes), for every function this package calls.
PROTOTYPES: Dict[str, Tuple[Any, Tuple[Any, ...]]] = {
    "cj_jar_new": (_status, (POINTER(_jar_p),)),
    "cj_jar_open": (_status, (c_char_p, POINTER(_jar_p))),
    "cj_jar_flush": (_status, (_jar_p,)),
    "cj_jar_free": (None, (_jar_p,)),
    "cj_jar_set_cookie": (_status, (_jar_p, c_char_p, c_char_p, c_int64)),
    "cj_jar_cookie_header": (_status, (_jar_p, c_char_p, c_int64, POINTER(_owned_str))),
    "cj_jar_set_cookie_in": (_status, (_jar_p, c_char_p, c_char_p, c_char_p, c_int64)),
    "cj_jar_cookie_header_in": (_status, (_jar_p, c_char_p, c_char_p, c_int64, POINTER(_owned_str))),
    "cj_jar_set_cookie_ex": (_status, (_jar_p, c_char_p, c_char_p, c_uint32, c_char_p, c_int64)),
    "cj_jar_cookie_header_ex": (
        _status,
        (_jar_p, c_char_p, c_char_p, c_uint32, c_int64, POINTER(_owned_str)),
    ),
    "cj_string_free": (None, (_owned_str,)),
    "cj_options_new": (_status, (POINTER(_options_p),)),
    "cj_options_free": (None, (_options_p,)),
    "cj_options_set_max_cookies": (_status, (_options_p, c_size_t)),
    "cj_options_set_max_cookies_per_site": (_status, (_options_p, c_size_t)),
    "cj_options_set_lax_by_default": (_status, (_options_p, c_bool)),
    "cj_options_set_durability": (_status, (_options_p, c_uint32)),
    "cj_options_set_persist_session_cookies": (_status, (_options_p, c_bool)),
    "cj_jar_new_with": (_status, (_options_p, POINTER(_jar_p))),
    "cj_jar_open_with": (_status, (c_char_p, _options_p, POINTER(_jar_p))),
    "cj_jar_for_each_cookie": (_status, (_jar_p, c_int64, cj_cookie_visitor, c_void_p)),
    "cj_jar_remove": (_status, (_jar_p, c_char_p, c_char_p, c_char_p, POINTER(c_size_t))),
    "cj_jar_clear_domain": (_status, (_jar_p, c_char_p, POINTER(c_size_t))),
    "cj_jar_clear_session_cookies": (_status, (_jar_p, POINTER(c_size_t))),
    "cj_jar_purge_expired": (_status, (_jar_p, c_int64, POINTER(c_size_t))),
    "cj_jar_clear": (_status, (_jar_p,)),
    "cj_jar_len": (_status, (_jar_p, POINTER(c_size_t))),
    "cj_jar_add_rule": (_status, (_jar_p, c_char_p, c_char_p, c_bool, c_uint32)),
    "cj_jar_load_policy": (_status, (_jar_p, c_char_p, POINTER(c_size_t))),
    "cj_jar_set_consent_at": (_status, (_jar_p, c_char_p, c_uint32, c_int64, POINTER(c_size_t))),
    "cj_jar_set_gpc_at": (_status, (_jar_p, c_bool, c_int64, POINTER(c_size_t))),
    "cj_jar_set_decision": (_status, (_jar_p, c_char_p, c_uint32, c_uint32, c_int64, POINTER(c_size_t))),
    "cj_jar_set_profile": (_status, (_jar_p, c_uint32, POINTER(c_size_t))),
    "cj_jar_set_unclassified_policy": (_status, (_jar_p, c_uint32, c_uint32, POINTER(c_size_t))),
    "cj_jar_audit": (_status, (_jar_p, c_int64, cj_audit_visitor, c_void_p)),
    "cj_jar_unclassified_report": (_status, (_jar_p, cj_unclassified_visitor, c_void_p)),
    "cj_jar_import_netscape": (
        _status,
        (_jar_p, c_char_p, c_size_t, c_int64, POINTER(c_size_t), POINTER(c_size_t)),
    ),
    "cj_jar_import_netscape_file": (
        _status,
        (_jar_p, c_char_p, c_int64, POINTER(c_size_t), POINTER(c_size_t)),
    ),
    "cj_jar_export_netscape": (_status, (_jar_p, c_int64, POINTER(_owned_str))),
    "cj_jar_export_netscape_file": (_status, (_jar_p, c_char_p, c_int64, POINTER(c_size_t))),
    "cj_last_error": (c_size_t, (_owned_str, c_size_t)),
    "cj_status_name": (c_char_p, (_status,)),
    "cj_version": (c_char_p, ()),
}

_SUFFIXES = (".so", ".dylib", ".pyd", ".dll")


def _find_library() -> Path:
    """``COOKIEJAR_LIBRARY`` if set (a development aid), else the library built into this
    package (``_native.abi3.so`` or the platform's equivalent)."""
    override = os.environ.get("COOKIEJAR_LIBRARY")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    found = sorted(p for p in here.glob("_native*") if p.suffix in _SUFFIXES)
    if not found:
        raise ImportError(
            f"cookiejar: the native library is missing from {here}: the package was not built "
            "(install it with `pip install ./bindings/python` from a checkout)"
        )
    return found[0]


def _load(path: Path) -> ctypes.CDLL:
    # CDLL releases the GIL around each call: lookups from several threads run in parallel in
    # the library, which is thread-safe; handle lifetimes are guarded by _managed.Managed.
    library = ctypes.CDLL(str(path))
    for name, (restype, argtypes) in PROTOTYPES.items():
        try:
            function = getattr(library, name)
        except AttributeError:
            raise ImportError(f"cookiejar: {path} has no function {name}: a different version?") from None
        function.restype = restype
        function.argtypes = argtypes
    return library


library_path = _find_library()
lib = _load(library_path)


def last_error() -> str:
    """The calling thread's last error message from the library (``cj_last_error``)."""
    size = lib.cj_last_error(None, 0)
    if size == 0:
        return ""
    buf = ctypes.create_string_buffer(size)
    lib.cj_last_error(ctypes.cast(buf, _owned_str), size)
    return buf.value.decode("utf-8", "replace")


def status_name(status: int) -> str:
    """The library's name for a status code (``cj_status_name``)."""
    return lib.cj_status_name(status).decode("ascii")


def error_for(status: int, message: Optional[str] = None, **extra: Any) -> CookieJarError:
    """The exception for a failed call: its class is the one generated for ``status``."""
    from ._status import ERRORS

    cls = ERRORS.get(status)
    if cls is None:
        cls = _errors.class_for_unknown(status, status_name(status))
    text = message if message is not None else last_error()
    if not text:
        text = f"{cls.status_name or status_name(status)} ({status})"
    if extra and issubclass(cls, _errors.CookieRejected):
        return cls(text, **extra)
    return cls(text)


def check(status: int, **extra: Any) -> None:
    """Raises the exception for ``status`` unless it is ``CJ_STATUS_OK``. Must run on the
    thread that made the call, right after it: the message is per thread."""
    if status:
        raise error_for(status, **extra)


def _argument_error(name: str, message: str) -> CookieJarError:
    from ._status import ERRORS, Status

    return ERRORS[int(getattr(Status, name))](message)


def cstr(value: object, what: str) -> bytes:
    """A ``str`` argument as the NUL-terminated UTF-8 the library reads.

    Refused before any call is made: a non-``str`` (``TypeError``), a string with NUL (which C
    would silently cut; ``InvalidArgumentError``) and one that is not encodable as UTF-8, such
    as a lone surrogate (``InvalidUtf8Error``, the library's own status for it).
    """
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str, not {type(value).__name__}")
    try:
        data = value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise _argument_error("INVALID_UTF8", f"{what} is not valid Unicode text: {e.reason} at index {e.start}") from None
    if b"\0" in data:
        raise _argument_error("INVALID_ARGUMENT", f"{what} contains a NUL character at index {value.index(chr(0))}")
    return data


def optional_cstr(value: object, what: str) -> Optional[bytes]:
    return None if value is None else cstr(value, what)


def fspath_bytes(path: object) -> bytes:
    """A file name for ``cj_jar_open``: any bytes but NUL (the library takes raw bytes)."""
    try:
        raw = os.fsencode(path)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"path must be a str, bytes or os.PathLike, not {type(path).__name__}") from None
    if b"\0" in raw:
        raise _argument_error("INVALID_ARGUMENT", "path contains a NUL character")
    return raw


def size_arg(value: object, what: str) -> int:
    """A positive count for a ``size_t`` parameter (ctypes would silently wrap a negative)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if not 1 <= value < 2 ** (8 * ctypes.sizeof(c_size_t)):
        raise _argument_error("INVALID_ARGUMENT", f"{what} must be at least 1 and fit a size_t, not {value}")
    return value


def version() -> str:
    return lib.cj_version().decode("ascii")


def bound_functions() -> Sequence[str]:
    return tuple(PROTOTYPES)
