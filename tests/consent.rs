//! Consent enforcement through the jar, end to end: the seed policy of the consent issue
//! (a portal running Opendatasoft: `sessionid`, `django_language`, `csrftoken`,
//! `cookies_preferences`), analytics, an ad network embedded on another site, GPC, and the CNIL
//! audience-measurement exemption.

use cookiejar::consent::{Exemption, Rule};
use cookiejar::{
    Category, CategorySet, Jar, Profile, Rejection, Request, SetCookieError, SetOutcome, Source,
    Url,
};

const NOW: i64 = 1_750_000_000_000;
const DAY: i64 = 24 * 60 * 60 * 1000;
const PORTAL: &str = "https://data.example.org/explore/";

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn set(jar: &Jar, u: &str, h: &str) -> Result<SetOutcome, SetCookieError> {
    jar.set_cookie_at(h, &Request::new(&url(u)), NOW)
}

fn get(jar: &Jar, u: &str) -> Option<String> {
    jar.cookie_header_at(&Request::new(&url(u)), NOW)
}

fn denied(c: Category) -> Result<SetOutcome, SetCookieError> {
    Err(SetCookieError::Rejected(Rejection::ConsentDenied(c)))
}

fn seed_jar() -> Jar {
    let jar = Jar::default();
    let policy = include_str!("data/consent/seed-policy.csv");
    assert_eq!(jar.load_policy(policy).unwrap(), 4);
    jar
}

fn necessary_only() -> CategorySet {
    CategorySet::single(Category::Necessary)
}

#[test]
fn without_consent_the_jar_enforces_nothing_but_tags_everything() {
    let jar = Jar::default();
    set(&jar, PORTAL, "_ga=GA1.2.3; Max-Age=3600").unwrap();
    set(&jar, PORTAL, "mystery=1").unwrap();
    set(&jar, PORTAL, "sessionid=abc").unwrap();
    assert_eq!(get(&jar, PORTAL).unwrap().split("; ").count(), 3);
    let audit = jar.audit_at(NOW);
    let tag = |name: &str| {
        let (c, first_party) = audit.iter().find(|(c, _)| c.name == name).unwrap();
        (c.categories, c.source, *first_party)
    };
    assert_eq!(
        tag("_ga"),
        (
            CategorySet::single(Category::Statistics),
            Source::OpenCookieDb,
            true
        )
    );
    assert_eq!(
        tag("mystery"),
        (
            CategorySet::single(Category::Unclassified),
            Source::Default,
            true
        )
    );
    // Django's login cookie is Necessary by the overlay, not Instagram's Marketing row.
    assert_eq!(
        tag("sessionid"),
        (
            CategorySet::single(Category::Necessary),
            Source::Overlay,
            true
        )
    );
    assert_eq!(jar.unclassified_report()[0].name, "mystery");
}

#[test]
fn the_seed_policy_under_necessary_only_consent() {
    let jar = seed_jar();
    jar.set_consent_granted(None, necessary_only(), NOW)
        .unwrap();
    for h in [
        "sessionid=s3cr3t; Path=/; HttpOnly; Secure",
        "django_language=fr; Path=/",
        "csrftoken=tok; Path=/; Secure",
        "cookies_preferences=necessary; Path=/; Max-Age=15552000",
    ] {
        assert!(set(&jar, PORTAL, h).is_ok(), "{h}");
    }
    for (c, _) in jar.audit_at(NOW) {
        assert_eq!(c.source, Source::Operator, "{}", c.name);
        assert_eq!(c.categories, necessary_only(), "{}", c.name);
    }
    // Statistics needs consent: refused until granted.
    assert_eq!(
        set(&jar, PORTAL, "_ga=GA1.2.1; Max-Age=3600"),
        denied(Category::Statistics)
    );
    // An undeclared cookie fails closed once consent is enforced.
    assert_eq!(
        set(&jar, PORTAL, "tracking_blob=1"),
        denied(Category::Unclassified)
    );
    // A deletion is always honoured.
    assert_eq!(
        set(&jar, PORTAL, "django_language=; Path=/; Max-Age=0"),
        Ok(SetOutcome::Deleted)
    );
    assert_eq!(get(&jar, PORTAL).unwrap().split("; ").count(), 3);
}

