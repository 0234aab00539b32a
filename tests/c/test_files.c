/*
 * File-backed jars through the C API: open arguments, persistence across a reopen (session and
 * expired cookies dropped, metadata kept), the lock (same process and a child process), options
 * (session cookies, durability, limits), removals that persist, files refused and left untouched
 * (not a jar, corrupt header, newer version, a symlink, a directory), a damaged log that opens
 * with its intact records, and storage failures (CJ_STATUS_IO, then CJ_STATUS_POISONED) forced
 * with RLIMIT_FSIZE in a child process.
 *
 * Everything happens in a fresh mkdtemp directory, removed at the end.
 */
#define _POSIX_C_SOURCE 200809L

#include "check.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MINUTE_MS INT64_C(60000)

static char dir[4096];
static int64_t now_ms; /* the real clock: open drops what is expired by it */

static const char *in_dir(char *buf, size_t len, const char *name) {
    snprintf(buf, len, "%s/%s", dir, name);
    return buf;
}

static int64_t clock_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- file helpers -------------------------------------------------------------------------- */

struct file_copy {
    unsigned char *bytes;
    size_t len;
    struct stat st;
};

static bool read_file(const char *path, struct file_copy *out) {
    FILE *f = fopen(path, "rb");
    long len;
    memset(out, 0, sizeof *out);
    if (f == NULL) return false;
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return false;
    }
    out->len = (size_t)len;
    out->bytes = malloc(out->len + 1);
    if (out->bytes == NULL || fread(out->bytes, 1, out->len, f) != out->len) {
        fclose(f);
        free(out->bytes);
        out->bytes = NULL;
        return false;
    }
    fclose(f);
    return stat(path, &out->st) == 0;
}

