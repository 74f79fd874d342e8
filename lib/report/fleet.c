/* The fleet view (fleet.h). */
#include "report/fleet.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/timeparse.h"

#define SHARED_SHOW 10 /* addresses and files listed as shared; the rest counted */
#define ROOTS_SHOW 6   /* root labels named per shared address or file */

typedef struct row {
    exs_verdict worst;
    int64_t first_ms; /* first exploitation */
    uint64_t findings;
} row;

/* A value (address, hash) and the roots it was seen on, sorted by value then root. */
typedef struct seen {
    const char *value;
    const char *path; /* for files: the first path */
    uint32_t root;
} seen;

static int seen_cmp(const void *x, const void *y)
{
    const seen *a = x, *b = y;
    int c = strcmp(a->value, b->value);
    return c ? c : a->root < b->root ? -1 : a->root > b->root;
}

static void term(FILE *o, const char *s, size_t max)
{
    xs_esc_term(o, s ? s : "-", s ? strlen(s) : 1, max);
}

static void pad(FILE *o, const char *s, size_t w)
{
    size_t n = xs_esc_term(o, s ? s : "-", s ? strlen(s) : 1, w);
    for (; n < w; n++)
        fputc(' ', o);
}

static const char *verdict_word(exs_verdict v)
{
    switch (v) {
    case EXS_VERDICT_EXPLOITATION: return "COMPROMISED";
    case EXS_VERDICT_SUSPICIOUS: return "SUSPICIOUS";
    case EXS_VERDICT_ATTEMPT: return "ATTACKED";
    case EXS_VERDICT_PROBE: return "PROBED";
    }
    return "NO FINDINGS";
}

/* The values of s[0..n) (sorted) seen on two roots or more. */
static void shared(FILE *o, const exs_results *r, seen *s, size_t n, const char *what)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    qsort(s, n, sizeof *s, seen_cmp);
    size_t listed = 0, more = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i, roots = 0;
        for (; j < n && strcmp(s[j].value, s[i].value) == 0; j++)
            roots += j == i || s[j].root != s[j - 1].root;
        if (roots > 1) {
            if (listed++ < SHARED_SHOW) {
                fprintf(o, "  %s ", what);
                term(o, s[i].value, 0);
                if (s[i].path) {
                    fputs(" (", o);
                    term(o, s[i].path, 0);
                    fputc(')', o);
                }
                fprintf(o, " on %zu servers:", roots);
                size_t named = 0;
                for (size_t k = i; k < j; k++) {
                    if (k > i && s[k].root == s[k - 1].root)
                        continue;
                    if (named++ == ROOTS_SHOW) {
                        fprintf(o, " +%zu", roots - ROOTS_SHOW);
                        break;
                    }
                    fputc(' ', o);
                    term(o, s[k].root < sw->nroots ? sw->roots[s[k].root].label : "?", 40);
                }
                fputc('\n', o);
            } else {
                more++;
            }
        }
        i = j;
    }
    if (more)
        fprintf(o, "  ... and %zu more %ss on several servers\n", more, what);
}

bool xs_report_fleet(FILE *o, const exs_results *r, bool color)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    if (sw->nroots < 2)
        return true;
    size_t n;
    const exs_finding *f = exs_results_findings(r, &n);
    row *rows = calloc(sw->nroots, sizeof *rows);
    seen *ips = malloc((n ? n : 1) * sizeof *ips), *files = malloc((n ? n : 1) * sizeof *files);
    if (!rows || !ips || !files) {
        free(rows);
        free(ips);
        free(files);
        return false;
    }
    size_t nips = 0, nfiles = 0;
    for (size_t i = 0; i < sw->nroots; i++)
        rows[i].first_ms = EXS_TIME_NONE;
    for (size_t i = 0; i < n; i++) {
        uint32_t root = f[i].origin.root;
        if (root >= sw->nroots)
            continue;
        row *w = &rows[root];
        w->findings++;
        if (f[i].verdict > w->worst)
            w->worst = f[i].verdict;
        if (f[i].verdict == EXS_VERDICT_EXPLOITATION && f[i].time_ms != EXS_TIME_NONE &&
            (w->first_ms == EXS_TIME_NONE || f[i].time_ms < w->first_ms))
            w->first_ms = f[i].time_ms;
        /* attackers: clients of findings of attempt or worse (probes are the internet's
         * background; back-end rows name an Exchange server, not a client) */
        if (f[i].http && f[i].http->client && *f[i].http->client && !f[i].http->backend &&
            f[i].verdict >= EXS_VERDICT_ATTEMPT)
            ips[nips++] = (seen){f[i].http->client, NULL, root};
        if (f[i].file && f[i].file->sha256 && strcmp(f[i].origin.kind, "file") == 0 &&
            f[i].verdict >= EXS_VERDICT_SUSPICIOUS)
            files[nfiles++] = (seen){f[i].file->sha256, f[i].file->path, root};
    }
    size_t nsv;
    const exs_server *sv = exs_results_servers(r, &nsv);
    fprintf(o, "\n%sFleet%s: %zu servers\n", color ? "\033[1m" : "", color ? "\033[0m" : "",
            sw->nroots);
    fprintf(o, "  %-24s %-12s %-13s %-17s %8s\n", "server", "verdict", "build",
            "first compromise", "findings");
    for (size_t i = 0; i < sw->nroots; i++) {
        const char *build = NULL;
        for (size_t k = 0; k < nsv; k++)
            if (sv[k].root == i && *sv[k].build)
                build = sv[k].build;
        fputs("  ", o);
        pad(o, sw->roots[i].label, 24);
        fputc(' ', o);
        pad(o, verdict_word(rows[i].worst), 12);
        fputc(' ', o);
        pad(o, build, 13);
        fputc(' ', o);
        char t[32] = "-";
        if (xs_time_formattable(rows[i].first_ms)) {
            xs_time_format(rows[i].first_ms, t);
            t[10] = ' ';
            t[16] = 0;
        }
        fprintf(o, "%-17s %8" PRIu64 "\n", t, rows[i].findings);
    }
    shared(o, r, ips, nips, "address");
    shared(o, r, files, nfiles, "file");
    free(rows);
    free(ips);
    free(files);
    return true;
}
