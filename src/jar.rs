//! The jar: storage model (RFC 6265bis §5.7), retrieval (§5.8), limits and eviction.
//!
//! Cookies live in buckets keyed by the registrable domain (eTLD+1) of their `Domain`. Every
//! host that can domain-match a cookie shares that cookie's registrable domain, so a lookup
//! computes one key from the request host (one public-suffix lookup, no allocation), reads one
//! bucket (at most `max_cookies_per_site` cookies) and never walks the other sites.
//!
//! Locking: one `RwLock` over the whole store. Lookups take it shared — they only update the
//! last-access time, which is an atomic — so readers run in parallel; changes take it exclusively.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use parking_lot::{RwLock, RwLockReadGuard, RwLockUpgradableReadGuard, RwLockWriteGuard};
use smallvec::SmallVec;
use url::Url;

use crate::consent::{
    Category, CategorySet, Classification, Classifier, Consent, ConsentState, Decision, Exemption,
    PolicyError, Profile, Requirement, Rule, RuleError, Source, UnclassifiedPolicy,
};
use crate::rfc::host::{self, CanonHost, DomainAttributeError, HostKind};
use crate::rfc::parse::{self, ParseError, Priority, SameSite};
use crate::rfc::path::{default_path, path_match, path_match_bytes};
use crate::rfc::same_bytes;
use crate::rfc::suffix::{self, PublicSuffixList};
use crate::store::codec::{
    ConsentRecord, CookieKeyRef, CookieRecordRef, Record, RecordRef, RecordView, RuleRecord,
    SettingsRecord, SESSION,
};
use crate::store::storage::Storage;
use crate::store::{Durability, OpenReport, Scanned, Store, StoreError, COMPACT_MIN_DEAD};

/// RFC 6265bis §5.5: the cookie-age-limit, 400 days, in milliseconds.
pub const MAX_AGE_LIMIT_MS: i64 = 400 * 24 * 60 * 60 * 1000;

/// The longest domain, path or partition key a cookie may have, in bytes (the attribute-value
/// limit of RFC 6265bis §5.6, applied to the computed values too, so that every stored cookie
/// fits a file record).
pub const MAX_FIELD_BYTES: usize = 1024;

/// Chromium's "Lax-allowing-unsafe" window (RFC 6265bis §5.6.7.1): a cookie without a
/// `SameSite` attribute younger than this is still sent on a cross-site top-level navigation
/// with an unsafe method (a POST-based login flow).
const LAX_ALLOWING_UNSAFE_MS: i64 = 2 * 60 * 1000;

/// The current Unix time in milliseconds, from the system clock.
///
/// The only place the engine reads the clock; every operation has an `*_at` form that takes
/// the time instead.
///
/// On Linux this is the kernel's coarse real-time clock, which lags the precise one by at most
/// a scheduler tick (1–4 ms) and costs a quarter of it: 4.6 ns against 18.8 ns a read on the
/// development machine, where the precise read was about a tenth of storing a cookie through
/// reqwest's trait. A cookie's times need no finer grain: expiry is in seconds, and cookies
/// created in the same tick keep their order by insertion (RFC 6265bis §5.8.3 step 2 only asks
/// for creation order).
pub fn now_ms() -> i64 {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec for the call to fill; nothing else is
        // touched.
        if unsafe { libc::clock_gettime(libc::CLOCK_REALTIME_COARSE, &mut ts) } == 0 {
            // `time_t` and `c_long` are 32 bits on some targets, 64 on this one.
            #[allow(clippy::useless_conversion)]
            let (secs, nanos) = (i64::from(ts.tv_sec), i64::from(ts.tv_nsec));
            let millis = nanos / 1_000_000;
            return secs.saturating_mul(1000).saturating_add(millis);
        }
    }
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
    }
}

/// How a jar is configured. Start from [`JarOptions::default`] and change what you need.
#[derive(Clone)]
pub struct JarOptions {
    max_cookies_per_site: usize,
    max_cookies: usize,
    lax_by_default: bool,
    public_suffixes: Arc<dyn PublicSuffixList>,
    durability: Durability,
    persist_session_cookies: bool,
}

impl Default for JarOptions {
    fn default() -> Self {
        JarOptions {
            max_cookies_per_site: 180,
            max_cookies: 3300,
            lax_by_default: true,
            public_suffixes: Arc::new(psl::List),
            durability: Durability::Process,
            persist_session_cookies: false,
        }
    }
}

impl fmt::Debug for JarOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JarOptions")
            .field("max_cookies_per_site", &self.max_cookies_per_site)
            .field("max_cookies", &self.max_cookies)
            .field("lax_by_default", &self.lax_by_default)
            .field("durability", &self.durability)
            .field("persist_session_cookies", &self.persist_session_cookies)
            .finish_non_exhaustive()
    }
}

impl JarOptions {
    /// The most cookies kept for one registrable domain (default 180, as in Chromium). When a
    /// site goes over, expired cookies go first, then the least valuable ones (see
    /// [`Jar`]), down to five sixths of the limit. At least 1.
    pub fn max_cookies_per_site(mut self, n: usize) -> Self {
        self.max_cookies_per_site = n.max(1);
        self
    }

    /// The most cookies kept in all (default 3300, as in Chromium). When the jar goes over, it
    /// evicts down to ten elevenths of the limit. At least 1.
    pub fn max_cookies(mut self, n: usize) -> Self {
        self.max_cookies = n.max(1);
        self
    }

    /// Whether a cookie without a `SameSite` attribute is treated as `Lax` (true, the default,
    /// as in Chromium; RFC 6265bis §5.6.7 "Default" enforcement) or as `None` (false, as in
    /// Firefox and Safari).
    pub fn lax_by_default(mut self, yes: bool) -> Self {
        self.lax_by_default = yes;
        self
    }

    /// Replaces the compiled-in public suffix list, for instance with a `publicsuffix::List`
    /// parsed at run time from a newer `public_suffix_list.dat`. Any [`psl::Psl`] will do.
    pub fn public_suffix_list(mut self, list: impl PublicSuffixList + 'static) -> Self {
        self.public_suffixes = Arc::new(list);
        self
    }

    /// For a file jar: how each change is made durable (default [`Durability::Process`]: in
    /// the file before the call returns, surviving a killed process; [`Durability::Sync`]
    /// also msyncs it, surviving power loss).
    pub fn durability(mut self, durability: Durability) -> Self {
        self.durability = durability;
        self
    }

    /// For a file jar: whether session cookies (no `Expires`/`Max-Age`) are written to the
    /// file and restored on open (default false: like a browser, a new session starts without
    /// them).
    pub fn persist_session_cookies(mut self, yes: bool) -> Self {
        self.persist_session_cookies = yes;
        self
    }
}

/// What kind of request the cookies are for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestKind {
    /// A request for a resource of a page (an image, a script, a `fetch`).
    Subresource,
    /// A top-level navigation; `safe_method` is true for GET, HEAD, OPTIONS and TRACE.
    Navigation {
        /// Whether the request method is "safe" (RFC 9110 §9.2.1).
        safe_method: bool,
    },
}

/// A request, with the context that decides which cookies it may set and receive.
///
/// [`Request::new`] is what a plain HTTP client makes: the request is its own top level, so it
/// is same-site and first-party. The other constructors describe what a browser would:
/// a subresource of a page on another site, or a navigation started from another site.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    url: &'a Url,
    initiator: Option<&'a Url>,
    kind: RequestKind,
    http_api: bool,
}

impl<'a> Request<'a> {
    /// A request that is its own top level (what a plain HTTP client sends).
    pub fn new(url: &'a Url) -> Self {
        Request {
            url,
            initiator: None,
            kind: RequestKind::Navigation { safe_method: true },
            http_api: true,
        }
    }

    /// A subresource request issued by the page at `top_level`: cross-site when `top_level` is
    /// on another site, and then partitioned under that site.
    pub fn subresource_of(url: &'a Url, top_level: &'a Url) -> Self {
        Request {
            url,
            initiator: Some(top_level),
            kind: RequestKind::Subresource,
            http_api: true,
        }
    }

    /// A top-level navigation to `url` started by a page at `initiator`, with a safe method or
    /// not.
    pub fn navigation_from(url: &'a Url, initiator: &'a Url, safe_method: bool) -> Self {
        Request {
            url,
            initiator: Some(initiator),
            kind: RequestKind::Navigation { safe_method },
            http_api: true,
        }
    }

    /// The same request made through a non-HTTP API (like `document.cookie`): `HttpOnly`
    /// cookies can be neither set nor read (RFC 6265bis §5.7, §5.8.2).
    pub fn non_http(mut self) -> Self {
        self.http_api = false;
        self
    }

    /// The request URL.
    pub fn url(&self) -> &'a Url {
        self.url
    }
}

/// Why a request URL cannot carry cookies.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// The text is not a URL.
    Parse(url::ParseError),
    /// Only `http`, `https`, `ws` and `wss` URLs carry cookies.
    UnsupportedScheme(String),
    /// The URL has no host.
    NoHost,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::Parse(e) => write!(f, "not a valid URL: {e}"),
            UrlError::UnsupportedScheme(s) => {
                write!(
                    f,
                    "the scheme {s:?} does not carry cookies (http, https, ws, wss do)"
                )
            }
            UrlError::NoHost => f.write_str("the URL has no host"),
        }
    }
}

impl std::error::Error for UrlError {}

/// Parses an absolute request URL and checks that it can carry cookies.
pub fn parse_request_url(text: &str) -> Result<Url, UrlError> {
    let url = Url::parse(text).map_err(UrlError::Parse)?;
    check_url(&url)?;
    Ok(url)
}

fn check_url(url: &Url) -> Result<(), UrlError> {
    match url.scheme() {
        "http" | "https" | "ws" | "wss" => {}
        other => return Err(UrlError::UnsupportedScheme(other.to_owned())),
    }
    if CanonHost::of_url(url).is_none() {
        return Err(UrlError::NoHost);
    }
    Ok(())
}

/// Why a cookie was ignored. Each rule of the storage model that can refuse a cookie has its
/// own variant, so a caller can tell a user exactly what went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rejection {
    /// The header could not be parsed (RFC 6265bis §5.6).
    Parse(ParseError),
    /// The `Domain` attribute holds a non-ASCII character (§5.7 step 8).
    NonAsciiDomain,
    /// The `Domain` attribute is not a valid host name.
    InvalidDomain,
    /// The `Domain` attribute is a public suffix other than the request host (§5.7 step 9).
    PublicSuffix,
    /// The request host does not domain-match the `Domain` attribute (§5.7 step 10).
    DomainMismatch,
    /// A `Secure` cookie from an insecure origin (§5.7 step 13).
    SecureFromInsecureOrigin,
    /// An `HttpOnly` cookie set through a non-HTTP API (§5.7 step 15).
    HttpOnlyFromNonHttpApi,
    /// An insecure origin tried to shadow or overwrite a `Secure` cookie ("leave secure
    /// cookies alone", §5.7 step 16).
    OverwriteSecure,
    /// A `SameSite=Lax`/`Strict` (or defaulted) cookie set by a cross-site subresource response
    /// (§5.7 step 17).
    SameSiteCrossSite,
    /// `SameSite=None` without `Secure` (§5.7 step 18).
    SameSiteNoneInsecure,
    /// A `__Secure-` cookie without `Secure` (§5.4, §5.7 step 19).
    SecurePrefix,
    /// A `__Host-` cookie without `Secure`, with a `Domain`, or with a path other than `/`
    /// (§5.4, §5.7 step 20).
    HostPrefix,
    /// A nameless cookie whose value starts with `__Secure-` or `__Host-` (§5.7 step 21).
    NamelessPrefix,
    /// A `Partitioned` cookie without `Secure` (CHIPS).
    PartitionedInsecure,
    /// A non-HTTP API tried to overwrite an `HttpOnly` cookie (§5.7 step 22).
    OverwriteHttpOnly,
    /// The cookie's domain, path or partition key is longer than [`MAX_FIELD_BYTES`] (a path
    /// can come from a very long request URL).
    FieldTooLong,
    /// The user's consent does not allow this category of cookie on the top-level site
    /// (`Unclassified` when no rule knows the cookie and the policy fails closed).
    ConsentDenied(Category),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Parse(e) => write!(f, "unparsable Set-Cookie: {e}"),
            Rejection::NonAsciiDomain => f.write_str("the Domain attribute is not ASCII"),
            Rejection::InvalidDomain => f.write_str("the Domain attribute is not a valid host"),
            Rejection::PublicSuffix => {
                f.write_str("the Domain attribute is a public suffix (a supercookie)")
            }
            Rejection::DomainMismatch => {
                f.write_str("the request host does not domain-match the Domain attribute")
            }
            Rejection::SecureFromInsecureOrigin => {
                f.write_str("a Secure cookie can only be set from a secure origin")
            }
            Rejection::HttpOnlyFromNonHttpApi => {
                f.write_str("an HttpOnly cookie cannot be set through a non-HTTP API")
            }
            Rejection::OverwriteSecure => f.write_str(
                "an insecure origin cannot overwrite or shadow a Secure cookie of the same name",
            ),
            Rejection::SameSiteCrossSite => f.write_str(
                "a SameSite Lax/Strict cookie cannot be set by a cross-site subresource response",
            ),
            Rejection::SameSiteNoneInsecure => f.write_str("SameSite=None requires Secure"),
            Rejection::SecurePrefix => f.write_str("a __Secure- cookie requires Secure"),
            Rejection::HostPrefix => {
                f.write_str("a __Host- cookie requires Secure, Path=/ and no Domain attribute")
            }
            Rejection::NamelessPrefix => {
                f.write_str("a nameless cookie's value cannot start with __Secure- or __Host-")
            }
            Rejection::PartitionedInsecure => f.write_str("a Partitioned cookie requires Secure"),
            Rejection::OverwriteHttpOnly => {
                f.write_str("a non-HTTP API cannot overwrite an HttpOnly cookie")
            }
            Rejection::FieldTooLong => {
                f.write_str("the cookie's domain, path or partition is longer than 1024 bytes")
            }
            Rejection::ConsentDenied(Category::Unclassified) => f.write_str(
                "no rule classifies this cookie, and unclassified cookies need consent that was not given",
            ),
            Rejection::ConsentDenied(c) => {
                write!(f, "the user has not consented to {c} cookies on this site")
            }
        }
    }
}

impl std::error::Error for Rejection {}

/// Why a `set_cookie` call stored nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SetCookieError {
    /// The request URL cannot carry cookies.
    Url(UrlError),
    /// The cookie was ignored, for this reason.
    Rejected(Rejection),
    /// The jar file could not record the change; the change was not applied (see
    /// [`StoreError`]).
    Storage(StoreError),
}

impl fmt::Display for SetCookieError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetCookieError::Url(e) => e.fmt(f),
            SetCookieError::Rejected(r) => write!(f, "cookie ignored: {r}"),
            SetCookieError::Storage(e) => write!(f, "cookie not stored: {e}"),
        }
    }
}

impl std::error::Error for SetCookieError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SetCookieError::Url(e) => Some(e),
            SetCookieError::Rejected(r) => Some(r),
            SetCookieError::Storage(e) => Some(e),
        }
    }
}

impl From<Rejection> for SetCookieError {
    fn from(r: Rejection) -> Self {
        SetCookieError::Rejected(r)
    }
}

impl From<StoreError> for SetCookieError {
    fn from(e: StoreError) -> Self {
        SetCookieError::Storage(e)
    }
}

impl From<UrlError> for SetCookieError {
    fn from(e: UrlError) -> Self {
        SetCookieError::Url(e)
    }
}

/// Why a consent change failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConsentChangeError {
    /// A rule was refused (an empty name, a domain that is a public suffix...).
    Rule(RuleError),
    /// A policy file did not parse.
    Policy(String),
    /// `Necessary` and `Unclassified` are not the user's to grant or deny.
    NotDecidable(Category),
    /// The jar file could not record the purge.
    Storage(StoreError),
}

