"""Netscape cookies.txt through the Python API: import from text, bytes and files, export to
text and files, a round trip with #HttpOnly_ lines, refused and bad lines counted, errors."""

from __future__ import annotations

import os
import stat

import pytest

import cookiejar

T0 = 1_750_000_000
CURL = (
    "# Netscape HTTP Cookie File\n"
    "#HttpOnly_.example.com\tTRUE\t/\tTRUE\t1760000000\tsid\tabc\n"
    "www.example.com\tFALSE\t/app\tFALSE\t0\tlang\ten\n"
    "example.com\tFALSE\t/\tnot-a-flag\t0\tbad\t1\n"
    ".com\tTRUE\t/\tFALSE\t0\tsuper\t1\n"
)


def test_import_text_and_round_trip_with_http_only():
    with cookiejar.Jar() as jar:
        assert jar.import_netscape(CURL, now=T0) == cookiejar.ImportResult(imported=2, refused=2)
        sid = next(c for c in jar.cookies(now=T0) if c.name == "sid")
        assert sid.http_only and sid.secure and not sid.host_only
        assert jar.cookie_header("https://www.example.com/app/", now=T0) == "lang=en; sid=abc"
        # Hidden from a script (HttpOnly).
        assert jar.cookie_header("https://www.example.com/app/", non_http=True, now=T0) == "lang=en"

        text = jar.export_netscape(now=T0)
        assert text.startswith("# Netscape HTTP Cookie File\n")
        assert "#HttpOnly_.example.com\tTRUE\t/\tTRUE\t1760000000\tsid\tabc\n" in text
        assert "www.example.com\tFALSE\t/app\tFALSE\t0\tlang\ten\n" in text

    with cookiejar.Jar() as copy:
        assert copy.import_netscape(text.encode(), now=T0) == (2, 0)
        assert copy.export_netscape(now=T0) == text


def test_import_and_export_files(tmp_path):
    source = tmp_path / "cookies.txt"
    source.write_text(CURL)
    out = tmp_path / "out.txt"
    with cookiejar.Jar() as jar:
        assert jar.import_netscape(source, now=T0) == (2, 2)
        assert jar.import_netscape(str(source), now=T0) == (2, 2)  # replaced, same cookies
        assert jar.export_netscape(out, now=T0) == 2
        assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    with cookiejar.Jar() as copy:
        copy.import_netscape(out, now=T0)
        assert copy.cookie_header("https://www.example.com/app/", now=T0) == "lang=en; sid=abc"


def test_bad_input_raises_the_right_exception(tmp_path):
    with cookiejar.Jar() as jar:
        with pytest.raises(cookiejar.IoError) as info:
            jar.import_netscape(tmp_path / "missing.txt")
        assert "missing.txt" in str(info.value)
        with pytest.raises(cookiejar.IoError):
            jar.export_netscape(tmp_path / "no" / "dir.txt")
        with pytest.raises(cookiejar.InvalidArgumentError):
            jar.import_netscape("")  # an empty file name
        with pytest.raises(cookiejar.InvalidArgumentError):
            jar.import_netscape("bad\0name")
        with pytest.raises(TypeError):
            jar.import_netscape(42)  # type: ignore[arg-type]
        # Unreadable lines are counted, never raised: invalid UTF-8 in one line only.
        data = b"a.example\tFALSE\t/\tFALSE\t0\tv\t\xff\nb.example\tFALSE\t/\tFALSE\t0\tok\t1\n"
        assert jar.import_netscape(data, now=T0) == (1, 1)
        assert jar.import_netscape(b"", now=T0) == (0, 0)
