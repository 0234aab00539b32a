//! The `cookiejar` tool, run as a user runs it: each subcommand on temporary files.
#![cfg(feature = "cli")]

use std::path::Path;
use std::process::{Command, Output};

const CURL_FILE: &str = include_str!("data/interop/curl-cookies.txt");

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_cookiejar"))
        .args(args)
        .current_dir(dir)
        .env("TMPDIR", dir)
        .output()
        .unwrap();
    let run = Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "cookiejar {args:?} panicked:\n{}",
        run.stderr
    );
    run
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let r = run_in(dir, args);
    assert_eq!(
        r.code, 0,
        "cookiejar {args:?} failed:\n{}\n{}",
        r.stdout, r.stderr
    );
    r.stdout
}

/// A jar with a login's cookies, set through the tool.
fn jar_with_a_session(dir: &Path) {
    for (url, header) in [
        (
            "https://accounts.example.com/login",
            "sid=abc; Domain=example.com; Path=/; Secure; HttpOnly; Max-Age=3600",
        ),
        (
            "https://www.example.com/shop/",
            "cart=3; Path=/shop; SameSite=Lax",
        ),
        (
            "https://www.example.com/",
            "__Host-csrf=z; Path=/; Secure; SameSite=Strict; Max-Age=600",
        ),
    ] {
        assert!(ok(dir, &["set", url, header]).starts_with("stored"));
    }
}

#[test]
fn demo_is_the_default_and_plays_a_session_through_a_jar_file_it_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(dir.path(), &[]);
    assert!(
        out.contains("A browsing session through the jar file"),
        "{out}"
    );
    assert!(out.contains("REFUSED   Set-Cookie: tracker=1; Domain=com"));
    assert!(out.contains("because the Domain attribute is a public suffix"));
    assert!(out.contains("Cookie: IDE=AHWqTUk; __Host-chip=n1"));
    assert!(out.contains("10 accepted, 6 refused, 6 requests, in "));
    assert!(out.contains("The client restarts"));
    assert!(out.contains("3 cookies back"));
    // The temporary directory is gone.
    let demo_dirs = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref().is_ok_and(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("cookiejar-demo")
            })
        })
        .count();
    assert_eq!(demo_dirs, 0);
    assert!(!dir.path().join("cookies.jar").exists());

    // With --jar, the file is where it was asked to be, and stays.
    let out = ok(dir.path(), &["demo", "--jar", "demo.jar"]);
    assert!(out.contains("The jar file stays at demo.jar"));
    assert!(dir.path().join("demo.jar").exists());
}

