/* The line prefilter on Vectorscan (Hyperscan's portable fork). */
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engines/prefilter.h"

struct exs_prefilter {
    hs_database_t *db;
};

struct exs_pf_scratch {
    hs_scratch_t *hs;
};

exs_rc exs_prefilter_compile(exs_prefilter **out, const char *const *const *lists, size_t nlists,
                             char *err, size_t errlen)
{
    exs_rc rc = EXS_ENOMEM;
    size_t n = 0;
    const char **exprs = NULL;
    unsigned *flags = NULL, *ids = NULL;
    exs_prefilter *pf = NULL;
    hs_compile_error_t *cerr = NULL;

    for (size_t l = 0; l < nlists; l++)
        for (const char *const *e = lists[l]; e && *e; e++)
            n++;
    exprs = calloc(n ? n : 1, sizeof *exprs);
    flags = calloc(n ? n : 1, sizeof *flags);
    ids = calloc(n ? n : 1, sizeof *ids);
    pf = calloc(1, sizeof *pf);
    if (!exprs || !flags || !ids || !pf)
        goto out;
    n = 0;
    for (size_t l = 0; l < nlists; l++)
        for (const char *const *e = lists[l]; e && *e; e++) {
            exprs[n] = *e;
            flags[n] = HS_FLAG_CASELESS | HS_FLAG_MULTILINE;
            ids[n] = (unsigned)n;
            n++;
        }
    if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &pf->db, &cerr) !=
        HS_SUCCESS) {
        if (err && errlen)
            snprintf(err, errlen, "%s (expression %d: %s)", cerr ? cerr->message : "?",
                     cerr ? cerr->expression : -1,
                     cerr && cerr->expression >= 0 ? exprs[cerr->expression] : "");
        hs_free_compile_error(cerr);
        rc = EXS_EENGINE;
        goto out;
    }
    *out = pf;
    pf = NULL;
    rc = EXS_OK;
out:
    free(exprs);
    free(flags);
    free(ids);
    free(pf);
    return rc;
}

void exs_prefilter_destroy(exs_prefilter *pf)
{
    if (!pf)
        return;
    hs_free_database(pf->db);
    free(pf);
}

exs_rc exs_pf_scratch_grow(exs_pf_scratch **s, const exs_prefilter *pf)
{
    if (!*s) {
        *s = calloc(1, sizeof **s);
        if (!*s)
            return EXS_ENOMEM;
    }
    return hs_alloc_scratch(pf->db, &(*s)->hs) == HS_SUCCESS ? EXS_OK : EXS_EENGINE;
}

void exs_pf_scratch_free(exs_pf_scratch *s)
{
    if (!s)
        return;
    hs_free_scratch(s->hs);
    free(s);
}

struct collect {
    const char *buf;
    size_t len;
    uint32_t **starts;
    size_t *cap;
    size_t n;
    size_t line_end; /* end (exclusive) of the last recorded line */
    int oom;
};

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned fl,
                    void *ctx)
{
    (void)id;
    (void)from;
    (void)fl;
    struct collect *c = ctx;
    size_t at = to ? (size_t)to - 1 : 0;
    if (c->n && at < c->line_end)
        return 0; /* same line as the previous match */
    const char *nl = at ? memrchr(c->buf, '\n', at) : NULL;
    /* A match ending right at a line break belongs to the line before it. */
    if (at < c->len && c->buf[at] == '\n' && at > 0)
        nl = memrchr(c->buf, '\n', at);
    size_t start = nl ? (size_t)(nl - c->buf) + 1 : 0;
    const char *e = memchr(c->buf + at, '\n', c->len - at);
    size_t end = e ? (size_t)(e - c->buf) + 1 : c->len;
    if (c->n && start < c->line_end)
        return 0;
    if (c->n == *c->cap) {
        size_t nc = *c->cap ? *c->cap * 2 : 256;
        uint32_t *p = realloc(*c->starts, nc * sizeof *p);
        if (!p) {
            c->oom = 1;
            return 1; /* stop scanning */
        }
        *c->starts = p;
        *c->cap = nc;
    }
    (*c->starts)[c->n++] = (uint32_t)start;
    c->line_end = end;
    return 0;
}

long exs_prefilter_lines(const exs_prefilter *pf, exs_pf_scratch *s, const char *buf, size_t len,
                         uint32_t **starts, size_t *cap)
{
    struct collect c = {buf, len, starts, cap, 0, 0, 0};
    if (len == 0)
        return 0;
    hs_error_t e = hs_scan(pf->db, buf, (unsigned)len, 0, s->hs, on_match, &c);
    if (c.oom)
        return -1;
    if (e != HS_SUCCESS && e != HS_SCAN_TERMINATED)
        return -1;
    return (long)c.n;
}
