//! The Public Suffix List's official test vectors (`tests/data/psl/`), against the list compiled
//! into the jar and against the shipped `public_suffix_list.dat` parsed at run time, plus the
//! jar's use of a run-time list.

use std::fs;
use std::path::Path;

use cookiejar::rfc::suffix::{self, PublicSuffixList};
use cookiejar::{Jar, JarOptions, Rejection, Request, SetCookieError, Url};

fn data(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/psl")
            .join(name),
    )
    .unwrap()
}

fn runtime_list() -> publicsuffix::List {
    data("public_suffix_list.dat").parse().unwrap()
}

/// `checkPublicSuffix('input', 'expected');` lines; `null` becomes `None`.
fn vectors() -> Vec<(Option<String>, Option<String>)> {
    let arg = |s: &str| -> Option<String> {
        let s = s.trim();
        (s != "null").then(|| s.trim_matches('\'').to_owned())
    };
    data("public_suffix_list.test_psl.txt")
        .lines()
        .filter_map(|l| l.trim().strip_prefix("checkPublicSuffix("))
        .map(|rest| {
            let inner = rest.trim_end_matches(';').trim_end_matches(')');
            let (a, b) = inner.split_once(',').unwrap();
            (arg(a), arg(b))
        })
        .collect()
}

/// Lowercase and IDNA-map the way the jar sees a request host.
fn canonical(name: &str) -> Option<String> {
    match url::Host::parse(name) {
        Ok(url::Host::Domain(d)) => Some(d),
        _ => None,
    }
}

fn check(list: &dyn PublicSuffixList) -> Vec<String> {
    let mut failures = Vec::new();
    let cases = vectors();
    // 82 calls, 4 of them commented out by the PSL project ("listed, but non-Internet, TLD").
    assert_eq!(cases.len(), 78, "the vector file has 78 active calls");
    for (input, expected) in cases {
        let Some(input) = input else { continue };
        let expected = expected.map(|e| canonical(&e).unwrap());
        let got = canonical(&input)
            .and_then(|host| suffix::registrable_domain(list, &host).map(str::to_owned));
        if got != expected {
            failures.push(format!("{input}: got {got:?}, want {expected:?}"));
        }
    }
    failures
}

#[test]
fn official_vectors_pass_with_the_compiled_list() {
    let failures = check(suffix::builtin());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn official_vectors_pass_with_a_list_parsed_at_run_time() {
    let failures = check(&runtime_list());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn private_section_suffixes_refuse_supercookies() {
    let jar = Jar::default();
    let url = Url::parse("https://octocat.github.io/").unwrap();
    let err = jar
        .set_cookie_at("a=1; Domain=github.io", &Request::new(&url), 0)
        .unwrap_err();
    assert_eq!(err, SetCookieError::Rejected(Rejection::PublicSuffix));
    // The user's own site is a registrable domain, so it may scope a cookie to itself.
    jar.set_cookie_at("b=2; Domain=octocat.github.io", &Request::new(&url), 0)
        .unwrap();
    let other = Url::parse("https://evil.github.io/").unwrap();
    assert_eq!(jar.cookie_header_at(&Request::new(&other), 0), None);
}

#[test]
fn a_jar_can_use_a_list_parsed_at_run_time() {
    // A made-up suffix only the run-time list knows: the jar must follow that list.
    let mut dat = data("public_suffix_list.dat");
    dat.push_str(
        "\n// ===BEGIN PRIVATE DOMAINS===\nexample-hosting.test\n// ===END PRIVATE DOMAINS===\n",
    );
    let list: publicsuffix::List = dat.parse().unwrap();
    let url = Url::parse("https://shop.example-hosting.test/").unwrap();

    let updated = Jar::with_options(JarOptions::default().public_suffix_list(list));
    let err = updated
        .set_cookie_at("a=1; Domain=example-hosting.test", &Request::new(&url), 0)
        .unwrap_err();
    assert_eq!(err, SetCookieError::Rejected(Rejection::PublicSuffix));

    // The compiled list does not know it, so the default jar accepts the cookie.
    let default = Jar::default();
    default
        .set_cookie_at("a=1; Domain=example-hosting.test", &Request::new(&url), 0)
        .unwrap();
}
