//! Consent state and the decision "may this cookie be stored or sent here?" (design note §4.1,
//! §4.2, §4.8, §2.7 and the drop-in rule).
//!
//! [`Consent`] holds the user's decisions (a jar-wide default and one record per top-level
//! site), the Global Privacy Control flag, the jurisdiction [`Profile`] and the
//! [`UnclassifiedPolicy`]. After every change it precomputes, for each record, an
//! [`AllowedMask`] for first-party and one for third-party cookies, so the per-cookie check is
//! a lookup and a bit test:
//!
//! ```
//! use cookiejar::consent::{Category, Classifier, Consent, ConsentState, Requirement};
//! use cookiejar::rfc::suffix::builtin;
//!
//! let classifier = Classifier::new();
//! let mut consent = Consent::new();
//! consent.set_site("example.com", ConsentState::unset().with(Category::Statistics, true, 1_000));
//!
//! let ga = classifier.classify("_ga", "example.com", true, builtin());
//! let need = Requirement::of(&ga, false); // computed once, at store time
//! assert!(consent.allowed_mask("example.com", true).permits(need));
//! assert!(!consent.allowed_mask("other.org", true).permits(need));
//! ```
//!
//! Nothing here reads the clock: every time is a parameter, in Unix milliseconds.

use std::fmt;
use std::str::FromStr;

use super::category::{Category, CategorySet, Exemption};
use super::classify::{Classification, FnvMap};

/// 13 months (395 days) in milliseconds: CNIL's lifetime cap for audience-measurement cookies
/// (design note §4.4 step 4).
pub const AUDIENCE_MEASUREMENT_MAX_AGE_MS: i64 = 395 * 24 * 60 * 60 * 1000;

/// A user's answer for one category. `Unset` counts as refusal ("silence is refusal"), except
/// for exempt statistics and, under [`Profile::UkDuaa`], opt-out categories, where only an
/// explicit `Denied` (an objection) refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Decision {
    /// The user agreed.
    Granted,
    /// The user refused or objected.
    Denied,
    /// The user has not answered.
    #[default]
    Unset,
}

impl Decision {
    /// `Granted` for `true`, `Denied` for `false`.
    pub const fn from_bool(granted: bool) -> Decision {
        if granted {
            Decision::Granted
        } else {
            Decision::Denied
        }
    }
}

/// The decisions for one site, or the jar-wide default. `Necessary` is implicit and always on;
/// `Unclassified` is decided by the [`UnclassifiedPolicy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ConsentState {
    /// Preferences cookies.
    pub preferences: Decision,
    /// Statistics cookies.
    pub statistics: Decision,
    /// Marketing cookies.
    pub marketing: Decision,
    /// When the user last decided (Unix ms); `None` if never. Compared with the time GPC was
    /// switched on, and used for expiry.
    pub decided_at: Option<i64>,
}

impl ConsentState {
    /// Nothing decided.
    pub const fn unset() -> ConsentState {
        ConsentState {
            preferences: Decision::Unset,
            statistics: Decision::Unset,
            marketing: Decision::Unset,
            decided_at: None,
        }
    }

    /// The state a consent banner records: each optional category in `granted` is `Granted`,
    /// every other one `Denied` (an explicit choice, which also objects to exempt statistics).
    /// `Necessary` and `Unclassified` in `granted` are ignored.
    pub const fn from_granted(granted: CategorySet, decided_at: i64) -> ConsentState {
        ConsentState {
            preferences: Decision::from_bool(granted.contains(Category::Preferences)),
            statistics: Decision::from_bool(granted.contains(Category::Statistics)),
            marketing: Decision::from_bool(granted.contains(Category::Marketing)),
            decided_at: Some(decided_at),
        }
    }

