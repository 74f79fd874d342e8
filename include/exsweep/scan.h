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
 *   ... exs_scan_findings(s, &n) ...
 *   exs_scan_destroy(s);
 *
 * Nothing under a root is ever written, and atime is not touched where the OS allows.
 */
#ifndef EXSWEEP_SCAN_H
#define EXSWEEP_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "finding.h"

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

/* Per evidence family (e.g. "HttpProxy/Ecp", "IIS/W3SVC1", "ECP Server"). */
typedef struct exs_coverage {
    const char *family;
    uint64_t files_read;    /* files parsed */
    uint64_t files_skipped; /* files of this family that could not be read or parsed */
    uint64_t bytes;
    uint64_t lines;
    uint64_t rows_bad;      /* candidate rows that did not parse */
    int64_t first_ms;       /* earliest row time seen, or EXS_TIME_NONE */
    int64_t last_ms;        /* latest row time seen, or EXS_TIME_NONE */
} exs_coverage;

/* A counted warning about input that could not be used as it was. */
typedef struct exs_warning {
    const char *kind;    /* static: "unreadable", "line-too-long", "archive", ... */
    const char *file;    /* relative path, may be "" */
    uint64_t line;       /* 0 when not applicable */
    const char *message;
} exs_warning;

typedef struct exs_warning_count {
    const char *kind;
    uint64_t count;
} exs_warning_count;

typedef struct exs_scan_stats {
    uint64_t files_seen;      /* regular files met under the roots, archive members included */
    uint64_t files_read;      /* files read as evidence of some family */
    uint64_t files_ignored;   /* files that are no evidence this version reads */
    uint64_t bytes_read;
    uint64_t archives;
    uint64_t candidates;      /* lines the prefilter passed to the full parsers */
    uint64_t findings;        /* all findings, also those past max_findings */
    uint64_t findings_dropped;/* findings counted but not kept in full */
    uint64_t verdicts[5];     /* findings per verdict (index EXS_VERDICT_*), dropped ones too */
    unsigned jobs;
    double seconds;
    /* File checks */
    uint64_t files_hashed;    /* files whose whole content was hashed and checked */
    uint64_t files_large;     /* over max_file_size: name/location/header checks only */
    uint64_t files_skipped_ext; /* extension in skip_ext */
    uint64_t logs_parsed_only;  /* logs read by their parsers, not hashed or rule-checked */
    uint64_t rule_scans;      /* YARA scans run (shipped and user rule sets) */
    uint64_t rule_gated;      /* shipped-rule scans the literal gate made unnecessary */
} exs_scan_stats;

/* Creates a scan. opts may be NULL for defaults. On success *out owns a scan to destroy. */
exs_rc exs_scan_create(exs_scan **out, const exs_scan_opts *opts);

/* Adds an evidence root: a folder, a file or an archive. Fails with EXS_ENOENT when the path
 * cannot be stat'ed. The root itself may be a symlink; nothing under it is followed. */
exs_rc exs_scan_add_root(exs_scan *s, const char *path);

/* Adds YARA rules (a file, or a folder whose *.yar and *.yara files are all taken) to run on
 * every file besides the shipped rules. Compiled by exs_scan_run: a broken rule makes it fail
 * with EXS_ERULE, and exs_scan_error names the file and line. */
exs_rc exs_scan_add_rules(exs_scan *s, const char *path);

/* Adds an IOC list (SHA-256 hashes, file paths, IP addresses, domains; plain lists or CSV
 * feeds such as Microsoft's MSTIC layout). Read now: EXS_ERULE when unreadable (see
 * exs_scan_error); unusable lines become warnings. */
exs_rc exs_scan_add_iocs(exs_scan *s, const char *path);

/* A message about the last failed call on s (file and line of a broken rule...), or "". */
const char *exs_scan_error(const exs_scan *s);

/* Runs the sweep over every root. Returns EXS_OK even when input was bad (see warnings).
 * Any other code means the results are incomplete (an allocation, read or engine failure):
 * exs_scan_error says what failed, and the findings must not be taken as the whole answer.
 * While it runs, an exit of the process from anywhere (a library that gives up: libarchive
 * exits when it runs out of memory) ends it with status 2 and a message on stderr. */
exs_rc exs_scan_run(exs_scan *s);

/* Destroys the scan and everything the accessors below returned. Accepts NULL. */
void exs_scan_destroy(exs_scan *s);

/* Results, valid until exs_scan_destroy. Findings are sorted by time, file, line, rule. */
const exs_finding *exs_scan_findings(const exs_scan *s, size_t *n);
const exs_coverage *exs_scan_coverage(const exs_scan *s, size_t *n);
const exs_warning *exs_scan_warnings(const exs_scan *s, size_t *n);        /* examples */
const exs_warning_count *exs_scan_warning_counts(const exs_scan *s, size_t *n);
const exs_scan_stats *exs_scan_get_stats(const exs_scan *s);
/* Exchange install roots recognised from the layout, as relative paths. */
const char *const *exs_scan_install_roots(const exs_scan *s, size_t *n);
/* The roots as given, in order. */
const char *const *exs_scan_roots(const exs_scan *s, size_t *n);

#ifdef __cplusplus
}
#endif
#endif
