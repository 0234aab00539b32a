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
    // Every header and every record read back from a file goes through here, and almost none
    // holds a tab or a control character, so there is no early exit.
    match or_over_words(bytes, may_hold_control) {
        Some(suspect) => suspect != 0 && bytes.iter().any(|&b| is_forbidden_control(b)),
        // A string shorter than a word: byte by byte.
        None => bytes.iter().any(|&b| is_forbidden_control(b)),
    }
}

/// `test` applied to every word of `bytes` (little-endian), the results or-ed; `None` when
/// `bytes` is shorter than a word. Thirty-two bytes at a time, as four words (which the
/// compiler can test in vector registers); the last thirty-two, overlapping, cover the tail,
/// and shorter strings are covered by two overlapping halves. A byte may be tested twice,
/// which an or does not mind.
#[inline(always)]
fn or_over_words(bytes: &[u8], test: impl Fn(u64) -> u64 + Copy) -> Option<u64> {
    // Over a block of whole words (8, 16 or 32 bytes: a constant length, so the fold unrolls).
    #[inline(always)]
    fn block<const N: usize>(block: &[u8; N], test: impl Fn(u64) -> u64) -> u64 {
        let (words, _) = block.as_chunks::<8>();
        words
            .iter()
            .fold(0, |acc, word| acc | test(u64::from_le_bytes(*word)))
    }
    if let Some(last) = bytes.last_chunk::<32>() {
        let (quads, _) = bytes.as_chunks::<32>();
        Some(
            quads
                .iter()
                .fold(block(last, test), |acc, quad| acc | block(quad, test)),
        )
    } else if let (Some(first), Some(last)) = (bytes.first_chunk::<16>(), bytes.last_chunk::<16>())
    {
        Some(block(first, test) | block(last, test))
    } else if let (Some(first), Some(last)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
        Some(block(first, test) | block(last, test))
    } else {
        None
    }
}

/// RFC 6265bis §5.6: whitespace trimmed around names and values is SP and HTAB only.
#[inline(always)]
fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// The bounds of `bytes[start..end]` without leading and trailing SP and HTAB.
///
/// Names and values seldom have whitespace around them: both ends are tested first, and the
/// loops only run when one of them is whitespace.
#[inline(always)]
fn trim_span(bytes: &[u8], start: usize, end: usize) -> (usize, usize) {
    let span = &bytes[start..end];
    match span {
        [] => (start, end),
        [first, .., last] | [first @ last] if !is_wsp(*first) && !is_wsp(*last) => (start, end),
        _ => trim_span_loop(span, start),
    }
}

/// [`trim_span`] when an end of `span` (which starts at `start`) is whitespace: rare, so kept
/// out of the parser's loop.
#[inline(never)]
fn trim_span_loop(span: &[u8], start: usize) -> (usize, usize) {
    let mut lead = 0;
    while lead < span.len() && is_wsp(span[lead]) {
        lead += 1;
    }
    let mut keep = span.len();
    while keep > lead && is_wsp(span[keep - 1]) {
        keep -= 1;
    }
    (start + lead, start + keep)
}

/// An ASCII word of at most eight bytes as one number, letters lowercased: what
/// [`lowercase`] gives for the same word in any case. Evaluated at compile time for the
/// attribute names and values the parser knows.
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

/// The first `len` (at most eight) bytes of `word` or-ed with 0x20, the others zero.
///
/// For a `len`-byte word of letters and "-", `lowercase(word, len) == key(known)` exactly when
/// the bytes are `known` in any case: the only bytes that or with 0x20 into a lowercase letter
/// are that letter in either case, and into "-" are "-" and CR, which step 1 has refused.
/// Comparing a whole word at once replaces a byte-by-byte `eq_ignore_ascii_case`; `len` is a
/// constant wherever this is called, so the mask is too.
#[inline(always)]
fn lowercase(word: u64, len: usize) -> u64 {
    let keep = if len >= 8 {
        u64::MAX
    } else {
        (1 << (8 * len)) - 1
    };
    (word | CASE) & keep
}

