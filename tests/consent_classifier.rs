//! Consent classification and decisions (design note `consent-model.md` §4), on the real Open
//! Cookie Database rows compiled into the crate and on the seed policy of the consent issue.

use cookiejar::consent::{
    rules_from_csv, rules_from_json, AllowedMask, Category, CategorySet, Classification,
    Classifier, Consent, ConsentState, Decision, Exemption, Profile, Requirement, Rule, Source,
    UnclassifiedPolicy, AUDIENCE_MEASUREMENT_MAX_AGE_MS,
};
use cookiejar::rfc::suffix::builtin;

const SEED_CSV: &str = include_str!("data/consent/seed-policy.csv");
const SEED_JSON: &str = include_str!("data/consent/seed-policy.json");

/// The portal of the seed policy, and its site.
const PORTAL: &str = "data.example.org";
const PORTAL_SITE: &str = "example.org";

fn classify(c: &Classifier, name: &str, domain: &str, first_party: bool) -> Classification {
    c.classify(name, domain, first_party, builtin())
}

fn set(categories: &[Category]) -> CategorySet {
    categories.iter().copied().collect()
}

fn ocd_platform(c: &Classification) -> &'static str {
    c.ocd_entry().expect("decided by the database").platform()
}

// --- The Open Cookie Database -------------------------------------------------------------

#[test]
fn ga_is_statistics_from_the_open_cookie_database() {
    let got = classify(&Classifier::new(), "_ga", "www.shop.example", true);
    assert_eq!(got.categories, set(&[Category::Statistics]));
    assert_eq!(got.source, Source::OpenCookieDb);
    assert_eq!(got.exemption, None);
    let row = got.ocd_entry().unwrap();
    assert_eq!(
        (row.platform(), row.name(), row.is_prefix()),
        ("Google Analytics", "_ga", false)
    );
}

#[test]
fn wildcard_rows_match_names_that_extend_their_prefix() {
    let c = Classifier::new();
    let ga4 = classify(&c, "_ga_ABC123", "example.com", true);
    assert_eq!(ga4.categories, set(&[Category::Statistics]));
    assert_eq!(ga4.ocd_entry().unwrap().name(), "_ga_");
    assert!(ga4.ocd_entry().unwrap().is_prefix());

    let adobe = classify(&c, "AMCV_xyz", "example.com", true);
    assert_eq!(adobe.categories, set(&[Category::Marketing]));
    assert_eq!(adobe.ocd_entry().unwrap().name(), "AMCV_");
}

#[test]
fn an_exact_row_beats_a_prefix_row_and_yields_to_it_off_its_domain() {
    let c = Classifier::new();
    // `usprivacy`: PrivacyPillar's exact row and ShareThis's prefix row, both on any domain.
    let exact = classify(&c, "usprivacy", "news.example", true);
    assert_eq!(ocd_platform(&exact), "PrivacyPillar");
    assert!(!exact.ocd_entry().unwrap().is_prefix());
    // `euconsent`: LiveRamp's exact row is limited to faktor.io (Marketing); elsewhere
    // ShareThis's prefix row (Functional, any domain) applies.
    let liveramp = classify(&c, "euconsent", "faktor.io", false);
    assert_eq!(liveramp.categories, set(&[Category::Marketing]));
    let sharethis = classify(&c, "euconsent", "news.example", true);
    assert_eq!(ocd_platform(&sharethis), "ShareThis");
    assert_eq!(sharethis.categories, set(&[Category::Necessary]));
    assert_eq!(sharethis.ocd_hint, None);
}

#[test]
fn instagram_sessionid_row_does_not_tag_a_portal_login_cookie_as_marketing() {
    let c = Classifier::new();
    // First-party on the portal: the overlay (Django session) decides, Necessary.
    let own = classify(&c, "sessionid", PORTAL, true);
    assert_eq!(own.categories, set(&[Category::Necessary]));
    assert_eq!(own.source, Source::Overlay);
    assert_eq!(own.purpose.as_deref(), Some("authentication session"));

    // Third-party on the portal's domain: the overlay does not apply and the Instagram row is
    // limited to instagram.com, so the cookie stays Unclassified with the row as a hint.
    let embedded = classify(&c, "sessionid", PORTAL, false);
    assert_eq!(embedded.categories, set(&[Category::Unclassified]));
    assert_eq!(embedded.source, Source::Default);
    let hint = embedded.ocd_hint.expect("the Instagram row as a hint");
    assert_eq!(hint.platform(), "Instagram");
    assert_eq!(hint.domains().collect::<Vec<_>>(), ["instagram.com"]);

    // On Instagram's own domain the row applies.
    let insta = classify(&c, "sessionid", "www.instagram.com", false);
    assert_eq!(insta.categories, set(&[Category::Marketing]));
    assert_eq!(ocd_platform(&insta), "Instagram");
    assert_eq!(insta.ocd_hint, None);
}

