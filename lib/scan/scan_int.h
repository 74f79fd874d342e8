/* The scan object and its result stores (internal). */
#ifndef EXS_SCAN_INT_H
#define EXS_SCAN_INT_H

#include <pthread.h>
#include <stdbool.h>

#include "exsweep/scan.h"
#include "logs/kinds.h"
#include "scan/ctx.h"

struct exs_prefilter;

typedef struct exs_pool_block {
    struct exs_pool_block *next;
    size_t used, cap;
    char data[];
} exs_pool_block;

struct exs_scan {
    exs_scan_opts opts;
    char **roots;        /* as given */
    char **root_abs;     /* absolute, for location classification */
    size_t nroots;
    bool ran;
    uint64_t archive_ratio, archive_floor; /* EXS_MAX_ARCHIVE_*; tests lower them */
    uint64_t max_access;                   /* EXS_MAX_ACCESS_EVENTS; tests lower it */
    uint64_t archive_members;              /* EXS_MAX_ARCHIVE_MEMBERS; tests lower it */
    bool no_prefilter; /* every log line is a candidate: tests set it to check the prefilter's
                          promise (the same findings with and without it); not an option */

    /* Everything below is shared between workers and guarded by mu. */
    pthread_mutex_t mu;

    exs_finding *findings;
    size_t nfindings, capfindings;

    exs_warning *warnings;
    size_t nwarnings, capwarnings;
    exs_warning_count wcounts[EXS_W__COUNT];

    exs_coverage *cov;
    size_t ncov, capcov;

    char **install_roots;
    size_t ninstall, capinstall;

    exs_access *access;
    size_t naccess, capaccess;
    size_t naccess_kind[2]; /* events kept per kind ([1]: nondefault), each capped */
    uint64_t access_dropped;

    exs_pool_block *pool; /* interned strings (file names of access events) */

    exs_scan_stats stats;

    /* File checks: rule sets, IOCs, policy and the per-file records (lib/scan/files.c). */
    struct exs_files *files;
    char err[1024]; /* exs_scan_error */
    exs_rc failed;  /* first failure that makes the results incomplete (exs_scan_fail), or EXS_OK */
};

/* Records that the sweep could not do its job (an allocation, read or engine failure that
 * would lose findings): the first call wins, its message goes to exs_scan_error, and
 * exs_scan_run returns rc. Thread-safe. Hostile input is never a reason: that is exs_warn. */
void exs_scan_fail(exs_scan *s, exs_rc rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* True once exs_scan_fail was called: workers and passes may stop early. Thread-safe. */
bool exs_scan_failed(exs_scan *s);

/* The compiled prefilter of a log kind (compiled on first use, shared by all scans of the
 * process, read-only), or NULL when the kind has none or its compilation failed (warned). */
const struct exs_prefilter *exs_scan_prefilter(exs_scan *s, exs_kind k);

/* Coverage: adds one file's figures to its family (thread-safe). */
void exs_scan_cover(exs_scan *s, const exs_ctx *c, bool skipped);
void exs_scan_cover_skip(exs_scan *s, const char *family);
/* Records an Exchange install root (relative display path) once (thread-safe). */
void exs_scan_add_install_root(exs_scan *s, const char *root, size_t n);
/* Copies str into the scan's string pool (thread-safe; caller holds no lock). */
const char *exs_scan_intern(exs_scan *s, const char *str);
/* Adds per-worker stats (thread-safe). */
void exs_scan_add_stats(exs_scan *s, const exs_scan_stats *w);

/* The steps of exs_scan_run, for tests and fuzz targets that feed evidence from memory:
 * prepare (compile prefilters), then exs_worker_process_memory, then finish (post-scan
 * passes, sorting). */
exs_rc exs_scan_prepare(exs_scan *s);
void exs_scan_finish(exs_scan *s);

/* Post-scan passes over the access events; run single-threaded after the workers. */
void exs_detect_bursts(exs_scan *s);
/* The last pass: web shells seen from several sides tied into one finding each. */
void exs_detect_links(exs_scan *s);

/* Sorting and freeing the stores. */
void exs_scan_results_finish(exs_scan *s);
void exs_scan_results_free(exs_scan *s);

#endif
