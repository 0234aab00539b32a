//! `cj_jar`: the handle, storing cookies and building `Cookie` headers.

use std::ffi::{c_char, CString};

use url::Url;

use super::boundary::{ffi_boundary, Failure};
use super::status::cj_status;
use crate::{parse_request_url, Jar, Request};

/// A cookie jar (RFC 6265bis): an opaque handle.
///
/// Created by `cj_jar_new` and released by exactly one `cj_jar_free`. A handle may be used
/// from any number of threads at once, with no locking by the caller: lookups run in parallel
/// and changes are serialised inside the jar. The caller must make sure no call is still using
/// the handle when it frees it.
pub struct cj_jar {
    pub(super) inner: Jar,
}

// The thread-safety promise above, checked: a handle is shared by reference between threads.
const _: () = {
    const fn shared_between_threads<T: Send + Sync>() {}
    shared_between_threads::<cj_jar>();
};

/// A request URL parsed once, for the `_url` calls: an opaque, immutable handle.
///
/// Created by `cj_url_parse` and released by exactly one `cj_url_free`. Parsing is a large
/// part of a lookup's cost (a WHATWG URL parser runs on every string), so a caller that uses
/// one URL for several calls — the `Cookie` header of a request, then the `Set-Cookie`
/// headers of its response — parses it once. Immutable, so any number of threads may use one
/// handle at once; free it when no call is using it.
pub struct cj_url {
    pub(super) inner: Url,
}

const _: () = {
    const fn shared_between_threads<T: Send + Sync>() {}
    shared_between_threads::<cj_url>();
};

/// Flags describing how a request was made, for `cj_jar_set_cookie_ex` and
/// `cj_jar_cookie_header_ex`: a bitwise OR of `CJ_REQUEST_*` values, or 0.
pub type cj_request_flags = u32;

/// The request is a top-level navigation (the user followed a link, submitted a form, typed
/// the address) started by the page at `initiator_url`, rather than a subresource of it. A
/// cross-site navigation still sends and accepts `SameSite=Lax` cookies (RFC 6265bis §5.2).
pub const CJ_REQUEST_NAVIGATION: cj_request_flags = 1;

/// With `CJ_REQUEST_NAVIGATION`: the request method is not "safe" (for example POST; GET,
/// HEAD, OPTIONS and TRACE are safe). A cross-site unsafe navigation does not send
/// `SameSite=Lax` cookies.
pub const CJ_REQUEST_UNSAFE_METHOD: cj_request_flags = 2;

/// The cookie is set or read through a non-HTTP API, such as a script's `document.cookie`:
/// `HttpOnly` cookies can be neither set, overwritten nor read (RFC 6265bis §5.7, §5.8).
pub const CJ_REQUEST_NON_HTTP: cj_request_flags = 4;

const KNOWN_FLAGS: cj_request_flags =
    CJ_REQUEST_NAVIGATION | CJ_REQUEST_UNSAFE_METHOD | CJ_REQUEST_NON_HTTP;

/// `now_ms` as C passes it: negative means "read the system clock".
pub(super) fn resolve_now(now_ms: i64) -> i64 {
    if now_ms < 0 {
        crate::now_ms()
    } else {
        now_ms
    }
}

/// The request context a call was given beyond its URL.
#[derive(Clone, Copy)]
pub(super) struct Context<'a> {
    /// The page that made the request; `None`: the request is its own top level.
    initiator_url: Option<&'a str>,
    /// What the caller calls `initiator_url`, for messages.
    initiator_arg: &'static str,
    flags: cj_request_flags,
}

impl<'a> Context<'a> {
    const OWN_TOP_LEVEL: Context<'static> = Context {
        initiator_url: None,
        initiator_arg: "",
        flags: 0,
    };

    fn subresource_of(top_level_url: Option<&'a str>) -> Self {
        Context {
            initiator_url: top_level_url,
            initiator_arg: "top_level_url",
            flags: 0,
        }
    }

    pub(super) fn initiated_by(initiator_url: Option<&'a str>, flags: cj_request_flags) -> Self {
        Context {
            initiator_url,
            initiator_arg: "initiator_url",
            flags,
        }
    }
}

