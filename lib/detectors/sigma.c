/* Sigma rules in the sweep: the rules of --sigma, their exs_rule, the index by evidence, and
 * the matching of EVTX records, IIS lines and Exchange CSV rows (docs/sigma.md). */
#include <errno.h>
#include <hs.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/grow.h"
#include "core/limits.h"
#include "core/parallel.h"
#include "detectors/sigma.h"
#include "engines/hscache.h"
#include "scan/ctx.h"
#include "scan/pass.h"
#include "sigma/correlate.h"
#include "sigma/weblog.h"
#include "sigma/winlog.h"

/* Fields of a rule shown in its finding's evidence, and bytes of each value. */
#define EV_FIELDS 8
#define EV_VALUE 160

/* Literals in one Vectorscan database: literal i stands for the entries pos[start[i] ..
 * start[i + 1]), each a position of the rule list and the bits of that rule's literal lists it
 * is in; need[k] has a bit for each list of the rule at k. */
typedef struct lindex {
    hs_database_t *db;
    uint32_t *start;
    struct pent {
        uint32_t pos;
        uint8_t bits;
    } *pos;
    uint8_t *need;
} lindex;

/* A list of rule indices, and its prefilter (prepare): the literals its rules need
 * (xs_sigma_rule_literals), caseless, over an event's values (vals_add), so that an event
 * meets only the rules whose literal lists each have a literal among its values, and the rules
 * with no such list (always). Without a database (no literal, or the engine refused them)
 * every rule of the list is always. IIS's list also has a line gate: the same lists, each
 * literal as the raw line holds it (xs_sigrun_lines). */
typedef struct ilist {
    uint32_t *v;
    size_t n, cap;
    lindex lit, gate;
    uint64_t *always; /* bit k: v[k] meets every event */
    size_t nwords;
} ilist;

typedef struct srule {
    const xs_sigma_rule *r;
    exs_rule rule;
    exs_verdict verdict;
    exs_severity severity;
    const char *fields[EV_FIELDS];
    size_t nfields;
} srule;

struct xs_sigrules {
    xs_sigma_set *set;
    xs_arena a;
    srule *rule;
    size_t nrule;
    /* EVTX: [0, nsvc) per Windows service, [nsvc] a channel the table does not know (the rules
     * of a product or a service), then [nsvc + 1 + e] per category entry e (the category
     * rules, by service and event id: xs_sigma_win_entries_of); an entry whose rules are
     * another's uses that one's list (bycat[e]: Sysmon's 1 and Security's 4688). */
    ilist *bysvc;
    size_t nsvc, ncat, nwin;
    const ilist **bycat;
    ilist kind[XS_KIND__COUNT]; /* [XS_KIND_IIS]: the webserver rules */
    size_t unmapped;
    xs_scorr *corr;      /* the correlation rules over the matches of the rules they name */
    uint64_t *untimed;   /* matches a correlation wanted that had no time (atomic) */
    bool prepared;
};

struct xs_sigrun {
    const xs_sigrules *r;
    xs_sigma_scratch *sc;
    hs_scratch_t *hs;    /* for every list's database */
    uint64_t *cand;      /* the candidate positions of the list being run */
    size_t ncand;        /* words of cand */
    uint8_t *hit;        /* per position: the bits of its lists found so far */
    uint32_t *touched;   /* the positions with bits in hit, to clear */
    size_t ntouched;
    char *vals;          /* the event's values, each ended by a NUL, for the prefilter */
    size_t nvals, capvals;
    bool vals_bad;       /* out of memory or past 4 GiB: no prefilter for this event */
    xs_sigma_w3c w3c;
    xs_sigma_kv kv[XS_MAX_FIELDS];
    char *obuf;          /* a match's origin, for the correlator */
    size_t obufcap;
};

xs_sigrules *xs_sigrules_create(void)
{
    xs_sigrules *r = calloc(1, sizeof *r);
    if (r && !(r->set = xs_sigma_set_create())) {
        free(r);
        return NULL;
    }
    return r;
}

static void lindex_free(lindex *x)
{
    hs_free_database(x->db);
    free(x->start);
    free(x->pos);
    free(x->need);
}

static void ilist_free(ilist *l)
{
    free(l->v);
    lindex_free(&l->lit);
    lindex_free(&l->gate);
    free(l->always);
}

void xs_sigrules_destroy(xs_sigrules *r)
{
    if (!r)
        return;
    for (size_t i = 0; r->bysvc && i < r->nwin; i++)
        ilist_free(&r->bysvc[i]);
    free(r->bysvc);
    free(r->bycat);
    for (size_t k = 0; k < XS_KIND__COUNT; k++)
        ilist_free(&r->kind[k]);
    free(r->rule);
    xs_scorr_destroy(r->corr);
    free(r->untimed);
    xs_arena_free(&r->a);
    xs_sigma_set_destroy(r->set);
    free(r);
}

exs_rc xs_sigrules_add(xs_sigrules *r, const char *path, char *err, size_t cap)
{
    if (!r || r->prepared)
        return EXS_EINVAL;
    struct stat st;
    if (stat(path, &st) != 0) {
        int e = errno;
        snprintf(err, cap, "%s: %s", path, strerror(e));
        return e == ENOENT || e == ENOTDIR ? EXS_ENOENT : e == EACCES ? EXS_EACCES : EXS_EIO;
    }
    size_t nskip0;
    xs_sigma_skips(r->set, &nskip0);
    if (xs_sigma_load_path(r->set, path) == 0)
        return EXS_OK;
    size_t nskip;
    const xs_sigma_skip *sk = xs_sigma_skips(r->set, &nskip);
    if (nskip > nskip0) {
        snprintf(err, cap, "%s: %s", path, sk[nskip - 1].reason);
        return strstr(sk[nskip - 1].reason, "ermission") ? EXS_EACCES : EXS_EIO;
    }
    snprintf(err, cap, "%s: out of memory loading the Sigma rules", path);
    return EXS_ENOMEM;
}

static bool ilist_add(ilist *l, uint32_t i)
{
    if (!xs_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v))
        return false;
    l->v[l->n++] = i;
    return true;
}

