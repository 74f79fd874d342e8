/* Readers of plain-text logs without columns: OABGeneratorLog, and any other text. */
#include "detectors/detect.h"
#include "exsweep/finding.h"
#include "logs/state.h"
#include "scan/ctx.h"

static int64_t text_time(exs_logstate *st, exs_str line)
{
    (void)st;
    return exs_find_time(line);
}

static void oabgen_row(exs_logstate *st, exs_ctx *c, exs_str line, uint64_t lineno)
{
    (void)st;
    exs_detect_oabgen(c, exs_find_time(line), line, lineno);
}

static void text_row(exs_logstate *st, exs_ctx *c, exs_str line, uint64_t lineno)
{
    (void)st;
    exs_detect_text(c, line, lineno);
}

const exs_logkind exs_logkind_oabgen = {
    .kind = EXS_KIND_OABGEN, .row = oabgen_row, .row_time = text_time};
const exs_logkind exs_logkind_text = {
    .kind = EXS_KIND_TEXT, .row = text_row, .row_time = text_time};