    /// The same state with `category` granted or denied at `at`. `Necessary` and
    /// `Unclassified` are not the user's to decide and leave the state as it is (apart from
    /// the time).
    #[must_use]
    pub const fn with(mut self, category: Category, granted: bool, at: i64) -> ConsentState {
        let d = Decision::from_bool(granted);
        match category {
            Category::Preferences => self.preferences = d,
            Category::Statistics => self.statistics = d,
            Category::Marketing => self.marketing = d,
            Category::Necessary | Category::Unclassified => {}
        }
        self.decided_at = Some(at);
        self
    }

    /// The decision for `category`: `Granted` for `Necessary`, `Unset` for `Unclassified`.
    pub const fn decision(&self, category: Category) -> Decision {
        match category {
            Category::Necessary => Decision::Granted,
            Category::Preferences => self.preferences,
            Category::Statistics => self.statistics,
            Category::Marketing => self.marketing,
            Category::Unclassified => Decision::Unset,
        }
    }

    /// The categories the user granted, with `Necessary` (always granted).
    pub const fn granted(&self) -> CategorySet {
        let mut set = CategorySet::single(Category::Necessary);
        if matches!(self.preferences, Decision::Granted) {
            set = set.with(Category::Preferences);
        }
        if matches!(self.statistics, Decision::Granted) {
            set = set.with(Category::Statistics);
        }
        if matches!(self.marketing, Decision::Granted) {
            set = set.with(Category::Marketing);
        }
        set
    }
}

/// A jurisdiction profile (design note §4.2). The default is the strictest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Profile {
    /// Generic EU reading: everything optional is opt-in; no audience-measurement exemption.
    #[default]
    Strict,
    /// France (CNIL 2020-091/092): opt-in, but first-party audience measurement declared by
    /// the operator is exempt until the user objects.
    Cnil,
    /// UK (Data (Use and Access) Act 2025): first-party preferences and statistics are on until
    /// the user objects; the audience-measurement exemption holds too.
    UkDuaa,
}

impl Profile {
    /// Whether the profile honours [`Exemption::AudienceMeasurement`].
    pub const fn honours_audience_measurement(self) -> bool {
        matches!(self, Profile::Cnil | Profile::UkDuaa)
    }

    /// Whether `category` is opt-out under this profile for first-party cookies (on unless the
    /// user objects).
    pub const fn is_opt_out(self, category: Category) -> bool {
        matches!(
            (self, category),
            (
                Profile::UkDuaa,
                Category::Preferences | Category::Statistics
            )
        )
    }

    /// The name [`Display`](fmt::Display) prints and [`FromStr`] reads.
    pub const fn name(self) -> &'static str {
        match self {
            Profile::Strict => "strict",
            Profile::Cnil => "cnil",
            Profile::UkDuaa => "uk-duaa",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A string that names no [`Profile`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseProfileError(Box<str>);

impl fmt::Display for ParseProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown consent profile {:?} (expected strict, cnil or uk-duaa)",
            self.0
        )
    }
}

impl std::error::Error for ParseProfileError {}

impl FromStr for Profile {
    type Err = ParseProfileError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "strict" => Ok(Profile::Strict),
            "cnil" => Ok(Profile::Cnil),
            "uk-duaa" | "ukduaa" | "duaa" => Ok(Profile::UkDuaa),
            _ => Err(ParseProfileError(s.into())),
        }
    }
}

/// What happens to cookies no rule classifies (design note §4.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnclassifiedPolicy {
    /// Allowed exactly when this category is; `TreatAs(Marketing)` is the default.
    /// `TreatAs(Unclassified)` means the default.
    TreatAs(Category),
    /// Never allowed (while consent is enforced).
    Reject,
    /// First-party session cookies are allowed as if `Necessary`; everything else is treated
    /// as `Marketing`. A relaxation for apps talking to their own back end; opt-in only.
    AllowFirstPartySession,
}

impl Default for UnclassifiedPolicy {
    fn default() -> Self {
        UnclassifiedPolicy::TreatAs(Category::Marketing)
    }
}

/// The bit of an [`AllowedMask`] or [`Requirement`] for Statistics under the
/// audience-measurement exemption.
const EXEMPT_STATISTICS: u8 = 1 << 5;
/// The bit for an Unclassified session cookie (see [`UnclassifiedPolicy::AllowFirstPartySession`]).
const UNCLASSIFIED_SESSION: u8 = 1 << 6;

