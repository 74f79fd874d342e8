/* Path regular expressions: one Vectorscan database, PCRE2 for what it refuses. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/limits.h"
#include "engines/pathre.h"

/* ALLOWEMPTY only for expressions that match the empty string somewhere other than at every
 * position (PCRE2 refused those that match an empty path at add time). */
#define HS_FLAGS (HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY)

typedef struct expr {
    unsigned id;
    char *re;
    pcre2_code *fp;   /* false-positive expression, or NULL */
    pcre2_code *slow; /* the expression itself when Vectorscan refuses it, else NULL */
} expr;

struct xs_pathre {
    expr *e;
    size_t n, cap;
    hs_database_t *db; /* expressions without `slow`, by index into e */
    bool compiled;
};

struct xs_pathre_scratch {
    hs_scratch_t *hs;
    pcre2_match_data *md;
    pcre2_match_context *mc; /* bounded backtracking: a list's expression cannot stall a sweep */
    exs_rc failed;           /* first failure of a match since xs_pathre_scratch_failure */
};

/* Compiles re for PCRE2. NULL with *rc EXS_ERULE (err says why) when it is no expression,
 * EXS_ENOMEM when PCRE2 ran out of memory. */
static pcre2_code *pcre_rc(const char *re, char *err, size_t errlen, exs_rc *rc)
{
    int code;
    PCRE2_SIZE at;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &code,
                                  &at, NULL);
    *rc = c ? EXS_OK : code == PCRE2_ERROR_HEAP_FAILED ? EXS_ENOMEM : EXS_ERULE;
    if (!c && err && errlen) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(code, msg, sizeof msg);
        snprintf(err, errlen, "%s at offset %zu", (const char *)msg, (size_t)at);
    }
    return c;
}

static pcre2_code *pcre(const char *re, char *err, size_t errlen)
{
    exs_rc rc;
    return pcre_rc(re, err, errlen, &rc);
}

exs_rc xs_pathre_create(xs_pathre **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? EXS_OK : EXS_ENOMEM;
}

void xs_pathre_destroy(xs_pathre *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->e[i].re);
        pcre2_code_free(p->e[i].fp);
        pcre2_code_free(p->e[i].slow);
    }
    free(p->e);
    hs_free_database(p->db);
    free(p);
}

exs_rc xs_pathre_add(xs_pathre *p, unsigned id, const char *re, const char *fp, char *err,
                      size_t errlen)
{
    if (p->compiled)
        return EXS_EINVAL;
    /* PCRE2 is the judge of syntax: what it refuses is no regular expression at all. */
    exs_rc rc;
    pcre2_code *check = pcre_rc(re, err, errlen, &rc);
    if (!check)
        return rc;
    /* One that matches an empty path matches every path: a finding on every file would bury
     * the real ones (and fill the record cap). */
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int empty = md ? pcre2_match(check, (PCRE2_SPTR) "", 0, 0, 0, md, NULL) : -1;
    pcre2_match_data_free(md);
    pcre2_code_free(check);
    if (!md || empty == PCRE2_ERROR_NOMEMORY)
        return EXS_ENOMEM;
    if (empty >= 0) {
        if (err && errlen)
            snprintf(err, errlen, "matches an empty path, so every file");
        return EXS_ERULE;
    }
    expr x = {id, strdup(re), NULL, NULL};
    if (!x.re)
        return EXS_ENOMEM;
    if (fp && *fp && !(x.fp = pcre_rc(fp, err, errlen, &rc))) {
        free(x.re);
        return rc;
    }
    if (!xs_grow((void **)&p->e, &p->cap, p->n + 1, sizeof *p->e)) {
        free(x.re);
        pcre2_code_free(x.fp);
        return EXS_ENOMEM;
    }
    p->e[p->n++] = x;
    return EXS_OK;
}

size_t xs_pathre_count(const xs_pathre *p)
{
    return p ? p->n : 0;
}

size_t xs_pathre_slow(const xs_pathre *p)
{
    size_t k = 0;
    for (size_t i = 0; p && i < p->n; i++)
        k += p->e[i].slow != NULL;
    return k;
}

