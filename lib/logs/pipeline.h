/* The line pipeline shared by every log kind: bounded reads, prefilter, candidate rows. */
#ifndef EXS_LOGS_PIPELINE_H
#define EXS_LOGS_PIPELINE_H

#include <stdint.h>

#include "engines/prefilter.h"
#include "logs/kinds.h"
#include "sources/input.h"

struct exs_ctx;

typedef struct exs_pipeline_mem {
    char *buf;          /* EXS_READ_CHUNK + 1 bytes */
    uint64_t *nl;       /* line-break map of buf: EXS_NLMAP_WORDS(EXS_READ_CHUNK) words */
    uint32_t *starts;   /* candidate line offsets, grown as needed */
    size_t starts_cap;
    exs_pf_scratch *scratch;
    uint64_t candidates;
} exs_pipeline_mem;

/* Reads the rest of in through the reader lk. m->buf already holds `have` bytes read from in.
 * pf NULL makes every line a candidate (the scan's no_prefilter switch, for tests).
 * Lines longer than EXS_MAX_LINE are cut (counted); a failed read ends the file (the stream
 * reported it). Returns EXS_OK, or the prefilter's failure (EXS_ENOMEM, EXS_EENGINE), which
 * the caller reports: the rest of the file was not read. */
exs_rc exs_log_pipeline(struct exs_ctx *c, exs_logstate *st, const exs_logkind *lk,
                     const exs_prefilter *pf, exs_pipeline_mem *m, const exs_input *in,
                     size_t have);

#endif
