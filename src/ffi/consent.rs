//! Consent beyond rules and per-site grants: the profile, single decisions, the unclassified
//! policy, the audit and the report of unclassified cookies.

use std::ffi::{c_char, c_int, c_void, CString};
use std::mem::MaybeUninit;

use super::boundary::{ffi_boundary, raw_enum, Failure};
use super::jar::{cj_jar, resolve_now};
use super::manage::{
    c_string, cj_cookie, consent_failure, require_visitor, with_view, write_count,
};
use super::status::{cj_category, cj_status};
use crate::consent::{Classification, Requirement};
use crate::{Category, CategorySet, Decision, Profile, Source, UnclassifiedPolicy};

/// A jurisdiction profile for consent (`cj_jar_set_profile`). In C a `uint32_t` holding one
/// of these values; others give `CJ_STATUS_INVALID_ARGUMENT`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum cj_profile {
    /// The default: every optional category is opt-in, no exemption.
    CJ_PROFILE_STRICT = 0,
    /// France (CNIL): opt-in, but first-party audience measurement declared by the operator is
    /// exempt until the user objects, and such cookies live at most 13 months.
    CJ_PROFILE_CNIL = 1,
    /// United Kingdom (Data (Use and Access) Act 2025): first-party preferences and statistics
    /// are allowed until the user objects.
    CJ_PROFILE_UK_DUAA = 2,
}

/// A user's answer for one category (`cj_jar_set_decision`). In C a `uint32_t`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum cj_decision {
    /// Not answered: counts as a refusal, except where the profile makes the category
    /// opt-out or exempt.
    CJ_DECISION_UNSET = 0,
    /// The user agreed.
    CJ_DECISION_GRANTED = 1,
    /// The user refused (or objected to an opt-out or exempt category).
    CJ_DECISION_DENIED = 2,
}

/// What happens to cookies no rule classifies, once consent is enforced
/// (`cj_jar_set_unclassified_policy`). In C a `uint32_t`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum cj_unclassified_policy {
    /// Allowed exactly when the category given with it is (the default: Marketing).
    CJ_UNCLASSIFIED_TREAT_AS = 0,
    /// Never allowed.
    CJ_UNCLASSIFIED_REJECT = 1,
    /// First-party session cookies are allowed as if Necessary; the others are treated as
    /// Marketing. A relaxation for an application talking to its own back end.
    CJ_UNCLASSIFIED_ALLOW_FIRST_PARTY_SESSION = 2,
}

/// Where a cookie's classification came from (`cj_audit_entry.source`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum cj_source {
    /// An operator rule (`cj_jar_add_rule`, `cj_jar_load_policy`), or a category given to
    /// `cj_jar_insert`.
    CJ_SOURCE_OPERATOR = 0,
    /// The built-in overlay of framework cookies (Django, PHP, Java, Express...).
    CJ_SOURCE_OVERLAY = 1,
    /// The Open Cookie Database compiled into the library.
    CJ_SOURCE_OPEN_COOKIE_DB = 2,
    /// No rule matched: the cookie is unclassified.
    CJ_SOURCE_DEFAULT = 3,
}

/// One stored cookie as `cj_jar_audit` reports it.
///
/// The struct, `cookie` and every string belong to the library and live only until the
/// visitor returns: copy what you keep. Fields may be added at the end in later versions.
#[repr(C)]
pub struct cj_audit_entry {
    /// The cookie with all its metadata (its categories in `cookie->categories`).
    pub cookie: *const cj_cookie,
    /// Where its classification came from.
    pub source: cj_source,
    /// The operator granted it the audience-measurement exemption (honoured by the CNIL and
    /// UK profiles).
    pub exempt: bool,
    /// It belongs to the site it is kept under (not a third-party cookie).
    pub first_party: bool,
    /// The current consent allows it on `site`. Every consent change purges what it no longer
    /// allows, so this is normally true; it is computed afresh rather than assumed, so that an
    /// audit shows a cookie kept against the consent (a bug to report) instead of hiding it.
    pub allowed: bool,
    /// The top-level site the cookie is kept under: its own site (registrable domain), or for
    /// a third-party or partitioned cookie the site of the page that embedded it.
    pub site: *const c_char,
}

/// A visitor for `cj_jar_audit`: return 0 to go on, anything else to stop.
pub type cj_audit_visitor =
    Option<unsafe extern "C" fn(entry: *const cj_audit_entry, user_data: *mut c_void) -> c_int>;