#[test]
fn set_stores_or_says_why_not_with_status_1() {
    let dir = tempfile::tempdir().unwrap();
    jar_with_a_session(dir.path());
    let r = run_in(
        dir.path(),
        &["set", "https://www.example.com/", "x=1; Domain=com"],
    );
    assert_eq!(r.code, 1);
    assert_eq!(
        r.stdout.trim(),
        "refused: the Domain attribute is a public suffix (a supercookie)"
    );
    let r = run_in(
        dir.path(),
        &[
            "set",
            "http://www.example.com/",
            "sid=evil; Domain=example.com; Path=/",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(r
        .stdout
        .contains("cannot overwrite or shadow a Secure cookie"));
    let r = run_in(
        dir.path(),
        &[
            "set",
            "https://ad.example.net/",
            "t=1; Path=/",
            "--from",
            "https://news.example.org/",
        ],
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("cross-site subresource"), "{}", r.stdout);
    let out = ok(
        dir.path(),
        &[
            "set",
            "https://www.example.com/",
            "cart=; Path=/shop; Max-Age=0",
        ],
    );
    assert!(out.contains("deleted"), "{out}");
}

#[test]
fn list_shows_domain_path_name_expiry_flags_category_and_party() {
    let dir = tempfile::tempdir().unwrap();
    jar_with_a_session(dir.path());
    ok(
        dir.path(),
        &[
            "set",
            "https://www.example.com/",
            "_ga=GA1.2.3; Domain=example.com; Path=/; Max-Age=3600",
        ],
    );
    let out = ok(dir.path(), &["list"]);
    let lines: Vec<&str> = out.lines().collect();
    let columns: Vec<&str> = lines[0]
        .split("  ")
        .filter(|c| !c.is_empty())
        .map(str::trim)
        .collect();
    assert_eq!(
        columns,
        [
            "DOMAIN",
            "PATH",
            "NAME",
            "EXPIRES (UTC)",
            "FLAGS",
            "CATEGORY",
            "SOURCE",
            "PARTY"
        ]
    );
    let row = |name: &str| -> Vec<String> {
        let line = lines
            .iter()
            .find(|l| l.contains(&format!(" {name} ")))
            .unwrap_or_else(|| panic!("{name}: {out}"));
        line.split_whitespace().map(str::to_owned).collect()
    };
    // sid: a Domain cookie, an expiry (date and time), flags; the Open Cookie Database does not
    // know it, so it is unclassified.
    let sid = row("sid");
    assert_eq!(sid[..3], [".example.com", "/", "sid"]);
    assert_eq!(
        sid[5..],
        ["secure,httponly", "unclassified", "-", "1p"],
        "{out}"
    );
    let cart = row("cart");
    assert_eq!(cart[..4], ["www.example.com", "/shop", "cart", "session"]);
    assert_eq!(cart[4..], ["lax", "unclassified", "-", "1p"]);
    let ga = row("_ga");
    assert_eq!(
        ga[5..],
        ["-", "statistics", "open-cookie-database", "1p"],
        "{out}"
    );
    assert!(out.contains("4 cookies"));

    let out = ok(
        dir.path(),
        &["list", "--values", "--domain", "www.example.com"],
    );
    assert!(out.lines().next().unwrap().ends_with("VALUE"));
    assert!(out.contains("2 cookies under www.example.com"), "{out}");
}

#[test]
fn get_prints_the_header_and_why_each_other_cookie_is_withheld() {
    let dir = tempfile::tempdir().unwrap();
    jar_with_a_session(dir.path());
    let out = ok(dir.path(), &["get", "https://www.example.com/shop/basket"]);
    assert!(
        out.starts_with("Cookie: cart=3; sid=abc; __Host-csrf=z\n"),
        "{out}"
    );

    let out = ok(dir.path(), &["get", "http://shop.example.com/account"]);
    assert!(out.starts_with("(no Cookie header"), "{out}");
    assert!(out.contains(
        "sid (.example.com/): it is Secure, and http://shop.example.com is not a secure origin"
    ));
    assert!(out.contains("cart (www.example.com/shop): it is host-only for www.example.com, and the request goes to shop.example.com; its path /shop does not match the request path /account"), "{out}");

    let out = ok(
        dir.path(),
        &[
            "get",
            "https://www.example.com/",
            "--from",
            "https://evil.example.org/",
        ],
    );
    assert!(out.contains("sid (.example.com/): it has no SameSite attribute (treated as Lax), and this is a cross-site subresource request"), "{out}");
    assert!(out.contains("__Host-csrf (www.example.com/): it is SameSite=Strict"));

    // A top-level navigation carries Lax (and defaulted) cookies, not Strict ones.
    let out = ok(
        dir.path(),
        &[
            "get",
            "https://www.example.com/",
            "--navigation-from",
            "https://evil.example.org/",
        ],
    );
    assert!(out.starts_with("Cookie: sid=abc\n"), "{out}");

    let out = ok(
        dir.path(),
        &["get", "https://www.example.com/", "--non-http"],
    );
    assert!(
        out.contains("it is HttpOnly, hidden from non-HTTP APIs"),
        "{out}"
    );
}

#[test]
fn get_explains_partitions() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &[
            "set",
            "https://ad.tracker.net/px",
            "__Host-chip=1; Path=/; Secure; SameSite=None; Partitioned",
            "--from",
            "https://news.example.org/",
        ],
    );
    let out = ok(
        dir.path(),
        &[
            "get",
            "https://ad.tracker.net/ad",
            "--from",
            "https://news.example.org/",
        ],
    );
    assert!(out.starts_with("Cookie: __Host-chip=1\n"), "{out}");
    let out = ok(
        dir.path(),
        &[
            "get",
            "https://ad.tracker.net/ad",
            "--from",
            "https://blog.example.net/",
        ],
    );
    assert!(out.contains("it is partitioned under the top-level site example.org, and this request's top-level site is example.net"), "{out}");
    let list = ok(dir.path(), &["list"]);
    assert!(list.contains("partitioned"), "{list}");
    assert!(list.contains("3p@example.org"), "{list}");
}

