//! `cj_status`, `cj_category` and the mapping from the engine's errors to status codes.

use std::ffi::{c_char, c_int, CStr};
use std::mem::MaybeUninit;

use super::boundary::{ffi_boundary, raw_enum};
use crate::rfc::parse::ParseError;
use crate::{Rejection, SetCookieError, StoreError, UrlError};

/// The result of every fallible `cj_` function.
///
/// `CJ_STATUS_OK` (0) is success; every other value is a failure, and the calling thread's
/// `cj_last_error` then holds a message that says more. Codes come in blocks and are never
/// renumbered; a retired code stays reserved:
///
/// - 0: success.
/// - 1–99: the arguments of the call were unusable; nothing was changed.
/// - 100–149: the cookie was ignored, one code per rule of RFC 6265bis that refused it
///   (`cj_jar_set_cookie*` only); the jar is unchanged.
/// - 150–199: consent refusals.
/// - 200–299: storage errors of file-backed jars.
/// - 900–999: a bug in the library.
///
/// `cj_status_name` gives the name of a code as a string. A caller should treat an unknown
/// non-zero value (from a newer library) as a failure.
#[repr(C)]
#[must_use]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum cj_status {
    /// Success. For `cj_jar_set_cookie*` this also covers a cookie that deleted a stored one
    /// (an expiry in the past) and an already expired cookie that matched nothing.
    CJ_STATUS_OK = 0,

    // ----- 1–99: arguments ------------------------------------------------------------------
    /// A pointer argument that must not be NULL was NULL. The message names the argument.
    CJ_STATUS_NULL_ARGUMENT = 1,
    /// A string argument is not valid UTF-8.
    CJ_STATUS_INVALID_UTF8 = 2,
    /// A URL argument is not an absolute URL, or has no host.
    CJ_STATUS_INVALID_URL = 3,
    /// The request URL's scheme does not carry cookies: only `http`, `https`, `ws` and `wss`
    /// do.
    CJ_STATUS_UNSUPPORTED_SCHEME = 4,
    /// A non-pointer argument is out of range (unknown flag bits, a meaningless combination).
    CJ_STATUS_INVALID_ARGUMENT = 5,

    // ----- 100–149: rejections, one per `cookiejar::Rejection` ------------------------------
    /// The `Set-Cookie` value contains a control character other than horizontal tab
    /// (RFC 6265bis §5.6 step 1).
    CJ_STATUS_CONTROL_CHARACTER = 100,
    /// The cookie's name and value together exceed 4096 bytes (§5.6 step 5).
    CJ_STATUS_NAME_VALUE_TOO_LONG = 101,
    /// The cookie has neither a name nor a value (§5.7 step 2).
    CJ_STATUS_EMPTY_COOKIE = 102,
    /// The `Domain` attribute contains a non-ASCII character (§5.7 step 8).
    CJ_STATUS_NON_ASCII_DOMAIN = 103,
    /// The `Domain` attribute is not a valid host name.
    CJ_STATUS_INVALID_DOMAIN = 104,
    /// The `Domain` attribute is a public suffix such as `com` or `co.uk` (a "supercookie",
    /// §5.7 step 9).
    CJ_STATUS_PUBLIC_SUFFIX = 105,
    /// The request host does not domain-match the `Domain` attribute (§5.7 step 10).
    CJ_STATUS_DOMAIN_MISMATCH = 106,
    /// A `Secure` cookie was received over an insecure origin (§5.7 step 13).
    CJ_STATUS_SECURE_FROM_INSECURE_ORIGIN = 107,
    /// An `HttpOnly` cookie was set through a non-HTTP API (`CJ_REQUEST_NON_HTTP`, §5.7
    /// step 15).
    CJ_STATUS_HTTP_ONLY_FROM_NON_HTTP = 108,
    /// An insecure origin tried to overwrite or shadow a `Secure` cookie of the same name
    /// ("leave secure cookies alone", §5.7 step 16).
    CJ_STATUS_OVERWRITE_SECURE = 109,
    /// A `SameSite=Lax`/`Strict` cookie (or one without `SameSite`, which is Lax by default)
    /// was set by a cross-site subresource response (§5.7 step 17).
    CJ_STATUS_SAME_SITE_CROSS_SITE = 110,
    /// `SameSite=None` without `Secure` (§5.7 step 18).
    CJ_STATUS_SAME_SITE_NONE_INSECURE = 111,
    /// A `__Secure-` cookie without `Secure` (§5.4, §5.7 step 19).
    CJ_STATUS_SECURE_PREFIX = 112,
    /// A `__Host-` cookie without `Secure`, with a `Domain` attribute, or with a path other
    /// than `/` (§5.4, §5.7 step 20).
    CJ_STATUS_HOST_PREFIX = 113,
    /// A nameless cookie whose value starts with `__Secure-` or `__Host-` (§5.7 step 21).
    CJ_STATUS_NAMELESS_PREFIX = 114,
    /// A `Partitioned` cookie without `Secure` (CHIPS).
    CJ_STATUS_PARTITIONED_INSECURE = 115,
    /// A non-HTTP API (`CJ_REQUEST_NON_HTTP`) tried to overwrite an `HttpOnly` cookie (§5.7
    /// step 22).
    CJ_STATUS_OVERWRITE_HTTP_ONLY = 116,
    /// The cookie's domain, path or partition key is longer than 1024 bytes (a path can come
    /// from a very long request URL).
    CJ_STATUS_FIELD_TOO_LONG = 117,

    // ----- 150–199: consent refusals --------------------------------------------------------
    /// The user's consent on the top-level site does not allow this cookie's category.
    CJ_STATUS_CONSENT_DENIED = 150,
    /// No rule classifies the cookie, and unclassified cookies need consent that was not
    /// given (the jar fails closed once consent is set).
    CJ_STATUS_CONSENT_UNCLASSIFIED = 151,

    // ----- 200–299: storage (file-backed jars) -------------------------------------------------
    /// An I/O error on the jar file (`cj_last_error` names the operation and the system
    /// error). When it came from a change, the change was not applied and the jar is now
    /// poisoned.
    CJ_STATUS_IO = 200,
    /// The jar file is already open, by another process or another handle of this one (it is
    /// locked while open).
    CJ_STATUS_LOCKED = 201,
    /// The path is a symlink or not a regular file; symlinks are not followed.
    CJ_STATUS_NOT_A_FILE = 202,
    /// The file is not a cookiejar file; it was left untouched.
    CJ_STATUS_NOT_A_JAR_FILE = 203,
    /// The jar file's header is corrupt; the file was left untouched.
    CJ_STATUS_CORRUPT_HEADER = 204,
    /// The jar file was written by a newer, incompatible version; it was left untouched.
    CJ_STATUS_UNSUPPORTED_VERSION = 205,
    /// An earlier write to the jar file failed: the jar refuses changes until it is reopened
    /// (lookups still work).
    CJ_STATUS_POISONED = 206,

    // ----- 900–999: internal ----------------------------------------------------------------
    /// The library panicked (a bug; please report it with the `cj_last_error` message). The
    /// call had no effect on the output parameters; a jar it was given is still safe to use
    /// and to free, but its contents may be incomplete.
    CJ_STATUS_PANIC = 900,
    /// An internal invariant failed (a bug; please report it with the `cj_last_error`
    /// message).
    CJ_STATUS_INTERNAL = 901,
}