/// An unclassified cookie the jar has seen, as `cj_jar_unclassified_report` reports it: what
/// an operator needs to write a rule for it. Strings live until the visitor returns.
#[repr(C)]
pub struct cj_unclassified {
    /// The cookie's name.
    pub name: *const c_char,
    /// The cookie's domain.
    pub domain: *const c_char,
    /// How many `Set-Cookie` headers (or imports) carried it, stored or refused.
    pub count: u64,
    /// When it was last seen, Unix milliseconds.
    pub last_seen_ms: i64,
}

/// A visitor for `cj_jar_unclassified_report`: return 0 to go on, anything else to stop.
pub type cj_unclassified_visitor =
    Option<unsafe extern "C" fn(entry: *const cj_unclassified, user_data: *mut c_void) -> c_int>;

fn invalid(message: String) -> Failure {
    Failure::new(cj_status::CJ_STATUS_INVALID_ARGUMENT, message)
}

/// A `cj_category` argument, validated.
fn category_arg(raw: u32, name: &str) -> Result<Category, Failure> {
    u8::try_from(raw)
        .ok()
        .and_then(Category::from_u8)
        .ok_or_else(|| invalid(format!("`{name}` {raw} is not a cj_category")))
}

/// Writes the number of purged cookies to an optional out-parameter.
///
/// # Safety
///
/// `purged` must be NULL or valid for writing a `size_t`.
unsafe fn purged_count(
    result: Result<Vec<crate::Cookie>, crate::ConsentChangeError>,
    purged: *mut usize,
) -> Result<(), Failure> {
    let gone = result.map_err(consent_failure)?;
    // SAFETY: the caller's promise.
    unsafe { write_count(purged, gone.len()) };
    Ok(())
}

/// Like `cj_jar_set_consent`, decided at `now_ms` (negative: the system clock), and telling
/// how many cookies the new consent purged (`*purged`, if not NULL, written on success).
///
/// The decision time matters for Global Privacy Control: a site granted Marketing after GPC
/// was switched on keeps it. Pin it in tests.
///
/// Statuses: as `cj_jar_set_consent`. Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle; `top_level_site` NULL or NUL-terminated; `purged` NULL or
/// valid for writing a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_set_consent_at(
    jar: *mut cj_jar,
    top_level_site: *const c_char,
    granted: u32,
    now_ms: i64,
    purged: *mut usize,
) -> cj_status {
    ffi_boundary!("cj_jar_set_consent_at", { jar: jar, top_level_site: opt_utf8 }, {
        let set = CategorySet::from_bits((granted & 0x1f) as u8).unwrap_or_default();
        let result = jar.set_consent_granted(top_level_site, set, resolve_now(now_ms));
        // SAFETY: the caller's promise for `purged`.
        unsafe { purged_count(result, purged) }
    })
}

/// Like `cj_jar_set_gpc`, switched at `now_ms` (negative: the system clock), telling how many
/// cookies were purged (`*purged`, if not NULL).
///
/// Statuses: as `cj_jar_set_gpc`. Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle; `purged` NULL or valid for writing a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_set_gpc_at(
    jar: *mut cj_jar,
    on: bool,
    now_ms: i64,
    purged: *mut usize,
) -> cj_status {
    ffi_boundary!("cj_jar_set_gpc_at", { jar: jar }, {
        let result = jar.set_gpc(on, resolve_now(now_ms));
        // SAFETY: the caller's promise for `purged`.
        unsafe { purged_count(result, purged) }
    })
}

