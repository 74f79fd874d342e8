/* exsweep scan: options, evidence roots, report output, exit code. */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_help.h"
#include "output.h"
#include "progress.h"
#include "exsweep/exsweep.h"

const char xs_cli_scan_help[] = XS_SCAN_HELP;

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

/* --sigma-cache's default: $XDG_CACHE_HOME/exsweep (an absolute XDG_CACHE_HOME, as the XDG
 * base directory specification asks), else $HOME/.cache/exsweep; NULL without either. */
static const char *default_cache(char *buf, size_t cap)
{
    const char *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
    int n = x && x[0] == '/' ? snprintf(buf, cap, "%s/exsweep", x)
            : h && h[0] == '/' ? snprintf(buf, cap, "%s/.cache/exsweep", h)
                               : -1;
    return n > 0 && (size_t)n < cap ? buf : NULL;
}

/* What the cache did, when it matters: not used, or not written (always said); its figures
 * with --stats. */
static void cache_note(const char *dir, const exs_sigma_stats *st, int stats)
{
    if (!dir)
        return;
    if (!st->cache_used)
        xs_cli_msg("sigma: the cache of compiled rules is not used: %s", st->cache_why);
    else if (st->cache_failed)
        xs_cli_msg("sigma: %zu compiled database%s not cached: %s", st->cache_failed,
                   st->cache_failed == 1 ? "" : "s", st->cache_why);
    if (stats && st->cache_used)
        xs_cli_msg("sigma cache: %s: %zu loaded, %zu compiled, %zu stored", dir,
                   st->cache_hits, st->cache_compiled, st->cache_stored);
}

