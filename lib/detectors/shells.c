/* The file side's after-sweep pass: tie files to their use and report them.
 *
 *   1. Each file record gets the URL IIS serves it under: from the Exchange layout
 *      (lib/detectors/webfolders.c), else from the virtual directories read from
 *      applicationHost.config (longest physical-path match).
 *   2. The script requests the log readers kept (xs_access) are indexed by normalised path; a
 *      served file's findings carry the requests to its URL: count, first and last use,
 *      clients, methods, statuses.
 *   3. Requests answered with success to non-default scripts in the Exchange drop folders
 *      whose file is not on disk are removed shells, when the image holds that folder.
 *   4. Client addresses and hosts of findings and requests are matched with the IOC lists
 *      (lib/detectors/iocnet.c).
 *   5. Deferred verdicts: staging archives are reported only alongside evidence of compromise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/timeparse.h"
#include "detectors/internal.h"
#include "detectors/iocnet.h"
#include "scan/files_int.h"
#include "scan/pass.h"

/* ---------------------------------------------------------------- request index */

typedef struct aidx {
    uint32_t root;    /* requests are tied to files of the same evidence root (server) */
    const char *path; /* the access event's norm */
    size_t ev;        /* index into the view's access */
} aidx;

static int cmp_key(uint32_t ra, const char *pa, uint32_t rb, const char *pb)
{
    if (ra != rb)
        return ra < rb ? -1 : 1;
    return strcmp(pa, pb);
}

static int cmp_aidx(const void *pa, const void *pb)
{
    const aidx *a = pa, *b = pb;
    int r = cmp_key(a->root, a->path, b->root, b->path);
    if (r)
        return r;
    return a->ev < b->ev ? -1 : a->ev > b->ev;
}

typedef struct index {
    aidx *v;
    size_t n;
} index_t;

static bool index_build(const xs_pass_view *v, index_t *ix)
{
    ix->v = calloc(v->naccess ? v->naccess : 1, sizeof *ix->v);
    ix->n = 0;
    if (!ix->v)
        return false;
    for (size_t i = 0; i < v->naccess; i++)
        ix->v[ix->n++] = (aidx){v->access[i].where.root, v->access[i].norm, i};
    qsort(ix->v, ix->n, sizeof *ix->v, cmp_aidx);
    return true;
}

static void index_free(index_t *ix)
{
    free(ix->v);
}

/* [*lo, *hi) of the entries for url of root. */
static void index_range(const index_t *ix, uint32_t root, const char *url, size_t *lo, size_t *hi)
{
    size_t a = 0, b = ix->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (cmp_key(ix->v[m].root, ix->v[m].path, root, url) < 0)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    b = ix->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (cmp_key(ix->v[m].root, ix->v[m].path, root, url) <= 0)
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
    char clients[400], methods[200], statuses[200]; /* "key=count,..." by count */
} usage;

/* "key=count,key=count" of the six most frequent, then ",+N" for the rest. */
static void tally_list(char *out, size_t cap, tally *t, size_t n)
{
    qsort(t, n, sizeof *t, cmp_tally);
    size_t o = 0;
    out[0] = 0;
    for (size_t i = 0; i < n && i < 6 && o + 80 < cap; i++)
        xs_appendf(out, cap, &o, "%s%.60s=%u", i ? "," : "", t[i].key[0] ? t[i].key : "-",
                    t[i].n);
    if (n > 6 && o + 20 < cap)
        xs_appendf(out, cap, &o, ",+%zu", n - 6);
}

/* The facts of a file's use: requests, answered, first and last, clients, methods, statuses. */
static void usage_facts(xs_hit *h, const usage *u)
{
    xs_hit_fact_u64(h, "requests", u->n);
    xs_hit_fact_u64(h, "requests_answered", u->ok);
    xs_hit_fact_time(h, "requests_first", u->first);
    xs_hit_fact_time(h, "requests_last", u->last);
    xs_hit_fact_cstr(h, "requests_clients", u->clients);
    xs_hit_fact_cstr(h, "requests_methods", u->methods);
    xs_hit_fact_cstr(h, "requests_statuses", u->statuses);
}

