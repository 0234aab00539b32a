/*
 * A smoke test of the C API, compiled as strict C11 against include/cookiejar.h and linked
 * against the static and the shared library (see run.sh). It checks what a C user relies on
 * first: a store/lookup round trip, a rejection status, NULL arguments, the last error and
 * string ownership. The full suite is test_api.c, test_files.c and test_threads.c; this file
 * also serves tests/c/install-check.sh as the program built with pkg-config alone.
 */
#include "cookiejar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 INT64_C(1750000000000)

static int failures = 0;

#define CHECK(cond)                                                                    \
    do {                                                                               \
        if (!(cond)) {                                                                 \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);   \
            failures++;                                                                \
        }                                                                              \
    } while (0)

#define CHECK_STATUS(call, expected)                                                   \
    do {                                                                               \
        cj_status got_ = (call);                                                       \
        if (got_ != (expected)) {                                                      \
            char msg_[256];                                                            \
            cj_last_error(msg_, sizeof msg_);                                          \
            fprintf(stderr, "%s:%d: %s returned %s, expected %s (%s)\n", __FILE__,      \
                    __LINE__, #call, cj_status_name(got_), cj_status_name(expected),   \
                    msg_);                                                             \
            failures++;                                                                \
        }                                                                              \
    } while (0)

static void round_trip(void) {
    cj_jar *jar = NULL;
    char *header = NULL;

    CHECK_STATUS(cj_jar_new(&jar), CJ_STATUS_OK);
    CHECK(jar != NULL);

    CHECK_STATUS(cj_jar_set_cookie(jar, "https://www.example.com/login",
                                   "sid=abc; Domain=example.com; Secure; HttpOnly", T0),
                 CJ_STATUS_OK);
    CHECK_STATUS(cj_jar_set_cookie(jar, "https://www.example.com/", "lang=en", T0), CJ_STATUS_OK);

    CHECK_STATUS(cj_jar_cookie_header(jar, "https://www.example.com/", T0, &header), CJ_STATUS_OK);
    CHECK(header != NULL && strcmp(header, "sid=abc; lang=en") == 0);
    cj_string_free(header);

    /* Nothing applies: OK and NULL. */
    header = (char *)"sentinel";
    CHECK_STATUS(cj_jar_cookie_header(jar, "https://other.example.org/", T0, &header),
                 CJ_STATUS_OK);
    CHECK(header == NULL);

    /* A cross-site subresource gets no Lax cookies; its own top level does. */
    CHECK_STATUS(cj_jar_cookie_header_in(jar, "https://www.example.com/",
                                         "https://news.example.org/", T0, &header),
                 CJ_STATUS_OK);
    CHECK(header == NULL);
    CHECK_STATUS(cj_jar_cookie_header_in(jar, "https://www.example.com/", NULL, T0, &header),
                 CJ_STATUS_OK);
    CHECK(header != NULL && strcmp(header, "sid=abc; lang=en") == 0);
    cj_string_free(header);

    /* A script (non-HTTP API) does not see HttpOnly cookies. */
    CHECK_STATUS(cj_jar_cookie_header_ex(jar, "https://www.example.com/", NULL, CJ_REQUEST_NON_HTTP,
                                         -1, &header),
                 CJ_STATUS_OK);
    CHECK(header != NULL && strcmp(header, "lang=en") == 0);
    cj_string_free(header);

    cj_jar_free(jar);
}

static void rejections_and_errors(void) {
    cj_jar *jar = NULL;
    char *header = (char *)"sentinel";
    char msg[512];
    char small[8];
    size_t needed;

    CHECK_STATUS(cj_jar_new(&jar), CJ_STATUS_OK);

    /* A supercookie: refused with its own status and a message. */
    CHECK_STATUS(cj_jar_set_cookie(jar, "https://www.example.com/", "track=1; Domain=com", T0),
                 CJ_STATUS_PUBLIC_SUFFIX);
    CHECK(CJ_STATUS_PUBLIC_SUFFIX == 105);
    CHECK(strcmp(cj_status_name(CJ_STATUS_PUBLIC_SUFFIX), "CJ_STATUS_PUBLIC_SUFFIX") == 0);
    needed = cj_last_error(msg, sizeof msg);
    CHECK(needed > 0 && needed <= sizeof msg);
    CHECK(strlen(msg) + 1 == needed);
    CHECK(strstr(msg, "public suffix") != NULL);

    /* Truncated into a small buffer, still NUL-terminated; the size needed is returned. */
    CHECK(cj_last_error(small, sizeof small) == needed);
    CHECK(strlen(small) == sizeof small - 1);
    CHECK(cj_last_error(NULL, 0) == needed);

    /* NULL arguments are statuses, not crashes; out-parameters untouched on failure. */
    CHECK_STATUS(cj_jar_set_cookie(NULL, "https://example.com/", "a=1", T0),
                 CJ_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(cj_jar_set_cookie(jar, NULL, "a=1", T0), CJ_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(cj_jar_set_cookie(jar, "https://example.com/", NULL, T0),
                 CJ_STATUS_NULL_ARGUMENT);
    cj_last_error(msg, sizeof msg);
    CHECK(strstr(msg, "set_cookie_value") != NULL);
    CHECK_STATUS(cj_jar_cookie_header(jar, "https://example.com/", T0, NULL),
                 CJ_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(cj_jar_cookie_header(jar, NULL, T0, &header), CJ_STATUS_NULL_ARGUMENT);
    CHECK_STATUS(cj_jar_new(NULL), CJ_STATUS_NULL_ARGUMENT);
    CHECK(strcmp(header, "sentinel") == 0);

    /* Bad URLs and bytes. */
    CHECK_STATUS(cj_jar_set_cookie(jar, "ftp://example.com/", "a=1", T0),
                 CJ_STATUS_UNSUPPORTED_SCHEME);
    CHECK_STATUS(cj_jar_set_cookie(jar, "not a url", "a=1", T0), CJ_STATUS_INVALID_URL);
    CHECK_STATUS(cj_jar_set_cookie(jar, "https://example.com/", "a=\xff", T0),
                 CJ_STATUS_INVALID_UTF8);

    /* A success clears the last error. */
    CHECK_STATUS(cj_jar_set_cookie(jar, "https://example.com/", "a=1", T0), CJ_STATUS_OK);
    CHECK(cj_last_error(msg, sizeof msg) == 0);

    /* Frees of NULL are no-ops. */
    cj_jar_free(NULL);
    cj_string_free(NULL);
    cj_jar_free(jar);
}

int main(void) {
    cj_category category = CJ_CATEGORY_MARKETING;
    uint32_t granted = 1u << CJ_CATEGORY_NECESSARY | 1u << category;

    printf("cookiejar %s\n", cj_version());
    CHECK(granted == 9u);
    CHECK(strcmp(cj_status_name((cj_status)12345), "CJ_STATUS_UNKNOWN") == 0);

    round_trip();
    rejections_and_errors();

    if (failures != 0) {
        fprintf(stderr, "%d check(s) failed\n", failures);
        return EXIT_FAILURE;
    }
    printf("smoke: all checks passed\n");
    return EXIT_SUCCESS;
}
