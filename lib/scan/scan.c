/* The sweep: roots are walked in the calling thread, files go through a bounded queue to
 * worker threads, results are merged and sorted at the end. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/digest.h"
#include "core/limits.h"
#include "engines/prefilter.h"
#include "detectors/sigma.h"
#include "engines/hscache.h"
#include "engines/prefilter_db.h"
#include "exsweep/exsweep.h"
#include "scan/files.h"
#include "scan/pass.h"
#include "scan/scan_int.h"
#include "scan/worker.h"

static bool opt_add(exs_scan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *exs_version(void)
{
    return EXSWEEP_VERSION;
}

exs_rc exs_scan_create(exs_scan **out, const exs_scan_opts *opts)
{
    exs_scan *s = calloc(1, sizeof *s);
    if (!s)
        return EXS_ENOMEM;
    if (opts)
        s->opts = *opts;
    s->archive_ratio = XS_MAX_ARCHIVE_RATIO;
    s->archive_floor = XS_MAX_ARCHIVE_FLOOR;
    s->max_access = XS_MAX_ACCESS_EVENTS;
    s->max_server_over = XS_MAX_SERVER_OVER;
    xs_hive_limits_default(&s->hive_limits);
    s->archive_members = XS_MAX_ARCHIVE_MEMBERS;
    for (int k = 0; k < XS_W__COUNT; k++)
        s->wcounts[k].kind = xs_warn_kind_name((xs_warn_kind)k);
    if (pthread_mutex_init(&s->mu, NULL) != 0) {
        free(s);
        return EXS_ETHREAD;
    }
    s->res = xs_results_new();
    s->store = xs_store_create(s->opts.max_findings ? s->opts.max_findings : EXS_MAX_FINDINGS,
                                XS_MAX_KEPT_ALWAYS);
    s->warnkeep = xs_warnkeep_create(XS_MAX_WARNING_EXAMPLES);
    exs_rc rc = s->res && s->store && s->warnkeep ? xs_files_create(&s->files, opts) : EXS_ENOMEM;
    if (rc != EXS_OK) {
        xs_warnkeep_destroy(s->warnkeep);
        xs_store_destroy(s->store);
        exs_results_destroy(s->res);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return rc;
    }
    if (opts && opts->skip_ext && !opt_add(s, "skip-ext=%s", opts->skip_ext)) {
        exs_scan_destroy(s);
        return EXS_ENOMEM;
    }
    s->opts.skip_ext = NULL; /* parsed and copied by the file side */
    *out = s;
    return EXS_OK;
}

exs_rc exs_scan_add_rules(exs_scan *s, const char *path)
{
    if (!s || !path || s->ran)
        return EXS_EINVAL;
    s->err[0] = 0;
    exs_rc rc = xs_files_add_rules(s->files, path, s->err, sizeof s->err);
    return rc == EXS_OK && !opt_add(s, "rules=%s", path) ? EXS_ENOMEM : rc;
}

exs_rc exs_scan_add_sigma(exs_scan *s, const char *path)
{
    if (!s || !path || s->ran)
        return EXS_EINVAL;
    s->err[0] = 0;
    if (!s->sigma && !(s->sigma = xs_sigrules_create()))
        return EXS_ENOMEM;
    exs_rc rc = xs_sigrules_add(s->sigma, path, s->err, sizeof s->err);
    if (rc == EXS_OK && !opt_add(s, "sigma=%s", path)) {
        snprintf(s->err, sizeof s->err, "%s: out of memory recording the rules in the sweep record",
                 path);
        rc = EXS_ENOMEM;
    }
    return rc;
}

