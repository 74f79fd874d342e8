/* ZGrab2 http module JSON lines (zgrab2.h). */
#include "probe/zgrab2.h"

#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "parsers/json.h"

struct xs_zgrab2 {
    char *scratch; /* unescaped strings: as long as the line */
    char *paths;   /* dotted names */
    xs_json_pair *pairs;
    xs_http_header hdr[XS_PROBE_MAX_HEADERS];
    unsigned char hmod[XS_PROBE_MAX_HEADERS];
    xs_http_header one[XS_PROBE_MAX_HEADERS]; /* one module's */
};

xs_zgrab2 *xs_zgrab2_create(void)
{
    xs_zgrab2 *z = calloc(1, sizeof *z);
    if (!z)
        return NULL;
    z->scratch = malloc(XS_PROBE_MAX_LINE);
    z->paths = malloc(XS_PROBE_PATHS);
    z->pairs = malloc(XS_PROBE_MAX_PAIRS * sizeof *z->pairs);
    if (!z->scratch || !z->paths || !z->pairs) {
        xs_zgrab2_destroy(z);
        return NULL;
    }
    return z;
}

void xs_zgrab2_destroy(xs_zgrab2 *z)
{
    if (!z)
        return;
    free(z->scratch);
    free(z->paths);
    free(z->pairs);
    free(z);
}

typedef struct mod {
    xs_str name, status, protocol, timestamp;
    bool response, body_set, header_open;
    int code;
    xs_str body, scheme, host, cscheme, chost;
    xs_str key; /* the unknown header whose values come next */
} mod;

static bool eq(xs_str s, const char *lit)
{
    size_t l = strlen(lit);
    return s.n == l && memcmp(s.p, lit, l) == 0;
}

static bool starts(xs_str s, const char *lit, xs_str *rest)
{
    size_t l = strlen(lit);
    if (s.n < l || memcmp(s.p, lit, l) != 0)
        return false;
    *rest = xs_str_make(s.p + l, s.n - l);
    return true;
}

static int code_of(xs_str v)
{
    int c = 0;
    for (size_t i = 0; i < v.n && i < 4; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            return 0;
        c = c * 10 + (v.p[i] - '0');
    }
    return v.n && v.n < 4 ? c : 0;
}

/* The port of a URL's host ("h:8443", "[v6]:8443"), else the scheme's; 0 when neither. */
static unsigned port_of(xs_str scheme, xs_str host, xs_str *bare)
{
    *bare = host;
    const char *colon = NULL;
    if (host.n && host.p[0] == '[') {
        const char *rb = memchr(host.p, ']', host.n);
        if (rb && rb + 1 < host.p + host.n && rb[1] == ':')
            colon = rb + 1;
    } else {
        colon = memchr(host.p ? host.p : "", ':', host.n);
        if (colon && memchr(colon + 1, ':', host.n - (size_t)(colon + 1 - host.p)))
            colon = NULL; /* a bare IPv6 address */
    }
    if (colon) {
        unsigned v = 0;
        size_t i = (size_t)(colon + 1 - host.p);
        if (i == host.n)
            return 0;
        for (; i < host.n; i++) {
            if (host.p[i] < '0' || host.p[i] > '9' || v > 65535)
                return 0;
            v = v * 10 + (unsigned)(host.p[i] - '0');
        }
        *bare = xs_str_make(host.p, (size_t)(colon - host.p));
        return v <= 65535 ? v : 0;
    }
    if (eq(scheme, "https"))
        return 443;
    if (eq(scheme, "http"))
        return 80;
    return 0;
}

/* The member of module m a pair under "data.<m>." sets. */
static void member(xs_zgrab2 *z, mod *m, unsigned mi, xs_str k, xs_str v, size_t *nh,
                   bool *hcut)
{
    xs_str r;
    if (eq(k, "status"))
        m->status = v;
    else if (eq(k, "protocol"))
        m->protocol = v;
    else if (eq(k, "timestamp"))
        m->timestamp = v;
    else if (starts(k, "result.response.", &r)) {
        m->response = true;
        xs_str h;
        if (eq(r, "status_code"))
            m->code = code_of(v);
        else if (eq(r, "body")) {
            m->body = v;
            m->body_set = true;
        } else if (eq(r, "request.url.scheme"))
            m->scheme = v;
        else if (eq(r, "request.url.host"))
            m->host = v;
        else if (starts(r, "headers.", &h)) {
            xs_str name;
            if (eq(h, "unknown.key")) {
                m->key = v;
                m->header_open = true;
                return;
            }
            if (eq(h, "unknown.value")) {
                if (!m->header_open)
                    return;
                name = m->key;
            } else if (memchr(h.p, '.', h.n)) {
                return;
            } else {
                name = h;
            }
            if (*nh == XS_PROBE_MAX_HEADERS) {
                *hcut = true;
                return;
            }
            z->hdr[*nh] = (xs_http_header){name, v};
            z->hmod[(*nh)++] = (unsigned char)mi;
        }
    } else if (starts(k, "result.redirect_response_chain.request.url.", &r)) {
        if (eq(r, "scheme") && !m->cscheme.p)
            m->cscheme = v;
        else if (eq(r, "host") && !m->chost.p)
            m->chost = v;
    }
}

