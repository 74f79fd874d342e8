/* The body of the probe's fuzz targets (fuzz_zgrab2.c, fuzz_shadowserver.c): one input read
 * by the public reader over memory, then written in every format to /dev/null, so that the
 * escaping of whatever the input says runs too. */
#ifndef XS_FUZZ_PROBE_ONE_H
#define XS_FUZZ_PROBE_ONE_H

#include <stdint.h>
#include <stdio.h>

#include "exsweep/probe.h"

static inline void probe_one(exs_probe_input kind, const uint8_t *data, size_t size)
{
    exs_probe *p = NULL;
    char err[256];
    if (exs_probe_read_mem(&p, kind, "fuzz", (const char *)data, size, err, sizeof err) != EXS_OK)
        return;
    FILE *null = fopen("/dev/null", "w");
    if (null) {
        for (int f = EXS_PROBE_TEXT; f <= EXS_PROBE_CSV; f++)
            (void)exs_probe_write(p, null, (exs_probe_format)f);
        fclose(null);
    }
    exs_probe_destroy(p);
}

#endif
