/*
 * One jar handle shared by several threads with no locking on the caller's side, as the header
 * promises: each thread stores, replaces, reads, enumerates and removes cookies at once, and
 * the invariants are checked during the run (a thread always sees its own latest writes) and
 * after the join (exact contents). Also: the last error is per thread, and a file-backed jar
 * shared the same way keeps every acknowledged change across a reopen.
 *
 * Usage: test_threads [THREADS [ROUNDS]]   (defaults 8 and 200; run.sh passes fewer under
 * valgrind, which runs threads one at a time).
 */
#define _POSIX_C_SOURCE 200809L

#include "check.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 16
#define SLOTS 8 /* cookies each thread keeps replacing: name t<T>_<slot> */

static int threads = 8;
static int rounds = 200;
static int64_t now_ms;

/* The checks run on many threads; the failure counter is shared. */
static pthread_mutex_t failures_lock = PTHREAD_MUTEX_INITIALIZER;
static int thread_failures = 0;

#define TCHECK(cond)                                                                     \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            pthread_mutex_lock(&failures_lock);                                          \
            thread_failures++;                                                           \
            fprintf(stderr, "%s:%d: [thread] check failed: %s\n", __FILE__, __LINE__, #cond); \
            pthread_mutex_unlock(&failures_lock);                                        \
        }                                                                                \
    } while (0)

struct worker {
    cj_jar *jar;
    int id;
    pthread_t thread;
    size_t visited;
};

/* Does `header` ("a=1; b=2") contain exactly the pair `pair`? */
static bool has_pair(const char *header, const char *pair) {
    size_t n = strlen(pair);
    const char *p = header;
    while (p != NULL && *p != '\0') {
        if (strncmp(p, pair, n) == 0 && (p[n] == '\0' || p[n] == ';')) return true;
        p = strchr(p, ';');
        if (p != NULL) p += 2;
    }
    return false;
}

static size_t count_pairs(const char *header) {
    size_t n = header != NULL && *header != '\0';
    for (const char *p = header; p != NULL && *p != '\0'; p++) n += *p == ';';
    return n;
}

/* Every cookie an enumeration sees must be well formed and one this test stores. */
static int sane_visitor(const cj_cookie *c, void *user_data) {
    struct worker *w = user_data;
    w->visited++;
    TCHECK(c->name != NULL && c->value != NULL && c->domain != NULL && c->path != NULL);
    if (c->name != NULL) {
        TCHECK(c->name[0] == 't' || strncmp(c->name, "shared", 6) == 0 ||
               strncmp(c->name, "tmp", 3) == 0);
    }
    TCHECK(c->path != NULL && strcmp(c->path, "/") == 0);
    return 0;
}

static void *work(void *arg) {
    struct worker *w = arg;
    char url[64];
    char cookie[64];
    char pair[64];
    char msg[256];
    int latest[SLOTS];

    snprintf(url, sizeof url, "https://h%d.example.com/", w->id);
    for (int k = 0; k < SLOTS; k++) latest[k] = -1;

    for (int i = 0; i < rounds; i++) {
        int slot = i % SLOTS;
        char *header = NULL;
        size_t removed = 0;

        /* Replace one of our cookies and a shared, domain-wide one. */
        snprintf(cookie, sizeof cookie, "t%d_%d=%d; Max-Age=3600", w->id, slot, i);
        TCHECK(cj_jar_set_cookie(w->jar, url, cookie, now_ms) == CJ_STATUS_OK);
        latest[slot] = i;
        snprintf(cookie, sizeof cookie, "shared%d=%d; Domain=example.com; Max-Age=3600", w->id, i);
        TCHECK(cj_jar_set_cookie(w->jar, url, cookie, now_ms) == CJ_STATUS_OK);

        /* We always read our own latest writes, whatever the others do meanwhile. */
        TCHECK(cj_jar_cookie_header(w->jar, url, now_ms, &header) == CJ_STATUS_OK);
        TCHECK(header != NULL);
        if (header != NULL) {
            for (int k = 0; k < SLOTS; k++) {
                if (latest[k] < 0) continue;
                snprintf(pair, sizeof pair, "t%d_%d=%d", w->id, k, latest[k]);
                TCHECK(has_pair(header, pair));
            }
            snprintf(pair, sizeof pair, "shared%d=%d", w->id, i);
            TCHECK(has_pair(header, pair));
        }
        cj_string_free(header);

        /* A cookie only this thread touches: stored, then removed exactly once. */
        snprintf(cookie, sizeof cookie, "tmp%d=%d", w->id, i);
        TCHECK(cj_jar_set_cookie(w->jar, url, cookie, now_ms) == CJ_STATUS_OK);
        snprintf(pair, sizeof pair, "h%d.example.com", w->id);
        snprintf(cookie, sizeof cookie, "tmp%d", w->id);
        TCHECK(cj_jar_remove(w->jar, pair, "/", cookie, &removed) == CJ_STATUS_OK);
        TCHECK(removed == 1);

        /* Now and then: enumerate, count, and fail on purpose to check the last error. */
        if (i % 16 == 0) {
            size_t len = 0;
            TCHECK(cj_jar_for_each_cookie(w->jar, now_ms, sane_visitor, w) == CJ_STATUS_OK);
            TCHECK(cj_jar_len(w->jar, &len) == CJ_STATUS_OK);
            TCHECK(len <= (size_t)threads * (SLOTS + 2));
        }
        if (i % 8 == (w->id % 8)) {
            /* Each thread fails in its own way; its message must be its own. */
            if (w->id % 2 == 0) {
                TCHECK(cj_jar_set_cookie(w->jar, url, NULL, now_ms) == CJ_STATUS_NULL_ARGUMENT);
                sched_yield();
                TCHECK(cj_last_error(msg, sizeof msg) > 0);
                TCHECK(strcmp(msg, "cj_jar_set_cookie: argument `set_cookie_value` is NULL") == 0);
            } else {
                TCHECK(cj_jar_cookie_header(w->jar, "ftp://example.com/", now_ms, &header) ==
                       CJ_STATUS_UNSUPPORTED_SCHEME);
                sched_yield();
                TCHECK(cj_last_error(msg, sizeof msg) > 0);
                TCHECK(strncmp(msg, "cj_jar_cookie_header: `request_url`", 35) == 0);
            }
        }
    }
    /* A thread's successful call leaves its own last error clear. */
    TCHECK(cj_jar_len(w->jar, &(size_t){0}) == CJ_STATUS_OK);
    TCHECK(cj_last_error(NULL, 0) == 0);
    return NULL;
}

