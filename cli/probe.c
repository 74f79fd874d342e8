/* exsweep probe: classify the Exchange servers of a saved scan (ZGrab2, Shadowserver),
 * sending nothing. Live probing is not built yet, and says so. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_help.h"
#include "exsweep/exsweep.h"

const char xs_cli_probe_help[] = XS_PROBE_HELP;

#define LIVE "live probing is not built yet: --from-zgrab2 FILE and --from-shadowserver FILE " \
             "classify saved scans"

/* The kept warnings on standard error, for formats whose output has no room for them. */
static void warnings_to_stderr(const exs_probe *p)
{
    size_t nw;
    const exs_probe_warning *w = exs_probe_warnings(p, &nw);
    for (size_t i = 0; i < nw; i++) {
        if (w[i].line)
            xs_cli_msg("exsweep probe: line %llu: %s", (unsigned long long)w[i].line,
                       w[i].message);
        else
            xs_cli_msg("exsweep probe: %s", w[i].message);
    }
    const exs_probe_counts *s = exs_probe_stats(p);
    if (s->warnings > nw)
        xs_cli_msg("exsweep probe: %llu more warnings counted, not kept",
                   (unsigned long long)(s->warnings - nw));
}

int xs_cli_probe(int argc, char **argv)
{
    static const struct option longopts[] = {XS_PROBE_LONGOPTS};
    const char *from = NULL;
    exs_probe_input kind = EXS_PROBE_ZGRAB2;
    exs_probe_format fmt = EXS_PROBE_TEXT;
    int c, live = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, XS_PROBE_OPTSTRING, longopts, NULL)) != -1) {
        switch (c) {
        case XS_PROBE_OPT_FROM_ZGRAB2:
        case XS_PROBE_OPT_FROM_SHADOWSERVER:
            if (from)
                return xs_cli_usage("probe", "one input only: --from-zgrab2 or "
                                             "--from-shadowserver, once");
            from = optarg;
            kind = c == XS_PROBE_OPT_FROM_ZGRAB2 ? EXS_PROBE_ZGRAB2 : EXS_PROBE_SHADOWSERVER;
            break;
        case 'f': {
            int f = exs_probe_format_parse(optarg);
            if (f < 0)
                return xs_cli_usage("probe", "unknown format '%s' (text, jsonl, csv)", optarg);
            fmt = (exs_probe_format)f;
            break;
        }
        case XS_PROBE_OPT_TIMEOUT:
        case XS_PROBE_OPT_RATE: live = 1; break;
        case 'h':
            fputs(xs_cli_probe_help, stdout);
            return xs_cli_stdout_done("probe", 0);
        default: return xs_cli_bad_option("probe", c, longopts, argv);
        }
    }
    if (live || optind < argc) {
        xs_cli_msg("exsweep probe: " LIVE);
        return 2;
    }
    if (!from)
        return xs_cli_usage("probe", "no input: --from-zgrab2 FILE or --from-shadowserver FILE "
                                     "(live probing is not built yet)");
    exs_probe *p = NULL;
    char err[1024];
    exs_rc rc = exs_probe_read(&p, kind, from, err, sizeof err);
    if (rc != EXS_OK) {
        xs_cli_msg("exsweep probe: %s", *err ? err : exs_strerror(rc));
        return 2;
    }
    int status = exs_probe_stats(p)->findings ? 1 : 0;
    if (exs_probe_write(p, stdout, fmt) != EXS_OK)
        status = 2;
    if (fmt == EXS_PROBE_CSV)
        warnings_to_stderr(p);
    status = xs_cli_stdout_done("probe", status);
    exs_probe_destroy(p);
    return status;
}
