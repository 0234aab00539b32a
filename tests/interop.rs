//! Migration in and out of the jar: curl's `cookies.txt` (always) and `cookie_store`'s JSON
//! (feature `cookie_store`), with files written by curl and by the `cookie_store` crate itself.

use cookiejar::interop::{self, Format, ImportProblem, Location, NotExported};
use cookiejar::{Cookie, Jar, Rejection, Request, Url};

/// When curl wrote `tests/data/interop/curl-cookies.txt`.
const CURL_NOW: i64 = 1_795_924_604_000;
const CURL_FILE: &str = include_str!("data/interop/curl-cookies.txt");

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn header(jar: &Jar, u: &str, now: i64) -> Option<String> {
    jar.cookie_header_at(&Request::new(&url(u)), now)
}

fn find<'a>(cookies: &'a [Cookie], name: &str) -> &'a Cookie {
    cookies
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no cookie {name}"))
}

/// What an export or import must preserve: everything but the times the jar keeps for itself.
fn essence(c: &Cookie) -> Cookie {
    let mut c = c.clone();
    c.created = 0;
    c.last_access = 0;
    c
}

fn curl_jar() -> Jar {
    let jar = Jar::new();
    let report = interop::import(&jar, CURL_FILE.as_bytes(), None, CURL_NOW).unwrap();
    assert_eq!(report.stored, 8, "{report:?}");
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    jar
}

#[test]
fn a_file_written_by_curl_is_detected_and_imported_with_every_attribute() {
    assert_eq!(Format::detect(CURL_FILE.as_bytes()), Format::Netscape);
    let jar = curl_jar();
    let all = jar.cookies_at(CURL_NOW);

    let sid = find(&all, "sid");
    assert_eq!((sid.domain.as_str(), sid.host_only), ("app.test", false));
    assert!(sid.http_only && !sid.secure);
    assert_eq!(sid.expires, Some(1_798_516_603_000));

    let api = find(&all, "api");
    assert_eq!(
        (api.domain.as_str(), api.path.as_str()),
        ("www.app.test", "/api")
    );
    assert!(api.http_only && api.host_only && api.is_session());

    let csrf = find(&all, "__Host-csrf");
    assert!(csrf.secure && csrf.host_only && !csrf.http_only);
    assert_eq!(csrf.domain, "localhost");

    assert!(find(&all, "pending").is_session());
    assert_eq!(find(&all, "_ga").value, "GA1.2.99.17");
}

#[test]
fn cookies_imported_from_curl_go_where_curl_would_send_them() {
    let jar = curl_jar();
    // Longest path first; then the file's order, since all arrived at the same instant.
    assert_eq!(
        header(&jar, "http://www.app.test/shop/cart", CURL_NOW).as_deref(),
        Some("cart=3-items; _ga=GA1.2.99.17; theme=dark; sid=s3cr3t-42")
    );
    assert_eq!(
        header(&jar, "http://login.app.test/", CURL_NOW).as_deref(),
        Some("_ga=GA1.2.99.17; sid=s3cr3t-42; pending=1")
    );
    assert_eq!(
        header(&jar, "http://localhost/", CURL_NOW).as_deref(),
        Some("local=1; __Host-csrf=Zx81")
    );
    assert_eq!(header(&jar, "http://app.test.evil/", CURL_NOW), None);
}

#[test]
fn exporting_what_curl_wrote_gives_back_curls_lines() {
    let jar = curl_jar();
    let mut out = Vec::new();
    let report = interop::export(&jar, Format::Netscape, &mut out, CURL_NOW).unwrap();
    assert_eq!(report.written, 8);
    assert!(report.skipped.is_empty());
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with(interop::netscape::HEADER));
    assert!(CURL_FILE.starts_with(interop::netscape::HEADER));
    let lines = |s: &str| {
        let mut l: Vec<String> = s
            .lines()
            .filter(|l| !l.is_empty() && (!l.starts_with('#') || l.starts_with("#HttpOnly_")))
            .map(str::to_owned)
            .collect();
        l.sort();
        l
    };
    assert_eq!(lines(&out), lines(CURL_FILE));
    assert!(out.ends_with('\n'));
}