exs_rc exs_scan_sigma_stats(const exs_scan *s, exs_sigma_stats *out)
{
    if (!s || !out)
        return EXS_EINVAL;
    memset(out, 0, sizeof *out);
    if (!s->sigma)
        return EXS_OK;
    xs_sigrules_stats st;
    xs_sigrules_stats_get(s->sigma, &st);
    out->loaded = st.loaded;
    out->skipped = st.skipped;
    out->correlations = st.correlations;
    out->unmapped = st.unmapped;
    out->cache_used = s->cache_st.cache_used;
    out->cache_hits = s->cache_st.cache_hits;
    out->cache_compiled = s->cache_st.cache_compiled;
    out->cache_stored = s->cache_st.cache_stored;
    out->cache_failed = s->cache_st.cache_failed;
    memcpy(out->cache_why, s->cache_st.cache_why, sizeof out->cache_why);
    return EXS_OK;
}

exs_rc exs_scan_set_sigma_cache(exs_scan *s, const char *dir)
{
    if (!s || s->ran)
        return EXS_EINVAL;
    char *d = dir && *dir ? strdup(dir) : NULL;
    if (dir && *dir && !d)
        return EXS_ENOMEM;
    free(s->sigma_cache);
    s->sigma_cache = d;
    return EXS_OK;
}

void exs_scan_sigma_summary(const exs_scan *s, char *buf, size_t cap)
{
    if (!buf || !cap)
        return;
    if (s && s->sigma)
        xs_sigrules_summary(s->sigma, buf, cap);
    else
        snprintf(buf, cap, "sigma: 0 rules loaded, 0 skipped");
}

exs_rc exs_scan_sigma_report(const exs_scan *s, FILE *out)
{
    if (!s || !out)
        return EXS_EINVAL;
    return !s->sigma || xs_sigrules_skip_report(s->sigma, out) == 0 ? EXS_OK : EXS_EIO;
}

exs_rc exs_scan_add_iocs(exs_scan *s, const char *path)
{
    if (!s || !path || s->ran)
        return EXS_EINVAL;
    s->err[0] = 0;
    exs_rc rc = xs_files_add_iocs(s->files, s, path, s->err, sizeof s->err);
    if (rc == EXS_OK && !opt_add(s, "ioc=%s", path)) {
        snprintf(s->err, sizeof s->err, "%s: out of memory recording the list in the sweep record",
                 path);
        rc = EXS_ENOMEM;
    }
    return rc;
}

const char *exs_scan_error(const exs_scan *s)
{
    return s ? s->err : "";
}

/* What a root is, for messages: the types a sweep refuses. */
static const char *root_type_name(mode_t m)
{
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISSOCK(m))
        return "a socket";
    if (S_ISCHR(m))
        return "a character device";
    if (S_ISBLK(m))
        return "a block device";
    return "an unknown file type";
}

static exs_rc root_errno_rc(int e)
{
    switch (e) {
    case ENOENT:
    case ENOTDIR: return EXS_ENOENT;
    case EACCES:
    case EPERM: return EXS_EACCES;
    case ENOMEM: return EXS_ENOMEM;
    default: return EXS_EIO;
    }
}

/* Whether path can be swept: a folder or a regular file (the root itself may be a symlink,
 * followed here) that this process can open. Anything else is refused from its stat alone
 * and never opened, so a FIFO cannot block the caller. The open is a check only: O_NONBLOCK
 * in case the path turned into a FIFO after the stat, and its fstat must agree. Writes a
 * message naming path to err on failure. */