/// The eight bytes of `bytes` from `at` as one little-endian number, zero past the end (`at`
/// may be at or past the end: the word is then zero).
#[inline(always)]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        Some(word) => u64::from_le_bytes(*word),
        None => word_near_end(bytes, at),
    }
}

/// [`word_at`] less than eight bytes before the end: the last word of the header with the
/// bytes before `at` shifted out (every header's last cookie-av ends there).
#[inline(always)]
fn word_near_end(bytes: &[u8], at: usize) -> u64 {
    let len = bytes.len();
    let Some(last) = bytes.last_chunk::<8>() else {
        return word_of_short(bytes, at);
    };
    // Two shifts of up to 32 bits each: all eight bytes (`at` at or past the end) give zero
    // rather than an overflowing shift.
    let half = 4 * ((at + 8).saturating_sub(len)).min(8) as u32;
    (u64::from_le_bytes(*last) >> half) >> half
}

/// [`word_at`] in a header shorter than a word: gathered byte by byte.
#[cold]
fn word_of_short(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..)
        .unwrap_or_default()
        .iter()
        .rev()
        .fold(0, |acc, &b| (acc << 8) | u64::from(b))
}

/// The `len` (one to eight) bytes of `bytes` that end at `end`, as the low bytes of a word;
/// zero if fewer than eight bytes come before `end`.
#[inline(always)]
fn word_ending_at(bytes: &[u8], end: usize, len: usize) -> u64 {
    bytes[..end]
        .last_chunk::<8>()
        .map_or(0, |word| u64::from_le_bytes(*word) >> (8 * (8 - len)))
}

/// The first `byte` of `bytes` at or after `from`, or the length of `bytes` (also when `from`
/// is past it).
#[inline(always)]
fn find_byte(bytes: &[u8], from: usize, byte: u8) -> usize {
    // Sixteen bytes at a time where the CPU compares them at once (values such as tokens and
    // dates run to dozens of bytes); the last few, and other CPUs, a word at a time.
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    let from = {
        let mut at = from;
        while let Some(block) = bytes.get(at..).and_then(<[u8]>::first_chunk::<16>) {
            let found = equal_bytes_16(block, byte);
            if found != 0 {
                return at + found.trailing_zeros() as usize;
            }
            at += 16;
        }
        at
    };
    find_marked(bytes, from, |word| bytes_equal(word, byte))
}

/// One bit per byte of `block` that equals `byte`, lowest bit first.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn equal_bytes_16(block: &[u8; 16], byte: u8) -> u32 {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    // SAFETY: the cfg above admits only targets with SSE2, so these instructions exist on the
    // CPU; the load reads the sixteen bytes `block` refers to, and `loadu` has no alignment
    // requirement.
    let mask = unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(byte as i8)))
    };
    // movemask sets only the low sixteen bits.
    mask as u32
}

/// The first byte at or after `from` that `marks` flags (it returns the high bit of each
/// flagged byte of a word), or the length of `bytes` (also when `from` is past it).
#[inline(always)]
fn find_marked(bytes: &[u8], from: usize, marks: impl Fn(u64) -> u64) -> usize {
    let mut at = from;
    while let Some(word) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let found = marks(u64::from_le_bytes(*word));
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    if at >= bytes.len() {
        return bytes.len();
    }
    // The last few bytes, as one word; zero past the end is no mark.
    let found = marks(word_near_end(bytes, at));
    if found != 0 {
        at + (found.trailing_zeros() / 8) as usize
    } else {
        bytes.len()
    }
}

/// One `Set-Cookie` header value on its way to [`parse_line`]: text from anywhere, or the
/// bytes of an HTTP header that [`Line::from_header_bytes`] has already checked.
///
/// A header arrives as bytes, and before parsing it must be proved UTF-8 (the jar keeps text)
/// and free of control characters (§5.6 step 1): two passes over the same bytes. Nearly every
/// real header is printable ASCII, which one pass can establish, and that proves both; the
/// parse then skips its own step 1.
#[derive(Clone, Copy, Debug)]
pub struct Line<'a> {
    text: &'a str,
    /// Whether `text` is already known to hold no forbidden control character.
    checked: bool,
}

