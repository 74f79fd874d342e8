/* Sigma's webserver log source over IIS W3C lines: the rules' field names (cs-uri-query,
 * cs-user-agent, ...) read from IIS's (cs(User-Agent), ...), the URL matched as the rules
 * expect it, stem + "?" + query (and the query alone: cs-uri-query has both values), and IIS's
 * "+" for a space (user agent, referer, cookie) and "-" for nothing undone. */
#ifndef XS_SIGMA_WEBLOG_H
#define XS_SIGMA_WEBLOG_H

#include "core/limits.h"
#include "parsers/w3c.h"
#include "sigma/sigma.h"

/* Whether r's log source is the webserver category (any product but a non-web one). */
bool xs_sigma_web_covers(const xs_sigma_rule *r);

/* The event of one W3C row split by its schema: lives while s, row and ctx do. */
typedef struct xs_sigma_w3c {
    const xs_w3c_schema *s;
    const xs_w3c_row *row;
    char url[XS_SIGMA_MAX_WEB_VALUE];    /* stem?query */
    char ua[XS_SIGMA_MAX_WEB_VALUE], referer[XS_SIGMA_MAX_WEB_VALUE],
        cookie[XS_SIGMA_MAX_WEB_VALUE]; /* with their + as spaces */
    size_t url_n, ua_n, referer_n, cookie_n;
} xs_sigma_w3c;
xs_sigma_event xs_sigma_w3c_event(xs_sigma_w3c *ctx, const xs_w3c_schema *s,
                                  const xs_w3c_row *row);

#endif
