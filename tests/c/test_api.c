/*
 * The C API, function by function: fixed numbers and names, the last error, NULL and invalid
 * UTF-8 in every pointer and string argument (with out-parameters left untouched), URLs, one
 * check per rejection status, storage and retrieval with a request context, options,
 * enumeration and removal. File jars are in test_files.c, threads in test_threads.c.
 *
 * Strict C11 (see run.sh); run under AddressSanitizer/UBSan and under valgrind.
 */
#include "check.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MS INT64_C(86400000)

/* ---- fixed numbers and names ------------------------------------------------------------ */

struct status_row {
    cj_status status;
    int number; /* the ABI: never renumbered */
    const char *name;
};

#define ROW(s, n) {s, n, #s}
static const struct status_row STATUSES[] = {
    ROW(CJ_STATUS_OK, 0),
    ROW(CJ_STATUS_NULL_ARGUMENT, 1),
    ROW(CJ_STATUS_INVALID_UTF8, 2),
    ROW(CJ_STATUS_INVALID_URL, 3),
    ROW(CJ_STATUS_UNSUPPORTED_SCHEME, 4),
    ROW(CJ_STATUS_INVALID_ARGUMENT, 5),
    ROW(CJ_STATUS_CONTROL_CHARACTER, 100),
    ROW(CJ_STATUS_NAME_VALUE_TOO_LONG, 101),
    ROW(CJ_STATUS_EMPTY_COOKIE, 102),
    ROW(CJ_STATUS_NON_ASCII_DOMAIN, 103),
    ROW(CJ_STATUS_INVALID_DOMAIN, 104),
    ROW(CJ_STATUS_PUBLIC_SUFFIX, 105),
    ROW(CJ_STATUS_DOMAIN_MISMATCH, 106),
    ROW(CJ_STATUS_SECURE_FROM_INSECURE_ORIGIN, 107),
    ROW(CJ_STATUS_HTTP_ONLY_FROM_NON_HTTP, 108),
    ROW(CJ_STATUS_OVERWRITE_SECURE, 109),
    ROW(CJ_STATUS_SAME_SITE_CROSS_SITE, 110),
    ROW(CJ_STATUS_SAME_SITE_NONE_INSECURE, 111),
    ROW(CJ_STATUS_SECURE_PREFIX, 112),
    ROW(CJ_STATUS_HOST_PREFIX, 113),
    ROW(CJ_STATUS_NAMELESS_PREFIX, 114),
    ROW(CJ_STATUS_PARTITIONED_INSECURE, 115),
    ROW(CJ_STATUS_OVERWRITE_HTTP_ONLY, 116),
    ROW(CJ_STATUS_FIELD_TOO_LONG, 117),
    ROW(CJ_STATUS_CONSENT_DENIED, 150),
    ROW(CJ_STATUS_CONSENT_UNCLASSIFIED, 151),
    ROW(CJ_STATUS_IO, 200),
    ROW(CJ_STATUS_LOCKED, 201),
    ROW(CJ_STATUS_NOT_A_FILE, 202),
    ROW(CJ_STATUS_NOT_A_JAR_FILE, 203),
    ROW(CJ_STATUS_CORRUPT_HEADER, 204),
    ROW(CJ_STATUS_UNSUPPORTED_VERSION, 205),
    ROW(CJ_STATUS_POISONED, 206),
    ROW(CJ_STATUS_PANIC, 900),
    ROW(CJ_STATUS_INTERNAL, 901),
};
#undef ROW
#define STATUS_COUNT (sizeof STATUSES / sizeof STATUSES[0])

static const struct status_row *known_status(int number) {
    for (size_t i = 0; i < STATUS_COUNT; i++) {
        if (STATUSES[i].number == number) return &STATUSES[i];
    }
    return NULL;
}

static void status_names_and_numbers(void) {
    for (size_t i = 0; i < STATUS_COUNT; i++) {
        const struct status_row *row = &STATUSES[i];
        const char *name = cj_status_name(row->status);
        if ((int)row->status != row->number) {
            check_fail(__FILE__, __LINE__, "%s is %d, expected %d (renumbered?)", row->name,
                       (int)row->status, row->number);
        }
        CHECK_STR(name, row->name);
        CHECK(name == cj_status_name(row->status)); /* static: the same string every time */
        for (size_t j = 0; j < i; j++) CHECK(strcmp(STATUSES[j].name, name) != 0);
    }
    /* Every other value in and around the blocks, and far outside them, is unknown. */
    for (int n = -3; n <= 1001; n++) {
        if (known_status(n) == NULL) {
            const char *name = cj_status_name((cj_status)n);
            if (name == NULL || strcmp(name, "CJ_STATUS_UNKNOWN") != 0) {
                check_fail(__FILE__, __LINE__, "cj_status_name(%d) is %s", n,
                           name ? name : "(NULL)");
            }
        }
    }
    CHECK_STR(cj_status_name((cj_status)INT32_MAX), "CJ_STATUS_UNKNOWN");
    CHECK_STR(cj_status_name((cj_status)INT32_MIN), "CJ_STATUS_UNKNOWN");
}

static void enum_values_and_version(void) {
    const char *v = cj_version();
    size_t i = 0;
    int dots = 0;

    CHECK(CJ_CATEGORY_NECESSARY == 0 && CJ_CATEGORY_PREFERENCES == 1 &&
          CJ_CATEGORY_STATISTICS == 2 && CJ_CATEGORY_MARKETING == 3 &&
          CJ_CATEGORY_UNCLASSIFIED == 4);
    CHECK(CJ_DURABILITY_PROCESS == 0 && CJ_DURABILITY_SYNC == 1);
    CHECK(CJ_SAME_SITE_DEFAULT == 0 && CJ_SAME_SITE_NONE == 1 && CJ_SAME_SITE_LAX == 2 &&
          CJ_SAME_SITE_STRICT == 3);
    CHECK(CJ_PRIORITY_LOW == 0 && CJ_PRIORITY_MEDIUM == 1 && CJ_PRIORITY_HIGH == 2);
    CHECK(CJ_REQUEST_NAVIGATION == 1 && CJ_REQUEST_UNSAFE_METHOD == 2 &&
          CJ_REQUEST_NON_HTTP == 4);
    CHECK(sizeof(cj_category) == 4 && sizeof(cj_durability) == 4 &&
          sizeof(cj_same_site) == 4 && sizeof(cj_priority) == 4 &&
          sizeof(cj_request_flags) == 4);

    /* "MAJOR.MINOR.PATCH", static, and the version run.sh read from Cargo.toml. */
    CHECK(v != NULL && v == cj_version());
    if (v == NULL) return;
    for (; v[i] != '\0'; i++) {
        if (v[i] == '.') {
            CHECK(i > 0 && v[i - 1] != '.');
            dots++;
        } else if (v[i] < '0' || v[i] > '9') {
            break; /* a pre-release or build suffix */
        }
    }
    CHECK(dots == 2);
#ifdef EXPECTED_VERSION
    CHECK_STR(v, EXPECTED_VERSION);
#endif
}

/* ---- the last error --------------------------------------------------------------------- */

