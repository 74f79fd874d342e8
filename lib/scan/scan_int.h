/* The scan object (internal to lib/scan/ and the file side). Detectors see none of it: they
 * report through lib/scan/ctx.h, and the after-sweep passes read through lib/scan/pass.h. */
#ifndef XS_SCAN_INT_H
#define XS_SCAN_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "core/arena.h"
#include "core/strmap.h"
#include "exsweep/scan.h"
#include "logs/kinds.h"
#include "parsers/hive.h"
#include "results/results_int.h"
#include "results/store.h"
#include "results/warnkeep.h"
#include "scan/ctx.h"

struct xs_prefilter;

/* A server's own address (IIS s-ip) in the logs of one evidence root. */
typedef struct xs_server_addr {
    uint32_t root;
    char *addr; /* owned */
} xs_server_addr;

struct exs_scan {
    exs_scan_opts opts;
    char **roots;        /* as given */
    char **root_abs;     /* absolute, for location classification */
    char **labels;       /* unique */
    size_t nroots;
    bool ran;
    uint64_t archive_ratio, archive_floor; /* XS_MAX_ARCHIVE_*; tests lower them */
    uint64_t max_access;                   /* XS_MAX_ACCESS_EVENTS; tests lower it */
    uint64_t archive_members;              /* XS_MAX_ARCHIVE_MEMBERS; tests lower it */
    char **optlist;      /* "name=value" of the options, for the sweep record */
    size_t noptlist;
    int64_t start_ms;    /* wall clock at exs_scan_run */
    /* Progress (exs_scan_progress): written by the walker and the workers, read by anyone,
     * without the lock. */
    _Atomic uint64_t p_files_queued, p_bytes_queued, p_files_done, p_bytes_done, p_findings;
    _Atomic int p_walk_done;
    bool no_prefilter; /* every log line is a candidate: tests set it to check the prefilter's
                          promise (the same findings with and without it); not an option */

    /* Everything below is shared between workers and guarded by mu. */
    pthread_mutex_t mu;

    exs_results *res;    /* warnings, coverage, install roots go here as they come; the store's
                            findings and counts at the end. NULL once taken. */
    xs_store *store;
    xs_warnkeep *warnkeep; /* the warning examples, until the results take them */
    exs_warning_count wcounts[XS_W__COUNT];
    uint64_t unread;     /* warnings of the kinds that mean evidence was not read */
    xs_server_addr *server_addrs; /* every root's own: the XS_MAX_SERVER_ADDRS smallest of
                                     each (strcmp), whatever the order they come in */
    size_t nserver, capserver;
    xs_strmap *server_over;        /* "root|address" of the ones past a root's cap (evicted
                                     or never kept), at most max_server_over */
    uint64_t max_server_over;      /* XS_MAX_SERVER_OVER; tests lower it */
    xs_hive_limits hive_limits;    /* XS_HIVE_*: how much of a registry hive is read
                                      (detectors/registry.c); tests lower them */
    size_t capwarnings, capcov;
    struct xs_state *state; /* the server's own state (state/observe.h): created at the
                               first observation, NULL until then */

    xs_access *access;
    size_t naccess, capaccess;
    size_t naccess_kind[2]; /* events kept per kind ([1]: nondefault), each capped */
    uint64_t access_dropped;

    xs_arena pool;      /* interned strings (file names of access events) */

    exs_sweep_stats stats;

    struct xs_sigrules *sigma; /* the rules of --sigma (detectors/sigma.h), NULL without */
    char *sigma_cache;         /* exs_scan_set_sigma_cache's folder (owned), or NULL */
    exs_sigma_stats cache_st;  /* the cache_* figures of exs_scan_sigma_stats */

    /* File checks: rule sets, IOCs, policy and the per-file records (lib/scan/files.c). */
    struct xs_files *files;
    char err[1024]; /* exs_scan_error */
    exs_rc failed;  /* first failure that makes the results incomplete (xs_scan_fail), or EXS_OK */
};

/* The label of root i. */
const char *xs_scan_label(const exs_scan *s, uint32_t i);

/* The compiled prefilter of a log kind (compiled on first use, shared by all scans of the
 * process, read-only), or NULL when the kind has none or its compilation failed (warned). */
const struct xs_prefilter *xs_scan_prefilter(exs_scan *s, xs_kind k);

/* Coverage: adds one file's figures to its family (thread-safe). */
void xs_scan_cover(exs_scan *s, const xs_ctx *c, bool skipped);
void xs_scan_cover_skip(exs_scan *s, const char *family);
/* Records an Exchange install root (relative display path) once (thread-safe). */
void xs_scan_add_install_root(exs_scan *s, const char *root, size_t n);
/* Copies str into the scan's string pool (thread-safe; caller holds no lock). NULL when out
 * of memory. */
const char *xs_scan_intern(exs_scan *s, const char *str);
/* The server's own state observed in file of root (thread-safe; state/observe.h): what
 * xs_note_build and xs_note_state (ctx.h) and the file side's xs_fnote_* (files_int.h) call. */
struct xs_obs_build;
struct xs_obs_note;
void xs_scan_note_build(exs_scan *s, uint32_t root, const char *file,
                         const struct xs_obs_build *o);
void xs_scan_note_state(exs_scan *s, uint32_t root, const char *file,
                         const struct xs_obs_note *o);
/* Adds per-worker stats (thread-safe). */
void xs_scan_add_stats(exs_scan *s, const exs_sweep_stats *w);

/* The steps of exs_scan_run, for tests and fuzz targets that feed evidence from memory:
 * prepare (compile prefilters), then xs_worker_process_memory, then finish (post-scan
 * passes, sorting, the results). */
exs_rc xs_scan_prepare(exs_scan *s);
void xs_scan_finish(exs_scan *s);

/* The exit guard exs_scan_run holds while it runs (scan.c): an exit of the process from
 * anywhere in that time ends it with status 2 and a message on stderr. enter registers the
 * guard on first use, after starting OpenSSL so that OpenSSL's exit handler runs after it, and
 * counts a sweep in: EXS_ENOMEM with a message in err when either could not be done (a sweep
 * must not run unguarded). leave counts it out. */
exs_rc xs_exit_guard_enter(char *err, size_t errlen);
void xs_exit_guard_leave(void);

/* Moves the store's findings and the counts into the results, sorts them (lib/scan/emit.c). */
void xs_scan_results_finish(exs_scan *s);
/* Frees what the scan still holds of its results. */
void xs_scan_results_free(exs_scan *s);

#endif
