/*
 * curl_jar: fetch URLs with libcurl, keeping the cookies in a cookiejar file instead of
 * libcurl's own cookie engine.
 *
 *   curl_jar [-v] [--resolve HOST:PORT:ADDRESS]... [--max-redirs N] [--max-time SECONDS]
 *            JAR_FILE URL...
 *
 * For every request (each URL, and each redirect hop) it asks the jar for the Cookie header of
 * that exact URL (CURLOPT_COOKIE), feeds every Set-Cookie header of the response to the jar
 * with the URL the response came from (CURLINFO_EFFECTIVE_URL), and follows redirects itself,
 * so that the next hop's Cookie header is computed afresh for its own URL, after the cookies
 * the redirect set or deleted. See README.md for why libcurl must not follow them.
 *
 * Bodies of final responses go to stdout; redirect bodies are dropped. With -v, each hop's
 * request line, Cookie header and every Set-Cookie (accepted, or refused and why) go to
 * stderr.
 * --resolve is libcurl's CURLOPT_RESOLVE, as in curl(1): it lets a test serve named hosts
 * from 127.0.0.1.
 *
 * Exit status: 0 all URLs fetched; 1 a transfer failed or had too many redirects; 2 usage;
 * 3 the jar could not be opened or flushed.
 */
#include <curl/curl.h>

#include "cookiejar.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the callbacks of one transfer (one hop) need. */
struct hop {
    CURL *curl;
    cj_jar *jar;
    bool verbose;
    long status;      /* from the last status line seen */
    bool interim;     /* a 1xx response: its headers are not the response's */
    size_t refused;   /* Set-Cookie values the jar refused, over the whole run */
};

static bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static bool starts_with_ci(const char *data, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    if (len < n) return false;
    for (size_t i = 0; i < n; i++) {
        char c = data[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != prefix[i]) return false;
    }
    return true;
}

static void print_last_error(void) {
    char why[512];
    if (cj_last_error(why, sizeof why) > 0) fprintf(stderr, ": %s", why);
    fputc('\n', stderr);
}

/* One Set-Cookie value, handed to the jar with the URL of the response it came in. */
static void store_cookie(struct hop *hop, const char *value, size_t len) {
    char *effective_url = NULL;
    char *copy;
    cj_status s;

    /* The jar takes NUL-terminated strings: a NUL inside the header would silently cut the
     * value short, so such a header is dropped (the jar would refuse it as a control
     * character anyway). */
    if (memchr(value, '\0', len) != NULL) {
        fprintf(stderr, "curl_jar: dropped a Set-Cookie header containing NUL\n");
        hop->refused++;
        return;
    }
    if (curl_easy_getinfo(hop->curl, CURLINFO_EFFECTIVE_URL, &effective_url) != CURLE_OK ||
        effective_url == NULL) {
        fprintf(stderr, "curl_jar: no effective URL; Set-Cookie ignored\n");
        hop->refused++;
        return;
    }
    copy = malloc(len + 1);
    if (copy == NULL) {
        fprintf(stderr, "curl_jar: out of memory\n");
        hop->refused++;
        return;
    }
    memcpy(copy, value, len);
    copy[len] = '\0';

    s = cj_jar_set_cookie(hop->jar, effective_url, copy, -1);
    if (s == CJ_STATUS_OK) {
        if (hop->verbose) fprintf(stderr, "< Set-Cookie: %s  [accepted]\n", copy);
    } else {
        hop->refused++;
        if (hop->verbose) {
            fprintf(stderr, "< Set-Cookie: %s  [refused: %s]", copy, cj_status_name(s));
            print_last_error();
        }
    }
    free(copy);
}

/* CURLOPT_HEADERFUNCTION: called once per header line, status line included, CRLF included. */
static size_t on_header(char *data, size_t size, size_t nitems, void *user_data) {
    struct hop *hop = user_data;
    size_t len = size * nitems;
    size_t start;
    size_t end = len;

    if (starts_with_ci(data, len, "http/")) {
        /* "HTTP/1.1 302 Found": a new response begins (after a 1xx, the real one). */
        const char *sp = memchr(data, ' ', len);
        hop->status = sp != NULL ? strtol(sp + 1, NULL, 10) : 0;
        hop->interim = hop->status >= 100 && hop->status < 200;
        return len;
    }
    if (hop->interim || !starts_with_ci(data, len, "set-cookie:")) return len;

    start = strlen("set-cookie:");
    while (start < end && (data[start] == ' ' || data[start] == '\t')) start++;
    while (end > start && (data[end - 1] == '\r' || data[end - 1] == '\n' ||
                           data[end - 1] == ' ' || data[end - 1] == '\t')) {
        end--;
    }
    store_cookie(hop, data + start, end - start);
    return len;
}

/* CURLOPT_WRITEFUNCTION: the body of a final response goes to stdout. */
static size_t on_body(char *data, size_t size, size_t nmemb, void *user_data) {
    struct hop *hop = user_data;
    size_t len = size * nmemb;
    if (is_redirect(hop->status)) return len;
    return fwrite(data, 1, len, stdout);
}

static char *copy_string(const char *s) {
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d != NULL) memcpy(d, s, n);
    return d;
}

/*
 * Fetches one URL, following redirects by hand: every hop gets the Cookie header of its own
 * URL, computed after the previous hop's Set-Cookie headers were stored. Returns 0 or 1.
 */