/// Parses the URLs of a call and runs `f` with the request they describe.
pub(super) fn with_request<T>(
    request_url: &str,
    context: Context<'_>,
    f: impl FnOnce(&Request<'_>) -> Result<T, Failure>,
) -> Result<T, Failure> {
    let flags = context.flags;
    if flags & !KNOWN_FLAGS != 0 {
        return Err(Failure::new(
            cj_status::CJ_STATUS_INVALID_ARGUMENT,
            format!("`flags` has unknown bits 0x{:x}", flags & !KNOWN_FLAGS),
        ));
    }
    let navigation = flags & CJ_REQUEST_NAVIGATION != 0;
    let unsafe_method = flags & CJ_REQUEST_UNSAFE_METHOD != 0;
    if unsafe_method && !navigation {
        return Err(Failure::new(
            cj_status::CJ_STATUS_INVALID_ARGUMENT,
            "`flags` has CJ_REQUEST_UNSAFE_METHOD without CJ_REQUEST_NAVIGATION",
        ));
    }
    let url = parse_request_url(request_url)
        .map_err(|e| Failure::new(cj_status::from_url_error(&e), format!("`request_url`: {e}")))?;
    // The initiating page may have any scheme (a `file:` page can embed an https image); one
    // without a host is simply on no site, so cross-site to every request.
    let initiator = context
        .initiator_url
        .map(Url::parse)
        .transpose()
        .map_err(|e| {
            Failure::new(
                cj_status::CJ_STATUS_INVALID_URL,
                format!("`{}`: not a valid URL: {e}", context.initiator_arg),
            )
        })?;
    // With no initiator the request is same-site, where navigation and method change nothing.
    let request = match &initiator {
        None => Request::new(&url),
        Some(page) if navigation => Request::navigation_from(&url, page, !unsafe_method),
        Some(page) => Request::subresource_of(&url, page),
    };
    let request = if flags & CJ_REQUEST_NON_HTTP != 0 {
        request.non_http()
    } else {
        request
    };
    f(&request)
}

fn set_cookie(
    jar: &Jar,
    request_url: &str,
    context: Context<'_>,
    set_cookie_value: &str,
    now_ms: i64,
) -> Result<(), Failure> {
    with_request(request_url, context, |request| {
        // Every `SetOutcome` (stored, replaced, deleted, already expired) is success.
        jar.set_cookie_at(set_cookie_value, request, resolve_now(now_ms))
            .map(drop)
            .map_err(|e| Failure::new(cj_status::from_set_cookie_error(&e), e.to_string()))
    })
}

fn cookie_header(
    jar: &Jar,
    request_url: &str,
    context: Context<'_>,
    now_ms: i64,
) -> Result<Option<CString>, Failure> {
    with_request(request_url, context, |request| {
        header_string(jar.cookie_header_at(request, resolve_now(now_ms)))
    })
}

/// A `Cookie` header as the C string handed to the caller.
fn header_string(header: Option<String>) -> Result<Option<CString>, Failure> {
    header
        .map(|header| {
            // The parser refuses control characters, NUL included, so a stored cookie never
            // holds one; a NUL here would be a bug, reported rather than truncated.
            CString::new(header).map_err(|_| {
                Failure::new(
                    cj_status::CJ_STATUS_INTERNAL,
                    "a stored cookie contains a NUL byte",
                )
            })
        })
        .transpose()
}

/// Creates an empty in-memory jar with the default limits (180 cookies per site, 3300 in
/// all) and the built-in public suffix list.
///
/// On success `*out` receives the new handle, which the caller owns: release it with
/// `cj_jar_free`, exactly once. On failure `*out` is left untouched.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT` when `out` is NULL.
///
/// Thread-safe.
///
/// # Safety
///
/// `out` must be NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_new(out: *mut *mut cj_jar) -> cj_status {
    ffi_boundary!("cj_jar_new", {} => out, {
        Ok::<_, Failure>(Box::new(cj_jar { inner: Jar::default() }))
    })
}

