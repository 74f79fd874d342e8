/* The collection spec (collect.h). */
#include "sources/collect.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "logs/kinds.h"

/* The places that are not logs of a kind: what reads them. */
static const struct {
    xs_cbase base;
    const char *glob, *what;
} fixed[] = {
    {XS_CB_DRIVE, "Windows\\System32\\winevt\\Logs\\*.evtx", "Windows event logs (EVTX readers)"},
    {XS_CB_DRIVE, "Windows\\System32\\config\\SOFTWARE*", "SOFTWARE hive and its logs (registry)"},
    {XS_CB_DRIVE, "Windows\\System32\\config\\SYSTEM*", "SYSTEM hive and its logs (registry)"},
    {XS_CB_DRIVE, "Users\\*\\NTUSER.DAT*", "user hives and their logs (Run keys)"},
    {XS_CB_DRIVE, "Windows\\System32\\inetsrv\\config\\applicationHost.config",
     "IIS configuration: virtual directories, rewrite rules, app pools"},
    {XS_CB_DRIVE, "inetpub\\wwwroot\\**", "the default web site: web.config, aspnet_client"},
    {XS_CB_DRIVE, "Windows\\Microsoft.NET\\Framework64\\*\\Temporary ASP.NET Files\\**",
     "compiled pages and their records"},
    {XS_CB_DRIVE, "Windows\\debug\\msert*.log", "MSERT logs"},
    {XS_CB_DRIVE, "ExchangeSetupLogs\\**", "Exchange Setup logs (the build over time)"},
    {XS_CB_DRIVE, "EOMT*Summary.txt", "EOMT's summaries"},
    {XS_CB_DRIVE, "ProgramData\\*", "files dropped at the top of ProgramData (staging, dumps)"},
    {XS_CB_DRIVE, "ProgramData\\*\\*", "and one folder down (miners, tools)"},
    {XS_CB_DRIVE, "Users\\*\\Desktop\\*", "ransom notes on the desktops"},
    {XS_CB_DRIVE, "Users\\*\\AppData\\Roaming\\Microsoft\\Windows\\PowerShell\\PSReadLine\\*",
     "PowerShell command histories"},
    {XS_CB_DRIVE, "Users\\Public\\**", "a common drop folder"},
    {XS_CB_DRIVE, "Windows\\Temp\\*", "dumps and tools dropped in Windows\\Temp"},
    {XS_CB_EXCHANGE, "Bin\\ExSetup.exe", "the installed build"},
    {XS_CB_EXCHANGE, "FrontEnd\\HttpProxy\\**", "Exchange's front-end web folders"},
    {XS_CB_EXCHANGE, "ClientAccess\\**", "Exchange's back-end web folders"},
};

/* The drive-relative base of a log place's parent folder. */
static const char *parent_base(const char *parent, xs_cbase *b, size_t i)
{
    if (strcmp(parent, "/logging/") == 0) {
        *b = XS_CB_EXCHANGE;
        return i == 0 ? "Logging\\" : NULL;
    }
    if (strcmp(parent, "/logfiles/") == 0) { /* IIS: W3SVC* under inetpub, HTTPERR under System32 */
        *b = XS_CB_DRIVE;
        return i == 0 ? "inetpub\\logs\\LogFiles\\" : i == 1 ? "Windows\\System32\\LogFiles\\" : NULL;
    }
    return NULL;
}

static bool dup(const xs_collect *out, size_t n, const xs_collect *c)
{
    for (size_t i = 0; i < n; i++)
        if (out[i].base == c->base && strcmp(out[i].glob, c->glob) == 0)
            return true;
    return false;
}

size_t xs_collect_spec(xs_collect *out, size_t cap)
{
    size_t n = 0;
    for (int k = 1; k < XS_KIND__COUNT; k++) {
        const xs_logkind *lk = xs_logkind_of((xs_kind)k);
        for (const xs_logplace *p = lk && lk->places ? lk->places : NULL; p && p->parent; p++)
            for (size_t i = 0;; i++) {
                xs_collect c;
                memset(&c, 0, sizeof c);
                const char *b = parent_base(p->parent, &c.base, i);
                if (!b)
                    break;
                size_t fl = strlen(p->folder);
                bool folder = fl && p->folder[fl - 1] == '/';
                char f[128];
                snprintf(f, sizeof f, "%.*s", (int)(folder ? fl - 1 : fl), p->folder);
                for (char *q = f; *q; q++)
                    if (*q == '/')
                        *q = '\\';
                /* a place whose folder is a name prefix ("w3svc" for W3SVC1, W3SVC2, ...) */
                snprintf(c.glob, sizeof c.glob, "%s%s%s\\**", b, f, folder ? "" : "*");
                snprintf(c.what, sizeof c.what, "%s logs (%s reader)", p->family, lk->name);
                c.logs = true;
                /* HTTPERR lies under System32, W3SVC under inetpub: each base its own */
                bool iis_sys = i == 1, httperr = strncmp(p->folder, "httperr", 7) == 0;
                if (c.base == XS_CB_DRIVE && iis_sys != httperr)
                    continue;
                if (n < cap && !dup(out, n, &c))
                    out[n++] = c;
            }
    }
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] && n < cap; i++) {
        xs_collect c;
        memset(&c, 0, sizeof c);
        c.base = fixed[i].base;
        snprintf(c.glob, sizeof c.glob, "%s", fixed[i].glob);
        snprintf(c.what, sizeof c.what, "%s", fixed[i].what);
        out[n++] = c;
    }
    return n;
}

/* Glob match, ASCII case-insensitive, '\\' in the pattern against '/' in the path: "*" within
 * one name, "**" any number of names (at the end: anything below). */
static bool gmatch(const char *p, const char *s)
{
    for (; *p; p++, s++) {
        if (p[0] == '*' && p[1] == '*') {
            const char *rest = p + 2;
            if (*rest == '\\')
                rest++;
            if (!*rest)
                return true;
            for (const char *t = s;; t++) {
                if (gmatch(rest, t))
                    return true;
                if (!*t)
                    return false;
            }
        }
        if (*p == '*') {
            for (const char *t = s;; t++) {
                if (gmatch(p + 1, t))
                    return true;
                if (!*t || *t == '/')
                    return false;
            }
        }
        char a = *p == '\\' ? '/' : xs_lower(*p), b = xs_lower(*s);
        if (!*s || a != b)
            return false;
    }
    return *s == 0;
}

bool xs_collect_match(const xs_collect *c, const char *path, const char *exchange_root)
{
    char full[512];
    size_t l = c->base == XS_CB_EXCHANGE ? strlen(exchange_root) : 0, g = strlen(c->glob);
    if (l + 1 + g + 1 > sizeof full)
        return false;
    memcpy(full, exchange_root, l);
    for (size_t i = 0; i < l; i++)
        if (full[i] == '/')
            full[i] = '\\';
    if (l)
        full[l++] = '\\';
    memcpy(full + l, c->glob, g + 1);
    return gmatch(full, path);
}
