/* The webserver log source over IIS W3C lines. SigmaHQ's webserver rules name the W3C fields
 * the way proxy and Apache converters do: cs-user-agent for IIS's cs(User-Agent), and most use
 * cs-uri-query for the whole URL ("/owa/auth/x.js?..."), a few for the query alone
 * (startswith "cmd="): the field has both values, the whole URL first. So "cs-uri-query: null"
 * holds only for a line with no URL at all (one SigmaHQ rule filters with it: it filters
 * nothing here). */
#include <string.h>

#include "sigma/internal.h"
#include "sigma/weblog.h"

bool xs_sigma_web_covers(const xs_sigma_rule *r)
{
    const xs_sigma_meta *m = &r->meta;
    return m->category && strcasecmp(m->category, "webserver") == 0 && !m->service;
}

/* v with IIS's + for a space undone, into buf (cut at cap). */
static size_t plus_to_space(xs_str v, char *buf, size_t cap)
{
    size_t n = v.n < cap ? v.n : cap;
    for (size_t i = 0; i < n; i++)
        buf[i] = v.p[i] == '+' ? ' ' : v.p[i];
    return n;
}

static size_t put(char *buf, size_t cap, size_t o, xs_str v)
{
    size_t k = v.n < cap - o ? v.n : cap - o;
    memcpy(buf + o, v.p, k);
    return o + k;
}

typedef struct webname {
    const char *sigma;
    enum xs_w3c_field f;
} webname;

/* The rules' names of the W3C fields (IIS's own names are looked up as they are, too). */
static const webname names[] = {
    {"cs-method", W3C_METHOD},   {"cs-uri-stem", W3C_STEM},      {"sc-status", W3C_STATUS},
    {"sc-substatus", W3C_SUBSTATUS}, {"sc-win32-status", W3C_WIN32}, {"c-ip", W3C_C_IP},
    {"s-ip", W3C_S_IP},          {"s-port", W3C_S_PORT},         {"cs-username", W3C_USER},
    {"cs-host", W3C_HOST},       {"cs(Host)", W3C_HOST},         {"date", W3C_DATE},
    {"time", W3C_TIME},          {"time-taken", W3C_TIME_TAKEN}, {"s-sitename", W3C_S_SITENAME},
    {"X-Forwarded-For", W3C_XFF}, {"cs(X-Forwarded-For)", W3C_XFF},
};

static size_t w3c_field(void *ctx, const char *name, xs_str *out, size_t cap)
{
    const xs_sigma_w3c *w = ctx;
    xs_str v = XS_STR_NULL;
    bool known = true;
    if (!strcasecmp(name, "cs-uri-query") || !strcasecmp(name, "cs-uri") ||
        !strcasecmp(name, "c-uri")) {
        /* the whole URL, for the rules that put paths in it, and the query alone, for those
         * that look at its start ("cmd=") */
        xs_str q = xs_w3c_get(w->s, w->row, W3C_QUERY);
        if (!w->url_n)
            return 0;
        if (cap)
            out[0] = xs_str_make(w->url, w->url_n);
        if (q.n && cap > 1)
            out[1] = q;
        return q.n ? 2 : 1;
    } else if (!strcasecmp(name, "cs-user-agent") || !strcasecmp(name, "cs(User-Agent)"))
        v = xs_str_make(w->ua, w->ua_n);
    else if (!strcasecmp(name, "cs-referer") || !strcasecmp(name, "cs(Referer)"))
        v = xs_str_make(w->referer, w->referer_n);
    else if (!strcasecmp(name, "cs-cookie") || !strcasecmp(name, "cs(Cookie)"))
        v = xs_str_make(w->cookie, w->cookie_n);
    else {
        known = false;
        for (size_t i = 0; i < sizeof names / sizeof *names && !known; i++)
            if (!strcasecmp(name, names[i].sigma)) {
                v = xs_w3c_get(w->s, w->row, names[i].f);
                known = true;
            }
    }
    /* absent and IIS's "-" alike: no value (a null) */
    if (!known || v.n == 0)
        return 0;
    if (cap)
        out[0] = v;
    return 1;
}

static bool w3c_each(void *ctx, bool (*fn)(void *arg, xs_str value), void *arg)
{
    const xs_sigma_w3c *w = ctx;
    if (w->url_n && fn(arg, xs_str_make(w->url, w->url_n)))
        return true;
    for (size_t i = 0; i < w->row->n; i++)
        if (!xs_str_blank(w->row->f[i]) && fn(arg, w->row->f[i]))
            return true;
    return false;
}

xs_sigma_event xs_sigma_w3c_event(xs_sigma_w3c *w, const xs_w3c_schema *s, const xs_w3c_row *row)
{
    w->s = s;
    w->row = row;
    xs_str stem = xs_w3c_get(s, row, W3C_STEM), query = xs_w3c_get(s, row, W3C_QUERY);
    size_t o = put(w->url, sizeof w->url, 0, stem);
    if (query.n) {
        o = put(w->url, sizeof w->url, o, XS_LIT("?"));
        o = put(w->url, sizeof w->url, o, query);
    }
    w->url_n = o;
    w->ua_n = plus_to_space(xs_w3c_get(s, row, W3C_UA), w->ua, sizeof w->ua);
    w->referer_n = plus_to_space(xs_w3c_get(s, row, W3C_REFERER), w->referer, sizeof w->referer);
    w->cookie_n = plus_to_space(xs_w3c_get(s, row, W3C_COOKIE), w->cookie, sizeof w->cookie);
    return (xs_sigma_event){w, w3c_field, w3c_each};
}