/* RFC 3629 well-formedness, for the truncated copies. */
static bool valid_utf8(const unsigned char *s) {
    while (*s) {
        size_t n = *s < 0x80 ? 0 : (*s & 0xE0) == 0xC0 ? 1 : (*s & 0xF0) == 0xE0 ? 2
                 : (*s & 0xF8) == 0xF0 ? 3 : 4;
        if (n == 4 || (n == 1 && *s < 0xC2)) return false;
        for (size_t k = 1; k <= n; k++) {
            if ((s[k] & 0xC0) != 0x80) return false;
        }
        s += n + 1;
    }
    return true;
}

static void last_error(void) {
    char buf[600];
    char full[600];
    size_t needed;
    cj_jar *jar = NULL;

    /* Nothing has failed on this thread yet (main calls this first). */
    CHECK(cj_last_error(NULL, 0) == 0);
    CHECK(cj_last_error(buf, sizeof buf) == 0);

    CHECK_NULL_ARG(cj_jar_new(NULL), "out");
    needed = cj_last_error(NULL, 0);
    CHECK(needed == cj_last_error(full, sizeof full));
    CHECK_STR(full, "cj_jar_new: argument `out` is NULL");
    CHECK(needed == strlen(full) + 1);

    /* Every buffer size: a NUL-terminated prefix, never a byte past `len`, same return. */
    for (size_t len = 1; len <= needed + 2; len++) {
        size_t expect = len - 1 < needed - 1 ? len - 1 : needed - 1;
        memset(buf, '#', sizeof buf);
        CHECK(cj_last_error(buf, len) == needed);
        CHECK(strlen(buf) == expect);
        CHECK(memcmp(buf, full, expect) == 0);
        CHECK(valid_utf8((const unsigned char *)buf));
        for (size_t k = len; k < sizeof buf; k++) {
            if (buf[k] != '#') {
                check_fail(__FILE__, __LINE__, "cj_last_error(buf, %zu) wrote byte %zu", len, k);
                break;
            }
        }
    }
    /* (buf, 0) and (NULL, n) write nothing and still report the size. */
    memset(buf, '#', sizeof buf);
    CHECK(cj_last_error(buf, 0) == needed);
    CHECK(buf[0] == '#');
    CHECK(cj_last_error(NULL, 100) == needed);

    /* The calls that do not return a status leave the message alone. */
    (void)cj_status_name(CJ_STATUS_OK);
    (void)cj_version();
    cj_string_free(NULL);
    cj_jar_free(NULL);
    cj_options_free(NULL);
    CHECK(cj_last_error(buf, sizeof buf) == needed);
    CHECK_STR(buf, full);

    /* A later failure replaces it; a success clears it. */
    CHECK_NULL_ARG(cj_options_new(NULL), "out");
    cj_last_error(buf, sizeof buf);
    CHECK_STR(buf, "cj_options_new: argument `out` is NULL");
    CHECK_OK(cj_jar_new(&jar));
    CHECK(cj_last_error(NULL, 0) == 0);

    /* Even a status call that fails after a success, then succeeds, ends clear. */
    CHECK_FAILURE(cj_jar_set_cookie(jar, "ftp://example.com/", "a=1", T0),
                  CJ_STATUS_UNSUPPORTED_SCHEME, "ftp");
    CHECK(cj_last_error(NULL, 0) > 0);
    CHECK(jar_len(jar) == 0);
    CHECK(cj_last_error(NULL, 0) == 0);
    cj_jar_free(jar);
}

/* ---- NULL and invalid UTF-8 ------------------------------------------------------------- */

/* A jar with two cookies, used to check that failed calls change nothing. */
static cj_jar *two_cookie_jar(void) {
    cj_jar *jar = NULL;
    CHECK_OK(cj_jar_new(&jar));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "a=1", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "b=2; Max-Age=60", T0));
    return jar;
}

static void check_unchanged(cj_jar *jar) {
    CHECK(jar_len(jar) == 2);
    CHECK_HEADER(jar, "https://www.example.com/", T0, "a=1; b=2");
}

static int count_visitor(const cj_cookie *cookie, void *user_data) {
    (void)cookie;
    ++*(size_t *)user_data;
    return 0;
}

