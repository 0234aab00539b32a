//! The Open Cookie Database, compiled into the crate (design note §2.3, §4.3 step 3).
//!
//! `build/ocd.rs` turns `data/open-cookie-database.csv` into static tables at build time (see
//! `data/NOTICE.md` for the source and licence); this module includes them and answers two
//! questions without allocating: which rows carry exactly this name (a hash probe), and which
//! rows carry a prefix of it (a walk down a byte trie that stops at the first byte no prefix
//! continues with).
//!
//! Both lookups run for nearly every stored cookie, and most names are in neither table, so
//! each starts with a filter built at compile time from the same rows (see `super::names`)
//! that rules out most such names before any byte-by-byte work.

use std::fmt;

use super::category::Category;
use super::names::{name_hash, BitFilter};
use crate::rfc::same_bytes;

/// Where the compiled copy comes from.
pub const OCD_SOURCE: &str = "jkwakman/Open-Cookie-Database, open-cookie-database.csv at commit \
     0ee5a17fe1cb002943f89370d24fc26a4226061c (Apache-2.0)";

/// A category as the Open Cookie Database names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OcdCategory {
    /// Technical, essential or strictly necessary, by the database's definition; in practice
    /// also ad-tech plumbing on third-party domains.
    Functional,
    /// Preferences (three rows).
    Personalization,
    /// Performance or statistics.
    Analytics,
    /// Tracking, advertising and social media.
    Marketing,
    /// Security.
    Security,
    /// Outside the database's documented vocabulary (nine rows); read like `Functional`.
    Necessary,
}

impl OcdCategory {
    /// The jar category for a cookie this row describes (design note §3.2 and §4.3):
    /// `Functional`, `Security` and `Necessary` give [`Category::Necessary`] for a first-party
    /// cookie and [`Category::Preferences`] for a third-party one.
    pub const fn category(self, first_party: bool) -> Category {
        match self {
            OcdCategory::Functional | OcdCategory::Security | OcdCategory::Necessary => {
                if first_party {
                    Category::Necessary
                } else {
                    Category::Preferences
                }
            }
            OcdCategory::Personalization => Category::Preferences,
            OcdCategory::Analytics => Category::Statistics,
            OcdCategory::Marketing => Category::Marketing,
        }
    }

    /// The database's own spelling.
    pub const fn name(self) -> &'static str {
        match self {
            OcdCategory::Functional => "Functional",
            OcdCategory::Personalization => "Personalization",
            OcdCategory::Analytics => "Analytics",
            OcdCategory::Marketing => "Marketing",
            OcdCategory::Security => "Security",
            OcdCategory::Necessary => "Necessary",
        }
    }
}

