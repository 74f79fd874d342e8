/* Fuzz target: timestamp parsing and formatting (lib/core/timeparse.c, exs_find_time). */
#include <stdint.h>
#include <string.h>

#include "core/timeparse.h"
#include "detectors/detect.h"
#include "exsweep/finding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    exs_str s = exs_str_make((const char *)data, size);
    char out[32];
    int64_t t = exs_time_parse_iso(s);
    exs_time_format(t, out);
    if (t != EXS_TIME_NONE && out[0] != '-' && memcmp(out, "1601", 4) >= 0) {
        /* what we print must parse back to the same instant (inside the parser's range) */
        if (exs_time_parse_iso(exs_str_cstr(out)) != t)
            __builtin_trap();
    }
    size_t half = size / 2;
    exs_time_format(exs_time_parse_w3c(exs_str_make(s.p, half), exs_str_make(s.p + half, size - half)), out);
    exs_time_format(exs_find_time(s), out);
    return 0;
}
