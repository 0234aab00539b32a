//! The C ABI, called from Rust exactly as C calls it: raw pointers, NUL-terminated strings,
//! status codes, out-parameters and the per-thread last error.

use std::ffi::{c_char, c_int, CStr, CString};
use std::mem::MaybeUninit;
use std::ptr;

use cj_status::*;
use cookiejar::ffi::*;

const T0: i64 = 1_750_000_000_000;

/// A jar for one test, freed on drop.
struct Jar(*mut cj_jar);

impl Jar {
    fn new() -> Jar {
        let mut jar = ptr::null_mut();
        assert_eq!(unsafe { cj_jar_new(&mut jar) }, CJ_STATUS_OK);
        assert!(!jar.is_null());
        Jar(jar)
    }

    fn set(&self, url: &str, cookie: &str) -> cj_status {
        let (url, cookie) = (c(url), c(cookie));
        unsafe { cj_jar_set_cookie(self.0, url.as_ptr(), cookie.as_ptr(), T0) }
    }

    fn set_in(&self, url: &str, top: &str, cookie: &str) -> cj_status {
        let (url, top, cookie) = (c(url), c(top), c(cookie));
        unsafe { cj_jar_set_cookie_in(self.0, url.as_ptr(), top.as_ptr(), cookie.as_ptr(), T0) }
    }

    fn set_ex(&self, url: &str, flags: cj_request_flags, cookie: &str) -> cj_status {
        let (url, cookie) = (c(url), c(cookie));
        unsafe {
            cj_jar_set_cookie_ex(
                self.0,
                url.as_ptr(),
                ptr::null(),
                flags,
                cookie.as_ptr(),
                T0,
            )
        }
    }

    fn header(&self, url: &str) -> Option<String> {
        self.header_at(url, T0)
    }

    fn header_at(&self, url: &str, now: i64) -> Option<String> {
        let url = c(url);
        let mut out = ptr::null_mut();
        assert_eq!(
            unsafe { cj_jar_cookie_header(self.0, url.as_ptr(), now, &mut out) },
            CJ_STATUS_OK,
            "{}",
            last_error()
        );
        take_string(out)
    }

    fn header_ex(
        &self,
        url: &str,
        initiator: Option<&str>,
        flags: cj_request_flags,
    ) -> Option<String> {
        let url = c(url);
        let initiator = initiator.map(c);
        let initiator = initiator.as_ref().map_or(ptr::null(), |s| s.as_ptr());
        let mut out = ptr::null_mut();
        let status = unsafe {
            cj_jar_cookie_header_ex(self.0, url.as_ptr(), initiator, flags, T0, &mut out)
        };
        assert_eq!(status, CJ_STATUS_OK, "{}", last_error());
        take_string(out)
    }
}

impl Drop for Jar {
    fn drop(&mut self) {
        unsafe { cj_jar_free(self.0) }
    }
}

/// A recognisable non-NULL value for an out-parameter: a failing call must leave it there.
fn sentinel() -> *mut c_char {
    static SENTINEL: c_char = 0;
    ptr::addr_of!(SENTINEL).cast_mut()
}

fn c(s: &str) -> CString {
    CString::new(s).unwrap()
}

/// Copies and frees a string the library returned.
fn take_string(p: *mut c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
    unsafe { cj_string_free(p) };
    Some(s)
}

fn last_error() -> String {
    let needed = unsafe { cj_last_error(ptr::null_mut(), 0) };
    if needed == 0 {
        return String::new();
    }
    let mut buf = vec![0 as c_char; needed];
    assert_eq!(
        unsafe { cj_last_error(buf.as_mut_ptr(), buf.len()) },
        needed
    );
    unsafe { CStr::from_ptr(buf.as_ptr()) }
        .to_str()
        .unwrap()
        .to_owned()
}

fn name(status: cj_status) -> &'static str {
    unsafe { CStr::from_ptr(cj_status_name(MaybeUninit::new(status))) }
        .to_str()
        .unwrap()
}

// ----- storing and retrieving ------------------------------------------------------------------

#[test]
fn a_stored_cookie_comes_back_in_the_header() {
    let jar = Jar::new();
    assert_eq!(
        jar.set(
            "https://www.example.com/login",
            "sid=abc; Domain=example.com; Secure"
        ),
        CJ_STATUS_OK
    );
    assert_eq!(
        jar.set("https://www.example.com/login", "lang=en"),
        CJ_STATUS_OK
    );
    assert_eq!(
        jar.header("https://www.example.com/").as_deref(),
        Some("sid=abc; lang=en")
    );
    assert_eq!(
        jar.header("https://api.example.com/").as_deref(),
        Some("sid=abc")
    );
    assert_eq!(
        jar.header("http://www.example.com/").as_deref(),
        Some("lang=en")
    );
    assert_eq!(last_error(), "");
}

#[test]
fn nothing_applies_gives_ok_and_null() {
    let jar = Jar::new();
    let url = c("https://example.com/");
    let mut out = sentinel(); // success must overwrite it with NULL
    assert_eq!(
        unsafe { cj_jar_cookie_header(jar.0, url.as_ptr(), T0, &mut out) },
        CJ_STATUS_OK
    );
    assert!(out.is_null());
}

#[test]
fn utf8_values_round_trip() {
    let jar = Jar::new();
    assert_eq!(
        jar.set("https://example.com/", "greeting=héllo wörld ✓"),
        CJ_STATUS_OK
    );
    assert_eq!(
        jar.header("https://example.com/").as_deref(),
        Some("greeting=héllo wörld ✓")
    );
}

#[test]
fn deleting_and_already_expired_cookies_are_ok() {
    let jar = Jar::new();
    assert_eq!(jar.set("https://example.com/", "a=1"), CJ_STATUS_OK);
    assert_eq!(
        jar.set("https://example.com/", "a=1; Max-Age=0"),
        CJ_STATUS_OK
    ); // Deleted
    assert_eq!(
        jar.set("https://example.com/", "b=1; Max-Age=0"),
        CJ_STATUS_OK
    ); // Expired
    assert_eq!(jar.set("https://example.com/", "c=1"), CJ_STATUS_OK);
    assert_eq!(jar.set("https://example.com/", "c=2"), CJ_STATUS_OK); // Replaced
    assert_eq!(jar.header("https://example.com/").as_deref(), Some("c=2"));
}

