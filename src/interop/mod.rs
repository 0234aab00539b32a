//! Interoperability: other cookie files in and out of the jar, and HTTP clients on top of it.
//!
//! - [`netscape`]: the Netscape `cookies.txt` format that curl and wget read and write (always
//!   available).
//! - `cookie_store` (feature `cookie_store`): the JSON files of the `cookie_store` crate, which
//!   is what `reqwest_cookie_store` users save.
//! - `reqwest` (feature `reqwest`): `impl reqwest::cookie::CookieStore for Jar`, so a reqwest
//!   client keeps browser-correct cookies in a jar file:
//!   `ClientBuilder::cookie_provider(Arc::new(Jar::open("cookies.jar")?))`.
//!
//! Every import goes through [`Jar::insert_at`], so an imported cookie obeys the same rules as
//! one from a `Set-Cookie` header (no supercookies, prefixes, `Secure` rules, limits); each
//! entry that cannot be imported is reported with its line or entry number and the reason,
//! and the rest goes on. Every export reads [`Jar::cookies_at`] and reports the cookies the
//! target format cannot represent instead of writing them wrongly.
//!
//! ```
//! use cookiejar::interop::{self, Format};
//! use cookiejar::Jar;
//!
//! let now = 1_750_000_000_000;
//! let curl = "# Netscape HTTP Cookie File\n\
//!             #HttpOnly_.example.com\tTRUE\t/\tTRUE\t1760000000\tsid\tabc\n\
//!             example.com\tFALSE\t/\tnot-a-flag\t0\tbad\t1\n";
//! let jar = Jar::new();
//! let report = interop::import(&jar, curl.as_bytes(), Some(Format::Netscape), now).unwrap();
//! assert_eq!(report.stored, 1);
//! assert_eq!(report.skipped[0].to_string(), "line 3 (bad): the secure field is \"not-a-flag\", not TRUE or FALSE");
//!
//! let mut out = Vec::new();
//! interop::export(&jar, Format::Netscape, &mut out, now).unwrap();
//! assert!(String::from_utf8(out).unwrap().ends_with("#HttpOnly_.example.com\tTRUE\t/\tTRUE\t1760000000\tsid\tabc\n"));
//! ```

#[cfg(feature = "cookie_store")]
pub mod cookie_store;
pub mod netscape;
#[cfg(feature = "reqwest")]
mod reqwest;

use std::fmt;
use std::io;

use crate::jar::{Cookie, Jar, Rejection, SetCookieError, SetOutcome};
use crate::store::StoreError;

/// A cookie file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Netscape `cookies.txt`, as curl and wget write it.
    Netscape,
    /// The JSON of the `cookie_store` crate (`cookie_store::serde::json`, which
    /// `reqwest_cookie_store` uses), or its older one-cookie-per-line form. Needs the
    /// `cookie_store` feature.
    CookieStoreJson,
}

impl Format {
    /// Guesses the format of a file from its first bytes: JSON (`[` or `{` after optional
    /// whitespace and byte-order mark) is `cookie_store`'s, anything else is `cookies.txt`.
    pub fn detect(input: &[u8]) -> Format {
        let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
        match input.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'[' | b'{') => Format::CookieStoreJson,
            _ => Format::Netscape,
        }
    }

    /// The name used on the command line: `netscape` or `cookie-store-json`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Netscape => "netscape",
            Format::CookieStoreJson => "cookie-store-json",
        }
    }

    /// Whether this build can read and write the format (`cookie_store`'s JSON needs the
    /// `cookie_store` feature).
    pub fn is_available(self) -> bool {
        match self {
            Format::Netscape => true,
            Format::CookieStoreJson => cfg!(feature = "cookie_store"),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where in the input an entry was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Location {
    /// A line, counted from 1.
    Line(usize),
    /// An element of a JSON array, counted from 1.
    Entry(usize),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Entry(n) => write!(f, "entry {n}"),
        }
    }
}

