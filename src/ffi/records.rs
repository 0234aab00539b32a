//! Cookies as records rather than headers: one cookie by its key, a cookie stored with its
//! metadata, the cookies that match a request, and the Netscape `cookies.txt` format.

use std::ffi::{c_char, c_void, CStr, CString};

use super::boundary::{ffi_boundary, Failure};
use super::jar::{cj_jar, cj_request_flags, resolve_now, with_request, Context};
use super::manage::{
    cj_cookie, cj_cookie_visitor, storage_failure, visit_all, with_view, write_count,
};
use super::status::cj_status;
use crate::interop::{self, netscape, Format};
use crate::{Category, CategorySet, Cookie, Jar, Priority, SameSite, Source};

/// Calls `visitor` once with the unpartitioned cookie that has exactly this domain (as
/// `cj_cookie.domain` shows it; a leading dot and upper case are ignored), path and name, if
/// one is stored and not expired at `now_ms` (negative: the system clock). `*found` (if not
/// NULL) tells whether it was. The cookie's strings live until the visitor returns.
///
/// Statuses: `CJ_STATUS_OK` (found or not); `CJ_STATUS_NULL_ARGUMENT` (also for a NULL
/// `visitor`), `CJ_STATUS_INVALID_UTF8`. Thread-safe; the visitor may call the jar.
///
/// # Safety
///
/// `jar` NULL or a live handle; strings NULL or NUL-terminated; `visitor` NULL or a function
/// safe to call with the documented arguments; `found` NULL or valid for writing a `bool`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_get(
    jar: *mut cj_jar,
    domain: *const c_char,
    path: *const c_char,
    name: *const c_char,
    now_ms: i64,
    visitor: cj_cookie_visitor,
    user_data: *mut c_void,
    found: *mut bool,
) -> cj_status {
    ffi_boundary!("cj_jar_get", { jar: jar, domain: utf8, path: utf8, name: utf8 }, {
        let visit = super::manage::require_visitor(visitor)?;
        let cookie = jar.get_at(domain, path, name, resolve_now(now_ms));
        if let Some(c) = &cookie {
            // SAFETY: the caller promised a valid function; the view outlives the call.
            with_view(c, |view| unsafe { visit(view, user_data) })?;
        }
        if !found.is_null() {
            // SAFETY: the caller's promise for `found`.
            unsafe { found.write(cookie.is_some()) };
        }
        Ok(())
    })
}

/// Calls `visitor` once for each cookie that goes with a request to `request_url` (made by
/// the page at `initiator_url` with `flags`, exactly as for `cj_jar_cookie_header_ex`), in the
/// order of the `Cookie` header, with all their metadata: the header's cookies as records.
/// Unlike `cj_jar_cookie_header*`, it does not update their last-access time.
///
/// Statuses: as `cj_jar_cookie_header_ex`, and `CJ_STATUS_NULL_ARGUMENT` for a NULL
/// `visitor`. Thread-safe; the visitor may call the jar.
///
/// # Safety
///
/// As `cj_jar_cookie_header_ex` for the jar and strings; `visitor` NULL or a function safe to
/// call with the documented arguments.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_for_each_matching_cookie(
    jar: *mut cj_jar,
    request_url: *const c_char,
    initiator_url: *const c_char,
    flags: cj_request_flags,
    now_ms: i64,
    visitor: cj_cookie_visitor,
    user_data: *mut c_void,
) -> cj_status {
    ffi_boundary!("cj_jar_for_each_matching_cookie", {
        jar: jar,
        request_url: utf8,
        initiator_url: opt_utf8,
    }, {
        super::manage::require_visitor(visitor)?;
        let context = Context::initiated_by(initiator_url, flags);
        let cookies = with_request(request_url, context, |request| {
            Ok(jar.matching_cookies_at(request, resolve_now(now_ms)))
        })?;
        visit_all(cookies, visitor, user_data)
    })
}

/// A required string field of a `cj_cookie` given by the caller.
///
/// # Safety
///
/// `p` must be NULL or a NUL-terminated string unchanged during the call.
unsafe fn field<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>, Failure> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: the caller's promise.
    unsafe { CStr::from_ptr(p) }
        .to_str()
        .map(Some)
        .map_err(|e| {
            Failure::new(
                cj_status::CJ_STATUS_INVALID_UTF8,
                format!(
                    "`cookie->{name}` is not valid UTF-8 (bad byte at offset {})",
                    e.valid_up_to()
                ),
            )
        })
}

