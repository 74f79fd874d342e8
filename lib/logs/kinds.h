/* Evidence kinds: each one descriptor, beside its reader.
 *
 * A kind says, in one place, what it is called, where it lies (locate), how its first bytes
 * give it away (sniff), which prefilter patterns its detectors need, how its rows are read
 * and what state its reader keeps per file. lib/sources/classify.c asks the descriptors, in
 * the order of EXS_LOGKINDS, which kind a file is; the shared line pipeline
 * (lib/logs/pipeline.c) feeds a reader only the lines its patterns passed.
 *
 * Adding a kind: its descriptor in the file of its reader (lib/logs/<reader>.c) and a line
 * in EXS_LOGKINDS below. Nothing else names kinds, except code that treats one specially on
 * purpose: the CSV reader (the default columns of each Exchange CSV kind, an export's lenient
 * columns and short rows) and the worker (the containers, EVTX and archives).
 */
#ifndef EXS_LOGS_KINDS_H
#define EXS_LOGS_KINDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "exsweep/error.h"

/* Every kind, in the order classification asks them (the first that claims a file wins):
 * containers by their magic, then the kinds whose content is conclusive, then the generic
 * ones. X(ENUM, descriptor): EXS_KIND_<ENUM>, and exs_logkind_<descriptor> in its file. */
#define EXS_LOGKINDS(X)                                                                            \
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

typedef enum exs_kind {
    EXS_KIND_NONE = 0, /* not evidence this version reads */
#define EXS_KIND_ENUM_(e, d) EXS_KIND_##e,
    EXS_LOGKINDS(EXS_KIND_ENUM_)
#undef EXS_KIND_ENUM_
    EXS_KIND__COUNT
} exs_kind;

struct exs_ctx;
struct exs_pattern_set;
struct exs_csv_row;

/* ---------------------------------------------------------------- reading */

/* What a reader gets for the file it reads: its kind, room every reader shares, and its own
 * private state (an instance of its descriptor's state type, reset for each file). Owned by
 * the worker (exs_logstate_create); readers never free anything in it. */
typedef struct exs_logstate {
    exs_kind kind;
    char *scratch; /* 2 * EXS_MAX_LINE + 16 bytes: unescaping and decoding room */
    void *own;     /* the reader's state, NULL for readers without one */
    struct exs_logrooms *rooms; /* internal to kinds.c: one instance per state type */
} exs_logstate;

/* A reader's private per-file state, shared by the kinds one reader file serves. An instance
 * is made (zeroed, then init) the first time a worker reads a kind that uses it. */
typedef struct exs_logstate_type {
    size_t size;
    bool (*init)(void *own);              /* its buffers; false: out of memory. May be NULL. */
    void (*fini)(void *own);              /* frees what init allocated. May be NULL. */
    /* A new file of kind k; scratch: the shared room (exs_logstate.scratch). May be NULL. */
    void (*reset)(void *own, exs_kind k, char *scratch);
} exs_logstate_type;

/* ---------------------------------------------------------------- classification */

/* The parent folders places lie under, in the order location asks them: an Exchange
 * install's logs, then IIS's. Each is looked for at every occurrence in the path, first to
 * last; the first occurrence with a place's folder under it wins (of the places there, the
 * first of the first kind in EXS_LOGKINDS order). */
#define EXS_LOG_PARENTS "/logging/", "/logfiles/"

/* Where a kind's logs lie: a folder under a parent folder of the path (both lowercase, as in
 * a normalised path). */
typedef struct exs_logplace {
    const char *parent; /* one of EXS_LOG_PARENTS: "/logging/" (Exchange), "/logfiles/" (IIS) */
    const char *folder; /* the folder under parent, matched as a prefix ("httpproxy/", "w3svc") */
    const char *family; /* the coverage family of what lies there ("HttpProxy", "ECP/Server") */
    /* May be NULL. Given the path after parent, writes a finer family ("HttpProxy/Owa",
     * "IIS/W3SVC2"); false when the place does not match after all (a file, not a folder). */
    bool (*refine)(const char *sub, char *family, size_t cap);
    bool install; /* the display path before parent is an Exchange install root */
} exs_logplace;

/* The lines of a file's head classification reads: its directives, up to the first line
 * that is not one. */
#define EXS_HEAD_LINES 16

/* What classification read of a file's head, for the sniffers. Directive values are empty when
 * absent; Software and Fields are trimmed, Log-type only at its end (sniffers trim it); first
 * is the first line that is not a directive (within EXS_HEAD_LINES lines). */
typedef struct exs_head {
    const char *norm;             /* the normalised path */
    const unsigned char *p;       /* the first bytes (up to EXS_SNIFF_BYTES) */
    size_t n;
    exs_str software[EXS_HEAD_LINES]; /* every "#Software:", in order (exs_head_software) */
    size_t nsoftware;
    exs_str logtype;              /* "#Log-type:" */
    exs_str fields;               /* "#Fields:" */
    const struct exs_csv_row *fields_row; /* fields split as CSV (when fields.n) */
    exs_str first;                /* the first data line */
    const struct exs_csv_row *row; /* first split as CSV (when first.n) */
    bool header;                  /* row looks like a header (names, not values) */
} exs_head;