use cj_status::*;

impl cj_status {
    /// Every status, in code order; what `cj_status_name` knows. `tests/ffi.rs` checks it
    /// against the enum as the header declares it.
    const ALL: [cj_status; 35] = [
        CJ_STATUS_OK,
        CJ_STATUS_NULL_ARGUMENT,
        CJ_STATUS_INVALID_UTF8,
        CJ_STATUS_INVALID_URL,
        CJ_STATUS_UNSUPPORTED_SCHEME,
        CJ_STATUS_INVALID_ARGUMENT,
        CJ_STATUS_CONTROL_CHARACTER,
        CJ_STATUS_NAME_VALUE_TOO_LONG,
        CJ_STATUS_EMPTY_COOKIE,
        CJ_STATUS_NON_ASCII_DOMAIN,
        CJ_STATUS_INVALID_DOMAIN,
        CJ_STATUS_PUBLIC_SUFFIX,
        CJ_STATUS_DOMAIN_MISMATCH,
        CJ_STATUS_SECURE_FROM_INSECURE_ORIGIN,
        CJ_STATUS_HTTP_ONLY_FROM_NON_HTTP,
        CJ_STATUS_OVERWRITE_SECURE,
        CJ_STATUS_SAME_SITE_CROSS_SITE,
        CJ_STATUS_SAME_SITE_NONE_INSECURE,
        CJ_STATUS_SECURE_PREFIX,
        CJ_STATUS_HOST_PREFIX,
        CJ_STATUS_NAMELESS_PREFIX,
        CJ_STATUS_PARTITIONED_INSECURE,
        CJ_STATUS_OVERWRITE_HTTP_ONLY,
        CJ_STATUS_FIELD_TOO_LONG,
        CJ_STATUS_CONSENT_DENIED,
        CJ_STATUS_CONSENT_UNCLASSIFIED,
        CJ_STATUS_IO,
        CJ_STATUS_LOCKED,
        CJ_STATUS_NOT_A_FILE,
        CJ_STATUS_NOT_A_JAR_FILE,
        CJ_STATUS_CORRUPT_HEADER,
        CJ_STATUS_UNSUPPORTED_VERSION,
        CJ_STATUS_POISONED,
        CJ_STATUS_PANIC,
        CJ_STATUS_INTERNAL,
    ];

