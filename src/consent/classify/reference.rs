//! A plain reading of design note §4.3, to hold [`Classifier::classify`] to.
//!
//! The classifier's lookups are built for speed: hashed and filtered tables, a trie, lazily
//! computed domain facts. This module answers the same question the slow, obvious way, by
//! scanning every operator rule, every overlay entry and every database row, and the tests
//! compare the two on every name the tables hold (and near misses of each), then on random
//! names made of pieces of real ones.

use proptest::prelude::*;

use super::*;
use crate::consent::ocd::ocd_entries;
use crate::consent::overlay::overlay_entries;
use crate::rfc::suffix::builtin;

/// One rule that applies, as §4.3 ranks it: (domain-constrained, exact name, name length,
/// matched domain length), larger wins.
struct Candidate<'a> {
    rank: (bool, bool, usize, usize),
    categories: CategorySet,
    exemption: Option<Exemption>,
    id: u32,
    purpose: Option<&'a Purpose>,
}

/// The winners among `candidates`: the highest rank; ties merged (union of categories, an
/// exemption only if all carry the same one, the smallest id and its purpose).
fn winner<'a>(candidates: Vec<Candidate<'a>>) -> Option<Candidate<'a>> {
    let top = candidates.iter().map(|c| c.rank).max()?;
    let tied: Vec<Candidate<'a>> = candidates.into_iter().filter(|c| c.rank == top).collect();
    let first = tied.iter().min_by_key(|c| c.id)?;
    let exemption = if tied.iter().all(|c| c.exemption == tied[0].exemption) {
        tied[0].exemption
    } else {
        None
    };
    Some(Candidate {
        rank: top,
        categories: tied
            .iter()
            .fold(CategorySet::EMPTY, |s, c| s.union(c.categories)),
        exemption,
        id: first.id,
        purpose: first.purpose,
    })
}

/// §4.3 by scanning: operator rules, then the overlay (first-party only), then the database.
fn classify_by_scan(
    c: &Classifier,
    name: &str,
    cookie_domain: &str,
    first_party: bool,
    list: &dyn PublicSuffixList,
) -> Classification {
    let domain = cookie_domain.strip_prefix('.').unwrap_or(cookie_domain);
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let is_ip = looks_like_ip(domain);
    // The length of the rule domain the cookie's domain matches; a public suffix never does.
    let domain_len = |d: &str| {
        (host::domain_match(domain, is_ip, d) && !suffix::is_public_suffix(list, d))
            .then_some(d.len())
    };

    // 1. Operator rules.
    let mut candidates = Vec::new();
    for stored in &c.rules {
        let rule = &stored.rule;
        let named = if rule.name_is_prefix {
            name.starts_with(rule.name.as_str())
        } else {
            name == rule.name
        };
        if !named {
            continue;
        }
        let matched = match &rule.domain {
            None => Some(0),
            Some(d) if stored.host_is_ip => (d == domain).then_some(d.len()),
            Some(d) => domain_len(d),
        };
        let Some(matched) = matched else { continue };
        candidates.push(Candidate {
            rank: (
                rule.domain.is_some(),
                !rule.name_is_prefix,
                rule.name.len(),
                matched,
            ),
            categories: rule.categories,
            exemption: rule.exemption,
            id: stored.id,
            purpose: stored.purpose.as_ref(),
        });
    }
    if let Some(w) = winner(candidates) {
        return Classification {
            categories: w.categories,
            exemption: w.exemption,
            source: Source::Operator,
            rule_id: Some(w.id),
            purpose: w.purpose.cloned(),
            ocd_hint: None,
        };
    }

    // 2. The overlay: an exact entry, else the longest prefix (the first of equals).
    if first_party {
        let entries = overlay_entries();
        let exact = entries
            .iter()
            .position(|e| !e.is_prefix() && e.name() == name);
        let prefix = || {
            let mut best: Option<usize> = None;
            for (i, e) in entries.iter().enumerate() {
                if e.is_prefix()
                    && name.starts_with(e.name())
                    && best.is_none_or(|b| e.name().len() > entries[b].name().len())
                {
                    best = Some(i);
                }
            }
            best
        };
        if let Some(i) = exact.or_else(prefix) {
            return Classification {
                categories: CategorySet::single(Category::Necessary),
                exemption: None,
                source: Source::Overlay,
                rule_id: Some(i as u32),
                purpose: Some(Purpose::from_static(entries[i].purpose())),
                ocd_hint: None,
            };
        }
    }

    // 3. The database; the hint is the first row (in table order) that carries the name but
    //    is limited to other domains.
    let mut candidates = Vec::new();
    let mut hint = None;
    for (i, row) in ocd_entries().iter().enumerate() {
        let named = if row.is_prefix() {
            name.starts_with(row.name())
        } else {
            name == row.name()
        };
        if !named {
            continue;
        }
        let matched = if row.has_domains() {
            row.domains().filter_map(domain_len).max()
        } else {
            Some(0)
        };
        let Some(matched) = matched else {
            hint.get_or_insert(row);
            continue;
        };
        candidates.push(Candidate {
            rank: (
                row.has_domains(),
                !row.is_prefix(),
                row.name().len(),
                matched,
            ),
            categories: CategorySet::single(row.category().category(first_party)),
            exemption: None,
            id: i as u32,
            purpose: None,
        });
    }
    if let Some(w) = winner(candidates) {
        return Classification {
            categories: w.categories,
            exemption: None,
            source: Source::OpenCookieDb,
            rule_id: Some(w.id),
            purpose: None,
            ocd_hint: None,
        };
    }

    // 4. Nothing matched.
    Classification {
        ocd_hint: hint,
        ..Classification::unclassified()
    }
}