/* Whether a "#Software:" line of the head contains word (any case). A head may have several
 * (logs written by more than one product, files joined together): any of them counts. */
static inline bool exs_head_software(const exs_head *h, const char *word)
{
    for (size_t i = 0; i < h->nsoftware; i++)
        if (exs_str_icontains(h->software[i], word))
            return true;
    return false;
}

/* How a kind's content gives it away. Each may be NULL. Classification asks, in order:
 * magic of every kind; when the head has directives, directives of every kind, and the first
 * line is only asked when no directive claimed the file and it has no Log-type or Fields
 * directive; then the location; then fallback. */
typedef struct exs_logsniff {
    bool (*magic)(const unsigned char *p, size_t n); /* conclusive bytes: a container format */
    bool (*directives)(const exs_head *h);           /* from #Software, #Log-type, #Fields */
    bool (*first)(const exs_head *h);                /* from the first data line */
    bool (*fallback)(const char *norm);              /* nothing else claimed the file */
    /* The family when content, not location, named the kind (default: the kind's family). */
    void (*family)(const exs_head *h, char *out, size_t cap);
} exs_logsniff;

/* The kind is parsed whole by its reader: the file checks leave its files alone unless asked
 * (user rules, --check-logs). */
#define EXS_KF_PARSED 1u
/* The generic Exchange kind: a file that says it is an Exchange log, found in the folder of a
 * specific Exchange log, is read as that one. */
#define EXS_KF_GENERIC 2u
/* A structured log: when the file checks do see its files, outside web folders, they treat
 * the content as a log's (no page-structure check, no shipped rule of file scope). Not the
 * event exports: whether those are is said by their head (exs_looks_json_lines). */
#define EXS_KF_STRUCTURED 4u

/* ---------------------------------------------------------------- the descriptor */

typedef struct exs_logkind {
    exs_kind kind;
    const char *name;   /* "httpproxy", "iis", ...: in findings and messages */
    const char *family; /* coverage family when nothing finer is known ("IIS", "Text") */
    unsigned flags;     /* EXS_KF_* */
    const exs_logplace *places; /* where it lies: terminated by {NULL}; may be NULL */
    exs_logsniff sniff;
    /* The prefilter pattern set of its detectors; NULL for kinds not read by line. */
    const struct exs_pattern_set *patterns;
    /* The reader, for kinds read by line (row set); state may be NULL. */
    const exs_logstate_type *state;
    /* A directive line ("#..."); NULL: directives are ignored. */
    void (*directive)(exs_logstate *st, struct exs_ctx *c, exs_str line, uint64_t lineno);
    /* The first non-directive line. Returns true when it was consumed as a header; NULL: the
     * kind has no header line. */
    bool (*first_line)(exs_logstate *st, struct exs_ctx *c, exs_str line);
    /* A candidate row. */
    void (*row)(exs_logstate *st, struct exs_ctx *c, exs_str line, uint64_t lineno);
    /* Time of a data line, or EXS_TIME_NONE (for the coverage window). */
    int64_t (*row_time)(exs_logstate *st, exs_str line);
    /* At the end of the file (may be NULL). */
    void (*end)(exs_logstate *st, struct exs_ctx *c);
} exs_logkind;

#define EXS_KIND_DECL_(e, d) extern const exs_logkind exs_logkind_##d;
EXS_LOGKINDS(EXS_KIND_DECL_)
#undef EXS_KIND_DECL_

/* ---------------------------------------------------------------- the registry */

/* The descriptor of k, or NULL (EXS_KIND_NONE, out of range). */
const exs_logkind *exs_logkind_of(exs_kind k);
const char *exs_kind_name(exs_kind k); /* static: "httpproxy", ...; "none", "unknown" */
/* The prefilter pattern set of a kind, or NULL for kinds that are not read by line. */
const struct exs_pattern_set *exs_kind_patterns(exs_kind k);
/* The reader of a kind read by line, or NULL (containers, none). */
const exs_logkind *exs_logkind_get(exs_kind k);
/* Whether k's files are parsed whole by its reader (EXS_KF_PARSED). */
bool exs_kind_parsed(exs_kind k);
/* Whether k is a structured log (EXS_KF_STRUCTURED). */
bool exs_kind_structured(exs_kind k);

/* A worker's reader states: create/destroy once per worker. exs_logstate_reset readies st for
 * a file of kind lk (its state made on first use): EXS_OK or EXS_ENOMEM; EXS_EINVAL for a
 * state type past the EXS_KIND__COUNT a worker keeps, which the descriptors of EXS_LOGKINDS
 * (one type each at most) never ask for. */
exs_logstate *exs_logstate_create(void);
void exs_logstate_destroy(exs_logstate *st);
exs_rc exs_logstate_reset(exs_logstate *st, const exs_logkind *lk);

#endif