static bool write_file(const char *path, const void *bytes, size_t len) {
    FILE *f = fopen(path, "wb");
    bool ok;
    if (f == NULL) return false;
    ok = fwrite(bytes, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* The file is byte for byte what it was, with the same size and modification time. */
static void check_untouched_(const char *path, const struct file_copy *before, const char *file,
                             int line) {
    struct file_copy now;
    if (!read_file(path, &now)) {
        check_fail(file, line, "%s: cannot read it back", path);
        return;
    }
    if (now.len != before->len || memcmp(now.bytes, before->bytes, now.len) != 0 ||
        now.st.st_mtim.tv_sec != before->st.st_mtim.tv_sec ||
        now.st.st_mtim.tv_nsec != before->st.st_mtim.tv_nsec) {
        check_fail(file, line, "%s was changed (%zu bytes, was %zu)", path, now.len, before->len);
    }
    free(now.bytes);
}

#define CHECK_UNTOUCHED(path, before) check_untouched_((path), (before), __FILE__, __LINE__)

static bool exists(const char *path) {
    struct stat st;
    return lstat(path, &st) == 0;
}

/* CRC-32 (IEEE, reflected, as zlib), for forging headers (docs/file-format.md). */
static uint32_t crc32_ieee(const unsigned char *p, size_t n) {
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

static uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(unsigned char *p, uint32_t v) {
    for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i));
}

/* ---- open arguments ------------------------------------------------------------------------ */

static void open_arguments(void) {
    char path[4200];
    cj_jar *jar = SENTINEL_JAR;
    cj_options *opt = NULL;

    CHECK_OK(cj_options_new(&opt));
    in_dir(path, sizeof path, "args.jar");

    CHECK_NULL_ARG(cj_jar_open(NULL, &jar), "path");
    CHECK_NULL_ARG(cj_jar_open(path, NULL), "out");
    CHECK_NULL_ARG(cj_jar_open_with(NULL, opt, &jar), "path");
    CHECK_NULL_ARG(cj_jar_open_with(path, NULL, &jar), "options");
    CHECK_NULL_ARG(cj_jar_open_with(path, opt, NULL), "out");
    CHECK(!exists(path)); /* a refused call creates nothing */
    CHECK_FAILURE(cj_jar_open("", &jar), CJ_STATUS_INVALID_ARGUMENT, "empty path");
    CHECK_FAILURE(cj_jar_open_with("", opt, &jar), CJ_STATUS_INVALID_ARGUMENT, "empty path");
    CHECK_FAILURE(cj_jar_open(in_dir(path, sizeof path, "missing/dir/x.jar"), &jar), CJ_STATUS_IO,
                  "No such file or directory");
    CHECK(jar == SENTINEL_JAR);

    /* A path is bytes, not text: a file name that is not UTF-8 is fine. */
    in_dir(path, sizeof path, "latin1-\xe9t\xe9.jar");
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK(jar != SENTINEL_JAR && exists(path));
    CHECK_OK(cj_jar_set_cookie(jar, "https://www.example.com/", "a=1; Max-Age=600", now_ms));
    cj_jar_free(jar);
    jar = NULL;
    CHECK_OK(cj_jar_open_with(path, opt, &jar));
    CHECK(jar_len(jar) == 1);
    cj_jar_free(jar);
    cj_options_free(opt);
}

/* ---- persistence and the lock ---------------------------------------------------------------- */

struct found {
    const char *name;
    bool seen;
    cj_cookie copy; /* scalars only: the strings die with the call */
};

static int find_visitor(const cj_cookie *c, void *user_data) {
    struct found *f = user_data;
    if (strcmp(c->name, f->name) == 0) {
        f->seen = true;
        f->copy = *c;
        f->copy.name = f->copy.value = f->copy.domain = f->copy.path = f->copy.partition = NULL;
    }
    return 0;
}

/* The status a child process gets when it opens `path` while we hold it. */
static cj_status open_in_child(const char *path) {
    int status = 0;
    pid_t pid;
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        cj_jar *jar = NULL;
        cj_status s = cj_jar_open(path, &jar);
        if (s == CJ_STATUS_OK) cj_jar_free(jar);
        _exit(s == CJ_STATUS_LOCKED ? 42 : s == CJ_STATUS_OK ? 0 : 1);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return CJ_STATUS_INTERNAL;
    return WEXITSTATUS(status) == 42 ? CJ_STATUS_LOCKED
         : WEXITSTATUS(status) == 0  ? CJ_STATUS_OK
                                     : CJ_STATUS_INTERNAL;
}

static void persistence(void) {
    char path[4200];
    struct stat st;
    cj_jar *jar = NULL;
    cj_jar *second = SENTINEL_JAR;
    size_t n = 0;
    struct found dom = {"dom", false, {0}};
    const char *www = "https://www.example.com/";

    in_dir(path, sizeof path, "persist.jar");
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600); /* cookies are credentials */

    CHECK_OK(cj_jar_set_cookie(jar, www, "keep=1; Max-Age=3600", now_ms));
    CHECK_OK(cj_jar_set_cookie(jar, www,
                               "dom=2; Domain=example.com; Path=/; Max-Age=7200; Secure; HttpOnly; "
                               "SameSite=Strict; Priority=High",
                               now_ms + 1));
    CHECK_OK(cj_jar_set_cookie_in(jar, "https://w.example.net/", "https://news.example.org/",
                                  "part=3; Max-Age=3600; Secure; SameSite=None; Partitioned",
                                  now_ms));
    CHECK_OK(cj_jar_set_cookie(jar, www, "session=1", now_ms));
    CHECK_OK(cj_jar_set_cookie(jar, www, "old=1; Max-Age=60", now_ms - 10 * MINUTE_MS));
    CHECK_OK(cj_jar_set_cookie(jar, www, "gone=1; Max-Age=3600", now_ms));
    CHECK_OK(cj_jar_remove(jar, "www.example.com", "/", "gone", &n));
    CHECK(n == 1);
    CHECK_OK(cj_jar_set_cookie(jar, www, "deleted=1; Max-Age=3600", now_ms));
    CHECK_OK(cj_jar_set_cookie(jar, www, "deleted=; Max-Age=0", now_ms));
    CHECK(jar_len(jar) == 5); /* keep, dom, part, session, old (expired, not yet purged) */
    CHECK_OK(cj_jar_flush(jar));

    /* Locked while open: in this process and in another. */
    CHECK_FAILURE(cj_jar_open(path, &second), CJ_STATUS_LOCKED, "locked");
    CHECK(second == SENTINEL_JAR);
    CHECK(open_in_child(path) == CJ_STATUS_LOCKED);
    CHECK_HEADER(jar, www, now_ms, "keep=1; session=1; dom=2");
    cj_jar_free(jar);

    /* Reopened (the lock went with the handle): persistent cookies only, metadata intact. */
    CHECK(open_in_child(path) == CJ_STATUS_OK);
    jar = NULL;
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK(jar_len(jar) == 3);
    CHECK_HEADER(jar, www, now_ms, "keep=1; dom=2");
    CHECK_HEADER(jar, "http://api.example.com/", now_ms, NULL);
    {
        char *out = NULL;
        CHECK_OK(cj_jar_cookie_header_in(jar, "https://w.example.net/",
                                         "https://www.news.example.org/", now_ms, &out));
        CHECK_STR(out, "part=3");
        cj_string_free(out);
    }
    CHECK_OK(cj_jar_for_each_cookie(jar, now_ms, find_visitor, &dom));
    CHECK(dom.seen);
    CHECK(!dom.copy.session && !dom.copy.host_only && dom.copy.secure && dom.copy.http_only);
    CHECK(dom.copy.same_site == CJ_SAME_SITE_STRICT && dom.copy.priority == CJ_PRIORITY_HIGH);
    CHECK(dom.copy.created_ms == now_ms + 1); /* creation is kept to the millisecond */
    CHECK(dom.copy.expires_ms >= now_ms + 7200000 && dom.copy.expires_ms <= now_ms + 7201000);

    /* Removals persist too. */
    CHECK_OK(cj_jar_clear_domain(jar, "example.net", &n));
    CHECK(n == 1);
    cj_jar_free(jar);
    jar = NULL;
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK(jar_len(jar) == 2);
    CHECK_OK(cj_jar_clear(jar));
    cj_jar_free(jar);
    jar = NULL;
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK(jar_len(jar) == 0);
    cj_jar_free(jar);
}

