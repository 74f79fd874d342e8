/* The published active checks (active.h): each request as its authors send it, each a GET that
 * asks the server to show the flaw's first step without doing anything with it. */
#include "probe/active.h"

#include <string.h>

#include "state/buildtab.h"

const xs_active_check xs_active_checks[] = {
    /* http-vuln-cve2021-26855.nse: the SSRF reached the back end when it names localhost in
     * X-CalculatedBETarget */
    {XS_FAM_PROXYLOGON, "/owa/auth/x.js",
     "X-AnonResource=true; X-AnonResource-Backend=localhost/ecp/default.flt?~3; "
     "X-BEResource=localhost/owa/auth/logon.aspx?~3;",
     "Microsoft's http-vuln-cve2021-26855.nse"},
    /* CVE-2021-34473.yaml: the autodiscover path confusion reaches OWA's or MAPI's back end */
    {XS_FAM_PROXYSHELL,
     "/autodiscover/autodiscover.json?@test.com/owa/?&Email=autodiscover/"
     "autodiscover.json%3F@test.com",
     NULL, "nuclei's CVE-2021-34473"},
    {XS_FAM_PROXYSHELL,
     "/autodiscover/autodiscover.json?@test.com/mapi/nspi/?&Email=autodiscover/"
     "autodiscover.json%3F@test.com",
     NULL, "nuclei's CVE-2021-34473"},
    /* CVE-2022-41040.yaml: a 302 without "Protocol" in its body, where the mitigation's
     * rewrite rule or the fix answers otherwise */
    {XS_FAM_PROXYNOTSHELL,
     "/autodiscover/autodiscover.json?a@foo.var/owa/?&Email=autodiscover/"
     "autodiscover.json?a@foo.var&Protocol=XYZ&FooProtocol=Powershell",
     NULL, "nuclei's CVE-2022-41040"},
};
const size_t xs_active_nchecks = sizeof xs_active_checks / sizeof *xs_active_checks;

static bool has(const char *b, size_t n, const char *s)
{
    return n && memmem(b, n, s, strlen(s)) != NULL;
}

bool xs_active_sign(const xs_active_check *c, long status, const xs_http_header *h, size_t nh,
                    const char *body, size_t nbody, const char **evidence)
{
    bool seen = false;
    if (!body)
        nbody = 0;
    switch (c->family) {
    case XS_FAM_PROXYLOGON:
        for (size_t i = 0; i < nh && !seen; i++)
            seen = xs_fp_header_is(h[i].name, "x_calculatedbetarget") &&
                   xs_str_icontains(h[i].value, "localhost");
        *evidence = seen ? "X-CalculatedBETarget names localhost: the SSRF reached the back end"
                         : "no X-CalculatedBETarget naming localhost";
        break;
    case XS_FAM_PROXYSHELL:
        seen = has(body, nbody,
                   "Microsoft.Exchange.Clients.Owa2.Server.Core.OwaADUserNotFoundException") ||
               has(body, nbody, "Exchange MAPI/HTTP Connectivity Endpoint");
        *evidence = seen ? "the autodiscover path reached OWA's or MAPI's back end"
                         : "neither OWA's nor MAPI's back end answered through autodiscover";
        break;
    default:
        seen = status == 302 && !has(body, nbody, "Protocol");
        *evidence = seen ? "a 302 without \"Protocol\": the autodiscover SSRF was not stopped"
                         : "not a 302 without \"Protocol\"";
        break;
    }
    return seen;
}