#[test]
fn doubleclick_ide_is_marketing_only_on_doubleclick() {
    let c = Classifier::new();
    let ide = classify(&c, "IDE", "doubleclick.net", false);
    assert_eq!(ide.categories, set(&[Category::Marketing]));
    assert_eq!(ide.source, Source::OpenCookieDb);
    let sub = classify(&c, "IDE", ".ad.doubleclick.net", false);
    assert_eq!(sub.categories, set(&[Category::Marketing]));

    let elsewhere = classify(&c, "IDE", "example.com", false);
    assert_eq!(elsewhere.source, Source::Default);
    assert_eq!(elsewhere.ocd_hint.unwrap().name(), "IDE");
    // A domain that only ends with the same letters does not domain-match.
    let lookalike = classify(&c, "IDE", "notdoubleclick.net", false);
    assert_eq!(lookalike.source, Source::Default);
}

#[test]
fn meta_pixel_fbp_on_the_embedding_site_stays_unclassified() {
    // Design note §4.10 step 6.
    let got = classify(&Classifier::new(), "_fbp", "shop.example", true);
    assert_eq!(got.categories, set(&[Category::Unclassified]));
    assert_eq!(
        got.ocd_hint.unwrap().domains().collect::<Vec<_>>(),
        ["facebook.com"]
    );
}

#[test]
fn functional_rows_are_necessary_first_party_and_preferences_third_party() {
    let c = Classifier::new();
    // Xandr `sess` on adnxs.com: ad-tech plumbing filed as Functional.
    let third = classify(&c, "sess", "adnxs.com", false);
    assert_eq!(third.categories, set(&[Category::Preferences]));
    assert_eq!(ocd_platform(&third), "Xandr");
    let first = classify(&c, "sess", "adnxs.com", true);
    assert_eq!(first.categories, set(&[Category::Necessary]));

    // An unconstrained Functional row (Django's language cookie) seen third-party: the overlay
    // does not apply, the database says Preferences.
    let lang = classify(&c, "django_language", "widget.example.net", false);
    assert_eq!(lang.categories, set(&[Category::Preferences]));
    assert_eq!(lang.source, Source::OpenCookieDb);

    // Security rows follow the same rule.
    let xsrf = classify(&c, "XSRF-TOKEN", "api.example.net", false);
    assert_eq!(xsrf.categories, set(&[Category::Preferences]));
}

#[test]
fn a_domain_constrained_row_beats_an_unconstrained_row_of_the_same_name() {
    let c = Classifier::new();
    // `auid`: Acuity on acuityplatform.com, Outbrain on any domain.
    let acuity = classify(&c, "auid", "acuityplatform.com", false);
    assert_eq!(ocd_platform(&acuity), "Acuity");
    let outbrain = classify(&c, "auid", "news.example", false);
    assert_eq!(ocd_platform(&outbrain), "Outbrain");
}

#[test]
fn rows_sharing_a_name_are_told_apart_by_domain() {
    let c = Classifier::new();
    // `chk`: PubMatic (Functional) on pubmatic.com, Mediarithmics (Marketing) on theirs.
    let pubmatic = classify(&c, "chk", "ads.pubmatic.com", false);
    assert_eq!(pubmatic.categories, set(&[Category::Preferences]));
    let mediarithmics = classify(&c, "chk", "mediarithmics.com", false);
    assert_eq!(mediarithmics.categories, set(&[Category::Marketing]));
}