/// What a cookie needs to be allowed, as bits: bits 0–4 are its categories; an exempt
/// Statistics cookie needs bit 5 instead of bit 2, and an Unclassified session cookie bit 6
/// instead of bit 4. Compute it once per cookie (at store time) and test it against an
/// [`AllowedMask`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Requirement(u8);

impl Requirement {
    /// The requirement of a cookie with this classification; `session` says whether it has no
    /// `Expires`/`Max-Age`.
    pub const fn of(c: &Classification, session: bool) -> Requirement {
        let mut bits = c.categories.bits();
        let stat = CategorySet::single(Category::Statistics).bits();
        let uncl = CategorySet::single(Category::Unclassified).bits();
        if matches!(c.exemption, Some(Exemption::AudienceMeasurement)) && bits & stat != 0 {
            bits = (bits & !stat) | EXEMPT_STATISTICS;
        }
        if session && bits & uncl != 0 {
            bits = (bits & !uncl) | UNCLASSIFIED_SESSION;
        }
        Requirement(bits)
    }

    /// The bits (see the type's documentation).
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// The requirement with these bits (as [`bits`](Self::bits) gave them), for storage.
    pub const fn from_bits(bits: u8) -> Requirement {
        Requirement(bits & 0x7f)
    }
}

/// What is allowed for one site and party, as bits matching [`Requirement`]'s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AllowedMask(u8);

impl AllowedMask {
    /// Everything allowed (consent not enforced).
    pub const ALL: AllowedMask = AllowedMask(0x7f);

    /// Whether a cookie with this requirement is allowed: every bit it needs is set.
    #[inline]
    pub const fn permits(self, need: Requirement) -> bool {
        need.0 & !self.0 == 0
    }

    /// The bits.
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Whether plain `category` is allowed.
    pub const fn allows(self, category: Category) -> bool {
        self.0 & (1 << category as u8) != 0
    }
}

/// A change refused by [`Consent::set_decision`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConsentError {
    /// `Necessary` is always allowed and `Unclassified` follows the [`UnclassifiedPolicy`];
    /// neither is the user's to grant or deny.
    NotDecidable(Category),
}

impl fmt::Display for ConsentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConsentError::NotDecidable(c) => write!(
                f,
                "{c} cookies are not subject to a consent decision (only preferences, statistics \
                 and marketing are)"
            ),
        }
    }
}

impl std::error::Error for ConsentError {}

/// What [`Consent::expire_decided_before`] returned to `Unset`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expired {
    /// Whether the jar-wide default expired.
    pub default: bool,
    /// The sites whose records expired.
    pub sites: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    state: ConsentState,
    /// Indexed by `first_party as usize`.
    masks: [AllowedMask; 2],
}

/// The consent a jar enforces: decisions per site with a jar-wide default, GPC, the profile
/// and the unclassified policy (design note §4.1).
///
/// **Drop-in rule.** A new `Consent` enforces nothing: every cookie is allowed, so the jar
/// behaves like a plain RFC 6265bis jar. It starts enforcing, for good, the first time consent
/// is set ([`set_default`](Self::set_default), [`set_site`](Self::set_site),
/// [`set_decision`](Self::set_decision)) or on [`start_enforcing`](Self::start_enforcing).
/// GPC is the exception: once switched on it blocks Marketing cookies even before that, and
/// Unclassified ones wherever the policy would treat them as Marketing or reject them.
///
/// Sites are keys as the jar computes them (the registrable domain, or the host when there is
/// none), lowercase; `set_*` lowercases and drops a trailing dot, lookups take the key as is.
#[derive(Debug, Clone)]
pub struct Consent {
    default: Entry,
    sites: FnvMap<Box<str>, Entry>,
    gpc_since: Option<i64>,
    profile: Profile,
    unclassified: UnclassifiedPolicy,
    enforcing: bool,
    /// Indexed by `first_party as usize`.
    unenforced: [AllowedMask; 2],
    generation: u64,
}

