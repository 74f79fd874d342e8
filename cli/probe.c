/* exsweep probe: probe Exchange servers live (exs_probe_live), or classify those of a saved
 * scan (ZGrab2, Shadowserver) sending nothing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "cli.h"
#include "cli_help.h"
#include "exsweep/exsweep.h"

const char xs_cli_probe_help[] = XS_PROBE_HELP;

/* A whole number in [lo, hi], or -1. */
static long number(const char *s, long lo, long hi)
{
    if (!s || !*s || strlen(s) > 9)
        return -1;
    long v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        v = v * 10 + (*c - '0');
    }
    return v >= lo && v <= hi ? v : -1;
}

/* Seconds: digits with an optional fraction ("2", "0.5"), more than 0 and at most hi; or -1.
 * Read by hand: strtod follows the locale's decimal point. */
static double seconds(const char *s, double hi)
{
    if (!s || !*s || strlen(s) > 12)
        return -1;
    double v = 0, scale = 0;
    for (const char *c = s; *c; c++) {
        if (*c == '.' && scale == 0) {
            scale = 1;
            continue;
        }
        if (*c < '0' || *c > '9')
            return -1;
        if (scale > 0) {
            scale /= 10;
            v += (*c - '0') * scale;
        } else {
            v = v * 10 + (*c - '0');
        }
    }
    return v > 0 && v <= hi ? v : -1;
}

/* Thousands of sockets in flight need as many descriptors as the hard limit allows. */
static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
    }
}

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
    exs_probe_live_opts lo = {0};
    const char *live_opt = NULL; /* the first option given that only a live probe uses */
    int c;
    long v;
    optind = 1;
    opterr = 0;
    int li = -1;
    while ((c = getopt_long(argc, argv, XS_PROBE_OPTSTRING, longopts, &li)) != -1) {
        if (c != XS_PROBE_OPT_FROM_ZGRAB2 && c != XS_PROBE_OPT_FROM_SHADOWSERVER && c != 'f' &&
            c != 'i' && c != 'h' && c != '?' && c != ':' && li >= 0 && !live_opt)
            live_opt = longopts[li].name;
        li = -1;
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
        case 'i':
            if (lo.input)
                return xs_cli_usage("probe", "-i FILE once");
            lo.input = optarg;
            break;
        case XS_PROBE_OPT_EXCLUDE:
            if (lo.exclude)
                return xs_cli_usage("probe", "--exclude FILE once (join the lists)");
            lo.exclude = optarg;
            break;
        case XS_PROBE_OPT_PORT:
            if ((v = number(optarg, 1, 65535)) < 0)
                return xs_cli_usage("probe", "bad --port '%s' (1-65535)", optarg);
            lo.port = (unsigned)v;
            break;
        case XS_PROBE_OPT_TIMEOUT:
            if ((lo.timeout = seconds(optarg, 3600)) < 0)
                return xs_cli_usage("probe", "bad --timeout '%s' (seconds, more than 0, at most "
                                             "3600)", optarg);
            break;
        case XS_PROBE_OPT_MAX_TIME:
            if ((lo.max_time = seconds(optarg, 1e9)) < 0)
                return xs_cli_usage("probe", "bad --max-time '%s' (seconds, more than 0)", optarg);
            break;
        case XS_PROBE_OPT_RATE:
            if ((v = number(optarg, 1, 100000)) < 0)
                return xs_cli_usage("probe", "bad --rate '%s' (1-100000 a second)", optarg);
            lo.rate = (unsigned)v;
            break;
        case XS_PROBE_OPT_CONCURRENCY:
            if ((v = number(optarg, 1, 16384)) < 0)
                return xs_cli_usage("probe", "bad --concurrency '%s' (1-16384)", optarg);
            lo.concurrency = (unsigned)v;
            break;
        case XS_PROBE_OPT_RETRIES:
            if ((v = number(optarg, 0, 5)) < 0)
                return xs_cli_usage("probe", "bad --retries '%s' (0-5)", optarg);
            lo.retries = v ? (int)v : -1;
            break;
        case XS_PROBE_OPT_CONTACT:
            for (const char *q = optarg; *q; q++)
                if ((unsigned char)*q < 0x20 || *q == 0x7f)
                    return xs_cli_usage("probe", "--contact holds a control character");
            lo.contact = optarg;
            break;
        case XS_PROBE_OPT_CHECK_SHELLS: lo.check_shells = 1; break;
        case XS_PROBE_OPT_ACTIVE: lo.active = 1; break;
        case 'h':
            fputs(xs_cli_probe_help, stdout);
            return xs_cli_stdout_done("probe", 0);
        default: return xs_cli_bad_option("probe", c, longopts, argv);
        }
    }
    bool live = optind < argc || lo.input;
    if (from && live)
        return xs_cli_usage("probe", "--from-zgrab2 and --from-shadowserver read a saved scan: "
                                     "no TARGET or -i with them");
    if (from && live_opt)
        return xs_cli_usage("probe", "--%s is for live probing: --from-zgrab2 and "
                                     "--from-shadowserver read a saved scan and send nothing",
                            live_opt);
    if (!from && !live)
        return xs_cli_usage("probe", "no target: TARGET..., -i FILE, --from-zgrab2 FILE or "
                                     "--from-shadowserver FILE");
    exs_probe *p = NULL;
    char err[1024];
    exs_rc rc;
    if (live) {
        lo.targets = (const char *const *)(argv + optind);
        lo.ntargets = (size_t)(argc - optind);
        raise_nofile();
        rc = exs_probe_live(&p, &lo, err, sizeof err);
    } else {
        rc = exs_probe_read(&p, kind, from, err, sizeof err);
    }
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
