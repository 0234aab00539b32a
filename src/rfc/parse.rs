//! The `Set-Cookie` header: RFC 6265bis §5.6 ("The Set-Cookie Header Field").
//!
//! [`parse_set_cookie`] turns one header value into a [`SetCookie`]: a name, a value and the
//! attributes the storage model (§5.7) needs, each already reduced as §5.6.1–§5.6.7 say (the
//! last valid `Expires`, `Max-Age`, `Domain` and `Path` win; unknown attributes are dropped). It
//! borrows from the input and allocates nothing.

use std::fmt;

use super::date::parse_cookie_date;

/// RFC 6265bis §5.6 step 5: the name and value together may hold at most this many octets.
pub const MAX_NAME_VALUE_BYTES: usize = 4096;
/// RFC 6265bis §5.6 (cookie-av step 6): a longer attribute value is ignored.
pub const MAX_ATTRIBUTE_VALUE_BYTES: usize = 1024;

/// The `SameSite` attribute (RFC 6265bis §5.6.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SameSite {
    /// `SameSite=Strict`: only same-site requests.
    Strict,
    /// `SameSite=Lax`: same-site requests and cross-site top-level navigations with a safe method.
    Lax,
    /// `SameSite=None`: every request (requires `Secure`).
    None,
    /// No attribute, or an unrecognised value: the "Default" enforcement mode.
    Default,
}

/// The `Priority` attribute (a Chromium extension that orders eviction).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Priority {
    /// Evicted first.
    Low,
    /// The default.
    #[default]
    Medium,
    /// Evicted last.
    High,
}

/// A parsed `Set-Cookie` header value, borrowing from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetCookie<'a> {
    /// The cookie name (may be empty: RFC 6265bis keeps nameless cookies).
    pub name: &'a str,
    /// The cookie value.
    pub value: &'a str,
    /// The last valid `Expires` attribute, as Unix seconds (§5.6.1).
    pub expires: Option<i64>,
    /// The last valid `Max-Age` attribute, in seconds, saturated to the `i64` range (§5.6.2).
    pub max_age: Option<i64>,
    /// The last `Domain` attribute with a non-empty value, without its leading "." and not yet
    /// canonicalised (§5.6.3); `Domain=.` gives `Some("")`, which makes the cookie host-only.
    pub domain: Option<&'a str>,
    /// The last `Path` attribute (§5.6.4): `Some("")` when that attribute was empty or did not
    /// start with "/", which means "the default-path" but still counts as a `Path` attribute.
    pub path: Option<&'a str>,
    /// `Secure` was present (§5.6.5).
    pub secure: bool,
    /// `HttpOnly` was present (§5.6.6).
    pub http_only: bool,
    /// The last `SameSite` attribute (§5.6.7); [`SameSite::Default`] when absent.
    pub same_site: SameSite,
    /// `Partitioned` was present (CHIPS).
    pub partitioned: bool,
    /// The last recognised `Priority` attribute.
    pub priority: Priority,
}

/// Why a `Set-Cookie` header value was ignored entirely by the parser.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ParseError {
    /// §5.6 step 1: a control character other than horizontal tab.
    ControlCharacter,
    /// §5.6 step 5: name and value together exceed [`MAX_NAME_VALUE_BYTES`].
    NameValueTooLong,
    /// §5.7 step 2: both the name and the value are empty.
    EmptyNameAndValue,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParseError::ControlCharacter => "the header contains a control character",
            ParseError::NameValueTooLong => "the name and value together exceed 4096 bytes",
            ParseError::EmptyNameAndValue => "the cookie has neither a name nor a value",
        })
    }
}

impl std::error::Error for ParseError {}

/// RFC 6265bis §5.6 step 1: %x00-08 / %x0A-1F / %x7F.
#[inline]
fn is_forbidden_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

/// Whether `s` holds a character RFC 6265bis §5.6 step 1 refuses (a control character other
/// than tab): the rule every stored cookie's strings keep, whatever their source.
pub fn has_forbidden_control(s: &str) -> bool {
    // Whole chunks are folded without an early exit so that the compiler can test 16 bytes
    // at a time; every header and every record read back from a file goes through here.
    let bytes = s.as_bytes();
    let mut chunks = bytes.chunks_exact(16);
    for chunk in &mut chunks {
        if chunk
            .iter()
            .fold(false, |bad, &b| bad | is_forbidden_control(b))
        {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| is_forbidden_control(b))
}

/// RFC 6265bis §5.6: whitespace trimmed around names and values is SP and HTAB only.
#[inline]
fn trim_wsp(s: &str) -> &str {
    let b = s.as_bytes();
    let start = b
        .iter()
        .position(|&c| c != b' ' && c != b'\t')
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|&c| c != b' ' && c != b'\t')
        .map_or(start, |i| i + 1);
    // SP and HTAB are ASCII, so both ends are character boundaries.
    &s[start..end.max(start)]
}