impl<'a> Line<'a> {
    /// A header value given as text: [`parse_line`] does every step.
    pub fn new(text: &'a str) -> Line<'a> {
        Line {
            text,
            checked: false,
        }
    }

    /// A header value given as bytes, or `None` when they are not UTF-8. Printable ASCII
    /// (every byte from 0x20 to 0x7e) is recognised in one pass that also settles step 1;
    /// anything else (a tab, a control character, UTF-8 beyond ASCII) is decoded the general
    /// way, and the parse then checks it in full.
    pub fn from_header_bytes(bytes: &'a [u8]) -> Option<Line<'a>> {
        if is_printable_ascii(bytes) {
            // SAFETY: every byte is below 0x80 (`is_printable_ascii` tests each byte's high
            // bit: the words it reads cover every byte, and a line under eight bytes is tested
            // byte by byte), and a string of ASCII bytes is valid UTF-8.
            let text = unsafe { std::str::from_utf8_unchecked(bytes) };
            return Some(Line {
                text,
                checked: true,
            });
        }
        std::str::from_utf8(bytes).ok().map(Line::new)
    }

    /// The header value.
    pub fn as_str(&self) -> &'a str {
        self.text
    }
}

/// Whether every byte of `bytes` lies in 0x20..=0x7e: ASCII, and no control character (not
/// even a tab). Every word as [`has_forbidden_control`] reads them, with the high bit of each
/// byte tested as well, since `may_hold_control` ignores bytes that have it: zero over every
/// word is a sure "yes". A false alarm (a borrow out of a tab) only sends a line the general
/// way.
fn is_printable_ascii(bytes: &[u8]) -> bool {
    match or_over_words(bytes, |x| may_hold_control(x) | (x & HIGHS)) {
        Some(suspect) => suspect == 0,
        None => bytes.iter().all(|&b| (0x20..0x7f).contains(&b)),
    }
}

/// Parses one `Set-Cookie` header value (RFC 6265bis §5.6).
///
/// After step 1, each piece (the name-value-pair, then each cookie-av) is read a word at a
/// time from where the last one ended: one word usually holds a cookie-av's name and its "=",
/// and for a flag or a short value its ";" too, so that a piece costs a load or two and a
/// dispatch on its name's length.
///
/// Inlined into the jar's store path: the parsed cookie is then built in place rather than
/// returned through a copy of its dozen fields.
#[inline]
pub fn parse_set_cookie(header: &str) -> Result<SetCookie<'_>, ParseError> {
    parse_line(Line::new(header))
}

