/* Fuzz target: Exchange CSV row splitting, header detection and schemas (lib/parsers/csv.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static xs_csv_row row;
    static xs_csv_schema schema;
    char *scratch = malloc(size + 1);
    if (!scratch)
        return 0;
    xs_csv_split((const char *)data, size, &row, scratch);
    (void)xs_csv_looks_like_header(&row);
    xs_csv_schema_set(&schema, &row);
    for (size_t i = 0; i < schema.n; i++) {
        xs_str n = xs_csv_schema_name(&schema, i);
        volatile char sink = 0;
        for (size_t k = 0; k < n.n; k++) /* every name byte must be readable (ASan) */
            sink ^= n.p[k];
        (void)sink;
    }
    (void)xs_csv_schema_find(&schema, "AnchorMailbox");
    (void)xs_csv_get(&row, (int)(size % 600));
    free(scratch);
    return 0;
}
