/* Loose checks on text that is no log format we know: exports, excerpts, notes, tool output.
 * The ServerInfo~ anchor, the ECP Set-*VirtualDirectory line and the OAB generator line are
 * recognisable without columns. */
#include "detectors/internal.h"
#include "detectors/patterns.h"
#include "exsweep/finding.h"

void exs_detect_text(exs_ctx *c, exs_str line, uint64_t lineno)
{
    long k = exs_str_ifind(line, "serverinfo~");
    int64_t t = exs_find_time(line);
    if (k >= 0) {
        /* The anchor ends at a quote, comma or tab (it may hold spaces after anonymisation). */
        exs_str a = exs_str_make(line.p + k, line.n - (size_t)k);
        for (size_t i = 0; i < a.n; i++)
            if (a.p[i] == '"' || a.p[i] == ',' || a.p[i] == '\t' || a.p[i] == '\r') {
                a.n = i;
                break;
            }
        exs_request r;
        memset(&r, 0, sizeof r);
        r.time_ms = t;
        r.line = lineno;
        r.status = -1;
        r.raw = line;
        r.anchor = exs_str_trim(a);
        exs_detect_anchor(c, r.anchor, &r);
        return;
    }
    exs_detect_ecp(c, t, line, lineno);
    exs_detect_oabgen(c, t, line, lineno);
}

/* ---------------------------------------------------------------- prefilter */

/* What a line must hold for the loose checks above (patterns.h). */
const exs_pattern exs_pat_text[] = {
    {"serverinfo~", 0},
    {"virtualdirectory", 0},
    {"download failed and temporary file", 0},
    {NULL, 0},
};
