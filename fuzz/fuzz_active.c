/* Fuzz target: what the live prober reads of an answer to a --active check
 * (lib/probe/active.c xs_active_sign) and of every response (fingerprint.c xs_http_headers,
 * xs_fp_http). The input is one response as it comes off the wire: a status line, header lines,
 * an empty line and a body (cut at XS_PROBE_MAX_BODY, as the prober cuts it); every check
 * judges it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "probe/active.h"
#include "probe/fingerprint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    const char *end = memmem(p, size, "\r\n\r\n", 4);
    size_t nhead = end ? (size_t)(end - p) + 2 : size;
    const char *body = end ? end + 4 : NULL;
    size_t nbody = end ? size - nhead - 2 : 0;
    if (nbody > XS_PROBE_MAX_BODY)
        nbody = XS_PROBE_MAX_BODY;
    long status = 0; /* "HTTP/1.1 302 Found": the three digits after the first space */
    const char *sp = memchr(p, ' ', nhead);
    if (sp && (size_t)(sp - p) + 4 <= nhead)
        for (int i = 1; i <= 3 && sp[i] >= '0' && sp[i] <= '9'; i++)
            status = status * 10 + (sp[i] - '0');
    static xs_http_header h[XS_PROBE_MAX_HEADERS];
    size_t nh = xs_http_headers(p, nhead, h, XS_PROBE_MAX_HEADERS);
    for (size_t i = 0; i < nh; i++) /* every pair inside the input */
        if (h[i].name.p < p || h[i].name.p + h[i].name.n > p + nhead ||
            (h[i].value.n && (h[i].value.p < p || h[i].value.p + h[i].value.n > p + nhead)))
            abort();
    for (size_t k = 0; k < xs_active_nchecks; k++) {
        const char *ev = NULL;
        (void)xs_active_sign(&xs_active_checks[k], status, h, nh, body, nbody, &ev);
        if (!ev || !*ev)
            abort(); /* every result says what it saw */
    }
    xs_fingerprint fp;
    xs_fp_http((int)status, h, nh, body ? body : "", nbody, &fp);
    return 0;
}