impl Default for Consent {
    fn default() -> Self {
        Consent::new()
    }
}

impl Consent {
    /// Nothing decided, not enforcing, profile [`Profile::Strict`], unclassified cookies
    /// treated as Marketing, GPC off.
    pub fn new() -> Consent {
        let mut c = Consent {
            default: Entry {
                state: ConsentState::unset(),
                masks: [AllowedMask::ALL; 2],
            },
            sites: FnvMap::default(),
            gpc_since: None,
            profile: Profile::default(),
            unclassified: UnclassifiedPolicy::default(),
            enforcing: false,
            unenforced: [AllowedMask::ALL; 2],
            generation: 0,
        };
        c.recompute_all();
        c
    }

    /// Whether consent is enforced (see the drop-in rule above).
    pub fn is_enforcing(&self) -> bool {
        self.enforcing
    }

    /// Starts enforcing without recording any decision: from now on silence is refusal.
    pub fn start_enforcing(&mut self) {
        if !self.enforcing {
            self.enforcing = true;
            self.changed();
        }
    }

    /// A number that changes on every change of consent, profile, policy or GPC, so that a
    /// caller can tell when its stored cookies need checking again.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The jurisdiction profile.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Changes the jurisdiction profile.
    pub fn set_profile(&mut self, profile: Profile) {
        self.profile = profile;
        self.recompute_all();
    }

    /// The policy for unclassified cookies.
    pub fn unclassified_policy(&self) -> UnclassifiedPolicy {
        self.unclassified
    }

    /// Changes the policy for unclassified cookies.
    pub fn set_unclassified_policy(&mut self, policy: UnclassifiedPolicy) {
        self.unclassified = policy;
        self.recompute_all();
    }

    /// Whether Global Privacy Control is on.
    pub fn gpc(&self) -> bool {
        self.gpc_since.is_some()
    }

    /// When GPC was switched on (Unix ms), if it is on.
    pub fn gpc_since(&self) -> Option<i64> {
        self.gpc_since
    }

    /// Switches Global Privacy Control on or off at `at` (design note §2.7). While on,
    /// Marketing is refused everywhere except on sites whose own record grants it with a
    /// decision newer than `at`; so are Unclassified cookies that the policy treats as
    /// Marketing. Switching it on again when it is already on keeps the original time.
    pub fn set_gpc(&mut self, on: bool, at: i64) {
        self.gpc_since = match (on, self.gpc_since) {
            (true, Some(since)) => Some(since),
            (true, None) => Some(at),
            (false, _) => None,
        };
        self.recompute_all();
    }

    /// The jar-wide default, which applies to sites without a record of their own.
    pub fn default_state(&self) -> &ConsentState {
        &self.default.state
    }

    /// Sets the jar-wide default (and starts enforcing).
    pub fn set_default(&mut self, state: ConsentState) {
        self.enforcing = true;
        self.default.state = state;
        self.recompute_all();
    }

    /// The record of `site`, if it has one.
    pub fn site_state(&self, site: &str) -> Option<&ConsentState> {
        self.sites.get(site).map(|e| &e.state)
    }

    /// The decisions that apply on `site`: its own record, or the default.
    pub fn state_for(&self, site: &str) -> &ConsentState {
        self.site_state(site).unwrap_or(&self.default.state)
    }

    /// Sets the record of `site` (and starts enforcing).
    pub fn set_site(&mut self, site: &str, state: ConsentState) {
        self.enforcing = true;
        let entry = Entry {
            state,
            masks: self.masks(&state, true),
        };
        self.sites.insert(site_key(site).into(), entry);
        self.changed();
    }

    /// Removes the record of `site`, which falls back to the default; returns the record.
    pub fn remove_site(&mut self, site: &str) -> Option<ConsentState> {
        let removed = self.sites.remove(site_key(site).as_str())?;
        self.changed();
        Some(removed.state)
    }

