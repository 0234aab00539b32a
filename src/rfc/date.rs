//! Cookie dates: the parsing algorithm of RFC 6265bis §5.1.1 (unchanged from
//! RFC 6265 §5.1.1), plus the IMF-fixdate formatter and the civil-date
//! arithmetic that both need.
//!
//! Everything here is pure: no I/O, no clock, no allocation while parsing, and
//! no input can make it panic (the parser works on bytes, every number it reads
//! has at most four digits, and the date arithmetic is done in `i128` and
//! saturated back to `i64`).
//!
//! # The algorithm in brief (paraphrased from §5.1.1)
//!
//! The user agent splits the cookie-date into *date-tokens*, separated by runs
//! of *delimiter* bytes. It then looks at the tokens one at a time, in order,
//! and tries to read each as a **time**, then a **day-of-month**, then a
//! **month**, then a **year**. Each of the four is taken from the first token
//! that matches it; a token that matched one of them is not offered to the
//! later ones, and once a field has been found, tokens are no longer tested for
//! it. Two-digit years are widened (70–99 to 19xx, 0–69 to 20xx). The date is
//! rejected when a field is missing or out of range, or when the calendar date
//! does not exist. Otherwise it names an instant in UTC.
//!
//! The grammar used by the algorithm (from the RFC):
//!
//! ```text
//! cookie-date     = *delimiter date-token-list *delimiter
//! date-token-list = date-token *( 1*delimiter date-token )
//! date-token      = 1*non-delimiter
//!
//! delimiter       = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E
//! non-delimiter   = %x00-08 / %x0A-1F / DIGIT / ":" / ALPHA / %x7F-FF
//! non-digit       = %x00-2F / %x3A-FF
//!
//! day-of-month    = 1*2DIGIT [ non-digit *OCTET ]
//! month           = ( "jan" / "feb" / "mar" / "apr" /
//!                     "may" / "jun" / "jul" / "aug" /
//!                     "sep" / "oct" / "nov" / "dec" ) *OCTET
//! year            = 2*4DIGIT [ non-digit *OCTET ]
//! time            = hms-time [ non-digit *OCTET ]
//! hms-time        = time-field ":" time-field ":" time-field
//! time-field      = 1*2DIGIT
//! ```

/// Seconds in one day.
const SECONDS_PER_DAY: i64 = 86_400;

/// The three-letter month prefixes, in calendar order (index 0 is January).
const MONTHS: [&[u8; 3]; 12] = [
    b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec",
];

/// Abbreviated month names used by [`format_http_date`].
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Abbreviated weekday names used by [`format_http_date`], starting on Sunday.
const WEEKDAY_NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// `delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`.
///
/// Every other byte (letters, digits, `:`, the other control bytes and every
/// byte of a non-ASCII character) is a *non-delimiter* and so belongs to a
/// date-token.
#[inline]
const fn is_delimiter(b: u8) -> bool {
    matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E)
}

/// Reads a run of `min..=max` ASCII digits at the start of `bytes`.
///
/// The run must be followed by the end of `bytes` or by a non-digit: a longer
/// run of digits does not match, so `1*2DIGIT` rejects `"123"`. Returns the
/// value and the number of bytes consumed. At most four digits are ever read,
/// so the value cannot overflow.
fn leading_digits(bytes: &[u8], min: usize, max: usize) -> Option<(u32, usize)> {
    let len = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if len < min || len > max {
        return None;
    }
    let value = bytes[..len]
        .iter()
        .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'));
    Some((value, len))
}

/// `time = hms-time [ non-digit *OCTET ]`, where
/// `hms-time = time-field ":" time-field ":" time-field` and
/// `time-field = 1*2DIGIT`.
///
/// Returns `(hour, minute, second)`; the values are range-checked later, in
/// step 5, not here.
fn match_time(token: &[u8]) -> Option<(u32, u32, u32)> {
    let (hour, n) = leading_digits(token, 1, 2)?;
    let rest = token[n..].strip_prefix(b":")?;
    let (minute, n) = leading_digits(rest, 1, 2)?;
    let rest = rest[n..].strip_prefix(b":")?;
    // `leading_digits` already insists that the seconds are followed by the
    // end of the token or by a non-digit, which is all the optional tail asks.
    let (second, _) = leading_digits(rest, 1, 2)?;
    Some((hour, minute, second))
}

/// `day-of-month = 1*2DIGIT [ non-digit *OCTET ]`.
fn match_day_of_month(token: &[u8]) -> Option<u32> {
    leading_digits(token, 1, 2).map(|(value, _)| value)
}