/// [`parse_set_cookie`] for a [`Line`], which may have had step 1 done already.
#[inline]
pub fn parse_line(line: Line<'_>) -> Result<SetCookie<'_>, ParseError> {
    let header = line.text;
    // Step 1: a control character other than tab makes the whole line invalid. Checked over
    // the whole line first, so that it wins over every other reason to refuse it.
    if !line.checked && has_forbidden_control(header) {
        return Err(ParseError::ControlCharacter);
    }
    let bytes = header.as_bytes();
    let len = bytes.len();
    // Step 2: the name-value-pair runs up to the first ";", or is the whole header. Its name
    // is short, so the first "=" is looked for first, together with ";" in case the pair has
    // none; the ";" after it is looked for from there.
    let first = find_pair_mark(bytes);
    let (equals, pair_end) = match bytes.get(first) {
        Some(b'=') => (first, find_byte(bytes, first + 1, b';')),
        _ => (first, first),
    };
    let (name, value) = name_value(header, equals, pair_end)?;
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
    // The unparsed-attributes, steps 1–2: each cookie-av runs from just after a ";" to the
    // next ";" or the end. An empty one after a final ";" would have no effect, so the loop
    // stops at the end.
    let mut start = pair_end + 1;
    while start < len {
        start = attribute(&mut cookie, header, start) + 1;
    }
    Ok(cookie)
}

/// The first ";" or "=" of `bytes`, or its length.
#[inline(always)]
fn find_pair_mark(bytes: &[u8]) -> usize {
    // As `find_byte`: the first sixteen bytes at once (they usually hold the name's "=").
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    if let Some(block) = bytes.first_chunk::<16>() {
        let found = equal_bytes_16(block, b';') | equal_bytes_16(block, b'=');
        if found != 0 {
            return found.trailing_zeros() as usize;
        }
    }
    find_marked(bytes, 0, |word| {
        bytes_equal(word, b';') | bytes_equal(word, b'=')
    })
}

/// Steps 3–5 on the name-value-pair `header[..end]` whose first "=" is at `equals` (`end` if
/// it has none), and §5.7 step 2 (checked here because it only depends on the header).
#[inline(always)]
fn name_value(header: &str, equals: usize, end: usize) -> Result<(&str, &str), ParseError> {
    let bytes = header.as_bytes();
    // Step 3: without "=", the whole pair is the value and the name is empty. Step 4: trim SP
    // and HTAB.
    let ((name_start, name_end), (value_start, value_end)) = if equals < end {
        (
            trim_span(bytes, 0, equals),
            trim_span(bytes, equals + 1, end),
        )
    } else {
        ((0, 0), trim_span(bytes, 0, end))
    };
    let (name_len, value_len) = (name_end - name_start, value_end - value_start);
    // Step 5: size limit on name + value.
    if name_len + value_len > MAX_NAME_VALUE_BYTES {
        return Err(ParseError::NameValueTooLong);
    }
    if name_len == 0 && value_len == 0 {
        return Err(ParseError::EmptyNameAndValue);
    }
    Ok((
        &header[name_start..name_end],
        &header[value_start..value_end],
    ))
}

/// RFC 6265bis §5.6.1–§5.6.7: the effect of the cookie-av that starts at `start` (before the
/// end of the header). Returns where it ends: the next ";", or the end of the header.
#[inline(always)]
fn attribute<'a>(cookie: &mut SetCookie<'a>, header: &'a str, start: usize) -> usize {
    let bytes = header.as_bytes();
    // Step 4 for the name's start. Usually exactly one space follows the ";": the word after
    // it is read at once, and only kept if its first byte is not whitespace too.
    let (name_start, word) = match (bytes.get(start), word_at(bytes, start + 1)) {
        (Some(b' '), word) if !is_wsp(word as u8) => (start + 1, word),
        _ => {
            let mut name_start = start;
            while let Some(b' ' | b'\t') = bytes.get(name_start) {
                name_start += 1;
            }
            (name_start, word_at(bytes, name_start))
        }
    };
    // One word read at the name's start holds every attribute name this parser knows but
    // "Partitioned", usually the "=" after it, and for a flag or a short value the ";". Past
    // the end of the header the word is zero, which is neither ";" nor "=".
    let semicolons = bytes_equal(word, b';');
    // Steps 2–3: the cookie-av ends at the next ";", its name at the first "=" before that
    // (the mask keeps the bytes of the word up to its first ";", all of them if it has none).
    let equals = bytes_equal(word, b'=') & (semicolons ^ semicolons.wrapping_sub(1));
    let (equals, end) = if equals != 0 {
        let end = if semicolons != 0 {
            name_start + (semicolons.trailing_zeros() / 8) as usize
        } else {
            find_byte(bytes, name_start + 8, b';')
        };
        (name_start + (equals.trailing_zeros() / 8) as usize, end)
    } else if semicolons != 0 {
        let end = name_start + (semicolons.trailing_zeros() / 8) as usize;
        (end, end)
    } else {
        // Neither in the word: an eight-letter name ("SameSite", "HttpOnly", "Priority") is
        // usually followed by one of them.
        match bytes.get(name_start + 8) {
            Some(b'=') => (name_start + 8, find_byte(bytes, name_start + 9, b';')),
            Some(b';') => (name_start + 8, name_start + 8),
            None => (bytes.len(), bytes.len()),
            Some(_) => {
                let end = find_byte(bytes, name_start + 8, b';');
                (find_byte(&bytes[..end], name_start + 8, b'='), end)
            }
        }
    };
    // Step 4: trim the name's end and the value.
    let mut name_end = equals;
    while name_end > name_start && is_wsp(bytes[name_end - 1]) {
        name_end -= 1;
    }
    let (value_start, value_end) = if equals < end {
        trim_span(bytes, equals + 1, end)
    } else {
        (end, end)
    };
    let value_len = value_end - value_start;
    // Step 5.
    if value_len > MAX_ATTRIBUTE_VALUE_BYTES {
        return end;
    }
    let value = || &header[value_start..value_end];
    // Step 6: attribute names are compared case-insensitively, by length, then as one word.
    match name_end - name_start {
        4 if lowercase(word, 4) == PATH => {
            // §5.6.4: a value that is empty or does not start with "/" means the default-path.
            cookie.path = Some(if bytes[value_start..value_end].first() == Some(&b'/') {
                value()
            } else {
                ""
            });
        }
        6 => {
            let name = lowercase(word, 6);
            if name == DOMAIN {
                // §5.6.3: an empty value is ignored; a leading "." is dropped.
                if let Some(&first) = bytes[value_start..value_end].first() {
                    let from = value_start + usize::from(first == b'.');
                    cookie.domain = Some(&header[from..value_end]);
                }
            } else if name == SECURE {
                cookie.secure = true;
            }
        }
        7 => {
            let name = lowercase(word, 7);
            if name == EXPIRES {
                // §5.6.1: an unparsable date leaves the cookie-av ignored.
                if let Some(t) = parse_cookie_date(value()) {
                    cookie.expires = Some(t);
                }
            } else if name == MAX_AGE {
                if let Some(delta) = parse_max_age(&bytes[value_start..value_end]) {
                    cookie.max_age = Some(delta);
                }
            }
        }
        8 => {
            let name = lowercase(word, 8);
            // A SameSite or Priority value is read from the word that ends with it: at least
            // "; SameSite=" comes before it, and it is often the last cookie-av.
            let value = |len: usize| lowercase(word_ending_at(bytes, value_end, len), len);
            if name == SAMESITE {
                // §5.6.7: an unknown value gives the "Default" enforcement, overriding
                // earlier ones.
                cookie.same_site = match value_len {
                    3 if value(3) == LAX => SameSite::Lax,
                    6 if value(6) == STRICT => SameSite::Strict,
                    4 if value(4) == NONE => SameSite::None,
                    _ => SameSite::Default,
                };
            } else if name == HTTPONLY {
                cookie.http_only = true;
            } else if name == PRIORITY {
                match value_len {
                    3 if value(3) == LOW => cookie.priority = Priority::Low,
                    6 if value(6) == MEDIUM => cookie.priority = Priority::Medium,
                    4 if value(4) == HIGH => cookie.priority = Priority::High,
                    _ => {}
                }
            }
        }
        // The one name longer than a word, in two.
        11 if lowercase(word, 8) == PARTITIO
            && lowercase(word_at(bytes, name_start + 8), 3) == NED =>
        {
            cookie.partitioned = true;
        }
        _ => {}
    }
    end
}

