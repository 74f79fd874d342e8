/* The expressions every request-shaped log kind shares: directive lines, and the
 * percent-encoded letters no literal of a detector would see decoded. The detectors' own
 * lists lie beside their predicates (lib/detectors/patterns.h says how they compose). */
#include "detectors/detect.h"
#include "detectors/patterns.h"

const xs_pattern xs_pat_directive[] = {{"^#", 0}, {NULL, 0}};

const xs_pattern xs_pat_decoded[] = {
    /* a letter or '_' percent-encoded (unreserved characters: RFC 3986 2.3 says a URI
     * producer never needs to encode them). The predicates decode %XX, so one encoded letter
     * ("/owa/auth/x.%61spx", "/%6Fwa/.../powershell", "aspnet%5fclient") hid a line from every
     * literal here while its detector still reported it: found by sweeping one-character
     * encodings of the planted rows with and without the prefilter
     * (tests/unit/test-prefilter-off.c). Digits, '-' and '~' are left out: no literal above
     * needs them decoded ('.' is DOT), and every unreserved character cost about 10% more
     * CPU on the bench against about 2% for these (bench/README.md). Benign clients hardly
     * ever encode letters, so the lines it passes are few. */
    {"%(4[1-9a-f]|5[0-9af]|6[1-9a-f]|7[0-9a])", 0},
    {NULL, 0},
};
