/* Command lines that dump a process's memory: every public way of dumping LSASS that leaves a
 * command line (catalogue 4), told by what the command does rather than by one tool's name.
 * Used on process creation events and on PowerShell script blocks (lib/detectors/events.c). */
#ifndef XS_DETECTORS_DUMPCMD_H
#define XS_DETECTORS_DUMPCMD_H

#include <stdbool.h>
#include <stdint.h>

#include "core/str.h"

typedef struct xs_dump_cmd {
    const char *tool;  /* static: "comsvcs MiniDump", "procdump", "WerFaultSecure", ... */
    uint64_t pid;      /* the target's process id when the command names one, else 0 */
    bool lsass_named;  /* the command names lsass */
    bool lsass_only;   /* a dump only when the target is lsass: WerFault's crash-report form,
                          which Windows runs for every crashing process ("Shtinkering" aims it
                          at lsass) */
} xs_dump_cmd;

/* True when cmd dumps a process's memory; *out says how and of what. */
bool xs_dump_command(xs_str cmd, xs_dump_cmd *out);

/* Decimal or 0x-hex process id; 0 when absent or malformed. */
uint64_t xs_parse_pid(xs_str s);

#endif
