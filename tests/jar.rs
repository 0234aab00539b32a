//! The storage model (RFC 6265bis §5.7), retrieval (§5.8), limits and the management API,
//! through the public `Jar` API, one behaviour per test.

use cookiejar::{
    Jar, JarOptions, ParseError, Priority, Rejection, Request, SameSite, SetCookieError,
    SetOutcome, Url,
};

const NOW: i64 = 1_750_000_000_000;
const DAY: i64 = 24 * 60 * 60 * 1000;

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn set(jar: &Jar, u: &str, h: &str) -> Result<SetOutcome, SetCookieError> {
    jar.set_cookie_at(h, &Request::new(&url(u)), NOW)
}

fn set_at(jar: &Jar, u: &str, h: &str, now: i64) -> Result<SetOutcome, SetCookieError> {
    jar.set_cookie_at(h, &Request::new(&url(u)), now)
}

fn get(jar: &Jar, u: &str) -> Option<String> {
    jar.cookie_header_at(&Request::new(&url(u)), NOW)
}

fn rejected(r: Rejection) -> Result<SetOutcome, SetCookieError> {
    Err(SetCookieError::Rejected(r))
}

// ----- storage model ----------------------------------------------------------------------

#[test]
fn a_cookie_without_domain_is_host_only() {
    let jar = Jar::default();
    set(&jar, "http://www.example.com/", "a=1").unwrap();
    assert_eq!(get(&jar, "http://www.example.com/"), Some("a=1".into()));
    assert_eq!(get(&jar, "http://sub.www.example.com/"), None);
    assert_eq!(get(&jar, "http://example.com/"), None);
}

#[test]
fn a_domain_cookie_reaches_subdomains_but_not_siblings_parents_or_lookalikes() {
    let jar = Jar::default();
    set(&jar, "http://www.example.com/", "a=1; Domain=.Example.COM").unwrap();
    assert_eq!(get(&jar, "http://example.com/"), Some("a=1".into()));
    assert_eq!(
        get(&jar, "http://deep.api.example.com/"),
        Some("a=1".into())
    );
    assert_eq!(get(&jar, "http://badexample.com/"), None);
    assert_eq!(get(&jar, "http://example.com.evil.net/"), None);
}

#[test]
fn a_domain_that_does_not_cover_the_host_is_refused() {
    let jar = Jar::default();
    assert_eq!(
        set(&jar, "http://www.example.com/", "a=1; Domain=other.com"),
        rejected(Rejection::DomainMismatch)
    );
    assert_eq!(
        set(&jar, "http://example.com/", "a=1; Domain=www.example.com"),
        rejected(Rejection::DomainMismatch)
    );
}

#[test]
fn a_public_suffix_domain_is_refused_unless_it_is_the_host_itself() {
    let jar = Jar::default();
    assert_eq!(
        set(&jar, "http://www.example.co.uk/", "a=1; Domain=co.uk"),
        rejected(Rejection::PublicSuffix)
    );
    // The host is itself a public suffix: the cookie becomes host-only.
    set(&jar, "http://github.io/", "b=2; Domain=github.io").unwrap();
    let c = jar.cookies_at(NOW);
    assert_eq!(c.len(), 1);
    assert!(c[0].host_only);
    assert_eq!(get(&jar, "http://github.io/"), Some("b=2".into()));
    assert_eq!(get(&jar, "http://octocat.github.io/"), None);
}

#[test]
fn non_ascii_and_invalid_domains_are_refused() {
    let jar = Jar::default();
    assert_eq!(
        set(
            &jar,
            "http://xn--bcher-kva.example/",
            "a=1; Domain=bücher.example"
        ),
        rejected(Rejection::NonAsciiDomain)
    );
    assert_eq!(
        set(&jar, "http://example.com/", "a=1; Domain=exa mple.com"),
        rejected(Rejection::InvalidDomain)
    );
}