impl fmt::Display for ConsentChangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConsentChangeError::Rule(e) => write!(f, "rule refused: {e}"),
            ConsentChangeError::Policy(e) => write!(f, "policy file: {e}"),
            ConsentChangeError::NotDecidable(c) => write!(f, "{c} is not the user's to decide"),
            ConsentChangeError::Storage(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ConsentChangeError {}

impl From<StoreError> for ConsentChangeError {
    fn from(e: StoreError) -> Self {
        ConsentChangeError::Storage(e)
    }
}

impl From<RuleError> for ConsentChangeError {
    fn from(e: RuleError) -> Self {
        ConsentChangeError::Rule(e)
    }
}

impl From<PolicyError> for ConsentChangeError {
    fn from(e: PolicyError) -> Self {
        ConsentChangeError::Policy(e.to_string())
    }
}

/// What an accepted `Set-Cookie` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SetOutcome {
    /// A new cookie was stored.
    Stored,
    /// A cookie with the same name, domain, path and partition was replaced (its creation time
    /// kept).
    Replaced,
    /// The cookie had already expired and removed its stored match.
    Deleted,
    /// The cookie had already expired and matched nothing, so nothing changed.
    Expired,
}

/// A stored cookie, copied out of the jar with all its metadata.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Cookie {
    /// The name (may be empty).
    pub name: String,
    /// The value.
    pub value: String,
    /// The domain: the request host for a host-only cookie, else the `Domain` attribute.
    pub domain: String,
    /// The path.
    pub path: String,
    /// Sent only to `domain` itself, not to its subdomains.
    pub host_only: bool,
    /// Sent only over secure connections.
    pub secure: bool,
    /// Hidden from non-HTTP APIs.
    pub http_only: bool,
    /// The `SameSite` attribute.
    pub same_site: SameSite,
    /// The `Priority` attribute.
    pub priority: Priority,
    /// For a `Partitioned` cookie, the top-level site (registrable domain) it is kept under.
    pub partition: Option<String>,
    /// Expiry as Unix milliseconds, or `None` for a session cookie.
    pub expires: Option<i64>,
    /// Creation time, Unix milliseconds (kept when the cookie is replaced).
    pub created: i64,
    /// Last time the cookie was sent, Unix milliseconds.
    pub last_access: i64,
    /// Its consent categories (classified when stored).
    pub categories: CategorySet,
    /// An exemption granted by an operator rule.
    pub exemption: Option<Exemption>,
    /// Where the classification came from.
    pub source: Source,
}

impl Cookie {
    /// A host-only session cookie with these fields and default attributes (not `Secure`,
    /// not `HttpOnly`, `SameSite` unset, medium priority, unpartitioned, times 0 = "now" when
    /// inserted). Set the public fields to change the rest, then [`Jar::insert_at`] it.
    pub fn new(
        name: impl Into<String>,
        value: impl Into<String>,
        domain: impl Into<String>,
        path: impl Into<String>,
    ) -> Cookie {
        Cookie {
            name: name.into(),
            value: value.into(),
            domain: domain.into(),
            path: path.into(),
            host_only: true,
            secure: false,
            http_only: false,
            same_site: SameSite::Default,
            priority: Priority::Medium,
            partition: None,
            expires: None,
            created: 0,
            last_access: 0,
            categories: CategorySet::single(Category::Unclassified),
            exemption: None,
            source: Source::Default,
        }
    }

    /// Whether the cookie lasts only for the session (no `Expires` or `Max-Age`).
    pub fn is_session(&self) -> bool {
        self.expires.is_none()
    }
}

/// A fixed-seed hash of a cookie's identity (RFC 6265bis §5.7 step 22, plus the partition),
/// kept in the first 64 bytes of each entry so that finding a cookie by its identity (a
/// replacement, a record replayed from a file) rules out the others without reading their
/// strings. 32 bits suffice for that: it only saves string comparisons.
///
/// Each string adds its length and its first and last eight bytes (all of it when shorter),
/// which tells apart the cookies one site really holds (names differ, or a domain or path
/// differs in length or ending) at about half the cost of hashing every byte. A pair it
/// cannot tell apart only costs a string comparison.
fn key_hash(name: &str, domain: &str, host_only: bool, path: &str, partition: Option<&str>) -> u32 {
    let mut h = 0x636f_6f6b_6965_6a61 ^ u64::from(host_only);
    for part in [name, domain, path] {
        h = mix_ends(h, part.as_bytes());
    }
    if let Some(p) = partition {
        h = mix_ends(h ^ 0x9e37_79b9, p.as_bytes());
    }
    (h ^ (h >> 32)) as u32
}

/// The index of the cookie of `bucket` with the identity `k`. The hashes are compared in one
/// tight loop, and only a cookie whose hash matches has its strings compared.
#[inline]
fn find_key(bucket: &[Entry], k: &KeyRef<'_>) -> Option<usize> {
    (0..bucket.len()).find(|&i| bucket[i].key_hash == k.hash && bucket[i].same_key(k))
}

/// Mixes the length, the first and the last eight bytes of `b` into `h` (for [`key_hash`]).
#[inline(always)]
fn mix_ends(h: u64, b: &[u8]) -> u64 {
    let len = b.len();
    let (first, last) = match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        (Some(f), Some(l)) => (u64::from_le_bytes(*f), u64::from_le_bytes(*l)),
        // Shorter than a word: two overlapping halves, or the bytes one by one.
        _ => match (b.first_chunk::<4>(), b.last_chunk::<4>()) {
            (Some(f), Some(l)) => (
                u64::from(u32::from_le_bytes(*f)),
                u64::from(u32::from_le_bytes(*l)),
            ),
            _ => (b.iter().fold(0, |w, &c| (w << 8) | u64::from(c)), 0),
        },
    };
    // A folded multiply (the high and low halves of the 128-bit product), as in foldhash.
    let m = u128::from(h ^ first ^ ((len as u64) << 56)) * u128::from(last ^ 0x2d35_8dcc_aa6c_78a5);
    (m as u64) ^ ((m >> 64) as u64)
}

/// How many bytes of a cookie's strings are kept inline in its entry. Nearly every cookie
/// fits (domain, path, name and value together are typically 40–90 bytes), so a bucket's
/// cookies and their strings share one allocation: at 100k cookies the heap pointer chase per
/// cookie was the largest cost of a lookup. Chosen with the field order of [`Entry`] so that
/// an entry is 192 bytes, three cache lines' worth.
const INLINE_TEXT: usize = 104;

/// The strings of one cookie in one buffer: domain, path, the `Cookie` header's pair for it
/// (`name=value`, or the value alone for a nameless cookie: RFC 6265bis §5.8.3 step 4), then
/// the partition key if any. Domain and path come first because matching reads them for every
/// cookie of a bucket; with [`Entry`]'s layout they usually lie in the entry's first cache
/// line. The pair is kept as sent so that building a header copies one slice per cookie. Each
/// string is at most a few KiB (RFC 6265bis §5.6 and [`MAX_FIELD_BYTES`]), so `u16` offsets
/// suffice.
#[derive(Debug)]
#[repr(C)]
struct Text {
    /// End offsets of domain, path, name and the pair; the partition runs from the last to
    /// the end.
    ends: [u16; 4],
    partitioned: bool,
    /// The strings when they fit; empty when `heap` holds them (the text is never empty: a
    /// cookie has a domain), so that telling which needs only the entry's first 64 bytes.
    inline: arrayvec::ArrayString<INLINE_TEXT>,
    heap: Option<Box<str>>,
}

impl Text {
    fn new(name: &str, value: &str, domain: &str, path: &str, partition: Option<&str>) -> Text {
        // A nameless cookie's pair is the value alone (no `=`).
        let eq = !name.is_empty();
        let domain_end = domain.len();
        let path_end = domain_end + path.len();
        let name_end = path_end + name.len();
        let pair_end = name_end + usize::from(eq) + value.len();
        let total = pair_end + partition.map_or(0, str::len);
        // Callers bound every field (parser and MAX_FIELD_BYTES); saturate regardless.
        let at = |end: usize| end.min(usize::from(u16::MAX)) as u16;
        let ends = [at(domain_end), at(path_end), at(name_end), at(pair_end)];
        // The parts in order, into either buffer: this runs for every stored cookie, so the
        // `=` is one byte pushed, not a string of its own, and no partition costs no copy.
        macro_rules! fill {
            ($buf:expr) => {{
                $buf.push_str(domain);
                $buf.push_str(path);
                $buf.push_str(name);
                if eq {
                    $buf.push('=');
                }
                $buf.push_str(value);
                if let Some(rest) = partition {
                    $buf.push_str(rest);
                }
            }};
        }
        let mut inline = arrayvec::ArrayString::new();
        let heap = if total <= INLINE_TEXT {
            // Fits: `total` bytes, checked just above.
            fill!(inline);
            None
        } else {
            let mut heap = String::with_capacity(total);
            fill!(heap);
            Some(heap.into_boxed_str())
        };
        Text {
            ends,
            partitioned: partition.is_some(),
            inline,
            heap,
        }
    }

    fn as_str(&self) -> &str {
        if self.inline.is_empty() {
            self.heap.as_deref().unwrap_or("")
        } else {
            self.inline.as_str()
        }
    }

    /// The path's length, without reading the string.
    fn path_len(&self) -> u16 {
        self.ends[1].saturating_sub(self.ends[0])
    }

    /// Domain and path, for matching: one look at the buffer for both.
    fn domain_and_path(&self) -> (&[u8], &[u8]) {
        let buf = self.as_str().as_bytes();
        let d = usize::from(self.ends[0]);
        let p = usize::from(self.ends[1]);
        (
            buf.get(..d).unwrap_or_default(),
            buf.get(d..p).unwrap_or_default(),
        )
    }

    /// Part `i`: domain, path, name, the header pair, the partition.
    fn part(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else if i == 3 {
            usize::from(self.ends[1])
        } else {
            usize::from(self.ends[i - 1])
        };
        let buf = self.as_str();
        let end = if i < 4 {
            usize::from(self.ends[i])
        } else {
            buf.len()
        };
        buf.get(start..end).unwrap_or("")
    }

    /// The value: the pair after the name and its `=`.
    fn value(&self) -> &str {
        let name_end = usize::from(self.ends[2]);
        let start = name_end + usize::from(name_end > usize::from(self.ends[1]));
        self.as_str()
            .get(start..usize::from(self.ends[3]))
            .unwrap_or("")
    }
}

/// A cookie's identity, borrowed, with its [`key_hash`].
struct KeyRef<'a> {
    name: &'a str,
    domain: &'a str,
    host_only: bool,
    path: &'a str,
    partition: Option<&'a str>,
    hash: u32,
}

impl<'a> KeyRef<'a> {
    fn new(
        name: &'a str,
        domain: &'a str,
        host_only: bool,
        path: &'a str,
        partition: Option<&'a str>,
    ) -> KeyRef<'a> {
        KeyRef {
            name,
            domain,
            host_only,
            path,
            partition,
            hash: key_hash(name, domain, host_only, path, partition),
        }
    }

    /// The text of a cookie with this identity and `value`.
    fn text(&self, value: &str) -> Text {
        Text::new(self.name, value, self.domain, self.path, self.partition)
    }
}

/// One cookie inside a bucket.
///
/// Laid out by hand (`repr(C)`, 192 bytes): a lookup tests every cookie of a bucket, and at
/// 100k cookies each cache line it touches is likely a miss. So the fields that test reads
/// come first (expiry, flags, consent tag, then the text's offsets, domain and path at the
/// start of the inline text), in the first 64 bytes; name and value follow; what only
/// matched, replaced or persisted cookies need comes last.
///
/// Not aligned to a cache line, although an aligned entry is three lines where an unaligned
/// one often touches four ([`prefetch`] asks for all of them). `align(64)` made every
/// bucket's allocation a `posix_memalign`, which costs glibc about 750 instructions (against
/// about 100 for a `malloc`), cannot grow in place, and leaves split-off fragments in the
/// heap. Measured with the engine bench (2026-12-05, alternating the two builds): ingest
/// measured in turn with a peer (`paired/ingest`: 201 rounds, ours right after the peer's
/// pass) took 338–358 ns a header unaligned against 671–697 ns aligned, and the peer beside it
/// ran about 20% faster too; criterion's warm ingest 7–8% faster; lookups the same within
/// the noise at 1k and 100k cookies.
#[derive(Debug)]
#[repr(C)]
struct Entry {
    /// Expiry in Unix milliseconds; [`NO_EXPIRY`] for a session cookie (an `Option` would
    /// take 8 more of the first 64 bytes).
    expires_ms: i64,
    host_only: bool,
    secure: bool,
    http_only: bool,
    same_site: SameSite,
    priority: Priority,
    /// Its consent tag.
    tag: Tag,
    /// [`key_hash`] of its identity.
    key_hash: u32,
    text: Text,
    created: i64,
    /// Insertion order, kept on replace: breaks ties between equal creation times so that the
    /// §5.8.3 order is total.
    seq: u64,
    last_access: AtomicI64,
    /// The size of this cookie's `Put` frame in the file; 0 when it is not in a file.
    frame_len: u32,
}

// Three cache lines' worth, the identity hash and the start of the text (the domain, then the
// path) in the first 64 bytes: a change of the fields or of INLINE_TEXT must keep it so.
const _: () = assert!(std::mem::size_of::<Entry>() == 192);
const _: () = assert!(std::mem::offset_of!(Entry, key_hash) + 4 <= 64);
const _: () = assert!(std::mem::offset_of!(Entry, text.inline) + 4 + 16 <= 64);

/// [`Entry::expires_ms`] of a session cookie. A real expiry never gets there: the jar caps
/// expiry at 400 days, and a cookie inserted with a later one is kept one millisecond short
/// of it (some 292 million years from now).
const NO_EXPIRY: i64 = i64::MAX;

/// An expiry as [`Entry`] keeps it.
fn expiry_field(expires: Option<i64>) -> i64 {
    expires.map_or(NO_EXPIRY, |t| t.min(NO_EXPIRY - 1))
}

/// A cookie's consent classification, as kept with it: what the send-time check and the audit
/// need, in a few bytes.
#[derive(Debug, Clone, Copy)]
struct Tag {
    categories: CategorySet,
    exemption: Option<Exemption>,
    source: Source,
    /// What consent the cookie needs (its categories, refined by exemption and session).
    need: Requirement,
}

impl Tag {
    fn new(c: &Classification, session: bool) -> Tag {
        Tag {
            categories: c.categories,
            exemption: c.exemption,
            source: c.source,
            need: Requirement::of(c, session),
        }
    }

    /// Bits 6–13 of a record's flags (docs/file-format.md).
    fn to_flags(self) -> u16 {
        u16::from(self.categories.bits() & 0x1f) << 6
            | u16::from(self.exemption.is_some()) << 11
            | (self.source as u16 & 3) << 12
    }

    fn from_flags(flags: u16, session: bool) -> Tag {
        let mut c = Classification::unclassified();
        let bits = ((flags >> 6) & 0x1f) as u8;
        if bits != 0 {
            c.categories = CategorySet::from_bits(bits).unwrap_or(c.categories);
            c.exemption = (flags & (1 << 11) != 0).then_some(Exemption::AudienceMeasurement);
            c.source = match (flags >> 12) & 3 {
                0 => Source::Operator,
                1 => Source::Overlay,
                2 => Source::OpenCookieDb,
                _ => Source::Default,
            };
        }
        Tag::new(&c, session)
    }
}

impl Entry {
    fn domain(&self) -> &str {
        self.text.part(0)
    }

    fn path(&self) -> &str {
        self.text.part(1)
    }

    fn name(&self) -> &str {
        self.text.part(2)
    }

    fn value(&self) -> &str {
        self.text.value()
    }

    /// What this cookie adds to a `Cookie` header (RFC 6265bis §5.8.3 step 4).
    fn pair(&self) -> &str {
        self.text.part(3)
    }

    fn partition(&self) -> Option<&str> {
        self.text.partitioned.then(|| self.text.part(4))
    }

    /// Its expiry in Unix milliseconds; `None` for a session cookie.
    fn expires(&self) -> Option<i64> {
        (self.expires_ms != NO_EXPIRY).then_some(self.expires_ms)
    }

    fn is_session(&self) -> bool {
        self.expires_ms == NO_EXPIRY
    }

