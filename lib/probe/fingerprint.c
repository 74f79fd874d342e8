/* Exchange or not, and the build, from one HTTP response (fingerprint.h). */
#include "probe/fingerprint.h"

#include <string.h>

#include "core/limits.h"
#include "parsers/xmltag.h"

const char *xs_fp_src_name(xs_fp_src s)
{
    switch (s) {
    case XS_FP_HEADER: return "X-OWA-Version header";
    case XS_FP_MANIFEST: return "export tool manifest";
    case XS_FP_PATH: return "logon page path";
    case XS_FP_REPORT: return "Shadowserver version";
    case XS_FP_NONE: break;
    }
    return "";
}

size_t xs_http_headers(const char *raw, size_t n, xs_http_header *h, size_t cap)
{
    size_t off = 0, k = 0;
    bool first = true;
    while (off < n && k < cap) {
        xs_str l = xs_next_line(raw, n, &off);
        if (l.n && l.p[l.n - 1] == '\r')
            l.n--;
        if (first) {
            first = false;
            continue;
        }
        if (!l.n || l.p[0] == ' ' || l.p[0] == '\t')
            continue;
        const char *colon = memchr(l.p, ':', l.n);
        if (!colon)
            continue;
        h[k].name = xs_str_make(l.p, (size_t)(colon - l.p));
        h[k].value = xs_str_trim(xs_str_make(colon + 1, l.n - (size_t)(colon + 1 - l.p)));
        k++;
    }
    return k;
}

bool xs_fp_header_is(xs_str n, const char *name)
{
    size_t i = 0;
    for (; i < n.n && name[i]; i++) {
        char c = xs_lower(n.p[i]);
        if (c == '-')
            c = '_';
        if (c != name[i])
            return false;
    }
    return i == n.n && name[i] == '\0';
}

/* The first case-insensitive occurrence of lit in p[0..n), or NULL. */
static const char *find_ci(const char *p, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    for (size_t i = 0; l && i + l <= n; i++)
        if (xs_lower(p[i]) == lit[0] && xs_mem_ieq(p + i, lit, l))
            return p + i;
    return NULL;
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A plausible build of exactly nparts at v (surrounding spaces trimmed). */
static bool build_of(xs_str v, bool three, xs_build *b)
{
    while (v.n && (v.p[0] == ' ' || v.p[0] == '\t')) {
        v.p++;
        v.n--;
    }
    while (v.n && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t'))
        v.n--;
    return v.n && xs_build_parse(v.p, v.n, three, b) && xs_build_plausible(b);
}

/* The highest build among the body's /owa/auth/<a.b.c>/ and /owa/<a.b.c>/ paths. */
static bool body_paths(const char *p, size_t n, xs_build *best)
{
    bool found = false;
    const char *end = p + n;
    for (const char *q = p; q < end;) {
        const char *o = find_ci(q, (size_t)(end - q), "/owa/");
        if (!o)
            break;
        const char *s = o + 5;
        q = s;
        if ((size_t)(end - s) >= 5 && xs_mem_ieq(s, "auth/", 5))
            s += 5;
        const char *t = s;
        int dots = 0;
        while (t < end && (t - s) < 24 && (digit(*t) || *t == '.'))
            dots += *t++ == '.';
        xs_build b;
        if (t < end && *t == '/' && dots == 2 && build_of(xs_str_make(s, (size_t)(t - s)), true, &b) &&
            b.nparts == 3 && (!found || xs_build_cmp(&b, best) > 0)) {
            *best = b;
            found = true;
        }
    }
    return found;
}

/* The export tool manifest's assemblyIdentity version, of an identity Exchange's own. */
static int manifest(const char *p, size_t n, xs_build *b)
{
    if (!find_ci(p, n, "assemblyIdentity"))
        return 0;
    size_t pos = 0;
    xs_xml_tag t;
    while (xs_xml_next(p, n, &pos, &t)) {
        if (t.closing)
            continue;
        xs_str name = t.name;
        const char *colon = name.n ? memchr(name.p, ':', name.n) : NULL; /* asmv1:... */
        if (colon)
            name = xs_str_make(colon + 1, name.n - (size_t)(colon + 1 - name.p));
        if (name.n != 16 || !xs_mem_ieq(name.p, "assemblyIdentity", 16))
            continue;
        xs_str id = xs_xml_attr_get(&t, "name");
        if (!find_ci(id.p ? id.p : "", id.n, "microsoft.exchange."))
            continue;
        return build_of(xs_xml_attr_get(&t, "version"), false, b) ? 1 : -1;
    }
    return 0;
}

void xs_fp_http(int status, const xs_http_header *h, size_t nh, const char *body, size_t nbody,
                xs_fingerprint *out)
{
    memset(out, 0, sizeof *out);
    out->why = "no Exchange header, redirect or page";
    bool owa_header = false;
    for (size_t i = 0; i < nh; i++) {
        xs_str n = h[i].name, v = h[i].value;
        xs_build b;
        if (xs_fp_header_is(n, "x_owa_version")) {
            owa_header = true;
            if (out->src < XS_FP_HEADER && build_of(v, false, &b)) {
                out->build = b;
                out->src = XS_FP_HEADER;
            }
        } else if (!out->exchange && (xs_fp_header_is(n, "x_feserver") ||
                                      xs_fp_header_is(n, "x_beserver") ||
                                      xs_fp_header_is(n, "x_calculatedbetarget"))) {
            out->exchange = true;
            out->why = "X-FEServer, X-BEServer or X-CalculatedBETarget header";
        } else if (!out->exchange && xs_fp_header_is(n, "location") &&
                   find_ci(v.p ? v.p : "", v.n, "/owa/auth/logon.aspx")) {
            out->exchange = true;
            out->why = "redirect to /owa/auth/logon.aspx";
        }
    }
    if (owa_header) {
        out->exchange = true;
        out->why = "X-OWA-Version header";
    }
    if (!body || status == 404)
        return;
    if (nbody > XS_PROBE_MAX_BODY) {
        nbody = XS_PROBE_MAX_BODY;
        out->body_cut = true;
    }
    xs_build b;
    int m = manifest(body, nbody, &b);
    if (m != 0) {
        out->exchange = true;
        if (!owa_header)
            out->why = "export tool manifest";
        if (m > 0 && out->src < XS_FP_MANIFEST) {
            out->build = b;
            out->src = XS_FP_MANIFEST;
        }
        return;
    }
    if (body_paths(body, nbody, &b)) {
        if (!owa_header)
            out->why = "logon page path";
        out->exchange = true;
        if (out->src < XS_FP_PATH) {
            out->build = b;
            out->src = XS_FP_PATH;
        }
    } else if (!out->exchange && find_ci(body, nbody, "/owa/auth/")) {
        out->exchange = true;
        out->why = "a page that links /owa/auth/";
    }
}

void xs_fp_merge(xs_fingerprint *a, const xs_fingerprint *b)
{
    if (b->exchange && !a->exchange) {
        a->exchange = true;
        a->why = b->why;
    }
    a->body_cut = a->body_cut || b->body_cut;
    if (b->src > a->src || (b->src == a->src && b->src != XS_FP_NONE &&
                            xs_build_cmp(&b->build, &a->build) > 0)) {
        a->build = b->build;
        a->src = b->src;
        if (b->exchange)
            a->why = b->why;
    }
}
