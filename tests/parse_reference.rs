//! The `Set-Cookie` parser against a plain reading of RFC 6265bis §5.6.
//!
//! `cookiejar::rfc::parse::parse_set_cookie` splits a header in one word-at-a-time pass and
//! recognises attribute names as whole words. The reference below does the same steps the
//! slow, obvious way (split at ";", then at "=", compare names with `eq_ignore_ascii_case`), so
//! that any header on which the two disagree is a bug in the fast one.

use cookiejar::rfc::date::parse_cookie_date;
use cookiejar::rfc::parse::{
    parse_set_cookie, ParseError, Priority, SameSite, SetCookie, MAX_ATTRIBUTE_VALUE_BYTES,
    MAX_NAME_VALUE_BYTES,
};
use proptest::prelude::*;

fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

fn reference(header: &str) -> Result<SetCookie<'_>, ParseError> {
    // Step 1.
    if header
        .bytes()
        .any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
    {
        return Err(ParseError::ControlCharacter);
    }
    // Steps 2–5.
    let (pair, attributes) = header.split_once(';').unwrap_or((header, ""));
    let (name, value) = pair.split_once('=').unwrap_or(("", pair));
    let (name, value) = (trim(name), trim(value));
    if name.len() + value.len() > MAX_NAME_VALUE_BYTES {
        return Err(ParseError::NameValueTooLong);
    }
    if name.is_empty() && value.is_empty() {
        return Err(ParseError::EmptyNameAndValue);
    }
    let mut cookie = SetCookie {
        name,
        value,
        expires: None,
        max_age: None,
        domain: None,
        path: None,
        secure: false,
        http_only: false,
        same_site: SameSite::Default,
        partitioned: false,
        priority: Priority::Medium,
    };
    if !header.contains(';') {
        return Ok(cookie);
    }
    // The cookie-av loop.
    for av in attributes.split(';') {
        let (attribute, value) = av.split_once('=').unwrap_or((av, ""));
        let (attribute, value) = (trim(attribute), trim(value));
        if value.len() > MAX_ATTRIBUTE_VALUE_BYTES {
            continue;
        }
        let is = |known: &str| attribute.eq_ignore_ascii_case(known);
        if is("expires") {
            if let Some(t) = parse_cookie_date(value) {
                cookie.expires = Some(t);
            }
        } else if is("max-age") {
            let digits = value.strip_prefix('-').unwrap_or(value);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                let n = digits.bytes().fold(0i64, |n, b| {
                    n.saturating_mul(10).saturating_add(i64::from(b - b'0'))
                });
                cookie.max_age = Some(if value.starts_with('-') { -n } else { n });
            }
        } else if is("domain") {
            if !value.is_empty() {
                cookie.domain = Some(value.strip_prefix('.').unwrap_or(value));
            }
        } else if is("path") {
            cookie.path = Some(if value.starts_with('/') { value } else { "" });
        } else if is("secure") {
            cookie.secure = true;
        } else if is("httponly") {
            cookie.http_only = true;
        } else if is("samesite") {
            cookie.same_site = if value.eq_ignore_ascii_case("strict") {
                SameSite::Strict
            } else if value.eq_ignore_ascii_case("lax") {
                SameSite::Lax
            } else if value.eq_ignore_ascii_case("none") {
                SameSite::None
            } else {
                SameSite::Default
            };
        } else if is("partitioned") {
            cookie.partitioned = true;
        } else if is("priority") {
            if value.eq_ignore_ascii_case("low") {
                cookie.priority = Priority::Low;
            } else if value.eq_ignore_ascii_case("medium") {
                cookie.priority = Priority::Medium;
            } else if value.eq_ignore_ascii_case("high") {
                cookie.priority = Priority::High;
            }
        }
    }
    Ok(cookie)
}

/// Pieces a header is built from: attribute names and values in odd cases and near misses,
/// the separators, whitespace, bytes next to ";" and "=" in value, controls, non-ASCII, dates.
const PIECES: &[&str] = &[
    ";",
    ";",
    ";",
    "=",
    "=",
    " ",
    "\t",
    "a",
    "B",
    "-",
    ".",
    "/",
    "0",
    "9",
    "é",
    "\u{7f}",
    "\r",
    "\u{0}",
    "\u{1f}",
    ":",
    "<",
    ">",
    "expires",
    "EXPIRES",
    "eXpIrEs",
    "expire",
    "expiress",
    "max-age",
    "Max-Age",
    "max_age",
    "MAX\rAGE",
    "domain",
    "Domain",
    "path",
    "PATH",
    "secure",
    "Secure",
    "securf",
    "httponly",
    "HttpOnly",
    "samesite",
    "SameSite",
    "strict",
    "Lax",
    "LAX",
    "none",
    "NONE",
    "nonf",
    "partitioned",
    "Partitioned",
    "partitionee",
    "priority",
    "Priority",
    "low",
    "Medium",
    "HIGH",
    "hig",
    "-5",
    "42",
    "99999999999999999999",
    "Wed, 21 Oct 2015 07:28:00 GMT",
    "1 jan 1999 00:00:00",
    "Sun Nov  6 08:49:37 1994",
    "example.com",
    ".example.com",
];

