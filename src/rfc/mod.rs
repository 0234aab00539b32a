//! Pure functions that read like the RFC.
//!
//! Everything here implements a step of RFC 6265bis (draft-ietf-httpbis-rfc6265bis) and names its
//! section. Nothing in this module does I/O, reads the clock or takes a lock: time is a parameter,
//! so every behaviour can be tested with a pinned "now".

pub mod date;
pub mod host;
pub mod parse;
pub mod path;
pub mod suffix;

/// Byte equality for the short strings cookies are matched on (hosts, domains, paths), a word
/// at a time and inline: a call into libc's `memcmp` costs more than comparing a dozen bytes,
/// and a lookup makes several per stored cookie.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (a_words, a_tail) = a.as_chunks::<8>();
    let (b_words, b_tail) = b.as_chunks::<8>();
    a_words
        .iter()
        .zip(b_words)
        .all(|(x, y)| u64::from_ne_bytes(*x) == u64::from_ne_bytes(*y))
        && a_tail.iter().zip(b_tail).all(|(x, y)| x == y)
}
