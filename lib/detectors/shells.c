/* After the workers: tie files to their use and report them.
 *
 *   1. Each file record gets the URL IIS serves it under: from the Exchange layout
 *      (lib/detectors/webfolders.c), else from the virtual directories read from
 *      applicationHost.config (longest physical-path match).
 *   2. The script requests the log readers kept (exs_access) are indexed by normalised path; a
 *      served file's findings carry the requests to its URL: count, first and last use,
 *      clients, methods, statuses.
 *   3. Requests answered with success to non-default scripts in the Exchange drop folders
 *      whose file is not on disk are removed shells, when the image holds that folder.
 *   4. Client addresses and hosts of findings and requests are matched with the IOC lists.
 *   5. Deferred verdicts: staging archives are reported only alongside evidence of compromise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/timeparse.h"
#include "detectors/internal.h"
#include "scan/files_int.h"

/* ---------------------------------------------------------------- request index */

typedef struct aidx {
    const char *path; /* the access event's norm */
    size_t ev;  /* index into s->access */
} aidx;

static int cmp_aidx(const void *pa, const void *pb)
{
    const aidx *a = pa, *b = pb;
    int r = strcmp(a->path, b->path);
    if (r)
        return r;
    return a->ev < b->ev ? -1 : a->ev > b->ev;
}

typedef struct index {
    aidx *v;
    size_t n;
} index_t;

static void index_build(exs_scan *s, index_t *ix)
{
    ix->v = calloc(s->naccess ? s->naccess : 1, sizeof *ix->v);
    ix->n = 0;
    if (!ix->v)
        return;
    for (size_t i = 0; i < s->naccess; i++)
        ix->v[ix->n++] = (aidx){s->access[i].norm, i};
    qsort(ix->v, ix->n, sizeof *ix->v, cmp_aidx);
}

static void index_free(index_t *ix)
{
    free(ix->v);
}

/* [*lo, *hi) of the entries for url. */
static void index_range(const index_t *ix, const char *url, size_t *lo, size_t *hi)
{
    size_t a = 0, b = ix->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (strcmp(ix->v[m].path, url) < 0)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    b = ix->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (strcmp(ix->v[m].path, url) <= 0)
            a = m + 1;
        else
            b = m;
    }
    *hi = a;
}

/* ---------------------------------------------------------------- summaries */

typedef struct tally {
    const char *key;
    unsigned n;
} tally;

static void tally_add(tally *t, size_t *n, size_t cap, const char *key)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(t[i].key, key) == 0) {
            t[i].n++;
            return;
        }
    if (*n < cap)
        t[(*n)++] = (tally){key, 1};
}

static int cmp_tally(const void *pa, const void *pb)
{
    const tally *a = pa, *b = pb;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return strcmp(a->key, b->key);
}

typedef struct usage {
    size_t n, ok;
    int64_t first, last; /* any request */
    size_t first_ev, first_ok_ev;
    bool have_ok;
    char text[1024];
} usage;

static void tally_print(char *out, size_t cap, size_t *o, const char *label, tally *t, size_t n)
{
    qsort(t, n, sizeof *t, cmp_tally);
    exs_appendf(out, cap, o, "; %s", label);
    for (size_t i = 0; i < n && i < 6 && *o + 80 < cap; i++)
        exs_appendf(out, cap, o, "%s%.60s (%u)", i ? ", " : " ", t[i].key[0] ? t[i].key : "-",
                    t[i].n);
    if (n > 6 && *o + 20 < cap)
        exs_appendf(out, cap, o, ", %zu more", n - 6);
}

/* Summarises the requests in [lo, hi): "N requests (K answered 2xx), first .. last; clients
 * a (3), b (1); methods GET (3), POST (1); statuses 200 (3), 302 (1)". */
