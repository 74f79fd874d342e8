/* File side of the sweep: policy, rule sets, the input tee, per-file state and the stores the
 * post-pass reads. The checks themselves are in lib/detectors/filecheck.c. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/grow.h"
#include "core/heap.h"
#include "core/limits.h"
#include "core/digest.h"
#include "detectors/iocnet.h"
#include "engines/pathre.h"
#include "scan/files_int.h"
#include "scan/scan_int.h"

/* ---------------------------------------------------------------- scan-wide state */

static bool parse_skip(xs_files *f, const char *list)
{
    while (list && *list) {
        while (*list == ',' || *list == ' ')
            list++;
        size_t n = strcspn(list, ", ");
        if (n && n < 32) {
            char *e = malloc(n + 2);
            char **v = realloc(f->skip_ext, (f->nskip + 1) * sizeof *v);
            if (!e || !v) {
                free(e);
                if (v)
                    f->skip_ext = v;
                return false;
            }
            f->skip_ext = v;
            size_t o = 0;
            if (list[0] != '.')
                e[o++] = '.';
            for (size_t i = 0; i < n; i++)
                e[o++] = xs_lower(list[i]);
            e[o] = 0;
            f->skip_ext[f->nskip++] = e;
        }
        list += n;
    }
    return true;
}

exs_rc xs_files_create(xs_files **out, const exs_scan_opts *opts)
{
    xs_files *f = calloc(1, sizeof *f);
    if (!f)
        return EXS_ENOMEM;
    if (pthread_mutex_init(&f->mu, NULL) != 0) {
        free(f);
        return EXS_ETHREAD;
    }
    f->enabled = !(opts && opts->no_file_checks);
    f->check_logs = opts && opts->check_logs;
    f->max_size = opts && opts->max_file_size ? opts->max_file_size : XS_MAX_FILE_SIZE;
    if (f->max_size > XS_MAX_FILE_SIZE_CAP)
        f->max_size = XS_MAX_FILE_SIZE_CAP;
    f->dearcry_first = f->dearcry_last = EXS_TIME_NONE;
    f->max_records = XS_MAX_FILE_RECORDS;
    f->yara_timeout_s = XS_YARA_TIMEOUT_S;
    f->max_scripts = XS_MAX_WEB_SCRIPTS;
    f->max_vdirs = XS_MAX_VDIRS;
    f->max_file_hits = XS_MAX_FILE_HITS;
    bool skip_ok = parse_skip(f, opts ? opts->skip_ext : NULL);
    f->web_urls = xs_strmap_create();
    if (!skip_ok || !f->web_urls || xs_iocset_create(&f->iocs) != EXS_OK) {
        xs_files_destroy(f);
        return EXS_ENOMEM;
    }
    *out = f;
    return EXS_OK;
}

static void free_hits(xs_fhit *h)
{
    while (h) {
        xs_fhit *n = h->next;
        for (size_t i = 0; i < h->nfacts; i++)
            free(h->values[i]);
        free(h->evidence);
        free(h->target);
        free(h->key);
        free(h);
        h = n;
    }
}

static void free_rec(xs_frec *r)
{
    free_hits(r->hits);
    free(r->over);
    free(r->display);
    free(r->norm);
    free(r->url);
    free(r);
}

static void vdir_free(xs_fvdir *v)
{
    if (!v)
        return;
    free(v->site);
    free(v->url);
    free(v->key);
    free(v->physical);
    free(v->config);
    free(v);
}

void xs_files_destroy(xs_files *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nrule_paths; i++)
        free(f->rule_paths[i]);
    free(f->rule_paths);
    xs_iocnet_destroy(f->net);
    xs_iocset_destroy(f->iocs);
    for (size_t i = 0; i < f->nskip; i++)
        free(f->skip_ext[i]);
    free(f->skip_ext);
    xs_yrules_destroy(f->user);
    for (xs_frec *r = f->recs, *n; r; r = n) {
        n = r->next;
        free_rec(r);
    }
    for (size_t i = 0; i < f->nheap; i++)
        free_rec(f->heap[i]);
    free(f->heap);
    free(f->gone);
    xs_strmap_destroy(f->web_urls);
    for (size_t i = 0; i < f->nloose; i++)
        free(f->loose[i]);
    free(f->loose);
    free(f->loose_root);
    for (size_t i = 0; i < f->nvdirs; i++)
        vdir_free(f->vdirs[i]);
    free(f->vdirs);
    for (size_t i = 0; i < f->ncompiled; i++) {
        free(f->compiled[i].url);
        free(f->compiled[i].display);
    }
    free(f->compiled);
    for (size_t i = 0; i < f->nhints; i++) {
        free(f->hints[i].url);
        free(f->hints[i].what);
    }
    free(f->hints);
    for (size_t i = 0; i < f->ndearcry_ex; i++)
        free(f->dearcry_ex[i]);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

