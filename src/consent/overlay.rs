//! The project overlay (design note §1 "Lesson", §4.3 step 2): framework cookies that the Open
//! Cookie Database lacks, files under a domain, or files too broadly.
//!
//! Every entry is a session, security or consent-record cookie that a web framework or consent
//! tool sets on the site's own domain. The overlay applies to first-party cookies only and
//! always yields [`Category::Necessary`](super::Category::Necessary): a third-party cookie with
//! one of these names is somebody else's and goes on to the database. Names are
//! case-sensitive, like cookie names.

use super::names::name_hash;
use crate::rfc::same_bytes;

/// One overlay entry.
#[derive(Debug, PartialEq, Eq)]
pub struct OverlayEntry {
    name: &'static str,
    prefix: bool,
    framework: &'static str,
    purpose: &'static str,
}

impl OverlayEntry {
    /// The cookie name, or the name prefix when [`is_prefix`](Self::is_prefix).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether the name is a prefix.
    pub fn is_prefix(&self) -> bool {
        self.prefix
    }

    /// The framework or tool that sets the cookie.
    pub fn framework(&self) -> &'static str {
        self.framework
    }

    /// What the cookie is for (audit text).
    pub fn purpose(&self) -> &'static str {
        self.purpose
    }
}

const fn exact(name: &'static str, framework: &'static str, purpose: &'static str) -> OverlayEntry {
    OverlayEntry {
        name,
        prefix: false,
        framework,
        purpose,
    }
}

const fn prefix(
    name: &'static str,
    framework: &'static str,
    purpose: &'static str,
) -> OverlayEntry {
    OverlayEntry {
        name,
        prefix: true,
        framework,
        purpose,
    }
}

/// The entries: exact names (sorted, for the reader), then prefixes.
static ENTRIES: [OverlayEntry; 25] = [
    exact(".ASPXAUTH", "ASP.NET", "authentication"),
    exact("ASP.NET_SessionId", "ASP.NET", "server session"),
    exact("CookieConsent", "Cookiebot", "consent record"),
    exact("JSESSIONID", "Java servlet", "server session"),
    exact(
        "OptanonAlertBoxClosed",
        "OneTrust",
        "consent record (banner answered)",
    ),
    exact("OptanonConsent", "OneTrust", "consent record"),
    exact("PHPSESSID", "PHP", "server session"),
    exact("XSRF-TOKEN", "Laravel, Angular", "CSRF protection"),
    exact(
        "__RequestVerificationToken",
        "ASP.NET MVC",
        "CSRF protection",
    ),
    exact("_session_id", "Ruby on Rails", "server session"),
    exact("ci_session", "CodeIgniter", "server session"),
    exact("connect.sid", "Express", "server session"),
    exact("cookies_preferences", "Opendatasoft", "consent record"),
    exact("cookieyes-consent", "CookieYes", "consent record"),
    exact("csrftoken", "Django", "CSRF protection"),
    exact("django_language", "Django", "interface language"),
    exact("euconsent-v2", "IAB TCF", "consent record (TC string)"),
    exact("laravel_session", "Laravel", "server session"),
    exact("messages", "Django", "one-time notices to the user"),
    exact("sessionid", "Django", "authentication session"),
    exact("wordpress_test_cookie", "WordPress", "cookie support check"),
    prefix(
        ".AspNetCore.",
        "ASP.NET Core",
        "session, authentication, CSRF, temp data or culture",
    ),
    prefix("wordpress_logged_in_", "WordPress", "authentication"),
    prefix("wordpress_sec_", "WordPress", "authentication"),
    prefix(
        "wp-settings-",
        "WordPress",
        "interface settings of a logged-in user",
    ),
];

/// How many exact entries `ENTRIES` starts with.
const EXACT: usize = 21;

/// Every overlay entry.
pub fn overlay_entries() -> &'static [OverlayEntry] {
    &ENTRIES
}

/// Bit `n` is set when an exact entry is `n` bytes long (all are shorter than 64): most
/// cookie names are ruled out by their length alone, before any comparison.
const EXACT_LENGTHS: u64 = {
    let mut mask = 0u64;
    let mut i = 0;
    while i < EXACT {
        assert!(ENTRIES[i].name.len() < 64);
        mask |= 1 << ENTRIES[i].name.len();
        i += 1;
    }
    mask
};

/// Slots in [`EXACT_SLOTS`]: a power of two, about three per exact entry, so that a probe
/// rarely looks past its first slot.
const SLOTS: usize = 64;

/// The exact entries by [`name_hash`], open addressing with linear probing: each slot holds an
/// index in `ENTRIES` plus one, or 0 when empty. Built at compile time from `ENTRIES`, so a
/// name costs one hash and (nearly always) one comparison, whatever the table's size.
static EXACT_SLOTS: [u8; SLOTS] = {
    assert!(EXACT < SLOTS && SLOTS.is_power_of_two());
    let mut slots = [0u8; SLOTS];
    let mut i = 0;
    while i < EXACT {
        let mut at = name_hash(ENTRIES[i].name.as_bytes()) as usize & (SLOTS - 1);
        while slots[at] != 0 {
            at = (at + 1) & (SLOTS - 1);
        }
        slots[at] = i as u8 + 1;
        i += 1;
    }
    slots
};

