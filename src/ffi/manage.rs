//! Jar options, enumerating cookies with their metadata, and removing them.

use std::ffi::{c_char, c_int, c_void, CString};
use std::mem::MaybeUninit;
use std::ptr;

use super::boundary::{ffi_boundary, raw_enum, Failure};
use super::jar::cj_jar;
use super::status::cj_status;
use crate::{Cookie, Durability, Jar, JarOptions, Priority, SameSite};

/// Options for a new jar: an opaque builder.
///
/// Created by `cj_options_new` with the defaults (180 cookies per site, 3300 in all,
/// `SameSite` Lax by default, `CJ_DURABILITY_PROCESS`, session cookies not persisted), changed
/// with the `cj_options_set_*` functions, used by `cj_jar_new_with` / `cj_jar_open_with`
/// (which copy it: the options may be freed or reused right after), and released by exactly
/// one `cj_options_free`. Not thread-safe: use one from one thread at a time.
pub struct cj_options {
    pub(super) inner: JarOptions,
}

/// How each change to a file-backed jar is made durable.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum cj_durability {
    /// Every change is in the mapped file before the call returns: it survives the process
    /// being killed at any instant. `cj_jar_flush` makes it survive power loss.
    CJ_DURABILITY_PROCESS = 0,
    /// Every change is also written to the disk (msync) before the call returns: it survives
    /// power loss, at the cost of a disk write per change.
    CJ_DURABILITY_SYNC = 1,
}

/// The `SameSite` attribute of a cookie.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum cj_same_site {
    /// No attribute (or an unknown value): treated as `Lax` by default.
    CJ_SAME_SITE_DEFAULT = 0,
    /// `SameSite=None`.
    CJ_SAME_SITE_NONE = 1,
    /// `SameSite=Lax`.
    CJ_SAME_SITE_LAX = 2,
    /// `SameSite=Strict`.
    CJ_SAME_SITE_STRICT = 3,
}

/// The `Priority` attribute of a cookie (it orders eviction).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum cj_priority {
    /// `Priority=Low`: evicted first.
    CJ_PRIORITY_LOW = 0,
    /// The default.
    CJ_PRIORITY_MEDIUM = 1,
    /// `Priority=High`: evicted last.
    CJ_PRIORITY_HIGH = 2,
}

/// One stored cookie, as a visitor of `cj_jar_for_each_cookie` sees it.
///
/// Every pointer, and the struct itself, belongs to the library and is valid only until the
/// visitor returns: copy what you keep. Strings are NUL-terminated UTF-8. Fields may be added
/// at the end in later versions (never reordered), so keep reading it through the pointer.
#[repr(C)]
pub struct cj_cookie {
    /// The name (may be empty: RFC 6265bis keeps nameless cookies).
    pub name: *const c_char,
    /// The value.
    pub value: *const c_char,
    /// The domain: the host for a host-only cookie, else the `Domain` attribute.
    pub domain: *const c_char,
    /// The path.
    pub path: *const c_char,
    /// For a `Partitioned` cookie, the top-level site it is kept under; NULL otherwise.
    pub partition: *const c_char,
    /// Expiry in Unix milliseconds, rounded up to a whole second (as the jar keeps it);
    /// meaningless when `session` is true.
    pub expires_ms: i64,
    /// Creation time, Unix milliseconds (kept when the cookie is replaced).
    pub created_ms: i64,
    /// Last time the cookie was sent, Unix milliseconds.
    pub last_access_ms: i64,
    /// A session cookie: no `Expires`/`Max-Age`.
    pub session: bool,
    /// Sent only to `domain` itself, not its subdomains.
    pub host_only: bool,
    /// Sent only over secure connections.
    pub secure: bool,
    /// Hidden from non-HTTP APIs.
    pub http_only: bool,
    /// The `SameSite` attribute.
    pub same_site: cj_same_site,
    /// The `Priority` attribute.
    pub priority: cj_priority,
    /// Its consent categories: bit `(1u << category)` for each `cj_category` (normally one).
    pub categories: u32,
}