/// Opens the jar file at `path` (creating it, with mode 0600, if it is missing) and loads its
/// cookies: a file-backed jar. Every change accepted afterwards is in the file before the call
/// that made it returns, so a process killed at any instant loses nothing it was told was
/// stored; `cj_jar_flush` makes the changes survive power loss too. Session cookies are not
/// written to the file, and expired cookies are dropped on open.
///
/// `path` is a NUL-terminated file name (any bytes, not necessarily UTF-8); symlinks are not
/// followed. The file stays locked while the jar is open: one process at a time.
///
/// On success `*out` receives the new handle, which the caller owns: release it with
/// `cj_jar_free`, exactly once (that also closes the file). On failure `*out` is left
/// untouched and `cj_last_error` says why. A damaged file opens with every intact record.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_LOCKED` (another process has it open);
/// `CJ_STATUS_NOT_A_FILE` (a symlink, a directory...); `CJ_STATUS_NOT_A_JAR_FILE`,
/// `CJ_STATUS_CORRUPT_HEADER`, `CJ_STATUS_UNSUPPORTED_VERSION` (the file was left untouched);
/// `CJ_STATUS_IO`; `CJ_STATUS_NULL_ARGUMENT`, `CJ_STATUS_INVALID_ARGUMENT` (an empty path).
///
/// Thread-safe.
///
/// # Safety
///
/// `path` must be NULL or a NUL-terminated string that stays unchanged during the call; `out`
/// must be NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_open(path: *const c_char, out: *mut *mut cj_jar) -> cj_status {
    ffi_boundary!("cj_jar_open", { path: path } => out, {
        Jar::open(path)
            .map(|inner| Box::new(cj_jar { inner }))
            .map_err(|e| Failure::new(cj_status::from_store_error(&e), e.to_string()))
    })
}

/// Makes every change so far durable against power loss (msync and fsync of the jar file).
/// A no-op for an in-memory jar.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_IO` (the jar is then poisoned);
/// `CJ_STATUS_POISONED` (an earlier write failed); `CJ_STATUS_NULL_ARGUMENT`.
///
/// Thread-safe; it waits for changes in progress and briefly holds up others.
///
/// # Safety
///
/// `jar` must be NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_flush(jar: *mut cj_jar) -> cj_status {
    ffi_boundary!("cj_jar_flush", { jar: jar }, {
        jar.flush()
            .map_err(|e| Failure::new(cj_status::from_store_error(&e), e.to_string()))
    })
}

/// What opening a jar file found (`cj_jar_open_report`). All zero for an in-memory jar.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct cj_open_report {
    /// Records replayed from the file.
    pub records: u64,
    /// Damaged frames dropped (a torn tail, corruption), counted as runs of skipped bytes.
    pub dropped_frames: u64,
    /// Bytes skipped because they held no valid frame.
    pub dropped_bytes: u64,
    /// Valid records of a kind this version does not know (skipped).
    pub unknown_records: u64,
    /// Records that decoded but broke a rule a stored cookie must keep (dropped).
    pub invalid_records: u64,
    /// Expired cookies, and session cookies when they are not persisted, dropped on open.
    pub expired: u64,
    /// Cookies evicted on open because the file held more than the jar's limits.
    pub evicted: u64,
    /// The file was rewritten (compacted) on open.
    pub compacted: bool,
}

/// What opening the jar's file found: how many records it replayed and what it dropped (a
/// damaged file opens with every intact record; this says what was lost). `*out` receives a
/// copy on success; all zero for an in-memory jar.
///
/// A jar reads a site's cookies from its file when the site is first used; this reads every
/// cookie still unread first (only then is it known which had expired), so on a large jar the
/// first call costs about as much as loading it whole.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`. Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle; `out` NULL or valid for writing a `cj_open_report`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_open_report(
    jar: *mut cj_jar,
    out: *mut cj_open_report,
) -> cj_status {
    ffi_boundary!("cj_jar_open_report", { jar: jar } => out, {
        let r = jar.open_report();
        Ok::<_, Failure>(cj_open_report {
            records: r.records,
            dropped_frames: r.dropped_frames,
            dropped_bytes: r.dropped_bytes,
            unknown_records: r.unknown_records,
            invalid_records: r.invalid_records,
            expired: r.expired,
            evicted: r.evicted,
            compacted: r.compacted,
        })
    })
}

/// Releases a jar and every cookie in it. NULL is a no-op.
///
/// Call it at most once per handle, after every other call using the handle has returned, on
/// any thread; the handle is invalid afterwards. Does not change the last error.
///
/// # Safety
///
/// `jar` must be NULL or a handle from `cj_jar_new` that has not been freed and that no other
/// call is using.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_free(jar: *mut cj_jar) {
    ffi_boundary!(infallible "cj_jar_free", or (), { jar: owned_jar }, {
        drop(jar);
    })
}

