/*
 * Cookies as records: cj_jar_get, cj_jar_insert, cj_jar_for_each_matching_cookie, and the
 * Netscape cookies.txt import and export (text and file forms, #HttpOnly_ lines, bad lines,
 * refused cookies), the open report and parsed URL handles, each with NULL and invalid arguments and untouched out-parameters.
 *
 * Strict C11 (see run.sh); run under AddressSanitizer/UBSan and under valgrind.
 */
#define _POSIX_C_SOURCE 200809L

#include "check.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What a visitor saw: the fields the tests look at, copied out (the view dies with the call). */
struct seen {
    int calls;
    char names[8][32];
    char value[64];
    char domain[64];
    bool http_only;
    bool host_only;
    bool secure;
    bool session;
    int64_t expires_ms;
    cj_same_site same_site;
    uint32_t categories;
};

static void copy_field(char *dst, size_t len, const char *src) {
    snprintf(dst, len, "%s", src != NULL ? src : "(NULL)");
}

static int record(const cj_cookie *c, void *user_data) {
    struct seen *s = user_data;
    if (s->calls < 8) copy_field(s->names[s->calls], sizeof s->names[0], c->name);
    copy_field(s->value, sizeof s->value, c->value);
    copy_field(s->domain, sizeof s->domain, c->domain);
    s->http_only = c->http_only;
    s->host_only = c->host_only;
    s->secure = c->secure;
    s->session = c->session;
    s->expires_ms = c->expires_ms;
    s->same_site = c->same_site;
    s->categories = c->categories;
    s->calls++;
    return 0;
}

static int stop_at_once(const cj_cookie *c, void *user_data) {
    (void)c;
    (*(int *)user_data)++;
    return 1;
}

static cj_cookie blank_cookie(const char *name, const char *value, const char *domain) {
    cj_cookie c;
    memset(&c, 0, sizeof c);
    c.name = name;
    c.value = value;
    c.domain = domain;
    c.path = "/";
    c.session = true;
    c.host_only = true;
    c.same_site = CJ_SAME_SITE_DEFAULT;
    c.priority = CJ_PRIORITY_MEDIUM;
    return c;
}

static void get_one(void) {
    cj_jar *jar = NULL;
    CHECK_OK(cj_jar_new(&jar));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/a/b",
                               "sid=1; Domain=example.com; Path=/a; Secure; HttpOnly; Max-Age=60",
                               T0));
    struct seen s = {0};
    bool found = false;
    CHECK_OK(cj_jar_get(jar, ".EXAMPLE.com", "/a", "sid", T0, record, &s, &found));
    CHECK(found);
    CHECK(s.calls == 1);
    CHECK_STR(s.value, "1");
    CHECK(s.http_only && s.secure && !s.host_only && !s.session);
    CHECK(s.expires_ms == T0 + 60000);

    /* Absent, or expired by then: the visitor is not called, found is false. */
    memset(&s, 0, sizeof s);
    found = true;
    CHECK_OK(cj_jar_get(jar, "example.com", "/", "sid", T0, record, &s, &found));
    CHECK(!found && s.calls == 0);
    found = true;
    CHECK_OK(cj_jar_get(jar, "example.com", "/a", "sid", T0 + 61000, record, &s, &found));
    CHECK(!found && s.calls == 0);
    /* found is optional. */
    CHECK_OK(cj_jar_get(jar, "example.com", "/a", "sid", T0, record, &s, NULL));
    CHECK(s.calls == 1);

    found = true;
    CHECK_NULL_ARG(cj_jar_get(NULL, "example.com", "/a", "sid", T0, record, &s, &found), "jar");
    CHECK_NULL_ARG(cj_jar_get(jar, NULL, "/a", "sid", T0, record, &s, &found), "domain");
    CHECK_NULL_ARG(cj_jar_get(jar, "example.com", NULL, "sid", T0, record, &s, &found), "path");
    CHECK_NULL_ARG(cj_jar_get(jar, "example.com", "/a", NULL, T0, record, &s, &found), "name");
    CHECK_NULL_ARG(cj_jar_get(jar, "example.com", "/a", "sid", T0, NULL, &s, &found), "visitor");
    for (size_t i = 0; i < BAD_UTF8_COUNT; i++) {
        CHECK_FAILURE(cj_jar_get(jar, BAD_UTF8[i], "/a", "sid", T0, record, &s, &found),
                      CJ_STATUS_INVALID_UTF8, "`domain`");
        CHECK_FAILURE(cj_jar_get(jar, "example.com", "/a", BAD_UTF8[i], T0, record, &s, &found),
                      CJ_STATUS_INVALID_UTF8, "`name`");
    }
    CHECK(found); /* untouched by every failure */
    cj_jar_free(jar);
}

