/* What a detector sees: the file being read, and the narrow sink it reports through.
 *
 * A context lives for one file (or archive member) in one worker thread, or for one finding
 * of an after-sweep pass. Detectors call xs_emit() for findings (lib/results/hit.h says how
 * to describe one), xs_warn() for input they could not use, and xs_access_add() for script
 * requests that cross-file correlation (bursts, shells on disk) needs later. Nothing else of
 * the scan is theirs to touch.
 */
#ifndef XS_SCAN_CTX_H
#define XS_SCAN_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "core/limits.h"
#include "core/str.h"
#include "core/timeparse.h"
#include "exsweep/finding.h"
#include "results/hit.h"

struct exs_scan;

typedef enum xs_warn_kind {
    XS_W_UNREADABLE,    /* open/read failed */
    XS_W_NOT_REGULAR,   /* device, fifo, socket: not read */
    XS_W_SYMLINK,       /* symbolic link: not followed */
    XS_W_PATH,          /* path too long */
    XS_W_DEPTH,         /* folder or archive nesting too deep */
    XS_W_LINE_TOO_LONG, /* line cut at XS_MAX_LINE */
    XS_W_BAD_ROW,       /* a candidate row that did not parse */
    XS_W_BINARY,        /* binary bytes where text was expected */
    XS_W_ARCHIVE,       /* corrupt or unreadable archive or member */
    XS_W_LIMIT,         /* a count or size cap was reached */
    XS_W_UTF8,          /* invalid UTF-8 in a finding (escaped in output) */
    XS_W_SCHEMA,        /* header problems: duplicated/empty names, too many #Fields */
    XS_W_EVTX,          /* event log damage: checksums, truncation */
    XS_W_ATIME,         /* a mount whose filesystem moves access times on read itself */
    XS_W__COUNT
} xs_warn_kind;

const char *xs_warn_kind_name(xs_warn_kind k);

/* Records that the sweep could not do its job (an allocation, read or engine failure that
 * would lose findings): the first call wins, its message goes to exs_scan_error, and
 * exs_scan_run returns rc. Thread-safe. Hostile input is never a reason: that is xs_warn. */
void xs_scan_fail(struct exs_scan *s, exs_rc rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* True once xs_scan_fail was called: workers and passes may stop early. Thread-safe. */
bool xs_scan_failed(struct exs_scan *s);

/* True for the kinds that mean part of the evidence was not read (the sweep is INCOMPLETE). */
bool xs_warn_kind_unread(xs_warn_kind k);

/* Where a file lies: its root, and how its display path splits into the path under the root
 * and the archive members inside it. */
typedef struct xs_where {
    uint32_t root;
    size_t prefix;   /* bytes of "label/" that start the display path (sweeps of several roots) */
    size_t nmembers;
    size_t member_at[XS_MAX_ARCHIVE_DEPTH + 1]; /* where each member's name starts in display;
                                                    the path ends two bytes ("!/") before */
} xs_where;

typedef struct xs_ctx {
    struct exs_scan *scan;
    const char *file;     /* display path: relative to the evidence root, archive members as
                             a.zip!/x, "label/" first when the sweep has several roots */
    xs_where where;
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
    struct xs_sigrun *sigma; /* the worker's Sigma matching (detectors/sigma.h); NULL without
                                --sigma, and in after-sweep passes */
    struct xs_dups *dups; /* owned: the identities this context emitted, so that two
                              findings of one identity get told apart by a count
                              (xs_finding_id's dup; lib/scan/dups.h); NULL until the first */
} xs_ctx;

/* A context for an after-sweep pass's finding at where/file (file as the display path).
 * xs_ctx_release ends it. */
void xs_ctx_pass(xs_ctx *c, struct exs_scan *s, const char *file, const xs_where *where,
                  const char *source);

/* Frees what a context holds (its dup counts); every context that emitted is released once,
 * when its file (or pass finding) is done. Accepts a context that emitted nothing. */
void xs_ctx_release(xs_ctx *c);

/* Widens the file's time window [first_ms, last_ms] to take in t (EXS_TIME_NONE: no time). */
static inline void xs_ctx_note_time(xs_ctx *c, int64_t t)
{
    xs_time_span_add(&c->first_ms, &c->last_ms, t);
}

/* Reports a finding. Its id is written to id_out (may be NULL) when it was kept or counted;
 * id_out is "" when the finding was lost (the sweep has then failed: xs_scan_fail). */
void xs_emit_id(xs_ctx *c, const xs_hit *h, char id_out[EXS_ID_LEN]);
static inline void xs_emit(xs_ctx *c, const xs_hit *h)
{
    xs_emit_id(c, h, NULL);
}

/* The byte offset a finding at line with offset (-1: none) has in its id: offset, else the
 * offset of the line being read when line is it, else -1. */
int64_t xs_ctx_offset(const xs_ctx *c, uint64_t line, int64_t offset);

/* A finding at (line, record, offset: xs_ctx_offset's) is held to the end of the file on
 * purpose: emitted then, its id is the one it would have had emitted now (lib/scan/dups.h).
 * Fails the sweep when out of memory. */
void xs_emit_hold(xs_ctx *c, uint64_t line, uint64_t record, int64_t offset);

void xs_warn(struct exs_scan *s, xs_warn_kind k, const char *file, uint64_t line,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The server's own address, as a log of it says (IIS s-ip): client tables leave it out, so that
 * rows the server forwarded to itself (back end, SSRF) do not list it as an attacker. */
void xs_note_server_address(xs_ctx *c, xs_str ip);

/* The server's own state (lib/state/observe.h): a build this file shows, and what else it says
 * of the server (an update installed, a mitigation in place), for the file's root. The file is
 * cited. Fails the sweep when out of memory; past the store's cap counted (a LIMIT warning). */
struct xs_obs_build;
struct xs_obs_note;
void xs_note_build(xs_ctx *c, const struct xs_obs_build *o);
void xs_note_state(xs_ctx *c, const struct xs_obs_note *o);

/* A request for a script in an Exchange web folder (kept for cross-file correlation). */
typedef struct xs_access {
    int64_t time_ms;
    int status;
    uint64_t line;
    const char *file;   /* owned by the scan */
    xs_where where;
    const char *source; /* static evidence kind name */
    char *ip;           /* owned, may be "" */
    char *path;         /* owned: the URL path as logged */
    char *norm;         /* owned: the path as xs_url_norm gives it (decoded, lowercase) */
    char *method;       /* owned, may be "" */
    bool nondefault;    /* a non-default script in an Exchange drop folder (hunting, removed shells) */
    bool backend;       /* logged by a back end: ip is an Exchange server */
} xs_access;

/* Keeps a script request: path as logged and norm, the same path through xs_url_norm.
 * nondefault: a non-default script in an Exchange drop folder; otherwise any other script
 * request, kept only to attach requests to the files found on disk. The two kinds have caps
 * of their own, so common page requests never crowd out the ones hunting shells. */
void xs_access_add(xs_ctx *c, int64_t time_ms, xs_str ip, xs_str path, const char *norm,
                    xs_str method, int status, uint64_t line, bool nondefault, bool backend);

#endif