/// The index of the first `needle` byte in `s`. ASCII needles only, so the index is a
/// character boundary. Eight bytes at a time (a header's ";"s are tens of bytes apart), with
/// none of the set-up cost of `str::find` or a SIMD search on such short strings.
#[inline]
fn find_byte(s: &str, needle: u8) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let bytes = s.as_bytes();
    let (words, tail) = bytes.as_chunks::<8>();
    let pattern = ONES * u64::from(needle);
    for (i, word) in words.iter().enumerate() {
        // A zero byte in `x` is a match; the lowest flagged byte is the first one (a borrow
        // can only flag bytes above a real zero), so little-endian order gives its index.
        let x = u64::from_le_bytes(*word) ^ pattern;
        let found = x.wrapping_sub(ONES) & !x & HIGHS;
        if found != 0 {
            return Some(i * 8 + (found.trailing_zeros() / 8) as usize);
        }
    }
    tail.iter()
        .position(|&b| b == needle)
        .map(|at| words.len() * 8 + at)
}

/// Parses one `Set-Cookie` header value (RFC 6265bis §5.6).
pub fn parse_set_cookie(header: &str) -> Result<SetCookie<'_>, ParseError> {
    // Step 1: a control character other than tab makes the whole line invalid.
    if has_forbidden_control(header) {
        return Err(ParseError::ControlCharacter);
    }
    // Step 2: the name-value-pair runs up to the first ";".
    let (pair, mut attrs) = match find_byte(header, b';') {
        Some(i) => (&header[..i], &header[i..]),
        None => (header, ""),
    };
    // Step 3: without "=", the whole pair is the value and the name is empty.
    let (name, value) = match find_byte(pair, b'=') {
        Some(i) => (&pair[..i], &pair[i + 1..]),
        None => ("", pair),
    };
    // Step 4: trim SP and HTAB.
    let (name, value) = (trim_wsp(name), trim_wsp(value));
    // Step 5: size limit on name + value.
    if name.len() + value.len() > MAX_NAME_VALUE_BYTES {
        return Err(ParseError::NameValueTooLong);
    }
    // §5.7 step 2, checked here because it only depends on the header.
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
    // The unparsed-attributes loop: each ";"-separated cookie-av in turn.
    while let Some(rest) = attrs.strip_prefix(';') {
        let (av, next) = match find_byte(rest, b';') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        attrs = next;
        let (attr_name, attr_value) = match find_byte(av, b'=') {
            Some(i) => (trim_wsp(&av[..i]), trim_wsp(&av[i + 1..])),
            None => (trim_wsp(av), ""),
        };
        if attr_value.len() > MAX_ATTRIBUTE_VALUE_BYTES {
            continue;
        }
        apply_attribute(&mut cookie, attr_name, attr_value);
    }
    Ok(cookie)
}