/// Reads a caller's `cj_cookie` into a `Cookie`, never trusting its enum fields.
///
/// # Safety
///
/// `p` must point to a readable `cj_cookie` whose string fields are NULL or NUL-terminated.
unsafe fn cookie_from_c(p: *const cj_cookie) -> Result<Cookie, Failure> {
    let required = |v: Option<&str>, name: &str| {
        v.map(str::to_owned).ok_or_else(|| {
            Failure::new(
                cj_status::CJ_STATUS_NULL_ARGUMENT,
                format!("argument `cookie->{name}` is NULL"),
            )
        })
    };
    // SAFETY (every read below): the caller's promise. The enum fields are read as the
    // `uint32_t` C stores there, so that an out-of-range value is an error, not undefined
    // behaviour.
    let c = unsafe { &*p.cast::<RawCookie>() };
    let name = required(unsafe { field(c.name, "name") }?, "name")?;
    let value = required(unsafe { field(c.value, "value") }?, "value")?;
    let domain = required(unsafe { field(c.domain, "domain") }?, "domain")?;
    let path = required(unsafe { field(c.path, "path") }?, "path")?;
    let partition = unsafe { field(c.partition, "partition") }?.map(str::to_owned);
    let bad = |what: &str, n: u32| {
        Failure::new(
            cj_status::CJ_STATUS_INVALID_ARGUMENT,
            format!("`cookie->{what}` {n} is not a valid value"),
        )
    };
    let same_site = match c.same_site {
        0 => SameSite::Default,
        1 => SameSite::None,
        2 => SameSite::Lax,
        3 => SameSite::Strict,
        n => return Err(bad("same_site", n)),
    };
    let priority = match c.priority {
        0 => Priority::Low,
        1 => Priority::Medium,
        2 => Priority::High,
        n => return Err(bad("priority", n)),
    };
    let categories = match c.categories {
        0 => None,
        n => Some(
            u8::try_from(n)
                .ok()
                .filter(|b| *b <= 0x1f)
                .and_then(CategorySet::from_bits)
                .ok_or_else(|| bad("categories", n))?,
        ),
    };
    let mut cookie = Cookie::new(name, value, domain, path);
    cookie.partition = partition;
    cookie.expires = (c.session == 0).then_some(c.expires_ms);
    cookie.created = c.created_ms.max(0);
    cookie.last_access = c.last_access_ms.max(0);
    cookie.host_only = c.host_only != 0;
    cookie.secure = c.secure != 0;
    cookie.http_only = c.http_only != 0;
    cookie.same_site = same_site;
    cookie.priority = priority;
    if let Some(set) = categories {
        // The embedder chose the category: it speaks as the operator.
        cookie.categories = set;
        cookie.source = Source::Operator;
    } else {
        cookie.categories = CategorySet::single(Category::Unclassified);
        cookie.source = Source::Default;
    }
    Ok(cookie)
}

/// `cj_cookie` with its enum and `bool` fields as the integers C stores (same layout: both
/// `repr(C)`, the enums `repr(u32)`, `bool` one byte): a stray value is then an error to
/// report, never an invalid Rust value.
#[repr(C)]
struct RawCookie {
    name: *const c_char,
    value: *const c_char,
    domain: *const c_char,
    path: *const c_char,
    partition: *const c_char,
    expires_ms: i64,
    created_ms: i64,
    last_access_ms: i64,
    session: u8,
    host_only: u8,
    secure: u8,
    http_only: u8,
    same_site: u32,
    priority: u32,
    categories: u32,
}

const _: () = {
    assert!(std::mem::size_of::<RawCookie>() == std::mem::size_of::<cj_cookie>());
    assert!(std::mem::align_of::<RawCookie>() == std::mem::align_of::<cj_cookie>());
};

