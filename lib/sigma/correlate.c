/* Sigma correlation rules over the matches of the rules they name (correlate.h says what a
 * window and a hit are). The matches are kept compactly: a time, the rule's slot, and the
 * group key and value interned once (so a million matches of one user cost one copy of its
 * name); evaluation sorts each correlation's matches by group and time and walks windows with
 * running tallies. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/arena.h"
#include "core/grow.h"
#include "core/limits.h"
#include "core/strmap.h"
#include "sigma/correlate.h"

#define STR_(x) #x
#define XS_STR(x) STR_(x)

enum { T_EVENT_COUNT, T_VALUE_COUNT, T_TEMPORAL, T_ORDERED, T_SUM, T_AVG, T_PERCENTILE };

typedef struct ent {
    long long t;
    const char *key; /* interned: the group values, each as 4 bytes of length then bytes */
    const char *val; /* interned: the value field's (value_count), or NULL */
    const char *at;  /* interned: where it came from */
    uint32_t atn;
    double num;      /* the value field's number (value_sum, _avg, _percentile) */
    uint32_t klen, vlen, vid;
    uint16_t slot;   /* which of the correlation's rules */
} ent;

typedef struct corr {
    size_t rule;         /* its index in the set */
    const xs_sigma_corr *k;
    int type;
    size_t *ref;         /* the set's index of each rule it names */
    const char **field;  /* [slot * (ngroup + 1) + g]: the field read for group-by g (the
                            last: the condition's field), after the aliases */
    const char *why;     /* set: not evaluated */
    int state;           /* ordering: 0 not seen, 1 on the path, 2 placed */
    ent *e;
    size_t n, cap;
} corr;

typedef struct istr {    /* an interned string */
    uint64_t h;
    const char *p;
    uint32_t n, id;
} istr;

struct xs_scorr {
    const xs_sigma_set *set;
    size_t nrules;
    corr *c;
    size_t nc;
    size_t *order, norder;
    size_t *corr_of;     /* per rule: 1 + its correlation's index, 0 for a rule */
    size_t *by_start;    /* rule i names (corr, slot) pairs by[by_start[i] .. by_start[i+1]) */
    size_t (*by)[2];
    uint8_t *quiet, *wanted;
    istr **tab;          /* open addressing; a power of two */
    size_t tabcap, tabn;
    xs_arena a;
    size_t bytes, events;
    uint32_t nvals;
    char *kbuf;
    size_t kcap;
    pthread_mutex_t mu;
    bool failed, ran;
    xs_scorr_stats st;
    size_t max_events, max_bytes;
    unsigned long long max_work;
};

/* Each type, in the order of the T_ enum, and what its metric is. */
static const char *const TYPES[][2] = {
    {"event_count", "matches"},       {"value_count", "distinct values"},
    {"temporal", "rules seen"},       {"temporal_ordered", "rules seen in order"},
    {"value_sum", "sum"},             {"value_avg", "average"},
    {"value_percentile", "percentile"}};

void xs_scorr_set_caps(xs_scorr *c, size_t events, size_t bytes, unsigned long long work)
{
    if (events)
        c->max_events = events;
    if (bytes)
        c->max_bytes = bytes;
    if (work)
        c->max_work = work;
}

/* ---- interning ---- */

static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

