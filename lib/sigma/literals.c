/* The literals a rule needs (xs_sigma_rule_literals), read from its compiled detection: a list
 * such that every event the rule matches holds one of them.
 *
 * Over the condition: a selection is the or of its groups (the union of their lists), a group
 * the and of its items (the best list of one item), and so are `and` and `all of`; `or` and
 * `N of` take the union, `not` has no list. An item of glob values has the union of its
 * values' lists (the best one value's with `all`), a value the longest run of plain bytes of
 * each string it may be; anything else (a regex, a number, a network, exists, fieldref, neq,
 * null, a run shorter than two bytes) has none. No list anywhere below a union is no list. */
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "sigma/internal.h"

/* Shorter runs than this are no list: they are in nearly every event. */
#define MIN_LIT 2

typedef struct lit {
    const uint16_t *atom; /* bytes only (< 256) */
    size_t n;
    bool whole;           /* a field's whole value: the value is all plain bytes */
} lit;

typedef struct lset {
    lit *v;
    size_t n, cap;
    size_t minlen;
} lset;

typedef struct lctx {
    const xs_sigma_rule *r;
    bool oom;
} lctx;

/* A conjunction of lists: every event the rule matches holds a literal of each; none (n 0)
 * is no constraint. At most XS_SIGMA_MAX_CLAUSES lists, the best ones. */
typedef struct cnf {
    lset c[XS_SIGMA_MAX_CLAUSES];
    size_t n;
} cnf;

static cnf none(void)
{
    return (cnf){.n = 0};
}

static void lfree(lset *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static void cfree(cnf *c)
{
    for (size_t i = 0; i < c->n; i++)
        lfree(&c->c[i]);
    c->n = 0;
}

static bool ladd(lctx *c, lset *s, lit l)
{
    if (!xs_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v)) {
        c->oom = true;
        return false;
    }
    s->v[s->n++] = l;
    s->minlen = s->n == 1 || l.n < s->minlen ? l.n : s->minlen;
    return true;
}

/* Whether list a is a better filter than b: a longer shortest literal, then fewer. */
static bool better(const lset *a, const lset *b)
{
    size_t qa = a->minlen < 8 ? a->minlen : 8, qb = b->minlen < 8 ? b->minlen : 8;
    return qa > qb || (qa == qb && a->n < b->n);
}

/* Adds list l to x (consumed), keeping the best XS_SIGMA_MAX_CLAUSES. */
static void cput(cnf *x, lset l)
{
    if (x->n < XS_SIGMA_MAX_CLAUSES) {
        x->c[x->n++] = l;
        return;
    }
    size_t worst = 0;
    for (size_t i = 1; i < x->n; i++)
        if (better(&x->c[worst], &x->c[i]))
            worst = i;
    if (better(&l, &x->c[worst])) {
        lfree(&x->c[worst]);
        x->c[worst] = l;
    } else
        lfree(&l);
}

/* a and b: the lists of both (the best of them). */
static cnf cand(cnf a, cnf b)
{
    for (size_t i = 0; i < b.n; i++)
        cput(&a, b.c[i]);
    return a;
}

/* a or b: each list of a joined with each of b (the best of them); none when either is. */
static cnf cor(lctx *c, cnf a, cnf b)
{
    cnf x = none();
    if (a.n && b.n)
        for (size_t i = 0; i < a.n && !c->oom; i++)
            for (size_t j = 0; j < b.n && !c->oom; j++) {
                lset u = {0};
                for (size_t k = 0; k < a.c[i].n && !c->oom; k++)
                    ladd(c, &u, a.c[i].v[k]);
                for (size_t k = 0; k < b.c[j].n && !c->oom; k++)
                    ladd(c, &u, b.c[j].v[k]);
                cput(&x, u);
            }
    cfree(&a);
    cfree(&b);
    return x;
}

/* The longest run of plain bytes of g. */
static lit glob_lit(const xs_glob *g, bool field)
{
    lit best = {NULL, 0, false};
    size_t i = 0;
    while (i < g->n) {
        size_t j = i;
        while (j < g->n && g->atom[j] < 256)
            j++;
        if (j - i > best.n)
            best = (lit){g->atom + i, j - i, field && i == 0 && j == g->n};
        i = j + 1;
    }
    return best;
}