/* "a,b" of the tags that start with prefix, the rest of each mapped by fn. */
static const char *tags_list(xs_arena *a, const xs_sigma_meta *m, const char *prefix,
                             bool (*fn)(const char *in, char *out, size_t cap))
{
    char buf[1024];
    size_t o = 0, np = strlen(prefix);
    buf[0] = 0;
    for (size_t i = 0; i < m->ntags; i++) {
        char one[64];
        if (strncasecmp(m->tags[i], prefix, np) != 0 || !fn(m->tags[i] + np, one, sizeof one))
            continue;
        int w = snprintf(buf + o, sizeof buf - o, "%s%s", o ? "," : "", one);
        if (w < 0 || (size_t)w >= sizeof buf - o) {
            buf[o] = 0;
            break;
        }
        o += (size_t)w;
    }
    return xs_arena_strdup(a, buf);
}

/* attack.t1505.003 -> T1505.003 (the tactics, attack.persistence, are not techniques). */
static bool technique(const char *in, char *out, size_t cap)
{
    if ((in[0] != 't' && in[0] != 'T') || in[1] < '0' || in[1] > '9' || strlen(in) >= cap)
        return false;
    for (size_t i = 0; in[i]; i++)
        out[i] = (char)(in[i] >= 'a' && in[i] <= 'z' ? in[i] - 32 : in[i]);
    out[strlen(in)] = 0;
    return true;
}

/* cve.2021-26855 -> CVE-2021-26855 */
static bool cve(const char *in, char *out, size_t cap)
{
    if (in[0] < '0' || in[0] > '9')
        return false;
    int w = snprintf(out, cap, "CVE-%s", in);
    return w > 0 && (size_t)w < cap;
}

/* The description with the references after it (exs_rule has no field of its own for them). */
static const char *describe(xs_arena *a, const xs_sigma_meta *m)
{
    size_t n = (m->description ? strlen(m->description) : 0) + 16;
    for (size_t i = 0; i < m->nreferences; i++)
        n += strlen(m->references[i]) + 1;
    char *b = malloc(n);
    if (!b)
        return NULL;
    size_t o = (size_t)snprintf(b, n, "%s", m->description ? m->description : "");
    for (size_t i = 0; i < m->nreferences; i++)
        o += (size_t)snprintf(b + o, n - o, "%s%s", i ? " " : o ? "\nReferences: " : "References: ",
                              m->references[i]);
    const char *d = xs_arena_strdup(a, b);
    free(b);
    return d;
}

/* The exchange log source (docs/sigma.md): product exchange, a service per log kind. */
static const struct {
    const char *service;
    xs_kind kind;
} exchange_services[] = {
    {"httpproxy", XS_KIND_HTTPPROXY},   {"ecp", XS_KIND_ECP},
    {"rps_cmdlet", XS_KIND_RPSCMDLET}, {"cmdletinfra", XS_KIND_RPSCMDLET},
    {"rps_http", XS_KIND_RPSHTTP},     {"msgtracking", XS_KIND_EXCHANGE},
};
#define NEXSVC (sizeof exchange_services / sizeof *exchange_services)

/* Indexes rule i under the evidence its log source names; false when out of memory. */
static bool index_rule(xs_sigrules *R, uint32_t i, bool *mapped)
{
    const xs_sigma_rule *r = R->rule[i].r;
    const xs_sigma_meta *m = xs_sigma_rule_meta(r);
    *mapped = true;
    if (m->product && strcasecmp(m->product, "exchange") == 0) {
        bool any = false;
        for (size_t k = 0; k < NEXSVC; k++) {
            if (m->service && strcasecmp(m->service, exchange_services[k].service) != 0)
                continue;
            ilist *l = &R->kind[exchange_services[k].kind];
            if (l->n && l->v[l->n - 1] == i)
                continue; /* cmdletinfra and rps_cmdlet: once */
            if (!ilist_add(l, i))
                return false;
            any = true;
        }
        *mapped = any;
        return true;
    }
    if (xs_sigma_web_covers(r))
        return ilist_add(&R->kind[XS_KIND_IIS], i);
    if (!xs_sigma_win_mapped(r)) {
        *mapped = false;
        return true;
    }
    if (xs_sigma_win_is_category(r)) {
        for (size_t e = 0; e < R->ncat; e++)
            if (xs_sigma_win_in_entry(r, e) && !ilist_add(&R->bysvc[R->nsvc + 1 + e], i))
                return false;
        return true;
    }
    for (size_t s = 0; s <= R->nsvc; s++)
        if (xs_sigma_win_serves(r, s < R->nsvc ? (int)s : -1) && !ilist_add(&R->bysvc[s], i))
            return false;
    return true;
}

/* ---------------------------------------------------------------- the prefilter */

typedef struct plit {
    unsigned char *p; /* lowercase */
    size_t n;
    uint32_t pos;     /* in the list */
    uint8_t bit;      /* of the rule's literal list */
    bool whole;       /* a field's whole value */
} plit;

typedef struct plits {
    plit *v;
    size_t n, cap;
    uint32_t pos;
} plits;

static bool plit_add(void *arg, const unsigned char *lit, size_t n, unsigned clause, bool whole)
{
    plits *L = arg;
    unsigned char *p = malloc(n);
    if (!p || !xs_grow((void **)&L->v, &L->cap, L->n + 1, sizeof *L->v)) {
        free(p);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)xs_lower((char)lit[i]);
    L->v[L->n++] = (plit){p, n, L->pos, (uint8_t)(1u << clause), whole};
    return true;
}

static int plit_cmp(const void *a, const void *b)
{
    const plit *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, n);
    if (c)
        return c;
    if (x->n != y->n)
        return x->n < y->n ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Compiles the literals of L (sorted here) into x, for rule lists of n positions: each
 * distinct literal once, its entries a position each; flags for every literal, mode the
 * database's; compiled through cache (NULL: none). EXS_ENOMEM; the engine refusing them is EXS_EENGINE (x->db NULL). */
