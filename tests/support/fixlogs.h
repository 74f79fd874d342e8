/* Test support: log fixtures several tests share (an IIS log with a web shell request, the
 * Sysmon events of a w3wp.exe child and of benign activity). */
#ifndef XS_TEST_FIXLOGS_H
#define XS_TEST_FIXLOGS_H

#include "evtxwriter.h"

/* The IIS log of the default web site, as a display path and as its normalised place. */
#define FIX_IIS_LOG "C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log"
#define FIX_IIS_PLACE "c/inetpub/logs/logfiles/w3svc1/u_ex210303.log"
#define FIX_IIS_HDR                                                                                \
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "          \
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n"
/* One request from ip to a shell with a command: two findings (EXS-WS-ACCESS, EXS-WS-CMD). */
#define FIX_IIS_SHELL_ROW(ip)                                                                      \
    "2021-03-03 11:00:00 10.0.0.5 GET /aspnet_client/x.aspx cmd=whoami 443 - " ip                  \
    " M - 200 0 0 1\r\n"

/* Sysmon process-creation data: cmd.exe started by the OWA application pool's w3wp.exe
 * (5 fields: EXS-EV-W3WP-CHILD), and svchost.exe started by services.exe (3 fields, benign). */
extern const xs_evtxw_field fix_sysmon_child[5];
extern const xs_evtxw_field fix_sysmon_benign[3];

/* A Sysmon/Operational event of host EXCH01 (level 4) carrying data[0..n). */
xs_evtxw_event fix_sysmon_event(uint16_t id, int64_t time_ms, const xs_evtxw_field *data,
                                 size_t n);

#endif
