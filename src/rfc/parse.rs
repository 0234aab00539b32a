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

/// A one in every byte: times a byte, it repeats that byte across a word.
const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
/// The high bit of every byte, where the word-at-a-time tests leave their answers.
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
/// The low seven bits of every byte.
const LOWS: u64 = u64::from_ne_bytes([0x7f; 8]);
/// 0x20 in every byte: or-ed in, it lowercases ASCII letters.
const CASE: u64 = ONES * 0x20;

/// Nonzero when some byte of the word `x` may be a forbidden control character (§5.6 step 1).
///
/// A byte below 0x20 comes out of the subtraction, and 0x7f out of the addition, with its high
/// bit set, whatever borrow or carry the bytes below pass on; so zero is a sure "no". A tab,
/// or a borrow out of a real control byte, can raise a false alarm, which the caller settles
/// byte by byte.
#[inline]
fn may_hold_control(x: u64) -> u64 {
    (x.wrapping_sub(ONES * 0x20) | x.wrapping_add(ONES)) & !x & HIGHS
}

/// The high bit of each byte of `x` that equals `byte`. Exact: the low seven bits are added
/// apart from the high one, so nothing carries from one byte into the next.
#[inline]
fn bytes_equal(x: u64, byte: u8) -> u64 {
    let y = x ^ (ONES * u64::from(byte));
    !(((y & LOWS) + LOWS) | y) & HIGHS
}

/// Whether `s` holds a character RFC 6265bis §5.6 step 1 refuses (a control character other
/// than tab): the rule every stored cookie's strings keep, whatever their source.
pub fn has_forbidden_control(s: &str) -> bool {
    let bytes = s.as_bytes();
    // A string shorter than a word: byte by byte.
    let Some(last) = bytes.last_chunk::<8>() else {
        return bytes.iter().any(|&b| is_forbidden_control(b));
    };
    // Whole words are folded without an early exit, so the compiler can test two at a time;
    // the last, overlapping word covers the tail. Every header and every record read back
    // from a file goes through here, and almost none holds a tab or a control character.
    let (words, _) = bytes.as_chunks::<8>();
    let suspect = words
        .iter()
        .fold(may_hold_control(u64::from_le_bytes(*last)), |acc, w| {
            acc | may_hold_control(u64::from_le_bytes(*w))
        });
    suspect != 0 && bytes.iter().any(|&b| is_forbidden_control(b))
}

/// RFC 6265bis §5.6: whitespace trimmed around names and values is SP and HTAB only.
#[inline]
fn is_wsp(b: &u8) -> bool {
    *b == b' ' || *b == b'\t'
}

/// `s` without leading and trailing SP and HTAB.
#[inline]
fn trim_wsp(s: &str) -> &str {
    let (start, end) = trim_span(s.as_bytes(), 0, s.len());
    // SP and HTAB are ASCII, so both ends are character boundaries.
    &s[start..end]
}

/// The bounds of `bytes[start..end]` without leading and trailing SP and HTAB.
#[inline]
fn trim_span(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let span = &bytes[start..end];
    let lead = span.iter().take_while(|b| is_wsp(b)).count();
    let trail = span[lead..].iter().rev().take_while(|b| is_wsp(b)).count();
    (start + lead, end - trail)
}

/// An ASCII word of at most eight bytes as one number, letters lowercased: what [`word_key`]
/// gives for the same word in any case. Evaluated at compile time for the attribute names and
/// values the parser knows.
const fn key(word: &str) -> u64 {
    let bytes = word.as_bytes();
    assert!(bytes.len() <= 8);
    let mut k = 0;
    let mut i = 0;
    while i < bytes.len() {
        k |= ((bytes[i] | 0x20) as u64) << (8 * i);
        i += 1;
    }
    k
}

/// The first `len` (at most eight) bytes of `rest` as one number, or-ed with 0x20, the rest zero.
///
/// For a `len`-byte word of letters and "-", `word_key(rest, len) == key(word)` exactly when
/// the bytes are that word in any case: the only bytes that or with 0x20 into a lowercase
/// letter are that letter in either case, and into "-" are "-" and CR, which step 1 has
/// refused. Reading a whole word at once replaces a byte-by-byte `eq_ignore_ascii_case`.
#[inline]
fn word_key(rest: &[u8], len: usize) -> u64 {
    let word = match rest.first_chunk::<8>() {
        Some(w) => u64::from_le_bytes(*w),
        // Near the end of the header: gather what is left, little-endian like the above.
        None => rest
            .iter()
            .rev()
            .fold(0, |acc, &b| (acc << 8) | u64::from(b)),
    };
    let keep = if len >= 8 {
        u64::MAX
    } else {
        (1 << (8 * len)) - 1
    };
    (word | CASE) & keep
}

