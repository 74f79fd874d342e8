/* The fleet view (fleet.h). */
#include "report/fleet.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/timeparse.h"
#include "report/render.h"

#define SHARED_SHOW 10 /* addresses and files listed as shared; the rest counted */

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
    if (c)
        return c;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    /* the same value on the same root: the first path, whatever qsort's order */
    return strcmp(a->path ? a->path : "", b->path ? b->path : "");
}


static void pad(FILE *o, const char *s, size_t w)
{
    size_t n = xs_esc_term(o, s ? s : "-", s ? strlen(s) : 1, w);
    for (; n < w; n++)
        fputc(' ', o);
}


/* The values of s[0..n) (sorted by seen_cmp) seen on two roots or more, into *out. */
static bool shared_of(seen *s, size_t n, xs_fleet_shared **out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    size_t cap = 0;
    qsort(s, n, sizeof *s, seen_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i, roots = 0;
        for (; j < n && strcmp(s[j].value, s[i].value) == 0; j++)
            roots += j == i || s[j].root != s[j - 1].root;
        if (roots > 1) {
            if (*nout == cap) {
                size_t nc = cap ? cap * 2 : 16;
                xs_fleet_shared *g = realloc(*out, nc * sizeof *g);
                if (!g) {
                    free(*out);
                    *out = NULL;
                    *nout = 0;
                    return false;
                }
                *out = g;
                cap = nc;
            }
            xs_fleet_shared *x = &(*out)[(*nout)++];
            memset(x, 0, sizeof *x);
            x->value = s[i].value;
            x->path = s[i].path;
            x->nroots = roots;
            for (size_t k = i; k < j && x->named < XS_FLEET_ROOTS_NAMED; k++)
                if (k == i || s[k].root != s[k - 1].root)
                    x->roots[x->named++] = s[k].root;
        }
        i = j;
    }
    return true;
}

bool xs_fleet_collect(const exs_results *r, xs_fleet *out)
{
    memset(out, 0, sizeof *out);
    const exs_sweep_info *sw = exs_results_sweep(r);
    if (sw->nroots < 2)
        return true;
    size_t n;
    const exs_finding *f = exs_results_findings(r, &n);
    xs_fleet_row *rows = calloc(sw->nroots, sizeof *rows);
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
        xs_fleet_row *w = &rows[root];
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
    for (size_t k = 0; k < nsv; k++)
        if (sv[k].root < sw->nroots && *sv[k].build)
            rows[sv[k].root].build = sv[k].build;
    out->nroots = sw->nroots;
    out->rows = rows;
    bool ok = shared_of(ips, nips, &out->addrs, &out->naddrs) &&
              shared_of(files, nfiles, &out->files, &out->nfiles);
    free(ips);
    free(files);
    if (!ok)
        xs_fleet_free(out);
    return ok;
}

void xs_fleet_free(xs_fleet *x)
{
    free(x->rows);
    free(x->addrs);
    free(x->files);
    memset(x, 0, sizeof *x);
}

const char *xs_fleet_verdict_word(exs_verdict v)
{
    switch (v) {
    case EXS_VERDICT_EXPLOITATION: return "COMPROMISED";
    case EXS_VERDICT_SUSPICIOUS: return "SUSPICIOUS";
    case EXS_VERDICT_ATTEMPT: return "ATTACKED";
    case EXS_VERDICT_PROBE: return "PROBED";
    }
    return "NO FINDINGS";
}

static void print_shared(FILE *o, const exs_results *r, const xs_fleet_shared *s, size_t n,
                         const char *what)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    for (size_t i = 0; i < n && i < SHARED_SHOW; i++) {
        size_t c = 3 + strlen(what);
        fprintf(o, "  %s ", what);
        xs_render_wrap(o, s[i].value, 6, &c);
        if (s[i].path) {
            if (c + 3 + strlen(s[i].path) > XS_TEXT_WIDTH) { /* the path starts a line */
                fputs("\n      (", o);
                c = 7;
            } else {
                fputs(" (", o);
                c += 2;
            }
            xs_render_wrap(o, s[i].path, 6, &c);
            xs_render_wrap(o, ")", 6, &c);
        }
        char on[48];
        snprintf(on, sizeof on, " on %zu servers:", s[i].nroots);
        xs_render_wrap(o, on, 6, &c);
        for (size_t k = 0; k < s[i].named; k++) {
            xs_render_wrap(o, " ", 6, &c);
            xs_render_wrap(o, s[i].roots[k] < sw->nroots ? sw->roots[s[i].roots[k]].label : "?", 6,
                           &c);
        }
        if (s[i].nroots > s[i].named) {
            snprintf(on, sizeof on, " +%zu", s[i].nroots - s[i].named);
            xs_render_wrap(o, on, 6, &c);
        }
        fputc('\n', o);
    }
    if (n > SHARED_SHOW)
        fprintf(o, "  ... and %zu more %ss on several servers\n", n - SHARED_SHOW, what);
}

bool xs_report_fleet(FILE *o, const exs_results *r, bool color)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    if (sw->nroots < 2)
        return true;
    xs_fleet fl;
    if (!xs_fleet_collect(r, &fl))
        return false;
    fprintf(o, "\n%sFleet%s: %zu servers\n", color ? "\033[1m" : "", color ? "\033[0m" : "",
            sw->nroots);
    fprintf(o, "  %-24s %-12s %-13s %-17s %8s\n", "server", "verdict", "build",
            "first compromise", "findings");
    for (size_t i = 0; i < sw->nroots; i++) {
        const xs_fleet_row *w = &fl.rows[i];
        fputs("  ", o);
        pad(o, sw->roots[i].label, 24);
        fputc(' ', o);
        pad(o, xs_fleet_verdict_word(w->worst), 12);
        fputc(' ', o);
        pad(o, w->build, 13);
        fputc(' ', o);
        char t[32] = "-";
        if (xs_time_formattable(w->first_ms)) {
            xs_time_format(w->first_ms, t);
            t[10] = ' ';
            t[16] = 0;
        }
        fprintf(o, "%-17s %8" PRIu64 "\n", t, w->findings);
    }
    print_shared(o, r, fl.addrs, fl.naddrs, "address");
    print_shared(o, r, fl.files, fl.nfiles, "file");
    xs_fleet_free(&fl);
    return true;
}
