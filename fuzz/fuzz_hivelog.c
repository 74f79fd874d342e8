/* Fuzz target: new-format transaction logs (lib/parsers/hivelog.c) applied to a hive's memory
 * copy, then the result opened and its root read. Input: a 32-bit little-endian length L, L
 * bytes of hive, then the log. */
#include <stdint.h>
#include <string.h>

#include "parsers/hive.h"
#include "parsers/hivelog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    size_t hn = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 |
                (size_t)data[3] << 24;
    if (hn > size - 4)
        return 0;
    xs_hive_image *im;
    if (xs_hive_image_new(&im, 16u << 20) != EXS_OK)
        return 0;
    xs_hivelog_state st;
    if (xs_hive_image_append(im, data + 4, hn) != EXS_OK || !xs_hivelog_begin(im, &st)) {
        xs_hive_image_free(im);
        return 0;
    }
    xs_hivelog_apply(im, data + 4 + hn, size - 4 - hn, &st);
    xs_hivelog_end(im, &st);
    xs_hive *h;
    if (xs_hive_open_image(im, NULL, &h, NULL, 0) == EXS_OK) {
        xs_hkey *root = xs_hive_root(h);
        volatile size_t n = root ? xs_hkey_nsubkeys(root) : 0;
        (void)n;
        xs_hkey_free(root);
        xs_hive_close(h);
    }
    return 0;
}
