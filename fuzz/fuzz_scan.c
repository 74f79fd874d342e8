/* Fuzz target: the whole sweep of one file held in memory: classification by location and
 * content, archives (libarchive), every log reader, the prefilter, the detectors, the
 * post-scan correlation and all three report writers. The first byte picks where the file
 * lies, so location-based classification is exercised too. */
#include <stdint.h>
#include <stdio.h>

#include "exsweep/exsweep.h"
#include "scan/scan_int.h"
#include "scan/worker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const places[] = {
    "c/program files/microsoft/exchange server/v15/logging/httpproxy/ecp/httpproxy_2021030306-1.log",
    "c/program files/microsoft/exchange server/v15/logging/ecp/server/ecpserver20210303-1.log",
    "e/exchange/v15/logging/oabgeneratorlog/oabgen.log",
    "c/program files/microsoft/exchange server/v15/logging/cmdletinfra/powershell-proxy/http/rps_http_2021080101-1.log",
    "c/program files/microsoft/exchange server/v15/logging/cmdletinfra/powershell-proxy/cmdlet/rps_cmdlet_2021080101-1.log",
    "c/inetpub/logs/logfiles/w3svc1/u_ex210303.log",
    "d/collected/export.csv",
    "d/notes/readme.txt",
    "d/collected/triage.zip",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *place = places[data[0] % (sizeof places / sizeof places[0])];
    exs_scan *s;
    if (exs_scan_create(&s, NULL) != EXS_OK)
        return 0;
    exs_worker w;
    if (exs_scan_prepare(s) == EXS_OK && exs_worker_init(&w, s) == EXS_OK) {
        exs_worker_process_memory(&w, place, place, data + 1, size - 1);
        exs_scan_finish(s);
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            for (int f = 0; f < 3; f++) {
                exs_report_opts o = {(exs_format)f, 1, 50, 1};
                exs_report_write(s, null, &o);
            }
            fclose(null);
        }
    }
    exs_worker_fini(&w);
    exs_scan_destroy(s);
    return 0;
}
