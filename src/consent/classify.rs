//! Classification: which categories a cookie belongs to, and why (design note §4.3).
//!
//! Three rule sources are tried in order and the first that matches wins: the operator's
//! rules, the project [overlay](super::overlay) (first-party cookies only), and the
//! [Open Cookie Database](super::ocd). Nothing matching gives [`Category::Unclassified`].
//!
//! Within one source the most specific rule wins: a domain-constrained rule over an
//! unconstrained one, an exact name over a prefix, a longer prefix over a shorter one, and
//! (a choice the note leaves open) a longer matching domain over a shorter one. Rules still
//! tied are merged: the union of their categories, an exemption only if all of them grant it.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Deref;
use std::sync::Arc;

use super::category::{Category, CategorySet, Exemption};
use super::names::name_hash;
use super::ocd::{self, OcdEntry};
use super::overlay::{self, OverlayEntry};
use crate::rfc::host::{self, DomainAttributeError, HostKind};
use crate::rfc::suffix::{self, PublicSuffixList};

/// Which rule source decided a classification, in the order they are tried.
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// A rule the operator (the embedder) added.
    Operator = 0,
    /// The project overlay of framework cookies.
    Overlay = 1,
    /// The Open Cookie Database.
    OpenCookieDb = 2,
    /// No rule matched: [`Category::Unclassified`].
    Default = 3,
}

impl Source {
    /// The source numbered `value` (as [`as_u8`](Self::as_u8) gives it), if there is one.
    pub const fn from_u8(value: u8) -> Option<Source> {
        match value {
            0 => Some(Source::Operator),
            1 => Some(Source::Overlay),
            2 => Some(Source::OpenCookieDb),
            3 => Some(Source::Default),
            _ => None,
        }
    }