/// Records one decision about one category for a top-level site (`top_level_site` NULL: the
/// jar-wide default; otherwise a host name standing for its site), leaving the other
/// categories as they were: the tri-state form of `cj_jar_set_consent`. Starts enforcement,
/// like any consent call, and purges at once what the new state no longer allows
/// (`*purged`, if not NULL, receives how many).
///
/// Only `CJ_CATEGORY_PREFERENCES`, `CJ_CATEGORY_STATISTICS` and `CJ_CATEGORY_MARKETING` are
/// the user's to decide: Necessary is always allowed and Unclassified follows the
/// unclassified policy, so they give `CJ_STATUS_INVALID_ARGUMENT`.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_INVALID_ARGUMENT` (an unknown or undecidable
/// category, an unknown decision); `CJ_STATUS_NULL_ARGUMENT`, `CJ_STATUS_INVALID_UTF8`;
/// storage errors for a file jar. Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle; `top_level_site` NULL or NUL-terminated; `purged` NULL or
/// valid for writing a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_set_decision(
    jar: *mut cj_jar,
    top_level_site: *const c_char,
    category: MaybeUninit<cj_category>,
    decision: MaybeUninit<cj_decision>,
    now_ms: i64,
    purged: *mut usize,
) -> cj_status {
    // SAFETY: both are `repr(u32)`; the raw values are read without assuming them valid.
    let (raw_category, raw_decision): (u32, u32) =
        unsafe { (raw_enum(category), raw_enum(decision)) };
    ffi_boundary!("cj_jar_set_decision", { jar: jar, top_level_site: opt_utf8 }, {
        let category = category_arg(raw_category, "category")?;
        let decision = match raw_decision {
            0 => Decision::Unset,
            1 => Decision::Granted,
            2 => Decision::Denied,
            n => return Err(invalid(format!("`decision` {n} is not a cj_decision"))),
        };
        let result = jar.set_decision(top_level_site, category, decision, resolve_now(now_ms));
        // SAFETY: the caller's promise for `purged`.
        unsafe { purged_count(result, purged) }
    })
}

/// Chooses the jurisdiction profile (default `CJ_PROFILE_STRICT`) and purges what it no
/// longer allows (`*purged`, if not NULL, receives how many). The profile does not by itself
/// start enforcement: a jar with no consent set still enforces nothing.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_INVALID_ARGUMENT` (not a `cj_profile`);
/// `CJ_STATUS_NULL_ARGUMENT`; storage errors for a file jar. Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle; `purged` NULL or valid for writing a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_set_profile(
    jar: *mut cj_jar,
    profile: MaybeUninit<cj_profile>,
    purged: *mut usize,
) -> cj_status {
    // SAFETY: `cj_profile` is `repr(u32)`; the raw value is read without assuming it valid.
    let raw: u32 = unsafe { raw_enum(profile) };
    ffi_boundary!("cj_jar_set_profile", { jar: jar }, {
        let profile = match raw {
            0 => Profile::Strict,
            1 => Profile::Cnil,
            2 => Profile::UkDuaa,
            n => return Err(invalid(format!("`profile` {n} is not a cj_profile"))),
        };
        // SAFETY: the caller's promise for `purged`.
        unsafe { purged_count(jar.set_profile(profile), purged) }
    })
}