// The attribute names and values the parser knows, as `key` makes them; "Partitioned" is
// longer than a word and compared as two.
const EXPIRES: u64 = key("expires");
const MAX_AGE: u64 = key("max-age");
const DOMAIN: u64 = key("domain");
const PATH: u64 = key("path");
const SECURE: u64 = key("secure");
const HTTPONLY: u64 = key("httponly");
const SAMESITE: u64 = key("samesite");
const PRIORITY: u64 = key("priority");
const PARTITIO: u64 = key("partitio");
const NED: u64 = key("ned");
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
    // Eighteen digits cannot overflow an `i64`, so the usual value needs no saturation.
    let (short, long) = digits.split_at(digits.len().min(18));
    let mut n: i64 = 0;
    for &b in short {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n * 10 + i64::from(digit);
    }
    for &b in long {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n.saturating_mul(10).saturating_add(i64::from(digit));
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
    fn printable_ascii_is_told_apart_from_every_other_byte_at_every_position() {
        // Every byte value at every position of lines of every length the word tests
        // treat differently (under 8, 8 to 15, 16 to 31, 32 and over).
        for len in 1..70 {
            let filler: Vec<u8> = b"sid=a1; Path=/; Max-Age=9 "
                .iter()
                .copied()
                .cycle()
                .take(len)
                .collect();
            assert!(is_printable_ascii(&filler));
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut line = filler.clone();
                    line[at] = b;
                    assert_eq!(
                        is_printable_ascii(&line),
                        (0x20..0x7f).contains(&b),
                        "{b:#04x} at {at} of {len}"
                    );
                }
            }
        }
        assert!(is_printable_ascii(b""));
    }

    /// What the jar did before [`Line::from_header_bytes`]: decode, then parse in full.
    fn parse_bytes_in_two_passes(bytes: &[u8]) -> Option<Result<SetCookie<'_>, ParseError>> {
        std::str::from_utf8(bytes).ok().map(parse_set_cookie)
    }

    #[test]
    fn a_header_read_from_bytes_parses_as_its_text_does() {
        use ParseError::{ControlCharacter, EmptyNameAndValue};
        // Each line, and whether it is UTF-8 and then which error refuses it.
        let lines: [(&[u8], Option<Option<ParseError>>); 10] = [
            (
                b"sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax",
                Some(None),
            ),
            (b"a=1", Some(None)),
            (b"tab=\tvalue\t; Path=/", Some(None)),
            (b"ctl=a\x01b; Path=/", Some(Some(ControlCharacter))),
            (b"del=\x7f", Some(Some(ControlCharacter))),
            (b"cr=1\r; Path=/", Some(Some(ControlCharacter))),
            (b"nul=1; Path=/\x00", Some(Some(ControlCharacter))),
            (
                "caf\u{e9}=cr\u{e8}me; Domain=example.com".as_bytes(),
                Some(None),
            ),
            (b"latin1=caf\xe9", None),
            (b"", Some(Some(EmptyNameAndValue))),
        ];
        for (bytes, want) in lines {
            let line = Line::from_header_bytes(bytes);
            assert_eq!(line.map(|l| parse_line(l).err()), want, "{bytes:?}");
            assert_eq!(
                line.map(parse_line),
                parse_bytes_in_two_passes(bytes),
                "{bytes:?}"
            );
            // Only printable ASCII skips the parse's own control check.
            if let Some(line) = line {
                assert_eq!(line.checked, is_printable_ascii(bytes));
                assert_eq!(line.as_str().as_bytes(), bytes);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_read_from_a_header_parse_as_their_text_does(
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    4 => 0x20u8..0x7f,
                    1 => proptest::num::u8::ANY,
                ],
                0..120,
            )
        ) {
            proptest::prop_assert_eq!(
                Line::from_header_bytes(&bytes).map(parse_line),
                parse_bytes_in_two_passes(&bytes)
            );
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
    fn attributes_are_read_wherever_they_fall_in_a_word() {
        // The pair's value shifts every cookie-av across word boundaries and up to the end of
        // the header, where words are read shifted.
        for pad in 0..24 {
            let v = "v".repeat(pad + 1);
            let h = format!("n={v}; HttpOnly");
            assert!(parse(&h).http_only, "{h}");
            let h = format!("n={v};SameSite=Lax");
            assert_eq!(parse(&h).same_site, SameSite::Lax, "{h}");
            let h = format!("n={v}; Secure;Path=/p ; priority = high;");
            let c = parse(&h);
            assert!(c.secure, "{h}");
            assert_eq!((c.path, c.priority), (Some("/p"), Priority::High), "{h}");
            let h = format!("n={v};\tDomain=.d;Partitioned; Max-Age=7");
            let c = parse(&h);
            assert_eq!((c.domain, c.max_age), (Some("d"), Some(7)), "{h}");
            assert!(c.partitioned, "{h}");
            let (h, plain) = (
                format!("n={v}; HttpOnlyX; SameSite; Pathx=/"),
                format!("n={v}"),
            );
            assert_eq!(parse(&h), parse(&plain), "{h}");
        }
    }

    #[test]
    fn unknown_attributes_are_ignored() {
        let c = parse("a=b; Comment=hello; Version=1; Foo");
        assert_eq!(c, parse("a=b"));
    }
}
