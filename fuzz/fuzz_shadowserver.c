/* Fuzz target: Shadowserver scan_exchange CSV (lib/probe/shadowserver.c), through the
 * public reader over memory, then every writer (the escaping of what the input says). */
#include <stdint.h>
#include <stdio.h>

#include "exsweep/probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exs_probe *p = NULL;
    char err[256];
    if (exs_probe_read_mem(&p, EXS_PROBE_SHADOWSERVER, "fuzz", (const char *)data, size, err, sizeof err) !=
        EXS_OK)
        return 0;
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        for (int f = EXS_PROBE_TEXT; f <= EXS_PROBE_CSV; f++)
            (void)exs_probe_write(p, null, (exs_probe_format)f);
        fclose(null);
    }
    exs_probe_destroy(p);
    return 0;
}