/// `month = ( "jan" / ... / "dec" ) *OCTET`: the first three bytes, compared
/// ASCII case-insensitively; anything may follow. Returns the month as 1..=12.
fn match_month(token: &[u8]) -> Option<u32> {
    let &[a, b, c] = token.first_chunk::<3>()?;
    // Or-ing 0x20 into a byte gives a lowercase letter only from that letter in either case,
    // so one comparison of the three or-ed bytes is a case-insensitive match: twelve integer
    // compares instead of twelve byte-by-byte ones (most cookies carry a date).
    let key = u32::from_le_bytes([a | 0x20, b | 0x20, c | 0x20, 0]);
    MONTH_KEYS
        .iter()
        .position(|&month| month == key)
        .and_then(|index| u32::try_from(index + 1).ok())
}

/// [`MONTHS`] as the numbers [`match_month`] compares.
const MONTH_KEYS: [u32; 12] = {
    let mut keys = [0; 12];
    let mut i = 0;
    while i < 12 {
        let [a, b, c] = *MONTHS[i];
        keys[i] = u32::from_le_bytes([a, b, c, 0]);
        i += 1;
    }
    keys
};

/// `year = 2*4DIGIT [ non-digit *OCTET ]`.
fn match_year(token: &[u8]) -> Option<u32> {
    leading_digits(token, 2, 4).map(|(value, _)| value)
}

/// Whether `year` is a leap year of the proleptic Gregorian calendar.
#[inline]
const fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` (1..=12) of `year`; 0 for any other month.
const fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parses a cookie-date (RFC 6265bis §5.1.1). Returns Unix time in seconds (UTC), or None when the algorithm fails.
///
/// The steps below follow the numbered steps of §5.1.1.
///
/// Zone names and offsets (`GMT`, `-0400`, `(EST)`) are simply tokens that
/// match nothing, so they are ignored: the result is always read as UTC.
///
/// ```
/// use cookiejar::rfc::date::parse_cookie_date;
///
/// assert_eq!(parse_cookie_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
/// assert_eq!(parse_cookie_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777));
/// assert_eq!(parse_cookie_date("Sun Nov  6 08:49:37 1994"), Some(784_111_777));
/// assert_eq!(parse_cookie_date("Sun, 06 Nov 1994"), None); // no time
/// ```
pub fn parse_cookie_date(input: &str) -> Option<i64> {
    let (time, day_of_month, month, year) = match imf_fixdate_fields(input.as_bytes()) {
        Some(fields) => fields,
        None => date_tokens(input),
    };
    finish(time, day_of_month, month, year)
}