int xs_zgrab2_line(xs_zgrab2 *z, const char *p, size_t n, xs_probe_rec *recs, size_t *nrecs,
                   uint64_t *noresp, const char **why, const char **note)
{
    *nrecs = 0;
    *note = NULL;
    size_t np = 0;
    if (n > XS_PROBE_MAX_LINE || xs_json_paths_depth(p, n, z->pairs, XS_PROBE_MAX_PAIRS, &np,
                                                     z->scratch, z->paths, XS_PROBE_PATHS,
                                                     XS_PROBE_JSON_DEPTH) < 0) {
        *why = "not a JSON object (or malformed, or nested deeper than 64)";
        return -1;
    }
    if (np == XS_PROBE_MAX_PAIRS)
        *note = "more than 8192 values: the rest of the line was not read";
    mod mods[XS_PROBE_MAX_MODULES];
    size_t nm = 0, nh = 0;
    bool mcut = false, hcut = false;
    xs_str ip = XS_STR_NULL, domain = XS_STR_NULL;
    for (size_t i = 0; i < np; i++) {
        xs_str k = z->pairs[i].key, v = z->pairs[i].value, r;
        if (eq(k, "ip")) {
            ip = v;
            continue;
        }
        if (eq(k, "domain")) {
            domain = v;
            continue;
        }
        if (!starts(k, "data.", &r))
            continue;
        const char *dot = memchr(r.p, '.', r.n);
        if (!dot)
            continue;
        xs_str name = xs_str_make(r.p, (size_t)(dot - r.p));
        xs_str rest = xs_str_make(dot + 1, r.n - name.n - 1);
        unsigned mi = 0;
        while (mi < nm && !(mods[mi].name.n == name.n && memcmp(mods[mi].name.p, name.p, name.n) == 0))
            mi++;
        if (mi == nm) {
            if (nm == XS_PROBE_MAX_MODULES) {
                mcut = true;
                continue;
            }
            memset(&mods[nm], 0, sizeof mods[nm]);
            mods[nm++].name = name;
        }
        member(z, &mods[mi], mi, rest, v, &nh, &hcut);
    }
    if (mcut)
        *note = "more modules than 16 in the line: the rest were not read";
    else if (hcut)
        *note = "more than 256 response header values: the rest were not looked at";
    bool any = false;
    for (size_t i = 0; i < nm; i++) {
        mod *m = &mods[i];
        bool http = eq(m->protocol, "http") || eq(m->name, "http") || m->response;
        if (!http)
            continue;
        any = true;
        if (!m->response) {
            (*noresp)++;
            continue;
        }
        xs_str bare;
        unsigned port = m->chost.p || m->cscheme.p ? port_of(m->cscheme, m->chost, &bare)
                                                   : port_of(m->scheme, m->host, &bare);
        xs_probe_rec *rec = &recs[*nrecs];
        memset(rec, 0, sizeof *rec);
        rec->host = ip.n ? ip : domain.n ? domain : bare;
        rec->name = domain;
        rec->seen = m->timestamp;
        rec->port = port;
        if (!port) {
            *why = "a response without a request URL that gives its port";
            return -1;
        }
        size_t k = 0;
        for (size_t j = 0; j < nh; j++)
            if (z->hmod[j] == i)
                z->one[k++] = z->hdr[j];
        xs_fp_http(m->code, z->one, k, m->body_set ? m->body.p : NULL, m->body.n, &rec->fp);
        (*nrecs)++;
    }
    if (!any) {
        *why = "no http module result in the line (not ZGrab2's http module output)";
        return -1;
    }
    return 0;
}
