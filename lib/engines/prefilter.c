/* The line prefilter on Vectorscan (Hyperscan's portable fork). */
#include <hs/hs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/nlmap.h"
#include "engines/prefilter.h"
#include "engines/prefilter_db.h"

#define MAX_CONJ 32

struct xs_prefilter {
    hs_database_t *db;
    uint32_t *bit;        /* per expression id: 0 for a trigger, else its token bit */
    uint32_t conj[MAX_CONJ];
    size_t nconj;
};

struct xs_pf_scratch {
    hs_scratch_t *hs;
};

#define PF_FLAGS (HS_FLAG_CASELESS | HS_FLAG_MULTILINE)

/* FNV-1a over everything a compiled database depends on: the engine's version, the flags,
 * every expression with its group, the conjunctions. A stored database is used only for the
 * set it was built from. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3u;
    return h;
}

uint64_t xs_pattern_set_hash(const xs_pattern_set *set)
{
    uint64_t h = 0xcbf29ce484222325u;
    const char *v = hs_version();
    unsigned fl = PF_FLAGS;
    h = fnv(h, v, strlen(v) + 1);
    h = fnv(h, &fl, sizeof fl);
    for (size_t l = 0; set->lists[l]; l++)
        for (const xs_pattern *p = set->lists[l]; p->expr; p++) {
            h = fnv(h, p->expr, strlen(p->expr) + 1);
            h = fnv(h, &p->group, sizeof p->group);
        }
    for (const uint32_t *c = set->conjunctions; c && *c; c++)
        h = fnv(h, c, sizeof *c);
    return h;
}

/* The prefilter without its database: token bits and conjunctions; *exprs (caller frees) gets
 * the expressions in id order when exprs is not NULL. */
static exs_rc prepare(const xs_pattern_set *set, xs_prefilter **out, const char ***exprs,
                      size_t *count)
{
    size_t n = 0;
    for (size_t l = 0; set->lists[l]; l++)
        for (const xs_pattern *p = set->lists[l]; p->expr; p++)
            n++;
    xs_prefilter *pf = calloc(1, sizeof *pf);
    const char **ex = exprs ? calloc(n ? n : 1, sizeof *ex) : NULL;
    if (!pf || (exprs && !ex) || !(pf->bit = calloc(n ? n : 1, sizeof *pf->bit))) {
        free(pf);
        free(ex);
        return EXS_ENOMEM;
    }
    exs_rc rc = EXS_OK;
    n = 0;
    for (size_t l = 0; set->lists[l]; l++)
        for (const xs_pattern *p = set->lists[l]; p->expr; p++) {
            if (p->group > 32)
                rc = EXS_EINVAL;
            else
                pf->bit[n] = p->group ? 1u << (p->group - 1) : 0;
            if (ex)
                ex[n] = p->expr;
            n++;
        }
    for (const uint32_t *c = set->conjunctions; c && *c && rc == EXS_OK; c++) {
        if (pf->nconj == MAX_CONJ)
            rc = EXS_EINVAL; /* a conjunction dropped would drop the lines it stands for */
        else
            pf->conj[pf->nconj++] = *c;
    }
    if (rc != EXS_OK) {
        xs_prefilter_destroy(pf);
        free(ex);
        return rc;
    }
    *out = pf;
    if (exprs)
        *exprs = ex;
    *count = n;
    return EXS_OK;
}

exs_rc xs_prefilter_compile(xs_prefilter **out, const xs_pattern_set *set, char *err,
                             size_t errlen)
{
    xs_prefilter *pf;
    const char **exprs;
    size_t n;
    exs_rc rc = prepare(set, &pf, &exprs, &n);
    if (rc != EXS_OK)
        return rc;
    unsigned *flags = calloc(n ? n : 1, sizeof *flags), *ids = calloc(n ? n : 1, sizeof *ids);
    hs_compile_error_t *cerr = NULL;
    rc = EXS_ENOMEM;
    if (flags && ids) {
        for (size_t i = 0; i < n; i++) {
            flags[i] = PF_FLAGS;
            ids[i] = (unsigned)i;
        }
        /* The NULL platform builds for the CPU it runs on (hs_compile.h). */
        if (hs_compile_multi(exprs, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &pf->db,
                             &cerr) == HS_SUCCESS) {
            rc = EXS_OK;
        } else {
            if (err && errlen)
                snprintf(err, errlen, "%s (expression %d: %s)", cerr ? cerr->message : "?",
                         cerr ? cerr->expression : -1,
                         cerr && cerr->expression >= 0 ? exprs[cerr->expression] : "");
            /* the compiler's word for running out of memory (hs_compile.h) */
            rc = cerr && cerr->message && strstr(cerr->message, "allocate memory")
                     ? EXS_ENOMEM
                     : EXS_EENGINE;
            hs_free_compile_error(cerr);
        }
    }
    free(exprs);
    free(flags);
    free(ids);
    if (rc != EXS_OK) {
        xs_prefilter_destroy(pf);
        return rc;
    }
    *out = pf;
    return EXS_OK;
}