static void null_arguments(void) {
    cj_jar *jar = two_cookie_jar();
    cj_jar *new_jar = SENTINEL_JAR;
    cj_options *good = NULL;
    char *out = SENTINEL_STRING;
    size_t n = SENTINEL_COUNT;
    const char *url = "https://www.example.com/";

    CHECK_NULL_ARG(cj_jar_new(NULL), "out");

    CHECK_NULL_ARG(cj_jar_set_cookie(NULL, url, "c=3", T0), "jar");
    CHECK_NULL_ARG(cj_jar_set_cookie(jar, NULL, "c=3", T0), "request_url");
    CHECK_NULL_ARG(cj_jar_set_cookie(jar, url, NULL, T0), "set_cookie_value");
    CHECK_NULL_ARG(cj_jar_set_cookie_in(NULL, url, url, "c=3", T0), "jar");
    CHECK_NULL_ARG(cj_jar_set_cookie_in(jar, NULL, url, "c=3", T0), "request_url");
    CHECK_NULL_ARG(cj_jar_set_cookie_in(jar, url, url, NULL, T0), "set_cookie_value");
    CHECK_NULL_ARG(cj_jar_set_cookie_ex(NULL, url, url, 0, "c=3", T0), "jar");
    CHECK_NULL_ARG(cj_jar_set_cookie_ex(jar, NULL, url, 0, "c=3", T0), "request_url");
    CHECK_NULL_ARG(cj_jar_set_cookie_ex(jar, url, url, 0, NULL, T0), "set_cookie_value");

    CHECK_NULL_ARG(cj_jar_cookie_header(NULL, url, T0, &out), "jar");
    CHECK_NULL_ARG(cj_jar_cookie_header(jar, NULL, T0, &out), "request_url");
    CHECK_NULL_ARG(cj_jar_cookie_header(jar, url, T0, NULL), "out");
    CHECK_NULL_ARG(cj_jar_cookie_header_in(NULL, url, url, T0, &out), "jar");
    CHECK_NULL_ARG(cj_jar_cookie_header_in(jar, NULL, url, T0, &out), "request_url");
    CHECK_NULL_ARG(cj_jar_cookie_header_in(jar, url, url, T0, NULL), "out");
    CHECK_NULL_ARG(cj_jar_cookie_header_ex(NULL, url, url, 0, T0, &out), "jar");
    CHECK_NULL_ARG(cj_jar_cookie_header_ex(jar, NULL, url, 0, T0, &out), "request_url");
    CHECK_NULL_ARG(cj_jar_cookie_header_ex(jar, url, url, 0, T0, NULL), "out");
    CHECK(out == SENTINEL_STRING);

    CHECK_NULL_ARG(cj_jar_flush(NULL), "jar");
    CHECK_NULL_ARG(cj_jar_len(NULL, &n), "jar");
    CHECK_NULL_ARG(cj_jar_len(jar, NULL), "out");
    CHECK_NULL_ARG(cj_jar_for_each_cookie(NULL, T0, count_visitor, &n), "jar");
    CHECK_NULL_ARG(cj_jar_for_each_cookie(jar, T0, NULL, &n), "visitor");
    CHECK(n == SENTINEL_COUNT);

    CHECK_NULL_ARG(cj_jar_remove(NULL, "www.example.com", "/", "a", &n), "jar");
    CHECK_NULL_ARG(cj_jar_remove(jar, NULL, "/", "a", &n), "domain");
    CHECK_NULL_ARG(cj_jar_remove(jar, "www.example.com", NULL, "a", &n), "path");
    CHECK_NULL_ARG(cj_jar_remove(jar, "www.example.com", "/", NULL, &n), "name");
    CHECK_NULL_ARG(cj_jar_clear_domain(NULL, "example.com", &n), "jar");
    CHECK_NULL_ARG(cj_jar_clear_domain(jar, NULL, &n), "domain");
    CHECK_NULL_ARG(cj_jar_clear_session_cookies(NULL, &n), "jar");
    CHECK_NULL_ARG(cj_jar_purge_expired(NULL, T0, &n), "jar");
    CHECK_NULL_ARG(cj_jar_clear(NULL), "jar");
    CHECK(n == SENTINEL_COUNT);

    CHECK_NULL_ARG(cj_options_new(NULL), "out");
    CHECK_NULL_ARG(cj_options_set_max_cookies(NULL, 10), "options");
    CHECK_NULL_ARG(cj_options_set_max_cookies_per_site(NULL, 10), "options");
    CHECK_NULL_ARG(cj_options_set_lax_by_default(NULL, false), "options");
    CHECK_NULL_ARG(cj_options_set_durability(NULL, CJ_DURABILITY_SYNC), "options");
    CHECK_NULL_ARG(cj_options_set_persist_session_cookies(NULL, true), "options");
    CHECK_OK(cj_options_new(&good));
    CHECK_NULL_ARG(cj_jar_new_with(NULL, &new_jar), "options");
    CHECK_NULL_ARG(cj_jar_new_with(good, NULL), "out");
    /* cj_jar_open / cj_jar_open_with: NULL and bad paths are in test_files.c. */
    CHECK(new_jar == SENTINEL_JAR);
    cj_options_free(good);

    /* Optional pointers: NULL is allowed and means what the header says. */
    CHECK_OK(cj_jar_set_cookie_in(jar, url, NULL, "c=3", T0));
    CHECK_OK(cj_jar_set_cookie_ex(jar, url, NULL, 0, "d=4", T0));
    CHECK_OK(cj_jar_cookie_header_in(jar, url, NULL, T0, &out));
    CHECK_STR(out, "a=1; b=2; c=3; d=4");
    cj_string_free(out);
    out = SENTINEL_STRING;
    CHECK_OK(cj_jar_cookie_header_ex(jar, url, NULL, 0, T0, &out));
    CHECK_STR(out, "a=1; b=2; c=3; d=4");
    cj_string_free(out);
    CHECK_OK(cj_jar_remove(jar, "www.example.com", "/", "c", NULL));
    CHECK_OK(cj_jar_remove(jar, "www.example.com", "/", "d", NULL));
    CHECK_OK(cj_jar_for_each_cookie(jar, T0, count_visitor, &(size_t){0}));
    check_unchanged(jar);
    CHECK_OK(cj_jar_clear_domain(jar, "nothing.example", NULL));
    CHECK_OK(cj_jar_clear_session_cookies(jar, NULL));
    CHECK_OK(cj_jar_purge_expired(jar, T0 + 61000, NULL));
    CHECK(jar_len(jar) == 0);

    cj_jar_free(jar);
    cj_string_free(NULL);
    cj_jar_free(NULL);
    cj_options_free(NULL);
}

static void invalid_utf8(void) {
    cj_jar *jar = two_cookie_jar();
    const char *url = "https://www.example.com/";
    char *out = SENTINEL_STRING;
    size_t n = SENTINEL_COUNT;

    for (size_t i = 0; i < BAD_UTF8_COUNT; i++) {
        const char *bad = BAD_UTF8[i];
#define BAD(call, arg)                                                                   \
    CHECK_FAILURE(call, CJ_STATUS_INVALID_UTF8, "argument `" arg "` is not valid UTF-8")
        BAD(cj_jar_set_cookie(jar, bad, "c=3", T0), "request_url");
        BAD(cj_jar_set_cookie(jar, url, bad, T0), "set_cookie_value");
        BAD(cj_jar_set_cookie_in(jar, bad, url, "c=3", T0), "request_url");
        BAD(cj_jar_set_cookie_in(jar, url, bad, "c=3", T0), "top_level_url");
        BAD(cj_jar_set_cookie_in(jar, url, url, bad, T0), "set_cookie_value");
        BAD(cj_jar_set_cookie_ex(jar, bad, url, 0, "c=3", T0), "request_url");
        BAD(cj_jar_set_cookie_ex(jar, url, bad, 0, "c=3", T0), "initiator_url");
        BAD(cj_jar_set_cookie_ex(jar, url, url, 0, bad, T0), "set_cookie_value");
        BAD(cj_jar_cookie_header(jar, bad, T0, &out), "request_url");
        BAD(cj_jar_cookie_header_in(jar, bad, url, T0, &out), "request_url");
        BAD(cj_jar_cookie_header_in(jar, url, bad, T0, &out), "top_level_url");
        BAD(cj_jar_cookie_header_ex(jar, bad, url, 0, T0, &out), "request_url");
        BAD(cj_jar_cookie_header_ex(jar, url, bad, 0, T0, &out), "initiator_url");
        BAD(cj_jar_remove(jar, bad, "/", "a", &n), "domain");
        BAD(cj_jar_remove(jar, "www.example.com", bad, "a", &n), "path");
        BAD(cj_jar_remove(jar, "www.example.com", "/", bad, &n), "name");
        BAD(cj_jar_clear_domain(jar, bad, &n), "domain");
#undef BAD
    }
    /* A bad byte deep inside a long value is found too, and the offset is reported. */
    {
        char value[3000];
        memset(value, 'v', sizeof value - 1);
        memcpy(value, "long=", 5);
        value[2500] = (char)0xfe;
        value[sizeof value - 1] = '\0';
        CHECK_FAILURE(cj_jar_set_cookie(jar, url, value, T0), CJ_STATUS_INVALID_UTF8,
                      "offset 2500");
    }
    /* Valid multi-byte UTF-8 is not an encoding error. */
    CHECK_OK(cj_jar_set_cookie(jar, url, "caf\xc3\xa9=cr\xc3\xa8me \xf0\x9f\x8d\xaa", T0));
    CHECK_HEADER(jar, url, T0, "a=1; b=2; caf\xc3\xa9=cr\xc3\xa8me \xf0\x9f\x8d\xaa");
    CHECK_OK(cj_jar_remove(jar, "www.example.com", "/", "caf\xc3\xa9", &n));
    CHECK(n == 1);

    CHECK(out == SENTINEL_STRING);
    check_unchanged(jar);
    cj_jar_free(jar);
}

/* ---- URLs ------------------------------------------------------------------------------- */