static exs_rc lindex_build(xs_hscache *cache, lindex *x, plits *L, size_t n, unsigned flag,
                           unsigned mode)
{
    exs_rc rc = EXS_ENOMEM;
    size_t nu = 0, np = 0;
    qsort(L->v, L->n, sizeof *L->v, plit_cmp);
    const char **ex = calloc(L->n, sizeof *ex);
    unsigned *flags = calloc(L->n, sizeof *flags), *ids = calloc(L->n, sizeof *ids);
    size_t *lens = calloc(L->n, sizeof *lens);
    x->start = calloc(L->n + 1, sizeof *x->start);
    x->pos = calloc(L->n, sizeof *x->pos);
    if (!x->need)
        x->need = calloc(n ? n : 1, sizeof *x->need);
    if (!ex || !flags || !ids || !lens || !x->start || !x->pos || !x->need)
        goto out;
    for (size_t i = 0; i < L->n; i++) {
        const plit *v = &L->v[i];
        bool same = i && v->n == v[-1].n && !memcmp(v->p, v[-1].p, v->n);
        if (!same) {
            x->start[nu] = (uint32_t)np;
            ex[nu] = (const char *)v->p;
            lens[nu] = v->n;
            flags[nu] = flag;
            ids[nu] = (unsigned)nu;
            nu++;
        }
        if (same && x->pos[np - 1].pos == v->pos) /* a rule's literal twice: once */
            x->pos[np - 1].bits |= v->bit;
        else
            x->pos[np++] = (struct pent){v->pos, v->bit};
    }
    x->start[nu] = (uint32_t)np;
    hs_compile_error_t *ce = NULL;
    rc = EXS_OK;
    if (xs_hscache_compile_lit(cache, ex, flags, ids, lens, (unsigned)nu, mode, &x->db, &ce) !=
        HS_SUCCESS) {
        /* the compiler's word for running out of memory (hs_compile.h) */
        rc = ce && ce->message && strstr(ce->message, "allocate memory") ? EXS_ENOMEM
                                                                         : EXS_EENGINE;
        hs_free_compile_error(ce);
        x->db = NULL;
    }
out:
    free(ex);
    free(flags);
    free(ids);
    free(lens);
    return rc;
}

static void plits_free(plits *L)
{
    for (size_t i = 0; i < L->n; i++)
        free(L->v[i].p);
    free(L->v);
}

/* The longest run of lit[0..n) without a space, '?' or line break, as *at, *len. An IIS W3C
 * line holds it as it is when the row's event holds lit: its fields are space-separated, the
 * event's URL is the stem and the query joined by '?', and its user agent, referer and cookie
 * have IIS's '+' as spaces (lib/sigma/weblog.c); the rest are the line's own bytes. */
static void raw_piece(const unsigned char *lit, size_t n, size_t *at, size_t *len)
{
    *at = *len = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && lit[j] != ' ' && lit[j] != '?' && lit[j] != '\n' && lit[j] != '\r')
            j++;
        if (j - i > *len) {
            *at = i;
            *len = j - i;
        }
        i = j + 1;
    }
}

/* Adds the forms of v the raw line holds to G. A literal that is a field's whole value, has no
 * space, tab, '?' or line break and is shorter than the cut of a web value, is all of one of
 * the line's space- or tab-separated fields (lib/parsers/w3c.c), so the line holds it between
 * a separator (or the line's start, a break) and a separator (or the line's end): those forms,
 * which leave out what only holds it inside a longer field (a request id holding a status).
 * The NUL bytes the pipeline skips before a line are ilist_gate's. Any other literal's form is
 * its raw piece (raw_piece). *ok false when that is under two bytes. False when out of
 * memory. */
static bool gate_forms(plits *G, const plit *v, bool *ok)
{
    static const char left[] = {' ', '\t', '\n'}, right[] = {' ', '\t', '\r', '\n'};
    bool plain = v->whole && v->n + 1 < XS_SIGMA_MAX_WEB_VALUE;
    for (size_t i = 0; i < v->n && plain; i++)
        plain = !memchr(" \t?\r\n", v->p[i], 5);
    G->pos = v->pos;
    *ok = true;
    if (!plain) {
        size_t at, len;
        raw_piece(v->p, v->n, &at, &len);
        if (len < 2) {
            *ok = false;
            return true;
        }
        if (!plit_add(G, v->p + at, len, 0, false))
            return false;
        G->v[G->n - 1].bit = v->bit;
        return true;
    }
    unsigned char *f = malloc(v->n + 2);
    if (!f)
        return false;
    memcpy(f + 1, v->p, v->n);
    for (size_t l = 0; l < sizeof left; l++)
        for (size_t r = 0; r < sizeof right; r++) {
            f[0] = (unsigned char)left[l];
            f[v->n + 1] = (unsigned char)right[r];
            if (!plit_add(G, f, v->n + 2, 0, false)) {
                free(f);
                return false;
            }
            G->v[G->n - 1].bit = v->bit;
        }
    free(f);
    return true;
}

/* The line gate of l (the IIS rules), from the literals L of its prefilter: each literal in the
 * forms the raw line holds it (gate_forms), in the lists of its rule whose every literal has
 * them. None when a rule is always or has no such list (then every line is parsed). */
static exs_rc ilist_gate(xs_hscache *cache, ilist *l, const plits *L)
{
    for (size_t k = 0; k < l->nwords; k++)
        if (l->always[k])
            return EXS_OK;
    uint8_t *bad = calloc(l->n ? l->n : 1, 1);
    plits G = {0};
    exs_rc rc = EXS_ENOMEM;
    if (!bad || !(l->gate.need = calloc(l->n ? l->n : 1, 1)))
        goto out;
    for (size_t i = 0; i < L->n; i++) {
        bool ok;
        if (!gate_forms(&G, &L->v[i], &ok))
            goto out;
        if (!ok)
            bad[L->v[i].pos] |= L->v[i].bit;
    }
    for (size_t k = 0; k < l->n; k++)
        if (!(l->gate.need[k] = l->lit.need[k] & (uint8_t)~bad[k])) {
            rc = EXS_OK; /* a rule the raw line cannot rule out */
            goto out;
        }
    /* a line the pipeline reads after NUL bytes (what a crash left of the one before) may
     * start with a whole field no break precedes: "\n\0" meets every rule's lists */
    for (size_t k = 0; k < l->n; k++) {
        G.pos = (uint32_t)k;
        if (!plit_add(&G, (const unsigned char *)"\n", 2, 0, false))
            goto out;
        G.v[G.n - 1].bit = l->gate.need[k];
    }
    /* the forms of a list left out of need only let more lines through */
    rc = lindex_build(cache, &l->gate, &G, l->n, HS_FLAG_CASELESS, HS_MODE_BLOCK);
    if (rc == EXS_EENGINE)
        rc = EXS_OK; /* no gate: every line is parsed */
out:
    if (rc != EXS_OK || !l->gate.db) {
        lindex_free(&l->gate);
        l->gate = (lindex){0};
    }
    free(bad);
    plits_free(&G);
    return rc;
}

/* l's prefilter (and with gate its line gate); EXS_ENOMEM. The engine refusing the literals
 * leaves l without a database (every rule always): slower, the same results. */
