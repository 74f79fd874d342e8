/* Readers of plain-text logs without columns: OABGeneratorLog, and any other text. */
#include <string.h>

#include "detectors/detect.h"
#include "exsweep/finding.h"
#include "engines/prefilter.h"
#include "logs/kinds.h"
#include "scan/ctx.h"

static int64_t text_time(xs_logstate *st, xs_str line)
{
    (void)st;
    return xs_find_time(line);
}

static void oabgen_row(xs_logstate *st, xs_ctx *c, xs_str line, uint64_t lineno)
{
    (void)st;
    xs_detect_oabgen(c, xs_find_time(line), line, lineno);
}

static void text_row(xs_logstate *st, xs_ctx *c, xs_str line, uint64_t lineno)
{
    (void)st;
    xs_detect_text(c, line, lineno);
}

/* Any other text: a file with a text extension (or none) that nothing else claimed. */
static bool text_fallback(const char *norm)
{
    const char *slash = strrchr(norm, '/');
    const char *base = slash ? slash + 1 : norm;
    const char *dot = strrchr(base, '.');
    if (!dot)
        return true;
    static const char *const exts[] = {".log", ".csv", ".txt", ".tsv", ".out", ".old", ".bak"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcmp(dot, exts[i]) == 0)
            return true;
    return false;
}

static const xs_pattern *const pl_oabgen[] = {xs_pat_oabgen, NULL};
static const xs_pattern *const pl_text[] = {xs_pat_text, NULL};
static const xs_pattern_set set_oabgen = {pl_oabgen, NULL};
static const xs_pattern_set set_text = {pl_text, NULL};

static const xs_logplace oabgen_places[] = {
    {"/logging/", "oabgeneratorlog/", "OABGenerator", NULL, true}, {NULL}};
const xs_logkind xs_logkind_oabgen = {
    .kind = XS_KIND_OABGEN, .name = "oabgen", .family = "OABGenerator",
    .flags = XS_KF_PARSED | XS_KF_STRUCTURED,
    .places = oabgen_places, .patterns = &set_oabgen, .row = oabgen_row, .row_time = text_time};

const xs_logkind xs_logkind_text = {
    .kind = XS_KIND_TEXT, .name = "text", .family = "Text", .sniff = {.fallback = text_fallback},
    .patterns = &set_text, .row = text_row, .row_time = text_time};
