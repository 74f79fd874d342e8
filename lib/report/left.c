/* The summary's "What they left" section and its first sign of compromise (left.h): the
 * files the sweep found on disk that carry a finding, one entry per file, backdoors first.
 *
 * A file's entry gathers every kept finding about it (the file subject of a finding of kind
 * "file", and the tie EXS-LINK-SHELL that names it): the worst verdict, the rules, its
 * SHA-256, when it was written (the Sysmon creation the tie found, else the file's own
 * modification time) and the requests made to it. Every string is the evidence's and is
 * escaped for the terminal; entries wrap under their path so that no fact is cut at a width.
 */
#include "report/left.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/limits.h"
#include "core/timeparse.h"
#include "report/render.h"

#define SHOW 20    /* entries listed; the rest are counted */
#define RULES 3    /* rule ids listed per entry; the rest are counted */

typedef struct entry {
    uint32_t root;
    const char *path;
    exs_verdict worst;
    bool backdoor;
    const exs_finding *first;  /* the heaviest finding about it, for its words */
    const exs_finding *link;   /* EXS-LINK-SHELL of it, or NULL */
    const exs_finding *served; /* a finding with its requests, or NULL */
    const char *sha256;
    int64_t mtime_ms;
    const char *rules[RULES];
    size_t nrules;
} entry;

static int entry_cmp(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->backdoor != b->backdoor)
        return a->backdoor ? -1 : 1;
    if (a->worst != b->worst)
        return a->worst > b->worst ? -1 : 1;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    return strcmp(a->path, b->path);
}

static bool on_disk(const exs_finding *f)
{
    return f->file && f->file->path && strcmp(f->origin.kind, "file") == 0;
}

static entry *find(entry *e, size_t n, uint32_t root, const char *path)
{
    for (size_t i = 0; i < n; i++) /* the entries are few: files with findings */
        if (e[i].root == root && strcmp(e[i].path, path) == 0)
            return &e[i];
    return NULL;
}

static void term(FILE *o, const char *s)
{
    if (s)
        xs_esc_term(o, s, strlen(s), 0);
}

static void minute(FILE *o, int64_t ms)
{
    char t[32];
    xs_time_format(ms, t);
    t[10] = ' ';
    t[16] = 0;
    fputs(t, o);
}

static void add_rule(entry *e, const char *id)
{
    for (size_t i = 0; i < e->nrules && i < RULES; i++)
        if (strcmp(e->rules[i], id) == 0)
            return;
    if (e->nrules < RULES)
        e->rules[e->nrules] = id;
    e->nrules++; /* past RULES: counted (an id seen twice past it is counted twice: "+N rules") */
}

static void print_entry(FILE *o, const exs_results *r, const entry *e, bool color)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    const char *c = e->worst == EXS_VERDICT_EXPLOITATION ? "\033[1;31m" : "\033[1;33m";
    fprintf(o, "  %s%-12s%s ", color ? c : "", exs_verdict_name(e->worst), color ? "\033[0m" : "");
    if (sw->nroots > 1 && e->root < sw->nroots) {
        term(o, sw->roots[e->root].label);
        fputc('/', o);
    }
    term(o, e->path);
    fputs("\n               ", o);
    term(o, e->first->rule->name);
    fputs("\n               rules    ", o);
    for (size_t i = 0; i < e->nrules && i < RULES; i++)
        fprintf(o, "%s%s", i ? ", " : "", e->rules[i]);
    if (e->nrules > RULES)
        fprintf(o, ", +%zu", e->nrules - RULES);
    fputc('\n', o);
    if (e->sha256) {
        fputs("               sha256   ", o);
        term(o, e->sha256);
        fputc('\n', o);
    }
    const char *created = e->link ? exs_finding_fact(e->link, "created") : NULL;
    const char *by = e->link ? exs_finding_fact(e->link, "created_by") : NULL;
    if (created || xs_time_formattable(e->mtime_ms)) {
        fputs("               written  ", o);
        if (created) {
            term(o, created);
            if (by) {
                fputs(" by ", o);
                term(o, by);
            }
        } else {
            minute(o, e->mtime_ms);
            fputs(" (the file's modification time)", o);
        }
        fputc('\n', o);
    }
    const exs_finding *s = e->served;
    const char *n = s ? exs_finding_fact(s, "requests") : NULL;
    if (n && strcmp(n, "0") == 0)
        n = NULL;
    if (n) {
        fputs("               used     ", o);
        term(o, n);
        fputs(strcmp(n, "1") == 0 ? " request" : " requests", o);
        const char *ok = exs_finding_fact(s, "requests_answered");
        if (ok) {
            fputs(", ", o);
            term(o, ok);
            fputs(" answered with success", o);
        }
        const char *a = exs_finding_fact(s, "requests_first"), *b = exs_finding_fact(s, "requests_last");
        if (a) {
            fputs(", ", o);
            term(o, a);
            if (b && strcmp(a, b) != 0) {
                fputs(" to ", o);
                term(o, b);
            }
        }
        const char *cl = exs_finding_fact(s, "requests_clients");
        if (cl) {
            fputs("\n               clients  ", o);
            term(o, cl);
        }
        fputc('\n', o);
    } else if (e->first->file && e->first->file->url) {
        fputs("               served   as ", o);
        term(o, e->first->file->url);
        fputs(", no request to it in the logs read\n", o);
    }
}

