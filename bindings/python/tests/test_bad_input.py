"""Bad input raises the right exception and never crashes the interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import cookiejar
from cookiejar import Jar


@pytest.fixture
def jar():
    with Jar() as j:
        yield j


@pytest.mark.parametrize(
    "url, value",
    [("https://example.com/\0x", "a=1"), ("https://example.com/", "a=1\0; Secure"), ("\0", "\0")],
)
def test_nul_is_refused_before_c_could_cut_the_string(jar, url, value):
    with pytest.raises(cookiejar.InvalidArgumentError) as info:
        jar.set_cookie(url, value)
    assert "NUL" in str(info.value)
    assert isinstance(info.value, ValueError)
    assert len(jar) == 0


@pytest.mark.parametrize("text", ["a=\ud800", "\udfff=1", "a=\udcff; Path=/"])
def test_lone_surrogates_are_invalid_utf8(jar, text):
    with pytest.raises(cookiejar.InvalidUtf8Error):
        jar.set_cookie("https://example.com/", text)
    with pytest.raises(cookiejar.InvalidUtf8Error):
        jar.cookie_header("https://example.com/" + text)


@pytest.mark.parametrize("bad", [None, b"https://example.com/", 42, ["https://example.com/"], object()])
def test_wrong_types_are_type_errors(jar, bad):
    with pytest.raises(TypeError):
        jar.set_cookie(bad, "a=1")
    with pytest.raises(TypeError):
        jar.set_cookie("https://example.com/", bad)
    with pytest.raises(TypeError):
        jar.cookie_header(bad)
    if bad is not None:
        with pytest.raises(TypeError):
            jar.set_cookie("https://example.com/", "a=1", top_level_url=bad)


@pytest.mark.parametrize("now", ["now", True, [1], -1, -0.5, float("nan"), float("inf"), 2**70])
def test_bad_times(jar, now):
    with pytest.raises((TypeError, cookiejar.InvalidArgumentError)):
        jar.set_cookie("https://example.com/", "a=1", now=now)


@pytest.mark.parametrize(
    "url, error",
    [
        ("not a url", cookiejar.InvalidUrlError),
        ("", cookiejar.InvalidUrlError),
        ("/relative/path", cookiejar.InvalidUrlError),
        ("ftp://example.com/", cookiejar.UnsupportedSchemeError),
        ("file:///etc/passwd", cookiejar.CookieJarError),
        ("mailto:someone@example.com", cookiejar.CookieJarError),
    ],
)
def test_bad_urls(jar, url, error):
    with pytest.raises(error):
        jar.set_cookie(url, "a=1")
    with pytest.raises(error):
        jar.cookie_header(url)


def test_huge_strings(jar):
    huge = "v" * (10 * 1024 * 1024)
    with pytest.raises(cookiejar.NameValueTooLongError):
        jar.set_cookie("https://example.com/", "a=" + huge)
    with pytest.raises(cookiejar.FieldTooLongError):
        jar.set_cookie("https://example.com/" + "p" * 5000 + "/x", "a=1")  # its default path is too long
    assert jar.cookie_header("https://example.com/" + huge) is None
    jar.set_cookie("https://example.com/", "a=" + "v" * 4000)
    assert len(jar.cookie_header("https://example.com/")) == 4002


def test_non_ascii_text_round_trips(jar):
    jar.set_cookie("https://bücher.example/", "name=välue ✓")
    (cookie,) = jar.cookies()
    assert cookie.value == "välue ✓" and cookie.domain == "xn--bcher-kva.example"
    assert jar.cookie_header("https://xn--bcher-kva.example/") == "name=välue ✓"
    with pytest.raises(cookiejar.NonAsciiDomainError):
        jar.set_cookie("https://bücher.example/", "x=1; Domain=bücher.example")


def test_bad_paths_for_files(tmp_path):
    with pytest.raises(cookiejar.NotAFileError):
        Jar(tmp_path)  # a directory
    (tmp_path / "target").write_bytes(b"")
    os.symlink(tmp_path / "target", tmp_path / "link")
    with pytest.raises(cookiejar.NotAFileError):
        Jar(tmp_path / "link")
    (tmp_path / "notes.txt").write_text("these are not cookies\n" * 100)
    with pytest.raises(cookiejar.NotAJarFileError) as info:
        Jar(tmp_path / "notes.txt")
    assert isinstance(info.value, cookiejar.StorageError)
    assert (tmp_path / "notes.txt").read_text().startswith("these are not cookies")  # untouched
    with pytest.raises(cookiejar.InvalidArgumentError):
        Jar(str(tmp_path / "a\0b"))
    with pytest.raises(cookiejar.InvalidArgumentError):
        Jar("")
    with pytest.raises(TypeError):
        Jar(3.5)  # type: ignore[arg-type]
    with pytest.raises(cookiejar.IoError):
        Jar(tmp_path / "missing-dir" / "x.jar")


def test_a_damaged_header_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "c.jar"
    with Jar(path) as jar:
        jar.set_cookie("https://example.com/", "a=1; Max-Age=1000")
    data = bytearray(path.read_bytes())
    data[12] ^= 0xFF  # inside the header
    path.write_bytes(bytes(data))
    with pytest.raises(cookiejar.StorageError):
        Jar(path)
    assert path.read_bytes() == bytes(data)


def test_random_input_never_crashes():
    """Random strings, bytes-turned-text and odd types, in a child process: whatever happens,
    the interpreter must come back with an exception, never a signal."""
    script = textwrap.dedent(
        """
        import random, cookiejar
        rng = random.Random(6265)
        alphabet = "aZ=;, \\t\\x00\\x01\\x7f\\u00e9\\u2713\\ud800/:.%[]@?#\\\\\\"" + "x" * 20
        def text(n):
            return "".join(rng.choice(alphabet) for _ in range(rng.randrange(n)))
        jar = cookiejar.Jar()
        outcomes = set()
        for i in range(4000):
            url = rng.choice(["https://", "http://", "ws://", "", "https://[::1]", "http://1.2.3.4"]) + text(30)
            value = text(60)
            try:
                if i % 3:
                    jar.set_cookie(url, value, top_level_url=rng.choice([None, "https://x.example/", text(10)]))
                else:
                    jar.cookie_header(url)
                outcomes.add("ok")
            except (cookiejar.CookieJarError, TypeError) as e:
                outcomes.add(type(e).__name__)
        list(jar); len(jar); jar.copy()
        print(len(outcomes))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 3
