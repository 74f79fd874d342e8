/* exsweep collect-spec: a Velociraptor artifact or a KAPE target that collects what exsweep
 * reads (lib/sources/collect.h), for fleets: collect with it, sweep each collection. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_help.h"
#include "exsweep/exsweep.h"

const char xs_cli_collect_help[] = XS_COLLECT_SPEC_HELP;

static unsigned long long parse_size(const char *s, int *ok)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    unsigned long long mul = *end == 'K' || *end == 'k' ? 1ULL << 10
                             : *end == 'M' || *end == 'm' ? 1ULL << 20
                             : *end == 'G' || *end == 'g' ? 1ULL << 30
                                                          : 1;
    *ok = end != s && (mul == 1 ? *end == 0 : end[1] == 0) && v <= (1ULL << 40) / mul;
    return v * mul;
}

int xs_cli_collect(int argc, char **argv)
{
    static const struct option longopts[] = {XS_COLLECT_SPEC_LONGOPTS};
    const char *fmt = NULL, *root = NULL, *after = NULL;
    unsigned long long max = 1ULL << 30;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, XS_COLLECT_SPEC_OPTSTRING, longopts, NULL)) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case XS_COLLECT_SPEC_OPT_EXCHANGE_ROOT:
            root = optarg;
            for (const char *p = root; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                    return xs_cli_usage("collect-spec", "--exchange-root holds a control character");
            break;
        case XS_COLLECT_SPEC_OPT_MAX_SIZE: {
            int ok;
            max = parse_size(optarg, &ok);
            if (!ok)
                return xs_cli_usage("collect-spec", "bad --max-size '%s'", optarg);
            break;
        }
        case XS_COLLECT_SPEC_OPT_LOGS_AFTER: after = optarg; break;
        case 'h': fputs(xs_cli_collect_help, stdout); return xs_cli_stdout_done("collect-spec", 0);
        default: return xs_cli_bad_option("collect-spec", c, longopts, argv);
        }
    }
    if (optind < argc)
        return xs_cli_usage("collect-spec", "unexpected argument '%s'", argv[optind]);
    if (!fmt)
        return xs_cli_usage("collect-spec", "--format velociraptor or kape is needed");
    if (strcmp(fmt, "velociraptor") != 0 && strcmp(fmt, "kape") != 0)
        return xs_cli_usage("collect-spec", "unknown format '%s' (velociraptor, kape)", fmt);
    exs_collect_opts o = {root, max, after};
    exs_rc rc = exs_collect_write(stdout, strcmp(fmt, "kape") == 0 ? EXS_COLLECT_KAPE
                                                                   : EXS_COLLECT_VELOCIRAPTOR,
                                  &o);
    if (rc == EXS_EINVAL)
        return xs_cli_usage("collect-spec",
                            after ? "bad --logs-after '%s' (ISO 8601, with a zone), or an "
                                    "--exchange-root past 512 bytes or not UTF-8"
                                  : "%san --exchange-root past 512 bytes or not UTF-8",
                            after ? after : "");
    return xs_cli_stdout_done("collect-spec", rc == EXS_OK ? 0 : 2);
}
