/* Fuzz target: the server-side script reader and its behaviour analysis
 * (lib/parsers/script.c, script_tok.c, script_fold.c; lib/detectors/scriptflow.c). The first
 * byte picks the extension, so every reading mode and language is reached. */
#include <stdint.h>

#include "detectors/scriptflow.h"
#include "parsers/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const exts[] = {".aspx", ".asp", ".ashx", ".asmx", ".cshtml",
                                       ".vbhtml", ".config", ".svc", ".asa", ".master"};
    if (size == 0)
        return 0;
    const char *ext = exts[data[0] % (sizeof exts / sizeof exts[0])];
    xs_script s;
    if (xs_script_read((const char *)data + 1, size - 1, ext, &s)) {
        volatile char sink = 0;
        for (size_t i = 0; i < s.ntok; i++) /* every token's text must be readable (ASan) */
            for (uint32_t k = 0; k <= s.tok[i].len; k++)
                sink ^= s.text[s.tok[i].off + k];
        (void)sink;
        xs_wsreport r;
        xs_scriptflow(&s, (unsigned)data[0] >> 6, &r);
    }
    xs_script_free(&s);
    return 0;
}
