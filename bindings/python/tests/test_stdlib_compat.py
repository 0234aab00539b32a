"""The drop-in CookieJar honours the http.cookiejar contract the way requests and httpx call
it: iteration as real Cookie objects, set_cookie of standard cookies, clear(domain, path,
name), len, copy, extract_cookies/add_cookie_header with their mock request/response types."""

from __future__ import annotations

import copy
import email.message
import http.cookiejar
import pickle
import time
import urllib.request

import httpx
import pytest
import requests
import requests.cookies
from requests.models import PreparedRequest

import cookiejar
from cookiejar import CookieJar, NullCookieJar


def filled() -> CookieJar:
    jar = CookieJar()
    jar.jar.set_cookie("https://www.example.com/", "sid=1; Domain=example.com; Secure; HttpOnly; SameSite=Lax; Max-Age=600")
    jar.jar.set_cookie("https://www.example.com/app", "pref=dark; Path=/app")
    jar.jar.set_cookie("https://www.example.com/", "nameless")
    return jar


def test_iteration_gives_standard_cookies_in_standard_conventions():
    jar = filled()
    cookies = {c.name: c for c in jar}
    assert all(type(c) is http.cookiejar.Cookie for c in cookies.values())
    sid = cookies["sid"]
    assert sid.domain == ".example.com" and sid.domain_specified and sid.secure
    assert sid.has_nonstandard_attr("HttpOnly") and sid.get_nonstandard_attr("SameSite") == "Lax"
    assert sid.expires - time.time() == pytest.approx(600, abs=3) and not sid.discard
    pref = cookies["pref"]
    assert pref.domain == "www.example.com" and not pref.domain_specified and pref.path == "/app"
    assert pref.expires is None and pref.discard
    nameless = cookies["nameless"]  # value-only, as the standard library represents it
    assert nameless.value is None
    assert len(jar) == 3


def test_iterated_cookies_are_copies():
    jar = filled()
    for c in jar:
        c.value = "changed"
    assert "changed" not in {c.value for c in jar}


def test_standard_jar_sends_what_the_copy_holds():
    """What requests does with it: copy into a RequestsCookieJar and let it match."""
    jar = filled()
    merged = requests.cookies.merge_cookies(requests.cookies.RequestsCookieJar(), jar)
    prepared = requests.Request("GET", "https://www.example.com/app/x").prepare()
    assert requests.cookies.get_cookie_header(merged, prepared) == "pref=dark; sid=1; nameless"
    assert requests.utils.dict_from_cookiejar(jar) == {"sid": "1", "pref": "dark", "nameless": None}


def test_add_cookie_header_uses_the_engine():
    jar = filled()
    request = urllib.request.Request("https://www.example.com/app/x")
    jar.add_cookie_header(request)
    assert request.get_header("Cookie") == "pref=dark; sid=1; nameless"
    request = urllib.request.Request("https://www.example.com/", headers={"Cookie": "mine=1"})
    jar.add_cookie_header(request)
    assert request.get_header("Cookie") == "mine=1"  # an existing header is left alone


def test_a_request_prepared_with_the_jar_gets_the_engine_header():
    jar = filled()
    prepared = requests.Request("GET", "https://www.example.com/", cookies=jar).prepare()
    assert prepared.headers["Cookie"] == "sid=1; nameless"
    clone = prepared.copy()  # requests' _copy_cookie_jar: must use jar.copy(), never clear ours
    assert clone._cookies is not jar and isinstance(clone._cookies, CookieJar)
    assert len(jar) == 3


def test_extract_cookies_from_a_requests_style_response():
    jar = CookieJar()
    msg = email.message.Message()
    msg["Set-Cookie"] = "a=1; Path=/"
    msg["Set-Cookie"] = "b=2; Domain=com"  # refused, silently
    msg["Set-Cookie"] = "c=3; Max-Age=60"
    prepared = PreparedRequest()
    prepared.prepare(method="GET", url="https://shop.example/")
    jar.extract_cookies(requests.cookies.MockResponse(msg), requests.cookies.MockRequest(prepared))
    assert sorted(c.name for c in jar) == ["a", "c"]


def test_set_cookie_accepts_standard_cookies():
    jar = CookieJar()
    jar.set_cookie(http.cookiejar.Cookie(0, "a", "1", None, False, "example.com", False, False, "/", True,
                                         False, None, True, None, None, {}))  # as parsed: host-only
    jar.set_cookie(requests.cookies.create_cookie("b", "2", domain=".example.com", path="/p", secure=True,
                                                  rest={"SameSite": "Strict"}, expires=int(time.time()) + 100))
    (b, a) = sorted(jar.jar, key=lambda c: c.name, reverse=True)
    assert a.host_only and a.domain == "example.com" and a.session
    assert not b.host_only and b.path == "/p" and b.secure and b.same_site is cookiejar.SameSite.STRICT
    assert b.expires is not None
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.set_cookie(requests.cookies.create_cookie("nodomain", "1"))
    with pytest.raises(cookiejar.PublicSuffixError):
        jar.set_cookie(requests.cookies.create_cookie("super", "1", domain=".co.uk"))