/* The one copy of p[0..n), or NULL: out of memory (c->failed) or past the byte cap (*full). */
static const istr *intern(xs_scorr *c, const char *p, size_t n, bool *full)
{
    uint64_t h = fnv(p, n);
    if (c->tabcap) {
        for (size_t i = h & (c->tabcap - 1);; i = (i + 1) & (c->tabcap - 1)) {
            istr *s = c->tab[i];
            if (!s)
                break;
            if (s->h == h && s->n == n && !memcmp(s->p, p, n))
                return s;
        }
    }
    if (c->bytes + n + sizeof(istr) > c->max_bytes) {
        *full = true;
        return NULL;
    }
    if ((c->tabn + 1) * 2 > c->tabcap) {
        size_t nc = c->tabcap ? c->tabcap * 2 : 1024;
        istr **nt = calloc(nc, sizeof *nt);
        if (!nt)
            return (c->failed = true, NULL);
        for (size_t i = 0; i < c->tabcap; i++)
            if (c->tab[i]) {
                size_t j = c->tab[i]->h & (nc - 1);
                while (nt[j])
                    j = (j + 1) & (nc - 1);
                nt[j] = c->tab[i];
            }
        free(c->tab);
        c->tab = nt;
        c->tabcap = nc;
    }
    istr *s = xs_arena_alloc(&c->a, sizeof *s);
    char *copy = s ? xs_arena_alloc(&c->a, n ? n : 1) : NULL;
    if (!copy)
        return (c->failed = true, NULL);
    if (n)
        memcpy(copy, p, n);
    *s = (istr){.h = h, .p = copy, .n = (uint32_t)n, .id = c->nvals++};
    size_t i = h & (c->tabcap - 1);
    while (c->tab[i])
        i = (i + 1) & (c->tabcap - 1);
    c->tab[i] = s;
    c->tabn++;
    c->bytes += n + sizeof *s;
    return s;
}

/* ---- building ---- */

static int type_of(const char *t)
{
    for (int i = 0; i < (int)(sizeof TYPES / sizeof *TYPES); i++)
        if (t && !strcmp(t, TYPES[i][0]))
            return i;
    return -1;
}

/* The field group-by name g (or the condition's field) is for the rule called by its name or
 * id: an alias of the correlation names it, else g itself. */
static const char *alias_of(const xs_sigma_corr *k, const xs_sigma_meta *m, const char *g)
{
    for (size_t i = 0; i < k->naliases; i++)
        if (!strcmp(k->aliases[i].alias, g) &&
            ((m->name && !strcmp(k->aliases[i].rule, m->name)) ||
             (m->id && !strcmp(k->aliases[i].rule, m->id))))
            return k->aliases[i].field;
    return g;
}

/* Orders correlation ci after the correlations it names (depth: the chain so far). */
static void place(xs_scorr *c, size_t ci, unsigned depth)
{
    corr *cr = &c->c[ci];
    if (cr->state == 2)
        return;
    if (cr->state == 1) {
        if (!cr->why)
            cr->why = "correlation: takes part in a loop of correlations";
        return;
    }
    cr->state = 1;
    if (depth >= XS_SIGMA_MAX_CORR_DEPTH && !cr->why)
        cr->why = "limit: a chain of more than " XS_STR(XS_SIGMA_MAX_CORR_DEPTH) " correlations";
    for (size_t s = 0; !cr->why && s < cr->k->nrules && cr->ref; s++) {
        size_t cj = c->corr_of[cr->ref[s]];
        if (!cj--)
            continue; /* a rule, not a correlation */
        place(c, cj, depth + 1);
        if (c->c[cj].why && !cr->why)
            cr->why = cj == ci ? "correlation: takes part in a loop of correlations"
                               : "correlation: names a correlation that is not evaluated";
    }
    cr->state = 2;
    c->order[c->norder++] = ci;
}