static exs_rc add_rule_path(xs_files *f, const char *path)
{
    if (f->nrule_paths >= XS_MAX_RULE_FILES)
        return EXS_ELIMIT;
    char **v = realloc(f->rule_paths, (f->nrule_paths + 1) * sizeof *v);
    if (!v)
        return EXS_ENOMEM;
    f->rule_paths = v;
    if (!(f->rule_paths[f->nrule_paths] = strdup(path)))
        return EXS_ENOMEM;
    f->nrule_paths++;
    return EXS_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

exs_rc xs_files_add_rules(xs_files *f, const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return EXS_ERULE;
    }
    if (!S_ISDIR(st.st_mode))
        return add_rule_path(f, path);
    DIR *d = opendir(path);
    if (!d) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return EXS_ERULE;
    }
    char **names = NULL;
    size_t n = 0;
    exs_rc rc = EXS_OK;
    struct dirent *e;
    while (rc == EXS_OK && (errno = 0, e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        bool yar = (l > 4 && strcasecmp(e->d_name + l - 4, ".yar") == 0) ||
                   (l > 5 && strcasecmp(e->d_name + l - 5, ".yara") == 0);
        if (!yar || e->d_name[0] == '.')
            continue;
        char full[XS_MAX_PATH + 1];
        if ((size_t)snprintf(full, sizeof full, "%s/%s", path, e->d_name) >= sizeof full)
            continue;
        struct stat fs;
        if (stat(full, &fs) != 0) {
            if (errno == ENOENT)
                continue; /* gone since the listing */
            snprintf(err, errlen, "%s: %s", full, strerror(errno));
            rc = errno == ENOMEM ? EXS_ENOMEM : EXS_ERULE;
            break;
        }
        if (!S_ISREG(fs.st_mode))
            continue;
        char **v = realloc(names, (n + 1) * sizeof *v);
        if (!v || !(v[n] = strdup(full))) {
            if (v)
                names = v;
            rc = EXS_ENOMEM;
            break;
        }
        names = v;
        n++;
    }
    if (rc == EXS_OK && errno) { /* a listing cut short would drop rule files unsaid */
        snprintf(err, errlen, "%s: cannot list the folder: %s", path, strerror(errno));
        rc = EXS_EIO;
    }
    closedir(d);
    if (rc == EXS_OK && n == 0) {
        snprintf(err, errlen, "%s: no .yar or .yara file in this folder", path);
        rc = EXS_ERULE;
    }
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (rc == EXS_OK)
            rc = add_rule_path(f, names[i]);
        free(names[i]);
    }
    free(names);
    if (rc == EXS_ELIMIT)
        snprintf(err, errlen, "more than %d rule files", XS_MAX_RULE_FILES);
    else if (rc == EXS_ENOMEM && !err[0])
        snprintf(err, errlen, "%s: out of memory listing the rule files", path);
    return rc;
}

static void ioc_bad(void *ctx, const char *file, uint64_t line, const char *why)
{
    xs_warn(ctx, XS_W_BAD_ROW, file, line, "IOC list: %s", why);
}

exs_rc xs_files_add_iocs(xs_files *f, exs_scan *s, const char *path, char *err, size_t errlen)
{
    return xs_iocset_load(f->iocs, path, ioc_bad, s, err, errlen);
}

exs_rc xs_files_prepare(exs_scan *s, char *err, size_t errlen)
{
    xs_files *f = s->files;
    f->scan = s;
    if (!f->enabled)
        return EXS_OK;
    exs_rc rc = xs_iocset_compile(f->iocs, err, errlen);
    if (rc == EXS_OK && !f->net && (rc = xs_iocnet_create(&f->net, f->iocs)) != EXS_OK)
        snprintf(err, errlen, "out of memory for the IOC address tally");
    if (rc != EXS_OK)
        return rc;
    /* The shipped rules are compiled when the first file that needs them is read (a sweep of
     * logs alone never pays for them); user rules now, so a broken one stops the run early. */
    if (f->nrule_paths && !f->user)
        return xs_yrules_from_files(&f->user, (const char *const *)f->rule_paths, f->nrule_paths,
                                     err, errlen);
    return EXS_OK;
}

/* ---------------------------------------------------------------- stores */

/* A clue the post-pass needs could not be kept: the results would be short of it. */
static void store_failed(xs_files *f, const char *what)
{
    if (f->scan)
        xs_scan_fail(f->scan, EXS_ENOMEM, "out of memory keeping %s", what);
}


bool xs_files_note_finding(xs_files *f, const exs_finding *x)
{
    return !f || xs_iocnet_note(f->net, x);
}

bool xs_files_user_rule(const xs_files *f, const exs_rule *rule)
{
    return f && xs_yrules_holds(f->user, rule);
}

const char *xs_files_url_key(uint32_t root, const char *url, char *buf, size_t cap)
{
    snprintf(buf, cap, "%u|%s", root, url);
    return buf;
}

/* The order of virtual directories: by root, physical path key, URL, site, configuration and
 * the path as written (a total order: which are kept past the cap, and the order the pass
 * maps files in, do not depend on the order they came in). */
static int cmp_vdir(const void *pa, const void *pb)
{
    const xs_fvdir *a = pa, *b = pb;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    int r = strcmp(a->key, b->key);
    if (!r)
        r = strcmp(a->url, b->url);
    if (!r)
        r = strcmp(a->site, b->site);
    if (!r)
        r = strcmp(a->config, b->config);
    return r ? r : strcmp(a->physical, b->physical);
}

static int cmp_vdir_at(const void *pa, const void *pb)
{
    return cmp_vdir(*(xs_fvdir *const *)pa, *(xs_fvdir *const *)pb);
}

