//! Runs the cookie-date cases of the IETF http-state test suite against
//! `cookiejar::rfc::date` (RFC 6265bis §5.1.1).
//!
//! The data files are in `tests/data/http-state-dates/`; see the NOTICE.md
//! there for where they come from and their terms.
//!
//! For each case: when `expected` is null, `parse_cookie_date(test)` must fail;
//! otherwise `format_http_date(parse_cookie_date(test).unwrap())` must equal
//! `expected`. Every failing case is reported, not just the first.

use std::path::PathBuf;

use cookiejar::rfc::date::{format_http_date, parse_cookie_date};
use serde_json::Value;

/// Cases whose expectation contradicts RFC 6265bis §5.1.1, as
/// `(file, test string, reason)`. They are checked to still disagree with the
/// file (so the list cannot go stale) but do not fail the run.
///
/// Every case in both files agrees with the RFC algorithm, so the list is
/// empty.
const CONTRADICTS_RFC: &[(&str, &str, &str)] = &[];

struct Case {
    name: String,
    test: String,
    expected: Option<String>,
}

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/http-state-dates")
}

/// Loads one data file. Lines whose first non-blank characters are `//` (the
/// licence header of `bsd-examples.json`) are dropped before JSON parsing.
fn load(file: &str) -> Vec<Case> {
    let path = data_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let json: String = text
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let value: Value = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()));
    let cases = value
        .as_array()
        .unwrap_or_else(|| panic!("{} is not a JSON array", path.display()));
    cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let test = case["test"]
                .as_str()
                .unwrap_or_else(|| panic!("{file}[{i}]: `test` is not a string"))
                .to_owned();
            let expected = match &case["expected"] {
                Value::Null => None,
                Value::String(s) => Some(s.clone()),
                other => panic!("{file}[{i}]: `expected` is neither null nor a string: {other}"),
            };
            Case {
                name: format!("{file}[{i}] {test:?}"),
                test,
                expected,
            }
        })
        .collect()
}

/// Runs one case; `Err` describes how it failed.
fn run(case: &Case) -> Result<(), String> {
    let parsed = parse_cookie_date(&case.test);
    match (&case.expected, parsed) {
        (None, None) => Ok(()),
        (None, Some(t)) => Err(format!(
            "expected rejection, got {t} ({})",
            format_http_date(t)
        )),
        (Some(expected), None) => Err(format!("expected {expected:?}, got rejection")),
        (Some(expected), Some(t)) => {
            let got = format_http_date(t);
            if &got == expected {
                Ok(())
            } else {
                Err(format!("expected {expected:?}, got {got:?}"))
            }
        }
    }
}

fn check_file(file: &str, expected_count: usize) {
    let cases = load(file);
    assert_eq!(
        cases.len(),
        expected_count,
        "{file}: unexpected number of cases"
    );

    let mut failures = Vec::new();
    for case in &cases {
        let listed = CONTRADICTS_RFC
            .iter()
            .find(|(f, test, _)| *f == file && *test == case.test);
        match (run(case), listed) {
            (Ok(()), None) => {}
            (Err(why), None) => failures.push(format!("  {}: {why}", case.name)),
            (Err(_), Some(_)) => {} // known to contradict the RFC; see the list
            (Ok(()), Some((_, _, reason))) => failures.push(format!(
                "  {}: listed in CONTRADICTS_RFC ({reason}) but now passes; remove it",
                case.name
            )),
        }
    }
    for (f, test, _) in CONTRADICTS_RFC.iter().filter(|(f, _, _)| *f == file) {
        if !cases.iter().any(|c| c.test == *test) {
            failures.push(format!(
                "  {f}: CONTRADICTS_RFC names {test:?}, which is not a case"
            ));
        }
    }

    assert!(
        failures.is_empty(),
        "{} of {} cases in {file} failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn http_state_examples() {
    check_file("examples.json", 15);
}

#[test]
fn http_state_bsd_examples() {
    check_file("bsd-examples.json", 55);
}

#[test]
fn data_files_are_unmodified_copies() {
    // The licence header must stay at the top of bsd-examples.json.
    let bsd = std::fs::read_to_string(data_dir().join("bsd-examples.json")).unwrap();
    assert!(bsd.starts_with("// Copyright (c) 2010 The Chromium Authors. All rights reserved."));
    assert!(data_dir().join("NOTICE.md").is_file());
}
