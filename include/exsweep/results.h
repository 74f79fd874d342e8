/* exsweep: the results of a sweep, as an object that outlives it.
 *
 * A results object holds what the report writers need: the sweep itself (version, roots and
 * their labels, options, start and end, whether it was complete), the findings kept, exact
 * counts over every finding (kept or not), the log coverage and the warnings. A sweep fills
 * one (exs_scan_results, exs_scan_take_results); exs_results_read_jsonl rebuilds one from the
 * JSON lines a sweep wrote, so that any report can be rendered later from a saved sweep.
 *
 * Findings are sorted by time (unknown last), root, path, member chain, line, record, rule id
 * and id: the same evidence gives the same results, in the same order, on every run and for
 * any number of worker threads.
 */
#ifndef EXSWEEP_RESULTS_H
#define EXSWEEP_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "finding.h"
#include "server.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct exs_results exs_results;

typedef struct exs_root_info {
    const char *path;  /* as given to the sweep */
    const char *label; /* unique within the sweep: --label, else the root's own name */
} exs_root_info;

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
    const char *kind;    /* "unreadable", "line-too-long", "archive", ... */
    const char *file;    /* path relative to the root, "label/path" when the sweep has several
                            roots; archive members as "a.zip!/x"; may be "" */
    uint64_t line;       /* 0 when not applicable */
    const char *message;
} exs_warning;

typedef struct exs_warning_count {
    const char *kind;
    uint64_t count;
} exs_warning_count;

/* Exact counts over every finding of the sweep, kept or past the caps. */
typedef struct exs_count {
    const char *key;        /* rule id, "family|CVEs", client address or host name */
    uint64_t n;
    uint64_t by_verdict[EXS_VERDICT__MAX + 1]; /* index exs_verdict */
    int64_t first_ms, last_ms;                 /* EXS_TIME_NONE when no finding had a time */
} exs_count;

typedef enum exs_count_kind {
    EXS_COUNT_RULE = 0,   /* key: rule id */
    EXS_COUNT_FAMILY = 1, /* key: "family|CVEs" ("ProxyLogon|CVE-2021-26855") */
    EXS_COUNT_CLIENT = 2, /* key: a request's client address (back-end rows excluded: there the
                             client is an Exchange server forwarding the request; so are the
                             rows of a root from its own server address, counted in
                             own_findings: the same address is another root's client) */
    EXS_COUNT_HOST = 3,   /* key: the computer of an event, the host a request was sent to */
} exs_count_kind;
#define EXS_COUNT__N 4

typedef struct exs_sweep_stats {
    uint64_t files_seen;      /* regular files met under the roots, archive members included */
    uint64_t files_read;      /* files read as evidence of some family */
    uint64_t files_ignored;   /* files that are no evidence this version reads */
    uint64_t bytes_read;
    uint64_t archives;
    uint64_t candidates;      /* lines the prefilter passed to the full parsers */
    uint64_t findings;        /* every finding, kept or not */
    uint64_t findings_dropped;/* findings counted but not kept in full (caps) */
    uint64_t verdicts[EXS_VERDICT__MAX + 1]; /* findings per verdict, dropped ones too */
    uint64_t files_hashed;    /* files whose whole content was hashed and checked */
    uint64_t files_large;     /* over max_file_size: name/location/header checks only */
    uint64_t files_skipped_ext; /* extension in skip_ext */
    uint64_t logs_parsed_only;  /* logs read by their parsers, not hashed or rule-checked */
    uint64_t rule_scans;      /* YARA scans run (shipped and user rule sets) */
    uint64_t rule_gated;      /* shipped-rule scans the literal gate made unnecessary */
    uint64_t counts_dropped;  /* findings counted under no client (per root) or host key:
                                 of each, the EXS_MAX_COUNT_KEYS smallest keys (strcmp) are
                                 counted, whatever the order (in n only) */
    uint64_t own_findings;    /* findings whose client is their own root's server address
                                 (IIS s-ip: rows it forwarded to itself), left out of the
                                 client counts ... */
    uint64_t own_addresses;   /* ... and how many such addresses (per root) they came from */
    unsigned jobs;
    double seconds;
} exs_sweep_stats;

/* The sweep: how it ran. */
typedef struct exs_sweep_info {
    const char *version;      /* of the exsweep that swept */
    int64_t start_ms, end_ms; /* wall clock, UTC */
    const exs_root_info *roots;
    size_t nroots;
    const char *const *options; /* "name=value" as given ("max-findings=5", "rules=/x.yar") */
    size_t noptions;
    exs_rc status;            /* EXS_OK, or why the results are incomplete */
    const char *error;        /* "" when status is EXS_OK */
    uint64_t unread;          /* evidence files that could not be read (unreadable, corrupt
                                 archive members): the sweep is INCOMPLETE when non-zero */
} exs_sweep_info;

const exs_sweep_info *exs_results_sweep(const exs_results *r);
const exs_sweep_stats *exs_results_stats(const exs_results *r);
const exs_finding *exs_results_findings(const exs_results *r, size_t *n);
/* The finding with this id among the kept ones, or NULL. */
const exs_finding *exs_results_find(const exs_results *r, const char *id);
const exs_count *exs_results_counts(const exs_results *r, exs_count_kind k, size_t *n);
const exs_coverage *exs_results_coverage(const exs_results *r, size_t *n);
const exs_warning *exs_results_warnings(const exs_results *r, size_t *n); /* examples */
const exs_warning_count *exs_results_warning_counts(const exs_results *r, size_t *n);
/* Exchange install roots recognised from the layout, as paths relative to their root. */
const char *const *exs_results_install_roots(const exs_results *r, size_t *n);

/* The servers' own addresses, as their logs name them (IIS s-ip), of every root, sorted: a
 * root's rows from its own address are left out of the client counts (rows the server
 * forwarded to itself), not another root's. */
const char *const *exs_results_server_addresses(const exs_results *r, size_t *n);

/* The servers' own state (include/exsweep/server.h): one record per root of the sweep, in
 * root order (a set read back from JSON lines holds the records it found). */
const exs_server *exs_results_servers(const exs_results *r, size_t *n);

/* The heaviest verdict over every finding, 0 when there is none. */
exs_verdict exs_results_verdict(const exs_results *r);
/* True when part of the evidence could not be read, or the sweep failed. */
int exs_results_incomplete(const exs_results *r);

/* Rebuilds results from JSON-lines files a sweep wrote (-f jsonl), in order; several files
 * (several sweeps) become one set of results with every root. Lines that are not exsweep
 * records are counted and skipped. On failure returns EXS_EFORMAT (err names the file and
 * line), EXS_EIO or EXS_ENOMEM. On success *out owns results to destroy. */
exs_rc exs_results_read_jsonl(exs_results **out, const char *const *paths, size_t npaths,
                              char *err, size_t errlen);

/* Accepts NULL. */
void exs_results_destroy(exs_results *r);

#ifdef __cplusplus
}
#endif
#endif