void xs_files_add_vdir(xs_files *f, uint32_t root, const char *config, const char *site,
                        const char *url, const char *physical)
{
    char key[XS_MAX_IOC_LINE + 1];
    xs_ioc_path_key(physical, key, sizeof key);
    size_t kn = strlen(key);
    while (kn > 1 && key[kn - 1] == '/')
        key[--kn] = 0;
    char lurl[1024];
    size_t un = 0;
    for (; url[un] && un + 1 < sizeof lurl; un++)
        lurl[un] = xs_lower(url[un]);
    lurl[un] = 0;
    while (un > 1 && lurl[un - 1] == '/')
        lurl[--un] = 0;
    const xs_fvdir probe = {root, (char *)site, lurl, key, (char *)physical, (char *)config};
    bool lost = false;
    pthread_mutex_lock(&f->mu);
    /* Past the cap the smallest are kept: this one goes, or the largest kept makes room. */
    bool full = f->nvdirs >= f->max_vdirs;
    if (full)
        f->vdirs_dropped++;
    if (full && (!f->nvdirs || cmp_vdir(&probe, f->vdirs[0]) >= 0)) {
        /* not kept */
    } else if (full || xs_grow((void **)&f->vdirs, &f->capvdirs, f->nvdirs + 1,
                                sizeof *f->vdirs)) {
        /* until xs_files_settle, vdirs is a max-heap in cmp_vdir order (core/heap.h) */
        xs_fvdir *v = malloc(sizeof *v);
        if (v)
            *v = (xs_fvdir){root, strdup(site), strdup(lurl), strdup(key), strdup(physical),
                            strdup(config)};
        if (v && v->site && v->url && v->key && v->physical && v->config) {
            if (full) {
                vdir_free(f->vdirs[0]);
                f->vdirs[0] = v;
                xs_heap_down((void **)f->vdirs, f->nvdirs, 0, cmp_vdir);
            } else {
                f->vdirs[f->nvdirs] = v;
                xs_heap_up((void **)f->vdirs, f->nvdirs++, cmp_vdir);
            }
        } else {
            vdir_free(v);
            lost = true;
        }
    } else {
        lost = true;
    }
    pthread_mutex_unlock(&f->mu);
    if (lost)
        store_failed(f, "an IIS virtual directory");
}

void xs_files_add_compiled(xs_files *f, uint32_t root, const char *display, const char *url,
                            int64_t mtime_ms)
{
    bool lost = false;
    pthread_mutex_lock(&f->mu);
    if (f->ncompiled >= f->max_records) {
        f->clues_dropped++;
    } else if (xs_grow((void **)&f->compiled, &f->capcompiled, f->ncompiled + 1,
                        sizeof *f->compiled)) {
        xs_fcompiled c = {root, strdup(url), strdup(display), mtime_ms};
        if (c.url && c.display) {
            f->compiled[f->ncompiled++] = c;
        } else {
            free(c.url);
            free(c.display);
            lost = true;
        }
    } else {
        lost = true;
    }
    pthread_mutex_unlock(&f->mu);
    if (lost)
        store_failed(f, "an ASP.NET compilation record");
}

void xs_files_add_hint(xs_files *f, uint32_t root, const char *url, const char *what)
{
    bool lost = false;
    pthread_mutex_lock(&f->mu);
    if (f->nhints >= f->max_records) {
        f->clues_dropped++;
    } else if (xs_grow((void **)&f->hints, &f->caphints, f->nhints + 1, sizeof *f->hints)) {
        xs_fremoved_hint h = {root, strdup(url), strdup(what)};
        if (h.url && h.what) {
            f->hints[f->nhints++] = h;
        } else {
            free(h.url);
            free(h.what);
            lost = true;
        }
    } else {
        lost = true;
    }
    pthread_mutex_unlock(&f->mu);
    if (lost)
        store_failed(f, "a scanner log's removed-file hint");
}

void xs_files_add_dearcry(xs_files *f, const char *display, const xs_where *where,
                           int64_t mtime_ms)
{
    bool lost = false;
    pthread_mutex_lock(&f->mu);
    f->dearcry++;
    enum { NEX = sizeof f->dearcry_ex / sizeof f->dearcry_ex[0] };
    size_t at = 0;
    while (at < f->ndearcry_ex && strcmp(f->dearcry_ex[at], display) < 0)
        at++;
    char *d = at < NEX ? strdup(display) : NULL;
    if (at < NEX && !d)
        lost = true;
    if (d) {
        if (f->ndearcry_ex == NEX)
            free(f->dearcry_ex[--f->ndearcry_ex]);
        memmove(f->dearcry_ex + at + 1, f->dearcry_ex + at,
                (f->ndearcry_ex - at) * sizeof *f->dearcry_ex);
        memmove(f->dearcry_where + at + 1, f->dearcry_where + at,
                (f->ndearcry_ex - at) * sizeof *f->dearcry_where);
        f->dearcry_ex[at] = d;
        f->dearcry_where[at] = *where;
        f->ndearcry_ex++;
    }
    if (mtime_ms != EXS_TIME_NONE) {
        if (f->dearcry_first == EXS_TIME_NONE || mtime_ms < f->dearcry_first)
            f->dearcry_first = mtime_ms;
        if (f->dearcry_last == EXS_TIME_NONE || mtime_ms > f->dearcry_last)
            f->dearcry_last = mtime_ms;
    }
    pthread_mutex_unlock(&f->mu);
    if (lost)
        store_failed(f, "a DearCry example");
}

/* The records' max-heap (core/heap.h) on their order. */
static int cmp_rec_order(const void *a, const void *b)
{
    uint64_t x = ((const xs_frec *)a)->order, y = ((const xs_frec *)b)->order;
    return (x > y) - (x < y);
}

