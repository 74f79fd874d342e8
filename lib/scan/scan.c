/* The sweep: roots are walked in the calling thread, files go through a bounded queue to
 * worker threads, results are merged and sorted at the end. */
#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/limits.h"
#include "engines/prefilter.h"
#include "engines/prefilter_db.h"
#include "exsweep/exsweep.h"
#include "scan/files.h"
#include "scan/scan_int.h"
#include "scan/worker.h"

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
    s->archive_ratio = EXS_MAX_ARCHIVE_RATIO;
    s->archive_floor = EXS_MAX_ARCHIVE_FLOOR;
    s->max_access = EXS_MAX_ACCESS_EVENTS;
    s->archive_members = EXS_MAX_ARCHIVE_MEMBERS;
    for (int k = 0; k < EXS_W__COUNT; k++)
        s->wcounts[k].kind = exs_warn_kind_name((exs_warn_kind)k);
    if (pthread_mutex_init(&s->mu, NULL) != 0) {
        free(s);
        return EXS_ETHREAD;
    }
    exs_rc rc = exs_files_create(&s->files, opts);
    if (rc != EXS_OK) {
        pthread_mutex_destroy(&s->mu);
        free(s);
        return rc;
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
    return exs_files_add_rules(s->files, path, s->err, sizeof s->err);
}

exs_rc exs_scan_add_iocs(exs_scan *s, const char *path)
{
    if (!s || !path || s->ran)
        return EXS_EINVAL;
    s->err[0] = 0;
    return exs_files_add_iocs(s->files, s, path, s->err, sizeof s->err);
}

const char *exs_scan_error(const exs_scan *s)
{
    return s ? s->err : "";
}

exs_rc exs_scan_add_root(exs_scan *s, const char *path)
{
    if (!s || !path || !*path || s->ran)
        return EXS_EINVAL;
    if (access(path, F_OK) != 0)
        return EXS_ENOENT;
    char **r = realloc(s->roots, (s->nroots + 1) * sizeof *r);
    if (!r)
        return EXS_ENOMEM;
    s->roots = r;
    char **a = realloc(s->root_abs, (s->nroots + 1) * sizeof *a);
    if (!a)
        return EXS_ENOMEM;
    s->root_abs = a;
    char buf[PATH_MAX];
    s->roots[s->nroots] = strdup(path);
    s->root_abs[s->nroots] = strdup(realpath(path, buf) ? buf : path);
    if (!s->roots[s->nroots] || !s->root_abs[s->nroots]) {
        free(s->roots[s->nroots]);
        free(s->root_abs[s->nroots]);
        return EXS_ENOMEM;
    }
    s->nroots++;
    return EXS_OK;
}

/* A bounded queue of open files between the walker and the workers. */
typedef struct queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    exs_item *items[EXS_QUEUE_DEPTH];
    size_t head, count;
    bool closed;
} queue;

static bool queue_push(void *ctx, exs_item *it)
{
    queue *q = ctx;
    pthread_mutex_lock(&q->mu);
    while (q->count == EXS_QUEUE_DEPTH)
        pthread_cond_wait(&q->not_full, &q->mu);
    q->items[(q->head + q->count) % EXS_QUEUE_DEPTH] = it;
    q->count++;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
    return true;
}

static exs_item *queue_pop(queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->count == 0 && !q->closed)
        pthread_cond_wait(&q->not_empty, &q->mu);
    exs_item *it = NULL;
    if (q->count) {
        it = q->items[q->head];
        q->head = (q->head + 1) % EXS_QUEUE_DEPTH;
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
    exs_worker w;
    queue *q;
    pthread_t tid;
    bool started;
} thread_arg;

static void *worker_main(void *p)
{
    thread_arg *t = p;
    exs_item *it;
    while ((it = queue_pop(t->q)) != NULL)
        exs_worker_process(&t->w, it);
    return NULL;
}

static bool process_inline(void *ctx, exs_item *it)
{
    exs_worker_process(ctx, it);
    return true;
}

