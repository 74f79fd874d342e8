/* Readers of CSV-shaped logs: Exchange HttpProxy, ECP Server, Rps_Http, Rps_Cmdlet, the rest
 * of the Exchange CSV family (coverage only), and CSV exports of web requests. */
#include <stdio.h>

#include "core/timeparse.h"
#include "detectors/detect.h"
#include "detectors/sigma.h"
#include "exsweep/finding.h"
#include "core/limits.h"
#include "engines/prefilter.h"
#include "logs/kinds.h"
#include "parsers/csv.h"
#include "scan/ctx.h"
#include "state/observe.h"

/* Columns a reader may need, resolved by name whenever the schema changes. */
enum xs_col {
    C_TIME, C_IP, C_UA, C_METHOD, C_HOST, C_STEM, C_QUERY, C_STATUS, C_USER, C_ANCHOR,
    C_ROUTING, C_PROTOCOL, C_ISAUTH, C_AUTHTYPE, C_CLIENTINFO, C_GENERICINFO, C_CMDLET,
    C_PARAMS, C_CLIENTAPP, C_RESULT, C_EVENTDATA, C_TARGET, C_BESTATUS, C_MAJOR, C__COUNT
};

#define SCHEMA_CACHE_TEXT 4096 /* longest header text whose schema is kept between files */

/* The CSV schema of the last file read, kept across files (the reset leaves it): the hourly
 * logs of one folder repeat their header, and building a schema (names, duplicates, column
 * bindings) was a tenth of the time of a small log file. */
typedef struct schema_cache {
    bool valid;
    xs_kind kind;
    bool header; /* the text is a header row (xs_csv_looks_like_header) */
    size_t len;
    char text[SCHEMA_CACHE_TEXT];
    xs_csv_schema schema;
    int col[C__COUNT];
} schema_cache;

/* The CSV readers' state (one per worker, shared by the CSV kinds, reset per file). */
typedef struct csv_state {
    xs_kind kind;
    char *scratch; /* the shared room, 2 * XS_MAX_LINE */
    xs_csv_schema schema;
    bool have_schema;
    bool fields_directive; /* a #Fields line was seen: it wins over bare headers */
    int col[C__COUNT];
    xs_csv_row row;
    unsigned schema_changes;
    size_t schema_renamed; /* duplicated/empty column names in the current schema */
    bool warned_names;     /* ...reported once per file */
    unsigned long fields_hash;
    bool warned_wide; /* the XS_MAX_FIELDS warning was given for this file */
    schema_cache cache;
    /* The build the file says it was written by (the server's own state): its #Version
     * line, and the version columns of its first and last rows with a time. */
    xs_build hdr;
    uint64_t hdr_line; /* 0: no #Version line */
    xs_build row_first, row_last;
    int64_t row_first_ms, row_last_ms; /* EXS_TIME_NONE: no row with a version and a time */
} csv_state;

static void csv_reset(void *own, xs_kind k, char *scratch)
{
    csv_state *st = own;
    st->kind = k;
    st->scratch = scratch;
    st->have_schema = false;
    st->fields_directive = false;
    st->schema_changes = 0;
    st->schema_renamed = 0;
    st->warned_names = false;
    st->warned_wide = false;
    st->fields_hash = 0;
    st->schema.n = 0;
    st->hdr_line = 0;
    st->row_first_ms = st->row_last_ms = EXS_TIME_NONE;
    for (int i = 0; i < C__COUNT; i++)
        st->col[i] = -1;
}

static const xs_logstate_type csv_state_type = {sizeof(csv_state), NULL, NULL, csv_reset};

/* Column names per binding. Exchange logs use exact names; exports also accept synonyms and,
 * as a last resort, a name that contains one of the fuzzy words. */
