//! `cookiejar consent`: what the jar's consent says and what it does to the stored cookies, and
//! the changes a consent banner or an operator makes (decisions, GPC, profile, the policy for
//! unclassified cookies, classification rules).
//!
//! Every change goes through the jar's own consent methods, which purge what the new consent
//! no longer allows and record the change in the jar file; this module only parses, calls and
//! reports, so the tool can never disagree with what an embedding application would do.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use cookiejar::consent::Exemption;
use cookiejar::{
    Category, CategorySet, Classification, Consent, ConsentChangeError, ConsentState, Cookie,
    Decision, Jar, Profile, Rule, UnclassifiedPolicy,
};

use super::{
    count, label, open, parse_url, print_table, printable, read_input, site_of, utc, Failure,
    Outcome,
};

pub const CONSENT_AFTER_HELP: &str = "\
The drop-in rule: a jar where consent was never set enforces nothing. The first grant, deny or \
reset starts enforcement for good; from then on an unset category counts as refused, so the \
first change can purge cookies of every category not granted (they are listed).

Examples:
  cookiejar consent                                  show everything (same as `consent show`)
  cookiejar consent grant statistics                 jar-wide: statistics allowed on every site
  cookiejar consent deny marketing --site news.example.org
  cookiejar consent --gpc on --profile cnil          GPC and the French profile
  cookiejar consent load-policy cookie-policy.csv    the operator's cookie table (CSV or JSON)
  cookiejar consent rule 'sessionid' necessary --domain data.example.org
  cookiejar consent rule '_pk_id.*' statistics --exemption audience-measurement";

/// The `consent` command line. The settings (`--gpc`, `--profile`, `--unclassified`) apply
/// first, then the action; with neither, it shows the consent state.
#[derive(Args)]
pub struct ConsentArgs {
    /// Switch Global Privacy Control on or off: while on, marketing cookies (and unclassified
    /// ones treated as marketing) are refused and purged everywhere, except on sites granted
    /// marketing after GPC was switched on
    #[arg(long, value_enum, value_name = "on|off")]
    gpc: Option<OnOff>,
    /// The jurisdiction profile: strict (everything optional is opt-in), cnil (first-party
    /// audience measurement declared by a rule is exempt until the user objects), uk-duaa
    /// (first-party preferences and statistics are on until the user objects)
    #[arg(long, value_enum)]
    profile: Option<ProfileArg>,
    /// What cookies no rule classifies need: the consent of a category (marketing, the
    /// default; statistics; preferences; necessary, i.e. none), reject (never allowed while
    /// consent is enforced), or first-party-session (first-party session cookies allowed, the
    /// rest as marketing)
    #[arg(long, value_enum, value_name = "POLICY")]
    unclassified: Option<UnclassifiedArg>,

    #[command(subcommand)]
    action: Option<ConsentAction>,
}

#[derive(Subcommand)]
enum ConsentAction {
    /// Show the decisions, GPC, the profile and the unclassified policy, and what consent
    /// allows of the stored cookies (the default)
    ///
    /// The jar-wide default and each site's record, per category; then per category how many
    /// stored cookies consent allows under the top-level site each is kept for.
    Show,
    /// Grant categories, jar-wide or on one top-level site
    ///
    /// Granting restores nothing that was purged. The first decision on a jar starts
    /// enforcement, which purges what is not granted.
    Grant(Decide),
    /// Deny categories, jar-wide or on one top-level site, purging what that withdraws
    Deny(Decide),
    /// Return categories to unset, jar-wide or on one top-level site
    ///
    /// Unset means no answer, which counts as refused, except where the profile makes a
    /// category opt-out. Purges what that no longer allows.
    Reset(Decide),
    /// Add the rules of a cookie-policy table (CSV or JSON)
    ///
    /// The format is in docs/consent.md; "-" reads stdin. Stored cookies are classified again,
    /// and those no longer allowed are purged.
    LoadPolicy {
        /// The policy file
        file: PathBuf,
    },
    /// Add one classification rule
    ///
    /// Operator rules come before the built-in overlay and the Open Cookie Database. Stored
    /// cookies are classified again, and those no longer allowed are purged.
    Rule(RuleArgs),
}