static void urls(void) {
    cj_jar *jar = two_cookie_jar();
    char *out = SENTINEL_STRING;
    static const char *const invalid[] = {"", "not a url", "/relative/path", "https://",
                                          "http://[::1", "https://exa mple.com/"};
    static const char *const unsupported[] = {"ftp://example.com/", "file:///etc/passwd",
                                              "data:text/plain,hi", "mailto:a@example.com",
                                              "javascript:alert(1)"};

    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        CHECK_FAILURE(cj_jar_set_cookie(jar, invalid[i], "c=3", T0), CJ_STATUS_INVALID_URL,
                      "request_url");
        CHECK_FAILURE(cj_jar_cookie_header(jar, invalid[i], T0, &out), CJ_STATUS_INVALID_URL,
                      "request_url");
    }
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
        CHECK_FAILURE(cj_jar_set_cookie(jar, unsupported[i], "c=3", T0),
                      CJ_STATUS_UNSUPPORTED_SCHEME, "does not carry cookies");
        CHECK_FAILURE(cj_jar_cookie_header_in(jar, unsupported[i], NULL, T0, &out),
                      CJ_STATUS_UNSUPPORTED_SCHEME, "request_url");
    }
    /* The page URL of a request may have any scheme, but must parse. */
    CHECK_FAILURE(cj_jar_set_cookie_in(jar, "https://www.example.com/", "::nope", "c=3", T0),
                  CJ_STATUS_INVALID_URL, "top_level_url");
    CHECK_FAILURE(cj_jar_cookie_header_ex(jar, "https://www.example.com/", "", 0, T0, &out),
                  CJ_STATUS_INVALID_URL, "initiator_url");
    CHECK(out == SENTINEL_STRING);
    check_unchanged(jar);

    /* ws and wss carry cookies: http(s) cookies go to them and back. */
    CHECK_OK(cj_jar_set_cookie(jar, "wss://www.example.com/socket", "w=1", T0));
    CHECK_HEADER(jar, "wss://www.example.com/", T0, "a=1; b=2; w=1");
    CHECK_HEADER(jar, "ws://www.example.com/", T0, "a=1; b=2; w=1");
    /* A page on no site (file:) embedding the request makes it cross-site. */
    CHECK_OK(cj_jar_cookie_header_in(jar, "https://www.example.com/", "file:///index.html", T0,
                                     &out));
    CHECK(out == NULL);
    /* Host names are canonicalised: case, IDNA. */
    CHECK_HEADER(jar, "HTTPS://WWW.EXAMPLE.COM/", T0, "a=1; b=2; w=1");
    CHECK_OK(cj_jar_set_cookie(jar, "https://b\xc3\xbc\x63her.example/", "i=1", T0));
    CHECK_HEADER(jar, "https://xn--bcher-kva.example/", T0, "i=1");
    cj_jar_free(jar);
}

/* ---- rejections: one per status ---------------------------------------------------------- */

struct rejection {
    const char *url;
    const char *value;
    cj_status status;
    const char *needle; /* in the message */
};

static void rejections(void) {
    static char long_value[4200];
    static char long_url[1300];
    const struct rejection table[] = {
        {"https://www.example.com/", "a=1\x01", CJ_STATUS_CONTROL_CHARACTER, "control"},
        {"https://www.example.com/", "a=1\r\nb=2", CJ_STATUS_CONTROL_CHARACTER, "control"},
        {"https://www.example.com/", long_value, CJ_STATUS_NAME_VALUE_TOO_LONG, "4096"},
        {"https://www.example.com/", "", CJ_STATUS_EMPTY_COOKIE, "neither a name nor a value"},
        {"https://www.example.com/", "=", CJ_STATUS_EMPTY_COOKIE, "neither a name nor a value"},
        {"https://www.example.com/", "a=1; Domain=ex\xc3\xa4mple.com", CJ_STATUS_NON_ASCII_DOMAIN,
         "not ASCII"},
        {"https://www.example.com/", "a=1; Domain=exa mple.com", CJ_STATUS_INVALID_DOMAIN,
         "not a valid host"},
        {"https://www.example.com/", "a=1; Domain=com", CJ_STATUS_PUBLIC_SUFFIX, "public suffix"},
        {"https://www.example.co.uk/", "a=1; Domain=co.uk", CJ_STATUS_PUBLIC_SUFFIX,
         "public suffix"},
        {"https://www.example.com/", "a=1; Domain=example.org", CJ_STATUS_DOMAIN_MISMATCH,
         "domain-match"},
        {"https://example.com/", "a=1; Domain=www.example.com", CJ_STATUS_DOMAIN_MISMATCH,
         "domain-match"},
        {"http://www.example.com/", "a=1; Secure", CJ_STATUS_SECURE_FROM_INSECURE_ORIGIN, NULL},
        {"https://www.example.com/", "a=1; SameSite=None", CJ_STATUS_SAME_SITE_NONE_INSECURE,
         NULL},
        {"https://www.example.com/", "__Secure-a=1", CJ_STATUS_SECURE_PREFIX, "__Secure-"},
        {"https://www.example.com/", "__Host-a=1", CJ_STATUS_HOST_PREFIX, "__Host-"},
        {"https://www.example.com/", "__Host-a=1; Secure; Domain=example.com",
         CJ_STATUS_HOST_PREFIX, "__Host-"},
        {"https://www.example.com/", "__Host-a=1; Secure; Path=/docs", CJ_STATUS_HOST_PREFIX,
         "__Host-"},
        {"https://www.example.com/", "__Host-x", CJ_STATUS_NAMELESS_PREFIX, "nameless"},
        {"https://www.example.com/", "=__Secure-x", CJ_STATUS_NAMELESS_PREFIX, "nameless"},
        {"https://www.example.com/", "a=1; Partitioned", CJ_STATUS_PARTITIONED_INSECURE, NULL},
        {long_url, "a=1", CJ_STATUS_FIELD_TOO_LONG, "1024"},
    };
    cj_jar *jar = NULL;

    memset(long_value, 'v', sizeof long_value - 1);
    memcpy(long_value, "n=", 2);
    memset(long_url, 'p', sizeof long_url);
    memcpy(long_url, "https://www.example.com/", 24);
    memcpy(long_url + sizeof long_url - 3, "/x", 3); /* a default path of ~1270 bytes */

    CHECK_OK(cj_jar_new(&jar));
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        int before = check_failures;
        CHECK_FAILURE(cj_jar_set_cookie(jar, table[i].url, table[i].value, T0), table[i].status,
                      table[i].needle == NULL ? "ignored" : table[i].needle);
        if (check_failures != before) {
            fprintf(stderr, "  (rejection row %zu: %.60s)\n", i, table[i].value);
        }
    }
    CHECK(jar_len(jar) == 0);

    /* The rejections that depend on what is stored or on the request context. */
    CHECK_FAILURE(cj_jar_set_cookie_in(jar, "https://www.example.com/", "https://news.example.org/",
                                       "a=1; SameSite=Lax", T0),
                  CJ_STATUS_SAME_SITE_CROSS_SITE, "cross-site");
    CHECK_FAILURE(cj_jar_set_cookie_in(jar, "https://www.example.com/", "https://news.example.org/",
                                       "a=1", T0),
                  CJ_STATUS_SAME_SITE_CROSS_SITE, "cross-site");
    CHECK_FAILURE(cj_jar_set_cookie_ex(jar, "https://www.example.com/", NULL, CJ_REQUEST_NON_HTTP,
                                       "a=1; HttpOnly", T0),
                  CJ_STATUS_HTTP_ONLY_FROM_NON_HTTP, "HttpOnly");
    CHECK(jar_len(jar) == 0);

    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "s=1; Secure", T0));
    CHECK_FAILURE(cj_jar_set_cookie(jar, "http://www.example.com/", "s=2", T0),
                  CJ_STATUS_OVERWRITE_SECURE, NULL);
    CHECK_FAILURE(cj_jar_set_cookie(jar, "http://www.example.com/docs", "s=2; Path=/docs", T0),
                  CJ_STATUS_OVERWRITE_SECURE, NULL);
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "h=1; HttpOnly", T0));
    CHECK_FAILURE(cj_jar_set_cookie_ex(jar, "https://www.example.com/", NULL, CJ_REQUEST_NON_HTTP,
                                       "h=2", T0),
                  CJ_STATUS_OVERWRITE_HTTP_ONLY, "HttpOnly");
    CHECK_HEADER(jar, "https://www.example.com/", T0, "s=1; h=1");

    /* The same cookies are accepted where the rule does not apply. */
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "__Secure-a=1; Secure", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "__Host-b=1; Secure; Path=/", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "n=1; SameSite=None; Secure", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "t=a\tb", T0)); /* tab is fine */
    CHECK(jar_len(jar) == 6);
    cj_jar_free(jar);
}

