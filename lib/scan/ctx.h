/* What a detector sees: the file being read, and how to report.
 *
 * A context lives for one file (or archive member) in one worker thread. Detectors call
 * exs_emit() for findings, exs_warn() for input they could not use, and exs_access_add() for
 * script requests that cross-file correlation (bursts, shells on disk) needs later.
 */
#ifndef EXS_SCAN_CTX_H
#define EXS_SCAN_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"
#include "core/timeparse.h"
#include "exsweep/finding.h"

struct exs_scan;

typedef enum exs_warn_kind {
    EXS_W_UNREADABLE,    /* open/read failed */
    EXS_W_NOT_REGULAR,   /* device, fifo, socket: not read */
    EXS_W_SYMLINK,       /* symbolic link: not followed */
    EXS_W_PATH,          /* path too long */
    EXS_W_DEPTH,         /* folder or archive nesting too deep */
    EXS_W_LINE_TOO_LONG, /* line cut at EXS_MAX_LINE */
    EXS_W_BAD_ROW,       /* a candidate row that did not parse */
    EXS_W_BINARY,        /* binary bytes where text was expected */
    EXS_W_ARCHIVE,       /* corrupt or unreadable archive or member */
    EXS_W_LIMIT,         /* a count or size cap was reached */
    EXS_W_UTF8,          /* invalid UTF-8 in a finding (escaped in output) */
    EXS_W_SCHEMA,        /* header problems: duplicated/empty names, too many #Fields */
    EXS_W_EVTX,          /* event log damage: checksums, truncation */
    EXS_W__COUNT
} exs_warn_kind;

const char *exs_warn_kind_name(exs_warn_kind k);

typedef struct exs_ctx {
    struct exs_scan *scan;
    const char *file;     /* display path, relative to the evidence root */
    const char *file_interned; /* file in the scan's pool: set at this file's first access event */
    const char *normpath; /* lowercased, '/'-separated, for location checks */
    const char *source;   /* static evidence kind name: "httpproxy", "iis", ... */
    char family[96];      /* coverage family, e.g. "HttpProxy/Ecp" */
    uint64_t bytes;
    uint64_t lines;
    uint64_t rows_bad;
    int64_t first_ms;
    int64_t last_ms;
} exs_ctx;

/* Widens the file's time window [first_ms, last_ms] to take in t (EXS_TIME_NONE: no time). */
static inline void exs_ctx_note_time(exs_ctx *c, int64_t t)
{
    exs_time_span_add(&c->first_ms, &c->last_ms, t);
}

/* One finding as a detector reports it: spans point into the current buffers and are copied
 * (and capped) by exs_emit. Unset spans are absent. */
typedef struct exs_hit {
    const exs_rule *rule;
    exs_verdict verdict;
    exs_severity severity;
    int64_t time_ms;
    uint64_t line;
    int status;
    exs_str ip, ua, method, path, query, user, host, target, detail, evidence;
    exs_str sha256;     /* file findings */
    int64_t file_size;  /* file findings; 0 in a zeroed hit means "not set" unless has_size */
    bool has_size;
} exs_hit;

void exs_emit(exs_ctx *c, const exs_hit *h);

void exs_warn(struct exs_scan *s, exs_warn_kind k, const char *file, uint64_t line,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* A request for a script in an Exchange web folder (kept for cross-file correlation). */
typedef struct exs_access {
    int64_t time_ms;
    int status;
    uint64_t line;
    const char *file;   /* owned by the scan */
    const char *source; /* static evidence kind name */
    char *ip;           /* owned, may be "" */
    char *path;         /* owned: the URL path as logged */
    char *norm;         /* owned: the path as exs_url_norm gives it (decoded, lowercase) */
    char *method;       /* owned, may be "" */
    bool nondefault;    /* a non-default script in an Exchange drop folder (hunting, removed shells) */
} exs_access;

/* Keeps a script request: path as logged and norm, the same path through exs_url_norm.
 * nondefault: a non-default script in an Exchange drop folder; otherwise any other script
 * request, kept only to attach requests to the files found on disk. The two kinds have caps
 * of their own, so common page requests never crowd out the ones hunting shells. */
void exs_access_add(exs_ctx *c, int64_t time_ms, exs_str ip, exs_str path, const char *norm,
                    exs_str method, int status, uint64_t line, bool nondefault);

#endif
