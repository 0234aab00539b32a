"""The Python side of the C ABI cannot drift from include/cookiejar.h: every bound function's
prototype, the cj_cookie struct, the enums, the flags and the status classes are compared with
the header (parsed by tools/cheader.py) and, where it can say, with the loaded library."""

from __future__ import annotations

import ctypes
import warnings
from ctypes import POINTER, c_bool, c_char, c_char_p, c_int, c_int64, c_size_t, c_uint32, c_void_p

import cheader
import pytest

import cookiejar
from cookiejar import _errors, _ffi, _jar


@pytest.fixture(scope="module")
def header(header_path):
    return cheader.parse_file(header_path)


def expected_ctype(header: cheader.Header, ctype: str):
    """The ctypes type that a C type must be bound as (see the conventions in _ffi.py)."""
    ctype = header.resolve(ctype)
    scalars = {
        "int": c_int,
        "int64_t": c_int64,
        "uint64_t": ctypes.c_uint64,
        "uint32_t": c_uint32,
        "size_t": c_size_t,
        "bool": c_bool,
        "void*": c_void_p,
        "const char*": c_char_p,  # a string the library only reads (or a static one it returns)
        "char*": POINTER(c_char),  # memory the library owns or writes: never auto-converted
        "char**": POINTER(POINTER(c_char)),
        "size_t*": POINTER(c_size_t),
        "bool*": POINTER(c_bool),
        "void": None,
    }
    if ctype in scalars:
        return scalars[ctype]
    if ctype in header.callbacks:
        return getattr(_ffi, ctype)
    core = ctype.rstrip("*")
    stars = len(ctype) - len(core)
    core = core.removeprefix("const ").removeprefix("struct ")
    assert core in header.structs, f"no rule for C type {ctype!r}"
    t = getattr(_ffi, core)
    for _ in range(stars):
        t = POINTER(t)
    return t


def test_every_bound_function_matches_the_header(header):
    for name, (restype, argtypes) in _ffi.PROTOTYPES.items():
        assert name in header.functions, f"{name} is bound but not declared in the header"
        declared = header.functions[name]
        assert len(argtypes) == len(declared.params), f"{name}: {len(argtypes)} args bound, {len(declared.params)} declared"
        assert restype == expected_ctype(header, declared.returns), f"{name}: return type"
        for i, (bound, param) in enumerate(zip(argtypes, declared.params)):
            assert bound == expected_ctype(header, param.type), f"{name}: argument {i} ({param.type} {param.name})"


def test_the_loaded_library_uses_exactly_these_prototypes(header):
    for name, (restype, argtypes) in _ffi.PROTOTYPES.items():
        function = getattr(_ffi.lib, name)
        assert function.restype == restype and tuple(function.argtypes) == argtypes, name


def test_functions_not_bound_yet_are_reported(header):
    unbound = sorted(set(header.functions) - set(_ffi.PROTOTYPES))
    if unbound:  # new C functions (import/export, consent...) waiting for a Python method
        warnings.warn(f"C functions without a Python binding yet: {', '.join(unbound)}", stacklevel=1)


@pytest.mark.parametrize("name", ["cj_cookie_visitor", "cj_audit_visitor", "cj_unclassified_visitor"])
def test_the_visitor_callbacks_match_the_header(header, name):
    declared = header.callbacks[name]
    proto = getattr(_ffi, name)
    assert proto._restype_ == expected_ctype(header, declared.returns)
    assert list(proto._argtypes_) == [expected_ctype(header, p.type) for p in declared.params]


@pytest.mark.parametrize("struct", ["cj_cookie", "cj_audit_entry", "cj_unclassified"])
def test_the_structs_match_the_header(header, struct):
    declared = header.structs[struct]
    fields = getattr(_ffi, struct)._fields_
    assert [name for name, _ in fields] == [p.name for p in declared]
    for (name, bound), param in zip(fields, declared):
        assert bound == expected_ctype(header, param.type), f"{struct}.{name}"