static exs_rc ilist_prefilter(xs_sigrules *R, xs_hscache *cache, ilist *l, bool gate)
{
    exs_rc rc = EXS_ENOMEM;
    plits L = {0};
    l->nwords = (l->n + 63) / 64;
    l->always = calloc(l->nwords ? l->nwords : 1, sizeof *l->always);
    l->lit.need = calloc(l->n ? l->n : 1, sizeof *l->lit.need);
    if (!l->always || !l->lit.need)
        return EXS_ENOMEM;
    for (size_t k = 0; k < l->n; k++) {
        L.pos = (uint32_t)k;
        size_t n0 = L.n;
        int got = xs_sigma_rule_literals(R->rule[l->v[k]].r, plit_add, &L);
        if (got < 0)
            goto out;
        if (got == 0) {
            for (size_t i = n0; i < L.n; i++)
                free(L.v[i].p);
            L.n = n0;
            l->always[k / 64] |= (uint64_t)1 << (k % 64);
        } else
            l->lit.need[k] = (uint8_t)((1u << got) - 1);
    }
    rc = EXS_OK;
    if (!L.n)
        goto out;
    rc = lindex_build(cache, &l->lit, &L, l->n, HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH,
                      HS_MODE_BLOCK);
    if (rc == EXS_EENGINE) {
        memset(l->always, 0xff, l->nwords * sizeof *l->always);
        rc = EXS_OK;
    }
    if (rc == EXS_OK && gate && l->lit.db)
        rc = ilist_gate(cache, l, &L);
out:
    plits_free(&L);
    return rc;
}

typedef struct pfjob {
    xs_sigrules *R;
    xs_hscache *cache;
    ilist **list;
    exs_rc *rc;
} pfjob;

static int by_size_desc(const void *a, const void *b)
{
    size_t x = (*(ilist *const *)a)->n, y = (*(ilist *const *)b)->n;
    return x < y ? 1 : x > y ? -1 : 0;
}

static void pf_one(void *ctx, size_t i)
{
    pfjob *j = ctx;
    ilist *l = j->list[i];
    j->rc[i] = ilist_prefilter(j->R, j->cache, l, l == &j->R->kind[XS_KIND_IIS]);
}

exs_rc xs_sigrules_prepare(xs_sigrules *R, xs_hscache *cache)
{
    if (!R || R->prepared)
        return EXS_OK;
    size_t n = xs_sigma_count(R->set);
    R->nsvc = xs_sigma_win_nservices();
    R->ncat = xs_sigma_win_nentries();
    R->nwin = R->nsvc + 1 + R->ncat;
    R->bysvc = calloc(R->nwin, sizeof *R->bysvc);
    R->bycat = calloc(R->ncat, sizeof *R->bycat);
    R->rule = calloc(n ? n : 1, sizeof *R->rule);
    if (!R->bysvc || !R->bycat || !R->rule)
        return EXS_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        srule *s = &R->rule[i];
        s->r = xs_sigma_rule_at(R->set, i);
        const xs_sigma_meta *m = xs_sigma_rule_meta(s->r);
        exs_rule *x = &s->rule;
        x->id = m->id ? m->id : m->title ? m->title : m->file;
        x->name = m->title ? m->title : x->id;
        x->cves = tags_list(&R->a, m, "cve.", cve);
        x->family = "Sigma";
        x->description = describe(&R->a, m);
        x->techniques = tags_list(&R->a, m, "attack.", technique);
        x->backdoor = false;
        if (!x->cves || !x->description || !x->techniques)
            return EXS_ENOMEM;
        const char *lv = m->level ? m->level : "";
        s->verdict = EXS_VERDICT_SUSPICIOUS;
        s->severity = !strcasecmp(lv, "critical") ? EXS_SEV_CRITICAL
                      : !strcasecmp(lv, "high")   ? EXS_SEV_HIGH
                      : !strcasecmp(lv, "medium") ? EXS_SEV_MEDIUM
                                                  : EXS_SEV_LOW;
        size_t nf = xs_sigma_rule_fields(s->r, s->fields, EV_FIELDS);
        s->nfields = nf < EV_FIELDS ? nf : EV_FIELDS;
        bool mapped;
        if (m->correlation)
            continue; /* never matches: counted apart */
        if (!index_rule(R, (uint32_t)i, &mapped))
            return EXS_ENOMEM;
        R->unmapped += !mapped;
    }
    R->nrule = n;
    if (!(R->corr = xs_scorr_create(R->set)) || !(R->untimed = calloc(1, sizeof *R->untimed)))
        return EXS_ENOMEM;
    /* the lists' prefilters on every CPU, the largest lists first */
    size_t nl = 0;
    pfjob j = {R, cache, calloc(R->nwin + XS_KIND__COUNT, sizeof *j.list),
               calloc(R->nwin + XS_KIND__COUNT, sizeof *j.rc)};
    if (!j.list || !j.rc) {
        free(j.list);
        free(j.rc);
        return EXS_ENOMEM;
    }
    for (size_t s = 0; s <= R->nsvc; s++)
        j.list[nl++] = &R->bysvc[s];
    for (size_t e = 0; e < R->ncat; e++) {
        const ilist *l = &R->bysvc[R->nsvc + 1 + e];
        R->bycat[e] = l;
        for (size_t d = 0; d < e && R->bycat[e] == l; d++)
            if (R->bycat[d]->n == l->n &&
                (!l->n || !memcmp(R->bycat[d]->v, l->v, l->n * sizeof *l->v)))
                R->bycat[e] = R->bycat[d];
        if (R->bycat[e] == l)
            j.list[nl++] = &R->bysvc[R->nsvc + 1 + e];
    }
    for (size_t k = 0; k < XS_KIND__COUNT; k++)
        j.list[nl++] = &R->kind[k];
    qsort(j.list, nl, sizeof *j.list, by_size_desc);
    xs_parallel_for(nl, xs_cpus(), pf_one, &j);
    exs_rc rc = EXS_OK;
    for (size_t i = 0; i < nl; i++)
        rc = rc == EXS_OK ? j.rc[i] : rc;
    free(j.list);
    free(j.rc);
    if (rc != EXS_OK)
        return rc;
    R->prepared = true;
    return EXS_OK;
}

void xs_sigrules_stats_get(const xs_sigrules *R, xs_sigrules_stats *out)
{
    size_t ns;
    xs_sigma_skips(R->set, &ns);
    size_t corr = 0, n = xs_sigma_count(R->set);
    for (size_t i = 0; i < n; i++)
        corr += xs_sigma_rule_meta(xs_sigma_rule_at(R->set, i))->correlation != NULL;
    out->loaded = n;
    out->skipped = ns;
    out->correlations = corr;
    out->unmapped = R->unmapped;
}

