/* Sigma conditions: and, or, not, parentheses, "N of pattern", "all of pattern", "N of them",
 * "all of them", with the spec's precedence (not binds tighter than and, and than or). A list
 * of conditions is their or. The pipe aggregations of Sigma 1 (count() by ..., near) are
 * refused with their reason; their successor is the correlation rule. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/limits.h"
#include "sigma/internal.h"

typedef enum { K_END, K_LP, K_RP, K_AND, K_OR, K_NOT, K_OF, K_ALL, K_THEM, K_NUM, K_ID,
               K_PIPE } kind;

typedef struct parser {
    xs_sctx *c;
    const char *s;       /* the text, and the place reached */
    size_t pos;
    kind k;              /* the current token */
    const char *tok;
    size_t tlen;
    const xs_ssel *sel;
    size_t nsel;
    xs_cnode *node;
    size_t nnode, cap;
    int depth;
} parser;

static bool word_char(char ch)
{
    return ch && !strchr(" \t\r\n()|", ch);
}

static bool tok_is(const parser *p, const char *w)
{
    return p->tlen == strlen(w) && strncasecmp(p->tok, w, p->tlen) == 0;
}

static void next(parser *p)
{
    const char *s = p->s;
    while (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\r' || s[p->pos] == '\n')
        p->pos++;
    p->tok = s + p->pos;
    p->tlen = 1;
    char ch = s[p->pos];
    if (!ch) {
        p->k = K_END;
        p->tlen = 0;
        return;
    }
    if (ch == '(' || ch == ')' || ch == '|') {
        p->k = ch == '(' ? K_LP : ch == ')' ? K_RP : K_PIPE;
        p->pos++;
        return;
    }
    size_t n = 0;
    while (word_char(s[p->pos + n]))
        n++;
    p->tlen = n;
    p->pos += n;
    bool digits = true;
    for (size_t i = 0; i < n; i++)
        digits &= p->tok[i] >= '0' && p->tok[i] <= '9';
    p->k = tok_is(p, "and")    ? K_AND
           : tok_is(p, "or")   ? K_OR
           : tok_is(p, "not")  ? K_NOT
           : tok_is(p, "of")   ? K_OF
           : tok_is(p, "all")  ? K_ALL
           : tok_is(p, "any")  ? K_NUM /* "any of": Sigma 1's 1 of */
           : tok_is(p, "them") ? K_THEM
           : digits            ? K_NUM
                               : K_ID;
}

static bool add(parser *p, xs_cnode n, uint32_t *at)
{
    if (!xs_grow((void **)&p->node, &p->cap, p->nnode + 1, sizeof *p->node))
        return !(p->c->oom = true);
    p->node[p->nnode] = n;
    *at = (uint32_t)p->nnode++;
    return true;
}

static bool fail_tok(parser *p, const char *what)
{
    if (p->k == K_PIPE)
        return xs_sfail(p->c, "condition: aggregation (Sigma 1's '|', not supported)");
    return xs_sfail(p->c, "condition: %s at '%.*s'", what, (int)(p->tlen < 40 ? p->tlen : 40),
                    p->tok);
}

static bool parse_or(parser *p, uint32_t *at);

/* "N of X" / "all of X": the selections the pattern names (them: all but those whose names
 * start with _, as pySigma counts them). */
static bool parse_of(parser *p, uint32_t need, uint32_t *at)
{
    next(p); /* of */
    if (p->k != K_THEM && p->k != K_ID)
        return fail_tok(p, "a pattern expected after 'of'");
    char pat[256];
    if (p->tlen >= sizeof pat)
        return fail_tok(p, "a pattern too long");
    memcpy(pat, p->tok, p->tlen);
    pat[p->tlen] = '\0';
    uint32_t *sels = xs_arena_alloc(p->c->a, (p->nsel ? p->nsel : 1) * sizeof *sels);
    if (!sels)
        return !(p->c->oom = true);
    size_t n = 0;
    for (size_t i = 0; i < p->nsel; i++) {
        const char *name = p->sel[i].name;
        bool hit = p->k == K_THEM ? name[0] != '_' : fnmatch(pat, name, 0) == 0;
        if (hit)
            sels[n++] = (uint32_t)i;
    }
    if (n == 0)
        return xs_sfail(p->c, "condition: '%s' names no selection", pat);
    next(p);
    return add(p, (xs_cnode){XS_CN_OF, 0, 0, need, sels, n}, at);
}

static bool parse_primary(parser *p, uint32_t *at)
{
    if (p->k == K_LP) {
        if (++p->depth > XS_SIGMA_MAX_COND_DEPTH)
            return xs_sfail(p->c, "limit: condition nested more than %d deep",
                            XS_SIGMA_MAX_COND_DEPTH);
        next(p);
        if (!parse_or(p, at))
            return false;
        if (p->k != K_RP)
            return fail_tok(p, "')' expected");
        p->depth--;
        next(p);
        return true;
    }
    if (p->k == K_NUM || p->k == K_ALL) {
        uint32_t need = 0;
        if (p->k == K_NUM) {
            need = 1;
            if (!tok_is(p, "any")) {
                long v = p->tlen < 6 ? strtol(p->tok, NULL, 10) : 0;
                if (v < 1)
                    return fail_tok(p, "a count of 1 or more expected");
                need = (uint32_t)v;
            }
        }
        next(p);
        if (p->k != K_OF)
            return fail_tok(p, "'of' expected");
        return parse_of(p, need, at);
    }
    if (p->k == K_ID) {
        for (size_t i = 0; i < p->nsel; i++) {
            const char *name = p->sel[i].name;
            if (strlen(name) == p->tlen && memcmp(name, p->tok, p->tlen) == 0) {
                next(p);
                return add(p, (xs_cnode){XS_CN_SEL, (uint32_t)i, 0, 0, NULL, 0}, at);
            }
        }
        return fail_tok(p, "unknown selection");
    }
    return fail_tok(p, "a selection expected");
}

static bool parse_not(parser *p, uint32_t *at)
{
    if (p->k != K_NOT)
        return parse_primary(p, at);
    if (++p->depth > XS_SIGMA_MAX_COND_DEPTH)
        return xs_sfail(p->c, "limit: condition nested more than %d deep",
                        XS_SIGMA_MAX_COND_DEPTH);
    next(p);
    uint32_t a;
    if (!parse_not(p, &a))
        return false;
    p->depth--;
    return add(p, (xs_cnode){XS_CN_NOT, a, 0, 0, NULL, 0}, at);
}

static bool parse_and(parser *p, uint32_t *at)
{
    if (!parse_not(p, at))
        return false;
    while (p->k == K_AND) {
        next(p);
        uint32_t b;
        if (!parse_not(p, &b) || !add(p, (xs_cnode){XS_CN_AND, *at, b, 0, NULL, 0}, at))
            return false;
    }
    return true;
}

static bool parse_or(parser *p, uint32_t *at)
{
    if (!parse_and(p, at))
        return false;
    while (p->k == K_OR) {
        next(p);
        uint32_t b;
        if (!parse_and(p, &b) || !add(p, (xs_cnode){XS_CN_OR, *at, b, 0, NULL, 0}, at))
            return false;
    }
    return true;
}

static bool parse_one(parser *p, const xs_ynode *text, uint32_t *at)
{
    if (text->kind != XS_Y_SCALAR || text->n == 0)
        return xs_sfail(p->c, "condition: not a string");
    p->s = text->s;
    p->pos = 0;
    p->depth = 0;
    next(p);
    if (!parse_or(p, at))
        return false;
    if (p->k != K_END)
        return fail_tok(p, "end expected");
    return true;
}

bool xs_sigma_compile_cond(xs_sctx *c, const xs_ynode *cond, const xs_ssel *sel, size_t nsel,
                           xs_cnode **nodes, uint32_t *root)
{
    parser p = {.c = c, .sel = sel, .nsel = nsel};
    bool ok = false;
    if (cond->kind == XS_Y_SEQ) {
        if (cond->count == 0) {
            xs_sfail(c, "condition: an empty list");
            goto out;
        }
        bool first = true;
        for (const xs_ynode *e = cond->first; e; e = e->next) {
            uint32_t b;
            if (!parse_one(&p, e, &b))
                goto out;
            if (first)
                *root = b;
            else if (!add(&p, (xs_cnode){XS_CN_OR, *root, b, 0, NULL, 0}, root))
                goto out;
            first = false;
        }
    } else if (!parse_one(&p, cond, root))
        goto out;
    *nodes = xs_arena_alloc(c->a, p.nnode * sizeof **nodes);
    if (!*nodes) {
        c->oom = true;
        goto out;
    }
    memcpy(*nodes, p.node, p.nnode * sizeof **nodes);
    ok = true;
out:
    free(p.node);
    return ok;
}