/// A visitor for `cj_jar_for_each_cookie`: called once per cookie with the caller's
/// `user_data`. Return 0 to go on, anything else to stop early.
pub type cj_cookie_visitor =
    Option<unsafe extern "C" fn(cookie: *const cj_cookie, user_data: *mut c_void) -> c_int>;

/// Creates options with the defaults. On success `*out` receives a handle the caller owns:
/// release it with `cj_options_free`, exactly once.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`.
///
/// # Safety
///
/// `out` must be NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn cj_options_new(out: *mut *mut cj_options) -> cj_status {
    ffi_boundary!("cj_options_new", {} => out, {
        Ok::<_, Failure>(Box::new(cj_options { inner: JarOptions::default() }))
    })
}

/// Releases options. NULL is a no-op; at most once per handle.
///
/// # Safety
///
/// `options` must be NULL or a handle from `cj_options_new` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn cj_options_free(options: *mut cj_options) {
    if !options.is_null() {
        // SAFETY: the caller's promise: a pointer from `cj_options_new`, freed at most once.
        drop(unsafe { Box::from_raw(options) });
    }
}

/// Runs `f` on the options behind `options`, or fails with `CJ_STATUS_NULL_ARGUMENT`.
///
/// # Safety
///
/// `options` must be NULL or a live handle used by no other thread.
unsafe fn with_options(
    name: &'static str,
    options: *mut cj_options,
    f: impl FnOnce(JarOptions) -> Result<JarOptions, Failure>,
) -> cj_status {
    super::boundary::call(name, || {
        // SAFETY: the caller's promise.
        let Some(o) = (unsafe { options.as_mut() }) else {
            return Err(Failure::new(
                cj_status::CJ_STATUS_NULL_ARGUMENT,
                "argument `options` is NULL",
            ));
        };
        o.inner = f(o.inner.clone())?;
        Ok(())
    })
}

/// Sets the most cookies kept in all (default 3300; at least 1).
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`.
///
/// # Safety
///
/// `options` must be NULL or a live handle used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn cj_options_set_max_cookies(
    options: *mut cj_options,
    n: usize,
) -> cj_status {
    // SAFETY: forwarded promise.
    unsafe {
        with_options("cj_options_set_max_cookies", options, |o| {
            Ok(o.max_cookies(n))
        })
    }
}

/// Sets the most cookies kept per site (registrable domain; default 180; at least 1).
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`.
///
/// # Safety
///
/// `options` must be NULL or a live handle used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn cj_options_set_max_cookies_per_site(
    options: *mut cj_options,
    n: usize,
) -> cj_status {
    // SAFETY: forwarded promise.
    unsafe {
        with_options("cj_options_set_max_cookies_per_site", options, |o| {
            Ok(o.max_cookies_per_site(n))
        })
    }
}

/// Sets whether cookies without `SameSite` are treated as `Lax` (true, the default, as in
/// Chromium) or as `None` (false, as in Firefox and Safari).
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`.
///
/// # Safety
///
/// `options` must be NULL or a live handle used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn cj_options_set_lax_by_default(
    options: *mut cj_options,
    yes: bool,
) -> cj_status {
    // SAFETY: forwarded promise.
    unsafe {
        with_options("cj_options_set_lax_by_default", options, |o| {
            Ok(o.lax_by_default(yes))
        })
    }
}

/// Sets how each change to a file-backed jar is made durable (default
/// `CJ_DURABILITY_PROCESS`).
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`; `CJ_STATUS_INVALID_ARGUMENT` for a
/// value that is not a `cj_durability`.
///
/// # Safety
///
/// `options` must be NULL or a live handle used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn cj_options_set_durability(
    options: *mut cj_options,
    durability: MaybeUninit<cj_durability>,
) -> cj_status {
    // SAFETY: `cj_durability` is `repr(u32)`; the raw value is read without assuming it valid.
    let raw: u32 = unsafe { raw_enum(durability) };
    let durability = match raw {
        0 => Some(Durability::Process),
        1 => Some(Durability::Sync),
        _ => None,
    };
    // SAFETY: forwarded promise.
    unsafe {
        with_options("cj_options_set_durability", options, |o| match durability {
            Some(d) => Ok(o.durability(d)),
            None => Err(Failure::new(
                cj_status::CJ_STATUS_INVALID_ARGUMENT,
                format!("`durability` {raw} is not a cj_durability"),
            )),
        })
    }
}