/* Adds n hits of rule and verdict v, their times spanning [first, last], to the tallies *g
 * (*ng of them, room for *cap). False when out of memory. */
static bool tally_add(xs_fgone **g, size_t *ng, size_t *cap, const exs_rule *rule, exs_verdict v,
                      bool deferred, uint64_t n, int64_t first, int64_t last)
{
    xs_fgone *x = NULL;
    for (size_t i = 0; i < *ng && !x; i++)
        if ((*g)[i].rule == rule && (*g)[i].verdict == v && (*g)[i].deferred == deferred)
            x = &(*g)[i];
    if (!x) {
        if (!xs_grow((void **)g, cap, *ng + 1, sizeof **g))
            return false;
        x = &(*g)[(*ng)++];
        *x = (xs_fgone){rule, v, 0, EXS_TIME_NONE, EXS_TIME_NONE, deferred};
    }
    x->n += n;
    xs_time_span_add(&x->first_ms, &x->last_ms, xs_time_or_none(first));
    xs_time_span_add(&x->first_ms, &x->last_ms, xs_time_or_none(last));
    return true;
}

/* Tallies n deferred hits of a record not kept. */
static bool gone_deferred(xs_files *f, const exs_rule *rule, exs_verdict v, uint64_t n,
                          int64_t first, int64_t last)
{
    pthread_mutex_lock(&f->mu);
    bool ok = tally_add(&f->gone, &f->ngone, &f->capgone, rule, v, true, n, first, last);
    pthread_mutex_unlock(&f->mu);
    return ok;
}

void xs_files_count_gone_deferred(xs_files *f)
{
    for (size_t i = 0; i < f->ngone; i++)
        if (!xs_store_count_only(f->scan->store, f->gone[i].rule, f->gone[i].verdict,
                                  f->gone[i].n, f->gone[i].first_ms, f->gone[i].last_ms)) {
            xs_scan_fail(f->scan, EXS_ENOMEM, "out of memory counting the findings of files");
            return;
        }
}

/* Records with an always-kept hit are all kept (a web shell behind 100,000 decoys is still
 * reported); the others share max_records, and when they are more, the ones with the
 * largest order go: the same files whatever order the workers deliver them in. */
static void store_record(exs_scan *s, xs_files *f, xs_frec *r)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = r->display; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    r->order = h;
    bool oom = false;
    if (r->hits_dropped) {
        /* the hits past the cap are findings not kept: counted, whether the record stays */
        xs_warn(s, XS_W_LIMIT, r->display, 0,
                 "%llu findings of this file past %llu not reported (they are counted)",
                 (unsigned long long)r->hits_dropped, (unsigned long long)f->max_file_hits);
        for (size_t i = 0; i < r->nover && !oom; i++) {
            const xs_fgone *x = &r->over[i];
            oom = x->deferred ? !gone_deferred(f, x->rule, x->verdict, x->n, x->first_ms,
                                               x->last_ms)
                              : !xs_store_count_only(s->store, x->rule, x->verdict, x->n,
                                                     x->first_ms, x->last_ms);
        }
    }
    for (const xs_fhit *x = r->hits; x && !r->always; x = x->next)
        r->always = x->verdict == EXS_VERDICT_EXPLOITATION || x->rule->backdoor;
    xs_frec *gone = NULL;
    pthread_mutex_lock(&f->mu);
    if (r->always) {
        r->next = f->recs;
        f->recs = r;
        f->nrecs++;
    } else if (f->nheap < f->max_records) {
        if (xs_grow((void **)&f->heap, &f->capheap, f->nheap + 1, sizeof *f->heap)) {
            f->heap[f->nheap] = r;
            xs_heap_up((void **)f->heap, f->nheap++, cmp_rec_order);
        } else {
            gone = r;
            oom = true;
        }
    } else {
        f->recs_dropped++;
        if (f->nheap && f->heap[0]->order > r->order) {
            gone = f->heap[0];
            f->heap[0] = r;
            xs_heap_down((void **)f->heap, f->nheap, 0, cmp_rec_order);
        } else {
            gone = r;
        }
    }
    pthread_mutex_unlock(&f->mu);
    if (gone) {
        /* its findings are not made, but counted: the counts cover every finding (the
         * deferred ones once the sweep knows whether they are findings) */
        for (const xs_fhit *x = gone->hits; x && !oom; x = x->next) {
            int64_t t = x->time_ms != EXS_TIME_NONE ? x->time_ms : gone->mtime_ms;
            oom = x->deferred ? !gone_deferred(f, x->rule, x->verdict, 1, t, t)
                              : !xs_store_count_only(s->store, x->rule, x->verdict, 1, t, t);
        }
        free_rec(gone);
    }
    if (oom)
        xs_scan_fail(s, EXS_ENOMEM, "out of memory keeping the findings of a file");
}

static int cmp_rec(const void *pa, const void *pb)
{
    return strcmp((*(xs_frec *const *)pa)->display, (*(xs_frec *const *)pb)->display);
}

static int cmp_compiled(const void *pa, const void *pb)
{
    const xs_fcompiled *a = pa, *b = pb;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    int r = strcmp(a->url, b->url);
    return r ? r : strcmp(a->display, b->display);
}

static int cmp_hint(const void *pa, const void *pb)
{
    const xs_fremoved_hint *a = pa, *b = pb;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    int r = strcmp(a->url, b->url);
    return r ? r : strcmp(a->what, b->what);
}