@pytest.mark.parametrize(
    "enum_name, python_enum, prefix",
    [
        ("cj_same_site", cookiejar.SameSite, "CJ_SAME_SITE_"),
        ("cj_priority", cookiejar.Priority, "CJ_PRIORITY_"),
        ("cj_durability", cookiejar.Durability, "CJ_DURABILITY_"),
        ("cj_category", cookiejar.Category, "CJ_CATEGORY_"),
        ("cj_profile", cookiejar.Profile, "CJ_PROFILE_"),
        ("cj_decision", cookiejar.Decision, "CJ_DECISION_"),
        ("cj_unclassified_policy", cookiejar.UnclassifiedPolicy, "CJ_UNCLASSIFIED_"),
        ("cj_source", cookiejar.Source, "CJ_SOURCE_"),
        ("cj_status", cookiejar.Status, "CJ_STATUS_"),
    ],
)
def test_enums_match_the_header(header, enum_name, python_enum, prefix):
    declared = {e.name[len(prefix):]: e.value for e in header.enums[enum_name]}
    assert {m.name: int(m) for m in python_enum} == declared


def test_request_flags_match_the_header(header):
    assert header.defines == {
        "CJ_REQUEST_NAVIGATION": _jar.REQUEST_NAVIGATION,
        "CJ_REQUEST_UNSAFE_METHOD": _jar.REQUEST_UNSAFE_METHOD,
        "CJ_REQUEST_NON_HTTP": _jar.REQUEST_NON_HTTP,
    }


def test_one_exception_class_per_status_named_after_it(header):
    for e in header.enums["cj_status"]:
        if e.value == 0:
            assert e.value not in cookiejar.ERRORS
            continue
        cls = cookiejar.ERRORS[e.value]
        words = e.name[len("CJ_STATUS_"):].split("_")
        assert cls.__name__ == "".join(w.capitalize() for w in words) + "Error"
        assert getattr(cookiejar, cls.__name__) is cls
        assert cls.status == e.value and cls.status_name == e.name
        assert cls.__bases__ == (_errors.group_for(e.value),)
        assert cls.__doc__ and cls.__doc__.split()[0] in e.doc  # the header's own words


def test_status_names_agree_with_the_library(header):
    for e in header.enums["cj_status"]:
        assert _ffi.status_name(e.value) == e.name
    assert _ffi.status_name(777) == "CJ_STATUS_UNKNOWN"


def test_groups_follow_the_status_blocks():
    assert issubclass(cookiejar.PublicSuffixError, cookiejar.CookieRejected)
    assert issubclass(cookiejar.InvalidUrlError, cookiejar.ArgumentError)
    assert issubclass(cookiejar.InvalidUrlError, ValueError)
    assert issubclass(cookiejar.LockedError, cookiejar.StorageError)
    assert issubclass(cookiejar.PanicError, cookiejar.LibraryBug)
    assert issubclass(cookiejar.ConsentRefused, cookiejar.CookieRejected)
    for group in (cookiejar.ArgumentError, cookiejar.CookieRejected, cookiejar.StorageError, cookiejar.LibraryBug):
        assert issubclass(group, cookiejar.CookieJarError)


def test_a_status_from_a_newer_library_still_gets_a_class_of_its_block():
    error = _ffi.error_for(155, "consent withheld")
    assert isinstance(error, cookiejar.ConsentRefused)
    assert error.status == 155 and str(error) == "consent withheld"
    assert type(_ffi.error_for(299, "x")).__mro__[1] is cookiejar.StorageError
    assert type(_ffi.error_for(155, "again")) is type(error)


def test_the_shipped_header_is_the_one_the_library_was_built_from(header_path):
    from pathlib import Path

    shipped = Path(cookiejar.__file__).with_name("cookiejar.h")
    assert shipped.read_bytes() == header_path.read_bytes()


def test_the_package_version_is_the_library_version(header_path):
    import re

    cargo = (header_path.parent.parent / "Cargo.toml").read_text()
    version = re.search(r'^version\s*=\s*"([^"]+)"', cargo, re.M).group(1)
    assert cookiejar.library_version == version
    from importlib.metadata import version as dist_version

    assert dist_version("cookiejar") == version


def test_last_error_is_copied_and_cut_safely():
    jar = cookiejar.Jar()
    with pytest.raises(cookiejar.InvalidUrlError) as info:
        jar.set_cookie("not a url", "a=1")
    assert "url" in str(info.value).lower()
    # The size protocol: (NULL, 0) asks for the size; a short buffer gets a cut, NUL-ended text.
    status = _ffi.lib.cj_jar_set_cookie(jar._borrow(), b"not a url", b"a=1", -1)
    jar._release()
    assert status == cookiejar.Status.INVALID_URL
    size = _ffi.lib.cj_last_error(None, 0)
    assert size > 8
    buf = ctypes.create_string_buffer(8)
    assert _ffi.lib.cj_last_error(ctypes.cast(buf, POINTER(c_char)), 8) == size
    assert len(buf.value) <= 7
