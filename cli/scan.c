/* exsweep scan: options, evidence roots, report output, exit code. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "progress.h"
#include "exsweep/exsweep.h"

const char xs_cli_scan_help[] =
    "usage: exsweep scan [options] PATH...\n"
    "\n"
    "Sweep evidence from Exchange servers: a mounted image, a folder of collected files, or\n"
    "triage archives (zip, 7z, tar, tar.gz from KAPE, Velociraptor, CyLR), in any mix.\n"
    "Archives are read as streams, never extracted. Nothing under PATH is written.\n"
    "\n"
    "options:\n"
    "  -f, --format FMT     text (default: a summary to read in a minute), jsonl (ECS 9.4 JSON\n"
    "                       lines: the sweep, one per finding, counts, coverage, warnings;\n"
    "                       'exsweep report' renders them again), csv, timesketch (flat JSON\n"
    "                       lines for Timesketch: the server's state and each finding as\n"
    "                       events on a timeline), stix (one STIX 2.1 bundle for sharing:\n"
    "                       indicators, their sightings on each server, observed data),\n"
    "                       html (one self-contained page to hand on: verdict, server\n"
    "                       state, timeline, attackers, backdoors, a findings table that\n"
    "                       sorts and filters; use with -o FILE.html)\n"
    "  -o, --output FILE    write the report to FILE instead of standard output: a regular\n"
    "                       file is replaced whole (written under a temporary name, synced,\n"
    "                       renamed), a FIFO or character device is written in place, - is\n"
    "                       standard output; anything else, a symlink to a regular file, or\n"
    "                       a FILE inside an evidence PATH is refused\n"
    "  -j, --jobs N         worker threads (default: one per CPU)\n"
    "  -r, --rules PATH     add YARA rules to run on every file: a rule file, or a folder whose\n"
    "                       .yar/.yara files are all taken; repeatable. The external variables\n"
    "                       filename, filepath, extension, filetype and owner are defined as\n"
    "                       Loki defines them. A rule that does not compile stops the sweep\n"
    "                       (exit 2) with its file and line.\n"
    "      --ioc FILE       add an IOC list: SHA-256 hashes, file paths, IP addresses, domains,\n"
    "                       one per line (\"value;comment\", sha256sum output) or CSV with an\n"
    "                       Indicator/value column (Microsoft MSTIC, Volexity); repeatable\n"
    "      --max-file-size SIZE  files up to SIZE (default 32M, at most 1G; suffix K, M, G) are\n"
    "                       hashed and go through the rules and content checks; larger files\n"
    "                       get name, location, attribute and header checks only\n"
    "      --skip-ext LIST  extensions that never get content checks (\".iso,.vhdx,.edb\")\n"
    "      --no-file-checks read logs only: no hashing, rules or file heuristics\n"
    "      --check-logs     also hash logs and run the shipped rules on them (by default logs\n"
    "                       are read by their parsers only; user rules always see them)\n"
    "      --label NAME     names the evidence of the next PATH without one (the Nth --label\n"
    "                       the Nth PATH; default: the PATH's own name, made unique); the\n"
    "                       label is part of every finding's id and its display path\n"
    "      --top N          findings listed in full by the text summary (default 12; 0: none)\n"
    "      --max-findings N findings kept in full besides the exploitation and backdoor ones,\n"
    "                       which are always kept (default 200000, shared fairly between\n"
    "                       rules; every finding is counted)\n"
    "      --color WHEN     auto (default: on a terminal, unless NO_COLOR is set), always, never\n"
    "  -v, --verbose        list every kept warning example\n"
    "  -q, --quiet          no progress line, and no one-line summary on standard error\n"
    "                       (formats but text); the progress line is drawn only when\n"
    "                       standard error is a terminal\n"
    "      --stats          counts and timing on standard error\n"
    "  -h, --help           this help\n"
    "\n"
    "exit codes:\n"
    "  0  no finding\n"
    "  1  at least one finding\n"
    "  2  an error stopped the sweep: bad usage, a PATH that does not exist, cannot be\n"
    "     opened or is neither a folder nor a regular file, a report that could not be written\n";

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

/* "32M", "1G", "4096": bytes. */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return -1;
    uint64_t mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1ull << 10;
    else if (*end == 'm' || *end == 'M')
        mul = 1ull << 20;
    else if (*end == 'g' || *end == 'G')
        mul = 1ull << 30;
    else if (*end)
        return -1;
    if (*end && end[1] && !((end[1] == 'b' || end[1] == 'B') && !end[2]))
        return -1;
    if (v > UINT64_MAX / mul)
        return -1;
    *out = (uint64_t)v * mul;
    return 0;
}