static void summarise(const exs_scan *s, const index_t *ix, size_t lo, size_t hi, usage *u)
{
    memset(u, 0, sizeof *u);
    u->first = u->last = EXS_TIME_NONE;
    tally ips[64], methods[16], statuses[16];
    size_t nip = 0, nm = 0, ns = 0;
    char stxt[16][8];
    for (size_t k = lo; k < hi; k++) {
        const exs_access *a = &s->access[ix->v[k].ev];
        u->n++;
        if (exs_status_ok(a->status)) {
            if (!u->have_ok || (a->time_ms != EXS_TIME_NONE &&
                                s->access[u->first_ok_ev].time_ms != EXS_TIME_NONE &&
                                a->time_ms < s->access[u->first_ok_ev].time_ms))
                u->first_ok_ev = ix->v[k].ev;
            u->have_ok = true;
            u->ok++;
        }
        if (a->time_ms != EXS_TIME_NONE) {
            if (u->first == EXS_TIME_NONE || a->time_ms < u->first) {
                u->first = a->time_ms;
                u->first_ev = ix->v[k].ev;
            }
            if (u->last == EXS_TIME_NONE || a->time_ms > u->last)
                u->last = a->time_ms;
        } else if (u->first == EXS_TIME_NONE && k == lo) {
            u->first_ev = ix->v[k].ev;
        }
        tally_add(ips, &nip, 64, a->ip);
        tally_add(methods, &nm, 16, a->method);
        char st[8];
        snprintf(st, sizeof st, "%d", a->status < 0 ? 0 : a->status % 1000);
        bool found = false;
        for (size_t i = 0; i < ns; i++)
            if (strcmp(statuses[i].key, st) == 0) {
                statuses[i].n++;
                found = true;
            }
        if (!found && ns < 16) {
            memcpy(stxt[ns], st, sizeof st);
            statuses[ns] = (tally){stxt[ns], 1};
            ns++;
        }
    }
    char f[32], l[32];
    exs_time_format(u->first, f);
    exs_time_format(u->last, l);
    size_t o = 0;
    exs_appendf(u->text, sizeof u->text, &o, "%zu request%s (%zu answered with success)", u->n,
                u->n == 1 ? "" : "s", u->ok);
    if (u->first != EXS_TIME_NONE)
        exs_appendf(u->text, sizeof u->text, &o, ", first %s, last %s", f, l);
    tally_print(u->text, sizeof u->text, &o, "clients", ips, nip);
    tally_print(u->text, sizeof u->text, &o, "methods", methods, nm);
    tally_print(u->text, sizeof u->text, &o, "statuses", statuses, ns);
}

/* ---------------------------------------------------------------- URLs of records */

static void map_vdir(exs_files *f, exs_frec *r)
{
    const exs_fvdir *best = NULL;
    size_t best_n = 0;
    const char *rest = NULL;
    for (size_t i = 0; i < f->nvdirs; i++) {
        const exs_fvdir *v = &f->vdirs[i];
        size_t kn = strlen(v->key);
        if (kn < 2 || kn <= best_n)
            continue;
        /* the physical folder, as a path suffix-aligned anywhere in the file's path */
        for (const char *p = strstr(r->norm, v->key); p; p = strstr(p + 1, v->key)) {
            if (p[kn] == '/' && (p == r->norm || p[-1] == '/' || v->key[0] == '/')) {
                best = v;
                best_n = kn;
                rest = p + kn + 1;
                break;
            }
        }
    }
    if (!best)
        return;
    size_t need = strlen(best->url) + 1 + strlen(rest) + 1;
    char *url = malloc(need);
    if (!url)
        return;
    snprintf(url, need, "%s%s%s", strcmp(best->url, "/") == 0 ? "" : best->url, "/", rest);
    free(r->url);
    r->url = url;
    r->site = NULL;
}

/* ---------------------------------------------------------------- emission */

static bool any_exploitation(const exs_scan *s, const exs_files *f)
{
    for (size_t i = 0; i < s->nfindings; i++)
        if (s->findings[i].verdict == EXS_VERDICT_EXPLOITATION)
            return true;
    for (const exs_frec *r = f->recs; r; r = r->next)
        for (const exs_fhit *h = r->hits; h; h = h->next)
            if (!h->deferred && h->verdict == EXS_VERDICT_EXPLOITATION)
                return true;
    return false;
}

