/* Evidence kinds: each one descriptor, beside its reader.
 *
 * A kind says, in one place, what it is called, where it lies (locate), how its first bytes
 * give it away (sniff), which prefilter patterns its detectors need, how its rows are read
 * and what state its reader keeps per file. lib/sources/classify.c asks the descriptors, in
 * the order of XS_LOGKINDS, which kind a file is; the shared line pipeline
 * (lib/logs/pipeline.c) feeds a reader only the lines its patterns passed.
 *
 * Adding a kind: its descriptor in the file of its reader (lib/logs/<reader>.c) and a line
 * in XS_LOGKINDS below. Nothing else names kinds, except code that treats one specially on
 * purpose: the CSV reader (the default columns of each Exchange CSV kind, an export's lenient
 * columns and short rows) and the worker (the containers, EVTX and archives).
 */
#ifndef XS_LOGS_KINDS_H
#define XS_LOGS_KINDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "exsweep/error.h"

/* Every kind, in the order classification asks them (the first that claims a file wins):
 * containers by their magic, then the kinds whose content is conclusive, then the generic
 * ones. X(ENUM, descriptor): XS_KIND_<ENUM>, and xs_logkind_<descriptor> in its file. */
#define XS_LOGKINDS(X)                                                                            \
    X(EVTX, evtx)           /* Windows event log (kinds.c; read by record, not by line) */       \
    X(ARCHIVE, archive)     /* zip, 7z, tar, gzip...: read as members (kinds.c) */                \
    X(IIS, iis)             /* IIS W3C and HTTPERR (iis.c) */                                     \
    X(JSONL, jsonl)         /* event export, one JSON object per line (jsonlogs.c) */              \
    X(HTTPPROXY, httpproxy) /* Exchange HttpProxy CSV, and exports with AnchorMailbox (csvlogs.c) */ \
    X(ECP, ecp)             /* ECP Server log (csvlogs.c) */                                      \
    X(RPSCMDLET, rpscmdlet) /* CmdletInfra Rps_Cmdlet and LocalPowerShell cmdlet logs (csvlogs.c) */ \
    X(RPSHTTP, rpshttp)     /* CmdletInfra Rps_Http (csvlogs.c) */                                \
    X(OABGEN, oabgen)       /* OABGeneratorLog (textlogs.c) */                                    \
    X(EXPORT, export)       /* a CSV table of web requests with named columns (csvlogs.c) */      \
    X(EXCHANGE, exchange)   /* other Exchange CSV logs: coverage only (csvlogs.c) */              \
    X(TEXT, text)           /* other text: loose line checks (textlogs.c) */

typedef enum xs_kind {
    XS_KIND_NONE = 0, /* not evidence this version reads */
#define XS_KIND_ENUM_(e, d) XS_KIND_##e,
    XS_LOGKINDS(XS_KIND_ENUM_)
#undef XS_KIND_ENUM_
    XS_KIND__COUNT
} xs_kind;

struct xs_ctx;
struct xs_pattern_set;
struct xs_csv_row;

/* ---------------------------------------------------------------- reading */

/* What a reader gets for the file it reads: its kind, room every reader shares, and its own
 * private state (an instance of its descriptor's state type, reset for each file). Owned by
 * the worker (xs_logstate_create); readers never free anything in it. */
typedef struct xs_logstate {
    xs_kind kind;
    char *scratch; /* 2 * XS_MAX_LINE + 16 bytes: unescaping and decoding room */
    void *own;     /* the reader's state, NULL for readers without one */
    struct xs_logrooms *rooms; /* internal to kinds.c: one instance per state type */
} xs_logstate;

/* A reader's private per-file state, shared by the kinds one reader file serves. An instance
 * is made (zeroed, then init) the first time a worker reads a kind that uses it. */
typedef struct xs_logstate_type {
    size_t size;
    bool (*init)(void *own);              /* its buffers; false: out of memory. May be NULL. */
    void (*fini)(void *own);              /* frees what init allocated. May be NULL. */
    /* A new file of kind k; scratch: the shared room (xs_logstate.scratch). May be NULL. */
    void (*reset)(void *own, xs_kind k, char *scratch);
} xs_logstate_type;

/* ---------------------------------------------------------------- classification */

/* The parent folders places lie under, in the order location asks them: an Exchange
 * install's logs, then IIS's. Each is looked for at every occurrence in the path, first to
 * last; the first occurrence with a place's folder under it wins (of the places there, the
 * first of the first kind in XS_LOGKINDS order). */
#define XS_LOG_PARENTS "/logging/", "/logfiles/"

/* Where a kind's logs lie: a folder under a parent folder of the path (both lowercase, as in
 * a normalised path). */
typedef struct xs_logplace {
    const char *parent; /* one of XS_LOG_PARENTS: "/logging/" (Exchange), "/logfiles/" (IIS) */
    const char *folder; /* the folder under parent, matched as a prefix ("httpproxy/", "w3svc") */
    const char *family; /* the coverage family of what lies there ("HttpProxy", "ECP/Server") */
    /* May be NULL. Given the path after parent, writes a finer family ("HttpProxy/Owa",
     * "IIS/W3SVC2"); false when the place does not match after all (a file, not a folder). */
    bool (*refine)(const char *sub, char *family, size_t cap);
    bool install; /* the display path before parent is an Exchange install root */
} xs_logplace;

/* The lines of a file's head classification reads: its directives, up to the first line
 * that is not one. */
#define XS_HEAD_LINES 16

