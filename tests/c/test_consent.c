/*
 * Consent from C, played as the seed policy of issue #4: a portal's four declared cookies
 * under necessary-only consent; _ga refused until statistics are granted, purged when
 * withdrawn and not restored; an undeclared cookie refused; a third-party IDE refused without
 * marketing consent; GPC; the profiles, single decisions and the unclassified policy; the
 * audit and the unclassified report; NULL and out-of-range arguments.
 *
 * Strict C11 (see run.sh); run under AddressSanitizer/UBSan and under valgrind.
 */
#include "check.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PORTAL "https://portal.example.org/"
#define BIT(c) (1u << (c))

static const char POLICY[] = "provider,purpose,cookie,domain,category\n"
                             "the portal,authentication,sessionid,,Necessary\n"
                             "the portal,language selection,django_language,,Preferences\n"
                             "the portal,API (CSRF),csrftoken,,Necessary\n"
                             "the portal,cookie preferences,cookies_preferences,,Necessary\n";

struct audit_seen {
    int calls;
    int allowed;
    int first_party;
    bool ga_seen;
    cj_source ga_source;
    uint32_t ga_categories;
    char ga_site[64];
};

static int audit_visitor(const cj_audit_entry *e, void *user_data) {
    struct audit_seen *s = user_data;
    s->calls++;
    s->allowed += e->allowed;
    s->first_party += e->first_party;
    if (strcmp(e->cookie->name, "_ga") == 0) {
        s->ga_seen = true;
        s->ga_source = e->source;
        s->ga_categories = e->cookie->categories;
        snprintf(s->ga_site, sizeof s->ga_site, "%s", e->site);
    }
    return 0;
}

static int audit_stop(const cj_audit_entry *e, void *user_data) {
    (void)e;
    (*(int *)user_data)++;
    return 1;
}

struct report_seen {
    int calls;
    char first_name[32];
    uint64_t first_count;
};

static int report_visitor(const cj_unclassified *u, void *user_data) {
    struct report_seen *s = user_data;
    if (s->calls == 0) {
        snprintf(s->first_name, sizeof s->first_name, "%s", u->name);
        s->first_count = u->count;
        CHECK(u->domain != NULL && u->last_seen_ms > 0);
    }
    s->calls++;
    return 0;
}

static int report_stop(const cj_unclassified *u, void *user_data) {
    (void)u;
    (*(int *)user_data)++;
    return 1;
}