bool xs_report_left(FILE *o, const exs_results *r, bool color)
{
    size_t n;
    const exs_finding *f = exs_results_findings(r, &n);
    entry *e = NULL;
    size_t ne = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        const exs_finding *x = &f[i];
        bool link = strcmp(x->rule->id, "EXS-LINK-SHELL") == 0 && x->file && x->file->path;
        if (!on_disk(x) && !link)
            continue;
        if (x->verdict < EXS_VERDICT_SUSPICIOUS)
            continue;
        entry *k = find(e, ne, x->origin.root, x->file->path);
        if (!k) {
            if (ne == cap) {
                size_t nc = cap ? cap * 2 : 16;
                entry *g = realloc(e, nc * sizeof *g);
                if (!g) {
                    free(e);
                    return false;
                }
                e = g;
                cap = nc;
            }
            k = &e[ne++];
            memset(k, 0, sizeof *k);
            k->root = x->origin.root;
            k->path = x->file->path;
            k->mtime_ms = EXS_TIME_NONE;
        }
        if (link) {
            k->link = x;
        } else {
            if (!k->first || x->verdict > k->first->verdict ||
                (x->verdict == k->first->verdict && x->severity > k->first->severity))
                k->first = x; /* the heaviest: its rule's name says what the file is */
            add_rule(k, x->rule->id);
        }
        if (x->verdict > k->worst)
            k->worst = x->verdict;
        k->backdoor |= x->rule->backdoor;
        if (!k->sha256 && x->file->sha256)
            k->sha256 = x->file->sha256;
        if (k->mtime_ms == EXS_TIME_NONE)
            k->mtime_ms = x->file->mtime_ms;
        if (!k->served && exs_finding_fact(x, "requests"))
            k->served = x;
    }
    /* a tie without a file finding of its own (the file is gone): its words stand in */
    size_t kept = 0;
    for (size_t i = 0; i < ne; i++)
        if (e[i].first || (e[i].first = e[i].link) != NULL)
            e[kept++] = e[i];
    ne = kept;
    if (ne == 0) {
        free(e);
        return true;
    }
    qsort(e, ne, sizeof *e, entry_cmp);
    size_t back = 0;
    for (size_t i = 0; i < ne; i++)
        back += e[i].backdoor;
    fprintf(o, "\n%sWhat they left%s: %zu %s (%zu %s, %zu other %s)\n", color ? "\033[1m" : "",
            color ? "\033[0m" : "", ne, ne == 1 ? "file" : "files", back,
            back == 1 ? "backdoor" : "backdoors", ne - back, ne - back == 1 ? "artefact" : "artefacts");
    for (size_t i = 0; i < ne && i < SHOW; i++)
        print_entry(o, r, &e[i], color);
    if (ne > SHOW)
        fprintf(o, "  ... and %zu more files (every one is in -f jsonl, csv, timesketch)\n",
                ne - SHOW);
    free(e);
    return true;
}

void xs_report_first_sign(FILE *o, const exs_results *r)
{
    size_t n;
    const exs_finding *f = exs_results_findings(r, &n);
    /* findings are in time order, unknown times last: the first exploitation with a time */
    for (size_t i = 0; i < n; i++) {
        if (f[i].verdict != EXS_VERDICT_EXPLOITATION || !xs_time_formattable(f[i].time_ms))
            continue;
        char t[32];
        xs_time_format(f[i].time_ms, t);
        t[10] = ' ';
        t[19] = 0;
        fprintf(o, "  first sign of compromise: %s UTC, %s: ", t, f[i].rule->id);
        char where[XS_MAX_WHERE];
        term(o, f[i].rule->name);
        if (f[i].http && f[i].http->client) {
            fputs(", from ", o);
            term(o, f[i].http->client);
        }
        xs_render_where(r, &f[i], true, where, sizeof where);
        fputs("\n      in ", o);
        term(o, where);
        fputc('\n', o);
        return;
    }
}
