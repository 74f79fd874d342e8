/* Reader of IIS W3C logs (front end W3SVC1, back end W3SVC2, HTTPERR). */
#include <string.h>
#include "core/timeparse.h"
#include "detectors/detect.h"
#include "exsweep/finding.h"
#include "logs/state.h"
#include "scan/ctx.h"

static void iis_directive(exs_logstate *st, exs_ctx *c, exs_str line, uint64_t lineno)
{
    (void)c;
    (void)lineno;
    exs_w3c_directive(&st->w3c, line.p, line.n);
}

static bool iis_first_line(exs_logstate *st, exs_ctx *c, exs_str line)
{
    (void)c;
    (void)line;
    if (st->w3c.n == 0)
        exs_w3c_schema_default(&st->w3c);
    return false;
}

#define W(f) exs_w3c_get(&st->w3c, &st->wrow, (f))

static int64_t iis_time(exs_logstate *st)
{
    exs_str d = W(W3C_DATE), t = W(W3C_TIME);
    if (d.n == 0 && st->w3c.date[0])
        d = exs_str_cstr(st->w3c.date);
    return exs_time_parse_w3c(d, t);
}

/* IIS writes spaces in the user agent as '+': decode for comparisons and display. */
static exs_str plus_to_space(exs_str s, char *out)
{
    for (size_t i = 0; i < s.n; i++)
        out[i] = s.p[i] == '+' ? ' ' : s.p[i];
    return exs_str_make(out, s.n);
}

static void iis_row(exs_logstate *st, exs_ctx *c, exs_str line, uint64_t lineno)
{
    if (st->w3c.n == 0)
        exs_w3c_schema_default(&st->w3c);
    exs_w3c_split(&st->w3c, line.p, line.n, &st->wrow);
    exs_request r;
    memset(&r, 0, sizeof r);
    r.time_ms = iis_time(st);
    r.line = lineno;
    r.method = W(W3C_METHOD);
    r.stem = W(W3C_STEM);
    r.query = W(W3C_QUERY);
    exs_str uri = W(W3C_URI);
    if (r.stem.n == 0 && uri.n) { /* HTTPERR logs the whole URI */
        const char *q = memchr(uri.p, '?', uri.n);
        r.stem = q ? exs_str_make(uri.p, (size_t)(q - uri.p)) : uri;
        if (q)
            r.query = exs_str_make(q + 1, (size_t)(uri.p + uri.n - q - 1));
    }
    if (r.time_ms == EXS_TIME_NONE || r.stem.n == 0) {
        c->rows_bad++;
        exs_warn(c->scan, EXS_W_BAD_ROW, c->file, lineno, "IIS row without %s",
                 r.stem.n ? "a valid date and time" : "a URL");
        if (r.stem.n == 0)
            return;
    }
    r.ua = plus_to_space(W(W3C_UA), st->scratch);
    exs_str xff = W(W3C_XFF);
    if (xff.n) {
        const char *comma = memchr(xff.p, ',', xff.n);
        r.ip = exs_str_trim(comma ? exs_str_make(xff.p, (size_t)(comma - xff.p)) : xff);
    } else {
        r.ip = W(W3C_C_IP);
    }
    r.user = W(W3C_USER);
    r.user_logged = st->w3c.idx[W3C_USER] >= 0;
    r.host = W(W3C_HOST);
    long port = exs_str_uint(W(W3C_S_PORT), 65535);
    r.port = port < 0 ? 0 : (int)port;
    /* Exchange's back-end site (W3SVC2, port 444) logs the front end as its client */
    r.backend = r.port == 444 || strstr(c->family, "W3SVC2") != NULL;
    long status = exs_str_uint(W(W3C_STATUS), 999);
    r.status = status < 0 ? -1 : (int)status;
    r.raw = line;
    exs_str sip = exs_str_trim(W(W3C_S_IP));
    if (sip.n && sip.n < sizeof st->last_sip && !exs_str_eq(sip, st->last_sip)) {
        memcpy(st->last_sip, sip.p, sip.n);
        st->last_sip[sip.n] = 0;
        exs_note_server_address(c, sip);
    }
    exs_detect_request(c, &r);
}

static int64_t iis_row_time(exs_logstate *st, exs_str line)
{
    int di = st->w3c.idx[W3C_DATE], ti = st->w3c.idx[W3C_TIME];
    if ((st->w3c.n == 0 || (di == 0 && ti == 1)) && line.n >= 19)
        return exs_time_parse_w3c(exs_str_make(line.p, 10), exs_str_make(line.p + 11, 8));
    if (di < 0 && ti == 0 && st->w3c.date[0] && line.n >= 8)
        return exs_time_parse_w3c(exs_str_cstr(st->w3c.date), exs_str_make(line.p, 8));
    return exs_find_time(line);
}

const exs_logkind exs_logkind_iis = {EXS_KIND_IIS, iis_directive, iis_first_line, iis_row,
                                     iis_row_time};