/* The list of one value (one literal per string it may be), or false for none; field: the
 * value is a field's (not a keyword's). */
static bool value_lits(lctx *c, const xs_sval *v, bool field, lset *out)
{
    *out = (lset){0};
    if (v->null || !v->nalt)
        return false;
    for (size_t i = 0; i < v->nalt; i++) {
        lit l = glob_lit(&v->alt[i], field);
        if (l.n < MIN_LIT || !ladd(c, out, l)) {
            lfree(out);
            return false;
        }
    }
    return true;
}

static cnf item_lits(lctx *c, const xs_sitem *it)
{
    if (it->op != XS_SOP_GLOB || it->neq || !it->nval)
        return none();
    cnf x = none();
    lset u = {0};
    for (size_t i = 0; i < it->nval && !c->oom; i++) {
        lset one;
        if (!value_lits(c, &it->val[i], it->field != NULL, &one)) {
            if (!it->all) {
                lfree(&u);
                return none();
            }
            continue;
        }
        if (it->all) { /* every value: each its own list */
            cput(&x, one);
            continue;
        }
        for (size_t k = 0; k < one.n && !c->oom; k++)
            ladd(c, &u, one.v[k]);
        lfree(&one);
    }
    if (!it->all && u.n)
        cput(&x, u);
    return x;
}

static cnf sel_lits(lctx *c, const xs_ssel *sel)
{
    if (!sel->n)
        return none();
    cnf x = none();
    for (size_t g = 0; g < sel->n && !c->oom; g++) {
        cnf grp = none();
        for (size_t i = 0; i < sel->group[g].n && !c->oom; i++)
            grp = cand(grp, item_lits(c, &sel->group[g].item[i]));
        if (!grp.n) {
            cfree(&x);
            return none();
        }
        x = g ? cor(c, x, grp) : grp;
        if (!x.n)
            return none();
    }
    return x;
}

static cnf cond_lits(lctx *c, uint32_t at)
{
    const xs_cnode *n = &c->r->cond[at];
    switch (n->kind) {
    case XS_CN_SEL:
        return sel_lits(c, &c->r->sel[n->a]);
    case XS_CN_AND:
        return cand(cond_lits(c, n->a), cond_lits(c, n->b));
    case XS_CN_OR:
        return cor(c, cond_lits(c, n->a), cond_lits(c, n->b));
    case XS_CN_NOT:
        return none();
    case XS_CN_OF: {
        if (!n->nsels)
            return none();
        cnf x = sel_lits(c, &c->r->sel[n->sels[0]]);
        for (size_t i = 1; i < n->nsels && !c->oom; i++) {
            cnf one = sel_lits(c, &c->r->sel[n->sels[i]]);
            x = n->need ? cor(c, x, one) : cand(x, one);
        }
        return x;
    }
    }
    return none();
}

int xs_sigma_rule_literals(const xs_sigma_rule *r,
                           bool (*fn)(void *arg, const unsigned char *lit, size_t n,
                                      unsigned clause, bool whole),
                           void *arg)
{
    if (!r->cond)
        return 0;
    lctx c = {r, false};
    cnf x = cond_lits(&c, r->root);
    if (c.oom) {
        cfree(&x);
        return -1;
    }
    int rc = (int)x.n;
    unsigned char buf[256];
    for (size_t j = 0; j < x.n && rc > 0; j++)
        for (size_t i = 0; i < x.c[j].n && rc > 0; i++) {
            const lit *l = &x.c[j].v[i];
            unsigned char *b = l->n <= sizeof buf ? buf : malloc(l->n);
            if (!b) {
                rc = -1;
                break;
            }
            for (size_t k = 0; k < l->n; k++)
                b[k] = (unsigned char)l->atom[k];
            if (!fn(arg, b, l->n, (unsigned)j, l->whole))
                rc = -1;
            if (b != buf)
                free(b);
        }
    cfree(&x);
    return rc;
}
