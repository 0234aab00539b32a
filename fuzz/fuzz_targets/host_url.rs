//! Host and URL canonicalisation, domain-match and path-match (src/rfc/host.rs, path.rs,
//! suffix.rs), and the jar's own matching, on arbitrary strings.
//!
//! Invariants, not only "no panic": a canonical host domain-matches itself; canonicalising a
//! `Domain` is idempotent and agrees with the URL host parser (so a cookie's domain and a
//! request's host are in one form); domain-match and path-match are the suffix/prefix
//! relations the RFC defines and are transitive; a registrable domain is a label-aligned suffix
//! of its host; and the cookies a jar sends for a URL are exactly those the RFC's matching
//! functions select from what it holds.

#![no_main]

use std::sync::OnceLock;

use cookiejar::rfc::host::{
    canonicalize_domain_attribute, domain_match, CanonHost, DomainAttributeError, HostKind,
};
use cookiejar::rfc::path::{default_path, path_match};
use cookiejar::rfc::suffix::{builtin, is_public_suffix, registrable_domain};
use cookiejar::{Cookie, Jar, Request, Url};
use libfuzzer_sys::fuzz_target;

const NOW: i64 = 1_700_000_000_000;

/// The input: up to five newline-separated strings (missing ones are empty), so that seeds
/// are plain text files: a URL (or a host to put in one), a `Domain` attribute value, and three
/// strings for the relations' laws.
struct Input<'a> {
    url: &'a str,
    domain: &'a str,
    a: &'a str,
    b: &'a str,
    c: &'a str,
}

impl<'a> Input<'a> {
    fn split(text: &'a str) -> Input<'a> {
        let mut parts = text.splitn(5, '\n');
        let mut next = || parts.next().unwrap_or("");
        Input {
            url: next(),
            domain: next(),
            a: next(),
            b: next(),
            c: next(),
        }
    }
}

/// A jar holding host-only and domain cookies on names, IPs and paths the seeds revolve
/// around, built once: lookups do not change what it holds, only last-access times.
fn jar() -> &'static Jar {
    static JAR: OnceLock<Jar> = OnceLock::new();
    JAR.get_or_init(|| {
        let jar = Jar::new();
        let sets = [
            ("https://www.example.com/", "host=1; Path=/"),
            ("https://www.example.com/a/b", "dir=1"),
            (
                "https://www.example.com/",
                "dom=1; Domain=example.com; Path=/a",
            ),
            ("https://www.example.com/", "sec=1; Secure; Path=/"),
            (
                "https://www.example.com/",
                "deep=1; Domain=www.example.com; Path=/a/b/c/",
            ),
            ("http://example.com./", "dot=1"),
            ("http://127.0.0.1/", "ip=1; Domain=127.0.0.1"),
            ("http://[::1]/x/", "six=1"),
            ("http://localhost/", "loc=1; Secure"),
            (
                "https://xn--bcher-kva.example/",
                "idn=1; Domain=XN--BCHER-KVA.example",
            ),
            (
                "https://a.b.c.d.e.f.g.h.i.example.org/",
                "many=1; Domain=c.d.e.f.g.h.i.example.org",
            ),
            ("https://user.github.io/p%20q/r", "pct=1"),
            ("https://user.github.io/é/", "utf=1; Path=/é"),
        ];
        for (u, h) in sets {
            jar.set_cookie_at(h, &Request::new(&Url::parse(u).unwrap()), NOW)
                .unwrap();
        }
        jar
    })
}

fn site(host: CanonHost<'_>) -> String {
    if host.is_ip() {
        return host.name.to_owned();
    }
    registrable_domain(builtin(), host.name)
        .unwrap_or(host.name)
        .to_owned()
}

fn site_of_domain(domain: &str) -> String {
    if domain.starts_with('[') || domain.parse::<std::net::Ipv4Addr>().is_ok() {
        return domain.to_owned();
    }
    registrable_domain(builtin(), domain)
        .unwrap_or(domain)
        .to_owned()
}

/// `canonicalize_domain_attribute` with an owned result, whatever string type it returns.
fn canon(v: &str) -> Result<(String, HostKind), DomainAttributeError> {
    canonicalize_domain_attribute(v).map(|(c, k)| (c.to_string(), k))
}

/// What RFC 6265bis §5.8.3 step 1 selects for a plain same-site HTTP request to `url`.
fn expected(all: &[Cookie], url: &Url, host: CanonHost<'_>) -> Vec<String> {
    let secure = matches!(url.scheme(), "https" | "wss") || host.is_loopback();
    let mut out: Vec<String> = all
        .iter()
        .filter(|c| {
            let domain_ok = if c.host_only {
                c.domain == host.name
            } else {
                domain_match(host.name, host.is_ip(), &c.domain)
            };
            // The jar keeps cookies per site and looks only in the request host's site; a
            // host without a registrable domain (an IP, a public suffix, a name with an empty
            // label such as ".www.example.com") is a site of its own, so a domain cookie of
            // another site is not sent to it even where the names domain-match.
            let same_site = site(host) == site_of_domain(&c.domain);
            domain_ok && same_site && path_match(url.path(), &c.path) && (secure || !c.secure)
        })
        .map(|c| c.name.clone())
        .collect();
    out.sort();
    out
}

