/* Exchange and IIS web folders. Sources: catalogue 3.1 (drop locations), 3.2 (the top-level
 * files of the sensitive folders in Microsoft's CompareExchangeHashes baselines, MIT, e.g.
 * baseline_15.1.2176.2.csv: every FrontEnd\HttpProxy\<vdir> holds global.asax and web.config,
 * owa\auth holds the nine pages below, ecp\auth only TimeoutLogout.aspx, the version folders
 * only static files), 3.3 (published shell names). */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "detectors/webfolders.h"

static const char *const script_ext[] = {
    ".aspx", ".ashx", ".asmx", ".asp", ".asa",   ".asax", ".cer", ".cdx",  ".cshtml", ".vbhtml",
    ".php",  ".jsp",  ".jspx", ".cfm", ".shtml", ".shtm", ".stm", ".soap", ".rem",    ".svc",
};

/* owa\auth, top level: 2016/2019 pages plus SvmFeedback.aspx of 2013 (catalogue 3.2). */
static const char *const owa_auth_default[] = {
    "errorfe.aspx",
    "expiredpassword.aspx",
    "frowny.aspx",
    "logoff.aspx",
    "logon.aspx",
    "outlookcn.aspx",
    "redirsuiteserviceproxy.aspx",
    "signout.aspx",
    "svmfeedback.aspx",
};

/* ecp\auth ships TimeoutLogout.aspx; Microsoft's prose says TimeoutLogoff.aspx. */
static const char *const ecp_auth_default[] = {"timeoutlogout.aspx", "timeoutlogoff.aspx"};

/* Every FrontEnd\HttpProxy\<vdir> root (owa, ecp, oab, ews, mapi, ...). */
static const char *const frontend_root_default[] = {"global.asax"};

/* Names imitated by attackers: the owa\auth pages above, plus these (catalogue 3.2: fexppw.aspx
 * vs fexppw.js). */
static const char *const lookalike_extra[] = {
    "timeoutlogout.aspx", "getidtoken.htm", "global.asax", "fexppw.js", "flogon.js",
};

/* Published web-shell names on Exchange (catalogue 3.3): Microsoft, MSTIC, ESET, Huntress,
 * Sophos, helsecert, signature-base descriptions. */