    fn is_expired(&self, now: i64) -> bool {
        // A session cookie never expires, even at the end of time.
        self.expires_ms <= now && self.expires_ms != NO_EXPIRY
    }

    /// Whether this cookie, whose hash equals `k`'s, has the identity `k` (RFC 6265bis §5.7
    /// step 22, plus the partition). Only [`find_key`] calls it, once the hashes have ruled
    /// out nearly every other cookie. Not inlined: that loop over a bucket then keeps the
    /// identity in registers.
    #[inline(never)]
    fn same_key(&self, k: &KeyRef<'_>) -> bool {
        self.host_only == k.host_only
            && self.name() == k.name
            && self.domain() == k.domain
            && self.path() == k.path
            && self.partition() == k.partition
    }

    /// Its identity, with the hashes already computed.
    fn key_ref(&self) -> KeyRef<'_> {
        KeyRef {
            name: self.name(),
            domain: self.domain(),
            host_only: self.host_only,
            path: self.path(),
            partition: self.partition(),
            hash: self.key_hash,
        }
    }

    fn to_cookie(&self) -> Cookie {
        Cookie {
            name: self.name().to_owned(),
            value: self.value().to_owned(),
            domain: self.domain().to_owned(),
            path: self.path().to_owned(),
            host_only: self.host_only,
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
            priority: self.priority,
            partition: self.partition().map(str::to_owned),
            expires: self.expires(),
            created: self.created,
            last_access: self.last_access.load(Ordering::Relaxed),
            categories: self.tag.categories,
            exemption: self.tag.exemption,
            source: self.tag.source,
        }
    }

    /// Its identity as a `Delete` record names it, borrowed.
    fn file_key(&self) -> CookieKeyRef<'_> {
        CookieKeyRef {
            name: self.name(),
            domain: self.domain(),
            path: self.path(),
            host_only: self.host_only,
            partition: self.partition(),
        }
    }

    /// The record that stores this cookie in a file (docs/file-format.md, "Records"), borrowing
    /// the cookie's strings.
    fn record(&self) -> CookieRecordRef<'_> {
        let same_site = match self.same_site {
            SameSite::Default => 0,
            SameSite::None => 1,
            SameSite::Lax => 2,
            SameSite::Strict => 3,
        };
        let priority = match self.priority {
            Priority::Low => 0,
            Priority::Medium => 1,
            Priority::High => 2,
        };
        CookieRecordRef {
            key: self.file_key(),
            value: self.value(),
            flags: u16::from(self.secure)
                | u16::from(self.http_only) << 1
                | same_site << 2
                | priority << 4
                | self.tag.to_flags(),
            created_ms: self.created,
            expires_s: self.expires().map_or(SESSION, |t| t.div_euclid(1000)),
            last_access_s: self.last_access.load(Ordering::Relaxed).div_euclid(1000),
        }
    }

    /// A cookie read back from a file, or `None` when the record breaks a rule every stored
    /// cookie keeps (the file is untrusted input).
    fn from_record(r: CookieRecordRef<'_>, seq: u64, frame_len: u32) -> Option<Entry> {
        let k = r.key;
        let bad_text = parse::has_forbidden_control;
        if k.name.len() + r.value.len() > parse::MAX_NAME_VALUE_BYTES
            || (k.name.is_empty() && r.value.is_empty())
            || bad_text(k.name)
            || bad_text(r.value)
            || k.domain.is_empty()
            || k.domain.len() > MAX_FIELD_BYTES
            || !k.domain.bytes().all(|b| b.is_ascii_graphic())
            || k.domain.bytes().any(|b| b.is_ascii_uppercase())
            || !k.path.starts_with('/')
            || k.path.len() > MAX_FIELD_BYTES
            || bad_text(k.path)
            || k.partition
                .as_ref()
                .is_some_and(|p| p.len() > MAX_FIELD_BYTES || bad_text(p))
            || r.flags >> 14 != 0
        {
            return None;
        }
        let same_site = match (r.flags >> 2) & 3 {
            0 => SameSite::Default,
            1 => SameSite::None,
            2 => SameSite::Lax,
            _ => SameSite::Strict,
        };
        // The rules of §5.7 that depend on the cookie alone hold for what a file brings back
        // too (steps 18–20): a record breaking them was not written by this jar.
        let secure = r.flags & 1 != 0;
        stored_attribute_rules(k.name, secure, k.host_only, k.path, same_site).ok()?;
        let priority = match (r.flags >> 4) & 3 {
            0 => Priority::Low,
            1 => Priority::Medium,
            2 => Priority::High,
            _ => return None,
        };
        Some(Entry {
            text: Text::new(k.name, r.value, k.domain, k.path, k.partition),
            key_hash: key_hash(k.name, k.domain, k.host_only, k.path, k.partition),
            // Times far beyond any real date are clamped to whole seconds that survive the
            // round trip through a rewrite (s → ms → s) unchanged.
            expires_ms: expiry_field((r.expires_s != SESSION).then(|| seconds_to_ms(r.expires_s))),
            created: r.created_ms,
            seq,
            last_access: AtomicI64::new(seconds_to_ms(r.last_access_s)),
            host_only: k.host_only,
            secure,
            http_only: r.flags & 2 != 0,
            same_site,
            priority,
            frame_len,
            tag: Tag::from_flags(r.flags, r.expires_s == SESSION),
        })
    }

    /// Eviction order: the smallest key goes first. Expired cookies, then lower priority, then
    /// non-secure before secure, then least recently used.
    fn eviction_key(&self, now: i64) -> (bool, Priority, bool, i64, u64) {
        (
            !self.is_expired(now),
            self.priority,
            self.secure,
            self.last_access.load(Ordering::Relaxed),
            self.seq,
        )
    }
}

/// Bytes of a site key kept inline: nearly every registrable domain fits, so finding a bucket
/// compares the key without following a pointer.
const INLINE_SITE: usize = 32;

/// The key of a bucket: a site (registrable domain, or the host when it has none). Hashes and
/// compares as the `str` it holds, so the map is queried with a plain `&str`.
#[derive(Clone)]
enum SiteKey {
    Inline(arrayvec::ArrayString<INLINE_SITE>),
    Heap(Box<str>),
}

impl std::ops::Deref for SiteKey {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            SiteKey::Inline(s) => s.as_str(),
            SiteKey::Heap(s) => s,
        }
    }
}

impl std::borrow::Borrow<str> for SiteKey {
    fn borrow(&self) -> &str {
        self
    }
}

impl PartialEq for SiteKey {
    fn eq(&self, other: &SiteKey) -> bool {
        **self == **other
    }
}

impl Eq for SiteKey {}

impl PartialOrd for SiteKey {
    fn partial_cmp(&self, other: &SiteKey) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SiteKey {
    fn cmp(&self, other: &SiteKey) -> std::cmp::Ordering {
        (**self).cmp(&**other)
    }
}

impl std::hash::Hash for SiteKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Must hash exactly as `str` does, for `Borrow<str>` lookups.
        (**self).hash(state);
    }
}

impl fmt::Debug for SiteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl From<&str> for SiteKey {
    fn from(s: &str) -> SiteKey {
        match arrayvec::ArrayString::from(s) {
            Ok(inline) => SiteKey::Inline(inline),
            Err(_) => SiteKey::Heap(s.into()),
        }
    }
}

#[derive(Debug, Default)]
struct State {
    /// Registrable domain (or the host itself, for IP literals and public-suffix hosts) →
    /// the cookies whose domain lies under it.
    sites: HashMap<SiteKey, Vec<Entry>, foldhash::fast::RandomState>,
    len: usize,
    next_seq: u64,
    /// The jar file, for a file-backed jar.
    store: Option<Store>,
    /// Sum of the frame sizes of the cookies in the file: the live part of the log.
    live_bytes: u64,
    /// The consent classifier: operator rules, the overlay, the Open Cookie Database.
    classifier: Classifier,
    /// The user's consent, per top-level site.
    consent: Consent,
    /// Unclassified cookies seen (stored or refused), for the operator to classify.
    unclassified: UnclassifiedSeenLog,
    /// While a file is replayed: the last domain seen and where its site starts in it.
    replay_memo: (String, Option<std::ops::Range<usize>>),
    /// The cookie records an open left in the file ("cold"), by [`group_of`] their domain.
    /// Opening reads only each record's domain; a group's cookies are read and replayed when
    /// one of its sites is first used ([`State::warm`]), so opening a large jar costs a pass
    /// over the file rather than building every cookie in memory.
    cold: HashMap<u64, ColdGroup, foldhash::fast::RandomState>,
    /// The frames of the cold groups, each group's chained in log order.
    cold_frames: Vec<ColdFrame>,
    /// The `Put`s among the cold frames: a bound on the cookies they hold.
    cold_puts: usize,
    /// The `now` of the open, which decides (as it would have on open) which cold cookies
    /// have expired.
    open_now: i64,
    /// What warming cold groups dropped, for the open report.
    late: LateCounts,
    /// A warmed group held records that broke the rules: the next write compacts the file
    /// without them, as an open that finds such records does.
    compact_soon: bool,
}

/// Cold frames of one group (see [`State::cold`]).
#[derive(Debug)]
struct ColdGroup {
    /// First and last index in [`State::cold_frames`].
    head: usize,
    tail: usize,
    /// Its `Put`s, and their frame bytes (counted as live until warmed).
    puts: usize,
    put_bytes: u64,
}

/// One cold frame: where it is, and the `seq` a `Put` there gets, which is its place in the
/// log, as an open replaying every record would have given (ties in header order and
/// eviction are broken by it).
#[derive(Clone, Copy, Debug)]
struct ColdFrame {
    offset: u64,
    seq: u64,
    /// The next frame of the group (none after its `tail`).
    next: usize,
    size: u32,
}

/// What reading cold groups dropped, and whether that rewrote the file (see [`OpenReport`]).
#[derive(Clone, Copy, Debug, Default)]
struct LateCounts {
    invalid_records: u64,
    expired: u64,
    evicted: u64,
    /// Whether reading them rewrote the file.
    compacted: bool,
}

/// The group of a cookie domain, or of a site: a hash of its last two labels (a trailing dot
/// and ASCII case aside). A site is its domains' last labels (at least two of them) or a
/// whole domain, so all the domains of one site, and the site itself, fall in one group,
/// without a public-suffix lookup per record. Several sites may share a group (`co.uk`'s);
/// warming a group replays them all, which is correct, only less lazy.
fn group_of(domain: &[u8]) -> u64 {
    let b = domain.strip_suffix(b".").unwrap_or(domain);
    // The last two labels: after the second dot from the end.
    let mut dots = 0;
    let mut start = 0;
    for (i, &c) in b.iter().enumerate().rev() {
        if c == b'.' {
            dots += 1;
            if dots == 2 {
                start = i + 1;
                break;
            }
        }
    }
    let s = &b[start..];
    // Eight bytes at a time, each with bit 5 set: that lowercases ASCII letters and leaves
    // digits, '-' and '.' as they are (what it does to other bytes, which no valid name
    // holds, is as consistent). This runs once per record on open. A collision only merges
    // two groups.
    let mut h = 0x243f_6a88_85a3_08d3_u64 ^ s.len() as u64;
    let mut mix = |w: u64| {
        h = (h ^ (w | 0x2020_2020_2020_2020))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    };
    let (words, tail) = s.as_chunks::<8>();
    for w in words {
        mix(u64::from_le_bytes(*w));
    }
    if !tail.is_empty() {
        let w = tail
            .iter()
            .rev()
            .fold(0u64, |w, &c| (w << 8) | u64::from(c));
        mix(w);
    }
    h
}

/// The unclassified cookies a jar has seen (stored or refused), for the operator to classify
/// (`Jar::unclassified_report`).
#[derive(Debug, Default)]
struct UnclassifiedSeenLog {
    /// Keyed by a hash of (name, domain) under `seed`, so that the common case, a cookie seen
    /// before, allocates nothing.
    seen: HashMap<u64, Seen, std::hash::BuildHasherDefault<PreHashed>>,
    /// A per-jar random seed: the keys above cannot be made to collide from outside.
    seed: foldhash::fast::RandomState,
    /// The names and domains in `seen`, one after the other. One growing buffer rather than
    /// two strings per cookie: a new unclassified cookie (most cookies of a fresh jar) then
    /// costs no allocation of its own. Entries are never removed, and the buffer is bounded
    /// by [`MAX_UNCLASSIFIED_BYTES`].
    text: String,
}

impl UnclassifiedSeenLog {
    fn note(&mut self, name: &str, domain: &str, now: i64) {
        use std::hash::BuildHasher;
        let key = self.seed.hash_one((name, domain));
        let full = self.seen.len() >= MAX_UNCLASSIFIED_SEEN;
        // One probe of the map for both cases: most cookies of a fresh jar are new to it.
        match self.seen.entry(key) {
            std::collections::hash_map::Entry::Occupied(mut seen) => {
                // A collision of two different cookies (vanishingly rare with a random seed)
                // only merges their counts in a report.
                let seen = seen.get_mut();
                seen.count += 1;
                seen.last_seen = now;
            }
            std::collections::hash_map::Entry::Vacant(slot)
                if !full
                    && self.text.len() + name.len() + domain.len() <= MAX_UNCLASSIFIED_BYTES =>
            {
                // Both lengths fit in u32: the buffer is bounded by MAX_UNCLASSIFIED_BYTES.
                slot.insert(Seen {
                    start: self.text.len() as u32,
                    name_len: name.len() as u32,
                    domain_len: domain.len() as u32,
                    count: 1,
                    last_seen: now,
                });
                self.text.push_str(name);
                self.text.push_str(domain);
            }
            std::collections::hash_map::Entry::Vacant(_) => {}
        }
    }

    /// The report entry of an unclassified cookie.
    fn report(&self, seen: &Seen) -> UnclassifiedSeen {
        let text = &self.text;
        let start = seen.start as usize;
        let mid = start + seen.name_len as usize;
        let end = mid + seen.domain_len as usize;
        UnclassifiedSeen {
            // Each range was a whole string pushed to the buffer, so it lies on boundaries.
            name: text.get(start..mid).unwrap_or_default().to_owned(),
            domain: text.get(mid..end).unwrap_or_default().to_owned(),
            count: seen.count,
            last_seen: seen.last_seen,
        }
    }
}

/// The hasher of a map whose keys are already hashes under a random seed
/// ([`UnclassifiedSeenLog::seen`]): it passes them through, where hashing them again would
/// only cost time on every probe and every move as the map grows.
#[derive(Default)]
struct PreHashed(u64);

impl std::hash::Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys use this hasher; any other bytes still mix in.
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
}

/// An unclassified cookie seen: where its name and domain lie in `UnclassifiedSeenLog::text`,
/// and its counts.
#[derive(Debug)]
struct Seen {
    start: u32,
    name_len: u32,
    domain_len: u32,
    count: u64,
    last_seen: i64,
}

/// The most distinct unclassified cookies remembered for the report.
const MAX_UNCLASSIFIED_SEEN: usize = 10_000;
/// The most bytes of names and domains the report keeps: a server sending distinct 4 KiB names
/// must not make the report outgrow the cookies themselves (3300 × 4 KiB).
const MAX_UNCLASSIFIED_BYTES: usize = 1 << 20;

/// An unclassified cookie the jar has seen: what an operator needs to write a rule for it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnclassifiedSeen {
    /// The cookie's name.
    pub name: String,
    /// The cookie's domain.
    pub domain: String,
    /// How many `Set-Cookie` headers carried it.
    pub count: u64,
    /// When it was last seen, Unix milliseconds.
    pub last_seen: i64,
}

impl State {
    /// Counts a cookie [`put_in_bucket`] added (a replacement keeps the count and its `seq`).
    fn count(&mut self, outcome: SetOutcome) {
        if outcome == SetOutcome::Stored {
            self.next_seq += 1;
            self.len += 1;
        }
    }