static void insert(void) {
    cj_jar *jar = NULL;
    CHECK_OK(cj_jar_new(&jar));

    /* A domain cookie with its metadata; a leading dot is ignored. */
    cj_cookie c = blank_cookie("pref", "dark", ".example.com");
    c.host_only = false;
    c.secure = true;
    c.session = false;
    c.expires_ms = T0 + 3600 * 1000;
    c.same_site = CJ_SAME_SITE_STRICT;
    c.priority = CJ_PRIORITY_HIGH;
    CHECK_OK(cj_jar_insert(jar, &c, T0));
    CHECK_HEADER(jar, "https://www.example.com/", T0, "pref=dark");
    CHECK_HEADER(jar, "http://www.example.com/", T0, NULL); /* Secure */
    struct seen s = {0};
    bool found = false;
    CHECK_OK(cj_jar_get(jar, "example.com", "/", "pref", T0, record, &s, &found));
    CHECK(found && s.same_site == CJ_SAME_SITE_STRICT && !s.host_only);
    CHECK(s.expires_ms == T0 + 3600 * 1000);
    /* Classified like a received cookie (categories 0): nothing knows "pref". */
    CHECK(s.categories == 1u << CJ_CATEGORY_UNCLASSIFIED);

    /* Categories given by the caller are kept. */
    cj_cookie m = blank_cookie("visits", "3", "shop.example.org");
    m.categories = 1u << CJ_CATEGORY_STATISTICS;
    CHECK_OK(cj_jar_insert(jar, &m, T0));
    memset(&s, 0, sizeof s);
    CHECK_OK(cj_jar_get(jar, "shop.example.org", "/", "visits", T0, record, &s, &found));
    CHECK(found && s.categories == 1u << CJ_CATEGORY_STATISTICS);

    /* The same rules as a Set-Cookie. */
    cj_cookie bad = blank_cookie("x", "1", "com");
    bad.host_only = false;
    CHECK_FAILURE(cj_jar_insert(jar, &bad, T0), CJ_STATUS_PUBLIC_SUFFIX, NULL);
    bad = blank_cookie("__Host-x", "1", "example.com");
    CHECK_FAILURE(cj_jar_insert(jar, &bad, T0), CJ_STATUS_HOST_PREFIX, NULL);
    bad = blank_cookie("x", "1", "example.com");
    bad.same_site = CJ_SAME_SITE_NONE;
    CHECK_FAILURE(cj_jar_insert(jar, &bad, T0), CJ_STATUS_SAME_SITE_NONE_INSECURE, NULL);
    /* A partition without Secure is what consent partitioning keeps for a third-party cookie
       (CJ_STATUS_PARTITIONED_INSECURE is for the Partitioned attribute of a Set-Cookie), so an
       import of one is accepted: a partition only narrows where the cookie goes. */
    {
        cj_jar *other = NULL;
        CHECK_OK(cj_jar_new(&other));
        bad = blank_cookie("x", "1", "example.com");
        bad.partition = "example.org";
        CHECK_OK(cj_jar_insert(other, &bad, T0));
        CHECK(jar_len(other) == 1);
        cj_jar_free(other);
    }
    bad = blank_cookie("", "", "example.com");
    CHECK_FAILURE(cj_jar_insert(jar, &bad, T0), CJ_STATUS_EMPTY_COOKIE, NULL);

    /* Out-of-range enum fields and categories are refused, not trusted. */
    bad = blank_cookie("x", "1", "example.com");
    bad.same_site = (cj_same_site)9;
    CHECK_FAILURE(cj_jar_insert(jar, &bad, T0), CJ_STATUS_INVALID_ARGUMENT, "same_site");
    bad = blank_cookie("x", "1", "example.com");
    bad.priority = (cj_priority)7;
    CHECK_FAILURE(cj_jar_insert(jar, &bad, T0), CJ_STATUS_INVALID_ARGUMENT, "priority");
    bad = blank_cookie("x", "1", "example.com");
    bad.categories = 1u << 5;
    CHECK_FAILURE(cj_jar_insert(jar, &bad, T0), CJ_STATUS_INVALID_ARGUMENT, "categories");

    /* NULL and invalid UTF-8 in the struct's strings. */
    CHECK_NULL_ARG(cj_jar_insert(jar, NULL, T0), "cookie");
    CHECK_NULL_ARG(cj_jar_insert(NULL, &c, T0), "jar");
    bad = blank_cookie(NULL, "1", "example.com");
    CHECK_NULL_ARG(cj_jar_insert(jar, &bad, T0), "cookie->name");
    bad = blank_cookie("x", NULL, "example.com");
    CHECK_NULL_ARG(cj_jar_insert(jar, &bad, T0), "cookie->value");
    bad = blank_cookie("x", "1", NULL);
    CHECK_NULL_ARG(cj_jar_insert(jar, &bad, T0), "cookie->domain");
    bad = blank_cookie("x", "1", "example.com");
    bad.path = NULL;
    CHECK_NULL_ARG(cj_jar_insert(jar, &bad, T0), "cookie->path");
    for (size_t i = 0; i < BAD_UTF8_COUNT; i++) {
        bad = blank_cookie("x", BAD_UTF8[i], "example.com");
        CHECK_FAILURE(cj_jar_insert(jar, &bad, T0), CJ_STATUS_INVALID_UTF8, "cookie->value");
    }

    /* An expiry in the past deletes the stored cookie: success. */
    c.expires_ms = T0 - 1000;
    CHECK_OK(cj_jar_insert(jar, &c, T0));
    CHECK_HEADER(jar, "https://www.example.com/", T0, NULL);
    CHECK(jar_len(jar) == 1);
    cj_jar_free(jar);
}