fn header() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.concat())
}

/// A header whose one attribute value sits around the 1024-byte limit, or whose name and
/// value sit around the 4096-byte limit.
fn long_header() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["Path=/", "Domain=x", "SameSite=Lax", "Max-Age=1"][..]),
        1020usize..1030,
        4090usize..4100,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(attr, pad, pair, long_pair, pad_with_space)| {
            if long_pair {
                format!("n={}; Secure", "v".repeat(pair - 2))
            } else {
                let filler = if pad_with_space { " " } else { "x" };
                format!("n=v; {attr}{}; HttpOnly", filler.repeat(pad - attr.len()))
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn the_parser_agrees_with_the_plain_reading_of_the_rfc(header in header()) {
        prop_assert_eq!(parse_set_cookie(&header), reference(&header), "{:?}", header);
    }

    #[test]
    fn the_parser_agrees_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let header = String::from_utf8_lossy(&bytes);
        prop_assert_eq!(parse_set_cookie(&header), reference(&header), "{:?}", header);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn the_parser_agrees_at_the_size_limits(header in long_header()) {
        prop_assert_eq!(parse_set_cookie(&header), reference(&header), "{:?}", header);
    }
}

#[test]
fn the_reference_itself_reads_a_header_as_the_rfc_says() {
    // Guards against the two agreeing on a wrong answer.
    let c = reference(" sid = a b ; Path=/x; path=y; DOMAIN=.Example.com; secure; SameSite=lax; Max-Age=-3; priority=HIGH; Partitioned").unwrap();
    assert_eq!((c.name, c.value), ("sid", "a b"));
    assert_eq!(c.path, Some(""));
    assert_eq!(c.domain, Some("Example.com"));
    assert!(c.secure && c.partitioned && !c.http_only);
    assert_eq!(c.same_site, SameSite::Lax);
    assert_eq!(c.max_age, Some(-3));
    assert_eq!(c.priority, Priority::High);
    assert_eq!(reference("a\rb"), Err(ParseError::ControlCharacter));
    assert_eq!(reference(" ; x=y"), Err(ParseError::EmptyNameAndValue));
    assert_eq!(parse_set_cookie(" sid = a b ; Path=/x; path=y; DOMAIN=.Example.com; secure; SameSite=lax; Max-Age=-3; priority=HIGH; Partitioned"), Ok(c));
}

/// Headers built to land the parser's special paths on every alignment of an eight-byte word:
/// an attribute name right at the end of the header, other whitespace than one space after
/// ";", values with whitespace around them, `Max-Age` where saturation starts, and headers
/// around the block sizes of the control-character check.
#[test]
fn the_parser_agrees_on_word_boundaries_and_edges() {
    let tails = [
        ";HttpOnly",
        "; HttpOnly",
        "; SameSite",
        ";SameSite=",
        ";SameSite=Lax",
        "; HttpOnly; Secure",
        "; SameSite=x; Path=/p",
        ";\tSecure",
        ";  Secure",
        "; \tPath=/a",
        "; SameSite = Lax \t; Secure",
        "; priority= HIGH",
        "; Priority=Low ",
        "; Partitioned",
        "; Partitioned; Secure",
        "; Partitionedx",
        "; Max-Age=999999999999999999",
        "; Max-Age=9223372036854775807",
        "; Max-Age=9223372036854775808",
        "; Max-Age=-99999999999999999999",
        "; Max-Age=-0",
        "; Max-Age=12a",
        "; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
        ";",
        "; =",
        "; ;",
    ];
    let mut checked = 0;
    for pad in 0..24 {
        for tail in tails {
            for head in ["n=", "", "=", " n = "] {
                let header = format!("{head}{}{tail}", "v".repeat(pad));
                assert_eq!(parse_set_cookie(&header), reference(&header), "{header:?}");
                checked += 1;
            }
        }
    }
    // Around the control check's blocks: a control character (or tab) at each position, and
    // ";" or "=" as the last byte.
    for len in 1..=40 {
        for last in [b';', b'=', b'x'] {
            let mut base = vec![b'a'; len];
            base[len - 1] = last;
            let clean = String::from_utf8(base.clone()).unwrap();
            assert_eq!(parse_set_cookie(&clean), reference(&clean), "{clean:?}");
            for at in 0..len {
                for bad in [0x00, 0x09, 0x0d, 0x1f, 0x7f] {
                    let mut bytes = base.clone();
                    bytes[at] = bad;
                    let header = String::from_utf8(bytes).unwrap();
                    assert_eq!(parse_set_cookie(&header), reference(&header), "{header:?}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10_000);
}
