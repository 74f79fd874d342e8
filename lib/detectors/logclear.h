/* Command lines and script text that clear or remove a Windows event log: wevtutil cl /
 * clear-log, Clear-EventLog, Remove-EventLog, EventLogSession.GlobalSession.ClearLog, WMI's
 * ClearEventLog. The 1102/104 events say a log was cleared; these say by what, and they are
 * left in the other logs (Sysmon, 4688, script blocks) when the cleared one is gone. */
#ifndef XS_DETECTORS_LOGCLEAR_H
#define XS_DETECTORS_LOGCLEAR_H

#include "core/str.h"

/* The way cmd clears a log (a static phrase), or NULL. *log receives the log's name when
 * the command names one (a span of cmd), else an empty span. */
const char *xs_log_clear_command(xs_str cmd, xs_str *log);

#endif