#[test]
fn now_ms_is_pinned_and_negative_means_the_system_clock() {
    let jar = Jar::new();
    assert_eq!(
        jar.set("https://example.com/", "short=1; Max-Age=10"),
        CJ_STATUS_OK
    );
    assert_eq!(
        jar.header_at("https://example.com/", T0 + 9_000).as_deref(),
        Some("short=1")
    );
    assert_eq!(jar.header_at("https://example.com/", T0 + 11_000), None);

    // Expires in 2100: alive by the system clock, dead at a pinned time after it.
    let url = c("https://example.org/");
    let cookie = c("far=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT");
    assert_eq!(
        unsafe { cj_jar_set_cookie(jar.0, url.as_ptr(), cookie.as_ptr(), -1) },
        CJ_STATUS_OK
    );
    assert_eq!(
        jar.header_at("https://example.org/", -1).as_deref(),
        Some("far=1")
    );
    assert_eq!(
        jar.header_at("https://example.org/", i64::MIN).as_deref(),
        Some("far=1")
    );
    assert_eq!(
        jar.header_at("https://example.org/", 4_200_000_000_000),
        None
    );
}

#[test]
fn a_cross_site_subresource_does_not_get_lax_cookies() {
    let jar = Jar::new();
    assert_eq!(jar.set("https://shop.example/", "lax=1"), CJ_STATUS_OK);
    assert_eq!(
        jar.set("https://shop.example/", "none=1; SameSite=None; Secure"),
        CJ_STATUS_OK
    );
    let url = c("https://shop.example/img.png");
    for (top, expected) in [
        (c("https://news.example.org/"), "none=1"),
        (c("https://www.shop.example/"), "lax=1; none=1"),
    ] {
        let mut out = ptr::null_mut();
        let status =
            unsafe { cj_jar_cookie_header_in(jar.0, url.as_ptr(), top.as_ptr(), T0, &mut out) };
        assert_eq!(status, CJ_STATUS_OK);
        assert_eq!(take_string(out).as_deref(), Some(expected));
    }
    // NULL top level: the request is its own top level.
    let mut out = ptr::null_mut();
    let status = unsafe { cj_jar_cookie_header_in(jar.0, url.as_ptr(), ptr::null(), T0, &mut out) };
    assert_eq!(status, CJ_STATUS_OK);
    assert_eq!(take_string(out).as_deref(), Some("lax=1; none=1"));
}

#[test]
fn partitioned_cookies_stay_in_their_top_level_site() {
    let jar = Jar::new();
    let cookie = "chip=1; SameSite=None; Secure; Partitioned; Path=/";
    assert_eq!(
        jar.set_in("https://embed.example/", "https://a.example.org/", cookie),
        CJ_STATUS_OK
    );
    let url = c("https://embed.example/");
    let header_under = |top: &str| {
        let top = c(top);
        let mut out = ptr::null_mut();
        let status =
            unsafe { cj_jar_cookie_header_in(jar.0, url.as_ptr(), top.as_ptr(), T0, &mut out) };
        assert_eq!(status, CJ_STATUS_OK);
        take_string(out)
    };
    assert_eq!(
        header_under("https://a.example.org/").as_deref(),
        Some("chip=1")
    );
    assert_eq!(header_under("https://b.example.net/"), None);
}

#[test]
fn request_flags_describe_navigations_and_non_http_apis() {
    let jar = Jar::new();
    assert_eq!(
        jar.set("https://shop.example/", "lax=1; SameSite=Lax"),
        CJ_STATUS_OK
    );
    assert_eq!(
        jar.set("https://shop.example/", "secret=1; HttpOnly; SameSite=Lax"),
        CJ_STATUS_OK
    );
    let from = Some("https://elsewhere.example.org/");
    let url = "https://shop.example/";
    assert_eq!(jar.header_ex(url, from, 0).as_deref(), None);
    assert_eq!(
        jar.header_ex(url, from, CJ_REQUEST_NAVIGATION).as_deref(),
        Some("lax=1; secret=1")
    );
    assert_eq!(
        jar.header_ex(url, from, CJ_REQUEST_NAVIGATION | CJ_REQUEST_UNSAFE_METHOD)
            .as_deref(),
        None
    );
    assert_eq!(
        jar.header_ex(url, None, CJ_REQUEST_NON_HTTP).as_deref(),
        Some("lax=1")
    );
    assert_eq!(
        jar.header_ex(url, None, 0).as_deref(),
        Some("lax=1; secret=1")
    );
}

#[test]
fn bad_flags_are_invalid_arguments() {
    let jar = Jar::new();
    assert_eq!(
        jar.set_ex("https://example.com/", 1 << 31, "a=1"),
        CJ_STATUS_INVALID_ARGUMENT
    );
    assert!(
        last_error().contains("unknown bits 0x80000000"),
        "{}",
        last_error()
    );
    assert_eq!(
        jar.set_ex("https://example.com/", CJ_REQUEST_UNSAFE_METHOD, "a=1"),
        CJ_STATUS_INVALID_ARGUMENT
    );
    assert!(
        last_error().contains("CJ_REQUEST_UNSAFE_METHOD"),
        "{}",
        last_error()
    );
    assert_eq!(jar.header("https://example.com/"), None);
}

// ----- one status per rejection --------------------------------------------------------------

/// Sets `cookie` for `url` on a fresh jar and checks the status, its number, its name and
/// that the message names the rule.
fn assert_rejected(status: cj_status, code: c_int, expected: cj_status, message_part: &str) {
    assert_eq!(status, expected, "{}", last_error());
    assert_eq!(status as c_int, code);
    assert_eq!(name(status), format!("{expected:?}"));
    let message = last_error();
    assert!(message.starts_with("cj_jar_set_cookie"), "{message}");
    assert!(
        message.contains(message_part),
        "{message:?} lacks {message_part:?}"
    );
}

