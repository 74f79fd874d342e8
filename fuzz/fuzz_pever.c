/* Fuzz target: PE headers, sections, the resource tree and VS_VERSIONINFO
 * (lib/parsers/pever.c). Besides memory errors it checks the reader's promises: every string
 * ends within its buffer and is at most XS_PE_MAX_STRING bytes, only OK has no reason. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parsers/pever.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xs_pever v;
    xs_pever_rc rc = xs_pever_read(data, size, &v);
    const char *const s[] = {v.file_version, v.product_version, v.product_name, v.company_name,
                             v.original_filename};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (strnlen(s[i], XS_PEVER_TEXT) > XS_PE_MAX_STRING)
            abort();
    if (!v.reason || (rc == XS_PEVER_OK) != (v.reason[0] == 0))
        abort();
    return 0;
}
