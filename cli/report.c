/* exsweep report: render a saved sweep (the JSON lines of 'exsweep scan -f jsonl') in any
 * format, for one sweep or several (a fleet). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_help.h"
#include "exsweep/exsweep.h"
#include "output.h"

const char xs_cli_report_help[] = XS_REPORT_HELP;

static int parse_count(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

int xs_cli_report(int argc, char **argv)
{
    static const struct option longopts[] = {XS_REPORT_LONGOPTS};
    exs_report_opts ro = EXS_REPORT_OPTS_INIT;
    const char *output = "-", *color = "auto";
    int status = 2, c;
    unsigned long v;
    exs_results *r = NULL;
    xs_cli_out out;
    memset(&out, 0, sizeof out);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, XS_REPORT_OPTSTRING, longopts, NULL)) != -1) {
        switch (c) {
        case 'f': {
            int f = exs_format_parse(optarg);
            if (f < 0) {
                xs_cli_usage("report", "unknown format '%s' (text, jsonl, csv, timesketch, stix, html)", optarg);
                goto done;
            }
            ro.format = (exs_format)f;
            break;
        }
        case 'o': output = optarg; break;
        case XS_REPORT_OPT_TOP:
            if (parse_count(optarg, 100000, &v) < 0) {
                xs_cli_usage("report", "--top wants a count up to 100000, not '%s'", optarg);
                goto done;
            }
            ro.top = v;
            break;
        case XS_REPORT_OPT_COLOR: color = optarg; break;
        case 'v': ro.verbose = 1; break;
        case 'h':
            fputs(xs_cli_report_help, stdout);
            status = xs_cli_stdout_done("report", 0);
            goto done;
        default: xs_cli_bad_option("report", c, longopts, argv); goto done;
        }
    }
    if (optind >= argc) {
        xs_cli_usage("report", "no FILE given");
        goto done;
    }
    if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
        xs_cli_usage("report", "--color wants auto, always or never, not '%s'", color);
        goto done;
    }
    if (xs_cli_out_resolve(&out, output) != 0)
        goto done;
    for (int i = optind; i < argc; i++)
        if (xs_cli_out_inside(&out, argv[i])) {
            xs_cli_msg("exsweep report: refusing to write over the input %s", argv[i]);
            goto done;
        }
    char err[1024];
    exs_rc rc = exs_results_read_jsonl(&r, (const char *const *)argv + optind,
                                       (size_t)(argc - optind), err, sizeof err);
    if (rc != EXS_OK) {
        xs_cli_msg("exsweep report: %s", *err ? err : exs_strerror(rc));
        goto done;
    }
    if (xs_cli_out_open(&out) != 0)
        goto done;
    ro.color = strcmp(color, "always") == 0 ||
               (strcmp(color, "auto") == 0 && isatty(fileno(out.f)) && !getenv("NO_COLOR"));
    if (exs_report_write(r, out.f, &ro) != EXS_OK) {
        int e = errno;
        xs_cli_msg("exsweep report: writing the report failed: %s", e ? strerror(e) : "write error");
        goto done;
    }
    if (xs_cli_out_commit(&out) != 0)
        goto done;
    status = exs_results_stats(r)->findings ? 1 : 0;
done:
    xs_cli_out_abort(&out);
    exs_results_destroy(r);
    return status;
}
