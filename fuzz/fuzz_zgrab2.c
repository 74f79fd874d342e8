/* Fuzz target: ZGrab2 http JSON lines (lib/probe/zgrab2.c) and the fingerprint of each response (lib/probe/fingerprint.c); the
 * writers of what it read (fuzz/probe_one.h). */
#include "probe_one.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    probe_one(EXS_PROBE_ZGRAB2, data, size);
    return 0;
}