static void options_with_files(void) {
    char path[4200];
    cj_options *opt = NULL;
    cj_jar *jar = NULL;
    size_t n = 0;
    const char *www = "https://www.example.com/";

    in_dir(path, sizeof path, "options.jar");
    CHECK_OK(cj_options_new(&opt));
    CHECK_OK(cj_options_set_persist_session_cookies(opt, true));
    CHECK_OK(cj_options_set_durability(opt, CJ_DURABILITY_SYNC));
    CHECK_OK(cj_options_set_max_cookies_per_site(opt, 2));
    CHECK_OK(cj_jar_open_with(path, opt, &jar));
    CHECK_OK(cj_jar_set_cookie(jar, www, "s1=1", now_ms));
    CHECK_OK(cj_jar_set_cookie(jar, www, "s2=1", now_ms + 1));
    CHECK_OK(cj_jar_set_cookie(jar, www, "s3=1", now_ms + 2)); /* evicts s1 */
    CHECK_OK(cj_jar_set_cookie(jar, "https://other.example.org/", "p=1; Max-Age=3600", now_ms));
    CHECK_OK(cj_jar_flush(jar));
    cj_jar_free(jar);

    /* With the option, session cookies come back. */
    jar = NULL;
    CHECK_OK(cj_jar_open_with(path, opt, &jar));
    CHECK(jar_len(jar) == 3);
    CHECK_HEADER(jar, www, now_ms + 3, "s2=1; s3=1");
    CHECK_OK(cj_jar_clear_session_cookies(jar, &n));
    CHECK(n == 2);
    CHECK_OK(cj_jar_set_cookie(jar, www, "s4=1", now_ms + 4));
    cj_jar_free(jar);

    /* Without it, a browser-like start: no session cookies. */
    jar = NULL;
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK_HEADER(jar, www, now_ms + 5, NULL);
    CHECK_HEADER(jar, "https://other.example.org/", now_ms + 5, "p=1");
    /* purge_expired on a file jar, at a time after p's expiry. */
    CHECK_OK(cj_jar_purge_expired(jar, now_ms + 3601000, &n));
    CHECK(n == 1);
    cj_jar_free(jar);
    jar = NULL;
    CHECK_OK(cj_jar_open_with(path, opt, &jar));
    CHECK(jar_len(jar) == 0);
    cj_jar_free(jar);
    cj_options_free(opt);
}

