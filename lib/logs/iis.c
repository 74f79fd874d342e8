/* Reader of IIS W3C logs (front end W3SVC1, back end W3SVC2, HTTPERR). */
#include <stdio.h>
#include <string.h>
#include "core/timeparse.h"
#include "detectors/detect.h"
#include "detectors/sigma.h"
#include "exsweep/finding.h"
#include "engines/prefilter.h"
#include "logs/kinds.h"
#include "parsers/w3c.h"
#include "scan/ctx.h"

/* The W3C reader's state (one per worker, reset per file). */
typedef struct iis_state {
    char *scratch; /* the shared room */
    xs_w3c_schema w3c;
    xs_w3c_row wrow;
    char last_sip[64]; /* the server address (s-ip) last noted for this file */
} iis_state;

static void iis_reset(void *own, xs_kind k, char *scratch)
{
    (void)k;
    iis_state *st = own;
    st->scratch = scratch;
    st->w3c.n = 0;
    st->w3c.date[0] = 0;
    st->last_sip[0] = 0;
    for (int i = 0; i < W3C__COUNT; i++)
        st->w3c.idx[i] = -1;
}

static const xs_logstate_type iis_state_type = {sizeof(iis_state), NULL, NULL, iis_reset};

static void iis_directive(xs_logstate *ls, xs_ctx *c, xs_str line, uint64_t lineno)
{
    iis_state *st = ls->own;
    (void)c;
    (void)lineno;
    xs_w3c_directive(&st->w3c, line.p, line.n);
}

static bool iis_first_line(xs_logstate *ls, xs_ctx *c, xs_str line)
{
    iis_state *st = ls->own;
    (void)c;
    (void)line;
    if (st->w3c.n == 0)
        xs_w3c_schema_default(&st->w3c);
    return false;
}

#define W(f) xs_w3c_get(&st->w3c, &st->wrow, (f))

static int64_t iis_time(iis_state *st)
{
    xs_str d = W(W3C_DATE), t = W(W3C_TIME);
    if (d.n == 0 && st->w3c.date[0])
        d = xs_str_cstr(st->w3c.date);
    return xs_time_parse_w3c(d, t);
}

/* IIS writes spaces in the user agent as '+': decode for comparisons and display. */
static xs_str plus_to_space(xs_str s, char *out)
{
    for (size_t i = 0; i < s.n; i++)
        out[i] = s.p[i] == '+' ? ' ' : s.p[i];
    return xs_str_make(out, s.n);
}

static void iis_row(xs_logstate *ls, xs_ctx *c, xs_str line, uint64_t lineno)
{
    iis_state *st = ls->own;
    if (st->w3c.n == 0)
        xs_w3c_schema_default(&st->w3c);
    xs_w3c_split(&st->w3c, line.p, line.n, &st->wrow);
    if (c->sigma)
        xs_sigrun_w3c(c, &st->w3c, &st->wrow, line, lineno, iis_time(st));
    xs_request r;
    memset(&r, 0, sizeof r);
    r.time_ms = iis_time(st);
    r.line = lineno;
    r.method = W(W3C_METHOD);
    r.stem = W(W3C_STEM);
    r.query = W(W3C_QUERY);
    xs_str uri = W(W3C_URI);
    if (r.stem.n == 0 && uri.n) { /* HTTPERR logs the whole URI */
        const char *q = memchr(uri.p, '?', uri.n);
        r.stem = q ? xs_str_make(uri.p, (size_t)(q - uri.p)) : uri;
        if (q)
            r.query = xs_str_make(q + 1, (size_t)(uri.p + uri.n - q - 1));
    }
    if (r.time_ms == EXS_TIME_NONE || r.stem.n == 0) {
        c->rows_bad++;
        xs_warn(c->scan, XS_W_BAD_ROW, c->file, lineno, "IIS row without %s",
                 r.stem.n ? "a valid date and time" : "a URL");
        if (r.stem.n == 0)
            return;
    }
    r.ua = plus_to_space(W(W3C_UA), st->scratch);
    xs_str xff = W(W3C_XFF);
    if (xff.n) {
        const char *comma = memchr(xff.p, ',', xff.n);
        r.ip = xs_str_trim(comma ? xs_str_make(xff.p, (size_t)(comma - xff.p)) : xff);
    } else {
        r.ip = W(W3C_C_IP);
    }
    r.user = W(W3C_USER);
    r.user_logged = st->w3c.idx[W3C_USER] >= 0;
    r.host = W(W3C_HOST);
    r.cookie = W(W3C_COOKIE);
    long port = xs_str_uint(W(W3C_S_PORT), 65535);
    r.port = port < 0 ? 0 : (int)port;
    /* Exchange's back-end site (W3SVC2, port 444) logs the front end as its client */
    r.backend = r.port == 444 || strstr(c->family, "W3SVC2") != NULL;
    long status = xs_str_uint(W(W3C_STATUS), 999);
    r.status = status < 0 ? -1 : (int)status;
    r.raw = line;
    xs_str sip = xs_str_trim(W(W3C_S_IP));
    if (sip.n && sip.n < sizeof st->last_sip && !xs_str_eq(sip, st->last_sip)) {
        memcpy(st->last_sip, sip.p, sip.n);
        st->last_sip[sip.n] = 0;
        xs_note_server_address(c, sip);
    }
    xs_detect_request(c, &r);
}

