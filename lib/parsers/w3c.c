/* IIS W3C extended logs. */
#include "core/timeparse.h"
#include "exsweep/finding.h"
#include "parsers/w3c.h"

static const struct {
    const char *name;
    enum xs_w3c_field f;
} known[] = {
    {"date", W3C_DATE},
    {"time", W3C_TIME},
    {"s-ip", W3C_S_IP},
    {"cs-method", W3C_METHOD},
    {"cs-uri-stem", W3C_STEM},
    {"cs-uri-query", W3C_QUERY},
    {"s-port", W3C_S_PORT},
    {"cs-username", W3C_USER},
    {"c-ip", W3C_C_IP},
    {"cs(User-Agent)", W3C_UA},
    {"cs(Referer)", W3C_REFERER},
    {"sc-status", W3C_STATUS},
    {"sc-substatus", W3C_SUBSTATUS},
    {"sc-win32-status", W3C_WIN32},
    {"time-taken", W3C_TIME_TAKEN},
    {"cs-host", W3C_HOST},
    {"cs(Host)", W3C_HOST},
    {"X-Forwarded-For", W3C_XFF},
    {"cs(X-Forwarded-For)", W3C_XFF},
    {"OriginalIP", W3C_XFF},
    {"cs-uri", W3C_URI}, /* HTTPERR */
    {"s-sitename", W3C_S_SITENAME},
    {"cs(Cookie)", W3C_COOKIE}, /* not logged by default; some servers add it */
};

static void schema_reset(xs_w3c_schema *s)
{
    s->n = 0;
    for (int i = 0; i < W3C__COUNT; i++)
        s->idx[i] = -1;
}

/* The next field separated by spaces or tabs; false at the end of the line. */
static bool next_token(const char **pp, const char *end, xs_str *out)
{
    const char *p = *pp;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end)
        return false;
    const char *q = p;
    while (q < end && *q != ' ' && *q != '\t')
        q++;
    *out = xs_str_make(p, (size_t)(q - p));
    *pp = q;
    return true;
}

static void schema_from_list(xs_w3c_schema *s, const char *p, const char *end)
{
    schema_reset(s);
    xs_str name;
    while (s->n < XS_MAX_FIELDS && next_token(&p, end, &name)) {
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            if (s->idx[known[k].f] < 0 && xs_str_ieq(name, known[k].name))
                s->idx[known[k].f] = (int)s->n;
        s->n++;
    }
}

void xs_w3c_schema_default(xs_w3c_schema *s)
{
    static const char def[] = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port "
                              "cs-username c-ip cs(User-Agent) cs(Referer) sc-status "
                              "sc-substatus sc-win32-status time-taken";
    schema_from_list(s, def, def + sizeof def - 1);
    s->date[0] = 0;
}

bool xs_w3c_directive(xs_w3c_schema *s, const char *line, size_t len)
{
    const char *p = line, *end = line + len;
    if (len && end[-1] == '\r')
        end--;
    if (p >= end || *p != '#')
        return false;
    p++;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    xs_str rest = xs_str_make(p, (size_t)(end - p));
    if (xs_str_istarts(rest, "Fields:")) {
        schema_from_list(s, p + 7, end);
        return true;
    }
    if (xs_str_istarts(rest, "Date:")) {
        xs_str d = xs_str_trim(xs_str_make(p + 5, (size_t)(end - p - 5)));
        if (d.n >= 10 && xs_time_parse_w3c(xs_str_make(d.p, 10), XS_LIT("00:00:00")) !=
                             EXS_TIME_NONE) {
            memcpy(s->date, d.p, 10);
            s->date[10] = 0;
        }
    }
    return false;
}

void xs_w3c_split(const xs_w3c_schema *s, const char *line, size_t len, xs_w3c_row *row)
{
    const char *p = line, *end = line + len;
    if (len && end[-1] == '\r')
        end--;
    /* Tokenise everything first (bounded), then fold surplus tokens. */
    row->n = 0;
    row->merged = false;
    row->short_row = false;
    xs_str t;
    while (next_token(&p, end, &t)) {
        if (row->n == XS_MAX_FIELDS) {
            xs_str *last = &row->f[XS_MAX_FIELDS - 1];
            last->n = (size_t)(end - last->p);
            row->merged = true;
            break;
        }
        row->f[row->n++] = t;
    }
    size_t want = s->n;
    if (want == 0 || row->n == want)
        return;
    if (row->n < want) {
        row->short_row = true;
        return;
    }
    /* More tokens than fields: raw spaces inside a value. The user agent is the usual
     * culprit; otherwise the last field absorbs the rest. */
    int ua = s->idx[W3C_UA];
    size_t fold = (ua >= 0 && (size_t)ua < want) ? (size_t)ua : want - 1;
    size_t extra = row->n - want;
    const char *fs = row->f[fold].p;
    const char *fe = row->f[fold + extra].p + row->f[fold + extra].n;
    row->f[fold] = xs_str_make(fs, (size_t)(fe - fs));
    memmove(&row->f[fold + 1], &row->f[fold + 1 + extra],
            (row->n - fold - 1 - extra) * sizeof row->f[0]);
    row->n = want;
    row->merged = true;
}

bool xs_w3c_looks_like_row(const char *line, size_t len)
{
    if (len < 20)
        return false;
    if (xs_time_parse_w3c(xs_str_make(line, 10), xs_str_make(line + 11, 8)) == EXS_TIME_NONE ||
        line[10] != ' ' || line[19] != ' ')
        return false;
    size_t tokens = 1;
    for (size_t i = 0; i < len && tokens < 12; i++)
        if (line[i] == ' ' && i + 1 < len && line[i + 1] != ' ')
            tokens++;
    return tokens >= 12;
}