/// The first bytes of the prefix entries, one bit each: a name starting with any other byte
/// skips the prefix scan.
const PREFIX_FIRST_BYTES: [u64; 4] = {
    let mut bytes = [0u64; 4];
    let mut i = EXACT;
    while i < ENTRIES.len() {
        let first = ENTRIES[i].name.as_bytes()[0] as usize;
        bytes[first / 64] |= 1 << (first % 64);
        i += 1;
    }
    bytes
};

/// The most specific entry for `name` (an exact name over a prefix, a longer prefix over a
/// shorter one) and its index in [`overlay_entries`]; `hash` is the name's [`name_hash`],
/// which the caller computes once for all the tables.
pub(crate) fn lookup(name: &str, hash: u64) -> Option<(usize, &'static OverlayEntry)> {
    debug_assert_eq!(hash, name_hash(name.as_bytes()));
    let bytes = name.as_bytes();
    let first = *bytes.first()?;
    if bytes.len() < 64 && EXACT_LENGTHS & (1 << bytes.len()) != 0 {
        let mut at = hash as usize & (SLOTS - 1);
        loop {
            let slot = EXACT_SLOTS[at];
            if slot == 0 {
                break;
            }
            let i = usize::from(slot - 1);
            let e = &ENTRIES[i];
            if same_bytes(e.name.as_bytes(), bytes) {
                return Some((i, e));
            }
            at = (at + 1) & (SLOTS - 1);
        }
    }
    if PREFIX_FIRST_BYTES[usize::from(first) / 64] & 1 << (first % 64) == 0 {
        return None;
    }
    let mut best: Option<(usize, &'static OverlayEntry)> = None;
    for (i, e) in ENTRIES.iter().enumerate().skip(EXACT) {
        if e.name.as_bytes()[0] == first
            && name.starts_with(e.name)
            && best.is_none_or(|(_, b)| e.name.len() > b.name.len())
        {
            best = Some((i, e));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`lookup`] with the hash computed here.
    fn lookup_of(name: &str) -> Option<(usize, &'static OverlayEntry)> {
        lookup(name, name_hash(name.as_bytes()))
    }

    #[test]
    fn exact_entries_are_sorted_and_prefixes_follow_them() {
        assert!(ENTRIES[..EXACT].windows(2).all(|w| w[0].name < w[1].name));
        assert!(ENTRIES[..EXACT].iter().all(|e| !e.prefix));
        assert!(ENTRIES[EXACT..].iter().all(|e| e.prefix));
    }

    #[test]
    fn every_entry_is_found_and_says_what_it_is_for() {
        for (i, e) in ENTRIES.iter().enumerate() {
            let probe = if e.prefix {
                format!("{}x", e.name)
            } else {
                e.name.to_owned()
            };
            assert_eq!(lookup_of(&probe).map(|(j, _)| j), Some(i), "{}", e.name);
            assert!(!e.purpose.is_empty() && !e.framework.is_empty());
        }
    }

    /// The plain reading: scan every entry.
    fn lookup_by_scan(name: &str) -> Option<(usize, &'static OverlayEntry)> {
        if let Some(i) = ENTRIES[..EXACT].iter().position(|e| e.name == name) {
            return Some((i, &ENTRIES[i]));
        }
        ENTRIES
            .iter()
            .enumerate()
            .skip(EXACT)
            .filter(|(_, e)| name.starts_with(e.name))
            .max_by_key(|(i, e)| (e.name.len(), std::cmp::Reverse(*i)))
    }

    #[test]
    fn the_hashed_lookup_agrees_with_a_scan() {
        let mut probes = vec![String::new(), "w".into(), ".".into()];
        for e in &ENTRIES {
            let n = e.name;
            probes.extend([
                n.to_owned(),
                format!("{n}x"),
                format!("x{n}"),
                n[..n.len() - 1].to_owned(),
                n[1..].to_owned(),
                n.to_ascii_lowercase(),
                n.to_ascii_uppercase(),
            ]);
        }
        for p in &probes {
            assert_eq!(
                lookup_of(p).map(|(i, _)| i),
                lookup_by_scan(p).map(|(i, _)| i),
                "{p:?}"
            );
        }
    }

    #[test]
    fn names_are_case_sensitive() {
        assert!(lookup_of("phpsessid").is_none());
        assert!(lookup_of("SessionId").is_none());
        assert!(lookup_of(".aspnetcore.Session").is_none());
    }

    #[test]
    fn framework_prefixes_cover_their_families() {
        let (_, e) = lookup_of(".AspNetCore.Antiforgery.x1y2").unwrap();
        assert_eq!(e.framework(), "ASP.NET Core");
        let (_, e) = lookup_of("wordpress_logged_in_0123abcd").unwrap();
        assert_eq!(e.purpose(), "authentication");
    }
}