/// Parses one `Set-Cookie` header value (RFC 6265bis §5.6).
///
/// After step 1, one pass over the header, eight bytes at a time, finds every ";" and "="
/// (the only bytes the split into name-value-pair and cookie-avs depends on); each piece is
/// handled when the ";" that ends it is found.
pub fn parse_set_cookie(header: &str) -> Result<SetCookie<'_>, ParseError> {
    // Step 1: a control character other than tab makes the whole line invalid. Checked over
    // the whole line first, so that it wins over every other reason to refuse it.
    if has_forbidden_control(header) {
        return Err(ParseError::ControlCharacter);
    }
    let mut split = Splitter {
        header,
        start: 0,
        equals: None,
        in_pair: true,
        cookie: SetCookie {
            name: "",
            value: "",
            expires: None,
            max_age: None,
            domain: None,
            path: None,
            secure: false,
            http_only: false,
            same_site: SameSite::Default,
            partitioned: false,
            priority: Priority::Medium,
        },
    };
    let bytes = header.as_bytes();
    let (words, tail) = bytes.as_chunks::<8>();
    for (i, word) in words.iter().enumerate() {
        split.scan(u64::from_le_bytes(*word), i * 8, u64::MAX)?;
    }
    if !tail.is_empty() {
        match bytes.last_chunk::<8>() {
            // The last eight bytes, of which only the tail's are new.
            Some(last) => split.scan(
                u64::from_le_bytes(*last),
                bytes.len() - 8,
                u64::MAX << (8 * (8 - tail.len())),
            )?,
            // A header shorter than a word, zero-padded (zero is neither ";" nor "=").
            None => split.scan(
                tail.iter()
                    .rev()
                    .fold(0, |acc, &b| (acc << 8) | u64::from(b)),
                0,
                u64::MAX,
            )?,
        }
    }
    split.end_piece(bytes.len())?;
    Ok(split.cookie)
}

/// The state of the pass of [`parse_set_cookie`]: the piece being read (the name-value-pair,
/// then each cookie-av in turn) and the cookie so far.
struct Splitter<'a> {
    header: &'a str,
    /// Where the current piece starts: 0, or just after a ";".
    start: usize,
    /// The first "=" of the current piece, if one was seen.
    equals: Option<usize>,
    /// The current piece is the name-value-pair (steps 2–5), not a cookie-av.
    in_pair: bool,
    cookie: SetCookie<'a>,
}