void xs_sigrules_summary(const xs_sigrules *R, char *buf, size_t cap)
{
    xs_sigma_summary(R->set, buf, cap);
    /* before prepare (the line is said as the rules are loaded), a correlator of its own */
    xs_scorr *tmp = R->corr ? NULL : xs_scorr_create(R->set);
    xs_scorr_stats st = {0};
    if (R->corr || tmp)
        xs_scorr_stats_get(R->corr ? R->corr : tmp, &st);
    xs_scorr_destroy(tmp);
    if (st.broken) {
        size_t o = strnlen(buf, cap);
        xs_appendf(buf, cap, &o, "; %zu correlation rule%s not evaluated (--sigma-report says why)",
                   st.broken, st.broken == 1 ? "" : "s");
    }
}

int xs_sigrules_skip_report(const xs_sigrules *R, FILE *out)
{
    if (xs_sigma_skip_report(R->set, out) != 0)
        return -1;
    /* the correlation rules loaded but not evaluated, as skip entries of their own */
    size_t rule;
    const char *why;
    xs_scorr *tmp = R->corr ? NULL : xs_scorr_create(R->set), *c = R->corr ? R->corr : tmp;
    if (!c)
        return -1;
    int rc = 0;
    for (size_t k = 0; rc == 0 && xs_scorr_problem(c, k, &rule, &why); k++) {
        const xs_sigma_meta *m = xs_sigma_rule_meta(xs_sigma_rule_at(R->set, rule));
        xs_sigma_skip e = {m->file, m->id, m->title, why};
        rc = xs_sigma_skip_line(&e, out);
    }
    xs_scorr_destroy(tmp);
    return rc || ferror(out) ? -1 : 0;
}

bool xs_sigrules_holds(const xs_sigrules *R, const exs_rule *rule)
{
    if (!R || !R->nrule)
        return false;
    const char *p = (const char *)rule, *lo = (const char *)R->rule,
               *hi = (const char *)(R->rule + R->nrule);
    return p >= lo && p < hi;
}

bool xs_sigrules_kind(const xs_sigrules *R, xs_kind k)
{
    return R && R->prepared && (unsigned)k < XS_KIND__COUNT && R->kind[k].n > 0;
}

bool xs_sigrules_gated(const xs_sigrules *R, xs_kind k)
{
    return xs_sigrules_kind(R, k) && R->kind[k].gate.db;
}

xs_sigrun *xs_sigrun_create(const xs_sigrules *R)
{
    xs_sigrun *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->r = R;
    size_t words = 1, most = 1;
    bool ok = (w->sc = xs_sigma_scratch_create()) != NULL;
    for (size_t s = 0; ok && s < R->nwin; s++) {
        ok = !R->bysvc[s].lit.db || hs_alloc_scratch(R->bysvc[s].lit.db, &w->hs) == HS_SUCCESS;
        words = R->bysvc[s].nwords > words ? R->bysvc[s].nwords : words;
        most = R->bysvc[s].n > most ? R->bysvc[s].n : most;
    }
    for (size_t k = 0; ok && k < XS_KIND__COUNT; k++) {
        ok = (!R->kind[k].lit.db || hs_alloc_scratch(R->kind[k].lit.db, &w->hs) == HS_SUCCESS) &&
             (!R->kind[k].gate.db ||
              hs_alloc_scratch(R->kind[k].gate.db, &w->hs) == HS_SUCCESS);
        words = R->kind[k].nwords > words ? R->kind[k].nwords : words;
        most = R->kind[k].n > most ? R->kind[k].n : most;
    }
    if (!ok || !(w->cand = calloc(words, sizeof *w->cand)) ||
        !(w->hit = calloc(most, sizeof *w->hit)) ||
        !(w->touched = calloc(most, sizeof *w->touched))) {
        xs_sigrun_destroy(w);
        return NULL;
    }
    w->ncand = words;
    return w;
}

void xs_sigrun_destroy(xs_sigrun *w)
{
    if (!w)
        return;
    xs_sigma_scratch_destroy(w->sc);
    hs_free_scratch(w->hs);
    free(w->cand);
    free(w->hit);
    free(w->touched);
    free(w->vals);
    free(w->obuf);
    free(w);
}

/* ---------------------------------------------------------------- findings */

/* "Field=value; ..." of the fields the rule names (the names as the rule spells them, the
 * values as the event gives them, each cut at EV_VALUE), or raw when it names none. */
static xs_str evidence(const srule *s, const xs_sigma_event *ev, const xs_sigma_winsrc *src,
                       xs_str raw, char *buf, size_t cap)
{
    if (!s->nfields)
        return raw;
    size_t o = 0;
    for (size_t i = 0; i < s->nfields && o + 1 < cap; i++) {
        const char *name = src ? xs_sigma_win_field(s->r, src, s->fields[i]) : s->fields[i];
        xs_str v[4];
        size_t nv = ev->field(ev->ctx, name, v, 4);
        if (!nv)
            continue;
        int w = snprintf(buf + o, cap - o, "%s%s=%.*s", o ? "; " : "", s->fields[i],
                         (int)(v[0].n < EV_VALUE ? v[0].n : EV_VALUE), v[0].p ? v[0].p : "");
        if (w < 0)
            break;
        o += (size_t)w < cap - o ? (size_t)w : cap - o - 1;
    }
    return o ? xs_str_make(buf, o) : raw;
}

static void hit_base(xs_hit *h, const srule *s, int64_t t)
{
    xs_hit_init(h, &s->rule, s->verdict, s->severity, t);
}

/* Where a match was, as the correlator keeps it (opaque bytes to it, which also order equal
 * matches): the display path and its NUL, then line, record and offset big-endian (memcmp
 * order is their order), then the place of the file and the evidence kind. */
typedef struct origin {
    uint8_t line[8], record[8], offset[8];
    xs_where where;
    const char *source; /* static */
} origin;

static void put_be(uint8_t out[8], uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        out[i] = (uint8_t)v;
}

static uint64_t get_be(const uint8_t in[8])
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | in[i];
    return v;
}

/* Rule i matched ev, as h: handed to the correlations that name it, and a finding unless
 * only correlations without generate name it and one of them kept it. A match no
 * correlation could keep (no time, no group-by field, a cap) is a finding of its own: lost
 * nowhere. */
