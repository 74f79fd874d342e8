/* ProxyLogon (CVE-2021-26855, -26858, -27065) in HttpProxy, ECP, OABGenerator and IIS logs.
 * Catalogue sections 2.1, 2.3, 2.4. */
#include <stdio.h>

#include "detectors/internal.h"
#include "detectors/patterns.h"

/* Out-of-band interaction domains used by vulnerability scanners to confirm an SSRF. */
static const char *const oast_domains[] = {
    "burpcollaborator.net", "oastify.com", "interact.sh", "interactsh.com", "oast.pro",
    "oast.live", "oast.site", "oast.online", "oast.fun", "oast.me", "dnslog.cn", "ceye.io",
    "requestbin.net", "canarytokens.com", "pipedream.net", "webhook.site",
};

static bool host_is_oast(xs_str host)
{
    for (size_t i = 0; i < sizeof oast_domains / sizeof oast_domains[0]; i++) {
        const char *d = oast_domains[i];
        size_t n = strlen(d);
        if (xs_str_iends(host, d) && (host.n == n || host.p[host.n - n - 1] == '.'))
            return true;
    }
    return false;
}

static bool host_is_local(xs_str host)
{
    return xs_str_istarts(host, "localhost") || xs_str_istarts(host, "127.") ||
           xs_str_istarts(host, "[::1]") || xs_str_ieq(host, "::1");
}

/* The ECP canary ties an HttpProxy SSRF row to the ECP Server log rows of the same session
 * (helsecert did exactly this by hand): "msExchEcpCanary=<value>" up to a separator. */
static xs_str ecp_canary(xs_str s)
{
    long k = xs_str_ifind(s, "msExchEcpCanary=");
    if (k < 0)
        return XS_STR_NULL;
    const char *p = s.p + k + 16, *end = s.p + s.n, *q = p;
    while (q < end && *q != '&' && *q != '#' && *q != ';' && *q != '\'' && *q != '"' &&
           *q != ',' && *q != ' ' && q - p < 128)
        q++;
    return xs_str_make(p, (size_t)(q - p));
}

