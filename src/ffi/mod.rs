//! The C ABI (`include/cookiejar.h`, generated from this module by cbindgen; see
//! `docs/c-api.md`).
//!
//! The names are the C names, so that what a C programmer reads in the header is what a Rust
//! maintainer greps for here. Layout:
//!
//! - `boundary`: the one macro every export runs through (NULL checks, UTF-8, panics, the
//!   per-thread last error, out-parameters written only on success) and `cj_last_error`;
//! - [`status`](cj_status): `cj_status`, `cj_category`, the mapping from the engine's errors;
//! - `jar`: the `cj_jar` handle, its calls and `cj_string_free`;
//! - `manage`: options, enumeration, removal, rules and consent per site;
//! - `records`: one cookie by key, a cookie with metadata, matching cookies, `cookies.txt`;
//! - `consent`: profile, decisions, unclassified policy, the audit;
//! - `version`: `cj_version`.
//!
//! The doc comments of the exported items are the C documentation: cbindgen copies them into
//! the header, so they are written for C readers and name C identifiers.

// The C names are the API (`cj_jar`, `CJ_STATUS_OK`).
#![allow(non_camel_case_types)]
// Every unsafe operation gets its own block and SAFETY comment, even inside `unsafe fn`.
#![deny(unsafe_op_in_unsafe_fn)]

// cbindgen emits the functions in the order it meets them, so these declarations are in the
// order the header should have (a blank line keeps rustfmt from sorting them).
mod jar;
mod manage;

mod records;

mod consent;

mod boundary;

mod status;

mod version;

pub use boundary::cj_last_error;
pub use consent::{
    cj_audit_entry, cj_audit_visitor, cj_decision, cj_jar_audit, cj_jar_set_consent_at,
    cj_jar_set_decision, cj_jar_set_gpc_at, cj_jar_set_profile, cj_jar_set_unclassified_policy,
    cj_jar_unclassified_report, cj_profile, cj_source, cj_unclassified, cj_unclassified_policy,
    cj_unclassified_visitor,
};
pub use jar::{
    cj_jar, cj_jar_cookie_header, cj_jar_cookie_header_ex, cj_jar_cookie_header_in,
    cj_jar_cookie_header_url, cj_jar_flush, cj_jar_free, cj_jar_new, cj_jar_open,
    cj_jar_open_report, cj_jar_set_cookie, cj_jar_set_cookie_ex, cj_jar_set_cookie_in,
    cj_jar_set_cookie_url, cj_open_report, cj_request_flags, cj_string_free, cj_url, cj_url_free,
    cj_url_parse, CJ_REQUEST_NAVIGATION, CJ_REQUEST_NON_HTTP, CJ_REQUEST_UNSAFE_METHOD,
};
pub use manage::{
    cj_cookie, cj_cookie_visitor, cj_durability, cj_jar_add_rule, cj_jar_clear,
    cj_jar_clear_domain, cj_jar_clear_session_cookies, cj_jar_for_each_cookie, cj_jar_len,
    cj_jar_load_policy, cj_jar_new_with, cj_jar_open_with, cj_jar_purge_expired, cj_jar_remove,
    cj_jar_set_consent, cj_jar_set_gpc, cj_options, cj_options_free, cj_options_new,
    cj_options_set_durability, cj_options_set_lax_by_default, cj_options_set_max_cookies,
    cj_options_set_max_cookies_per_site, cj_options_set_persist_session_cookies, cj_priority,
    cj_same_site,
};
pub use records::{
    cj_jar_export_netscape, cj_jar_export_netscape_file, cj_jar_for_each_matching_cookie,
    cj_jar_get, cj_jar_import_netscape, cj_jar_import_netscape_file, cj_jar_insert,
};
pub use status::{cj_category, cj_status, cj_status_name};
pub use version::cj_version;

/// Test hooks, not part of the API: they may change or vanish in any release.
#[doc(hidden)]
pub mod testing {
    /// Makes the next status-returning `cj_` call on this thread panic inside its boundary,
    /// so that tests can check that a panic becomes `CJ_STATUS_PANIC` and never crosses into
    /// C. Rust-only, so it adds no C symbol; it costs one thread-local read per call.
    pub fn panic_in_next_call() {
        super::boundary::arm_panic();
    }
}