fn check_url(url: &Url) {
    let Some(host) = CanonHost::of_url(url) else {
        return;
    };
    let name = host.name;
    assert!(
        domain_match(name, host.is_ip(), name),
        "{name:?} must domain-match itself"
    );
    let _ = host.is_loopback();
    // The request host is already canonical: the Domain canonicaliser leaves it alone (for
    // the special schemes, whose hosts went through the same host parser).
    if matches!(url.scheme(), "http" | "https" | "ws" | "wss") {
        let kind = match canon(name) {
            Ok((c, k)) => {
                assert_eq!(c, name, "the canonical host {name:?} changed");
                k
            }
            Err(e) => panic!("the request host {name:?} is no valid Domain: {e:?}"),
        };
        assert_eq!(kind, host.kind, "{name:?}");
        // (The jar never asks for the registrable domain of an IP literal: it is its own site.)
        if let Some(r) = registrable_domain(builtin(), name).filter(|_| !host.is_ip()) {
            let bare = name.strip_suffix('.').unwrap_or(name);
            assert!(
                domain_match(bare, false, r),
                "{r:?} is not a suffix of {name:?}"
            );
            assert!(!is_public_suffix(builtin(), r), "{r:?} is a public suffix");
        }
        // The default path of any request path path-matches it.
        let p = url.path();
        let d = default_path(p);
        assert!(d.starts_with('/') && p.starts_with(d), "{p:?} -> {d:?}");
        assert!(
            path_match(p, d),
            "{p:?} does not path-match its default path {d:?}"
        );

        // The jar sends exactly what the matching functions select.
        let jar = jar();
        let all = jar.cookies_at(NOW);
        let mut sent: Vec<String> = jar
            .matching_cookies_at(&Request::new(url), NOW)
            .into_iter()
            .map(|c| c.name)
            .collect();
        sent.sort();
        assert_eq!(sent, expected(&all, url, host), "cookies sent to {url}");
    }
}

fn check_domain(value: &str) {
    let Ok((c, kind)) = canon(value) else {
        return;
    };
    assert!(
        c.is_ascii() && !c.bytes().any(|b| b.is_ascii_uppercase()),
        "{c:?}"
    );
    assert_eq!(
        canon(&c),
        Ok((c.clone(), kind)),
        "canonicalising {value:?} is not idempotent"
    );
    // The fast path for plain names agrees with the URL host parser.
    match url::Host::parse(value) {
        Ok(url::Host::Domain(d)) => assert_eq!(c, d, "{value:?}"),
        Ok(url::Host::Ipv4(ip)) => assert_eq!(
            (c.as_str(), kind),
            (ip.to_string().as_str(), HostKind::Ipv4)
        ),
        Ok(url::Host::Ipv6(ip)) => {
            assert_eq!((c.clone(), kind), (format!("[{ip}]"), HostKind::Ipv6))
        }
        Err(e) => panic!("{value:?} canonicalised to {c:?} but the host parser says {e}"),
    }
    assert!(domain_match(&c, kind != HostKind::Domain, &c));
    // A cookie domain a request can carry: a URL with that host has that host.
    if let Ok(u) = Url::parse(&format!("http://{c}/")) {
        assert_eq!(u.host_str(), Some(c.as_str()), "{value:?}");
    }
    let _ = is_public_suffix(builtin(), &c);
    let _ = registrable_domain(builtin(), &c);
}

fn check_relations(a: &str, b: &str, c: &str) {
    for (x, y) in [(a, b), (b, c), (a, c)] {
        if domain_match(x, false, y) && x != y {
            assert!(x.len() > y.len() && x.ends_with(y) && x[..x.len() - y.len()].ends_with('.'));
        }
        if path_match(x, y) {
            assert!(x.starts_with(y), "{x:?} path-matches {y:?}");
        }
        assert!(
            !domain_match(x, true, y) || x == y,
            "an IP matches only itself"
        );
    }
    assert!(path_match(a, a));
    if domain_match(a, false, b) && domain_match(b, false, c) {
        assert!(
            domain_match(a, false, c),
            "domain-match is not transitive: {a:?} {b:?} {c:?}"
        );
    }
    if path_match(a, b) && path_match(b, c) {
        assert!(
            path_match(a, c),
            "path-match is not transitive: {a:?} {b:?} {c:?}"
        );
    }
    let d = default_path(a);
    assert!(d.starts_with('/'));
    assert!(d == "/" || a.starts_with(d));
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let input = Input::split(&text);
    for candidate in [
        Url::parse(input.url),
        Url::parse(&format!("https://{}/", input.url)),
        Url::parse(&format!("http://{}", input.url)),
    ] {
        if let Ok(u) = candidate {
            check_url(&u);
        }
    }
    check_domain(input.domain);
    check_domain(input.domain.strip_prefix('.').unwrap_or(input.domain));
    check_relations(input.a, input.b, input.c);
    let _ = is_public_suffix(builtin(), input.a);
    let _ = registrable_domain(builtin(), input.a);
});