#[test]
fn duplicate_rows_that_tie_merge_into_one_classification() {
    let c = Classifier::new();
    // `u` on t.tailtarget.com: a Totvs row and a Tailtarget row, same name and domain.
    let got = classify(&c, "u", "t.tailtarget.com", false);
    assert_eq!(got.categories, set(&[Category::Marketing]));
    let tied: Vec<u32> = cookiejar::consent::ocd_entries()
        .iter()
        .enumerate()
        .filter(|(_, r)| r.name() == "u" && r.domains().eq(["t.tailtarget.com"]))
        .map(|(i, _)| i as u32)
        .collect();
    assert_eq!(tied.len(), 2);
    assert_eq!(got.rule_id, tied.iter().copied().min());

    // `euconsent-v2`: Didomi and PrivacyPillar, both Functional on any domain.
    let tcf = classify(&c, "euconsent-v2", "cmp.example", false);
    assert_eq!(tcf.categories, set(&[Category::Preferences]));
}

#[test]
fn tied_rules_with_different_categories_give_their_union() {
    let mut c = Classifier::new();
    c.add_rule(Rule::exact("both", Category::Statistics))
        .unwrap();
    c.add_rule(Rule::exact("both", Category::Marketing))
        .unwrap();
    let got = classify(&c, "both", "example.com", true);
    assert_eq!(
        got.categories,
        set(&[Category::Statistics, Category::Marketing])
    );

    // A multi-purpose cookie is allowed only when every purpose is.
    let mut consent = Consent::new();
    consent.set_default(ConsentState::unset().with(Category::Statistics, true, 1));
    assert!(!consent.allowed(&got, "example.com", true, false));
    consent.set_default(ConsentState::from_granted(
        set(&[Category::Statistics, Category::Marketing]),
        2,
    ));
    assert!(consent.allowed(&got, "example.com", true, false));
}

// --- Operator rules -------------------------------------------------------------------------

#[test]
fn operator_rules_beat_the_overlay_and_the_database() {
    let mut c = Classifier::new();
    c.add_rule(Rule::exact("_ga", Category::Necessary).with_purpose("our own counter"))
        .unwrap();
    c.add_rule(Rule::exact("sessionid", Category::Marketing).on_domain("tracker.example"))
        .unwrap();
    c.add_rule(Rule::exact("IDE", Category::Statistics))
        .unwrap();

    let ga = classify(&c, "_ga", "example.com", true);
    assert_eq!(
        (ga.categories, ga.source),
        (set(&[Category::Necessary]), Source::Operator)
    );
    assert_eq!(ga.purpose.as_deref(), Some("our own counter"));

    let sid = classify(&c, "sessionid", "tracker.example", true);
    assert_eq!(sid.categories, set(&[Category::Marketing]));
    assert_eq!(sid.source, Source::Operator);
    // Elsewhere the domain-limited rule does not apply: the overlay decides again.
    assert_eq!(
        classify(&c, "sessionid", PORTAL, true).source,
        Source::Overlay
    );

    let ide = classify(&c, "IDE", "doubleclick.net", false);
    assert_eq!(
        (ide.categories, ide.source),
        (set(&[Category::Statistics]), Source::Operator)
    );
}

#[test]
fn operator_rule_domains_cover_subdomains_but_not_parents() {
    let mut c = Classifier::new();
    c.add_rule(Rule::exact("sid", Category::Necessary).on_domain("example.org"))
        .unwrap();
    c.add_rule(Rule::exact("lang", Category::Preferences).on_domain("data.example.org"))
        .unwrap();
    assert_eq!(
        classify(&c, "sid", "a.b.example.org", true).source,
        Source::Operator
    );
    assert_eq!(
        classify(&c, "lang", "data.example.org", true).source,
        Source::Operator
    );
    assert_eq!(
        classify(&c, "lang", "example.org", true).source,
        Source::Default
    );
    assert_eq!(
        classify(&c, "lang", "www.example.org", true).source,
        Source::Default
    );
}

#[test]
fn an_exact_rule_beats_a_prefix_rule_and_a_longer_prefix_beats_a_shorter_one() {
    let mut c = Classifier::new();
    let short = c
        .add_rule(Rule::prefix("_pk", Category::Marketing))
        .unwrap();
    let long = c
        .add_rule(
            Rule::prefix("_pk_id.", Category::Statistics)
                .with_exemption(Exemption::AudienceMeasurement),
        )
        .unwrap();
    let exact = c
        .add_rule(Rule::exact("_pk_id.1.abcd", Category::Necessary))
        .unwrap();

    assert_eq!(
        classify(&c, "_pk_ses.1.abcd", "example.com", true).rule_id,
        Some(short)
    );
    let id = classify(&c, "_pk_id.2.ffff", "example.com", true);
    assert_eq!(id.rule_id, Some(long));
    assert_eq!(id.exemption, Some(Exemption::AudienceMeasurement));
    assert_eq!(
        classify(&c, "_pk_id.1.abcd", "example.com", true).rule_id,
        Some(exact)
    );
}

