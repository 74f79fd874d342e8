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

/* A person's account: ProxyNotShell needs one; the computer account and SYSTEM are what the
 * back end logs for requests the front end forwarded in its own name (ProxyShell's SSRF). */
static bool person_user(const xs_request *r)
{
    return !xs_str_blank(xs_str_trim(r->user)) && !xs_user_is_computer(r->user);
}

/* What the path confusion asked the back end for: the path after the mailbox ("a=x@y.com",
 * "@y.com") in the query of autodiscover.json, where Metasploit's module and the public PoCs
 * put it, whatever the Email parameter or cookie says. */
typedef enum ps_target {
    PT_NONE,  /* no "@domain/path" after the query mark */
    PT_RPS,   /* /powershell: the Remote PowerShell endpoint */
    PT_MAPI,  /* /mapi/emsmdb (the SID leak) or /mapi/nspi (the address book) */
    PT_EWS,   /* /ews */
    PT_AUTOD, /* /autodiscover/autodiscover.xml: the LegacyDN step */
    PT_OTHER, /* /owa/, /ecp/, ...: what scanners check */
} ps_target;

static bool domain_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ||
           ch == ':' || ch == '_' || ch == '[' || ch == ']';
}

/* What the back-end path p names. */
static ps_target target_of(const char *e)
{
    if (strncmp(e, "/powershell", 11) == 0)
        return PT_RPS;
    if (strncmp(e, "/mapi/emsmdb", 12) == 0 || strncmp(e, "/mapi/nspi", 10) == 0)
        return PT_MAPI;
    if (strncmp(e, "/ews", 4) == 0 && (e[4] == '/' || e[4] == '?' || e[4] == 0 || e[4] == '&'))
        return PT_EWS;
    if (strncmp(e, "/autodiscover/autodiscover.xml", 30) == 0)
        return PT_AUTOD;
    return PT_OTHER;
}

/* after: the decoded, lowercased URL after "autodiscover.json". *path receives the target
 * path, *domain the mailbox domain (both NULL for PT_NONE). With email (the Email parameter
 * or cookie names autodiscover.json) a path right after autodiscover.json or its '?' is the
 * target too: the mailbox may then be in the cookie alone. */
static ps_target confusion_target(const char *after, bool email, const char **path,
                                  xs_str *domain)
{
    *path = NULL;
    *domain = XS_STR_NULL;
    const char *q = strchr(after, '?');
    for (const char *at = q ? strchr(q, '@') : NULL; at; at = strchr(at + 1, '@')) {
        const char *e = at + 1;
        while (*e && domain_char(*e))
            e++;
        if (*e != '/' || e == at + 1)
            continue;
        *path = e;
        *domain = xs_str_make(at + 1, (size_t)(e - at - 1));
        return target_of(e);
    }
    if (email) {
        const char *e = after[0] == '?' ? after + 1 : after;
        if (e[0] == '/' && e[1] && e[1] != '?' && e[1] != '&') {
            *path = e;
            return target_of(e);
        }
    }
    return PT_NONE;
}

/* Mailbox domains of scanners' checks (nuclei's @test.com, the example domains) and the
 * out-of-band domains they confirm with, and the scanners' own user agents. Not @foo.com:
 * Sigma took it from a public exploit, whose failures are attempts. */
static bool scanner_check(const xs_request *r, xs_str domain)
{
    static const char *const domains[] = {"test.com", "example.com", "example.org",
                                          "example.net", "localhost", "oast.fun", "oast.me",
                                          "oast.pro", "oast.live", "oast.site", "oast.online",
                                          "interact.sh", "oastify.com", "burpcollaborator.net"};
    static const char *const uas[] = {"nuclei", "nmap scripting engine", "zgrab", "masscan",
                                      "l9explore", "expanse"};
    for (size_t i = 0; i < sizeof domains / sizeof domains[0]; i++) {
        size_t n = strlen(domains[i]);
        if (xs_str_iends(domain, domains[i]) && (domain.n == n || domain.p[domain.n - n - 1] == '.'))
            return true;
    }
    for (size_t i = 0; i < sizeof uas / sizeof uas[0]; i++)
        if (xs_str_icontains(r->ua, uas[i]))
            return true;
    return false;
}

/* Answered by a back end: a success status, or (HttpProxy) the back end's own success, or a
 * back-end server named where no status was logged. */
static bool backend_served(const xs_request *r)
{
    if (r->status == 200 || r->status == 301 || r->status == 302)
        return true;
    if (r->backend_status == 200)
        return true;
    return r->status <= 0 && !xs_str_blank(r->target_server);
}

/* Autodiscover path confusion (catalogue 2.5, 2.6): ProxyNotShell needs a person's
 * credentials, ProxyShell is anonymous and forges X-Rps-CAT; scanners' checks stay probes
 * unless a back end served them. */