#[test]
fn import_and_export_netscape_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("curl.txt"), CURL_FILE).unwrap();
    let out = ok(dir.path(), &["import", "curl.txt"]);
    assert!(out.contains("(netscape)"), "{out}");
    assert!(out.contains("skipped"), "{out}");
    // Cookies whose expiry has passed since curl wrote the file are counted, not stored.
    let stats = ok(dir.path(), &["stats"]);
    assert!(stats.contains("app.test"), "{stats}");

    let out = ok(dir.path(), &["export", "out.txt"]);
    assert!(out.is_empty());
    let written = std::fs::read_to_string(dir.path().join("out.txt")).unwrap();
    assert!(written.starts_with("# Netscape HTTP Cookie File\n"));
    // A session cookie, so that it is still there however long after curl wrote the file.
    assert!(
        written.contains("\n#HttpOnly_www.app.test\tFALSE\t/api\tFALSE\t0\tapi\ttok_123\n"),
        "{written}"
    );
    assert!(!dir.path().join("out.txt.partial").exists());

    let stdout = ok(dir.path(), &["export", "-", "--format", "netscape"]);
    assert_eq!(stdout, written);

    // Bad lines: reported with their numbers on stderr; --strict turns them into a failure.
    std::fs::write(
        dir.path().join("bad.txt"),
        "example.com\tFALSE\t/\tFALSE\t0\tok\t1\nexample.com\tFALSE\n.com\tTRUE\t/\tFALSE\t0\tsuper\t1\n",
    )
    .unwrap();
    let r = run_in(dir.path(), &["import", "bad.txt"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("1 stored"), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("skipped line 2: 2 tab-separated fields instead of 7"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("skipped line 3 (super): refused: the Domain attribute is a public suffix"),
        "{}",
        r.stderr
    );
    let r = run_in(dir.path(), &["import", "bad.txt", "--strict"]);
    assert_eq!(r.code, 1);
    assert!(r
        .stderr
        .contains("2 of the entries of bad.txt could not be imported"));

    // Nothing importable at all is a failure, and never a panic.
    std::fs::write(
        dir.path().join("junk.bin"),
        [0u8, 159, 146, 150, 10, 255, 9, 9, 10],
    )
    .unwrap();
    let r = run_in(dir.path(), &["import", "junk.bin"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("could not be imported"));
}

#[test]
fn cookie_store_json_goes_through_the_feature() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("store.json"),
        include_str!("data/interop/cookie-store.json"),
    )
    .unwrap();
    let r = run_in(dir.path(), &["import", "store.json"]);
    if cfg!(feature = "cookie_store") {
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stdout.contains("(cookie-store-json)"), "{}", r.stdout);
        jar_with_a_session(dir.path());
        ok(dir.path(), &["export", "back.json"]);
        let json = std::fs::read_to_string(dir.path().join("back.json")).unwrap();
        assert!(json.starts_with("[\n  {\n    \"raw_cookie\": "), "{json}");
        assert!(json.contains("\"HostOnly\": \"www.example.com\""));
    } else {
        assert_eq!(r.code, 1);
        assert!(
            r.stderr.contains("rebuild with --features cookie_store"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn stats_counts_per_site() {
    let dir = tempfile::tempdir().unwrap();
    jar_with_a_session(dir.path());
    let out = ok(dir.path(), &["stats"]);
    let header = out.lines().next().unwrap();
    for column in [
        "SITE",
        "COOKIES",
        "BYTES",
        "SECURE",
        "HTTPONLY",
        "SESSION",
        "PARTITIONED",
        "NEC",
        "PREF",
        "STAT",
        "MKT",
        "UNCL",
    ] {
        assert!(header.contains(column), "{header}");
    }
    let site: Vec<&str> = out
        .lines()
        .find(|l| l.starts_with("example.com"))
        .unwrap()
        .split_whitespace()
        .collect();
    // 3 cookies; names and values: sid+abc, cart+3, __Host-csrf+z; no rule classifies any.
    assert_eq!(
        site,
        [
            "example.com",
            "3",
            "23",
            "2",
            "1",
            "1",
            "0",
            "0",
            "0",
            "0",
            "0",
            "3"
        ]
    );
    assert!(out.contains("total (1 site)"));
}

#[test]
fn every_subcommand_takes_the_jar_path() {
    let dir = tempfile::tempdir().unwrap();
    let jar = dir.path().join("elsewhere.jar");
    let jar = jar.to_str().unwrap();
    ok(
        dir.path(),
        &["--jar", jar, "set", "https://a.example/", "k=v; Max-Age=60"],
    );
    assert!(ok(dir.path(), &["list", "--jar", jar]).contains(" k "));
    assert!(ok(dir.path(), &["get", "https://a.example/", "--jar", jar]).starts_with("Cookie: k=v"));
    assert!(ok(dir.path(), &["stats", "--jar", jar]).contains("a.example"));
    ok(dir.path(), &["export", "x.txt", "--jar", jar]);
    ok(dir.path(), &["import", "x.txt", "--jar", jar]);
    assert!(!dir.path().join("cookies.jar").exists());
}

#[test]
fn errors_are_clear_messages_with_a_nonzero_status() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["list"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("no jar file at cookies.jar"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("cookies.jar").exists());

    let r = run_in(dir.path(), &["set", "ftp://example.com/", "a=1"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("does not carry cookies"), "{}", r.stderr);

    let r = run_in(dir.path(), &["import", "missing.txt"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("cannot read missing.txt"), "{}", r.stderr);

    std::fs::write(dir.path().join("not-a-jar"), "hello").unwrap();
    let r = run_in(dir.path(), &["list", "--jar", "not-a-jar"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("cannot open the jar file not-a-jar"),
        "{}",
        r.stderr
    );

    // A jar another program holds open.
    let held = cookiejar::Jar::open(dir.path().join("held.jar")).unwrap();
    let r = run_in(dir.path(), &["list", "--jar", "held.jar"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("locked"), "{}", r.stderr);
    drop(held);

    let r = run_in(dir.path(), &["frobnicate"]);
    assert_eq!(r.code, 2);
}

#[test]
fn bench_compares_the_three_jars_when_built_with_them() {
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let r = run_in(dir.path(), &["bench", "--quick", "--lookups", "40"]);
    if cfg!(all(feature = "reqwest", feature = "cookie_store")) {
        assert_eq!(r.code, 0, "{}", r.stderr);
        let header = r
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with("ours"))
            .unwrap();
        for column in ["ours", "reqwest", "ratio", "cookie_st."] {
            assert!(header.contains(column), "{header}");
        }
        // The line of the output that starts with `prefix`.
        let line_of = |prefix: &str| -> &str {
            r.stdout
                .lines()
                .find(|l| l.starts_with(prefix))
                .unwrap_or_else(|| panic!("{prefix}: {}", r.stdout))
        };
        for row in [
            "ingest, per Set-Cookie (1k)",
            "  the same cookies again, new values (1k)",
            "ingest, per Set-Cookie (10k)",
            "  the same cookies again, new values (10k)",
            "lookup, 1k cookies on 100 sites",
            "lookup, 10k cookies on 1k sites",
            "save 10k cookies",
            "open 10k cookies",
        ] {
            let line = line_of(row);
            // Ours, and a ratio for each peer that can do it.
            assert!(line.matches('x').count() >= 1, "{line}");
        }
        // Every request the three all answered, they answered alike.
        for size in ["1k", "10k"] {
            let line = line_of(&format!("{size}: the three send the same cookies"));
            let words: Vec<&str> = line.split_whitespace().collect();
            let (agree, of) = (words[8], words[10]);
            assert_eq!(agree, of, "{line}");
            assert!(of.parse::<usize>().unwrap() >= 5, "{line}");
            // The new values replaced the old alike in the three jars.
            let line = line_of(&format!("{size}, after the new values:"));
            let words: Vec<&str> = line.split_whitespace().collect();
            let (same, of, renewed) = (words[9], words[11], words[17]);
            assert_eq!(same, of, "{line}");
            assert!(of.parse::<usize>().unwrap() >= 5, "{line}");
            assert!(renewed.parse::<usize>().unwrap() >= 1, "{line}");
        }
        assert!(r.stdout.contains("bytes per cookie"), "{}", r.stdout);
        // Nothing left behind in the temporary directory.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    } else {
        assert_eq!(r.code, 1);
        assert!(r.stderr.contains("--features reqwest,cookie_store"));
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "--quick took {:?}",
        started.elapsed()
    );
    let r = run_in(dir.path(), &["bench", "--quick", "--million"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

// ----- consent ----------------------------------------------------------------------------------

/// A jar with a login cookie, a statistics cookie, one no rule knows, and an ad network's
/// cookie stored while visiting the ad network itself (first-party there, and SameSite=None so
/// that only consent can keep it out of a cross-site request).
fn jar_with_categories(dir: &Path) {
    for (url, header) in [
        (
            "https://www.example.com/",
            "sessionid=s1; Path=/; Secure; HttpOnly",
        ),
        (
            "https://www.example.com/",
            "_ga=GA1.2.3; Domain=example.com; Path=/; Max-Age=3600",
        ),
        (
            "https://www.example.com/",
            "mystery=1; Path=/; Max-Age=3600",
        ),
        (
            "https://ad.doubleclick.net/",
            "IDE=x; Domain=doubleclick.net; Path=/; Secure; SameSite=None; Max-Age=3600",
        ),
    ] {
        assert!(ok(dir, &["set", url, header]).starts_with("stored"));
    }
}

#[test]
fn consent_show_on_a_jar_without_consent_enforces_nothing_and_counts_categories() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["consent"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no jar file"), "{}", r.stderr);

    jar_with_categories(dir.path());
    let out = ok(dir.path(), &["consent"]);
    assert_eq!(out, ok(dir.path(), &["consent", "show"]));
    assert!(
        out.contains("consent: not enforced yet (the drop-in rule"),
        "{out}"
    );
    assert!(out.contains("profile: strict"));
    assert!(out.contains("unclassified cookies: need the consent marketing cookies need"));
    assert!(out.contains("Global Privacy Control: off"));
    let default: Vec<&str> = out
        .lines()
        .find(|l| l.starts_with("jar-wide default"))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(default[2..], ["unset", "unset", "unset", "-"], "{out}");
    // The rows of the table of stored cookies: a category, then three counts.
    let counts = |name: &str| -> Vec<String> {
        out.lines()
            .map(|l| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            .find(|w| w.len() == 4 && w[0] == name && w[1].parse::<usize>().is_ok())
            .unwrap_or_else(|| panic!("{name}: {out}"))
    };
    assert_eq!(counts("necessary"), ["necessary", "1", "1", "0"]);
    assert_eq!(counts("statistics"), ["statistics", "1", "1", "0"]);
    assert_eq!(counts("marketing"), ["marketing", "1", "1", "0"]);
    assert_eq!(counts("unclassified"), ["unclassified", "1", "1", "0"]);
}

#[test]
fn a_first_decision_starts_enforcement_and_lists_what_it_purged() {
    let dir = tempfile::tempdir().unwrap();
    jar_with_categories(dir.path());
    let out = ok(dir.path(), &["consent", "grant", "statistics"]);
    assert!(out.contains("granted statistics jar-wide"), "{out}");
    // Silence is refusal from now on: the marketing cookie and the unknown one go.
    assert!(
        out.contains("purged 2 cookies that consent no longer allows:"),
        "{out}"
    );
    assert!(
        out.contains("  IDE (.doubleclick.net/): marketing"),
        "{out}"
    );
    assert!(
        out.contains("  mystery (www.example.com/): unclassified"),
        "{out}"
    );
    // Purges are in the file, whatever else is.
    let list = ok(dir.path(), &["list"]);
    assert!(
        list.contains(" _ga ") && list.contains(" sessionid "),
        "{list}"
    );
    assert!(
        !list.contains(" IDE ") && !list.contains(" mystery "),
        "{list}"
    );

    let out = ok(
        dir.path(),
        &[
            "consent",
            "deny",
            "all",
            "--site",
            "https://www.example.com/page",
        ],
    );
    assert!(
        out.contains("denied preferences, statistics, marketing on the top-level site example.com"),
        "{out}"
    );
    assert!(out.contains("  _ga (.example.com/): statistics"), "{out}");
    assert!(!ok(dir.path(), &["list"]).contains(" _ga "));

    let out = ok(dir.path(), &["consent", "reset", "--site", "example.com"]);
    assert!(
        out.contains(
            "reset to unset preferences, statistics, marketing on the top-level site example.com"
        ),
        "{out}"
    );
    assert!(out.contains("no stored cookie was purged"), "{out}");
}

#[test]
fn gpc_profile_and_unclassified_policy_are_flags_of_consent() {
    let dir = tempfile::tempdir().unwrap();
    jar_with_categories(dir.path());
    // GPC acts even before enforcement: it blocks marketing, and unknown cookies treated as
    // marketing.
    let out = ok(dir.path(), &["consent", "--gpc", "on"]);
    assert!(out.contains("Global Privacy Control: on"), "{out}");
    assert!(out.contains("IDE (.doubleclick.net/): marketing"), "{out}");
    assert!(
        out.contains("mystery (www.example.com/): unclassified"),
        "{out}"
    );

    let out = ok(
        dir.path(),
        &[
            "consent",
            "--profile",
            "uk-duaa",
            "--unclassified",
            "reject",
            "--gpc",
            "off",
        ],
    );
    assert!(out.contains("profile: uk-duaa"), "{out}");
    assert!(out.contains("unclassified cookies: refused while consent is enforced"));
    assert!(out.contains("Global Privacy Control: off"));
    assert!(ok(dir.path(), &["consent", "--profile", "ukduaa"]).contains("profile: uk-duaa"));

    for (args, needle) in [
        (
            &["consent", "--gpc", "maybe"][..],
            "possible values: on, off",
        ),
        (
            &["consent", "--profile", "gdpr"],
            "possible values: strict, cnil, uk-duaa",
        ),
        (
            &["consent", "grant", "necessary"],
            "possible values: preferences, statistics, marketing, all",
        ),
        (&["consent", "grant"], "name the categories"),
        (
            &["consent", "rule", "x", "tracking"],
            "unknown consent category",
        ),
        (
            &[
                "consent",
                "rule",
                "x",
                "marketing",
                "--exemption",
                "why-not",
            ],
            "unknown exemption",
        ),
    ] {
        let r = run_in(dir.path(), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
    }
    // A rule the classifier refuses is a failure, not a usage error.
    let r = run_in(
        dir.path(),
        &[
            "consent",
            "rule",
            "_ga",
            "marketing",
            "--exemption",
            "audience-measurement",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stderr.contains("rule refused"), "{}", r.stderr);
}

#[test]
fn rules_and_policy_files_reclassify_the_stored_cookies() {
    let dir = tempfile::tempdir().unwrap();
    jar_with_categories(dir.path());
    let out = ok(
        dir.path(),
        &[
            "consent",
            "rule",
            "myst*",
            "preferences",
            "--domain",
            "example.com",
            "--purpose",
            "a test",
        ],
    );
    assert!(
        out.contains("added rule 1: myst* on example.com -> preferences, for a test"),
        "{out}"
    );
    assert!(
        out.contains(
            "mystery (www.example.com/): unclassified (default) -> preferences (operator)"
        ),
        "{out}"
    );
    assert!(out.contains("no stored cookie was purged"), "{out}");

    std::fs::write(
        dir.path().join("policy.csv"),
        include_str!("data/consent/seed-policy.csv"),
    )
    .unwrap();
    let out = ok(dir.path(), &["consent", "load-policy", "policy.csv"]);
    assert!(out.contains("loaded 4 rules from policy.csv"), "{out}");
    assert!(
        out.contains("sessionid (www.example.com/): necessary (overlay) -> necessary (operator)"),
        "{out}"
    );
    std::fs::write(
        dir.path().join("policy.json"),
        include_str!("data/consent/seed-policy.json"),
    )
    .unwrap();
    assert!(ok(dir.path(), &["consent", "load-policy", "policy.json"]).contains("loaded 4 rules"));

    std::fs::write(dir.path().join("bad.csv"), "cookie,category\nx,tasty\n").unwrap();
    let r = run_in(dir.path(), &["consent", "load-policy", "bad.csv"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("policy file"), "{}", r.stderr);
}

#[test]
fn consent_changes_survive_into_the_next_invocation() {
    let dir = tempfile::tempdir().unwrap();
    jar_with_categories(dir.path());
    ok(dir.path(), &["consent", "grant", "statistics"]);
    ok(
        dir.path(),
        &["consent", "deny", "marketing", "--site", "news.example.org"],
    );
    ok(dir.path(), &["consent", "--gpc", "on", "--profile", "cnil"]);
    ok(dir.path(), &["consent", "rule", "mystery", "preferences"]);

    let out = ok(dir.path(), &["consent", "show"]);
    assert!(out.contains("consent: enforced"), "{out}");
    assert!(out.contains("profile: cnil"), "{out}");
    assert!(out.contains("Global Privacy Control: on since "), "{out}");
    let row = |site: &str| -> Vec<String> {
        out.lines()
            .find(|l| l.starts_with(site))
            .unwrap_or_else(|| panic!("{site}: {out}"))
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(row("jar-wide default")[2..5], ["unset", "granted", "unset"]);
    // A site's first decision starts from what applied there until then (the default, with
    // statistics granted), so only marketing differs from the default.
    assert_eq!(row("example.org")[1..4], ["unset", "granted", "denied"]);

    // Decisions made in one run refuse cookies in the next.
    let r = run_in(
        dir.path(),
        &[
            "set",
            "https://www.example.com/",
            "_fbp=fb.1.2; Path=/; Max-Age=60",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    // No rule classifies _fbp on example.com, so it needs the consent unclassified ones need.
    assert!(
        r.stdout
            .contains("unclassified cookies need consent that was not given"),
        "{}",
        r.stdout
    );
    // And rules classify in the next run.
    let list = ok(dir.path(), &["list"]);
    assert!(!list.contains(" mystery "), "{list}");
    ok(
        dir.path(),
        &["consent", "grant", "preferences", "--site", "example.com"],
    );
    ok(
        dir.path(),
        &["set", "https://www.example.com/", "mystery=2; Path=/"],
    );
    let list = ok(dir.path(), &["list"]);
    let mystery = list.lines().find(|l| l.contains(" mystery ")).unwrap();
    assert!(
        mystery.contains("preferences") && mystery.contains("operator"),
        "{mystery}"
    );
}

#[test]
fn get_says_which_cookie_consent_withholds_under_a_top_level_site() {
    let dir = tempfile::tempdir().unwrap();
    jar_with_categories(dir.path());
    // Marketing on the ad network's own site only; every other site stays unset.
    let out = ok(
        dir.path(),
        &["consent", "grant", "marketing", "--site", "doubleclick.net"],
    );
    assert!(!out.contains("IDE"), "{out}");

    let out = ok(dir.path(), &["get", "https://ad.doubleclick.net/"]);
    assert!(out.starts_with("Cookie: IDE=x\n"), "{out}");
    let out = ok(
        dir.path(),
        &[
            "get",
            "https://ad.doubleclick.net/px",
            "--from",
            "https://news.example.org/",
        ],
    );
    assert!(out.starts_with("(no Cookie header"), "{out}");
    assert!(
        out.contains(
            "IDE (.doubleclick.net/): it is marketing (classified by open-cookie-database), which \
             the consent of the top-level site example.org does not allow third-party"
        ),
        "{out}"
    );
}