/// RFC 6265bis §5.6.1–§5.6.7: the effect of one cookie-av.
fn apply_attribute<'a>(cookie: &mut SetCookie<'a>, name: &str, value: &'a str) {
    // Attribute names are compared case-insensitively; `eq_ignore_ascii_case` rejects a
    // length mismatch before reading a byte, so the chain below is cheap.
    let is = |expected: &str| name.eq_ignore_ascii_case(expected);
    if is("expires") {
        // §5.6.1: an unparsable date leaves the cookie-av ignored.
        if let Some(t) = parse_cookie_date(value) {
            cookie.expires = Some(t);
        }
    } else if is("max-age") {
        if let Some(delta) = parse_max_age(value) {
            cookie.max_age = Some(delta);
        }
    } else if is("domain") {
        // §5.6.3: an empty value is ignored; a leading "." is dropped.
        if !value.is_empty() {
            cookie.domain = Some(value.strip_prefix('.').unwrap_or(value));
        }
    } else if is("path") {
        // §5.6.4: a value that is empty or does not start with "/" means the default-path.
        cookie.path = Some(if value.starts_with('/') { value } else { "" });
    } else if is("secure") {
        cookie.secure = true;
    } else if is("httponly") {
        cookie.http_only = true;
    } else if is("samesite") {
        // §5.6.7: an unknown value gives the "Default" enforcement, overriding earlier ones.
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

/// RFC 6265bis §5.6.2: `Max-Age` is an optional "-" and digits, nothing else. Values beyond the
/// `i64` range saturate (the storage model caps them at 400 days anyway).
fn parse_max_age(value: &str) -> Option<i64> {
    let (negative, digits) = match value.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut n: i64 = 0;
    for b in digits.bytes() {
        n = n.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    Some(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> SetCookie<'_> {
        parse_set_cookie(s).unwrap()
    }

    #[test]
    fn find_byte_finds_the_first_occurrence_at_every_position() {
        // Bytes around the needle that a word-at-a-time search could confuse with it: the
        // needle plus or minus one, zero after xor, non-ASCII (high bit set).
        for len in 0..40 {
            for at in 0..=len {
                for filler in ["a", ":", "<", "é"] {
                    let mut s = filler.repeat(len);
                    if at < s.len() && s.is_char_boundary(at) {
                        s.insert(at, ';');
                        s.insert(at.min(s.len() - 1) + 1, ';');
                    }
                    let want = s.as_bytes().iter().position(|&b| b == b';');
                    assert_eq!(find_byte(&s, b';'), want, "{s:?}");
                }
            }
        }
    }

    #[test]
    fn name_and_value_are_split_at_the_first_equals_and_trimmed() {
        let c = parse("  foo = bar=baz ; Path=/");
        assert_eq!((c.name, c.value), ("foo", "bar=baz"));
    }

    #[test]
    fn a_pair_without_equals_is_a_nameless_cookie() {
        let c = parse("justvalue; Secure");
        assert_eq!((c.name, c.value), ("", "justvalue"));
        assert!(c.secure);
        let c = parse("=onlyvalue");
        assert_eq!((c.name, c.value), ("", "onlyvalue"));
    }

    #[test]
    fn empty_name_and_value_is_refused() {
        assert_eq!(parse_set_cookie("="), Err(ParseError::EmptyNameAndValue));
        assert_eq!(
            parse_set_cookie(" ; Path=/"),
            Err(ParseError::EmptyNameAndValue)
        );
    }

    #[test]
    fn control_characters_other_than_tab_refuse_the_line() {
        assert_eq!(
            parse_set_cookie("a=b\u{0}c"),
            Err(ParseError::ControlCharacter)
        );
        assert_eq!(
            parse_set_cookie("a=b\rc"),
            Err(ParseError::ControlCharacter)
        );
        assert_eq!(
            parse_set_cookie("a=b; Path=/\n"),
            Err(ParseError::ControlCharacter)
        );
        assert_eq!(
            parse_set_cookie("a=b\u{7f}"),
            Err(ParseError::ControlCharacter)
        );
        assert_eq!(parse("a=b\tc").value, "b\tc");
    }

    #[test]
    fn name_plus_value_is_limited_to_4096_bytes() {
        let ok = format!("{}={}", "n".repeat(96), "v".repeat(4000));
        assert!(parse_set_cookie(&ok).is_ok());
        let long = format!("{}={}", "n".repeat(97), "v".repeat(4000));
        assert_eq!(parse_set_cookie(&long), Err(ParseError::NameValueTooLong));
    }

    #[test]
    fn attribute_values_over_1024_bytes_are_ignored() {
        let path = format!("/{}", "p".repeat(1023));
        let header = format!("a=b; Path={path}");
        assert_eq!(parse(&header).path, Some(path.as_str()));
        let header = format!("a=b; Path=/ok; Path=/{}", "p".repeat(1024));
        assert_eq!(parse(&header).path, Some("/ok"));
    }

    #[test]
    fn the_last_domain_and_path_win() {
        let c = parse("a=b; Domain=one.example; Path=/one; domain=.Two.example; PATH=/two");
        assert_eq!(c.domain, Some("Two.example"));
        assert_eq!(c.path, Some("/two"));
    }

    #[test]
    fn an_empty_domain_is_ignored_and_a_bad_path_means_default() {
        let c = parse("a=b; Domain=example.com; Domain=");
        assert_eq!(c.domain, Some("example.com"));
        let c = parse("a=b; Path=/x; Path=relative");
        assert_eq!(c.path, Some(""));
    }

    #[test]
    fn max_age_accepts_only_an_optional_minus_and_digits() {
        assert_eq!(parse("a=b; Max-Age=60").max_age, Some(60));
        assert_eq!(parse("a=b; Max-Age=-1").max_age, Some(-1));
        assert_eq!(parse("a=b; Max-Age=+1").max_age, None);
        assert_eq!(parse("a=b; Max-Age=1.5").max_age, None);
        assert_eq!(parse("a=b; Max-Age=").max_age, None);
        assert_eq!(parse("a=b; Max-Age=-").max_age, None);
        assert_eq!(parse("a=b; Max-Age=60; Max-Age=x").max_age, Some(60));
        assert_eq!(
            parse("a=b; Max-Age=99999999999999999999999").max_age,
            Some(i64::MAX)
        );
    }

    #[test]
    fn expires_uses_the_cookie_date_algorithm() {
        let c = parse("a=b; Expires=Wed, 09 Jun 2021 10:18:14 GMT");
        assert_eq!(c.expires, Some(1_623_233_894));
        assert_eq!(parse("a=b; Expires=not a date").expires, None);
    }

    #[test]
    fn flags_and_enumerations_are_case_insensitive() {
        let c = parse("a=b; SECURE; httponly; SameSite=lAx; PARTITIONED; priority=HIGH");
        assert!(c.secure && c.http_only && c.partitioned);
        assert_eq!(c.same_site, SameSite::Lax);
        assert_eq!(c.priority, Priority::High);
        assert_eq!(
            parse("a=b; SameSite=Strict; SameSite=bogus").same_site,
            SameSite::Default
        );
        assert_eq!(parse("a=b; SameSite=None").same_site, SameSite::None);
    }

    #[test]
    fn unknown_attributes_are_ignored() {
        let c = parse("a=b; Comment=hello; Version=1; Foo");
        assert_eq!(c, parse("a=b"));
    }
}
