//! The project overlay (design note §1 "Lesson", §4.3 step 2): framework cookies that the Open
//! Cookie Database lacks, files under a domain, or files too broadly.
//!
//! Every entry is a session, security or consent-record cookie that a web framework or consent
//! tool sets on the site's own domain. The overlay applies to first-party cookies only and
//! always yields [`Category::Necessary`](super::Category::Necessary): a third-party cookie with
//! one of these names is somebody else's and goes on to the database. Names are
//! case-sensitive, like cookie names.

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

/// The most specific entry for `name` (an exact name over a prefix, a longer prefix over a
/// shorter one) and its index in [`overlay_entries`].
pub(crate) fn lookup(name: &str) -> Option<(usize, &'static OverlayEntry)> {
    let first = *name.as_bytes().first()?;
    if name.len() < 64 && EXACT_LENGTHS & (1 << name.len()) != 0 {
        // A linear scan that compares lengths and first bytes before any string: cheaper than
        // a binary search's string comparisons for a table this small.
        for (i, e) in ENTRIES[..EXACT].iter().enumerate() {
            if e.name.len() == name.len() && e.name.as_bytes()[0] == first && e.name == name {
                return Some((i, e));
            }
        }
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
            assert_eq!(lookup(&probe).map(|(j, _)| j), Some(i), "{}", e.name);
            assert!(!e.purpose.is_empty() && !e.framework.is_empty());
        }
    }

    #[test]
    fn names_are_case_sensitive() {
        assert!(lookup("phpsessid").is_none());
        assert!(lookup("SessionId").is_none());
        assert!(lookup(".aspnetcore.Session").is_none());
    }

    #[test]
    fn framework_prefixes_cover_their_families() {
        let (_, e) = lookup(".AspNetCore.Antiforgery.x1y2").unwrap();
        assert_eq!(e.framework(), "ASP.NET Core");
        let (_, e) = lookup("wordpress_logged_in_0123abcd").unwrap();
        assert_eq!(e.purpose(), "authentication");
    }
}