#[test]
fn a_domain_constrained_rule_beats_an_unconstrained_exact_one() {
    let mut c = Classifier::new();
    c.add_rule(Rule::exact("tok", Category::Marketing)).unwrap();
    let scoped = c
        .add_rule(Rule::prefix("to", Category::Necessary).on_domain("example.org"))
        .unwrap();
    assert_eq!(classify(&c, "tok", PORTAL, true).rule_id, Some(scoped));
    assert_eq!(
        classify(&c, "tok", "other.net", true).categories,
        set(&[Category::Marketing])
    );
    // Of two domain-limited rules, the one on the longer (more specific) domain wins.
    let deeper = c
        .add_rule(Rule::prefix("to", Category::Preferences).on_domain(PORTAL))
        .unwrap();
    assert_eq!(classify(&c, "tok", PORTAL, true).rule_id, Some(deeper));
}

#[test]
fn only_operator_rules_grant_the_audience_measurement_exemption() {
    let c = Classifier::new();
    for name in ["_ga", "_pk_id.1.abcd", "_gid"] {
        assert_eq!(
            classify(&c, name, "example.com", true).exemption,
            None,
            "{name}"
        );
    }
}

// --- The seed policy ------------------------------------------------------------------------

#[test]
fn seed_policy_loads_the_same_rules_from_csv_and_json() {
    let from_csv = rules_from_csv(SEED_CSV).unwrap();
    let from_json = rules_from_json(SEED_JSON).unwrap();
    assert_eq!(from_csv, from_json);
    assert_eq!(from_csv.len(), 4);
    assert_eq!(
        from_csv[0],
        Rule::exact("sessionid", Category::Necessary)
            .with_purpose("authentication")
            .with_provider("Opendatasoft")
    );
}

#[test]
fn seed_policy_makes_its_four_cookies_necessary() {
    let mut c = Classifier::new();
    c.add_rules(rules_from_csv(SEED_CSV).unwrap()).unwrap();
    for (name, purpose) in [
        ("sessionid", "authentication"),
        ("django_language", "language selection"),
        ("csrftoken", "API CSRF"),
        ("cookies_preferences", "cookie preferences"),
    ] {
        let got = classify(&c, name, PORTAL, true);
        assert_eq!(got.categories, set(&[Category::Necessary]), "{name}");
        assert_eq!(got.source, Source::Operator, "{name}");
        assert_eq!(got.purpose.as_deref(), Some(purpose), "{name}");
    }
}

#[test]
fn seed_policy_worked_example_under_cnil() {
    // Design note §4.10: profile Cnil, no choice made yet.
    let mut c = Classifier::new();
    c.add_rules(rules_from_csv(SEED_CSV).unwrap()).unwrap();
    c.add_rules(
        rules_from_csv(
            "cookie,category,exemption,provider\n_pk_id.*,statistics,audience-measurement,Matomo\n",
        )
        .unwrap(),
    )
    .unwrap();
    let mut consent = Consent::new();
    consent.set_profile(Profile::Cnil);
    consent.start_enforcing();
    let ok = |consent: &Consent, cl: &Classification, first_party: bool| {
        consent.allowed(cl, PORTAL_SITE, first_party, false)
    };

    // 1. The seed's own cookies are stored.
    for name in [
        "sessionid",
        "csrftoken",
        "django_language",
        "cookies_preferences",
    ] {
        assert!(
            ok(&consent, &classify(&c, name, PORTAL, true), true),
            "{name}"
        );
    }
    // 2. Matomo, declared exempt: stored, capped at 13 months; refused once the user objects.
    let pk = classify(&c, "_pk_id.1.a1b2", PORTAL, true);
    assert!(ok(&consent, &pk, true));
    assert_eq!(
        consent.lifetime_cap_ms(&pk),
        Some(AUDIENCE_MEASUREMENT_MAX_AGE_MS)
    );
    // 3. `_ga` is blocked until Statistics is granted.
    let ga = classify(&c, "_ga", PORTAL, true);
    assert!(!ok(&consent, &ga, true));
    // 4. `IDE` (third-party) is blocked until Marketing is granted.
    let ide = classify(&c, "IDE", "doubleclick.net", false);
    assert!(!ok(&consent, &ide, false));
    // 5. Accept everything: IDE is allowed; withdraw Marketing: blocked again, and so are
    //    unclassified cookies.
    consent.set_site(
        PORTAL_SITE,
        ConsentState::from_granted(CategorySet::ALL, 10),
    );
    assert!(ok(&consent, &ide, false) && ok(&consent, &ga, true));
    let fbp = classify(&c, "_fbp", PORTAL, true);
    assert!(ok(&consent, &fbp, true));
    consent
        .set_decision(Some(PORTAL_SITE), Category::Marketing, Decision::Denied, 11)
        .unwrap();
    assert!(!ok(&consent, &ide, false));
    // 6. `_fbp` stays Unclassified, which needs Marketing-level consent.
    assert!(!ok(&consent, &fbp, true));
    // The objection to statistics reaches the exempt cookie too.
    consent
        .set_decision(
            Some(PORTAL_SITE),
            Category::Statistics,
            Decision::Denied,
            12,
        )
        .unwrap();
    assert!(!ok(&consent, &pk, true));
}