static exs_rc root_check(const char *path, char *err, size_t cap)
{
    struct stat st, fst;
    if (stat(path, &st) != 0) {
        int e = errno;
        snprintf(err, cap, "%s: %s", path, strerror(e));
        return root_errno_rc(e);
    }
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
        snprintf(err, cap, "%s: %s, not a folder or a regular file", path,
                 root_type_name(st.st_mode));
        return EXS_EFTYPE;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY |
                            (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
    if (fd < 0) {
        int e = errno;
        snprintf(err, cap, "%s: cannot open %s: %s", path,
                 S_ISDIR(st.st_mode) ? "the folder" : "the file", strerror(e));
        return root_errno_rc(e);
    }
    exs_rc rc = EXS_OK;
    if (fstat(fd, &fst) != 0) {
        snprintf(err, cap, "%s: %s", path, strerror(errno));
        rc = EXS_EIO;
    } else if ((fst.st_mode & S_IFMT) != (st.st_mode & S_IFMT)) {
        snprintf(err, cap, "%s: changed while opened", path);
        rc = EXS_EFTYPE;
    }
    close(fd);
    return rc;
}

static bool label_taken(const exs_scan *s, const char *l)
{
    for (size_t i = 0; i < s->nroots; i++)
        if (strcmp(s->labels[i], l) == 0)
            return true;
    return false;
}

/* label, or "label-2", "label-3"... whichever is free first. */
static char *unique_label(const exs_scan *s, const char *label)
{
    size_t n = strlen(label) + 24;
    char *l = malloc(n);
    if (!l)
        return NULL;
    snprintf(l, n, "%s", label);
    for (unsigned k = 2; label_taken(s, l); k++)
        snprintf(l, n, "%s-%u", label, k);
    return l;
}

exs_rc exs_scan_add_root_label(exs_scan *s, const char *path, const char *label)
{
    if (!s || !path || !*path || s->ran)
        return EXS_EINVAL;
    s->err[0] = 0;
    exs_rc rc = root_check(path, s->err, sizeof s->err);
    if (rc != EXS_OK)
        return rc;
    /* the absolute path places the root (its location, the fleet's labels): a root that
     * passed the check but cannot be resolved now fails, rather than being placed by the
     * path as given */
    char buf[PATH_MAX];
    if (!realpath(path, buf)) {
        int e = errno;
        snprintf(s->err, sizeof s->err, "%s: %s", path, strerror(e));
        return e == ENOMEM ? EXS_ENOMEM : EXS_EIO;
    }
    const char *abs = buf;
    if (!label || !*label) {
        const char *b = strrchr(abs, '/');
        label = b && b[1] ? b + 1 : (b ? "root" : abs);
    }
    if (strlen(label) > XS_MAX_LABEL) {
        snprintf(s->err, sizeof s->err, "%s: a label longer than %d bytes", path, XS_MAX_LABEL);
        return EXS_EINVAL;
    }
    char *r = strdup(path), *a = strdup(abs), *l = unique_label(s, label);
    char **vr = r && a && l ? realloc(s->roots, (s->nroots + 1) * sizeof *vr) : NULL;
    if (vr)
        s->roots = vr;
    char **va = vr ? realloc(s->root_abs, (s->nroots + 1) * sizeof *va) : NULL;
    if (va)
        s->root_abs = va;
    char **vl = va ? realloc(s->labels, (s->nroots + 1) * sizeof *vl) : NULL;
    if (!vl) {
        free(r);
        free(a);
        free(l);
        return EXS_ENOMEM;
    }
    s->labels = vl;
    s->roots[s->nroots] = r;
    s->root_abs[s->nroots] = a;
    s->labels[s->nroots] = l;
    s->nroots++;
    return EXS_OK;
}

exs_rc exs_scan_add_root(exs_scan *s, const char *path)
{
    return exs_scan_add_root_label(s, path, NULL);
}

/* A bounded queue of open files between the walker and the workers. */
typedef struct queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    xs_item *items[XS_QUEUE_DEPTH];
    size_t head, count;
    bool closed;
} queue;

/* The walk handed it on (progress). */
static void note_queued(exs_scan *s, const xs_item *it)
{
    atomic_fetch_add_explicit(&s->p_files_queued, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->p_bytes_queued,
                              it->st.st_size > 0 ? (uint64_t)it->st.st_size : 0,
                              memory_order_relaxed);
}

static void note_done(exs_scan *s, uint64_t size)
{
    atomic_fetch_add_explicit(&s->p_files_done, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&s->p_bytes_done, size, memory_order_relaxed);
}