static const struct {
    const char *exact;
    const char *fuzzy;
} colnames[C__COUNT] = {
    [C_TIME] = {"DateTime|TimeStamp|date-time|@timestamp|EventTime|TimeGenerated|time|date",
                "time|date"},
    [C_IP] = {"ClientIpAddress|ClientIp|c-ip|client-ip|ip|SourceIp|src_ip|source.ip|RemoteIp|IpAddress",
              "clientip|c-ip"},
    [C_UA] = {"UserAgent|cs(User-Agent)|user-agent|user_agent|user_agent.original|agent", "agent"},
    [C_METHOD] = {"Method|cs-method|HttpMethod|http-method|verb", "method|metode|methode"},
    [C_HOST] = {"UrlHost|cs-host|host|hostname|cs(Host)", "host"},
    [C_STEM] = {"UrlStem|cs-uri-stem|urlpath|url.path|uristem|uri|url|path|request|RequestUrl",
                "stem|urlpath|uri"},
    [C_QUERY] = {"UrlQuery|cs-uri-query|query|querystring|url.query", "query"},
    [C_STATUS] = {"HttpStatus|sc-status|status|statuscode|status_code|http.response.status_code",
                  "status"},
    [C_USER] = {"AuthenticatedUser|cs-username|username|user|user.name", NULL},
    [C_ANCHOR] = {"AnchorMailbox", NULL},
    [C_ROUTING] = {"RoutingHint", NULL},
    [C_PROTOCOL] = {"Protocol", NULL},
    [C_ISAUTH] = {"IsAuthenticated", NULL},
    [C_AUTHTYPE] = {"AuthenticationType", NULL},
    [C_CLIENTINFO] = {"ClientInfo", NULL},
    [C_GENERICINFO] = {"GenericInfo", NULL},
    [C_CMDLET] = {"Cmdlet|CmdletName", NULL},
    [C_PARAMS] = {"Parameters|NonPiiParameters", NULL},
    [C_CLIENTAPP] = {"ClientApplication", NULL},
    [C_RESULT] = {"ExecutionResult", NULL},
    [C_EVENTDATA] = {"EventData", NULL},
    [C_TARGET] = {"TargetServer", NULL},
    [C_BESTATUS] = {"BackEndStatus", NULL},
    [C_MAJOR] = {"MajorVersion", NULL}, /* then MinorVersion, BuildVersion, RevisionVersion */
};

static int find_any(const xs_csv_schema *s, const char *alts)
{
    char one[64];
    for (const char *p = alts; *p;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n < sizeof one) {
            memcpy(one, p, n);
            one[n] = 0;
            int i = xs_csv_schema_find(s, one);
            if (i >= 0)
                return i;
        }
        if (!bar)
            break;
        p = bar + 1;
    }
    return -1;
}

static int find_fuzzy(const xs_csv_schema *s, const char *alts)
{
    char one[64];
    for (const char *p = alts; *p;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n < sizeof one) {
            memcpy(one, p, n);
            one[n] = 0;
            for (size_t i = 0; i < s->n; i++)
                if (xs_str_icontains(xs_csv_schema_name(s, i), one))
                    return (int)i;
        }
        if (!bar)
            break;
        p = bar + 1;
    }
    return -1;
}

static void bind(csv_state *st)
{
    st->schema_renamed = st->schema.renamed;
    for (int k = 0; k < C__COUNT; k++) {
        st->col[k] = find_any(&st->schema, colnames[k].exact);
        if (st->col[k] < 0 && st->kind == XS_KIND_EXPORT && colnames[k].fuzzy)
            st->col[k] = find_fuzzy(&st->schema, colnames[k].fuzzy);
    }
    /* The version columns are four in a row, as Exchange writes them. */
    int v = st->col[C_MAJOR];
    if (v >= 0 && !((size_t)v + 3 < st->schema.n &&
                    xs_str_ieq(xs_csv_schema_name(&st->schema, (size_t)v + 1), "MinorVersion") &&
                    xs_str_ieq(xs_csv_schema_name(&st->schema, (size_t)v + 2), "BuildVersion") &&
                    xs_str_ieq(xs_csv_schema_name(&st->schema, (size_t)v + 3), "RevisionVersion")))
        st->col[C_MAJOR] = -1;
    /* An export's path column must not also be its query or host column. */
    if (st->col[C_QUERY] == st->col[C_STEM])
        st->col[C_QUERY] = -1;
    if (st->col[C_HOST] == st->col[C_STEM])
        st->col[C_HOST] = -1;
    st->have_schema = true;
}

/* The previous file's schema when its header text was the same (the state's schema_cache). */
static bool cache_get(csv_state *st, xs_str text, bool want_header)
{
    const schema_cache *k = &st->cache;
    if (!k->valid || k->kind != st->kind || k->len != text.n || (want_header && !k->header) ||
        memcmp(k->text, text.p, text.n) != 0)
        return false;
    xs_csv_schema_copy(&st->schema, &k->schema);
    memcpy(st->col, k->col, sizeof st->col);
    st->schema_renamed = 0;
    st->have_schema = true;
    return true;
}

/* Keeps the schema just built from text. Headers with renamed or folded columns are not kept:
 * their warnings are given per file. */
static void cache_put(csv_state *st, xs_str text, bool header)
{
    schema_cache *k = &st->cache;
    if (st->schema.renamed || st->row.merged || text.n > sizeof k->text)
        return;
    k->valid = true;
    k->kind = st->kind;
    k->header = header;
    k->len = text.n;
    memcpy(k->text, text.p, text.n);
    xs_csv_schema_copy(&k->schema, &st->schema);
    memcpy(k->col, st->col, sizeof k->col);
}