/* ---- files that are refused, and a damaged one ------------------------------------------- */

static void refused_files(void) {
    char path[4200];
    char target[4200];
    struct file_copy before;
    cj_jar *jar = SENTINEL_JAR;
    unsigned char header[64];
    static const char text[] =
        "# Netscape HTTP Cookie File\n"
        ".example.com\tTRUE\t/\tFALSE\t0\tname\tvalue\n"
        "this is not a cookiejar file, and it is longer than a jar header.\n";

    /* Not a jar: refused, byte for byte untouched; the same with open_with. */
    in_dir(path, sizeof path, "cookies.txt");
    CHECK(write_file(path, text, sizeof text - 1));
    CHECK(read_file(path, &before));
    CHECK_FAILURE(cj_jar_open(path, &jar), CJ_STATUS_NOT_A_JAR_FILE, "not a cookiejar file");
    {
        cj_options *opt = NULL;
        CHECK_OK(cj_options_new(&opt));
        CHECK_FAILURE(cj_jar_open_with(path, opt, &jar), CJ_STATUS_NOT_A_JAR_FILE, NULL);
        cj_options_free(opt);
    }
    CHECK_UNTOUCHED(path, &before);
    free(before.bytes);
    in_dir(path, sizeof path, "short.txt");
    CHECK(write_file(path, "hi", 2));
    CHECK(read_file(path, &before));
    CHECK_FAILURE(cj_jar_open(path, &jar), CJ_STATUS_NOT_A_JAR_FILE, NULL);
    CHECK_UNTOUCHED(path, &before);
    free(before.bytes);

    /* A header with the right magic: a bad checksum, then a newer major version. */
    memset(header, 0, sizeof header);
    memcpy(header, "CKJAR\0\r\n", 8);
    header[8] = 1;     /* major */
    header[12] = 64;   /* header length */
    put_le32(header + 60, crc32_ieee(header, 60) ^ 1u);
    in_dir(path, sizeof path, "corrupt.jar");
    CHECK(write_file(path, header, sizeof header));
    CHECK(read_file(path, &before));
    CHECK_FAILURE(cj_jar_open(path, &jar), CJ_STATUS_CORRUPT_HEADER, "corrupt");
    CHECK_UNTOUCHED(path, &before);
    free(before.bytes);

    header[8] = 2;
    put_le32(header + 60, crc32_ieee(header, 60));
    in_dir(path, sizeof path, "future.jar");
    CHECK(write_file(path, header, sizeof header));
    CHECK(read_file(path, &before));
    CHECK_FAILURE(cj_jar_open(path, &jar), CJ_STATUS_UNSUPPORTED_VERSION, NULL);
    CHECK_UNTOUCHED(path, &before);
    free(before.bytes);

    /* The forged header is right apart from the version: with major 1 it opens. */
    header[8] = 1;
    put_le32(header + 60, crc32_ieee(header, 60));
    in_dir(path, sizeof path, "forged.jar");
    CHECK(write_file(path, header, sizeof header));
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK(jar != SENTINEL_JAR && jar_len(jar) == 0);
    cj_jar_free(jar);
    jar = SENTINEL_JAR;

    /* A symlink is not followed, even to a good jar; its target stays as it was. */
    in_dir(target, sizeof target, "target.jar");
    CHECK_OK(cj_jar_open(target, &jar));
    cj_jar_free(jar);
    jar = SENTINEL_JAR;
    CHECK(read_file(target, &before));
    in_dir(path, sizeof path, "link.jar");
    CHECK(symlink(target, path) == 0);
    CHECK_FAILURE(cj_jar_open(path, &jar), CJ_STATUS_NOT_A_FILE, "symlinks are not followed");
    CHECK_UNTOUCHED(target, &before);
    free(before.bytes);

    /* A directory is not a jar file. */
    in_dir(path, sizeof path, "adir");
    CHECK(mkdir(path, 0700) == 0);
    CHECK_FAILURE(cj_jar_open(path, &jar), CJ_STATUS_NOT_A_FILE, "not a regular file");
    CHECK(jar == SENTINEL_JAR);
}