static void matching(void) {
    cj_jar *jar = NULL;
    CHECK_OK(cj_jar_new(&jar));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/a/", "short=1; Path=/", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/a/", "long=2; Path=/a", T0 + 1));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "strict=3; SameSite=Strict",
                               T0 + 2));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "h=4; HttpOnly", T0 + 3));

    /* The header's order: longest path first, then creation. */
    struct seen s = {0};
    CHECK_OK(cj_jar_for_each_matching_cookie(jar, "https://www.example.com/a/x", NULL, 0, T0,
                                             record, &s));
    CHECK(s.calls == 4);
    CHECK_STR(s.names[0], "long");
    CHECK_STR(s.names[1], "short");
    /* A cross-site subresource: no Strict (nor Lax-by-default) cookie; a script: no HttpOnly. */
    memset(&s, 0, sizeof s);
    CHECK_OK(cj_jar_for_each_matching_cookie(jar, "https://www.example.com/a/x",
                                             "https://other.org/", 0, T0, record, &s));
    CHECK(s.calls == 0);
    memset(&s, 0, sizeof s);
    CHECK_OK(cj_jar_for_each_matching_cookie(jar, "https://www.example.com/", NULL,
                                             CJ_REQUEST_NON_HTTP, T0, record, &s));
    CHECK(s.calls == 2);
    int calls = 0;
    CHECK_OK(cj_jar_for_each_matching_cookie(jar, "https://www.example.com/", NULL, 0, T0,
                                             stop_at_once, &calls));
    CHECK(calls == 1);

    CHECK_NULL_ARG(cj_jar_for_each_matching_cookie(NULL, "https://a.com/", NULL, 0, T0, record,
                                                   &s),
                   "jar");
    CHECK_NULL_ARG(cj_jar_for_each_matching_cookie(jar, NULL, NULL, 0, T0, record, &s),
                   "request_url");
    CHECK_NULL_ARG(cj_jar_for_each_matching_cookie(jar, "https://a.com/", NULL, 0, T0, NULL, &s),
                   "visitor");
    CHECK_FAILURE(cj_jar_for_each_matching_cookie(jar, "ftp://a.com/", NULL, 0, T0, record, &s),
                  CJ_STATUS_UNSUPPORTED_SCHEME, NULL);
    CHECK_FAILURE(cj_jar_for_each_matching_cookie(jar, "https://a.com/", "::", 0, T0, record, &s),
                  CJ_STATUS_INVALID_URL, "initiator_url");
    CHECK_FAILURE(cj_jar_for_each_matching_cookie(jar, "https://a.com/", NULL, 64, T0, record,
                                                  &s),
                  CJ_STATUS_INVALID_ARGUMENT, "flags");
    CHECK_FAILURE(cj_jar_for_each_matching_cookie(jar, BAD_UTF8[0], NULL, 0, T0, record, &s),
                  CJ_STATUS_INVALID_UTF8, NULL);
    cj_jar_free(jar);
}

