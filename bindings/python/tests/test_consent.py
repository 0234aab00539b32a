"""Consent through the Python API, played as the seed policy of the consent issue (#4): a
portal's declared cookies under necessary-only consent, ``_ga`` refused until statistics are
granted, purged when withdrawn and not restored, an undeclared cookie refused once consent is
enforced, a third-party ``IDE`` refused without marketing consent, GPC; then the profiles,
single decisions, the unclassified policy, the audit and bad arguments."""

from __future__ import annotations

import pytest

import cookiejar
from cookiejar import Category, Decision, Profile, Source, UnclassifiedPolicy

T0 = 1_750_000_000  # seconds, pinned
PORTAL = "https://portal.example.org/"
POLICY = """provider,purpose,cookie,domain,category
the portal,authentication,sessionid,,Necessary
the portal,language selection,django_language,,Preferences
the portal,API (CSRF),csrftoken,,Necessary
the portal,cookie preferences,cookies_preferences,,Necessary
"""
IDE = "IDE=x; SameSite=None; Secure; Max-Age=3600"


def names(jar: cookiejar.Jar) -> set:
    return {c.name for c in jar.cookies(now=T0)}


@pytest.fixture
def jar():
    with cookiejar.Jar() as j:
        assert j.load_policy(POLICY) == 4
        yield j


def test_the_seed_policy_end_to_end(jar):
    # No consent yet: the drop-in rule, nothing is refused.
    jar.set_cookie(PORTAL, "_ga=GA1.1; Max-Age=3600", now=T0)
    assert jar.set_consent({Category.NECESSARY}, now=T0) == 1  # _ga purged at once

    for value in ("sessionid=s; Secure; HttpOnly", "csrftoken=t", "cookies_preferences=n"):
        jar.set_cookie(PORTAL, value, now=T0)
    with pytest.raises(cookiejar.ConsentDeniedError) as info:
        jar.set_cookie(PORTAL, "_ga=GA1.1; Max-Age=3600", now=T0)
    assert info.value.reason == cookiejar.Status.CONSENT_DENIED
    assert isinstance(info.value, cookiejar.ConsentRefused)
    with pytest.raises(cookiejar.ConsentDeniedError):
        jar.set_cookie(PORTAL, "django_language=fr", now=T0)
    # An undeclared cookie, once consent is enforced.
    with pytest.raises(cookiejar.ConsentUnclassifiedError):
        jar.set_cookie(PORTAL, "mystery=1", now=T0)

    # Statistics granted on the portal's site: _ga is stored...
    assert jar.set_consent(["necessary", Category.STATISTICS], site="portal.example.org", now=T0 + 1) == 0
    jar.set_cookie(PORTAL, "_ga=GA1.1; Max-Age=3600", now=T0 + 2)
    assert "_ga" in names(jar)
    # ... purged when withdrawn, and not restored by granting again.
    assert jar.set_decision(Category.STATISTICS, Decision.DENIED, site="example.org", now=T0 + 3) == 1
    assert jar.set_decision("statistics", "granted", site="example.org", now=T0 + 4) == 0
    assert names(jar) == {"sessionid", "csrftoken", "cookies_preferences"}
    assert jar.cookie_header(PORTAL, now=T0 + 5) == "sessionid=s; csrftoken=t; cookies_preferences=n"

    # A third-party IDE from doubleclick.net, without marketing consent.
    with pytest.raises(cookiejar.ConsentDeniedError):
        jar.set_cookie("https://ad.doubleclick.net/", IDE, top_level_url=PORTAL, now=T0 + 6)

    # The unclassified report names what needs a rule.
    report = jar.unclassified_report()
    assert [(u.name, u.count) for u in report] == [("mystery", 1)]


def test_gpc_turns_marketing_off(jar):
    news = "https://news.example.com/"
    jar.set_consent(set(Category), site="news.example.com", now=T0)
    jar.set_cookie("https://ad.doubleclick.net/", IDE, top_level_url=news, now=T0 + 1)
    assert "IDE" in names(jar)
    assert jar.set_gpc(True, now=T0 + 2) == 1
    with pytest.raises(cookiejar.ConsentDeniedError):
        jar.set_cookie("https://ad.doubleclick.net/", IDE, top_level_url=news, now=T0 + 3)
    # Granted again after GPC was switched on: the user's explicit choice wins.
    jar.set_consent(set(Category), site="news.example.com", now=T0 + 4)
    jar.set_cookie("https://ad.doubleclick.net/", IDE, top_level_url=news, now=T0 + 5)
    assert jar.set_gpc(False, now=T0 + 6) == 0