    /// The status whose code is `raw`, if there is one.
    pub fn from_raw(raw: c_int) -> Option<cj_status> {
        Self::ALL.into_iter().find(|s| *s as c_int == raw)
    }

    /// The status's name as it appears in `cookiejar.h`.
    pub fn name(self) -> &'static CStr {
        match self {
            CJ_STATUS_OK => c"CJ_STATUS_OK",
            CJ_STATUS_NULL_ARGUMENT => c"CJ_STATUS_NULL_ARGUMENT",
            CJ_STATUS_INVALID_UTF8 => c"CJ_STATUS_INVALID_UTF8",
            CJ_STATUS_INVALID_URL => c"CJ_STATUS_INVALID_URL",
            CJ_STATUS_UNSUPPORTED_SCHEME => c"CJ_STATUS_UNSUPPORTED_SCHEME",
            CJ_STATUS_INVALID_ARGUMENT => c"CJ_STATUS_INVALID_ARGUMENT",
            CJ_STATUS_CONTROL_CHARACTER => c"CJ_STATUS_CONTROL_CHARACTER",
            CJ_STATUS_NAME_VALUE_TOO_LONG => c"CJ_STATUS_NAME_VALUE_TOO_LONG",
            CJ_STATUS_EMPTY_COOKIE => c"CJ_STATUS_EMPTY_COOKIE",
            CJ_STATUS_NON_ASCII_DOMAIN => c"CJ_STATUS_NON_ASCII_DOMAIN",
            CJ_STATUS_INVALID_DOMAIN => c"CJ_STATUS_INVALID_DOMAIN",
            CJ_STATUS_PUBLIC_SUFFIX => c"CJ_STATUS_PUBLIC_SUFFIX",
            CJ_STATUS_DOMAIN_MISMATCH => c"CJ_STATUS_DOMAIN_MISMATCH",
            CJ_STATUS_SECURE_FROM_INSECURE_ORIGIN => c"CJ_STATUS_SECURE_FROM_INSECURE_ORIGIN",
            CJ_STATUS_HTTP_ONLY_FROM_NON_HTTP => c"CJ_STATUS_HTTP_ONLY_FROM_NON_HTTP",
            CJ_STATUS_OVERWRITE_SECURE => c"CJ_STATUS_OVERWRITE_SECURE",
            CJ_STATUS_SAME_SITE_CROSS_SITE => c"CJ_STATUS_SAME_SITE_CROSS_SITE",
            CJ_STATUS_SAME_SITE_NONE_INSECURE => c"CJ_STATUS_SAME_SITE_NONE_INSECURE",
            CJ_STATUS_SECURE_PREFIX => c"CJ_STATUS_SECURE_PREFIX",
            CJ_STATUS_HOST_PREFIX => c"CJ_STATUS_HOST_PREFIX",
            CJ_STATUS_NAMELESS_PREFIX => c"CJ_STATUS_NAMELESS_PREFIX",
            CJ_STATUS_PARTITIONED_INSECURE => c"CJ_STATUS_PARTITIONED_INSECURE",
            CJ_STATUS_OVERWRITE_HTTP_ONLY => c"CJ_STATUS_OVERWRITE_HTTP_ONLY",
            CJ_STATUS_FIELD_TOO_LONG => c"CJ_STATUS_FIELD_TOO_LONG",
            CJ_STATUS_CONSENT_DENIED => c"CJ_STATUS_CONSENT_DENIED",
            CJ_STATUS_CONSENT_UNCLASSIFIED => c"CJ_STATUS_CONSENT_UNCLASSIFIED",
            CJ_STATUS_IO => c"CJ_STATUS_IO",
            CJ_STATUS_LOCKED => c"CJ_STATUS_LOCKED",
            CJ_STATUS_NOT_A_FILE => c"CJ_STATUS_NOT_A_FILE",
            CJ_STATUS_NOT_A_JAR_FILE => c"CJ_STATUS_NOT_A_JAR_FILE",
            CJ_STATUS_CORRUPT_HEADER => c"CJ_STATUS_CORRUPT_HEADER",
            CJ_STATUS_UNSUPPORTED_VERSION => c"CJ_STATUS_UNSUPPORTED_VERSION",
            CJ_STATUS_POISONED => c"CJ_STATUS_POISONED",
            CJ_STATUS_PANIC => c"CJ_STATUS_PANIC",
            CJ_STATUS_INTERNAL => c"CJ_STATUS_INTERNAL",
        }
    }

    /// The status for a refused cookie. The match is exhaustive on purpose: a new
    /// `Rejection` (or `ParseError`) variant does not compile until it has its own code.
    pub(crate) fn from_rejection(r: Rejection) -> cj_status {
        match r {
            Rejection::Parse(ParseError::ControlCharacter) => CJ_STATUS_CONTROL_CHARACTER,
            Rejection::Parse(ParseError::NameValueTooLong) => CJ_STATUS_NAME_VALUE_TOO_LONG,
            Rejection::Parse(ParseError::EmptyNameAndValue) => CJ_STATUS_EMPTY_COOKIE,
            Rejection::NonAsciiDomain => CJ_STATUS_NON_ASCII_DOMAIN,
            Rejection::InvalidDomain => CJ_STATUS_INVALID_DOMAIN,
            Rejection::PublicSuffix => CJ_STATUS_PUBLIC_SUFFIX,
            Rejection::DomainMismatch => CJ_STATUS_DOMAIN_MISMATCH,
            Rejection::SecureFromInsecureOrigin => CJ_STATUS_SECURE_FROM_INSECURE_ORIGIN,
            Rejection::HttpOnlyFromNonHttpApi => CJ_STATUS_HTTP_ONLY_FROM_NON_HTTP,
            Rejection::OverwriteSecure => CJ_STATUS_OVERWRITE_SECURE,
            Rejection::SameSiteCrossSite => CJ_STATUS_SAME_SITE_CROSS_SITE,
            Rejection::SameSiteNoneInsecure => CJ_STATUS_SAME_SITE_NONE_INSECURE,
            Rejection::SecurePrefix => CJ_STATUS_SECURE_PREFIX,
            Rejection::HostPrefix => CJ_STATUS_HOST_PREFIX,
            Rejection::NamelessPrefix => CJ_STATUS_NAMELESS_PREFIX,
            Rejection::PartitionedInsecure => CJ_STATUS_PARTITIONED_INSECURE,
            Rejection::OverwriteHttpOnly => CJ_STATUS_OVERWRITE_HTTP_ONLY,
            Rejection::FieldTooLong => CJ_STATUS_FIELD_TOO_LONG,
            Rejection::ConsentDenied(crate::consent::Category::Unclassified) => {
                CJ_STATUS_CONSENT_UNCLASSIFIED
            }
            Rejection::ConsentDenied(_) => CJ_STATUS_CONSENT_DENIED,
        }
    }

    /// The status for a request URL that cannot carry cookies (exhaustive, as above).
    pub(crate) fn from_url_error(e: &UrlError) -> cj_status {
        match e {
            UrlError::Parse(_) | UrlError::NoHost => CJ_STATUS_INVALID_URL,
            UrlError::UnsupportedScheme(_) => CJ_STATUS_UNSUPPORTED_SCHEME,
        }
    }

    /// The status for a jar-file error (exhaustive, as above).
    pub(crate) fn from_store_error(e: &StoreError) -> cj_status {
        match e {
            StoreError::Io { .. } => CJ_STATUS_IO,
            StoreError::Locked => CJ_STATUS_LOCKED,
            StoreError::NotAFile => CJ_STATUS_NOT_A_FILE,
            StoreError::NotAJarFile => CJ_STATUS_NOT_A_JAR_FILE,
            StoreError::CorruptHeader => CJ_STATUS_CORRUPT_HEADER,
            StoreError::UnsupportedVersion { .. } => CJ_STATUS_UNSUPPORTED_VERSION,
            StoreError::Poisoned(_) => CJ_STATUS_POISONED,
        }
    }

    /// The status for a failed `set_cookie` (exhaustive, as above).
    pub(crate) fn from_set_cookie_error(e: &SetCookieError) -> cj_status {
        match e {
            SetCookieError::Url(u) => cj_status::from_url_error(u),
            SetCookieError::Rejected(r) => cj_status::from_rejection(*r),
            SetCookieError::Storage(e) => cj_status::from_store_error(e),
        }
    }
}