/// The fields of a date in the exact layout of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37
/// GMT`, RFC 9110 §5.6.7), the form nearly every server sends, read by position. For such an
/// input the token algorithm of steps 1–2 finds exactly these fields (the day name and "GMT"
/// match nothing), so both paths give the same answer; anything else goes the long way.
fn imf_fixdate_fields(b: &[u8]) -> Option<DateFields> {
    if b.len() != 29 || &b[3..5] != b", " || &b[25..] != b" GMT" {
        return None;
    }
    if !b[..3].iter().all(u8::is_ascii_alphabetic)
        || b[7] != b' '
        || b[11] != b' '
        || b[16] != b' '
        || b[19] != b':'
        || b[22] != b':'
    {
        return None;
    }
    let num = |at: usize, len: usize| -> Option<u32> {
        b[at..at + len].iter().try_fold(0u32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    // The day name must not itself be a month name, which the token algorithm would take.
    if match_month(&b[..3]).is_some() {
        return None;
    }
    let month = match_month(&b[8..11])?;
    Some((
        Some((num(17, 2)?, num(20, 2)?, num(23, 2)?)),
        Some(num(5, 2)?),
        Some(month),
        Some(num(12, 4)?),
    ))
}

/// What steps 1–2 collect: (hour, minute, second), day of month, month, year.
type DateFields = (
    Option<(u32, u32, u32)>,
    Option<u32>,
    Option<u32>,
    Option<u32>,
);

/// Steps 1–2: the date-tokens, and the first token matching each field.
fn date_tokens(input: &str) -> DateFields {
    let mut time: Option<(u32, u32, u32)> = None;
    let mut day_of_month: Option<u32> = None;
    let mut month: Option<u32> = None;
    let mut year: Option<u32> = None;

    // Step 1: split the cookie-date into date-tokens, the maximal runs of
    // non-delimiter bytes. Leading, trailing and repeated delimiters produce
    // no empty tokens. Working on bytes means a non-ASCII character is just
    // part of a token.
    let tokens = input
        .as_bytes()
        .split(|&b| is_delimiter(b))
        .filter(|token| !token.is_empty());

    // Step 2: look at each date-token in turn.
    for token in tokens {
        // Step 2.1: the first token that matches `time` gives the hour,
        // minute and second. Then go on to the next token.
        if time.is_none() {
            if let Some(hms) = match_time(token) {
                time = Some(hms);
                continue;
            }
        }
        // Step 2.2: otherwise, the first token that matches `day-of-month`
        // gives the day. Then go on to the next token.
        if day_of_month.is_none() {
            if let Some(day) = match_day_of_month(token) {
                day_of_month = Some(day);
                continue;
            }
        }
        // Step 2.3: otherwise, the first token that matches `month` gives the
        // month. Then go on to the next token.
        if month.is_none() {
            if let Some(m) = match_month(token) {
                month = Some(m);
                continue;
            }
        }
        // Step 2.4: otherwise, the first token that matches `year` gives the
        // year.
        if year.is_none() {
            if let Some(y) = match_year(token) {
                year = Some(y);
            }
        }
    }

    (time, day_of_month, month, year)
}

/// Steps 3–7 on the fields found.
fn finish(
    time: Option<(u32, u32, u32)>,
    day_of_month: Option<u32>,
    month: Option<u32>,
    year: Option<u32>,
) -> Option<i64> {
    // Step 5 (first part): fail unless all four fields were found.
    let (hour, minute, second) = time?;
    let day_of_month = day_of_month?;
    let month = month?;
    let mut year = i64::from(year?);

    // Step 3: a year from 70 to 99 means 1970 to 1999.
    if (70..=99).contains(&year) {
        year += 1900;
    }
    // Step 4: a year from 0 to 69 means 2000 to 2069. (The RFC notes that some
    // user agents read two-digit years differently.)
    if (0..=69).contains(&year) {
        year += 2000;
    }

    // Step 5 (rest): fail on a day-of-month outside 1..=31, a year before
    // 1601, or an hour, minute or second that is too large. A leap second
    // (second 60) cannot be represented and is rejected too.
    if !(1..=31).contains(&day_of_month) || year < 1601 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }

    // Step 6: the date is that day-of-month, month, year, hour, minute and
    // second in UTC; fail if no such date exists (30 February, 31 April,
    // 29 February of a common year, ...).
    if day_of_month > days_in_month(year, month) {
        return None;
    }

    // Step 7: return it, here as seconds since the Unix epoch. The year is at
    // most 9999, so none of this can overflow.
    let days = days_from_civil(year, month, day_of_month);
    Some(
        days * SECONDS_PER_DAY
            + i64::from(hour) * 3600
            + i64::from(minute) * 60
            + i64::from(second),
    )
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm, written independently).
///
/// The result is negative before 1970. Year 0 exists (it is 1 BC) and is a leap
/// year, as in ISO 8601.
///
/// The function is total and never panics. A `month` outside 1..=12 is carried
/// into the year (month 0 is December of the year before, month 13 is January
/// of the year after), and a `day` past the end of its month simply counts on
/// into the following days (day 0 is the last day of the month before), in the
/// manner of C's `mktime`. A result that would not fit in `i64` is saturated.
///
/// ```
/// use cookiejar::rfc::date::days_from_civil;
///
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(2000, 3, 1), 11_017);
/// assert_eq!(days_from_civil(1969, 12, 31), -1);
/// ```
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Normalise the month into 1..=12, carrying whole years.
    let month_index = i128::from(month) - 1;
    let year = i128::from(year) + month_index.div_euclid(12);
    let month = month_index.rem_euclid(12) + 1;

    // Count years from 1 March, so that the leap day is the last day of the
    // (shifted) year: January and February belong to the year before.
    let y = if month <= 2 { year - 1 } else { year };
    // 400-year eras of exactly 146 097 days each.
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400; // 0..=399
                                     // Month index counted from March (March = 0, ..., February = 11), and the
                                     // days before that month within the shifted year: 153 days cover each run
                                     // of five months (31 30 31 30 31).
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + i128::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719 468 is the number of days from 0000-03-01 to 1970-01-01.
    let days = era * 146_097 + day_of_era - 719_468;

    i64::try_from(days).unwrap_or(if days < 0 { i64::MIN } else { i64::MAX })
}

