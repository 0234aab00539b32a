//! Public suffixes (RFC 6265bis §5.7 step 9, and the "registrable domain" that keys the jar).
//!
//! The compiled list of the [`psl`] crate is the default. Any other implementation of the
//! [`psl::Psl`] trait can take its place — notably a `publicsuffix::List` parsed at run time from
//! a newer `public_suffix_list.dat` — through the object-safe [`PublicSuffixList`] trait, which
//! every `psl::Psl` implements. Both the ICANN and the private sections apply, as in browsers:
//! `github.io` is a public suffix.

/// A public suffix list, as the jar needs it.
///
/// Implemented for every [`psl::Psl`]; implement it yourself only for a list that is not one.
pub trait PublicSuffixList: Send + Sync {
    /// The length in bytes of the public suffix at the end of `domain` (a canonical,
    /// lowercase host name without IP literals), or `None` when the list gives none.
    fn suffix_len(&self, domain: &str) -> Option<usize>;
}

impl<T: psl::Psl + Send + Sync> PublicSuffixList for T {
    fn suffix_len(&self, domain: &str) -> Option<usize> {
        self.suffix(domain.as_bytes()).map(|s| s.as_bytes().len())
    }
}

/// The list compiled into the `psl` crate.
pub fn builtin() -> &'static dyn PublicSuffixList {
    &psl::List
}

/// Whether `domain` is itself a public suffix (RFC 6265bis §5.7 step 9).
///
/// A name whose suffix the list cannot determine (empty labels, say) counts as a public
/// suffix: refusing a `Domain` attribute is the safe answer.
pub fn is_public_suffix(list: &dyn PublicSuffixList, domain: &str) -> bool {
    let bare = domain.strip_suffix('.').unwrap_or(domain);
    match list.suffix_len(bare) {
        Some(len) => len >= bare.len(),
        None => true,
    }
}

/// The registrable domain (eTLD+1) of a canonical host name, or `None` when the host is itself
/// a public suffix or the list cannot tell.
///
/// A trailing dot is ignored for the lookup and not part of the answer, so `example.com.` and
/// `example.com` share a registrable domain, as they share a site.
pub fn registrable_domain<'a>(list: &dyn PublicSuffixList, host: &'a str) -> Option<&'a str> {
    let bare = host.strip_suffix('.').unwrap_or(host);
    // A name with an empty label (a leading or trailing dot, or two dots in a row) has no
    // registrable domain. Byte tests: this runs on every lookup and every store.
    let b = bare.as_bytes();
    if b.first() == Some(&b'.') || b.last() == Some(&b'.') || has_two_dots_in_a_row(b) {
        return None;
    }
    let suffix = list.suffix_len(bare)?;
    if suffix >= bare.len() {
        return None;
    }
    // The label before the suffix, and its dot: `head` ends with the dot before the suffix.
    let head = &b[..bare.len() - suffix];
    let (&dot, head) = head.split_last()?;
    if dot != b'.' {
        return None;
    }
    let start = head.iter().rposition(|&c| c == b'.').map_or(0, |i| i + 1);
    if start == head.len() {
        return None;
    }
    // `start` follows an ASCII dot (or is 0), so it is a character boundary.
    bare.get(start..)
}

/// Whether `b` holds ".." anywhere. Eight bytes at a time: a host name is tens of bytes and
/// this runs on every lookup, where a pairwise scan cost more than the list lookup's own work.
fn has_two_dots_in_a_row(b: &[u8]) -> bool {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    const DOTS: u64 = u64::from_ne_bytes([b'.'; 8]);
    // Whether the byte before the current word was a dot.
    let mut carry = 0u64;
    let (words, tail) = b.as_chunks::<8>();
    for word in words {
        let x = u64::from_le_bytes(*word) ^ DOTS;
        // The high bit of each byte that is zero in `x` (a dot in `b`), exactly: adding 0x7f
        // to the low seven bits sets the high bit of every non-zero byte, with no carry into
        // the next byte.
        let dots = !(((x & LOW7).wrapping_add(LOW7)) | x | LOW7);
        // In little-endian order the next byte sits eight bits higher: a dot whose previous
        // byte (in this word, or the last of the word before) is a dot.
        if dots & ((dots << 8) | carry) != 0 {
            return true;
        }
        carry = dots >> 56;
    }
    let mut prev_dot = carry != 0;
    for &c in tail {
        let dot = c == b'.';
        if dot && prev_dot {
            return true;
        }
        prev_dot = dot;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icann_and_private_suffixes_are_public() {
        let l = builtin();
        for s in ["com", "co.uk", "github.io", "org", "s3.amazonaws.com"] {
            assert!(is_public_suffix(l, s), "{s}");
        }
        for s in ["example.com", "bbc.co.uk", "octocat.github.io"] {
            assert!(!is_public_suffix(l, s), "{s}");
        }
    }

    #[test]
    fn two_dots_in_a_row_are_found_at_every_position() {
        // Around and across the eight-byte words, with bytes a word-wise test could mistake
        // for a dot ('.' ^ 1 is '/', and a borrow could flag the byte above a real dot).
        for len in 0..30 {
            for at in 0..len {
                for filler in [b'a', b'/', b'-', 0xff] {
                    let mut one = vec![filler; len];
                    one[at] = b'.';
                    assert!(!has_two_dots_in_a_row(&one), "{one:?}");
                    if at + 1 < len {
                        let mut two = one.clone();
                        two[at + 1] = b'.';
                        assert!(has_two_dots_in_a_row(&two), "{two:?}");
                        // Dots one apart are not in a row.
                        if at + 2 < len {
                            let mut apart = one.clone();
                            apart[at + 2] = b'.';
                            assert!(!has_two_dots_in_a_row(&apart), "{apart:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn registrable_domain_is_one_label_left_of_the_suffix() {
        let l = builtin();
        assert_eq!(
            registrable_domain(l, "www.example.com"),
            Some("example.com")
        );
        assert_eq!(registrable_domain(l, "a.b.bbc.co.uk"), Some("bbc.co.uk"));
        assert_eq!(registrable_domain(l, "example.com."), Some("example.com"));
        assert_eq!(
            registrable_domain(l, "octocat.github.io"),
            Some("octocat.github.io")
        );
        assert_eq!(registrable_domain(l, "com"), None);
        assert_eq!(registrable_domain(l, "github.io"), None);
        assert_eq!(registrable_domain(l, ".com"), None);
    }
}
