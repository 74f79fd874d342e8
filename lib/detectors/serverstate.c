/* What the file side reads of the server's own state (lib/state/observe.h), beside the
 * findings: the mitigations in IIS's configuration (URL Rewrite rules of EOMT, EOMTv2 and
 * MSRC's advice), the ECP and OAB application pools ExchangeMitigations.ps1 stopped, the
 * owa\auth\<build> folders a CU installs, and the ExSetup.exe version a
 * Health Checker export (PowerShell CliXml of its FileVersionInfo) records. Nothing here is a
 * finding: the assessment (lib/state/assess.c) weighs it.
 */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "parsers/rewrite.h"
#include "parsers/xmltag.h"
#include "scan/files_int.h"
#include "state/buildtab.h"
#include "state/observe.h"

/* ---------------------------------------------------------------- URL Rewrite mitigations */

static bool blocks(xs_str action)
{
    return xs_str_ieq(action, "AbortRequest") || xs_str_ieq(action, "CustomResponse");
}

/* Which family an enabled inbound blocking rule mitigates, or -1. */
static int rule_family(const xs_rw_rule *r)
{
    if (!r->enabled || r->outbound || r->url_negate || !blocks(r->action))
        return -1;
    bool autod = xs_str_icontains(r->url, "autodiscover"),
         ps = xs_str_icontains(r->url, "powershell");
    for (size_t i = 0; i < r->ncond; i++) {
        const xs_rw_cond *c = &r->cond[i];
        if (c->negate)
            continue;
        if (xs_str_icontains(c->pattern, "X-AnonResource-Backend") ||
            xs_str_icontains(c->pattern, "X-BEResource"))
            return XS_FAM_PROXYLOGON;
        autod |= xs_str_icontains(c->pattern, "autodiscover");
        ps |= xs_str_icontains(c->pattern, "powershell");
    }
    return autod && ps ? XS_FAM_PROXYNOTSHELL : -1;
}

typedef struct rw_ctx {
    xs_fctx *c;
} rw_ctx;

static void on_rule(void *ctx, const xs_rw_rule *r)
{
    rw_ctx *rc = ctx;
    int f = rule_family(r);
    if (f < 0)
        return;
    char what[XS_MAX_NOTE_TEXT];
    snprintf(what, sizeof what, "URL Rewrite rule \"%.*s\" (%s)",
             (int)(r->name.n < 200 ? r->name.n : 200), r->name.p ? r->name.p : "",
             f == XS_FAM_PROXYLOGON ? "aborts requests with the X-BEResource or "
                                      "X-AnonResource-Backend cookie: CVE-2021-26855 only"
                                    : "aborts Autodiscover requests that reach PowerShell");
    xs_obs_note o = {XS_NOTE_MITIGATION, f, what, rc->c->meta->mtime_ms, 0, {{0}, 0}};
    xs_fnote_state(rc->c, &o);
}

static void check_rewrite(xs_fctx *c)
{
    /* web.config, applicationHost.config, and copies under other names (exports) */
    if (strcmp(c->ext, ".config") != 0 || !c->data ||
        !xs_str_icontains(xs_str_make((const char *)c->data, c->data_n), "<rewrite"))
        return;
    rw_ctx rc = {c};
    size_t n = xs_rewrite_rules((const char *)c->data, c->data_n, on_rule, &rc);
    if (n > XS_MAX_REWRITE_RULES)
        xs_warn(c->scan, XS_W_LIMIT, c->display, 0,
                 "%zu URL Rewrite rules past %u not read", n - XS_MAX_REWRITE_RULES,
                 (unsigned)XS_MAX_REWRITE_RULES);
}

/* ---------------------------------------------------------------- application pools */

/* ExchangeMitigations.ps1 (March 2021) stopped the ECP and OAB application pools with
 * autoStart="false" in applicationHost.config: ECP then answers 503 (CVE-2021-27065's path is
 * closed), OAB no longer serves (CVE-2021-26858's). Noted as service state. */
