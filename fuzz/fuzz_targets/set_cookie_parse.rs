//! The `Set-Cookie` parser (src/rfc/parse.rs) and the cookie-date parser (src/rfc/date.rs) on
//! arbitrary bytes, then the whole storage model on the same header.
//!
//! Beyond "no panic", it checks what a caller relies on: a parsed cookie keeps the parser's
//! own limits (no control character, the size limits, trimmed name and value), serialising it
//! back and parsing again gives the same cookie, and any date the date parser accepts is a
//! real instant that survives a format/parse round trip.

#![no_main]

use std::sync::OnceLock;

use cookiejar::rfc::date::{format_http_date, parse_cookie_date};
use cookiejar::rfc::parse::{
    has_forbidden_control, parse_set_cookie, Priority, SameSite, SetCookie,
    MAX_ATTRIBUTE_VALUE_BYTES, MAX_NAME_VALUE_BYTES,
};
use cookiejar::{Jar, Request, Url};
use libfuzzer_sys::fuzz_target;

const NOW: i64 = 1_700_000_000_000;
/// 1601-01-01 and 9999-12-31 23:59:59: the range the date algorithm can produce.
const EARLIEST: i64 = -11_644_473_600;
const LATEST: i64 = 253_402_300_799;

fn urls() -> &'static [Url] {
    static URLS: OnceLock<Vec<Url>> = OnceLock::new();
    URLS.get_or_init(|| {
        [
            "https://www.example.com/a/b",
            "http://example.com/",
            "https://127.0.0.1/x",
            "http://localhost/",
            "https://user.github.io/",
        ]
        .iter()
        .map(|u| Url::parse(u).unwrap())
        .collect()
    })
}

/// The cookie written back as a header that must parse to the same fields.
fn serialise(c: &SetCookie<'_>) -> String {
    // "=value" keeps a nameless cookie nameless even when its value holds "=".
    let mut h = format!("{}={}", c.name, c.value);
    if let Some(t) = c.expires {
        h.push_str("; Expires=");
        h.push_str(&format_http_date(t));
    }
    if let Some(m) = c.max_age {
        h.push_str(&format!("; Max-Age={m}"));
    }
    if let Some(d) = c.domain {
        // The parser drops one leading dot; give it one to drop, unless the value is already
        // at the attribute limit (then it had no dot, and one more byte would make the whole
        // attribute too long to keep).
        h.push_str(if d.len() < MAX_ATTRIBUTE_VALUE_BYTES {
            "; Domain=."
        } else {
            "; Domain="
        });
        h.push_str(d);
    }
    if let Some(p) = c.path {
        h.push_str("; Path=");
        h.push_str(p);
    }
    if c.secure {
        h.push_str("; Secure");
    }
    if c.http_only {
        h.push_str("; HttpOnly");
    }
    match c.same_site {
        SameSite::Strict => h.push_str("; SameSite=Strict"),
        SameSite::Lax => h.push_str("; SameSite=Lax"),
        SameSite::None => h.push_str("; SameSite=None"),
        SameSite::Default => {}
    }
    if c.partitioned {
        h.push_str("; Partitioned");
    }
    h.push_str(match c.priority {
        Priority::Low => "; Priority=Low",
        Priority::Medium => "; Priority=Medium",
        Priority::High => "; Priority=High",
    });
    h
}

fn check_date(s: &str) {
    if let Some(t) = parse_cookie_date(s) {
        assert!((EARLIEST..=LATEST).contains(&t), "{s:?} gave {t}");
        let formatted = format_http_date(t);
        assert_eq!(
            parse_cookie_date(&formatted),
            Some(t),
            "{s:?} -> {formatted:?}"
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let header: &str = &text;
    check_date(header);

    let parsed = parse_set_cookie(header);
    assert_eq!(parsed, parse_set_cookie(header), "the parser is a function");
    if let Ok(c) = &parsed {
        assert!(!has_forbidden_control(c.name) && !has_forbidden_control(c.value));
        assert!(c.name.len() + c.value.len() <= MAX_NAME_VALUE_BYTES);
        assert!(!(c.name.is_empty() && c.value.is_empty()));
        for s in [c.name, c.value] {
            assert_eq!(s, s.trim_matches([' ', '\t']), "untrimmed {s:?}");
            assert!(!s.contains(';'));
        }
        assert!(!c.name.contains('='));
        if let Some(d) = c.domain {
            // Empty for "Domain=." (RFC 6265bis §5.6.3 drops the dot, then appends the empty
            // value, which makes the cookie host-only in §5.7).
            assert!(d.len() <= MAX_ATTRIBUTE_VALUE_BYTES && !d.contains(';'));
        }
        if let Some(p) = c.path {
            assert!(p.is_empty() || p.starts_with('/'));
            assert!(p.len() <= MAX_ATTRIBUTE_VALUE_BYTES && !p.contains(';'));
        }
        let again = serialise(c);
        assert_eq!(
            parse_set_cookie(&again).as_ref(),
            Ok(c),
            "reparsing {again:?}"
        );
    }
    // Every attribute value a header can carry also goes to the date parser.
    for av in header.split(';').skip(1).take(8) {
        if let Some((_, v)) = av.split_once('=') {
            check_date(v);
        }
    }

    // The same header through the whole storage model, for one of a few request URLs.
    let jar = Jar::new();
    let url = &urls()[data.first().map_or(0, |b| usize::from(*b) % urls().len())];
    let stored = jar.set_cookie_at(header, &Request::new(url), NOW);
    if stored.is_ok() {
        assert!(parsed.is_ok(), "the jar stored what the parser refused");
    }
    for c in jar.cookies_at(NOW) {
        // Whatever was stored can be sent back to the URL that set it, or is Secure and
        // the URL is not, or has a path elsewhere.
        let host = url.host_str().unwrap();
        assert!(
            cookiejar::rfc::host::domain_match(
                host,
                url.host() != Some(url::Host::Domain(host)),
                &c.domain
            ),
            "{c:?} stored for {url}"
        );
    }
    let _ = jar.cookie_header_at(&Request::new(url), NOW);
});