void exs_scan_progress(const exs_scan *s, exs_progress *out)
{
    exs_scan *m = (exs_scan *)s; /* atomics are read, never written */
    out->files_queued = atomic_load_explicit(&m->p_files_queued, memory_order_relaxed);
    out->bytes_queued = atomic_load_explicit(&m->p_bytes_queued, memory_order_relaxed);
    out->files_done = atomic_load_explicit(&m->p_files_done, memory_order_relaxed);
    out->bytes_done = atomic_load_explicit(&m->p_bytes_done, memory_order_relaxed);
    out->findings = atomic_load_explicit(&m->p_findings, memory_order_relaxed);
    out->walk_done = atomic_load_explicit(&m->p_walk_done, memory_order_relaxed);
}

static bool queue_push(void *ctx, xs_item *it)
{
    queue *q = ctx;
    pthread_mutex_lock(&q->mu);
    while (q->count == XS_QUEUE_DEPTH)
        pthread_cond_wait(&q->not_full, &q->mu);
    q->items[(q->head + q->count) % XS_QUEUE_DEPTH] = it;
    q->count++;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
    return true;
}

static xs_item *queue_pop(queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->count == 0 && !q->closed)
        pthread_cond_wait(&q->not_empty, &q->mu);
    xs_item *it = NULL;
    if (q->count) {
        it = q->items[q->head];
        q->head = (q->head + 1) % XS_QUEUE_DEPTH;
        q->count--;
        pthread_cond_signal(&q->not_full);
    }
    pthread_mutex_unlock(&q->mu);
    return it;
}