int xs_cli_scan(int argc, char **argv)
{
    static const struct option longopts[] = {XS_SCAN_LONGOPTS};
    exs_report_opts ro = EXS_REPORT_OPTS_INIT;
    exs_scan_opts so = {0};
    const char *output = "-", *color = "auto";
    int quiet = 0, stats = 0, c;
    unsigned long v;
    const char **rules = NULL, **iocs = NULL, **labels = NULL, **sigmas = NULL;
    size_t nrules = 0, niocs = 0, nlabels = 0, nsigmas = 0;
    const char *sigma_report = NULL, *sigma_cache = NULL;
    int no_sigma_cache = 0;
    char cache_dir[4096];
    xs_cli_out srep;
    memset(&srep, 0, sizeof srep);
    int status = 2;
    exs_scan *s = NULL;
    xs_cli_out out;
    memset(&out, 0, sizeof out);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, XS_SCAN_OPTSTRING, longopts, NULL)) != -1) {
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
        case XS_SCAN_OPT_IOC:
        case XS_SCAN_OPT_SIGMA:
        case XS_SCAN_OPT_LABEL: {
            const char ***list = c == 'r'                ? &rules
                                 : c == XS_SCAN_OPT_IOC   ? &iocs
                                 : c == XS_SCAN_OPT_SIGMA ? &sigmas
                                                          : &labels;
            size_t *n = c == 'r'                ? &nrules
                        : c == XS_SCAN_OPT_IOC   ? &niocs
                        : c == XS_SCAN_OPT_SIGMA ? &nsigmas
                                                 : &nlabels;
            const char **l = realloc(*list, (*n + 1) * sizeof *l);
            if (!l) {
                xs_cli_msg("exsweep scan: out of memory");
                goto done;
            }
            l[(*n)++] = optarg;
            *list = l;
            break;
        }
        case XS_SCAN_OPT_MAX_FILE_SIZE: {
            uint64_t sz;
            if (parse_size(optarg, &sz) < 0 || sz == 0 || sz > (1ull << 30)) {
                xs_cli_usage("scan", "--max-file-size wants a size from 1 to 1G (suffix K, M "
                                      "or G), not '%s'", optarg);
                goto done;
            }
            so.max_file_size = sz;
            break;
        }
        case XS_SCAN_OPT_SIGMA_REPORT: sigma_report = optarg; break;
        case XS_SCAN_OPT_SIGMA_CACHE: sigma_cache = optarg; break;
        case XS_SCAN_OPT_NO_SIGMA_CACHE: no_sigma_cache = 1; break;
        case XS_SCAN_OPT_SKIP_EXT: so.skip_ext = optarg; break;
        case XS_SCAN_OPT_NO_FILE_CHECKS: so.no_file_checks = 1; break;
        case XS_SCAN_OPT_CHECK_LOGS: so.check_logs = 1; break;
        case 'j':
            if (parse_count(optarg, 256, &v) < 0 || v == 0) {
                xs_cli_usage("scan", "--jobs wants a count from 1 to 256, not '%s'", optarg);
                goto done;
            }
            so.jobs = (unsigned)v;
            break;
        case XS_SCAN_OPT_TOP:
            if (parse_count(optarg, 100000, &v) < 0) {
                xs_cli_usage("scan", "--top wants a count up to 100000, not '%s'", optarg);
                goto done;
            }
            ro.top = v;
            break;
        case XS_SCAN_OPT_MAX_FINDINGS:
            if (parse_count(optarg, 100000000, &v) < 0 || v == 0) {
                xs_cli_usage("scan", "--max-findings wants a count from 1 to 100000000, not "
                                      "'%s'", optarg);
                goto done;
            }
            so.max_findings = v;
            break;
        case XS_SCAN_OPT_COLOR: color = optarg; break;
        case 'v': ro.verbose = 1; break;
        case 'q': quiet = 1; break;
        case XS_SCAN_OPT_STATS: stats = 1; break;
        case 'h':
            status = xs_cli_stdout_text("scan", xs_cli_scan_help, 0);
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
    if (sigma_report && !nsigmas) {
        xs_cli_usage("scan", "--sigma-report without --sigma");
        goto done;
    }
    if (sigma_report && xs_cli_out_resolve(&srep, sigma_report) != 0)
        goto done;
    if (sigma_cache && no_sigma_cache) {
        xs_cli_usage("scan", "--sigma-cache with --no-sigma-cache");
        goto done;
    }
    if (sigma_cache && !*sigma_cache) {
        xs_cli_usage("scan", "--sigma-cache wants a folder");
        goto done;
    }
    if (nsigmas && !sigma_cache && !no_sigma_cache)
        sigma_cache = default_cache(cache_dir, sizeof cache_dir);

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
    for (size_t i = 0; i < nsigmas; i++)
        if ((rc = exs_scan_add_sigma(s, sigmas[i])) != EXS_OK) {
            xs_cli_msg("exsweep scan: --sigma %s",
                        *exs_scan_error(s) ? exs_scan_error(s) : exs_strerror(rc));
            goto done;
        }
    if (nsigmas && sigma_cache && (rc = exs_scan_set_sigma_cache(s, sigma_cache)) != EXS_OK) {
        xs_cli_msg("exsweep scan: --sigma-cache %s: %s", sigma_cache, exs_strerror(rc));
        goto done;
    }
    if (nsigmas) {
        char line[256];
        exs_scan_sigma_summary(s, line, sizeof line);
        fprintf(stderr, "%s\n", line);
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
        if (sigma_report && xs_cli_out_inside(&srep, argv[i])) {
            xs_cli_msg("exsweep scan: refusing to write %s inside the evidence %s",
                        sigma_report, argv[i]);
            goto done;
        }
    }
    /* Opened before the sweep, so that a report that cannot be written is known at once. */
    if (xs_cli_out_open(&out) != 0)
        goto done;
    if (sigma_report) {
        if (xs_cli_out_open(&srep) != 0)
            goto done;
        if (exs_scan_sigma_report(s, srep.f) != EXS_OK) {
            xs_cli_msg("exsweep scan: --sigma-report %s: writing failed: %s", sigma_report,
                        errno ? strerror(errno) : "write error");
            goto done;
        }
        if (xs_cli_out_commit(&srep) != 0)
            goto done;
    }

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
    exs_sigma_stats sst;
    if (nsigmas && exs_scan_sigma_stats(s, &sst) == EXS_OK) {
        if (sst.unmapped)
            fprintf(stderr, "sigma: %zu rules of log sources this sweep does not read (not run)\n",
                    sst.unmapped);
        cache_note(sigma_cache, &sst, stats);
    }
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
    xs_cli_out_abort(&srep);
    exs_scan_destroy(s);
    free(rules);
    free(iocs);
    free(sigmas);
    free(labels);
    return status;
}