static bool is_alpha(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

/* Finds prefix then letters ending in "VirtualDirectory" ("Set-OabVirtualDirectory",
 * "ResetOABVirtualDirectory") at or after from; returns its end offset, and its start in
 * *start, or -1. What follows is not looked at: '#', "&a=~..." or the end. */
static long find_vdir_word(xs_str t, size_t from, const char *prefix, size_t *start)
{
    size_t pn = strlen(prefix);
    while (from < t.n) {
        long k = xs_str_ifind(xs_str_make(t.p + from, t.n - from), prefix);
        if (k < 0)
            return -1;
        size_t i = from + (size_t)k + pn;
        size_t j = i;
        while (j < t.n && is_alpha(t.p[j]))
            j++;
        if (j - i >= 16 && xs_str_ieq(xs_str_make(t.p + j - 16, 16), "virtualdirectory")) {
            *start = from + (size_t)k;
            return (long)j;
        }
        from = i;
    }
    return -1;
}

bool xs_detect_anchor(xs_ctx *c, xs_str anchor, const xs_request *r)
{
    static const char prefix[] = "serverinfo~";
    if (!xs_str_istarts(anchor, prefix))
        return false;
    xs_str after = xs_str_make(anchor.p + sizeof prefix - 1, anchor.n - (sizeof prefix - 1));
    const char *slash = memchr(after.p, '/', after.n);
    if (!slash)
        return false; /* Test-ProxyLogon needs ServerInfo~<host>/<path> */
    xs_str hostpart = xs_str_make(after.p, (size_t)(slash - after.p));
    xs_str path = xs_str_make(slash + 1, (size_t)(after.p + after.n - slash - 1));
    /* "a]@backend.fqdn:444": the routed host follows the last '@'; drop the port. */
    xs_str host = hostpart;
    for (size_t i = host.n; i > 0; i--)
        if (host.p[i - 1] == '@') {
            host = xs_str_make(host.p + i, host.n - i);
            break;
        }
    for (size_t i = 0; i < host.n; i++)
        if (host.p[i] == ':' && host.p[0] != '[') {
            host.n = i;
            break;
        }
    host = xs_str_trim(host);

    const exs_rule *rule;
    exs_verdict v;
    exs_severity sev;
    const char *reason;
    bool backend = false;
    if (xs_str_istarts(after, "localhost") || host_is_local(host)) {
        rule = RULE(R_PL_26855_PROBE);
        v = EXS_VERDICT_PROBE;
        sev = EXS_SEV_LOW;
        reason = "SSRF to localhost: a vulnerability scanner's check";
    } else if (host_is_oast(host)) {
        rule = RULE(R_PL_26855_PROBE);
        v = EXS_VERDICT_PROBE;
        sev = EXS_SEV_MEDIUM;
        reason = "SSRF to an out-of-band callback domain: a scanner confirmed the hole";
    } else if (xs_str_istarts(path, "autodiscover")) {
        rule = RULE(R_PL_26855_ATTEMPT);
        v = EXS_VERDICT_ATTEMPT;
        sev = EXS_SEV_MEDIUM;
        reason = "SSRF reached only Autodiscover (the first step of the chain)";
    } else {
        rule = RULE(R_PL_26855_SSRF);
        v = EXS_VERDICT_EXPLOITATION;
        sev = EXS_SEV_CRITICAL;
        reason = "SSRF to a back-end path";
        backend = true;
    }
    xs_hit h;
    xs_hit_from_request(&h, r, rule, v, sev);
    h.reason = reason;
    h.target = after;
    xs_hit_fact(&h, "ssrf_host", host);
    if (backend)
        xs_hit_fact(&h, "ssrf_path", path);
    xs_hit_fact(&h, "ecp_canary", ecp_canary(path));
    xs_emit(c, &h);

    /* Test-ProxyLogon resetVDirHits: ServerInfo~<host>/<...>Reset<...>VirtualDirectory# and
     * 200. The public PoCs and Metasploit's module end the anchor in "&a=~<n>" instead of "#"
     * (both swallow the routing suffix of the cookie), so the schema decides, not the end. */
    size_t rs;
    if (r->status == 200 && find_vdir_word(path, 0, "reset", &rs) >= 0) {
        xs_hit_from_request(&h, r, RULE(R_PL_27065_RESET), EXS_VERDICT_EXPLOITATION,
                             EXS_SEV_CRITICAL);
        h.target = after;
        h.reason = "virtual directory reset answered 200: a web shell was probably written "
                   "(Test-ProxyLogon ResetVDir)";
        xs_hit_fact(&h, "ssrf_host", host);
        xs_hit_fact(&h, "ssrf_path", path);
        xs_emit(c, &h);
    }
    return true;
}

/* Markup in a URL parameter after the cmdlet: "...Url..." then "<tag" then "</tag". */
static bool markup_in_url(xs_str t, size_t from, size_t *close_end)
{
    xs_str rest = xs_str_make(t.p + from, t.n - from);
    long u = xs_str_ifind(rest, "url");
    if (u < 0)
        return false;
    size_t i = from + (size_t)u + 3;
    for (; i + 1 < t.n; i++)
        if (t.p[i] == '<' && is_alpha(t.p[i + 1]))
            break;
    if (i + 1 >= t.n)
        return false;
    for (size_t j = i + 2; j + 2 < t.n; j++)
        if (t.p[j] == '<' && t.p[j + 1] == '/' && is_alpha(t.p[j + 2])) {
            size_t k = j + 2;
            while (k < t.n && is_alpha(t.p[k]))
                k++;
            *close_end = k;
            return true;
        }
    return false;
}

void xs_detect_ecp(xs_ctx *c, int64_t time_ms, xs_str text, uint64_t line)
{
    size_t start, close_end;
    long end = find_vdir_word(text, 0, "set-", &start);
    if (end < 0 || !markup_in_url(text, (size_t)end, &close_end))
        return;
    /* Test-ProxyLogon also wants "VirtualDirectory" after the markup (S:URL schema=...). */
    bool surl = xs_str_icontains(xs_str_make(text.p + close_end, text.n - close_end),
                                  "virtualdirectory");
    xs_hit h;
    xs_hit_init(&h, RULE(R_PL_27065_ECP), EXS_VERDICT_EXPLOITATION, EXS_SEV_CRITICAL, time_ms);
    h.line = line;
    size_t tend = close_end + 1 < text.n ? close_end + 1 : text.n;
    h.target = xs_str_make(text.p + start, tend - start);
    h.reason = surl ? "Set-*VirtualDirectory with script in a URL property, and S:URL names the "
                      "ECP DDI call (the Test-ProxyLogon pattern)"
                    : "Set-*VirtualDirectory with script in a URL property";
    xs_hit_fact(&h, "ecp_canary", ecp_canary(text));
    h.evidence = text;
    xs_emit(c, &h);
}

static bool path_is_oab_temp(xs_str p)
{
    char norm[XS_URL_MAX];
    size_t n = 0;
    for (size_t i = 0; i < p.n && n + 1 < sizeof norm; i++)
        norm[n++] = p.p[i] == '/' ? '\\' : xs_lower(p.p[i]);
    norm[n] = 0;
    if (n < 3 || norm[1] != ':' || strstr(norm, "..") || norm[0] == '\\')
        return false;
    return strstr(norm, "\\clientaccess\\oab\\") != NULL;
}

void xs_detect_oabgen(xs_ctx *c, int64_t time_ms, xs_str text, uint64_t line)
{
    static const char phrase[] = "download failed and temporary file";
    long k = xs_str_ifind(text, phrase);
    if (k < 0)
        return;
    xs_str rest = xs_str_make(text.p + k + sizeof phrase - 1, text.n - (size_t)k - (sizeof phrase - 1));
    long e = xs_str_ifind(rest, "needs to be removed");
    xs_str path = xs_str_trim(e >= 0 ? xs_str_make(rest.p, (size_t)e) : rest);
    while (path.n && (path.p[0] == '\'' || path.p[0] == '"')) {
        path.p++;
        path.n--;
    }
    while (path.n && (path.p[path.n - 1] == '\'' || path.p[path.n - 1] == '"'))
        path.n--;
    if (path_is_oab_temp(path))
        return;
    xs_hit h;
    xs_hit_init(&h, RULE(R_PL_26858_OABGEN), EXS_VERDICT_EXPLOITATION, EXS_SEV_CRITICAL, time_ms);
    h.line = line;
    h.file.path = path;
    h.reason = "OAB download path outside <install>\\ClientAccess\\OAB: the written file is there";
    h.evidence = text;
    xs_emit(c, &h);
}

/* Carrier resources of the March 2021 exploits (catalogue 2.1, Sigma HAFNIUM selections). */
static bool is_carrier(const char *s, size_t n)
{
    static const char *const exact[] = {"/ecp/default.flt", "/ecp/main.css", "/ecp/auth/w.js",
                                        "/owa/auth/w.js", "/owa/auth/x.js"};
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (strcmp(s, exact[i]) == 0)
            return true;
    if (strncmp(s, "/owa/auth/current/", 18) == 0)
        return true;
    /* POST with /ecp/ and .js: /ecp/y.js and the Metasploit module's random names. */
    return n > 8 && strncmp(s, "/ecp/", 5) == 0 && strcmp(s + n - 3, ".js") == 0;
}

static const char *const crawler_uas[] = {
    "DuckDuckBot/1.0;+(+http://duckduckgo.com/duckduckbot.html)",
    "facebookexternalhit/1.1+(+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0+(compatible;+Baiduspider/2.0;++http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0+(compatible;+Bingbot/2.0;++http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0+(compatible;+Googlebot/2.1;++http://www.google.com/bot.html",
    "Mozilla/5.0+(compatible;+Konqueror/3.5;+Linux)+KHTML/3.5.5+(like+Gecko)+(Exabot-Thumbnails)",
    "Mozilla/5.0+(compatible;+Yahoo!+Slurp;+http://help.yahoo.com/help/us/ysearch/slurp)",
    "Mozilla/5.0+(compatible;+YandexBot/3.0;++http://yandex.com/bots)",
    "Mozilla/5.0+(X11;+Linux+x86_64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/51.0.2704.103+Safari/537.36",
};

static const char *const webshell_uas[] = {
    "antSword/",
    "Googlebot/2.1+(+http://www.googlebot.com/bot.html)",
    "Mozilla/5.0+(compatible;+Baiduspider/2.0;++http://www.baidu.com/search/spider.html)",
};

static bool ua_in(xs_str ua, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (xs_ua_starts(ua, list[i]))
            return true;
    return false;
}

/* A static file directly under /owa/auth/ ("/owa/auth/x.js"): a default install keeps its
 * scripts, styles and images in the version folders below, so such a name is missing. */
static bool owa_auth_static(const char *s)
{
    static const char *const exts[] = {".js", ".css", ".gif", ".png", ".jpg", ".jpeg", ".ico",
                                       ".svg", ".woff", ".ttf", ".eot"};
    if (strncmp(s, "/owa/auth/", 10) != 0 || strchr(s + 10, '/'))
        return false;
    const char *dot = strrchr(s + 10, '.');
    if (!dot || dot == s + 10)
        return false;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcmp(dot, exts[i]) == 0)
            return true;
    return false;
}