/* Walks the frames of a jar file (docs/file-format.md): the offset of the last one, or 0. */
static size_t last_frame(const struct file_copy *f, size_t *frames) {
    size_t at = 64;
    size_t last = 0;
    *frames = 0;
    while (at + 8 <= f->len) {
        uint32_t word0 = le32(f->bytes + at);
        uint32_t len = word0 & 0xFFFFFFu;
        if (word0 >> 24 != 0xA5u || len == 0 || at + 8 + len > f->len) break;
        last = at;
        ++*frames;
        at += 8 + len;
    }
    return last;
}

static void damaged_log(void) {
    char path[4200];
    struct file_copy f;
    cj_jar *jar = NULL;
    size_t frames = 0;
    size_t at;
    const char *www = "https://www.example.com/";

    in_dir(path, sizeof path, "damaged.jar");
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK_OK(cj_jar_set_cookie(jar, www, "a=1; Max-Age=3600", now_ms));
    CHECK_OK(cj_jar_set_cookie(jar, www, "b=2; Max-Age=3600", now_ms + 1));
    CHECK_OK(cj_jar_set_cookie(jar, www, "c=3; Max-Age=3600", now_ms + 2));
    cj_jar_free(jar);

    /* Flip a byte in the last record: its checksum no longer matches, so open drops it and
     * keeps the records before it. */
    CHECK(read_file(path, &f));
    at = last_frame(&f, &frames);
    CHECK(frames == 3);
    if (at != 0) {
        f.bytes[at + 8] ^= 0x55;
        CHECK(write_file(path, f.bytes, f.len));
    }
    free(f.bytes);
    jar = NULL;
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK_HEADER(jar, www, now_ms + 3, "a=1; b=2");
    /* The jar goes on working after the cut. */
    CHECK_OK(cj_jar_set_cookie(jar, www, "d=4; Max-Age=3600", now_ms + 4));
    cj_jar_free(jar);
    jar = NULL;
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK_HEADER(jar, www, now_ms + 5, "a=1; b=2; d=4");
    cj_jar_free(jar);
}

/* ---- storage failures ------------------------------------------------------------------------ */

/*
 * In a child process, with the file size limited to what the jar file has now: the jar must
 * grow eventually, that write fails with CJ_STATUS_IO, and from then on every change (and
 * flush) is CJ_STATUS_POISONED while lookups still work. The child reports through a pipe how
 * many cookies were acknowledged; the parent reopens the file and finds exactly those.
 */