#[test]
fn netscape_round_trip_preserves_every_cookie() {
    let jar = curl_jar();
    let mut out = Vec::new();
    interop::export(&jar, Format::Netscape, &mut out, CURL_NOW).unwrap();
    let again = Jar::new();
    interop::import(&again, &out, Some(Format::Netscape), CURL_NOW).unwrap();
    let a: Vec<_> = jar.cookies_at(CURL_NOW).iter().map(essence).collect();
    let b: Vec<_> = again.cookies_at(CURL_NOW).iter().map(essence).collect();
    assert_eq!(a, b);
}

#[test]
fn bad_lines_are_reported_with_their_number_and_reason_and_the_rest_imported() {
    let mut file = Vec::new();
    file.extend_from_slice(b"\xEF\xBB\xBF# Netscape HTTP Cookie File\r\n");
    file.extend_from_slice(b"\r\n");
    file.extend_from_slice(b"example.com\tFALSE\t/\tFALSE\t0\tgood\t1\r\n"); // 3
    file.extend_from_slice(b"example.com\tFALSE\t/\n"); // 4
    file.extend_from_slice(b"example.com\tYES\t/\tFALSE\t0\tflag\t1\n"); // 5
    file.extend_from_slice(b"example.com\tFALSE\t/\tFALSE\ttomorrow\twhen\t1\n"); // 6
    file.extend_from_slice(b"example.com\tFALSE\t/\tFALSE\t0\tlatin\tcaf\xe9\n"); // 7
    file.extend_from_slice(b".com\tTRUE\t/\tFALSE\t0\tsuper\t1\n"); // 8
    file.extend_from_slice(b"example.com\tFALSE\t/app\tTRUE\t0\t__Host-x\t1\n"); // 9
    file.extend_from_slice(b"example.com\tFALSE\t/\tFALSE\t0\tctl\ta\x01b\n"); // 10
    file.extend_from_slice(b"example.com\tFALSE\t/\tFALSE\t1000\told\t1\n"); // 11
    file.extend_from_slice(b"#HttpOnly_.example.com\tTRUE\t/\tTRUE\t0\tsid\tz\n"); // 12
    let jar = Jar::new();
    let report = interop::import(&jar, &file, None, CURL_NOW).unwrap();
    assert_eq!((report.stored, report.expired), (2, 1), "{report:?}");
    let seen: Vec<(Location, String)> = report
        .skipped
        .iter()
        .map(|s| (s.at, s.problem.to_string()))
        .collect();
    let expect = |n: usize, why: &str| (Location::Line(n), why.to_owned());
    assert_eq!(
        seen,
        vec![
            expect(4, "3 tab-separated fields instead of 7"),
            expect(
                5,
                "the include-subdomains field is \"YES\", not TRUE or FALSE"
            ),
            expect(6, "the expiry \"tomorrow\" is not a number of seconds"),
            expect(7, "the line is not valid UTF-8"),
            expect(
                8,
                "refused: the Domain attribute is a public suffix (a supercookie)"
            ),
            expect(
                9,
                "refused: a __Host- cookie requires Secure, Path=/ and no Domain attribute"
            ),
            expect(
                10,
                "refused: unparsable Set-Cookie: the header contains a control character"
            ),
        ]
    );
    assert_eq!(
        report.skipped[4].problem,
        ImportProblem::Refused(Rejection::PublicSuffix)
    );
    assert_eq!(report.skipped[4].name.as_deref(), Some("super"));
    assert_eq!(
        header(&jar, "https://www.example.com/", CURL_NOW).as_deref(),
        Some("sid=z")
    );
    assert_eq!(
        header(&jar, "https://example.com/", CURL_NOW).as_deref(),
        Some("good=1; sid=z")
    );
}

