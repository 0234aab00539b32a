/*
 * The few checking helpers the C tests share. Each test program is one translation unit that
 * includes this header once; everything here is static.
 *
 * A failed check prints where and why and counts a failure; the program goes on, so that one
 * run shows every broken promise, and `check_exit()` turns the count into the exit status.
 */
#ifndef COOKIEJAR_TESTS_CHECK_H
#define COOKIEJAR_TESTS_CHECK_H

#include "cookiejar.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A fixed "now" (2025-06-15), so that expiry never depends on the machine's clock. */
#define T0 INT64_C(1750000000000)

/* Invalid UTF-8, one of each kind: a lone continuation byte, a byte that never occurs, an
 * overlong encoding, a truncated sequence and an encoded surrogate. */
static const char *const BAD_UTF8[] = {
    "https://example.com/\x80",
    "\xff",
    "a=\xc0\xaf",
    "example.com\xe2\x82",
    "/\xed\xa0\x80",
};
#define BAD_UTF8_COUNT (sizeof BAD_UTF8 / sizeof BAD_UTF8[0])

/* Out-parameters are written only on success: the tests preload them with these and check
 * they survive every failure. The pointers are real objects, never dereferenced through the
 * library's types. */
static char sentinel_bytes[] = "untouched";
#define SENTINEL_STRING (sentinel_bytes)
#define SENTINEL_JAR ((cj_jar *)(void *)sentinel_bytes)
#define SENTINEL_OPTIONS ((cj_options *)(void *)sentinel_bytes)
#define SENTINEL_COUNT ((size_t)0x5EED5EEDu)

static int check_failures = 0;

/* Keeps a program that needs neither table from warning about it. */
static inline void check_unused_(void) {
    (void)BAD_UTF8;
    (void)sentinel_bytes;
}

static inline void check_fail(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "%s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    check_failures++;
}

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) check_fail(__FILE__, __LINE__, "check failed: %s", #cond);          \
    } while (0)

/* The thread's last error, for messages (a static buffer per call site is not needed: the
 * tests print it at once). */
static inline const char *last_error_text(char *buf, size_t len) {
    if (cj_last_error(buf, len) == 0) snprintf(buf, len, "(no message)");
    return buf;
}

static inline void check_status_(cj_status got, cj_status want, const char *call, const char *file,
                          int line) {
    if (got != want) {
        char msg[512];
        check_fail(file, line, "%s returned %s (%d), expected %s: %s", call,
                   cj_status_name(got), (int)got, cj_status_name(want),
                   last_error_text(msg, sizeof msg));
    }
}

#define CHECK_STATUS(call, want) check_status_((call), (want), #call, __FILE__, __LINE__)
#define CHECK_OK(call) CHECK_STATUS(call, CJ_STATUS_OK)

/*
 * A failure, checked the way a caller would rely on it: the status; a last error that starts
 * with the function's name (taken from the text of the call) and, when `needle` is not NULL,
 * contains it; and a size query that agrees with the copied message.
 */
static inline void check_failure_(cj_status got, cj_status want, const char *needle,
                                  const char *call, const char *file, int line) {
    char msg[1024];
    char fn[64];
    size_t n = 0;
    size_t needed;

    if (got != want) {
        check_fail(file, line, "%s returned %s (%d), expected %s: %s", call,
                   cj_status_name(got), (int)got, cj_status_name(want),
                   last_error_text(msg, sizeof msg));
        return;
    }
    needed = cj_last_error(NULL, 0);
    if (needed == 0 || needed > sizeof msg || cj_last_error(msg, sizeof msg) != needed ||
        strlen(msg) + 1 != needed) {
        check_fail(file, line, "%s: no usable last error after %s (size %zu)", call,
                   cj_status_name(got), needed);
        return;
    }
    while (call[n] != '\0' && call[n] != '(' && n + 1 < sizeof fn) {
        fn[n] = call[n];
        n++;
    }
    fn[n] = '\0';
    /* When the call is not written out (a saved status), there is no name to compare. */
    if (strncmp(call, "cj_", 3) == 0 && (strncmp(msg, fn, n) != 0 || msg[n] != ':')) {
        check_fail(file, line, "%s: last error does not start with \"%s:\": %s", call, fn, msg);
    }
    if (needle != NULL && strstr(msg, needle) == NULL) {
        check_fail(file, line, "%s: last error does not mention \"%s\": %s", call, needle, msg);
    }
}

#define CHECK_FAILURE(call, want, needle)                                                \
    check_failure_((call), (want), (needle), #call, __FILE__, __LINE__)

/* NULL where a pointer is required: the status, and a message naming the argument. */
#define CHECK_NULL_ARG(call, arg)                                                        \
    CHECK_FAILURE(call, CJ_STATUS_NULL_ARGUMENT, "argument `" arg "` is NULL")

static inline void check_str_(const char *got, const char *want, const char *expr, const char *file,
                       int line) {
    if (want == NULL ? got != NULL : got == NULL || strcmp(got, want) != 0) {
        check_fail(file, line, "%s is \"%s\", expected \"%s\"", expr, got ? got : "(NULL)",
                   want ? want : "(NULL)");
    }
}

/* Two strings equal, or both NULL. */
#define CHECK_STR(got, want) check_str_((got), (want), #got, __FILE__, __LINE__)

/* The Cookie header for a plain request to `url` at `now`, compared with `want` (NULL: no
 * cookie applies). Frees the returned string. */
static inline void check_header_(cj_jar *jar, const char *url, int64_t now, const char *want,
                          const char *file, int line) {
    char *header = SENTINEL_STRING;
    cj_status s = cj_jar_cookie_header(jar, url, now, &header);
    if (s != CJ_STATUS_OK) {
        char msg[512];
        check_fail(file, line, "cj_jar_cookie_header(%s) returned %s: %s", url,
                   cj_status_name(s), last_error_text(msg, sizeof msg));
        return;
    }
    if (header == SENTINEL_STRING) {
        check_fail(file, line, "cj_jar_cookie_header(%s) succeeded without writing *out", url);
        return;
    }
    check_str_(header, want, url, file, line);
    cj_string_free(header);
}

#define CHECK_HEADER(jar, url, now, want)                                                \
    check_header_((jar), (url), (now), (want), __FILE__, __LINE__)

static inline size_t jar_len(cj_jar *jar) {
    size_t n = SENTINEL_COUNT;
    CHECK_OK(cj_jar_len(jar, &n));
    return n;
}

static inline int check_exit(const char *program) {
    if (check_failures != 0) {
        fprintf(stderr, "%s: %d check(s) failed\n", program, check_failures);
        return EXIT_FAILURE;
    }
    printf("%s: all checks passed\n", program);
    return EXIT_SUCCESS;
}

#endif /* COOKIEJAR_TESTS_CHECK_H */
