//! Consent categories: classification and the consent decision, with no jar and no I/O
//! (design note `consent-model.md`; user guide `docs/consent.md`).
//!
//! - [`category`](Category): the five categories, [`CategorySet`], [`Exemption`] (§3.1);
//! - [`Classifier`]: operator rules, then the [overlay](overlay_entries), then the
//!   [Open Cookie Database](ocd_entries) compiled in at build time (§4.3);
//! - [`Consent`]: decisions per top-level site with a jar-wide default, [`Profile`]s, GPC,
//!   the [`UnclassifiedPolicy`], and the precomputed [`AllowedMask`] the jar tests each
//!   cookie's [`Requirement`] against (§4.1, §4.2, §4.8, §2.7);
//! - [`rules_from_csv`] and [`rules_from_json`]: an operator's cookie table as [`Rule`]s.
//!
//! ```
//! use cookiejar::consent::{Category, Classifier, Consent, ConsentState, Rule, Source};
//! use cookiejar::rfc::suffix::builtin;
//!
//! let mut classifier = Classifier::new();
//! classifier
//!     .add_rule(Rule::exact("sessionid", Category::Necessary).on_domain("data.example.org"))
//!     .unwrap();
//! let sid = classifier.classify("sessionid", "data.example.org", true, builtin());
//! assert_eq!((sid.categories, sid.source), (Category::Necessary.into(), Source::Operator));
//!
//! let ga = classifier.classify("_ga", "data.example.org", true, builtin());
//! assert_eq!(ga.categories, Category::Statistics.into());
//!
//! let mut consent = Consent::new();
//! assert!(consent.allowed(&ga, "example.org", true, false)); // drop-in: nothing enforced yet
//! consent.set_site("example.org", ConsentState::unset());
//! assert!(!consent.allowed(&ga, "example.org", true, false)); // silence is refusal
//! assert!(consent.allowed(&sid, "example.org", true, true));
//! ```

mod category;
mod classify;
mod csv;
mod json;
mod names;
mod ocd;
mod overlay;
mod policy;
mod state;

pub use category::{Category, CategorySet, Exemption, ParseCategoryError, ParseExemptionError};
pub use classify::{Classification, Classifier, Purpose, Rule, RuleError, Source};
pub use ocd::{ocd_entries, OcdCategory, OcdEntry, OCD_SOURCE};
pub use overlay::{overlay_entries, OverlayEntry};
pub use policy::{rules_from_csv, rules_from_json, PolicyError, PolicyErrorKind};
pub use state::{
    lifetime_cap_ms, AllowedMask, Consent, ConsentError, ConsentState, Decision, Expired,
    ParseProfileError, Profile, Requirement, UnclassifiedPolicy, AUDIENCE_MEASUREMENT_MAX_AGE_MS,
};