xs_scorr *xs_scorr_create(const xs_sigma_set *s)
{
    xs_scorr *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->set = s;
    c->nrules = xs_sigma_count(s);
    c->max_events = XS_SIGMA_MAX_CORR_EVENTS;
    c->max_bytes = XS_SIGMA_MAX_CORR_BYTES;
    c->max_work = XS_SIGMA_MAX_CORR_WORK;
    pthread_mutex_init(&c->mu, NULL);
    xs_strmap *names = xs_strmap_create();
    size_t n = c->nrules;
    c->quiet = calloc(n ? n : 1, 1);
    c->wanted = calloc(n ? n : 1, 1);
    c->by_start = calloc(n + 1, sizeof *c->by_start);
    if (!names || !c->quiet || !c->wanted || !c->by_start)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        const xs_sigma_meta *m = xs_sigma_rule_meta(xs_sigma_rule_at(s, i));
        /* by id, then by name: an id wins over another rule's name */
        if (m->name && !xs_strmap_get(names, m->name) &&
            !xs_strmap_put(names, m->name, (void *)(i + 1), NULL))
            goto oom;
        c->nc += m->correlation != NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const xs_sigma_meta *m = xs_sigma_rule_meta(xs_sigma_rule_at(s, i));
        if (m->id && !xs_strmap_put(names, m->id, (void *)(i + 1), NULL))
            goto oom;
    }
    c->c = calloc(c->nc ? c->nc : 1, sizeof *c->c);
    c->order = calloc(c->nc ? c->nc : 1, sizeof *c->order);
    if (!c->c || !c->order)
        goto oom;
    size_t ci = 0, npairs = 0;
    for (size_t i = 0; i < n; i++) {
        const xs_sigma_meta *m = xs_sigma_rule_meta(xs_sigma_rule_at(s, i));
        if (!m->correlation)
            continue;
        corr *cr = &c->c[ci++];
        cr->rule = i;
        cr->k = m->correlation;
        cr->type = type_of(cr->k->type);
        if (cr->type < 0) {
            cr->why = "correlation: unknown type";
            continue;
        }
        if (cr->k->nrules > XS_SIGMA_MAX_CORR_RULES) {
            cr->why = "limit: a correlation naming more than " XS_STR(XS_SIGMA_MAX_CORR_RULES)
                      " rules";
            continue;
        }
        size_t ng = cr->k->ngroup_by + 1;
        cr->ref = xs_arena_alloc(&c->a, (cr->k->nrules ? cr->k->nrules : 1) * sizeof *cr->ref);
        cr->field = xs_arena_alloc(&c->a, (cr->k->nrules ? cr->k->nrules : 1) * ng *
                                              sizeof *cr->field);
        if (!cr->ref || !cr->field)
            goto oom;
        for (size_t r = 0; r < cr->k->nrules; r++) {
            void *v = xs_strmap_get(names, cr->k->rules[r]);
            if (!v) {
                cr->why = "correlation: names a rule that is not loaded";
                break;
            }
            cr->ref[r] = (size_t)v - 1;
            const xs_sigma_meta *rm = xs_sigma_rule_meta(xs_sigma_rule_at(s, cr->ref[r]));
            for (size_t g = 0; g + 1 < ng; g++)
                cr->field[r * ng + g] = alias_of(cr->k, rm, cr->k->group_by[g]);
            cr->field[r * ng + ng - 1] =
                cr->k->cond_field ? alias_of(cr->k, rm, cr->k->cond_field) : NULL;
        }
    }
    c->corr_of = calloc(n ? n : 1, sizeof *c->corr_of);
    if (!c->corr_of)
        goto oom;
    for (size_t i = 0; i < c->nc; i++)
        c->corr_of[c->c[i].rule] = i + 1;
    for (size_t i = 0; i < c->nc; i++)
        place(c, i, 0);
    /* the rules each evaluated correlation names: wanted, and quiet unless it says generate */
    for (size_t i = 0; i < c->nc; i++) {
        corr *cr = &c->c[i];
        if (cr->why) {
            c->st.broken++;
            continue;
        }
        c->st.correlations++;
        for (size_t r = 0; r < cr->k->nrules; r++) {
            c->wanted[cr->ref[r]] = 1;
            /* quiet (1) unless one of the correlations naming it says generate (2) */
            if (cr->k->generate)
                c->quiet[cr->ref[r]] = 2;
            else if (!c->quiet[cr->ref[r]])
                c->quiet[cr->ref[r]] = 1;
            c->by_start[cr->ref[r] + 1]++;
            npairs++;
        }
    }
    for (size_t i = 0; i < n; i++)
        c->by_start[i + 1] += c->by_start[i];
    c->by = calloc(npairs ? npairs : 1, sizeof *c->by);
    size_t *fill = calloc(n ? n : 1, sizeof *fill);
    if (!c->by || !fill) {
        free(fill);
        goto oom;
    }
    for (size_t i = 0; i < c->nc; i++) {
        corr *cr = &c->c[i];
        for (size_t r = 0; !cr->why && r < cr->k->nrules; r++) {
            size_t at = c->by_start[cr->ref[r]] + fill[cr->ref[r]]++;
            c->by[at][0] = i;
            c->by[at][1] = r;
        }
    }
    free(fill);
    xs_strmap_destroy(names);
    return c;
oom:
    xs_strmap_destroy(names);
    xs_scorr_destroy(c);
    return NULL;
}