    /// The source's number, for compact storage.
    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// A short lowercase name.
    pub const fn name(self) -> &'static str {
        match self {
            Source::Operator => "operator",
            Source::Overlay => "overlay",
            Source::OpenCookieDb => "open-cookie-database",
            Source::Default => "default",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Free text saying what a cookie is for ("authentication", "consent record"), kept for audit.
///
/// Cloning never allocates: the text is either static (overlay) or shared with the rule it
/// came from.
#[derive(Clone)]
pub struct Purpose(PurposeText);

#[derive(Clone)]
enum PurposeText {
    Static(&'static str),
    Shared(Arc<str>),
}

impl Purpose {
    /// A purpose from static text.
    pub const fn from_static(text: &'static str) -> Purpose {
        Purpose(PurposeText::Static(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            PurposeText::Static(s) => s,
            PurposeText::Shared(s) => s,
        }
    }
}

impl Deref for Purpose {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Purpose {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Purpose {
    fn from(text: &str) -> Self {
        Purpose(PurposeText::Shared(text.into()))
    }
}

impl From<String> for Purpose {
    fn from(text: String) -> Self {
        Purpose(PurposeText::Shared(text.into()))
    }
}

impl PartialEq for Purpose {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Purpose {}

impl std::hash::Hash for Purpose {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Debug for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of classifying one cookie (design note §3.1). Cheap to clone: no field owns a
/// heap allocation of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    /// The categories; the cookie is allowed only when all of them are.
    pub categories: CategorySet,
    /// An exemption granted by an operator rule (never by another source).
    pub exemption: Option<Exemption>,
    /// The source that decided.
    pub source: Source,
    /// Which rule decided, for explanations: the operator rule's id, the index in
    /// [`overlay_entries`](super::overlay_entries), or the index in
    /// [`ocd_entries`](super::ocd_entries); the smallest one when tied rules were merged.
    /// `None` for [`Source::Default`].
    pub rule_id: Option<u32>,
    /// The rule's purpose text, if it has one.
    pub purpose: Option<Purpose>,
    /// For an unclassified cookie: an Open Cookie Database row that carries the cookie's name
    /// but is limited to other domains. Audit only; it never grants anything (§4.3).
    pub ocd_hint: Option<&'static OcdEntry>,
}

impl Classification {
    /// The classification of a cookie no rule knows: [`Category::Unclassified`].
    pub const fn unclassified() -> Classification {
        Classification {
            categories: CategorySet::single(Category::Unclassified),
            exemption: None,
            source: Source::Default,
            rule_id: None,
            purpose: None,
            ocd_hint: None,
        }
    }

    /// A classification with just categories and a source (for stored cookies read back).
    pub const fn new(categories: CategorySet, source: Source) -> Classification {
        Classification {
            categories,
            exemption: None,
            source,
            rule_id: None,
            purpose: None,
            ocd_hint: None,
        }
    }

    /// Whether the cookie is [`Category::Unclassified`].
    pub const fn is_unclassified(&self) -> bool {
        self.categories.contains(Category::Unclassified)
    }

    /// The database row that decided, when the source is [`Source::OpenCookieDb`].
    pub fn ocd_entry(&self) -> Option<&'static OcdEntry> {
        match (self.source, self.rule_id) {
            (Source::OpenCookieDb, Some(i)) => ocd::ocd_entries().get(i as usize),
            _ => None,
        }
    }

    /// The overlay entry that decided, when the source is [`Source::Overlay`].
    pub fn overlay_entry(&self) -> Option<&'static OverlayEntry> {
        match (self.source, self.rule_id) {
            (Source::Overlay, Some(i)) => overlay::overlay_entries().get(i as usize),
            _ => None,
        }
    }
}

/// An operator's declaration about one cookie name or name prefix (design note §4.3 step 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// `None`: any domain. Otherwise the rule applies to cookies whose domain is this domain or
    /// one of its subdomains (RFC 6265bis domain-match).
    pub domain: Option<String>,
    /// The cookie name, or the name prefix when `name_is_prefix` (an empty prefix matches every
    /// name).
    pub name: String,
    /// Whether `name` is a prefix.
    pub name_is_prefix: bool,
    /// The categories (at least one).
    pub categories: CategorySet,
    /// An exemption; [`Exemption::AudienceMeasurement`] needs [`Category::Statistics`].
    pub exemption: Option<Exemption>,
    /// What the cookie is for (audit text).
    pub purpose: Option<String>,
    /// Who sets the cookie (audit text).
    pub provider: Option<String>,
}

impl Rule {
    /// A rule for the cookie named exactly `name`, on any domain.
    pub fn exact(name: impl Into<String>, categories: impl Into<CategorySet>) -> Rule {
        Rule {
            domain: None,
            name: name.into(),
            name_is_prefix: false,
            categories: categories.into(),
            exemption: None,
            purpose: None,
            provider: None,
        }
    }

    /// A rule for every cookie whose name starts with `prefix`, on any domain.
    pub fn prefix(prefix: impl Into<String>, categories: impl Into<CategorySet>) -> Rule {
        Rule {
            name_is_prefix: true,
            ..Rule::exact(prefix, categories)
        }
    }

    /// The same rule, limited to `domain` and its subdomains.
    #[must_use]
    pub fn on_domain(mut self, domain: impl Into<String>) -> Rule {
        self.domain = Some(domain.into());
        self
    }

    /// The same rule with an exemption.
    #[must_use]
    pub fn with_exemption(mut self, exemption: Exemption) -> Rule {
        self.exemption = Some(exemption);
        self
    }

    /// The same rule with a purpose text.
    #[must_use]
    pub fn with_purpose(mut self, purpose: impl Into<String>) -> Rule {
        self.purpose = Some(purpose.into());
        self
    }

    /// The same rule with a provider.
    #[must_use]
    pub fn with_provider(mut self, provider: impl Into<String>) -> Rule {
        self.provider = Some(provider.into());
        self
    }
}

/// Why a [`Rule`] was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleError {
    /// The rule has no category.
    NoCategory,
    /// An exact rule with an empty name.
    EmptyName,
    /// The name holds a control character, `;` or `=`, which no cookie name can contain.
    InvalidName,
    /// The domain is not a host name or IP address (non-ASCII names must be given as A-labels,
    /// `xn--…`).
    InvalidDomain(String),
    /// An exemption on a rule without [`Category::Statistics`].
    ExemptionWithoutStatistics,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::NoCategory => f.write_str("the rule has no category"),
            RuleError::EmptyName => f.write_str("the cookie name is empty"),
            RuleError::InvalidName => f.write_str(
                "the cookie name contains a control character, ';' or '=', which no cookie name can",
            ),
            RuleError::InvalidDomain(d) => write!(
                f,
                "{d:?} is not a host name or IP address (write international names as xn-- A-labels)"
            ),
            RuleError::ExemptionWithoutStatistics => f.write_str(
                "the audience-measurement exemption applies only to statistics cookies",
            ),
        }
    }
}

impl std::error::Error for RuleError {}

/// FNV-1a for the small string keys of the operator index and the consent records (SipHash's
/// resistance to chosen keys buys nothing for keys the embedder chose).
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

pub(crate) type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

#[derive(Debug, Clone)]
struct StoredRule {
    id: u32,
    rule: Rule,
    host_is_ip: bool,
    purpose: Option<Purpose>,
}

/// Classifies cookies: the operator's rules, then the overlay, then the Open Cookie Database
/// (design note §4.3).
///
/// The overlay and the database are compiled in; operator rules are added at run time and
/// each gets an id. [`version`](Self::version) changes whenever the rules do, so that stored
/// classifications can be known stale.
#[derive(Debug, Clone, Default)]
pub struct Classifier {
    rules: Vec<StoredRule>,
    exact: FnvMap<Box<str>, Vec<usize>>,
    prefixes: Vec<usize>,
    next_id: u32,
    version: u64,
}

/// Checks a rule and canonicalises its domain (lowercase, no leading or trailing dot, IP
/// literals normalised); also says whether the domain is an IP address.
pub(crate) fn canonical_rule(mut rule: Rule) -> Result<(Rule, bool), RuleError> {
    if rule.categories.is_empty() {
        return Err(RuleError::NoCategory);
    }
    if rule.name.is_empty() && !rule.name_is_prefix {
        return Err(RuleError::EmptyName);
    }
    if rule
        .name
        .chars()
        .any(|c| c.is_control() || c == ';' || c == '=')
    {
        return Err(RuleError::InvalidName);
    }
    if rule.exemption.is_some() && !rule.categories.contains(Category::Statistics) {
        return Err(RuleError::ExemptionWithoutStatistics);
    }
    let mut host_is_ip = false;
    if let Some(d) = rule.domain.take() {
        let bare = d.trim();
        let bare = bare.strip_prefix('.').unwrap_or(bare);
        let bare = bare.strip_suffix('.').unwrap_or(bare);
        match host::canonicalize_domain_attribute(bare) {
            Ok((canonical, kind)) => {
                host_is_ip = kind != HostKind::Domain;
                rule.domain = Some(canonical.into_owned());
            }
            Err(DomainAttributeError::NonAscii | DomainAttributeError::Invalid) => {
                return Err(RuleError::InvalidDomain(d));
            }
        }
    }
    Ok((rule, host_is_ip))
}

fn prepare(rule: Rule) -> Result<StoredRule, RuleError> {
    let (rule, host_is_ip) = canonical_rule(rule)?;
    Ok(StoredRule {
        id: 0,
        host_is_ip,
        purpose: rule.purpose.as_deref().map(Purpose::from),
        rule,
    })
}

/// How specific a matching rule is; compared field by field, larger wins (§4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Specificity {
    constrained: bool,
    exact: bool,
    prefix_len: usize,
    domain_len: usize,
}