/* What classification read of a file's head, for the sniffers. Directive values are empty when
 * absent; Software and Fields are trimmed, Log-type only at its end (sniffers trim it); first
 * is the first line that is not a directive (within XS_HEAD_LINES lines). */
typedef struct xs_head {
    const char *norm;             /* the normalised path */
    const unsigned char *p;       /* the first bytes (up to XS_SNIFF_BYTES) */
    size_t n;
    xs_str software[XS_HEAD_LINES]; /* every "#Software:", in order (xs_head_software) */
    size_t nsoftware;
    xs_str logtype;              /* "#Log-type:" */
    xs_str fields;               /* "#Fields:" */
    const struct xs_csv_row *fields_row; /* fields split as CSV (when fields.n) */
    xs_str first;                /* the first data line */
    const struct xs_csv_row *row; /* first split as CSV (when first.n) */
    bool header;                  /* row looks like a header (names, not values) */
} xs_head;

/* Whether a "#Software:" line of the head contains word (any case). A head may have several
 * (logs written by more than one product, files joined together): any of them counts. */
static inline bool xs_head_software(const xs_head *h, const char *word)
{
    for (size_t i = 0; i < h->nsoftware; i++)
        if (xs_str_icontains(h->software[i], word))
            return true;
    return false;
}

/* How a kind's content gives it away. Each may be NULL. Classification asks, in order:
 * magic of every kind; when the head has directives, directives of every kind, and the first
 * line is only asked when no directive claimed the file and it has no Log-type or Fields
 * directive; then the location; then fallback. */
typedef struct xs_logsniff {
    bool (*magic)(const unsigned char *p, size_t n); /* conclusive bytes: a container format */
    bool (*directives)(const xs_head *h);           /* from #Software, #Log-type, #Fields */
    bool (*first)(const xs_head *h);                /* from the first data line */
    bool (*fallback)(const char *norm);              /* nothing else claimed the file */
    /* The family when content, not location, named the kind (default: the kind's family). */
    void (*family)(const xs_head *h, char *out, size_t cap);
} xs_logsniff;

/* The kind is parsed whole by its reader: the file checks leave its files alone unless asked
 * (user rules, --check-logs). */
#define XS_KF_PARSED 1u
/* The generic Exchange kind: a file that says it is an Exchange log, found in the folder of a
 * specific Exchange log, is read as that one. */
#define XS_KF_GENERIC 2u
/* A structured log: when the file checks do see its files, outside web folders, they treat
 * the content as a log's (no page-structure check, no shipped rule of file scope). Not the
 * event exports: whether those are is said by their head (xs_looks_json_lines). */
#define XS_KF_STRUCTURED 4u

/* ---------------------------------------------------------------- the descriptor */

typedef struct xs_logkind {
    xs_kind kind;
    const char *name;   /* "httpproxy", "iis", ...: in findings and messages */
    const char *family; /* coverage family when nothing finer is known ("IIS", "Text") */
    unsigned flags;     /* XS_KF_* */
    const xs_logplace *places; /* where it lies: terminated by {NULL}; may be NULL */
    xs_logsniff sniff;
    /* The prefilter pattern set of its detectors; NULL for kinds not read by line. */
    const struct xs_pattern_set *patterns;
    /* The reader, for kinds read by line (row set); state may be NULL. */
    const xs_logstate_type *state;
    /* A directive line ("#..."); NULL: directives are ignored. */
    void (*directive)(xs_logstate *st, struct xs_ctx *c, xs_str line, uint64_t lineno);
    /* The first non-directive line. Returns true when it was consumed as a header; NULL: the
     * kind has no header line. */
    bool (*first_line)(xs_logstate *st, struct xs_ctx *c, xs_str line);
    /* A candidate row. */
    void (*row)(xs_logstate *st, struct xs_ctx *c, xs_str line, uint64_t lineno);
    /* Time of a data line, or EXS_TIME_NONE (for the coverage window). */
    int64_t (*row_time)(xs_logstate *st, xs_str line);
    /* At the end of the file (may be NULL). */
    void (*end)(xs_logstate *st, struct xs_ctx *c);
} xs_logkind;

#define XS_KIND_DECL_(e, d) extern const xs_logkind xs_logkind_##d;
XS_LOGKINDS(XS_KIND_DECL_)
#undef XS_KIND_DECL_

/* ---------------------------------------------------------------- the registry */

/* The descriptor of k, or NULL (XS_KIND_NONE, out of range). */
const xs_logkind *xs_logkind_of(xs_kind k);
const char *xs_kind_name(xs_kind k); /* static: "httpproxy", ...; "none", "unknown" */
/* The prefilter pattern set of a kind, or NULL for kinds that are not read by line. */
const struct xs_pattern_set *xs_kind_patterns(xs_kind k);
/* The reader of a kind read by line, or NULL (containers, none). */
const xs_logkind *xs_logkind_get(xs_kind k);
/* Whether k's files are parsed whole by its reader (XS_KF_PARSED). */
bool xs_kind_parsed(xs_kind k);
/* Whether k is a structured log (XS_KF_STRUCTURED). */
bool xs_kind_structured(xs_kind k);

/* A worker's reader states: create/destroy once per worker. xs_logstate_reset readies st for
 * a file of kind lk (its state made on first use): EXS_OK or EXS_ENOMEM; EXS_EINVAL for a
 * state type past the XS_KIND__COUNT a worker keeps, which the descriptors of XS_LOGKINDS
 * (one type each at most) never ask for. */
xs_logstate *xs_logstate_create(void);
void xs_logstate_destroy(xs_logstate *st);
exs_rc xs_logstate_reset(xs_logstate *st, const xs_logkind *lk);

#endif
