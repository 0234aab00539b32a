//! Records and their encoding: the payload of a frame (`docs/file-format.md`, "Records").
//!
//! The encoding is bincode 2.0.1 with its `standard()` configuration, pinned, so the bytes are
//! the ones the format document describes. Nothing else in the crate calls bincode.

use bincode::{BorrowDecode, Decode, Encode};

/// The identity of a cookie (RFC 6265bis §5.7: name, domain, host-only flag, path; plus the
/// CHIPS partition).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Encode, Decode)]
pub struct CookieKey {
    /// Cookie name.
    pub name: String,
    /// Cookie domain (canonical).
    pub domain: String,
    /// Cookie path.
    pub path: String,
    /// Host-only flag.
    pub host_only: bool,
    /// Partition key (top-level site) for a `Partitioned` cookie.
    pub partition: Option<String>,
}

/// A stored cookie as written to the file.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct CookieRecord {
    /// Its identity.
    pub key: CookieKey,
    /// Its value.
    pub value: String,
    /// Bit 0 secure, bit 1 http-only, bits 2–3 SameSite, bits 4–5 Priority (see the format).
    pub flags: u16,
    /// Creation time, Unix milliseconds.
    pub created_ms: i64,
    /// Expiry, Unix seconds; [`SESSION`] for a session cookie.
    pub expires_s: i64,
    /// Last access, Unix seconds.
    pub last_access_s: i64,
}

/// The jar-wide consent settings (docs/file-format.md, "Consent records"). The last one in the
/// log wins.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct SettingsRecord {
    /// Whether consent is enforced (it never stops once started).
    pub enforcing: bool,
    /// The jurisdiction profile: 0 Strict, 1 Cnil, 2 UkDuaa.
    pub profile: u8,
    /// The unclassified policy: 0–4 "treat as" that category (bit index as in the cookie
    /// flags), 5 Reject, 6 first-party session cookies allowed.
    pub unclassified: u8,
    /// When Global Privacy Control was switched on (Unix ms), if it is on.
    pub gpc_since: Option<i64>,
}

/// The user's decisions for one top-level site, or the jar-wide default. The last one for a
/// site wins.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct ConsentRecord {
    /// The site; empty for the jar-wide default.
    pub site: String,
    /// Preferences, Statistics, Marketing: 0 unset, 1 granted, 2 denied.
    pub decisions: [u8; 3],
    /// When the user decided (Unix ms).
    pub decided_at: Option<i64>,
}

/// An operator rule (one line of a site's cookie policy), in the order they were added.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub struct RuleRecord {
    /// The domain it applies to (and its subdomains); `None` for any.
    pub domain: Option<String>,
    /// The cookie name, or name prefix.
    pub name: String,
    /// Whether `name` is a prefix.
    pub prefix: bool,
    /// Its categories, as bits 6–10 of the cookie flags shifted down to bits 0–4.
    pub categories: u8,
    /// The audience-measurement exemption.
    pub exemption: bool,
    /// What the cookie is for.
    pub purpose: Option<String>,
    /// Who sets it.
    pub provider: Option<String>,
}

/// `expires_s` of a session cookie.
pub const SESSION: i64 = i64::MAX;

/// One log record.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode)]
pub enum Record {
    /// Store or replace the cookie with this key.
    Put(CookieRecord),
    /// Remove the cookie with this key.
    Delete(CookieKey),
    /// The jar-wide consent settings.
    Settings(SettingsRecord),
    /// The consent for one site, or the jar-wide default.
    Consent(ConsentRecord),
    /// Add an operator rule.
    Rule(RuleRecord),
}

/// The largest payload a frame may carry.
pub const MAX_PAYLOAD: usize = 1 << 14;

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

