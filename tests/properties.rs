//! Property tests of the invariants a user relies on, whatever the servers send:
//! parsing never panics; a cookie is never sent to a host that does not domain-match it, to an
//! insecure origin if `Secure`, across a partition, or scoped to a public suffix.

use cookiejar::rfc::host::domain_match;
use cookiejar::rfc::suffix::{builtin, is_public_suffix, registrable_domain};
use cookiejar::{Jar, JarOptions, Request, Url};
use proptest::prelude::*;

const NOW: i64 = 1_750_000_000_000;

const HOSTS: &[&str] = &[
    "example.com",
    "www.example.com",
    "a.b.example.com",
    "example.org",
    "shop.example.co.uk",
    "co.uk",
    "octocat.github.io",
    "github.io",
    "localhost",
    "127.0.0.1",
    "[::1]",
    "10.0.0.7",
];

const DOMAINS: &[&str] = &[
    "",
    "example.com",
    ".example.com",
    "www.example.com",
    "com",
    "co.uk",
    "example.co.uk",
    "github.io",
    "octocat.github.io",
    "127.0.0.1",
    "localhost",
    "EXAMPLE.COM",
    "org",
];

const PATHS: &[&str] = &[
    "/", "/a", "/a/", "/a/b", "/b", "/ab", "/a/b/c", "relative", "",
];

fn host() -> impl Strategy<Value = &'static str> {
    prop::sample::select(HOSTS)
}

fn scheme() -> impl Strategy<Value = &'static str> {
    prop::sample::select(&["http", "https", "ws", "wss"][..])
}

/// A Set-Cookie header built from plausible and hostile pieces.
fn set_cookie_header() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["id", "__Secure-id", "__Host-id", "", "x", "__host-id"][..]),
        "[a-z0-9=\"]{0,8}",
        prop::sample::select(DOMAINS),
        prop::sample::select(PATHS),
        any::<[bool; 5]>(),
        prop::sample::select(&["", "Strict", "Lax", "None", "bogus"][..]),
        prop::option::of(-5i64..100_000),
    )
        .prop_map(|(name, value, domain, path, flags, same_site, max_age)| {
            let mut h = if name.is_empty() {
                value.clone()
            } else {
                format!("{name}={value}")
            };
            if flags[0] {
                h.push_str(&format!("; Domain={domain}"));
            }
            if flags[1] {
                h.push_str(&format!("; Path={path}"));
            }
            if flags[2] {
                h.push_str("; Secure");
            }
            if flags[3] {
                h.push_str("; Partitioned");
            }
            if flags[4] {
                h.push_str("; HttpOnly");
            }
            if !same_site.is_empty() {
                h.push_str(&format!("; SameSite={same_site}"));
            }
            if let Some(age) = max_age {
                h.push_str(&format!("; Max-Age={age}"));
            }
            h
        })
}

#[derive(Debug, Clone)]
struct Req {
    scheme: &'static str,
    host: &'static str,
    path: &'static str,
    top_level: Option<&'static str>,
}

fn request() -> impl Strategy<Value = Req> {
    (
        scheme(),
        host(),
        prop::sample::select(PATHS),
        prop::option::of(host()),
    )
        .prop_map(|(scheme, host, path, top_level)| Req {
            scheme,
            host,
            path: if path.starts_with('/') { path } else { "/" },
            top_level,
        })
}

fn urls(r: &Req) -> (Url, Option<Url>) {
    let url = Url::parse(&format!("{}://{}{}", r.scheme, r.host, r.path)).unwrap();
    let top = r
        .top_level
        .map(|h| Url::parse(&format!("https://{h}/")).unwrap());
    (url, top)
}

fn site(host: &str) -> &str {
    if host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok() {
        return host;
    }
    registrable_domain(builtin(), host).unwrap_or(host)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parsing_never_panics_on_any_text(header in any::<String>(), r in request()) {
        let jar = Jar::default();
        let (url, _) = urls(&r);
        let _ = jar.set_cookie_at(&header, &Request::new(&url), NOW);
        let _ = jar.cookie_header_at(&Request::new(&url), NOW);
    }

    #[test]
    fn parsing_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let jar = Jar::default();
        let url = Url::parse("https://www.example.com/a/b").unwrap();
        let header = String::from_utf8_lossy(&bytes);
        let _ = jar.set_cookie_at(&header, &Request::new(&url), NOW);
        let _ = jar.cookie_header_at(&Request::new(&url), NOW);
    }

    #[test]
    fn cookies_only_go_where_they_may(
        sets in prop::collection::vec((request(), set_cookie_header()), 1..40),
        gets in prop::collection::vec(request(), 1..20),
    ) {
        let jar = Jar::with_options(JarOptions::default().max_cookies_per_site(8).max_cookies(30));
        for (r, header) in &sets {
            let (url, top) = urls(r);
            let req = match &top {
                Some(t) => Request::subresource_of(&url, t),
                None => Request::new(&url),
            };
            let _ = jar.set_cookie_at(header, &req, NOW);
        }
        // Limits hold whatever was sent.
        prop_assert!(jar.len() <= 30);
        for c in jar.cookies_at(NOW) {
            // Never scoped to a public suffix, unless host-only on that very host.
            if !c.host_only {
                prop_assert!(!is_public_suffix(builtin(), &c.domain) || c.domain.parse::<std::net::Ipv4Addr>().is_ok(),
                    "domain cookie on a public suffix: {c:?}");
            }
            // Secure, SameSite=None and Partitioned cookies are all Secure-only.
            if c.partition.is_some() { prop_assert!(c.secure); }
        }
        for r in &gets {
            let (url, top) = urls(r);
            let req = match &top {
                Some(t) => Request::subresource_of(&url, t),
                None => Request::new(&url),
            };
            let host = url.host_str().unwrap();
            let is_ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
            let secure_origin = matches!(r.scheme, "https" | "wss")
                || matches!(host, "localhost" | "127.0.0.1" | "[::1]");
            let partition = site(top.as_ref().map_or(host, |t| t.host_str().unwrap()));
            for c in jar.matching_cookies_at(&req, NOW) {
                if c.host_only {
                    prop_assert_eq!(host, c.domain.as_str());
                } else {
                    prop_assert!(domain_match(host, is_ip, &c.domain), "{c:?} sent to {host}");
                }
                prop_assert!(!c.secure || secure_origin, "Secure cookie {c:?} sent to {url}");
                if let Some(p) = &c.partition {
                    prop_assert_eq!(p.as_str(), partition, "cookie crossed a partition");
                }
                prop_assert!(c.expires.is_none_or(|t| t > NOW));
            }
            // The header carries exactly the matching cookies.
            let n = jar.matching_cookies_at(&req, NOW).len();
            let header = jar.cookie_header_at(&req, NOW);
            prop_assert_eq!(header.map_or(0, |h| h.split("; ").count()), n);
        }
    }
}
