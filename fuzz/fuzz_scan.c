/* Fuzz target: the whole sweep of one file held in memory: classification by location and
 * content, archives (libarchive), every log reader, the prefilter, the detectors, the
 * post-scan correlation and all three report writers. The first byte picks where the file
 * lies, so location-based classification is exercised too. */
#include <stdint.h>

#include "sweep_one.h"

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
    "c/exchangesetuplogs/exchangesetup.log", /* last: the older seeds keep their places */
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_sweep_one(places, sizeof places / sizeof places[0], NULL, data, size);
}