/* Prefilter databases depend only on the built-in expression lists, so each is compiled once
 * per process, when the first file of its kind turns up, and shared read-only by every scan
 * (and every fuzz iteration). A sweep of IIS logs never pays for the other kinds. */
static pthread_mutex_t g_pf_mu = PTHREAD_MUTEX_INITIALIZER;
static exs_prefilter *g_pf[EXS_KIND__COUNT];
static bool g_pf_tried[EXS_KIND__COUNT];

const exs_prefilter *exs_scan_prefilter(exs_scan *s, exs_kind k)
{
    if (k <= EXS_KIND_NONE || k >= EXS_KIND__COUNT)
        return NULL;
    pthread_mutex_lock(&g_pf_mu);
    if (!g_pf_tried[k]) {
        const exs_pattern_set *set = exs_kind_patterns(k);
        /* Kinds that read the same set (IIS, HttpProxy, exports) share one database. */
        for (int j = 1; j < EXS_KIND__COUNT && set && !g_pf[k]; j++)
            if (j != (int)k && g_pf[j] && exs_kind_patterns((exs_kind)j) == set)
                g_pf[k] = g_pf[j];
        exs_rc rc = EXS_OK;
        char err[512] = "";
        if (set && !g_pf[k]) {
            const exs_pf_blob *b = exs_pf_blob_find(exs_pattern_set_hash(set));
            rc = exs_prefilter_load(&g_pf[k], set, b ? b->bytes : NULL, b ? b->len : 0, err,
                                    sizeof err);
            if (rc != EXS_OK)
                g_pf[k] = NULL;
        }
        /* A failure is not remembered: the next sweep of the process tries again. This one
         * cannot read the kind's logs, so it fails. */
        if (rc != EXS_OK)
            exs_scan_fail(s, rc, "the %s log matcher could not be loaded: %s", exs_kind_name(k),
                          err[0] ? err : exs_strerror(rc));
        else
            g_pf_tried[k] = true;
    }
    const exs_prefilter *pf = g_pf[k];
    pthread_mutex_unlock(&g_pf_mu);
    return pf;
}

/* Fails the sweep with rc unless it failed already; the message says what (and keeps one a
 * callee wrote to s->err, such as a rule's file and line). Returns rc. */
static exs_rc run_failed(exs_scan *s, exs_rc rc, const char *what)
{
    if (!exs_scan_failed(s)) {
        if (s->err[0]) {
            char msg[sizeof s->err];
            snprintf(msg, sizeof msg, "%s", s->err);
            exs_scan_fail(s, rc, "%s", msg);
        } else {
            exs_scan_fail(s, rc, "%s: %s", what, exs_strerror(rc));
        }
    }
    return rc;
}

exs_rc exs_scan_prepare(exs_scan *s)
{
    if (!s || s->ran)
        return EXS_EINVAL;
    s->ran = true;
    s->err[0] = 0;
    exs_rc rc = exs_files_prepare(s, s->err, sizeof s->err);
    return rc == EXS_OK ? EXS_OK : run_failed(s, rc, "preparing the rules and indicators");
}

static unsigned job_count(const exs_scan *s)
{
    if (s->opts.jobs)
        return s->opts.jobs > 256 ? 256 : s->opts.jobs;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (n > 256 ? 256 : (unsigned)n);
}

static void walk_all(exs_scan *s, exs_walk_fn fn, void *ctx)
{
    for (size_t i = 0; i < s->nroots; i++) {
        char prefix[EXS_MAX_PATH];
        prefix[0] = 0;
        if (s->nroots > 1) {
            const char *b = strrchr(s->root_abs[i], '/');
            b = b && b[1] ? b + 1 : s->root_abs[i];
            snprintf(prefix, sizeof prefix, "%s/", b);
        }
        exs_walk_root(s, s->roots[i], s->root_abs[i], prefix, fn, ctx);
    }
}

void exs_scan_finish(exs_scan *s)
{
    exs_detect_bursts(s);
    exs_files_postpass(s);
    exs_detect_links(s);
    exs_scan_results_finish(s);
}