void xs_scorr_destroy(xs_scorr *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nc && c->c; i++)
        free(c->c[i].e);
    free(c->c);
    free(c->order);
    free(c->corr_of);
    free(c->by_start);
    free(c->by);
    free(c->quiet);
    free(c->wanted);
    free(c->tab);
    free(c->kbuf);
    xs_arena_free(&c->a);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

bool xs_scorr_any(const xs_scorr *c)
{
    return c && c->st.correlations > 0;
}

bool xs_scorr_wants(const xs_scorr *c, size_t i)
{
    return c && i < c->nrules && c->wanted[i];
}

bool xs_scorr_alone(const xs_scorr *c, size_t i)
{
    return !c || i >= c->nrules || c->quiet[i] != 1;
}

bool xs_scorr_problem(const xs_scorr *c, size_t k, size_t *rule, const char **why)
{
    for (size_t i = 0; c && i < c->nc; i++)
        if (c->c[i].why && k-- == 0) {
            *rule = c->c[i].rule;
            *why = c->c[i].why;
            return true;
        }
    return false;
}

void xs_scorr_stats_get(const xs_scorr *c, xs_scorr_stats *st)
{
    *st = c->st;
}

/* ---- matches ---- */

static bool kput(xs_scorr *c, size_t *o, const void *p, size_t n)
{
    if (!xs_grow((void **)&c->kbuf, &c->kcap, *o + n, 1))
        return !(c->failed = true);
    memcpy(c->kbuf + *o, p, n);
    *o += n;
    return true;
}

/* A plain decimal number, the whole of v: [+-] digits [. digits] [e [+-] digits], at most
 * 63 bytes, finite. No spaces, hex, inf or nan: a value field is hostile text. */
static bool decimal(xs_str v, double *out)
{
    char num[64];
    if (!v.n || v.n >= sizeof num)
        return false;
    size_t i = 0, digits = 0;
    if (v.p[i] == '+' || v.p[i] == '-')
        i++;
    while (i < v.n && v.p[i] >= '0' && v.p[i] <= '9')
        i++, digits++;
    if (i < v.n && v.p[i] == '.')
        for (i++; i < v.n && v.p[i] >= '0' && v.p[i] <= '9'; i++)
            digits++;
    if (!digits)
        return false;
    if (i < v.n && (v.p[i] == 'e' || v.p[i] == 'E')) {
        size_t e0 = ++i;
        if (i < v.n && (v.p[i] == '+' || v.p[i] == '-'))
            e0 = ++i;
        while (i < v.n && v.p[i] >= '0' && v.p[i] <= '9')
            i++;
        if (i == e0)
            return false;
    }
    if (i != v.n)
        return false;
    memcpy(num, v.p, v.n);
    num[v.n] = '\0';
    errno = 0;
    *out = strtod(num, NULL); /* the C locale: exsweep never sets another */
    return errno == 0 && isfinite(*out);
}

/* One match into correlation cr as its rule number slot. 1 when kept, 0 when not (counted
 * why), -1 when out of memory. */