/// Stores a cookie given with all its metadata (a copy from another jar, a migration), at
/// `now_ms` (negative: the system clock), under the same rules as a `Set-Cookie`: a `Domain`
/// that is a public suffix, a bad prefix, `SameSite=None` or `Partitioned` without `Secure`
/// are refused with the same statuses, and the limits apply.
///
/// Fields read: `name`, `value`, `domain` (a leading dot is ignored), `path` (one not
/// starting with "/" becomes "/") — all required; `partition` (NULL: unpartitioned);
/// `session`, else `expires_ms` (capped at 400 days from `now_ms`; in the past, it deletes
/// the matching cookie, which is success); `created_ms` and `last_access_ms` (0: `now_ms`;
/// an existing cookie's creation time is kept when `created_ms` is 0); `host_only`,
/// `secure`, `http_only`, `same_site`, `priority`; `categories` (0: classify the cookie as a
/// received one; otherwise those categories, recorded as chosen by the operator).
///
/// Consent applies at send time and to later purges; store-time consent refusals apply only
/// to `cj_jar_set_cookie*`.
///
/// Statuses: `CJ_STATUS_OK`; 100–149 for a refused cookie; `CJ_STATUS_NULL_ARGUMENT` (also
/// for a NULL required field), `CJ_STATUS_INVALID_UTF8`, `CJ_STATUS_INVALID_ARGUMENT` (an
/// enum field or `categories` out of range); storage errors for a file jar. Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle; `cookie` NULL or a readable `cj_cookie` whose string fields
/// are NULL or NUL-terminated, unchanged during the call.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_insert(
    jar: *mut cj_jar,
    cookie: *const cj_cookie,
    now_ms: i64,
) -> cj_status {
    ffi_boundary!("cj_jar_insert", { jar: jar }, {
        if cookie.is_null() {
            return Err(Failure::new(
                cj_status::CJ_STATUS_NULL_ARGUMENT,
                "argument `cookie` is NULL",
            ));
        }
        // SAFETY: the caller's promise.
        let cookie = unsafe { cookie_from_c(cookie) }?;
        jar.insert_at(&cookie, resolve_now(now_ms))
            .map(drop)
            .map_err(|e| Failure::new(cj_status::from_set_cookie_error(&e), e.to_string()))
    })
}

/// Imports parsed `cookies.txt` lines; writes the counts on success.
///
/// # Safety
///
/// `imported` and `refused` must each be NULL or valid for writing a `size_t`.
unsafe fn import(
    jar: &Jar,
    input: &[u8],
    now_ms: i64,
    imported: *mut usize,
    refused: *mut usize,
) -> Result<(), Failure> {
    let parsed = netscape::parse(input);
    let report =
        interop::insert_all(jar, parsed, resolve_now(now_ms), |_| {}).map_err(storage_failure)?;
    // SAFETY: the caller's promises.
    unsafe {
        write_count(imported, report.stored + report.replaced);
        write_count(refused, report.skipped.len());
    }
    Ok(())
}

/// Imports cookies from the text of a Netscape `cookies.txt` file (what curl's
/// `CURLOPT_COOKIEJAR`, wget's `--save-cookies` and browser extensions write): `len` bytes at
/// `text`, which need not be NUL-terminated nor valid UTF-8 as a whole.
///
/// One cookie per line, seven tab-separated fields (domain, include-subdomains flag, path,
/// secure flag, expiry in Unix seconds or 0 for a session cookie, name, value); a line
/// starting with `#HttpOnly_` is an `HttpOnly` cookie, other `#` lines are comments. Each
/// cookie goes through the same rules as a `Set-Cookie` (no public-suffix domain, prefixes,
/// `Secure` rules, limits), at `now_ms` (negative: the system clock), and is classified for
/// consent like a received one.
///
/// A bad line or a refused cookie does not stop the import: `*refused` (if not NULL) counts
/// them, `*imported` (if not NULL) counts the cookies stored (new or replacing one). Lines
/// already expired are in neither count (one that matched a stored cookie deleted it). Both
/// are written only on success. A storage error stops the import; what was stored before it
/// stays.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT` (`text` NULL, even with `len` 0);
/// storage errors for a file jar. Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle; `text` NULL or readable for `len` bytes, unchanged during the
/// call; `imported` and `refused` NULL or valid for writing a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_import_netscape(
    jar: *mut cj_jar,
    text: *const c_char,
    len: usize,
    now_ms: i64,
    imported: *mut usize,
    refused: *mut usize,
) -> cj_status {
    ffi_boundary!("cj_jar_import_netscape", { jar: jar }, {
        if text.is_null() {
            return Err(Failure::new(
                cj_status::CJ_STATUS_NULL_ARGUMENT,
                "argument `text` is NULL",
            ));
        }
        // SAFETY: the caller's promise: `len` readable bytes.
        let input = unsafe { std::slice::from_raw_parts(text.cast::<u8>(), len) };
        // SAFETY: the caller's promises for the counts.
        unsafe { import(jar, input, now_ms, imported, refused) }
    })
}

