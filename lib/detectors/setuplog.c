/* Exchange Setup's own log (C:\ExchangeSetupLogs\ExchangeSetup.log): each run of Setup writes
 * the build it installs and the build it found, on lines that start with the run's time:
 *
 *   [03/06/2021 00:05:12.0345] [0] Setup version: 15.1.2176.9.
 *   [03/06/2021 00:05:13.0101] [0] The locally installed version is 15.1.2176.2.
 *
 * (the form Microsoft's SetupLogReviewer reads). The time is the server's local time, its zone
 * not written: it is taken as UTC and the detail says so. What Setup found was in force until
 * that run; what it installs from then on (a run can fail: the state's other sources decide).
 */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "core/timeparse.h"
#include "detectors/detect.h"
#include "scan/ctx.h"
#include "state/observe.h"

/* "[MM/DD/YYYY HH:MM:SS" at the start of the line, as ms since the epoch, or EXS_TIME_NONE. */
static int64_t run_time(xs_str line)
{
    if (line.n < 20 || line.p[0] != '[' || line.p[3] != '/' || line.p[6] != '/' ||
        line.p[11] != ' ' || line.p[14] != ':' || line.p[17] != ':')
        return EXS_TIME_NONE;
    static const int digits[] = {1, 2, 4, 5, 7, 8, 9, 10, 12, 13, 15, 16, 18, 19};
    for (size_t i = 0; i < sizeof digits / sizeof digits[0]; i++)
        if (line.p[digits[i]] < '0' || line.p[digits[i]] > '9')
            return EXS_TIME_NONE;
    char iso[32];
    snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.8sZ", line.p + 7, line.p + 1, line.p + 4,
             line.p + 12);
    return xs_time_parse_iso(xs_str_cstr(iso));
}

/* The build after marker on line, up to the line's closing '.'; false when none. */
static bool build_after(xs_str line, const char *marker, xs_build *out)
{
    long k = xs_str_ifind(line, marker);
    if (k < 0)
        return false;
    size_t at = (size_t)k + strlen(marker), e = at;
    while (e < line.n && ((line.p[e] >= '0' && line.p[e] <= '9') || line.p[e] == '.'))
        e++;
    while (e > at && line.p[e - 1] == '.') /* the sentence's full stop */
        e--;
    return xs_build_parse(line.p + at, e - at, false, out) && xs_build_plausible(out);
}

void xs_detect_setuplog(xs_ctx *c, xs_str line, uint64_t lineno)
{
    if (!strstr(c->normpath, "exchangesetuplogs/"))
        return;
    xs_build b;
    bool installs = build_after(line, "Setup version: ", &b);
    if (!installs && !build_after(line, "The locally installed version is ", &b))
        return;
    int64_t t = run_time(line);
    char d[96], tb[XS_BUILD_TEXT];
    snprintf(d, sizeof d, "%s %s (the log's local time, read as UTC)",
             installs ? "Setup version:" : "locally installed:", xs_build_text(&b, tb));
    xs_obs_build o = {b, XS_BSRC_SETUPLOG, installs ? t : EXS_TIME_NONE,
                      installs ? EXS_TIME_NONE : t, lineno, d};
    xs_note_build(c, &o);
}