// --- Profiles and GPC -----------------------------------------------------------------------

fn exempt_statistics() -> Classification {
    let mut c = Classifier::new();
    c.add_rule(
        Rule::prefix("_pk_id.", Category::Statistics)
            .with_exemption(Exemption::AudienceMeasurement),
    )
    .unwrap();
    c.classify("_pk_id.1.x", "example.com", true, builtin())
}

fn enforcing(profile: Profile) -> Consent {
    let mut consent = Consent::new();
    consent.set_profile(profile);
    consent.start_enforcing();
    consent
}

#[test]
fn strict_profile_needs_consent_even_for_exempt_statistics() {
    let pk = exempt_statistics();
    let mut consent = enforcing(Profile::Strict);
    assert!(!consent.allowed(&pk, "example.com", true, false));
    assert_eq!(consent.lifetime_cap_ms(&pk), None);
    consent
        .set_decision(None, Category::Statistics, Decision::Granted, 1)
        .unwrap();
    assert!(consent.allowed(&pk, "example.com", true, false));
}

#[test]
fn cnil_exempts_first_party_audience_measurement_until_the_user_objects() {
    let pk = exempt_statistics();
    let mut consent = enforcing(Profile::Cnil);
    assert!(consent.allowed(&pk, "example.com", true, false));
    // Never third-party: then the plain Statistics rule applies.
    assert!(!consent.allowed(&pk, "example.com", false, false));
    // Plain statistics still need consent.
    let ga = classify(&Classifier::new(), "_ga", "example.com", true);
    assert!(!consent.allowed(&ga, "example.com", true, false));
    // Objecting.
    consent
        .set_decision(
            Some("example.com"),
            Category::Statistics,
            Decision::Denied,
            5,
        )
        .unwrap();
    assert!(!consent.allowed(&pk, "example.com", true, false));
    assert!(consent.allowed(&pk, "other.com", true, false));
}

#[test]
fn uk_duaa_makes_first_party_preferences_and_statistics_opt_out() {
    let consent = enforcing(Profile::UkDuaa);
    let prefs = Classification::new(Category::Preferences.into(), Source::Operator);
    let stats = Classification::new(Category::Statistics.into(), Source::Operator);
    let ads = Classification::new(Category::Marketing.into(), Source::Operator);
    assert!(consent.allowed(&prefs, "example.com", true, false));
    assert!(consent.allowed(&stats, "example.com", true, false));
    assert!(!consent.allowed(&ads, "example.com", true, false));
    assert!(!consent.allowed(&stats, "example.com", false, false));
    assert_eq!(
        consent.lifetime_cap_ms(&exempt_statistics()),
        Some(AUDIENCE_MEASUREMENT_MAX_AGE_MS)
    );

    let mut objected = consent.clone();
    objected.set_site(
        "example.com",
        ConsentState::unset().with(Category::Preferences, false, 3),
    );
    assert!(!objected.allowed(&prefs, "example.com", true, false));
    assert!(objected.allowed(&stats, "example.com", true, false));
}