static void default_schema(csv_state *st)
{
    switch (st->kind) {
    case XS_KIND_HTTPPROXY: xs_csv_schema_set_list(&st->schema, xs_csv_fields_httpproxy); break;
    case XS_KIND_ECP: xs_csv_schema_set_list(&st->schema, xs_csv_fields_ecp); break;
    case XS_KIND_RPSHTTP: xs_csv_schema_set_list(&st->schema, xs_csv_fields_rpshttp); break;
    case XS_KIND_RPSCMDLET: xs_csv_schema_set_list(&st->schema, xs_csv_fields_rpscmdlet); break;
    default: st->schema.n = 0; break;
    }
    bind(st);
}

/* Columns past XS_MAX_FIELDS are folded into the last one: counted once per file. */
static void warn_wide(csv_state *st, xs_ctx *c, uint64_t lineno, const char *what)
{
    if (!st->row.merged || st->warned_wide)
        return;
    st->warned_wide = true;
    xs_warn(c->scan, XS_W_LIMIT, c->file, lineno,
             "%s with more than %d columns; the rest is read as one field", what, XS_MAX_FIELDS);
}

static unsigned long hash_line(xs_str s)
{
    unsigned long h = 5381;
    for (size_t i = 0; i < s.n; i++)
        h = h * 33 + (unsigned char)s.p[i];
    return h ^ s.n;
}

static void note_names(csv_state *st, xs_ctx *c, uint64_t lineno)
{
    if (!st->schema_renamed || st->warned_names)
        return;
    st->warned_names = true;
    xs_warn(c->scan, XS_W_SCHEMA, c->file, lineno,
             "%zu duplicated or empty column names (renamed; a name resolves to its first column)",
             st->schema_renamed);
}

static void csv_directive(xs_logstate *ls, xs_ctx *c, xs_str line, uint64_t lineno)
{
    csv_state *st = ls->own;
    xs_str t = xs_str_make(line.p + 1, line.n - 1);
    while (t.n && (t.p[0] == ' ' || t.p[0] == '\t')) {
        t.p++;
        t.n--;
    }
    if (xs_str_istarts(t, "Version:")) {
        xs_str v = xs_str_trim(xs_str_make(t.p + 8, t.n - 8));
        if (st->kind != XS_KIND_EXPORT && !st->hdr_line &&
            xs_build_parse(v.p, v.n, false, &st->hdr) && xs_build_plausible(&st->hdr))
            st->hdr_line = lineno;
        return;
    }
    if (!xs_str_istarts(t, "Fields:"))
        return;
    xs_str list = xs_str_trim(xs_str_make(t.p + 7, t.n - 7));
    unsigned long h = hash_line(list);
    if (st->fields_directive && h == st->fields_hash)
        return;
    if (++st->schema_changes > XS_MAX_SCHEMA_CHANGES) {
        if (st->schema_changes == XS_MAX_SCHEMA_CHANGES + 1)
            xs_warn(c->scan, XS_W_SCHEMA, c->file, lineno,
                     "more than %d #Fields lines; later ones ignored", XS_MAX_SCHEMA_CHANGES);
        return;
    }
    st->fields_hash = h;
    st->fields_directive = true;
    if (cache_get(st, list, false))
        return;
    xs_csv_split(list.p, list.n, &st->row, st->scratch);
    warn_wide(st, c, lineno, "#Fields line");
    xs_csv_schema_set(&st->schema, &st->row);
    bind(st);
    note_names(st, c, lineno);
    cache_put(st, list, xs_csv_looks_like_header(&st->row));
}

static bool csv_first_line(xs_logstate *ls, xs_ctx *c, xs_str line)
{
    csv_state *st = ls->own;
    if (!st->fields_directive && cache_get(st, line, true))
        return true;
    xs_csv_split(line.p, line.n, &st->row, st->scratch);
    if (xs_csv_looks_like_header(&st->row)) {
        if (!st->fields_directive) {
            xs_csv_schema_set(&st->schema, &st->row);
            bind(st);
            note_names(st, c, 1);
            cache_put(st, line, true);
        }
        return true;
    }
    if (!st->have_schema)
        default_schema(st);
    return false;
}

static int64_t csv_time_of(xs_str line);

/* The version columns of a row (four fields from column v), when they hold a build. Quoted
 * fields before them are stepped over; version columns are never quoted. */