void xs_files_settle(xs_files *f)
{
    /* the clues in a fixed order: the pass takes the first that fits */
    if (f->nvdirs > 1)
        qsort(f->vdirs, f->nvdirs, sizeof *f->vdirs, cmp_vdir_at);
    if (f->ncompiled > 1)
        qsort(f->compiled, f->ncompiled, sizeof *f->compiled, cmp_compiled);
    if (f->nhints > 1)
        qsort(f->hints, f->nhints, sizeof *f->hints, cmp_hint);
    /* the sampled records join the list, by display path (a fixed order) */
    if (f->nheap > 1)
        qsort(f->heap, f->nheap, sizeof *f->heap, cmp_rec);
    for (size_t i = f->nheap; i-- > 0;) {
        f->heap[i]->next = f->recs;
        f->recs = f->heap[i];
        f->nrecs++;
    }
    f->nheap = 0;
}

static void store_script(exs_scan *s, xs_files *f, uint32_t root, const xs_webloc *loc,
                         const char *norm)
{
    char key[XS_MAX_URL + 16];
    bool lost = false;
    pthread_mutex_lock(&f->mu);
    if (loc->url[0]) {
        if (xs_strmap_count(f->web_urls) < f->max_scripts)
            lost = !xs_strmap_put(f->web_urls, xs_files_url_key(root, loc->url, key, sizeof key),
                                   (void *)1, NULL);
        else
            f->scripts_dropped++;
    } else if (f->nloose < f->max_scripts) {
        char *d = NULL;
        if (xs_grow((void **)&f->loose, &f->caploose, f->nloose + 1, sizeof *f->loose) &&
            xs_grow((void **)&f->loose_root, &f->caploose_root, f->nloose + 1,
                     sizeof *f->loose_root) &&
            (d = strdup(norm)) != NULL) {
            f->loose_root[f->nloose] = root;
            f->loose[f->nloose++] = d;
        } else {
            lost = true;
        }
    } else {
        lost = true;
    }
    pthread_mutex_unlock(&f->mu);
    if (lost)
        xs_scan_fail(s, EXS_ENOMEM, "out of memory remembering a script file");
}

/* ---------------------------------------------------------------- hits */

static void fhit_add(xs_fctx *c, const xs_hit *hit, bool deferred)
{
    if (!c->rec) {
        xs_frec *r = calloc(1, sizeof *r);
        if (!r)
            goto oom;
        r->display = strdup(c->display);
        r->norm = strdup(c->norm);
        r->url = c->loc.url[0] ? strdup(c->loc.url) : NULL;
        if (!r->display || !r->norm || (c->loc.url[0] && !r->url)) {
            free(r->display);
            free(r->norm);
            free(r->url);
            free(r);
            goto oom;
        }
        r->where = c->where;
        memcpy(r->sha256, c->sha256, sizeof r->sha256);
        memcpy(r->sha1, c->sha1, sizeof r->sha1);
        memcpy(r->md5, c->md5, sizeof r->md5);
        memcpy(r->attributes, c->attributes, sizeof r->attributes);
        r->size = c->meta->size >= 0 ? c->meta->size : (c->data ? (int64_t)c->data_n : -1);
        r->mtime_ms = c->meta->mtime_ms;
        r->dev = c->meta->dev;
        r->ino = c->meta->ino;
        r->site = c->loc.site;
        c->rec = r;
    }
    if (c->rec->nhits >= c->files->max_file_hits) {
        /* not kept, but counted (store_record): the counts cover every finding */
        xs_frec *r = c->rec;
        int64_t t = hit->time_ms != EXS_TIME_NONE ? hit->time_ms : r->mtime_ms;
        if (!tally_add(&r->over, &r->nover, &r->capover, hit->rule, hit->verdict, deferred, 1,
                       t, t))
            goto oom;
        r->hits_dropped++;
        return;
    }
    xs_fhit *h = calloc(1, sizeof *h);
    if (!h)
        goto oom;
    h->rule = hit->rule;
    h->verdict = hit->verdict;
    h->severity = hit->severity;
    h->time_ms = hit->time_ms;
    h->reason = hit->reason;
    h->deferred = deferred;
    bool ok = true;
    for (size_t i = 0; i < hit->nfacts; i++) {
        xs_str v = hit->facts[i].value;
        h->keys[i] = hit->facts[i].key;
        h->values[i] = strndup(v.p, v.n < XS_MAX_FINDING_FIELD ? v.n : XS_MAX_FINDING_FIELD);
        ok &= h->values[i] != NULL;
        h->nfacts++;
    }
    if (hit->target.n)
        ok &= (h->target = strndup(hit->target.p, hit->target.n < XS_MAX_FINDING_FIELD
                                                      ? hit->target.n
                                                      : XS_MAX_FINDING_FIELD)) != NULL;
    h->line = hit->line;
    if (hit->key.n)
        ok &= (h->key = strndup(hit->key.p, hit->key.n < XS_MAX_FINDING_FIELD
                                                ? hit->key.n
                                                : XS_MAX_FINDING_FIELD)) != NULL;
    size_t en = hit->evidence.n < XS_MAX_EVIDENCE ? hit->evidence.n : XS_MAX_EVIDENCE;
    if (hit->evidence.p && en)
        ok &= (h->evidence = strndup(hit->evidence.p, en)) != NULL;
    /* append, so findings keep the order the checks ran in */
    if (c->rec->last)
        c->rec->last->next = h;
    else
        c->rec->hits = h;
    c->rec->last = h;
    c->rec->nhits++;
    if (!ok)
        goto oom;
    return;
oom:
    xs_scan_fail(c->scan, EXS_ENOMEM, "out of memory keeping a file finding of %s", c->display);
}

