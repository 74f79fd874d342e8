/* Is this HTTP response an Exchange server's, and which build? (catalogue 6.4)
 *
 * Takes the bytes of one response (status, header name/value pairs, the body or its first
 * XS_PROBE_MAX_BODY bytes), never a file or a socket: the readers of saved scans use it, and
 * so will the live prober. The build comes from, most trusted first:
 *   - the X-OWA-Version header: the full 4-part build (15.1.2176.2);
 *   - the ECP export tool's ClickOnce manifest
 *     (/ecp/Current/exporttool/microsoft.exchange.ediscovery.exporttool.application): the
 *     version attribute of its assemblyIdentity, 4 parts;
 *   - the logon page's resource paths /owa/auth/<a.b.c>/ or /owa/<a.b.c>/: 3 parts only, so
 *     the security update installed cannot be told from them.
 * Exchange without a build: X-FEServer, X-BEServer or X-CalculatedBETarget, a redirect to
 * /owa/auth/logon.aspx, or a body that links /owa/auth/. The body of a 404 is not read (a
 * server that echoes the missing path would claim any build it was asked for).
 * Header names are compared ASCII case-insensitively with '-' and '_' the same, so ZGrab2's
 * "x_owa_version" and the wire's "X-OWA-Version" are one name.
 */
#ifndef XS_PROBE_FINGERPRINT_H
#define XS_PROBE_FINGERPRINT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/str.h"
#include "state/build.h"

typedef enum xs_fp_src {
    XS_FP_NONE = 0,     /* no build */
    XS_FP_PATH,         /* /owa/auth/<a.b.c>/ in the body: 3 parts */
    XS_FP_REPORT,       /* a scan service's own field (Shadowserver's version) */
    XS_FP_MANIFEST,     /* the export tool manifest: 4 parts */
    XS_FP_HEADER,       /* X-OWA-Version: 4 parts */
} xs_fp_src;

/* "X-OWA-Version header", "export tool manifest", "logon page path", "Shadowserver
 * version", "" for XS_FP_NONE. */
const char *xs_fp_src_name(xs_fp_src s);

typedef struct xs_http_header {
    xs_str name, value;
} xs_http_header;

typedef struct xs_fingerprint {
    bool exchange;
    const char *why;     /* static text: what says Exchange ("X-OWA-Version header"), or
                            what was looked at when nothing did */
    xs_build build;      /* nparts 0: none */
    xs_fp_src src;
    bool body_cut;       /* the body was longer than XS_PROBE_MAX_BODY: its rest not read */
} xs_fingerprint;

/* Fingerprints one response. Nothing is kept of the input: out holds only values. */
void xs_fp_http(int status, const xs_http_header *h, size_t nh, const char *body, size_t nbody,
                xs_fingerprint *out);

/* The header lines of a response as it came (its status line first, CRLF or LF line ends) as
 * name/value pairs pointing into raw, at most cap: the status line, continuation lines, empty
 * lines and lines without a colon are left out, values trimmed. Returns how many. */
size_t xs_http_headers(const char *raw, size_t n, xs_http_header *h, size_t cap);

/* True when header name n is name (lower case, '_' for '-'), as xs_fp_http compares them. */
bool xs_fp_header_is(xs_str n, const char *name);

/* Folds b (another response of the same target) into a: Exchange when either is; the build
 * of the more trusted source, or at the same trust the higher build. */
void xs_fp_merge(xs_fingerprint *a, const xs_fingerprint *b);

#endif
