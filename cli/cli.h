/* The tool's verbs. */
#ifndef EXS_CLI_H
#define EXS_CLI_H

int exs_cli_scan(int argc, char **argv);

#endif
