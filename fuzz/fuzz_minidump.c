/* Fuzz target: minidump headers, stream directory, module list and misc info
 * (lib/parsers/minidump.c), read through the read-at interface over the input. */
#include <stdint.h>
#include <string.h>

#include "parsers/minidump.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xs_membuf m = {data, size};
    xs_minidump md;
    xs_minidump_parse(xs_membuf_readat, &m, &md);
    volatile size_t n = strlen(md.process);
    (void)n;
    return 0;
}
