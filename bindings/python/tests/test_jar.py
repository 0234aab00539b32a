"""The native API: storing and sending, metadata, iteration, management, options, lifetimes."""

from __future__ import annotations

import gc
import pickle
import threading
import weakref
from datetime import datetime, timedelta, timezone

import pytest

import cookiejar
from cookiejar import Cookie, Jar, Priority, SameSite

T0 = 1_750_000_000  # a fixed "now", in seconds
UTC = timezone.utc


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def test_a_cookie_is_stored_and_sent_back():
    jar = Jar()
    jar.set_cookie("https://www.example.com/login", "sid=abc; Domain=example.com; Secure; HttpOnly")
    assert jar.cookie_header("https://api.example.com/") == "sid=abc"
    assert jar.cookie_header("http://api.example.com/") is None  # Secure: not over http
    assert jar.cookie_header("https://example.org/") is None
    assert len(jar) == 1


def test_header_order_is_longest_path_first_then_oldest():
    jar = Jar()
    jar.set_cookie("https://a.example/", "b=2; Path=/", now=T0 + 1)
    jar.set_cookie("https://a.example/", "a=1; Path=/", now=T0)
    jar.set_cookie("https://a.example/", "deep=3; Path=/x/y", now=T0 + 2)
    assert jar.cookie_header("https://a.example/x/y/z", now=T0 + 3) == "deep=3; a=1; b=2"


def test_public_suffix_domain_is_refused_with_its_reason():
    jar = Jar()
    with pytest.raises(cookiejar.PublicSuffixError) as info:
        jar.set_cookie("https://alice.github.io/", "track=1; Domain=github.io")
    error = info.value
    assert isinstance(error, cookiejar.CookieRejected)
    assert error.reason == cookiejar.Status.PUBLIC_SUFFIX == error.status
    assert error.url == "https://alice.github.io/" and error.set_cookie == "track=1; Domain=github.io"
    assert "public suffix" in str(error)
    assert len(jar) == 0


@pytest.mark.parametrize(
    "url, value, error",
    [
        ("https://example.com/", "x=1; Domain=other.org", cookiejar.DomainMismatchError),
        ("http://example.com/", "x=1; Secure", cookiejar.SecureFromInsecureOriginError),
        ("https://example.com/", "__Host-x=1; Secure; Domain=example.com", cookiejar.HostPrefixError),
        ("https://example.com/", "__Secure-x=1", cookiejar.SecurePrefixError),
        ("https://example.com/", "x=1; SameSite=None", cookiejar.SameSiteNoneInsecureError),
        ("https://example.com/", "x=1; Partitioned", cookiejar.PartitionedInsecureError),
        ("https://example.com/", "=", cookiejar.EmptyCookieError),
        ("https://example.com/", "x=1\x01", cookiejar.ControlCharacterError),
    ],
)
def test_each_rule_has_its_exception(url, value, error):
    with pytest.raises(error):
        Jar().set_cookie(url, value)


def test_max_age_zero_deletes():
    jar = Jar()
    jar.set_cookie("https://example.com/", "a=1; Max-Age=60", now=T0)
    jar.set_cookie("https://example.com/", "a=; Max-Age=0", now=T0 + 1)
    assert len(jar) == 0
    assert jar.cookie_header("https://example.com/", now=T0 + 2) is None


def test_metadata_of_a_stored_cookie():
    jar = Jar()
    jar.set_cookie(
        "https://www.example.com/app/page",
        "sid=1; Domain=example.com; Path=/app; Secure; HttpOnly; SameSite=Strict; Priority=High; Max-Age=3600",
        now=T0,
    )
    jar.set_cookie("https://www.example.com/app/page", "plain=2", now=T0 + 1)
    assert jar.cookie_header("https://www.example.com/app/x", now=T0 + 10)
    sid, plain = sorted(jar.cookies(now=T0 + 10), key=lambda c: c.name, reverse=True)
    assert sid == Cookie(
        name="sid", value="1", domain="example.com", path="/app", host_only=False, secure=True,
        http_only=True, same_site=SameSite.STRICT, priority=Priority.HIGH, partition=None,
        expires=at(T0 + 3600), created=at(T0), last_access=at(T0 + 10),
    )
    assert not sid.session and not sid.is_expired(now=T0 + 3599) and sid.is_expired(now=T0 + 3600)
    assert plain.host_only and plain.domain == "www.example.com" and plain.path == "/app"
    assert plain.session and plain.expires is None and plain.created == at(T0 + 1)
    assert plain.same_site is SameSite.DEFAULT and plain.priority is Priority.MEDIUM


