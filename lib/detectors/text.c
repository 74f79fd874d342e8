/* Loose checks on text that is no log format we know: exports, excerpts, notes, tool output.
 * The ServerInfo~ anchor, the ECP Set-*VirtualDirectory line and the OAB generator line are
 * recognisable without columns. */
#include "detectors/internal.h"
#include "detectors/patterns.h"
#include "exsweep/finding.h"

void xs_detect_text(xs_ctx *c, xs_str line, uint64_t lineno)
{
    xs_detect_setuplog(c, line, lineno);
    long k = xs_str_ifind(line, "serverinfo~");
    int64_t t = xs_find_time(line);
    if (k >= 0) {
        /* The anchor ends at a quote, comma or tab (it may hold spaces after anonymisation). */
        xs_str a = xs_str_make(line.p + k, line.n - (size_t)k);
        for (size_t i = 0; i < a.n; i++)
            if (a.p[i] == '"' || a.p[i] == ',' || a.p[i] == '\t' || a.p[i] == '\r') {
                a.n = i;
                break;
            }
        xs_request r;
        memset(&r, 0, sizeof r);
        r.time_ms = t;
        r.line = lineno;
        r.status = -1;
        r.raw = line;
        r.anchor = xs_str_trim(a);
        xs_detect_anchor(c, r.anchor, &r);
        return;
    }
    xs_detect_ecp(c, t, line, lineno);
    xs_detect_oabgen(c, t, line, lineno);
}

/* ---------------------------------------------------------------- prefilter */

/* What a line must hold for the loose checks above (patterns.h). */
const xs_pattern xs_pat_text[] = {
    {"serverinfo~", 0},
    {"virtualdirectory", 0},
    {"download failed and temporary file", 0},
    {"setup version: \\d", 0},                  /* ExchangeSetup.log (setuplog.c) */
    {"the locally installed version is \\d", 0},
    {NULL, 0},
};
