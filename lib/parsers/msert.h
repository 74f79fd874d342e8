/* Microsoft Safety Scanner log (%SystemRoot%\debug\msert.log, msert.old.log), as EOMT runs it.
 * One log holds several runs appended:
 *
 *   Microsoft Safety Scanner v1.333, (build 1.333.519.0)
 *   Started On Sat Mar 13 18:24:42 2021
 *   ...
 *   Quick Scan Results:
 *   Threat Detected: Backdoor:ASP/Chopper.F!dha, not removed.
 *     Action: Remove, Result: 0x00000000
 *       file://C:\inetpub\wwwroot\aspnet_client\system_web\x.aspx
 *   Results Summary:
 *   Found Backdoor:ASP/Chopper.F!dha, not removed.
 *
 * The file may be UTF-8/ANSI or UTF-16LE (with BOM); times are the server's local time.
 */
#ifndef XS_PARSERS_MSERT_H
#define XS_PARSERS_MSERT_H

#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "exsweep/finding.h" /* EXS_TIME_NONE */

typedef enum xs_msert_kind { XS_MSERT_RUN, XS_MSERT_THREAT } xs_msert_kind;

typedef struct xs_msert_event {
    xs_msert_kind kind;
    uint64_t line;
    int64_t time_ms; /* start of the run (local time read as UTC), or EXS_TIME_NONE */
    xs_str version; /* RUN: the scanner version line */
    xs_str scan;    /* THREAT: "Quick Scan", "Full Scan", ... (may be empty) */
    xs_str threat;  /* THREAT: detection name */
    xs_str action;  /* THREAT: what the line says was done ("not removed", "removed") */
    xs_str path;    /* THREAT: the first file path listed under it, may be empty */
} xs_msert_event;

typedef void (*xs_msert_fn)(void *ctx, const xs_msert_event *e);

/* Parses a whole log held in memory; spans are valid during the callback. Returns the number
 * of threat events. Out of memory, it returns 0 and notes the failure (core/failnote.h). */
size_t xs_msert_parse(const unsigned char *buf, size_t n, xs_msert_fn fn, void *ctx);

#endif