def test_round_trip_through_standard_cookies():
    jar = filled()
    other = CookieJar()
    for c in jar:
        other.set_cookie(c)
    assert [(c.name, c.value, c.domain, c.path, c.host_only, c.secure, c.http_only, c.same_site, c.expires)
            for c in other.jar] == [
        (c.name, c.value, c.domain, c.path, c.host_only, c.secure, c.http_only, c.same_site,
         c.expires and c.expires.replace(microsecond=0)) for c in jar.jar
    ]


def test_clear_has_the_standard_meaning():
    jar = filled()
    jar.jar.set_cookie("https://example.org/", "x=1")
    with pytest.raises(KeyError):
        jar.clear("www.example.com", "/", "missing")
    jar.clear("www.example.com", "/app", "pref")
    assert sorted(c.name for c in jar) == ["nameless", "sid", "x"]
    jar.clear(".example.com")
    assert sorted(c.name for c in jar) == ["nameless", "x"]
    jar.clear("www.example.com", "/")
    assert [c.name for c in jar] == ["x"]
    jar.clear()
    assert len(jar) == 0


def test_clear_session_and_expired():
    jar = filled()
    jar.clear_session_cookies()
    assert [c.name for c in jar] == ["sid"]
    jar.jar.set_cookie("https://a.example/", "old=1; Max-Age=1", now=time.time() - 10)
    assert len(jar) == 2
    jar.clear_expired_cookies()
    assert len(jar) == 1


def test_copy_is_independent_and_never_shares_the_handle():
    jar = filled()
    for other in (jar.copy(), copy.copy(jar), copy.deepcopy(jar), pickle.loads(pickle.dumps(jar))):
        assert other.jar is not jar.jar
        assert sorted(c.name for c in other) == sorted(c.name for c in jar)
        other.clear()
    assert len(jar) == 3


def test_iteration_cache_follows_changes_and_expiry():
    jar = CookieJar()
    jar.jar.set_cookie("https://a.example/", "a=1; Max-Age=1")
    assert [c.name for c in jar] == ["a"]
    jar.jar.set_cookie("https://a.example/", "b=1")
    assert sorted(c.name for c in jar) == ["a", "b"]
    expires = jar.jar.cookies()[0].expires.timestamp()  # the engine keeps whole seconds
    time.sleep(max(0.0, expires - time.time()) + 0.05)
    assert [c.name for c in jar] == ["b"]


def test_httpx_cookies_api_on_the_jar():
    jar = filled()
    cookies = httpx.Cookies(jar)
    assert cookies.jar is jar and bool(cookies) and len(cookies) == 3
    assert cookies.get("sid") == "1" and cookies.get("pref", domain="www.example.com") == "dark"
    cookies.set("added", "yes", domain="example.org")
    assert jar.jar.cookie_header("https://example.org/") == "added=yes"
    cookies.delete("pref")
    assert "pref" not in {c.name for c in jar}
    cookies.delete("sid", domain=".example.com", path="/")
    assert "sid" not in {c.name for c in jar}
    merged = httpx.Cookies(cookies)  # what httpx does per request: a standard copy
    assert type(merged.jar) is http.cookiejar.CookieJar and len(merged.jar) == 2


def test_requests_session_accepts_it():
    session = requests.Session()
    session.cookies = CookieJar()  # type: ignore[assignment]
    session.cookies.jar.set_cookie("https://example.com/", "a=1")
    prepared = session.prepare_request(requests.Request("GET", "https://example.com/"))
    assert prepared.headers["Cookie"] == "a=1"
    session.close()


def test_null_jar_keeps_nothing():
    jar = NullCookieJar()
    jar.set_cookie(http.cookiejar.Cookie(0, "a", "1", None, False, "example.com", False, False, "/", True,
                                         False, None, True, None, None, {}))  # as parsed: host-only
    assert list(jar) == [] and len(jar) == 0 and jar.make_cookies(None, None) == []
    request = urllib.request.Request("https://example.com/")
    jar.add_cookie_header(request)
    assert not request.has_header("Cookie")
    assert isinstance(jar.copy(), NullCookieJar)
    session = requests.Session()
    session.cookies = jar  # type: ignore[assignment]
    assert "Cookie" not in session.prepare_request(requests.Request("GET", "https://example.com/")).headers


def test_wrapping_an_existing_jar():
    engine = cookiejar.Jar()
    jar = CookieJar(jar=engine)
    assert jar.jar is engine
    with pytest.raises(TypeError):
        CookieJar(jar=engine, max_cookies=3)
    with pytest.raises(TypeError):
        CookieJar(jar="not a jar")  # type: ignore[arg-type]
    limited = CookieJar(max_cookies=2)
    for i in range(3):
        limited.jar.set_cookie(f"https://s{i}.example/", "a=1")
    assert len(limited) == 2
