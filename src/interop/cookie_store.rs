//! The JSON files of the `cookie_store` crate (feature `cookie_store`): what
//! `cookie_store::serde::json::save` writes, which is how `reqwest_cookie_store` users keep
//! their cookies, and the older one-object-per-line form of `CookieStore::save_json`.
//!
//! Each entry holds the cookie as its `Set-Cookie` text (`raw_cookie`: name, value, `Secure`,
//! `HttpOnly`, `SameSite`, `Partitioned`, and the original `Path`/`Domain`/`Max-Age`/`Expires`),
//! plus the values `cookie_store` computed from it: `path`, `domain` (`HostOnly` or `Suffix`)
//! and the absolute `expires` (`AtUtc` or `SessionEnd`). Import takes the computed values, as
//! `cookie_store` itself does, and the flags from the raw cookie. The format has no creation
//! time, `Priority` or partition key: a `Partitioned` cookie comes in unpartitioned, as
//! `cookie_store` used it, and partitioned cookies are not exported.
//!
//! Entries are decoded one by one with `cookie_store`'s own decoder, so one bad entry is
//! reported and the others still come in. Export writes what `cookie_store` would write for
//! the same cookies, byte for byte, in the jar's order.

use std::collections::HashSet;
use std::convert::Infallible;
use std::io::{self, Write};

use cookie_store::{CookieDomain, CookieExpiration, CookieStore, RawCookie};

use super::{ExportReport, ImportError, ImportProblem, Location, NotExported, Parsed, Skipped};
use crate::jar::{Cookie, Jar};
use crate::rfc::date::format_http_date;
use crate::rfc::parse::SameSite;
use crate::Url;

/// Reads a `cookie_store` JSON file: a JSON array of cookies, or one cookie object per line.
/// A file that is not JSON at all is an error; a bad entry is reported and skipped.
pub fn parse(input: &[u8]) -> Result<Parsed, ImportError> {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let first = input.iter().find(|b| !b.is_ascii_whitespace());
    let mut parsed = Parsed::default();
    if first == Some(&b'{') {
        for (i, line) in input.split(|&b| b == b'\n').enumerate() {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let at = Location::Line(i + 1);
            match serde_json::from_slice::<serde_json::Value>(line) {
                Ok(v) => entry(&mut parsed, at, v),
                Err(e) => parsed.skipped.push(Skipped {
                    at,
                    name: None,
                    problem: ImportProblem::BadEntry(e.to_string()),
                }),
            }
        }
        return Ok(parsed);
    }
    let entries: Vec<serde_json::Value> = serde_json::from_slice(input).map_err(|e| {
        ImportError::Format(format!(
            "not a cookie_store JSON file (expected an array of cookies): {e}"
        ))
    })?;
    for (i, v) in entries.into_iter().enumerate() {
        entry(&mut parsed, Location::Entry(i + 1), v);
    }
    Ok(parsed)
}

fn entry(parsed: &mut Parsed, at: Location, v: serde_json::Value) {
    let name = v
        .get("raw_cookie")
        .and_then(|r| r.as_str())
        .and_then(|r| r.split(['=', ';']).next())
        .map(|n| n.trim().to_owned());
    match serde_json::from_value::<cookie_store::Cookie<'static>>(v) {
        Ok(c) => match from_cookie_store(&c) {
            Ok(cookie) => parsed.cookies.push((at, cookie)),
            Err(problem) => parsed.skipped.push(Skipped { at, name, problem }),
        },
        Err(e) => parsed.skipped.push(Skipped {
            at,
            name,
            problem: ImportProblem::BadEntry(e.to_string()),
        }),
    }
}