def test_now_accepts_seconds_and_datetimes():
    jar = Jar()
    jar.set_cookie("https://example.com/", "a=1; Max-Age=10", now=at(T0))
    assert jar.cookies(now=T0 + 9.5)[0].expires == at(T0 + 10)
    assert jar.cookies(now=at(T0 + 10)) == []  # expired: not listed
    assert len(jar) == 1  # ...but stored until purged
    assert jar.purge_expired(now=T0 + 11) == 1
    assert len(jar) == 0


def test_partitioned_cookie_of_a_cross_site_subresource():
    jar = Jar()
    jar.set_cookie(
        "https://widget.example/embed", "w=1; Secure; SameSite=None; Partitioned",
        top_level_url="https://news.example.org/",
    )
    (cookie,) = jar.cookies()
    assert cookie.partition == "example.org"
    assert jar.cookie_header("https://widget.example/x", top_level_url="https://news.example.org/") == "w=1"
    assert jar.cookie_header("https://widget.example/x", top_level_url="https://shop.example.net/") is None
    assert jar.cookie_header("https://widget.example/x") is None  # its own top level: another partition


def test_same_site_and_navigation_context():
    jar = Jar()
    jar.set_cookie("https://site.example/", "lax=1; SameSite=Lax")
    jar.set_cookie("https://site.example/", "strict=1; SameSite=Strict")
    page = "https://other.example/"
    assert jar.cookie_header("https://site.example/", top_level_url=page) is None
    assert jar.cookie_header("https://site.example/", top_level_url=page, navigation=True) == "lax=1"
    assert jar.cookie_header("https://site.example/", top_level_url=page, navigation=True, unsafe_method=True) is None
    with pytest.raises(cookiejar.SameSiteCrossSiteError):
        jar.set_cookie("https://site.example/", "x=1", top_level_url=page)
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.cookie_header("https://site.example/", unsafe_method=True)


def test_non_http_api_cannot_see_or_set_http_only():
    jar = Jar()
    jar.set_cookie("https://example.com/", "h=1; HttpOnly")
    jar.set_cookie("https://example.com/", "s=2")
    assert jar.cookie_header("https://example.com/", non_http=True) == "s=2"
    with pytest.raises(cookiejar.HttpOnlyFromNonHttpError):
        jar.set_cookie("https://example.com/", "x=1; HttpOnly", non_http=True)


def test_remove_clear_domain_session_and_clear():
    jar = Jar()
    jar.set_cookie("https://www.example.com/", "a=1")
    jar.set_cookie("https://www.example.com/", "b=2; Max-Age=100")
    jar.set_cookie("https://deep.www.example.com/", "c=3")
    jar.set_cookie("https://example.org/", "d=4")
    assert jar.remove("www.example.com", "/", "nope") == 0
    assert jar.remove("www.example.com", "/", "a") == 1
    assert jar.clear_session_cookies() == 2  # c and d
    assert [c.name for c in jar] == ["b"]
    jar.set_cookie("https://deep.www.example.com/", "c=3")
    assert jar.clear_domain("www.example.com") == 2
    jar.set_cookie("https://example.org/", "d=4")
    jar.clear()
    assert len(jar) == 0 and list(jar) == []


def test_limits_evict():
    jar = Jar(max_cookies=5, max_cookies_per_site=3)
    for i in range(4):
        jar.set_cookie("https://a.example/", f"a{i}=1", now=T0 + i)
    assert len(jar) == 3
    for site in "bcd":
        jar.set_cookie(f"https://{site}.example/", "x=1", now=T0 + 10)
    assert len(jar) <= 5


def test_lax_by_default_option():
    lax = Jar(lax_by_default=True)
    none = Jar(lax_by_default=False)
    for jar in (lax, none):
        jar.set_cookie("https://site.example/", "x=1")
    assert lax.cookie_header("https://site.example/", top_level_url="https://other.example/") is None
    assert none.cookie_header("https://site.example/", top_level_url="https://other.example/") == "x=1"
    assert lax.options == {"lax_by_default": True}


@pytest.mark.parametrize(
    "options, error",
    [
        ({"max_cookies": 0}, cookiejar.InvalidArgumentError),
        ({"max_cookies": -1}, cookiejar.InvalidArgumentError),
        ({"max_cookies": 2**64}, cookiejar.InvalidArgumentError),
        ({"max_cookies": "10"}, TypeError),
        ({"max_cookies": True}, TypeError),
        ({"max_cookies_per_site": 1.5}, TypeError),
        ({"lax_by_default": 1}, TypeError),
        ({"durability": "fast"}, cookiejar.InvalidArgumentError),
        ({"durability": 7}, cookiejar.InvalidArgumentError),
        ({"durability": 1.0}, TypeError),
        ({"persist_session_cookies": "yes"}, TypeError),
    ],
)
def test_bad_options(options, error):
    with pytest.raises(error):
        Jar(**options)


