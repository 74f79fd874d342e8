/* Matching a compiled Sigma rule against one event.
 *
 * A field item matches when any of the field's values matches any of the item's values (all
 * of them, with all); a null value matches a field that is absent or empty; neq inverts the
 * item (an absent field is then a match, as NOT field=value is in the backends). Keywords
 * look at every value of the event. Each selection is evaluated at most once per event. */
#include <arpa/inet.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/limits.h"
#include "sigma/internal.h"

struct xs_sigma_scratch {
    pcre2_match_data *md;
    pcre2_match_context *mc;
};

xs_sigma_scratch *xs_sigma_scratch_create(void)
{
    xs_sigma_scratch *sc = calloc(1, sizeof *sc);
    if (!sc)
        return NULL;
    sc->md = pcre2_match_data_create(1, NULL);
    sc->mc = pcre2_match_context_create(NULL);
    if (!sc->md || !sc->mc) {
        xs_sigma_scratch_destroy(sc);
        return NULL;
    }
    pcre2_set_match_limit(sc->mc, XS_SIGMA_RE_MATCH_LIMIT);
    return sc;
}

void xs_sigma_scratch_destroy(xs_sigma_scratch *sc)
{
    if (!sc)
        return;
    pcre2_match_data_free(sc->md);
    pcre2_match_context_free(sc->mc);
    free(sc);
}

/* Bytes of text at i that atom x matches, 0 for none. */
static size_t atom_len(uint16_t x, const unsigned char *t, size_t i, size_t n, bool cased)
{
    if (i >= n)
        return 0;
    unsigned char ch = t[i];
    if (x < 256)
        return (cased ? ch : (unsigned char)xs_lower((char)ch)) == x;
    if (x == XS_GA_ANY1) {
        size_t len = ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : ch >= 0xc0 ? 2 : 1;
        return len <= n - i ? len : 1;
    }
    /* XS_GA_DASH */
    if (ch == '-' || ch == '/')
        return 1;
    if (n - i >= 3 && ch == 0xe2 && t[i + 1] == 0x80 && t[i + 2] >= 0x93 && t[i + 2] <= 0x95)
        return 3;
    return 0;
}

void xs_glob_shape(xs_glob *g)
{
    size_t from = 0, to = g->n;
    bool front = to > 0 && g->atom[0] == XS_GA_STAR;
    bool back = to > (size_t)front && g->atom[to - 1] == XS_GA_STAR;
    from += front;
    to -= back;
    for (size_t i = from; i < to; i++)
        if (g->atom[i] > 255)
            return; /* a wildcard or a dash inside: the general loop */
    g->lit = g->atom + from;
    g->nlit = to - from;
    g->shape = front && back ? XS_GS_CONTAINS : front ? XS_GS_SUFFIX : back ? XS_GS_PREFIX
                                                                   : XS_GS_EXACT;
}

/* Whether t[0..n) is the literal lit[0..n) (lowercase unless cased). */
static bool lit_at(const unsigned char *t, const uint16_t *lit, size_t n, bool cased)
{
    for (size_t i = 0; i < n; i++)
        if ((cased ? t[i] : (unsigned char)xs_lower((char)t[i])) != lit[i])
            return false;
    return true;
}

static bool contains(const unsigned char *t, size_t n, const uint16_t *lit, size_t m, bool cased)
{
    if (m == 0)
        return true;
    if (m > n)
        return false;
    unsigned char c0 = (unsigned char)lit[0];
    unsigned char c1 = cased ? c0 : (unsigned char)(c0 >= 'a' && c0 <= 'z' ? c0 - 32 : c0);
    for (size_t i = 0; i + m <= n; i++)
        if ((t[i] == c0 || t[i] == c1) && lit_at(t + i + 1, lit + 1, m - 1, cased))
            return true;
    return false;
}

/* The classic greedy match with one star to go back to: an atom matches at most one way at a
 * place (the dash's alternatives start with different bytes), so it is exact. */
bool xs_glob_match(const xs_glob *g, xs_str text, bool cased)
{
    const unsigned char *u = (const unsigned char *)text.p;
    switch (g->shape) {
    case XS_GS_EXACT:
        return text.n == g->nlit && lit_at(u, g->lit, g->nlit, cased);
    case XS_GS_PREFIX:
        return text.n >= g->nlit && lit_at(u, g->lit, g->nlit, cased);
    case XS_GS_SUFFIX:
        return text.n >= g->nlit && lit_at(u + text.n - g->nlit, g->lit, g->nlit, cased);
    case XS_GS_CONTAINS:
        return contains(u, text.n, g->lit, g->nlit, cased);
    case XS_GS_GENERAL:
        break;
    }
    const unsigned char *t = (const unsigned char *)text.p;
    size_t n = text.n, m = g->n, i = 0, j = 0, star_j = SIZE_MAX, star_i = 0;
    const uint16_t *p = g->atom;
    while (i < n) {
        if (j < m && p[j] == XS_GA_STAR) {
            star_j = ++j;
            star_i = i;
            continue;
        }
        size_t k = j < m ? atom_len(p[j], t, i, n, cased) : 0;
        if (k) {
            i += k;
            j++;
            continue;
        }
        if (star_j == SIZE_MAX)
            return false;
        j = star_j;
        i = ++star_i;
    }
    while (j < m && p[j] == XS_GA_STAR)
        j++;
    return j == m;
}