/// Operator rules that touch the names and domains below: exact and prefix, with and without
/// a domain, on an IP address, on a public suffix, tied, and an empty prefix.
fn with_rules() -> Classifier {
    let mut c = Classifier::new();
    let rules = [
        Rule::exact("_ga", Category::Necessary).on_domain("example.com"),
        Rule::exact("_ga", Category::Marketing).on_domain("www.example.com"),
        Rule::exact("PHPSESSID", Category::Necessary).with_purpose("session"),
        Rule::exact("PHPSESSID", Category::Preferences).with_purpose("tied"),
        Rule::prefix("_pk_", Category::Statistics)
            .with_exemption(Exemption::AudienceMeasurement)
            .with_purpose("matomo"),
        Rule::prefix("_pk_id", Category::Statistics).on_domain("example.com"),
        Rule::prefix("", Category::Preferences).on_domain("shop.example"),
        Rule::exact("sessionid", Category::Necessary).on_domain("10.0.0.1"),
        Rule::exact("IDE", Category::Necessary).on_domain("github.io"),
        Rule::prefix("wordpress_", Category::Marketing),
        Rule::exact("csrftoken", Category::Necessary).on_domain("data.example.org"),
    ];
    c.add_rules(rules).unwrap();
    c
}

/// The cookie domains every name is tried on; the rows' own domains are added per name.
const DOMAINS: [&str; 7] = [
    "example.com",
    ".www.example.com",
    "shop.example",
    "10.0.0.1",
    "octocat.github.io",
    "data.example.org.",
    "localhost",
];

/// Every classifier and party the comparison runs with.
fn compare_everywhere(classifiers: &[Classifier], name: &str, domains: &[&str]) {
    for c in classifiers {
        for &domain in domains {
            for first_party in [true, false] {
                let fast = c.classify(name, domain, first_party, builtin());
                let slow = classify_by_scan(c, name, domain, first_party, builtin());
                assert_eq!(
                    fast,
                    slow,
                    "{name:?} on {domain:?}, first party {first_party}, {} rules",
                    c.rules.len()
                );
            }
        }
    }
}