static int64_t iis_row_time(xs_logstate *ls, xs_str line)
{
    iis_state *st = ls->own;
    int di = st->w3c.idx[W3C_DATE], ti = st->w3c.idx[W3C_TIME];
    if ((st->w3c.n == 0 || (di == 0 && ti == 1)) && line.n >= 19)
        return xs_time_parse_w3c(xs_str_make(line.p, 10), xs_str_make(line.p + 11, 8));
    if (di < 0 && ti == 0 && st->w3c.date[0] && line.n >= 8)
        return xs_time_parse_w3c(xs_str_cstr(st->w3c.date), xs_str_make(line.p, 8));
    return xs_find_time(line);
}

/* ---------------------------------------------------------------- classification */

/* A #Software line of IIS or of HTTP.sys (HTTPERR), or a #Fields line of W3C field names. */
static bool iis_directives(const xs_head *h)
{
    xs_str f = h->fields;
    return xs_head_software(h, "Internet Information Services") ||
           xs_head_software(h, "HTTP API") ||
           (f.n && !memchr(f.p, ',', f.n) &&
            (xs_str_icontains(f, "cs-") || xs_str_icontains(f, "c-ip")));
}

/* A headerless excerpt: its first line is a W3C row (date, time, then fields). */
static bool iis_first(const xs_head *h)
{
    return !h->header && xs_w3c_looks_like_row(h->first.p, h->first.n);
}

/* IIS/W3SVC<n>: the site's folder, upper-cased as IIS names it. */
static bool w3svc_refine(const char *sub, char *family, size_t cap)
{
    size_t n = strcspn(sub, "/");
    if (sub[n] != '/' || n >= 32)
        return false; /* a file named w3svc..., not a site's folder */
    char site[32];
    for (size_t i = 0; i < n; i++)
        site[i] = (char)(sub[i] >= 'a' && sub[i] <= 'z' ? sub[i] - 32 : sub[i]);
    site[n] = 0;
    snprintf(family, cap, "IIS/%s", site);
    return true;
}

/* ---------------------------------------------------------------- descriptor */

/* Request-shaped: the ProxyLogon, ProxyShell and web-shell detectors' patterns, with the path
 * expressions of W3C logs. */
static const xs_pattern *const pl_request_w3c[] = {
    xs_pat_directive, xs_pat_proxylogon, xs_pat_webshell, xs_pat_proxyshell,
    xs_pat_decoded,   xs_pat_paths_w3c,  NULL};
static const xs_pattern_set set_request_w3c = {pl_request_w3c, xs_conj_request};

static const xs_logplace iis_places[] = {
    {"/logfiles/", "w3svc", "IIS", w3svc_refine, false},
    {"/logfiles/", "httperr/", "IIS/HTTPERR", NULL, false},
    {NULL}};

const xs_logkind xs_logkind_iis = {
    .kind = XS_KIND_IIS, .name = "iis", .family = "IIS",
    .flags = XS_KF_PARSED | XS_KF_STRUCTURED, .places = iis_places,
    .sniff = {.directives = iis_directives, .first = iis_first},
    .patterns = &set_request_w3c, .state = &iis_state_type, .directive = iis_directive,
    .first_line = iis_first_line, .row = iis_row, .row_time = iis_row_time};