void xs_fhit_add(xs_fctx *c, const xs_hit *hit)
{
    fhit_add(c, hit, false);
}

void xs_fhit_add_deferred(xs_fctx *c, const xs_hit *hit)
{
    fhit_add(c, hit, true);
}

void xs_fhit_add_exchange(xs_fctx *c, const xs_hit *hit)
{
    xs_fhit *last = c->rec ? c->rec->last : NULL;
    fhit_add(c, hit, false);
    if (c->rec && c->rec->last && c->rec->last != last)
        c->rec->last->exchange_only = true;
}

void xs_fnote_build(xs_fctx *c, const struct xs_obs_build *o)
{
    xs_scan_note_build(c->scan, c->where.root, c->display, o);
}

void xs_fnote_state(xs_fctx *c, const struct xs_obs_note *o)
{
    xs_scan_note_state(c->scan, c->where.root, c->display, o);
}

/* ---------------------------------------------------------------- per worker */

#define HEAD_MAX 65536
#define DEPTHS (XS_MAX_ARCHIVE_DEPTH + 2)

typedef struct fstate {
    xs_fworker *w;
    bool active;
    const char *display, *norm;
    xs_where where;
    xs_class cls;
    xs_fmeta meta;
    const xs_input *raw;
    xs_input tee, mem;
    unsigned char head[HEAD_MAX];
    size_t head_n;
    unsigned char *buf; /* the content copy */
    size_t len, cap;
    uint64_t max; /* the size policy for this file: max_size, or more for a registry hive that
                     cannot be read again (an archive member) */
    size_t mpos; /* memory input position (archives read whole) */
    bool want, over, broken, eof;
    bool oom; /* the copy could not grow (broken too): the sweep fails at the end */
} fstate;

struct xs_fworker {
    exs_scan *s;
    xs_files *f;
    xs_yscanner *yshipped, *yuser;
    xs_pathre_scratch *iocre; /* for the Loki filename IOCs, when the set has any */
    fstate st[DEPTHS];
    uint64_t hashed, large, skipped_ext, rule_scans, rule_gated, logs_parsed_only;
    bool shipped_failed;
};

exs_rc xs_fworker_create(xs_fworker **out, exs_scan *s)
{
    xs_fworker *w = calloc(1, sizeof *w);
    if (!w)
        return EXS_ENOMEM;
    w->s = s;
    w->f = s->files;
    for (int i = 0; i < DEPTHS; i++)
        w->st[i].w = w;
    exs_rc rc = EXS_OK;
    if (rc == EXS_OK && w->f->enabled && w->f->user)
        rc = xs_yscanner_create(&w->yuser, w->f->user, w->f->yara_timeout_s);
    if (rc == EXS_OK && w->f->enabled && xs_iocset_regexes(w->f->iocs))
        rc = xs_pathre_scratch_create(&w->iocre, xs_iocset_regexes(w->f->iocs));
    if (rc != EXS_OK) {
        xs_fworker_destroy(w);
        return rc;
    }
    *out = w;
    return EXS_OK;
}

void xs_fworker_destroy(xs_fworker *w)
{
    if (!w)
        return;
    xs_yscanner_destroy(w->yshipped);
    xs_yscanner_destroy(w->yuser);
    xs_pathre_scratch_destroy(w->iocre);
    for (int i = 0; i < DEPTHS; i++)
        free(w->st[i].buf);
    free(w);
}

void xs_fworker_stats(xs_fworker *w, exs_sweep_stats *st)
{
    if (!w)
        return;
    st->files_hashed += w->hashed;
    st->files_large += w->large;
    st->files_skipped_ext += w->skipped_ext;
    st->rule_scans += w->rule_scans;
    st->rule_gated += w->rule_gated;
    st->logs_parsed_only += w->logs_parsed_only;
    w->hashed = w->large = w->skipped_ext = w->rule_scans = w->rule_gated = 0;
    w->logs_parsed_only = 0;
}

/* Appends to the content copy; past the size limit the copy is abandoned. */
static void append(fstate *fs, const void *p, size_t n)
{
    uint64_t max = fs->max;
    if (!fs->want || fs->over || fs->broken || n == 0)
        return;
    if (fs->len + n > max) {
        fs->over = true;
        return;
    }
    if (fs->len + n > fs->cap) {
        size_t nc = fs->cap ? fs->cap : 65536;
        while (nc < fs->len + n)
            nc *= 2;
        if (nc > max)
            nc = (size_t)max;
        unsigned char *b = realloc(fs->buf, nc);
        if (!b) {
            fs->broken = fs->oom = true;
            return;
        }
        fs->buf = b;
        fs->cap = nc;
    }
    memcpy(fs->buf + fs->len, p, n);
    fs->len += n;
}

static long tee_read(void *ctx, void *buf, size_t n)
{
    fstate *fs = ctx;
    long r = fs->raw->read(fs->raw->ctx, buf, n);
    if (r < 0) /* the stream reported it */
        fs->broken = true;
    else if (r == 0)
        fs->eof = true;
    else
        append(fs, buf, (size_t)r);
    return r;
}