static void seed_policy(void) {
    cj_jar *jar = NULL;
    CHECK_OK(cj_jar_new(&jar));
    size_t added = 0, purged = SENTINEL_COUNT;
    CHECK_OK(cj_jar_load_policy(jar, POLICY, &added));
    CHECK(added == 4);

    /* Necessary only, everywhere. */
    CHECK_OK(cj_jar_set_consent_at(jar, NULL, BIT(CJ_CATEGORY_NECESSARY), T0, &purged));
    CHECK(purged == 0);
    CHECK_OK(cj_jar_set_cookie(jar, PORTAL, "sessionid=s1; Secure; HttpOnly", T0));
    CHECK_OK(cj_jar_set_cookie(jar, PORTAL, "csrftoken=t", T0));
    CHECK_OK(cj_jar_set_cookie(jar, PORTAL, "cookies_preferences=n", T0));
    CHECK_STATUS(cj_jar_set_cookie(jar, PORTAL, "django_language=fr", T0),
                 CJ_STATUS_CONSENT_DENIED);
    CHECK_STATUS(cj_jar_set_cookie(jar, PORTAL, "_ga=GA1.1; Max-Age=3600", T0),
                 CJ_STATUS_CONSENT_DENIED);
    CHECK_STATUS(cj_jar_set_cookie(jar, PORTAL, "mystery=1", T0), CJ_STATUS_CONSENT_UNCLASSIFIED);
    CHECK(jar_len(jar) == 3);

    /* Statistics granted on the portal's site with a single decision: _ga is stored. */
    CHECK_OK(cj_jar_set_decision(jar, "portal.example.org", CJ_CATEGORY_STATISTICS,
                                 CJ_DECISION_GRANTED, T0 + 1, &purged));
    CHECK(purged == 0);
    CHECK_OK(cj_jar_set_cookie(jar, PORTAL, "_ga=GA1.1; Max-Age=3600", T0 + 2));
    CHECK(jar_len(jar) == 4);

    /* The audit: every cookie first-party and allowed; _ga from the Open Cookie Database. */
    struct audit_seen a = {0};
    CHECK_OK(cj_jar_audit(jar, T0 + 3, audit_visitor, &a));
    CHECK(a.calls == 4 && a.allowed == 4 && a.first_party == 4);
    CHECK(a.ga_seen && a.ga_source == CJ_SOURCE_OPEN_COOKIE_DB);
    CHECK(a.ga_categories == BIT(CJ_CATEGORY_STATISTICS));
    CHECK_STR(a.ga_site, "example.org");
    int calls = 0;
    CHECK_OK(cj_jar_audit(jar, T0 + 3, audit_stop, &calls));
    CHECK(calls == 1);

    /* Withdrawn: purged at once, and granting again restores nothing. */
    CHECK_OK(cj_jar_set_decision(jar, "example.org", CJ_CATEGORY_STATISTICS, CJ_DECISION_DENIED,
                                 T0 + 4, &purged));
    CHECK(purged == 1);
    CHECK(jar_len(jar) == 3);
    CHECK_OK(cj_jar_set_decision(jar, "example.org", CJ_CATEGORY_STATISTICS, CJ_DECISION_GRANTED,
                                 T0 + 5, NULL));
    CHECK(jar_len(jar) == 3);
    CHECK_HEADER(jar, PORTAL, T0 + 6, "sessionid=s1; csrftoken=t; cookies_preferences=n");

    /* A third-party IDE from doubleclick.net, without marketing consent. */
    CHECK_STATUS(cj_jar_set_cookie_in(jar, "https://ad.doubleclick.net/", PORTAL,
                                      "IDE=x; SameSite=None; Secure; Max-Age=3600", T0 + 7),
                 CJ_STATUS_CONSENT_DENIED);

    /* GPC turns marketing off even where it was granted before. */
    CHECK_OK(cj_jar_set_consent_at(jar, "news.example.com", 0xffu, T0 + 8, NULL));
    CHECK_OK(cj_jar_set_cookie_in(jar, "https://ad.doubleclick.net/", "https://news.example.com/",
                                  "IDE=x; SameSite=None; Secure; Max-Age=3600", T0 + 9));
    CHECK(jar_len(jar) == 4);
    CHECK_OK(cj_jar_set_gpc_at(jar, true, T0 + 10, &purged));
    CHECK(purged == 1);
    CHECK_STATUS(cj_jar_set_cookie_in(jar, "https://ad.doubleclick.net/", "https://news.example.com/",
                                      "IDE=x; SameSite=None; Secure; Max-Age=3600", T0 + 11),
                 CJ_STATUS_CONSENT_DENIED);
    /* ... unless granted again after GPC was switched on. */
    CHECK_OK(cj_jar_set_consent_at(jar, "news.example.com", 0xffu, T0 + 12, NULL));
    CHECK_OK(cj_jar_set_cookie_in(jar, "https://ad.doubleclick.net/", "https://news.example.com/",
                                  "IDE=x; SameSite=None; Secure; Max-Age=3600", T0 + 13));
    a = (struct audit_seen){0};
    CHECK_OK(cj_jar_audit(jar, T0 + 14, audit_visitor, &a));
    CHECK(a.calls == 4 && a.allowed == 4 && a.first_party == 3); /* IDE is third-party */
    CHECK_OK(cj_jar_set_gpc_at(jar, false, T0 + 15, NULL));

    /* The unclassified report: "mystery" (refused) is there, seen once. */
    struct report_seen r = {0};
    CHECK_OK(cj_jar_unclassified_report(jar, report_visitor, &r));
    CHECK(r.calls == 1);
    CHECK_STR(r.first_name, "mystery");
    CHECK(r.first_count == 1);
    calls = 0;
    CHECK_STATUS(cj_jar_set_cookie(jar, PORTAL, "other=1", T0 + 16),
                 CJ_STATUS_CONSENT_UNCLASSIFIED);
    CHECK_OK(cj_jar_unclassified_report(jar, report_stop, &calls));
    CHECK(calls == 1);
    cj_jar_free(jar);
}