def test_the_audit_says_category_source_party_and_consent(jar):
    jar.set_consent(set(Category), site="portal.example.org", now=T0)
    jar.set_cookie(PORTAL, "sessionid=s", now=T0)
    jar.set_cookie(PORTAL, "_ga=1; Max-Age=60", now=T0)
    jar.set_cookie("https://ad.doubleclick.net/", IDE, top_level_url=PORTAL, now=T0)
    audit = {e.cookie.name: e for e in jar.audit(now=T0)}
    assert set(audit) == {"sessionid", "_ga", "IDE"}
    assert audit["sessionid"].source is Source.OPERATOR
    assert audit["sessionid"].categories == {Category.NECESSARY}
    assert audit["_ga"].source is Source.OPEN_COOKIE_DB
    assert audit["_ga"].categories == {Category.STATISTICS}
    assert audit["IDE"].categories == {Category.MARKETING}
    assert not audit["IDE"].first_party and audit["_ga"].first_party
    assert {e.site for e in audit.values()} == {"example.org"}
    assert all(e.allowed for e in audit.values())


def test_rules_profiles_and_the_unclassified_policy():
    with cookiejar.Jar() as jar:
        jar.add_rule("ab_", Category.STATISTICS, domain="example.org", prefix=True)
        jar.add_rule("pref", "preferences")
        jar.set_consent([Category.NECESSARY], now=T0)
        with pytest.raises(cookiejar.ConsentDeniedError):
            jar.set_cookie(PORTAL, "ab_test=1", now=T0)
        with pytest.raises(cookiejar.ConsentDeniedError):
            jar.set_cookie(PORTAL, "pref=1", now=T0)

        # Unclassified cookies: allowed as necessary, then only first-party session ones.
        assert jar.set_unclassified_policy(UnclassifiedPolicy.TREAT_AS, Category.NECESSARY) == 0
        jar.set_cookie(PORTAL, "mystery=1; Max-Age=60", now=T0)
        jar.set_cookie(PORTAL, "session_only=1", now=T0)
        assert jar.set_unclassified_policy("allow-first-party-session") == 1
        assert jar.set_unclassified_policy(UnclassifiedPolicy.REJECT) == 1
        assert len(jar) == 0

        # UK DUAA: first-party statistics are on until the user objects.
        jar.set_decision(Category.STATISTICS, Decision.UNSET, now=T0)
        with pytest.raises(cookiejar.ConsentDeniedError):
            jar.set_cookie(PORTAL, "_ga=1; Max-Age=60", now=T0)
        assert jar.set_profile(Profile.UK_DUAA) == 0
        jar.set_cookie(PORTAL, "_ga=1; Max-Age=60", now=T0)
        assert jar.set_profile("strict") == 1
        jar.set_profile("uk-duaa")
        jar.set_profile(Profile.CNIL)


def test_policy_from_a_file(tmp_path):
    csv = tmp_path / "policy.csv"
    csv.write_text(POLICY)
    json_policy = tmp_path / "policy.json"
    json_policy.write_text('[{"cookie": "lang", "category": "preferences"}]')
    with cookiejar.Jar() as jar:
        assert jar.load_policy(csv) == 4
        assert jar.load_policy(str(json_policy)) == 1
        with pytest.raises(FileNotFoundError):
            jar.load_policy(tmp_path / "missing.csv")


def test_bad_consent_arguments_raise_the_right_exception(jar):
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.load_policy("not,a\npolicy")
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.add_rule("", Category.MARKETING)
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.add_rule("a;b", Category.MARKETING)
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.add_rule("x", Category.MARKETING, domain="not a host")
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.add_rule("x", "no-such-category")
    with pytest.raises(TypeError):
        jar.add_rule("x", 1.5)  # type: ignore[arg-type]
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.set_decision(Category.NECESSARY, Decision.DENIED)
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.set_decision(Category.MARKETING, 7)
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.set_profile("gdpr")
    with pytest.raises(TypeError):
        jar.set_consent(Category.MARKETING)  # type: ignore[arg-type]
    with pytest.raises(cookiejar.InvalidUtf8Error):
        jar.set_consent([], site="\udc80")
    with pytest.raises(cookiejar.InvalidArgumentError):
        jar.set_gpc(True, now=-5)
    with pytest.raises(TypeError):
        jar.set_gpc("yes")  # type: ignore[arg-type]
    jar.close()
    with pytest.raises(cookiejar.ClosedError):
        jar.audit()