static void matched(xs_ctx *c, const xs_sigrules *R, size_t i, const xs_hit *h,
                    const xs_sigma_event *ev)
{
    size_t kept = 0;
    if (xs_scorr_wants(R->corr, i)) {
        if (h->time_ms == EXS_TIME_NONE)
            __atomic_fetch_add(R->untimed, 1, __ATOMIC_RELAXED);
        else {
            xs_sigrun *w = c->sigma;
            origin o;
            memset(&o, 0, sizeof o); /* its padding is compared too */
            put_be(o.line, h->line);
            put_be(o.record, h->record);
            put_be(o.offset, (uint64_t)xs_ctx_offset(c, h->line, h->offset));
            o.where = c->where;
            o.source = c->source;
            size_t fn = strnlen(c->file, XS_MAX_WHERE);
            if (!xs_grow((void **)&w->obuf, &w->obufcap, fn + 1 + sizeof o, 1)) {
                xs_scan_fail(c->scan, EXS_ENOMEM,
                             "out of memory keeping Sigma matches for the correlation rules");
                return;
            }
            memcpy(w->obuf, c->file, fn);
            w->obuf[fn] = '\0';
            memcpy(w->obuf + fn + 1, &o, sizeof o);
            if (xs_scorr_add(R->corr, i, h->time_ms, ev,
                             xs_str_make(w->obuf, fn + 1 + sizeof o), &kept) != 0)
                xs_scan_fail(c->scan, EXS_ENOMEM,
                             "out of memory keeping Sigma matches for the correlation rules");
        }
    }
    if (xs_scorr_alone(R->corr, i) || !kept)
        xs_emit(c, h);
}

/* ---------------------------------------------------------------- candidates */

/* The event's values the prefilter scans: every value its field lookup can give, one after
 * the other, each ended by a NUL byte, scanned as one block (a vectored scan of the values
 * cost twice as much per event, its setup per value). A literal is found wherever a value
 * holds it; one that holds a NUL may also be found across two values, which only makes its
 * rules candidates that are then evaluated in full. */
static void vals_reset(xs_sigrun *w)
{
    w->nvals = 0;
    w->vals_bad = false;
}

static void vals_add(xs_sigrun *w, xs_str v)
{
    if (!v.n || w->vals_bad)
        return;
    /* grown to the largest event seen, never per event; out of memory: no prefilter for this
     * event (every rule of its list is run) */
    if (v.n >= UINT32_MAX - 1 - w->nvals ||
        !xs_grow((void **)&w->vals, &w->capvals, w->nvals + v.n + 1, 1)) {
        w->vals_bad = true;
        return;
    }
    memcpy(w->vals + w->nvals, v.p, v.n);
    w->nvals += v.n;
    w->vals[w->nvals++] = 0;
}

typedef struct hitarg {
    const lindex *x;
    xs_sigrun *w;
} hitarg;

/* Literal id of x found: its rules' lists are met. Returns how many rules it completed, the
 * candidates (into w->cand), all of whose lists are met now. */
static size_t met(const lindex *x, xs_sigrun *w, unsigned id)
{
    size_t done = 0;
    for (uint32_t i = x->start[id]; i < x->start[id + 1]; i++) {
        uint32_t k = x->pos[i].pos;
        uint8_t was = w->hit[k], now = was | x->pos[i].bits;
        if (was == now)
            continue;
        if (!was)
            w->touched[w->ntouched++] = k;
        w->hit[k] = now;
        if (now == x->need[k]) {
            w->cand[k / 64] |= (uint64_t)1 << (k % 64);
            done++;
        }
    }
    return done;
}

static void met_clear(xs_sigrun *w)
{
    for (size_t i = 0; i < w->ntouched; i++)
        w->hit[w->touched[i]] = 0;
    w->ntouched = 0;
}

static int on_lit(unsigned id, unsigned long long from, unsigned long long to, unsigned fl,
                  void *ctx)
{
    (void)from, (void)to, (void)fl;
    const hitarg *h = ctx;
    met(h->x, h->w, id);
    return 0;
}

/* The positions of l whose rules may match the event of w's values, into w->cand: the
 * always ones and those of the literals found; every one when the scan cannot tell. */
static void candidates(xs_sigrun *w, const ilist *l)
{
    memcpy(w->cand, l->always, l->nwords * sizeof *w->cand);
    if (!l->lit.db)
        return;
    hitarg h = {&l->lit, w};
    if (w->vals_bad ||
        hs_scan(l->lit.db, w->vals, (unsigned)w->nvals, 0, w->hs, on_lit, &h) != HS_SUCCESS)
        memset(w->cand, 0xff, l->nwords * sizeof *w->cand);
    met_clear(w);
}

/* The next candidate position at or after k, or l->n. */
static size_t next_cand(const xs_sigrun *w, const ilist *l, size_t k)
{
    while (k < l->n) {
        uint64_t word = w->cand[k / 64] >> (k % 64);
        if (word)
            return k + (size_t)__builtin_ctzll(word);
        k = (k / 64 + 1) * 64;
    }
    return l->n;
}

/* ---------------------------------------------------------------- the line gate */

typedef struct gatearg {
    const lindex *x;
    xs_sigrun *w;
    const xs_nlmap *nl;
    size_t len, line_end; /* the end of the line being looked at */
    bool added;           /* it is a candidate already */
    uint32_t **starts;
    size_t *cap, n;
    bool oom;
} gatearg;

/* A piece found: the line it ends in is a candidate once some rule's pieces are all in it. */
static int on_gate(unsigned id, unsigned long long from, unsigned long long to, unsigned fl,
                   void *ctx)
{
    (void)from, (void)fl;
    gatearg *g = ctx;
    size_t at = (size_t)to - 1; /* the piece's last byte: its line */
    if (!g->line_end || at >= g->line_end) {
        met_clear(g->w);
        size_t e = xs_nlmap_next(g->nl, at);
        g->line_end = e < g->len ? e + 1 : g->len;
        g->added = false;
    }
    if (g->added || !met(g->x, g->w, id))
        return 0;
    if (!xs_grow((void **)g->starts, g->cap, g->n + 1, sizeof **g->starts)) {
        g->oom = true;
        return 1;
    }
    (*g->starts)[g->n++] = (uint32_t)xs_nlmap_line_start(g->nl, at);
    g->added = true;
    return 0;
}