#[test]
fn necessary_cookies_are_always_allowed() {
    let sid = classify(&Classifier::new(), "PHPSESSID", "example.com", true);
    let mut consent = enforcing(Profile::Strict);
    consent.set_default(ConsentState::from_granted(CategorySet::EMPTY, 1));
    consent.set_gpc(true, 2);
    consent.set_unclassified_policy(UnclassifiedPolicy::Reject);
    assert!(consent.allowed(&sid, "example.com", true, false));
}

#[test]
fn gpc_blocks_marketing_despite_a_default_grant() {
    let ads = Classification::new(Category::Marketing.into(), Source::OpenCookieDb);
    let stats = Classification::new(Category::Statistics.into(), Source::OpenCookieDb);
    let mut consent = Consent::new();
    consent.set_default(ConsentState::from_granted(CategorySet::ALL, 100));
    assert!(consent.allowed(&ads, "shop.example", false, false));
    consent.set_gpc(true, 200);
    assert!(consent.gpc());
    assert!(!consent.allowed(&ads, "shop.example", false, false));
    assert!(!consent.allowed(&Classification::unclassified(), "shop.example", true, false));
    assert!(consent.allowed(&stats, "shop.example", false, false));
    consent.set_gpc(false, 300);
    assert!(consent.allowed(&ads, "shop.example", false, false));
}

#[test]
fn gpc_is_lifted_only_by_a_site_grant_newer_than_it() {
    let ads = Classification::new(Category::Marketing.into(), Source::OpenCookieDb);
    let mut consent = Consent::new();
    consent.set_site(
        "old.example",
        ConsentState::from_granted(CategorySet::ALL, 100),
    );
    consent.set_gpc(true, 200);
    consent.set_site(
        "new.example",
        ConsentState::from_granted(CategorySet::ALL, 300),
    );
    consent.set_default(ConsentState::from_granted(CategorySet::ALL, 400));
    assert!(!consent.allowed(&ads, "old.example", false, false));
    assert!(consent.allowed(&ads, "new.example", false, false));
    // The jar-wide default is no site-specific exception, however recent.
    assert!(!consent.allowed(&ads, "any.example", false, false));
}

#[test]
fn gpc_before_any_consent_blocks_only_marketing() {
    let mut consent = Consent::new();
    consent.set_gpc(true, 1);
    assert!(!consent.is_enforcing());
    let stats = Classification::new(Category::Statistics.into(), Source::OpenCookieDb);
    let ads = Classification::new(Category::Marketing.into(), Source::OpenCookieDb);
    assert!(consent.allowed(&stats, "a.example", true, false));
    assert!(!consent.allowed(&ads, "a.example", true, false));
    assert!(!consent.allowed(&Classification::unclassified(), "a.example", true, false));
}

// --- Unclassified cookies -------------------------------------------------------------------

#[test]
fn unclassified_cookies_need_marketing_consent_by_default() {
    let unknown = Classification::unclassified();
    let mut consent = enforcing(Profile::Strict);
    assert_eq!(
        consent.unclassified_policy(),
        UnclassifiedPolicy::TreatAs(Category::Marketing)
    );
    consent.set_site(
        "a.example",
        ConsentState::unset().with(Category::Statistics, true, 1),
    );
    assert!(!consent.allowed(&unknown, "a.example", true, true));
    consent.set_site(
        "a.example",
        ConsentState::unset().with(Category::Marketing, true, 2),
    );
    assert!(consent.allowed(&unknown, "a.example", true, false));
}

#[test]
fn unclassified_policy_can_treat_them_as_another_category_or_reject_them() {
    let unknown = Classification::unclassified();
    let mut consent = enforcing(Profile::Strict);
    consent.set_default(ConsentState::from_granted(set(&[Category::Statistics]), 1));
    consent.set_unclassified_policy(UnclassifiedPolicy::TreatAs(Category::Statistics));
    assert!(consent.allowed(&unknown, "a.example", false, false));
    consent.set_default(ConsentState::from_granted(CategorySet::ALL, 2));
    consent.set_unclassified_policy(UnclassifiedPolicy::Reject);
    assert!(!consent.allowed(&unknown, "a.example", true, true));
}

#[test]
fn allow_first_party_session_admits_only_first_party_session_cookies() {
    let unknown = Classification::unclassified();
    let mut consent = enforcing(Profile::Strict);
    consent.set_unclassified_policy(UnclassifiedPolicy::AllowFirstPartySession);
    assert!(consent.allowed(&unknown, "a.example", true, true));
    assert!(!consent.allowed(&unknown, "a.example", true, false));
    assert!(!consent.allowed(&unknown, "a.example", false, true));
    consent.set_default(ConsentState::unset().with(Category::Marketing, true, 1));
    assert!(consent.allowed(&unknown, "a.example", true, false));
    assert!(consent.allowed(&unknown, "a.example", false, true));
}

