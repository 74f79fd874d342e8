/* Shadowserver scan_exchange CSV (shadowserver.h). */
#include "probe/shadowserver.h"

#include <stdlib.h>
#include <string.h>

#include "core/limits.h"

xs_shadowserver *xs_shadowserver_create(void)
{
    xs_shadowserver *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->scratch = malloc(XS_PROBE_MAX_LINE);
    if (!s->scratch) {
        free(s);
        return NULL;
    }
    return s;
}

void xs_shadowserver_destroy(xs_shadowserver *s)
{
    if (!s)
        return;
    free(s->scratch);
    free(s);
}

int xs_shadowserver_header(xs_shadowserver *s, const char *p, size_t n, const char **why)
{
    xs_str line = xs_strip_bom(xs_str_make(p, n));
    xs_csv_split(line.p, line.n, &s->row, s->scratch);
    xs_csv_schema_set(&s->schema, &s->row);
    s->c_ip = xs_csv_schema_find(&s->schema, "ip");
    s->c_time = xs_csv_schema_find(&s->schema, "timestamp");
    s->c_port = xs_csv_schema_find(&s->schema, "port");
    s->c_host = xs_csv_schema_find(&s->schema, "hostname");
    s->c_tag = xs_csv_schema_find(&s->schema, "tag");
    s->c_version = xs_csv_schema_find(&s->schema, "version");
    if (s->c_ip < 0) {
        *why = "its first line names no ip column: not a Shadowserver scan_exchange CSV";
        return -1;
    }
    return 0;
}

static xs_str trim(xs_str v)
{
    while (v.n && (v.p[0] == ' ' || v.p[0] == '\t')) {
        v.p++;
        v.n--;
    }
    while (v.n && (v.p[v.n - 1] == ' ' || v.p[v.n - 1] == '\t'))
        v.n--;
    return v;
}

int xs_shadowserver_row(xs_shadowserver *s, const char *p, size_t n, xs_probe_rec *rec,
                        const char **why, const char **note)
{
    *note = NULL;
    memset(rec, 0, sizeof *rec);
    if (n > XS_PROBE_MAX_LINE) {
        *why = "a row longer than 8 MiB";
        return -1;
    }
    xs_csv_split(p, n, &s->row, s->scratch);
    if (s->row.bad_quote)
        *note = "broken CSV quoting: the row was read as far as it goes";
    rec->host = trim(xs_csv_get(&s->row, s->c_ip));
    if (rec->host.n == 0) {
        *why = "no ip";
        return -1;
    }
    xs_str port = trim(xs_csv_get(&s->row, s->c_port));
    unsigned v = 0;
    for (size_t i = 0; i < port.n; i++) {
        if (port.p[i] < '0' || port.p[i] > '9' || v > 65535) {
            v = 0;
            break;
        }
        v = v * 10 + (unsigned)(port.p[i] - '0');
    }
    if (v == 0 || v > 65535) {
        *why = "no port between 1 and 65535";
        return -1;
    }
    rec->port = v;
    rec->seen = trim(xs_csv_get(&s->row, s->c_time));
    rec->name = trim(xs_csv_get(&s->row, s->c_host));
    rec->tag = trim(xs_csv_get(&s->row, s->c_tag));
    rec->fp.exchange = true;
    rec->fp.why = "Shadowserver scan_exchange report";
    xs_str ver = trim(xs_csv_get(&s->row, s->c_version));
    xs_build b;
    if (ver.n && xs_build_parse(ver.p, ver.n, true, &b) && xs_build_plausible(&b)) {
        rec->fp.build = b;
        rec->fp.src = XS_FP_REPORT;
    } else if (ver.n) {
        *note = "a version that is no Exchange build: the row is kept without a build";
    }
    return 0;
}