    /// The top-level site a stored cookie lives under, and whether it is first-party there:
    /// a partitioned cookie under its partition, any other under its own site (`key`).
    fn context_of<'a>(key: &'a str, e: &'a Entry) -> (&'a str, bool) {
        match e.partition() {
            Some(p) => (p, p == key),
            None => (key, true),
        }
    }

    /// Removes every cookie the current consent no longer allows in its context (withdrawal,
    /// GPC, new rules); returns them.
    fn purge_disallowed(&mut self) -> Result<Vec<Cookie>, StoreError> {
        let mut goners = std::collections::HashSet::new();
        let mut purged = Vec::new();
        for (key, bucket) in &self.sites {
            for e in bucket {
                let (site, first_party) = State::context_of(key, e);
                if !self
                    .consent
                    .allowed_mask(site, first_party)
                    .permits(e.tag.need)
                {
                    goners.insert(e.seq);
                    purged.push(e.to_cookie());
                }
            }
        }
        if !goners.is_empty() {
            self.retain_logged(None, |e| !goners.contains(&e.seq))?;
        }
        Ok(purged)
    }

    /// Classifies every stored cookie again (the rules changed).
    fn reclassify(&mut self, list: &dyn PublicSuffixList) {
        let classifier = &self.classifier;
        for (key, bucket) in self.sites.iter_mut() {
            for e in bucket.iter_mut() {
                let (_, first_party) = State::context_of(key, e);
                let c = classifier.classify(e.name(), e.domain(), first_party, list);
                e.tag = Tag::new(&c, e.is_session());
            }
        }
    }

    /// Removes the cookie at index `i` of bucket `key`, logging its deletion first when it is
    /// in the file.
    fn delete_at(&mut self, key: &str, i: usize) -> Result<(), StoreError> {
        if let (Some(store), Some(e)) =
            (&mut self.store, self.sites.get(key).and_then(|b| b.get(i)))
        {
            if e.frame_len > 0 {
                store.append(&RecordRef::Delete(e.file_key()))?;
            }
        }
        if let Some(b) = self.sites.get_mut(key) {
            if i < b.len() {
                let o = b.swap_remove(i);
                self.live_bytes = self.live_bytes.saturating_sub(u64::from(o.frame_len));
                self.len -= 1;
            }
            if b.is_empty() {
                self.sites.remove(key);
            }
        }
        Ok(())
    }

    /// Writes the rules just added (`ids`) to the file; if that fails, takes them out again so
    /// that memory and file agree.
    fn log_rules(&mut self, ids: &[u32]) -> Result<(), StoreError> {
        if self.store.is_none() {
            return Ok(());
        }
        let records: Vec<Record> = ids
            .iter()
            .filter_map(|&id| self.classifier.rule(id).map(rule_record))
            .collect();
        for r in &records {
            if let Err(e) = self.log(&r.as_ref()) {
                for &id in ids {
                    self.classifier.remove_rule(id);
                }
                return Err(e);
            }
        }
        Ok(())
    }

    /// Appends a record to the file, if there is one; returns its frame size (0 without).
    fn log(&mut self, record: &RecordRef<'_>) -> Result<u32, StoreError> {
        match &mut self.store {
            Some(store) => store.append(record),
            None => Ok(0),
        }
    }

    /// Whether dead records dominate the log, and are enough to be worth compacting.
    fn needs_compaction(&self) -> bool {
        self.store.as_ref().is_some_and(|s| {
            let log = s.log_bytes();
            let dead = log.saturating_sub(self.live_bytes);
            self.compact_soon || (dead > self.live_bytes && dead > COMPACT_MIN_DEAD)
        })
    }

    /// Removes the cookies for which `keep` is false, in one bucket or in all, logging a
    /// `Delete` for each that is in the file before touching memory. Returns how many.
    fn retain_logged(
        &mut self,
        key: Option<&str>,
        mut keep: impl FnMut(&Entry) -> bool,
    ) -> Result<usize, StoreError> {
        if let Some(store) = &mut self.store {
            let mut log_deletes = |bucket: &Vec<Entry>| -> Result<(), StoreError> {
                for e in bucket.iter().filter(|e| e.frame_len > 0 && !keep(e)) {
                    store.append(&RecordRef::Delete(e.file_key()))?;
                }
                Ok(())
            };
            match key {
                Some(k) => self.sites.get(k).map_or(Ok(()), &mut log_deletes)?,
                None => self.sites.values().try_for_each(&mut log_deletes)?,
            }
        }
        let (mut removed, mut freed) = (0, 0u64);
        let mut sweep = |bucket: &mut Vec<Entry>| {
            bucket.retain(|e| {
                let k = keep(e);
                if !k {
                    removed += 1;
                    freed += u64::from(e.frame_len);
                }
                k
            });
        };
        match key {
            Some(k) => {
                if let Some(b) = self.sites.get_mut(k) {
                    sweep(b);
                    if b.is_empty() {
                        self.sites.remove(k);
                    }
                }
            }
            None => {
                self.sites.values_mut().for_each(&mut sweep);
                self.sites.retain(|_, b| !b.is_empty());
            }
        }
        self.len -= removed;
        self.live_bytes = self.live_bytes.saturating_sub(freed);
        Ok(removed)
    }

    /// Applies a record replayed from the file; a new cookie gets `seq` (see [`ColdFrame`]).
    /// Returns the site a `Put` went to.
    fn replay(
        &mut self,
        record: RecordView<'_>,
        frame_len: u32,
        seq: u64,
        list: &dyn PublicSuffixList,
        report: &mut OpenReport,
    ) -> Option<SiteKey> {
        match record {
            RecordView::Put(r) => {
                // Records of one site come in runs: the public-suffix lookup is done once per
                // run. `site_at` is where the bucket key lies in the domain, or `None` when
                // the domain has no registrable domain (an IP literal, a public suffix).
                let domain = r.key.domain;
                if self.replay_memo.0 != domain {
                    let site_at = if domain_attr_is_ip(domain) {
                        None
                    } else {
                        // The site is a slice of the domain (without a trailing dot).
                        suffix::registrable_domain(list, domain).map(|site| {
                            let start = site.as_ptr() as usize - domain.as_ptr() as usize;
                            start..start + site.len()
                        })
                    };
                    self.replay_memo.0.clear();
                    self.replay_memo.0.push_str(domain);
                    self.replay_memo.1 = site_at;
                }
                let site_at = self.replay_memo.1.clone();
                let ip = site_at.is_none() && domain_attr_is_ip(domain);
                // A domain cookie's domain has a site (else it is a public suffix, §5.7 step 9).
                let domain_ok = r.key.host_only || ip || site_at.is_some();
                let Some(mut entry) = Entry::from_record(r, seq, frame_len).filter(|_| domain_ok)
                else {
                    report.invalid_records += 1;
                    return None;
                };
                let key = match site_at {
                    Some(at) => entry.domain().get(at).unwrap_or(entry.domain()),
                    None => entry.domain(),
                };
                // Only a new site pays for its key.
                let bucket = match self.sites.get_mut(key) {
                    Some(bucket) => bucket,
                    None => self.sites.entry(key.into()).or_insert_with(new_bucket),
                };
                let k = entry.key_ref();
                let old = find_key(bucket, &k);
                let site = SiteKey::from(key);
                match old {
                    Some(i) => {
                        entry.seq = bucket[i].seq;
                        let old = std::mem::replace(&mut bucket[i], entry);
                        self.live_bytes = self.live_bytes.saturating_sub(u64::from(old.frame_len));
                    }
                    None => {
                        bucket.push(entry);
                        self.len += 1;
                    }
                }
                self.live_bytes += u64::from(frame_len);
                return Some(site);
            }
            RecordView::Settings(r) => {
                let profile = match r.profile {
                    0 => Profile::Strict,
                    1 => Profile::Cnil,
                    2 => Profile::UkDuaa,
                    _ => {
                        report.invalid_records += 1;
                        return None;
                    }
                };
                let policy = match r.unclassified {
                    5 => UnclassifiedPolicy::Reject,
                    6 => UnclassifiedPolicy::AllowFirstPartySession,
                    i => match CategorySet::from_bits(1u8.checked_shl(u32::from(i)).unwrap_or(0))
                        .and_then(|set| set.iter().next())
                    {
                        Some(c) => UnclassifiedPolicy::TreatAs(c),
                        None => {
                            report.invalid_records += 1;
                            return None;
                        }
                    },
                };
                if r.enforcing {
                    self.consent.start_enforcing();
                }
                self.consent.set_profile(profile);
                self.consent.set_unclassified_policy(policy);
                self.consent.set_gpc(false, 0);
                if let Some(since) = r.gpc_since {
                    self.consent.set_gpc(true, since);
                }
            }
            RecordView::Consent(r) => {
                let [p, st, m] = r.decisions;
                let (Some(preferences), Some(statistics), Some(marketing)) =
                    (decision_of(p), decision_of(st), decision_of(m))
                else {
                    report.invalid_records += 1;
                    return None;
                };
                let state = ConsentState {
                    preferences,
                    statistics,
                    marketing,
                    decided_at: r.decided_at,
                };
                if r.site.is_empty() {
                    self.consent.set_default(state);
                } else if r.site.len() <= MAX_FIELD_BYTES && !parse::has_forbidden_control(&r.site)
                {
                    self.consent.set_site(&r.site, state);
                } else {
                    report.invalid_records += 1;
                }
            }
            RecordView::Rule(r) => {
                let rule = CategorySet::from_bits(r.categories).map(|categories| Rule {
                    domain: r.domain,
                    name: r.name,
                    name_is_prefix: r.prefix,
                    categories,
                    exemption: r.exemption.then_some(Exemption::AudienceMeasurement),
                    purpose: r.purpose,
                    provider: r.provider,
                });
                // The rule goes through the same validation as when it was first added.
                if rule.is_none_or(|rule| self.classifier.add_rule(rule).is_err()) {
                    report.invalid_records += 1;
                }
            }
            RecordView::Delete(k) => {
                let key = key_of_domain(list, k.domain);
                if let Some(bucket) = self.sites.get_mut(key) {
                    let k = KeyRef::new(k.name, k.domain, k.host_only, k.path, k.partition);
                    if let Some(i) = find_key(bucket, &k) {
                        let old = bucket.swap_remove(i);
                        self.live_bytes = self.live_bytes.saturating_sub(u64::from(old.frame_len));
                        self.len -= 1;
                        if bucket.is_empty() {
                            self.sites.remove(key);
                        }
                    }
                }
            }
        }
        None
    }

    /// Files a cookie record found on open under its group, cold (see [`State::cold`]).
    ///
    /// `run` holds the frames of the last group seen, not yet in the map: a site's records
    /// mostly lie together in the log, so the open files a run of them with one probe of the
    /// map rather than one per frame (on a jar of a million cookies the map has some hundred
    /// thousand groups, and a probe is a cache miss). The open ends with
    /// [`State::file_cold_run`].
    fn add_cold(
        &mut self,
        run: &mut Option<(u64, ColdGroup)>,
        offset: u64,
        size: u32,
        put: bool,
        group: u64,
    ) {
        let seq = if put {
            self.next_seq += 1;
            self.cold_puts += 1;
            self.live_bytes += u64::from(size);
            self.next_seq
        } else {
            0
        };
        let index = self.cold_frames.len();
        self.cold_frames.push(ColdFrame {
            offset,
            size,
            next: usize::MAX,
            seq,
        });
        let (puts, bytes) = if put { (1, u64::from(size)) } else { (0, 0) };
        match run {
            Some((g, run)) if *g == group => {
                self.cold_frames[run.tail].next = index;
                run.tail = index;
                run.puts += puts;
                run.put_bytes += bytes;
            }
            _ => {
                self.file_cold_run(run.take());
                let next = ColdGroup {
                    head: index,
                    tail: index,
                    puts,
                    put_bytes: bytes,
                };
                *run = Some((group, next));
            }
        }
    }

    /// Files the run of frames [`State::add_cold`] is gathering under its group, after the
    /// group's earlier frames if it has some.
    fn file_cold_run(&mut self, run: Option<(u64, ColdGroup)>) {
        let Some((group, run)) = run else {
            return;
        };
        match self.cold.entry(group) {
            std::collections::hash_map::Entry::Occupied(mut g) => {
                let g = g.get_mut();
                self.cold_frames[g.tail].next = run.head;
                g.tail = run.tail;
                g.puts += run.puts;
                g.put_bytes += run.put_bytes;
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(run);
            }
        }
    }

    /// Whether using `site` (or every site, for `None`) needs cold cookies loaded first.
    fn needs_warm(&self, site: Option<&str>) -> bool {
        !self.cold.is_empty()
            && site.is_none_or(|s| self.cold.contains_key(&group_of(s.as_bytes())))
    }

    /// Loads the cold cookies of `site`'s group (of every group, for `None`).
    fn warm(&mut self, site: Option<&str>, options: &JarOptions) {
        if self.cold.is_empty() {
            return;
        }
        match site {
            Some(s) => {
                let Some(g) = self.cold.remove(&group_of(s.as_bytes())) else {
                    return;
                };
                self.cold_puts -= g.puts;
                self.live_bytes = self.live_bytes.saturating_sub(g.put_bytes);
                let mut chain = Vec::new();
                let mut at = g.head;
                while let Some(&f) = self.cold_frames.get(at) {
                    chain.push(f);
                    if at == g.tail {
                        break;
                    }
                    at = f.next;
                }
                self.replay_cold(&chain, options);
            }
            None => {
                // Every frame, in log order: one pass front to back through the file.
                let put_bytes: u64 = self.cold.values().map(|g| g.put_bytes).sum();
                self.live_bytes = self.live_bytes.saturating_sub(put_bytes);
                self.cold.clear();
                self.cold_puts = 0;
                let frames = std::mem::take(&mut self.cold_frames);
                self.replay_cold(&frames, options);
            }
        }
    }

    /// Reads and replays cold frames (in log order), then applies to the sites they fill what
    /// opening the file applies to every site: expiry as of the open, session cookies unless
    /// kept, and the per-site limit. Those sites held no cookie in memory before: any use of
    /// a site after the open loads its group first.
    fn replay_cold(&mut self, frames: &[ColdFrame], options: &JarOptions) {
        let list = &*options.public_suffixes;
        let mut report = OpenReport::default();
        let mut sites: Vec<SiteKey> = Vec::new();
        let mut buf = Vec::new();
        for f in frames {
            let record = match &self.store {
                Some(store) => store.read_cookie(f.offset, f.size, &mut buf),
                None => None,
            };
            match record {
                Some(record) => {
                    if let Some(site) = self.replay(record, f.size, f.seq, list, &mut report) {
                        // A site's records come in runs; the repeats are removed below.
                        if sites.last() != Some(&site) {
                            sites.push(site);
                        }
                    }
                }
                None => report.invalid_records += 1,
            }
        }
        self.replay_memo = Default::default();
        sites.sort_unstable();
        sites.dedup();
        if report.invalid_records > 0 {
            self.late.invalid_records += report.invalid_records;
            self.compact_soon = true;
        }
        let now = self.open_now;
        let keep_sessions = options.persist_session_cookies;
        let per_site = options.max_cookies_per_site;
        for site in &sites {
            let expired = self.retain_or_forget(site, |e| {
                !e.is_expired(now) && (keep_sessions || !e.is_session())
            });
            self.late.expired += expired as u64;
            if let Some(bucket) = self.sites.get(&**site).filter(|b| b.len() > per_site) {
                let victims: std::collections::HashSet<u64> =
                    bucket_victims(bucket, per_site, now).collect();
                let evicted = self.retain_or_forget(site, |e| !victims.contains(&e.seq));
                self.late.evicted += evicted as u64;
            }
        }
    }

    /// [`State::retain_logged`] for one site, where a failure to log cannot be returned (a
    /// warm-up inside a lookup): the cookies still leave memory, as they would have on open;
    /// the file keeps them until the next open drops them again, and the failed write has
    /// poisoned the store, so every later write reports it.
    fn retain_or_forget(&mut self, site: &str, keep: impl Fn(&Entry) -> bool) -> usize {
        match self.retain_logged(Some(site), &keep) {
            Ok(n) => n,
            Err(_) => {
                let store = self.store.take();
                let n = self.retain_logged(Some(site), &keep).unwrap_or(0);
                self.store = store;
                n
            }
        }
    }

    /// Rewrites the file with only the live cookies, in creation order. The new file is
    /// written under an upgradable read lock, so lookups go on; only the swap takes the write
    /// lock.
    fn compact(
        this: RwLockUpgradableReadGuard<'_, State>,
    ) -> Result<RwLockWriteGuard<'_, State>, StoreError> {
        let Some(store) = &this.store else {
            return Ok(RwLockUpgradableReadGuard::upgrade(this));
        };
        let mut live: Vec<&Entry> = this
            .sites
            .values()
            .flatten()
            .filter(|e| e.frame_len > 0)
            .collect();
        live.sort_unstable_by_key(|e| e.seq);
        let consent = consent_snapshot(&this.consent, &this.classifier);
        let records = consent
            .iter()
            .map(Record::as_ref)
            .chain(live.iter().map(|e| RecordRef::Put(e.record())));
        let mut sizes = Vec::with_capacity(consent.len() + live.len());
        // The live cookies' frames and a little for the consent records.
        let size_hint = this.live_bytes + 4096;
        let rewrite = store.prepare_rewrite(records, size_hint, &mut sizes)?;
        let mut state = RwLockUpgradableReadGuard::upgrade(this);
        if let Some(store) = &mut state.store {
            store.install(rewrite)?;
            state.live_bytes = store.log_bytes();
        }
        state.compact_soon = false;
        Ok(state)
    }

    /// [`State::compact`], after loading every cold cookie (the rewrite moves every frame).
    fn compact_all<'s>(
        this: RwLockUpgradableReadGuard<'s, State>,
        options: &JarOptions,
    ) -> Result<RwLockWriteGuard<'s, State>, StoreError> {
        if !this.needs_warm(None) {
            return State::compact(this);
        }
        let mut state = RwLockUpgradableReadGuard::upgrade(this);
        state.warm(None, options);
        State::compact(RwLockWriteGuard::downgrade_to_upgradable(state))
    }
}