    /// The sites with a record of their own, in no particular order.
    pub fn sites(&self) -> impl Iterator<Item = (&str, &ConsentState)> {
        self.sites.iter().map(|(k, e)| (&**k, &e.state))
    }

    /// Records one decision at `at`, for `site` (`None`: the jar-wide default), starting from
    /// the record that applied there until now. Starts enforcing.
    pub fn set_decision(
        &mut self,
        site: Option<&str>,
        category: Category,
        decision: Decision,
        at: i64,
    ) -> Result<(), ConsentError> {
        let mut state = match site {
            Some(s) => *self.state_for(&site_key(s)),
            None => self.default.state,
        };
        match category {
            Category::Preferences => state.preferences = decision,
            Category::Statistics => state.statistics = decision,
            Category::Marketing => state.marketing = decision,
            Category::Necessary | Category::Unclassified => {
                return Err(ConsentError::NotDecidable(category))
            }
        }
        state.decided_at = Some(at);
        match site {
            Some(s) => self.set_site(s, state),
            None => self.set_default(state),
        }
        Ok(())
    }

    /// Returns every decision made before `cutoff` (Unix ms) to `Unset` (design note §4.1,
    /// consent expiry: the embedder picks the lifetime, e.g. `now - 6 months`). The caller
    /// treats the result like a withdrawal.
    pub fn expire_decided_before(&mut self, cutoff: i64) -> Expired {
        let mut expired = Expired::default();
        let old = |s: &ConsentState| s.decided_at.is_some_and(|t| t < cutoff);
        if old(&self.default.state) {
            self.default.state = ConsentState::unset();
            expired.default = true;
        }
        for (site, entry) in &mut self.sites {
            if old(&entry.state) {
                entry.state = ConsentState::unset();
                expired.sites.push(site.to_string());
            }
        }
        if expired.default || !expired.sites.is_empty() {
            self.recompute_all();
        }
        expired
    }

    /// What is allowed on `site` for first- or third-party cookies: the hot-path form of
    /// [`allowed`](Self::allowed). `site` must be a key as the jar computes it (lowercase).
    #[inline]
    pub fn allowed_mask(&self, site: &str, first_party: bool) -> AllowedMask {
        if !self.enforcing {
            return self.unenforced[usize::from(first_party)];
        }
        let entry = if self.sites.is_empty() {
            &self.default
        } else {
            self.sites.get(site).unwrap_or(&self.default)
        };
        entry.masks[usize::from(first_party)]
    }

    /// Whether a cookie with this classification may be stored or sent on `site` (design note
    /// §4.1): every category in its set must be allowed. `session` says whether the cookie
    /// has no `Expires`/`Max-Age` (it matters for
    /// [`UnclassifiedPolicy::AllowFirstPartySession`]).
    pub fn allowed(
        &self,
        c: &Classification,
        site: &str,
        first_party: bool,
        session: bool,
    ) -> bool {
        self.allowed_mask(site, first_party)
            .permits(Requirement::of(c, session))
    }

    /// The lifetime cap the consent rules put on a cookie with this classification, under
    /// this consent's profile; see [`lifetime_cap_ms`].
    pub fn lifetime_cap_ms(&self, c: &Classification) -> Option<i64> {
        lifetime_cap_ms(c, self.profile)
    }

    fn changed(&mut self) {
        self.generation += 1;
    }

    fn recompute_all(&mut self) {
        self.default.masks = self.masks(&self.default.state, false);
        let mut sites = std::mem::take(&mut self.sites);
        for entry in sites.values_mut() {
            entry.masks = self.masks(&entry.state, true);
        }
        self.sites = sites;
        self.unenforced = [false, true].map(|first_party| self.unenforced_mask(first_party));
        self.changed();
    }