static bool row_build(xs_str line, int v, xs_build *out)
{
    size_t i = 0, field = 0;
    while (field < (size_t)v && i < line.n) {
        bool q = false;
        for (; i < line.n && (q || line.p[i] != ','); i++)
            if (line.p[i] == '"')
                q = !q;
        i++;
        field++;
    }
    if (field != (size_t)v || i >= line.n)
        return false;
    size_t e = i;
    for (int commas = 0; e < line.n && !(line.p[e] == ',' && ++commas == 4); e++)
        ;
    return xs_build_parse(line.p + i, e - i, false, out);
}

/* ECP's S:BLD=15.1.2176.2; item of a row's EventData. */
static bool ecp_build(xs_str line, xs_build *out)
{
    long k = xs_str_ifind(line, "S:BLD=");
    if (k < 0)
        return false;
    size_t at = (size_t)k + 6, e = at;
    while (e < line.n && e - at < 24 && ((line.p[e] >= '0' && line.p[e] <= '9') || line.p[e] == '.'))
        e++;
    return xs_build_parse(line.p + at, e - at, false, out);
}

static int64_t csv_row_time(xs_logstate *ls, xs_str line)
{
    csv_state *st = ls->own;
    int64_t t = csv_time_of(line);
    xs_build b;
    bool got = st->kind == XS_KIND_ECP ? ecp_build(line, &b)
                                        : st->kind != XS_KIND_EXPORT && st->col[C_MAJOR] >= 0 &&
                                              row_build(line, st->col[C_MAJOR], &b);
    if (t != EXS_TIME_NONE && got && xs_build_plausible(&b)) {
        if (st->row_first_ms == EXS_TIME_NONE || t < st->row_first_ms) {
            st->row_first = b;
            st->row_first_ms = t;
        }
        if (st->row_last_ms == EXS_TIME_NONE || t >= st->row_last_ms) {
            st->row_last = b;
            st->row_last_ms = t;
        }
    }
    return t;
}

/* The end of a file: the builds it showed go to the server's state. */
static void csv_end(xs_logstate *ls, xs_ctx *c)
{
    csv_state *st = ls->own;
    bool rows = st->row_first_ms != EXS_TIME_NONE;
    bool same = rows && xs_build_cmp(&st->row_first, &st->row_last) == 0;
    if (st->hdr_line) {
        char d[40];
        char tb[XS_BUILD_TEXT];
        snprintf(d, sizeof d, "#Version: %s", xs_build_text(&st->hdr, tb));
        /* rows under another build by the file's end: the header vouches for its start only
         * (where in the file the build changed is not read) */
        int64_t last = rows && !same && xs_build_cmp(&st->hdr, &st->row_last) != 0
                           ? st->row_first_ms
                           : c->last_ms;
        xs_obs_build o = {st->hdr, XS_BSRC_LOGHEADER, c->first_ms, last, st->hdr_line, d};
        xs_note_build(c, &o);
    }
    if (!rows)
        return;
    bool ecp = st->kind == XS_KIND_ECP;
    xs_obs_build o = {st->row_first, ecp ? XS_BSRC_ECPBLD : XS_BSRC_LOGROW, st->row_first_ms,
                      same ? st->row_last_ms : st->row_first_ms, 0,
                      ecp ? "S:BLD of the rows" : "version columns"};
    xs_note_build(c, &o);
    if (!same) {
        o.build = st->row_last;
        o.first_ms = o.last_ms = st->row_last_ms;
        xs_note_build(c, &o);
    }
}

static int64_t csv_time_of(xs_str line)
{
    xs_str f = xs_strip_bom(line);
    const char *comma = memchr(f.p, ',', f.n);
    if (comma)
        f.n = (size_t)(comma - f.p);
    f = xs_str_trim(f);
    if (f.n >= 2 && f.p[0] == '"' && f.p[f.n - 1] == '"') {
        f.p++;
        f.n -= 2;
    }
    int64_t t = xs_time_parse_iso(f);
    return t != EXS_TIME_NONE ? t : xs_find_time(line);
}

#define GET(k) xs_csv_get(&st->row, st->col[k])

/* Splits the row; counts and reports a row with fewer fields than its schema wants. */
static bool split_row(csv_state *st, xs_ctx *c, xs_str line, uint64_t lineno, size_t need)
{
    if (!st->have_schema)
        default_schema(st);
    xs_csv_split(line.p, line.n, &st->row, st->scratch);
    warn_wide(st, c, lineno, "row");
    /* Exports may carry extra columns; fewer than the schema means a cut or damaged row. */
    bool short_row = st->schema.n && st->row.n < st->schema.n && st->kind != XS_KIND_EXPORT;
    if (st->row.n >= need && !st->row.bad_quote && !short_row)
        return true;
    c->rows_bad++;
    xs_warn(c->scan, XS_W_BAD_ROW, c->file, lineno, "%s row with %zu of %zu fields%s",
             xs_kind_name(st->kind), st->row.n, st->schema.n,
             st->row.bad_quote ? ", broken quoting" : "");
    return st->row.n >= need; /* broken quoting alone: still use what parsed */
}