static const char *const known_shell_names[] = {
    "redirsuiteserverproxy.aspx",
    "outlooken.aspx",
    "outlookzh.aspx",
    "8lw7tahf9i1pjnro.aspx",
    "authhead.aspx",
    "bob.aspx",
    "errorpage.aspx",
    "errorpages.aspx",
    "fatal-erro.aspx",
    "log.aspx",
    "logg.aspx",
    "logout.aspx",
    "one.aspx",
    "one1.aspx",
    "shel.aspx",
    "shel2.aspx",
    "shel90.aspx",
    "a.aspx",
    "default.aspx",
    "shell.aspx",
    "server.aspx",
    "aspnet_client.aspx",
    "aspnet_iisstart.aspx",
    "aspnet_pages.aspx",
    "aspnet_www.aspx",
    "default1.aspx",
    "errorcheck.aspx",
    "iispage.aspx",
    "s.aspx",
    "session.aspx",
    "xclkmcfldfi948398430fdjkfdkj.aspx",
    "xx.aspx",
    "discover.aspx",
    "httpproxy.aspx",
    "supp0rt.aspx",
    "services.aspx",
    "web.aspx",
    "help.aspx",
    "document.aspx",
    "erroree.aspx",
    "erroreee.aspx",
    "errorew.aspx",
    "errorff.aspx",
    "healthcheck.aspx",
    "errorfs.aspx",
    "erroraa.aspx",
    "zntwv.aspx",
    "fexppw.aspx",
    "getpp.aspx",
    "err0r.aspx",
    "win.ashx",
    "928ccfacbe.aspx",
    "timeoutlogout.aspx",
    "owafonts.aspx",
    "httpredirservice.aspx",
    "aspnet_error.aspx",
    "hwtjqdmfvmpoon.aspx",
    "d62ffcd688.aspx",
    "415cc41ac1.aspx",
    "6514f55e1a.aspx",
    "volwmfqwpp.aspx",
    "caches.aspx",
    "client.aspx",
    "aspnet.aspx",
    "aspnettest.aspx",
    "shellex.aspx",
    "t.aspx",
    "chacklogspl.aspx",
    "570221043.aspx",
    "689193944.aspx",
    "luifdecggoqmansn.aspx",
    "dukybyssss.aspx",
    "aspnet_regiis.aspx",
    "log_error_9e23efc3.aspx",
    "iisstart.aspx",
    "333.aspx",
    "google.log",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

#define LIST(l) (l), sizeof(l) / sizeof((l)[0])

const char *const *xs_web_script_exts(size_t *n)
{
    *n = sizeof script_ext / sizeof script_ext[0];
    return script_ext;
}

bool xs_web_script_ext(const char *name, size_t n)
{
    const char *dot = NULL;
    for (size_t i = n; i > 0; i--) {
        if (name[i - 1] == '.') {
            dot = name + i - 1;
            break;
        }
        if (name[i - 1] == '/')
            return false;
    }
    if (!dot)
        return false;
    xs_str ext = xs_str_make(dot, n - (size_t)(dot - name));
    for (size_t i = 0; i < sizeof script_ext / sizeof script_ext[0]; i++)
        if (xs_str_ieq(ext, script_ext[i]))
            return true;
    return false;
}

/* Appends "/" + s[0..n) to the URL being built. */
static void url_add(xs_webloc *w, size_t *o, const char *s, size_t n)
{
    if (*o + 1 + n >= sizeof w->url) {
        w->url[0] = 0;
        *o = sizeof w->url; /* too long: not served as far as we can tell */
        return;
    }
    w->url[(*o)++] = '/';
    memcpy(w->url + *o, s, n);
    *o += n;
    w->url[*o] = 0;
}

static size_t comp_len(const char *s)
{
    const char *e = strchr(s, '/');
    return e ? (size_t)(e - s) : strlen(s);
}

/* Finds "/<marker>" in norm at a component boundary; returns what follows it, or NULL. */
static const char *after(const char *norm, const char *marker)
{
    size_t ml = strlen(marker);
    for (const char *p = strstr(norm, marker); p; p = strstr(p + 1, marker))
        if ((p == norm || p[-1] == '/') && p[ml] == '/')
            return p + ml + 1;
    return NULL;
}

static void set(xs_webloc *w, xs_webfolder f, const char *name, const char *site,
                xs_webheld held)
{
    w->folder = f;
    w->name = name;
    w->site = site;
    w->held = held;
}

void xs_webloc_of(const char *norm, xs_webloc *w)
{
    memset(w, 0, sizeof *w);
    w->name = "";
    size_t o = 0;
    const char *rest;
    if ((rest = after(norm, "temporary asp.net files")) != NULL) {
        set(w, XS_WF_TEMP_ASPNET, "Temporary ASP.NET Files", NULL, XS_HELD_NONE);
        return;
    }
    if ((rest = after(norm, "frontend/httpproxy")) != NULL) {
        size_t vn = comp_len(rest);
        if (rest[vn] != '/')
            return; /* a file directly in HttpProxy: not served */
        const char *in = rest + vn + 1;
        if (vn == 4 && strncmp(rest, "sync", 4) == 0)
            url_add(w, &o, "microsoft-server-activesync", 27);
        else
            url_add(w, &o, rest, vn);
        if (o < sizeof w->url && *in)
            url_add(w, &o, in, strlen(in));
        w->top = strchr(in, '/') == NULL;
        if (vn == 3 && strncmp(rest, "owa", 3) == 0 && strncmp(in, "auth/", 5) == 0) {
            bool top = strchr(in + 5, '/') == NULL;
            set(w, top ? XS_WF_OWA_AUTH : XS_WF_OWA_AUTH_SUB, "owa/auth", "Default Web Site",
                XS_HELD_OWA_AUTH);
            w->top = top;
        } else if (vn == 3 && strncmp(rest, "ecp", 3) == 0 && strncmp(in, "auth/", 5) == 0) {
            set(w, XS_WF_ECP_AUTH, "ecp/auth", "Default Web Site", XS_HELD_ECP);
            w->top = strchr(in + 5, '/') == NULL;
        } else if (vn == 3 && strncmp(rest, "oab", 3) == 0) {
            set(w, XS_WF_OAB, "OAB", "Default Web Site", XS_HELD_OAB);
        } else {
            xs_webheld h = vn == 3 && strncmp(rest, "ecp", 3) == 0 ? XS_HELD_ECP : XS_HELD_NONE;
            set(w, XS_WF_FRONTEND, "FrontEnd\\HttpProxy", "Default Web Site", h);
        }
        return;
    }
    if ((rest = after(norm, "inetpub/wwwroot")) != NULL) {
        if (*rest)
            url_add(w, &o, rest, strlen(rest));
        if (strncmp(rest, "aspnet_client/", 14) == 0) {
            set(w, XS_WF_ASPNET_CLIENT, "aspnet_client", "Default Web Site", XS_HELD_WWWROOT);
            w->top = strchr(rest + 14, '/') == NULL;
        } else {
            set(w, XS_WF_WWWROOT, "inetpub\\wwwroot", "Default Web Site", XS_HELD_WWWROOT);
            w->top = strchr(rest, '/') == NULL;
        }
        return;
    }
    if ((rest = after(norm, "clientaccess")) != NULL) {
        size_t vn = comp_len(rest);
        if (rest[vn] != '/')
            return;
        const char *in = rest + vn + 1;
        if (vn == 7 && strncmp(rest, "exchweb", 7) == 0 && strncmp(in, "ews/", 4) == 0) {
            url_add(w, &o, "ews", 3);
            in += 4;
        } else if (vn == 4 && strncmp(rest, "sync", 4) == 0) {
            url_add(w, &o, "microsoft-server-activesync", 27);
        } else if (vn == 8 && strncmp(rest, "rpcproxy", 8) == 0) {
            url_add(w, &o, "rpc", 3);
        } else {
            url_add(w, &o, rest, vn);
        }
        if (o < sizeof w->url && *in)
            url_add(w, &o, in, strlen(in));
        set(w, XS_WF_CLIENTACCESS, "ClientAccess", "Exchange Back End", XS_HELD_NONE);
        w->top = strchr(in, '/') == NULL;
        return;
    }
}

xs_webheld xs_web_held_of_url(const char *url, const char **name)
{
    static const struct {
        const char *prefix;
        xs_webheld h;
    } map[] = {
        {"/owa/auth/", XS_HELD_OWA_AUTH},
        {"/ecp/auth/", XS_HELD_ECP},
        {"/oab/", XS_HELD_OAB},
        {"/aspnet_client/", XS_HELD_WWWROOT},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strncmp(url, map[i].prefix, strlen(map[i].prefix)) == 0) {
            if (name)
                *name = xs_web_held_name(map[i].h);
            return map[i].h;
        }
    if (name)
        *name = "";
    return XS_HELD_NONE;
}

const char *xs_web_held_name(xs_webheld h)
{
    switch (h) {
    case XS_HELD_OWA_AUTH:
        return "FrontEnd\\HttpProxy\\owa\\auth";
    case XS_HELD_ECP:
        return "FrontEnd\\HttpProxy\\ecp";
    case XS_HELD_OAB:
        return "FrontEnd\\HttpProxy\\OAB";
    case XS_HELD_WWWROOT:
        return "inetpub\\wwwroot";
    default:
        return "";
    }
}

bool xs_web_exchange_folder(xs_webfolder f)
{
    return xs_web_has_allowlist(f) && f != XS_WF_WWWROOT;
}

bool xs_web_has_allowlist(xs_webfolder f)
{
    switch (f) {
    case XS_WF_OWA_AUTH:
    case XS_WF_OWA_AUTH_SUB:
    case XS_WF_ECP_AUTH:
    case XS_WF_OAB:
    case XS_WF_FRONTEND:
    case XS_WF_ASPNET_CLIENT:
    case XS_WF_WWWROOT:
        return true;
    default:
        return false;
    }
}

bool xs_web_allowlisted(const xs_webloc *w, const char *base)
{
    switch (w->folder) {
    case XS_WF_OWA_AUTH:
        return in_list(base, LIST(owa_auth_default));
    case XS_WF_ECP_AUTH:
        return w->top && in_list(base, LIST(ecp_auth_default));
    case XS_WF_OAB:
    case XS_WF_FRONTEND:
        /* global.asax at the folder root; the url is "/<vdir>/global.asax" then. */
        return in_list(base, LIST(frontend_root_default)) && strchr(w->url + 1, '/') &&
               strchr(strchr(w->url + 1, '/') + 1, '/') == NULL;
    case XS_WF_OWA_AUTH_SUB:
    case XS_WF_ASPNET_CLIENT:
    case XS_WF_WWWROOT:
        return false; /* no scripts at all in a default install */
    default:
        return true; /* no allowlist: nothing is "non-default" by name */
    }
}

/* Edit distance, bounded: returns a value > limit as soon as it is sure to exceed it. */
static unsigned edit_distance(const char *a, const char *b, unsigned limit)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > 64 || nb > 64)
        return limit + 1;
    if ((na > nb ? na - nb : nb - na) > limit)
        return limit + 1;
    unsigned prev[65], cur[65];
    for (size_t j = 0; j <= nb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        cur[0] = (unsigned)i;
        unsigned best = cur[0];
        for (size_t j = 1; j <= nb; j++) {
            unsigned sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            unsigned del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (cur[j] < best)
                best = cur[j];
        }
        if (best > limit)
            return limit + 1;
        memcpy(prev, cur, (nb + 1) * sizeof prev[0]);
    }
    return prev[nb];
}

