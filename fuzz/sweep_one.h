/* Shared by the whole-sweep fuzz targets: one file held in memory, placed by the first input
 * byte at one of `places`, swept by one worker, then reported in every format to /dev/null. */
#ifndef XS_FUZZ_SWEEP_ONE_H
#define XS_FUZZ_SWEEP_ONE_H

#include <stdint.h>
#include <stdio.h>

#include "exsweep/exsweep.h"
#include "scan/scan_int.h"
#include "scan/worker.h"

static inline int fuzz_sweep_one(const char *const *places, size_t nplaces,
                                 const exs_scan_opts *opts, const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *place = places[data[0] % nplaces];
    exs_scan *s;
    if (exs_scan_create(&s, opts) != EXS_OK)
        return 0;
    xs_worker w = {0}; /* fini below is safe whether or not init ran */
    if (xs_scan_prepare(s) == EXS_OK && xs_worker_init(&w, s) == EXS_OK) {
        xs_worker_process_memory(&w, place, place, data + 1, size - 1);
        xs_scan_finish(s);
        FILE *null = fopen("/dev/null", "w");
        const exs_results *r = exs_scan_results(s);
        if (null && r) {
            for (int f = 0; f < 3; f++) {
                exs_report_opts ro = {(exs_format)f, 1, 50, 1};
                exs_report_write(r, null, &ro);
            }
        }
        if (null)
            fclose(null);
    }
    xs_worker_fini(&w);
    exs_scan_destroy(s);
    return 0;
}

#endif