/* ---- storage and retrieval ---------------------------------------------------------------- */

static void store_and_retrieve(void) {
    cj_jar *jar = NULL;
    char *out = SENTINEL_STRING;
    const char *www = "https://www.example.com/";

    CHECK_OK(cj_jar_new(&jar));

    /* Order: longest path first, then earliest creation (RFC 6265bis §5.8.3). */
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/x", "a=1", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/docs/", "b=2; Path=/docs", T0 + 1));
    CHECK_OK(cj_jar_set_cookie(jar, www, "c=3; Path=/", T0 + 2));
    CHECK_HEADER(jar, "https://www.example.com/docs/page", T0 + 3, "b=2; a=1; c=3");
    CHECK_HEADER(jar, "https://www.example.com/docsx", T0 + 3, "a=1; c=3");
    /* A replaced cookie keeps its creation time, hence its place. */
    CHECK_OK(cj_jar_set_cookie(jar, www, "a=9", T0 + 4));
    CHECK_HEADER(jar, "https://www.example.com/docs/", T0 + 5, "b=2; a=9; c=3");

    /* Deletion: Max-Age=0 and an Expires in the past are OK, and the cookie is gone. */
    CHECK_OK(cj_jar_set_cookie(jar, www, "a=; Max-Age=0", T0 + 6));
    CHECK_OK(cj_jar_set_cookie(jar, www, "c=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", T0 + 6));
    CHECK_OK(cj_jar_set_cookie(jar, www, "never=stored; Max-Age=0", T0 + 6));
    CHECK_HEADER(jar, "https://www.example.com/docs/", T0 + 7, "b=2");
    CHECK(jar_len(jar) == 1);

    /* Expiry follows now_ms; expired cookies count until purged. */
    CHECK_OK(cj_jar_set_cookie(jar, www, "t=1; Max-Age=60", T0));
    CHECK_HEADER(jar, www, T0 + 59999, "t=1");
    CHECK_HEADER(jar, www, T0 + 60001, NULL);
    CHECK(jar_len(jar) == 2);

    /* Domain cookies reach subdomains; host-only cookies do not. Secure needs https, except
     * on loopback, which counts as secure. */
    CHECK_OK(cj_jar_set_cookie(jar, www, "d=1; Domain=example.com", T0));
    CHECK_OK(cj_jar_set_cookie(jar, www, "s=1; Domain=.example.com; Secure", T0));
    CHECK_HEADER(jar, "https://api.example.com/", T0, "d=1; s=1");
    CHECK_HEADER(jar, "http://api.example.com/", T0, "d=1");
    CHECK_HEADER(jar, "https://example.com/", T0, "d=1; s=1");
    CHECK_HEADER(jar, "https://notexample.com/", T0, NULL);
    CHECK_OK(cj_jar_set_cookie(jar, "http://127.0.0.1:8080/", "lo=1; Secure", T0));
    CHECK_HEADER(jar, "http://127.0.0.1/", T0, "lo=1");
    CHECK_OK(cj_jar_set_cookie(jar, "http://localhost/", "lo=2; Secure", T0));
    CHECK_HEADER(jar, "http://localhost:3000/", T0, "lo=2");

    /* A nameless cookie is sent as its value alone. */
    CHECK_OK(cj_jar_set_cookie(jar, "https://nameless.example/", "justavalue", T0));
    CHECK_HEADER(jar, "https://nameless.example/", T0, "justavalue");

    /* HttpOnly: hidden from a non-HTTP read. */
    CHECK_OK(cj_jar_set_cookie(jar, "https://h.example.net/", "h=1; HttpOnly", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://h.example.net/", "v=1", T0));
    CHECK_OK(cj_jar_cookie_header_ex(jar, "https://h.example.net/", NULL, CJ_REQUEST_NON_HTTP, T0,
                                     &out));
    CHECK_STR(out, "v=1");
    cj_string_free(out);
    CHECK_HEADER(jar, "https://h.example.net/", T0, "h=1; v=1");

    /* SameSite with a request context. */
    CHECK_OK(cj_jar_set_cookie(jar, "https://ss.example.org/", "lax=1; SameSite=Lax", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://ss.example.org/", "strict=1; SameSite=Strict", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://ss.example.org/", "dflt=1", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://ss.example.org/", "none=1; SameSite=None; Secure",
                               T0));
    {
        struct {
            const char *initiator;
            cj_request_flags flags;
            const char *want;
        } cases[] = {
            {NULL, 0, "lax=1; strict=1; dflt=1; none=1"},
            {"https://other.example.org/", 0, "lax=1; strict=1; dflt=1; none=1"}, /* same site */
            {"https://news.example.net/", 0, "none=1"}, /* a cross-site subresource */
            {"https://news.example.net/", CJ_REQUEST_NAVIGATION, "lax=1; dflt=1; none=1"},
            /* Chromium's "Lax-allowing-unsafe": a cookie without SameSite, younger than two
             * minutes, still goes with a cross-site POST navigation; see below for older. */
            {"https://news.example.net/", CJ_REQUEST_NAVIGATION | CJ_REQUEST_UNSAFE_METHOD,
             "dflt=1; none=1"},
            {"https://other.example.org/", CJ_REQUEST_NAVIGATION | CJ_REQUEST_UNSAFE_METHOD,
             "lax=1; strict=1; dflt=1; none=1"},
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            out = SENTINEL_STRING;
            CHECK_OK(cj_jar_cookie_header_ex(jar, "https://ss.example.org/", cases[i].initiator,
                                             cases[i].flags, T0, &out));
            CHECK_STR(out, cases[i].want);
            if (out != SENTINEL_STRING) cj_string_free(out);
        }
        out = SENTINEL_STRING;
        CHECK_OK(cj_jar_cookie_header_ex(jar, "https://ss.example.org/",
                                         "https://news.example.net/",
                                         CJ_REQUEST_NAVIGATION | CJ_REQUEST_UNSAFE_METHOD,
                                         T0 + 120001, &out)); /* two minutes later */
        CHECK_STR(out, "none=1");
        cj_string_free(out);
        out = SENTINEL_STRING;
        CHECK_OK(cj_jar_cookie_header_in(jar, "https://ss.example.org/",
                                         "https://news.example.net/", T0, &out));
        CHECK_STR(out, "none=1");
        cj_string_free(out);
    }
    /* A cross-site navigation may set Lax cookies; bad flags are refused before anything. */
    CHECK_OK(cj_jar_set_cookie_ex(jar, "https://ss.example.org/", "https://news.example.net/",
                                  CJ_REQUEST_NAVIGATION, "nav=1; SameSite=Lax", T0));
    out = SENTINEL_STRING;
    CHECK_FAILURE(cj_jar_set_cookie_ex(jar, "https://ss.example.org/", NULL, 8, "x=1", T0),
                  CJ_STATUS_INVALID_ARGUMENT, "unknown bits 0x8");
    CHECK_FAILURE(cj_jar_set_cookie_ex(jar, "https://ss.example.org/", "https://news.example.net/",
                                       CJ_REQUEST_UNSAFE_METHOD, "x=1", T0),
                  CJ_STATUS_INVALID_ARGUMENT, "CJ_REQUEST_UNSAFE_METHOD without");
    CHECK_FAILURE(cj_jar_cookie_header_ex(jar, "https://ss.example.org/", NULL, 0x80000000u, T0,
                                          &out),
                  CJ_STATUS_INVALID_ARGUMENT, "unknown bits");
    CHECK_FAILURE(cj_jar_cookie_header_ex(jar, "https://ss.example.org/", NULL,
                                          CJ_REQUEST_UNSAFE_METHOD, T0, &out),
                  CJ_STATUS_INVALID_ARGUMENT, "CJ_REQUEST_UNSAFE_METHOD");
    CHECK(out == SENTINEL_STRING);
    CHECK_HEADER(jar, "https://ss.example.org/", T0, "lax=1; strict=1; dflt=1; none=1; nav=1");

    /* Partitioned (CHIPS) cookies live in their top-level site's partition. */
    CHECK_OK(cj_jar_set_cookie_in(jar, "https://widget.example.com/", "https://news.example.net/",
                                  "p=1; Secure; SameSite=None; Partitioned", T0));
    CHECK_OK(cj_jar_cookie_header_in(jar, "https://widget.example.com/",
                                     "https://www.news.example.net/", T0, &out));
    CHECK_STR(out, "p=1"); /* cross-site: d and s are Lax by default */
    cj_string_free(out);
    CHECK_OK(cj_jar_cookie_header_in(jar, "https://widget.example.com/", "https://shop.example/",
                                     T0, &out));
    CHECK(out == NULL); /* another partition */
    CHECK_HEADER(jar, "https://widget.example.com/", T0, "d=1; s=1");

    cj_jar_free(jar);
}

/* ---- options ------------------------------------------------------------------------------ */

static void options(void) {
    cj_options *opt = SENTINEL_OPTIONS;
    cj_jar *jar = NULL;
    cj_jar *other = NULL;
    char name[32];

    CHECK_OK(cj_options_new(&opt));
    CHECK(opt != NULL && opt != SENTINEL_OPTIONS);
    CHECK_OK(cj_options_set_durability(opt, CJ_DURABILITY_SYNC));
    CHECK_OK(cj_options_set_durability(opt, CJ_DURABILITY_PROCESS));
    CHECK_FAILURE(cj_options_set_durability(opt, (cj_durability)2), CJ_STATUS_INVALID_ARGUMENT,
                  "2 is not a cj_durability");
    CHECK_FAILURE(cj_options_set_durability(opt, (cj_durability)0xFFFFFFFFu),
                  CJ_STATUS_INVALID_ARGUMENT, "not a cj_durability");
    CHECK_OK(cj_options_set_persist_session_cookies(opt, true)); /* no effect in memory */
    CHECK_OK(cj_options_set_persist_session_cookies(opt, false));

    /* Per-site limit 3: the least recently used go first, other sites are not touched. */
    CHECK_OK(cj_options_set_max_cookies_per_site(opt, 3));
    CHECK_OK(cj_jar_new_with(opt, &jar));
    CHECK_OK(cj_jar_set_cookie(jar, "https://other.example.net/", "o=1", T0));
    for (int i = 0; i < 8; i++) {
        snprintf(name, sizeof name, "c%d=1", i);
        CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", name, T0 + i));
        CHECK(jar_len(jar) <= 4);
    }
    CHECK_HEADER(jar, "https://www.example.com/", T0 + 10, "c5=1; c6=1; c7=1");
    CHECK_HEADER(jar, "https://other.example.net/", T0 + 10, "o=1");
    cj_jar_free(jar);

    /* Global limit 5 (per site back to the default); the options were copied by the first
     * jar, so changing them now does not reach it. */
    CHECK_OK(cj_options_set_max_cookies_per_site(opt, 180));
    CHECK_OK(cj_options_set_max_cookies(opt, 5));
    CHECK_OK(cj_jar_new_with(opt, &jar));
    CHECK_OK(cj_options_set_max_cookies(opt, 3300));
    CHECK_OK(cj_jar_new_with(opt, &other));
    for (int i = 0; i < 8; i++) {
        char url[64];
        snprintf(url, sizeof url, "https://s.site%d.example/", i);
        CHECK_OK(cj_jar_set_cookie(jar, url, "c=1", T0 + i));
        CHECK_OK(cj_jar_set_cookie(other, url, "c=1", T0 + i));
    }
    CHECK(jar_len(jar) == 5);
    CHECK(jar_len(other) == 8);
    CHECK_HEADER(jar, "https://s.site0.example/", T0 + 10, NULL);
    CHECK_HEADER(jar, "https://s.site7.example/", T0 + 10, "c=1");
    cj_jar_free(jar);
    cj_jar_free(other);

    /* Zero is taken as the minimum, one. */
    CHECK_OK(cj_options_set_max_cookies(opt, 0));
    CHECK_OK(cj_options_set_max_cookies_per_site(opt, 0));
    CHECK_OK(cj_jar_new_with(opt, &jar));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "a=1", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "b=1", T0 + 1));
    CHECK(jar_len(jar) == 1);
    CHECK_HEADER(jar, "https://www.example.com/", T0 + 2, "b=1");
    cj_jar_free(jar);
    cj_options_free(opt);

    /* SameSite default: Lax (the default) refuses a cross-site set; None accepts and sends it. */
    CHECK_OK(cj_options_new(&opt));
    CHECK_OK(cj_options_set_lax_by_default(opt, false));
    CHECK_OK(cj_jar_new_with(opt, &jar));
    cj_options_free(opt); /* the jar keeps its copy */
    CHECK_OK(cj_options_new(&opt));
    CHECK_OK(cj_options_set_lax_by_default(opt, true));
    CHECK_OK(cj_jar_new_with(opt, &other));
    cj_options_free(opt);
    CHECK_OK(cj_jar_set_cookie_in(jar, "https://w.example.com/", "https://news.example.net/", "x=1",
                                  T0));
    CHECK_STATUS(cj_jar_set_cookie_in(other, "https://w.example.com/", "https://news.example.net/",
                                      "x=1", T0),
                 CJ_STATUS_SAME_SITE_CROSS_SITE);
    {
        char *out = NULL;
        CHECK_OK(cj_jar_cookie_header_in(jar, "https://w.example.com/", "https://news.example.net/",
                                         T0, &out));
        CHECK_STR(out, "x=1");
        cj_string_free(out);
    }
    cj_jar_free(jar);
    cj_jar_free(other);
}