static int64_t field_time(csv_state *st, xs_str line)
{
    xs_str t = xs_str_trim(GET(C_TIME));
    int64_t ms = xs_time_parse_iso(t);
    return ms != EXS_TIME_NONE ? ms : xs_find_time(line);
}

/* The row to the Sigma rules of its kind (detectors/sigma.h). */
static void sigma_row(csv_state *st, xs_ctx *c, xs_str line, uint64_t lineno)
{
    if (c->sigma)
        xs_sigrun_csv(c, st->kind, &st->schema, &st->row, line, lineno, field_time(st, line));
}

static int field_status(xs_str s)
{
    long v = xs_str_uint(xs_str_trim(s), 999);
    return v < 0 ? -1 : (int)v;
}

/* Splits "http://host/path?query" or "/path?query" into stem and query. */
static void split_url(xs_str u, xs_str *stem, xs_str *query)
{
    u = xs_str_trim(u);
    if (!u.p || u.n == 0) {
        *stem = XS_STR_NULL;
        return;
    }
    long sch = xs_str_ifind(u, "://");
    if (sch >= 0 && sch < 8) {
        const char *p = memchr(u.p + sch + 3, '/', u.n - (size_t)sch - 3);
        u = p ? xs_str_make(p, (size_t)(u.p + u.n - p)) : XS_LIT("/");
    }
    const char *q = memchr(u.p, '?', u.n);
    if (q) {
        *stem = xs_str_make(u.p, (size_t)(q - u.p));
        if (query->n == 0)
            *query = xs_str_make(q + 1, (size_t)(u.p + u.n - q - 1));
    } else {
        *stem = u;
    }
}

static void request_from_row(csv_state *st, xs_str line, uint64_t lineno, xs_request *r)
{
    memset(r, 0, sizeof *r);
    r->time_ms = field_time(st, line);
    r->line = lineno;
    r->method = xs_str_trim(GET(C_METHOD));
    r->query = xs_str_trim(GET(C_QUERY));
    if (r->query.n && r->query.p[0] == '?') {
        r->query.p++;
        r->query.n--;
    }
    split_url(GET(C_STEM), &r->stem, &r->query);
    r->ua = GET(C_UA);
    r->ip = xs_str_trim(GET(C_IP));
    r->user = xs_str_trim(GET(C_USER));
    r->user_logged = st->col[C_USER] >= 0;
    r->host = xs_str_trim(GET(C_HOST));
    r->status = field_status(GET(C_STATUS));
    r->anchor = xs_str_trim(GET(C_ANCHOR));
    r->routing_hint = GET(C_ROUTING);
    r->protocol = GET(C_PROTOCOL);
    r->target_server = xs_str_trim(GET(C_TARGET));
    r->backend_status = field_status(GET(C_BESTATUS));
    r->auth_type = GET(C_AUTHTYPE);
    r->is_auth = GET(C_ISAUTH);
    r->client_info = GET(C_CLIENTINFO);
    r->generic_info = GET(C_GENERICINFO);
    r->raw = line;
}

static bool is_method(xs_str f)
{
    static const char *const m[] = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH",
                                    "PROPFIND", "RPC_IN_DATA", "RPC_OUT_DATA"};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (xs_str_ieq(f, m[i]))
            return true;
    return false;
}

static bool is_ipv4ish(xs_str f)
{
    int dots = 0;
    if (f.n < 7 || f.n > 15)
        return false;
    for (size_t i = 0; i < f.n; i++) {
        if (f.p[i] == '.')
            dots++;
        else if (f.p[i] < '0' || f.p[i] > '9')
            return false;
    }
    return dots == 3;
}

/* An export row whose field count differs from its header: hand-made exports add or drop
 * columns per row. Re-derive the fields whose values say what they are, rather than trust
 * positions that no longer line up. */
static void infer_export_fields(const xs_csv_row *row, xs_request *r)
{
    bool m = false, st = false, ip = false, path = false;
    r->status = -1;
    for (size_t i = 0; i < row->n; i++) {
        xs_str f = xs_str_trim(row->f[i]);
        if (!m && is_method(f)) {
            r->method = f;
            m = true;
        } else if (!st && f.n == 3 && xs_str_uint(f, 599) >= 100) {
            r->status = (int)xs_str_uint(f, 599);
            st = true;
        } else if (!ip && is_ipv4ish(f)) {
            r->ip = f;
            ip = true;
        } else if (!path && f.n && f.p[0] == '/') {
            split_url(f, &r->stem, &r->query);
            path = true;
        }
    }
    if (!m)
        r->method = XS_STR_NULL;
    if (!ip)
        r->ip = XS_STR_NULL;
}

