/* Fuzz target: timestamp parsing and formatting (lib/core/timeparse.c, xs_find_time). */
#include <stdint.h>
#include <string.h>

#include "core/timeparse.h"
#include "detectors/detect.h"
#include "exsweep/finding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xs_str s = xs_str_make((const char *)data, size);
    char out[32];
    int64_t t = xs_time_parse_iso(s);
    xs_time_format(t, out);
    if (t != EXS_TIME_NONE && out[0] != '-' && memcmp(out, "1601", 4) >= 0) {
        /* what we print must parse back to the same instant (inside the parser's range) */
        if (xs_time_parse_iso(xs_str_cstr(out)) != t)
            __builtin_trap();
    }
    size_t half = size / 2;
    xs_time_format(xs_time_parse_w3c(xs_str_make(s.p, half), xs_str_make(s.p + half, size - half)), out);
    xs_time_format(xs_find_time(s), out);
    return 0;
}
