/* exsweep collect-spec: a Velociraptor artifact or a KAPE target that collects what exsweep
 * reads (lib/sources/collect.h), for fleets: collect with it, sweep each collection. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exsweep/exsweep.h"

const char xs_cli_collect_help[] =
    "usage: exsweep collect-spec --format velociraptor|kape [options]\n"
    "\n"
    "Write a collection spec for what exsweep reads from an Exchange server: a Velociraptor\n"
    "artifact (YAML) or a KAPE target (.tkape), to standard output. The log places come\n"
    "from exsweep's own log kinds, so the spec follows the version that wrote it. Collect\n"
    "with it, then run 'exsweep scan' on each collection and 'exsweep report' over all.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT     velociraptor or kape\n"
    "      --exchange-root PATH  the Exchange install folder (default C:\\Program Files\\\n"
    "                       Microsoft\\Exchange Server\\V15; Velociraptor: a parameter too)\n"
    "      --max-size SIZE  files up to SIZE bytes (default 1073741824; suffix K, M, G)\n"
    "      --logs-after DATE  Velociraptor: only logs modified after DATE (ISO 8601; a\n"
    "                       parameter of the artifact, empty by default: every log)\n"
    "  -h, --help           this help\n";

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
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'},   {"exchange-root", required_argument, NULL, 'R'},
        {"max-size", required_argument, NULL, 'M'}, {"logs-after", required_argument, NULL, 'A'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    const char *fmt = NULL, *root = NULL, *after = NULL;
    unsigned long long max = 1ULL << 30;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'R':
            root = optarg;
            for (const char *p = root; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == 0x7f)
                    return xs_cli_usage("collect-spec", "--exchange-root holds a control character");
            break;
        case 'M': {
            int ok;
            max = parse_size(optarg, &ok);
            if (!ok)
                return xs_cli_usage("collect-spec", "bad --max-size '%s'", optarg);
            break;
        }
        case 'A': after = optarg; break;
        case 'h': fputs(xs_cli_collect_help, stdout); return xs_cli_stdout_done("collect-spec", 0);
        default: return xs_cli_bad_option("collect-spec", c, longopts, argv);
        }
    }
    if (optind < argc)
        return xs_cli_usage("collect-spec", "unexpected argument '%s'", argv[optind]);
    if (!fmt || (strcmp(fmt, "velociraptor") != 0 && strcmp(fmt, "kape") != 0))
        return xs_cli_usage("collect-spec", "--format velociraptor or kape is needed");
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