static const char NETSCAPE[] =
    "# Netscape HTTP Cookie File\n"
    "#HttpOnly_.example.com\tTRUE\t/\tTRUE\t1760000000\tsid\tabc\n"
    "www.example.com\tFALSE\t/app\tFALSE\t0\tlang\ten\r\n"
    "# a comment\n"
    "\n"
    "example.com\tFALSE\t/\tnot-a-flag\t0\tbad\t1\n"   /* bad line */
    ".com\tTRUE\t/\tFALSE\t0\tsuper\t1\n"              /* refused: public suffix */
    "old.example.com\tFALSE\t/\tFALSE\t1000\tgone\t1\n"; /* expired: in neither count */

static void netscape_text(void) {
    cj_jar *jar = NULL;
    CHECK_OK(cj_jar_new(&jar));
    size_t imported = SENTINEL_COUNT, refused = SENTINEL_COUNT;
    CHECK_OK(cj_jar_import_netscape(jar, NETSCAPE, strlen(NETSCAPE), T0, &imported, &refused));
    CHECK(imported == 2);
    CHECK(refused == 2);
    CHECK_HEADER(jar, "https://www.example.com/app/", T0, "lang=en; sid=abc");
    CHECK_HEADER(jar, "https://example.com/", T0, "sid=abc");
    struct seen s = {0};
    bool found = false;
    CHECK_OK(cj_jar_get(jar, "example.com", "/", "sid", T0, record, &s, &found));
    CHECK(found && s.http_only && s.secure && !s.host_only);
    CHECK(s.expires_ms == INT64_C(1760000000000));

    /* Export: curl's layout, #HttpOnly_ kept, the domain cookie with its dot. */
    char *text = SENTINEL_STRING;
    CHECK_OK(cj_jar_export_netscape(jar, T0, &text));
    CHECK(text != SENTINEL_STRING && text != NULL);
    if (text != SENTINEL_STRING && text != NULL) {
        CHECK(strncmp(text, "# Netscape HTTP Cookie File\n", 28) == 0);
        CHECK(strstr(text, "#HttpOnly_.example.com\tTRUE\t/\tTRUE\t1760000000\tsid\tabc\n") != NULL);
        CHECK(strstr(text, "\nwww.example.com\tFALSE\t/app\tFALSE\t0\tlang\ten\n") != NULL);

        /* Round trip into a fresh jar: the same cookies. */
        cj_jar *copy = NULL;
        CHECK_OK(cj_jar_new(&copy));
        CHECK_OK(cj_jar_import_netscape(copy, text, strlen(text), T0, &imported, NULL));
        CHECK(imported == 2);
        CHECK_HEADER(copy, "https://www.example.com/app/", T0, "lang=en; sid=abc");
        cj_jar_free(copy);
        cj_string_free(text);
    }

    /* Length, not NUL, ends the input; empty input imports nothing; counts are optional. */
    CHECK_OK(cj_jar_clear(jar));
    CHECK_OK(cj_jar_import_netscape(jar, NETSCAPE, 27, T0, &imported, &refused));
    CHECK(imported == 0 && refused == 0);
    CHECK_OK(cj_jar_import_netscape(jar, "", 0, T0, NULL, NULL));
    /* Invalid UTF-8 in a cookie line is that line's problem only. */
    static const char MIXED[] = "a.example\tFALSE\t/\tFALSE\t0\tv\t\xff\n"
                                "b.example\tFALSE\t/\tFALSE\t0\tok\t1\n";
    CHECK_OK(cj_jar_import_netscape(jar, MIXED, strlen(MIXED), T0, &imported, &refused));
    CHECK(imported == 1 && refused == 1);

    imported = refused = SENTINEL_COUNT;
    CHECK_NULL_ARG(cj_jar_import_netscape(NULL, NETSCAPE, 1, T0, &imported, &refused), "jar");
    CHECK_NULL_ARG(cj_jar_import_netscape(jar, NULL, 0, T0, &imported, &refused), "text");
    CHECK(imported == SENTINEL_COUNT && refused == SENTINEL_COUNT);
    text = SENTINEL_STRING;
    CHECK_NULL_ARG(cj_jar_export_netscape(NULL, T0, &text), "jar");
    CHECK_NULL_ARG(cj_jar_export_netscape(jar, T0, NULL), "out");
    CHECK(text == SENTINEL_STRING);
    cj_jar_free(jar);
}