static int add_one(xs_scorr *c, corr *cr, size_t slot, long long t, const xs_sigma_event *ev,
                   xs_str origin)
{
    if (c->events >= c->max_events) {
        c->st.dropped++;
        return 0;
    }
    size_t ng = cr->k->ngroup_by + 1, o = 0;
    for (size_t g = 0; g + 1 < ng; g++) {
        xs_str v;
        if (!ev->field(ev->ctx, cr->field[slot * ng + g], &v, 1)) {
            c->st.no_group++;
            return 0;
        }
        uint32_t len = v.n > XS_SIGMA_MAX_CORR_VALUE ? XS_SIGMA_MAX_CORR_VALUE : (uint32_t)v.n;
        if (!kput(c, &o, &len, sizeof len) || !kput(c, &o, v.p, len))
            return -1;
    }
    ent e = {.t = t, .slot = (uint16_t)slot};
    const char *vf = cr->field[slot * ng + ng - 1];
    xs_str v = {0};
    if (vf) {
        if (!ev->field(ev->ctx, vf, &v, 1)) {
            c->st.no_group++;
            return 0;
        }
        if (v.n > XS_SIGMA_MAX_CORR_VALUE)
            v.n = XS_SIGMA_MAX_CORR_VALUE;
        if (cr->type >= T_SUM && !decimal(v, &e.num)) {
            c->st.not_numeric++;
            return 0;
        }
    }
    bool full = false;
    const istr *k = intern(c, c->kbuf ? c->kbuf : "", o, &full);
    const istr *vi = k && vf && cr->type == T_VALUE_COUNT ? intern(c, v.p, v.n, &full) : NULL;
    if (origin.n > XS_SIGMA_MAX_CORR_ORIGIN)
        origin.n = XS_SIGMA_MAX_CORR_ORIGIN;
    const istr *at = k && !full ? intern(c, origin.n ? origin.p : "", origin.n, &full) : NULL;
    if (c->failed)
        return -1;
    if (full) {
        c->st.dropped++;
        return 0;
    }
    e.key = k->p;
    e.klen = k->n;
    e.at = at->p;
    e.atn = at->n;
    if (vi) {
        e.val = vi->p;
        e.vlen = vi->n;
        e.vid = vi->id;
    }
    if (!xs_grow((void **)&cr->e, &cr->cap, cr->n + 1, sizeof *cr->e))
        return (c->failed = true, -1);
    cr->e[cr->n++] = e;
    c->events++;
    c->st.events++;
    return 1;
}

int xs_scorr_add(xs_scorr *c, size_t i, long long t_ms, const xs_sigma_event *ev,
                 xs_str origin, size_t *kept)
{
    size_t k = 0;
    if (kept)
        *kept = 0;
    if (!c || i >= c->nrules || !c->wanted[i])
        return 0;
    pthread_mutex_lock(&c->mu);
    int rc = c->failed ? -1 : 0;
    if (rc == 0 && c->ran) { /* too late to count in any window: said, not lost */
        c->st.dropped += c->by_start[i + 1] - c->by_start[i];
        pthread_mutex_unlock(&c->mu);
        return 0;
    }
    for (size_t p = c->by_start[i]; rc >= 0 && p < c->by_start[i + 1]; p++)
        if ((rc = add_one(c, &c->c[c->by[p][0]], c->by[p][1], t_ms, ev, origin)) > 0)
            k++;
    pthread_mutex_unlock(&c->mu);
    if (kept)
        *kept = k;
    return rc < 0 ? -1 : 0;
}

/* ---- evaluation ---- */

static int ent_cmp(const void *x, const void *y)
{
    const ent *a = x, *b = y;
    if (a->key != b->key) {
        size_t n = a->klen < b->klen ? a->klen : b->klen;
        int d = memcmp(a->key, b->key, n);
        if (d || a->klen != b->klen)
            return d ? d : (a->klen < b->klen ? -1 : 1);
    }
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    if (a->slot != b->slot)
        return a->slot < b->slot ? -1 : 1;
    if (a->val != b->val) {
        size_t n = a->vlen < b->vlen ? a->vlen : b->vlen;
        int d = n ? memcmp(a->val, b->val, n) : 0;
        if (d || a->vlen != b->vlen)
            return d ? d : (a->vlen < b->vlen ? -1 : 1);
    }
    if (a->num != b->num)
        return a->num < b->num ? -1 : 1;
    /* last, where they came from: the same matches sort the same whatever their arrival */
    size_t n = a->atn < b->atn ? a->atn : b->atn;
    int d = n ? memcmp(a->at, b->at, n) : 0;
    return d ? d : (a->atn < b->atn ? -1 : a->atn > b->atn);
}

static int dbl_cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

static bool cond_met(const corr *cr, double m)
{
    const xs_sigma_corr *k = cr->k;
    if (!k->ncond)
        return m >= (double)k->nrules;
    for (size_t i = 0; i < k->ncond; i++) {
        const char *op = k->cond[i].op;
        double v = k->cond[i].value;
        bool ok = !strcmp(op, "gt")    ? m > v
                  : !strcmp(op, "gte") ? m >= v
                  : !strcmp(op, "lt")  ? m < v
                  : !strcmp(op, "lte") ? m <= v
                                       : m == v;
        if (!ok)
            return false;
    }
    return true;
}

