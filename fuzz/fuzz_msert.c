/* Fuzz target: msert.log, UTF-8 and UTF-16 (lib/parsers/msert.c). */
#include <stdint.h>

#include "parsers/msert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_event(void *ctx, const xs_msert_event *e)
{
    size_t *n = ctx;
    volatile char sink = 0;
    const xs_str spans[] = {e->version, e->scan, e->threat, e->action, e->path};
    for (size_t k = 0; k < sizeof spans / sizeof spans[0]; k++)
        for (size_t i = 0; i < spans[k].n; i++) /* spans must be readable (ASan) */
            sink ^= spans[k].p[i];
    (void)sink;
    (*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = 0;
    xs_msert_parse(data, size, on_event, &n);
    return 0;
}