/// Sets whether a file-backed jar writes session cookies to its file and restores them on
/// open (default false: like a browser, each run starts without them).
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`.
///
/// # Safety
///
/// `options` must be NULL or a live handle used by no other thread.
#[no_mangle]
pub unsafe extern "C" fn cj_options_set_persist_session_cookies(
    options: *mut cj_options,
    yes: bool,
) -> cj_status {
    // SAFETY: forwarded promise.
    unsafe {
        with_options("cj_options_set_persist_session_cookies", options, |o| {
            Ok(o.persist_session_cookies(yes))
        })
    }
}

/// Like `cj_jar_new`, with options (copied; `options` may be freed right after).
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`.
///
/// # Safety
///
/// `options` must be NULL or a live handle; `out` must be NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_new_with(
    options: *const cj_options,
    out: *mut *mut cj_jar,
) -> cj_status {
    ffi_boundary!("cj_jar_new_with", { options: options } => out, {
        Ok::<_, Failure>(Box::new(cj_jar { inner: Jar::with_options(options.clone()) }))
    })
}

/// Like `cj_jar_open`, with options (copied; `options` may be freed right after).
///
/// Statuses: as `cj_jar_open`.
///
/// # Safety
///
/// `path` must be NULL or a NUL-terminated string; `options` NULL or a live handle; `out`
/// NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_open_with(
    path: *const c_char,
    options: *const cj_options,
    out: *mut *mut cj_jar,
) -> cj_status {
    ffi_boundary!("cj_jar_open_with", { path: path, options: options } => out, {
        Jar::open_with(path, options.clone())
            .map(|inner| Box::new(cj_jar { inner }))
            .map_err(|e| Failure::new(cj_status::from_store_error(&e), e.to_string()))
    })
}

/// Strings of one cookie, NUL-terminated, alive while the visitor runs.
struct CookieStrings {
    name: CString,
    value: CString,
    domain: CString,
    path: CString,
    partition: Option<CString>,
}

pub(super) fn c_string(s: &str) -> Result<CString, Failure> {
    // Stored cookies never hold NUL (control characters are refused on the way in).
    CString::new(s).map_err(|_| {
        Failure::new(
            cj_status::CJ_STATUS_INTERNAL,
            "a stored cookie contains NUL",
        )
    })
}

/// Runs `f` with a C view of `c`, whose strings live until `f` returns.
pub(super) fn with_view<R>(c: &Cookie, f: impl FnOnce(&cj_cookie) -> R) -> Result<R, Failure> {
    let s = CookieStrings {
        name: c_string(&c.name)?,
        value: c_string(&c.value)?,
        domain: c_string(&c.domain)?,
        path: c_string(&c.path)?,
        partition: c.partition.as_deref().map(c_string).transpose()?,
    };
    let view = cj_cookie {
        name: s.name.as_ptr(),
        value: s.value.as_ptr(),
        domain: s.domain.as_ptr(),
        path: s.path.as_ptr(),
        partition: s.partition.as_ref().map_or(ptr::null(), |p| p.as_ptr()),
        expires_ms: c.expires.unwrap_or(0),
        created_ms: c.created,
        last_access_ms: c.last_access,
        session: c.expires.is_none(),
        host_only: c.host_only,
        secure: c.secure,
        http_only: c.http_only,
        same_site: match c.same_site {
            SameSite::Default => cj_same_site::CJ_SAME_SITE_DEFAULT,
            SameSite::None => cj_same_site::CJ_SAME_SITE_NONE,
            SameSite::Lax => cj_same_site::CJ_SAME_SITE_LAX,
            SameSite::Strict => cj_same_site::CJ_SAME_SITE_STRICT,
        },
        priority: match c.priority {
            Priority::Low => cj_priority::CJ_PRIORITY_LOW,
            Priority::Medium => cj_priority::CJ_PRIORITY_MEDIUM,
            Priority::High => cj_priority::CJ_PRIORITY_HIGH,
        },
        categories: u32::from(c.categories.bits()),
    };
    Ok(f(&view))
}