#[test]
fn garbage_never_panics_and_every_line_is_accounted_for() {
    let mut state = 0x1234_5678_9abc_def0_u64;
    for _ in 0..200 {
        let mut bytes = Vec::new();
        for _ in 0..(state % 300) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes.push(match state % 8 {
                0 => b'\t',
                1 => b'\n',
                2 => b'.',
                3 => b'#',
                _ => (state >> 8) as u8,
            });
        }
        let parsed = interop::netscape::parse(&bytes);
        let lines = bytes.split(|&b| b == b'\n').count();
        assert!(parsed.cookies.len() + parsed.skipped.len() <= lines);
        let jar = Jar::new();
        let _ = interop::insert_all(&jar, parsed, CURL_NOW, |_| {});
    }
}

#[test]
fn cookies_the_format_cannot_hold_are_left_out_and_reported() {
    let jar = Jar::new();
    let now = CURL_NOW;
    let mut tab = Cookie::new("tab", "a\tb", "example.com", "/");
    tab.expires = Some(now + 60_000);
    jar.insert_at(&tab, now).unwrap();
    let top = url("https://news.example.org/");
    let ad = url("https://ad.tracker.net/");
    jar.set_cookie_at(
        "chip=1; Secure; Path=/; SameSite=None; Partitioned",
        &Request::subresource_of(&ad, &top),
        now,
    )
    .unwrap();
    jar.set_cookie_at("nameless", &Request::new(&url("https://example.com/")), now)
        .unwrap();
    jar.set_cookie_at("ok=1", &Request::new(&url("https://example.com/")), now)
        .unwrap();
    let mut out = Vec::new();
    let report = interop::export(&jar, Format::Netscape, &mut out, now).unwrap();
    assert_eq!(report.written, 1);
    let mut why: Vec<(String, NotExported)> = report
        .skipped
        .iter()
        .map(|((_, _, name), w)| (name.clone(), *w))
        .collect();
    why.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        why,
        vec![
            (String::new(), NotExported::Nameless),
            ("chip".into(), NotExported::Partitioned),
            ("tab".into(), NotExported::Unrepresentable("value")),
        ]
    );
    assert!(String::from_utf8(out)
        .unwrap()
        .ends_with("\nexample.com\tFALSE\t/\tFALSE\t0\tok\t1\n"));
}

#[test]
fn a_json_file_needs_the_cookie_store_feature_or_is_read_with_it() {
    let json = include_bytes!("data/interop/cookie-store.json");
    assert_eq!(Format::detect(json), Format::CookieStoreJson);
    let result = interop::import(&Jar::new(), json, None, CURL_NOW);
    if cfg!(feature = "cookie_store") {
        assert!(result.is_ok());
    } else {
        assert!(matches!(
            result,
            Err(interop::ImportError::Unavailable(Format::CookieStoreJson))
        ));
    }
}

#[cfg(feature = "cookie_store")]
mod cookie_store_json {
    use super::*;
    use cookie_store::CookieStore;
    use cookiejar::SameSite;

    /// When cookie_store wrote `tests/data/interop/cookie-store.json`.
    const JSON_NOW: i64 = 1_795_924_693_000;
    const JSON_FILE: &[u8] = include_bytes!("data/interop/cookie-store.json");

    /// The jar's cookies as cookie_store's own JSON (`save_incl_expired_and_nonpersistent`).
    fn export_json(jar: &Jar, now: i64) -> Vec<u8> {
        let mut out = Vec::new();
        let report = interop::export(jar, Format::CookieStoreJson, &mut out, now).unwrap();
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        out
    }