/// Appends the encoding of `record` to `out`.
///
/// Cookie records (`Put`, `Delete`: every store, replacement and removal writes one) are
/// written by hand, by the rules of docs/file-format.md ("Records"), which are bincode's
/// standard configuration: through bincode's derived encoders they cost more than the rest of
/// a file-backed `set_cookie`'s writing, about 530 instructions for a typical cookie, in
/// per-field calls. The tests hold the two to the same bytes on any record. Every other
/// record goes through bincode.
pub fn encode(
    record: &RecordRef<'_>,
    out: &mut Vec<u8>,
) -> Result<(), bincode::error::EncodeError> {
    match record {
        RecordRef::Put(r) => {
            // Room for all of it at once: the strings, and at most 9 bytes for each integer.
            let k = &r.key;
            out.reserve(
                k.name.len()
                    + k.domain.len()
                    + k.path.len()
                    + k.partition.map_or(0, str::len)
                    + r.value.len()
                    + 11 * 9,
            );
            put_unsigned(out, PUT_KIND);
            put_key(out, &r.key);
            put_str(out, r.value);
            put_unsigned(out, u64::from(r.flags));
            put_signed(out, r.created_ms);
            put_signed(out, r.expires_s);
            put_signed(out, r.last_access_s);
            Ok(())
        }
        RecordRef::Delete(k) => {
            put_unsigned(out, DELETE_KIND);
            put_key(out, k);
            Ok(())
        }
        _ => bincode::encode_into_writer(record, AppendTo(out), config()),
    }
}

/// The variant indexes of [`Record::Put`] and [`Record::Delete`].
const PUT_KIND: u64 = 0;
const DELETE_KIND: u64 = 1;

/// A [`CookieKeyRef`]: its fields in order.
#[inline(always)]
fn put_key(out: &mut Vec<u8>, k: &CookieKeyRef<'_>) {
    put_str(out, k.name);
    put_str(out, k.domain);
    put_str(out, k.path);
    out.push(u8::from(k.host_only));
    match k.partition {
        None => out.push(0),
        Some(p) => {
            out.push(1);
            put_str(out, p);
        }
    }
}

/// A string: its length, then its bytes.
#[inline(always)]
fn put_str(out: &mut Vec<u8>, s: &str) {
    put_unsigned(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// An unsigned integer as a varint: below 251 in one byte, else a marker (251, 252, 253)
/// and the value in 2, 4 or 8 little-endian bytes.
#[inline(always)]
fn put_unsigned(out: &mut Vec<u8>, v: u64) {
    if v < 251 {
        out.push(v as u8);
    } else if let Ok(v) = u16::try_from(v) {
        out.push(251);
        out.extend_from_slice(&v.to_le_bytes());
    } else if let Ok(v) = u32::try_from(v) {
        out.push(252);
        out.extend_from_slice(&v.to_le_bytes());
    } else {
        out.push(253);
        out.extend_from_slice(&v.to_le_bytes());
    }
}

/// A signed integer, zig-zag encoded (0, -1, 1, -2, ... become 0, 1, 2, 3, ...), as a varint.
#[inline(always)]
fn put_signed(out: &mut Vec<u8>, v: i64) {
    put_unsigned(out, ((v << 1) ^ (v >> 63)) as u64);
}

/// bincode's output straight into a `Vec`: its `std::io::Write` adapter costs more than the
/// encoding itself for records this small.
struct AppendTo<'a>(&'a mut Vec<u8>);

impl bincode::enc::write::Writer for AppendTo<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) -> Result<(), bincode::error::EncodeError> {
        self.0.extend_from_slice(bytes);
        Ok(())
    }
}

/// A [`CookieKey`] borrowed from the jar's memory: it encodes to the same bytes (bincode writes
/// a `&str` exactly as a `String`), without copying the strings first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, BorrowDecode)]
pub struct CookieKeyRef<'a> {
    /// As [`CookieKey::name`].
    pub name: &'a str,
    /// As [`CookieKey::domain`].
    pub domain: &'a str,
    /// As [`CookieKey::path`].
    pub path: &'a str,
    /// As [`CookieKey::host_only`].
    pub host_only: bool,
    /// As [`CookieKey::partition`].
    pub partition: Option<&'a str>,
}

/// A [`CookieRecord`] borrowed from the jar's memory; same bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, BorrowDecode)]
pub struct CookieRecordRef<'a> {
    /// As [`CookieRecord::key`].
    pub key: CookieKeyRef<'a>,
    /// As [`CookieRecord::value`].
    pub value: &'a str,
    /// As [`CookieRecord::flags`].
    pub flags: u16,
    /// As [`CookieRecord::created_ms`].
    pub created_ms: i64,
    /// As [`CookieRecord::expires_s`].
    pub expires_s: i64,
    /// As [`CookieRecord::last_access_s`].
    pub last_access_s: i64,
}