/// The inverse of [`days_from_civil`] for valid dates: the proleptic Gregorian
/// `(year, month, day)` of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = i128::from(days) + 719_468; // days since 0000-03-01
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097; // 0..=146_096
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // 0..=399
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // 0..=365
    let shifted_month = (5 * day_of_year + 2) / 153; // 0..=11, March = 0
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1; // 1..=31
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = era * 400 + year_of_era + i128::from(month <= 2);
    // `days` is an i64, so the year is far inside i64, and month and day are
    // small; the fallbacks are never used.
    (
        i64::try_from(year).unwrap_or(0),
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// Formats Unix seconds as an IMF-fixdate / RFC 1123 date, e.g. "Sun, 06 Nov 1994 08:49:37 GMT" (years outside 0..=9999 are clamped to that range's ends).
///
/// Clamping is done on the instant: anything before
/// `0000-01-01 00:00:00` formats as that instant, and anything after
/// `9999-12-31 23:59:59` as that one, so the output is always a real date with
/// a four-digit year and the right weekday.
///
/// ```
/// use cookiejar::rfc::date::format_http_date;
///
/// assert_eq!(format_http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
/// assert_eq!(format_http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
/// assert_eq!(format_http_date(i64::MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
/// ```
pub fn format_http_date(unix_seconds: i64) -> String {
    let min = days_from_civil(0, 1, 1) * SECONDS_PER_DAY;
    let max = days_from_civil(9999, 12, 31) * SECONDS_PER_DAY + (SECONDS_PER_DAY - 1);
    let t = unix_seconds.clamp(min, max);

    let days = t.div_euclid(SECONDS_PER_DAY);
    let secs_of_day = t.rem_euclid(SECONDS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday (index 4, counting from Sunday).
    let weekday = WEEKDAY_NAMES[usize::try_from((days + 4).rem_euclid(7)).unwrap_or(0)];
    let month_name = MONTH_NAMES[usize::try_from(month - 1).unwrap_or(0)];

    format!(
        "{weekday}, {day:02} {month_name} {year:04} {:02}:{:02}:{:02} GMT",
        secs_of_day / 3600,
        secs_of_day / 60 % 60,
        secs_of_day % 60,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_month_matches_in_any_case_and_nothing_else_does() {
        // Every byte value in every position of every month name: the or-with-0x20 shortcut
        // must agree with a plain case-insensitive comparison.
        for name in MONTHS {
            for at in 0..3 {
                for b in 0..=255u8 {
                    let mut token = *name;
                    token[at] = b;
                    let want = MONTHS
                        .iter()
                        .position(|m| token.eq_ignore_ascii_case(&m[..]))
                        .map(|i| i as u32 + 1);
                    assert_eq!(match_month(&token), want, "{token:?}");
                }
            }
        }
        assert_eq!(match_month(b"ja"), None);
        assert_eq!(match_month(b"DECEMBER"), Some(12));
    }

    /// Unix time of a UTC date and time, computed independently of the parser.
    fn ts(year: i64, month: u32, day: u32, h: i64, m: i64, s: i64) -> i64 {
        days_from_civil(year, month, day) * SECONDS_PER_DAY + h * 3600 + m * 60 + s
    }

    // ---- Step 1: tokenising -------------------------------------------------

    #[test]
    fn every_delimiter_byte_separates_tokens() {
        let delimiters: Vec<u8> = (0u8..=0x7F).filter(|&b| is_delimiter(b)).collect();
        let mut expected: Vec<u8> = vec![0x09];
        expected.extend(0x20..=0x2F);
        expected.extend(0x3B..=0x40);
        expected.extend(0x5B..=0x60);
        expected.extend(0x7B..=0x7E);
        assert_eq!(delimiters, expected);
        for &d in &expected {
            let sep = char::from(d);
            let input = format!("06{sep}Nov{sep}1994{sep}08:49:37");
            assert_eq!(
                parse_cookie_date(&input),
                Some(784_111_777),
                "delimiter {d:#04x}"
            );
        }
    }

    #[test]
    fn colon_digits_letters_controls_and_non_ascii_are_not_delimiters() {
        for b in (0x00..=0x08)
            .chain(0x0A..=0x1F)
            .chain([0x3A, 0x7F])
            .chain(0x80..=0xFF)
        {
            assert!(!is_delimiter(b), "{b:#04x}");
        }
        for b in (b'0'..=b'9').chain(b'A'..=b'Z').chain(b'a'..=b'z') {
            assert!(!is_delimiter(b), "{b:#04x}");
        }
    }

    #[test]
    fn leading_trailing_and_repeated_delimiters_are_ignored() {
        assert_eq!(
            parse_cookie_date(" ,;\t06 ,, Nov -- 1994 ;; 08:49:37 ()  "),
            Some(784_111_777)
        );
    }

    #[test]
    fn control_byte_glues_tokens_together() {
        // %x01 is a non-delimiter, so "06\x01Nov" is one token: a day-of-month
        // (06 followed by a non-digit), and no month is found.
        assert_eq!(parse_cookie_date("06\u{1}Nov 1994 08:49:37"), None);
    }

    #[test]
    fn non_ascii_bytes_belong_to_tokens() {
        // "é" is two non-delimiter bytes; "Nové" still starts with "nov".
        assert_eq!(
            parse_cookie_date("06 Novémbre 1994 08:49:37"),
            Some(784_111_777)
        );
        // "é" before the day turns the token into something that matches nothing.
        assert_eq!(parse_cookie_date("é06 Nov 1994 08:49:37"), None);
        // Non-ASCII after the digits is a non-digit tail, which is allowed.
        assert_eq!(
            parse_cookie_date("06é Nov 1994é 08:49:37é"),
            Some(784_111_777)
        );
    }

    // ---- Step 2.1: time -----------------------------------------------------

    #[test]
    fn time_accepts_one_or_two_digit_fields() {
        assert_eq!(
            parse_cookie_date("1 Jan 2010 0:0:0"),
            Some(ts(2010, 1, 1, 0, 0, 0))
        );
        assert_eq!(
            parse_cookie_date("1 Jan 2010 1:02:3"),
            Some(ts(2010, 1, 1, 1, 2, 3))
        );
    }

    #[test]
    fn time_with_three_digit_field_is_not_a_time() {
        assert_eq!(parse_cookie_date("1 Jan 2010 001:02:03"), None);
        assert_eq!(parse_cookie_date("1 Jan 2010 01:002:03"), None);
        assert_eq!(parse_cookie_date("1 Jan 2010 01:02:003"), None);
    }

    #[test]
    fn time_needs_three_fields() {
        assert_eq!(parse_cookie_date("1 Jan 2010 01:02"), None);
        assert_eq!(parse_cookie_date("1 Jan 2010 01::03"), None);
        assert_eq!(parse_cookie_date("1 Jan 2010 :01:02:03"), None);
    }

    #[test]
    fn time_may_have_non_digit_trailing_bytes() {
        let t = Some(ts(2010, 1, 1, 1, 2, 3));
        assert_eq!(parse_cookie_date("1 Jan 2010 01:02:03Z"), t);
        assert_eq!(parse_cookie_date("1 Jan 2010 01:02:03:99"), t);
        assert_eq!(parse_cookie_date("1 Jan 2010 01:02:03.5"), t);
    }

    #[test]
    fn first_time_wins() {
        assert_eq!(
            parse_cookie_date("1 Jan 2010 01:02:03 04:05:06"),
            Some(ts(2010, 1, 1, 1, 2, 3))
        );
    }

    #[test]
    fn out_of_range_first_time_is_not_replaced_by_a_later_one() {
        assert_eq!(parse_cookie_date("1 Jan 2010 24:00:00 01:02:03"), None);
    }

    #[test]
    fn token_that_matched_time_is_not_also_a_day_of_month() {
        // "12:00:00" is consumed as the time; no day-of-month remains.
        assert_eq!(parse_cookie_date("Jan 2010 12:00:00"), None);
    }

    #[test]
    fn token_that_fails_time_can_be_a_day_of_month_or_year() {
        // "12:00" is not a time, but "12" followed by ":" is a day-of-month.
        assert_eq!(
            parse_cookie_date("12:00 Jan 2010 01:02:03"),
            Some(ts(2010, 1, 12, 1, 2, 3))
        );
        // With the day already found, "10:30" is a year (10, so 2010).
        assert_eq!(
            parse_cookie_date("5 Jan 10:30 01:02:03"),
            Some(ts(2010, 1, 5, 1, 2, 3))
        );
    }

    // ---- Step 2.2: day-of-month ---------------------------------------------

    #[test]
    fn day_of_month_is_one_or_two_digits() {
        assert_eq!(
            parse_cookie_date("7 Jan 2010 00:00:00"),
            Some(ts(2010, 1, 7, 0, 0, 0))
        );
        assert_eq!(
            parse_cookie_date("07 Jan 2010 00:00:00"),
            Some(ts(2010, 1, 7, 0, 0, 0))
        );
    }

    #[test]
    fn three_digit_token_is_not_a_day_of_month() {
        // "007" is not a day-of-month; it becomes the year (7, so 2007), and
        // "2010" is then ignored. No day-of-month: fail.
        assert_eq!(parse_cookie_date("007 Jan 2010 00:00:00"), None);
    }

    #[test]
    fn four_digit_token_is_a_year_not_a_day_of_month() {
        assert_eq!(
            parse_cookie_date("2024 Jan 15 00:00:00"),
            Some(ts(2024, 1, 15, 0, 0, 0))
        );
    }

    #[test]
    fn day_of_month_may_have_non_digit_trailing_bytes() {
        assert_eq!(
            parse_cookie_date("15th Jan 2010 00:00:00"),
            Some(ts(2010, 1, 15, 0, 0, 0))
        );
    }

    #[test]
    fn first_day_of_month_wins_and_second_number_becomes_year() {
        assert_eq!(
            parse_cookie_date("15 17 Apr 21:01:22"),
            Some(ts(2017, 4, 15, 21, 1, 22))
        );
    }

    #[test]
    fn day_of_month_zero_fails() {
        assert_eq!(parse_cookie_date("0 Jan 2010 00:00:00"), None);
        assert_eq!(parse_cookie_date("00 Jan 2010 00:00:00"), None);
    }

    #[test]
    fn day_of_month_above_31_fails() {
        assert_eq!(parse_cookie_date("32 Jan 2010 00:00:00"), None);
        assert_eq!(parse_cookie_date("98 April 17 21:01:22"), None);
    }

    #[test]
    fn day_of_month_31_is_accepted_in_long_months() {
        for month in ["Jan", "Mar", "May", "Jul", "Aug", "Oct", "Dec"] {
            assert!(
                parse_cookie_date(&format!("31 {month} 2010 00:00:00")).is_some(),
                "{month}"
            );
        }
    }

    // ---- Step 2.3: month ----------------------------------------------------

    #[test]
    fn every_month_prefix_is_recognised() {
        for (i, name) in [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ]
        .iter()
        .enumerate()
        {
            let month = u32::try_from(i + 1).unwrap();
            assert_eq!(
                parse_cookie_date(&format!("1 {name} 2010 00:00:00")),
                Some(ts(2010, month, 1, 0, 0, 0)),
                "{name}"
            );
        }
    }

    #[test]
    fn month_is_case_insensitive() {
        let t = Some(ts(2010, 3, 1, 0, 0, 0));
        for name in ["mar", "MAR", "Mar", "mAr"] {
            assert_eq!(
                parse_cookie_date(&format!("1 {name} 2010 00:00:00")),
                t,
                "{name}"
            );
        }
    }

    #[test]
    fn month_may_be_longer_than_three_letters() {
        let t = Some(ts(2003, 1, 1, 0, 0, 0));
        assert_eq!(parse_cookie_date("1 January 2003 00:00:00"), t);
        assert_eq!(parse_cookie_date("1 Januar 2003 00:00:00"), t);
        assert_eq!(parse_cookie_date("1 Janxyz9 2003 00:00:00"), t);
    }

    #[test]
    fn month_shorter_than_three_letters_is_not_a_month() {
        assert_eq!(parse_cookie_date("1 Ja 2003 00:00:00"), None);
    }

    #[test]
    fn month_must_be_at_the_start_of_the_token() {
        assert_eq!(parse_cookie_date("1 xJan 2003 00:00:00"), None);
    }

    #[test]
    fn first_month_wins() {
        assert_eq!(
            parse_cookie_date("1 Feb Mar 2003 00:00:00"),
            Some(ts(2003, 2, 1, 0, 0, 0))
        );
    }

    #[test]
    fn weekday_names_are_ignored() {
        for day in ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Thursday"] {
            assert_eq!(
                parse_cookie_date(&format!("{day}, 06 Nov 1994 08:49:37 GMT")),
                Some(784_111_777),
                "{day}"
            );
        }
    }

    // ---- Step 2.4: year -----------------------------------------------------

    #[test]
    fn year_accepts_two_to_four_digits() {
        assert_eq!(
            parse_cookie_date("1 Jan 10 00:00:00"),
            Some(ts(2010, 1, 1, 0, 0, 0))
        );
        assert_eq!(
            parse_cookie_date("1 Jan 2010 00:00:00"),
            Some(ts(2010, 1, 1, 0, 0, 0))
        );
    }

    #[test]
    fn three_digit_year_is_read_as_its_value() {
        // 010 is the number 10, so it becomes 2010 in step 4.
        assert_eq!(
            parse_cookie_date("1 Jan 010 00:00:00"),
            Some(ts(2010, 1, 1, 0, 0, 0))
        );
        // 100 is left alone and is before 1601.
        assert_eq!(parse_cookie_date("1 Jan 100 00:00:00"), None);
    }

    #[test]
    fn one_digit_year_is_not_a_year() {
        // "1" is the day; "5" would be a second day-of-month, and as a year it
        // has too few digits.
        assert_eq!(parse_cookie_date("1 Jan 5 00:00:00"), None);
    }

    #[test]
    fn five_digit_year_is_not_a_year() {
        assert_eq!(parse_cookie_date("12 Aug 31841 20:49:07"), None);
    }

    #[test]
    fn huge_digit_runs_do_not_overflow_or_match() {
        let digits = "9".repeat(10_000);
        assert_eq!(parse_cookie_date(&digits), None);
        assert_eq!(
            parse_cookie_date(&format!("12 Aug {digits} 20:49:07")),
            None
        );
        assert_eq!(
            parse_cookie_date(&format!("{digits} Aug 2007 20:49:07")),
            None
        );
        assert_eq!(
            parse_cookie_date(&format!("12 Aug 2007 20:49:{digits}")),
            None
        );
    }

    #[test]
    fn year_may_have_non_digit_trailing_bytes() {
        assert_eq!(
            parse_cookie_date("1 Jan 2010AD 00:00:00"),
            Some(ts(2010, 1, 1, 0, 0, 0))
        );
    }

    #[test]
    fn first_year_wins() {
        assert_eq!(
            parse_cookie_date("1 Jan 2010 2011 00:00:00"),
            Some(ts(2010, 1, 1, 0, 0, 0))
        );
    }

    // ---- Steps 3 and 4: two-digit years -------------------------------------

    #[test]
    fn two_digit_year_70_maps_to_1970() {
        assert_eq!(parse_cookie_date("1 Jan 70 00:00:00"), Some(0));
    }

    #[test]
    fn two_digit_year_99_maps_to_1999() {
        assert_eq!(
            parse_cookie_date("31 Dec 99 23:59:59"),
            Some(ts(1999, 12, 31, 23, 59, 59))
        );
    }

    #[test]
    fn two_digit_year_00_maps_to_2000() {
        assert_eq!(
            parse_cookie_date("1 Jan 00 00:00:00"),
            Some(ts(2000, 1, 1, 0, 0, 0))
        );
    }

    #[test]
    fn two_digit_year_69_maps_to_2069() {
        assert_eq!(
            parse_cookie_date("1 Jan 69 00:00:00"),
            Some(ts(2069, 1, 1, 0, 0, 0))
        );
    }

    #[test]
    fn four_digit_years_are_not_shifted() {
        assert_eq!(
            parse_cookie_date("1 Jan 1969 00:00:00"),
            Some(ts(1969, 1, 1, 0, 0, 0))
        );
        assert_eq!(parse_cookie_date("1 Jan 0070 00:00:00"), Some(0));
    }

    // ---- Step 5: missing fields and ranges ----------------------------------

    #[test]
    fn missing_time_fails() {
        assert_eq!(parse_cookie_date("Sun, 06 Nov 1994 GMT"), None);
    }

    #[test]
    fn missing_day_of_month_fails() {
        assert_eq!(parse_cookie_date("Sun, Nov 1994 08:49:37 GMT"), None);
    }

    #[test]
    fn missing_month_fails() {
        assert_eq!(parse_cookie_date("Sun, 06 1994 08:49:37 GMT"), None);
    }

    #[test]
    fn missing_year_fails() {
        assert_eq!(parse_cookie_date("Sun, 06 Nov 08:49:37 GMT"), None);
    }

    #[test]
    fn empty_and_delimiter_only_inputs_fail() {
        assert_eq!(parse_cookie_date(""), None);
        assert_eq!(parse_cookie_date("   "), None);
        assert_eq!(parse_cookie_date(",;-/"), None);
        assert_eq!(parse_cookie_date("IAintNoDateFool"), None);
    }

    #[test]
    fn year_1601_is_the_earliest_accepted() {
        assert_eq!(
            parse_cookie_date("1 Jan 1601 00:00:00"),
            Some(ts(1601, 1, 1, 0, 0, 0))
        );
        assert_eq!(parse_cookie_date("31 Dec 1600 23:59:59"), None);
    }

    #[test]
    fn year_9999_is_accepted() {
        assert_eq!(
            parse_cookie_date("31 Dec 9999 23:59:59"),
            Some(253_402_300_799)
        );
    }

    #[test]
    fn hour_above_23_fails() {
        assert!(parse_cookie_date("1 Jan 2010 23:00:00").is_some());
        assert_eq!(parse_cookie_date("1 Jan 2010 24:00:00"), None);
    }

    #[test]
    fn minute_above_59_fails() {
        assert!(parse_cookie_date("1 Jan 2010 00:59:00").is_some());
        assert_eq!(parse_cookie_date("1 Jan 2010 00:60:00"), None);
    }

    #[test]
    fn second_above_59_fails_so_leap_seconds_are_rejected() {
        assert!(parse_cookie_date("1 Jan 2010 00:00:59").is_some());
        assert_eq!(parse_cookie_date("31 Dec 2016 23:59:60"), None);
    }

    // ---- Step 6: the date must exist ----------------------------------------

    #[test]
    fn thirtieth_of_february_fails() {
        assert_eq!(parse_cookie_date("30 Feb 2024 00:00:00"), None);
    }

    #[test]
    fn thirty_first_of_thirty_day_months_fails() {
        for month in ["Apr", "Jun", "Sep", "Nov"] {
            assert_eq!(
                parse_cookie_date(&format!("31 {month} 2010 00:00:00")),
                None,
                "{month}"
            );
            assert!(
                parse_cookie_date(&format!("30 {month} 2010 00:00:00")).is_some(),
                "{month}"
            );
        }
    }

    #[test]
    fn twenty_ninth_of_february_needs_a_leap_year() {
        assert!(parse_cookie_date("29 Feb 2024 00:00:00").is_some());
        assert_eq!(parse_cookie_date("29 Feb 2023 00:00:00"), None);
        // Centuries are leap years only when divisible by 400.
        assert!(parse_cookie_date("29 Feb 2000 00:00:00").is_some());
        assert_eq!(parse_cookie_date("29 Feb 1900 00:00:00"), None);
        assert_eq!(parse_cookie_date("29 Feb 2100 00:00:00"), None);
        assert!(parse_cookie_date("29 Feb 1600 00:00:00").is_none()); // before 1601
        assert!(parse_cookie_date("29 Feb 2400 00:00:00").is_some());
    }

    // ---- Step 7: the result -------------------------------------------------

    #[test]
    fn result_is_unix_seconds_in_utc() {
        assert_eq!(parse_cookie_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_cookie_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_cookie_date("Wed, 31 Dec 1969 23:59:59 GMT"), Some(-1));
        assert_eq!(
            parse_cookie_date("Mon, 01 Jan 1601 00:00:00 GMT"),
            Some(-11_644_473_600)
        );
    }

    #[test]
    fn zone_is_ignored_and_time_is_read_as_utc() {
        assert_eq!(
            parse_cookie_date("Sun, 06 Nov 1994 08:49:37 -0800 (PST)"),
            Some(784_111_777)
        );
    }

    #[test]
    fn the_three_http_date_formats_parse() {
        for input in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse_cookie_date(input), Some(784_111_777), "{input}");
        }
    }

    // ---- days_from_civil ----------------------------------------------------

    #[test]
    fn days_from_civil_known_values() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 1, 1), 10_957);
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1601, 1, 1), -134_774);
        assert_eq!(days_from_civil(0, 1, 1), -719_528);
        assert_eq!(days_from_civil(9999, 12, 31), 2_932_896);
    }

    #[test]
    fn days_from_civil_carries_out_of_range_months_and_days() {
        assert_eq!(days_from_civil(2023, 13, 1), days_from_civil(2024, 1, 1));
        assert_eq!(days_from_civil(2024, 0, 1), days_from_civil(2023, 12, 1));
        assert_eq!(days_from_civil(2024, 1, 0), days_from_civil(2023, 12, 31));
        assert_eq!(days_from_civil(2023, 2, 29), days_from_civil(2023, 3, 1));
    }

    #[test]
    fn days_from_civil_never_panics_at_the_extremes() {
        assert_eq!(days_from_civil(i64::MAX, u32::MAX, u32::MAX), i64::MAX);
        assert_eq!(days_from_civil(i64::MIN, 0, 0), i64::MIN);
        let _ = days_from_civil(i64::MIN, u32::MAX, u32::MAX);
        let _ = days_from_civil(i64::MAX, 0, 0);
    }

    #[test]
    fn civil_from_days_inverts_days_from_civil_for_every_day_of_several_centuries() {
        let mut days = days_from_civil(1599, 1, 1);
        for year in 1599..=2401 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    assert_eq!(days_from_civil(year, month, day), days);
                    assert_eq!(civil_from_days(days), (year, month, day));
                    days += 1;
                }
            }
        }
    }

    // ---- format_http_date ---------------------------------------------------

    #[test]
    fn format_produces_imf_fixdate() {
        assert_eq!(
            format_http_date(784_111_777),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
        assert_eq!(format_http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(format_http_date(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
        assert_eq!(
            format_http_date(951_782_400),
            "Tue, 29 Feb 2000 00:00:00 GMT"
        );
        assert_eq!(
            format_http_date(-11_644_473_600),
            "Mon, 01 Jan 1601 00:00:00 GMT"
        );
    }

    #[test]
    fn format_pads_small_years_to_four_digits() {
        assert_eq!(
            format_http_date(days_from_civil(99, 3, 4) * SECONDS_PER_DAY),
            "Wed, 04 Mar 0099 00:00:00 GMT"
        );
    }

    #[test]
    fn format_clamps_to_years_0_and_9999() {
        assert_eq!(format_http_date(i64::MIN), "Sat, 01 Jan 0000 00:00:00 GMT");
        assert_eq!(
            format_http_date(days_from_civil(0, 1, 1) * SECONDS_PER_DAY - 1),
            "Sat, 01 Jan 0000 00:00:00 GMT"
        );
        assert_eq!(format_http_date(i64::MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
        assert_eq!(
            format_http_date(253_402_300_800),
            "Fri, 31 Dec 9999 23:59:59 GMT"
        );
    }

    // ---- Properties ---------------------------------------------------------

    /// Seconds of 1601-01-01 00:00:00 and 9999-12-31 23:59:59 UTC.
    const FIRST_PARSEABLE: i64 = -11_644_473_600;
    const LAST_FORMATTABLE: i64 = 253_402_300_799;

    proptest! {
        #[test]
        fn parse_never_panics_on_arbitrary_strings(input in any::<String>()) {
            let _ = parse_cookie_date(&input);
        }

        #[test]
        fn parse_never_panics_on_date_like_strings(
            input in "[0-9A-Za-z:, \\-\t/é\u{1}]{0,40}"
        ) {
            let _ = parse_cookie_date(&input);
        }

        #[test]
        fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = parse_cookie_date(&String::from_utf8_lossy(&bytes));
        }

        #[test]
        fn format_then_parse_round_trips(t in FIRST_PARSEABLE..=LAST_FORMATTABLE) {
            prop_assert_eq!(parse_cookie_date(&format_http_date(t)), Some(t));
        }

        #[test]
        fn format_never_panics(t in any::<i64>()) {
            let s = format_http_date(t);
            prop_assert_eq!(s.len(), 29);
        }

        #[test]
        fn civil_from_days_round_trips(days in -800_000i64..=3_000_000) {
            let (y, m, d) = civil_from_days(days);
            prop_assert!((1..=12).contains(&m));
            prop_assert!(d >= 1 && d <= days_in_month(y, m));
            prop_assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
