/* The line prefilter on Vectorscan (Hyperscan's portable fork). */
#include <hs/hs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/nlmap.h"
#include "engines/prefilter.h"

#define MAX_CONJ 32

struct exs_prefilter {
    hs_database_t *db;
    uint32_t *bit;        /* per expression id: 0 for a trigger, else its token bit */
    uint32_t conj[MAX_CONJ];
    size_t nconj;
};

struct exs_pf_scratch {
    hs_scratch_t *hs;
};

exs_rc exs_prefilter_compile(exs_prefilter **out, const exs_pattern_set *set, char *err,
                             size_t errlen)
{
    exs_rc rc = EXS_ENOMEM;
    size_t n = 0;
    const char **exprs = NULL;
    unsigned *flags = NULL, *ids = NULL;
    exs_prefilter *pf = NULL;
    hs_compile_error_t *cerr = NULL;

    for (size_t l = 0; set->lists[l]; l++)
        for (const exs_pattern *p = set->lists[l]; p->expr; p++)
            n++;
    exprs = calloc(n ? n : 1, sizeof *exprs);
    flags = calloc(n ? n : 1, sizeof *flags);
    ids = calloc(n ? n : 1, sizeof *ids);
    pf = calloc(1, sizeof *pf);
    if (!exprs || !flags || !ids || !pf || !(pf->bit = calloc(n ? n : 1, sizeof *pf->bit)))
        goto out;
    n = 0;
    for (size_t l = 0; set->lists[l]; l++)
        for (const exs_pattern *p = set->lists[l]; p->expr; p++) {
            if (p->group > 32) {
                rc = EXS_EINVAL;
                goto out;
            }
            exprs[n] = p->expr;
            flags[n] = HS_FLAG_CASELESS | HS_FLAG_MULTILINE;
            ids[n] = (unsigned)n;
            pf->bit[n] = p->group ? 1u << (p->group - 1) : 0;
            n++;
        }
    for (const uint32_t *c = set->conjunctions; c && *c; c++) {
        if (pf->nconj == MAX_CONJ) {
            rc = EXS_EINVAL; /* a conjunction dropped would drop the lines it stands for */
            goto out;
        }
        pf->conj[pf->nconj++] = *c;
    }
    /* The NULL platform builds for the CPU it runs on (hs_compile.h). */
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
    if (pf)
        free(pf->bit);
    free(pf);
    return rc;
}

void exs_prefilter_destroy(exs_prefilter *pf)
{
    if (!pf)
        return;
    hs_free_database(pf->db);
    free(pf->bit);
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

/* The line being collected: matches arrive in order of their end offset, so all matches of
 * one line are consecutive. */
struct collect {
    const exs_prefilter *pf;
    const exs_nlmap *nl;
    size_t len;
    uint32_t **starts;
    size_t *cap;
    size_t n;
    size_t first_at, line_end; /* current line: its first match, its end; 0: none yet */
    uint32_t mask;
    bool added;
    int oom;
};

static bool qualifies(const exs_prefilter *pf, uint32_t mask)
{
    for (size_t i = 0; i < pf->nconj; i++)
        if ((mask & pf->conj[i]) == pf->conj[i])
            return true;
    return false;
}

static int add(struct collect *c, size_t start)
{
    if (c->n && (*c->starts)[c->n - 1] == (uint32_t)start)
        return 0;
    if (!exs_grow((void **)c->starts, c->cap, c->n + 1, sizeof **c->starts)) {
        c->oom = 1;
        return -1;
    }
    (*c->starts)[c->n++] = (uint32_t)start;
    return 0;
}

/* The start of the current line, looked up only for a line that qualifies: a third of the
 * lines of a busy log hold some token, few of them hold enough. */
static size_t line_start(const struct collect *c)
{
    return exs_nlmap_line_start(c->nl, c->first_at);
}

static int finish_line(struct collect *c)
{
    if (c->line_end && !c->added && c->mask && qualifies(c->pf, c->mask))
        return add(c, line_start(c));
    return 0;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned fl,
                    void *ctx)
{
    (void)from;
    (void)fl;
    struct collect *c = ctx;
    size_t at = to ? (size_t)to - 1 : 0;
    if (!c->line_end || at >= c->line_end) {
        /* a new line: settle the previous one */
        if (finish_line(c) < 0)
            return 1;
        c->first_at = at; /* a match ending on the '\n' belongs to the line it ends */
        size_t e = exs_nlmap_next(c->nl, at);
        c->line_end = e < c->len ? e + 1 : c->len;
        c->mask = 0;
        c->added = false;
    }
    uint32_t bit = c->pf->bit[id];
    if (bit == 0) {
        if (!c->added && add(c, line_start(c)) < 0)
            return 1;
        c->added = true;
    } else {
        c->mask |= bit;
    }
    return 0;
}

long exs_prefilter_lines(const exs_prefilter *pf, exs_pf_scratch *s, const char *buf, size_t len,
                         const exs_nlmap *nl, uint32_t **starts, size_t *cap)
{
    struct collect c = {pf, nl, len, starts, cap, 0, 0, 0, 0, false, 0};
    if (len == 0)
        return 0;
    hs_error_t e = hs_scan(pf->db, buf, (unsigned)len, 0, s->hs, on_match, &c);
    if (!c.oom && (e == HS_SUCCESS || e == HS_SCAN_TERMINATED))
        finish_line(&c);
    if (c.oom)
        return -1;
    if (e != HS_SUCCESS && e != HS_SCAN_TERMINATED)
        return -1;
    return (long)c.n;
}