long xs_sigrun_lines(xs_sigrun *w, xs_kind k, const char *buf, size_t len, const xs_nlmap *nl,
                     uint32_t **starts, size_t *cap)
{
    const ilist *l = &w->r->kind[k];
    gatearg g = {&l->gate, w, nl, len, 0, false, starts, cap, 0, false};
    if (!len)
        return 0;
    /* the first line and the last have no break before or after them in buf, which the forms
     * of a whole field may need: they are candidates */
    if (!xs_grow((void **)starts, cap, 1, sizeof **starts))
        return -(long)EXS_ENOMEM;
    (*starts)[g.n++] = 0;
    size_t e0 = xs_nlmap_next(nl, 0);
    g.line_end = e0 < len ? e0 + 1 : len;
    g.added = true;
    hs_error_t e = hs_scan(l->gate.db, buf, (unsigned)len, 0, w->hs, on_gate, &g);
    met_clear(w);
    if (g.oom)
        return -(long)EXS_ENOMEM;
    if (e != HS_SUCCESS)
        return -(long)EXS_EENGINE;
    size_t last = xs_nlmap_line_start(nl, len - 1);
    if ((*starts)[g.n - 1] != last) {
        if (!xs_grow((void **)starts, cap, g.n + 1, sizeof **starts))
            return -(long)EXS_ENOMEM;
        (*starts)[g.n++] = (uint32_t)last;
    }
    return (long)g.n;
}

/* ---------------------------------------------------------------- EVTX */

/* The rules of list l over the record (its event ev, source src; w's values set). */
static void evtx_list(xs_ctx *c, xs_sigrun *w, const ilist *l, const xs_evtx_record *rec,
                      int64_t offset, const xs_sigma_event *ev, const xs_sigma_winsrc *src)
{
    const xs_sigrules *R = w->r;
    candidates(w, l);
    for (size_t k = next_cand(w, l, 0); k < l->n; k = next_cand(w, l, k + 1)) {
        const srule *s = &R->rule[l->v[k]];
        if (!xs_sigma_win_match_src(s->r, src, ev, w->sc))
            continue;
        xs_hit h;
        hit_base(&h, s, rec->time_ms);
        h.record = rec->event_record_id ? rec->event_record_id : rec->record_id;
        h.offset = offset;
        h.event.id = rec->event_id;
        h.event.channel = xs_str_make(rec->channel, rec->channel_len);
        h.event.provider = xs_str_make(rec->provider, rec->provider_len);
        h.event.computer = xs_str_make(rec->computer, rec->computer_len);
        h.event.recovered = (rec->flags & XS_EVTX_REC_RECOVERED) != 0;
        char buf[XS_MAX_EVIDENCE];
        h.evidence = evidence(s, ev, src, xs_str_make(rec->text, rec->text_len), buf,
                              sizeof buf);
        matched(c, R, l->v[k], &h, ev);
    }
}

void xs_sigrun_evtx(xs_ctx *c, const xs_evtx_record *rec, int64_t offset)
{
    xs_sigrun *w = c->sigma;
    if (!w)
        return;
    const xs_sigrules *R = w->r;
    xs_sigma_evtx ex;
    xs_sigma_event ev = xs_sigma_evtx_event(&ex, rec);
    xs_sigma_winsrc src;
    xs_sigma_win_source(&ev, &src);
    const ilist *l[1 + 8];
    size_t nl = 0, ent[8];
    l[nl++] = &R->bysvc[src.service >= 0 && (size_t)src.service < R->nsvc ? (size_t)src.service
                                                                          : R->nsvc];
    size_t ne = xs_sigma_win_entries_of(&src, ent, 8);
    for (size_t i = 0; i < ne && i < 8; i++) {
        const ilist *x = R->bycat[ent[i]];
        bool twice = false; /* two entries of one list: run once */
        for (size_t k = 0; k < nl && !twice; k++)
            twice = l[k] == x;
        if (!twice && x->n)
            l[nl++] = x;
    }
    if (nl == 1 && !l[0]->n)
        return;
    vals_reset(w);
    for (size_t i = 0; i < rec->nfields; i++)
        vals_add(w, xs_str_make(rec->fields[i].value, rec->fields[i].value_len));
    vals_add(w, xs_str_cstr(ex.eid));
    vals_add(w, xs_str_cstr(ex.level));
    vals_add(w, xs_str_make(rec->channel, rec->channel_len));
    vals_add(w, xs_str_make(rec->provider, rec->provider_len));
    vals_add(w, xs_str_make(rec->computer, rec->computer_len));
    for (size_t i = 0; i < nl; i++)
        evtx_list(c, w, l[i], rec, offset, &ev, &src);
}

/* ---------------------------------------------------------------- IIS */

void xs_sigrun_w3c(xs_ctx *c, const xs_w3c_schema *sch, const xs_w3c_row *row, xs_str line,
                  uint64_t lineno, int64_t t)
{
    xs_sigrun *w = c->sigma;
    if (!w || !w->r->kind[XS_KIND_IIS].n)
        return;
    const xs_sigrules *R = w->r;
    const ilist *l = &R->kind[XS_KIND_IIS];
    xs_sigma_event ev = xs_sigma_w3c_event(&w->w3c, sch, row);
    vals_reset(w);
    vals_add(w, xs_str_make(w->w3c.url, w->w3c.url_n));
    vals_add(w, xs_str_make(w->w3c.ua, w->w3c.ua_n));
    vals_add(w, xs_str_make(w->w3c.referer, w->w3c.referer_n));
    vals_add(w, xs_str_make(w->w3c.cookie, w->w3c.cookie_n));
    for (size_t i = 0; i < row->n; i++)
        vals_add(w, row->f[i]);
    candidates(w, l);
    for (size_t k = next_cand(w, l, 0); k < l->n; k = next_cand(w, l, k + 1)) {
        const srule *s = &R->rule[l->v[k]];
        if (!xs_sigma_match(s->r, &ev, w->sc))
            continue;
        xs_hit h;
        hit_base(&h, s, t);
        h.line = lineno;
        h.http.method = xs_w3c_get(sch, row, W3C_METHOD);
        h.http.path = xs_w3c_get(sch, row, W3C_STEM);
        h.http.query = xs_w3c_get(sch, row, W3C_QUERY);
        h.http.client = xs_w3c_get(sch, row, W3C_C_IP);
        h.http.ua = xs_str_make(w->w3c.ua, w->w3c.ua_n);
        h.http.user = xs_w3c_get(sch, row, W3C_USER);
        h.http.host = xs_w3c_get(sch, row, W3C_HOST);
        long st = xs_str_uint(xs_w3c_get(sch, row, W3C_STATUS), 999);
        h.http.status = st < 0 ? 0 : (int)st;
        char buf[XS_MAX_EVIDENCE];
        h.evidence = evidence(s, &ev, NULL, line, buf, sizeof buf);
        matched(c, R, l->v[k], &h, &ev);
    }
}