/// Why one entry of an imported file was not imported.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportProblem {
    /// The line is not valid UTF-8.
    NotUtf8,
    /// A `cookies.txt` line without the seven tab-separated fields (this many instead).
    FieldCount(usize),
    /// A `cookies.txt` flag that is neither `TRUE` nor `FALSE`.
    NotABoolean {
        /// Which field: `include-subdomains` or `secure`.
        field: &'static str,
        /// What it holds.
        found: String,
    },
    /// A `cookies.txt` expiry that is not a number of seconds.
    BadExpiry(String),
    /// A path that does not start with "/".
    BadPath(String),
    /// An empty domain.
    EmptyDomain,
    /// A `cookie_store` entry that does not decode (the decoder's message).
    BadEntry(String),
    /// A `cookie_store` entry without a domain (`NotPresent` or `Empty`: never stored by
    /// `cookie_store` itself).
    NoDomain,
    /// The jar refused the cookie: the rule that refused it.
    Refused(Rejection),
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportProblem::NotUtf8 => f.write_str("the line is not valid UTF-8"),
            ImportProblem::FieldCount(n) => {
                write!(f, "{n} tab-separated fields instead of 7")
            }
            ImportProblem::NotABoolean { field, found } => {
                write!(f, "the {field} field is {found:?}, not TRUE or FALSE")
            }
            ImportProblem::BadExpiry(s) => {
                write!(f, "the expiry {s:?} is not a number of seconds")
            }
            ImportProblem::BadPath(p) => write!(f, "the path {p:?} does not start with \"/\""),
            ImportProblem::EmptyDomain => f.write_str("the domain is empty"),
            ImportProblem::BadEntry(e) => write!(f, "not a cookie_store cookie: {e}"),
            ImportProblem::NoDomain => f.write_str("the entry has no domain"),
            ImportProblem::Refused(r) => write!(f, "refused: {r}"),
        }
    }
}

/// One entry of an imported file that was not imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Where it is.
    pub at: Location,
    /// The cookie's name, when the entry got that far.
    pub name: Option<String>,
    /// Why it was skipped.
    pub problem: ImportProblem,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(n) => write!(f, "{} ({}): {}", self.at, n, self.problem),
            None => write!(f, "{}: {}", self.at, self.problem),
        }
    }
}

/// The cookies read from a file, before they go into a jar: each with where it was found,
/// and the entries that could not be read.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The cookies, in file order.
    pub cookies: Vec<(Location, Cookie)>,
    /// The entries that could not be read.
    pub skipped: Vec<Skipped>,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportReport {
    /// Cookies stored.
    pub stored: usize,
    /// Cookies that replaced a stored one with the same name, domain, path and partition (an
    /// earlier line of the same file, say).
    pub replaced: usize,
    /// Entries that had already expired: not stored (one that matched a stored cookie removed
    /// it, as an expired `Set-Cookie` does).
    pub expired: usize,
    /// Entries not imported, with where and why, in file order.
    pub skipped: Vec<Skipped>,
}

/// Why an import stopped.
#[derive(Debug)]
#[non_exhaustive]
pub enum ImportError {
    /// Reading the input failed.
    Io(io::Error),
    /// The jar file could not record a change; what was imported before stays.
    Storage(StoreError),
    /// The input is not in the format at all (a JSON syntax error, say); nothing was imported.
    Format(String),
    /// This build cannot read the format (`cookie_store`'s JSON needs the `cookie_store`
    /// feature).
    Unavailable(Format),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Io(e) => write!(f, "cannot read the input: {e}"),
            ImportError::Storage(e) => write!(f, "the jar could not store the import: {e}"),
            ImportError::Format(e) => f.write_str(e),
            ImportError::Unavailable(fmt) => write!(
                f,
                "this build cannot read the {fmt} format (rebuild with the cookie_store feature)"
            ),
        }
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImportError::Io(e) => Some(e),
            ImportError::Storage(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for ImportError {
    fn from(e: io::Error) -> Self {
        ImportError::Io(e)
    }
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError::Storage(e)
    }
}

/// Why a cookie was left out of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NotExported {
    /// A `Partitioned` (CHIPS) cookie: the format has no partition key, and writing it
    /// unpartitioned would let its site read it on every top-level site.
    Partitioned,
    /// A nameless cookie: the format cannot tell its value from a name.
    Nameless,
    /// A field holds a character the format uses as a separator (a tab, or `;` for
    /// `cookie_store`), or that its parser would change (leading or trailing spaces).
    Unrepresentable(&'static str),
    /// `cookie_store` keeps one cookie per domain, path and name; an earlier cookie of the
    /// export already has this one's (a host-only and a domain cookie on the same domain).
    DuplicateKey,
    /// `cookie_store` refused the cookie (its domain is an IPv6 literal, say).
    RefusedByTarget,
}