static long long tee_seek(void *ctx, long long off, int whence)
{
    fstate *fs = ctx;
    fs->broken = true; /* the readers no longer see the bytes in order: no content copy */
    return fs->raw->seek(fs->raw->ctx, off, whence);
}

static long mem_read(void *ctx, void *buf, size_t n)
{
    fstate *fs = ctx;
    if (fs->mpos >= fs->len)
        return 0;
    size_t k = fs->len - fs->mpos < n ? fs->len - fs->mpos : n;
    memcpy(buf, fs->buf + fs->mpos, k);
    fs->mpos += k;
    return (long)k;
}

static long long mem_seek(void *ctx, long long off, int whence)
{
    fstate *fs = ctx;
    long long base = whence == SEEK_SET   ? 0
                     : whence == SEEK_CUR ? (long long)fs->mpos
                                          : (long long)fs->len;
    long long t = base + off;
    if (t < 0)
        return -1;
    fs->mpos = (size_t)t;
    return t;
}

static const char *ext_of(const char *base)
{
    const char *dot = strrchr(base, '.');
    return dot ? dot : "";
}

const xs_input *xs_file_begin(xs_fworker *w, int depth, const char *display, const char *norm,
                                const xs_where *where, const xs_class *cls,
                                const xs_fmeta *meta, const unsigned char *head, size_t have,
                                const xs_input *raw)
{
    if (!w || depth < 0 || depth >= DEPTHS)
        return raw;
    fstate *fs = &w->st[depth];
    xs_files *f = w->f;
    fs->active = f->enabled;
    if (!fs->active)
        return raw;
    fs->display = display;
    fs->norm = norm;
    fs->where = *where;
    fs->cls = *cls;
    fs->meta = *meta;
    fs->raw = raw;
    fs->head_n = have < HEAD_MAX ? have : HEAD_MAX;
    memcpy(fs->head, head, fs->head_n);
    fs->len = 0;
    fs->mpos = 0;
    fs->over = fs->broken = fs->eof = fs->oom = false;
    fs->want = true;
    /* A registry hive (detectors/registry.c) is read whole: on disk it is read again from
     * the start when larger than the policy, an archive member cannot be, so its copy may
     * grow to the hive cap. */
    fs->max = f->max_size;
    xs_hive_head hd;
    if (!raw->seek && xs_hive_head_read(head, have, &hd) && hd.type == 0 &&
        fs->max < w->s->hive_limits.max_bytes)
        fs->max = w->s->hive_limits.max_bytes; /* a primary hive, not a transaction log */
    const char *slash = strrchr(display, '/');
    const char *ext = ext_of(slash ? slash + 1 : display);
    for (size_t i = 0; i < f->nskip && *ext; i++)
        if (strcasecmp(ext, f->skip_ext[i]) == 0) {
            fs->want = false;
            w->skipped_ext++; /* once per file, however often --skip-ext names it */
            break;
        }
    /* Logs have their own parsers: copying, hashing and rule-scanning gigabytes of them would
     * cost more than parsing them and hold a whole file in memory per worker. User rules
     * (which may be log rules, as in signature-base) and --check-logs still see them. */
    if (fs->want && !f->check_logs && !f->user &&
        xs_kind_parsed(cls->kind)) {
        fs->want = false;
        w->logs_parsed_only++;
    }
    if (fs->want && meta->size >= 0 && (uint64_t)meta->size > fs->max) {
        fs->want = false;
        fs->over = true;
        w->large++;
    }
    if (fs->want && meta->size >= 0 && (size_t)meta->size + 1 > fs->cap) {
        unsigned char *b = realloc(fs->buf, (size_t)meta->size + 1);
        if (b) {
            fs->buf = b;
            fs->cap = (size_t)meta->size + 1;
        }
    }
    append(fs, head, have);
    if (have == 0 || (meta->size >= 0 && (uint64_t)have >= (uint64_t)meta->size))
        fs->eof = meta->size >= 0 || have == 0;
    fs->tee = (xs_input){tee_read, raw->seek ? tee_seek : NULL, fs};
    return &fs->tee;
}

bool xs_file_copies(const xs_fworker *w, int depth)
{
    if (!w || depth < 0 || depth >= DEPTHS)
        return false;
    const fstate *fs = &w->st[depth];
    return fs->active && fs->want && !fs->over;
}

const xs_input *xs_file_slurp(xs_fworker *w, int depth, const xs_input *in)
{
    if (!w || depth < 0 || depth >= DEPTHS)
        return in;
    fstate *fs = &w->st[depth];
    if (!fs->active || !fs->want || fs->meta.size < 0 || in != &fs->tee)
        return in;
    unsigned char tmp[65536];
    while (!fs->eof && !fs->over && !fs->broken) {
        long r = tee_read(fs, tmp, sizeof tmp);
        if (r <= 0)
            break;
    }
    if (fs->over)
        return in; /* grew beyond the size it had: the walk reads the rest as a stream */
    fs->mpos = fs->head_n <= fs->len ? fs->head_n : fs->len;
    fs->mem = (xs_input){mem_read, mem_seek, fs};
    return &fs->mem;
}