/// A browser-grade cookie jar (RFC 6265bis), safe to share between threads.
///
/// All methods take `&self`. Every time-dependent method has an `*_at` form taking the time as
/// Unix milliseconds, so tests can pin the clock; the plain form reads the system clock.
///
/// Limits: at most [`JarOptions::max_cookies_per_site`] cookies per registrable domain and
/// [`JarOptions::max_cookies`] in all. Over a limit, the jar evicts expired cookies first, then
/// low-`Priority` before high, non-`Secure` before `Secure`, and least recently used first.
pub struct Jar {
    state: RwLock<State>,
    options: JarOptions,
    report: OpenReport,
    /// Unique among the jars of this process, for [`SITE_MEMO`].
    id: u64,
}

/// The source of [`Jar::id`]: never reused, so a memo keyed by it cannot outlive its jar's
/// public suffix list and answer for another's.
static NEXT_JAR_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_jar_id() -> u64 {
    NEXT_JAR_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The longest host the site memo keeps.
const MEMO_HOST: usize = 64;
// A memo slot keeps offsets into the host in bytes.
const _: () = assert!(MEMO_HOST <= u8::MAX as usize);

/// Hosts the site memo keeps per thread. A site's responses and requests come from a few
/// hosts in turn (`www.`, the bare domain, `api.`, a CDN host), so one entry missed half the
/// time on the ingest benchmark's stream; four catch such a run whole.
const MEMO_SLOTS: usize = 4;

/// The last request hosts this thread looked up in the public suffix list, with the jar that
/// looked them up: where each one's registrable domain starts, or none. A response's cookies,
/// and a page's requests, come in runs on a few hosts, and the lookup is the dearest part of
/// reading a request (some 370 instructions, against 30 for the memo).
struct SiteMemo {
    slots: [MemoSlot; MEMO_SLOTS],
    /// The slot the next new host replaces: the oldest.
    next: usize,
}

struct MemoSlot {
    /// 0 (no jar has that id) while the slot is empty.
    jar: u64,
    host: arrayvec::ArrayString<MEMO_HOST>,
    /// Where the registrable domain starts in `host`, and its length (0: none). It is the
    /// host's last labels, less a trailing dot; both fit in a byte, as the host does.
    site_start: u8,
    site_len: u8,
}

impl MemoSlot {
    const EMPTY: MemoSlot = MemoSlot {
        jar: 0,
        host: arrayvec::ArrayString::new_const(),
        site_start: 0,
        site_len: 0,
    };
}

thread_local! {
    static SITE_MEMO: std::cell::RefCell<SiteMemo> = const {
        std::cell::RefCell::new(SiteMemo {
            slots: [MemoSlot::EMPTY; MEMO_SLOTS],
            next: 0,
        })
    };
}

impl Default for Jar {
    fn default() -> Self {
        Jar::new()
    }
}

impl fmt::Debug for Jar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jar")
            .field("len", &self.len())
            .field("options", &self.options)
            .finish()
    }
}

/// Everything the jar needs to know about a request, computed once.
struct Target<'a> {
    host: CanonHost<'a>,
    /// The bucket key of the request host: its site.
    site_key: &'a str,
    /// Whether the host has a registrable domain (else it is an IP literal or a public suffix,
    /// and `site_key` is the host itself).
    has_site: bool,
    secure: bool,
    path: &'a str,
    same_site: bool,
    kind: RequestKind,
    http_api: bool,
    /// The partition key of the request: the top-level site.
    partition: &'a str,
}

/// The "site" of a host for same-site and partition decisions: its registrable domain, or the
/// host itself when it has none (IP literals, public-suffix hosts).
fn site_of<'a>(list: &dyn PublicSuffixList, host: CanonHost<'a>) -> &'a str {
    if host.is_ip() {
        return host.name;
    }
    suffix::registrable_domain(list, host.name).unwrap_or(host.name)
}

fn is_secure_scheme(url: &Url) -> bool {
    matches!(url.scheme(), "https" | "wss")
}

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

impl Jar {
    /// An empty in-memory jar with the default options.
    pub fn new() -> Self {
        Jar::with_options(JarOptions::default())
    }

    /// An empty in-memory jar with these options.
    pub fn with_options(options: JarOptions) -> Self {
        Jar {
            state: RwLock::new(State::default()),
            options,
            report: OpenReport::default(),
            id: next_jar_id(),
        }
    }

    /// Opens the jar file at `path`, creating it (mode 0600) if missing, with the default
    /// options. Every accepted change is in the file before the call that made it returns.
    ///
    /// Fails if another process has the file open ([`StoreError::Locked`]), if it is not a jar
    /// file, or if it was written by a newer format version; such files are left untouched. A
    /// damaged file opens with what is intact; [`Jar::open_report`] says what was dropped.
    pub fn open(path: impl AsRef<std::path::Path>) -> Result<Jar, StoreError> {
        Jar::open_with(path, JarOptions::default())
    }

    /// [`Jar::open`] with options.
    pub fn open_with(
        path: impl AsRef<std::path::Path>,
        options: JarOptions,
    ) -> Result<Jar, StoreError> {
        Jar::open_at(path, options, now_ms())
    }

    /// [`Jar::open_with`] at `now` (Unix milliseconds), which decides what has expired.
    pub fn open_at(
        path: impl AsRef<std::path::Path>,
        options: JarOptions,
        now: i64,
    ) -> Result<Jar, StoreError> {
        let path = path.as_ref();
        let durability = options.durability;
        Jar::load(options, now, |visit| {
            Store::open_file(path, durability, now, group_of, visit)
        })
    }

    /// Opens a jar on any [`Storage`] (an in-memory or fault-injecting one in tests, say), at
    /// `now`.
    pub fn open_storage_at(
        storage: Box<dyn Storage>,
        options: JarOptions,
        now: i64,
    ) -> Result<Jar, StoreError> {
        let durability = options.durability;
        Jar::load(options, now, |visit| {
            Store::open(storage, durability, now, group_of, visit)
        })
    }

    fn load(
        options: JarOptions,
        now: i64,
        open: impl FnOnce(&mut dyn FnMut(Scanned)) -> Result<(Store, OpenReport), StoreError>,
    ) -> Result<Jar, StoreError> {
        let mut state = State::default();
        let mut invalid = OpenReport::default();
        let list = options.public_suffixes.clone();
        let mut run = None;
        let (store, mut report) = open(&mut |scanned| match scanned {
            Scanned::Cookie {
                offset,
                size,
                put,
                group,
            } => state.add_cold(&mut run, offset, size, put, group),
            Scanned::Record(record, size) => {
                state.replay(*record, size, 0, &*list, &mut invalid);
            }
        })?;
        state.file_cold_run(run);
        report.invalid_records = invalid.invalid_records;
        state.store = Some(store);
        state.replay_memo = Default::default();
        state.open_now = now;
        // The cookies stay in the file until their sites are used (`State::cold`), except
        // when this open needs them all: a damaged file is rewritten below, a jar over its
        // limit in all evicts across sites, and consent enforced purges what it disallows.
        if report.lost_anything()
            || state.cold_puts > options.max_cookies
            || state.consent.is_enforcing()
            || state.consent.gpc()
        {
            state.warm(None, &options);
        }

        // Expired cookies, and session cookies unless they are kept, do not come back.
        let keep_sessions = options.persist_session_cookies;
        report.expired = state.retain_logged(None, |e| {
            !e.is_expired(now) && (keep_sessions || !e.is_session())
        })? as u64;
        // A file written under larger limits is brought within these.
        let per_site = options.max_cookies_per_site;
        let mut victims = std::collections::HashSet::new();
        for bucket in state.sites.values() {
            if bucket.len() > per_site {
                victims.extend(bucket_victims(bucket, per_site, now));
            }
        }
        if state.len - victims.len() > options.max_cookies {
            victims.extend(global_victims(&state, &victims, options.max_cookies, now));
        }
        if !victims.is_empty() {
            report.evicted = state.retain_logged(None, |e| !victims.contains(&e.seq))? as u64;
        }
        // The consent the file recorded applies to the cookies it holds: a consent change
        // whose purge was cut short (a failed write) is finished here.
        if state.consent.is_enforcing() || state.consent.gpc() {
            state.purge_disallowed()?;
        }
        let jar = Jar {
            state: RwLock::new(state),
            options,
            report,
            id: next_jar_id(),
        };
        let must_compact = {
            let state = jar.state.upgradable_read();
            let must =
                jar.report.lost_anything() || jar.report.invalid_records > 0 || state.compact_soon;
            if must || state.needs_compaction() {
                drop(State::compact_all(state, &jar.options)?);
            }
            must
        };
        let mut jar = jar;
        jar.report.compacted = must_compact || jar.report.compacted;
        Ok(jar)
    }

    /// What opening the file found: records replayed and anything dropped. Empty for an
    /// in-memory jar.
    ///
    /// A site's cookies are read from the file when the site is first used, and only then is
    /// it known whether one of them had expired or broke a rule; so this loads every cookie
    /// still in the file first (and, should one have been invalid, rewrites the file without
    /// it, as an open that meets one does).
    pub fn open_report(&self) -> OpenReport {
        let state = self.read_state_for(None);
        let mut report = self.report.clone();
        report.invalid_records += state.late.invalid_records;
        report.expired += state.late.expired;
        report.evicted += state.late.evicted;
        report.compacted |= state.late.compacted;
        report
    }

    /// The jar file, for a file-backed jar.
    pub fn path(&self) -> Option<std::path::PathBuf> {
        self.state
            .read()
            .store
            .as_ref()
            .and_then(|s| s.path().map(ToOwned::to_owned))
    }

    /// Makes every change so far durable against power loss (msync + fsync). A no-op for an
    /// in-memory jar.
    pub fn flush(&self) -> Result<(), StoreError> {
        match &mut self.state.write().store {
            Some(store) => store.flush(),
            None => Ok(()),
        }
    }