/// The best match so far within one source.
struct Best<'a> {
    spec: Specificity,
    categories: CategorySet,
    exemption: Option<Exemption>,
    rule_id: u32,
    purpose: Option<&'a Purpose>,
}

fn offer<'a>(best: &mut Option<Best<'a>>, candidate: Best<'a>) {
    match best {
        None => *best = Some(candidate),
        Some(b) if candidate.spec > b.spec => *b = candidate,
        Some(b) if candidate.spec == b.spec => {
            b.categories = b.categories.union(candidate.categories);
            if b.exemption != candidate.exemption {
                b.exemption = None;
            }
            if candidate.rule_id < b.rule_id {
                b.rule_id = candidate.rule_id;
                b.purpose = candidate.purpose;
            }
        }
        Some(_) => {}
    }
}

/// The cookie's side of a match.
struct Target<'a> {
    domain: &'a str,
    list: &'a dyn PublicSuffixList,
}

impl Target<'_> {
    /// The length of the longest of `domains` that the cookie's domain domain-matches, not
    /// counting a domain that is a public suffix: such a rule would span unrelated sites.
    fn matched_domain<'d>(&self, domains: impl IntoIterator<Item = &'d str>) -> Option<usize> {
        // Computed only for a domain that passes the suffix test below: most listed domains are
        // some other site's, and the IP test reads the whole name.
        let mut is_ip = None;
        domains
            .into_iter()
            // Domain-matching `d` requires ending with it (RFC 6265bis §5.1.3: identical, or a
            // suffix after a dot), so this test, one comparison, only rules out non-matches.
            .filter(|d| self.domain.as_bytes().ends_with(d.as_bytes()))
            .filter(|d| {
                let is_ip = *is_ip.get_or_insert_with(|| looks_like_ip(self.domain));
                host::domain_match(self.domain, is_ip, d)
            })
            .filter(|d| !suffix::is_public_suffix(self.list, d))
            .map(str::len)
            .max()
    }
}