static void httpproxy_row(xs_logstate *ls, xs_ctx *c, xs_str line, uint64_t lineno)
{
    csv_state *st = ls->own;
    if (!split_row(st, c, line, lineno, 2))
        return;
    xs_request r;
    request_from_row(st, line, lineno, &r);
    xs_detect_request(c, &r);
    sigma_row(st, c, line, lineno);
}

static void export_row(xs_logstate *ls, xs_ctx *c, xs_str line, uint64_t lineno)
{
    csv_state *st = ls->own;
    if (!split_row(st, c, line, lineno, 2))
        return;
    xs_request r;
    request_from_row(st, line, lineno, &r);
    if (st->row.n != st->schema.n)
        infer_export_fields(&st->row, &r);
    xs_detect_request(c, &r);
}

static void rpshttp_row(xs_logstate *ls, xs_ctx *c, xs_str line, uint64_t lineno)
{
    csv_state *st = ls->own;
    if (!split_row(st, c, line, lineno, 2))
        return;
    xs_request r;
    request_from_row(st, line, lineno, &r);
    xs_detect_rpshttp(c, &r);
    sigma_row(st, c, line, lineno);
}

static void cmdlet_row(xs_logstate *ls, xs_ctx *c, xs_str line, uint64_t lineno)
{
    csv_state *st = ls->own;
    if (!split_row(st, c, line, lineno, 2))
        return;
    xs_cmdlet cm = {0};
    cm.time_ms = field_time(st, line);
    cm.line = lineno;
    cm.name = GET(C_CMDLET);
    cm.params = GET(C_PARAMS);
    cm.user = xs_str_trim(GET(C_USER));
    cm.client = GET(C_CLIENTAPP);
    cm.result = GET(C_RESULT);
    cm.raw = line;
    xs_detect_cmdlet(c, &cm);
    sigma_row(st, c, line, lineno);
}

static void ecp_row(xs_logstate *ls, xs_ctx *c, xs_str line, uint64_t lineno)
{
    csv_state *st = ls->own;
    /* The predicate reads the whole line: excerpts carry EventData in other columns. */
    if (!st->have_schema)
        default_schema(st);
    xs_csv_split(line.p, line.n, &st->row, st->scratch);
    xs_detect_ecp(c, field_time(st, line), line, lineno);
    sigma_row(st, c, line, lineno);
}

/* Other Exchange logs: no built-in detector; the Sigma rules of their source, when any (the
 * prefilter passes only directives otherwise). */
static void none_row(xs_logstate *ls, xs_ctx *c, xs_str line, uint64_t lineno)
{
    csv_state *st = ls->own;
    if (c->sigma && split_row(st, c, line, lineno, 1))
        sigma_row(st, c, line, lineno);
}


/* ---------------------------------------------------------------- classification */

/* Whether the header row has a column named name (any case, BOM and blanks ignored). */
static bool has_col(const xs_csv_row *r, const char *name)
{
    for (size_t i = 0; r && i < r->n; i++)
        if (xs_str_ieq(xs_str_trim(i == 0 ? xs_strip_bom(r->f[i]) : r->f[i]), name))
            return true;
    return false;
}

/* Whether a column name of the header row contains one of the '|'-separated words. */
static bool has_col_part(const xs_csv_row *r, const char *words)
{
    char one[32];
    for (const char *p = words; *p;) {
        size_t n = strcspn(p, "|");
        snprintf(one, sizeof one, "%.*s", (int)n, p);
        for (size_t i = 0; r && i < r->n; i++)
            if (xs_str_icontains(xs_str_trim(i == 0 ? xs_strip_bom(r->f[i]) : r->f[i]), one))
                return true;
        p += n + (p[n] == '|');
    }
    return false;
}

/* A kind of the Exchange CSV family claims a file by its #Log-type, or, without one, by the
 * columns of its #Fields line; a file without either, by a header line of those columns. */
#define EXCHANGE_SNIFF(name, logtype_is, columns)                                                  \
    static bool name##_directives(const xs_head *h)                                               \
    {                                                                                              \
        return h->logtype.n ? logtype_is(xs_str_trim(h->logtype)) : columns(h->fields_row);       \
    }

static bool is_stem(const xs_csv_row *r)
{
    return has_col(r, "UrlStem") || has_col(r, "cs-uri-stem");
}