/// Variants of a name: itself, a byte added at either end, a byte removed from either end,
/// and its case changed.
fn variants(name: &str) -> Vec<String> {
    let mut out = vec![
        name.to_owned(),
        format!("{name}x"),
        format!("{name}_"),
        format!("{name}."),
        format!("x{name}"),
        name.to_ascii_lowercase(),
        name.to_ascii_uppercase(),
    ];
    let mut chars = name.chars();
    chars.next_back();
    out.push(chars.as_str().to_owned());
    let mut chars = name.chars();
    chars.next();
    out.push(chars.as_str().to_owned());
    // The first letter's case flipped alone.
    let mut flipped = name.to_owned();
    if let Some(f) = flipped.get_mut(..1) {
        if f.as_bytes()[0].is_ascii_lowercase() {
            f.make_ascii_uppercase();
        } else {
            f.make_ascii_lowercase();
        }
    }
    out.push(flipped);
    out.sort();
    out.dedup();
    out
}

#[test]
fn classify_agrees_with_a_scan_on_every_table_name_and_its_near_misses() {
    let classifiers = [Classifier::new(), with_rules()];
    let mut names: Vec<(&str, Vec<String>)> = Vec::new();
    for row in ocd_entries() {
        // The row's own domains, a subdomain of each and a lookalike of each.
        let mut domains: Vec<String> = DOMAINS.iter().map(|d| d.to_string()).collect();
        for d in row.domains() {
            domains.extend([d.to_owned(), format!("sub.{d}"), format!("x{d}")]);
        }
        names.push((row.name(), domains));
    }
    for e in overlay_entries() {
        names.push((e.name(), DOMAINS.iter().map(|d| d.to_string()).collect()));
    }
    for (name, domains) in &names {
        let domains: Vec<&str> = domains.iter().map(String::as_str).collect();
        for v in variants(name) {
            compare_everywhere(&classifiers, &v, &domains);
        }
    }
    for odd in ["", "x", "_", "=", "\u{e9}t\u{e9}", "a;b"] {
        compare_everywhere(&classifiers, odd, &DOMAINS);
    }
}

/// The names of every table, for the random names below.
fn table_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = ocd_entries().iter().map(|r| r.name()).collect();
    names.extend(overlay_entries().iter().map(|e| e.name()));
    names
}

/// A cookie domain: one of [`DOMAINS`] or one a database row is limited to, maybe with a
/// subdomain in front.
fn domain_strategy() -> impl Strategy<Value = String> {
    let mut pool: Vec<String> = DOMAINS.iter().map(|d| d.to_string()).collect();
    pool.extend(
        ocd_entries()
            .iter()
            .flat_map(|r| r.domains())
            .map(str::to_owned),
    );
    (proptest::sample::select(pool), any::<bool>()).prop_map(|(d, sub)| {
        if sub {
            format!("www.{d}")
        } else {
            d
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Names glued from pieces of real names (a head of one, then parts of others) land
    /// near the tables' prefixes and hash collisions; each must classify as the scan does.
    #[test]
    fn classify_agrees_with_a_scan_on_names_made_of_pieces_of_real_names(
        pieces in proptest::collection::vec((any::<prop::sample::Index>(), 0usize..48, 0usize..48), 1..4),
        domain in domain_strategy(),
        first_party in any::<bool>(),
        rules in any::<bool>(),
    ) {
        let names = table_names();
        let mut name = String::new();
        for (k, (i, a, b)) in pieces.into_iter().enumerate() {
            let source = names[i.index(names.len())];
            let (a, b) = (a.min(b), a.max(b));
            // The first piece is a head, so that the name starts like a real one.
            let a = if k == 0 { 0 } else { a };
            // Whole characters only (a few names are not ASCII).
            let piece: String = source.chars().skip(a).take(b - a).collect();
            name.push_str(&piece);
        }
        let c = if rules { with_rules() } else { Classifier::new() };
        let fast = c.classify(&name, &domain, first_party, builtin());
        let slow = classify_by_scan(&c, &name, &domain, first_party, builtin());
        prop_assert_eq!(fast, slow, "{:?} on {:?}", name, domain);
    }
}