/// The visitor, or `CJ_STATUS_NULL_ARGUMENT`.
pub(super) fn require_visitor<F>(visitor: Option<F>) -> Result<F, Failure> {
    visitor.ok_or_else(|| {
        Failure::new(
            cj_status::CJ_STATUS_NULL_ARGUMENT,
            "argument `visitor` is NULL",
        )
    })
}

pub(super) fn visit_all(
    cookies: impl IntoIterator<Item = Cookie>,
    visitor: cj_cookie_visitor,
    user_data: *mut c_void,
) -> Result<(), Failure> {
    let visit = require_visitor(visitor)?;
    for c in cookies {
        // SAFETY: the caller promised a valid function; the view and its strings outlive the
        // call, as documented.
        if with_view(&c, |view| unsafe { visit(view, user_data) })? != 0 {
            break;
        }
    }
    Ok(())
}

/// Calls `visitor` once for every cookie in the jar that has not expired at `now_ms` (negative:
/// the system clock), sorted by domain, path and name, with all its metadata (`cj_cookie`).
/// The visitor returns 0 to go on, non-zero to stop.
///
/// The jar is read as a snapshot taken before the first call: the visitor may call back into
/// the jar (even change it) without deadlock; changes are not seen by this enumeration.
///
/// Statuses: `CJ_STATUS_OK` (also when the visitor stopped early);
/// `CJ_STATUS_NULL_ARGUMENT`. Thread-safe.
///
/// # Safety
///
/// `jar` must be NULL or a live handle; `visitor` must be NULL or a function that is safe to
/// call with the documented arguments; `user_data` is passed through untouched.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_for_each_cookie(
    jar: *mut cj_jar,
    now_ms: i64,
    visitor: cj_cookie_visitor,
    user_data: *mut c_void,
) -> cj_status {
    ffi_boundary!("cj_jar_for_each_cookie", { jar: jar }, {
        visit_all(jar.cookies_at(super::jar::resolve_now(now_ms)), visitor, user_data)
    })
}

/// Writes `n` to an optional count out-parameter.
///
/// # Safety
///
/// `out` must be NULL or valid for writing a `size_t`.
pub(super) unsafe fn write_count(out: *mut usize, n: usize) {
    if !out.is_null() {
        // SAFETY: the caller's promise.
        unsafe { out.write(n) };
    }
}

pub(super) fn storage_failure(e: crate::StoreError) -> Failure {
    Failure::new(cj_status::from_store_error(&e), e.to_string())
}

/// Removes the cookies with exactly this domain, path and name (in every partition).
/// `*removed` (if not NULL) receives how many; it is written only on success.
///
/// Statuses: `CJ_STATUS_OK` (also when nothing matched); `CJ_STATUS_NULL_ARGUMENT`,
/// `CJ_STATUS_INVALID_UTF8`; storage errors (200–299) for a file-backed jar.
///
/// # Safety
///
/// `jar` NULL or a live handle; strings NULL or NUL-terminated; `removed` NULL or valid for
/// writing a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_remove(
    jar: *mut cj_jar,
    domain: *const c_char,
    path: *const c_char,
    name: *const c_char,
    removed: *mut usize,
) -> cj_status {
    ffi_boundary!("cj_jar_remove", { jar: jar, domain: utf8, path: utf8, name: utf8 }, {
        let n = jar.remove(domain, path, name).map_err(storage_failure)?;
        // SAFETY: the caller's promise for `removed`.
        unsafe { write_count(removed, n) };
        Ok(())
    })
}