// --- The drop-in rule -----------------------------------------------------------------------

#[test]
fn nothing_is_enforced_until_consent_is_first_set() {
    let c = Classifier::new();
    let ide = classify(&c, "IDE", "doubleclick.net", false);
    let unknown = classify(&c, "mystery", "example.com", true);
    let mut consent = Consent::new();
    assert!(!consent.is_enforcing());
    assert_eq!(consent.allowed_mask("example.com", false), AllowedMask::ALL);
    assert!(consent.allowed(&ide, "example.com", false, false));
    assert!(consent.allowed(&unknown, "example.com", true, false));
    // Choosing a profile or a policy is configuration, not consent.
    consent.set_profile(Profile::Cnil);
    consent.set_unclassified_policy(UnclassifiedPolicy::Reject);
    assert!(consent.allowed(&unknown, "example.com", true, false));

    // The first decision, for any site, starts enforcement everywhere; silence is refusal.
    consent.set_site(
        "elsewhere.example",
        ConsentState::from_granted(CategorySet::ALL, 1),
    );
    assert!(consent.is_enforcing());
    assert!(!consent.allowed(&ide, "example.com", false, false));
    assert!(consent.allowed(&ide, "elsewhere.example", false, false));
    // Removing the record does not stop enforcement.
    consent.remove_site("elsewhere.example");
    assert!(consent.is_enforcing());
    assert!(!consent.allowed(&ide, "elsewhere.example", false, false));
}

#[test]
fn sites_without_a_record_follow_the_jar_wide_default() {
    let stats = Classification::new(Category::Statistics.into(), Source::OpenCookieDb);
    let mut consent = Consent::new();
    consent.set_default(ConsentState::from_granted(set(&[Category::Statistics]), 1));
    consent.set_site(
        "strict.example",
        ConsentState::from_granted(CategorySet::EMPTY, 2),
    );
    assert!(consent.allowed(&stats, "any.example", true, false));
    assert!(!consent.allowed(&stats, "strict.example", true, false));
    assert_eq!(consent.state_for("any.example"), consent.default_state());
}

#[test]
fn expired_decisions_return_to_unset() {
    let stats = Classification::new(Category::Statistics.into(), Source::OpenCookieDb);
    let mut consent = Consent::new();
    consent.set_site(
        "old.example",
        ConsentState::from_granted(CategorySet::ALL, 10),
    );
    consent.set_site(
        "new.example",
        ConsentState::from_granted(CategorySet::ALL, 50),
    );
    let expired = consent.expire_decided_before(20);
    assert_eq!(expired.sites, vec!["old.example".to_owned()]);
    assert!(!expired.default);
    assert!(!consent.allowed(&stats, "old.example", true, false));
    assert!(consent.allowed(&stats, "new.example", true, false));
}

#[test]
fn necessary_and_unclassified_are_not_decisions_for_the_user() {
    let mut consent = Consent::new();
    assert!(consent
        .set_decision(None, Category::Necessary, Decision::Denied, 1)
        .is_err());
    assert!(consent
        .set_decision(None, Category::Unclassified, Decision::Granted, 1)
        .is_err());
    assert!(!consent.is_enforcing());
}

// --- The mask agrees with the rules as the design note states them --------------------------