/* Reads what the readers left, straight into the copy. */
static void drain(fstate *fs)
{
    uint64_t max = fs->max;
    while (!fs->eof && !fs->over && !fs->broken) {
        if (fs->len == fs->cap) {
            size_t nc = fs->cap ? fs->cap * 2 : 65536;
            if (nc > max + 1)
                nc = (size_t)max + 1;
            if (nc <= fs->cap) {
                fs->over = true; /* at the limit with bytes still coming */
                break;
            }
            unsigned char *b = realloc(fs->buf, nc);
            if (!b) {
                fs->broken = fs->oom = true;
                break;
            }
            fs->buf = b;
            fs->cap = nc;
        }
        long r = fs->raw->read(fs->raw->ctx, fs->buf + fs->len, fs->cap - fs->len);
        if (r < 0)
            fs->broken = true;
        else if (r == 0)
            fs->eof = true;
        else if (fs->len + (size_t)r > max)
            fs->over = true;
        else
            fs->len += (size_t)r;
    }
}

void xs_file_end(xs_fworker *w, int depth)
{
    if (!w || depth < 0 || depth >= DEPTHS)
        return;
    fstate *fs = &w->st[depth];
    if (!fs->active)
        return;
    fs->active = false;
    if (fs->want)
        drain(fs);
    if (fs->want && fs->over)
        w->large++;

    xs_fctx c;
    memset(&c, 0, sizeof c);
    c.scan = w->s;
    c.files = w->f;
    c.yuser = w->yuser;
    c.iocre = w->iocre;
    c.display = fs->display;
    c.norm = fs->norm;
    c.where = fs->where;
    const char *slash = strrchr(fs->display, '/');
    const char *base = slash ? slash + 1 : fs->display;
    size_t bn = 0;
    for (; base[bn] && bn + 1 < sizeof c.base; bn++)
        c.base[bn] = xs_lower(base[bn]);
    c.base[bn] = 0;
    c.ext = ext_of(c.base);
    c.cls = &fs->cls;
    c.meta = &fs->meta;
    xs_webloc_of(fs->norm, &c.loc);
    c.head = fs->head;
    c.head_n = fs->head_n;
    c.raw = fs->raw;
    if (fs->oom) /* its content checks cannot run: they would pass it as clean */
        xs_scan_fail(w->s, EXS_ENOMEM, "out of memory copying %s for the file checks",
                      fs->display);
    bool complete = fs->want && fs->eof && !fs->over && !fs->broken;
    if (complete && !w->yshipped && !w->shipped_failed) {
        char err[512];
        const xs_yrules *shipped;
        exs_rc rc = xs_yrules_shipped_get(&shipped, err, sizeof err);
        if (rc == EXS_OK) {
            rc = xs_yscanner_create(&w->yshipped, shipped, w->f->yara_timeout_s);
            snprintf(err, sizeof err, "shipped rules: no scanner (%s)", exs_strerror(rc));
        }
        if (rc != EXS_OK) {
            w->shipped_failed = true;
            xs_scan_fail(w->s, rc, "%s", err);
        }
    }
    c.yshipped = w->yshipped;
    if (complete) {
        c.data = fs->buf ? fs->buf : fs->head; /* an empty file has no buffer */
        c.data_n = fs->len;
        /* the other digests only for lists that name them */
        bool ok = xs_sha256_hex(c.data, c.data_n, c.sha256);
        if (ok)
            w->hashed++;
        if (ok && xs_iocset_count(w->f->iocs, XS_IOC_SHA1))
            ok = xs_sha1_hex(c.data, c.data_n, c.sha1);
        if (ok && xs_iocset_count(w->f->iocs, XS_IOC_MD5))
            ok = xs_md5_hex(c.data, c.data_n, c.md5);
        /* An unhashed file would pass the hash indicators as clean. With the default provider
         * a digest fails only when OpenSSL cannot allocate (which OpenSSL 3.2 no longer even
         * puts on its error queue), so the code is that. */
        if (!ok)
            xs_scan_fail(w->s, EXS_ENOMEM, "hashing %s failed (OpenSSL out of memory)",
                          fs->display);
    }
    c.loglike =
        (xs_kind_structured(fs->cls.kind) || xs_looks_json_lines(fs->head, fs->head_n)) &&
        c.loc.folder == XS_WF_NONE && !xs_web_script_ext(c.base, strlen(c.base));
    xs_detect_file(&c);
    w->rule_scans += c.rule_scans;
    w->rule_gated += c.rule_gated;
    /* An engine that failed on this file leaves it unchecked, whatever the checks made of it. */
    exs_rc rc;
    if ((rc = xs_yscanner_failure(w->yshipped)) != EXS_OK)
        xs_scan_fail(w->s, rc, "the shipped rules failed on %s (%s)", fs->display,
                      exs_strerror(rc));
    if ((rc = xs_yscanner_failure(w->yuser)) != EXS_OK)
        xs_scan_fail(w->s, rc, "the user rules failed on %s (%s)", fs->display, exs_strerror(rc));
    if ((rc = xs_pathre_scratch_failure(w->iocre)) != EXS_OK)
        xs_scan_fail(w->s, rc, "the filename expressions failed on %s (%s)", fs->display,
                      exs_strerror(rc));

    if (c.loc.held != XS_HELD_NONE) {
        pthread_mutex_lock(&w->f->mu);
        w->f->held[c.loc.held] |= xs_files_root_bit(fs->where.root);
        pthread_mutex_unlock(&w->f->mu);
    }
    if (xs_web_script_ext(c.base, strlen(c.base)))
        store_script(w->s, w->f, fs->where.root, &c.loc, fs->norm);
    if (c.rec)
        store_record(w->s, w->f, c.rec);
}