/* After the join: exactly the cookies the threads last wrote. */
static void check_contents(cj_jar *jar, const char *what) {
    size_t expect_len = (size_t)threads * (rounds < SLOTS ? (size_t)rounds : SLOTS) +
                        (size_t)threads;
    size_t visited = 0;
    struct worker counter;

    CHECK(jar_len(jar) == expect_len);
    memset(&counter, 0, sizeof counter);
    CHECK_OK(cj_jar_for_each_cookie(jar, now_ms, sane_visitor, &counter));
    visited = counter.visited;
    CHECK(visited == expect_len);

    for (int t = 0; t < threads; t++) {
        char url[64];
        char pair[64];
        char *header = NULL;
        snprintf(url, sizeof url, "https://h%d.example.com/", t);
        CHECK_OK(cj_jar_cookie_header(jar, url, now_ms, &header));
        if (header == NULL) {
            check_fail(__FILE__, __LINE__, "%s: no cookies for %s", what, url);
            continue;
        }
        /* Own slots, each with the round that wrote it last, and every thread's shared one. */
        CHECK(count_pairs(header) ==
              (rounds < SLOTS ? (size_t)rounds : SLOTS) + (size_t)threads);
        for (int k = 0; k < SLOTS && k < rounds; k++) {
            int last = rounds - 1 - ((rounds - 1 - k) % SLOTS);
            snprintf(pair, sizeof pair, "t%d_%d=%d", t, k, last);
            if (!has_pair(header, pair)) {
                check_fail(__FILE__, __LINE__, "%s: %s lacks %s: %s", what, url, pair, header);
            }
        }
        for (int s = 0; s < threads; s++) {
            snprintf(pair, sizeof pair, "shared%d=%d", s, rounds - 1);
            if (!has_pair(header, pair)) {
                check_fail(__FILE__, __LINE__, "%s: %s lacks %s", what, url, pair);
            }
        }
        cj_string_free(header);
    }
}

static void run_workers(cj_jar *jar) {
    struct worker workers[MAX_THREADS];
    for (int t = 0; t < threads; t++) {
        workers[t].jar = jar;
        workers[t].id = t;
        workers[t].visited = 0;
        if (pthread_create(&workers[t].thread, NULL, work, &workers[t]) != 0) {
            check_fail(__FILE__, __LINE__, "pthread_create failed");
            threads = t;
            break;
        }
    }
    for (int t = 0; t < threads; t++) pthread_join(workers[t].thread, NULL);
    check_failures += thread_failures;
    thread_failures = 0;
}

/* Freeing from another thread than the one that created the handle is allowed. */
static void *free_elsewhere(void *arg) {
    cj_jar_free(arg);
    return NULL;
}

int main(int argc, char **argv) {
    cj_jar *jar = NULL;
    struct timespec ts;
    char dir[4096];
    char path[4200];
    const char *tmp = getenv("TMPDIR");
    pthread_t freer;

    if (argc > 1) threads = atoi(argv[1]);
    if (argc > 2) rounds = atoi(argv[2]);
    if (threads < 1 || threads > MAX_THREADS || rounds < 1) {
        fprintf(stderr, "usage: %s [THREADS (1-%d) [ROUNDS]]\n", argv[0], MAX_THREADS);
        return EXIT_FAILURE;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    now_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;

    /* In memory. */
    CHECK_OK(cj_jar_new(&jar));
    run_workers(jar);
    check_contents(jar, "memory");
    CHECK(pthread_create(&freer, NULL, free_elsewhere, jar) == 0);
    pthread_join(freer, NULL);

    /* File-backed, then reopened: nothing acknowledged is lost. */
    snprintf(dir, sizeof dir, "%s/cookiejar-c-XXXXXX", tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return EXIT_FAILURE;
    }
    snprintf(path, sizeof path, "%s/threads.jar", dir);
    jar = NULL;
    CHECK_OK(cj_jar_open(path, &jar));
    run_workers(jar);
    CHECK_OK(cj_jar_flush(jar));
    check_contents(jar, "file");
    cj_jar_free(jar);
    jar = NULL;
    CHECK_OK(cj_jar_open(path, &jar));
    check_contents(jar, "reopened");
    cj_jar_free(jar);
    unlink(path);
    rmdir(dir);

    printf("test_threads: %d threads x %d rounds\n", threads, rounds);
    return check_exit("test_threads");
}