#[test]
fn statistics_are_refused_until_granted_purged_when_withdrawn_and_not_restored() {
    let jar = seed_jar();
    jar.set_consent_granted(Some("data.example.org"), necessary_only(), NOW)
        .unwrap();
    assert_eq!(
        set(&jar, PORTAL, "_ga=GA1.2.1; Max-Age=3600"),
        denied(Category::Statistics)
    );

    let stats = necessary_only() | Category::Statistics;
    // "example.org" names the same site as "data.example.org".
    jar.set_consent_granted(Some("example.org"), stats, NOW)
        .unwrap();
    set(&jar, PORTAL, "_ga=GA1.2.1; Max-Age=3600").unwrap();
    set(&jar, PORTAL, "sessionid=s").unwrap();
    assert!(get(&jar, PORTAL).unwrap().contains("_ga="));

    let purged = jar
        .set_consent_granted(Some("data.example.org"), necessary_only(), NOW)
        .unwrap();
    let names: Vec<_> = purged.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["_ga"]);
    assert_eq!(get(&jar, PORTAL), Some("sessionid=s".into()));

    // Granting again restores nothing: the cookie is gone until the site sets it again.
    jar.set_consent_granted(Some("data.example.org"), stats, NOW)
        .unwrap();
    assert_eq!(get(&jar, PORTAL), Some("sessionid=s".into()));
}

#[test]
fn a_third_party_ad_cookie_needs_marketing_and_stays_under_its_top_level_site() {
    let jar = seed_jar();
    jar.set_consent_granted(None, necessary_only(), NOW)
        .unwrap();
    let ad = url("https://ad.doubleclick.net/pixel");
    let news = url("https://news.example.com/");
    let blog = url("https://blog.example.net/");
    let ide = "IDE=AHWqTUk; Domain=doubleclick.net; Path=/; Secure; SameSite=None; Max-Age=3600";
    assert_eq!(
        jar.set_cookie_at(ide, &Request::subresource_of(&ad, &news), NOW),
        denied(Category::Marketing)
    );

    let marketing = necessary_only() | Category::Marketing;
    jar.set_consent_granted(Some("news.example.com"), marketing, NOW)
        .unwrap();
    jar.set_cookie_at(ide, &Request::subresource_of(&ad, &news), NOW)
        .unwrap();
    assert_eq!(
        jar.cookie_header_at(&Request::subresource_of(&ad, &news), NOW),
        Some("IDE=AHWqTUk".into())
    );
    // Never sent under another top-level site, even one that granted Marketing too.
    jar.set_consent_granted(Some("blog.example.net"), marketing, NOW)
        .unwrap();
    assert_eq!(
        jar.cookie_header_at(&Request::subresource_of(&ad, &blog), NOW),
        None
    );
    assert_eq!(jar.cookie_header_at(&Request::new(&ad), NOW), None);
    let (cookie, first_party) = &jar.audit_at(NOW)[0];
    assert_eq!(cookie.partition.as_deref(), Some("example.com"));
    assert!(!first_party);
}