/// Stores the cookie of one `Set-Cookie` header value received in the response to
/// `request_url`, as a plain HTTP client would: the request is its own top level (same-site,
/// first-party). The storage model of RFC 6265bis §5.7.
///
/// `request_url` is an absolute `http`, `https`, `ws` or `wss` URL; `set_cookie_value` is the
/// header's value without the `Set-Cookie:` name. `now_ms` is the time of the response in Unix
/// milliseconds (it decides expiry); any negative value means the system clock.
///
/// Statuses:
/// - `CJ_STATUS_OK`: the cookie was stored, replaced a cookie, deleted one (an expiry in the
///   past), or was already expired and changed nothing.
/// - 100–149 (`CJ_STATUS_PUBLIC_SUFFIX`, `CJ_STATUS_SECURE_PREFIX`, ...): the cookie was
///   ignored, for the reason the status names; the jar is unchanged.
/// - `CJ_STATUS_NULL_ARGUMENT`, `CJ_STATUS_INVALID_UTF8`, `CJ_STATUS_INVALID_URL`,
///   `CJ_STATUS_UNSUPPORTED_SCHEME`: a bad argument; the jar is unchanged.
/// - `CJ_STATUS_PANIC`: a bug.
///
/// On failure `cj_last_error` says why. Thread-safe: any number of threads may call it on the
/// same jar at once.
///
/// # Safety
///
/// `jar` must be NULL or a live handle from `cj_jar_new`; `request_url` and
/// `set_cookie_value` must be NULL or NUL-terminated strings that stay unchanged during the
/// call.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_set_cookie(
    jar: *mut cj_jar,
    request_url: *const c_char,
    set_cookie_value: *const c_char,
    now_ms: i64,
) -> cj_status {
    ffi_boundary!("cj_jar_set_cookie", { jar: jar, request_url: utf8, set_cookie_value: utf8 }, {
        set_cookie(jar, request_url, Context::OWN_TOP_LEVEL, set_cookie_value, now_ms)
    })
}

/// The `Cookie` header value a plain HTTP client sends with a request to `request_url` at
/// `now_ms` (the retrieval model of RFC 6265bis §5.8): `"a=1; b=2"`, cookies in the order the
/// RFC prescribes.
///
/// `now_ms` is Unix milliseconds; any negative value means the system clock.
///
/// On success `*out` receives a new NUL-terminated UTF-8 string that the caller owns and must
/// release with `cj_string_free` (not `free`), exactly once — or NULL when no cookie applies.
/// On failure `*out` is left untouched.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`, `CJ_STATUS_INVALID_UTF8`,
/// `CJ_STATUS_INVALID_URL`, `CJ_STATUS_UNSUPPORTED_SCHEME` for a bad argument;
/// `CJ_STATUS_PANIC`, `CJ_STATUS_INTERNAL` for a bug.
///
/// Thread-safe. Updates the last-access time of the cookies returned, as sending them would.
///
/// # Safety
///
/// `jar` must be NULL or a live handle from `cj_jar_new`; `request_url` must be NULL or a
/// NUL-terminated string that stays unchanged during the call; `out` must be NULL or valid
/// for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_cookie_header(
    jar: *mut cj_jar,
    request_url: *const c_char,
    now_ms: i64,
    out: *mut *mut c_char,
) -> cj_status {
    ffi_boundary!("cj_jar_cookie_header", { jar: jar, request_url: utf8 } => out, {
        cookie_header(jar, request_url, Context::OWN_TOP_LEVEL, now_ms)
    })
}

/// Like `cj_jar_set_cookie`, for a response to a request made by the page at
/// `top_level_url`.
///
/// NULL `top_level_url` means the request is its own top level, exactly like
/// `cj_jar_set_cookie`. Otherwise the request is a subresource (image, script, fetch) of that
/// page: when the page is on another site (another registrable domain, or another scheme
/// class), the request is cross-site — `SameSite` `Lax`/`Strict` cookies, and those without
/// `SameSite`, are refused with `CJ_STATUS_SAME_SITE_CROSS_SITE` — and a `Partitioned` cookie
/// is stored in that page's site's partition (CHIPS). `top_level_url` may have any scheme; a
/// URL without a host is on no site.
///
/// Statuses: as `cj_jar_set_cookie`, and `CJ_STATUS_INVALID_URL` or `CJ_STATUS_INVALID_UTF8`
/// for a bad `top_level_url`. Thread-safe.
///
/// # Safety
///
/// As `cj_jar_set_cookie`; `top_level_url` must be NULL or a NUL-terminated string that stays
/// unchanged during the call.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_set_cookie_in(
    jar: *mut cj_jar,
    request_url: *const c_char,
    top_level_url: *const c_char,
    set_cookie_value: *const c_char,
    now_ms: i64,
) -> cj_status {
    ffi_boundary!("cj_jar_set_cookie_in", {
        jar: jar,
        request_url: utf8,
        top_level_url: opt_utf8,
        set_cookie_value: utf8,
    }, {
        set_cookie(jar, request_url, Context::subresource_of(top_level_url), set_cookie_value, now_ms)
    })
}

