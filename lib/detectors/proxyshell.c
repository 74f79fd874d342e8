/* ProxyShell (CVE-2021-34473/-34523), ProxyNotShell (CVE-2022-41040/-41082) and OWASSRF
 * (CVE-2022-41080) in request logs. Catalogue 2.5 and 2.6. */
#include <stdio.h>

#include "detectors/internal.h"
#include "detectors/patterns.h"

/* User agents (or Rps_Http ClientInfo values) of legitimate Remote PowerShell traffic, as
 * CrowdStrike's Rps_Http-IOC.ps1 and the OWASSRF rules exclude them. */
static bool benign_rps_client(xs_str ua)
{
    ua = xs_str_trim(ua);
    return xs_str_ieq(ua, "ClientInfo") || xs_str_istarts(ua, "Microsoft WinRM Client") ||
           xs_str_istarts(ua, "Exchange BackEnd Probes");
}

static bool url_has_backend_path(const char *url)
{
    if (strstr(url, "/powershell") || strstr(url, "/mapi/nspi") || strstr(url, "x-rps-cat"))
        return true;
    const char *e = url;
    while ((e = strstr(e, "/ews")) != NULL) {
        char nx = e[4];
        if (nx == '/' || nx == '?' || nx == 0 || nx == '&')
            return true;
        e += 4;
    }
    return false;
}

static bool user_present(const xs_request *r)
{
    if (xs_str_ieq(r->is_auth, "true"))
        return true;
    return !xs_str_blank(r->user);
}

void xs_detect_proxyshell_request(xs_ctx *c, const xs_req_view *v)
{
    const xs_request *r = v->r;
    const char *url = v->url;
    xs_hit h;
    bool served = r->status == 200 || r->status == 301 || r->status == 302;

    /* PoC shapes (signature-base LOG_ProxyNotShell_POC_CVE_2022_41040_Nov22). */
    if (strstr(url, "autodiscover.json?x=a") || strstr(url, "/autodiscover/admin@localhost/")) {
        xs_hit_from_request(&h, r, RULE(R_PNS_POC),
                             r->status == 200 ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_ATTEMPT,
                             r->status == 200 ? EXS_SEV_HIGH : EXS_SEV_MEDIUM);
        h.reason = "ProxyNotShell PoC request shape";
        xs_emit(c, &h);
        return;
    }

    const char *aj = strstr(url, "autodiscover.json");
    if (aj) {
        const char *after = aj + 17; /* strlen("autodiscover.json") */
        /* the decoded URL: "%3F@" and IIS's stem/query split both read "autodiscover.json?@" */
        bool confusion = strstr(url, "autodiscover.json?@") ||
                         strstr(url, "email=autodiscover/autodiscover.json");
        bool backend = url_has_backend_path(after);
        if (confusion || backend) {
            /* ProxyNotShell needs real credentials; ProxyShell forges an X-Rps-CAT token, and
             * its back-end rows then carry the impersonated user. */
            if (user_present(r) && strstr(url, "/powershell") && !strstr(url, "x-rps-cat")) {
                xs_hit_from_request(&h, r, RULE(R_PNS_SSRF),
                                     r->status == 200 ? EXS_VERDICT_EXPLOITATION
                                                      : EXS_VERDICT_ATTEMPT,
                                     r->status == 200 ? EXS_SEV_CRITICAL : EXS_SEV_MEDIUM);
                h.reason = "authenticated Autodiscover path confusion to /powershell";
            } else if (served) {
                xs_hit_from_request(&h, r, RULE(R_PS_SSRF), EXS_VERDICT_EXPLOITATION,
                                     EXS_SEV_CRITICAL);
                h.reason = backend ? "Autodiscover path confusion routed to a back-end service "
                                     "and served"
                                   : "Autodiscover path confusion served";
            } else {
                xs_hit_from_request(&h, r, RULE(R_PS_ATTEMPT), EXS_VERDICT_ATTEMPT,
                                     EXS_SEV_MEDIUM);
                h.reason = "Autodiscover path confusion not served";
            }
            xs_emit(c, &h);
            return;
        }
    }

    /* OWASSRF: /owa/<mailbox>/powershell (Sigma proxy/web owassrf rules). */
    if (v->post && strncmp(v->stem, "/owa/", 5) == 0 && strstr(url, "/powershell") &&
        (strchr(url, '@') || xs_str_icontains(r->stem, "%40")) && !benign_rps_client(r->ua)) {
        xs_hit_from_request(&h, r, RULE(R_OWASSRF_IIS),
                             r->status == 200 ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_ATTEMPT,
                             r->status == 200 ? EXS_SEV_CRITICAL : EXS_SEV_MEDIUM);
        h.reason = "POST to Remote PowerShell through an OWA mailbox path";
        xs_emit(c, &h);
        return;
    }
    /* Back end (port 444): POST /powershell answered 200 to a client that is not WinRM or an
     * Exchange probe (signature-base ..._OWASSRF_..._Dec22_3). */
    if (v->post && r->port == 444 && strcmp(v->stem, "/powershell") == 0 && r->status == 200 &&
        !xs_str_blank(r->ua) && !benign_rps_client(r->ua)) {
        xs_hit_from_request(&h, r, RULE(R_OWASSRF_IIS), EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH);
        h.reason = "back-end Remote PowerShell POST from an unexpected client";
        xs_emit(c, &h);
    }
}

