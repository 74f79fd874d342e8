/* Fuzz target: probe results read back for notify (lib/notify/hosts.c), one line per input
 * line, and the letters written of what was read (lib/notify/letter.c), in both languages. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify/hosts.h"
#include "notify/letter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xs_nhosts h;
    if (!xs_nhosts_init(&h))
        return 0;
    const char *p = (const char *)data;
    uint64_t line = 0;
    for (size_t off = 0; off < size;) {
        const char *nl = memchr(p + off, '\n', size - off);
        size_t len = nl ? (size_t)(nl - p - off) : size - off;
        xs_nhosts_line(&h, p + off, len, ++line, 0);
        off += len + 1;
    }
    const xs_nhost **hs = h.n ? malloc(h.n * sizeof *hs) : NULL;
    if (hs) {
        for (size_t i = 0; i < h.n; i++)
            hs[i] = &h.h[i];
        FILE *f = fopen("/dev/null", "w");
        if (f) {
            for (int ja = 0; ja < 2; ja++) {
                xs_letter l = {.from = "cert@csirt.example", .sender = "",
                               .to = "abuse@example.org", .org = h.h[0].name, .hosts = hs,
                               .n = h.n, .csv = "x.csv", .attach = ja ? (const char *)data : NULL,
                               .attach_n = ja ? size : 0, .ja = ja};
                (void)xs_letter_write(f, &l);
            }
            fclose(f);
        }
        free(hs);
    }
    xs_nhosts_free(&h);
    return 0;
}