int xs_cli_scan(int argc, char **argv)
{
    enum { OPT_TOP = 256, OPT_MAX, OPT_COLOR, OPT_STATS, OPT_IOC, OPT_MAXFILE, OPT_SKIPEXT,
           OPT_NOFILES, OPT_CHECKLOGS, OPT_LABEL };
    static const struct option longopts[] = {
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},   {"top", required_argument, NULL, OPT_TOP},
        {"max-findings", required_argument, NULL, OPT_MAX},
        {"color", required_argument, NULL, OPT_COLOR},
        {"verbose", no_argument, NULL, 'v'},      {"quiet", no_argument, NULL, 'q'},
        {"stats", no_argument, NULL, OPT_STATS},  {"help", no_argument, NULL, 'h'},
        {"rules", required_argument, NULL, 'r'},  {"ioc", required_argument, NULL, OPT_IOC},
        {"max-file-size", required_argument, NULL, OPT_MAXFILE},
        {"skip-ext", required_argument, NULL, OPT_SKIPEXT},
        {"no-file-checks", no_argument, NULL, OPT_NOFILES},
        {"check-logs", no_argument, NULL, OPT_CHECKLOGS},
        {"label", required_argument, NULL, OPT_LABEL},
        {NULL, 0, NULL, 0},
    };
    exs_report_opts ro = EXS_REPORT_OPTS_INIT;
    exs_scan_opts so = {0};
    const char *output = "-", *color = "auto";
    int quiet = 0, stats = 0, c;
    unsigned long v;
    const char **rules = NULL, **iocs = NULL, **labels = NULL;
    size_t nrules = 0, niocs = 0, nlabels = 0;
    int status = 2;
    exs_scan *s = NULL;
    xs_cli_out out;
    memset(&out, 0, sizeof out);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:o:j:r:vqh", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': {
            int f = exs_format_parse(optarg);
            if (f < 0) {
                xs_cli_usage("scan", "unknown format '%s' (text, jsonl, csv, timesketch, stix, html)", optarg);
                goto done;
            }
            ro.format = (exs_format)f;
            break;
        }
        case 'o': output = optarg; break;
        case 'r':
        case OPT_IOC:
        case OPT_LABEL: {
            const char ***list = c == 'r' ? &rules : c == OPT_IOC ? &iocs : &labels;
            size_t *n = c == 'r' ? &nrules : c == OPT_IOC ? &niocs : &nlabels;
            const char **l = realloc(*list, (*n + 1) * sizeof *l);
            if (!l) {
                xs_cli_msg("exsweep scan: out of memory");
                goto done;
            }
            l[(*n)++] = optarg;
            *list = l;
            break;
        }
        case OPT_MAXFILE: {
            uint64_t sz;
            if (parse_size(optarg, &sz) < 0 || sz == 0 || sz > (1ull << 30)) {
                xs_cli_usage("scan", "--max-file-size wants a size from 1 to 1G (suffix K, M "
                                      "or G), not '%s'", optarg);
                goto done;
            }
            so.max_file_size = sz;
            break;
        }
        case OPT_SKIPEXT: so.skip_ext = optarg; break;
        case OPT_NOFILES: so.no_file_checks = 1; break;
        case OPT_CHECKLOGS: so.check_logs = 1; break;
        case 'j':
            if (parse_count(optarg, 256, &v) < 0 || v == 0) {
                xs_cli_usage("scan", "--jobs wants a count from 1 to 256, not '%s'", optarg);
                goto done;
            }
            so.jobs = (unsigned)v;
            break;
        case OPT_TOP:
            if (parse_count(optarg, 100000, &v) < 0) {
                xs_cli_usage("scan", "--top wants a count up to 100000, not '%s'", optarg);
                goto done;
            }
            ro.top = v;
            break;
        case OPT_MAX:
            if (parse_count(optarg, 100000000, &v) < 0 || v == 0) {
                xs_cli_usage("scan", "--max-findings wants a count from 1 to 100000000, not "
                                      "'%s'", optarg);
                goto done;
            }
            so.max_findings = v;
            break;
        case OPT_COLOR: color = optarg; break;
        case 'v': ro.verbose = 1; break;
        case 'q': quiet = 1; break;
        case OPT_STATS: stats = 1; break;
        case 'h':
            fputs(xs_cli_scan_help, stdout);
            status = xs_cli_stdout_done("scan", 0);
            goto done;
        default: xs_cli_bad_option("scan", c, longopts, argv); goto done;
        }
    }
    if (optind >= argc) {
        xs_cli_usage("scan", "no PATH given");
        goto done;
    }
    if (nlabels > (size_t)(argc - optind)) {
        xs_cli_usage("scan", "%zu --label for %d PATH%s", nlabels, argc - optind,
                      argc - optind == 1 ? "" : "s");
        goto done;
    }
    if (strcmp(color, "auto") && strcmp(color, "always") && strcmp(color, "never")) {
        xs_cli_usage("scan", "--color wants auto, always or never, not '%s'", color);
        goto done;
    }
    if (xs_cli_out_resolve(&out, output) != 0)
        goto done;

    exs_rc rc = exs_scan_create(&s, &so);
    if (rc != EXS_OK) {
        xs_cli_msg("exsweep scan: %s", exs_strerror(rc));
        goto done;
    }
    for (size_t i = 0; i < nrules; i++)
        if ((rc = exs_scan_add_rules(s, rules[i])) != EXS_OK) {
            xs_cli_msg("exsweep scan: --rules %s",
                        *exs_scan_error(s) ? exs_scan_error(s) : exs_strerror(rc));
            goto done;
        }
    for (size_t i = 0; i < niocs; i++)
        if ((rc = exs_scan_add_iocs(s, iocs[i])) != EXS_OK) {
            xs_cli_msg("exsweep scan: --ioc %s",
                        *exs_scan_error(s) ? exs_scan_error(s) : exs_strerror(rc));
            goto done;
        }
    for (int i = optind; i < argc; i++) {
        size_t k = (size_t)(i - optind);
        rc = exs_scan_add_root_label(s, argv[i], k < nlabels ? labels[k] : NULL);
        if (rc != EXS_OK) {
            if (*exs_scan_error(s))
                xs_cli_msg("exsweep scan: %s", exs_scan_error(s));
            else
                xs_cli_msg("exsweep scan: %s: %s", argv[i], exs_strerror(rc));
            goto done;
        }
        if (xs_cli_out_inside(&out, argv[i])) {
            xs_cli_msg("exsweep scan: refusing to write %s inside the evidence %s", output,
                        argv[i]);
            goto done;
        }
    }
    /* Opened before the sweep, so that a report that cannot be written is known at once. */
    if (xs_cli_out_open(&out) != 0)
        goto done;

    xs_progress *prog = xs_progress_start(s, !quiet);
    rc = exs_scan_run(s);
    xs_progress_stop(prog);
    if (rc != EXS_OK) {
        xs_cli_msg("exsweep scan: %s%s%s", exs_strerror(rc), *exs_scan_error(s) ? ": " : "",
                    exs_scan_error(s));
        goto done;
    }
    ro.color = strcmp(color, "always") == 0 ||
               (strcmp(color, "auto") == 0 && isatty(fileno(out.f)) && !getenv("NO_COLOR"));
    if (exs_report_write(exs_scan_results(s), out.f, &ro) != EXS_OK) {
        int e = errno;
        if (out.kind == XS_CLI_OUT_STDOUT)
            xs_cli_msg("exsweep scan: writing to standard output failed: %s",
                        e ? strerror(e) : "write error");
        else
            xs_cli_msg("exsweep scan: -o %s: writing the report failed: %s", output,
                        e ? strerror(e) : "write error");
        goto done;
    }
    if (xs_cli_out_commit(&out) != 0)
        goto done;
    const exs_sweep_stats *st = exs_results_stats(exs_scan_results(s));
    if (!quiet && ro.format != EXS_FORMAT_TEXT)
        fprintf(stderr, "exsweep: %llu findings in %llu files read (%llu seen)\n",
                (unsigned long long)st->findings, (unsigned long long)st->files_read,
                (unsigned long long)st->files_seen);
    if (stats)
        fprintf(stderr,
                "exsweep stats: files_seen=%llu files_read=%llu files_ignored=%llu "
                "archives=%llu bytes=%llu candidates=%llu findings=%llu jobs=%u seconds=%.3f "
                "files_hashed=%llu files_large=%llu files_skipped_ext=%llu rule_scans=%llu "
                "rule_gated=%llu logs_parsed_only=%llu\n",
                (unsigned long long)st->files_seen, (unsigned long long)st->files_read,
                (unsigned long long)st->files_ignored, (unsigned long long)st->archives,
                (unsigned long long)st->bytes_read, (unsigned long long)st->candidates,
                (unsigned long long)st->findings, st->jobs, st->seconds,
                (unsigned long long)st->files_hashed, (unsigned long long)st->files_large,
                (unsigned long long)st->files_skipped_ext, (unsigned long long)st->rule_scans,
                (unsigned long long)st->rule_gated, (unsigned long long)st->logs_parsed_only);
    status = st->findings ? 1 : 0;
done:
    xs_cli_out_abort(&out);
    exs_scan_destroy(s);
    free(rules);
    free(iocs);
    free(labels);
    return status;
}
