/* exsfind: the exact-assertion view of a scan, for tests.
 *
 *   exsfind [-w] [-i] [-j N] PATH...
 *
 * Runs a scan through the public API (and one internal switch, --no-prefilter) and prints
 * one line per finding:
 *
 *   rule_id <TAB> verdict <TAB> client_ip <TAB> time <TAB> file:line
 *
 * time is ISO-8601 UTC with milliseconds ("2021-03-03T06:49:42.162Z"), "-" when unknown;
 * client_ip is "-" when absent. Tabs, line breaks, backslashes and other control bytes in
 * the values are escaped (\t \n \r \\ \xNN), so a line is always one finding. Lines are sorted
 * (byte order), so the output does not depend on the number of threads.
 *
 *   -w     then one line per warning kind with a non-zero count: "warning <TAB> kind <TAB> n"
 *   -i     then one line per recognised Exchange install root: "install-root <TAB> path"
 *   -j N   worker threads (default: one per CPU)
 *   --no-prefilter  every log line is a candidate (the scan's internal switch): the same
 *          findings as without it are the prefilter's promise (tests/e2e/prefilter-off.sh)
 *
 * Exit status: 0 when the scan ran (with or without findings), 2 on usage or scan errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>
#include <time.h>
#include <unistd.h>

#include "exsweep/exsweep.h"
#include "scan/scan_int.h"

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static int put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 256;
        while (nc < b->n + n + 1)
            nc *= 2;
        char *p = realloc(b->p, nc);
        if (!p)
            return -1;
        b->p = p;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
    return 0;
}

static int put_esc(buf *b, const char *s)
{
    if (!s || !*s)
        return put(b, "-", 1);
    for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
        char e[8];
        int r;
        switch (*u) {
        case '\t':
            r = put(b, "\\t", 2);
            break;
        case '\n':
            r = put(b, "\\n", 2);
            break;
        case '\r':
            r = put(b, "\\r", 2);
            break;
        case '\\':
            r = put(b, "\\\\", 2);
            break;
        default:
            if (*u < 0x20 || *u == 0x7f) {
                snprintf(e, sizeof e, "\\x%02x", *u);
                r = put(b, e, 4);
            } else {
                r = put(b, (const char *)u, 1);
            }
        }
        if (r)
            return r;
    }
    return 0;
}

static void iso_time(int64_t ms, char out[64])
{
    if (ms == EXS_TIME_NONE) {
        snprintf(out, 64, "-");
        return;
    }
    int64_t s = ms / 1000, m = ms % 1000;
    if (m < 0) {
        m += 1000;
        s--;
    }
    time_t t = (time_t)s;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(out, 64, "-");
        return;
    }
    snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)m);
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void usage(FILE *f)
{
    fputs("usage: exsfind [-w] [-i] [-j N] [--no-prefilter] PATH...\n", f);
}

int main(int argc, char **argv)
{
    int warnings = 0, roots = 0, no_prefilter = 0, c;
    exs_scan_opts so = {0};
    static const struct option longopts[] = {{"no-prefilter", no_argument, NULL, 'P'},
                                             {NULL, 0, NULL, 0}};
    while ((c = getopt_long(argc, argv, "wij:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'P':
            no_prefilter = 1;
            break;
        case 'w':
            warnings = 1;
            break;
        case 'i':
            roots = 1;
            break;
        case 'j':
            so.jobs = (unsigned)strtoul(optarg, NULL, 10);
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    exs_scan *s = NULL;
    exs_rc rc = exs_scan_create(&s, &so);
    if (rc != EXS_OK) {
        fprintf(stderr, "exsfind: %s\n", exs_strerror(rc));
        return 2;
    }
    s->no_prefilter = no_prefilter;
    int status = 2;
    char **lines = NULL;
    size_t n = 0;
    for (int i = optind; i < argc; i++) {
        rc = exs_scan_add_root(s, argv[i]);
        if (rc != EXS_OK) {
            fprintf(stderr, "exsfind: %s: %s\n", argv[i], exs_strerror(rc));
            goto out;
        }
    }
    rc = exs_scan_run(s);
    if (rc != EXS_OK) {
        fprintf(stderr, "exsfind: %s\n", exs_strerror(rc));
        goto out;
    }
    const exs_results *res = exs_scan_results(s);
    const exs_sweep_info *sw = exs_results_sweep(res);
    const exs_finding *f = exs_results_findings(res, &n);
    lines = calloc(n ? n : 1, sizeof *lines);
    if (!lines)
        goto out;
    for (size_t i = 0; i < n; i++) {
        buf b = {0};
        char t[64], ln[32];
        iso_time(f[i].time_ms, t);
        /* the line, or the record of an event log (the one place a finding is) */
        snprintf(ln, sizeof ln, ":%llu",
                 (unsigned long long)(f[i].origin.line ? f[i].origin.line : f[i].origin.record));
        int bad = put_esc(&b, f[i].rule->id) || put(&b, "\t", 1) ||
                  put_esc(&b, exs_verdict_name(f[i].verdict)) || put(&b, "\t", 1) ||
                  put_esc(&b, f[i].http ? f[i].http->client : NULL) || put(&b, "\t", 1) ||
                  put(&b, t, strlen(t)) || put(&b, "\t", 1);
        if (!bad && sw->nroots > 1)
            bad = put_esc(&b, sw->roots[f[i].origin.root].label) || put(&b, "/", 1);
        bad = bad || put_esc(&b, f[i].origin.path);
        for (size_t k = 0; !bad && k < f[i].origin.nmembers; k++)
            bad = put(&b, "!/", 2) || put_esc(&b, f[i].origin.members[k]);
        if (bad || put(&b, ln, strlen(ln))) {
            free(b.p);
            goto out;
        }
        lines[i] = b.p;
    }
    qsort(lines, n, sizeof *lines, cmp_line);
    for (size_t i = 0; i < n; i++)
        puts(lines[i]);
    if (warnings) {
        size_t nw;
        const exs_warning_count *w = exs_results_warning_counts(res, &nw);
        for (size_t i = 0; i < nw; i++)
            if (w[i].count)
                printf("warning\t%s\t%llu\n", w[i].kind, (unsigned long long)w[i].count);
    }
    if (roots) {
        size_t nr;
        const char *const *r = exs_results_install_roots(res, &nr);
        for (size_t i = 0; i < nr; i++) {
            buf b = {0};
            if (put_esc(&b, r[i]))
                goto out;
            printf("install-root\t%s\n", b.p);
            free(b.p);
        }
    }
    status = fflush(stdout) == 0 && !ferror(stdout) ? 0 : 2;
out:
    if (lines)
        for (size_t i = 0; i < n; i++)
            free(lines[i]);
    free(lines);
    exs_scan_destroy(s);
    return status;
}
