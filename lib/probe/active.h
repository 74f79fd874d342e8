/* The published non-destructive checks of exsweep probe --active, as their authors send them,
 * and the sign each looks for in the answer. Bytes in, a verdict out: no file or socket (the
 * live prober sends the requests; a fuzz target and the unit tests judge answers given).
 *
 *   ProxyLogon     microsoft/CSS-Exchange Security/src/http-vuln-cve2021-26855.nse
 *   ProxyShell     projectdiscovery/nuclei-templates http/cves/2021/CVE-2021-34473.yaml
 *   ProxyNotShell  projectdiscovery/nuclei-templates http/cves/2022/CVE-2022-41040.yaml
 */
#ifndef XS_PROBE_ACTIVE_H
#define XS_PROBE_ACTIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "probe/fingerprint.h"

typedef struct xs_active_check {
    int family;         /* the xs_family (state/buildtab.h) it is a sign of */
    const char *path;   /* the request's path and query, as the check's authors send it */
    const char *cookie; /* the Cookie header's value, or NULL */
    const char *check;  /* whose: "Microsoft's http-vuln-cve2021-26855.nse" */
} xs_active_check;

/* In the order they are sent; a family's checks are next to each other (ProxyShell has two). */
extern const xs_active_check xs_active_checks[];
extern const size_t xs_active_nchecks;

/* Does one answer (status, headers, the body or its first XS_PROBE_MAX_BODY bytes) to check c
 * show the flaw's sign, as the check's authors read it? *evidence is set to a static text:
 * what the sign is, or what was seen instead.
 *   ProxyLogon: an X-CalculatedBETarget header whose value names localhost (any case);
 *   ProxyShell: the body names OwaADUserNotFoundException or the MAPI/HTTP endpoint;
 *   ProxyNotShell: a 302 whose body has no "Protocol" (nuclei's matchers without a
 *     matchers-condition are "or"; both are asked here: a 302 is the sign, a body naming the
 *     protocol the rewrite rule's or the fix's answer). */
bool xs_active_sign(const xs_active_check *c, long status, const xs_http_header *h, size_t nh,
                    const char *body, size_t nbody, const char **evidence);

#endif