#[derive(Args)]
struct Decide {
    /// The categories: preferences, statistics, marketing, or all three [default for reset:
    /// all]
    #[arg(value_enum, value_name = "CATEGORY")]
    categories: Vec<Decidable>,
    /// The top-level site the decision is for (a host or a URL; its registrable domain is what
    /// counts) [default: the jar-wide default, which applies to every site without a record]
    #[arg(long, value_name = "SITE")]
    site: Option<String>,
}

#[derive(Args)]
struct RuleArgs {
    /// The cookie name; a trailing * makes it a prefix ('_pk_id.*')
    name: String,
    /// The categories, joined with + or commas (statistics+marketing); a cookie in several
    /// needs consent to each
    #[arg(value_name = "CATEGORY")]
    categories: String,
    /// Only cookies of this domain and its subdomains [default: any domain]
    #[arg(long, value_name = "DOMAIN")]
    domain: Option<String>,
    /// An exemption: audience-measurement (first-party statistics allowed until the user
    /// objects under the cnil and uk-duaa profiles; needs the statistics category)
    #[arg(long, value_name = "EXEMPTION")]
    exemption: Option<String>,
    /// What the cookie is for (kept for the audit)
    #[arg(long, value_name = "TEXT")]
    purpose: Option<String>,
    /// Who sets the cookie (kept for the audit)
    #[arg(long, value_name = "TEXT")]
    provider: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum OnOff {
    On,
    Off,
}

#[derive(Clone, Copy, ValueEnum)]
enum ProfileArg {
    Strict,
    Cnil,
    #[value(name = "uk-duaa", alias = "ukduaa")]
    UkDuaa,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Profile {
        match p {
            ProfileArg::Strict => Profile::Strict,
            ProfileArg::Cnil => Profile::Cnil,
            ProfileArg::UkDuaa => Profile::UkDuaa,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum UnclassifiedArg {
    Marketing,
    Statistics,
    Preferences,
    Necessary,
    Reject,
    FirstPartySession,
}

impl From<UnclassifiedArg> for UnclassifiedPolicy {
    fn from(u: UnclassifiedArg) -> UnclassifiedPolicy {
        match u {
            UnclassifiedArg::Marketing => UnclassifiedPolicy::TreatAs(Category::Marketing),
            UnclassifiedArg::Statistics => UnclassifiedPolicy::TreatAs(Category::Statistics),
            UnclassifiedArg::Preferences => UnclassifiedPolicy::TreatAs(Category::Preferences),
            UnclassifiedArg::Necessary => UnclassifiedPolicy::TreatAs(Category::Necessary),
            UnclassifiedArg::Reject => UnclassifiedPolicy::Reject,
            UnclassifiedArg::FirstPartySession => UnclassifiedPolicy::AllowFirstPartySession,
        }
    }
}

/// The categories a user decides on. Necessary and unclassified are left out on purpose: the
/// first never needs consent and the second follows `--unclassified`, and clap's message
/// lists what is accepted.
#[derive(Clone, Copy, ValueEnum)]
enum Decidable {
    Preferences,
    Statistics,
    Marketing,
    All,
}

impl Decidable {
    fn categories(self) -> &'static [Category] {
        match self {
            Decidable::Preferences => &[Category::Preferences],
            Decidable::Statistics => &[Category::Statistics],
            Decidable::Marketing => &[Category::Marketing],
            Decidable::All => &Category::OPTIONAL,
        }
    }
}

pub fn run(path: &Path, args: ConsentArgs) -> Outcome {
    let changes = args.gpc.is_some() || args.profile.is_some() || args.unclassified.is_some();
    // `consent --gpc on show` shows the result; `consent --gpc on` only reports the change.
    let show_after = matches!(args.action, Some(ConsentAction::Show));
    let action = args.action.unwrap_or(ConsentAction::Show);
    if !changes && matches!(action, ConsentAction::Show) {
        let jar = open(path, false)?;
        show(&jar);
        return Ok(());
    }
    // Consent can be set up on a new jar, before any cookie arrives.
    let jar = open(path, true)?;
    let now = cookiejar::now_ms();
    let mut purged = Vec::new();
    if let Some(p) = args.profile {
        let profile = Profile::from(p);
        purged.extend(jar.set_profile(profile).map_err(change_failed)?);
        println!("profile: {profile}");
    }
    if let Some(u) = args.unclassified {
        let policy = UnclassifiedPolicy::from(u);
        purged.extend(jar.set_unclassified_policy(policy).map_err(change_failed)?);
        println!("unclassified cookies: {}", unclassified_text(policy));
    }
    if let Some(g) = args.gpc {
        let on = matches!(g, OnOff::On);
        purged.extend(jar.set_gpc(on, now).map_err(change_failed)?);
        println!("Global Privacy Control: {}", if on { "on" } else { "off" });
    }
    match action {
        ConsentAction::Show => {}
        ConsentAction::Grant(d) => purged.extend(decide(&jar, &d, Decision::Granted, now)?),
        ConsentAction::Deny(d) => purged.extend(decide(&jar, &d, Decision::Denied, now)?),
        ConsentAction::Reset(d) => purged.extend(decide(&jar, &d, Decision::Unset, now)?),
        ConsentAction::LoadPolicy { file } => {
            let bytes = read_input(&file)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| format!("{} is not UTF-8 text", file.display()))?;
            purged.extend(reclassifying(&jar, |jar| {
                let n = jar.load_policy(&text).map_err(change_failed)?;
                println!(
                    "loaded {} from {}",
                    count(n, "rule"),
                    if file == Path::new("-") {
                        "stdin".into()
                    } else {
                        file.display().to_string()
                    }
                );
                Ok(())
            })?);
        }
        ConsentAction::Rule(r) => {
            let rule = rule(&r)?;
            let shown = describe_rule(&rule);
            purged.extend(reclassifying(&jar, |jar| {
                let id = jar.add_rule(rule).map_err(change_failed)?;
                println!("added rule {id}: {shown}");
                Ok(())
            })?);
        }
    }
    report_purged(&purged);
    jar.flush()
        .map_err(|e| format!("cannot write the jar file {}: {e}", path.display()))?;
    if show_after {
        println!();
        show(&jar);
    }
    Ok(())
}

fn change_failed(e: ConsentChangeError) -> Failure {
    Failure(e.to_string(), 1)
}

/// Records one decision per category, for a site or jar-wide; returns what it purged.
fn decide(jar: &Jar, d: &Decide, decision: Decision, now: i64) -> Result<Vec<Cookie>, Failure> {
    let mut categories: Vec<Category> = d
        .categories
        .iter()
        .flat_map(|c| c.categories().iter().copied())
        .collect();
    if categories.is_empty() {
        if decision != Decision::Unset {
            return Err(Failure(
                "name the categories: preferences, statistics, marketing or all".into(),
                2,
            ));
        }
        categories = Category::OPTIONAL.to_vec();
    }
    categories.sort();
    categories.dedup();
    let host = d.site.as_deref().map(site_host).transpose()?;
    let mut purged = Vec::new();
    for &c in &categories {
        purged.extend(
            jar.set_decision(host.as_deref(), c, decision, now)
                .map_err(change_failed)?,
        );
    }
    let names: Vec<&str> = categories.iter().map(|c| c.name()).collect();
    let verb = match decision {
        Decision::Granted => "granted",
        Decision::Denied => "denied",
        Decision::Unset => "reset to unset",
    };
    let whom = match &host {
        Some(h) => format!("on the top-level site {}", site_of(h)),
        None => "jar-wide (every site without a record of its own)".into(),
    };
    println!("{verb} {} {whom}", names.join(", "));
    Ok(purged)
}

/// The host of `--site`, which may be given as a URL.
fn site_host(text: &str) -> Result<String, Failure> {
    let host = if text.contains("://") {
        parse_url(text)?.host_str().unwrap_or_default().to_owned()
    } else {
        text.trim().trim_end_matches('.').to_ascii_lowercase()
    };
    if host.is_empty() {
        return Err(Failure(format!("--site {text}: no host"), 2));
    }
    Ok(host)
}

fn rule(r: &RuleArgs) -> Result<Rule, Failure> {
    let mut categories = CategorySet::EMPTY;
    for part in r
        .categories
        .split(['+', ','])
        .filter(|p| !p.trim().is_empty())
    {
        let c: Category = part.parse().map_err(|e| Failure(format!("{e}"), 2))?;
        categories = categories.with(c);
    }
    if categories.is_empty() {
        return Err(Failure("the rule needs a category".into(), 2));
    }
    let mut rule = match r.name.strip_suffix('*') {
        Some(prefix) => Rule::prefix(prefix, categories),
        None => Rule::exact(r.name.as_str(), categories),
    };
    if let Some(d) = &r.domain {
        rule = rule.on_domain(d.as_str());
    }
    if let Some(e) = &r.exemption {
        let e: Exemption = e.parse().map_err(|e| Failure(format!("{e}"), 2))?;
        rule = rule.with_exemption(e);
    }
    if let Some(p) = &r.purpose {
        rule = rule.with_purpose(p.as_str());
    }
    if let Some(p) = &r.provider {
        rule = rule.with_provider(p.as_str());
    }
    Ok(rule)
}

fn describe_rule(rule: &Rule) -> String {
    let mut s = format!(
        "{}{} on {} -> {}",
        printable(&rule.name),
        if rule.name_is_prefix { "*" } else { "" },
        rule.domain.as_deref().unwrap_or("any domain"),
        rule.categories
    );
    if let Some(e) = rule.exemption {
        s.push_str(&format!(" ({e})"));
    }
    if let Some(p) = &rule.purpose {
        s.push_str(&format!(", for {}", printable(p)));
    }
    s
}

/// The identity of a stored cookie, for comparing the jar before and after a change.
type CookieKey = (String, String, String, bool, Option<String>);

fn key(c: &Cookie) -> CookieKey {
    (
        c.name.clone(),
        c.domain.clone(),
        c.path.clone(),
        c.host_only,
        c.partition.clone(),
    )
}

/// Runs a rule change and reports the cookies it classified differently; returns the cookies
/// it purged. `Jar::add_rule` and `Jar::load_policy` purge without returning what, so the
/// difference between the jar before and after stands in for it.
fn reclassifying(
    jar: &Jar,
    change: impl FnOnce(&Jar) -> Result<(), Failure>,
) -> Result<Vec<Cookie>, Failure> {
    // Every stored cookie, expired ones included: nothing is expired at the dawn of time.
    let before: BTreeMap<CookieKey, Cookie> = jar
        .cookies_at(i64::MIN)
        .into_iter()
        .map(|c| (key(&c), c))
        .collect();
    change(jar)?;
    let mut after: BTreeMap<CookieKey, Cookie> = jar
        .cookies_at(i64::MIN)
        .into_iter()
        .map(|c| (key(&c), c))
        .collect();
    let mut purged = Vec::new();
    let mut changed = Vec::new();
    for (k, old) in before {
        match after.remove(&k) {
            None => purged.push(old),
            Some(new) if new.categories != old.categories || new.source != old.source => {
                changed.push((old, new));
            }
            Some(_) => {}
        }
    }
    if !changed.is_empty() {
        println!("classified again ({}):", changed.len());
        for (old, new) in &changed {
            println!(
                "  {}: {} ({}) -> {} ({})",
                label(new),
                old.categories,
                old.source,
                new.categories,
                new.source
            );
        }
    }
    Ok(purged)
}

fn report_purged(purged: &[Cookie]) {
    if purged.is_empty() {
        println!("no stored cookie was purged");
        return;
    }
    println!(
        "purged {} that consent no longer allows:",
        count(purged.len(), "cookie")
    );
    for c in purged {
        println!("  {}: {}", label(c), c.categories);
    }
}

// ----- show -----------------------------------------------------------------------------------

fn decision_text(d: Decision) -> &'static str {
    match d {
        Decision::Granted => "granted",
        Decision::Denied => "denied",
        Decision::Unset => "unset",
    }
}

fn unclassified_text(p: UnclassifiedPolicy) -> String {
    match p {
        UnclassifiedPolicy::TreatAs(Category::Unclassified) => {
            "need the consent marketing cookies need".into()
        }
        UnclassifiedPolicy::TreatAs(Category::Necessary) => {
            "allowed without consent (treated as necessary)".into()
        }
        UnclassifiedPolicy::TreatAs(c) => format!("need the consent {c} cookies need"),
        UnclassifiedPolicy::Reject => "refused while consent is enforced".into(),
        UnclassifiedPolicy::AllowFirstPartySession => {
            "first-party session cookies allowed; the rest need marketing consent".into()
        }
    }
}

fn profile_text(p: Profile) -> &'static str {
    match p {
        Profile::Strict => "every optional category is opt-in",
        Profile::Cnil => {
            "opt-in; first-party audience measurement declared by a rule is exempt until the \
             user objects"
        }
        Profile::UkDuaa => {
            "first-party preferences and statistics are on until the user objects; marketing is \
             opt-in"
        }
    }
}