/// What is written: a [`Record`] whose cookie records borrow their strings. The variants are
/// [`Record`]'s, in its order, so the kind numbers (the enum index bincode writes) agree.
#[derive(Clone, Copy, Debug, Encode)]
pub enum RecordRef<'a> {
    /// As [`Record::Put`].
    Put(CookieRecordRef<'a>),
    /// As [`Record::Delete`].
    Delete(CookieKeyRef<'a>),
    /// As [`Record::Settings`].
    Settings(&'a SettingsRecord),
    /// As [`Record::Consent`].
    Consent(&'a ConsentRecord),
    /// As [`Record::Rule`].
    Rule(&'a RuleRecord),
}

/// A record as read back: its cookie records borrow their strings from the bytes the file was
/// read into (a copy, never the map), so replaying a file allocates nothing per record until
/// the jar stores the cookie. The variants are [`Record`]'s, in its order.
#[derive(Clone, Debug, PartialEq, Eq, BorrowDecode)]
pub enum RecordView<'a> {
    /// As [`Record::Put`].
    Put(CookieRecordRef<'a>),
    /// As [`Record::Delete`].
    Delete(CookieKeyRef<'a>),
    /// As [`Record::Settings`].
    Settings(SettingsRecord),
    /// As [`Record::Consent`].
    Consent(ConsentRecord),
    /// As [`Record::Rule`].
    Rule(RuleRecord),
}

impl CookieKeyRef<'_> {
    /// The key, with its strings copied.
    pub fn to_owned_key(&self) -> CookieKey {
        CookieKey {
            name: self.name.to_owned(),
            domain: self.domain.to_owned(),
            path: self.path.to_owned(),
            host_only: self.host_only,
            partition: self.partition.map(str::to_owned),
        }
    }
}

impl RecordView<'_> {
    /// The record, with its strings copied.
    pub fn to_record(&self) -> Record {
        match self {
            RecordView::Put(r) => Record::Put(CookieRecord {
                key: r.key.to_owned_key(),
                value: r.value.to_owned(),
                flags: r.flags,
                created_ms: r.created_ms,
                expires_s: r.expires_s,
                last_access_s: r.last_access_s,
            }),
            RecordView::Delete(k) => Record::Delete(k.to_owned_key()),
            RecordView::Settings(r) => Record::Settings(r.clone()),
            RecordView::Consent(r) => Record::Consent(r.clone()),
            RecordView::Rule(r) => Record::Rule(r.clone()),
        }
    }
}

impl CookieKey {
    /// The key, borrowed.
    pub fn as_ref(&self) -> CookieKeyRef<'_> {
        CookieKeyRef {
            name: &self.name,
            domain: &self.domain,
            path: &self.path,
            host_only: self.host_only,
            partition: self.partition.as_deref(),
        }
    }
}

impl Record {
    /// The record, borrowed, as [`encode`] takes it.
    pub fn as_ref(&self) -> RecordRef<'_> {
        match self {
            Record::Put(r) => RecordRef::Put(CookieRecordRef {
                key: r.key.as_ref(),
                value: &r.value,
                flags: r.flags,
                created_ms: r.created_ms,
                expires_s: r.expires_s,
                last_access_s: r.last_access_s,
            }),
            Record::Delete(k) => RecordRef::Delete(k.as_ref()),
            Record::Settings(r) => RecordRef::Settings(r),
            Record::Consent(r) => RecordRef::Consent(r),
            Record::Rule(r) => RecordRef::Rule(r),
        }
    }
}

/// Why a payload did not decode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The variant index names a record kind this version does not know (skippable).
    UnknownKind,
    /// The bytes are not a record, or not exactly one.
    Malformed,
}

/// Decodes one record that must use all of `payload`.
pub fn decode(payload: &[u8]) -> Result<Record, DecodeError> {
    decode_view(payload).map(|r| r.to_record())
}

/// Decodes a frame's payload, borrowing the strings of a cookie record from `payload`.
pub fn decode_view(payload: &[u8]) -> Result<RecordView<'_>, DecodeError> {
    // The limit bounds any allocation a hostile length prefix inside the payload could request.
    let cfg = config().with_limit::<MAX_PAYLOAD>();
    match bincode::borrow_decode_from_slice::<RecordView<'_>, _>(payload, cfg) {
        Ok((record, used)) if used == payload.len() => Ok(record),
        Ok(_) => Err(DecodeError::Malformed),
        Err(bincode::error::DecodeError::UnexpectedVariant { .. }) => Err(DecodeError::UnknownKind),
        Err(_) => Err(DecodeError::Malformed),
    }
}

