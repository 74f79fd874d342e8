/* Fuzz target: the file checks of one file held in memory (lib/scan/files.c,
 * lib/detectors/filecheck.c, the shipped YARA rules, the post-pass in lib/detectors/shells.c).
 * The first byte picks where the file lies, so every location-driven check is reached: web
 * folders, applicationHost.config, ASP.NET compilation records, dumps in Temp, msert.log,
 * EOMT summaries, archives in ProgramData. */
#include <stdint.h>
#include <stdio.h>

#include "exsweep/exsweep.h"
#include "scan/scan_int.h"
#include "scan/worker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const places[] = {
    "c/program files/microsoft/exchange server/v15/frontend/httpproxy/owa/auth/x.aspx",
    "c/inetpub/wwwroot/aspnet_client/system_web/x.aspx",
    "c/windows/system32/inetsrv/config/applicationhost.config",
    "c/windows/microsoft.net/framework64/v4.0.30319/temporary asp.net "
    "files/owa/1/2/x.aspx.1.compiled",
    "c/windows/temp/x.dmp",
    "c/windows/debug/msert.log",
    "c/eomtsummary.txt",
    "c/programdata/x.zip",
    "c/programdata/com1/x.aspx",
    "d/share/x.crypt",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *place = places[data[0] % (sizeof places / sizeof places[0])];
    exs_scan *s;
    exs_scan_opts o = {1, 0, 0, NULL, 0};
    if (exs_scan_create(&s, &o) != EXS_OK)
        return 0;
    exs_worker w;
    if (exs_scan_prepare(s) == EXS_OK && exs_worker_init(&w, s) == EXS_OK) {
        exs_worker_process_memory(&w, place, place, data + 1, size - 1);
        exs_scan_finish(s);
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            for (int f = 0; f < 3; f++) {
                exs_report_opts ro = {(exs_format)f, 1, 50, 1};
                exs_report_write(s, null, &ro);
            }
            fclose(null);
        }
    }
    exs_worker_fini(&w);
    exs_scan_destroy(s);
    return 0;
}