static void policy_and_profile(void) {
    cj_jar *jar = NULL;
    CHECK_OK(cj_jar_new(&jar));
    size_t purged = SENTINEL_COUNT;
    CHECK_OK(cj_jar_set_consent_at(jar, NULL, BIT(CJ_CATEGORY_NECESSARY), T0, NULL));

    /* Unclassified cookies: refused by default (Marketing-level), allowed as Necessary. */
    CHECK_STATUS(cj_jar_set_cookie(jar, PORTAL, "mystery=1", T0), CJ_STATUS_CONSENT_UNCLASSIFIED);
    CHECK_OK(cj_jar_set_unclassified_policy(jar, CJ_UNCLASSIFIED_TREAT_AS, CJ_CATEGORY_NECESSARY,
                                            &purged));
    CHECK(purged == 0);
    CHECK_OK(cj_jar_set_cookie(jar, PORTAL, "mystery=1; Max-Age=60", T0));
    CHECK_OK(cj_jar_set_cookie(jar, PORTAL, "session_only=1", T0));
    /* First-party session cookies only: the persistent one goes. */
    CHECK_OK(cj_jar_set_unclassified_policy(jar, CJ_UNCLASSIFIED_ALLOW_FIRST_PARTY_SESSION,
                                            CJ_CATEGORY_UNCLASSIFIED, &purged));
    CHECK(purged == 1);
    CHECK_OK(cj_jar_set_unclassified_policy(jar, CJ_UNCLASSIFIED_REJECT, CJ_CATEGORY_MARKETING,
                                            &purged));
    CHECK(purged == 1);
    CHECK(jar_len(jar) == 0);

    /* UK DUAA: first-party statistics are on until the user objects. */
    CHECK_STATUS(cj_jar_set_cookie(jar, PORTAL, "_ga=1; Max-Age=60", T0),
                 CJ_STATUS_CONSENT_DENIED);
    CHECK_OK(cj_jar_set_consent_at(jar, NULL, 0, T0, NULL)); /* ... after an explicit choice */
    CHECK_OK(cj_jar_set_decision(jar, NULL, CJ_CATEGORY_STATISTICS, CJ_DECISION_UNSET, T0, NULL));
    CHECK_OK(cj_jar_set_profile(jar, CJ_PROFILE_UK_DUAA, &purged));
    CHECK(purged == 0);
    CHECK_OK(cj_jar_set_cookie(jar, PORTAL, "_ga=1; Max-Age=60", T0));
    CHECK_OK(cj_jar_set_profile(jar, CJ_PROFILE_STRICT, &purged));
    CHECK(purged == 1);
    CHECK_OK(cj_jar_set_profile(jar, CJ_PROFILE_CNIL, NULL));

    /* Bad arguments: out of range, undecidable, NULL, invalid UTF-8; counts untouched. */
    purged = SENTINEL_COUNT;
    CHECK_FAILURE(cj_jar_set_profile(jar, (cj_profile)3, &purged), CJ_STATUS_INVALID_ARGUMENT,
                  "cj_profile");
    CHECK_FAILURE(cj_jar_set_decision(jar, NULL, CJ_CATEGORY_NECESSARY, CJ_DECISION_DENIED, T0,
                                      &purged),
                  CJ_STATUS_INVALID_ARGUMENT, NULL);
    CHECK_FAILURE(cj_jar_set_decision(jar, NULL, CJ_CATEGORY_UNCLASSIFIED, CJ_DECISION_GRANTED,
                                      T0, &purged),
                  CJ_STATUS_INVALID_ARGUMENT, NULL);
    CHECK_FAILURE(cj_jar_set_decision(jar, NULL, (cj_category)9, CJ_DECISION_GRANTED, T0,
                                      &purged),
                  CJ_STATUS_INVALID_ARGUMENT, "cj_category");
    CHECK_FAILURE(cj_jar_set_decision(jar, NULL, CJ_CATEGORY_MARKETING, (cj_decision)3, T0,
                                      &purged),
                  CJ_STATUS_INVALID_ARGUMENT, "cj_decision");
    CHECK_FAILURE(cj_jar_set_unclassified_policy(jar, (cj_unclassified_policy)3,
                                                 CJ_CATEGORY_MARKETING, &purged),
                  CJ_STATUS_INVALID_ARGUMENT, "cj_unclassified_policy");
    CHECK_FAILURE(cj_jar_set_unclassified_policy(jar, CJ_UNCLASSIFIED_TREAT_AS, (cj_category)5,
                                                 &purged),
                  CJ_STATUS_INVALID_ARGUMENT, "treat_as");
    CHECK_NULL_ARG(cj_jar_set_profile(NULL, CJ_PROFILE_CNIL, &purged), "jar");
    CHECK_NULL_ARG(cj_jar_set_decision(NULL, NULL, CJ_CATEGORY_MARKETING, CJ_DECISION_DENIED, T0,
                                       &purged),
                   "jar");
    CHECK_NULL_ARG(cj_jar_set_unclassified_policy(NULL, CJ_UNCLASSIFIED_REJECT,
                                                  CJ_CATEGORY_MARKETING, &purged),
                   "jar");
    CHECK_NULL_ARG(cj_jar_set_consent_at(NULL, NULL, 0, T0, &purged), "jar");
    CHECK_NULL_ARG(cj_jar_set_gpc_at(NULL, true, T0, &purged), "jar");
    CHECK_NULL_ARG(cj_jar_audit(NULL, T0, audit_visitor, NULL), "jar");
    CHECK_NULL_ARG(cj_jar_audit(jar, T0, NULL, NULL), "visitor");
    CHECK_NULL_ARG(cj_jar_unclassified_report(NULL, report_visitor, NULL), "jar");
    CHECK_NULL_ARG(cj_jar_unclassified_report(jar, NULL, NULL), "visitor");
    for (size_t i = 0; i < BAD_UTF8_COUNT; i++) {
        CHECK_FAILURE(cj_jar_set_decision(jar, BAD_UTF8[i], CJ_CATEGORY_MARKETING,
                                          CJ_DECISION_DENIED, T0, &purged),
                      CJ_STATUS_INVALID_UTF8, "top_level_site");
        CHECK_FAILURE(cj_jar_set_consent_at(jar, BAD_UTF8[i], 0, T0, &purged),
                      CJ_STATUS_INVALID_UTF8, "top_level_site");
    }
    CHECK(purged == SENTINEL_COUNT);
    cj_jar_free(jar);
}

/* Enum values are ABI: never renumbered. */
static void enum_values(void) {
    CHECK(CJ_PROFILE_STRICT == 0 && CJ_PROFILE_CNIL == 1 && CJ_PROFILE_UK_DUAA == 2);
    CHECK(CJ_DECISION_UNSET == 0 && CJ_DECISION_GRANTED == 1 && CJ_DECISION_DENIED == 2);
    CHECK(CJ_UNCLASSIFIED_TREAT_AS == 0 && CJ_UNCLASSIFIED_REJECT == 1 &&
          CJ_UNCLASSIFIED_ALLOW_FIRST_PARTY_SESSION == 2);
    CHECK(CJ_SOURCE_OPERATOR == 0 && CJ_SOURCE_OVERLAY == 1 && CJ_SOURCE_OPEN_COOKIE_DB == 2 &&
          CJ_SOURCE_DEFAULT == 3);
}

int main(void) {
    enum_values();
    seed_policy();
    policy_and_profile();
    return check_exit("test_consent");
}