/// Like `cj_jar_cookie_header`, for a request made by the page at `top_level_url`.
///
/// NULL `top_level_url` means the request is its own top level, exactly like
/// `cj_jar_cookie_header`. Otherwise the request is a subresource of that page: when the page
/// is on another site, `SameSite` `Lax`/`Strict` cookies are withheld, and only the
/// `Partitioned` cookies of that page's site's partition are sent.
///
/// Ownership of `*out`, statuses and thread-safety: as `cj_jar_cookie_header`, plus
/// `CJ_STATUS_INVALID_URL` or `CJ_STATUS_INVALID_UTF8` for a bad `top_level_url`.
///
/// # Safety
///
/// As `cj_jar_cookie_header`; `top_level_url` must be NULL or a NUL-terminated string that
/// stays unchanged during the call.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_cookie_header_in(
    jar: *mut cj_jar,
    request_url: *const c_char,
    top_level_url: *const c_char,
    now_ms: i64,
    out: *mut *mut c_char,
) -> cj_status {
    ffi_boundary!("cj_jar_cookie_header_in", {
        jar: jar,
        request_url: utf8,
        top_level_url: opt_utf8,
    } => out, {
        cookie_header(jar, request_url, Context::subresource_of(top_level_url), now_ms)
    })
}

/// Like `cj_jar_set_cookie_in`, with the full request context a browser knows.
///
/// `initiator_url` is the page that started the request (NULL: the request is its own top
/// level). `flags` is 0 or an OR of:
/// - `CJ_REQUEST_NAVIGATION`: a top-level navigation started from `initiator_url` (without
///   it, a subresource of `initiator_url`, as in `cj_jar_set_cookie_in`);
/// - `CJ_REQUEST_UNSAFE_METHOD`: with `CJ_REQUEST_NAVIGATION`, a method such as POST;
/// - `CJ_REQUEST_NON_HTTP`: set through a non-HTTP API (`document.cookie`): an `HttpOnly`
///   cookie gives `CJ_STATUS_HTTP_ONLY_FROM_NON_HTTP`, overwriting one gives
///   `CJ_STATUS_OVERWRITE_HTTP_ONLY`.
///
/// Statuses: as `cj_jar_set_cookie_in`, and `CJ_STATUS_INVALID_ARGUMENT` for unknown flag bits
/// or `CJ_REQUEST_UNSAFE_METHOD` without `CJ_REQUEST_NAVIGATION`. Thread-safe.
///
/// # Safety
///
/// As `cj_jar_set_cookie_in`, with `initiator_url` in the place of `top_level_url`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_set_cookie_ex(
    jar: *mut cj_jar,
    request_url: *const c_char,
    initiator_url: *const c_char,
    flags: cj_request_flags,
    set_cookie_value: *const c_char,
    now_ms: i64,
) -> cj_status {
    ffi_boundary!("cj_jar_set_cookie_ex", {
        jar: jar,
        request_url: utf8,
        initiator_url: opt_utf8,
        set_cookie_value: utf8,
    }, {
        let context = Context::initiated_by(initiator_url, flags);
        set_cookie(jar, request_url, context, set_cookie_value, now_ms)
    })
}

/// Like `cj_jar_cookie_header_in`, with the full request context a browser knows.
///
/// `initiator_url` and `flags` as in `cj_jar_set_cookie_ex`; with `CJ_REQUEST_NON_HTTP`,
/// `HttpOnly` cookies are left out (a script's view of `document.cookie`).
///
/// Ownership of `*out`, statuses and thread-safety: as `cj_jar_cookie_header_in`, plus
/// `CJ_STATUS_INVALID_ARGUMENT` for bad `flags`.
///
/// # Safety
///
/// As `cj_jar_cookie_header_in`, with `initiator_url` in the place of `top_level_url`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_cookie_header_ex(
    jar: *mut cj_jar,
    request_url: *const c_char,
    initiator_url: *const c_char,
    flags: cj_request_flags,
    now_ms: i64,
    out: *mut *mut c_char,
) -> cj_status {
    ffi_boundary!("cj_jar_cookie_header_ex", {
        jar: jar,
        request_url: utf8,
        initiator_url: opt_utf8,
    } => out, {
        cookie_header(jar, request_url, Context::initiated_by(initiator_url, flags), now_ms)
    })
}