/* ---- enumeration -------------------------------------------------------------------------- */

struct copied_cookie {
    char *name, *value, *domain, *path, *partition;
    int64_t expires_ms, created_ms, last_access_ms;
    bool session, host_only, secure, http_only;
    cj_same_site same_site;
    cj_priority priority;
};

struct cookie_list {
    struct copied_cookie items[16];
    size_t len;
    size_t calls;
    size_t stop_after; /* 0: never stop */
};

static char *copy_string(const char *s) {
    char *d;
    size_t n;
    if (s == NULL) return NULL;
    n = strlen(s) + 1;
    d = malloc(n);
    if (d != NULL) memcpy(d, s, n);
    return d;
}

/* Copies every field: the library's strings die when the visitor returns. */
static int copy_visitor(const cj_cookie *c, void *user_data) {
    struct cookie_list *list = user_data;
    list->calls++;
    if (list->len < sizeof list->items / sizeof list->items[0]) {
        struct copied_cookie *d = &list->items[list->len++];
        d->name = copy_string(c->name);
        d->value = copy_string(c->value);
        d->domain = copy_string(c->domain);
        d->path = copy_string(c->path);
        d->partition = copy_string(c->partition);
        d->expires_ms = c->expires_ms;
        d->created_ms = c->created_ms;
        d->last_access_ms = c->last_access_ms;
        d->session = c->session;
        d->host_only = c->host_only;
        d->secure = c->secure;
        d->http_only = c->http_only;
        d->same_site = c->same_site;
        d->priority = c->priority;
    }
    return list->stop_after != 0 && list->calls >= list->stop_after;
}