typedef struct tally {
    size_t *slot;      /* events of each rule in the window */
    size_t nslots;     /* rules with an event in it */
    uint32_t *val;     /* events of each value id (value_count) */
    size_t nvals;      /* distinct values in it */
} tally;

static void tally_add(tally *w, const corr *cr, const ent *e, int sign)
{
    if (sign > 0) {
        w->nslots += w->slot[e->slot]++ == 0;
        if (cr->type == T_VALUE_COUNT)
            w->nvals += w->val[e->vid]++ == 0;
    } else {
        w->nslots -= --w->slot[e->slot] == 0;
        if (cr->type == T_VALUE_COUNT)
            w->nvals -= --w->val[e->vid] == 0;
    }
}

typedef struct runctx {
    xs_scorr *c;
    int (*emit)(void *, const xs_scorr_hit *);
    void *arg;
    xs_str *group;
    double *nums;
    size_t capnums;
} runctx;

/* A hit's group values as an event of the correlation's group-by fields, for a correlation
 * naming this one. */
typedef struct hitev {
    const corr *cr;
    const xs_str *group;
} hitev;

static size_t hit_field(void *ctx, const char *name, xs_str *out, size_t cap)
{
    const hitev *h = ctx;
    for (size_t g = 0; g < h->cr->k->ngroup_by; g++)
        if (!strcasecmp(h->cr->k->group_by[g], name)) {
            if (cap)
                out[0] = h->group[g];
            return 1;
        }
    return 0;
}

static bool hit_each(void *ctx, bool (*fn)(void *, xs_str), void *arg)
{
    const hitev *h = ctx;
    for (size_t g = 0; g < h->cr->k->ngroup_by; g++)
        if (fn(arg, h->group[g]))
            return true;
    return false;
}

static int hit(runctx *r, size_t ci, const ent *first, const ent *lastev, long long last,
               size_t events, double m)
{
    xs_scorr *c = r->c;
    corr *cr = &c->c[ci];
    const char *p = first->key;
    for (size_t g = 0; g < cr->k->ngroup_by; g++) {
        uint32_t len;
        memcpy(&len, p, sizeof len);
        r->group[g] = xs_str_make(p + sizeof len, len);
        p += sizeof len + len;
    }
    c->st.hits++;
    xs_scorr_hit h = {.rule = cr->rule, .first_ms = first->t, .last_ms = last,
                      .group = r->group, .ngroup = cr->k->ngroup_by, .value = m,
                      .events = events, .metric = TYPES[cr->type][1],
                      .first_at = xs_str_make(first->at, first->atn),
                      .last_at = xs_str_make(lastev->at, lastev->atn)};
    if (c->quiet[cr->rule] != 1) {
        int rc = r->emit(r->arg, &h);
        if (rc)
            return rc;
    }
    hitev he = {cr, r->group};
    xs_sigma_event ev = {.ctx = &he, .field = hit_field, .each = hit_each};
    for (size_t p2 = c->by_start[cr->rule]; p2 < c->by_start[cr->rule + 1]; p2++)
        if (add_one(c, &c->c[c->by[p2][0]], c->by[p2][1], last, &ev, h.last_at) < 0)
            return -1;
    return 0;
}