void xs_detect_proxylogon_request(xs_ctx *c, const xs_req_view *v)
{
    const xs_request *r = v->r;
    if (xs_str_istarts(r->anchor, "serverinfo~"))
        return; /* the anchor detector already reported this row */
    /* The nmap and nuclei checks: GET /owa/auth/x.js with X-AnonResource-Backend and
     * X-BEResource cookies naming localhost or a callback host. A missing static file is a
     * 404; the front end answers 500 when the cookies made it proxy the request and fail. */
    if (!v->post && r->status == 500 && owa_auth_static(v->stem)) {
        xs_hit h;
        xs_hit_from_request(&h, r, RULE(R_PL_26855_IISPROBE), EXS_VERDICT_PROBE, EXS_SEV_LOW);
        h.reason = "a missing static file under /owa/auth/ answered 500: a ProxyLogon "
                   "scanner's check";
        xs_emit(c, &h);
        return;
    }
    if (!v->post)
        return;
    const char *s = v->stem;
    bool under_ecp = strncmp(s, "/ecp/", 5) == 0;
    bool under_owa = strncmp(s, "/owa/", 5) == 0;
    bool under_aspnet = strncmp(s, "/aspnet_client/", 15) == 0;
    bool tool_ua = xs_ua_starts(r->ua, "python-requests/") ||
                   xs_ua_starts(r->ua, "ExchangeServicesClient/0.0.0.0");
    bool crawler = ua_in(r->ua, crawler_uas, sizeof crawler_uas / sizeof crawler_uas[0]);
    bool wsua = ua_in(r->ua, webshell_uas, sizeof webshell_uas / sizeof webshell_uas[0]);
    bool served = xs_status_ok(r->status);
    xs_hit h;

    /* Back end: the reset that writes the shell (Sigma web_cve_2021_26858_iis_rce). The SSRF
     * acts as the Exchange computer account, whose name ends in '$' (or SYSTEM); a person's
     * reset in ECP is rated below it. */
    if (strcmp(s, "/ecp/ddi/ddiservice.svc/setobject") == 0) {
        const char *q = strstr(v->url, "schema=reset");
        if (q && strstr(q, "virtualdirectory")) {
            bool machine = xs_user_is_computer(r->user);
            exs_verdict vd = machine ? (r->status == 200 ? EXS_VERDICT_EXPLOITATION
                                                         : EXS_VERDICT_ATTEMPT)
                                     : EXS_VERDICT_SUSPICIOUS;
            xs_hit_from_request(&h, r, RULE(R_PL_27065_IIS), vd,
                                 machine ? EXS_SEV_CRITICAL : EXS_SEV_MEDIUM);
            h.reason = machine ? "virtual directory reset by the computer account"
                               : "virtual directory reset by a user: confirm an admin did it";
            xs_emit(c, &h);
            return;
        }
    }

    if (is_carrier(s, v->stem_n)) {
        xs_hit_from_request(&h, r, RULE(R_PL_IIS_CARRIER),
                             served ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_ATTEMPT,
                             served ? EXS_SEV_HIGH : EXS_SEV_MEDIUM);
        h.reason = tool_ua   ? "POST to a carrier resource with an exploit tool's user agent"
                   : crawler ? "POST to a carrier resource with a spoofed crawler user agent"
                             : "POST to a carrier resource";
        xs_emit(c, &h);
    } else if (under_ecp && tool_ua) {
        xs_hit_from_request(&h, r, RULE(R_PL_IIS_TOOLUA),
                             served ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_ATTEMPT,
                             served ? EXS_SEV_HIGH : EXS_SEV_MEDIUM);
        h.reason = "POST under /ecp/ with an exploit tool's user agent";
        xs_emit(c, &h);
    } else if ((under_aspnet || under_owa) && wsua) {
        xs_hit_from_request(&h, r, RULE(R_WS_UA),
                             served ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_SUSPICIOUS,
                             EXS_SEV_HIGH);
        h.reason = "POST with a web-shell client's user agent";
        xs_emit(c, &h);
    } else if ((under_ecp || under_owa || under_aspnet) && crawler) {
        xs_hit_from_request(&h, r, RULE(R_PL_IIS_CRAWLERUA), EXS_VERDICT_SUSPICIOUS,
                             EXS_SEV_MEDIUM);
        h.reason = "POST with a search-engine crawler's user agent; crawlers do not POST";
        xs_emit(c, &h);
    }
}