/// One `cookie_store` cookie as a jar cookie (not yet checked by the jar).
pub fn from_cookie_store(c: &cookie_store::Cookie<'_>) -> Result<Cookie, ImportProblem> {
    let (domain, host_only) = match &c.domain {
        CookieDomain::HostOnly(d) => (d.as_str(), true),
        CookieDomain::Suffix(d) => (d.as_str(), false),
        CookieDomain::NotPresent | CookieDomain::Empty => return Err(ImportProblem::NoDomain),
    };
    let path: &str = &c.path;
    if !path.starts_with('/') {
        return Err(ImportProblem::BadPath(path.to_owned()));
    }
    let mut cookie = Cookie::new(c.name(), c.value(), domain, path);
    cookie.host_only = host_only;
    cookie.secure = c.secure().unwrap_or(false);
    cookie.http_only = c.http_only().unwrap_or(false);
    cookie.same_site = match c.same_site() {
        Some(s) if s.is_strict() => SameSite::Strict,
        Some(s) if s.is_lax() => SameSite::Lax,
        Some(s) if s.is_none() => SameSite::None,
        _ => SameSite::Default,
    };
    cookie.expires = match &c.expires {
        CookieExpiration::AtUtc(t) => {
            let ms = t.unix_timestamp_nanos() / 1_000_000;
            Some(i64::try_from(ms).unwrap_or(if ms < 0 { i64::MIN } else { i64::MAX }))
        }
        CookieExpiration::SessionEnd => None,
    };
    Ok(cookie)
}

/// Imports every cookie (expired ones included, which then only delete their match) of an
/// in-memory `cookie_store::CookieStore` — the one inside a `reqwest_cookie_store` store,
/// say — into `jar` at `now`.
pub fn import_store(
    jar: &Jar,
    store: &CookieStore,
    now: i64,
) -> Result<super::ImportReport, crate::StoreError> {
    let mut parsed = Parsed::default();
    for (i, c) in store.iter_any().enumerate() {
        let at = Location::Entry(i + 1);
        match from_cookie_store(c) {
            Ok(cookie) => parsed.cookies.push((at, cookie)),
            Err(problem) => parsed.skipped.push(Skipped {
                at,
                name: Some(c.name().to_owned()),
                problem,
            }),
        }
    }
    super::insert_all(jar, parsed, now, |_| {})
}

/// One jar cookie as `cookie_store` would have stored it from the response that set it.
pub fn to_cookie_store(c: &Cookie) -> Result<cookie_store::Cookie<'static>, NotExported> {
    if c.partition.is_some() {
        return Err(NotExported::Partitioned);
    }
    if c.name.is_empty() {
        return Err(NotExported::Nameless);
    }
    // The cookie goes through the `Set-Cookie` text `cookie_store` keeps, so every field must
    // survive the `cookie` crate's parser unchanged.
    for (what, s) in [("name", &c.name), ("value", &c.value), ("path", &c.path)] {
        if s.contains(';') || s.trim() != s.as_str() {
            return Err(NotExported::Unrepresentable(what));
        }
    }
    if c.name.contains('=') {
        return Err(NotExported::Unrepresentable("name"));
    }
    let mut text = format!("{}={}", c.name, c.value);
    if c.http_only {
        text.push_str("; HttpOnly");
    }
    match c.same_site {
        SameSite::Strict => text.push_str("; SameSite=Strict"),
        SameSite::Lax => text.push_str("; SameSite=Lax"),
        SameSite::None => text.push_str("; SameSite=None"),
        SameSite::Default => {}
    }
    if c.secure {
        text.push_str("; Secure");
    }
    text.push_str("; Path=");
    text.push_str(&c.path);
    if !c.host_only {
        text.push_str("; Domain=");
        text.push_str(&c.domain);
    }
    if let Some(ms) = c.expires {
        let secs = ms.div_euclid(1000) + i64::from(ms.rem_euclid(1000) != 0);
        text.push_str("; Expires=");
        text.push_str(&format_http_date(secs));
    }
    let raw = RawCookie::parse(text).map_err(|_| NotExported::Unrepresentable("name"))?;
    if raw.name() != c.name || raw.value() != c.value {
        return Err(NotExported::Unrepresentable("value"));
    }
    let url =
        Url::parse(&format!("https://{}/", c.domain)).map_err(|_| NotExported::RefusedByTarget)?;
    let cookie = cookie_store::Cookie::try_from_raw_cookie(&raw, &url)
        .map_err(|_| NotExported::RefusedByTarget)?;
    let domain_ok = match &cookie.domain {
        CookieDomain::HostOnly(d) | CookieDomain::Suffix(d) => *d == c.domain,
        CookieDomain::NotPresent | CookieDomain::Empty => false,
    };
    if !domain_ok || &*cookie.path != c.path.as_str() {
        return Err(NotExported::RefusedByTarget);
    }
    Ok(cookie.into_owned())
}