#[test]
fn every_rejection_has_its_own_status() {
    let https = "https://www.example.com/";
    let http = "http://www.example.com/";
    let fresh = Jar::new;

    assert_rejected(
        fresh().set(https, "a=b\u{1}c"),
        100,
        CJ_STATUS_CONTROL_CHARACTER,
        "control character",
    );
    let long = format!("a={}", "x".repeat(4096));
    assert_rejected(
        fresh().set(https, &long),
        101,
        CJ_STATUS_NAME_VALUE_TOO_LONG,
        "4096",
    );
    assert_rejected(
        fresh().set(https, "; Path=/"),
        102,
        CJ_STATUS_EMPTY_COOKIE,
        "neither a name nor a value",
    );
    assert_rejected(
        fresh().set(https, "a=b; Domain=exämple.com"),
        103,
        CJ_STATUS_NON_ASCII_DOMAIN,
        "not ASCII",
    );
    assert_rejected(
        fresh().set(https, "a=b; Domain=exa mple.com"),
        104,
        CJ_STATUS_INVALID_DOMAIN,
        "not a valid host",
    );
    assert_rejected(
        fresh().set(https, "a=b; Domain=com"),
        105,
        CJ_STATUS_PUBLIC_SUFFIX,
        "public suffix",
    );
    assert_rejected(
        fresh().set(https, "a=b; Domain=other.org"),
        106,
        CJ_STATUS_DOMAIN_MISMATCH,
        "domain-match",
    );
    assert_rejected(
        fresh().set(http, "a=b; Secure"),
        107,
        CJ_STATUS_SECURE_FROM_INSECURE_ORIGIN,
        "secure origin",
    );
    assert_rejected(
        fresh().set_ex(https, CJ_REQUEST_NON_HTTP, "a=b; HttpOnly"),
        108,
        CJ_STATUS_HTTP_ONLY_FROM_NON_HTTP,
        "non-HTTP API",
    );
    let jar = fresh();
    assert_eq!(jar.set(https, "a=1; Secure"), CJ_STATUS_OK);
    assert_rejected(
        jar.set(http, "a=2"),
        109,
        CJ_STATUS_OVERWRITE_SECURE,
        "Secure cookie",
    );
    assert_rejected(
        fresh().set_in(https, "https://news.example.org/", "a=b; SameSite=Lax"),
        110,
        CJ_STATUS_SAME_SITE_CROSS_SITE,
        "cross-site",
    );
    assert_rejected(
        fresh().set(https, "a=b; SameSite=None"),
        111,
        CJ_STATUS_SAME_SITE_NONE_INSECURE,
        "SameSite=None",
    );
    assert_rejected(
        fresh().set(https, "__Secure-a=b"),
        112,
        CJ_STATUS_SECURE_PREFIX,
        "__Secure-",
    );
    assert_rejected(
        fresh().set(https, "__Host-a=b; Secure"),
        113,
        CJ_STATUS_HOST_PREFIX,
        "__Host-",
    );
    assert_rejected(
        fresh().set(https, "__Host-abc"),
        114,
        CJ_STATUS_NAMELESS_PREFIX,
        "nameless",
    );
    assert_rejected(
        fresh().set(https, "a=b; Partitioned"),
        115,
        CJ_STATUS_PARTITIONED_INSECURE,
        "Partitioned",
    );
    let jar = fresh();
    assert_eq!(jar.set(https, "a=1; HttpOnly"), CJ_STATUS_OK);
    assert_rejected(
        jar.set_ex(https, CJ_REQUEST_NON_HTTP, "a=2"),
        116,
        CJ_STATUS_OVERWRITE_HTTP_ONLY,
        "overwrite an HttpOnly",
    );
    assert_eq!(jar.header(https).as_deref(), Some("a=1"));
    // A Path attribute over 1024 bytes is ignored (§5.6), but the default path comes from
    // the request URL, which can be longer.
    let long_url = format!("https://www.example.com/{}/page", "p".repeat(1100));
    assert_rejected(
        fresh().set(&long_url, "a=b"),
        117,
        CJ_STATUS_FIELD_TOO_LONG,
        "longer than 1024 bytes",
    );
}

// ----- bad arguments ---------------------------------------------------------------------------

fn assert_null_argument(status: cj_status, argument: &str) {
    assert_eq!(status, CJ_STATUS_NULL_ARGUMENT);
    let message = last_error();
    assert!(
        message.contains(&format!("`{argument}` is NULL")),
        "{message}"
    );
}