    /// The write lock, after compacting the file first if dead records dominate it.
    ///
    /// The write lock is taken at once: two atomic operations (lock, unlock) where an
    /// upgradable read, upgraded, takes three, and every store pays them. The rare compaction
    /// steps down to an upgradable read, so that readers go on while it writes the new file.
    fn write_state(&self) -> Result<RwLockWriteGuard<'_, State>, StoreError> {
        let state = self.state.write();
        if let Some(store) = &state.store {
            store.check()?;
        }
        if state.needs_compaction() {
            return State::compact_all(
                RwLockWriteGuard::downgrade_to_upgradable(state),
                &self.options,
            );
        }
        Ok(state)
    }

    /// The write lock, with the cold cookies of `site` (of every site, for `None`) loaded.
    fn write_state_for(
        &self,
        site: Option<&str>,
    ) -> Result<RwLockWriteGuard<'_, State>, StoreError> {
        let mut state = self.write_state()?;
        if state.needs_warm(site) {
            state.warm(site, &self.options);
            state = self.clean_up(state);
        }
        Ok(state)
    }

    /// After cold cookies were read: if some broke the rules, rewrites the file without them
    /// now, as an open that meets them does, so that a reopen finds a clean file. A failure
    /// poisons the store (every later write reports it); the lock is kept either way.
    fn clean_up<'s>(&'s self, state: RwLockWriteGuard<'s, State>) -> RwLockWriteGuard<'s, State> {
        if !state.compact_soon || state.store.as_ref().is_none_or(|s| s.check().is_err()) {
            return state;
        }
        match State::compact_all(
            RwLockWriteGuard::downgrade_to_upgradable(state),
            &self.options,
        ) {
            Ok(mut state) => {
                state.late.compacted = true;
                state
            }
            Err(_) => self.state.write(),
        }
    }

    /// The read lock, with the cold cookies of `site` (of every site, for `None`) loaded: a
    /// jar opened from a file loads a site's cookies on first use.
    fn read_state_for(&self, site: Option<&str>) -> RwLockReadGuard<'_, State> {
        let state = self.state.read();
        if !state.needs_warm(site) {
            return state;
        }
        drop(state);
        let mut state = self.state.write();
        state.warm(site, &self.options);
        RwLockWriteGuard::downgrade(self.clean_up(state))
    }

    /// The options this jar was made with.
    pub fn options(&self) -> &JarOptions {
        &self.options
    }

    fn target<'a>(&self, req: &Request<'a>) -> Result<Target<'a>, UrlError> {
        // check_url's checks, inline: this runs on every lookup and store.
        let secure_scheme = match req.url.scheme() {
            "https" | "wss" => true,
            "http" | "ws" => false,
            other => return Err(UrlError::UnsupportedScheme(other.to_owned())),
        };
        let list = &*self.options.public_suffixes;
        let host = CanonHost::of_url(req.url).ok_or(UrlError::NoHost)?;
        let registrable = if host.is_ip() {
            None
        } else {
            self.registrable_domain_of_host(host.name)
        };
        let site = registrable.unwrap_or(host.name);
        // RFC 6265bis §5.2: same-site when the initiating page's site (and scheme class, as
        // "schemeful same-site" in browsers) equals the request's.
        let (same_site, partition) = match req.initiator {
            None => (true, site),
            Some(init) => {
                let init_site = CanonHost::of_url(init).map(|h| site_of(list, h));
                let same = init_site == Some(site) && is_secure_scheme(init) == secure_scheme;
                // A subresource is partitioned under its top-level site; a navigation becomes
                // the top level itself.
                let partition = match (req.kind, init_site) {
                    (RequestKind::Subresource, Some(s)) => s,
                    _ => site,
                };
                (same, partition)
            }
        };
        Ok(Target {
            host,
            site_key: site,
            has_site: registrable.is_some(),
            secure: secure_scheme || host.is_loopback(),
            path: req.url.path(),
            same_site,
            kind: req.kind,
            http_api: req.http_api,
            partition,
        })
    }

    /// The registrable domain of a request host, through this thread's [`SITE_MEMO`].
    fn registrable_domain_of_host<'h>(&self, host: &'h str) -> Option<&'h str> {
        let list = &*self.options.public_suffixes;
        // `try_with`: during thread teardown the memo may be gone; then just look it up.
        let memo = SITE_MEMO.try_with(|memo| {
            let mut memo = memo.try_borrow_mut().ok()?;
            let hit = memo
                .slots
                .iter()
                .find(|m| m.jar == self.id && m.host.as_str() == host);
            if let Some(m) = hit {
                let start = usize::from(m.site_start);
                return Some(
                    (m.site_len > 0)
                        .then(|| host.get(start..start + usize::from(m.site_len)))
                        .flatten(),
                );
            }
            let site = suffix::registrable_domain(list, host);
            if let Ok(h) = arrayvec::ArrayString::from(host) {
                let at = memo.next;
                memo.next = (at + 1) % MEMO_SLOTS;
                // The site is a slice of `host` (its last labels, less a trailing dot), so
                // its start and length fit in a byte as the host's length does.
                let (site_start, site_len) = site.map_or((0, 0), |s| {
                    let start = s.as_ptr() as usize - host.as_ptr() as usize;
                    (start, s.len())
                });
                if let (Ok(site_start), Ok(site_len)) =
                    (u8::try_from(site_start), u8::try_from(site_len))
                {
                    memo.slots[at] = MemoSlot {
                        jar: self.id,
                        host: h,
                        site_start,
                        site_len,
                    };
                }
            }
            Some(site)
        });
        match memo {
            Ok(Some(site)) => site,
            _ => suffix::registrable_domain(list, host),
        }
    }

    // ----- storing ---------------------------------------------------------------------------

    /// Stores a cookie from a `Set-Cookie` header value received for `url`, by a plain HTTP
    /// client (the request is its own top level), at the current time.
    pub fn set_cookie(&self, set_cookie: &str, url: &Url) -> Result<SetOutcome, SetCookieError> {
        self.set_cookie_at(set_cookie, &Request::new(url), now_ms())
    }

    /// Stores a cookie from a `Set-Cookie` header value received for `request`, at `now`
    /// (Unix milliseconds): the storage model of RFC 6265bis §5.7.
    pub fn set_cookie_at(
        &self,
        set_cookie: &str,
        request: &Request<'_>,
        now: i64,
    ) -> Result<SetOutcome, SetCookieError> {
        let target = self.target(request)?;
        self.set_cookie_for(parse::Line::new(set_cookie), &target, now)
    }

    /// Stores the cookies of one response, each `Set-Cookie` value in turn, and hands each
    /// outcome to `each`. The request is read once for all of them (its host canonicalised,
    /// its site looked up in the public suffix list): a response often sets several cookies.
    #[cfg(feature = "reqwest")]
    pub(crate) fn set_cookies_each<'h>(
        &self,
        set_cookies: impl Iterator<Item = parse::Line<'h>>,
        request: &Request<'_>,
        now: i64,
        mut each: impl FnMut(Result<SetOutcome, SetCookieError>),
    ) {
        match self.target(request) {
            Ok(target) => {
                for set_cookie in set_cookies {
                    each(self.set_cookie_for(set_cookie, &target, now));
                }
            }
            Err(e) => {
                let e = SetCookieError::from(e);
                set_cookies.for_each(|_| each(Err(e.clone())));
            }
        }
    }

    /// [`Jar::set_cookie_at`] for a request already read.
    fn set_cookie_for(
        &self,
        set_cookie: parse::Line<'_>,
        target: &Target<'_>,
        now: i64,
    ) -> Result<SetOutcome, SetCookieError> {
        let list = &*self.options.public_suffixes;
        let parsed = parse::parse_line(set_cookie).map_err(Rejection::Parse)?;

        // Step 6: expiry. Max-Age beats Expires; both are capped at the cookie-age-limit
        // (§5.5, 400 days).
        let expires = if let Some(delta) = parsed.max_age {
            Some(if delta <= 0 {
                i64::MIN
            } else {
                now.saturating_add(delta.saturating_mul(1000).min(MAX_AGE_LIMIT_MS))
            })
        } else {
            parsed.expires.map(|secs| {
                secs.saturating_mul(1000)
                    .min(now.saturating_add(MAX_AGE_LIMIT_MS))
            })
        };

        // The jar keeps expiry to the second, as the file does (docs/file-format.md), so a
        // cookie expires at the same instant before and after a reopen.
        let expires = expires.map(|t| {
            if t == i64::MIN || t.rem_euclid(1000) == 0 {
                t
            } else {
                (t.div_euclid(1000) + 1).saturating_mul(1000)
            }
        });

        // Steps 7–10: the domain and the host-only flag.
        //
        // As in browsers, a `Domain` must lie at or below the request host's registrable
        // domain (the site): that rejects every public suffix (step 9) and also a parent of a
        // public suffix's child (`amazonaws.com` from `x.s3.amazonaws.com`), and it means the
        // cookie always belongs in the request host's bucket.
        let mut domain_attr: Option<std::borrow::Cow<'_, str>> = None;
        if let Some(raw) = parsed.domain.filter(|d| !d.is_empty()) {
            let (d, kind) = match host::domain_attribute_of_host(raw, &target.host) {
                // The request host's own domain or a parent of it: canonical, and matching.
                Some(d) => (std::borrow::Cow::Borrowed(d), HostKind::Domain),
                None => {
                    let (d, kind) =
                        host::canonicalize_domain_attribute(raw).map_err(|e| match e {
                            DomainAttributeError::NonAscii => Rejection::NonAsciiDomain,
                            DomainAttributeError::Invalid => Rejection::InvalidDomain,
                        })?;
                    if kind != target.host.kind
                        || !host::domain_match(target.host.name, target.host.is_ip(), &d)
                    {
                        return Err(Rejection::DomainMismatch.into());
                    }
                    (d, kind)
                }
            };
            if !target.has_site {
                // The host is itself a public suffix (or unknown to the list): `d` is the host
                // and the cookie becomes host-only (step 9). An IP literal may name itself.
                if kind != HostKind::Domain {
                    domain_attr = Some(d);
                }
            } else if d.trim_end_matches('.').len() < target.site_key.len() {
                return Err(if suffix::is_public_suffix(list, &d) {
                    Rejection::PublicSuffix
                } else {
                    Rejection::DomainMismatch
                }
                .into());
            } else {
                domain_attr = Some(d);
            }
        }
        let host_only = domain_attr.is_none();
        let domain: &str = domain_attr.as_deref().unwrap_or(target.host.name);

        // Step 11: the path.
        let path: &str = match parsed.path {
            Some(p) if !p.is_empty() => p,
            _ => default_path(target.path),
        };

        // Step 13: Secure only from a secure origin.
        if parsed.secure && !target.secure {
            return Err(Rejection::SecureFromInsecureOrigin.into());
        }
        // Step 15: HttpOnly only through HTTP.
        if parsed.http_only && !target.http_api {
            return Err(Rejection::HttpOnlyFromNonHttpApi.into());
        }
        // Step 17: SameSite cookies (including defaulted Lax) only from same-site responses or
        // top-level navigations.
        let enforced_same_site = match parsed.same_site {
            SameSite::Strict | SameSite::Lax => true,
            SameSite::Default => self.options.lax_by_default,
            SameSite::None => false,
        };
        if enforced_same_site
            && !target.same_site
            && !(matches!(target.kind, RequestKind::Navigation { .. }) && target.http_api)
        {
            return Err(Rejection::SameSiteCrossSite.into());
        }
        // Step 18.
        if parsed.same_site == SameSite::None && !parsed.secure {
            return Err(Rejection::SameSiteNoneInsecure.into());
        }
        // Steps 19–21: cookie name prefixes (§5.4), case-insensitive.
        if starts_with_ignore_case(parsed.name, "__Secure-") && !parsed.secure {
            return Err(Rejection::SecurePrefix.into());
        }
        if starts_with_ignore_case(parsed.name, "__Host-")
            && !(parsed.secure && host_only && parsed.path == Some("/"))
        {
            return Err(Rejection::HostPrefix.into());
        }
        if parsed.name.is_empty()
            && (starts_with_ignore_case(parsed.value, "__Secure-")
                || starts_with_ignore_case(parsed.value, "__Host-"))
        {
            return Err(Rejection::NamelessPrefix.into());
        }
        // CHIPS: Partitioned requires Secure; the key is the top-level site.
        if parsed.partitioned && !parsed.secure {
            return Err(Rejection::PartitionedInsecure.into());
        }
        let partition: Option<&str> = parsed.partitioned.then_some(target.partition);

        // The bucket: the cookie's domain lies within the request host's site.
        let key = target.site_key;

        if partition.is_some_and(|p| p.len() > MAX_FIELD_BYTES)
            || domain.len() > MAX_FIELD_BYTES
            || path.len() > MAX_FIELD_BYTES
        {
            return Err(Rejection::FieldTooLong.into());
        }

        let mut guard = self.write_state_for(Some(key))?;
        let state = &mut *guard;
        // Consent (docs/consent.md): the party comes from the top-level site. Once consent is
        // enforced, a third-party cookie is kept in the top-level site's partition, so it is
        // never sent under another top-level site.
        let top_site = target.partition;
        let first_party = key == top_site;
        let partition = if partition.is_none() && !first_party && state.consent.is_enforcing() {
            Some(top_site)
        } else {
            partition
        };
        // The site's bucket, found once for the checks below and the change itself.
        let bucket = state.sites.get_mut(key);

        // Step 16: "leave secure cookies alone".
        if !parsed.secure && !target.secure {
            if let Some(bucket) = bucket.as_deref() {
                let shadows = bucket.iter().any(|old| {
                    old.secure
                        && old.name() == parsed.name
                        && !old.is_expired(now)
                        && (host::domain_match(old.domain(), false, domain)
                            || host::domain_match(domain, false, old.domain()))
                        && path_match(path, old.path())
                });
                if shadows {
                    return Err(Rejection::OverwriteSecure.into());
                }
            }
        }

        // Step 22: the cookie this one replaces.
        let ident = KeyRef::new(parsed.name, domain, host_only, path, partition);
        let old = bucket
            .as_deref()
            .and_then(|b| find_key(b, &ident).map(|i| (i, &b[i])));
        if let Some((_, o)) = old {
            if !target.http_api && o.http_only {
                return Err(Rejection::OverwriteHttpOnly.into());
            }
        }
        let (old_index, old_created, old_seq) = match old {
            Some((i, o)) => (Some(i), o.created, o.seq),
            None => (None, now, state.next_seq + 1),
        };

        // Step 23: an already expired cookie only removes its match.
        if expires.is_some_and(|t| t <= now) {
            let Some(i) = old_index else {
                return Ok(SetOutcome::Expired);
            };
            state.delete_at(key, i)?;
            return Ok(SetOutcome::Deleted);
        }

        // Consent at store time (a deletion above is always honoured): classify, then refuse
        // what the top-level site's consent does not allow.
        let class = state
            .classifier
            .classify(parsed.name, domain, first_party, list);
        let session = expires.is_none();
        if class.categories.contains(Category::Unclassified) {
            state.unclassified.note(parsed.name, domain, now);
        }
        let mask = state.consent.allowed_mask(top_site, first_party);
        let tag = Tag::new(&class, session);
        if !mask.permits(tag.need) {
            let denied = class
                .categories
                .iter()
                .find(|c| !mask.allows(*c))
                .unwrap_or(Category::Unclassified);
            return Err(Rejection::ConsentDenied(denied).into());
        }
        let expires = match state.consent.lifetime_cap_ms(&class) {
            Some(cap) => expires.map(|t| t.min(now.saturating_add(cap))),
            None => expires,
        };

        let entry = Entry {
            text: ident.text(parsed.value),
            key_hash: ident.hash,
            expires_ms: expiry_field(expires),
            created: old_created,
            seq: old_seq,
            last_access: AtomicI64::new(now),
            host_only,
            secure: parsed.secure,
            http_only: parsed.http_only,
            same_site: parsed.same_site,
            priority: parsed.priority,
            frame_len: 0,
            tag,
        };
        let (outcome, site_len) = match bucket {
            Some(bucket) => {
                let (outcome, site_len) = put_in_bucket(
                    &mut state.store,
                    &mut state.live_bytes,
                    self.options.persist_session_cookies,
                    bucket,
                    entry,
                    old_index,
                )?;
                state.count(outcome);
                (outcome, site_len)
            }
            None => return Ok(self.commit_entry(state, key, entry, old_index, now)?),
        };
        self.enforce_limits(state, key, site_len, now)?;
        Ok(outcome)
    }

    /// Stores `entry` in bucket `key`, replacing the cookie at index `old`: into the file
    /// first, then memory, then the limits.
    fn commit_entry(
        &self,
        state: &mut State,
        key: &str,
        entry: Entry,
        old: Option<usize>,
        now: i64,
    ) -> Result<SetOutcome, StoreError> {
        let persist_sessions = self.options.persist_session_cookies;
        let (outcome, site_len) = match state.sites.get_mut(key) {
            Some(bucket) => put_in_bucket(
                &mut state.store,
                &mut state.live_bytes,
                persist_sessions,
                bucket,
                entry,
                old,
            )?,
            // Only a new site allocates its key.
            None => {
                let mut bucket = new_bucket();
                let (outcome, site_len) = put_in_bucket(
                    &mut state.store,
                    &mut state.live_bytes,
                    persist_sessions,
                    &mut bucket,
                    entry,
                    None,
                )?;
                state.sites.insert(key.into(), bucket);
                (outcome, site_len)
            }
        };
        state.count(outcome);
        self.enforce_limits(state, key, site_len, now)?;
        Ok(outcome)
    }

    /// After a change to bucket `key` (now `site_len` cookies long): evicts what the limits
    /// no longer allow, first in the site, then in the whole jar.
    #[inline]
    fn enforce_limits(
        &self,
        state: &mut State,
        key: &str,
        site_len: usize,
        now: i64,
    ) -> Result<(), StoreError> {
        // Nearly every store stays within both limits: two comparisons, inline.
        if site_len > self.options.max_cookies_per_site
            || state.len + state.cold_puts > self.options.max_cookies
        {
            return self.evict(state, key, site_len, now);
        }
        Ok(())
    }

    /// [`Jar::enforce_limits`] once a limit is passed.
    #[inline(never)]
    fn evict(
        &self,
        state: &mut State,
        key: &str,
        site_len: usize,
        now: i64,
    ) -> Result<(), StoreError> {
        let per_site = self.options.max_cookies_per_site;
        if site_len > per_site {
            if let Some(bucket) = state.sites.get(key) {
                let victims: std::collections::HashSet<u64> =
                    bucket_victims(bucket, per_site, now).collect();
                state.retain_logged(Some(key), |e| !victims.contains(&e.seq))?;
            }
        }
        let total = self.options.max_cookies;
        if state.len + state.cold_puts > total {
            // The cookies still in the file count too (at most `cold_puts` of them).
            state.warm(None, &self.options);
        }
        if state.len > total {
            let none = std::collections::HashSet::new();
            let victims: std::collections::HashSet<u64> = global_victims(state, &none, total, now)
                .into_iter()
                .collect();
            state.retain_logged(None, |e| !victims.contains(&e.seq))?;
        }
        Ok(())
    }

    /// Stores a cookie given with all its metadata (an import from another jar's file, say),
    /// at `now`. The cookie must be one the storage model could have produced: a `Domain` that
    /// is not a public suffix (unless host-only), the prefix, `Secure` and size rules; it is
    /// refused with the same reasons as a `Set-Cookie`. A creation or last-access time of 0
    /// means `now`; an expiry in the past deletes the matching cookie.
    pub fn insert_at(&self, cookie: &Cookie, now: i64) -> Result<SetOutcome, SetCookieError> {
        let list = &*self.options.public_suffixes;
        let bad_text = parse::has_forbidden_control;
        if bad_text(&cookie.name) || bad_text(&cookie.value) {
            return Err(Rejection::Parse(ParseError::ControlCharacter).into());
        }
        if cookie.name.len() + cookie.value.len() > parse::MAX_NAME_VALUE_BYTES {
            return Err(Rejection::Parse(ParseError::NameValueTooLong).into());
        }
        if cookie.name.is_empty() && cookie.value.is_empty() {
            return Err(Rejection::Parse(ParseError::EmptyNameAndValue).into());
        }
        let raw = cookie.domain.strip_prefix('.').unwrap_or(&cookie.domain);
        let (domain, kind) = host::canonicalize_domain_attribute(raw).map_err(|e| match e {
            DomainAttributeError::NonAscii => Rejection::NonAsciiDomain,
            DomainAttributeError::Invalid => Rejection::InvalidDomain,
        })?;
        if !cookie.host_only && kind == HostKind::Domain && suffix::is_public_suffix(list, &domain)
        {
            return Err(Rejection::PublicSuffix.into());
        }
        let path = if cookie.path.starts_with('/') {
            cookie.path.as_str()
        } else {
            "/"
        };
        if bad_text(path) || cookie.partition.as_ref().is_some_and(|p| bad_text(p)) {
            return Err(Rejection::Parse(ParseError::ControlCharacter).into());
        }
        if domain.len() > MAX_FIELD_BYTES
            || path.len() > MAX_FIELD_BYTES
            || cookie
                .partition
                .as_ref()
                .is_some_and(|p| p.len() > MAX_FIELD_BYTES)
        {
            return Err(Rejection::FieldTooLong.into());
        }
        stored_attribute_rules(
            &cookie.name,
            cookie.secure,
            cookie.host_only,
            path,
            cookie.same_site,
        )?;
        // A partition without `Secure` is not refused: the jar itself keeps third-party
        // cookies that way once consent is enforced, and what `cookies()` lists must go back
        // in (a partition only narrows where a cookie is sent).
        let expires = cookie.expires.map(|t| {
            (t.div_euclid(1000) + i64::from(t.rem_euclid(1000) != 0))
                .saturating_mul(1000)
                .min(now.saturating_add(MAX_AGE_LIMIT_MS))
        });
        let key: Box<str> = key_of_domain(list, &domain).into();
        let key = &*key;
        let partition = cookie.partition.as_deref();

        let mut guard = self.write_state_for(Some(key))?;
        let state = &mut *guard;
        let ident = KeyRef::new(&cookie.name, &domain, cookie.host_only, path, partition);
        let old = state
            .sites
            .get(key)
            .and_then(|b| find_key(b, &ident).map(|i| (i, &b[i])));
        let (old_created, old_seq, old) = match old {
            Some((i, o)) => (o.created, o.seq, Some(i)),
            None => (0, state.next_seq + 1, None),
        };
        if expires.is_some_and(|t| t <= now) {
            let Some(i) = old else {
                return Ok(SetOutcome::Expired);
            };
            state.delete_at(key, i)?;
            return Ok(SetOutcome::Deleted);
        }
        let created = match (cookie.created, old.is_some()) {
            (0, true) => old_created,
            (0, false) => now,
            (t, _) => t,
        };
        let entry = Entry {
            text: ident.text(&cookie.value),
            key_hash: ident.hash,
            expires_ms: expiry_field(expires),
            created,
            seq: old_seq,
            last_access: AtomicI64::new(if cookie.last_access == 0 {
                now
            } else {
                cookie.last_access
            }),
            host_only: cookie.host_only,
            secure: cookie.secure,
            http_only: cookie.http_only,
            same_site: cookie.same_site,
            priority: cookie.priority,
            frame_len: 0,
            tag: {
                // A cookie that comes without a classification (an import from another jar's
                // file) is classified here, as its own site's first-party cookie.
                let c = if cookie.source == Source::Default {
                    let first_party = partition.is_none_or(|p| p == key);
                    state
                        .classifier
                        .classify(&cookie.name, &domain, first_party, list)
                } else {
                    let mut c = Classification::unclassified();
                    c.categories = cookie.categories;
                    c.exemption = cookie.exemption;
                    c.source = cookie.source;
                    c
                };
                Tag::new(&c, expires.is_none())
            },
        };
        Ok(self.commit_entry(state, key, entry, old, now)?)
    }

    // ----- retrieving ------------------------------------------------------------------------

    /// The `Cookie` header value a plain HTTP client sends to `url` now, or `None` when no
    /// cookie applies.
    pub fn cookie_header(&self, url: &Url) -> Option<String> {
        self.cookie_header_at(&Request::new(url), now_ms())
    }

    /// The `Cookie` header value for `request` at `now` (Unix milliseconds): RFC 6265bis
    /// §5.8.3, cookies in the order it prescribes, joined by "; ". `None` when no cookie
    /// applies or the URL cannot carry cookies.
    pub fn cookie_header_at(&self, request: &Request<'_>, now: i64) -> Option<String> {
        let target = self.target(request).ok()?;
        let state = self.read_state_for(Some(target.site_key));
        let bucket = state.sites.get(target.site_key)?;
        prefetch(bucket);
        // Consent at send time: one mask for the request's top-level site, one bit test per
        // cookie (every cookie of a bucket has the same party).
        let mask = state
            .consent
            .allowed_mask(target.partition, target.site_key == target.partition);
        let mut matched: SmallVec<[&Entry; 16]> = SmallVec::new();
        for e in bucket {
            if mask.permits(e.tag.need) && self.matches(e, &target, now) {
                matched.push(e);
            }
        }
        if matched.is_empty() {
            return None;
        }
        sort_for_header(&mut matched);
        let len: usize = matched.iter().map(|e| e.pair().len() + 2).sum();
        let mut out = String::with_capacity(len);
        for e in matched {
            e.last_access.store(now, Ordering::Relaxed);
            if !out.is_empty() {
                out.push_str("; ");
            }
            out.push_str(e.pair());
        }
        Some(out)
    }

    /// The cookies that `request` would carry at `now`, in header order, with their metadata.
    /// Their last-access time is updated, as sending them would.
    pub fn matching_cookies_at(&self, request: &Request<'_>, now: i64) -> Vec<Cookie> {
        let Ok(target) = self.target(request) else {
            return Vec::new();
        };
        let state = self.read_state_for(Some(target.site_key));
        let Some(bucket) = state.sites.get(target.site_key) else {
            return Vec::new();
        };
        prefetch(bucket);
        let mask = state
            .consent
            .allowed_mask(target.partition, target.site_key == target.partition);
        let mut matched: SmallVec<[&Entry; 16]> = bucket
            .iter()
            .filter(|e| mask.permits(e.tag.need) && self.matches(e, &target, now))
            .collect();
        sort_for_header(&mut matched);
        matched
            .into_iter()
            .map(|e| {
                e.last_access.store(now, Ordering::Relaxed);
                e.to_cookie()
            })
            .collect()
    }

    /// RFC 6265bis §5.8.3 step 1: whether the stored cookie goes with the request. The checks
    /// that need only the entry's fields come first; its strings, kept inline in the entry
    /// (see [`INLINE_TEXT`]), are compared last.
    #[inline(always)]
    fn matches(&self, e: &Entry, t: &Target<'_>, now: i64) -> bool {
        if e.is_expired(now) || (e.secure && !t.secure) || (e.http_only && !t.http_api) {
            return false;
        }
        if !t.same_site {
            let lax_ok = match t.kind {
                RequestKind::Navigation { safe_method } => t.http_api && safe_method,
                RequestKind::Subresource => false,
            };
            let allowed = match e.same_site {
                SameSite::None => true,
                SameSite::Strict => false,
                SameSite::Lax => lax_ok,
                SameSite::Default if !self.options.lax_by_default => true,
                SameSite::Default => {
                    // Lax, plus Chromium's "Lax-allowing-unsafe" for young cookies.
                    lax_ok
                        || (matches!(t.kind, RequestKind::Navigation { .. })
                            && t.http_api
                            && now.saturating_sub(e.created) < LAX_ALLOWING_UNSAFE_MS)
                }
            };
            if !allowed {
                return false;
            }
        }
        // On the bytes the entry keeps side by side (no UTF-8 boundary checks: both strings
        // are whole). A host-only cookie's domain must be the host itself.
        let (domain, path) = e.text.domain_and_path();
        let host = t.host.name.as_bytes();
        let domain_ok = if e.host_only {
            same_bytes(host, domain)
        } else {
            host::domain_match_bytes(host, t.host.is_ip(), domain)
        };
        if !domain_ok || !path_match_bytes(t.path.as_bytes(), path) {
            return false;
        }
        match e.partition() {
            Some(p) => p == t.partition,
            None => true,
        }
    }

    // ----- consent -------------------------------------------------------------------------

    /// The site (registrable domain, or the host itself) a host name stands for in consent
    /// decisions: `data.example.org` and `example.org` name the same site.
    fn site_for_host(&self, host: &str) -> String {
        let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
        let canon = match url::Host::parse(&host) {
            Ok(url::Host::Domain(d)) => d,
            Ok(other) => return other.to_string(),
            Err(_) => host,
        };
        suffix::registrable_domain(&*self.options.public_suffixes, &canon)
            .map_or_else(|| canon.clone(), str::to_owned)
    }

    /// Adds an operator rule (a line of the site's cookie policy), classifies every stored
    /// cookie again, and purges what consent no longer allows. Returns the rule's id.
    pub fn add_rule(&self, rule: Rule) -> Result<u32, ConsentChangeError> {
        // Every stored cookie is classified again.
        let mut state = self.write_state_for(None)?;
        let id = state.classifier.add_rule(rule)?;
        state.log_rules(&[id])?;
        state.reclassify(&*self.options.public_suffixes);
        state.purge_disallowed()?;
        Ok(id)
    }

    /// Loads an operator's cookie policy (CSV or JSON, see `docs/consent.md`), adds its rules
    /// and re-evaluates the stored cookies. Returns how many rules were added.
    pub fn load_policy(&self, text: &str) -> Result<usize, ConsentChangeError> {
        let rules = if text.trim_start().starts_with(['[', '{']) {
            crate::consent::rules_from_json(text)?
        } else {
            crate::consent::rules_from_csv(text)?
        };
        let n = rules.len();
        let mut state = self.write_state_for(None)?;
        // All or none: a bad rule anywhere in the file adds nothing.
        let ids = state
            .classifier
            .add_rules(rules)
            .map_err(|(_, e)| ConsentChangeError::Rule(e))?;
        state.log_rules(&ids)?;
        state.reclassify(&*self.options.public_suffixes);
        state.purge_disallowed()?;
        Ok(n)
    }

    /// Records the user's consent for a top-level site (`None`: the jar-wide default), and
    /// purges at once every stored cookie it no longer allows, returning them. Enforcement
    /// starts with the first call (before it, the jar enforces nothing: the drop-in rule).
    /// Granting again restores nothing.
    pub fn set_consent(
        &self,
        top_level_site: Option<&str>,
        state: ConsentState,
    ) -> Result<Vec<Cookie>, ConsentChangeError> {
        let site = top_level_site.map(|h| self.site_for_host(h));
        self.change_consent(Some(site.as_deref()), |consent| {
            match &site {
                Some(s) => consent.set_site(s, state),
                None => consent.set_default(state),
            }
            Ok(())
        })
    }

    /// Like [`Jar::set_consent`] with the categories in `granted` granted and every other
    /// optional category denied (what a consent banner records), decided at `now`.
    pub fn set_consent_granted(
        &self,
        top_level_site: Option<&str>,
        granted: CategorySet,
        now: i64,
    ) -> Result<Vec<Cookie>, ConsentChangeError> {
        self.set_consent(top_level_site, ConsentState::from_granted(granted, now))
    }

    /// One decision about one category, at `now`; purges what it no longer allows.
    pub fn set_decision(
        &self,
        top_level_site: Option<&str>,
        category: Category,
        decision: Decision,
        now: i64,
    ) -> Result<Vec<Cookie>, ConsentChangeError> {
        let site = top_level_site.map(|h| self.site_for_host(h));
        self.change_consent(Some(site.as_deref()), |consent| {
            consent
                .set_decision(site.as_deref(), category, decision, now)
                .map_err(|_| ConsentChangeError::NotDecidable(category))
        })
    }

    /// Global Privacy Control, switched on or off at `now`: while on, Marketing (and
    /// unclassified cookies treated as Marketing) is refused and purged everywhere, except on
    /// sites granted Marketing after GPC was switched on.
    pub fn set_gpc(&self, on: bool, now: i64) -> Result<Vec<Cookie>, ConsentChangeError> {
        self.change_consent(None, |consent| {
            consent.set_gpc(on, now);
            Ok(())
        })
    }

    /// The jurisdiction profile (`Strict` by default; `Cnil`, `UkDuaa`).
    pub fn set_profile(&self, profile: Profile) -> Result<Vec<Cookie>, ConsentChangeError> {
        self.change_consent(None, |consent| {
            consent.set_profile(profile);
            Ok(())
        })
    }

    /// What happens to cookies no rule classifies (default: they need Marketing consent).
    pub fn set_unclassified_policy(
        &self,
        policy: UnclassifiedPolicy,
    ) -> Result<Vec<Cookie>, ConsentChangeError> {
        self.change_consent(None, |consent| {
            consent.set_unclassified_policy(policy);
            Ok(())
        })
    }

    /// Applies a consent change: to a copy first, then into the file (the settings, and the
    /// decisions of `scope` when it names one: `Some(None)` the jar-wide default,
    /// `Some(Some(site))` a site), then in memory; then purges what it no longer allows.
    fn change_consent(
        &self,
        scope: Option<Option<&str>>,
        change: impl FnOnce(&mut Consent) -> Result<(), ConsentChangeError>,
    ) -> Result<Vec<Cookie>, ConsentChangeError> {
        // Every stored cookie is held to the new consent.
        let mut guard = self.write_state_for(None)?;
        let mut next = guard.consent.clone();
        change(&mut next)?;
        if guard.store.is_some() {
            // The decision first, the settings second, so that a write failing between the two
            // leaves a file that reads as the old state or the new one: replaying a decision
            // starts enforcing, as making it does, and a scoped change alters nothing else in
            // the settings. (Settings first could leave enforcement on without the decision,
            // and the next open purged what both states keep.)
            match scope {
                Some(None) => guard.log(&consent_record("", next.default_state()).as_ref())?,
                Some(Some(site)) => {
                    guard.log(&consent_record(site, next.state_for(site)).as_ref())?
                }
                None => 0,
            };
            guard.log(&settings_record(&next).as_ref())?;
        }
        guard.consent = next;
        Ok(guard.purge_disallowed()?)
    }

    /// A copy of the consent state.
    pub fn consent(&self) -> Consent {
        self.state.read().consent.clone()
    }

    /// For each stored cookie: the cookie (with its categories and their source), and
    /// whether it is first-party where it lives.
    pub fn audit_at(&self, now: i64) -> Vec<(Cookie, bool)> {
        let state = self.read_state_for(None);
        let mut out: Vec<(Cookie, bool)> = state
            .sites
            .iter()
            .flat_map(|(key, bucket)| {
                bucket
                    .iter()
                    .filter(move |e| !e.is_expired(now))
                    .map(move |e| (e.to_cookie(), State::context_of(key, e).1))
            })
            .collect();
        out.sort_by(|a, b| {
            (&a.0.domain, &a.0.path, &a.0.name).cmp(&(&b.0.domain, &b.0.path, &b.0.name))
        });
        out
    }

    /// The unclassified cookies seen so far (stored or refused), most frequent first, so an
    /// operator can write rules for them.
    pub fn unclassified_report(&self) -> Vec<UnclassifiedSeen> {
        let state = self.state.read();
        let mut v: Vec<_> = state
            .unclassified
            .seen
            .values()
            .map(|seen| state.unclassified.report(seen))
            .collect();
        drop(state);
        v.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| (&a.domain, &a.name).cmp(&(&b.domain, &b.name)))
        });
        v
    }

    // ----- managing --------------------------------------------------------------------------

    /// The number of cookies stored (expired ones count until they are purged).
    pub fn len(&self) -> usize {
        self.read_state_for(None).len
    }

    /// Whether the jar holds no cookie.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every cookie that has not expired, with its metadata, at the current time.
    pub fn cookies(&self) -> Vec<Cookie> {
        self.cookies_at(now_ms())
    }

    /// Every cookie not expired at `now`, sorted by domain, path, name.
    pub fn cookies_at(&self, now: i64) -> Vec<Cookie> {
        let state = self.read_state_for(None);
        let mut all: Vec<Cookie> = state
            .sites
            .values()
            .flatten()
            .filter(|e| !e.is_expired(now))
            .map(Entry::to_cookie)
            .collect();
        all.sort_by(|a, b| {
            (&a.domain, &a.path, &a.name, &a.partition).cmp(&(
                &b.domain,
                &b.path,
                &b.name,
                &b.partition,
            ))
        });
        all
    }

    /// The unpartitioned cookie with this domain, path and name, if it is stored and not
    /// expired now.
    pub fn get(&self, domain: &str, path: &str, name: &str) -> Option<Cookie> {
        self.get_at(domain, path, name, now_ms())
    }

    /// [`Jar::get`] at `now`.
    pub fn get_at(&self, domain: &str, path: &str, name: &str, now: i64) -> Option<Cookie> {
        let domain = normalize_domain_arg(domain);
        let key = self.key_of_domain(&domain);
        let state = self.read_state_for(Some(key));
        let bucket = state.sites.get(key)?;
        bucket
            .iter()
            .find(|e| {
                e.domain() == domain
                    && e.path() == path
                    && e.name() == name
                    && e.partition().is_none()
                    && !e.is_expired(now)
            })
            .map(Entry::to_cookie)
    }

    /// Removes the cookies with this domain, path and name (in every partition); returns how
    /// many were removed.
    pub fn remove(&self, domain: &str, path: &str, name: &str) -> Result<usize, StoreError> {
        let domain = normalize_domain_arg(domain);
        let key = self.key_of_domain(&domain).to_owned();
        self.retain_in(Some(&key), |e| {
            !(e.domain() == domain && e.path() == path && e.name() == name)
        })
    }

    /// Removes every cookie whose domain is `domain` or one of its subdomains; returns how
    /// many were removed.
    pub fn clear_domain(&self, domain: &str) -> Result<usize, StoreError> {
        let domain = normalize_domain_arg(domain);
        self.retain_in(None, |e| !host::domain_match(e.domain(), false, &domain))
    }

    /// Removes every cookie (for a file jar, by rewriting the file empty).
    pub fn clear(&self) -> Result<(), StoreError> {
        let mut state = self.write_state()?;
        // The file first, as for every change: an empty file replaces it, and only once that
        // is done does memory forget. A failure leaves both as they were (or poisons the jar
        // when the swap itself failed), so a reopen never brings back "cleared" cookies that
        // the jar went on acting as if gone.
        // Consent and rules are not cookies: they stay.
        let keep = consent_snapshot(&state.consent, &state.classifier);
        if let Some(store) = &mut state.store {
            // A failure poisons the jar, as every failed write does: the caller was told the
            // clear did not happen, and nothing after it is acknowledged until a reopen.
            let rewrite = store
                .prepare_rewrite(keep.iter().map(Record::as_ref), 0, &mut Vec::new())
                .map_err(|e| store.poison_with(e))?;
            store.install(rewrite)?;
        }
        state.sites.clear();
        state.len = 0;
        // The cookies still in the old file went with it.
        state.cold.clear();
        state.cold_frames = Vec::new();
        state.cold_puts = 0;
        state.live_bytes = state.store.as_ref().map_or(0, |s| s.log_bytes());
        Ok(())
    }

    /// Removes every session cookie (what a browser does when it closes); returns how many.
    pub fn clear_session_cookies(&self) -> Result<usize, StoreError> {
        self.retain_in(None, |e| !e.is_session())
    }

    /// Removes every cookie expired at `now`; returns how many.
    pub fn purge_expired_at(&self, now: i64) -> Result<usize, StoreError> {
        self.retain_in(None, |e| !e.is_expired(now))
    }

    fn key_of_domain<'a>(&self, domain: &'a str) -> &'a str {
        key_of_domain(&*self.options.public_suffixes, domain)
    }

    /// Keeps the cookies for which `keep` is true, in one bucket or in all; returns how many
    /// were removed.
    fn retain_in(
        &self,
        key: Option<&str>,
        keep: impl FnMut(&Entry) -> bool,
    ) -> Result<usize, StoreError> {
        self.write_state_for(key)?.retain_logged(key, keep)
    }
}

