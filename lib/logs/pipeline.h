/* The line pipeline shared by every log kind: bounded reads, prefilter, candidate rows. */
#ifndef XS_LOGS_PIPELINE_H
#define XS_LOGS_PIPELINE_H

#include <stdint.h>

#include "engines/prefilter.h"
#include "logs/kinds.h"
#include "sources/input.h"

struct xs_ctx;

typedef struct xs_pipeline_mem {
    char *buf;          /* XS_READ_CHUNK + 1 bytes */
    uint64_t *nl;       /* line-break map of buf: XS_NLMAP_WORDS(XS_READ_CHUNK) words */
    uint32_t *starts;   /* candidate line offsets, grown as needed */
    size_t starts_cap;
    xs_pf_scratch *scratch;
    uint64_t candidates;
    uint32_t *gated, *merged; /* the line gate's candidates, and both lists merged */
    size_t gated_cap, merged_cap;
} xs_pipeline_mem;

/* A second source of candidate lines, beside the prefilter (the Sigma rules' line gate): fn
 * gives the start offsets of its lines of buf[0..len) as xs_prefilter_lines does. */
typedef struct xs_linegate {
    long (*fn)(void *ctx, const char *buf, size_t len, const xs_nlmap *nl, uint32_t **starts,
               size_t *cap);
    void *ctx;
} xs_linegate;

/* Reads the rest of in through the reader lk. m->buf already holds `have` bytes read from in.
 * pf NULL makes every line a candidate (the scan's no_prefilter switch, for tests); with a
 * gate (or NULL), the lines of either are.
 * Lines longer than XS_MAX_LINE are cut (counted); a failed read ends the file (the stream
 * reported it). Returns EXS_OK, or the prefilter's failure (EXS_ENOMEM, EXS_EENGINE), which
 * the caller reports: the rest of the file was not read. */
exs_rc xs_log_pipeline(struct xs_ctx *c, xs_logstate *st, const xs_logkind *lk,
                     const xs_prefilter *pf, const xs_linegate *gate, xs_pipeline_mem *m,
                     const xs_input *in, size_t have);

#endif