impl Splitter<'_> {
    /// Handles the ";" and "=" among the eight bytes of `x`, which start at `base`; `keep`
    /// masks off bytes already seen.
    #[inline]
    fn scan(&mut self, x: u64, base: usize, keep: u64) -> Result<(), ParseError> {
        let semicolons = bytes_equal(x, b';');
        let mut marks = (semicolons | bytes_equal(x, b'=')) & keep;
        while marks != 0 {
            let at = base + (marks.trailing_zeros() / 8) as usize;
            let bit = marks & marks.wrapping_neg();
            marks ^= bit;
            if semicolons & bit != 0 {
                self.end_piece(at)?;
                self.start = at + 1;
                self.equals = None;
            } else if self.equals.is_none() {
                self.equals = Some(at);
            }
        }
        Ok(())
    }

    /// The current piece ends at `end` (a ";" or the end of the header).
    #[inline]
    fn end_piece(&mut self, end: usize) -> Result<(), ParseError> {
        if self.in_pair {
            self.in_pair = false;
            self.pair(end)
        } else {
            self.attribute(end);
            Ok(())
        }
    }

    /// Steps 2–5 on the name-value-pair `header[..end]`.
    fn pair(&mut self, end: usize) -> Result<(), ParseError> {
        let header = self.header;
        // Step 3: without "=", the whole pair is the value and the name is empty.
        let (name, value) = match self.equals {
            Some(i) => (&header[..i], &header[i + 1..end]),
            None => ("", &header[..end]),
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
        self.cookie.name = name;
        self.cookie.value = value;
        Ok(())
    }

    /// RFC 6265bis §5.6.1–§5.6.7: the effect of the cookie-av `header[self.start..end]`.
    fn attribute(&mut self, end: usize) {
        let header = self.header;
        let bytes = header.as_bytes();
        let (name_end, value_start) = match self.equals {
            Some(i) => (i, i + 1),
            None => (end, end),
        };
        let (name_start, name_end) = trim_span(bytes, self.start, name_end);
        let (value_start, value_end) = trim_span(bytes, value_start, end);
        if value_end - value_start > MAX_ATTRIBUTE_VALUE_BYTES {
            return;
        }
        let value_bytes = &bytes[value_start..value_end];
        let value = || &header[value_start..value_end];
        let cookie = &mut self.cookie;
        // Attribute names are compared case-insensitively: by length, then as one word.
        let name_len = name_end - name_start;
        match (name_len, word_key(&bytes[name_start..], name_len)) {
            (7, EXPIRES) => {
                // §5.6.1: an unparsable date leaves the cookie-av ignored.
                if let Some(t) = parse_cookie_date(value()) {
                    cookie.expires = Some(t);
                }
            }
            (7, MAX_AGE) => {
                if let Some(delta) = parse_max_age(value_bytes) {
                    cookie.max_age = Some(delta);
                }
            }
            (6, DOMAIN) => {
                // §5.6.3: an empty value is ignored; a leading "." is dropped.
                if let Some(&first) = value_bytes.first() {
                    let from = value_start + usize::from(first == b'.');
                    cookie.domain = Some(&header[from..value_end]);
                }
            }
            (4, PATH) => {
                // §5.6.4: a value that is empty or does not start with "/" means the
                // default-path.
                cookie.path = Some(if value_bytes.first() == Some(&b'/') {
                    value()
                } else {
                    ""
                });
            }
            (6, SECURE) => cookie.secure = true,
            (8, HTTPONLY) => cookie.http_only = true,
            (8, SAMESITE) => {
                // §5.6.7: an unknown value gives the "Default" enforcement, overriding
                // earlier ones.
                let len = value_bytes.len();
                cookie.same_site = match (len, word_key(value_bytes, len)) {
                    (6, STRICT) => SameSite::Strict,
                    (3, LAX) => SameSite::Lax,
                    (4, NONE) => SameSite::None,
                    _ => SameSite::Default,
                };
            }
            (11, _) if bytes[name_start..name_end].eq_ignore_ascii_case(b"partitioned") => {
                cookie.partitioned = true;
            }
            (8, PRIORITY) => {
                let len = value_bytes.len();
                match (len, word_key(value_bytes, len)) {
                    (3, LOW) => cookie.priority = Priority::Low,
                    (6, MEDIUM) => cookie.priority = Priority::Medium,
                    (4, HIGH) => cookie.priority = Priority::High,
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

const EXPIRES: u64 = key("expires");
const MAX_AGE: u64 = key("max-age");
const DOMAIN: u64 = key("domain");
const PATH: u64 = key("path");
const SECURE: u64 = key("secure");
const HTTPONLY: u64 = key("httponly");
const SAMESITE: u64 = key("samesite");
const PRIORITY: u64 = key("priority");
const STRICT: u64 = key("strict");
const LAX: u64 = key("lax");
const NONE: u64 = key("none");
const LOW: u64 = key("low");
const MEDIUM: u64 = key("medium");
const HIGH: u64 = key("high");

/// RFC 6265bis §5.6.2: `Max-Age` is an optional "-" and digits, nothing else. Values beyond the
/// `i64` range saturate (the storage model caps them at 400 days anyway).
fn parse_max_age(value: &[u8]) -> Option<i64> {
    let (negative, digits) = match value.split_first() {
        Some((b'-', digits)) => (true, digits),
        _ => (false, value),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
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

    /// Bytes a word-at-a-time test could confuse with the ones it looks for: those plus or
    /// minus one, zero and one (borrows), 0x7f and 0xff (carries), non-ASCII.
    const CONFUSABLE: [u8; 20] = [
        0x00, 0x01, 0x08, 0x09, 0x0a, 0x1f, 0x20, 0x21, b':', b';', b'<', b'=', b'>', 0x7e, 0x7f,
        0x80, 0xbb, 0xbd, 0xc3, 0xff,
    ];

    /// What the word tests must say about `word`, byte by byte.
    fn check_word(word: [u8; 8]) {
        let x = u64::from_le_bytes(word);
        for (needle, name) in [(b';', "semicolon"), (b'=', "equals")] {
            let want = word
                .iter()
                .enumerate()
                .filter(|&(_, &b)| b == needle)
                .fold(0, |m, (i, _)| m | 0x80 << (8 * i));
            assert_eq!(bytes_equal(x, needle), want, "{name} in {word:02x?}");
        }
        if word.iter().any(|&b| is_forbidden_control(b)) {
            assert_ne!(may_hold_control(x), 0, "{word:02x?}");
        }
    }

    #[test]
    fn word_tests_agree_with_byte_tests_for_every_pair_of_confusable_bytes() {
        for i in 0..8 {
            for j in 0..8 {
                for &a in &CONFUSABLE {
                    for &b in &CONFUSABLE {
                        let mut word = [b'a'; 8];
                        word[i] = a;
                        word[j] = b;
                        check_word(word);
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn word_tests_agree_with_byte_tests_on_any_word(
            word in proptest::array::uniform8(proptest::sample::select(&CONFUSABLE[..]))
        ) {
            check_word(word);
        }
    }

    #[test]
    fn has_forbidden_control_finds_one_at_every_position() {
        for len in 0..40 {
            for at in 0..len {
                for (bad, want) in [
                    ('\u{0}', true),
                    ('\u{7f}', true),
                    ('\r', true),
                    ('\t', false),
                ] {
                    let mut s: Vec<char> = "aé;= ".chars().cycle().take(len).collect();
                    s[at] = bad;
                    let s: String = s.into_iter().collect();
                    assert_eq!(has_forbidden_control(&s), want, "{s:?}");
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