#[test]
fn idn_hosts_are_matched_in_a_label_form() {
    let jar = Jar::default();
    set(
        &jar,
        "http://www.bücher.example/",
        "a=1; Domain=xn--bcher-kva.example",
    )
    .unwrap();
    assert_eq!(get(&jar, "http://BÜCHER.example/"), Some("a=1".into()));
}

#[test]
fn ip_hosts_get_only_host_cookies() {
    let jar = Jar::default();
    set(&jar, "http://192.168.0.1/", "a=1").unwrap();
    set(&jar, "http://192.168.0.1/", "b=2; Domain=192.168.0.1").unwrap();
    assert_eq!(
        set(&jar, "http://192.168.0.1/", "c=3; Domain=168.0.1"),
        rejected(Rejection::DomainMismatch)
    );
    assert_eq!(get(&jar, "http://192.168.0.1/"), Some("a=1; b=2".into()));
    assert_eq!(get(&jar, "http://192.168.0.10/"), None);
}

#[test]
fn secure_cookies_need_a_secure_origin_and_loopback_counts() {
    let jar = Jar::default();
    assert_eq!(
        set(&jar, "http://example.com/", "a=1; Secure"),
        rejected(Rejection::SecureFromInsecureOrigin)
    );
    set(&jar, "https://example.com/", "a=1; Secure").unwrap();
    set(&jar, "wss://example.com/", "w=1; Secure").unwrap();
    assert_eq!(get(&jar, "http://example.com/"), None);
    assert_eq!(get(&jar, "https://example.com/"), Some("a=1; w=1".into()));
    assert_eq!(get(&jar, "wss://example.com/"), Some("a=1; w=1".into()));
    for local in [
        "http://localhost:8080/",
        "http://127.0.0.1/",
        "http://[::1]/",
    ] {
        set(&jar, local, "l=1; Secure").unwrap();
        assert_eq!(get(&jar, local), Some("l=1".into()), "{local}");
    }
}

#[test]
fn an_insecure_origin_cannot_overwrite_or_shadow_a_secure_cookie() {
    let jar = Jar::default();
    set(&jar, "https://example.com/", "sid=secret; Secure; Path=/").unwrap();
    assert_eq!(
        set(&jar, "http://example.com/", "sid=evil"),
        rejected(Rejection::OverwriteSecure)
    );
    // Shadowing from a subdomain or a deeper path is refused too.
    assert_eq!(
        set(
            &jar,
            "http://www.example.com/app/x",
            "sid=evil; Domain=example.com; Path=/app"
        ),
        rejected(Rejection::OverwriteSecure)
    );
    // A different name is fine, and a secure origin may replace it.
    set(&jar, "http://example.com/", "other=1").unwrap();
    assert_eq!(
        set(&jar, "https://example.com/", "sid=new; Secure"),
        Ok(SetOutcome::Replaced)
    );
    assert_eq!(
        get(&jar, "https://example.com/"),
        Some("sid=new; other=1".into())
    );
}

#[test]
fn cookie_prefixes_are_enforced_case_insensitively() {
    let jar = Jar::default();
    let https = "https://www.example.com/";
    assert_eq!(
        set(&jar, https, "__Secure-a=1"),
        rejected(Rejection::SecurePrefix)
    );
    assert_eq!(
        set(&jar, https, "__SECURE-a=1"),
        rejected(Rejection::SecurePrefix)
    );
    set(&jar, https, "__Secure-a=1; Secure").unwrap();
    assert_eq!(
        set(&jar, https, "__Host-b=1; Secure"),
        rejected(Rejection::HostPrefix)
    );
    assert_eq!(
        set(
            &jar,
            https,
            "__Host-b=1; Secure; Path=/; Domain=example.com"
        ),
        rejected(Rejection::HostPrefix)
    );
    assert_eq!(
        set(&jar, https, "__host-b=1; Secure; Path=/x"),
        rejected(Rejection::HostPrefix)
    );
    set(&jar, https, "__Host-b=1; Secure; Path=/").unwrap();
    assert_eq!(
        set(&jar, https, "__Host-x; Secure"),
        rejected(Rejection::NamelessPrefix)
    );
    assert_eq!(
        set(&jar, https, "=__Secure-x"),
        rejected(Rejection::NamelessPrefix)
    );
    assert_eq!(get(&jar, https), Some("__Secure-a=1; __Host-b=1".into()));
}