static void free_list(struct cookie_list *list) {
    for (size_t i = 0; i < list->len; i++) {
        free(list->items[i].name);
        free(list->items[i].value);
        free(list->items[i].domain);
        free(list->items[i].path);
        free(list->items[i].partition);
    }
    list->len = 0;
}

struct reentry {
    cj_jar *jar;
    size_t calls;
};

/* Calls back into the jar from inside the visitor, which the header allows. */
static int reentrant_visitor(const cj_cookie *c, void *user_data) {
    struct reentry *r = user_data;
    char *out = NULL;
    char value[64];
    r->calls++;
    snprintf(value, sizeof value, "added%zu=1", r->calls);
    CHECK_OK(cj_jar_set_cookie(r->jar, "https://www.example.com/", value, T0));
    CHECK_OK(cj_jar_cookie_header(r->jar, "https://www.example.com/", T0, &out));
    CHECK(out != NULL && strstr(out, value) != NULL);
    cj_string_free(out);
    CHECK(c->name != NULL && strncmp(c->name, "added", 5) != 0); /* the snapshot is fixed */
    return 0;
}

static void enumeration(void) {
    cj_jar *jar = NULL;
    struct cookie_list list;
    struct reentry r;
    const struct copied_cookie *c;

    memset(&list, 0, sizeof list);
    CHECK_OK(cj_jar_new(&jar));
    CHECK_OK(cj_jar_for_each_cookie(jar, T0, copy_visitor, &list));
    CHECK(list.calls == 0);

    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/a/b",
                               "x=1; Path=/a; Secure; HttpOnly; SameSite=Strict; Priority=High; "
                               "Max-Age=100",
                               T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "y=2; Domain=example.com", T0 + 1));
    CHECK_OK(cj_jar_set_cookie_in(jar, "https://www.example.com/", "https://top.example.org/",
                                  "z=3; SameSite=None; Secure; Partitioned; Priority=Low", T0 + 2));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "long=1; Max-Age=999999999; "
                               "SameSite=Lax", T0 + 3));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "gone=1; Max-Age=1", T0));
    CHECK_HEADER(jar, "https://www.example.com/a/", T0 + 5000, "x=1; y=2; long=1");

    /* Sorted by domain, path, name; the expired cookie is skipped (but still counted). */
    CHECK_OK(cj_jar_for_each_cookie(jar, T0 + 5000, copy_visitor, &list));
    CHECK(list.calls == 4 && list.len == 4);
    CHECK(jar_len(jar) == 5);
    if (list.len == 4) {
        CHECK_STR(list.items[0].domain, "example.com");
        CHECK_STR(list.items[1].name, "long");
        CHECK_STR(list.items[2].name, "z");
        CHECK_STR(list.items[3].name, "x");

        c = &list.items[0]; /* y: a domain cookie, session, defaults */
        CHECK_STR(c->name, "y");
        CHECK_STR(c->value, "2");
        CHECK_STR(c->path, "/");
        CHECK(c->partition == NULL);
        CHECK(c->session && !c->host_only && !c->secure && !c->http_only);
        CHECK(c->same_site == CJ_SAME_SITE_DEFAULT && c->priority == CJ_PRIORITY_MEDIUM);
        CHECK(c->created_ms == T0 + 1);
        CHECK(c->last_access_ms == T0 + 5000); /* it was sent by the header call */

        c = &list.items[1]; /* long: capped at 400 days, kept to the second (rounded up) */
        CHECK(!c->session && c->expires_ms == T0 + 400 * DAY_MS + 1000);
        CHECK(c->same_site == CJ_SAME_SITE_LAX && c->host_only);

        c = &list.items[2]; /* z: partitioned under the top-level site */
        CHECK_STR(c->domain, "www.example.com");
        CHECK_STR(c->partition, "example.org");
        CHECK(c->secure && c->same_site == CJ_SAME_SITE_NONE && c->priority == CJ_PRIORITY_LOW);
        CHECK(c->last_access_ms == T0 + 2); /* never sent */

        c = &list.items[3]; /* x: every attribute */
        CHECK_STR(c->value, "1");
        CHECK_STR(c->domain, "www.example.com");
        CHECK_STR(c->path, "/a");
        CHECK(!c->session && c->expires_ms == T0 + 100000);
        CHECK(c->host_only && c->secure && c->http_only);
        CHECK(c->same_site == CJ_SAME_SITE_STRICT && c->priority == CJ_PRIORITY_HIGH);
    }
    free_list(&list);

    /* A visitor that stops early: called exactly that many times, and the call is OK. */
    memset(&list, 0, sizeof list);
    list.stop_after = 2;
    CHECK_OK(cj_jar_for_each_cookie(jar, T0 + 5000, copy_visitor, &list));
    CHECK(list.calls == 2);
    if (list.len == 2) {
        CHECK_STR(list.items[0].name, "y");
        CHECK_STR(list.items[1].name, "long");
    }
    free_list(&list);
    memset(&list, 0, sizeof list);
    list.stop_after = 1;
    CHECK_OK(cj_jar_for_each_cookie(jar, -1, copy_visitor, &list)); /* the system clock */
    CHECK(list.calls == 1);
    free_list(&list);

    /* A visitor may change the jar; this enumeration keeps its snapshot. */
    r.jar = jar;
    r.calls = 0;
    CHECK_OK(cj_jar_for_each_cookie(jar, T0 + 5000, reentrant_visitor, &r));
    CHECK(r.calls == 4);
    CHECK(jar_len(jar) == 9);

    cj_jar_free(jar);
}

