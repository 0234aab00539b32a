//! The http-state parser suite (RFC 6265's own tests) run through `Jar`.
//!
//! Each case is run the way the suite's own server ran it (see `tests/data/http-state/NOTICE.md`):
//! the `Set-Cookie` lines of `NAME-test` arrive, in order, on a response from
//! `http://home.example.org:8888/cookie-parser?NAME`; the client follows the redirect (the
//! case's `Location`, or `/cookie-parser-result?NAME`); the `Cookie` header it sends there must
//! equal the one line of `NAME-expected` (no line, or more than one, means "no Cookie header").
//!
//! RFC 6265bis changed the outcome of the cases about nameless cookies; those are listed, with
//! the section and the new expectation, in `tests/data/http-state/AMENDED.md`, and the test
//! asserts the amended outcome for them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use cookiejar::{Jar, Request, Url};

/// 2012-01-01T00:00:00Z: inside the window (2007-08-07 .. 2019-08-07) in which every absolute
/// date of the suite gives its expected answer.
const NOW: i64 = 1_325_376_000_000;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/http-state")
}

/// Python's `\s`, which the suite's server skipped after the colon.
fn is_py_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}')
}

struct Case {
    name: String,
    set_cookies: Vec<String>,
    location: Option<String>,
    expected: Option<String>,
}

fn load_case(name: &str) -> Case {
    let dir = data_dir();
    let test = fs::read_to_string(dir.join(format!("{name}-test"))).unwrap();
    let expected = fs::read_to_string(dir.join(format!("{name}-expected"))).unwrap();
    let mut set_cookies = Vec::new();
    let mut location = None;
    // The server split lines on LF only and each on `(\S+):\s*(.*)`.
    for line in test.split('\n') {
        let Some((header, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim_start_matches(is_py_space).to_owned();
        match header {
            "Set-Cookie" => set_cookies.push(value),
            "Location" => location = Some(value),
            other => panic!("{name}: unexpected header {other:?}"),
        }
    }
    // `Cookie:\s*(.*)`, every match in the file; exactly one means that value, else none.
    let captures: Vec<&str> = expected
        .split('\n')
        .filter_map(|l| {
            l.find("Cookie:")
                .map(|i| l[i + 7..].trim_start_matches(is_py_space))
        })
        .collect();
    let expected = match captures.as_slice() {
        [one] => Some((*one).to_owned()),
        _ => None,
    };
    Case {
        name: name.to_owned(),
        set_cookies,
        location,
        expected,
    }
}

fn run_case(case: &Case) -> Option<String> {
    let jar = Jar::default();
    let set_url = Url::parse(&format!(
        "http://home.example.org:8888/cookie-parser?{}",
        case.name
    ))
    .unwrap();
    for header in &case.set_cookies {
        // A refused cookie is a legitimate outcome here; the Cookie header is what is checked.
        let _ = jar.set_cookie_at(header, &Request::new(&set_url), NOW);
    }
    let location = case
        .location
        .clone()
        .unwrap_or_else(|| format!("/cookie-parser-result?{}", case.name));
    let cookie_url = set_url.join(&location).unwrap();
    jar.cookie_header_at(&Request::new(&cookie_url), NOW)
}

fn case_names() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(data_dir())
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().into_string().unwrap();
            n.strip_suffix("-test").map(str::to_owned)
        })
        .filter(|n| !n.starts_with("disabled-"))
        .collect();
    names.sort();
    names
}

/// The amended expectations: `| case | expected | section | why |` rows of AMENDED.md, the
/// expected `Cookie` value in backticks, or `none`.
fn amended() -> BTreeMap<String, Option<String>> {
    let text = fs::read_to_string(data_dir().join("AMENDED.md")).unwrap();
    let mut map = BTreeMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 5 || !cells[1].starts_with('`') {
            continue;
        }
        let name = cells[1].trim_matches('`').to_owned();
        let expected = match cells[2] {
            "none" => None,
            quoted => Some(
                quoted
                    .strip_prefix('`')
                    .and_then(|s| s.strip_suffix('`'))
                    .unwrap_or_else(|| panic!("AMENDED.md: bad expectation for {name}"))
                    .to_owned(),
            ),
        };
        assert!(cells[3].starts_with("RFC 6265bis §"), "{name}: no section");
        map.insert(name, expected);
    }
    map
}

#[test]
fn every_enabled_http_state_case_passes() {
    let names = case_names();
    assert_eq!(names.len(), 218, "the suite has 218 enabled cases");
    let amended = amended();
    let mut failures = Vec::new();
    let mut amended_seen = 0;
    for name in &names {
        let case = load_case(name);
        let got = run_case(&case);
        let want = match amended.get(name) {
            Some(new) => {
                amended_seen += 1;
                assert_ne!(
                    new, &case.expected,
                    "{name} is listed in AMENDED.md but its outcome did not change"
                );
                new.clone()
            }
            None => case.expected.clone(),
        };
        if got != want {
            failures.push(format!("{name}: got {got:?}, want {want:?}"));
        }
    }
    assert_eq!(
        amended_seen,
        amended.len(),
        "AMENDED.md names a case that does not exist"
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n")
    );
}
