/* exsweep: the command-line tool. It uses only the public API (include/exsweep/). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "exsweep/exsweep.h"

static const char main_help[] =
    "usage: exsweep <command> [options]\n"
    "\n"
    "Sweep Exchange servers for ProxyLogon, ProxyShell and ProxyNotShell exploitation.\n"
    "\n"
    "commands:\n"
    "  scan PATH...   sweep evidence: folders, files, archives (zip, 7z, tar, gz)\n"
    "  report FILE... render a saved sweep (scan -f jsonl) in any format\n"
    "  rules          list the built-in rules and their stable ids\n"
    "  collect-spec   a Velociraptor artifact or KAPE target for what exsweep reads\n"
    "  version        print the version\n"
    "  help [COMMAND] this help, or a command's\n"
    "\n"
    "Run 'exsweep COMMAND --help' for a command's options; 'exsweep scan --help' also gives\n"
    "the exit codes.\n";

static const char rules_help[] =
    "usage: exsweep rules\n"
    "\n"
    "List the built-in rules, one a line: the stable rule id (the rule.id of every finding),\n"
    "the attack family, the CVE ids (- when none) and the rule's name.\n"
    "\n"
    "options:\n"
    "  -h, --help  this help\n";

static const char version_help[] =
    "usage: exsweep version\n"
    "\n"
    "Print the version of exsweep.\n"
    "\n"
    "options:\n"
    "  -h, --help  this help\n";

static int is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* A verb without options: only --help, and no operands. */
static int simple_verb(const char *verb, const char *help, int argc, char **argv, int *status)
{
    if (argc < 2)
        return 0;
    if (is_help(argv[1])) {
        fputs(help, stdout);
        *status = xs_cli_stdout_done(verb, 0);
    } else if (argv[1][0] == '-' && argv[1][1]) {
        *status = xs_cli_usage(verb, "unknown option '%s'", argv[1]);
    } else {
        *status = xs_cli_usage(verb, "unexpected argument '%s'", argv[1]);
    }
    return 1;
}

/* Column widths from the table: ids, families and CVE lists grow with the rules. */
static int cmd_rules(int argc, char **argv)
{
    int status;
    if (simple_verb("rules", rules_help, argc, argv, &status))
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
    if (simple_verb("version", version_help, argc, argv, &status))
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
        else if (strcmp(argv[1], "rules") == 0)
            text = rules_help;
        else if (strcmp(argv[1], "collect-spec") == 0)
            text = xs_cli_collect_help;
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
        return xs_cli_usage(NULL, "no command given (scan, report, rules, version, help)");
    const char *cmd = argv[1];
    if (strcmp(cmd, "scan") == 0)
        return xs_cli_scan(argc - 1, argv + 1);
    if (strcmp(cmd, "collect-spec") == 0)
        return xs_cli_collect(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return xs_cli_report(argc - 1, argv + 1);
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
