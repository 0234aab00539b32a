"""A jar file outlives the process that wrote it, is locked while open, and keeps session
cookies only when asked to."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

import cookiejar
from cookiejar import Jar

WRITER = textwrap.dedent(
    """
    import sys, cookiejar
    path, persist = sys.argv[1], sys.argv[2] == "1"
    jar = cookiejar.Jar(path, persist_session_cookies=persist, durability="sync")
    jar.set_cookie("https://www.example.com/", "sid=abc; Domain=example.com; Max-Age=86400; Secure; HttpOnly")
    jar.set_cookie("https://www.example.com/", "session=1")
    jar.set_cookie("https://shop.example.org/cart", "items=3; Path=/cart; Max-Age=600; SameSite=Strict")
    jar.set_cookie("https://www.example.com/", "gone=1; Max-Age=600")
    jar.set_cookie("https://www.example.com/", "gone=; Max-Age=0")
    jar.flush()
    print(len(jar))
    if len(sys.argv) > 3:   # hold the file open until told to exit
        sys.stdout.flush()
        sys.stdin.readline()
    jar.close()
    """
)


def run_writer(path, persist: bool) -> None:
    done = subprocess.run([sys.executable, "-c", WRITER, str(path), "1" if persist else "0"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "3"


def test_cookies_written_by_another_process_are_read_back(tmp_path):
    path = tmp_path / "cookies.jar"
    run_writer(path, persist=False)
    with Jar(path) as jar:
        names = {c.name: c for c in jar}
        assert set(names) == {"sid", "items"}  # the session cookie stayed with its process
        sid = names["sid"]
        assert sid.domain == "example.com" and not sid.host_only and sid.secure and sid.http_only
        assert names["items"].same_site is cookiejar.SameSite.STRICT and names["items"].path == "/cart"
        assert jar.cookie_header("https://api.example.com/") == "sid=abc"
        assert jar.cookie_header("https://shop.example.org/cart/view") == "items=3"
        assert jar.path == str(path)


def test_session_cookies_persist_when_asked(tmp_path):
    path = tmp_path / "cookies.jar"
    run_writer(path, persist=True)
    with Jar(path, persist_session_cookies=True) as jar:
        assert {c.name for c in jar} == {"sid", "items", "session"}


def test_changes_in_the_parent_are_seen_by_the_next_process(tmp_path):
    path = tmp_path / "cookies.jar"
    run_writer(path, persist=False)
    with Jar(path) as jar:
        jar.remove("shop.example.org", "/cart", "items")
        jar.set_cookie("https://example.net/", "new=1; Max-Age=100")
    reader = "import sys, cookiejar; print(sorted(c.name for c in cookiejar.Jar(sys.argv[1])))"
    out = subprocess.run([sys.executable, "-c", reader, str(path)], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "['new', 'sid']", out.stderr


def test_a_jar_file_is_locked_while_another_process_has_it_open(tmp_path):
    path = tmp_path / "cookies.jar"
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), "0", "hold"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout.readline().strip() == "3"
        with pytest.raises(cookiejar.LockedError) as info:
            Jar(path)
        assert isinstance(info.value, cookiejar.StorageError)
    finally:
        child.communicate("\n", timeout=60)
    assert child.returncode == 0
    with Jar(path) as jar:  # free again once the writer closed it
        assert len(jar) == 2


def test_a_second_handle_in_the_same_process_is_refused_too(tmp_path):
    path = tmp_path / "cookies.jar"
    with Jar(path):
        with pytest.raises(cookiejar.LockedError):
            Jar(path)
    Jar(path).close()


def test_the_drop_in_jar_persists_too(tmp_path):
    path = tmp_path / "drop-in.jar"
    with cookiejar.CookieJar(path) as jar:
        jar.jar.set_cookie("https://example.com/", "a=1; Max-Age=100")
    with cookiejar.CookieJar(path) as jar:
        assert [(c.name, c.domain) for c in jar] == [("a", "example.com")]