static void check_app_pools(xs_fctx *c)
{
    if (!strstr(c->base, "applicationhost") || strcmp(c->ext, ".config") != 0 || !c->data)
        return;
    const char *buf = (const char *)c->data;
    size_t pos = 0, seen = 0;
    xs_xml_tag t;
    while (xs_xml_next(buf, c->data_n, &pos, &t) && seen < XS_MAX_REWRITE_RULES) {
        if (t.closing || !xs_str_ieq(t.name, "add"))
            continue;
        xs_str name = xs_xml_attr_get(&t, "name");
        if (!xs_str_ieq(xs_xml_attr_get(&t, "autoStart"), "false") ||
            !(xs_str_ieq(name, "MSExchangeECPAppPool") || xs_str_ieq(name, "MSExchangeOABAppPool")))
            continue;
        seen++;
        char what[160];
        snprintf(what, sizeof what, "%.*s does not start (autoStart=\"false\"): %s", (int)name.n,
                 name.p,
                 xs_str_ieq(name, "MSExchangeECPAppPool")
                     ? "ECP answers 503, CVE-2021-27065's path is closed"
                     : "OAB is not served, CVE-2021-26858's path is closed");
        xs_obs_note o = {XS_NOTE_SERVICE, XS_FAM_PROXYLOGON, what, c->meta->mtime_ms, 0, {{0}, 0}};
        xs_fnote_state(c, &o);
    }
}

/* ---------------------------------------------------------------- owa\auth\<build> */

static void check_owa_folder(xs_fctx *c)
{
    const char *at = strstr(c->norm, "/owa/auth/");
    if (!at)
        return;
    const char *b = at + 10, *e = strchr(b, '/');
    xs_build v;
    if (!e || !xs_build_parse(b, (size_t)(e - b), true, &v) || v.nparts != 3 ||
        !xs_build_plausible(&v))
        return;
    char d[64];
    snprintf(d, sizeof d, "owa\\auth\\%.*s folder", (int)(e - b < 24 ? e - b : 24), b);
    xs_obs_build o = {v, XS_BSRC_OWAFOLDER, c->meta->mtime_ms, c->meta->mtime_ms, 0, d};
    xs_fnote_build(c, &o);
}

/* ---------------------------------------------------------------- Health Checker's export */

/* <S N="FileVersion">15.01.2375.007</S> of a CliXml FileVersionInfo of ExSetup.exe. */
static void check_clixml(xs_fctx *c)
{
    if (strcmp(c->ext, ".xml") != 0 || !c->data || c->data_n > (1u << 20))
        return;
    /* the type names come first in a CliXml object: the head says it (Windows holds many XML
     * files; none is read whole for this unless it is one) */
    xs_str head = xs_str_make((const char *)c->head, c->head_n < 4096 ? c->head_n : 4096);
    if (!xs_str_icontains(head, "System.Diagnostics.FileVersionInfo"))
        return;
    xs_str body = xs_str_make((const char *)c->data, c->data_n);
    if (!xs_str_icontains(body, "ExSetup.exe"))
        return;
    static const char key[] = "<S N=\"FileVersion\">";
    const char *p = memmem(body.p, body.n, key, sizeof key - 1);
    if (!p)
        return;
    p += sizeof key - 1;
    const char *e = memchr(p, '<', (size_t)(body.p + body.n - p));
    xs_build v;
    if (!e || !xs_build_parse(p, (size_t)(e - p), false, &v) || !xs_build_plausible(&v))
        return;
    char d[96];
    snprintf(d, sizeof d, "FileVersion %.*s (a Health Checker export of ExSetup.exe)",
             (int)(e - p < 24 ? e - p : 24), p);
    xs_obs_build o = {v, XS_BSRC_EXPORT, EXS_TIME_NONE, EXS_TIME_NONE, 0, d};
    xs_fnote_build(c, &o);
}

void xs_detect_server_state(xs_fctx *c)
{
    check_rewrite(c);
    check_app_pools(c);
    check_owa_folder(c);
    check_clixml(c);
}