/* s without its surrounding spaces as a C string in buf[64]; false when empty or longer. */
static bool trimmed(xs_str s, char buf[64])
{
    s = xs_str_trim(s);
    if (s.n == 0 || s.n >= 64)
        return false;
    memcpy(buf, s.p, s.n);
    buf[s.n] = '\0';
    return true;
}

static bool parse_double(xs_str s, double *out)
{
    char buf[64];
    if (!trimmed(s, buf))
        return false;
    char *end;
    double d = strtod(buf, &end);
    if (*end || !isfinite(d))
        return false;
    *out = d;
    return true;
}

static int digits(const char *p, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* ISO 8601 week of a date: the week (Monday first) whose Thursday is in the year; a week
 * whose Thursday is in the next or the last year is theirs. */
static int iso_week(int y, int mo, int d)
{
    static const int cum[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    bool leap = (y % 4 == 0 && y % 100) || y % 400 == 0;
    int yday = cum[mo - 1] + d + (leap && mo > 2); /* 1-based */
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4}; /* Sakamoto's weekday */
    int yy = mo < 3 ? y - 1 : y;
    int wd = (yy + yy / 4 - yy / 100 + yy / 400 + t[mo - 1] + d) % 7;
    wd = wd == 0 ? 7 : wd; /* Monday 1 .. Sunday 7 */
    int thursday = yday - wd + 4;
    if (thursday < 1)
        return iso_week(y - 1, 12, 31);
    if (thursday > 365 + leap)
        return 1;
    return (thursday - 1) / 7 + 1;
}

/* A part of a time "YYYY-MM-DD[T ]HH:MM..." as the time modifiers compare it. */
static bool time_part(xs_str s, xs_stime part, double *out)
{
    s = xs_str_trim(s);
    if (s.n < 10 || s.p[4] != '-' || s.p[7] != '-')
        return false;
    int y = digits(s.p, 4), mo = digits(s.p + 5, 2), d = digits(s.p + 8, 2);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    int h = -1, mi = -1;
    if (s.n >= 16 && (s.p[10] == 'T' || s.p[10] == ' ') && s.p[13] == ':') {
        h = digits(s.p + 11, 2);
        mi = digits(s.p + 14, 2);
    }
    int v = part == XS_TP_YEAR ? y : part == XS_TP_MONTH ? mo : part == XS_TP_DAY ? d
            : part == XS_TP_WEEK ? iso_week(y, mo, d) : part == XS_TP_HOUR ? h : mi;
    if (v < 0)
        return false;
    *out = v;
    return true;
}

static bool cidr_match(const xs_sval *v, xs_str s)
{
    char buf[64];
    uint8_t a[16];
    if (!trimmed(s, buf))
        return false;
    if (inet_pton(v->family == 6 ? AF_INET6 : AF_INET, buf, a) != 1)
        return false;
    int full = v->prefix / 8, rest = v->prefix % 8;
    if (memcmp(a, v->net, (size_t)full) != 0)
        return false;
    return rest == 0 || ((a[full] ^ v->net[full]) & (0xff << (8 - rest))) == 0;
}

static bool str_eq_mode(xs_str a, xs_str b, int mode, bool cased)
{
    if (b.n > a.n || (mode == 0 && a.n != b.n))
        return false;
    size_t from = mode == 3 ? a.n - b.n : 0;
    size_t last = mode == 1 ? a.n - b.n : from;
    for (size_t i = from; i <= last; i++)
        if (cased ? memcmp(a.p + i, b.p, b.n) == 0 : xs_mem_ieq(a.p + i, b.p, b.n))
            return true;
    return false;
}

/* One value of the item against one value of the event (not null: the caller's). */
static bool value_match(const xs_sitem *it, const xs_sval *v, xs_str s,
                        const xs_sigma_event *ev, xs_sigma_scratch *sc)
{
    switch (it->op) {
    case XS_SOP_GLOB:
        for (size_t i = 0; i < v->nalt; i++)
            if (xs_glob_match(&v->alt[i], s, it->cased))
                return true;
        return false;
    case XS_SOP_RE:
        return pcre2_match(v->re, (PCRE2_SPTR)(s.p ? s.p : ""), s.n, 0, 0, sc->md, sc->mc) >= 0;
    case XS_SOP_NUM: {
        double d;
        if (!(it->part ? time_part(s, it->part, &d) : parse_double(s, &d)))
            return false;
        switch (it->cmp) {
        case XS_CMP_EQ: return d == v->num;
        case XS_CMP_LT: return d < v->num;
        case XS_CMP_LTE: return d <= v->num;
        case XS_CMP_GT: return d > v->num;
        case XS_CMP_GTE: return d >= v->num;
        }
        return false;
    }
    case XS_SOP_CIDR:
        return cidr_match(v, s);
    case XS_SOP_FIELDREF: {
        xs_str other[XS_SIGMA_MAX_EVENT_VALUES];
        size_t n = ev->field(ev->ctx, v->ref, other, XS_SIGMA_MAX_EVENT_VALUES);
        n = n < XS_SIGMA_MAX_EVENT_VALUES ? n : XS_SIGMA_MAX_EVENT_VALUES;
        for (size_t i = 0; i < n; i++)
            if (str_eq_mode(s, other[i], it->fref_mode, it->cased))
                return true;
        return false;
    }
    case XS_SOP_EXISTS:
        break;
    }
    return false;
}

static bool value_any(const xs_sitem *it, const xs_sval *v, const xs_str *vs, size_t n,
                      const xs_sigma_event *ev, xs_sigma_scratch *sc)
{
    if (v->null) {
        for (size_t i = 0; i < n; i++)
            if (vs[i].n)
                return false;
        return true;
    }
    for (size_t i = 0; i < n; i++)
        if (value_match(it, v, vs[i], ev, sc))
            return true;
    return false;
}

typedef struct kwarg {
    const xs_sitem *it;
    const xs_sval *v;
    const xs_sigma_event *ev;
    xs_sigma_scratch *sc;
} kwarg;

static bool kw_one(void *arg, xs_str value)
{
    const kwarg *k = arg;
    return value_match(k->it, k->v, value, k->ev, k->sc);
}

static bool item_match(const xs_sitem *it, const xs_sigma_event *ev, xs_sigma_scratch *sc)
{
    xs_str vs[XS_SIGMA_MAX_EVENT_VALUES];
    size_t n = 0;
    if (it->field) {
        n = ev->field(ev->ctx, it->field, vs, XS_SIGMA_MAX_EVENT_VALUES);
        if (it->op == XS_SOP_EXISTS)
            return (n > 0) == it->want;
        n = n < XS_SIGMA_MAX_EVENT_VALUES ? n : XS_SIGMA_MAX_EVENT_VALUES;
    }
    bool hit = it->all;
    for (size_t i = 0; i < it->nval; i++) {
        const xs_sval *v = &it->val[i];
        bool one;
        if (it->field)
            one = value_any(it, v, vs, n, ev, sc);
        else {
            kwarg k = {it, v, ev, sc};
            one = ev->each(ev->ctx, kw_one, &k);
        }
        if (one != it->all) {
            hit = one;
            break;
        }
    }
    return hit != it->neq;
}

static bool sel_match(const xs_ssel *s, const xs_sigma_event *ev, xs_sigma_scratch *sc)
{
    for (size_t g = 0; g < s->n; g++) {
        bool all = true;
        for (size_t i = 0; i < s->group[g].n && all; i++)
            all = item_match(&s->group[g].item[i], ev, sc);
        if (all)
            return true;
    }
    return false;
}

typedef struct evalst {
    const xs_sigma_rule *r;
    const xs_sigma_event *ev;
    xs_sigma_scratch *sc;
    int8_t memo[XS_SIGMA_MAX_SELECTIONS];
} evalst;

static bool sel_memo(evalst *e, uint32_t i)
{
    if (e->memo[i] < 0)
        e->memo[i] = sel_match(&e->r->sel[i], e->ev, e->sc);
    return e->memo[i];
}

static bool eval(evalst *e, uint32_t at)
{
    const xs_cnode *n = &e->r->cond[at];
    switch (n->kind) {
    case XS_CN_SEL:
        return sel_memo(e, n->a);
    case XS_CN_AND:
        return eval(e, n->a) && eval(e, n->b);
    case XS_CN_OR:
        return eval(e, n->a) || eval(e, n->b);
    case XS_CN_NOT:
        return !eval(e, n->a);
    case XS_CN_OF: {
        size_t need = n->need ? n->need : n->nsels, got = 0;
        for (size_t i = 0; i < n->nsels && got < need; i++) {
            if (sel_memo(e, n->sels[i]))
                got++;
            else if (!n->need)
                return false;
        }
        return got >= need;
    }
    }
    return false;
}

bool xs_sigma_match(const xs_sigma_rule *r, const xs_sigma_event *ev, xs_sigma_scratch *sc)
{
    if (!r->cond)
        return false; /* a correlation rule */
    evalst e = {r, ev, sc, {0}};
    memset(e.memo, -1, r->nsel);
    return eval(&e, r->root);
}

size_t xs_sigma_rule_fields(const xs_sigma_rule *r, const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nsel; i++)
        for (size_t g = 0; g < r->sel[i].n; g++)
            for (size_t k = 0; k < r->sel[i].group[g].n; k++) {
                const char *f = r->sel[i].group[g].item[k].field;
                bool have = !f;
                for (size_t j = 0; j < n && j < cap && !have; j++)
                    have = strcasecmp(out[j], f) == 0;
                if (have)
                    continue;
                if (n < cap)
                    out[n] = f;
                n++;
            }
    return n;
}