// ----- consent in the file (docs/file-format.md, "Consent records") -------------------------

fn decision_code(d: Decision) -> u8 {
    match d {
        Decision::Unset => 0,
        Decision::Granted => 1,
        Decision::Denied => 2,
    }
}

fn decision_of(code: u8) -> Option<Decision> {
    match code {
        0 => Some(Decision::Unset),
        1 => Some(Decision::Granted),
        2 => Some(Decision::Denied),
        _ => None,
    }
}

fn category_index(c: Category) -> u8 {
    CategorySet::single(c).bits().trailing_zeros() as u8
}

/// The record of the jar-wide settings of `consent`.
fn settings_record(consent: &Consent) -> Record {
    Record::Settings(SettingsRecord {
        enforcing: consent.is_enforcing(),
        profile: match consent.profile() {
            Profile::Strict => 0,
            Profile::Cnil => 1,
            Profile::UkDuaa => 2,
        },
        unclassified: match consent.unclassified_policy() {
            UnclassifiedPolicy::TreatAs(c) => category_index(c),
            UnclassifiedPolicy::Reject => 5,
            UnclassifiedPolicy::AllowFirstPartySession => 6,
        },
        gpc_since: consent.gpc_since(),
    })
}

/// The record of the decisions for `site` (`""`: the jar-wide default).
fn consent_record(site: &str, state: &ConsentState) -> Record {
    Record::Consent(ConsentRecord {
        site: site.to_owned(),
        decisions: [
            decision_code(state.preferences),
            decision_code(state.statistics),
            decision_code(state.marketing),
        ],
        decided_at: state.decided_at,
    })
}

