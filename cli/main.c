/* exsweep: the command-line tool. It uses only the public API (include/exsweep/). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_help.h"
#include "exsweep/exsweep.h"

static const char main_help[] = XS_MAIN_HELP;
static const char rules_help[] = XS_RULES_HELP;
static const char version_help[] = XS_VERSION_HELP;
static const struct option rules_opts[] = {XS_RULES_LONGOPTS};
static const struct option version_opts[] = {XS_VERSION_LONGOPTS};

static int is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* A verb whose only option is --help (its documented table: -h, --help) and that takes no
 * operand. Returns 1 with *status set when it is done (its help printed, or bad usage), 0 to
 * go on. */
static int simple_verb(const char *verb, const char *help, const char *optstring,
                       const struct option *longopts, int argc, char **argv, int *status)
{
    int c;
    optind = 1;
    opterr = 0;
    if ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(help, stdout);
            *status = xs_cli_stdout_done(verb, 0);
        } else {
            *status = xs_cli_bad_option(verb, c, longopts, argv);
        }
        return 1;
    }
    if (optind < argc) {
        *status = xs_cli_usage(verb, "unexpected argument '%s'", argv[optind]);
        return 1;
    }
    return 0;
}

/* Column widths from the table: ids, families and CVE lists grow with the rules. */
static int cmd_rules(int argc, char **argv)
{
    int status;
    if (simple_verb("rules", rules_help, XS_RULES_OPTSTRING, rules_opts, argc, argv, &status))
        return status;
    size_t n, wid = 0, wfam = 0, wcve = 1;
    const exs_rule *r = exs_rules(&n);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(r[i].id);
        wid = l > wid ? l : wid;
        l = strlen(r[i].family);
        wfam = l > wfam ? l : wfam;
        l = strlen(r[i].cves);
        wcve = l > wcve ? l : wcve;
    }
    for (size_t i = 0; i < n; i++)
        printf("%-*s  %-*s  %-*s  %s\n", (int)wid, r[i].id, (int)wfam, r[i].family, (int)wcve,
               r[i].cves[0] ? r[i].cves : "-", r[i].name);
    return xs_cli_stdout_done("rules", 0);
}

static int cmd_version(int argc, char **argv)
{
    int status;
    if (simple_verb("version", version_help, XS_VERSION_OPTSTRING, version_opts, argc, argv,
                    &status))
        return status;
    printf("exsweep %s\n", exs_version());
    return xs_cli_stdout_done("version", 0);
}

static int cmd_help(int argc, char **argv)
{
    const char *text = main_help;
    if (argc > 2)
        return xs_cli_usage(NULL, "help takes one command at most");
    if (argc == 2) {
        if (strcmp(argv[1], "scan") == 0)
            text = xs_cli_scan_help;
        else if (strcmp(argv[1], "report") == 0)
            text = xs_cli_report_help;
        else if (strcmp(argv[1], "probe") == 0)
            text = xs_cli_probe_help;
        else if (strcmp(argv[1], "notify") == 0)
            text = xs_cli_notify_help;
        else if (strcmp(argv[1], "rules") == 0)
            text = rules_help;
        else if (strcmp(argv[1], "collect-spec") == 0)
            text = xs_cli_collect_help;
        else if (strcmp(argv[1], "quarantine") == 0)
            text = xs_cli_quarantine_help;
        else if (strcmp(argv[1], "restore") == 0)
            text = xs_cli_restore_help;
        else if (strcmp(argv[1], "vault") == 0)
            text = xs_cli_vault_help;
        else if (strcmp(argv[1], "version") == 0)
            text = version_help;
        else if (strcmp(argv[1], "help") != 0 && !is_help(argv[1]))
            return xs_cli_usage(NULL, "unknown command '%s'", argv[1]);
    }
    fputs(text, stdout);
    return xs_cli_stdout_done(NULL, 0);
}

/* A closed 0, 1 or 2 would be handed out by the next open: an evidence file would become
 * standard output, or the report's temporary file standard error. Each is held by
 * /dev/null instead; standard output read-only, so that writing to a closed standard output
 * still fails and says so. */
static void hold_std_fds(void)
{
    static const int mode[3] = {O_RDONLY, O_RDONLY, O_WRONLY};
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int got = open("/dev/null", mode[fd]);
        if (got >= 0 && got != fd)
            close(got);
    }
}

int main(int argc, char **argv)
{
    hold_std_fds();
    if (argc < 2)
        return xs_cli_usage(NULL, "no command given (" XS_COMMANDS ")");
    const char *cmd = argv[1];
    if (strcmp(cmd, "scan") == 0)
        return xs_cli_scan(argc - 1, argv + 1);
    if (strcmp(cmd, "collect-spec") == 0)
        return xs_cli_collect(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return xs_cli_report(argc - 1, argv + 1);
    if (strcmp(cmd, "probe") == 0)
        return xs_cli_probe(argc - 1, argv + 1);
    if (strcmp(cmd, "notify") == 0)
        return xs_cli_notify(argc - 1, argv + 1);
    if (strcmp(cmd, "quarantine") == 0)
        return xs_cli_quarantine(argc - 1, argv + 1);
    if (strcmp(cmd, "restore") == 0)
        return xs_cli_restore(argc - 1, argv + 1);
    if (strcmp(cmd, "vault") == 0)
        return xs_cli_vault(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return cmd_rules(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0)
        return cmd_version(argc - 1, argv + 1);
    if (strcmp(cmd, "help") == 0 || is_help(cmd))
        return cmd_help(argc - 1, argv + 1);
    if (cmd[0] == '-')
        return xs_cli_usage(NULL, "unknown option '%s'", cmd);
    return xs_cli_usage(NULL, "unknown command '%s'", cmd);
}
