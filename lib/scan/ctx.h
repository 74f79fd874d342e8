/* What a detector sees: the file being read, and the narrow sink it reports through.
 *
 * A context lives for one file (or archive member) in one worker thread, or for one finding
 * of an after-sweep pass. Detectors call exs_emit() for findings (lib/results/hit.h says how
 * to describe one), exs_warn() for input they could not use, and exs_access_add() for script
 * requests that cross-file correlation (bursts, shells on disk) needs later. Nothing else of
 * the scan is theirs to touch.
 */
#ifndef EXS_SCAN_CTX_H
#define EXS_SCAN_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "core/limits.h"
#include "core/str.h"
#include "core/timeparse.h"
#include "exsweep/finding.h"
#include "results/hit.h"

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

/* Records that the sweep could not do its job (an allocation, read or engine failure that
 * would lose findings): the first call wins, its message goes to exs_scan_error, and
 * exs_scan_run returns rc. Thread-safe. Hostile input is never a reason: that is exs_warn. */
void exs_scan_fail(struct exs_scan *s, exs_rc rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* True once exs_scan_fail was called: workers and passes may stop early. Thread-safe. */
bool exs_scan_failed(struct exs_scan *s);

/* True for the kinds that mean part of the evidence was not read (the sweep is INCOMPLETE). */
bool exs_warn_kind_unread(exs_warn_kind k);

/* Where a file lies: its root, and how its display path splits into the path under the root
 * and the archive members inside it. */
typedef struct exs_where {
    uint32_t root;
    size_t prefix;   /* bytes of "label/" that start the display path (sweeps of several roots) */
    size_t nmembers;
    size_t member_at[EXS_MAX_ARCHIVE_DEPTH + 1]; /* where each member's name starts in display;
                                                    the path ends two bytes ("!/") before */
} exs_where;

typedef struct exs_ctx {
    struct exs_scan *scan;
    const char *file;     /* display path: relative to the evidence root, archive members as
                             a.zip!/x, "label/" first when the sweep has several roots */
    exs_where where;
    const char *file_interned; /* file in the scan's pool: set at this file's first access event */
    const char *normpath; /* lowercased, '/'-separated, for location checks */
    const char *source;   /* static evidence kind name: "httpproxy", "iis", ... */
    char family[96];      /* coverage family, e.g. "HttpProxy/Ecp" */
    uint64_t bytes;
    uint64_t lines;
    uint64_t rows_bad;
    int64_t first_ms;
    int64_t last_ms;
    uint64_t line_no;     /* the line being read, and ... */
    int64_t line_off;     /* ... its byte offset in the file (the pipeline sets them) */
    struct exs_dups *dups; /* owned: the identities this context emitted, so that two
                              findings of one identity get told apart by a count
                              (exs_finding_id's dup; lib/scan/dups.h); NULL until the first */
} exs_ctx;

/* A context for an after-sweep pass's finding at where/file (file as the display path).
 * exs_ctx_release ends it. */
void exs_ctx_pass(exs_ctx *c, struct exs_scan *s, const char *file, const exs_where *where,
                  const char *source);

/* Frees what a context holds (its dup counts); every context that emitted is released once,
 * when its file (or pass finding) is done. Accepts a context that emitted nothing. */
void exs_ctx_release(exs_ctx *c);

/* Widens the file's time window [first_ms, last_ms] to take in t (EXS_TIME_NONE: no time). */
static inline void exs_ctx_note_time(exs_ctx *c, int64_t t)
{
    exs_time_span_add(&c->first_ms, &c->last_ms, t);
}

/* Reports a finding. Its id is written to id_out (may be NULL) when it was kept or counted;
 * id_out is "" when the finding was lost (the sweep has then failed: exs_scan_fail). */
void exs_emit_id(exs_ctx *c, const exs_hit *h, char id_out[EXS_ID_LEN]);
static inline void exs_emit(exs_ctx *c, const exs_hit *h)
{
    exs_emit_id(c, h, NULL);
}

void exs_warn(struct exs_scan *s, exs_warn_kind k, const char *file, uint64_t line,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The server's own address, as a log of it says (IIS s-ip): client tables leave it out, so that
 * rows the server forwarded to itself (back end, SSRF) do not list it as an attacker. */
void exs_note_server_address(exs_ctx *c, exs_str ip);

/* A request for a script in an Exchange web folder (kept for cross-file correlation). */
typedef struct exs_access {
    int64_t time_ms;
    int status;
    uint64_t line;
    const char *file;   /* owned by the scan */
    exs_where where;
    const char *source; /* static evidence kind name */
    char *ip;           /* owned, may be "" */
    char *path;         /* owned: the URL path as logged */
    char *norm;         /* owned: the path as exs_url_norm gives it (decoded, lowercase) */
    char *method;       /* owned, may be "" */
    bool nondefault;    /* a non-default script in an Exchange drop folder (hunting, removed shells) */
    bool backend;       /* logged by a back end: ip is an Exchange server */
} exs_access;

/* Keeps a script request: path as logged and norm, the same path through exs_url_norm.
 * nondefault: a non-default script in an Exchange drop folder; otherwise any other script
 * request, kept only to attach requests to the files found on disk. The two kinds have caps
 * of their own, so common page requests never crowd out the ones hunting shells. */
void exs_access_add(exs_ctx *c, int64_t time_ms, exs_str ip, exs_str path, const char *norm,
                    exs_str method, int status, uint64_t line, bool nondefault, bool backend);

#endif
