/* The summary's "What they left" section and its first sign of compromise (left.h): the
 * files the sweep found on disk that carry a finding, one entry per file, backdoors first.
 *
 * A file's entry gathers every kept finding about it (the file subject of a finding of kind
 * "file", and the tie EXS-LINK-SHELL that names it; for a shell gone from disk, the tie and
 * the finding of its removal): the worst verdict, the rules, its SHA-256, when it was written
 * (the Sysmon creation the tie found, else the file's own modification time) and the
 * requests made to it. Every string is the evidence's and is
 * escaped for the terminal; entries wrap under their path so that no fact is cut at a width.
 */
#include "report/left.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/escape.h"
#include "core/limits.h"
#include "core/strmap.h"
#include "core/timeparse.h"
#include "report/render.h"

#define SHOW 20    /* entries listed; the rest are counted */
#define RULES XS_LEFT_RULES

typedef xs_left_entry entry;


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

/* An entry's key in the index: "root|path" (a path holds any byte but NUL). */
static char *key_of(uint32_t root, const char *path)
{
    size_t n = strlen(path) + 16;
    char *k = malloc(n);
    if (k)
        snprintf(k, n, "%u|%s", (unsigned)root, path);
    return k;
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

void xs_left_facts_of(const xs_left_entry *e, xs_left_facts *k)
{
    memset(k, 0, sizeof *k);
    if (e->link) {
        k->created = exs_finding_fact(e->link, "created");
        k->created_by = exs_finding_fact(e->link, "created_by");
    }
    const exs_finding *s = e->served;
    k->requests = s ? exs_finding_fact(s, "requests") : NULL;
    if (!k->requests || strcmp(k->requests, "0") == 0) {
        k->requests = NULL;
        return;
    }
    k->answered = exs_finding_fact(s, "requests_answered");
    k->first = exs_finding_fact(s, "requests_first");
    k->last = exs_finding_fact(s, "requests_last");
    if (!k->first || (k->last && strcmp(k->first, k->last) == 0))
        k->last = NULL;
    k->clients = exs_finding_fact(s, "requests_clients");
}

/* Escaped, wrapped under column 24 (the facts' column): no fact is cut. */
static void wr(FILE *o, const char *s, size_t *col)
{
    xs_render_wrap(o, s ? s : "-", 24, col);
}

static void print_entry(FILE *o, const exs_results *r, const entry *e, bool color)
{
    const exs_sweep_info *sw = exs_results_sweep(r);
    const char *c = e->worst == EXS_VERDICT_EXPLOITATION ? "\033[1;31m" : "\033[1;33m";
    fprintf(o, "  %s%-12s%s ", color ? c : "", exs_verdict_name(e->worst), color ? "\033[0m" : "");
    size_t col = 15;
    if (sw->nroots > 1 && e->root < sw->nroots) {
        xs_render_wrap(o, sw->roots[e->root].label, 15, &col);
        xs_render_wrap(o, "/", 15, &col);
    }
    xs_render_wrap(o, e->path, 15, &col);
    fputs("\n               ", o);
    col = 15;
    xs_render_wrap(o, e->first->rule->name, 15, &col);
    fputs("\n               rules    ", o);
    col = 24;
    for (size_t i = 0; i < e->nrules && i < RULES; i++) {
        wr(o, i ? ", " : "", &col);
        wr(o, e->rules[i], &col);
    }
    if (e->nrules > RULES) {
        char more[32];
        snprintf(more, sizeof more, ", +%zu", e->nrules - RULES);
        wr(o, more, &col);
    }
    fputc('\n', o);
    if (e->sha256) {
        fputs("               sha256   ", o);
        col = 24;
        wr(o, e->sha256, &col);
        fputc('\n', o);
    }
    xs_left_facts k;
    xs_left_facts_of(e, &k);
    if (k.created || xs_time_formattable(e->mtime_ms)) {
        fputs("               written  ", o);
        col = 24;
        if (k.created) {
            if (k.created_by)
                xs_render_wrapv(o, 24, &col, k.created, " by ", k.created_by, (const char *)NULL);
            else
                wr(o, k.created, &col);
        } else {
            minute(o, e->mtime_ms);
            col += 16;
            wr(o, " (the file's modification time)", &col);
        }
        fputc('\n', o);
    }
    if (k.requests) {
        fputs("               used     ", o);
        col = 24;
        wr(o, k.requests, &col);
        wr(o, strcmp(k.requests, "1") == 0 ? " request" : " requests", &col);
        if (k.answered)
            xs_render_wrapv(o, 24, &col, ", ", k.answered, " answered with success",
                            (const char *)NULL);
        if (k.first)
            xs_render_wrapv(o, 24, &col, ", ", k.first, k.last ? " to " : "", k.last ? k.last : "",
                            (const char *)NULL);
        if (k.clients) {
            fputs("\n               clients  ", o);
            col = 24;
            wr(o, k.clients, &col);
        }
        fputc('\n', o);
    } else if (e->first->file && e->first->file->url) {
        fputs("               served   as ", o);
        col = 27;
        wr(o, e->first->file->url, &col);
        wr(o, ", no request to it in the logs read", &col);
        fputc('\n', o);
    }
}

static bool grow_entries(entry **e, size_t *cap)
{
    size_t nc = *cap ? *cap * 2 : 16;
    entry *g = realloc(*e, nc * sizeof *g);
    if (!g)
        return false;
    *e = g;
    *cap = nc;
    return true;
}

bool xs_left_collect(const exs_results *r, xs_left_entry **out, size_t *count)
{
    size_t n;
    const exs_finding *f = exs_results_findings(r, &n);
    entry *e = NULL;
    size_t ne = 0, cap = 0;
    xs_strmap *index = xs_strmap_create(); /* "root|path" -> entry index + 1 */
    if (!index) {
        *out = NULL;
        *count = 0;
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const exs_finding *x = &f[i];
        bool link = strcmp(x->rule->id, "EXS-LINK-SHELL") == 0 && x->file && x->file->path;
        if (!on_disk(x) && !link)
            continue;
        if (x->verdict < EXS_VERDICT_SUSPICIOUS)
            continue;
        char *key = key_of(x->origin.root, x->file->path);
        size_t at = key ? (size_t)(uintptr_t)xs_strmap_get(index, key) : 0;
        entry *k = at ? &e[at - 1] : NULL;
        if (!k) {
            if (!key || (ne == cap && !grow_entries(&e, &cap)) ||
                !xs_strmap_put(index, key, (void *)(uintptr_t)(ne + 1), NULL)) {
                free(key);
                free(e);
                xs_strmap_destroy(index);
                *out = NULL;
                *count = 0;
                return false;
            }
            k = &e[ne++];
            memset(k, 0, sizeof *k);
            k->root = x->origin.root;
            k->path = x->file->path;
            k->mtime_ms = EXS_TIME_NONE;
        }
        free(key);
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
    /* a tie without a file finding of its own (the file is gone, and the tie names it by the
     * path of its creation): the finding of its removal (a URL, no path) says what it is, or
     * else the tie's own words and id */
    for (size_t i = 0; i < n; i++) {
        const exs_finding *x = &f[i];
        if (strcmp(x->rule->id, "EXS-FILE-WS-REMOVED") != 0 || !x->file || !x->file->url ||
            x->verdict < EXS_VERDICT_SUSPICIOUS)
            continue;
        for (size_t j = 0; j < ne; j++) {
            entry *k = &e[j];
            if (k->first || !k->link || k->root != x->origin.root || !k->link->file->url ||
                strcmp(k->link->file->url, x->file->url) != 0)
                continue;
            k->first = x;
            add_rule(k, x->rule->id);
            if (x->verdict > k->worst)
                k->worst = x->verdict;
            k->backdoor |= x->rule->backdoor;
            break;
        }
    }
    xs_strmap_destroy(index);
    size_t kept = 0;
    for (size_t i = 0; i < ne; i++) {
        if (!e[i].first && e[i].link) {
            e[i].first = e[i].link;
            add_rule(&e[i], e[i].link->rule->id);
        }
        if (e[i].first)
            e[kept++] = e[i];
    }
    ne = kept;
    if (ne > 1)
        qsort(e, ne, sizeof *e, entry_cmp);
    if (ne == 0) {
        free(e);
        e = NULL;
    }
    *out = e;
    *count = ne;
    return true;
}

bool xs_report_left(FILE *o, const exs_results *r, bool color)
{
    entry *e;
    size_t ne;
    if (!xs_left_collect(r, &e, &ne))
        return false;
    if (ne == 0)
        return true;
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

const exs_finding *xs_left_first_sign(const exs_results *r)
{
    size_t n;
    const exs_finding *f = exs_results_findings(r, &n);
    /* findings are in time order, unknown times last: the first exploitation with a time */
    for (size_t i = 0; i < n; i++)
        if (f[i].verdict == EXS_VERDICT_EXPLOITATION && xs_time_formattable(f[i].time_ms))
            return &f[i];
    return NULL;
}

void xs_report_first_sign(FILE *o, const exs_results *r)
{
    const exs_finding *f = xs_left_first_sign(r);
    if (!f)
        return;
    char t[32];
    xs_time_format(f->time_ms, t);
    t[10] = ' ';
    t[19] = 0;
    fprintf(o, "  first sign of compromise: %s UTC, ", t);
    size_t c = 53;
    char where[XS_MAX_WHERE];
    bool from = f->http && f->http->client;
    /* the rule's id and name: a saved sweep's, from a file: escaped */
    xs_render_wrapv(o, 6, &c, f->rule->id, ": ", f->rule->name, from ? ", from " : "",
                    from ? f->http->client : "", (const char *)NULL);
    xs_render_where(r, f, true, where, sizeof where);
    fputs("\n      in ", o);
    c = 9;
    xs_render_wrap(o, where, 9, &c);
    fputc('\n', o);
}
