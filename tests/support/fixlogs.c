/* Test support: the shared log fixtures (fixlogs.h). */
#include "fixlogs.h"

#define S(x) {XS_EVTXW_STRING, (x), 0, NULL, 0}

const xs_evtxw_field fix_sysmon_child[5] = {
    {"Image", S("C:\\Windows\\System32\\cmd.exe")},
    {"CommandLine", S("cmd.exe /c whoami")},
    {"ParentImage", S("c:\\windows\\system32\\inetsrv\\w3wp.exe")},
    {"ProcessId", S("4242")},
    {"User", S("IIS APPPOOL\\MSExchangeOWAAppPool")},
};

const xs_evtxw_field fix_sysmon_benign[3] = {
    {"Image", S("C:\\Windows\\System32\\svchost.exe")},
    {"CommandLine", S("svchost.exe -k netsvcs")},
    {"ParentImage", S("C:\\Windows\\System32\\services.exe")},
};

xs_evtxw_event fix_sysmon_event(uint16_t id, int64_t time_ms, const xs_evtxw_field *data,
                                 size_t n)
{
    xs_evtxw_event e = {.provider = "Microsoft-Windows-Sysmon",
                         .channel = "Microsoft-Windows-Sysmon/Operational",
                         .computer = "EXCH01",
                         .event_id = id,
                         .level = 4,
                         .time_ms = time_ms,
                         .data = data,
                         .ndata = n};
    return e;
}