static bool httpproxy_columns(const xs_csv_row *r)
{
    return has_col(r, "AnchorMailbox");
}
static bool httpproxy_logtype(xs_str t)
{
    return xs_str_ieq(t, "HttpProxy Logs");
}
EXCHANGE_SNIFF(httpproxy, httpproxy_logtype, httpproxy_columns)

/* A headerless HttpProxy excerpt: DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,
 * RevisionVersion,... */
static bool headerless_httpproxy(const xs_csv_row *r)
{
    if (r->n < 40 || xs_time_parse_iso(xs_str_trim(xs_strip_bom(r->f[0]))) == EXS_TIME_NONE)
        return false;
    for (int i = 2; i < 6; i++)
        if (xs_str_uint(r->f[i], 99999) < 0)
            return false;
    return true;
}

static bool httpproxy_first(const xs_head *h)
{
    return h->header ? httpproxy_columns(h->row) : headerless_httpproxy(h->row);
}

static bool ecp_columns(const xs_csv_row *r)
{
    return has_col(r, "EventData");
}
static bool ecp_logtype(xs_str t)
{
    return xs_str_ieq(t, "ECP Server Log");
}
EXCHANGE_SNIFF(ecp, ecp_logtype, ecp_columns)

static bool ecp_first(const xs_head *h)
{
    return h->header && ecp_columns(h->row);
}

static bool cmdlet_columns(const xs_csv_row *r)
{
    return has_col(r, "Cmdlet") && has_col(r, "Parameters");
}
static bool cmdlet_logtype(xs_str t)
{
    return xs_str_ieq(t, "Rps Cmdlet Logs") || xs_str_iends(t, "Cmdlet Logs");
}
EXCHANGE_SNIFF(cmdlet, cmdlet_logtype, cmdlet_columns)

static bool cmdlet_first(const xs_head *h)
{
    return h->header && cmdlet_columns(h->row);
}

static bool rpshttp_columns(const xs_csv_row *r)
{
    return has_col(r, "ClientInfo") && is_stem(r);
}
static bool rpshttp_logtype(xs_str t)
{
    return xs_str_ieq(t, "Rps Http Logs");
}
EXCHANGE_SNIFF(rpshttp, rpshttp_logtype, rpshttp_columns)

static bool rpshttp_first(const xs_head *h)
{
    return h->header && rpshttp_columns(h->row);
}

/* An export: a header naming a URL or path column and a time column. Only a bare header
 * line: a #Fields line is a log's own. */
static bool export_first(const xs_head *h)
{
    const xs_csv_row *r = h->row;
    return h->header &&
           (is_stem(r) || has_col_part(r, "url|uri") || has_col(r, "path") ||
            has_col(r, "request")) &&
           has_col_part(r, "time|date");
}

/* Any other Exchange log: a #Log-type the specific kinds did not claim, or a #Fields line in
 * a file with a #Software line of Exchange. */
static bool exchange_directives(const xs_head *h)
{
    return h->logtype.n || (h->fields.n && xs_head_software(h, "Microsoft Exchange"));
}

static void exchange_family(const xs_head *h, char *out, size_t cap)
{
    xs_str lt = xs_str_trim(h->logtype);
    int ln = (int)(lt.n < 60 ? lt.n : 60);
    snprintf(out, cap, "Exchange/%.*s", ln ? ln : 5, ln ? lt.p : "other");
}

/* HttpProxy/<protocol>: the protocol folder under HttpProxy, spelt as Exchange spells it. */
static bool httpproxy_refine(const char *sub, char *family, size_t cap)
{
    static const char *const names[] = {
        "Autodiscover", "Eas",        "Ecp",       "Ews",          "Mapi",
        "Oab",          "Owa",        "OwaCalendar", "PowerShell", "RpcHttp",
        "RestApi",      "PushNotifications", "O365SuiteService", "E4e", "Xrop", "Rest"};
    const char *p = sub + strlen("httpproxy/");
    size_t n = strcspn(p, "/");
    if (p[n] != '/' || n == 0 || n >= 32)
        return true; /* a file right under HttpProxy/: the family stays "HttpProxy" */
    char proto[32];
    snprintf(proto, sizeof proto, "%.*s", (int)n, p);
    const char *nice = proto;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (xs_str_ieq(xs_str_cstr(proto), names[k]))
            nice = names[k];
    snprintf(family, cap, "HttpProxy/%s", nice);
    return true;
}

/* ---------------------------------------------------------------- descriptors */

/* Request-shaped logs call the ProxyLogon, ProxyShell and web-shell detectors: theirs, with
 * the path expressions of CSV request logs (HttpProxy and exports share one database). */
static const xs_pattern *const pl_request_csv[] = {
    xs_pat_directive, xs_pat_proxylogon, xs_pat_webshell, xs_pat_proxyshell,
    xs_pat_decoded,   xs_pat_paths_csv,  NULL};