#[test]
fn every_null_pointer_argument_is_reported_by_name() {
    let jar = Jar::new();
    let url = c("https://example.com/");
    let top = c("https://example.org/");
    let cookie = c("a=1");
    let (j, u, t, k) = (jar.0, url.as_ptr(), top.as_ptr(), cookie.as_ptr());
    let null = ptr::null::<c_char>();
    let mut out = sentinel();
    let o: *mut *mut c_char = &mut out;
    let no_out = ptr::null_mut::<*mut c_char>();
    let no_jar = ptr::null_mut::<cj_jar>();

    unsafe {
        assert_null_argument(cj_jar_new(ptr::null_mut()), "out");

        assert_null_argument(cj_jar_set_cookie(no_jar, u, k, T0), "jar");
        assert_null_argument(cj_jar_set_cookie(j, null, k, T0), "request_url");
        assert_null_argument(cj_jar_set_cookie(j, u, null, T0), "set_cookie_value");

        assert_null_argument(cj_jar_cookie_header(no_jar, u, T0, o), "jar");
        assert_null_argument(cj_jar_cookie_header(j, null, T0, o), "request_url");
        assert_null_argument(cj_jar_cookie_header(j, u, T0, no_out), "out");

        assert_null_argument(cj_jar_set_cookie_in(no_jar, u, t, k, T0), "jar");
        assert_null_argument(cj_jar_set_cookie_in(j, null, t, k, T0), "request_url");
        assert_null_argument(cj_jar_set_cookie_in(j, u, t, null, T0), "set_cookie_value");

        assert_null_argument(cj_jar_cookie_header_in(no_jar, u, t, T0, o), "jar");
        assert_null_argument(cj_jar_cookie_header_in(j, null, t, T0, o), "request_url");
        assert_null_argument(cj_jar_cookie_header_in(j, u, t, T0, no_out), "out");

        assert_null_argument(cj_jar_set_cookie_ex(no_jar, u, t, 0, k, T0), "jar");
        assert_null_argument(cj_jar_set_cookie_ex(j, null, t, 0, k, T0), "request_url");
        assert_null_argument(
            cj_jar_set_cookie_ex(j, u, t, 0, null, T0),
            "set_cookie_value",
        );

        assert_null_argument(cj_jar_cookie_header_ex(no_jar, u, t, 0, T0, o), "jar");
        assert_null_argument(cj_jar_cookie_header_ex(j, null, t, 0, T0, o), "request_url");
        assert_null_argument(cj_jar_cookie_header_ex(j, u, t, 0, T0, no_out), "out");

        // NULL where NULL means something, or nothing.
        assert_eq!(cj_jar_set_cookie_in(j, u, null, k, T0), CJ_STATUS_OK);
        assert_eq!(cj_jar_set_cookie_ex(j, u, null, 0, k, T0), CJ_STATUS_OK);
        cj_jar_free(ptr::null_mut());
        cj_string_free(ptr::null_mut());
    }
    assert_eq!(out, sentinel(), "*out was written by a failing call");
}

#[test]
fn invalid_utf8_is_reported_for_urls_and_cookies() {
    let jar = Jar::new();
    let bad_url = CString::new(b"https://ex\xffample.com/".to_vec()).unwrap();
    let bad_cookie = CString::new(b"a=\xc3\x28".to_vec()).unwrap();
    let url = c("https://example.com/");
    let cookie = c("a=1");
    unsafe {
        assert_eq!(
            cj_jar_set_cookie(jar.0, bad_url.as_ptr(), cookie.as_ptr(), T0),
            CJ_STATUS_INVALID_UTF8
        );
        assert!(
            last_error().contains("`request_url` is not valid UTF-8 (bad byte at offset 10)"),
            "{}",
            last_error()
        );
        assert_eq!(
            cj_jar_set_cookie(jar.0, url.as_ptr(), bad_cookie.as_ptr(), T0),
            CJ_STATUS_INVALID_UTF8
        );
        assert!(
            last_error().contains("`set_cookie_value` is not valid UTF-8"),
            "{}",
            last_error()
        );
        assert_eq!(
            cj_jar_set_cookie_in(jar.0, url.as_ptr(), bad_url.as_ptr(), cookie.as_ptr(), T0),
            CJ_STATUS_INVALID_UTF8
        );
        assert!(last_error().contains("`top_level_url`"), "{}", last_error());
        let mut out = sentinel();
        assert_eq!(
            cj_jar_cookie_header(jar.0, bad_url.as_ptr(), T0, &mut out),
            CJ_STATUS_INVALID_UTF8
        );
        assert_eq!(out, sentinel());
    }
    assert_eq!(jar.header("https://example.com/"), None);
}

#[test]
fn unusable_urls_are_reported() {
    let jar = Jar::new();
    assert_eq!(jar.set("not a url", "a=1"), CJ_STATUS_INVALID_URL);
    assert!(
        last_error().contains("`request_url`: not a valid URL"),
        "{}",
        last_error()
    );
    assert_eq!(jar.set("/relative/path", "a=1"), CJ_STATUS_INVALID_URL);
    assert_eq!(
        jar.set("ftp://example.com/file", "a=1"),
        CJ_STATUS_UNSUPPORTED_SCHEME
    );
    assert!(last_error().contains("\"ftp\""), "{}", last_error());
    assert_eq!(
        jar.set_in("https://example.com/", "::nonsense", "a=1"),
        CJ_STATUS_INVALID_URL
    );
    assert!(last_error().contains("`top_level_url`"), "{}", last_error());

    let url = c("ftp://example.com/");
    let mut out = sentinel();
    assert_eq!(
        unsafe { cj_jar_cookie_header(jar.0, url.as_ptr(), T0, &mut out) },
        CJ_STATUS_UNSUPPORTED_SCHEME
    );
    assert_eq!(out, sentinel(), "*out was written by a failing call");

    // A top-level page without a host (file:) is on no site: every request is cross-site.
    assert_eq!(
        jar.set_in("https://example.com/", "file:///home/me/page.html", "a=1"),
        CJ_STATUS_SAME_SITE_CROSS_SITE
    );
}

// ----- the last error --------------------------------------------------------------------------

#[test]
fn the_last_error_is_cleared_by_the_next_call_and_survives_frees_and_names() {
    let jar = Jar::new();
    assert_eq!(
        jar.set("https://www.example.com/", "a=b; Domain=com"),
        CJ_STATUS_PUBLIC_SUFFIX
    );
    let message = "cj_jar_set_cookie: cookie ignored: the Domain attribute is a public suffix (a supercookie)";
    assert_eq!(last_error(), message);

    // Infallible calls leave it alone...
    unsafe {
        cj_string_free(ptr::null_mut());
        cj_jar_free(ptr::null_mut());
        let _ = cj_version();
        let _ = cj_status_name(MaybeUninit::new(CJ_STATUS_PUBLIC_SUFFIX));
    }
    assert_eq!(last_error(), message);
    // ...every status-returning call clears it.
    assert_eq!(jar.set("https://www.example.com/", "a=b"), CJ_STATUS_OK);
    assert_eq!(unsafe { cj_last_error(ptr::null_mut(), 100) }, 0);
    assert_eq!(last_error(), "");
}