#[test]
fn same_site_none_requires_secure() {
    let jar = Jar::default();
    assert_eq!(
        set(&jar, "https://example.com/", "a=1; SameSite=None"),
        rejected(Rejection::SameSiteNoneInsecure)
    );
    set(&jar, "https://example.com/", "a=1; SameSite=None; Secure").unwrap();
}

#[test]
fn http_only_cookies_are_invisible_and_unwritable_through_non_http_apis() {
    let jar = Jar::default();
    let u = url("https://example.com/");
    let script = Request::new(&u).non_http();
    assert_eq!(
        jar.set_cookie_at("a=1; HttpOnly", &script, NOW),
        rejected(Rejection::HttpOnlyFromNonHttpApi)
    );
    set(&jar, "https://example.com/", "sid=1; HttpOnly").unwrap();
    set(&jar, "https://example.com/", "ui=dark").unwrap();
    assert_eq!(jar.cookie_header_at(&script, NOW), Some("ui=dark".into()));
    assert_eq!(
        jar.set_cookie_at("sid=2", &script, NOW),
        rejected(Rejection::OverwriteHttpOnly)
    );
    jar.set_cookie_at("ui=light", &script, NOW).unwrap();
    assert_eq!(
        get(&jar, "https://example.com/"),
        Some("sid=1; ui=light".into())
    );
}

#[test]
fn expiry_is_capped_at_400_days() {
    let jar = Jar::default();
    set(&jar, "http://example.com/", "a=1; Max-Age=999999999").unwrap();
    set(
        &jar,
        "http://example.com/",
        "b=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
    )
    .unwrap();
    for c in jar.cookies_at(NOW) {
        assert_eq!(c.expires, Some(NOW + 400 * DAY), "{}", c.name);
    }
}

#[test]
fn max_age_beats_expires_whatever_the_order() {
    let jar = Jar::default();
    set(
        &jar,
        "http://example.com/",
        "a=1; Max-Age=60; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
    )
    .unwrap();
    set(
        &jar,
        "http://example.com/",
        "b=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=60",
    )
    .unwrap();
    for c in jar.cookies_at(NOW) {
        assert_eq!(c.expires, Some(NOW + 60_000), "{}", c.name);
    }
    assert_eq!(
        jar.cookie_header_at(&Request::new(&url("http://example.com/")), NOW + 61_000),
        None
    );
}

#[test]
fn an_expired_cookie_deletes_its_match_and_only_it() {
    let jar = Jar::default();
    set(&jar, "http://example.com/", "a=1").unwrap();
    set(&jar, "http://example.com/", "a=2; Path=/x").unwrap();
    assert_eq!(
        set(&jar, "http://example.com/", "a=; Max-Age=0"),
        Ok(SetOutcome::Deleted)
    );
    assert_eq!(get(&jar, "http://example.com/x"), Some("a=2".into()));
    assert_eq!(
        set(
            &jar,
            "http://example.com/",
            "a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
        ),
        Ok(SetOutcome::Expired)
    );
    assert_eq!(jar.len(), 1);
}

#[test]
fn replacing_keeps_the_creation_time() {
    let jar = Jar::default();
    set_at(&jar, "http://example.com/", "a=1", NOW).unwrap();
    set_at(&jar, "http://example.com/", "b=1", NOW + 1).unwrap();
    assert_eq!(
        set_at(&jar, "http://example.com/", "a=2", NOW + 2),
        Ok(SetOutcome::Replaced)
    );
    let a = jar.get_at("example.com", "/", "a", NOW + 3).unwrap();
    assert_eq!((a.value.as_str(), a.created), ("2", NOW));
    // Still first in the header: same path length, earlier creation.
    assert_eq!(
        jar.cookie_header_at(&Request::new(&url("http://example.com/")), NOW + 3),
        Some("a=2; b=1".into())
    );
}