fn state_row(who: String, s: &ConsentState) -> Vec<String> {
    vec![
        who,
        decision_text(s.preferences).into(),
        decision_text(s.statistics).into(),
        decision_text(s.marketing).into(),
        s.decided_at.map_or_else(|| "-".into(), utc),
    ]
}

/// The classification of a stored cookie, as the consent check needs it.
fn classification(c: &Cookie) -> Classification {
    Classification {
        exemption: c.exemption,
        ..Classification::new(c.categories, c.source)
    }
}

/// The top-level site a stored cookie is kept for: its partition, else its own site.
pub fn home_site(c: &Cookie) -> String {
    c.partition.clone().unwrap_or_else(|| site_of(&c.domain))
}

/// Whether consent allows `c` under the top-level site `top`.
pub fn allowed_under(consent: &Consent, c: &Cookie, top: &str, first_party: bool) -> bool {
    consent.allowed(&classification(c), top, first_party, c.is_session())
}

/// The categories of `c` that consent does not allow under `top` (empty when allowed).
pub fn denied_categories(consent: &Consent, c: &Cookie, top: &str, first_party: bool) -> String {
    if allowed_under(consent, c, top, first_party) {
        return String::new();
    }
    let mask = consent.allowed_mask(top, first_party);
    let denied: CategorySet = c.categories.iter().filter(|k| !mask.allows(*k)).collect();
    if denied.is_empty() {
        // An exempt or session-only requirement that the mask's plain bits do not show.
        c.categories.to_string()
    } else {
        denied.to_string()
    }
}

