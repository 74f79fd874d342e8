/* exsweep: sweeping evidence.
 *
 * A scan takes one or more evidence roots (folders, single files, archives), walks them
 * read-only, classifies every file by location and content, runs the detectors that apply
 * and keeps the findings, the log coverage and the warnings for the report writers.
 *
 *   exs_scan *s;
 *   exs_scan_create(&s, NULL);
 *   exs_scan_add_root(s, "/mnt/image");
 *   exs_scan_run(s);
 *   ... exs_results_findings(exs_scan_results(s), &n) ...
 *   exs_scan_destroy(s);
 *
 * Nothing under a root is ever written, and atime is not touched where the OS allows.
 */
#ifndef EXSWEEP_SCAN_H
#define EXSWEEP_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "finding.h"
#include "results.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct exs_scan exs_scan;

typedef struct exs_scan_opts {
    unsigned jobs;        /* worker threads; 0 = one per online CPU */
    size_t max_findings;  /* findings kept in full; 0 = EXS_MAX_FINDINGS. Counts stay exact. */
    /* File checks (web shells, artefacts). Files up to max_file_size bytes are hashed and go
     * through the rules and content heuristics; larger ones, and files whose extension is in
     * skip_ext, get name, location, attribute and header checks only. */
    uint64_t max_file_size; /* 0 = 32 MiB; at most 1 GiB */
    const char *skip_ext;   /* comma-separated extensions (".iso,.vhdx"), NULL = none; copied */
    int no_file_checks;     /* 1: read logs only */
    int check_logs;         /* 1: logs (files a log reader parses) are also hashed and checked
                               by the shipped rules; by default only user rules see them */
} exs_scan_opts;

/* Creates a scan. opts may be NULL for defaults. On success *out owns a scan to destroy. */
exs_rc exs_scan_create(exs_scan **out, const exs_scan_opts *opts);

/* Adds an evidence root: a folder, a file or an archive. The root itself may be a symlink;
 * nothing under it is followed. Fails, with a message naming path in exs_scan_error, with
 * EXS_ENOENT when it does not exist, EXS_EACCES when it cannot be opened for want of
 * permission, EXS_EFTYPE when it is neither a folder nor a regular file (a FIFO, socket or
 * device: refused from its stat, never opened), EXS_EIO for any other failure to open it.
 * A root that fails in the same ways by the time exs_scan_run walks it fails the run. Its
 * label is the root's own name (the last part of its absolute path), made unique with "-2",
 * "-3"... */
exs_rc exs_scan_add_root(exs_scan *s, const char *path);
/* The same with a label of the caller's (copied; NULL or "" as exs_scan_add_root). A label
 * already taken is made unique the same way. */
exs_rc exs_scan_add_root_label(exs_scan *s, const char *path, const char *label);

/* Adds YARA rules (a file, or a folder whose *.yar and *.yara files are all taken) to run on
 * every file besides the shipped rules. Compiled by exs_scan_run: a broken rule makes it fail
 * with EXS_ERULE, and exs_scan_error names the file and line. */
exs_rc exs_scan_add_rules(exs_scan *s, const char *path);

/* Adds Sigma rules (a rule file, or a folder whose *.yml and *.yaml files are all taken,
 * recursively; repeatable), run over the event logs, IIS logs and Exchange CSV logs in the
 * same pass (docs/sigma.md). Read now. A rule that cannot be loaded is skipped with its reason
 * (exs_scan_sigma_report), never an error; EXS_ENOENT, EXS_EACCES or EXS_EIO when path itself
 * cannot be read, with a message naming it in exs_scan_error. */
exs_rc exs_scan_add_sigma(exs_scan *s, const char *path);

/* What the Sigma rules added so far gave: rules loaded (correlation rules among them, which
 * are kept but not evaluated), rules skipped, and loaded rules whose log source no evidence
 * exsweep reads has (counted once exs_scan_run has prepared them). */
typedef struct exs_sigma_stats {
    size_t loaded, skipped, correlations, unmapped;
    /* The cache of compiled prefilter databases (exs_scan_set_sigma_cache), once exs_scan_run
     * has prepared the rules: whether its folder was used, the databases loaded from it,
     * compiled, written to it, and not written; why the folder was not used, or why the first
     * write failed ("" when neither). */
    bool cache_used;
    size_t cache_hits, cache_compiled, cache_stored, cache_failed;
    char cache_why[256];
} exs_sigma_stats;
exs_rc exs_scan_sigma_stats(const exs_scan *s, exs_sigma_stats *out);
/* A folder (the analyst's own, created 0700 if missing) where the Sigma rules' compiled
 * prefilter databases are kept between sweeps, so that a rule set is compiled once
 * (lib/engines/hscache.h); NULL (the default): none, every database is compiled. Copied. The
 * folder is not used when it, or the folder it would be made in, is inside a root of the
 * sweep, when another user owns it or others may write it (exs_scan_sigma_stats says why).
 * Results never depend on it. */
exs_rc exs_scan_set_sigma_cache(exs_scan *s, const char *dir);
/* The line "sigma: N rules loaded, M skipped" into buf. */
void exs_scan_sigma_summary(const exs_scan *s, char *buf, size_t cap);
/* One JSON line per skipped rule or file: {"file":..,"id":..,"title":..,"reason":..}.
 * EXS_EIO on a write error. */
exs_rc exs_scan_sigma_report(const exs_scan *s, FILE *out);

/* Adds an IOC list (SHA-256 hashes, file paths, IP addresses, domains; plain lists or CSV
 * feeds such as Microsoft's MSTIC layout). Read now: EXS_ERULE when unreadable (see
 * exs_scan_error); unusable lines become warnings. */
exs_rc exs_scan_add_iocs(exs_scan *s, const char *path);

/* How far a running sweep has got: readable from another thread while exs_scan_run runs
 * (a progress line), without locks; the figures only grow. Files and bytes are the ones the
 * walk handed to the workers and the ones done (archives count as one file, by their size);
 * walk_done is set once every root has been walked, from then on the queued figures are the
 * whole sweep's. */
typedef struct exs_progress {
    uint64_t files_queued, bytes_queued;
    uint64_t files_done, bytes_done;
    uint64_t findings;
    int walk_done;
} exs_progress;

void exs_scan_progress(const exs_scan *s, exs_progress *out);

/* A message about the last failed call on s (file and line of a broken rule...), or "". */
const char *exs_scan_error(const exs_scan *s);

/* Runs the sweep over every root. Returns EXS_OK even when input was bad (see warnings).
 * Any other code means the results are incomplete (an allocation, read or engine failure):
 * exs_scan_error says what failed, and the findings must not be taken as the whole answer.
 * While it runs, an exit of the process from anywhere (a library that gives up: libarchive
 * exits when it runs out of memory) ends it with status 2 and a message on stderr; a run that
 * cannot set that up (out of memory) fails with EXS_ENOMEM before it starts. */
exs_rc exs_scan_run(exs_scan *s);

/* Destroys the scan and everything the accessors below returned. Accepts NULL. */
void exs_scan_destroy(exs_scan *s);

/* The results, valid until exs_scan_destroy (or exs_scan_take_results); NULL before
 * exs_scan_run. */
const exs_results *exs_scan_results(const exs_scan *s);
/* Moves the results out of the scan: the caller owns them (exs_results_destroy) and they
 * outlive the scan. NULL before exs_scan_run or when already taken. */
exs_results *exs_scan_take_results(exs_scan *s);

#ifdef __cplusplus
}
#endif
#endif
