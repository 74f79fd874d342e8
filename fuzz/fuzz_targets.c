/* Fuzz target: the live prober's target and exclude lists (lib/probe/targets.c). The input is
 * an exclude list, then (after the first NUL byte, when there is one) a target list read
 * against it; every target kept is checked against the list once more. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "probe/targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const char *nul = memchr(p, '\0', size);
    size_t nx = nul ? (size_t)(nul - p) : size;
    xs_excl *x = xs_excl_create();
    if (!x)
        return 0;
    (void)xs_excl_read(x, p, nx, NULL, NULL);
    xs_tlist l;
    if (xs_tlist_init(&l, x, 8443)) {
        if (nul)
            (void)xs_tlist_read(&l, nul + 1, size - nx - 1, NULL, NULL);
        else
            (void)xs_tlist_read(&l, p, size, NULL, NULL);
        for (size_t i = 0; i < l.n; i++) {
            unsigned char a[16];
            if (l.t[i].is_addr && (!xs_addr16(l.t[i].host, a) || xs_excl_has(x, a)))
                abort(); /* an excluded address kept, or an address that is none */
        }
        xs_tlist_free(&l);
    }
    xs_excl_destroy(x);
    return 0;
}