fn rule_record(rule: &Rule) -> Record {
    Record::Rule(RuleRecord {
        domain: rule.domain.clone(),
        name: rule.name.clone(),
        prefix: rule.name_is_prefix,
        categories: rule.categories.bits(),
        exemption: rule.exemption.is_some(),
        purpose: rule.purpose.clone(),
        provider: rule.provider.clone(),
    })
}

/// Everything about consent a rewritten file must carry: the settings, the decisions (only
/// once enforcing: a decision is what starts enforcement), and the rules in their order.
fn consent_snapshot(consent: &Consent, classifier: &Classifier) -> Vec<Record> {
    let mut out = vec![settings_record(consent)];
    if consent.is_enforcing() {
        out.push(consent_record("", consent.default_state()));
        out.extend(consent.sites().map(|(site, st)| consent_record(site, st)));
    }
    out.extend(classifier.rules().map(|(_, rule)| rule_record(rule)));
    out
}

/// The rules of RFC 6265bis §5.7 steps 18–20 that hold for every stored cookie whatever brought
/// it (an import, a record read back from a file): a `__Secure-` or `__Host-` name and
/// `SameSite=None` need `Secure`, and `__Host-` also a host-only cookie on `/`.
fn stored_attribute_rules(
    name: &str,
    secure: bool,
    host_only: bool,
    path: &str,
    same_site: SameSite,
) -> Result<(), Rejection> {
    if starts_with_ignore_case(name, "__Secure-") && !secure {
        return Err(Rejection::SecurePrefix);
    }
    if starts_with_ignore_case(name, "__Host-") && !(secure && host_only && path == "/") {
        return Err(Rejection::HostPrefix);
    }
    if same_site == SameSite::None && !secure {
        return Err(Rejection::SameSiteNoneInsecure);
    }
    Ok(())
}

/// Unix seconds from a file as milliseconds, clamped so that `ms / 1000` gives the same seconds
/// back.
fn seconds_to_ms(s: i64) -> i64 {
    s.clamp(i64::MIN / 1000, i64::MAX / 1000) * 1000
}

/// The bucket of a stored cookie's domain.
fn key_of_domain<'a>(list: &dyn PublicSuffixList, domain: &'a str) -> &'a str {
    let kind = if domain_attr_is_ip(domain) {
        HostKind::Ipv4
    } else {
        HostKind::Domain
    };
    site_of(list, CanonHost { name: domain, kind })
}

/// Domain arguments of the management API may come with a leading dot or in upper case.
fn normalize_domain_arg(domain: &str) -> String {
    domain
        .strip_prefix('.')
        .unwrap_or(domain)
        .to_ascii_lowercase()
}

/// An IP literal in canonical form: IPv6 in brackets, or four dotted decimal numbers.
fn domain_attr_is_ip(d: &str) -> bool {
    d.starts_with('[') || d.parse::<std::net::Ipv4Addr>().is_ok()
}

/// The room a new site's bucket starts with. Growing a bucket copies its entries (192 bytes
/// each) unless the allocator can extend the block in place. Most sites set a handful of
/// cookies; starting at 8 (1.5 KiB) instead of `Vec`'s 4 saves a growth for every site with 5
/// to 8 cookies, and one of two for those with 9 to 16.
const BUCKET_START: usize = 8;

/// Stores `entry` in `bucket`, replacing the cookie at index `old`: into the file first (when
/// the jar has one and the cookie is persisted), then memory, so that memory never holds a
/// change the file lacks. Returns what happened and the bucket's length after it; the caller
/// counts a new cookie and applies the limits. Inlined into the store path, so that the entry
/// (192 bytes) is built where it goes rather than copied there twice.
#[inline(always)]
fn put_in_bucket(
    store: &mut Option<Store>,
    live_bytes: &mut u64,
    persist_sessions: bool,
    bucket: &mut Vec<Entry>,
    mut entry: Entry,
    old: Option<usize>,
) -> Result<(SetOutcome, usize), StoreError> {
    let old = old.filter(|&i| i < bucket.len());
    if let Some(store) = store {
        if persist_sessions || !entry.is_session() {
            entry.frame_len = store.append(&RecordRef::Put(entry.record()))?;
        } else if let Some(o) = old.map(|i| &bucket[i]).filter(|o| o.frame_len > 0) {
            // A session cookie replacing a persisted one: the file must forget the old one.
            store.append(&RecordRef::Delete(o.file_key()))?;
        }
    }
    *live_bytes += u64::from(entry.frame_len);
    Ok(match old {
        Some(i) => {
            let o = std::mem::replace(&mut bucket[i], entry);
            *live_bytes = live_bytes.saturating_sub(u64::from(o.frame_len));
            (SetOutcome::Replaced, bucket.len())
        }
        None => {
            bucket.push(entry);
            (SetOutcome::Stored, bucket.len())
        }
    })
}

fn new_bucket() -> Vec<Entry> {
    Vec::with_capacity(BUCKET_START)
}

/// Asks the CPU to start loading every cookie of a bucket at once, before a lookup tests them
/// one by one. In a big jar a bucket is rarely in cache, and each of its cache lines would
/// otherwise be waited for in turn: at 100k cookies this halves the time of a lookup.
#[inline]
fn prefetch(bucket: &[Entry]) {
    #[cfg(target_arch = "x86_64")]
    {
        use core::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        for e in bucket {
            let p = std::ptr::from_ref(e).cast::<i8>();
            // SAFETY: a prefetch is a hint: it never faults and has no effect a program can
            // observe but timing, whatever the address. (The addresses are in the live bucket
            // anyway: an entry is 192 bytes.)
            unsafe {
                _mm_prefetch::<_MM_HINT_T0>(p);
                _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(64));
                _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(128));
            }
        }
        // An entry need not start on a cache line (see `Entry`), so the bucket's last line
        // may lie beyond the last entry's third prefetch: ask for its last byte too.
        if let Some(last) = bucket.last() {
            let end = std::ptr::from_ref(last)
                .cast::<i8>()
                .wrapping_add(std::mem::size_of::<Entry>() - 1);
            // SAFETY: a hint, as above; the address is the last entry's last byte.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(end) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = bucket;
}

/// RFC 6265bis §5.8.3 step 2: longer paths first, then earlier creation times.
fn sort_for_header(matched: &mut [&Entry]) {
    matched.sort_unstable_by(|a, b| {
        b.text
            .path_len()
            .cmp(&a.text.path_len())
            .then(a.created.cmp(&b.created))
            .then(a.seq.cmp(&b.seq))
    });
}

/// The cookies (by `seq`) to evict from a site over `limit`: down to five sixths of it, least
/// valuable first.
fn bucket_victims(bucket: &[Entry], limit: usize, now: i64) -> impl Iterator<Item = u64> + '_ {
    let keep = limit - limit / 6;
    let mut ranked: Vec<_> = bucket.iter().map(|e| e.eviction_key(now)).collect();
    ranked.sort_unstable();
    let excess = bucket.len().saturating_sub(keep);
    ranked.truncate(excess);
    ranked.into_iter().map(|k| k.4)
}

/// The cookies (by `seq`) to evict from a jar over `limit`, besides those already chosen:
/// down to ten elevenths of it, least valuable first.
fn global_victims(
    state: &State,
    already: &std::collections::HashSet<u64>,
    limit: usize,
    now: i64,
) -> Vec<u64> {
    let keep = limit - limit / 11;
    let mut ranked: Vec<_> = state
        .sites
        .values()
        .flatten()
        .filter(|e| !already.contains(&e.seq))
        .map(|e| e.eviction_key(now))
        .collect();
    let excess = ranked.len().saturating_sub(keep);
    if excess == 0 {
        return Vec::new();
    }
    ranked.select_nth_unstable(excess - 1);
    ranked.truncate(excess);
    ranked.into_iter().map(|k| k.4).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn set(jar: &Jar, u: &str, h: &str) -> Result<SetOutcome, SetCookieError> {
        jar.set_cookie_at(h, &Request::new(&url(u)), NOW)
    }

    fn header(jar: &Jar, u: &str) -> Option<String> {
        jar.cookie_header_at(&Request::new(&url(u)), NOW)
    }

    /// A list on which `example.com` is itself a public suffix.
    struct ExampleIsASuffix;

    impl PublicSuffixList for ExampleIsASuffix {
        fn suffix_len(&self, domain: &str) -> Option<usize> {
            let last = |n: usize| {
                domain
                    .rsplitn(n + 1, '.')
                    .take(n)
                    .map(str::len)
                    .sum::<usize>()
            };
            Some(if domain.ends_with("example.com") {
                last(2) + 1
            } else {
                last(1)
            })
        }
    }

    #[test]
    fn the_site_memo_answers_for_its_own_jar_and_host_only() {
        // Interleaved on one thread: each jar must see its own list, whatever the other jar
        // looked up last on the same host, and each answer must be the one a fresh jar (which
        // the memo has never seen) gives.
        let ours = Jar::new();
        let theirs = Jar::with_options(JarOptions::default().public_suffix_list(ExampleIsASuffix));
        let hosts = [
            "https://www.example.com/",
            "https://www.example.com./",
            "https://example.com/",
            "https://a.b.example.com/",
            "https://www.example.com/",
            "https://127.0.0.1/",
        ];
        for round in 0..2 {
            for (i, u) in hosts.iter().enumerate() {
                let h = format!("r{round}h{i}=1; Domain=example.com");
                let fresh_ours = set(&Jar::new(), u, &h);
                let fresh_theirs = set(
                    &Jar::with_options(JarOptions::default().public_suffix_list(ExampleIsASuffix)),
                    u,
                    &h,
                );
                assert_eq!(set(&ours, u, &h), fresh_ours, "{u}");
                assert_eq!(set(&theirs, u, &h), fresh_theirs, "{u}");
            }
        }
        // And the two lists do disagree here, so the test can tell them apart.
        let h = "x=1; Domain=example.com";
        assert!(set(&ours, "https://www.example.com/", h).is_ok());
        assert_eq!(
            set(&theirs, "https://www.example.com/", h),
            Err(SetCookieError::Rejected(Rejection::PublicSuffix))
        );
    }

    #[test]
    fn eviction_key_puts_expired_and_low_priority_first() {
        let jar = Jar::with_options(JarOptions::default().max_cookies_per_site(6));
        set(&jar, "https://a.example/", "keep=1; Secure; Priority=High").unwrap();
        for i in 0..10 {
            set(&jar, "https://a.example/", &format!("c{i}=1")).unwrap();
        }
        assert!(jar.len() <= 6);
        assert!(header(&jar, "https://a.example/")
            .unwrap()
            .contains("keep=1"));
    }

    #[test]
    fn global_limit_evicts_least_recently_used() {
        let jar = Jar::with_options(JarOptions::default().max_cookies(22));
        for i in 0..100 {
            let u = format!("http://site{i}.example/");
            jar.set_cookie_at("a=1", &Request::new(&url(&u)), NOW + i)
                .unwrap();
        }
        assert!(jar.len() <= 22, "{}", jar.len());
        // The most recent site survives, the first one does not.
        assert!(header(&jar, "http://site99.example/").is_some());
        assert!(header(&jar, "http://site0.example/").is_none());
    }
}