static void emit_record(exs_scan *s, const exs_frec *r, const index_t *ix, bool context)
{
    exs_ctx c;
    memset(&c, 0, sizeof c);
    c.scan = s;
    c.file = r->display;
    c.source = "file";
    usage u;
    memset(&u, 0, sizeof u);
    bool served = r->url && r->url[0];
    if (served) {
        size_t lo, hi;
        index_range(ix, r->url, &lo, &hi);
        summarise(s, ix, lo, hi, &u);
    }
    for (const exs_fhit *h = r->hits; h; h = h->next) {
        if (h->deferred && !context)
            continue;
        char detail[2400];
        size_t o = 0;
        exs_appendf(detail, sizeof detail, &o, "%s", h->detail ? h->detail : "");
        if (h->deferred)
            exs_appendf(detail, sizeof detail, &o,
                        "; reported because the sweep found evidence of compromise");
        if (served) {
            exs_appendf(detail, sizeof detail, &o, "; served as %s%s%s%s", r->url,
                        r->site ? " (" : "", r->site ? r->site : "", r->site ? ")" : "");
            if (u.n)
                exs_appendf(detail, sizeof detail, &o, "; used: %s", u.text);
            else
                exs_appendf(detail, sizeof detail, &o, "; no request to it in the logs read");
        }
        exs_hit e;
        memset(&e, 0, sizeof e);
        e.rule = h->rule;
        e.verdict = h->verdict;
        e.severity = h->deferred ? EXS_SEV_HIGH : h->severity;
        e.time_ms = h->time_ms != EXS_TIME_NONE ? h->time_ms : r->mtime_ms;
        e.target = exs_str_cstr(h->target);
        e.detail = exs_str_cstr(detail);
        e.evidence = exs_str_cstr(h->evidence);
        if (r->sha256[0])
            e.sha256 = exs_str_cstr(r->sha256);
        if (r->size >= 0) {
            e.file_size = r->size;
            e.has_size = true;
        }
        if (served) {
            e.path = exs_str_cstr(r->url);
            if (u.n)
                e.ip = exs_str_cstr(s->access[u.have_ok ? u.first_ok_ev : u.first_ev].ip);
        }
        exs_emit(&c, &e);
    }
}

static bool has_url(const exs_files *f, const char *url)
{
    if (exs_strmap_get(f->web_urls, url))
        return true;
    for (const exs_frec *r = f->recs; r; r = r->next)
        if (r->url && strcmp(r->url, url) == 0)
            return true;
    return false;
}

/* Non-default scripts requested with success whose file the image lacks. */
static void removed_shells(exs_scan *s, exs_files *f, const index_t *ix)
{
    size_t i = 0;
    while (i < ix->n) {
        size_t lo, hi;
        index_range(ix, ix->v[i].path, &lo, &hi);
        i = hi;
        const char *url = ix->v[lo].path;
        bool nondefault = false, ok = false;
        for (size_t k = lo; k < hi; k++) {
            const exs_access *a = &s->access[ix->v[k].ev];
            nondefault |= a->nondefault;
            ok |= exs_status_ok(a->status);
        }
        if (!nondefault || !ok || has_url(f, url))
            continue;
        const char *folder = "";
        exs_webheld held = exs_web_held_of_url(url, &folder);
        if (held == EXS_HELD_NONE || !f->held[held])
            continue;
        usage u;
        summarise(s, ix, lo, hi, &u);
        const exs_access *first = &s->access[u.first_ok_ev];
        char detail[2400];
        size_t o = 0;
        exs_appendf(detail, sizeof detail, &o, "%s is not in the image, although %s is: %s", url,
                    folder, u.text);
        for (size_t k = 0; k < f->ncompiled; k++)
            if (strcmp(f->compiled[k].url, url) == 0) {
                exs_appendf(detail, sizeof detail, &o, "; ASP.NET compiled it (%s)",
                            f->compiled[k].display);
                break;
            }
        for (size_t k = 0; k < f->nhints; k++)
            if (strcmp(f->hints[k].url, url) == 0) {
                exs_appendf(detail, sizeof detail, &o, "; %s", f->hints[k].what);
                break;
            }
        exs_ctx c;
        memset(&c, 0, sizeof c);
        c.scan = s;
        c.file = first->file;
        c.source = first->source;
        exs_hit h;
        memset(&h, 0, sizeof h);
        h.rule = &exs_rule_table[R_FILE_WS_REMOVED];
        h.verdict = EXS_VERDICT_EXPLOITATION;
        h.severity = EXS_SEV_HIGH;
        h.time_ms = first->time_ms;
        h.line = first->line;
        h.status = first->status > 0 ? first->status : 0;
        h.ip = exs_str_cstr(first->ip);
        h.method = exs_str_cstr(first->method);
        h.path = exs_str_cstr(first->path);
        h.target = exs_str_cstr(url);
        h.detail = exs_str_cstr(detail);
        exs_emit(&c, &h);
    }
}

/* ---------------------------------------------------------------- IOC addresses and hosts */