static void queue_close(queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = true;
    pthread_cond_broadcast(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
}

typedef struct thread_arg {
    exs_scan *s;
    xs_worker w;
    queue *q;
    pthread_t tid;
    bool started;
} thread_arg;

static void *worker_main(void *p)
{
    thread_arg *t = p;
    xs_item *it;
    while ((it = queue_pop(t->q)) != NULL) {
        uint64_t size = it->st.st_size > 0 ? (uint64_t)it->st.st_size : 0;
        xs_worker_process(&t->w, it); /* frees it */
        note_done(t->s, size);
    }
    return NULL;
}

typedef struct inline_arg {
    exs_scan *s;
    xs_worker *w;
} inline_arg;

static bool process_inline(void *ctx, xs_item *it)
{
    inline_arg *a = ctx;
    note_queued(a->s, it);
    uint64_t size = it->st.st_size > 0 ? (uint64_t)it->st.st_size : 0;
    xs_worker_process(a->w, it);
    note_done(a->s, size);
    return true;
}

typedef struct push_arg {
    exs_scan *s;
    queue *q;
} push_arg;

static bool queue_push_noted(void *ctx, xs_item *it)
{
    push_arg *a = ctx;
    note_queued(a->s, it);
    return queue_push(a->q, it);
}

/* Prefilter databases depend only on the built-in expression lists, so each is compiled once
 * per process, when the first file of its kind turns up, and shared read-only by every scan
 * (and every fuzz iteration). A sweep of IIS logs never pays for the other kinds. */
static pthread_mutex_t g_pf_mu = PTHREAD_MUTEX_INITIALIZER;
static xs_prefilter *g_pf[XS_KIND__COUNT];
static bool g_pf_tried[XS_KIND__COUNT];

const xs_prefilter *xs_scan_prefilter(exs_scan *s, xs_kind k)
{
    if (k <= XS_KIND_NONE || k >= XS_KIND__COUNT)
        return NULL;
    pthread_mutex_lock(&g_pf_mu);
    if (!g_pf_tried[k]) {
        const xs_pattern_set *set = xs_kind_patterns(k);
        /* Kinds that read the same set (HttpProxy and exports) share one database. */
        for (int j = 1; j < XS_KIND__COUNT && set && !g_pf[k]; j++)
            if (j != (int)k && g_pf[j] && xs_kind_patterns((xs_kind)j) == set)
                g_pf[k] = g_pf[j];
        exs_rc rc = EXS_OK;
        char err[512] = "";
        if (set && !g_pf[k]) {
            const xs_pf_blob *b = xs_pf_blob_find(xs_pattern_set_hash(set));
            rc = xs_prefilter_load(&g_pf[k], set, b ? b->bytes : NULL, b ? b->len : 0, err,
                                    sizeof err);
            if (rc != EXS_OK)
                g_pf[k] = NULL;
        }
        /* A failure is not remembered: the next sweep of the process tries again. This one
         * cannot read the kind's logs, so it fails. */
        if (rc != EXS_OK)
            xs_scan_fail(s, rc, "the %s log matcher could not be loaded: %s", xs_kind_name(k),
                          err[0] ? err : exs_strerror(rc));
        else
            g_pf_tried[k] = true;
    }
    const xs_prefilter *pf = g_pf[k];
    pthread_mutex_unlock(&g_pf_mu);
    return pf;
}

static int64_t wall_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static bool opt_add(exs_scan *s, const char *fmt, ...)
{
    char buf[PATH_MAX + 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char **v = realloc(s->optlist, (s->noptlist + 1) * sizeof *v);
    if (!v)
        return false;
    s->optlist = v;
    return (v[s->noptlist] = strdup(buf)) != NULL && ++s->noptlist;
}

/* The sweep record: version, roots and labels, options, start. */
static exs_rc sweep_info(exs_scan *s)
{
    exs_results *r = s->res;
    s->start_ms = wall_ms();
    r->sweep.version = EXSWEEP_VERSION;
    r->sweep.start_ms = s->start_ms;
    for (size_t i = 0; i < s->nroots; i++)
        if (!xs_results_add_root(r, s->roots[i], s->labels[i]))
            return EXS_ENOMEM;
    const exs_scan_opts *o = &s->opts;
    bool ok = (!o->jobs || opt_add(s, "jobs=%u", o->jobs)) &&
              (!o->max_findings || opt_add(s, "max-findings=%zu", o->max_findings)) &&
              (!o->max_file_size ||
               opt_add(s, "max-file-size=%llu", (unsigned long long)o->max_file_size)) &&
              (!o->no_file_checks || opt_add(s, "no-file-checks")) &&
              (!o->check_logs || opt_add(s, "check-logs"));
    for (size_t i = 0; ok && i < s->noptlist; i++)
        ok = xs_results_add_option(r, s->optlist[i]);
    return ok ? EXS_OK : EXS_ENOMEM;
}

/* Fails the sweep with rc unless it failed already; the message says what (and keeps one a
 * callee wrote to s->err, such as a rule's file and line). Returns rc. */
static exs_rc run_failed(exs_scan *s, exs_rc rc, const char *what)
{
    if (!xs_scan_failed(s)) {
        if (s->err[0]) {
            char msg[sizeof s->err];
            snprintf(msg, sizeof msg, "%s", s->err);
            xs_scan_fail(s, rc, "%s", msg);
        } else {
            xs_scan_fail(s, rc, "%s: %s", what, exs_strerror(rc));
        }
    }
    return rc;
}

/* The Sigma rules prepared, their databases through the cache when there is one to use. */
static exs_rc sigma_prepare(exs_scan *s)
{
    exs_sigma_stats *cs = &s->cache_st;
    xs_hscache *cache = NULL;
    if (s->sigma_cache) {
        /* never in the evidence: the roots' folders (a file root's own folder is not
         * evidence), by identity; a root that cannot be read leaves the cache unused */
        struct stat *avoid = calloc(s->nroots ? s->nroots : 1, sizeof *avoid);
        if (!avoid)
            snprintf(cs->cache_why, sizeof cs->cache_why, "%s", strerror(ENOMEM));
        for (size_t i = 0; avoid && i < s->nroots && !cs->cache_why[0]; i++)
            if (stat(s->roots[i], &avoid[i]) != 0)
                snprintf(cs->cache_why, sizeof cs->cache_why,
                         "%s: whether it is inside the evidence %s cannot be told (%s)",
                         s->sigma_cache, s->roots[i], strerror(errno));
        if (!cs->cache_why[0])
            cache = xs_hscache_open(s->sigma_cache, avoid, s->nroots, cs->cache_why,
                                    sizeof cs->cache_why);
        free(avoid);
    }
    exs_rc rc = xs_sigrules_prepare(s->sigma, cache);
    if (cache) {
        xs_hscache_stats st;
        xs_hscache_stats_get(cache, &st);
        cs->cache_used = true;
        cs->cache_hits = st.hits;
        cs->cache_compiled = st.compiled;
        cs->cache_stored = st.stored;
        cs->cache_failed = st.failed;
        snprintf(cs->cache_why, sizeof cs->cache_why, "%s", st.why);
        xs_hscache_close(cache);
    }
    return rc;
}

exs_rc xs_scan_prepare(exs_scan *s)
{
    if (!s || s->ran)
        return EXS_EINVAL;
    s->ran = true;
    exs_rc rc = sweep_info(s);
    if (rc != EXS_OK)
        return run_failed(s, rc, "recording the sweep");
    s->err[0] = 0;
    if (s->sigma && (rc = sigma_prepare(s)) != EXS_OK)
        return run_failed(s, rc, "preparing the Sigma rules");
    rc = xs_files_prepare(s, s->err, sizeof s->err);
    return rc == EXS_OK ? EXS_OK : run_failed(s, rc, "preparing the rules and indicators");
}

static unsigned job_count(const exs_scan *s)
{
    if (s->opts.jobs)
        return s->opts.jobs > 256 ? 256 : s->opts.jobs;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 256 ? 256 : (unsigned)n);
}

static void walk_all(exs_scan *s, xs_walk_fn fn, void *ctx)
{
    for (size_t i = 0; i < s->nroots; i++) {
        char prefix[XS_MAX_PATH];
        prefix[0] = 0;
        if (s->nroots > 1)
            snprintf(prefix, sizeof prefix, "%s/", s->labels[i]);
        if (!xs_walk_root(s, (uint32_t)i, s->roots[i], s->root_abs[i], prefix, fn, ctx)) {
            /* exs_scan_add_root checked the root; it changed since, or the walker could not
             * start. Either way the sweep is missing a root: fail it, saying why. */
            int e = errno;
            char msg[sizeof s->err];
            exs_rc rc = root_check(s->roots[i], msg, sizeof msg);
            if (rc == EXS_OK) {
                rc = e == ENOMEM ? EXS_ENOMEM : EXS_EIO;
                snprintf(msg, sizeof msg, "%s: could not be read", s->roots[i]);
            }
            xs_scan_fail(s, rc, "%s", msg);
        }
    }
}

/* The after-sweep passes, in order: each sees the findings of the ones before. */
static const struct {
    const char *name;
    xs_pass_fn fn;
} passes[] = {
    {"bursts", xs_pass_bursts}, /* web-shell hunting over the script requests */
    {"files", xs_pass_files},   /* file findings with their URLs and use, removed shells */
    {"links", xs_pass_links},   /* one finding per web shell seen from several sides */
    {"sigma", xs_pass_sigma},   /* the Sigma correlation rules */
};

static int cmp_access(const void *pa, const void *pb)
{
    const xs_access *a = pa, *b = pb;
    if (a->time_ms != b->time_ms)
        return a->time_ms < b->time_ms ? -1 : 1;
    int r = strcmp(a->file, b->file);
    if (r)
        return r;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    return strcmp(a->norm, b->norm);
}

void xs_scan_finish(exs_scan *s)
{
    /* the requests in a fixed order: the passes pick "the first" of them */
    if (s->naccess > 1)
        qsort(s->access, s->naccess, sizeof *s->access, cmp_access);
    xs_files_settle(s->files);
    /* the passes read the kept findings: settled first, they are the same set whatever order
     * the workers delivered them in */
    if (!xs_scan_failed(s) && !xs_store_settle(s->store))
        xs_scan_fail(s, EXS_ENOMEM, "out of memory settling the findings kept");
    xs_store_hold(s->store, true);
    for (size_t i = 0; i < sizeof passes / sizeof passes[0] && !xs_scan_failed(s); i++) {
        size_t n;
        const exs_finding **f = xs_store_snapshot(s->store, &n);
        if (!f) {
            xs_scan_fail(s, EXS_ENOMEM, "out of memory before the %s pass", passes[i].name);
            break;
        }
        xs_pass_view v = {s, s->files, f, n, s->access, s->naccess, s->sigma};
        passes[i].fn(&v);
        free(f);
    }
    xs_store_hold(s->store, false);
    if (s->access_dropped)
        xs_warn(s, XS_W_LIMIT, "", 0,
                 "%llu script requests past %llu not kept for correlation (bursts, shells)",
                 (unsigned long long)s->access_dropped, (unsigned long long)s->max_access);
    xs_scan_results_finish(s);
    exs_results *r = s->res;
    if (r) {
        r->sweep.end_ms = wall_ms();
        if (s->failed != EXS_OK && !xs_results_set_error(r, s->failed, s->err))
            r->sweep.status = s->failed;
    }
}

/* A library that ends the process in the middle of a sweep (libarchive calls exit(1) when its
 * string buffers cannot grow: __archive_errx in archive_string.c) would leave status 1, the
 * tool's "findings", over results that are not there. While a sweep runs, an exit from
 * anywhere is turned into status 2 with a message. */
static atomic_int g_running;
static pthread_mutex_t g_guard_mu = PTHREAD_MUTEX_INITIALIZER;
static bool g_guard_on;

static void exit_guard(void)
{
    if (atomic_load(&g_running) > 0) {
        static const char m[] = "exsweep: the process was ended in the middle of a sweep (a "
                                "library gave up, out of memory?): the results are incomplete\n";
        if (write(STDERR_FILENO, m, sizeof m - 1) < 0) {
            /* nothing more to do */
        }
        _exit(2);
    }
}

exs_rc xs_exit_guard_enter(char *err, size_t errlen)
{
    exs_rc rc = EXS_OK;
    pthread_mutex_lock(&g_guard_mu);
    /* Exit handlers run last registered first. OpenSSL registers its own (OPENSSL_cleanup)
     * when it starts: started here, before the guard is registered, it runs after the guard,
     * which ends the process first. Started later by the first file hashed, it would free
     * OpenSSL under the workers still hashing before the guard ran. */
    if (!g_guard_on && !xs_digest_init()) {
        rc = EXS_ENOMEM;
        snprintf(err, errlen, "OpenSSL could not start, and the exit guard needs it started "
                              "first");
    } else if (!g_guard_on && atexit(exit_guard) != 0) {
        /* a sweep unguarded could end with status 1 over results that are not there */
        rc = EXS_ENOMEM;
        snprintf(err, errlen, "no room to register the exit guard (atexit)");
    } else {
        g_guard_on = true;
        atomic_fetch_add(&g_running, 1);
    }
    pthread_mutex_unlock(&g_guard_mu);
    return rc;
}

void xs_exit_guard_leave(void)
{
    atomic_fetch_sub(&g_running, 1);
}

static exs_rc scan_run(exs_scan *s);

exs_rc exs_scan_run(exs_scan *s)
{
    if (!s)
        return EXS_EINVAL;
    char msg[128];
    exs_rc rc = xs_exit_guard_enter(msg, sizeof msg);
    if (rc != EXS_OK) {
        s->ran = true; /* failed: it does not run later either */
        xs_scan_fail(s, rc, "%s", msg);
        return rc;
    }
    rc = scan_run(s);
    xs_exit_guard_leave();
    return rc;
}

static exs_rc scan_run(exs_scan *s)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    exs_rc rc = xs_scan_prepare(s);
    if (rc != EXS_OK)
        return rc;
    unsigned jobs = job_count(s);
    s->stats.jobs = jobs;

    if (jobs == 1) {
        xs_worker w;
        rc = xs_worker_init(&w, s);
        if (rc == EXS_OK) {
            inline_arg ia = {s, &w};
            walk_all(s, process_inline, &ia);
            atomic_store(&s->p_walk_done, 1);
            xs_scan_add_stats(s, &w.stats);
        }
        xs_worker_fini(&w);
        if (rc != EXS_OK)
            return run_failed(s, rc, "setting up the worker");
    } else {
        queue q;
        memset(&q, 0, sizeof q);
        thread_arg *ts = calloc(jobs, sizeof *ts);
        if (!ts)
            return run_failed(s, EXS_ENOMEM, "setting up the workers");
        if (pthread_mutex_init(&q.mu, NULL) != 0 || pthread_cond_init(&q.not_empty, NULL) != 0 ||
            pthread_cond_init(&q.not_full, NULL) != 0) {
            free(ts);
            return run_failed(s, EXS_ETHREAD, "setting up the work queue");
        }
        unsigned started = 0;
        for (unsigned i = 0; i < jobs && rc == EXS_OK; i++) {
            ts[i].q = &q;
            ts[i].s = s;
            rc = xs_worker_init(&ts[i].w, s);
            if (rc == EXS_OK && pthread_create(&ts[i].tid, NULL, worker_main, &ts[i]) == 0) {
                ts[i].started = true;
                started++;
            } else if (rc == EXS_OK) {
                rc = EXS_ETHREAD;
            }
        }
        /* A worker that could not start fails the sweep: fewer threads would be slower, not
         * wrong, but memory or threads this short make the rest of it no safer. */
        if (rc == EXS_OK) {
            push_arg pa = {s, &q};
            walk_all(s, queue_push_noted, &pa);
        }
        atomic_store(&s->p_walk_done, 1);
        queue_close(&q);
        for (unsigned i = 0; i < jobs; i++) {
            if (ts[i].started)
                pthread_join(ts[i].tid, NULL);
            xs_scan_add_stats(s, &ts[i].w.stats);
            xs_worker_fini(&ts[i].w);
        }
        free(ts);
        pthread_mutex_destroy(&q.mu);
        pthread_cond_destroy(&q.not_empty);
        pthread_cond_destroy(&q.not_full);
        if (rc != EXS_OK)
            return run_failed(s, rc, "starting the worker threads");
    }
    if (rc != EXS_OK)
        xs_scan_fail(s, rc, "%s", exs_strerror(rc));
    xs_scan_finish(s);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    s->stats.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (s->res)
        s->res->stats.seconds = s->stats.seconds;
    return s->failed;
}

void exs_scan_destroy(exs_scan *s)
{
    if (!s)
        return;
    xs_scan_results_free(s);
    xs_files_destroy(s->files);
    xs_sigrules_destroy(s->sigma);
    free(s->sigma_cache);
    for (size_t i = 0; i < s->nroots; i++) {
        free(s->roots[i]);
        free(s->root_abs[i]);
        free(s->labels[i]);
    }
    free(s->roots);
    free(s->root_abs);
    free(s->labels);
    for (size_t i = 0; i < s->noptlist; i++)
        free(s->optlist[i]);
    free(s->optlist);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

const exs_results *exs_scan_results(const exs_scan *s)
{
    return s && s->ran ? s->res : NULL;
}

exs_results *exs_scan_take_results(exs_scan *s)
{
    if (!s || !s->ran)
        return NULL;
    exs_results *r = s->res;
    s->res = NULL;
    return r;
}