#[test]
fn unparsable_headers_say_why() {
    let jar = Jar::default();
    assert_eq!(
        set(&jar, "http://example.com/", "a=b\u{1}"),
        rejected(Rejection::Parse(ParseError::ControlCharacter))
    );
    assert_eq!(
        set(&jar, "http://example.com/", "="),
        rejected(Rejection::Parse(ParseError::EmptyNameAndValue))
    );
    let big = format!("a={}", "x".repeat(5000));
    assert_eq!(
        set(&jar, "http://example.com/", &big),
        rejected(Rejection::Parse(ParseError::NameValueTooLong))
    );
    assert!(jar.is_empty());
}

#[test]
fn urls_that_cannot_carry_cookies_are_errors() {
    let jar = Jar::default();
    let err = jar
        .set_cookie_at("a=1", &Request::new(&url("ftp://example.com/")), NOW)
        .unwrap_err();
    assert!(matches!(err, SetCookieError::Url(_)), "{err:?}");
    assert!(err.to_string().contains("ftp"));
    assert!(cookiejar::parse_request_url("not a url").is_err());
    assert!(cookiejar::parse_request_url("file:///etc/passwd").is_err());
    assert_eq!(
        jar.cookie_header_at(&Request::new(&url("ftp://example.com/")), NOW),
        None
    );
}

// ----- retrieval --------------------------------------------------------------------------

#[test]
fn paths_match_on_segment_boundaries_and_default_to_the_directory() {
    let jar = Jar::default();
    set(&jar, "http://example.com/docs/page.html", "d=1").unwrap();
    set(&jar, "http://example.com/", "p=1; Path=/docs/api").unwrap();
    assert_eq!(get(&jar, "http://example.com/docs"), Some("d=1".into()));
    assert_eq!(
        get(&jar, "http://example.com/docs/api/v1"),
        Some("p=1; d=1".into())
    );
    assert_eq!(get(&jar, "http://example.com/docsx"), None);
    assert_eq!(
        get(&jar, "http://example.com/docs/apix"),
        Some("d=1".into())
    );
}

#[test]
fn longer_paths_come_first_then_older_cookies() {
    let jar = Jar::default();
    set_at(&jar, "http://example.com/", "z=1; Path=/", NOW).unwrap();
    set_at(&jar, "http://example.com/", "y=1; Path=/a/b", NOW + 1).unwrap();
    set_at(&jar, "http://example.com/", "x=1; Path=/a", NOW + 2).unwrap();
    set_at(&jar, "http://example.com/", "w=1; Path=/", NOW + 3).unwrap();
    assert_eq!(
        get(&jar, "http://example.com/a/b/c"),
        Some("y=1; x=1; z=1; w=1".into())
    );
}

#[test]
fn nameless_cookies_are_sent_as_their_value() {
    let jar = Jar::default();
    set(&jar, "http://example.com/", "token").unwrap();
    set(&jar, "http://example.com/", "a=1").unwrap();
    assert_eq!(get(&jar, "http://example.com/"), Some("token; a=1".into()));
}

