/* Evidence kinds, and the per-kind readers of log rows.
 *
 * A file is classified once (lib/sources/classify.c) into a kind. Each log kind has a row
 * reader here: it knows its header and directive lines, how to turn a candidate line into
 * fields, and which detectors to call. The shared line pipeline (lib/logs/pipeline.c) feeds
 * it only the lines the kind's prefilter passed.
 */
#ifndef EXS_LOGS_KINDS_H
#define EXS_LOGS_KINDS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"

typedef enum exs_kind {
    EXS_KIND_NONE = 0,    /* not evidence this version reads */
    EXS_KIND_HTTPPROXY,   /* Exchange HttpProxy CSV, and CSV exports with AnchorMailbox */
    EXS_KIND_ECP,         /* ECP Server log */
    EXS_KIND_OABGEN,      /* OABGeneratorLog */
    EXS_KIND_RPSHTTP,     /* CmdletInfra Rps_Http */
    EXS_KIND_RPSCMDLET,   /* CmdletInfra Rps_Cmdlet and LocalPowerShell cmdlet logs */
    EXS_KIND_EXCHANGE,    /* other Exchange CSV logs: coverage only */
    EXS_KIND_IIS,         /* IIS W3C (and HTTPERR) */
    EXS_KIND_EXPORT,      /* a CSV table of web requests with named columns (SIEM export) */
    EXS_KIND_TEXT,        /* other text: loose line checks */
    EXS_KIND_EVTX,        /* Windows event log */
    EXS_KIND_JSONL,       /* event export: one JSON object per line */
    EXS_KIND_ARCHIVE,     /* zip, 7z, tar, gzip...: read as members */
    EXS_KIND__COUNT
} exs_kind;

const char *exs_kind_name(exs_kind k); /* static: "httpproxy", "iis", ... */

struct exs_ctx;
struct exs_worker;

/* Per-file state of a log reader (one per worker, reset per file). */
typedef struct exs_logstate exs_logstate;

typedef struct exs_logkind {
    exs_kind kind;
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

struct exs_pattern_set;
/* The prefilter pattern set of a log kind, or NULL for kinds that are not line logs. */
const struct exs_pattern_set *exs_kind_patterns(exs_kind k);

/* The reader of a log kind, or NULL for kinds that are not line logs. */
const exs_logkind *exs_logkind_get(exs_kind k);

/* Allocates/frees a reader state (large: schemas and row buffers). */
exs_logstate *exs_logstate_create(void);
void exs_logstate_destroy(exs_logstate *st);
void exs_logstate_reset(exs_logstate *st, exs_kind k);

#endif