/// §4.1, §4.2, §4.8, §2.7 and the drop-in rule, written out one category at a time.
fn reference(
    state: &ConsentState,
    own_record: bool,
    cfg: (Profile, UnclassifiedPolicy, Option<i64>, bool),
    c: &Classification,
    first_party: bool,
    session: bool,
) -> bool {
    let (profile, policy, gpc, enforcing) = cfg;
    let plain = |cat: Category| -> bool {
        if !enforcing {
            return !(gpc.is_some() && cat == Category::Marketing);
        }
        let d = state.decision(cat);
        match cat {
            Category::Necessary => true,
            Category::Preferences | Category::Statistics => {
                d == Decision::Granted
                    || (profile == Profile::UkDuaa && first_party && d != Decision::Denied)
            }
            Category::Marketing => {
                d == Decision::Granted
                    && gpc.is_none_or(|g| own_record && state.decided_at.is_some_and(|t| t > g))
            }
            Category::Unclassified => unreachable!(),
        }
    };
    c.categories.iter().all(|cat| match cat {
        Category::Statistics if c.exemption == Some(Exemption::AudienceMeasurement) => {
            plain(Category::Statistics)
                || (enforcing
                    && matches!(profile, Profile::Cnil | Profile::UkDuaa)
                    && first_party
                    && state.statistics != Decision::Denied)
        }
        Category::Unclassified => match policy {
            UnclassifiedPolicy::TreatAs(Category::Unclassified) => plain(Category::Marketing),
            UnclassifiedPolicy::TreatAs(other) => plain(other),
            UnclassifiedPolicy::Reject => !enforcing && gpc.is_none(),
            UnclassifiedPolicy::AllowFirstPartySession => {
                (first_party && session) || plain(Category::Marketing)
            }
        },
        other => plain(other),
    })
}

/// Every consent configuration to check: (state, profile, policy, GPC time, mode), where mode
/// 0 is "not enforcing", 1 "the state is the default" and 2 "the state is the site's record".
fn configurations() -> Vec<(ConsentState, Profile, UnclassifiedPolicy, Option<i64>, u8)> {
    let decisions = [Decision::Granted, Decision::Denied, Decision::Unset];
    let policies = [
        UnclassifiedPolicy::TreatAs(Category::Marketing),
        UnclassifiedPolicy::TreatAs(Category::Statistics),
        UnclassifiedPolicy::TreatAs(Category::Unclassified),
        UnclassifiedPolicy::Reject,
        UnclassifiedPolicy::AllowFirstPartySession,
    ];
    let mut states = Vec::new();
    for preferences in decisions {
        for statistics in decisions {
            for marketing in decisions {
                for decided_at in [None, Some(150)] {
                    states.push(ConsentState {
                        preferences,
                        statistics,
                        marketing,
                        decided_at,
                    });
                }
            }
        }
    }
    let mut out = Vec::new();
    for state in states {
        for profile in [Profile::Strict, Profile::Cnil, Profile::UkDuaa] {
            for policy in policies {
                // GPC off, switched on before the decision (100) and after it (200).
                for gpc in [None, Some(100), Some(200)] {
                    for mode in 0..3 {
                        out.push((state, profile, policy, gpc, mode));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn allowed_mask_agrees_with_the_rules_in_every_combination() {
    let mut classifications: Vec<Classification> = [
        set(&[Category::Necessary]),
        set(&[Category::Preferences]),
        set(&[Category::Statistics]),
        set(&[Category::Marketing]),
        set(&[Category::Unclassified]),
        set(&[Category::Statistics, Category::Marketing]),
        set(&[Category::Preferences, Category::Unclassified]),
    ]
    .into_iter()
    .map(|s| Classification::new(s, Source::Operator))
    .collect();
    classifications.push(exempt_statistics());
    let mut exempt_and_ads = exempt_statistics();
    exempt_and_ads.categories = set(&[Category::Statistics, Category::Marketing]);
    classifications.push(exempt_and_ads);

    let mut checked = 0;
    for (state, profile, policy, gpc, mode) in configurations() {
        let mut consent = Consent::new();
        consent.set_profile(profile);
        consent.set_unclassified_policy(policy);
        if let Some(at) = gpc {
            consent.set_gpc(true, at);
        }
        match mode {
            1 => consent.set_default(state),
            2 => consent.set_site("site.example", state),
            _ => {}
        }
        let effective = if mode == 0 {
            ConsentState::unset()
        } else {
            state
        };
        let cfg = (profile, policy, gpc, mode != 0);
        for c in &classifications {
            for (first_party, session) in
                [(false, false), (false, true), (true, false), (true, true)]
            {
                let want = reference(&effective, mode == 2, cfg, c, first_party, session);
                let mask = consent.allowed_mask("site.example", first_party);
                assert_eq!(
                    mask.permits(Requirement::of(c, session)),
                    want,
                    "{state:?} mode {mode} {profile} {policy:?} gpc {gpc:?} {:?} {:?} \
                     first-party {first_party} session {session}",
                    c.categories,
                    c.exemption
                );
                assert_eq!(
                    consent.allowed(c, "site.example", first_party, session),
                    want
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100_000);
}
