/* Web-shell hunting: one client asking for many non-default scripts in Exchange web folders
 * within a minute (catalogue 3.6, real helsecert data: a dozen known shell names in ~15 s,
 * repeated per host name). An after-sweep pass over the kept script requests. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "detectors/internal.h"
#include "exsweep/finding.h"
#include "scan/pass.h"

#define BURST_WINDOW_MS 60000
#define BURST_MIN_NAMES 5

static int cmp_access(const void *pa, const void *pb)
{
    const xs_access *a = *(const xs_access *const *)pa, *b = *(const xs_access *const *)pb;
    if (a->where.root != b->where.root) /* a burst is against one server */
        return a->where.root < b->where.root ? -1 : 1;
    int r = strcmp(a->ip, b->ip);
    if (r)
        return r;
    if (a->time_ms != b->time_ms)
        return a->time_ms < b->time_ms ? -1 : 1;
    r = strcmp(a->file, b->file);
    if (r)
        return r;
    return a->line < b->line ? -1 : a->line > b->line;
}

static const char *base_of(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Script names compared decoded and lowercased (the events' norm): x.aspx, X.ASPX and
 * x%2easpx are one name. */
static int cmp_by_name_ids(const xs_access *const *a, size_t x, size_t y)
{
    return strcmp(base_of(a[x]->norm), base_of(a[y]->norm));
}

/* ev[0..n): the requests of one burst; id[k]: the name id of ev[k]; listed: one flag per name
 * id, all clear on entry and on return. */
static void emit_burst(const xs_pass_view *v, const xs_access *const *ev, const size_t *id,
                       size_t n, size_t distinct, unsigned char *listed)
{
    char names[1024];
    size_t o = 0;
    names[0] = 0;
    bool served = false;
    for (size_t i = 0; i < n; i++) {
        served |= ev[i]->status >= 200 && ev[i]->status < 300;
        if (listed[id[i]])
            continue;
        listed[id[i]] = 1;
        if (o + 64 < sizeof names)
            xs_appendf(names, sizeof names, &o, "%s%.40s=%d", o ? "," : "", base_of(ev[i]->path),
                        ev[i]->status);
    }
    for (size_t i = 0; i < n; i++)
        listed[id[i]] = 0;
    xs_ctx c;
    xs_ctx_at_access(&c, v, ev[0]);
    xs_hit h;
    xs_hit_init(&h, RULE(R_WS_HUNT), EXS_VERDICT_PROBE, served ? EXS_SEV_HIGH : EXS_SEV_MEDIUM,
                 ev[0]->time_ms);
    h.line = ev[0]->line;
    h.http.client = xs_str_cstr(ev[0]->ip);
    h.http.method = xs_str_cstr(ev[0]->method);
    h.http.path = xs_str_cstr(ev[0]->path);
    h.http.status = ev[0]->status > 0 ? ev[0]->status : 0;
    h.http.backend = ev[0]->backend;
    h.reason = served ? "one client asked for many non-default scripts, some answered"
                      : "one client asked for many non-default scripts";
    xs_hit_fact_u64(&h, "hunt_names", distinct);
    xs_hit_fact_u64(&h, "hunt_requests", n);
    xs_hit_fact_u64(&h, "hunt_seconds", (uint64_t)((ev[n - 1]->time_ms - ev[0]->time_ms) / 1000));
    xs_hit_fact_cstr(&h, "hunt_scripts", names);
    xs_emit(&c, &h);
    xs_ctx_release(&c);
}

static int cmp_by_name(const void *pa, const void *pb, void *base)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return cmp_by_name_ids(base, a, b);
}

void xs_pass_bursts(const xs_pass_view *v)
{
    struct exs_scan *s = v->scan;
    /* Only non-default scripts count; other script requests are kept for the file side. */
    size_t n = 0;
    for (size_t k = 0; k < v->naccess; k++)
        n += v->access[k].nondefault;
    if (n < BURST_MIN_NAMES)
        return;
    const xs_access **a = malloc(n * sizeof *a);
    /* Name ids, so the sliding window counts distinct names in O(1) per step. */
    size_t *order = malloc(n * sizeof *order), *id = malloc(n * sizeof *id);
    unsigned *count = calloc(n, sizeof *count);
    unsigned char *listed = calloc(n, 1);
    if (!a || !order || !id || !count || !listed) {
        xs_scan_fail(s, EXS_ENOMEM, "out of memory looking for web-shell hunting");
        goto out;
    }
    n = 0;
    for (size_t k = 0; k < v->naccess; k++)
        if (v->access[k].nondefault)
            a[n++] = &v->access[k];
    qsort(a, n, sizeof *a, cmp_access);
    for (size_t k = 0; k < n; k++)
        order[k] = k;
    qsort_r(order, n, sizeof *order, cmp_by_name, a);
    size_t next_id = 0;
    for (size_t k = 0; k < n; k++) {
        if (k && cmp_by_name_ids(a, order[k - 1], order[k]) != 0)
            next_id++;
        id[order[k]] = next_id;
    }

    size_t i = 0, j = 0, distinct = 0;
    while (i < n) {
        if (a[i]->time_ms == EXS_TIME_NONE) {
            i++;
            if (j < i)
                j = i;
            continue;
        }
        if (j < i)
            j = i;
        while (j < n && a[j]->where.root == a[i]->where.root && strcmp(a[j]->ip, a[i]->ip) == 0 &&
               a[j]->time_ms != EXS_TIME_NONE &&
               a[j]->time_ms - a[i]->time_ms <= BURST_WINDOW_MS) {
            if (count[id[j]]++ == 0)
                distinct++;
            j++;
        }
        if (distinct >= BURST_MIN_NAMES) {
            emit_burst(v, a + i, id + i, j - i, distinct, listed);
            for (size_t k = i; k < j; k++)
                if (--count[id[k]] == 0)
                    distinct--;
            i = j;
        } else {
            if (j > i && --count[id[i]] == 0)
                distinct--;
            i++;
        }
    }
out:
    free(a);
    free(order);
    free(id);
    free(count);
    free(listed);
}
