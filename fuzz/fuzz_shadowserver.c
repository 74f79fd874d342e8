/* Fuzz target: Shadowserver scan_exchange CSV (lib/probe/shadowserver.c); the
 * writers of what it read (fuzz/probe_one.h). */
#include "probe_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    probe_one(EXS_PROBE_SHADOWSERVER, data, size);
    return 0;
}