static void storage_failures(void) {
    char path[4200];
    int fds[2];
    pid_t pid;
    int status = 0;
    size_t stored = 0;
    cj_jar *jar = NULL;

    in_dir(path, sizeof path, "full.jar");
    CHECK(pipe(fds) == 0);
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        static char pad[4000];
        struct stat st;
        struct rlimit limit;
        size_t ok = 0;
        cj_jar *child = NULL;
        close(fds[0]);
        memset(pad, 'v', sizeof pad - 1);
        CHECK_OK(cj_jar_open(path, &child));
        CHECK(stat(path, &st) == 0);
        limit.rlim_cur = limit.rlim_max = (rlim_t)st.st_size;
        signal(SIGXFSZ, SIG_IGN); /* EFBIG instead of a signal */
        CHECK(setrlimit(RLIMIT_FSIZE, &limit) == 0);
        for (int i = 0; i < 5000; i++) {
            char url[64];
            char cookie[4100];
            cj_status s;
            snprintf(url, sizeof url, "https://s%d.example/", i);
            snprintf(cookie, sizeof cookie, "c=%d-%s; Max-Age=3600", i, pad);
            s = cj_jar_set_cookie(child, url, cookie, now_ms);
            if (s == CJ_STATUS_OK) {
                ok++;
                continue;
            }
            CHECK_FAILURE(s, CJ_STATUS_IO, "File too large");
            break;
        }
        CHECK(ok > 0 && ok < 5000);
        CHECK_FAILURE(cj_jar_set_cookie(child, "https://x.example.com/", "x=1; Max-Age=60", now_ms),
                      CJ_STATUS_POISONED, "reopen");
        CHECK_FAILURE(cj_jar_flush(child), CJ_STATUS_POISONED, NULL);
        CHECK_FAILURE(cj_jar_clear(child), CJ_STATUS_POISONED, NULL);
        CHECK_FAILURE(cj_jar_remove(child, "s0.example", "/", "c", NULL), CJ_STATUS_POISONED,
                      NULL);
        CHECK_FAILURE(cj_jar_clear_domain(child, "s1.example", NULL), CJ_STATUS_POISONED, NULL);
        CHECK_FAILURE(cj_jar_clear_session_cookies(child, NULL), CJ_STATUS_POISONED, NULL);
        CHECK_FAILURE(cj_jar_purge_expired(child, now_ms + 7200000, NULL), CJ_STATUS_POISONED,
                      NULL);
        {
            char *out = NULL;
            CHECK_OK(cj_jar_cookie_header(child, "https://s0.example/", now_ms, &out));
            CHECK(out != NULL && strncmp(out, "c=0-", 4) == 0);
            cj_string_free(out);
        }
        cj_jar_free(child);
        if (write(fds[1], &ok, sizeof ok) != (ssize_t)sizeof ok) check_failures++;
        close(fds[1]);
        fflush(NULL);
        _exit(check_failures == 0 ? 0 : 1);
    }
    close(fds[1]);
    CHECK(pid > 0);
    if (pid <= 0) return;
    CHECK(read(fds[0], &stored, sizeof stored) == (ssize_t)sizeof stored);
    close(fds[0]);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* Every acknowledged change is in the file. */
    CHECK_OK(cj_jar_open(path, &jar));
    CHECK(jar_len(jar) == stored);
    if (stored > 0) {
        char url[64];
        char want[32];
        char *out = NULL;
        snprintf(url, sizeof url, "https://s%zu.example/", stored - 1);
        snprintf(want, sizeof want, "c=%zu-", stored - 1);
        CHECK_OK(cj_jar_cookie_header(jar, url, now_ms, &out));
        CHECK(out != NULL && strncmp(out, want, strlen(want)) == 0);
        cj_string_free(out);
    }
    cj_jar_free(jar);
}

/* ---- the temporary directory ---------------------------------------------------------------- */

static void remove_tree(const char *path) {
    DIR *d = opendir(path);
    struct dirent *e;
    if (d == NULL) {
        unlink(path);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        char child[4200];
        struct stat st;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode)) {
            remove_tree(child);
        } else {
            unlink(child);
        }
    }
    closedir(d);
    rmdir(path);
}

int main(void) {
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/cookiejar-c-XXXXXX", tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return EXIT_FAILURE;
    }
    now_ms = clock_ms();

    open_arguments();
    persistence();
    options_with_files();
    refused_files();
    damaged_log();
    storage_failures();

    remove_tree(dir);
    return check_exit("test_files");
}