impl fmt::Display for OcdCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A string in the generated table: (offset, length) in `STRINGS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Str(u32, u16);

impl Str {
    fn get(self) -> &'static str {
        let start = self.0 as usize;
        &STRINGS[start..start + usize::from(self.1)]
    }

    /// The bytes of the string, at compile time (for the filters).
    const fn bytes(self) -> &'static [u8] {
        let (_, rest) = STRINGS.as_bytes().split_at(self.0 as usize);
        rest.split_at(self.1 as usize).0
    }
}

/// One row of the compiled database, normalised (see `build/ocd.rs`).
#[derive(PartialEq, Eq)]
pub struct OcdEntry {
    id: Str,
    platform: Str,
    name: Str,
    /// (first, count) in `DOMAINS`.
    domains: (u16, u16),
    category: OcdCategory,
    prefix: bool,
}

impl OcdEntry {
    /// The row's UUID in the upstream database (stable across versions).
    pub fn id(&self) -> &'static str {
        self.id.get()
    }

    /// The vendor or product (may be empty).
    pub fn platform(&self) -> &'static str {
        self.platform.get()
    }

    /// The row's category, in the database's vocabulary.
    pub fn category(&self) -> OcdCategory {
        self.category
    }

    /// The cookie name, or the name prefix when [`is_prefix`](Self::is_prefix).
    pub fn name(&self) -> &'static str {
        self.name.get()
    }

    /// The length in bytes of [`name`](Self::name), without slicing the string table (the
    /// classifier ranks prefixes by it).
    pub(crate) fn name_len(&self) -> usize {
        usize::from(self.name.1)
    }

    /// Whether the name is a prefix (`Wildcard match = 1`, or a trailing `*`).
    pub fn is_prefix(&self) -> bool {
        self.prefix
    }

    /// Whether the row is limited to some domains.
    pub fn has_domains(&self) -> bool {
        self.domains.1 > 0
    }

    /// The domains the row is limited to (lowercase, no leading dot); none means any domain.
    pub fn domains(&self) -> impl ExactSizeIterator<Item = &'static str> + Clone {
        let (first, count) = (usize::from(self.domains.0), usize::from(self.domains.1));
        DOMAINS[first..first + count].iter().map(|d| d.get())
    }
}

impl fmt::Debug for OcdEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OcdEntry")
            .field("id", &self.id())
            .field("platform", &self.platform())
            .field("category", &self.category)
            .field("name", &self.name())
            .field("prefix", &self.prefix)
            .field("domains", &self.domains().collect::<Vec<_>>())
            .finish()
    }
}

#[derive(Debug)]
struct TrieNode {
    /// (first, count) in `TRIE_EDGES`, sorted by byte.
    edges: (u16, u16),
    /// (first, count) in `ROWS`: the prefix rows whose name ends at this node.
    rows: (u16, u16),
}

include!(concat!(env!("OUT_DIR"), "/ocd_table.rs"));

/// Every compiled row: the exact-name rows sorted by name, then the prefix rows sorted by name.
/// A classification's `rule_id` for the database is an index into this slice.
pub fn ocd_entries() -> &'static [OcdEntry] {
    &ROWS
}

/// FNV-1a, 64-bit: the hash `build/ocd.rs` laid the exact-name table out with.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The [`name_hash`] of every exact name: a name whose hash is not in it is no row's name, and
/// `exact` returns without hashing every byte and probing. 32,768 bits for about 2,000
/// names: about 6% of the names no row carries still get to the probe.
static EXACT_FILTER: BitFilter<512> = {
    let mut filter = BitFilter::new();
    let mut i = 0;
    while i < ROWS.len() {
        if !ROWS[i].prefix {
            filter.insert(name_hash(ROWS[i].name.bytes()));
        }
        i += 1;
    }
    filter
};

/// The prefix filter keys a prefix of fewer than `SHORT_HEAD` bytes by the whole prefix, one
/// of fewer than `LONG_HEAD` bytes by its first `SHORT_HEAD`, and a longer one by its first
/// `LONG_HEAD`. The longer head tells apart names that share a short one with a prefix
/// (`cookie_consent` and `cookie-consent-io-timestamp`, `__Host-csrf` and `__Host-ERIC_PROD-`).
const SHORT_HEAD: usize = 4;

/// See [`SHORT_HEAD`].
const LONG_HEAD: usize = 8;

/// Bit `n` is set when some prefix row's name is `n` bytes long, for `n` below
/// [`SHORT_HEAD`]: those prefixes are keyed in the filter by their whole name.
const SHORT_PREFIX_LENGTHS: u32 = {
    let mut lengths = 0;
    let mut i = 0;
    while i < ROWS.len() {
        let len = ROWS[i].name.1 as usize;
        if ROWS[i].prefix && len < SHORT_HEAD {
            lengths |= 1 << len;
        }
        i += 1;
    }
    lengths
};

/// The first `len` (at most [`LONG_HEAD`]) bytes of a name, little-endian, zero-padded.
const fn head(name: &[u8], len: usize) -> u64 {
    let mut head = 0u64;
    let mut i = 0;
    while i < len && i < name.len() {
        head |= (name[i] as u64) << (8 * i);
        i += 1;
    }
    head
}

/// The filter key of a head. Heads of different lengths differ in their zero top bytes, so
/// they need no length tag (a NUL byte in a name could make two meet: a false positive, no
/// more).
const fn head_key(head: u64) -> u64 {
    // Fibonacci hashing: the filter takes the product's top bits, which every key bit reaches.
    head.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// For every prefix row, the key of its head (see [`SHORT_HEAD`]): a name none of whose heads
/// is in it starts with no prefix, and `prefixes` returns without walking the trie. 8,192
/// bits for about 260 prefixes.
static PREFIX_FILTER: BitFilter<128> = {
    let mut filter = BitFilter::new();
    let mut i = 0;
    while i < ROWS.len() {
        if ROWS[i].prefix {
            let name = ROWS[i].name.bytes();
            let len = if name.len() < SHORT_HEAD {
                name.len()
            } else if name.len() < LONG_HEAD {
                SHORT_HEAD
            } else {
                LONG_HEAD
            };
            filter.insert(head_key(head(name, len)));
        }
        i += 1;
    }
    filter
};

/// Whether some prefix row may be a prefix of `name` (certainly none, when false).
#[inline]
fn may_have_prefix(name: &[u8]) -> bool {
    if SHORT_PREFIX_LENGTHS & 1 != 0 {
        // An empty prefix starts every name.
        return true;
    }
    // Only the bytes the probes below read need to be right.
    let head = if let Some(h) = name.first_chunk::<LONG_HEAD>() {
        u64::from_le_bytes(*h)
    } else if let Some(h) = name.first_chunk::<SHORT_HEAD>() {
        u64::from(u32::from_le_bytes(*h))
    } else {
        head(name, SHORT_HEAD)
    };
    // The lengths below SHORT_HEAD are constants, so this loop unrolls to a test or two.
    for len in 1..SHORT_HEAD {
        if SHORT_PREFIX_LENGTHS >> len & 1 != 0
            && name.len() >= len
            && PREFIX_FILTER.may_contain(head_key(head & ((1 << (8 * len)) - 1)))
        {
            return true;
        }
    }
    (name.len() >= SHORT_HEAD && PREFIX_FILTER.may_contain(head_key(head & 0xffff_ffff)))
        || (name.len() >= LONG_HEAD && PREFIX_FILTER.may_contain(head_key(head)))
}

/// The rows whose name is exactly `name`, with the index of the first one; `hash` is the
/// name's [`name_hash`], which the caller computes once for all the tables.
#[inline]
pub(crate) fn exact(name: &str, hash: u64) -> (usize, &'static [OcdEntry]) {
    debug_assert_eq!(hash, name_hash(name.as_bytes()));
    if !EXACT_FILTER.may_contain(hash) {
        return (0, &[]);
    }
    let hash = fnv1a(name.as_bytes());
    let tag = (hash >> 32) as u32;
    let mask = EXACT_SLOTS.len() - 1;
    let mut i = hash as usize & mask;
    loop {
        let (start, len, slot_tag) = EXACT_SLOTS[i];
        if len == 0 {
            return (0, &[]);
        }
        // The tag (the hash's high half) rules out nearly every collision without touching
        // the row's name.
        let (start, len) = (usize::from(start), usize::from(len));
        if slot_tag == tag && same_bytes(ROWS[start].name().as_bytes(), name.as_bytes()) {
            return (start, &ROWS[start..start + len]);
        }
        i = (i + 1) & mask;
    }
}

/// Calls `visit(first_index, rows)` for each run of prefix rows whose prefix starts `name`,
/// shortest prefix first.
#[inline]
pub(crate) fn prefixes(name: &str, mut visit: impl FnMut(usize, &'static [OcdEntry])) {
    if !may_have_prefix(name.as_bytes()) {
        return;
    }
    let Some((&first_byte, rest)) = name.as_bytes().split_first() else {
        return;
    };
    let mut child = TRIE_ROOT[usize::from(first_byte)];
    let mut rest = rest.iter();
    while child != 0 {
        let node = &TRIE_NODES[usize::from(child)];
        if node.rows.1 > 0 {
            let start = usize::from(node.rows.0);
            visit(start, &ROWS[start..start + usize::from(node.rows.1)]);
        }
        let Some(&b) = rest.next() else {
            return;
        };
        // Below the root nodes have few edges: a scan beats a binary search.
        let (first, count) = (usize::from(node.edges.0), usize::from(node.edges.1));
        child = TRIE_EDGES[first..first + count]
            .iter()
            .find(|e| e.0 == b)
            .map_or(0, |e| e.1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`exact`] with the hash computed here.
    fn exact_of(name: &str) -> (usize, &'static [OcdEntry]) {
        exact(name, name_hash(name.as_bytes()))
    }

    #[test]
    fn every_exact_row_is_found_by_its_name() {
        for (i, row) in ROWS[..EXACT_END].iter().enumerate() {
            let (start, rows) = exact_of(row.name());
            assert!(
                (start..start + rows.len()).contains(&i),
                "{} not found",
                row.name()
            );
            assert!(rows.iter().all(|r| r.name() == row.name() && !r.prefix));
        }
    }

    #[test]
    fn every_prefix_row_is_found_for_a_name_that_extends_it() {
        for (i, row) in ROWS.iter().enumerate().skip(EXACT_END) {
            let mut found = false;
            prefixes(&format!("{}xyz", row.name()), |start, rows| {
                found |= (start..start + rows.len()).contains(&i);
                assert!(rows.iter().all(|r| r.prefix));
            });
            assert!(found, "{} not found", row.name());
        }
    }

    #[test]
    fn the_filters_pass_every_row_and_few_other_names() {
        for row in ROWS.iter() {
            if row.prefix {
                assert!(may_have_prefix(row.name().as_bytes()), "{}", row.name());
                assert!(may_have_prefix(format!("{}~x", row.name()).as_bytes()));
            } else {
                assert!(EXACT_FILTER.may_contain(name_hash(row.name().as_bytes())));
            }
        }
        assert!(EXACT_FILTER.fill_per_mille() < 80);
        assert!(PREFIX_FILTER.fill_per_mille() < 40);
        // The prefixes of two and three bytes are keyed whole.
        assert_eq!(SHORT_PREFIX_LENGTHS, 1 << 2 | 1 << 3);
        assert!(may_have_prefix(b"_s"));
        assert!(!may_have_prefix(b"_"));
        // The long head rules out a name that shares only a short head with a long prefix.
        assert!(!may_have_prefix(b"cookie_consent"));
    }

    #[test]
    fn unknown_names_find_nothing() {
        assert!(exact_of("surely-no-cookie-is-called-this").1.is_empty());
        assert!(exact_of("").1.is_empty());
        let mut any = false;
        prefixes("~~~", |_, _| any = true);
        assert!(!any);
    }

    #[test]
    fn the_table_holds_the_whole_database_minus_the_skipped_placeholders() {
        // 2264 rows upstream, 3 placeholder rows skipped (build/ocd.rs, EXCEPTIONS).
        assert_eq!(ocd_entries().len(), 2261);
        assert!(ROWS.iter().all(|r| !r.name().is_empty()));
        assert!(!ROWS.iter().any(|r| r.name().ends_with("NNN")));
    }

    #[test]
    fn rows_are_normalised() {
        let domains = |r: &OcdEntry| r.domains().collect::<Vec<_>>();
        // Domains: notes stripped, lists split, no leading dot, lowercase.
        assert!(ROWS
            .iter()
            .any(|r| domains(r) == ["bing.com", "microsoft.com"]));
        assert!(ROWS.iter().all(|r| r
            .domains()
            .all(|d| !d.starts_with('.') && !d.contains(' ') && d == d.to_ascii_lowercase())));
        // A trailing '*' with Wildcard match = 0 is a prefix.
        let mut scm = false;
        prefixes("SCM123", |_, rows| {
            scm |= rows.iter().any(|r| r.name() == "SCM")
        });
        assert!(scm);
        // The placeholder label of the Adhese rows is dropped.
        assert_eq!(domains(&exact_of("adhese2").1[0]), ["adhese.com"]);
        // Invisible characters and white space are gone.
        assert_eq!(exact_of("logglytrackingsession").1.len(), 1);
        assert_eq!(exact_of("ce_need_secure_cookie").1.len(), 1);
        assert_eq!(domains(&exact_of("TCID").1[0]), ["commander1.com"]);
    }

    #[test]
    fn only_the_documented_single_label_rows_are_limited_to_a_public_suffix() {
        // Those rows can never apply: the classifier ignores a domain that is a public suffix.
        let list = crate::rfc::suffix::builtin();
        let mut odd: Vec<&str> = ocd_entries()
            .iter()
            .flat_map(|r| r.domains())
            .filter(|d| crate::rfc::suffix::is_public_suffix(list, d))
            .collect();
        odd.sort_unstable();
        assert_eq!(odd, ["id5-sync", "ut"]);
    }

    #[test]
    fn strings_are_shared_not_repeated() {
        // 354 platforms over 2261 rows: each distinct string is stored once.
        let google = ROWS.iter().filter(|r| r.platform() == "Google Analytics");
        let offsets: std::collections::HashSet<u32> = google.map(|r| r.platform.0).collect();
        assert_eq!(offsets.len(), 1);
    }
}