static void netscape_files(void) {
    char dir[] = "/tmp/cj-records-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        check_fail(__FILE__, __LINE__, "mkdtemp failed");
        return;
    }
    char in_path[128], out_path[128], missing[128];
    snprintf(in_path, sizeof in_path, "%s/in.txt", dir);
    snprintf(out_path, sizeof out_path, "%s/out.txt", dir);
    snprintf(missing, sizeof missing, "%s/nope/x.txt", dir);
    FILE *f = fopen(in_path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        fwrite(NETSCAPE, 1, strlen(NETSCAPE), f);
        fclose(f);
    }

    cj_jar *jar = NULL;
    CHECK_OK(cj_jar_new(&jar));
    size_t imported = SENTINEL_COUNT, refused = SENTINEL_COUNT, written = SENTINEL_COUNT;
    CHECK_OK(cj_jar_import_netscape_file(jar, in_path, T0, &imported, &refused));
    CHECK(imported == 2 && refused == 2);
    CHECK_OK(cj_jar_export_netscape_file(jar, out_path, T0, &written));
    CHECK(written == 2);
    /* Written again over itself (replaced whole), then read back. */
    CHECK_OK(cj_jar_export_netscape_file(jar, out_path, T0, NULL));
    cj_jar *copy = NULL;
    CHECK_OK(cj_jar_new(&copy));
    CHECK_OK(cj_jar_import_netscape_file(copy, out_path, T0, &imported, NULL));
    CHECK(imported == 2);
    CHECK_HEADER(copy, "https://www.example.com/app/", T0, "lang=en; sid=abc");
    cj_jar_free(copy);

    imported = written = SENTINEL_COUNT;
    CHECK_FAILURE(cj_jar_import_netscape_file(jar, missing, T0, &imported, NULL), CJ_STATUS_IO,
                  "cannot read");
    CHECK_FAILURE(cj_jar_export_netscape_file(jar, missing, T0, &written), CJ_STATUS_IO,
                  "cannot create");
    CHECK_FAILURE(cj_jar_import_netscape_file(jar, "", T0, NULL, NULL),
                  CJ_STATUS_INVALID_ARGUMENT, "empty path");
    CHECK_NULL_ARG(cj_jar_import_netscape_file(jar, NULL, T0, NULL, NULL), "path");
    CHECK_NULL_ARG(cj_jar_import_netscape_file(NULL, in_path, T0, NULL, NULL), "jar");
    CHECK_NULL_ARG(cj_jar_export_netscape_file(jar, NULL, T0, &written), "path");
    CHECK_NULL_ARG(cj_jar_export_netscape_file(NULL, out_path, T0, &written), "jar");
    CHECK(imported == SENTINEL_COUNT && written == SENTINEL_COUNT);
    cj_jar_free(jar);

    unlink(in_path);
    unlink(out_path);
    rmdir(dir);
}