/// Removes every cookie whose domain is `domain` or one of its subdomains. `*removed` (if
/// not NULL) receives how many.
///
/// Statuses: as `cj_jar_remove`.
///
/// # Safety
///
/// As `cj_jar_remove`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_clear_domain(
    jar: *mut cj_jar,
    domain: *const c_char,
    removed: *mut usize,
) -> cj_status {
    ffi_boundary!("cj_jar_clear_domain", { jar: jar, domain: utf8 }, {
        let n = jar.clear_domain(domain).map_err(storage_failure)?;
        // SAFETY: the caller's promise for `removed`.
        unsafe { write_count(removed, n) };
        Ok(())
    })
}

/// Removes every session cookie (what a browser does when it closes). `*removed` (if not
/// NULL) receives how many.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`; storage errors for a file jar.
///
/// # Safety
///
/// `jar` NULL or a live handle; `removed` NULL or valid for writing a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_clear_session_cookies(
    jar: *mut cj_jar,
    removed: *mut usize,
) -> cj_status {
    ffi_boundary!("cj_jar_clear_session_cookies", { jar: jar }, {
        let n = jar.clear_session_cookies().map_err(storage_failure)?;
        // SAFETY: the caller's promise for `removed`.
        unsafe { write_count(removed, n) };
        Ok(())
    })
}

/// Removes every cookie expired at `now_ms` (negative: the system clock). `*removed` (if not
/// NULL) receives how many.
///
/// Statuses: as `cj_jar_clear_session_cookies`.
///
/// # Safety
///
/// As `cj_jar_clear_session_cookies`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_purge_expired(
    jar: *mut cj_jar,
    now_ms: i64,
    removed: *mut usize,
) -> cj_status {
    ffi_boundary!("cj_jar_purge_expired", { jar: jar }, {
        let n = jar
            .purge_expired_at(super::jar::resolve_now(now_ms))
            .map_err(storage_failure)?;
        // SAFETY: the caller's promise for `removed`.
        unsafe { write_count(removed, n) };
        Ok(())
    })
}

/// Removes every cookie (a file-backed jar's file is rewritten empty).
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`; storage errors for a file jar.
///
/// # Safety
///
/// `jar` NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_clear(jar: *mut cj_jar) -> cj_status {
    ffi_boundary!("cj_jar_clear", { jar: jar }, { jar.clear().map_err(storage_failure) })
}

/// The number of cookies stored (expired ones count until they are purged), into `*out`.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`.
///
/// # Safety
///
/// `jar` NULL or a live handle; `out` NULL or valid for writing a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_len(jar: *mut cj_jar, out: *mut usize) -> cj_status {
    ffi_boundary!("cj_jar_len", { jar: jar } => out, { Ok::<_, Failure>(jar.len()) })
}

pub(super) fn consent_failure(e: crate::ConsentChangeError) -> Failure {
    let status = match &e {
        crate::ConsentChangeError::Storage(s) => cj_status::from_store_error(s),
        _ => cj_status::CJ_STATUS_INVALID_ARGUMENT,
    };
    Failure::new(status, e.to_string())
}

