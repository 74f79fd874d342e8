/* IIS URL Rewrite rules read from a configuration file of the image (web.config,
 * applicationHost.config): the mitigations Microsoft's tools wrote for ProxyLogon (EOMT's
 * "X-AnonResource-Backend Abort - inbound", "X-BEResource Abort - inbound") and ProxyNotShell
 * (EOMTv2's "PowerShell - inbound", the MSRC Autodiscover rule) are such rules.
 *
 *   <rule name="X-BEResource Abort - inbound" enabled="true" stopProcessing="true">
 *     <match url=".*" />
 *     <conditions><add input="{HTTP_COOKIE}" pattern="(.*)X-BEResource=(.+)/(.+)~(.+)" /></conditions>
 *     <action type="AbortRequest" />
 *   </rule>
 *
 * Rules are reported in file order, at most XS_MAX_REWRITE_RULES; conditions past
 * XS_MAX_REWRITE_CONDS per rule are counted, not kept.
 */
#ifndef XS_PARSERS_REWRITE_H
#define XS_PARSERS_REWRITE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/limits.h"
#include "core/str.h"

typedef struct xs_rw_cond {
    xs_str input, pattern; /* as written (entities not decoded) */
    bool negate;
} xs_rw_cond;

typedef struct xs_rw_rule {
    xs_str name;   /* as written */
    bool enabled;  /* enabled="false" turns a rule off */
    bool outbound; /* inside <outboundRules> */
    xs_str url;    /* <match url> */
    bool url_negate; /* <match negate="true">: the rule applies to the URLs that do not match */
    xs_str action; /* <action type> */
    xs_rw_cond cond[XS_MAX_REWRITE_CONDS];
    size_t ncond, conds_over;
    size_t tag_start, tag_end; /* the <rule> start tag, for evidence */
} xs_rw_rule;

typedef void (*xs_rw_fn)(void *ctx, const xs_rw_rule *r);

/* Walks the rewrite rules of buf; returns how many the file holds (more than
 * XS_MAX_REWRITE_RULES: the rest were not reported). */
size_t xs_rewrite_rules(const char *buf, size_t n, xs_rw_fn fn, void *ctx);

#endif