static int fetch(struct hop *hop, const char *start_url, long max_redirs) {
    char errbuf[CURL_ERROR_SIZE];
    char *url = copy_string(start_url);

    for (long hops = 0; url != NULL; hops++) {
        char *cookie = NULL;
        char *location = NULL;
        CURLcode rc;
        cj_status s = cj_jar_cookie_header(hop->jar, url, -1, &cookie);

        if (s != CJ_STATUS_OK) {
            /* Not an http(s)/ws(s) URL with a host: libcurl would not get far either. */
            fprintf(stderr, "curl_jar: %s: %s", url, cj_status_name(s));
            print_last_error();
            free(url);
            return 1;
        }
        if (hop->verbose) {
            fprintf(stderr, "> GET %s\n", url);
            if (cookie != NULL) fprintf(stderr, "> Cookie: %s\n", cookie);
        }
        curl_easy_setopt(hop->curl, CURLOPT_URL, url);
        /* libcurl copies the string; NULL removes the previous hop's header. */
        curl_easy_setopt(hop->curl, CURLOPT_COOKIE, cookie);
        cj_string_free(cookie);

        errbuf[0] = '\0';
        curl_easy_setopt(hop->curl, CURLOPT_ERRORBUFFER, errbuf);
        hop->status = 0;
        hop->interim = false;
        rc = curl_easy_perform(hop->curl);
        if (rc != CURLE_OK) {
            fprintf(stderr, "curl_jar: %s: %s\n", url, errbuf[0] ? errbuf : curl_easy_strerror(rc));
            free(url);
            return 1;
        }
        curl_easy_getinfo(hop->curl, CURLINFO_RESPONSE_CODE, &hop->status);
        if (hop->verbose) fprintf(stderr, "< HTTP %ld\n", hop->status);

        /* libcurl resolves a relative Location against the URL for us, without following. */
        if (!is_redirect(hop->status) ||
            curl_easy_getinfo(hop->curl, CURLINFO_REDIRECT_URL, &location) != CURLE_OK ||
            location == NULL) {
            free(url);
            return 0;
        }
        if (hops >= max_redirs) {
            fprintf(stderr, "curl_jar: %s: more than %ld redirects\n", start_url, max_redirs);
            free(url);
            return 1;
        }
        free(url);
        url = copy_string(location);
    }
    fprintf(stderr, "curl_jar: out of memory\n");
    return 1;
}

static int usage(void) {
    fprintf(stderr, "usage: curl_jar [-v] [--resolve HOST:PORT:ADDRESS]... [--max-redirs N] "
                    "[--max-time SECONDS] JAR_FILE URL...\n");
    return 2;
}

int main(int argc, char **argv) {
    struct hop hop;
    struct curl_slist *resolve = NULL;
    long max_redirs = 20;
    long max_time = 60;
    const char *jar_path = NULL;
    int first_url = 0;
    int failed = 0;
    cj_status s;
    char agent[64];

    memset(&hop, 0, sizeof hop);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0) {
            hop.verbose = true;
        } else if (strcmp(argv[i], "--resolve") == 0 && i + 1 < argc) {
            struct curl_slist *more = curl_slist_append(resolve, argv[++i]);
            if (more == NULL) return usage();
            resolve = more;
        } else if (strcmp(argv[i], "--max-redirs") == 0 && i + 1 < argc) {
            max_redirs = strtol(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--max-time") == 0 && i + 1 < argc) {
            max_time = strtol(argv[++i], NULL, 10);
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            curl_slist_free_all(resolve);
            return usage();
        } else {
            jar_path = argv[i];
            first_url = i + 1;
            break;
        }
    }
    if (jar_path == NULL || first_url >= argc || max_redirs < 0 || max_time < 0) {
        curl_slist_free_all(resolve);
        return usage();
    }

    s = cj_jar_open(jar_path, &hop.jar);
    if (s != CJ_STATUS_OK) {
        fprintf(stderr, "curl_jar: cannot open the jar %s: %s", jar_path, cj_status_name(s));
        print_last_error();
        curl_slist_free_all(resolve);
        return 3;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
        (hop.curl = curl_easy_init()) == NULL) {
        fprintf(stderr, "curl_jar: cannot initialise libcurl\n");
        cj_jar_free(hop.jar);
        curl_slist_free_all(resolve);
        return 1;
    }

    snprintf(agent, sizeof agent, "curl_jar cookiejar/%s", cj_version());
    curl_easy_setopt(hop.curl, CURLOPT_USERAGENT, agent);
    /* Redirects are followed by fetch(), never by libcurl, and libcurl's cookie engine stays
     * off (no CURLOPT_COOKIEFILE / CURLOPT_COOKIEJAR): the jar is the only cookie store. */
    curl_easy_setopt(hop.curl, CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500 /* 7.85.0 */
    curl_easy_setopt(hop.curl, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(hop.curl, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(hop.curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(hop.curl, CURLOPT_HEADERDATA, &hop);
    curl_easy_setopt(hop.curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(hop.curl, CURLOPT_WRITEDATA, &hop);
    curl_easy_setopt(hop.curl, CURLOPT_TIMEOUT, max_time);
    if (resolve != NULL) curl_easy_setopt(hop.curl, CURLOPT_RESOLVE, resolve);

    for (int i = first_url; i < argc; i++) failed |= fetch(&hop, argv[i], max_redirs);
    fflush(stdout);

    curl_easy_cleanup(hop.curl);
    curl_slist_free_all(resolve);
    curl_global_cleanup();

    /* Every change is already in the file (a crash loses nothing); flush makes it survive a
     * power cut too. */
    s = cj_jar_flush(hop.jar);
    if (s != CJ_STATUS_OK) {
        fprintf(stderr, "curl_jar: flushing %s: %s", jar_path, cj_status_name(s));
        print_last_error();
        failed = 3;
    }
    cj_jar_free(hop.jar);
    if (hop.verbose && hop.refused > 0) {
        fprintf(stderr, "* %zu Set-Cookie header(s) refused\n", hop.refused);
    }
    return failed;
}