/// Like `cj_jar_import_netscape`, reading the file at `path` (any bytes but NUL).
///
/// Statuses: as `cj_jar_import_netscape`; `CJ_STATUS_IO` when the file cannot be read (the
/// message names the system error); `CJ_STATUS_INVALID_ARGUMENT` for an empty path.
///
/// # Safety
///
/// As `cj_jar_import_netscape`, with `path` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_import_netscape_file(
    jar: *mut cj_jar,
    path: *const c_char,
    now_ms: i64,
    imported: *mut usize,
    refused: *mut usize,
) -> cj_status {
    ffi_boundary!("cj_jar_import_netscape_file", { jar: jar, path: path }, {
        let input = std::fs::read(path).map_err(|e| {
            Failure::new(
                cj_status::CJ_STATUS_IO,
                format!("cannot read {}: {e}", path.display()),
            )
        })?;
        // SAFETY: the caller's promises for the counts.
        unsafe { import(jar, &input, now_ms, imported, refused) }
    })
}

/// The jar's cookies not expired at `now_ms`, as `cookies.txt` text.
fn export_text(jar: &Jar, now_ms: i64) -> Result<(Vec<u8>, usize), Failure> {
    let mut out = Vec::new();
    let report = interop::export(jar, Format::Netscape, &mut out, resolve_now(now_ms))
        .map_err(|e| Failure::new(cj_status::CJ_STATUS_INTERNAL, e.to_string()))?;
    Ok((out, report.written))
}

/// The jar's cookies not expired at `now_ms` (negative: the system clock) as the text of a
/// Netscape `cookies.txt` file, in the layout curl writes: its header comment, then one line
/// per cookie, `HttpOnly` cookies behind `#HttpOnly_`, domain cookies with a leading dot.
/// What the format cannot hold is left out: partitioned (CHIPS) cookies (it has no partition
/// key) and nameless ones; it also loses `SameSite`, `Priority` and the creation time.
///
/// On success `*out` receives a NUL-terminated string the caller owns: release it with
/// `cj_string_free`, exactly once. On failure it is left untouched.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`. Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle; `out` NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_export_netscape(
    jar: *mut cj_jar,
    now_ms: i64,
    out: *mut *mut c_char,
) -> cj_status {
    ffi_boundary!("cj_jar_export_netscape", { jar: jar } => out, {
        let (text, _) = export_text(jar, now_ms)?;
        // Stored cookies never hold NUL; the header comment neither.
        CString::new(text)
            .map(Some)
            .map_err(|_| Failure::new(cj_status::CJ_STATUS_INTERNAL, "the export contains NUL"))
    })
}

/// Like `cj_jar_export_netscape`, writing the text to the file at `path` (any bytes but NUL),
/// created with mode 0600 if missing (cookies are credentials) and replaced whole: the text
/// goes to a temporary file beside it, which is synced and renamed over `path`, so a reader
/// never sees half a file. `*written` (if not NULL) receives the number of cookies written.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_IO` (the message names the operation and the system
/// error; `path` is then unchanged); `CJ_STATUS_NULL_ARGUMENT`, `CJ_STATUS_INVALID_ARGUMENT`
/// (an empty path). Thread-safe, but two exports to the same path at once are not ordered.
///
/// # Safety
///
/// `jar` NULL or a live handle; `path` NULL or NUL-terminated; `written` NULL or valid for
/// writing a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_export_netscape_file(
    jar: *mut cj_jar,
    path: *const c_char,
    now_ms: i64,
    written: *mut usize,
) -> cj_status {
    ffi_boundary!("cj_jar_export_netscape_file", { jar: jar, path: path }, {
        let (text, n) = export_text(jar, now_ms)?;
        write_replacing(path, &text).map_err(|(what, e)| {
            Failure::new(
                cj_status::CJ_STATUS_IO,
                format!("cannot {what} {}: {e}", path.display()),
            )
        })?;
        // SAFETY: the caller's promise for `written`.
        unsafe { write_count(written, n) };
        Ok(())
    })
}

/// Writes `bytes` to a fresh 0600 file beside `path`, syncs it and renames it over `path`.
fn write_replacing(
    path: &std::path::Path,
    bytes: &[u8],
) -> Result<(), (&'static str, std::io::Error)> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;

    let mut tmp_name = path.as_os_str().to_owned();
    // Unique per process and call: two exports to one path never share a temporary file.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tmp_name.push(format!(".tmp-{}-{n}", std::process::id()));
    let tmp = std::path::PathBuf::from(tmp_name);
    let result = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| ("create", e))?;
        f.write_all(bytes).map_err(|e| ("write", e))?;
        f.sync_all().map_err(|e| ("sync", e))?;
        std::fs::rename(&tmp, path).map_err(|e| ("replace", e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
