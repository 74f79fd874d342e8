/* Fuzz target: one JSON event object flattened (lib/parsers/json.c). Every pair must lie in
 * the input or in the scratch buffer, whose use never exceeds the input length. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static xs_json_pair pairs[64];
    char *scratch = malloc(size + 1);
    if (!scratch)
        return 0;
    size_t n = 0;
    const char *in = (const char *)data;
    (void)xs_json_flat(in, size, pairs, 64, &n, scratch);
    for (size_t i = 0; i < n; i++) {
        const xs_str *s[2] = {&pairs[i].key, &pairs[i].value};
        for (int k = 0; k < 2; k++) {
            const char *p = s[k]->p;
            size_t len = s[k]->n;
            int in_input = p >= in && p + len <= in + size;
            int in_scratch = p >= scratch && p + len <= scratch + size;
            if (len && !in_input && !in_scratch)
                __builtin_trap();
        }
    }
    free(scratch);
    return 0;
}
