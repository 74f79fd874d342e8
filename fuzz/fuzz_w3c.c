/* Fuzz target: IIS W3C directives and row splitting (lib/parsers/w3c.c). The first line is
 * treated as a directive, the rest as a data row under the resulting schema. */
#include <stdint.h>
#include <string.h>

#include "parsers/w3c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static xs_w3c_schema s;
    static xs_w3c_row row;
    const char *p = (const char *)data;
    const char *nl = memchr(p, '\n', size);
    size_t first = nl ? (size_t)(nl - p) : size;
    xs_w3c_schema_default(&s);
    (void)xs_w3c_directive(&s, p, first);
    const char *rest = nl ? nl + 1 : p + size;
    size_t rn = (size_t)(p + size - rest);
    xs_w3c_split(&s, rest, rn, &row);
    for (int f = 0; f < W3C__COUNT; f++) {
        xs_str v = xs_w3c_get(&s, &row, (enum xs_w3c_field)f);
        if (v.n && (v.p < rest || v.p + v.n > rest + rn))
            __builtin_trap();
    }
    (void)xs_w3c_looks_like_row(p, size);
    return 0;
}