void xs_detect_rpshttp(xs_ctx *c, const xs_request *r)
{
    xs_hit h;
    if (!xs_str_iends(xs_str_trim(r->stem), "/powershell"))
        return;
    if (xs_str_icontains(r->query, "x-rps-cat=") &&
        (xs_str_icontains(r->query, "autodiscover/autodiscover.json") ||
         xs_str_icontains(r->query, "autodiscover.json%3f@"))) {
        xs_hit_from_request(&h, r, RULE(R_PS_RPS),
                             r->status == 200 ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_ATTEMPT,
                             r->status == 200 ? EXS_SEV_CRITICAL : EXS_SEV_MEDIUM);
        h.http.ua = r->client_info;
        h.reason = "X-Rps-CAT token with an Autodiscover Email parameter";
        xs_emit(c, &h);
        return;
    }
    /* CrowdStrike Rps_Http-IOC.ps1 logic, per row: Kerberos, authenticated, 200, POST, and a
     * ClientInfo that is not a WinRM client or an Exchange probe. */
    if (!xs_str_ieq(xs_str_trim(r->auth_type), "Kerberos") ||
        !xs_str_ieq(xs_str_trim(r->is_auth), "true") || r->status != 200 ||
        benign_rps_client(r->client_info))
        return;
    if (xs_str_icontains(r->generic_info, "HttpMethod=") &&
        !xs_str_icontains(r->generic_info, "HttpMethod=POST"))
        return;
    xs_hit_from_request(&h, r, RULE(R_OWASSRF_RPS), EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH);
    h.http.ua = r->client_info;
    h.reason = r->client_info.n ? "Remote PowerShell session from an unexpected client"
                                : "Remote PowerShell session without ClientInfo";
    xs_emit(c, &h);
}

/* ---------------------------------------------------------------- prefilter */

/* What a line must hold for the detectors above to report it (patterns.h). */
const xs_pattern xs_pat_proxyshell[] = {
    /* ProxyNotShell PoC */
    {"admin(@|%40)localhost", 0},
    /* back end: a POST to /powershell (W3C writes cs-method just before cs-uri-stem); the
     * predicates collapse repeated separators, so "POST //powershell" is one too */
    {"post " SL "+powershell", 0},
    /* tokens */
    {"autodiscover" DOT "json", T_AUTOD},
    {"mapi" SL "nspi", T_BACKEND},
    {SL "ews", T_BACKEND},
    {"x-rps-cat", T_BACKEND},
    {"(\\?|%3f|%253f| |,)(@|%40)", T_CONF},
    /* "email=autodiscover/autodiscover.json": cut after "autod", since a literal ending in
     * "discover" is checked at every "autodiscover" of the benign traffic */
    {"email(=|%3d)autod", T_CONF},
    {"(\\?|%3f| |,)x=a", T_XA},
    {"owa" SL, T_OWA},
    {"powershell", T_PSHELL},
    {NULL, 0},
};

/* ProxyShell and ProxyNotShell need Autodiscover plus a back end, the confusion or the PoC;
 * OWASSRF needs /owa/ and /powershell anywhere in the line (the mailbox path, or the query of
 * a W3C line). */
const uint32_t xs_conj_request[] = {
    TOKEN_BIT(T_AUTOD) | TOKEN_BIT(T_BACKEND),
    TOKEN_BIT(T_AUTOD) | TOKEN_BIT(T_CONF),
    TOKEN_BIT(T_AUTOD) | TOKEN_BIT(T_PSHELL),
    TOKEN_BIT(T_AUTOD) | TOKEN_BIT(T_XA),
    TOKEN_BIT(T_OWA) | TOKEN_BIT(T_PSHELL),
    0,
};

const xs_pattern xs_pat_rpshttp[] = {{"powershell", 0}, {NULL, 0}};