/// The kind and domain of a cookie record (`Put` or `Delete`), read from the start of its
/// payload without decoding the rest: `Some((true, domain))` for a `Put`, `Some((false,
/// domain))` for a `Delete`, `None` for any other kind or bytes that do not start like one.
///
/// Both kinds begin with a [`CookieKey`], whose name and then domain come first, so this reads
/// three integers and skips one string, by the rules of docs/file-format.md ("Records"), by
/// hand: it runs for every record of a file on open, where going through bincode cost more
/// than the frame's checksum. It answers only for records bincode reads the same way (the
/// tests hold it to that); a record it cannot read goes through [`decode_view`] instead.
pub fn peek_cookie_domain(payload: &[u8]) -> Option<(bool, &[u8])> {
    let mut at = 0;
    let put = match varint(payload, &mut at)? {
        0 => true,
        1 => false,
        _ => return None,
    };
    let name = usize::try_from(varint(payload, &mut at)?).ok()?;
    at = at.checked_add(name)?;
    let len = usize::try_from(varint(payload, &mut at)?).ok()?;
    let domain = payload.get(at..at.checked_add(len)?)?;
    Some((put, domain))
}

/// A variable-length integer (docs/file-format.md: a value below 251 in one byte, else a
/// marker 251/252/253 and 2, 4 or 8 little-endian bytes), at `*at`, which it advances.
fn varint(b: &[u8], at: &mut usize) -> Option<u64> {
    let first = *b.get(*at)?;
    let n = match first {
        0..=250 => {
            *at += 1;
            return Some(u64::from(first));
        }
        251 => 2,
        252 => 4,
        253 => 8,
        _ => return None,
    };
    let bytes = b.get(*at + 1..*at + 1 + n)?;
    *at += 1 + n;
    let mut v = [0u8; 8];
    v[..n].copy_from_slice(bytes);
    Some(u64::from_le_bytes(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Record {
        Record::Put(CookieRecord {
            key: CookieKey {
                name: "sid".into(),
                domain: "example.com".into(),
                path: "/".into(),
                host_only: true,
                partition: None,
            },
            value: "abc".into(),
            flags: 0b10_1001,
            created_ms: 1_750_000_000_123,
            expires_s: 1_760_000_000,
            last_access_s: 1_750_000_000,
        })
    }

    #[test]
    fn records_round_trip() {
        let mut buf = Vec::new();
        encode(&sample().as_ref(), &mut buf).unwrap();
        assert_eq!(decode(&buf), Ok(sample()));
    }

    #[test]
    fn borrowed_records_encode_as_the_owned_ones() {
        let key = CookieKey {
            name: "n".into(),
            domain: "example.org".into(),
            path: "/p".into(),
            host_only: false,
            partition: Some("example.com".into()),
        };
        let records = [
            sample(),
            Record::Delete(key),
            Record::Settings(SettingsRecord {
                enforcing: true,
                profile: 1,
                unclassified: 5,
                gpc_since: Some(-3),
            }),
            Record::Consent(ConsentRecord {
                site: "example.com".into(),
                decisions: [1, 2, 0],
                decided_at: None,
            }),
            Record::Rule(RuleRecord {
                domain: None,
                name: "_ga".into(),
                prefix: true,
                categories: 4,
                exemption: false,
                purpose: Some("x".into()),
                provider: None,
            }),
        ];
        for r in records {
            let owned = bincode::encode_to_vec(&r, config()).unwrap();
            let mut borrowed = Vec::new();
            encode(&r.as_ref(), &mut borrowed).unwrap();
            assert_eq!(owned, borrowed, "{r:?}");
        }
    }

    /// Strings of the lengths where a varint changes size, and others.
    fn text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            "[a-z./=_-]{0,20}",
            (0usize..4, 0usize..3)
                .prop_map(|(at, d)| "x".repeat([250, 251, 65_535, 65_536][at] + d - 1)),
        ]
    }

    fn int() -> impl proptest::strategy::Strategy<Value = i64> {
        use proptest::prelude::*;
        prop_oneof![
            any::<i64>(),
            -300i64..300,
            Just(i64::MIN),
            Just(i64::MAX),
            Just(SESSION),
            (0u32..64).prop_map(|b| 1i64 << b.min(62)),
            (0u32..64).prop_map(|b| -(1i64 << b.min(62))),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]

        /// The hand-written cookie records are bincode's, byte for byte.
        #[test]
        fn cookie_records_are_encoded_as_bincode_encodes_them(
            name in text(), domain in text(), path in text(), value in text(),
            partition in proptest::option::of(text()),
            host_only in proptest::prelude::any::<bool>(),
            flags in proptest::prelude::any::<u16>(),
            created_ms in int(), expires_s in int(), last_access_s in int(),
        ) {
            let key = CookieKey { name, domain, path, host_only, partition };
            let put = Record::Put(CookieRecord {
                key: key.clone(), value, flags, created_ms, expires_s, last_access_s,
            });
            for record in [put, Record::Delete(key)] {
                let want = bincode::encode_to_vec(&record, config()).unwrap();
                let mut got = vec![9];
                encode(&record.as_ref(), &mut got).unwrap();
                // Appended after what was there.
                proptest::prop_assert_eq!(got[0], 9);
                proptest::prop_assert_eq!(&got[1..], &want[..]);
                // And read back, where a frame can hold it.
                if want.len() <= MAX_PAYLOAD {
                    proptest::prop_assert_eq!(decode(&got[1..]), Ok(record));
                }
            }
        }
    }

    #[test]
    fn the_encoding_is_the_documented_one() {
        let mut buf = Vec::new();
        encode(
            &Record::Delete(CookieKey {
                name: "a".into(),
                domain: "b".into(),
                path: "/".into(),
                host_only: false,
                partition: Some("c".into()),
            })
            .as_ref(),
            &mut buf,
        )
        .unwrap();
        // variant 1, "a", "b", "/", false, Some("c")
        assert_eq!(buf, [1, 1, b'a', 1, b'b', 1, b'/', 0, 1, 1, b'c']);
    }

    #[test]
    fn trailing_bytes_unknown_kinds_and_garbage_are_refused() {
        let mut buf = Vec::new();
        encode(&sample().as_ref(), &mut buf).unwrap();
        buf.push(0);
        assert_eq!(decode(&buf), Err(DecodeError::Malformed));
        assert_eq!(decode(&[7, 0, 0]), Err(DecodeError::UnknownKind));
        assert_eq!(
            decode(&[0, 255, 255, 255, 255]),
            Err(DecodeError::Malformed)
        );
        assert_eq!(decode(&[]), Err(DecodeError::Malformed));
    }

    #[test]
    fn a_cookie_records_kind_and_domain_are_read_from_its_start() {
        let mut buf = Vec::new();
        encode(&sample().as_ref(), &mut buf).unwrap();
        assert_eq!(peek_cookie_domain(&buf), Some((true, &b"example.com"[..])));
        let Record::Put(put) = sample() else {
            unreachable!()
        };
        buf.clear();
        encode(&Record::Delete(put.key).as_ref(), &mut buf).unwrap();
        assert_eq!(peek_cookie_domain(&buf), Some((false, &b"example.com"[..])));
        buf.clear();
        let settings = SettingsRecord {
            enforcing: true,
            profile: 0,
            unclassified: 5,
            gpc_since: None,
        };
        encode(&Record::Settings(settings).as_ref(), &mut buf).unwrap();
        assert_eq!(peek_cookie_domain(&buf), None);
        assert_eq!(peek_cookie_domain(&[0, 3, b'a']), None);
        assert_eq!(peek_cookie_domain(&[]), None);
        // Long names and domains take multi-byte lengths; the answer is bincode's.
        for (name_len, domain_len) in [(0, 1), (250, 251), (300, 70_000), (65_536, 3)] {
            let record = Record::Put(CookieRecord {
                key: CookieKey {
                    name: "n".repeat(name_len),
                    domain: "d".repeat(domain_len),
                    path: "/".into(),
                    host_only: false,
                    partition: None,
                },
                value: String::new(),
                flags: 0,
                created_ms: 0,
                expires_s: 0,
                last_access_s: 0,
            });
            buf.clear();
            encode(&record.as_ref(), &mut buf).unwrap();
            let want = bincode::decode_from_slice::<(u32, String, String), _>(&buf, config())
                .unwrap()
                .0;
            assert_eq!(
                peek_cookie_domain(&buf),
                Some((true, want.2.as_bytes())),
                "{name_len} {domain_len}"
            );
        }
    }
}
