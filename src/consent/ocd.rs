//! The Open Cookie Database, compiled into the crate (design note §2.3, §4.3 step 3).
//!
//! `build/ocd.rs` turns `data/open-cookie-database.csv` into static tables at build time (see
//! `data/NOTICE.md` for the source and licence); this module includes them and answers two
//! questions without allocating: which rows carry exactly this name (a hash probe), and which
//! rows carry a prefix of it (a walk down a byte trie that stops at the first byte no prefix
//! continues with).

use std::fmt;

use super::category::Category;

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

/// The rows whose name is exactly `name`, with the index of the first one.
pub(crate) fn exact(name: &str) -> (usize, &'static [OcdEntry]) {
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
        if slot_tag == tag && ROWS[start].name() == name {
            return (start, &ROWS[start..start + len]);
        }
        i = (i + 1) & mask;
    }
}

/// Calls `visit(first_index, rows)` for each run of prefix rows whose prefix starts `name`,
/// shortest prefix first.
pub(crate) fn prefixes(name: &str, mut visit: impl FnMut(usize, &'static [OcdEntry])) {
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

    #[test]
    fn every_exact_row_is_found_by_its_name() {
        for (i, row) in ROWS[..EXACT_END].iter().enumerate() {
            let (start, rows) = exact(row.name());
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
    fn unknown_names_find_nothing() {
        assert!(exact("surely-no-cookie-is-called-this").1.is_empty());
        assert!(exact("").1.is_empty());
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
        assert_eq!(domains(&exact("adhese2").1[0]), ["adhese.com"]);
        // Invisible characters and white space are gone.
        assert_eq!(exact("logglytrackingsession").1.len(), 1);
        assert_eq!(exact("ce_need_secure_cookie").1.len(), 1);
        assert_eq!(domains(&exact("TCID").1[0]), ["commander1.com"]);
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