fn show(jar: &Jar) {
    let consent = jar.consent();
    let now = cookiejar::now_ms();
    if consent.is_enforcing() {
        println!("consent: enforced (unset counts as refused)");
    } else {
        println!(
            "consent: not enforced yet (the drop-in rule: nothing is refused or withheld{} until \
             a first grant, deny or reset)",
            if consent.gpc() {
                " apart from what GPC blocks"
            } else {
                ""
            }
        );
    }
    let profile = consent.profile();
    println!("profile: {profile} ({})", profile_text(profile));
    println!(
        "unclassified cookies: {}",
        unclassified_text(consent.unclassified_policy())
    );
    match consent.gpc_since() {
        Some(t) => println!("Global Privacy Control: on since {} UTC", utc(t)),
        None => println!("Global Privacy Control: off"),
    }

    println!("\ndecisions (necessary cookies never need consent):");
    let mut rows = vec![state_row(
        "jar-wide default".into(),
        consent.default_state(),
    )];
    let mut sites: Vec<(&str, &ConsentState)> = consent.sites().collect();
    sites.sort_by(|a, b| a.0.cmp(b.0));
    rows.extend(sites.iter().map(|(s, st)| state_row((*s).to_owned(), st)));
    print_table(
        &[
            "SITE",
            "PREFERENCES",
            "STATISTICS",
            "MARKETING",
            "DECIDED (UTC)",
        ],
        &rows,
    );

    // Per category: how many stored cookies consent allows where each is kept (its own site,
    // or for a third-party cookie the top-level site it was set under).
    let mut per: BTreeMap<Category, (usize, usize)> = BTreeMap::new();
    let audit = jar.audit_at(now);
    for (c, first_party) in &audit {
        let ok = allowed_under(&consent, c, &home_site(c), *first_party);
        for k in c.categories.iter() {
            let e = per.entry(k).or_default();
            if ok {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
    }
    println!(
        "\nstored cookies by category ({}):",
        count(audit.len(), "cookie")
    );
    let rows: Vec<Vec<String>> = Category::ALL
        .iter()
        .map(|k| {
            let (ok, no) = per.get(k).copied().unwrap_or_default();
            vec![
                k.name().to_owned(),
                (ok + no).to_string(),
                ok.to_string(),
                no.to_string(),
            ]
        })
        .collect();
    print_table(&["CATEGORY", "STORED", "ALLOWED", "WITHHELD"], &rows);
    println!(
        "(allowed: under the top-level site each cookie is kept for; withheld cookies are not \
         sent, and go at the next consent change; a cookie in several categories counts in each)"
    );
}