/// Adds an operator rule, one line of a site's cookie policy: cookies named `name` (or whose
/// name starts with `name`, when `name_is_prefix`) are of `category`. `domain` NULL: on any
/// domain; otherwise on that domain and its subdomains. Stored cookies are classified again,
/// and those the consent no longer allows are purged.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_INVALID_ARGUMENT` (an unknown category, an empty
/// exact name, a name with `;`, `=` or a control character, a domain that is not a host name
/// or IP address); `CJ_STATUS_NULL_ARGUMENT`,
/// `CJ_STATUS_INVALID_UTF8`; storage errors for a file jar. Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle; `domain` NULL or NUL-terminated; `name` NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_add_rule(
    jar: *mut cj_jar,
    domain: *const c_char,
    name: *const c_char,
    name_is_prefix: bool,
    category: MaybeUninit<super::status::cj_category>,
) -> cj_status {
    // SAFETY: `cj_category` is `repr(u32)`; the raw value is read without assuming it valid.
    let raw: u32 = unsafe { raw_enum(category) };
    ffi_boundary!("cj_jar_add_rule", { jar: jar, domain: opt_utf8, name: utf8 }, {
        let category = u8::try_from(raw)
            .ok()
            .and_then(crate::Category::from_u8)
            .ok_or_else(|| {
                Failure::new(
                    cj_status::CJ_STATUS_INVALID_ARGUMENT,
                    format!("`category` {raw} is not a cj_category"),
                )
            })?;
        let rule = if name_is_prefix {
            crate::Rule::prefix(name, category)
        } else {
            crate::Rule::exact(name, category)
        };
        let rule = match domain {
            Some(d) => rule.on_domain(d),
            None => rule,
        };
        jar.add_rule(rule).map(drop).map_err(consent_failure)
    })
}

/// Loads a site's cookie policy (a CSV table with a header row — provider, purpose, cookie,
/// domain, category — or the same as JSON; see `docs/consent.md`), adds its rules and
/// re-evaluates the stored cookies. `*added` (if not NULL) receives how many rules.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_INVALID_ARGUMENT` (`cj_last_error` gives the line and
/// field); `CJ_STATUS_NULL_ARGUMENT`, `CJ_STATUS_INVALID_UTF8`; storage errors.
///
/// # Safety
///
/// `jar` NULL or a live handle; `policy` NUL-terminated; `added` NULL or valid for writing.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_load_policy(
    jar: *mut cj_jar,
    policy: *const c_char,
    added: *mut usize,
) -> cj_status {
    ffi_boundary!("cj_jar_load_policy", { jar: jar, policy: utf8 }, {
        let n = jar.load_policy(policy).map_err(consent_failure)?;
        // SAFETY: the caller's promise for `added`.
        unsafe { write_count(added, n) };
        Ok(())
    })
}

/// Records the user's consent for a top-level site: `granted` holds bit
/// `(1u << category)` for each granted category; every other optional category (Preferences,
/// Statistics, Marketing) is denied. `Necessary` is always allowed; the `Unclassified` bit is
/// ignored (unclassified cookies follow the jar's policy: Marketing-level by default).
/// `top_level_site` NULL sets the jar-wide default; otherwise a host name standing for its
/// site ("data.example.org" and "example.org" name the same site).
///
/// The first call starts enforcement: before it, the jar enforces nothing (but tags every
/// cookie). Cookies the new consent does not allow are purged at once; granting again
/// restores nothing. Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`,
/// `CJ_STATUS_INVALID_UTF8`; storage errors for a file jar. Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle; `top_level_site` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_set_consent(
    jar: *mut cj_jar,
    top_level_site: *const c_char,
    granted: u32,
) -> cj_status {
    ffi_boundary!("cj_jar_set_consent", { jar: jar, top_level_site: opt_utf8 }, {
        let set = crate::CategorySet::from_bits((granted & 0x1f) as u8).unwrap_or_default();
        jar.set_consent_granted(top_level_site, set, crate::now_ms())
            .map(drop)
            .map_err(consent_failure)
    })
}

/// Switches Global Privacy Control on or off: while on, Marketing cookies (and unclassified
/// ones under the default policy) are refused and purged, except on sites granted Marketing
/// after GPC was switched on.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`; storage errors. Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_set_gpc(jar: *mut cj_jar, on: bool) -> cj_status {
    ffi_boundary!("cj_jar_set_gpc", { jar: jar }, {
        jar.set_gpc(on, crate::now_ms()).map(drop).map_err(consent_failure)
    })
}