/* ---- removal ------------------------------------------------------------------------------ */

static void removal(void) {
    cj_jar *jar = NULL;
    size_t n = SENTINEL_COUNT;

    CHECK_OK(cj_jar_new(&jar));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "a=1", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/docs/", "a=2; Path=/docs", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "b=1; Max-Age=60", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://api.example.com/", "c=1; Max-Age=3600", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "d=1; Domain=example.com", T0));
    CHECK_OK(cj_jar_set_cookie(jar, "https://notexample.com/", "e=1; Max-Age=3600", T0));
    /* The same cookie in two partitions. */
    CHECK_OK(cj_jar_set_cookie_in(jar, "https://w.example.net/", "https://one.example/",
                                  "p=1; Secure; SameSite=None; Partitioned", T0));
    CHECK_OK(cj_jar_set_cookie_in(jar, "https://w.example.net/", "https://two.example/",
                                  "p=2; Secure; SameSite=None; Partitioned", T0));
    CHECK(jar_len(jar) == 8);

    /* Exact domain, path and name; nothing matched is still OK. */
    CHECK_OK(cj_jar_remove(jar, "www.example.com", "/docs", "a", &n));
    CHECK(n == 1);
    CHECK_HEADER(jar, "https://www.example.com/docs/", T0, "a=1; b=1; d=1");
    n = SENTINEL_COUNT;
    CHECK_OK(cj_jar_remove(jar, "www.example.com", "/docs", "a", &n));
    CHECK(n == 0);
    CHECK_OK(cj_jar_remove(jar, "example.com", "/", "a", &n)); /* a is host-only */
    CHECK(n == 0);
    CHECK_OK(cj_jar_remove(jar, "w.example.net", "/", "p", &n)); /* both partitions */
    CHECK(n == 2);
    CHECK(jar_len(jar) == 5);

    /* Expired at a time, then session cookies. */
    CHECK_OK(cj_jar_purge_expired(jar, T0 + 59999, &n));
    CHECK(n == 0);
    CHECK_OK(cj_jar_purge_expired(jar, T0 + 60001, &n));
    CHECK(n == 1);
    CHECK_OK(cj_jar_clear_session_cookies(jar, &n));
    CHECK(n == 2); /* a and d */
    CHECK_OK(cj_jar_clear_session_cookies(jar, &n));
    CHECK(n == 0);
    CHECK(jar_len(jar) == 2);

    /* A domain and its subdomains, not look-alikes. */
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "f=1", T0));
    CHECK_OK(cj_jar_clear_domain(jar, "example.com", &n));
    CHECK(n == 2); /* c on api., f on www. */
    CHECK_HEADER(jar, "https://notexample.com/", T0, "e=1");
    CHECK_OK(cj_jar_clear_domain(jar, "example.com", &n));
    CHECK(n == 0);

    CHECK_OK(cj_jar_clear(jar));
    CHECK(jar_len(jar) == 0);
    CHECK_OK(cj_jar_clear(jar));
    CHECK_OK(cj_jar_flush(jar)); /* a no-op in memory */
    cj_jar_free(jar);
}

/* Consent: the drop-in rule, rules, a policy file, consent per site, GPC, and the refusals. */
static void consent(void) {
    cj_jar *jar = NULL;
    CHECK_STATUS(cj_jar_new(&jar), CJ_STATUS_OK);
    /* No consent set: nothing is enforced. */
    CHECK_STATUS(cj_jar_set_cookie(jar, "https://data.example.org/", "_ga=1; Max-Age=60", T0),
                 CJ_STATUS_OK);
    size_t added = 0;
    CHECK_STATUS(cj_jar_load_policy(jar,
                                    "provider,purpose,cookie,domain,category\n"
                                    "Portal,login,sessionid,,Necessary\n",
                                    &added),
                 CJ_STATUS_OK);
    CHECK(added == 1);
    CHECK_STATUS(cj_jar_load_policy(jar, "not,a\npolicy", NULL), CJ_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(cj_jar_add_rule(jar, "example.org", "ab_", true, CJ_CATEGORY_STATISTICS),
                 CJ_STATUS_OK);
    CHECK_STATUS(cj_jar_add_rule(jar, NULL, "ad_id", false, CJ_CATEGORY_MARKETING), CJ_STATUS_OK);
    CHECK_STATUS(cj_jar_add_rule(jar, NULL, "x", false, (cj_category)42),
                 CJ_STATUS_INVALID_ARGUMENT);
    CHECK_STATUS(cj_jar_add_rule(NULL, NULL, "x", false, CJ_CATEGORY_NECESSARY),
                 CJ_STATUS_NULL_ARGUMENT);

    /* Necessary only, for every site: _ga (statistics) is purged, the rest refused. */
    CHECK_STATUS(cj_jar_set_consent(jar, NULL, 1u << CJ_CATEGORY_NECESSARY), CJ_STATUS_OK);
    size_t len = 99;
    CHECK_STATUS(cj_jar_len(jar, &len), CJ_STATUS_OK);
    CHECK(len == 0);
    CHECK_STATUS(cj_jar_set_cookie(jar, "https://data.example.org/", "sessionid=s", T0),
                 CJ_STATUS_OK);
    CHECK_STATUS(cj_jar_set_cookie(jar, "https://data.example.org/", "ab_test=1", T0),
                 CJ_STATUS_CONSENT_DENIED);
    CHECK_STATUS(cj_jar_set_cookie(jar, "https://data.example.org/", "mystery=1", T0),
                 CJ_STATUS_CONSENT_UNCLASSIFIED);
    /* Statistics granted on this site ("example.org" names the same site). */
    CHECK_STATUS(cj_jar_set_consent(jar, "example.org",
                                    (1u << CJ_CATEGORY_NECESSARY) | (1u << CJ_CATEGORY_STATISTICS)),
                 CJ_STATUS_OK);
    CHECK_STATUS(cj_jar_set_cookie(jar, "https://data.example.org/", "ab_test=1", T0),
                 CJ_STATUS_OK);
    /* GPC: marketing stays off even where granted before it. */
    CHECK_STATUS(cj_jar_set_consent(jar, "shop.example.com", 0xffu), CJ_STATUS_OK);
    CHECK_STATUS(cj_jar_set_gpc(jar, true), CJ_STATUS_OK);
    CHECK_STATUS(cj_jar_set_cookie(jar, "https://shop.example.com/", "ad_id=1", T0),
                 CJ_STATUS_CONSENT_DENIED);
    CHECK_STATUS(cj_jar_set_gpc(NULL, true), CJ_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(cj_jar_set_consent(NULL, NULL, 0), CJ_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(cj_jar_load_policy(jar, NULL, NULL), CJ_STATUS_NULL_ARGUMENT);
    cj_jar_free(jar);
}

int main(void) {
    last_error(); /* first: it checks the state before any call */
    status_names_and_numbers();
    enum_values_and_version();
    null_arguments();
    invalid_utf8();
    urls();
    rejections();
    store_and_retrieve();
    options();
    enumeration();
    removal();
    consent();
    return check_exit("test_api");
}