/* Summarises the requests in [lo, hi). */
static void summarise(const xs_pass_view *s, const index_t *ix, size_t lo, size_t hi, usage *u)
{
    memset(u, 0, sizeof *u);
    u->first = u->last = EXS_TIME_NONE;
    tally ips[64], methods[16], statuses[16];
    size_t nip = 0, nm = 0, ns = 0;
    char stxt[16][8];
    for (size_t k = lo; k < hi; k++) {
        const xs_access *a = &s->access[ix->v[k].ev];
        u->n++;
        if (xs_status_ok(a->status)) {
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
    tally_list(u->clients, sizeof u->clients, ips, nip);
    tally_list(u->methods, sizeof u->methods, methods, nm);
    tally_list(u->statuses, sizeof u->statuses, statuses, ns);
}

/* ---------------------------------------------------------------- URLs of records */

/* A virtual directory of the record's own root (sorted: ties go to the same one every run). */
static void map_vdir(xs_files *f, uint32_t root, xs_frec *r)
{
    const xs_fvdir *best = NULL;
    size_t best_n = 0;
    const char *rest = NULL;
    for (size_t i = 0; i < f->nvdirs; i++) {
        const xs_fvdir *v = f->vdirs[i];
        size_t kn = strlen(v->key);
        if (v->root != root || kn < 2 || kn <= best_n)
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
    if (!url) {
        r->url_failed = true;
        return;
    }
    snprintf(url, need, "%s%s%s", strcmp(best->url, "/") == 0 ? "" : best->url, "/", rest);
    free(r->url);
    r->url = url;
    r->site = NULL;
}

/* ---------------------------------------------------------------- emission */

/* A hit's verdict as reported: a hit that holds only on an Exchange server is suspicious on a
 * root that holds no Exchange web folder. */
static exs_verdict hit_verdict(const xs_files *f, const xs_frec *r, const xs_fhit *h)
{
    if (h->exchange_only && h->verdict == EXS_VERDICT_EXPLOITATION &&
        !xs_files_root_exchange(f, r->where.root))
        return EXS_VERDICT_SUSPICIOUS;
    return h->verdict;
}

static bool any_exploitation(const xs_pass_view *v, const xs_files *f)
{
    for (size_t i = 0; i < v->nfindings; i++)
        if (v->findings[i]->verdict == EXS_VERDICT_EXPLOITATION)
            return true;
    for (const xs_frec *r = f->recs; r; r = r->next)
        for (const xs_fhit *h = r->hits; h; h = h->next)
            if (!h->deferred && hit_verdict(f, r, h) == EXS_VERDICT_EXPLOITATION)
                return true;
    return false;
}

/* Request findings by root and the URL they asked for (normalised), to relate files to them. */
typedef struct req_ref {
    uint32_t root;
    char url[XS_URL_MAX];
    const char *id;
} req_ref;

static int cmp_ref(const void *pa, const void *pb)
{
    const req_ref *a = pa, *b = pb;
    int r = cmp_key(a->root, a->url, b->root, b->url);
    return r ? r : strcmp(a->id, b->id);
}

typedef struct refs {
    req_ref *v;
    size_t n;
} refs;

static bool refs_build(const xs_pass_view *v, refs *rf)
{
    size_t n = 0;
    for (size_t i = 0; i < v->nfindings; i++)
        n += v->findings[i]->http && v->findings[i]->http->path;
    rf->v = malloc((n ? n : 1) * sizeof *rf->v);
    rf->n = 0;
    if (!rf->v)
        return false;
    for (size_t i = 0; i < v->nfindings; i++) {
        const exs_finding *x = v->findings[i];
        if (!x->http || !x->http->path)
            continue;
        req_ref *r = &rf->v[rf->n++];
        r->root = x->origin.root;
        xs_url_norm(xs_str_cstr(x->http->path), r->url, sizeof r->url);
        r->id = x->id;
    }
    qsort(rf->v, rf->n, sizeof *rf->v, cmp_ref);
    return true;
}

/* Relates h to the request findings for url of root (the first XS_MAX_RELATED by id). */
static void relate_requests(xs_hit *h, const refs *rf, uint32_t root, const char *url)
{
    size_t a = 0, b = rf->n;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (cmp_key(rf->v[m].root, rf->v[m].url, root, url) < 0)
            a = m + 1;
        else
            b = m;
    }
    for (; a < rf->n && cmp_key(rf->v[a].root, rf->v[a].url, root, url) == 0; a++)
        if (!xs_hit_relate(h, rf->v[a].id))
            break;
}

static void emit_record(const xs_pass_view *v, const xs_frec *r, const index_t *ix,
                        const refs *rf, bool context)
{
    xs_ctx c;
    xs_ctx_pass(&c, v->scan, r->display, &r->where, "file");
    usage u;
    memset(&u, 0, sizeof u);
    bool served = r->url && r->url[0];
    if (served) {
        size_t lo, hi;
        index_range(ix, r->where.root, r->url, &lo, &hi);
        summarise(v, ix, lo, hi, &u);
    }
    for (const xs_fhit *h = r->hits; h; h = h->next) {
        if (h->deferred && !context)
            continue;
        xs_hit e;
        exs_verdict verdict = hit_verdict(v->files, r, h);
        bool plain = h->exchange_only && !xs_files_root_exchange(v->files, r->where.root);
        xs_hit_init(&e, h->rule, verdict,
                    h->deferred ? EXS_SEV_HIGH : plain ? EXS_SEV_MEDIUM : h->severity,
                    h->time_ms != EXS_TIME_NONE ? h->time_ms : r->mtime_ms);
        e.reason = h->reason;
        for (size_t i = 0; i < h->nfacts; i++)
            xs_hit_fact_cstr(&e, h->keys[i], h->values[i]);
        if (plain)
            xs_hit_fact_cstr(&e, "exchange_folders",
                             "none in this evidence root: a plain IIS server as far as it shows");
        if (h->deferred)
            xs_hit_fact_cstr(&e, "reported_because", "the sweep found evidence of compromise");
        e.target = xs_str_cstr(h->target);
        e.evidence = xs_str_cstr(h->evidence);
        e.line = h->line;
        e.key = xs_str_cstr(h->key);
        e.file.path = xs_str_cstr(r->display + (r->where.prefix < strlen(r->display)
                                                     ? r->where.prefix
                                                     : 0));
        if (r->sha256[0])
            e.file.sha256 = xs_str_cstr(r->sha256);
        if (r->sha1[0])
            e.file.sha1 = xs_str_cstr(r->sha1);
        if (r->md5[0])
            e.file.md5 = xs_str_cstr(r->md5);
        if (r->attributes[0])
            e.file.attributes = xs_str_cstr(r->attributes);
        e.file.size = r->size;
        e.file.mtime_ms = r->mtime_ms;
        e.file.device = r->dev;
        e.file.inode = r->ino;
        if (served) {
            e.file.url = xs_str_cstr(r->url);
            e.file.site = xs_str_cstr(r->site);
            usage_facts(&e, &u);
            relate_requests(&e, rf, r->where.root, r->url);
        }
        xs_emit(&c, &e);
    }
    xs_ctx_release(&c);
}

/* The URLs of the scripts on disk, and of the records (a file with findings), by root. */
static bool has_url(const xs_files *f, uint32_t root, const char *url)
{
    char key[XS_URL_MAX + 16];
    return xs_strmap_get(f->web_urls, xs_files_url_key(root, url, key, sizeof key)) != NULL;
}

/* Non-default scripts requested with success whose file the image lacks. */
static void removed_shells(const xs_pass_view *v, xs_files *f, const index_t *ix,
                           const refs *rf)
{
    size_t i = 0;
    while (i < ix->n) {
        size_t lo, hi;
        uint32_t root = ix->v[i].root;
        index_range(ix, root, ix->v[i].path, &lo, &hi);
        i = hi;
        const char *url = ix->v[lo].path;
        bool nondefault = false, ok = false;
        for (size_t k = lo; k < hi; k++) {
            const xs_access *a = &v->access[ix->v[k].ev];
            nondefault |= a->nondefault;
            ok |= xs_status_ok(a->status);
        }
        if (!nondefault || !ok || has_url(f, root, url))
            continue;
        const char *folder = "";
        xs_webheld held = xs_web_held_of_url(url, &folder);
        /* the same root (server) holds the folder the script should be in */
        if (held == XS_HELD_NONE || !(f->held[held] & xs_files_root_bit(root)))
            continue;
        usage u;
        summarise(v, ix, lo, hi, &u);
        const xs_access *first = &v->access[u.first_ok_ev];
        xs_ctx c;
        xs_ctx_at_access(&c, v, first);
        xs_hit h;
        xs_hit_init(&h, &xs_rule_table[R_FILE_WS_REMOVED], EXS_VERDICT_EXPLOITATION,
                     EXS_SEV_HIGH, first->time_ms);
        h.reason = "a script answered with success is not in the image, although its folder is";
        h.line = first->line;
        h.key = xs_str_cstr(url);
        h.http.status = first->status > 0 ? first->status : 0;
        h.http.client = xs_str_cstr(first->ip);
        h.http.method = xs_str_cstr(first->method);
        h.http.path = xs_str_cstr(first->path);
        h.http.backend = first->backend;
        h.file.url = xs_str_cstr(url);
        xs_hit_fact_cstr(&h, "web_folder", folder);
        usage_facts(&h, &u);
        for (size_t k = 0; k < f->ncompiled; k++)
            if (f->compiled[k].root == root && strcmp(f->compiled[k].url, url) == 0) {
                xs_hit_fact_cstr(&h, "compiled_as", f->compiled[k].display);
                break;
            }
        for (size_t k = 0; k < f->nhints; k++)
            if (f->hints[k].root == root && strcmp(f->hints[k].url, url) == 0) {
                xs_hit_fact_cstr(&h, "removed_by", f->hints[k].what);
                break;
            }
        relate_requests(&h, rf, root, url);
        xs_emit(&c, &h);
        xs_ctx_release(&c);
    }
}

/* ---------------------------------------------------------------- aggregates */

static void dearcry(const xs_pass_view *v, xs_files *f)
{
    if (!f->dearcry)
        return;
    char ex[1200];
    size_t o = 0;
    ex[0] = 0;
    for (size_t i = 0; i < f->ndearcry_ex; i++)
        xs_appendf(ex, sizeof ex, &o, "%s%.200s", i ? "," : "", f->dearcry_ex[i]);
    xs_ctx c;
    xs_ctx_pass(&c, v->scan, f->dearcry_ex[0] ? f->dearcry_ex[0] : "", &f->dearcry_where[0],
                 "file");
    xs_hit h;
    xs_hit_init(&h, &xs_rule_table[R_FILE_DEARCRY_ENC], EXS_VERDICT_EXPLOITATION,
                 EXS_SEV_CRITICAL, f->dearcry_first);
    h.reason = "files start with the DEARCRY! marker";
    xs_hit_fact_u64(&h, "files", f->dearcry);
    xs_hit_fact_cstr(&h, "files_examples", ex);
    xs_hit_fact_time(&h, "seen_last", f->dearcry_last);
    xs_emit(&c, &h);
    xs_ctx_release(&c);
}

void xs_pass_files(const xs_pass_view *v)
{
    struct exs_scan *s = v->scan;
    xs_files *f = v->files;
    if (!f || !f->enabled)
        return;
    if (f->recs_dropped)
        xs_warn(s, XS_W_LIMIT, "", 0,
                 "%llu files with findings that are not always kept past %llu not reported "
                 "(their findings are counted)",
                 (unsigned long long)f->recs_dropped, (unsigned long long)f->max_records);
    if (f->clues_dropped)
        xs_warn(s, XS_W_LIMIT, "", 0,
                 "%llu removed-shell clues (compiled pages, scanner log lines) past %llu not used",
                 (unsigned long long)f->clues_dropped, (unsigned long long)f->max_records);
    if (f->scripts_dropped)
        xs_warn(s, XS_W_LIMIT, "", 0,
                 "%llu script files past %llu not remembered for the removed-shell check",
                 (unsigned long long)f->scripts_dropped, (unsigned long long)f->max_scripts);
    if (f->vdirs_dropped)
        xs_warn(s, XS_W_LIMIT, "", 0,
                 "%llu IIS virtual directories past %llu not used to map files to their URLs "
                 "(the smallest by physical path kept)",
                 (unsigned long long)f->vdirs_dropped, (unsigned long long)f->max_vdirs);
    index_t ix;
    refs rf = {NULL, 0};
    if (!index_build(v, &ix) || !refs_build(v, &rf)) {
        xs_scan_fail(s, EXS_ENOMEM, "out of memory indexing the requests for the file findings");
        index_free(&ix);
        free(rf.v);
        return;
    }
    bool lost = false;
    char key[XS_URL_MAX + 16];
    for (xs_frec *r = f->recs; r; r = r->next) {
        if (!r->url && f->nvdirs)
            map_vdir(f, r->where.root, r);
        lost |= r->url_failed;
        /* a file with findings is on disk: not a removed shell */
        if (r->url && !xs_strmap_put(f->web_urls, xs_files_url_key(r->where.root, r->url, key,
                                                                     sizeof key),
                                      (void *)1, NULL))
            lost = true;
    }
    /* Scripts outside the known roots served through a virtual directory count as present. */
    for (size_t i = 0; i < f->nloose && f->nvdirs; i++) {
        xs_frec tmp;
        memset(&tmp, 0, sizeof tmp);
        tmp.norm = f->loose[i];
        map_vdir(f, f->loose_root[i], &tmp);
        lost |= tmp.url_failed;
        if (tmp.url) {
            lost |= !xs_strmap_put(f->web_urls,
                                    xs_files_url_key(f->loose_root[i], tmp.url, key, sizeof key),
                                    (void *)1, NULL);
            free(tmp.url);
        }
    }
    if (lost) {
        xs_scan_fail(s, EXS_ENOMEM, "out of memory mapping files to their URLs");
        index_free(&ix);
        free(rf.v);
        return;
    }
    bool context = any_exploitation(v, f);
    if (context)
        xs_files_count_gone_deferred(f);
    for (xs_frec *r = f->recs; r; r = r->next)
        emit_record(v, r, &ix, &rf, context);
    removed_shells(v, f, &ix, &rf);
    dearcry(v, f);
    xs_iocnet_report(v, f->net);
    index_free(&ix);
    free(rf.v);
}