/// The jar's cookies as `cookie_store` cookies, in order, leaving out (and reporting) those
/// it cannot hold.
fn convert(cookies: &[Cookie]) -> (Vec<cookie_store::Cookie<'static>>, ExportReport) {
    let mut report = ExportReport::default();
    let mut keys = HashSet::new();
    let mut out = Vec::with_capacity(cookies.len());
    for c in cookies {
        match to_cookie_store(c) {
            Ok(cs) => {
                if keys.insert((c.domain.as_str(), c.path.as_str(), c.name.as_str())) {
                    out.push(cs);
                    report.written += 1;
                } else {
                    report.skip(c, NotExported::DuplicateKey);
                }
            }
            Err(why) => report.skip(c, why),
        }
    }
    (out, report)
}

/// Writes `cookies` as `cookie_store::serde::json::save` would (pretty-printed JSON array and
/// a line end), session cookies included.
pub fn write(cookies: &[Cookie], out: &mut dyn Write) -> io::Result<ExportReport> {
    let (list, report) = convert(cookies);
    let json = serde_json::to_string_pretty(&list).map_err(io::Error::other)?;
    out.write_all(json.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(report)
}

/// Every cookie of `jar` not expired at `now` in a new `cookie_store::CookieStore` (without a
/// public suffix list; add one with `with_suffix_list`).
pub fn export_store(jar: &Jar, now: i64) -> (CookieStore, ExportReport) {
    let (list, report) = convert(&jar.cookies_at(now));
    let store = match CookieStore::from_cookies(list.into_iter().map(Ok::<_, Infallible>), true) {
        Ok(store) => store,
        Err(never) => match never {},
    };
    (store, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_keeps_its_flags_domain_path_and_expiry() {
        let json = r#"[{"raw_cookie":"sid=abc; HttpOnly; SameSite=Strict; Secure; Path=/app; Max-Age=60",
            "path":["/app",true],"domain":{"Suffix":"example.com"},"expires":{"AtUtc":"2030-01-01T00:00:00Z"}}]"#;
        let p = parse(json.as_bytes()).unwrap();
        assert!(p.skipped.is_empty(), "{:?}", p.skipped);
        let c = &p.cookies[0].1;
        assert_eq!((c.name.as_str(), c.value.as_str()), ("sid", "abc"));
        assert_eq!((c.domain.as_str(), c.host_only), ("example.com", false));
        assert_eq!(c.path, "/app");
        assert!(c.secure && c.http_only);
        assert_eq!(c.same_site, SameSite::Strict);
        assert_eq!(c.expires, Some(1_893_456_000_000));
    }

    #[test]
    fn a_bad_entry_is_reported_and_the_others_come_in() {
        let json = r#"[{"raw_cookie":"a=1","path":["/",false],"domain":{"HostOnly":"a.example"},"expires":"SessionEnd"},
                       {"raw_cookie":"b=2","path":["/",false]},
                       {"raw_cookie":"c=3","path":["/",false],"domain":"NotPresent","expires":"SessionEnd"}]"#;
        let p = parse(json.as_bytes()).unwrap();
        assert_eq!(p.cookies.len(), 1);
        assert_eq!(p.skipped.len(), 2);
        assert_eq!(p.skipped[0].at, Location::Entry(2));
        assert_eq!(p.skipped[0].name.as_deref(), Some("b"));
        assert!(matches!(p.skipped[0].problem, ImportProblem::BadEntry(_)));
        assert_eq!(p.skipped[1].problem, ImportProblem::NoDomain);
    }

    #[test]
    fn not_json_is_an_error() {
        assert!(matches!(parse(b"[1, 2"), Err(ImportError::Format(_))));
    }

    #[test]
    fn cookies_round_trip_through_cookie_store_types() {
        let mut c = Cookie::new("n", "v w", "example.com", "/p");
        c.host_only = false;
        c.secure = true;
        c.same_site = SameSite::None;
        c.expires = Some(1_900_000_000_000);
        let cs = to_cookie_store(&c).unwrap();
        let back = from_cookie_store(&cs).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn values_the_cookie_parser_would_change_are_not_exported() {
        let c = Cookie::new("n", " padded", "example.com", "/");
        assert_eq!(
            to_cookie_store(&c).unwrap_err(),
            NotExported::Unrepresentable("value")
        );
        let c = Cookie::new("", "v", "example.com", "/");
        assert_eq!(to_cookie_store(&c).unwrap_err(), NotExported::Nameless);
    }
}
