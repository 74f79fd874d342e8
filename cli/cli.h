/* The tool's verbs and what they share: messages, usage errors, standard output. */
#ifndef XS_CLI_H
#define XS_CLI_H

#include <getopt.h>

/* exsweep scan; its help text (also printed by 'exsweep help scan'). */
int xs_cli_scan(int argc, char **argv);
extern const char xs_cli_scan_help[];
/* exsweep report: a saved sweep's JSON lines rendered again. */
int xs_cli_report(int argc, char **argv);
extern const char xs_cli_report_help[];

/* exsweep probe: a saved ZGrab2 or Shadowserver scan classified, nothing sent. */
int xs_cli_probe(int argc, char **argv);
extern const char xs_cli_probe_help[];

/* exsweep notify: letters to the owners of exposed servers, written and maybe sent. */
int xs_cli_notify(int argc, char **argv);
extern const char xs_cli_notify_help[];

/* exsweep collect-spec: a Velociraptor artifact or KAPE target for what exsweep reads. */
int xs_cli_collect(int argc, char **argv);
extern const char xs_cli_collect_help[];

/* exsweep quarantine, restore and vault (cli/vault.c): the vault of include/exsweep/vault.h. */
int xs_cli_quarantine(int argc, char **argv);
int xs_cli_restore(int argc, char **argv);
int xs_cli_vault(int argc, char **argv);
extern const char xs_cli_quarantine_help[];
extern const char xs_cli_restore_help[];
extern const char xs_cli_vault_help[];

/* Prints one line on stderr: the formatted message, escaped for a terminal as a whole (user
 * paths and exs_scan_error may carry any byte), then a newline. */
void xs_cli_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Bad usage of a verb ("scan"; NULL for the command itself): one line naming the problem,
 * then "Try 'exsweep VERB --help'.", on stderr. Returns 2, the exit status. */
int xs_cli_usage(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The usage error for what getopt_long returned as c ('?' or ':'; optstring starts with
 * ':' and opterr is 0), from optopt, optind and argv. Any other c is an option of the table
 * (the documented options, build/gen/cli_help.h) that the verb has no case for, a bug: said
 * to be not handled. Returns 2. */
int xs_cli_bad_option(const char *verb, int c, const struct option *longopts, char **argv);

/* Flushes standard output. Returns status, or 2 after a message when a write to it failed
 * (a full disk, a closed descriptor). */
int xs_cli_stdout_done(const char *verb, int status);
/* Writes text to standard output, then as xs_cli_stdout_done: a text longer than stdout's
 * buffer fails inside the write, whose errno is the one the message gives. */
int xs_cli_stdout_text(const char *verb, const char *text, int status);

#endif