#[test]
fn the_last_error_is_truncated_to_the_buffer() {
    let jar = Jar::new();
    assert_eq!(
        jar.set("https://www.example.com/", "a=b; Domain=com"),
        CJ_STATUS_PUBLIC_SUFFIX
    );
    let full = last_error();
    let needed = full.len() + 1;

    let mut buf = [0x7f as c_char; 11];
    assert_eq!(
        unsafe { cj_last_error(buf.as_mut_ptr(), buf.len()) },
        needed
    );
    assert_eq!(
        unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap(),
        &full[..10]
    );

    // len 1: only the NUL; len 0 and NULL: nothing written, the size still returned.
    let mut one = [0x7f as c_char; 2];
    assert_eq!(unsafe { cj_last_error(one.as_mut_ptr(), 1) }, needed);
    assert_eq!(one, [0, 0x7f]);
    assert_eq!(unsafe { cj_last_error(one.as_mut_ptr(), 0) }, needed);
    assert_eq!(unsafe { cj_last_error(ptr::null_mut(), 1000) }, needed);

    // Exactly the needed size holds the whole message.
    let mut exact = vec![0x7f as c_char; needed];
    assert_eq!(unsafe { cj_last_error(exact.as_mut_ptr(), needed) }, needed);
    assert_eq!(
        unsafe { CStr::from_ptr(exact.as_ptr()) }.to_str().unwrap(),
        full
    );
}

#[test]
fn the_last_error_is_per_thread() {
    let jar = Jar::new();
    assert_eq!(jar.set("ftp://x/", "a=1"), CJ_STATUS_UNSUPPORTED_SCHEME);
    let handle = SendPtr(jar.0);
    std::thread::spawn(move || {
        let handle = handle;
        assert_eq!(last_error(), "");
        let (u, k) = (c("https://example.com/"), c("a=1"));
        assert_eq!(
            unsafe { cj_jar_set_cookie(handle.0, u.as_ptr(), k.as_ptr(), T0) },
            CJ_STATUS_OK
        );
    })
    .join()
    .unwrap();
    assert!(last_error().contains("\"ftp\""));
}

// ----- panics ------------------------------------------------------------------------------------

#[test]
fn a_panic_becomes_a_status_and_leaves_the_out_parameter_alone() {
    let jar = Jar::new();
    assert_eq!(jar.set("https://example.com/", "a=1"), CJ_STATUS_OK);

    cookiejar::ffi::testing::panic_in_next_call();
    let url = c("https://example.com/");
    let mut out = sentinel();
    let status = unsafe { cj_jar_cookie_header(jar.0, url.as_ptr(), T0, &mut out) };
    assert_eq!(status, CJ_STATUS_PANIC);
    assert_eq!(status as c_int, 900);
    assert_eq!(out, sentinel());
    let message = last_error();
    assert!(
        message.starts_with("cj_jar_cookie_header: panicked: forced by"),
        "{message}"
    );

    // The hook fires once; the jar still works.
    assert_eq!(jar.header("https://example.com/").as_deref(), Some("a=1"));
}

// ----- threads -----------------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct SendPtr(*mut cj_jar);
// SAFETY: cj_jar is documented (and asserted in the crate) to be usable from many threads.
unsafe impl Send for SendPtr {}