/* ---------------------------------------------------------------- Exchange CSV */

void xs_sigrun_csv(xs_ctx *c, xs_kind kind, const xs_csv_schema *sch, const xs_csv_row *row,
                  xs_str line, uint64_t lineno, int64_t t)
{
    xs_sigrun *w = c->sigma;
    if (!w || (unsigned)kind >= XS_KIND__COUNT || !w->r->kind[kind].n)
        return;
    const xs_sigrules *R = w->r;
    bool msgtracking = kind == XS_KIND_EXCHANGE && strstr(c->family, "Message Tracking");
    if (kind == XS_KIND_EXCHANGE && !msgtracking)
        return;
    size_t n = sch->n < row->n ? sch->n : row->n;
    for (size_t i = 0; i < n; i++) {
        w->kv[i].name = xs_csv_schema_name(sch, i);
        w->kv[i].value = row->f[i];
    }
    xs_sigma_kvs kvs = {w->kv, n};
    xs_sigma_event ev = xs_sigma_kv_event(&kvs);
    const ilist *l = &R->kind[kind];
    vals_reset(w);
    for (size_t i = 0; i < n; i++)
        vals_add(w, row->f[i]);
    candidates(w, l);
    for (size_t k = next_cand(w, l, 0); k < l->n; k = next_cand(w, l, k + 1)) {
        const srule *s = &R->rule[l->v[k]];
        if (!xs_sigma_match(s->r, &ev, w->sc))
            continue;
        xs_hit h;
        hit_base(&h, s, t);
        h.line = lineno;
        char buf[XS_MAX_EVIDENCE];
        h.evidence = evidence(s, &ev, NULL, line, buf, sizeof buf);
        matched(c, R, l->v[k], &h, &ev);
    }
}

/* ---------------------------------------------------------------- correlations */

typedef struct corrpass {
    const xs_pass_view *v;
    const xs_sigrules *R;
} corrpass;

static int corr_hit(void *arg, const xs_scorr_hit *hit)
{
    corrpass *p = arg;
    const srule *s = &p->R->rule[hit->rule];
    const xs_sigma_corr *k = xs_sigma_rule_meta(s->r)->correlation;
    origin o;
    const char *nul = memchr(hit->first_at.p, '\0', hit->first_at.n);
    size_t fn = nul ? (size_t)(nul - hit->first_at.p) : 0;
    if (!nul || fn > XS_MAX_WHERE || hit->first_at.n - fn - 1 != sizeof o) {
        /* every match the sweep hands over carries one: this cannot be, and is said */
        xs_scan_fail(p->v->scan, EXS_EINVAL, "a Sigma correlation hit without its place");
        return 1;
    }
    memcpy(&o, nul + 1, sizeof o);
    const char *file = hit->first_at.p; /* NUL-terminated in the blob */
    xs_ctx c;
    xs_ctx_pass(&c, p->v->scan, file, &o.where, o.source);
    xs_hit h;
    hit_base(&h, s, hit->first_ms);
    h.line = get_be(o.line);
    h.record = get_be(o.record);
    h.offset = (int64_t)get_be(o.offset);
    char ev[XS_MAX_EVIDENCE], t1[32], t2[32];
    xs_time_format(hit->first_ms, t1);
    xs_time_format(hit->last_ms, t2);
    size_t n = 0;
    if (!strcmp(k->type, "event_count")) /* its metric is the matches */
        xs_appendf(ev, sizeof ev, &n, "%s: %zu matches, %s to %s", k->type, hit->events, t1,
                   t2);
    else
        xs_appendf(ev, sizeof ev, &n, "%s: %.15g %s over %zu matches, %s to %s", k->type,
                   hit->value, hit->metric, hit->events, t1, t2);
    for (size_t g = 0; g < hit->ngroup; g++)
        xs_appendf(ev, sizeof ev, &n, "%s%s=%.*s", g ? "; " : "; by ", k->group_by[g],
                   (int)(hit->group[g].n < EV_VALUE ? hit->group[g].n : EV_VALUE),
                   hit->group[g].p ? hit->group[g].p : "");
    h.evidence = xs_str_make(ev, n);
    h.key = xs_str_make(ev, n); /* two hits of one correlation at one place are two */
    xs_emit(&c, &h);
    xs_ctx_release(&c);
    return xs_scan_failed(p->v->scan) ? 1 : 0;
}

void xs_pass_sigma(const xs_pass_view *v)
{
    const xs_sigrules *R = v->sigma;
    if (!R || !R->corr || !xs_scorr_any(R->corr))
        return;
    corrpass p = {v, R};
    int rc = xs_scorr_run(R->corr, corr_hit, &p);
    if (rc < 0)
        xs_scan_fail(v->scan, EXS_ENOMEM, "out of memory evaluating the Sigma correlation rules");
    xs_scorr_stats st;
    xs_scorr_stats_get(R->corr, &st);
    uint64_t untimed = __atomic_load_n(R->untimed, __ATOMIC_RELAXED);
    if (st.dropped)
        xs_warn(v->scan, XS_W_LIMIT, "", 0,
                "%llu Sigma matches not kept for the correlation rules (XS_SIGMA_MAX_CORR_EVENTS "
                "or _BYTES reached)", (unsigned long long)st.dropped);
    if (st.cut)
        xs_warn(v->scan, XS_W_LIMIT, "", 0,
                "%zu Sigma correlation rules stopped at XS_SIGMA_MAX_CORR_WORK window steps",
                st.cut);
    if (untimed)
        xs_warn(v->scan, XS_W_BAD_ROW, "", 0,
                "%llu Sigma matches without a time: no correlation rule can count them "
                "(each is a finding of its own rule)", (unsigned long long)untimed);
    if (st.no_group || st.not_numeric)
        xs_warn(v->scan, XS_W_BAD_ROW, "", 0,
                "%llu Sigma matches without a correlation's group-by or value field, %llu "
                "whose value is not a number: not counted by those correlations (a match no "
                "correlation kept is a finding of its own rule)",
                (unsigned long long)st.no_group, (unsigned long long)st.not_numeric);
}