static void open_report(void) {
    cj_jar *jar = NULL;
    CHECK_OK(cj_jar_new(&jar));
    cj_open_report r;
    memset(&r, 0x55, sizeof r);
    CHECK_OK(cj_jar_open_report(jar, &r));
    CHECK(r.records == 0 && r.dropped_frames == 0 && r.dropped_bytes == 0 && !r.compacted);
    cj_jar_free(jar);

    char dir[] = "/tmp/cj-report-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        check_fail(__FILE__, __LINE__, "mkdtemp failed");
        return;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/jar", dir);
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK_OK(cj_jar_set_cookie(jar, "https://example.com/", "a=1; Max-Age=86400", -1));
    CHECK_OK(cj_jar_set_cookie(jar, "https://example.com/", "b=1; Max-Age=86400", -1));
    cj_jar_free(jar);
    jar = NULL;
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK_OK(cj_jar_open_report(jar, &r));
    CHECK(r.records >= 2 && r.dropped_frames == 0 && r.dropped_bytes == 0);

    cj_open_report untouched;
    memset(&untouched, 0x55, sizeof untouched);
    CHECK_NULL_ARG(cj_jar_open_report(NULL, &untouched), "jar");
    CHECK_NULL_ARG(cj_jar_open_report(jar, NULL), "out");
    CHECK(untouched.records == UINT64_C(0x5555555555555555));
    cj_jar_free(jar);
    unlink(path);
    rmdir(dir);
}

static void url_handles(void) {
    cj_jar *jar = NULL;
    CHECK_OK(cj_jar_new(&jar));
    cj_url *url = NULL;
    CHECK_OK(cj_url_parse("https://www.example.com/app/x", &url));
    /* One parse, used for the response's Set-Cookie and the next request's Cookie header. */
    CHECK_OK(cj_jar_set_cookie_url(jar, url, "a=1; Path=/app", T0));
    CHECK_FAILURE(cj_jar_set_cookie_url(jar, url, "b=1; Domain=com", T0), CJ_STATUS_PUBLIC_SUFFIX,
                  "public suffix");
    char *header = SENTINEL_STRING;
    CHECK_OK(cj_jar_cookie_header_url(jar, url, T0, &header));
    CHECK_STR(header, "a=1");
    cj_string_free(header);
    CHECK_HEADER(jar, "https://www.example.com/app/x", T0, "a=1"); /* the same as from text */

    cj_url *other = NULL;
    CHECK_OK(cj_url_parse("https://elsewhere.org/", &other));
    header = SENTINEL_STRING;
    CHECK_OK(cj_jar_cookie_header_url(jar, other, T0, &header));
    CHECK(header == NULL);
    cj_url_free(other);

    cj_url *kept = (cj_url *)(void *)sentinel_bytes;
    CHECK_FAILURE(cj_url_parse("ftp://example.com/", &kept), CJ_STATUS_UNSUPPORTED_SCHEME, "ftp");
    CHECK_FAILURE(cj_url_parse("not a url", &kept), CJ_STATUS_INVALID_URL, "`text`");
    CHECK_FAILURE(cj_url_parse(BAD_UTF8[0], &kept), CJ_STATUS_INVALID_UTF8, "`text`");
    CHECK_NULL_ARG(cj_url_parse(NULL, &kept), "text");
    CHECK_NULL_ARG(cj_url_parse("https://a.com/", NULL), "out");
    CHECK(kept == (cj_url *)(void *)sentinel_bytes);
    header = SENTINEL_STRING;
    CHECK_NULL_ARG(cj_jar_cookie_header_url(NULL, url, T0, &header), "jar");
    CHECK_NULL_ARG(cj_jar_cookie_header_url(jar, NULL, T0, &header), "url");
    CHECK_NULL_ARG(cj_jar_cookie_header_url(jar, url, T0, NULL), "out");
    CHECK(header == SENTINEL_STRING);
    CHECK_NULL_ARG(cj_jar_set_cookie_url(NULL, url, "a=1", T0), "jar");
    CHECK_NULL_ARG(cj_jar_set_cookie_url(jar, NULL, "a=1", T0), "url");
    CHECK_NULL_ARG(cj_jar_set_cookie_url(jar, url, NULL, T0), "set_cookie_value");
    CHECK_FAILURE(cj_jar_set_cookie_url(jar, url, BAD_UTF8[2], T0), CJ_STATUS_INVALID_UTF8, NULL);
    cj_url_free(url);
    cj_url_free(NULL);
    cj_jar_free(jar);
}

int main(void) {
    get_one();
    insert();
    matching();
    netscape_text();
    netscape_files();
    open_report();
    url_handles();
    return check_exit("test_records");
}