    /// A store filled the way a reqwest client with `reqwest_cookie_store` fills it.
    fn browsing_store() -> CookieStore {
        let mut store = CookieStore::default();
        for (u, h) in [
            (
                "https://accounts.example.com/login",
                "sid=1; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=86400",
            ),
            (
                "https://accounts.example.com/login",
                "csrf=2; Path=/; Secure; SameSite=Strict",
            ),
            ("https://www.example.com/shop/item", "cart=3; Max-Age=3600"),
            (
                "https://www.example.com/",
                "_ga=4; Domain=.example.com; Path=/; Max-Age=31536000",
            ),
            (
                "https://api.example.com/v1/x",
                "tok=5; Path=/v1; Secure; HttpOnly; Max-Age=600",
            ),
            ("http://insecure.example.net/a/b/c", "plain=6"),
            (
                "http://insecure.example.net/",
                "wide=7; Domain=example.net; Path=/",
            ),
            ("http://127.0.0.1:8080/", "local=8; Path=/"),
            ("http://localhost:3000/app/", "dev=9; Path=/app; Secure"),
            (
                "https://ad.doubleclick.net/p",
                "IDE=10; Domain=doubleclick.net; Secure; SameSite=None; Max-Age=86400",
            ),
        ] {
            store
                .parse(h, &url(u))
                .unwrap_or_else(|e| panic!("{h}: {e}"));
        }
        store
    }

    /// Request URLs around every domain the store knows.
    fn probes() -> Vec<Url> {
        let hosts = [
            "example.com",
            "www.example.com",
            "accounts.example.com",
            "api.example.com",
            "deep.sub.example.com",
            "insecure.example.net",
            "example.net",
            "127.0.0.1:8080",
            "localhost:3000",
            "ad.doubleclick.net",
            "doubleclick.net",
            "example.org",
        ];
        let paths = [
            "/",
            "/shop",
            "/shop/cart",
            "/v1/items",
            "/a/b/page",
            "/app/x",
            "/shopping",
        ];
        let mut out = Vec::new();
        for scheme in ["https", "http"] {
            for h in hosts {
                for p in paths {
                    out.push(url(&format!("{scheme}://{h}{p}")));
                }
            }
        }
        out
    }