impl fmt::Display for NotExported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotExported::Partitioned => {
                f.write_str("partitioned (CHIPS): the format has no partition key")
            }
            NotExported::Nameless => f.write_str("nameless: the format needs a name"),
            NotExported::Unrepresentable(what) => {
                write!(f, "its {what} cannot be written in this format")
            }
            NotExported::DuplicateKey => f.write_str(
                "cookie_store keeps one cookie per domain, path and name, and an earlier one has them",
            ),
            NotExported::RefusedByTarget => f.write_str("cookie_store cannot hold it"),
        }
    }
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportReport {
    /// Cookies written.
    pub written: usize,
    /// Cookies left out, with the reason: `(domain, path, name)` and why.
    pub skipped: Vec<((String, String, String), NotExported)>,
}

impl ExportReport {
    fn skip(&mut self, c: &Cookie, why: NotExported) {
        self.skipped
            .push(((c.domain.clone(), c.path.clone(), c.name.clone()), why));
    }
}

/// Why an export failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ExportError {
    /// Writing the output failed.
    Io(io::Error),
    /// This build cannot write the format (`cookie_store`'s JSON needs the `cookie_store`
    /// feature).
    Unavailable(Format),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Io(e) => write!(f, "cannot write the output: {e}"),
            ExportError::Unavailable(fmt) => write!(
                f,
                "this build cannot write the {fmt} format (rebuild with the cookie_store feature)"
            ),
        }
    }
}

impl std::error::Error for ExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExportError::Io(e) => Some(e),
            ExportError::Unavailable(_) => None,
        }
    }
}

impl From<io::Error> for ExportError {
    fn from(e: io::Error) -> Self {
        ExportError::Io(e)
    }
}

/// Reads cookies in `format` (detected from the content when `None`) without touching a jar.
pub fn parse(input: &[u8], format: Option<Format>) -> Result<Parsed, ImportError> {
    match format.unwrap_or_else(|| Format::detect(input)) {
        Format::Netscape => Ok(netscape::parse(input)),
        #[cfg(feature = "cookie_store")]
        Format::CookieStoreJson => cookie_store::parse(input),
        #[cfg(not(feature = "cookie_store"))]
        Format::CookieStoreJson => Err(ImportError::Unavailable(Format::CookieStoreJson)),
    }
}

/// Puts parsed cookies into `jar` at `now` through [`Jar::insert_at`], in order; calls
/// `progress` with the number of entries done after each one. A storage failure stops the
/// import (what was stored before stays); a refused cookie is reported and skipped.
pub fn insert_all(
    jar: &Jar,
    parsed: Parsed,
    now: i64,
    mut progress: impl FnMut(usize),
) -> Result<ImportReport, StoreError> {
    let mut report = ImportReport {
        skipped: parsed.skipped,
        ..ImportReport::default()
    };
    for (done, (at, cookie)) in parsed.cookies.into_iter().enumerate() {
        match jar.insert_at(&cookie, now) {
            Ok(SetOutcome::Stored) => report.stored += 1,
            Ok(SetOutcome::Replaced) => report.replaced += 1,
            Ok(_) => report.expired += 1,
            Err(SetCookieError::Rejected(r)) => report.skipped.push(Skipped {
                at,
                name: Some(cookie.name),
                problem: ImportProblem::Refused(r),
            }),
            Err(SetCookieError::Storage(e)) => return Err(e),
            // `insert_at` takes no URL; should it ever fail on one, the cookie is skipped as
            // having an unusable domain.
            Err(_) => report.skipped.push(Skipped {
                at,
                name: Some(cookie.name),
                problem: ImportProblem::Refused(Rejection::InvalidDomain),
            }),
        }
        progress(done + 1);
    }
    report.skipped.sort_by_key(|s| match s.at {
        Location::Line(n) | Location::Entry(n) => n,
    });
    Ok(report)
}

/// Imports a whole file into `jar` at `now`: [`parse`] then [`insert_all`].
pub fn import(
    jar: &Jar,
    input: &[u8],
    format: Option<Format>,
    now: i64,
) -> Result<ImportReport, ImportError> {
    let parsed = parse(input, format)?;
    Ok(insert_all(jar, parsed, now, |_| {})?)
}

/// Writes every cookie of `jar` not expired at `now` to `out` in `format`.
pub fn export(
    jar: &Jar,
    format: Format,
    out: &mut dyn io::Write,
    now: i64,
) -> Result<ExportReport, ExportError> {
    let cookies = jar.cookies_at(now);
    match format {
        Format::Netscape => Ok(netscape::write(&cookies, out)?),
        #[cfg(feature = "cookie_store")]
        Format::CookieStoreJson => Ok(cookie_store::write(&cookies, out)?),
        #[cfg(not(feature = "cookie_store"))]
        Format::CookieStoreJson => Err(ExportError::Unavailable(Format::CookieStoreJson)),
    }
}