// Why this representation: C may pass any `uint32_t` where a `cj_category` is expected, but a
// Rust enum holding a value outside its variants is undefined behaviour. cbindgen turns a
// `#[repr(u32)]` enum into the enumerators plus a C type that is exactly `uint32_t` (an enum
// with `uint32_t` underneath in C++ and C23), so C keeps the names, `switch` warnings and
// debugger display. Every function that receives one will take `MaybeUninit<cj_category>`:
// cbindgen prints it as `cj_category`, but Rust never assumes it valid; the boundary reads the
// raw `u32` (`boundary::raw_enum`) and validates it with `cj_category::from_raw`, an unknown
// value giving `CJ_STATUS_INVALID_ARGUMENT`. (`typedef uint32_t` with `#define`d names would be
// as safe, but loses the enum; a `#[repr(C)]` enum parameter would be UB on a bad value.)

/// The consent category of a cookie, for the consent functions (which a later version adds).
///
/// In C a `uint32_t` holding one of the values below (in C++ and C23, an enum with `uint32_t`
/// as its underlying type). The bit `1u << category` stands for the category in a set of
/// granted categories. Functions receiving a value outside this list return
/// `CJ_STATUS_INVALID_ARGUMENT`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum cj_category {
    /// Strictly necessary cookies (sessions, security, load balancing); never need consent.
    CJ_CATEGORY_NECESSARY = 0,
    /// Preferences: language, region, display choices.
    CJ_CATEGORY_PREFERENCES = 1,
    /// Statistics: analytics and measurement.
    CJ_CATEGORY_STATISTICS = 2,
    /// Marketing: advertising and cross-site tracking.
    CJ_CATEGORY_MARKETING = 3,
    /// Not classified by any rule.
    CJ_CATEGORY_UNCLASSIFIED = 4,
}

