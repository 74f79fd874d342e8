/* Web shells as they show in request logs: access to non-default scripts in Exchange web
 * folders, commands in query strings, tunnels. Catalogue 3.1-3.3 and 3.6. */
#include <stdio.h>

#include "detectors/internal.h"
#include "detectors/patterns.h"
#include "detectors/webfolders.h"

/* Is stem (normalised) a script an Exchange default install does not have in the folders
 * attackers drop shells in? The allowlists live in detectors/webfolders.c, shared with the
 * file side. Sets *folder to a short description. */
static bool non_default_script(const char *s, size_t n, const char **folder, const char **base)
{
    const char *slash = strrchr(s, '/');
    if (!slash)
        return false;
    const char *name = slash + 1;
    size_t nn = n - (size_t)(name - s);
    if (nn == 0 || !xs_web_script_ext(name, nn))
        return false;
    *base = name;
    return xs_web_url_nondefault(s, folder);
}

static void detect_access(xs_ctx *c, const xs_req_view *v)
{
    const xs_request *r = v->r;
    const char *folder, *base;
    if (!non_default_script(v->stem, v->stem_n, &folder, &base)) {
        /* Any other script request is kept too, so that shells found on disk elsewhere (rogue
         * virtual directories, ClientAccess) get their requests attached. */
        if (v->stem_n && xs_web_script_ext(v->stem, v->stem_n) &&
            strncmp(v->stem, "/owa/auth/", 10) != 0 && strncmp(v->stem, "/ecp/auth/", 10) != 0)
            xs_access_add(c, r->time_ms, r->ip, r->stem, v->stem, r->method, r->status, r->line,
                           false, r->backend);
        return;
    }
    xs_access_add(c, r->time_ms, r->ip, r->stem, v->stem, r->method, r->status, r->line, true,
                   r->backend);

    exs_verdict verdict;
    exs_severity sev;
    const char *what;
    if (r->status >= 200 && r->status < 300) {
        verdict = EXS_VERDICT_EXPLOITATION;
        sev = EXS_SEV_HIGH;
        what = "answered: a script is there";
    } else if (r->status >= 500) {
        verdict = EXS_VERDICT_SUSPICIOUS;
        sev = EXS_SEV_HIGH;
        what = "server error: the script may exist and have failed";
    } else if (r->status < 0) {
        verdict = EXS_VERDICT_SUSPICIOUS;
        sev = EXS_SEV_MEDIUM;
        what = "status not logged";
    } else {
        verdict = EXS_VERDICT_PROBE;
        sev = EXS_SEV_LOW;
        what = "not served: someone looked for it";
    }
    xs_hit h;
    xs_hit_from_request(&h, r, RULE(R_WS_ACCESS), verdict, sev);
    h.reason = what;
    xs_hit_fact_cstr(&h, "web_folder", folder);
    xs_hit_fact_cstr(&h, "lookalike_of", xs_web_lookalike(base));
    if (xs_web_known_shell_name(base))
        xs_hit_fact_cstr(&h, "published_name", "yes");
    xs_emit(c, &h);
}

/* Sigma web_win_webshells_in_access_logs.yml keywords (GET, any of). */
#define KW(s)                                                                                      \
    {                                                                                              \
        s, sizeof s - 1                                                                            \
    }
static const struct {
    const char *s;
    size_t n;
} cmd_keywords[] = {
    KW("=whoami"),    KW("=net%20user"),  KW("=net+user"),    KW("=net%2buser"),
    KW("=cmd%20/c%"), KW("=cmd+/c+"),     KW("=cmd%2b/c%"),   KW("=cmd%20/r%"),
    KW("=cmd+/r+"),   KW("=cmd%2b/r%"),   KW("=cmd%20/k%"),   KW("=cmd+/k+"),
    KW("=cmd%2b/k%"), KW("=powershell%"), KW("=powershell+"), KW("=tasklist%"),
    KW("=tasklist+"), KW("=wmic%"),       KW("=wmic+"),       KW("=ssh%"),
    KW("=ssh+"),      KW("=python%"),     KW("=python+"),     KW("=python3%"),
    KW("=python3+"),  KW("=ipconfig"),    KW("=wget%"),       KW("=wget+"),
    KW("=curl%"),     KW("=curl+"),       KW("=certutil"),    KW("=copy%20%5c%5c"),
    KW("=dsquery%"),  KW("=dsquery+"),    KW("=nltest%"),     KW("=nltest+"),
};
#undef KW

/* Every keyword starts with '=': jump from '=' to '=' and compare there; most '=' are rejected
 * on the letter after them. Read-only tables: workers call this concurrently. */
static const char *cmd_keyword_at(xs_str q)
{
    const char *p = q.p, *end = q.p + q.n;
    while ((p = memchr(p, '=', (size_t)(end - p))) != NULL) {
        size_t left = (size_t)(end - p);
        if (left > 1) {
            char c = xs_lower(p[1]);
            for (size_t i = 0; i < sizeof cmd_keywords / sizeof cmd_keywords[0]; i++)
                if (cmd_keywords[i].s[1] == c && left >= cmd_keywords[i].n &&
                    xs_mem_ieq(p, cmd_keywords[i].s, cmd_keywords[i].n))
                    return cmd_keywords[i].s;
        }
        p++;
    }
    return NULL;
}