/* Correlation ci's windows over its sorted matches. 0, -1 (out of memory) or emit's. */
static int evaluate(runctx *r, size_t ci)
{
    xs_scorr *c = r->c;
    corr *cr = &c->c[ci];
    if (!cr->n)
        return 0;
    qsort(cr->e, cr->n, sizeof *cr->e, ent_cmp);
    long long span = cr->k->timespan_s > LLONG_MAX / 1000 ? LLONG_MAX : cr->k->timespan_s * 1000;
    tally w = {0};
    w.slot = calloc(cr->k->nrules ? cr->k->nrules : 1, sizeof *w.slot);
    w.val = cr->type == T_VALUE_COUNT ? calloc(c->nvals ? c->nvals : 1, sizeof *w.val) : NULL;
    if (!w.slot || (cr->type == T_VALUE_COUNT && !w.val)) {
        free(w.slot);
        return -1;
    }
    unsigned long long work = 0;
    int rc = 0;
    const ent *e = cr->e;
    for (size_t lo = 0; lo < cr->n && rc == 0;) {
        size_t hi = lo;
        while (hi < cr->n && e[hi].key == e[lo].key)
            hi++;
        size_t i = lo, j = lo;
        while (i < hi && rc == 0) {
            long long end = e[i].t > LLONG_MAX - span ? LLONG_MAX : e[i].t + span;
            while (j < hi && e[j].t <= end)
                tally_add(&w, cr, &e[j++], +1);
            size_t n = j - i;
            const ent *lastev = &e[j - 1];
            long long last = lastev->t;
            double m;
            switch (cr->type) {
            case T_EVENT_COUNT:
                m = (double)n;
                break;
            case T_VALUE_COUNT:
                m = (double)w.nvals;
                break;
            case T_TEMPORAL:
                m = (double)w.nslots;
                break;
            case T_ORDERED: {
                size_t need = 0;
                if (e[i].slot == 0)
                    for (size_t x = i; x < j && need < cr->k->nrules; x++, work++)
                        if (e[x].slot == need && ++need == cr->k->nrules)
                            lastev = &e[x], last = e[x].t, n = x - i + 1;
                m = (double)need;
                break;
            }
            case T_SUM:
            case T_AVG: { /* added up again each window: a running sum that one huge value
                           * passes through would lose the small ones beside it for good */
                long double sum = 0;
                for (size_t x = i; x < j; x++)
                    sum += e[x].num;
                work += n;
                m = (double)(cr->type == T_SUM ? sum : sum / (long double)n);
                break;
            }
            default: { /* T_PERCENTILE: nearest rank */
                if (!xs_grow((void **)&r->nums, &r->capnums, n, sizeof *r->nums)) {
                    rc = -1;
                    continue;
                }
                for (size_t x = 0; x < n; x++)
                    r->nums[x] = e[i + x].num;
                qsort(r->nums, n, sizeof *r->nums, dbl_cmp);
                work += n * (1 + (unsigned long long)log2((double)n));
                /* p * n first: p / 100 is not exact in binary (7 / 100 * 100 > 7) */
                double rank = ceil(cr->k->percentile * (double)n / 100.0);
                size_t at = rank < 1 ? 0 : (size_t)rank - 1;
                m = r->nums[at < n ? at : n - 1];
                break;
            }
            }
            work++;
            if (work > c->max_work) {
                c->st.cut++;
                hi = cr->n; /* no further group either */
                i = j = lo = hi;
                break;
            }
            bool ordered_ok = cr->type != T_ORDERED || e[i].slot == 0;
            if (ordered_ok && cond_met(cr, m)) {
                rc = hit(r, ci, &e[i], lastev, last, n, m);
                /* the next window starts after the hit's last event: for temporal_ordered
                 * the one that completed the order, else the window's end */
                size_t next = cr->type == T_ORDERED ? (size_t)(lastev - e) + 1 : j;
                while (i < next)
                    tally_add(&w, cr, &e[i++], -1);
                continue;
            }
            tally_add(&w, cr, &e[i++], -1);
        }
        while (i < j) /* the tallies back to zero for the next group */
            tally_add(&w, cr, &e[i++], -1);
        lo = hi;
    }
    free(w.slot);
    free(w.val);
    return rc;
}

int xs_scorr_run(xs_scorr *c, int (*emit)(void *arg, const xs_scorr_hit *h), void *arg)
{
    pthread_mutex_lock(&c->mu); /* adders still running get counted as too late */
    bool failed = c->failed, ran = c->ran;
    c->ran = true;
    pthread_mutex_unlock(&c->mu);
    if (failed)
        return -1;
    if (ran)
        return 0;
    size_t ng = 1;
    for (size_t i = 0; i < c->nc; i++)
        if (c->c[i].k->ngroup_by > ng)
            ng = c->c[i].k->ngroup_by;
    runctx r = {.c = c, .emit = emit, .arg = arg, .group = calloc(ng, sizeof(xs_str))};
    if (!r.group)
        return -1;
    int rc = 0;
    for (size_t o = 0; o < c->norder && rc == 0; o++)
        if (!c->c[c->order[o]].why)
            rc = evaluate(&r, c->order[o]);
    free(r.group);
    free(r.nums);
    if (rc < 0 || c->failed)
        return -1;
    return rc;
}