#[test]
fn same_site_is_enforced_against_the_request_context() {
    let jar = Jar::default();
    let site = "https://shop.example.com/";
    set(&jar, site, "strict=1; SameSite=Strict").unwrap();
    set(&jar, site, "lax=1; SameSite=Lax").unwrap();
    set(&jar, site, "none=1; SameSite=None; Secure").unwrap();
    set(&jar, site, "dflt=1").unwrap();

    let target = url("https://shop.example.com/cart");
    let same = url("https://www.example.com/");
    let other = url("https://news.example.org/");

    // Same-site subresource: everything.
    let r = Request::subresource_of(&target, &same);
    assert_eq!(
        jar.cookie_header_at(&r, NOW + DAY),
        Some("strict=1; lax=1; none=1; dflt=1".into())
    );
    // Cross-site subresource: only None.
    let r = Request::subresource_of(&target, &other);
    assert_eq!(jar.cookie_header_at(&r, NOW + DAY), Some("none=1".into()));
    // Cross-site top-level navigation with GET: Lax and defaulted Lax too.
    let r = Request::navigation_from(&target, &other, true);
    assert_eq!(
        jar.cookie_header_at(&r, NOW + DAY),
        Some("lax=1; none=1; dflt=1".into())
    );
    // Cross-site POST navigation: only None...
    let r = Request::navigation_from(&target, &other, false);
    assert_eq!(jar.cookie_header_at(&r, NOW + DAY), Some("none=1".into()));
    // ...except a defaulted cookie younger than two minutes (Lax-allowing-unsafe).
    assert_eq!(
        jar.cookie_header_at(&r, NOW + 60_000),
        Some("none=1; dflt=1".into())
    );
    // Schemeful: an http page is not same-site with an https one.
    let plain = url("http://www.example.com/");
    let r = Request::subresource_of(&target, &plain);
    assert_eq!(jar.cookie_header_at(&r, NOW + DAY), Some("none=1".into()));
}

#[test]
fn lax_by_default_can_be_turned_off() {
    let jar = Jar::with_options(JarOptions::default().lax_by_default(false));
    set(&jar, "https://shop.example.com/", "dflt=1").unwrap();
    let target = url("https://shop.example.com/");
    let other = url("https://news.example.org/");
    let r = Request::subresource_of(&target, &other);
    assert_eq!(jar.cookie_header_at(&r, NOW), Some("dflt=1".into()));
}

#[test]
fn cross_site_subresources_cannot_set_same_site_cookies() {
    let jar = Jar::default();
    let tracker = url("https://ads.tracker.net/pixel");
    let page = url("https://news.example.org/");
    let r = Request::subresource_of(&tracker, &page);
    assert_eq!(
        jar.set_cookie_at("id=1", &r, NOW),
        rejected(Rejection::SameSiteCrossSite)
    );
    assert_eq!(
        jar.set_cookie_at("id=1; SameSite=Lax", &r, NOW),
        rejected(Rejection::SameSiteCrossSite)
    );
    jar.set_cookie_at("id=1; SameSite=None; Secure", &r, NOW)
        .unwrap();
    // A cross-site top-level navigation may set a Lax cookie.
    let nav = Request::navigation_from(&tracker, &page, true);
    jar.set_cookie_at("nav=1; SameSite=Lax", &nav, NOW).unwrap();
}

#[test]
fn partitioned_cookies_stay_in_their_top_level_site() {
    let jar = Jar::default();
    let widget = url("https://chat.widget.io/frame");
    let site_a = url("https://www.site-a.com/");
    let site_b = url("https://site-b.org/");
    let in_a = Request::subresource_of(&widget, &site_a);
    let in_b = Request::subresource_of(&widget, &site_b);
    jar.set_cookie_at(
        "__Host-chat=a; Secure; Path=/; SameSite=None; Partitioned",
        &in_a,
        NOW,
    )
    .unwrap();
    jar.set_cookie_at(
        "__Host-chat=b; Secure; Path=/; SameSite=None; Partitioned",
        &in_b,
        NOW,
    )
    .unwrap();
    assert_eq!(jar.len(), 2, "one cookie per partition");
    assert_eq!(
        jar.cookie_header_at(&in_a, NOW),
        Some("__Host-chat=a".into())
    );
    assert_eq!(
        jar.cookie_header_at(&in_b, NOW),
        Some("__Host-chat=b".into())
    );
    // Top-level visit to the widget's own site: its own partition, which is empty.
    assert_eq!(jar.cookie_header_at(&Request::new(&widget), NOW), None);
    let stored = jar.cookies_at(NOW);
    assert_eq!(stored[0].partition.as_deref(), Some("site-a.com"));
    assert_eq!(
        jar.set_cookie_at("p=1; Partitioned; SameSite=None", &in_a, NOW),
        rejected(Rejection::SameSiteNoneInsecure)
    );
    let http = url("http://plain.example/");
    assert_eq!(
        jar.set_cookie_at("p=1; Partitioned", &Request::new(&http), NOW),
        rejected(Rejection::PartitionedInsecure)
    );
}