exs_rc xs_prefilter_load(xs_prefilter **out, const xs_pattern_set *set, const void *bytes,
                          size_t len, char *err, size_t errlen)
{
    if (!bytes || !len)
        return xs_prefilter_compile(out, set, err, errlen);
    xs_prefilter *pf;
    size_t n;
    exs_rc rc = prepare(set, &pf, NULL, &n);
    if (rc != EXS_OK)
        return rc;
    /* Vectorscan refuses a database of another engine version or for CPU features this host
     * lacks (a build on another machine): compile instead. */
    hs_error_t e = hs_deserialize_database(bytes, len, &pf->db);
    if (e != HS_SUCCESS) {
        pf->db = NULL;
        xs_prefilter_destroy(pf);
        if (e == HS_NOMEM) {
            if (err && errlen)
                snprintf(err, errlen, "out of memory loading the database");
            return EXS_ENOMEM;
        }
        return xs_prefilter_compile(out, set, err, errlen);
    }
    *out = pf;
    return EXS_OK;
}

exs_rc xs_prefilter_serialize(const xs_prefilter *pf, char **bytes, size_t *len)
{
    return hs_serialize_database(pf->db, bytes, len) == HS_SUCCESS ? EXS_OK : EXS_EENGINE;
}

const xs_pf_blob *xs_pf_blob_find(uint64_t hash)
{
    for (const xs_pf_blob *b = xs_pf_blobs; b->bytes; b++)
        if (b->hash == hash)
            return b;
    return NULL;
}

void xs_prefilter_destroy(xs_prefilter *pf)
{
    if (!pf)
        return;
    hs_free_database(pf->db);
    free(pf->bit);
    free(pf);
}

exs_rc xs_pf_scratch_grow(xs_pf_scratch **s, const xs_prefilter *pf)
{
    if (!*s) {
        *s = calloc(1, sizeof **s);
        if (!*s)
            return EXS_ENOMEM;
    }
    hs_error_t e = hs_alloc_scratch(pf->db, &(*s)->hs);
    return e == HS_SUCCESS ? EXS_OK : e == HS_NOMEM ? EXS_ENOMEM : EXS_EENGINE;
}

void xs_pf_scratch_free(xs_pf_scratch *s)
{
    if (!s)
        return;
    hs_free_scratch(s->hs);
    free(s);
}

/* The line being collected: matches arrive in order of their end offset, so all matches of
 * one line are consecutive. */
struct collect {
    const xs_prefilter *pf;
    const xs_nlmap *nl;
    size_t len;
    uint32_t **starts;
    size_t *cap;
    size_t n;
    size_t first_at, line_end; /* current line: its first match, its end; 0: none yet */
    uint32_t mask;
    bool added;
    int oom;
};

static bool qualifies(const xs_prefilter *pf, uint32_t mask)
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
    if (!xs_grow((void **)c->starts, c->cap, c->n + 1, sizeof **c->starts)) {
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
    return xs_nlmap_line_start(c->nl, c->first_at);
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
        size_t e = xs_nlmap_next(c->nl, at);
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

long xs_prefilter_lines(const xs_prefilter *pf, xs_pf_scratch *s, const char *buf, size_t len,
                         const xs_nlmap *nl, uint32_t **starts, size_t *cap)
{
    struct collect c = {pf, nl, len, starts, cap, 0, 0, 0, 0, false, 0};
    if (len == 0)
        return 0;
    hs_error_t e = hs_scan(pf->db, buf, (unsigned)len, 0, s->hs, on_match, &c);
    if (!c.oom && (e == HS_SUCCESS || e == HS_SCAN_TERMINATED))
        finish_line(&c);
    if (c.oom)
        return -(long)EXS_ENOMEM;
    if (e != HS_SUCCESS && e != HS_SCAN_TERMINATED)
        return -(long)EXS_EENGINE;
    return (long)c.n;
}