/// Whether a canonical host is an IP literal: IPv6 is bracketed, and a canonical IPv4 address
/// is the only host whose last label is numeric.
fn looks_like_ip(host: &str) -> bool {
    host.starts_with('[')
        || host
            .rsplit('.')
            .next()
            .is_some_and(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
}

impl Classifier {
    /// A classifier with the overlay and the database, and no operator rules.
    pub fn new() -> Classifier {
        Classifier::default()
    }

    /// Adds an operator rule and returns its id. The domain is canonicalised (lowercase,
    /// without a leading or trailing dot, IP literals normalised).
    pub fn add_rule(&mut self, rule: Rule) -> Result<u32, RuleError> {
        let stored = prepare(rule)?;
        Ok(self.insert(stored))
    }

    /// Adds several rules, all or none: on error nothing is added and the error comes with the
    /// index of the offending rule.
    pub fn add_rules(
        &mut self,
        rules: impl IntoIterator<Item = Rule>,
    ) -> Result<Vec<u32>, (usize, RuleError)> {
        let prepared = rules
            .into_iter()
            .enumerate()
            .map(|(i, r)| prepare(r).map_err(|e| (i, e)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(prepared.into_iter().map(|r| self.insert(r)).collect())
    }

    /// Removes the rule with this id and returns it.
    pub fn remove_rule(&mut self, id: u32) -> Option<Rule> {
        let at = self.rules.iter().position(|r| r.id == id)?;
        let removed = self.rules.remove(at);
        self.reindex();
        Some(removed.rule)
    }

    /// Removes every operator rule.
    pub fn clear_rules(&mut self) {
        self.rules.clear();
        self.reindex();
    }

    /// The rule with this id (with its domain canonicalised).
    pub fn rule(&self, id: u32) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id).map(|r| &r.rule)
    }

    /// The operator rules with their ids, oldest first.
    pub fn rules(&self) -> impl Iterator<Item = (u32, &Rule)> {
        self.rules.iter().map(|r| (r.id, &r.rule))
    }

    /// A number that changes whenever the operator rules change (the rule-set version of
    /// design note §4.3 and §4.9).
    pub fn version(&self) -> u64 {
        self.version
    }

    fn insert(&mut self, mut stored: StoredRule) -> u32 {
        self.next_id += 1;
        stored.id = self.next_id;
        self.rules.push(stored);
        self.index(self.rules.len() - 1);
        self.version += 1;
        self.next_id
    }

    fn index(&mut self, at: usize) {
        let rule = &self.rules[at].rule;
        if rule.name_is_prefix {
            self.prefixes.push(at);
        } else {
            self.exact
                .entry(rule.name.as_str().into())
                .or_default()
                .push(at);
        }
    }

    fn reindex(&mut self) {
        self.exact.clear();
        self.prefixes.clear();
        for at in 0..self.rules.len() {
            self.index(at);
        }
        self.version += 1;
    }

    /// Classifies one cookie (design note §4.3).
    ///
    /// - `name`: the cookie name (case-sensitive);
    /// - `cookie_domain`: its effective domain, canonical (the `Domain` attribute, or the
    ///   request host for a host-only cookie); a leading or trailing dot is ignored;
    /// - `first_party`: whether the cookie's site is the top-level site (§4.5);
    /// - `list`: the public suffix list; a rule whose domain is a public suffix never applies.
    ///
    /// Allocates nothing: the lookups borrow the name, and purposes are shared, not copied.
    pub fn classify(
        &self,
        name: &str,
        cookie_domain: &str,
        first_party: bool,
        list: &dyn PublicSuffixList,
    ) -> Classification {
        let domain = cookie_domain.strip_prefix('.').unwrap_or(cookie_domain);
        let domain = domain.strip_suffix('.').unwrap_or(domain);
        let target = Target { domain, list };

        // 1. Operator rules.
        if !self.rules.is_empty() {
            if let Some(best) = self.match_operator(name, &target) {
                return Classification {
                    categories: best.categories,
                    exemption: best.exemption,
                    source: Source::Operator,
                    rule_id: Some(best.rule_id),
                    purpose: best.purpose.cloned(),
                    ocd_hint: None,
                };
            }
        }

        // Computed once for the overlay's table and the database's.
        let hash = name_hash(name.as_bytes());

        // 2. The overlay, for first-party cookies only.
        if first_party {
            if let Some((i, entry)) = overlay::lookup(name, hash) {
                return Classification {
                    categories: CategorySet::single(Category::Necessary),
                    exemption: None,
                    source: Source::Overlay,
                    rule_id: Some(i as u32),
                    purpose: Some(Purpose::from_static(entry.purpose())),
                    ocd_hint: None,
                };
            }
        }

        // 3. The Open Cookie Database.
        let mut hint = None;
        if let Some(best) = match_ocd(name, hash, &target, first_party, &mut hint) {
            return Classification {
                categories: best.categories,
                exemption: None,
                source: Source::OpenCookieDb,
                rule_id: Some(best.rule_id),
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

    fn match_operator(&self, name: &str, target: &Target<'_>) -> Option<Best<'_>> {
        let mut best = None;
        let exact = self.exact.get(name).map(Vec::as_slice).unwrap_or(&[]);
        let prefixes = self
            .prefixes
            .iter()
            .filter(|&&at| name.starts_with(self.rules[at].rule.name.as_str()));
        for &at in exact.iter().chain(prefixes) {
            let stored = &self.rules[at];
            let rule = &stored.rule;
            let domain_len = match &rule.domain {
                None => 0,
                Some(d) => {
                    // A rule written for an IP address matches that address only.
                    let matched = if stored.host_is_ip {
                        (d == target.domain).then_some(d.len())
                    } else {
                        target.matched_domain([d.as_str()])
                    };
                    match matched {
                        Some(len) => len,
                        None => continue,
                    }
                }
            };
            offer(
                &mut best,
                Best {
                    spec: Specificity {
                        constrained: rule.domain.is_some(),
                        exact: !rule.name_is_prefix,
                        prefix_len: rule.name.len(),
                        domain_len,
                    },
                    categories: rule.categories,
                    exemption: rule.exemption,
                    rule_id: stored.id,
                    purpose: stored.purpose.as_ref(),
                },
            );
        }
        best
    }
}

/// The database's answer (§4.3 step 3): applicable rows compete by specificity; a row that
/// matches by name but is limited to other domains becomes `hint` when nothing applies.
/// `hash` is the name's [`name_hash`].
fn match_ocd(
    name: &str,
    hash: u64,
    target: &Target<'_>,
    first_party: bool,
    hint: &mut Option<&'static OcdEntry>,
) -> Option<Best<'static>> {
    let mut best = None;
    let (start, rows) = ocd::exact(name, hash);
    for (k, row) in rows.iter().enumerate() {
        consider_ocd_row(&mut best, hint, start + k, row, target, first_party);
    }
    ocd::prefixes(name, |start, rows| {
        for (k, row) in rows.iter().enumerate() {
            consider_ocd_row(&mut best, hint, start + k, row, target, first_party);
        }
    });
    if best.is_some() {
        *hint = None;
    }
    best
}

/// Offers one database row that carries the cookie's name (row `index` of the table): it
/// competes if it applies on the cookie's domain, and is kept as the hint if not.
// Always inlined into its two call sites (it was a closure): this runs for every name a row
// carries, and a call would spill `best` and `hint` to memory each time.
#[inline(always)]
fn consider_ocd_row(
    best: &mut Option<Best<'static>>,
    hint: &mut Option<&'static OcdEntry>,
    index: usize,
    row: &'static OcdEntry,
    target: &Target<'_>,
    first_party: bool,
) {
    let domain_len = if !row.has_domains() {
        0
    } else {
        match target.matched_domain(row.domains()) {
            Some(len) => len,
            None => {
                hint.get_or_insert(row);
                return;
            }
        }
    };
    offer(
        best,
        Best {
            spec: Specificity {
                constrained: row.has_domains(),
                exact: !row.is_prefix(),
                prefix_len: row.name_len(),
                domain_len,
            },
            categories: CategorySet::single(row.category().category(first_party)),
            exemption: None,
            rule_id: index as u32,
            purpose: None,
        },
    );
}

#[cfg(test)]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rfc::suffix::builtin;

    fn classify(c: &Classifier, name: &str, domain: &str, first_party: bool) -> Classification {
        c.classify(name, domain, first_party, builtin())
    }

    #[test]
    fn specificity_orders_domain_then_exactness_then_prefix_length() {
        let s = |constrained, exact, prefix_len, domain_len| Specificity {
            constrained,
            exact,
            prefix_len,
            domain_len,
        };
        assert!(s(true, false, 1, 3) > s(false, true, 9, 0));
        assert!(s(false, true, 2, 0) > s(false, false, 9, 0));
        assert!(s(false, false, 5, 0) > s(false, false, 4, 0));
        assert!(s(true, true, 3, 12) > s(true, true, 3, 8));
    }

    #[test]
    fn tied_rules_merge_into_the_union_and_keep_an_exemption_only_if_all_have_it() {
        let mut c = Classifier::new();
        let a = c
            .add_rule(
                Rule::exact("m", Category::Statistics)
                    .with_exemption(Exemption::AudienceMeasurement)
                    .with_purpose("first"),
            )
            .unwrap();
        c.add_rule(Rule::exact("m", Category::Marketing)).unwrap();
        let got = classify(&c, "m", "example.com", true);
        assert_eq!(
            got.categories,
            CategorySet::single(Category::Statistics) | Category::Marketing
        );
        assert_eq!(got.exemption, None);
        assert_eq!(got.rule_id, Some(a));
        assert_eq!(got.purpose.as_deref(), Some("first"));
    }

    #[test]
    fn rules_are_validated_and_canonicalised() {
        let mut c = Classifier::new();
        assert_eq!(
            c.add_rule(Rule::exact("a", CategorySet::EMPTY)),
            Err(RuleError::NoCategory)
        );
        assert_eq!(
            c.add_rule(Rule::exact("", Category::Necessary)),
            Err(RuleError::EmptyName)
        );
        assert_eq!(
            c.add_rule(Rule::exact("a=b", Category::Necessary)),
            Err(RuleError::InvalidName)
        );
        assert_eq!(
            c.add_rule(
                Rule::exact("a", Category::Marketing)
                    .with_exemption(Exemption::AudienceMeasurement)
            ),
            Err(RuleError::ExemptionWithoutStatistics)
        );
        assert!(matches!(
            c.add_rule(Rule::exact("a", Category::Necessary).on_domain("exa mple.com")),
            Err(RuleError::InvalidDomain(_))
        ));
        assert!(matches!(
            c.add_rule(Rule::exact("a", Category::Necessary).on_domain("bücher.de")),
            Err(RuleError::InvalidDomain(_))
        ));
        let id = c
            .add_rule(Rule::exact("a", Category::Necessary).on_domain(".Data.Example.ORG."))
            .unwrap();
        assert_eq!(
            c.rule(id).unwrap().domain.as_deref(),
            Some("data.example.org")
        );
        assert!(c
            .add_rule(Rule::prefix("", Category::Necessary).on_domain("example.org"))
            .is_ok());
    }

    #[test]
    fn adding_several_rules_is_all_or_nothing() {
        let mut c = Classifier::new();
        let err = c
            .add_rules([
                Rule::exact("a", Category::Necessary),
                Rule::exact("b", CategorySet::EMPTY),
            ])
            .unwrap_err();
        assert_eq!(err, (1, RuleError::NoCategory));
        assert_eq!(c.rules().count(), 0);
        let ids = c
            .add_rules([
                Rule::exact("a", Category::Necessary),
                Rule::exact("b", Category::Marketing),
            ])
            .unwrap();
        assert_eq!(ids.len(), 2);
    }

    #[test]
    fn removing_a_rule_restores_the_next_source_and_bumps_the_version() {
        let mut c = Classifier::new();
        let v0 = c.version();
        let id = c.add_rule(Rule::exact("_ga", Category::Necessary)).unwrap();
        assert_eq!(
            classify(&c, "_ga", "example.com", true).source,
            Source::Operator
        );
        assert!(c.version() > v0);
        let v1 = c.version();
        assert_eq!(c.remove_rule(id).unwrap().name, "_ga");
        assert!(c.version() > v1);
        assert_eq!(
            classify(&c, "_ga", "example.com", true).source,
            Source::OpenCookieDb
        );
        assert!(c.remove_rule(id).is_none());
    }

    #[test]
    fn a_rule_on_a_public_suffix_never_applies() {
        let mut c = Classifier::new();
        c.add_rule(Rule::exact("x", Category::Necessary).on_domain("github.io"))
            .unwrap();
        let got = classify(&c, "x", "octocat.github.io", true);
        assert_eq!(got.source, Source::Default);
    }

    #[test]
    fn a_rule_for_an_ip_address_matches_that_address_only() {
        let mut c = Classifier::new();
        c.add_rule(Rule::exact("x", Category::Necessary).on_domain("10.0.0.1"))
            .unwrap();
        assert_eq!(classify(&c, "x", "10.0.0.1", true).source, Source::Operator);
        assert_eq!(classify(&c, "x", "110.0.0.1", true).source, Source::Default);
    }

    #[test]
    fn cookie_domains_may_carry_a_leading_dot() {
        let got = classify(&Classifier::new(), "IDE", ".doubleclick.net", false);
        assert_eq!(got.source, Source::OpenCookieDb);
    }

    #[test]
    fn the_winning_database_row_and_overlay_entry_are_reachable() {
        let c = Classifier::new();
        let ga = classify(&c, "_ga", "example.com", true);
        assert_eq!(ga.ocd_entry().unwrap().name(), "_ga");
        assert!(ga.overlay_entry().is_none());
        let php = classify(&c, "PHPSESSID", "example.com", true);
        assert_eq!(php.overlay_entry().unwrap().framework(), "PHP");
        assert!(php.ocd_entry().is_none());
    }

    #[test]
    fn ip_literals_are_recognised() {
        assert!(looks_like_ip("192.168.0.1"));
        assert!(looks_like_ip("[::1]"));
        assert!(!looks_like_ip("example.com"));
        assert!(!looks_like_ip("localhost"));
    }
}