exs_rc xs_pathre_compile(xs_pathre *p, char *err, size_t errlen)
{
    if (p->compiled)
        return EXS_OK;
    p->compiled = true;
    /* Vectorscan's own verdict on each expression; the refused go to PCRE2. */
    exs_rc rc = EXS_OK;
    for (size_t i = 0; i < p->n && rc == EXS_OK; i++) {
        hs_expr_info_t *info = NULL;
        hs_compile_error_t *ce = NULL;
        /* (a refusal for lack of memory sends it to PCRE2 too: slower, the same matches) */
        if (hs_expression_info(p->e[i].re, HS_FLAGS, &info, &ce) != HS_SUCCESS &&
            !(p->e[i].slow = pcre_rc(p->e[i].re, NULL, 0, &rc)) && rc == EXS_ERULE)
            rc = EXS_OK; /* PCRE2 took it at add time; Vectorscan may yet, in the set */
        free(info);
        hs_free_compile_error(ce);
    }
    const char **ex = calloc(p->n ? p->n : 1, sizeof *ex);
    unsigned *fl = calloc(p->n ? p->n : 1, sizeof *fl), *ids = calloc(p->n ? p->n : 1, sizeof *ids);
    if (rc == EXS_OK && !(ex && fl && ids))
        rc = EXS_ENOMEM;
    /* A whole-set compile can still refuse one expression (resource limits): that one moves to
     * PCRE2 and the set is compiled again; each round removes one. */
    for (size_t round = 0; rc == EXS_OK && round <= p->n; round++) {
        size_t k = 0;
        for (size_t i = 0; i < p->n; i++)
            if (!p->e[i].slow) {
                ex[k] = p->e[i].re;
                fl[k] = HS_FLAGS;
                ids[k] = (unsigned)i;
                k++;
            }
        if (k == 0)
            break;
        hs_compile_error_t *ce = NULL;
        if (hs_compile_multi(ex, fl, ids, (unsigned)k, HS_MODE_BLOCK, NULL, &p->db, &ce) ==
            HS_SUCCESS)
            break;
        int bad = ce ? ce->expression : -1;
        hs_free_compile_error(ce);
        if (bad >= 0 && (size_t)bad < k && (p->e[ids[bad]].slow = pcre_rc(ex[bad], NULL, 0, &rc)))
            continue;
        if (rc == EXS_ENOMEM)
            break;
        rc = EXS_OK;
        /* An error of the whole set (size, resources): every expression runs on PCRE2, slower
         * but complete (xs_pathre_slow says how many). */
        for (size_t i = 0; i < p->n && rc == EXS_OK; i++)
            if (!p->e[i].slow && !(p->e[i].slow = pcre(p->e[i].re, NULL, 0)))
                rc = EXS_ENOMEM;
        break;
    }
    if (rc == EXS_ENOMEM && err && errlen)
        snprintf(err, errlen, "path expressions: out of memory");
    free(ex);
    free(fl);
    free(ids);
    return rc;
}

exs_rc xs_pathre_scratch_create(xs_pathre_scratch **out, const xs_pathre *p)
{
    xs_pathre_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return EXS_ENOMEM;
    hs_error_t e = p->db ? hs_alloc_scratch(p->db, &s->hs) : HS_SUCCESS;
    if (e != HS_SUCCESS && e != HS_NOMEM) {
        xs_pathre_scratch_destroy(s);
        return EXS_EENGINE;
    }
    if (e != HS_SUCCESS ||
        !(s->md = pcre2_match_data_create(1, NULL)) || !(s->mc = pcre2_match_context_create(NULL)) ||
        pcre2_set_match_limit(s->mc, XS_PATHRE_MATCH_LIMIT) != 0) {
        xs_pathre_scratch_destroy(s);
        return EXS_ENOMEM;
    }
    *out = s;
    return EXS_OK;
}

void xs_pathre_scratch_destroy(xs_pathre_scratch *s)
{
    if (!s)
        return;
    hs_free_scratch(s->hs);
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mc);
    free(s);
}

typedef struct collect {
    const xs_pathre *p;
    xs_pathre_scratch *s;
    const char *text;
    size_t n;
    xs_pathre_fn fn;
    void *ctx;
    long count;
} collect;

/* A match; no match, or one that ran out of its backtracking budget (PCRE2_ERROR_MATCHLIMIT:
 * deliberate), is false. Any other error is the engine failing: kept in s->failed. */
static bool pmatch(pcre2_code *c, xs_pathre_scratch *s, const char *text, size_t n)
{
    int r = pcre2_match(c, (PCRE2_SPTR)text, n, 0, 0, s->md, s->mc);
    if (r < 0 && r != PCRE2_ERROR_NOMATCH && r != PCRE2_ERROR_MATCHLIMIT && !s->failed)
        s->failed = r == PCRE2_ERROR_NOMEMORY ? EXS_ENOMEM : EXS_EENGINE;
    return r >= 0;
}

static void found(collect *c, size_t i)
{
    const expr *x = &c->p->e[i];
    if (x->fp && pmatch(x->fp, c->s, c->text, c->n))
        return;
    c->fn(c->ctx, x->id);
    c->count++;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned fl,
                    void *ctx)
{
    (void)from;
    (void)to;
    (void)fl;
    found(ctx, id); /* single-match flag: once per expression */
    return 0;
}

long xs_pathre_match(const xs_pathre *p, xs_pathre_scratch *s, const char *text, size_t n,
                      xs_pathre_fn fn, void *ctx)
{
    collect c = {p, s, text, n, fn, ctx, 0};
    exs_rc before = s->failed;
    if (p->db && hs_scan(p->db, text, (unsigned)n, 0, s->hs, on_match, &c) != HS_SUCCESS) {
        if (!s->failed)
            s->failed = EXS_EENGINE;
        return -1;
    }
    for (size_t i = 0; i < p->n; i++)
        if (p->e[i].slow && pmatch(p->e[i].slow, s, text, n))
            found(&c, i);
    return s->failed != before ? -1 : c.count;
}

exs_rc xs_pathre_scratch_failure(xs_pathre_scratch *s)
{
    if (!s)
        return EXS_OK;
    exs_rc rc = s->failed;
    s->failed = EXS_OK;
    return rc;
}