#[test]
fn many_threads_share_one_handle() {
    let jar = Jar::new();
    let handle = SendPtr(jar.0);
    let threads: Vec<_> = (0..8)
        .map(|t| {
            std::thread::spawn(move || {
                let handle = handle;
                let url = c(&format!("https://www.site{t}.com/"));
                for i in 0..150 {
                    let cookie = c(&format!("c{i}={t}"));
                    let status =
                        unsafe { cj_jar_set_cookie(handle.0, url.as_ptr(), cookie.as_ptr(), T0) };
                    assert_eq!(status, CJ_STATUS_OK);
                    let mut out = ptr::null_mut();
                    let status =
                        unsafe { cj_jar_cookie_header(handle.0, url.as_ptr(), T0, &mut out) };
                    assert_eq!(status, CJ_STATUS_OK);
                    let header = take_string(out).unwrap();
                    assert!(header.contains(&format!("c{i}={t}")));
                    // Also one failure per round, to exercise the per-thread message.
                    assert_eq!(
                        unsafe { cj_jar_set_cookie(handle.0, url.as_ptr(), ptr::null(), T0) },
                        CJ_STATUS_NULL_ARGUMENT
                    );
                    assert!(last_error().contains("set_cookie_value"));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    // One site per thread, under the per-site limit (180): every cookie is there.
    for t in 0..8 {
        let header = jar.header(&format!("https://www.site{t}.com/")).unwrap();
        assert_eq!(header.split("; ").count(), 150);
        assert!(header.contains(&format!("c149={t}")));
    }
}

// ----- names, version, the header ---------------------------------------------------------------

fn name_of_raw(raw: c_int) -> String {
    // SAFETY (of the transmute): `cj_status` is a C enum, as wide as `c_int`; `cj_status_name`
    // takes it as `MaybeUninit` precisely so that any integer may be passed.
    let status = unsafe { std::mem::transmute::<c_int, MaybeUninit<cj_status>>(raw) };
    let name = unsafe { CStr::from_ptr(cj_status_name(status)) };
    name.to_str().unwrap().to_owned()
}

/// The statuses the committed header declares are exactly those with a name at run time: the
/// runtime table and the generated enum cannot disagree.
#[test]
fn status_names_match_the_header() {
    let header = include_str!("../include/cookiejar.h");
    let mut declared = Vec::new();
    for line in header.lines() {
        let Some(rest) = line.trim().strip_prefix("CJ_STATUS_") else {
            continue;
        };
        let (n, value) = rest.trim_end_matches(',').split_once(" = ").unwrap();
        declared.push((value.parse::<c_int>().unwrap(), format!("CJ_STATUS_{n}")));
    }
    assert!(declared.len() >= 25, "{declared:?}");
    let named: Vec<(c_int, String)> = (-1..1000)
        .map(|raw| (raw, name_of_raw(raw)))
        .filter(|(_, name)| name != "CJ_STATUS_UNKNOWN")
        .collect();
    assert_eq!(named, declared);
    assert_eq!(name_of_raw(c_int::MAX), "CJ_STATUS_UNKNOWN");
    assert_eq!(name_of_raw(c_int::MIN), "CJ_STATUS_UNKNOWN");
}

#[test]
fn the_version_is_the_crate_version() {
    let v = unsafe { CStr::from_ptr(cj_version()) };
    assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

#[test]
fn file_jars_open_persist_flush_and_report_storage_errors() {
    let dir = std::env::temp_dir().join(format!("cookiejar-ffi-open-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = c(dir.join("jar").to_str().unwrap());

    let mut raw = ptr::null_mut();
    assert_eq!(
        unsafe { cj_jar_open(path.as_ptr(), &mut raw) },
        CJ_STATUS_OK
    );
    let jar = Jar(raw);
    // Stored at the system clock (a negative now_ms), so it is still alive on reopen.
    let (url, cookie) = (c("https://example.com/"), c("sid=1; Max-Age=3600"));
    assert_eq!(
        unsafe { cj_jar_set_cookie(jar.0, url.as_ptr(), cookie.as_ptr(), -1) },
        CJ_STATUS_OK
    );
    assert_eq!(unsafe { cj_jar_flush(jar.0) }, CJ_STATUS_OK);

    // A second open of the same file is refused while the first is open; *out untouched.
    let mut second = 0x10 as *mut cj_jar;
    assert_eq!(
        unsafe { cj_jar_open(path.as_ptr(), &mut second) },
        CJ_STATUS_LOCKED
    );
    assert_eq!(second, 0x10 as *mut cj_jar);
    assert!(last_error().contains("locked"), "{}", last_error());
    drop(jar);

    let mut raw = ptr::null_mut();
    assert_eq!(
        unsafe { cj_jar_open(path.as_ptr(), &mut raw) },
        CJ_STATUS_OK
    );
    let jar = Jar(raw);
    let now = cookiejar::now_ms();
    assert_eq!(
        jar.header_at("https://example.com/", now),
        Some("sid=1".into())
    );
    drop(jar);

    // Not a jar file: refused and left untouched.
    let other = dir.join("notes.txt");
    std::fs::write(&other, b"hello").unwrap();
    let other_c = c(other.to_str().unwrap());
    let mut raw = ptr::null_mut();
    assert_eq!(
        unsafe { cj_jar_open(other_c.as_ptr(), &mut raw) },
        CJ_STATUS_NOT_A_JAR_FILE
    );
    assert_eq!(std::fs::read(&other).unwrap(), b"hello");

    // Bad arguments.
    assert_eq!(
        unsafe { cj_jar_open(ptr::null(), &mut raw) },
        CJ_STATUS_NULL_ARGUMENT
    );
    assert_eq!(
        unsafe { cj_jar_open(c("").as_ptr(), &mut raw) },
        CJ_STATUS_INVALID_ARGUMENT
    );
    assert_eq!(
        unsafe { cj_jar_open(path.as_ptr(), ptr::null_mut()) },
        CJ_STATUS_NULL_ARGUMENT
    );
    assert_eq!(
        unsafe { cj_jar_flush(ptr::null_mut()) },
        CJ_STATUS_NULL_ARGUMENT
    );
    // A directory is not a jar file.
    let dir_c = c(dir.to_str().unwrap());
    assert_ne!(
        unsafe { cj_jar_open(dir_c.as_ptr(), &mut raw) },
        CJ_STATUS_OK
    );
    // Flushing an in-memory jar is a no-op.
    let mem = Jar::new();
    assert_eq!(unsafe { cj_jar_flush(mem.0) }, CJ_STATUS_OK);
    let _ = std::fs::remove_dir_all(&dir);
}

/// One cookie as a visitor saw it: domain, path, name, value, partition, secure, http-only,
/// session.
type Seen1 = (
    String,
    String,
    String,
    String,
    Option<String>,
    bool,
    bool,
    bool,
);

/// What a `cj_jar_for_each_cookie` visitor saw.
#[derive(Default)]
struct Seen {
    cookies: Vec<Seen1>,
    stop_after: usize,
}

unsafe extern "C" fn collect(cookie: *const cj_cookie, user_data: *mut std::ffi::c_void) -> c_int {
    let seen = unsafe { &mut *(user_data as *mut Seen) };
    let c = unsafe { &*cookie };
    let s = |p: *const c_char| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
    let partition = (!c.partition.is_null()).then(|| s(c.partition));
    seen.cookies.push((
        s(c.domain),
        s(c.path),
        s(c.name),
        s(c.value),
        partition,
        c.secure,
        c.http_only,
        c.session,
    ));
    c_int::from(seen.stop_after != 0 && seen.cookies.len() >= seen.stop_after)
}

fn visit(jar: &Jar, stop_after: usize) -> Seen {
    let mut seen = Seen {
        stop_after,
        ..Seen::default()
    };
    let status = unsafe {
        cj_jar_for_each_cookie(jar.0, T0, Some(collect), &mut seen as *mut Seen as *mut _)
    };
    assert_eq!(status, CJ_STATUS_OK, "{}", last_error());
    seen
}

#[test]
fn options_enumeration_and_removal() {
    let mut options = ptr::null_mut();
    assert_eq!(unsafe { cj_options_new(&mut options) }, CJ_STATUS_OK);
    assert_eq!(
        unsafe { cj_options_set_max_cookies_per_site(options, 5) },
        CJ_STATUS_OK
    );
    assert_eq!(
        unsafe { cj_options_set_max_cookies(options, 100) },
        CJ_STATUS_OK
    );
    assert_eq!(
        unsafe { cj_options_set_lax_by_default(options, false) },
        CJ_STATUS_OK
    );
    assert_eq!(
        unsafe { cj_options_set_persist_session_cookies(options, true) },
        CJ_STATUS_OK
    );
    let sync = MaybeUninit::new(cj_durability::CJ_DURABILITY_SYNC);
    assert_eq!(
        unsafe { cj_options_set_durability(options, sync) },
        CJ_STATUS_OK
    );
    // A value outside the enum is refused, not undefined behaviour.
    let bogus: MaybeUninit<cj_durability> = unsafe { std::mem::transmute(7u32) };
    assert_eq!(
        unsafe { cj_options_set_durability(options, bogus) },
        CJ_STATUS_INVALID_ARGUMENT
    );
    let mut raw = ptr::null_mut();
    assert_eq!(unsafe { cj_jar_new_with(options, &mut raw) }, CJ_STATUS_OK);
    unsafe { cj_options_free(options) };
    let jar = Jar(raw);

    for i in 0..8 {
        assert_eq!(
            jar.set("https://www.a.example/", &format!("c{i}={i}")),
            CJ_STATUS_OK
        );
    }
    let mut len = 0usize;
    assert_eq!(unsafe { cj_jar_len(jar.0, &mut len) }, CJ_STATUS_OK);
    assert!(len <= 5, "{len}");

    assert_eq!(
        jar.set(
            "https://b.example/x/y",
            "s=1; Secure; HttpOnly; Path=/x; Max-Age=60"
        ),
        CJ_STATUS_OK
    );
    assert_eq!(
        jar.set("https://b.example/", "t=2; Domain=b.example"),
        CJ_STATUS_OK
    );
    let seen = visit(&jar, 0);
    assert_eq!(seen.cookies.len(), len + 2);
    let s = seen.cookies.iter().find(|c| c.2 == "s").unwrap();
    assert_eq!(
        (s.0.as_str(), s.1.as_str(), s.3.as_str()),
        ("b.example", "/x", "1")
    );
    assert!(s.5 && s.6 && !s.7);
    // Sorted by domain, path, name.
    let keys: Vec<_> = seen.cookies.iter().map(|c| (&c.0, &c.1, &c.2)).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{keys:?}");
    // A visitor can stop early.
    assert_eq!(visit(&jar, 2).cookies.len(), 2);

    let mut removed = 99usize;
    let (d, p, n) = (c("b.example"), c("/x"), c("s"));
    assert_eq!(
        unsafe { cj_jar_remove(jar.0, d.as_ptr(), p.as_ptr(), n.as_ptr(), &mut removed) },
        CJ_STATUS_OK
    );
    assert_eq!(removed, 1);
    assert_eq!(
        unsafe { cj_jar_remove(jar.0, d.as_ptr(), p.as_ptr(), n.as_ptr(), ptr::null_mut()) },
        CJ_STATUS_OK
    );
    assert_eq!(
        unsafe { cj_jar_clear_domain(jar.0, d.as_ptr(), &mut removed) },
        CJ_STATUS_OK
    );
    assert_eq!(removed, 1);
    assert_eq!(
        unsafe { cj_jar_clear_session_cookies(jar.0, &mut removed) },
        CJ_STATUS_OK
    );
    assert_eq!(removed, len);
    assert_eq!(
        jar.set("https://b.example/", "e=1; Max-Age=1"),
        CJ_STATUS_OK
    );
    assert_eq!(
        unsafe { cj_jar_purge_expired(jar.0, T0 + 5_000, &mut removed) },
        CJ_STATUS_OK
    );
    assert_eq!(removed, 1);
    assert_eq!(jar.set("https://b.example/", "f=1"), CJ_STATUS_OK);
    assert_eq!(unsafe { cj_jar_clear(jar.0) }, CJ_STATUS_OK);
    assert_eq!(unsafe { cj_jar_len(jar.0, &mut len) }, CJ_STATUS_OK);
    assert_eq!(len, 0);

    // NULL arguments come back as statuses.
    assert_eq!(
        unsafe { cj_jar_for_each_cookie(jar.0, T0, None, ptr::null_mut()) },
        CJ_STATUS_NULL_ARGUMENT
    );
    assert_eq!(
        unsafe { cj_jar_len(ptr::null_mut(), &mut len) },
        CJ_STATUS_NULL_ARGUMENT
    );
    assert_eq!(
        unsafe { cj_jar_len(jar.0, ptr::null_mut()) },
        CJ_STATUS_NULL_ARGUMENT
    );
    assert_eq!(
        unsafe { cj_jar_clear(ptr::null_mut()) },
        CJ_STATUS_NULL_ARGUMENT
    );
    assert_eq!(
        unsafe { cj_jar_remove(jar.0, ptr::null(), p.as_ptr(), n.as_ptr(), ptr::null_mut()) },
        CJ_STATUS_NULL_ARGUMENT
    );
    assert_eq!(
        unsafe { cj_options_set_max_cookies(ptr::null_mut(), 1) },
        CJ_STATUS_NULL_ARGUMENT
    );
    assert_eq!(
        unsafe { cj_jar_new_with(ptr::null(), &mut raw) },
        CJ_STATUS_NULL_ARGUMENT
    );
    unsafe { cj_options_free(ptr::null_mut()) };
}

// ----- cookies.txt, records, consent -------------------------------------------------------------

fn export_netscape(jar: &Jar) -> String {
    let mut out = sentinel();
    let status = unsafe { cj_jar_export_netscape(jar.0, T0, &mut out) };
    assert_eq!(status, CJ_STATUS_OK, "{}", last_error());
    take_string(out).expect("an export always has curl's header")
}

#[test]
fn netscape_text_round_trips_with_http_only_lines() {
    let jar = Jar::new();
    let text = "#HttpOnly_.example.com\tTRUE\t/\tTRUE\t1760000000\tsid\tabc\n\
                www.example.com\tFALSE\t/\tFALSE\t0\tlang\ten\n\
                .co.uk\tTRUE\t/\tFALSE\t0\tsuper\t1\n";
    let (mut imported, mut refused) = (0usize, 0usize);
    let status = unsafe {
        cj_jar_import_netscape(
            jar.0,
            text.as_ptr().cast(),
            text.len(),
            T0,
            &mut imported,
            &mut refused,
        )
    };
    assert_eq!(status, CJ_STATUS_OK, "{}", last_error());
    assert_eq!((imported, refused), (2, 1));
    let exported = export_netscape(&jar);
    assert!(exported.contains("#HttpOnly_.example.com\tTRUE\t/\tTRUE\t1760000000\tsid\tabc\n"));

    let copy = Jar::new();
    let status = unsafe {
        cj_jar_import_netscape(
            copy.0,
            exported.as_ptr().cast(),
            exported.len(),
            T0,
            &mut imported,
            ptr::null_mut(),
        )
    };
    assert_eq!(status, CJ_STATUS_OK);
    assert_eq!(imported, 2);
    assert_eq!(export_netscape(&copy), exported);
    // The HttpOnly cookie is hidden from a script's view.
    assert_eq!(
        copy.header_ex("https://www.example.com/", None, CJ_REQUEST_NON_HTTP)
            .as_deref(),
        Some("lang=en")
    );
}

#[test]
fn a_panic_in_an_export_leaves_the_out_parameter_alone() {
    let jar = Jar::new();
    cookiejar::ffi::testing::panic_in_next_call();
    let mut out = sentinel();
    assert_eq!(
        unsafe { cj_jar_export_netscape(jar.0, T0, &mut out) },
        CJ_STATUS_PANIC
    );
    assert_eq!(out, sentinel());
    assert!(last_error().starts_with("cj_jar_export_netscape: panicked"));
}

#[test]
fn an_inserted_record_keeps_its_metadata() {
    let jar = Jar::new();
    let (name, value, domain, path) = (c("pref"), c("dark"), c(".example.com"), c("/"));
    let cookie = cj_cookie {
        name: name.as_ptr(),
        value: value.as_ptr(),
        domain: domain.as_ptr(),
        path: path.as_ptr(),
        partition: ptr::null(),
        expires_ms: T0 + 60_000,
        created_ms: T0 - 5_000,
        last_access_ms: 0,
        session: false,
        host_only: false,
        secure: true,
        http_only: false,
        same_site: cj_same_site::CJ_SAME_SITE_LAX,
        priority: cj_priority::CJ_PRIORITY_HIGH,
        categories: 1 << cj_category::CJ_CATEGORY_PREFERENCES as u32,
    };
    assert_eq!(
        unsafe { cj_jar_insert(jar.0, &cookie, T0) },
        CJ_STATUS_OK,
        "{}",
        last_error()
    );
    assert_eq!(
        jar.header("https://www.example.com/").as_deref(),
        Some("pref=dark")
    );

    unsafe extern "C" fn grab(c: *const cj_cookie, out: *mut std::ffi::c_void) -> c_int {
        let c = unsafe { &*c };
        let out = unsafe { &mut *out.cast::<Vec<(i64, i64, u32, bool)>>() };
        out.push((c.created_ms, c.expires_ms, c.categories, c.host_only));
        0
    }
    let mut seen: Vec<(i64, i64, u32, bool)> = Vec::new();
    let mut found = false;
    let status = unsafe {
        cj_jar_get(
            jar.0,
            c("example.com").as_ptr(),
            path.as_ptr(),
            name.as_ptr(),
            T0,
            Some(grab),
            (&mut seen as *mut Vec<_>).cast(),
            &mut found,
        )
    };
    assert_eq!(status, CJ_STATUS_OK);
    assert!(found);
    assert_eq!(seen, vec![(T0 - 5_000, T0 + 60_000, 1 << 1, false)]);
}

#[test]
fn the_audit_reports_category_source_party_and_consent() {
    let jar = Jar::new();
    // Enforcing, everything granted on example.org: a third-party cookie is then kept under
    // the top-level site that embedded it.
    let everything = 0x1f;
    let site = c("www.example.org");
    let status =
        unsafe { cj_jar_set_consent_at(jar.0, site.as_ptr(), everything, T0, ptr::null_mut()) };
    assert_eq!(status, CJ_STATUS_OK);
    assert_eq!(
        jar.set("https://www.example.org/", "_ga=1; Max-Age=60"),
        CJ_STATUS_OK
    );
    assert_eq!(
        jar.set_in(
            "https://ad.doubleclick.net/",
            "https://www.example.org/",
            "IDE=1; SameSite=None; Secure; Max-Age=60"
        ),
        CJ_STATUS_OK
    );

    type Row = (String, String, cj_source, bool, bool);
    unsafe extern "C" fn collect_audit(
        e: *const cj_audit_entry,
        out: *mut std::ffi::c_void,
    ) -> c_int {
        let e = unsafe { &*e };
        let s = |p: *const c_char| unsafe { CStr::from_ptr(p) }.to_str().unwrap().to_owned();
        let rows = unsafe { &mut *out.cast::<Vec<Row>>() };
        let name = s(unsafe { (*e.cookie).name });
        rows.push((name, s(e.site), e.source, e.first_party, e.allowed));
        0
    }
    let audit = |jar: &Jar| {
        let mut rows: Vec<Row> = Vec::new();
        let status = unsafe {
            cj_jar_audit(
                jar.0,
                T0,
                Some(collect_audit),
                (&mut rows as *mut Vec<Row>).cast(),
            )
        };
        assert_eq!(status, CJ_STATUS_OK, "{}", last_error());
        rows
    };
    // IDE is third-party, kept under the page's site.
    let rows = audit(&jar);
    assert_eq!(
        rows,
        vec![
            (
                "IDE".into(),
                "example.org".into(),
                cj_source::CJ_SOURCE_OPEN_COOKIE_DB,
                false,
                true
            ),
            (
                "_ga".into(),
                "example.org".into(),
                cj_source::CJ_SOURCE_OPEN_COOKIE_DB,
                true,
                true
            ),
        ]
    );
    // Statistics only on that site: IDE (marketing) is purged, _ga stays.
    let mut purged = usize::MAX;
    let granted = (1 << cj_category::CJ_CATEGORY_NECESSARY as u32)
        | (1 << cj_category::CJ_CATEGORY_STATISTICS as u32);
    let status =
        unsafe { cj_jar_set_consent_at(jar.0, site.as_ptr(), granted, T0 + 1, &mut purged) };
    assert_eq!(status, CJ_STATUS_OK);
    assert_eq!(purged, 1);
    let rows = audit(&jar);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "_ga");
    assert!(rows[0].4);
}