/// Chooses what happens to unclassified cookies once consent is enforced, and purges what
/// the new policy no longer allows (`*purged`, if not NULL, receives how many).
///
/// With `CJ_UNCLASSIFIED_TREAT_AS`, an unclassified cookie is allowed exactly when
/// `treat_as` is (`CJ_CATEGORY_MARKETING` is the default policy; `CJ_CATEGORY_UNCLASSIFIED`
/// also means the default). With the other policies `treat_as` is ignored (but must still be
/// a `cj_category`).
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_INVALID_ARGUMENT` (an unknown policy or category);
/// `CJ_STATUS_NULL_ARGUMENT`; storage errors for a file jar. Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle; `purged` NULL or valid for writing a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_set_unclassified_policy(
    jar: *mut cj_jar,
    policy: MaybeUninit<cj_unclassified_policy>,
    treat_as: MaybeUninit<cj_category>,
    purged: *mut usize,
) -> cj_status {
    // SAFETY: both are `repr(u32)`; the raw values are read without assuming them valid.
    let (raw_policy, raw_category): (u32, u32) = unsafe { (raw_enum(policy), raw_enum(treat_as)) };
    ffi_boundary!("cj_jar_set_unclassified_policy", { jar: jar }, {
        let category = category_arg(raw_category, "treat_as")?;
        let policy = match raw_policy {
            0 => UnclassifiedPolicy::TreatAs(category),
            1 => UnclassifiedPolicy::Reject,
            2 => UnclassifiedPolicy::AllowFirstPartySession,
            n => {
                return Err(invalid(format!(
                    "`policy` {n} is not a cj_unclassified_policy"
                )))
            }
        };
        // SAFETY: the caller's promise for `purged`.
        unsafe { purged_count(jar.set_unclassified_policy(policy), purged) }
    })
}

/// The site a stored cookie lives under, as the jar keys it: a partitioned (or third-party)
/// cookie under its partition, any other under its domain's registrable domain (or the host
/// itself for an IP address or a public-suffix host). C jars always use the built-in public
/// suffix list (cj_options cannot set another).
fn site_of(c: &crate::Cookie) -> &str {
    if let Some(p) = c.partition.as_deref() {
        return p;
    }
    let d = c.domain.as_str();
    if d.starts_with('[') || d.parse::<std::net::Ipv4Addr>().is_ok() {
        return d;
    }
    crate::rfc::suffix::registrable_domain(crate::rfc::suffix::builtin(), d).unwrap_or(d)
}

/// Calls `visitor` once for every cookie not expired at `now_ms` (negative: the system
/// clock), sorted by domain, path and name, with what consent makes of it: its categories,
/// where the classification came from, whether it is first-party where it is kept, the site
/// it is kept under, and whether the current consent allows it there (`cj_audit_entry`).
/// Return 0 from the visitor to go on, non-zero to stop.
///
/// The audit reads a snapshot: the visitor may call the jar, even change it.
///
/// Statuses: `CJ_STATUS_OK` (also when the visitor stopped early); `CJ_STATUS_NULL_ARGUMENT`.
/// Thread-safe.
///
/// # Safety
///
/// `jar` NULL or a live handle; `visitor` NULL or a function safe to call with the documented
/// arguments; `user_data` is passed through untouched.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_audit(
    jar: *mut cj_jar,
    now_ms: i64,
    visitor: cj_audit_visitor,
    user_data: *mut c_void,
) -> cj_status {
    ffi_boundary!("cj_jar_audit", { jar: jar }, {
        let visit = require_visitor(visitor)?;
        let entries = jar.audit_at(resolve_now(now_ms));
        let consent = jar.consent();
        for (cookie, first_party) in entries {
            let site = site_of(&cookie);
            let mut class = Classification::unclassified();
            class.categories = cookie.categories;
            class.exemption = cookie.exemption;
            class.source = cookie.source;
            let need = Requirement::of(&class, cookie.is_session());
            let allowed = consent.allowed_mask(site, first_party).permits(need);
            let site = c_string(site)?;
            let source = match cookie.source {
                Source::Operator => cj_source::CJ_SOURCE_OPERATOR,
                Source::Overlay => cj_source::CJ_SOURCE_OVERLAY,
                Source::OpenCookieDb => cj_source::CJ_SOURCE_OPEN_COOKIE_DB,
                Source::Default => cj_source::CJ_SOURCE_DEFAULT,
            };
            let go_on = with_view(&cookie, |view| {
                let entry = cj_audit_entry {
                    cookie: view,
                    source,
                    exempt: cookie.exemption.is_some(),
                    first_party,
                    allowed,
                    site: site.as_ptr(),
                };
                // SAFETY: the caller promised a valid function; `entry`, the view and their
                // strings outlive the call, as documented.
                unsafe { visit(&entry, user_data) }
            })?;
            if go_on != 0 {
                break;
            }
        }
        Ok(())
    })
}

/// Calls `visitor` once for each distinct unclassified cookie (name and domain) the jar has
/// seen, stored or refused, most frequent first: the cookies that need a rule. The jar
/// remembers at most 10,000 of them, in memory only.
///
/// Statuses: `CJ_STATUS_OK`; `CJ_STATUS_NULL_ARGUMENT`. Thread-safe; the visitor may call
/// the jar.
///
/// # Safety
///
/// As `cj_jar_audit`.
#[no_mangle]
pub unsafe extern "C" fn cj_jar_unclassified_report(
    jar: *mut cj_jar,
    visitor: cj_unclassified_visitor,
    user_data: *mut c_void,
) -> cj_status {
    ffi_boundary!("cj_jar_unclassified_report", { jar: jar }, {
        let visit = require_visitor(visitor)?;
        for seen in jar.unclassified_report() {
            let (name, domain): (CString, CString) = (c_string(&seen.name)?, c_string(&seen.domain)?);
            let entry = cj_unclassified {
                name: name.as_ptr(),
                domain: domain.as_ptr(),
                count: seen.count,
                last_seen_ms: seen.last_seen,
            };
            // SAFETY: the caller promised a valid function; `entry` and its strings outlive
            // the call.
            if unsafe { visit(&entry, user_data) } != 0 {
                break;
            }
        }
        Ok(())
    })
}
