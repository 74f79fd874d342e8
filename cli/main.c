/* exsweep: the command-line tool. It uses only the public API (include/exsweep/). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "exsweep/exsweep.h"

static void usage(FILE *f)
{
    fputs("usage: exsweep <command> [options]\n"
          "\n"
          "Sweep Exchange servers for ProxyLogon, ProxyShell and ProxyNotShell exploitation.\n"
          "\n"
          "commands:\n"
          "  scan PATH...   sweep evidence: folders, files, archives (zip, 7z, tar, gz)\n"
          "  rules          list the built-in rules and their stable ids\n"
          "  version        print the version\n"
          "\n"
          "Run 'exsweep scan --help' for the scan options and exit codes.\n",
          f);
}

static int cmd_rules(void)
{
    size_t n;
    const exs_rule *r = exs_rules(&n);
    for (size_t i = 0; i < n; i++)
        printf("%-24s %-13s %-30s %s\n", r[i].id, r[i].family, r[i].cves[0] ? r[i].cves : "-",
               r[i].name);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "scan") == 0)
        return exs_cli_scan(argc - 1, argv + 1);
    if (strcmp(cmd, "rules") == 0)
        return cmd_rules();
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("exsweep %s\n", exs_version());
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    fprintf(stderr, "exsweep: unknown command '%s'\n", cmd);
    usage(stderr);
    return 2;
}