    /// Before enforcement starts everything is allowed, except what GPC alone forbids:
    /// Marketing, and Unclassified cookies wherever the policy would treat them as Marketing
    /// (or reject them, which is stricter still).
    fn unenforced_mask(&self, first_party: bool) -> AllowedMask {
        if self.gpc_since.is_none() {
            return AllowedMask::ALL;
        }
        let mut bits = AllowedMask::ALL.0 & !bit(Category::Marketing);
        let unclassified = bit(Category::Unclassified) | UNCLASSIFIED_SESSION;
        match self.unclassified {
            UnclassifiedPolicy::TreatAs(Category::Marketing | Category::Unclassified)
            | UnclassifiedPolicy::Reject => bits &= !unclassified,
            UnclassifiedPolicy::TreatAs(_) => {}
            UnclassifiedPolicy::AllowFirstPartySession => {
                bits &= !unclassified;
                if first_party {
                    bits |= UNCLASSIFIED_SESSION;
                }
            }
        }
        AllowedMask(bits)
    }

    /// [third-party mask, first-party mask] for a state (§4.1, §4.2, §4.8, §2.7).
    fn masks(&self, state: &ConsentState, own_record: bool) -> [AllowedMask; 2] {
        [false, true].map(|first_party| {
            let allowed = |c: Category| self.category_allowed(state, own_record, c, first_party);
            let mut bits = bit(Category::Necessary);
            for c in Category::OPTIONAL {
                if allowed(c) {
                    bits |= bit(c);
                }
            }
            // Exempt statistics: on by default, first-party only, off when the user objects.
            if allowed(Category::Statistics)
                || (self.profile.honours_audience_measurement()
                    && first_party
                    && state.statistics != Decision::Denied)
            {
                bits |= EXEMPT_STATISTICS;
            }
            bits |= match self.unclassified {
                UnclassifiedPolicy::TreatAs(c) => {
                    let c = if c == Category::Unclassified {
                        Category::Marketing
                    } else {
                        c
                    };
                    if allowed(c) {
                        bit(Category::Unclassified) | UNCLASSIFIED_SESSION
                    } else {
                        0
                    }
                }
                UnclassifiedPolicy::Reject => 0,
                UnclassifiedPolicy::AllowFirstPartySession => {
                    let mut b = 0;
                    if allowed(Category::Marketing) {
                        b |= bit(Category::Unclassified) | UNCLASSIFIED_SESSION;
                    }
                    if first_party {
                        b |= UNCLASSIFIED_SESSION;
                    }
                    b
                }
            };
            AllowedMask(bits)
        })
    }

    /// One plain category, without exemptions (§4.1).
    fn category_allowed(
        &self,
        state: &ConsentState,
        own_record: bool,
        c: Category,
        first_party: bool,
    ) -> bool {
        let decision = state.decision(c);
        match c {
            Category::Necessary => true,
            Category::Preferences | Category::Statistics => {
                decision == Decision::Granted
                    || (first_party && self.profile.is_opt_out(c) && decision != Decision::Denied)
            }
            Category::Marketing => {
                decision == Decision::Granted
                    && match self.gpc_since {
                        None => true,
                        // Only a site's own grant, made after GPC was switched on, lifts it.
                        Some(since) => own_record && state.decided_at.is_some_and(|t| t > since),
                    }
            }
            // Unclassified is handled by the policy, never decided directly.
            Category::Unclassified => false,
        }
    }
}

fn bit(c: Category) -> u8 {
    1 << c as u8
}

fn site_key(site: &str) -> String {
    let s = site.trim();
    s.strip_suffix('.').unwrap_or(s).to_ascii_lowercase()
}

