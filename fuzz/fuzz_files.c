/* Fuzz target: the file checks of one file held in memory (lib/scan/files.c,
 * lib/detectors/filecheck.c, the shipped YARA rules, the post-pass in lib/detectors/shells.c).
 * The first byte picks where the file lies, so every location-driven check is reached: web
 * folders, applicationHost.config, ASP.NET compilation records, dumps in Temp, msert.log,
 * EOMT summaries, archives in ProgramData, Exchange's Bin\ExSetup.exe. */
#include <stdint.h>

#include "sweep_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const places[] = {
    "c/program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/x.aspx",
    "c/inetpub/wwwroot/aspnet_client/system_web/x.aspx",
    "c/windows/system32/inetsrv/config/applicationhost.config",
    ("c/windows/microsoft.net/framework64/v4.0.30319/temporary asp.net "
     "files/owa/1/2/x.aspx.1.compiled"),
    "c/windows/temp/x.dmp",
    "c/windows/debug/msert.log",
    "c/eomtsummary.txt",
    "c/programdata/x.zip",
    "c/programdata/com1/x.aspx",
    "d/share/x.crypt",
    "c/program files/microsoft/exchange server/v15/bin/exsetup.exe",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exs_scan_opts o = {1, 0, 0, NULL, 0};
    return fuzz_sweep_one(places, sizeof places / sizeof places[0], &o, data, size);
}