/// Parses `text`, an absolute `http`, `https`, `ws` or `wss` URL, for the `_url` calls.
///
/// On success `*out` receives a handle the caller owns: release it with `cj_url_free`, exactly
/// once. On failure `*out` is left untouched.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_INVALID_URL` (not an absolute URL, or no host),
/// `CJ_STATUS_UNSUPPORTED_SCHEME`, `CJ_STATUS_NULL_ARGUMENT`, `CJ_STATUS_INVALID_UTF8`.
/// Thread-safe.
///
/// # Safety
///
/// `text` must be NULL or a NUL-terminated string unchanged during the call; `out` NULL or
/// valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn cj_url_parse(text: *const c_char, out: *mut *mut cj_url) -> cj_status {
    ffi_boundary!("cj_url_parse", { text: utf8 } => out, {
        parse_request_url(text)
            .map(|inner| Box::new(cj_url { inner }))
            .map_err(|e| Failure::new(cj_status::from_url_error(&e), format!("`text`: {e}")))
    })
}

/// Releases a URL from `cj_url_parse`. NULL is a no-op. At most once per handle, after every
/// call using it has returned; does not change the last error.
///
/// # Safety
///
/// `url` must be NULL or a handle from `cj_url_parse` not yet freed and no longer in use.
#[no_mangle]
pub unsafe extern "C" fn cj_url_free(url: *mut cj_url) {
    ffi_boundary!(infallible "cj_url_free", or (), { url: owned_url }, {
        drop(url);
    })
}

/// Like `cj_jar_cookie_header`, with the request URL already parsed: the same lookup as the
/// Rust API's `Jar::cookie_header(&Url)`, without parsing the URL again.
///
/// Ownership of `*out`, statuses and thread-safety: as `cj_jar_cookie_header` (the URL was
/// checked when it was parsed).
///
/// # Safety
///
/// `jar` NULL or a live handle; `url` NULL or a live handle from `cj_url_parse`; `out` NULL
/// or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_cookie_header_url(
    jar: *mut cj_jar,
    url: *const cj_url,
    now_ms: i64,
    out: *mut *mut c_char,
) -> cj_status {
    ffi_boundary!("cj_jar_cookie_header_url", { jar: jar, url: url } => out, {
        header_string(jar.cookie_header_at(&Request::new(url), resolve_now(now_ms)))
    })
}

/// Like `cj_jar_set_cookie`, with the request URL already parsed by `cj_url_parse`.
///
/// Statuses and thread-safety: as `cj_jar_set_cookie`.
///
/// # Safety
///
/// `jar` NULL or a live handle; `url` NULL or a live handle from `cj_url_parse`;
/// `set_cookie_value` NULL or a NUL-terminated string unchanged during the call.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_set_cookie_url(
    jar: *mut cj_jar,
    url: *const cj_url,
    set_cookie_value: *const c_char,
    now_ms: i64,
) -> cj_status {
    ffi_boundary!("cj_jar_set_cookie_url", { jar: jar, url: url, set_cookie_value: utf8 }, {
        jar.set_cookie_at(set_cookie_value, &Request::new(url), resolve_now(now_ms))
            .map(drop)
            .map_err(|e| Failure::new(cj_status::from_set_cookie_error(&e), e.to_string()))
    })
}

/// Releases a string returned by this library (such as a `Cookie` header from
/// `cj_jar_cookie_header`). NULL is a no-op.
///
/// Call it at most once per string, and only on strings this library returned: they were
/// allocated by Rust, so `free` must not be used on them, nor this function on other
/// strings. Thread-safe (any thread may free a string); does not change the last error.
///
/// # Safety
///
/// `s` must be NULL or a string returned by this library that has not been freed.
#[no_mangle]
pub unsafe extern "C" fn cj_string_free(s: *mut c_char) {
    ffi_boundary!(infallible "cj_string_free", or (), { s: owned_string }, {
        drop(s);
    })
}
