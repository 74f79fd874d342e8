/* IIS W3C extended logs (u_exYYMMDD.log) and HTTP.sys error logs.
 *
 *   #Software: Microsoft Internet Information Services 10.0
 *   #Version: 1.0
 *   #Date: 2021-03-05 00:00:00
 *   #Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip
 *            cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken
 *   2021-03-05 03:06:27 10.0.0.5 GET /owa/auth/x.aspx &CorrelationID=... 443 - 192.0.2.9 ...
 *
 * Fields are separated by single spaces, spaces inside values are written as '+', empty
 * values as '-'. A new directive block (with a possibly different #Fields) starts whenever
 * IIS reopens the file, so the newest #Fields line always wins. Hand-edited and exported
 * logs carry "# Fields:" or raw spaces inside the user agent: surplus tokens are folded into
 * cs(User-Agent) when the row is longer than the schema.
 */
#ifndef XS_PARSERS_W3C_H
#define XS_PARSERS_W3C_H

#include <stdbool.h>
#include <stddef.h>

#include "core/limits.h"
#include "core/str.h"

enum xs_w3c_field {
    W3C_DATE, W3C_TIME, W3C_S_IP, W3C_METHOD, W3C_STEM, W3C_QUERY, W3C_S_PORT, W3C_USER,
    W3C_C_IP, W3C_UA, W3C_REFERER, W3C_STATUS, W3C_SUBSTATUS, W3C_WIN32, W3C_TIME_TAKEN,
    W3C_HOST, W3C_XFF, W3C_URI, W3C_S_SITENAME, W3C_COOKIE, W3C__COUNT
};

typedef struct xs_w3c_schema {
    size_t n;                /* number of fields; 0 = no schema yet */
    int idx[W3C__COUNT];     /* position of each known field, -1 when absent */
    char date[11];           /* from "#Date:", for logs without a date field; "" if none */
} xs_w3c_schema;

typedef struct xs_w3c_row {
    xs_str f[XS_MAX_FIELDS];
    size_t n;
    bool merged; /* surplus tokens were folded into the user agent (or the last field) */
    bool short_row;
} xs_w3c_row;

/* The default field list of IIS on Exchange (catalogue 1.7). */
void xs_w3c_schema_default(xs_w3c_schema *s);

/* Handles a directive line ("#..."). Returns true when it was a #Fields line and the schema
 * changed; #Date updates s->date. Other directives are ignored. */
bool xs_w3c_directive(xs_w3c_schema *s, const char *line, size_t len);

/* Splits a data line (without line break; trailing CR dropped) according to s. */
void xs_w3c_split(const xs_w3c_schema *s, const char *line, size_t len, xs_w3c_row *row);

static inline xs_str xs_w3c_get(const xs_w3c_schema *s, const xs_w3c_row *r,
                                  enum xs_w3c_field f)
{
    int i = s->idx[f];
    if (i < 0 || (size_t)i >= r->n)
        return XS_STR_NULL;
    xs_str v = r->f[i];
    return xs_str_blank(v) ? XS_STR_NULL : v;
}

/* True when the line looks like a W3C data row in the default Exchange layout: it starts
 * with "YYYY-MM-DD HH:MM:SS " and has at least 12 space-separated tokens. */
bool xs_w3c_looks_like_row(const char *line, size_t len);

#endif