#[test]
fn gpc_turns_marketing_off_until_a_newer_site_grant() {
    let jar = Jar::default();
    jar.add_rule(Rule::exact("_fbp", Category::Marketing))
        .unwrap();
    let marketing = necessary_only() | Category::Marketing;
    jar.set_consent_granted(None, marketing, NOW).unwrap();
    let shop = "https://shop.example.com/";
    set(&jar, shop, "_fbp=fb.1.2; Max-Age=3600").unwrap();
    assert!(get(&jar, shop).is_some());

    let purged = jar.set_gpc(true, NOW + 1).unwrap();
    assert_eq!(purged.len(), 1);
    assert_eq!(
        set(&jar, shop, "_fbp=fb.1.3; Max-Age=3600"),
        denied(Category::Marketing)
    );
    assert!(jar.consent().gpc());

    // A site-specific grant made after GPC was switched on lifts it for that site.
    jar.set_consent_granted(Some("example.com"), marketing, NOW + 2)
        .unwrap();
    set(&jar, shop, "_fbp=fb.1.4; Max-Age=3600").unwrap();
}

#[test]
fn cnil_audience_measurement_is_exempt_first_party_and_capped_at_13_months() {
    let jar = Jar::default();
    jar.add_rule(
        Rule::exact("_pk_id", Category::Statistics)
            .with_exemption(Exemption::AudienceMeasurement)
            .with_purpose("audience measurement"),
    )
    .unwrap();
    jar.set_profile(Profile::Cnil).unwrap();
    jar.set_consent(None, cookiejar::ConsentState::unset())
        .unwrap();
    // Exempt: stored without a statistics grant, lifetime capped at 13 months (395 days).
    set(&jar, PORTAL, "_pk_id=abc; Max-Age=63072000").unwrap();
    let c = jar
        .get_at("data.example.org", "/explore", "_pk_id", NOW)
        .unwrap();
    assert_eq!(c.exemption, Some(Exemption::AudienceMeasurement));
    assert_eq!(c.expires, Some(NOW + 395 * DAY));
    // Under the Strict profile the same cookie needs consent.
    jar.set_profile(Profile::Strict).unwrap();
    assert!(jar
        .get_at("data.example.org", "/explore", "_pk_id", NOW)
        .is_none());
    // The user can object.
    jar.set_profile(Profile::Cnil).unwrap();
    jar.set_decision(None, Category::Statistics, cookiejar::Decision::Denied, NOW)
        .unwrap();
    assert_eq!(
        set(&jar, PORTAL, "_pk_id=abc; Max-Age=3600"),
        denied(Category::Statistics)
    );
}

#[test]
fn new_rules_reclassify_stored_cookies() {
    let jar = Jar::default();
    set(&jar, PORTAL, "widget_state=1").unwrap();
    jar.set_consent_granted(None, necessary_only() | Category::Marketing, NOW)
        .unwrap();
    assert!(get(&jar, PORTAL).is_some());
    // The operator classifies it as statistics: it no longer has consent and goes.
    jar.add_rule(Rule::exact("widget_state", Category::Statistics))
        .unwrap();
    assert_eq!(get(&jar, PORTAL), None);
    assert!(jar.is_empty());
}

#[test]
fn consent_tags_survive_a_reopen() {
    let dir = std::env::temp_dir().join(format!("cookiejar-consent-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("jar");
    let jar = Jar::open_at(&path, Default::default(), NOW).unwrap();
    set(&jar, PORTAL, "_ga=GA1.2.1; Max-Age=3600").unwrap();
    drop(jar);
    let jar = Jar::open_at(&path, Default::default(), NOW).unwrap();
    let (c, _) = &jar.audit_at(NOW)[0];
    assert_eq!(
        (c.categories, c.source),
        (
            CategorySet::single(Category::Statistics),
            Source::OpenCookieDb
        )
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn imported_cookies_are_classified_like_received_ones() {
    let jar = Jar::default();
    let mut c = cookiejar::Cookie::new("_ga", "GA1.2.3", "example.org", "/");
    c.expires = Some(NOW + DAY);
    jar.insert_at(&c, NOW).unwrap();
    let (stored, _) = &jar.audit_at(NOW)[0];
    assert_eq!(
        (stored.categories, stored.source),
        (
            CategorySet::single(Category::Statistics),
            Source::OpenCookieDb
        )
    );
}