static const xs_pattern *const pl_ecp[] = {xs_pat_directive, xs_pat_ecp, NULL};
static const xs_pattern *const pl_rpshttp[] = {xs_pat_directive, xs_pat_rpshttp, NULL};
static const xs_pattern *const pl_cmdlet[] = {xs_pat_directive, xs_pat_cmdlet, NULL};
static const xs_pattern *const pl_exchange[] = {xs_pat_directive, NULL};
static const xs_pattern_set set_request_csv = {pl_request_csv, xs_conj_request};
static const xs_pattern_set set_ecp = {pl_ecp, NULL};
static const xs_pattern_set set_rpshttp = {pl_rpshttp, NULL};
static const xs_pattern_set set_cmdlet = {pl_cmdlet, NULL};
static const xs_pattern_set set_exchange = {pl_exchange, NULL};

#define CSV_READER                                                                                 \
    .state = &csv_state_type, .directive = csv_directive, .first_line = csv_first_line,           \
    .row_time = csv_row_time, .end = csv_end

static const xs_logplace httpproxy_places[] = {
    {"/logging/", "httpproxy/", "HttpProxy", httpproxy_refine, true}, {NULL}};
const xs_logkind xs_logkind_httpproxy = {
    .kind = XS_KIND_HTTPPROXY, .name = "httpproxy", .family = "HttpProxy",
    .flags = XS_KF_PARSED | XS_KF_STRUCTURED, .places = httpproxy_places,
    .sniff = {.directives = httpproxy_directives, .first = httpproxy_first},
    .patterns = &set_request_csv, CSV_READER, .row = httpproxy_row};

static const xs_logplace ecp_places[] = {
    {"/logging/", "ecp/server/", "ECP/Server", NULL, true}, {NULL}};
const xs_logkind xs_logkind_ecp = {
    .kind = XS_KIND_ECP, .name = "ecp", .family = "ECP/Server",
    .flags = XS_KF_PARSED | XS_KF_STRUCTURED,
    .places = ecp_places, .sniff = {.directives = ecp_directives, .first = ecp_first},
    .patterns = &set_ecp, CSV_READER, .row = ecp_row};

static const xs_logplace rpscmdlet_places[] = {
    {"/logging/", "cmdletinfra/powershell-proxy/cmdlet/", "CmdletInfra/Rps_Cmdlet", NULL, true},
    {"/logging/", "cmdletinfra/localpowershell/cmdlet/", "CmdletInfra/LocalPowerShell", NULL,
     true},
    {NULL}};
const xs_logkind xs_logkind_rpscmdlet = {
    .kind = XS_KIND_RPSCMDLET, .name = "rps_cmdlet", .family = "CmdletInfra/Rps_Cmdlet",
    .flags = XS_KF_PARSED | XS_KF_STRUCTURED, .places = rpscmdlet_places,
    .sniff = {.directives = cmdlet_directives, .first = cmdlet_first}, .patterns = &set_cmdlet,
    CSV_READER, .row = cmdlet_row};

static const xs_logplace rpshttp_places[] = {
    {"/logging/", "cmdletinfra/powershell-proxy/http/", "CmdletInfra/Rps_Http", NULL, true},
    {NULL}};
const xs_logkind xs_logkind_rpshttp = {
    .kind = XS_KIND_RPSHTTP, .name = "rps_http", .family = "CmdletInfra/Rps_Http",
    .flags = XS_KF_PARSED | XS_KF_STRUCTURED, .places = rpshttp_places,
    .sniff = {.directives = rpshttp_directives, .first = rpshttp_first},
    .patterns = &set_rpshttp, CSV_READER, .row = rpshttp_row};

const xs_logkind xs_logkind_export = {
    .kind = XS_KIND_EXPORT, .name = "export", .family = "Export (CSV)",
    .flags = XS_KF_PARSED | XS_KF_STRUCTURED,
    .sniff = {.first = export_first}, .patterns = &set_request_csv, CSV_READER,
    .row = export_row};

static const xs_logplace exchange_places[] = {
    {"/logging/", "ecp/activity/", "ECP/Activity", NULL, true}, {NULL}};
const xs_logkind xs_logkind_exchange = {
    .kind = XS_KIND_EXCHANGE, .name = "exchange", .family = "Exchange/other",
    .flags = XS_KF_PARSED | XS_KF_STRUCTURED | XS_KF_GENERIC, .places = exchange_places,
    .sniff = {.directives = exchange_directives, .family = exchange_family},
    .patterns = &set_exchange, CSV_READER, .row = none_row};