static size_t stem_len(const char *s)
{
    const char *dot = strrchr(s, '.');
    return dot ? (size_t)(dot - s) : strlen(s);
}

/* The default name base imitates within `limit` edits or by its stem, or NULL. */
static const char *lookalike_in(const char *base, size_t sn, unsigned limit,
                                const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *t = list[i];
        if (sn && sn == stem_len(t) && strncmp(base, t, sn) == 0)
            return t; /* same name, another extension */
        if (edit_distance(base, t, limit) <= limit)
            return t;
    }
    return NULL;
}

const char *xs_web_lookalike(const char *base)
{
    size_t n = strlen(base), sn = stem_len(base);
    unsigned limit = n >= 20 ? 3 : n >= 10 ? 2 : 1;
    if (in_list(base, LIST(owa_auth_default)) || in_list(base, LIST(lookalike_extra)))
        return NULL; /* a default name itself */
    const char *t = lookalike_in(base, sn, limit, LIST(owa_auth_default));
    return t ? t : lookalike_in(base, sn, limit, LIST(lookalike_extra));
}

bool xs_web_url_nondefault(const char *url, const char **folder)
{
    const char *slash = strrchr(url, '/');
    if (!slash || !slash[1] || !xs_web_script_ext(slash + 1, strlen(slash + 1)))
        return false;
    const char *name = slash + 1;
    if (strncmp(url, "/owa/auth/", 10) == 0) {
        *folder = "owa/auth";
        return slash != url + 9 || !in_list(name, LIST(owa_auth_default));
    }
    if (strncmp(url, "/ecp/auth/", 10) == 0) {
        *folder = "ecp/auth";
        return slash != url + 9 || !in_list(name, LIST(ecp_auth_default));
    }
    if (strncmp(url, "/aspnet_client/", 15) == 0) {
        *folder = "aspnet_client";
        return true;
    }
    if (strncmp(url, "/oab/", 5) == 0) {
        *folder = "OAB";
        return slash != url + 4 || !in_list(name, LIST(frontend_root_default));
    }
    return false;
}

bool xs_web_known_shell_name(const char *base)
{
    return in_list(base, LIST(known_shell_names));
}
