/* exsweep notify: letters to the owners of exposed servers, written and maybe sent
 * (include/exsweep/notify.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_help.h"
#include "exsweep/exsweep.h"
#include "exsweep/notify.h"

const char xs_cli_notify_help[] = XS_NOTIFY_HELP;

#define DEFAULT_FROM "exsweep@notify.invalid"

static int number(const char *s, double min, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= min) || v > 1e9)
        return -1;
    *out = v;
    return 0;
}

static void warnings(const exs_notify *n)
{
    const char *file, *msg;
    uint64_t line;
    size_t i = 0;
    for (; exs_notify_warning(n, i, &file, &line, &msg); i++) {
        if (line)
            xs_cli_msg("exsweep notify: %s:%llu: %s", file, (unsigned long long)line, msg);
        else
            xs_cli_msg("exsweep notify: %s: %s", file, msg);
    }
    uint64_t all = exs_notify_get_stats(n)->warnings;
    if (all > i)
        xs_cli_msg("exsweep notify: %llu more warnings counted, not kept",
                   (unsigned long long)(all - i));
}

static void put(const char *s)
{
    exs_escape_term(stdout, s, strlen(s));
}

int xs_cli_notify(int argc, char **argv)
{
    static const struct option longopts[] = {XS_NOTIFY_LONGOPTS};
    const char *contacts = NULL, *out = NULL, *from = NULL, *sender = NULL, *url = NULL,
               *cacert = NULL;
    double rate = 30, timeout = 60;
    int ja = 0, c, paced = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, XS_NOTIFY_OPTSTRING, longopts, NULL)) != -1) {
        switch (c) {
        case XS_NOTIFY_OPT_CONTACTS: contacts = optarg; break;
        case XS_NOTIFY_OPT_OUT: out = optarg; break;
        case XS_NOTIFY_OPT_FROM: from = optarg; break;
        case XS_NOTIFY_OPT_SENDER: sender = optarg; break;
        case XS_NOTIFY_OPT_SEND: url = optarg; break;
        case XS_NOTIFY_OPT_CACERT: cacert = optarg; break;
        case XS_NOTIFY_OPT_LANG:
            if (!strcmp(optarg, "en"))
                ja = 0;
            else if (!strcmp(optarg, "ja"))
                ja = 1;
            else
                return xs_cli_usage("notify", "unknown language '%s' (en, ja)", optarg);
            break;
        case XS_NOTIFY_OPT_RATE:
            paced = 1;
            if (number(optarg, 0.001, &rate))
                return xs_cli_usage("notify", "--rate wants letters a minute above 0, not '%s'",
                                    optarg);
            break;
        case XS_NOTIFY_OPT_TIMEOUT:
            paced = 1;
            if (number(optarg, 1, &timeout))
                return xs_cli_usage("notify", "--timeout wants seconds, 1 or more, not '%s'",
                                    optarg);
            break;
        case 'h':
            fputs(xs_cli_notify_help, stdout);
            return xs_cli_stdout_done("notify", 0);
        default: return xs_cli_bad_option("notify", c, longopts, argv);
        }
    }
    if (!contacts)
        return xs_cli_usage("notify", "no --contacts FILE");
    if (!out)
        return xs_cli_usage("notify", "no --out DIR");
    if (optind >= argc)
        return xs_cli_usage("notify", "no results file (exsweep probe -f jsonl; - for "
                                      "standard input)");
    if (url && !from)
        return xs_cli_usage("notify", "--send needs --from ADDR");
    if (url && strncasecmp(url, "smtp://", 7) && strncasecmp(url, "smtps://", 8))
        return xs_cli_usage("notify", "--send wants smtp://HOST[:PORT] or smtps://HOST[:PORT], "
                                      "not '%s'", url);
    if ((paced || cacert) && !url)
        return xs_cli_usage("notify", "--rate, --timeout and --cacert are for --send");
    if (cacert && access(cacert, R_OK) != 0)
        return xs_cli_usage("notify", "cannot read --cacert %s: %s", cacert, strerror(errno));
    int stdin_twice = 0;
    for (int i = optind; i < argc; i++)
        stdin_twice += !strcmp(argv[i], "-");
    if (stdin_twice > 1)
        return xs_cli_usage("notify", "standard input (-) can be read once");
    exs_notify_opts o = {.from = from ? from : DEFAULT_FROM, .sender = sender, .ja = ja};
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno || *end || v < 0 || v > 253402300799LL) /* up to 9999-12-31 */
            return xs_cli_usage("notify", "SOURCE_DATE_EPOCH is not a number of seconds");
        o.date = (time_t)v;
    } else
        o.date = time(NULL);

    char err[1024];
    exs_notify *n = NULL;
    exs_rc rc = exs_notify_open(&n, contacts, err, sizeof err);
    if (rc != EXS_OK) {
        xs_cli_msg("exsweep notify: %s", err[0] ? err : exs_strerror(rc));
        return 2;
    }
    int status = 0;
    for (int i = optind; i < argc && status == 0; i++)
        if ((rc = exs_notify_results(n, argv[i], err, sizeof err)) != EXS_OK) {
            xs_cli_msg("exsweep notify: %s", err[0] ? err : exs_strerror(rc));
            status = 2;
        }
    if (status == 0 && (rc = exs_notify_write(n, out, &o, err, sizeof err)) != EXS_OK) {
        xs_cli_msg("exsweep notify: %s", err[0] ? err : exs_strerror(rc));
        status = 2;
    }
    warnings(n);
    if (status) {
        exs_notify_destroy(n);
        return status;
    }
    const exs_notify_stats *s = exs_notify_get_stats(n);
    printf("exsweep notify: %zu server%s to write about (of %llu probe records: %llu not "
           "Exchange or not exposed, %llu seen twice); %zu contacts%s\n",
           s->hosts, s->hosts == 1 ? "" : "s", (unsigned long long)s->records,
           (unsigned long long)s->ignored, (unsigned long long)s->duplicates, s->contacts,
           s->rpsl ? " (RPSL)" : "");
    printf("  %zu letter%s for %zu server%s: ", s->letters, s->letters == 1 ? "" : "s",
           s->matched, s->matched == 1 ? "" : "s");
    put(out);
    printf("/letters.csv\n  %zu server%s without a contact: ", s->unmatched,
           s->unmatched == 1 ? "" : "s");
    put(out);
    printf("/unmatched.csv\n");
    if (!from)
        printf("  From: " DEFAULT_FROM " (no --from): read the letters, do not send them\n");
    if (s->unmatched)
        status = 1;
    if (url) {
        fflush(stdout);
        exs_notify_send_opts so = {.url = url, .per_minute = rate, .timeout = (long)timeout,
                                   .cacert = cacert};
        exs_notify_sent sent;
        rc = exs_notify_send(n, out, &so, &sent, err, sizeof err);
        printf("  sent %zu, sent before %zu, failed %zu, not tried %zu: ", sent.sent,
               sent.skipped, sent.failed, sent.untried);
        put(out);
        printf("/sent.log\n");
        if (rc != EXS_OK) {
            xs_cli_msg("exsweep notify: %s", err[0] ? err : exs_strerror(rc));
            status = 2;
        }
    }
    status = xs_cli_stdout_done("notify", status);
    exs_notify_destroy(n);
    return status;
}