impl cj_category {
    /// The category whose value is `raw`, if there is one.
    pub fn from_raw(raw: u32) -> Option<cj_category> {
        use cj_category::*;
        [
            CJ_CATEGORY_NECESSARY,
            CJ_CATEGORY_PREFERENCES,
            CJ_CATEGORY_STATISTICS,
            CJ_CATEGORY_MARKETING,
            CJ_CATEGORY_UNCLASSIFIED,
        ]
        .into_iter()
        .find(|c| *c as u32 == raw)
    }
}

/// The name of a status code as a static string, such as `"CJ_STATUS_PUBLIC_SUFFIX"`.
///
/// Returns `"CJ_STATUS_UNKNOWN"` (a name no status has) for a value that is not a status of
/// this version of the library. The string lives as long as the program; do not free it.
///
/// Thread-safe; does not change the calling thread's last error.
///
/// # Safety
///
/// None beyond passing an integer: any value is accepted.
#[no_mangle]
pub unsafe extern "C" fn cj_status_name(status: MaybeUninit<cj_status>) -> *const c_char {
    ffi_boundary!(infallible "cj_status_name", or c"CJ_STATUS_UNKNOWN".as_ptr(), {}, {
        // SAFETY: a C caller always passes an initialised integer of the enum's size.
        let raw: c_int = unsafe { raw_enum(status) };
        cj_status::from_raw(raw).map_or(c"CJ_STATUS_UNKNOWN", cj_status::name).as_ptr()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_named_after_its_variant() {
        for s in cj_status::ALL {
            assert_eq!(s.name().to_str().unwrap(), format!("{s:?}"));
            assert_eq!(cj_status::from_raw(s as c_int), Some(s));
        }
    }

    #[test]
    fn category_round_trips_and_refuses_unknown_values() {
        for raw in 0..5 {
            assert_eq!(cj_category::from_raw(raw).map(|c| c as u32), Some(raw));
        }
        assert_eq!(cj_category::from_raw(5), None);
        assert_eq!(cj_category::from_raw(u32::MAX), None);
    }
}