static bool autodiscover_confusion(xs_ctx *c, const xs_req_view *v, const char *after,
                                   bool email_param)
{
    const xs_request *r = v->r;
    const char *path;
    xs_str domain;
    ps_target t = confusion_target(after, email_param, &path, &domain);
    bool confusion = t != PT_NONE || strstr(v->url, "autodiscover.json?@") || email_param;
    bool backend = url_has_backend_path(after);
    if (!confusion && !backend)
        return false;
    bool rps_cat = strstr(v->url, "x-rps-cat") != NULL;
    bool served = backend_served(r);
    bool scanner = scanner_check(r, domain);
    xs_hit h;
    if (person_user(r) && strstr(v->url, "powershell") && !rps_cat) {
        xs_hit_from_request(&h, r, RULE(R_PNS_SSRF),
                             r->status == 200 ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_ATTEMPT,
                             r->status == 200 ? EXS_SEV_CRITICAL : EXS_SEV_MEDIUM);
        h.reason = "authenticated Autodiscover path confusion to /powershell";
    } else if (!served) {
        if (scanner) {
            xs_hit_from_request(&h, r, RULE(R_PS_PROBE), EXS_VERDICT_PROBE, EXS_SEV_LOW);
            h.reason = "a scanner's Autodiscover path confusion check, not served";
        } else {
            xs_hit_from_request(&h, r, RULE(R_PS_ATTEMPT), EXS_VERDICT_ATTEMPT, EXS_SEV_MEDIUM);
            h.reason = "Autodiscover path confusion not served";
        }
    } else if (t == PT_AUTOD || (scanner && (t == PT_OTHER || t == PT_NONE) && !backend)) {
        if (t == PT_AUTOD && !scanner) {
            xs_hit_from_request(&h, r, RULE(R_PS_AUTOD), EXS_VERDICT_ATTEMPT, EXS_SEV_HIGH);
            h.reason = "Autodiscover path confusion served by back-end Autodiscover (the "
                       "LegacyDN step of the chain)";
        } else {
            xs_hit_from_request(&h, r, RULE(R_PS_PROBE), EXS_VERDICT_PROBE, EXS_SEV_MEDIUM);
            h.reason = "a scanner's Autodiscover path confusion check served by a back end: "
                       "the server is vulnerable";
        }
    } else {
        xs_hit_from_request(&h, r, RULE(R_PS_SSRF), EXS_VERDICT_EXPLOITATION, EXS_SEV_CRITICAL);
        h.reason = t == PT_MAPI ? "Autodiscover path confusion served by back-end MAPI (the "
                                  "SID leak or the address book)"
                   : backend    ? "Autodiscover path confusion routed to a back-end service "
                                  "and served"
                                : "Autodiscover path confusion served";
    }
    if (path)
        xs_hit_fact(&h, "ssrf_path", xs_str_make(path, strcspn(path, "?&")));
    if (r->target_server.n)
        xs_hit_fact(&h, "backend_server", r->target_server);
    xs_emit(c, &h);
    return true;
}

void xs_detect_proxyshell_request(xs_ctx *c, const xs_req_view *v)
{
    const xs_request *r = v->r;
    const char *url = v->url;
    xs_hit h;

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
    /* the decoded URL: "%3F@" and IIS's stem/query split both read "autodiscover.json?@" */
    /* the Email parameter, or the cookie Metasploit's module sends it in (logged when the
     * server adds cs(Cookie)) */
    bool email = strstr(url, "email=autodiscover/autodiscover.json") ||
                 xs_str_icontains(r->cookie, "email=autodiscover/autodiscover.json") ||
                 xs_str_icontains(r->cookie, "email=autodiscover%2fautodiscover.json");
    if (aj && autodiscover_confusion(c, v, aj + 17 /* strlen("autodiscover.json") */, email))
        return;

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
    /* ProxyNotShell reaches the same endpoint with the confusion's Email parameter and a
     * person's credentials instead of the token */
    if (!xs_str_icontains(r->query, "x-rps-cat=") &&
        (xs_str_icontains(r->query, "autodiscover/autodiscover.json") ||
         xs_str_icontains(r->query, "autodiscover.json%3f@")) &&
        person_user(r)) {
        xs_hit_from_request(&h, r, RULE(R_PNS_SSRF),
                             r->status == 200 ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_ATTEMPT,
                             r->status == 200 ? EXS_SEV_CRITICAL : EXS_SEV_MEDIUM);
        h.http.ua = r->client_info;
        h.reason = "Remote PowerShell reached through the Autodiscover path confusion with a "
                   "person's credentials";
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
    /* the mailbox before the target path: "a=x@y.com/autodiscover/autodiscover.xml" */
    {"(@|%40)[a-z0-9.:_%\\[\\]-]*" SL, T_CONF},
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