static void detect_cmd(xs_ctx *c, const xs_req_view *v)
{
    const xs_request *r = v->r;
    if (!v->get || r->query.n == 0)
        return;
    const char *kw = cmd_keyword_at(r->query);
    if (!kw)
        return;
    bool served = r->status >= 200 && r->status < 300;
    xs_hit h;
    xs_hit_from_request(&h, r, RULE(R_WS_CMD),
                         served ? EXS_VERDICT_EXPLOITATION : EXS_VERDICT_ATTEMPT,
                         served ? EXS_SEV_CRITICAL : EXS_SEV_MEDIUM);
    h.reason = served ? "shell command in the query, answered" : "shell command in the query";
    xs_hit_fact_cstr(&h, "keyword", kw + 1);
    xs_emit(c, &h);
}

/* Tunna sets up with "proxy&port=...", reGeorg speaks "cmd=connect|read|forward|disconnect"
 * (and "connect&target="): look only around '&' and '=' in one pass. */
static const char *tunnel_mark(xs_str q)
{
    static const char *const verbs[] = {"connect", "disconnect", "read", "forward"};
    for (size_t i = 0; i < q.n; i++) {
        char ch = q.p[i];
        if (ch == '&') {
            if (i >= 5 && xs_mem_ieq(q.p + i - 5, "proxy", 5) &&
                xs_str_istarts(xs_str_make(q.p + i + 1, q.n - i - 1), "port="))
                return "Tunna tunnel set-up (proxy&port=...)";
            if (i >= 7 && xs_mem_ieq(q.p + i - 7, "connect", 7) &&
                xs_str_istarts(xs_str_make(q.p + i + 1, q.n - i - 1), "target"))
                return "reGeorg-style tunnel command";
        } else if (ch == '=' && i >= 3 && xs_mem_ieq(q.p + i - 3, "cmd", 3)) {
            xs_str rest = xs_str_make(q.p + i + 1, q.n - i - 1);
            for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++)
                if (xs_str_istarts(rest, verbs[k]))
                    return "reGeorg-style tunnel command";
        }
    }
    return NULL;
}

static void detect_tunnel(xs_ctx *c, const xs_req_view *v)
{
    const xs_request *r = v->r;
    if (r->query.n == 0 || !xs_web_script_ext(v->stem, v->stem_n))
        return;
    const char *what = tunnel_mark(r->query);
    if (!what)
        return;
    xs_hit h;
    xs_hit_from_request(&h, r, RULE(R_WS_TUNNEL), EXS_VERDICT_SUSPICIOUS, EXS_SEV_HIGH);
    h.reason = what;
    xs_emit(c, &h);
}

void xs_detect_webshell_request(xs_ctx *c, const xs_req_view *v)
{
    detect_access(c, v);
    detect_cmd(c, v);
    detect_tunnel(c, v);
}

void xs_detect_request(xs_ctx *c, const xs_request *r)
{
    xs_req_view v;
    v.r = r;
    v.stem_n = xs_url_norm(r->stem, v.stem, sizeof v.stem);
    /* url = stem?query, lowercased and decoded, for path-confusion checks */
    size_t n = v.stem_n;
    memcpy(v.url, v.stem, n + 1);
    if (r->query.n && n + 2 < sizeof v.url) {
        v.url[n++] = '?';
        n += xs_url_norm(r->query, v.url + n, sizeof v.url - n);
    }
    v.post = xs_str_ieq(r->method, "POST");
    v.get = xs_str_ieq(r->method, "GET");
    if (r->anchor.n)
        xs_detect_anchor(c, r->anchor, r);
    xs_detect_proxylogon_request(c, &v);
    xs_detect_proxyshell_request(c, &v);
    xs_detect_webshell_request(c, &v);
}

/* ---------------------------------------------------------------- prefilter */

/* What a line must hold for the detectors above to report it (patterns.h). */
const xs_pattern xs_pat_webshell[] = {
    /* web-shell folders (catalogue 3.1) */
    {"aspnet_client", 0},
    /* commands in query strings (Sigma web_win_webshells_in_access_logs) */
    {"=whoami", 0},
    {"=net(%20|\\+|%2b)user", 0},
    {"=cmd(%20|\\+|%2b)/[crk](%|\\+)", 0},
    {"=(powershell|tasklist|wmic|ssh|python|python3|wget|curl|dsquery|nltest)(%|\\+)", 0},
    {"=ipconfig", 0},
    {"=certutil", 0},
    {"=copy%20%5c%5c", 0},
    /* tunnels */
    {"proxy&port=", 0},
    {"cmd=(connect|disconnect|read|forward)", 0},
    {"connect&target", 0},
    /* pages (not .asmx: every EWS request is /EWS/Exchange.asmx): kept to attach requests to
     * shells found on disk wherever they are served (rogue vdirs, ClientAccess) */
    {DOT "(aspx|ashx|php|jspx?|cfm)", 0},
    {NULL, 0},
};

/* web shells under auth/ and OAB/ (catalogue 3.1): every extension of xs_web_script_exts()
 * (webfolders.c), prefixes folded (asp covers aspx, asa asax, jsp jspx, shtm shtml);
 * test-rules.c checks the two lists agree. ProxyLogon carriers: a .js under /ecp/ or auth/
 * (POSTed; the GETs of OWA's own scripts pass too and are judged in full). */
#define SCRIPTS "(asp|ashx|asmx|asa|cer|cdx|php|jsp|cfm|shtm|stm|cshtml|vbhtml|soap|rem|svc)"
const xs_pattern xs_pat_paths_w3c[] = {
    {"(auth|oab)" SL PATH_W3C DOT SCRIPTS, 0},
    {"(ecp|auth)" SL PATH_W3C DOT "js", 0},
    {NULL, 0},
};
const xs_pattern xs_pat_paths_csv[] = {
    {"(auth|oab)" SL PATH_CSV DOT SCRIPTS, 0},
    {"(ecp|auth)" SL PATH_CSV DOT "js", 0},
    {NULL, 0},
};