    fn sorted_pairs<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
        let mut v: Vec<String> = pairs.map(|(n, v)| format!("{n}={v}")).collect();
        v.sort();
        v
    }

    fn our_pairs(jar: &Jar, u: &Url, now: i64) -> Vec<String> {
        sorted_pairs(
            jar.matching_cookies_at(&Request::new(u), now)
                .iter()
                .map(|c| (c.name.as_str(), c.value.as_str())),
        )
    }

    #[test]
    fn a_file_written_by_cookie_store_is_imported_with_its_attributes() {
        let jar = Jar::new();
        let report = interop::import(&jar, JSON_FILE, None, JSON_NOW).unwrap();
        assert_eq!(report.stored, 7, "{report:?}");
        assert!(report.skipped.is_empty());
        let all = jar.cookies_at(JSON_NOW);

        let sid = find(&all, "sid");
        assert_eq!((sid.domain.as_str(), sid.host_only), ("example.com", false));
        assert!(sid.secure && sid.http_only);
        assert_eq!(sid.same_site, SameSite::Lax);
        assert_eq!(sid.expires, Some(1_798_516_693_000));

        let csrf = find(&all, "csrftoken");
        assert_eq!(
            (csrf.domain.as_str(), csrf.host_only),
            ("accounts.example.com", true)
        );
        assert_eq!(csrf.same_site, SameSite::Strict);

        // The default path cookie_store computed is kept, not re-derived.
        let cart = find(&all, "cart");
        assert_eq!(
            (cart.path.as_str(), cart.same_site),
            ("/shop", SameSite::Default)
        );

        let ide = find(&all, "IDE");
        assert_eq!(ide.same_site, SameSite::None);
        assert_eq!(ide.expires, Some(1_819_756_800_000));
        assert_eq!(find(&all, "local").domain, "127.0.0.1");

        assert_eq!(
            header(&jar, "https://www.example.com/shop/x", JSON_NOW).as_deref(),
            Some("cart=3-items; _ga=GA1.2.1234567890.1700000000; sid=7f3a9c0e")
        );
    }

    #[test]
    fn a_reqwest_cookie_store_file_sends_the_same_cookies_from_our_jar() {
        // Saved as reqwest_cookie_store users save: persistent, unexpired cookies only.
        let store = browsing_store();
        let mut file = Vec::new();
        cookie_store::serde::json::save(&store, &mut file).unwrap();
        let saved = cookie_store::serde::json::load(&file[..]).unwrap();

        let now = cookiejar::now_ms();
        let jar = Jar::new();
        let report = interop::import(&jar, &file, None, now).unwrap();
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        assert_eq!(report.stored, saved.iter_any().count());

        let mut compared = 0;
        for u in probes() {
            let theirs = sorted_pairs(saved.get_request_values(&u));
            assert_eq!(our_pairs(&jar, &u, now), theirs, "{u}");
            compared += usize::from(!theirs.is_empty());
        }
        assert!(compared > 20, "too few probes send cookies: {compared}");
    }

    #[test]
    fn session_cookies_in_a_full_save_come_in_as_session_cookies() {
        let store = browsing_store();
        let mut file = Vec::new();
        cookie_store::serde::json::save_incl_expired_and_nonpersistent(&store, &mut file).unwrap();
        let now = cookiejar::now_ms();
        let jar = Jar::new();
        let report = interop::import(&jar, &file, None, now).unwrap();
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        let all = jar.cookies_at(now);
        assert!(find(&all, "csrf").is_session());
        assert!(find(&all, "plain").is_session());
        assert_eq!(find(&all, "plain").path, "/a/b");
        for u in probes() {
            assert_eq!(
                our_pairs(&jar, &u, now),
                sorted_pairs(store.get_request_values(&u)),
                "{u}"
            );
        }
    }

    #[test]
    fn the_old_one_cookie_per_line_json_is_read_too() {
        let store = browsing_store();
        let mut file = Vec::new();
        #[allow(deprecated)]
        store
            .save_incl_expired_and_nonpersistent_json(&mut file)
            .unwrap();
        assert_eq!(file.first(), Some(&b'{'));
        let now = cookiejar::now_ms();
        let jar = Jar::new();
        let report = interop::import(&jar, &file, None, now).unwrap();
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        for u in probes() {
            assert_eq!(
                our_pairs(&jar, &u, now),
                sorted_pairs(store.get_request_values(&u)),
                "{u}"
            );
        }
    }

    #[test]
    fn an_export_is_what_cookie_store_itself_writes_for_those_cookies() {
        let now = cookiejar::now_ms();
        let jar = Jar::new();
        let mut file = Vec::new();
        cookie_store::serde::json::save_incl_expired_and_nonpersistent(
            &browsing_store(),
            &mut file,
        )
        .unwrap();
        interop::import(&jar, &file, None, now).unwrap();

        let ours = export_json(&jar, now);
        // cookie_store reads it, and writes the very same entries back.
        let loaded = cookie_store::serde::json::load_all(&ours[..]).unwrap();
        let mut theirs = Vec::new();
        cookie_store::serde::json::save_incl_expired_and_nonpersistent(&loaded, &mut theirs)
            .unwrap();
        let entries = |bytes: &[u8]| {
            let v: Vec<serde_json::Value> = serde_json::from_slice(bytes).unwrap();
            let mut s: Vec<String> = v.iter().map(|e| e.to_string()).collect();
            s.sort();
            s
        };
        assert_eq!(entries(&ours), entries(&theirs));
        assert!(ours.ends_with(b"]\n"));
        for u in probes() {
            assert_eq!(
                our_pairs(&jar, &u, now),
                sorted_pairs(loaded.get_request_values(&u)),
                "{u}"
            );
        }
    }

    #[test]
    fn json_round_trip_preserves_every_cookie() {
        let jar = Jar::new();
        interop::import(&jar, JSON_FILE, None, JSON_NOW).unwrap();
        let out = export_json(&jar, JSON_NOW);
        let again = Jar::new();
        let report =
            interop::import(&again, &out, Some(Format::CookieStoreJson), JSON_NOW).unwrap();
        assert_eq!(report.stored, 7);
        let a: Vec<_> = jar.cookies_at(JSON_NOW).iter().map(essence).collect();
        let b: Vec<_> = again.cookies_at(JSON_NOW).iter().map(essence).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn curl_to_cookie_store_and_back() {
        let jar = curl_jar();
        let json = export_json(&jar, CURL_NOW);
        let again = Jar::new();
        interop::import(&again, &json, None, CURL_NOW).unwrap();
        let a: Vec<_> = jar.cookies_at(CURL_NOW).iter().map(essence).collect();
        let b: Vec<_> = again.cookies_at(CURL_NOW).iter().map(essence).collect();
        assert_eq!(a, b);
    }

    #[test]
    fn in_memory_stores_convert_both_ways() {
        let now = cookiejar::now_ms();
        let store = browsing_store();
        let jar = Jar::new();
        let report = interop::cookie_store::import_store(&jar, &store, now).unwrap();
        assert_eq!(report.stored, store.iter_any().count());
        let (back, report) = interop::cookie_store::export_store(&jar, now);
        assert!(report.skipped.is_empty());
        for u in probes() {
            assert_eq!(
                sorted_pairs(back.get_request_values(&u)),
                sorted_pairs(store.get_request_values(&u)),
                "{u}"
            );
        }
    }

    #[test]
    fn cookies_cookie_store_cannot_hold_are_reported() {
        let now = cookiejar::now_ms();
        let jar = Jar::new();
        let site = url("https://example.com/");
        jar.set_cookie_at("a=1", &Request::new(&site), now).unwrap();
        let mut twin = Cookie::new("a", "2", "example.com", "/");
        twin.host_only = false;
        jar.insert_at(&twin, now).unwrap();
        let mut semi = Cookie::new("b", "x;y", "example.com", "/");
        semi.expires = Some(now + 60_000);
        jar.insert_at(&semi, now).unwrap();
        let mut out = Vec::new();
        let report = interop::export(&jar, Format::CookieStoreJson, &mut out, now).unwrap();
        assert_eq!(report.written, 1);
        let why: Vec<NotExported> = report.skipped.iter().map(|(_, w)| *w).collect();
        assert!(why.contains(&NotExported::DuplicateKey), "{why:?}");
        assert!(
            why.contains(&NotExported::Unrepresentable("value")),
            "{why:?}"
        );
    }

    #[test]
    fn a_file_that_is_not_json_stops_the_import_and_a_bad_entry_does_not() {
        let jar = Jar::new();
        let err = interop::import(&jar, b"[{\"raw_cookie\": ", None, JSON_NOW).unwrap_err();
        assert!(
            err.to_string().starts_with("not a cookie_store JSON file"),
            "{err}"
        );
        let file = br#"[{"raw_cookie":"a=1; Path=/","path":["/",true],"domain":{"HostOnly":"a.example"},"expires":"SessionEnd"},
                        {"raw_cookie":"b=2","path":["/",true],"domain":{"Suffix":"com"},"expires":"SessionEnd"},
                        {"raw_cookie":"=","path":["/",true],"domain":{"HostOnly":"a.example"},"expires":"SessionEnd"}]"#;
        let report = interop::import(&jar, file, None, JSON_NOW).unwrap();
        assert_eq!(report.stored, 1);
        assert_eq!(report.skipped.len(), 2);
        assert_eq!(report.skipped[0].at, Location::Entry(2));
        assert_eq!(
            report.skipped[0].problem,
            ImportProblem::Refused(Rejection::PublicSuffix)
        );
        assert_eq!(report.skipped[1].at, Location::Entry(3));
        assert!(matches!(
            report.skipped[1].problem,
            ImportProblem::BadEntry(_)
        ));
    }
}
