//! Every input the fuzz targets in fuzz/ found, replayed as an ordinary test (fuzz/README.md
//! tells which target found each one and how it was triaged).
//!
//! A test marked `#[ignore]` reproduces a bug that is not fixed yet; its reason says where.

use cookiejar::rfc::parse::parse_set_cookie;
use cookiejar::store::storage::{Fault, FaultyStorage, MemStorage};
use cookiejar::{Jar, JarOptions, Request, Url};

const NOW: i64 = 1_700_000_000_000;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

/// set_cookie_parse, input `foo=foo=b:ar; domain=.`: the parser gives an empty `Domain` (its
/// documentation said "non-empty"). Not a bug: RFC 6265bis §5.6.3 removes the leading dot and
/// keeps the empty value, and §5.7 then makes the cookie host-only, which the jar does. The
/// empty `Domain` also overrides an earlier one, as the last `Domain` attribute wins.
#[test]
fn a_domain_of_just_a_dot_makes_a_host_only_cookie() {
    let c = parse_set_cookie("foo=foo=b:ar; domain=.").unwrap();
    assert_eq!((c.name, c.value, c.domain), ("foo", "foo=b:ar", Some("")));
    let c = parse_set_cookie("a=1; Domain=example.com; Domain=.").unwrap();
    assert_eq!(c.domain, Some(""));

    let jar = Jar::new();
    let u = url("https://www.example.com/");
    jar.set_cookie_at("a=1; Domain=example.com; Domain=.", &Request::new(&u), NOW)
        .unwrap();
    let stored = jar.cookies_at(NOW);
    assert_eq!(stored.len(), 1);
    assert!(stored[0].host_only, "{:?}", stored[0]);
    assert_eq!(stored[0].domain, "www.example.com");
}

/// model, seed `clear-fault` (a `Rewrite` fault armed, then `clear`, then a `Set-Cookie`):
/// `Jar::clear` empties the jar in memory before it rewrites the file; when the rewrite fails,
/// the file still holds every cookie, yet the jar is not poisoned and goes on acknowledging
/// changes on top of a memory that disagrees with its file. A reopen brings the "cleared"
/// cookies back, beside the ones acknowledged since.
#[test]
#[ignore = "open bug in Jar::clear (src/jar.rs, not ours to edit): a failed rewrite leaves memory cleared and the file not, and the jar unpoisoned"]
fn a_failed_clear_leaves_memory_and_file_disagreeing() {
    let storage = FaultyStorage::new(MemStorage::new());
    let jar = Jar::open_storage_at(Box::new(storage.clone()), JarOptions::default(), NOW).unwrap();
    let u = url("https://example.com/a/");
    jar.set_cookie_at("a=1; Max-Age=3600", &Request::new(&u), NOW)
        .unwrap();
    storage.fail_after(Fault::Rewrite, 0);
    assert!(jar.clear().is_err(), "the injected failure is reported");
    storage.heal();
    let later = jar.set_cookie_at("b=1; Max-Age=3600", &Request::new(&u), NOW + 1000);
    let in_memory = jar.cookies_at(NOW + 1000);
    drop(jar);
    let reopened = Jar::open_storage_at(
        Box::new(MemStorage::from_bytes(storage.snapshot())),
        JarOptions::default(),
        NOW + 1000,
    )
    .unwrap();
    // Either the failed clear poisoned the jar (then `b` was refused), or what the jar showed
    // after acknowledging `b` is what its file holds.
    if later.is_ok() {
        assert_eq!(reopened.cookies_at(NOW + 1000), in_memory);
    }
}