#[test]
fn sending_updates_last_access() {
    let jar = Jar::default();
    set(&jar, "http://example.com/", "a=1").unwrap();
    let later = NOW + 5000;
    jar.cookie_header_at(&Request::new(&url("http://example.com/")), later);
    assert_eq!(
        jar.get_at("example.com", "/", "a", later)
            .unwrap()
            .last_access,
        later
    );
}

// ----- limits -----------------------------------------------------------------------------

#[test]
fn a_site_keeps_at_most_its_limit_and_evicts_expired_then_least_recent() {
    let jar = Jar::default();
    let u = "https://www.example.com/";
    set_at(&jar, u, "old=1", NOW).unwrap();
    set_at(&jar, u, "dies=1; Max-Age=1", NOW).unwrap();
    set_at(&jar, u, "vip=1; Priority=High", NOW).unwrap();
    set_at(&jar, u, "safe=1; Secure", NOW).unwrap();
    for i in 0..180 {
        set_at(&jar, u, &format!("c{i}=1"), NOW + 10_000 + i).unwrap();
    }
    assert!(jar.len() <= 180, "{}", jar.len());
    let names: Vec<String> = jar
        .cookies_at(NOW + 20_000)
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert!(!names.contains(&"dies".to_string()));
    assert!(!names.contains(&"old".to_string()));
    assert!(names.contains(&"vip".to_string()));
    assert!(names.contains(&"safe".to_string()));
    assert!(names.contains(&"c179".to_string()));
}

#[test]
fn a_hostile_server_cannot_grow_the_jar_without_bound() {
    let jar = Jar::default();
    for i in 0..20_000 {
        let host = format!("https://s{}.example{}.com/", i % 7, i % 500);
        let _ = set_at(
            &jar,
            &host,
            &format!("n{i}=v; Domain=example{}.com", i % 500),
            NOW + i,
        );
    }
    assert!(jar.len() <= 3300, "{}", jar.len());
    let per_site = jar
        .cookies_at(NOW + 30_000)
        .iter()
        .filter(|c| c.domain == "example7.com")
        .count();
    assert!(per_site <= 180);
}

#[test]
fn limits_are_configurable() {
    let jar = Jar::with_options(
        JarOptions::default()
            .max_cookies_per_site(10)
            .max_cookies(25),
    );
    for i in 0..50 {
        set_at(&jar, "http://a.example/", &format!("a{i}=1"), NOW + i).unwrap();
        set_at(&jar, "http://b.example/", &format!("b{i}=1"), NOW + i).unwrap();
        set_at(&jar, "http://c.example/", &format!("c{i}=1"), NOW + i).unwrap();
    }
    assert!(jar.len() <= 25);
    for site in ["a", "b", "c"] {
        let n = jar
            .cookies_at(NOW)
            .iter()
            .filter(|c| c.domain.starts_with(site))
            .count();
        assert!(n <= 10, "{site}: {n}");
    }
}

// ----- management -------------------------------------------------------------------------