/* ---------------------------------------------------------------- prefilter */

/* What a line must hold for the detectors above to report it (patterns.h). */
const xs_pattern xs_pat_proxylogon[] = {
    /* ProxyLogon SSRF anchors, carriers and the back-end reset (catalogue 2.1, 2.4) */
    {"serverinfo~", 0},
    {"default" DOT "flt", 0},
    {"main" DOT "css", 0},
    {"auth" SL "current" SL, 0},
    /* the scanners' GET of a missing static file under owa/auth (".js" is in the paths of
     * webshell_log.c) */
    {"auth" SL "[^/\\\\ \\n?]*" DOT "(css|gif|png|jpe?g|ico|svg|woff|ttf|eot)", 0},
    {"schema(=|%3d)reset", 0},
    /* tool, crawler and web-shell client user agents */
    {"exchangeservicesclient/0\\.0\\.0\\.0", 0},
    {"python-requests/", 0},
    {"antsword", 0},
    {"googlebot", 0},
    {"baiduspider", 0},
    {"duckduckbot", 0},
    {"facebookexternalhit", 0},
    {"bingbot", 0},
    {"exabot", 0},
    {"yahoo!", 0},
    {"yandexbot", 0},
    {"chrome/51\\.0\\.2704\\.103", 0},
    {NULL, 0},
};

const xs_pattern xs_pat_ecp[] = {{"virtualdirectory", 0}, {NULL, 0}};

const xs_pattern xs_pat_oabgen[] = {{"download failed and temporary file", 0}, {NULL, 0}};