def test_unknown_option():
    with pytest.raises(TypeError):
        Jar(colour="blue")  # type: ignore[call-arg]


def test_insert_and_copy_keep_the_cookies_and_their_order():
    jar = Jar()
    jar.set_cookie("https://www.example.com/", "z=1; Domain=example.com; Max-Age=1000; SameSite=Lax; Priority=Low", now=T0)
    jar.set_cookie("https://www.example.com/", "a=2; Secure; HttpOnly", now=T0 + 1)
    jar.set_cookie("https://w.example/", "p=3; Secure; SameSite=None; Partitioned", top_level_url="https://news.example.org/", now=T0 + 2)
    copy = jar.copy(now=T0 + 5)
    assert copy is not jar and copy.cookies(now=T0 + 5) == jar.cookies(now=T0 + 5)
    assert copy.cookie_header("https://www.example.com/", now=T0 + 5) == jar.cookie_header("https://www.example.com/", now=T0 + 5) == "z=1; a=2"
    copy.clear()
    assert len(jar) == 3


def test_insert_refuses_what_a_server_could_not_set():
    jar = Jar()
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.insert(Cookie("a", "1;2", "example.com"))
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.insert(Cookie("a", "1", ""))
    with pytest.raises(cookiejar.PublicSuffixError):
        jar.insert(Cookie("a", "1", "co.uk", host_only=False))
    jar.insert(Cookie("a", "1", "co.uk", host_only=True))  # a host may set its own cookies
    assert jar.cookie_header("https://www.co.uk/") is None
    with pytest.raises(TypeError):
        jar.insert(("a", "1"))  # type: ignore[arg-type]


def test_pickle_an_in_memory_jar(tmp_path):
    jar = Jar(max_cookies=50)
    jar.set_cookie("https://example.com/", "a=1; Max-Age=1000")
    clone = pickle.loads(pickle.dumps(jar))
    assert clone.cookies() == jar.cookies() and clone.options == {"max_cookies": 50}
    with Jar(tmp_path / "j") as file_jar, pytest.raises(TypeError):
        pickle.dumps(file_jar)


def test_close_is_idempotent_and_use_after_close_raises():
    jar = Jar()
    jar.set_cookie("https://example.com/", "a=1")
    jar.close()
    jar.close()
    assert jar.closed
    with pytest.raises(cookiejar.ClosedError):
        jar.cookie_header("https://example.com/")
    with pytest.raises(cookiejar.ClosedError):
        len(jar)
    assert "closed" in repr(jar)


def test_context_manager_closes():
    with Jar() as jar:
        jar.set_cookie("https://example.com/", "a=1")
    assert jar.closed


def test_an_unreferenced_jar_is_freed_by_the_garbage_collector(tmp_path):
    path = tmp_path / "gc.jar"
    jar = Jar(path)
    finalizer = jar._finalizer
    ref = weakref.ref(jar)
    del jar
    gc.collect()
    assert ref() is None and not finalizer.alive
    Jar(path).close()  # the file lock was released by the free


def test_many_threads_share_a_jar_and_one_closes_it():
    jar = Jar(max_cookies=100_000, max_cookies_per_site=100_000)
    errors: list = []
    start = threading.Barrier(9)

    def worker(n: int) -> None:
        start.wait()
        try:
            for i in range(2000):
                jar.set_cookie(f"https://s{n}.example/", f"c{i}=1")
                jar.cookie_header(f"https://s{n}.example/")
        except cookiejar.ClosedError:
            pass
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    start.wait()
    jar.close()  # waits for the calls in flight, then frees; later calls raise ClosedError
    for t in threads:
        t.join()
    assert errors == []
    assert jar.closed


def test_generation_changes_only_on_changes():
    jar = Jar()
    g0 = jar.generation
    jar.cookie_header("https://example.com/")
    list(jar)
    assert jar.generation == g0
    jar.set_cookie("https://example.com/", "a=1")
    g1 = jar.generation
    assert g1 != g0
    with pytest.raises(cookiejar.CookieRejected):
        jar.set_cookie("https://example.com/", "a=1; Domain=com")
    assert jar.generation == g1
    jar.remove("example.com", "/", "a")
    assert jar.generation != g1


def test_repr_and_version():
    jar = Jar()
    assert repr(jar) == "<cookiejar.Jar (memory) 0 cookies>"
    assert cookiejar.library_version.count(".") == 2
    assert cookiejar.PublicSuffixError.__module__ == "cookiejar"


def test_times_far_in_the_future_are_capped_at_400_days():
    jar = Jar()
    jar.set_cookie("https://example.com/", "a=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT", now=T0)
    (cookie,) = jar.cookies(now=T0)
    assert cookie.expires == at(T0) + timedelta(days=400)