#[test]
fn the_management_api_lists_gets_removes_and_clears() {
    let jar = Jar::default();
    set(
        &jar,
        "https://www.example.com/",
        "sid=1; Secure; HttpOnly; SameSite=Lax; Priority=High; Max-Age=3600",
    )
    .unwrap();
    set(
        &jar,
        "https://www.example.com/",
        "pref=dark; Domain=example.com",
    )
    .unwrap();
    set(&jar, "https://other.org/", "x=1").unwrap();
    assert_eq!(jar.len(), 3);

    let sid = jar.get_at("www.example.com", "/", "sid", NOW).unwrap();
    assert!(sid.secure && sid.http_only && sid.host_only && !sid.is_session());
    assert_eq!(
        (sid.same_site, sid.priority),
        (SameSite::Lax, Priority::High)
    );
    assert_eq!(sid.expires, Some(NOW + 3_600_000));
    let pref = jar.get_at(".EXAMPLE.com", "/", "pref", NOW).unwrap();
    assert!(!pref.host_only && pref.is_session());

    assert_eq!(jar.clear_session_cookies(), Ok(2));
    assert_eq!(jar.len(), 1);
    set(
        &jar,
        "https://www.example.com/",
        "pref=dark; Domain=example.com",
    )
    .unwrap();
    assert_eq!(jar.remove("example.com", "/", "pref"), Ok(1));
    assert_eq!(jar.remove("example.com", "/", "pref"), Ok(0));
    set(&jar, "https://other.org/", "x=1").unwrap();
    assert_eq!(jar.clear_domain("example.com"), Ok(1));
    assert_eq!(jar.len(), 1);
    assert_eq!(jar.purge_expired_at(NOW + 10 * DAY), Ok(0));
    jar.clear().unwrap();
    assert!(jar.is_empty());
    assert_eq!(jar.cookies_at(NOW), vec![]);
}

#[test]
fn expired_cookies_are_purged_on_request() {
    let jar = Jar::default();
    set(&jar, "http://example.com/", "a=1; Max-Age=10").unwrap();
    set(&jar, "http://example.com/", "b=1").unwrap();
    assert_eq!(jar.purge_expired_at(NOW + 11_000), Ok(1));
    assert_eq!(jar.len(), 1);
}

#[test]
fn the_jar_is_send_and_sync_and_serves_threads_at_once() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Jar>();
    let jar = std::sync::Arc::new(Jar::default());
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let jar = jar.clone();
            std::thread::spawn(move || {
                for i in 0..500 {
                    let u = url(&format!("http://www.site{t}.example/"));
                    jar.set_cookie_at(&format!("c{i}=v"), &Request::new(&u), NOW + i)
                        .unwrap();
                    assert!(jar.cookie_header_at(&Request::new(&u), NOW + i).is_some());
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    // Four sites, each held to its limit of 180.
    assert!(jar.len() <= 4 * 180);
    assert!(jar.len() >= 4 * 150);
}

#[test]
fn cookies_can_be_inserted_with_their_metadata_under_the_same_rules() {
    let jar = Jar::default();
    let mut c = cookiejar::Cookie::new("sid", "1", ".Example.COM", "/app");
    c.host_only = false;
    c.secure = true;
    c.expires = Some(NOW + DAY);
    c.created = NOW - DAY;
    assert_eq!(jar.insert_at(&c, NOW), Ok(SetOutcome::Stored));
    let got = jar.get_at("example.com", "/app", "sid", NOW).unwrap();
    assert_eq!(
        (got.created, got.expires, got.host_only),
        (NOW - DAY, Some(NOW + DAY), false)
    );
    assert_eq!(
        get(&jar, "https://www.example.com/app/x"),
        Some("sid=1".into())
    );
    assert_eq!(get(&jar, "http://www.example.com/app/x"), None);

    let mut super_cookie = cookiejar::Cookie::new("t", "1", "co.uk", "/");
    super_cookie.host_only = false;
    assert_eq!(
        jar.insert_at(&super_cookie, NOW),
        rejected(Rejection::PublicSuffix)
    );
    let bad_prefix = cookiejar::Cookie::new("__Host-x", "1", "example.com", "/");
    assert_eq!(
        jar.insert_at(&bad_prefix, NOW),
        rejected(Rejection::HostPrefix)
    );

    c.expires = Some(NOW - 1000);
    assert_eq!(jar.insert_at(&c, NOW), Ok(SetOutcome::Deleted));
    assert!(jar.is_empty());
}