typedef struct net_hit {
    const exs_ioc *ioc;
    const char *what; /* the address or host seen */
    size_t findings, requests;
    exs_verdict worst;
    int64_t first, last;
    char rules[300];
    const char *file;
    const char *source;
    uint64_t line;
} net_hit;

static net_hit *net_get(net_hit *v, size_t *n, size_t cap, const exs_ioc *x, const char *what)
{
    for (size_t i = 0; i < *n; i++)
        if (v[i].ioc == x)
            return &v[i];
    if (*n >= cap)
        return NULL;
    net_hit *h = &v[(*n)++];
    memset(h, 0, sizeof *h);
    h->ioc = x;
    h->what = what;
    h->first = h->last = EXS_TIME_NONE;
    return h;
}

/* Host names inside a string (ServerInfo~host/..., a@host, http://host/...). */
static const exs_ioc *host_in(const exs_iocset *set, const char *s, char *found, size_t cap)
{
    if (!s)
        return NULL;
    const char *p = s;
    while (*p) {
        while (*p &&
               !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            p++;
        const char *b = p;
        bool dot = false;
        while (*p && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_')) {
            dot |= *p == '.';
            p++;
        }
        size_t n = (size_t)(p - b);
        if (dot && n >= 3 && n < cap) {
            memcpy(found, b, n);
            found[n] = 0;
            const exs_ioc *x = exs_iocset_domain(set, found);
            if (x)
                return x;
        }
    }
    return NULL;
}

static void ioc_network(exs_scan *s, exs_files *f)
{
    const exs_iocset *set = f->iocs;
    if (!exs_iocset_count_user(set, EXS_IOC_IP) && !exs_iocset_count_user(set, EXS_IOC_DOMAIN))
        return;
    enum { CAP = 256 };
    net_hit *v = calloc(CAP, sizeof *v);
    if (!v)
        return;
    size_t n = 0, nf = s->nfindings;
    char host[256];
    for (size_t i = 0; i < nf; i++) {
        const exs_finding *x = &s->findings[i];
        const exs_ioc *ioc = exs_iocset_ip(set, x->client_ip);
        const char *what = x->client_ip;
        if (!ioc && (ioc = exs_iocset_domain(set, x->host)) != NULL)
            what = x->host;
        if (!ioc && (ioc = host_in(set, x->target, host, sizeof host)) != NULL)
            what = ioc->value;
        if (!ioc)
            continue;
        net_hit *h = net_get(v, &n, CAP, ioc, what);
        if (!h)
            continue;
        h->findings++;
        if (x->verdict > h->worst)
            h->worst = x->verdict;
        exs_time_span_add(&h->first, &h->last, x->time_ms);
        if (!strstr(h->rules, x->rule->id) &&
            strlen(h->rules) + strlen(x->rule->id) + 3 < sizeof h->rules)
            snprintf(h->rules + strlen(h->rules), sizeof h->rules - strlen(h->rules), "%s%s",
                     h->rules[0] ? ", " : "", x->rule->id);
        if (!h->file) {
            h->file = x->file;
            h->source = x->source;
            h->line = x->line;
        }
    }
    for (size_t i = 0; i < s->naccess; i++) {
        const exs_access *a = &s->access[i];
        const exs_ioc *ioc = exs_iocset_ip(set, a->ip);
        if (!ioc)
            continue;
        net_hit *h = net_get(v, &n, CAP, ioc, a->ip);
        if (!h)
            continue;
        h->requests++;
        exs_time_span_add(&h->first, &h->last, a->time_ms);
        if (!h->file) {
            h->file = a->file;
            h->source = a->source;
            h->line = a->line;
        }
    }
    for (size_t i = 0; i < n; i++) {
        net_hit *h = &v[i];
        char detail[1400], f1[32], f2[32], line[32] = "", note[340] = "", rules[320] = "",
                                           when[80] = "";
        exs_time_format(h->first, f1);
        exs_time_format(h->last, f2);
        if (h->ioc->line)
            snprintf(line, sizeof line, ":%llu", (unsigned long long)h->ioc->line);
        if (h->ioc->note[0])
            snprintf(note, sizeof note, " (%.300s)", h->ioc->note);
        if (h->rules[0])
            snprintf(rules, sizeof rules, " (%s)", h->rules);
        if (h->first != EXS_TIME_NONE)
            snprintf(when, sizeof when, ", first %s, last %s", f1, f2);
        snprintf(detail, sizeof detail,
                 "%.200s is in %.300s%s%s: %zu finding%s%s, %zu script request%s%s", h->what,
                 h->ioc->source, line, note, h->findings, h->findings == 1 ? "" : "s", rules,
                 h->requests, h->requests == 1 ? "" : "s", when);
        exs_ctx c;
        memset(&c, 0, sizeof c);
        c.scan = s;
        c.file = h->file ? h->file : "";
        c.source = h->source ? h->source : "ioc";
        exs_hit e;
        memset(&e, 0, sizeof e);
        e.rule = &exs_rule_table[R_IOC_NET];
        e.verdict = h->worst ? h->worst : EXS_VERDICT_SUSPICIOUS;
        if (e.verdict < EXS_VERDICT_SUSPICIOUS && h->requests)
            e.verdict = EXS_VERDICT_SUSPICIOUS;
        e.severity = EXS_SEV_HIGH;
        e.time_ms = h->first;
        e.line = h->line;
        if (h->ioc->type == EXS_IOC_IP)
            e.ip = exs_str_cstr(h->what);
        else
            e.host = exs_str_cstr(h->what);
        e.target = exs_str_cstr(h->ioc->value);
        e.detail = exs_str_cstr(detail);
        exs_emit(&c, &e);
    }
    free(v);
}

/* ---------------------------------------------------------------- aggregates */

static void dearcry(exs_scan *s, exs_files *f)
{
    if (!f->dearcry)
        return;
    char detail[1600];
    size_t o = 0;
    exs_appendf(detail, sizeof detail, &o, "%llu file%s start%s with the DEARCRY! marker",
                (unsigned long long)f->dearcry, f->dearcry == 1 ? "" : "s",
                f->dearcry == 1 ? "s" : "");
    for (size_t i = 0; i < f->ndearcry_ex; i++)
        exs_appendf(detail, sizeof detail, &o, "%s%.200s", i ? ", " : ", e.g. ",
                    f->dearcry_ex[i]);
    exs_ctx c;
    memset(&c, 0, sizeof c);
    c.scan = s;
    c.file = f->dearcry_ex[0] ? f->dearcry_ex[0] : "";
    c.source = "file";
    exs_hit h;
    memset(&h, 0, sizeof h);
    h.rule = &exs_rule_table[R_FILE_DEARCRY_ENC];
    h.verdict = EXS_VERDICT_EXPLOITATION;
    h.severity = EXS_SEV_CRITICAL;
    h.time_ms = f->dearcry_first;
    h.detail = exs_str_cstr(detail);
    exs_emit(&c, &h);
}

void exs_files_postpass(exs_scan *s)
{
    exs_files *f = s->files;
    if (!f || !f->enabled)
        return;
    if (f->recs_dropped)
        exs_warn(s, EXS_W_LIMIT, "", 0, "%llu files with findings past %llu not reported",
                 (unsigned long long)f->recs_dropped, (unsigned long long)f->max_records);
    if (f->clues_dropped)
        exs_warn(s, EXS_W_LIMIT, "", 0,
                 "%llu removed-shell clues (compiled pages, scanner log lines) past %llu not used",
                 (unsigned long long)f->clues_dropped, (unsigned long long)f->max_records);
    if (f->scripts_dropped)
        exs_warn(s, EXS_W_LIMIT, "", 0,
                 "%llu script files past %llu not remembered for the removed-shell check",
                 (unsigned long long)f->scripts_dropped, (unsigned long long)f->max_scripts);
    index_t ix;
    index_build(s, &ix);
    for (exs_frec *r = f->recs; r; r = r->next)
        if (!r->url && f->nvdirs)
            map_vdir(f, r);
    /* Scripts outside the known roots served through a virtual directory count as present. */
    for (size_t i = 0; i < f->nloose && f->nvdirs; i++) {
        exs_frec tmp;
        memset(&tmp, 0, sizeof tmp);
        tmp.norm = f->loose[i];
        map_vdir(f, &tmp);
        if (tmp.url) {
            exs_strmap_put(f->web_urls, tmp.url, (void *)1, NULL);
            free(tmp.url);
        }
    }
    bool context = any_exploitation(s, f);
    for (exs_frec *r = f->recs; r; r = r->next)
        emit_record(s, r, &ix, context);
    removed_shells(s, f, &ix);
    dearcry(s, f);
    ioc_network(s, f);
    index_free(&ix);
}