/* A library that ends the process in the middle of a sweep (libarchive calls exit(1) when its
 * string buffers cannot grow: __archive_errx in archive_string.c) would leave status 1, the
 * tool's "findings", over results that are not there. While a sweep runs, an exit from
 * anywhere is turned into status 2 with a message. */
static atomic_int g_running;
static pthread_once_t g_guard_once = PTHREAD_ONCE_INIT;

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

static void guard_install(void)
{
    if (atexit(exit_guard) != 0) {
        /* no room for the handler: the guard is off, the sweep goes on */
    }
}

static exs_rc scan_run(exs_scan *s);

exs_rc exs_scan_run(exs_scan *s)
{
    if (!s)
        return EXS_EINVAL;
    pthread_once(&g_guard_once, guard_install);
    atomic_fetch_add(&g_running, 1);
    exs_rc rc = scan_run(s);
    atomic_fetch_sub(&g_running, 1);
    return rc;
}

static exs_rc scan_run(exs_scan *s)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    exs_rc rc = exs_scan_prepare(s);
    if (rc != EXS_OK)
        return rc;
    unsigned jobs = job_count(s);
    s->stats.jobs = jobs;

    if (jobs == 1) {
        exs_worker w;
        rc = exs_worker_init(&w, s);
        if (rc == EXS_OK) {
            walk_all(s, process_inline, &w);
            exs_scan_add_stats(s, &w.stats);
        }
        exs_worker_fini(&w);
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
            rc = exs_worker_init(&ts[i].w, s);
            if (rc == EXS_OK && pthread_create(&ts[i].tid, NULL, worker_main, &ts[i]) == 0) {
                ts[i].started = true;
                started++;
            } else if (rc == EXS_OK) {
                rc = EXS_ETHREAD;
            }
        }
        /* A worker that could not start fails the sweep: fewer threads would be slower, not
         * wrong, but memory or threads this short make the rest of it no safer. */
        if (rc == EXS_OK)
            walk_all(s, queue_push, &q);
        queue_close(&q);
        for (unsigned i = 0; i < jobs; i++) {
            if (ts[i].started)
                pthread_join(ts[i].tid, NULL);
            exs_scan_add_stats(s, &ts[i].w.stats);
            exs_worker_fini(&ts[i].w);
        }
        free(ts);
        pthread_mutex_destroy(&q.mu);
        pthread_cond_destroy(&q.not_empty);
        pthread_cond_destroy(&q.not_full);
        if (rc != EXS_OK)
            return run_failed(s, rc, "starting the worker threads");
    }
    exs_scan_finish(s);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    s->stats.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc != EXS_OK ? rc : s->failed;
}

void exs_scan_destroy(exs_scan *s)
{
    if (!s)
        return;
    exs_scan_results_free(s);
    exs_files_destroy(s->files);
    for (size_t i = 0; i < s->nroots; i++) {
        free(s->roots[i]);
        free(s->root_abs[i]);
    }
    free(s->roots);
    free(s->root_abs);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

const exs_finding *exs_scan_findings(const exs_scan *s, size_t *n)
{
    *n = s->nfindings;
    return s->findings;
}

const exs_coverage *exs_scan_coverage(const exs_scan *s, size_t *n)
{
    *n = s->ncov;
    return s->cov;
}

const exs_warning *exs_scan_warnings(const exs_scan *s, size_t *n)
{
    *n = s->nwarnings;
    return s->warnings;
}

const exs_warning_count *exs_scan_warning_counts(const exs_scan *s, size_t *n)
{
    *n = EXS_W__COUNT;
    return s->wcounts;
}

const exs_scan_stats *exs_scan_get_stats(const exs_scan *s)
{
    return &s->stats;
}

const char *const *exs_scan_install_roots(const exs_scan *s, size_t *n)
{
    *n = s->ninstall;
    return (const char *const *)s->install_roots;
}

const char *const *exs_scan_roots(const exs_scan *s, size_t *n)
{
    *n = s->nroots;
    return (const char *const *)s->roots;
}