/// The lifetime cap the consent rules put on a cookie (design note §4.4 step 4, §4.6): 13
/// months ([`AUDIENCE_MEASUREMENT_MAX_AGE_MS`]) for a cookie carrying
/// [`Exemption::AudienceMeasurement`] under a profile that honours it; `None` otherwise (the
/// jar's own 400-day cap still applies).
pub fn lifetime_cap_ms(c: &Classification, profile: Profile) -> Option<i64> {
    match c.exemption {
        Some(Exemption::AudienceMeasurement) if profile.honours_audience_measurement() => {
            Some(AUDIENCE_MEASUREMENT_MAX_AGE_MS)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::Source;

    fn of(c: Category) -> Classification {
        Classification::new(c.into(), Source::Operator)
    }

    fn exempt_stats() -> Classification {
        Classification {
            exemption: Some(Exemption::AudienceMeasurement),
            ..of(Category::Statistics)
        }
    }

    #[test]
    fn requirement_swaps_in_the_exemption_and_session_bits() {
        assert_eq!(
            Requirement::of(&of(Category::Statistics), false).bits(),
            0b100
        );
        assert_eq!(
            Requirement::of(&exempt_stats(), false).bits(),
            EXEMPT_STATISTICS
        );
        assert_eq!(
            Requirement::of(&Classification::unclassified(), true).bits(),
            UNCLASSIFIED_SESSION
        );
        assert_eq!(
            Requirement::of(&Classification::unclassified(), false).bits(),
            0b1_0000
        );
        assert_eq!(
            Requirement::of(&of(Category::Marketing), true).bits(),
            0b1000
        );
    }

    #[test]
    fn masks_are_recomputed_when_the_profile_changes() {
        let mut c = Consent::new();
        c.start_enforcing();
        let need = Requirement::of(&exempt_stats(), false);
        assert!(!c.allowed_mask("a.com", true).permits(need));
        c.set_profile(Profile::Cnil);
        assert!(c.allowed_mask("a.com", true).permits(need));
    }

    #[test]
    fn site_keys_are_lowercased_without_a_trailing_dot() {
        let mut c = Consent::new();
        c.set_site(
            "Example.COM.",
            ConsentState::from_granted(CategorySet::ALL, 1),
        );
        assert!(c.site_state("example.com").is_some());
        assert!(c
            .allowed_mask("example.com", true)
            .allows(Category::Marketing));
    }

    #[test]
    fn generation_moves_on_every_change() {
        let mut c = Consent::new();
        let mut g = c.generation();
        let mut step = |c: &Consent| {
            assert!(c.generation() > g);
            g = c.generation();
        };
        c.set_gpc(true, 5);
        step(&c);
        c.set_site("a.com", ConsentState::unset());
        step(&c);
        c.set_site("a.com", ConsentState::from_granted(CategorySet::ALL, 9));
        step(&c);
        c.remove_site("a.com");
        step(&c);
        c.set_unclassified_policy(UnclassifiedPolicy::Reject);
        step(&c);
    }

    #[test]
    fn turning_gpc_on_twice_keeps_the_first_time() {
        let mut c = Consent::new();
        c.set_gpc(true, 10);
        c.set_gpc(true, 20);
        assert_eq!(c.gpc_since(), Some(10));
        c.set_gpc(false, 30);
        assert!(!c.gpc());
    }

    #[test]
    fn profiles_parse_from_their_names() {
        for p in [Profile::Strict, Profile::Cnil, Profile::UkDuaa] {
            assert_eq!(p.to_string().parse::<Profile>(), Ok(p));
        }
        assert_eq!("UK_DUAA".parse::<Profile>(), Ok(Profile::UkDuaa));
        assert!("gdpr".parse::<Profile>().is_err());
    }

    #[test]
    fn consent_states_record_banner_choices() {
        let s = ConsentState::from_granted(
            CategorySet::single(Category::Statistics) | Category::Necessary,
            7,
        );
        assert_eq!(s.statistics, Decision::Granted);
        assert_eq!(s.marketing, Decision::Denied);
        assert_eq!(s.decided_at, Some(7));
        assert_eq!(
            s.granted(),
            CategorySet::single(Category::Necessary) | Category::Statistics
        );
        let t = ConsentState::unset().with(Category::Marketing, true, 3);
        assert_eq!(t.decision(Category::Marketing), Decision::Granted);
        assert_eq!(t.decision(Category::Necessary), Decision::Granted);
        assert_eq!(t.preferences, Decision::Unset);
    }
}
