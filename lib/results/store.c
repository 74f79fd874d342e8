/* Emit-time counts and the keep policy (see store.h).
 *
 * Why the sample is the same whatever the arrival order: a rule's kept set is always "its k
 * smallest ids so far" for some k. The fair share (the water level L over the rules' counts)
 * only goes down as findings arrive, so trimming a rule to L_now + 1 on the way never lets
 * go of a finding that the final share L_end <= L_now would keep. Settling (before the
 * passes, and at the end) trims every rule to exactly its share: what is left then depends
 * on the findings alone. The always-kept ones are a max-heap on id the same way: the
 * always_max smallest ids so far.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/heap.h"
#include "core/limits.h"
#include "core/strmap.h"
#include "core/timeparse.h"
#include "results/results_int.h"
#include "results/store.h"

typedef struct entry {
    exs_finding f;
    void *block;
    bool keep; /* while settling: in its share, always kept, or pinned */
} entry;

/* One rule's sample: a max-heap on id (the root is the largest id kept). Entries are
 * allocated one by one: the passes hold pointers to kept findings while they emit more. */
typedef struct sample {
    const char *rule_id; /* the map's key copy is not stable: own copy */
    uint64_t seen;       /* findings of the rule that were not always kept */
    entry **heap;
    size_t n, cap;
} sample;

/* The counts of one kind. A capped one (clients, hosts) keeps the max smallest keys (strcmp)
 * whatever the order they come in: v is a max-heap on key, and past max a smaller key takes
 * the place of the largest, whose findings are counted as dropped. A key among the max
 * smallest of all is never let go, so its count is exact; one let go never comes back (the
 * largest kept only gets smaller), so what is dropped is exactly the findings of the keys
 * not kept. */
typedef struct counter {
    xs_strmap *map; /* key -> exs_count */
    exs_count **v;   /* a max-heap on key, for the hand-over */
    size_t n, cap, max;
} counter;

struct xs_store {
    pthread_mutex_t mu;
    size_t budget;
    uint64_t always_max;
    bool hold;
    entry **always;      /* a max-heap on id: past always_max the largest ids go */
    size_t nalways, capalways;
    xs_strmap *by_rule; /* rule id -> sample */
    sample **samples;
    size_t nsamples, capsamples;
    size_t nsampled;     /* entries in all heaps */
    counter counts[EXS_COUNT__N]; /* clients keyed "root|address" until the hand-over */
    xs_strmap *own;              /* "root|address" of each root's own addresses */
    uint64_t findings, verdicts[EXS_VERDICT__MAX + 1], always_dropped, keys_dropped;
    uint64_t not_kept; /* counted only (xs_store_count_only) */
};

xs_store *xs_store_create(size_t budget, uint64_t always_max)
{
    xs_store *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->budget = budget ? budget : 1;
    st->always_max = always_max;
    st->by_rule = xs_strmap_create();
    st->own = xs_strmap_create();
    bool ok = st->by_rule != NULL && st->own != NULL;
    for (int k = 0; k < EXS_COUNT__N; k++) {
        ok = ok && (st->counts[k].map = xs_strmap_create()) != NULL;
        st->counts[k].max =
            k == EXS_COUNT_CLIENT || k == EXS_COUNT_HOST ? EXS_MAX_COUNT_KEYS : SIZE_MAX;
    }
    if (!ok || pthread_mutex_init(&st->mu, NULL) != 0) {
        xs_strmap_destroy(st->by_rule);
        xs_strmap_destroy(st->own);
        for (int k = 0; k < EXS_COUNT__N; k++)
            xs_strmap_destroy(st->counts[k].map);
        free(st);
        return NULL;
    }
    return st;
}

static void counter_free(counter *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free((void *)c->v[i]->key);
        free(c->v[i]);
    }
    free(c->v);
    xs_strmap_destroy(c->map);
}

void xs_store_destroy(xs_store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->nalways; i++) {
        free(st->always[i]->block);
        free(st->always[i]);
    }
    free(st->always);
    for (size_t i = 0; i < st->nsamples; i++) {
        sample *s = st->samples[i];
        for (size_t k = 0; k < s->n; k++) {
            free(s->heap[k]->block);
            free(s->heap[k]);
        }
        free(s->heap);
        free((void *)s->rule_id);
        free(s);
    }
    free(st->samples);
    xs_strmap_destroy(st->by_rule);
    xs_strmap_destroy(st->own);
    for (int k = 0; k < EXS_COUNT__N; k++)
        counter_free(&st->counts[k]);
    pthread_mutex_destroy(&st->mu);
    free(st);
}

/* ---------------------------------------------------------------- max-heaps */

/* Max-heaps (core/heap.h): the key counts by key, the samples by id. */
static int cmp_count_key(const void *a, const void *b)
{
    return strcmp(((const exs_count *)a)->key, ((const exs_count *)b)->key);
}

static int cmp_entry_id(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->f.id, ((const entry *)b)->f.id);
}

/* ---------------------------------------------------------------- counts */

/* n findings of one verdict, their times spanning [first, last] (EXS_TIME_NONE: none). */
typedef struct tally {
    exs_verdict v;
    uint64_t n;
    int64_t first, last;
} tally;

/* Counts t under key (see counter): findings that end under no kept key are added to
 * *dropped. */
static bool count(counter *c, const char *key, const tally *t, uint64_t *dropped)
{
    exs_count *x = xs_strmap_get(c->map, key);
    if (!x) {
        if (c->n >= c->max && (!c->n || strcmp(key, c->v[0]->key) > 0)) {
            *dropped += t->n;
            return true;
        }
        if (!xs_grow((void **)&c->v, &c->cap, c->n + 1, sizeof *c->v))
            return false;
        x = calloc(1, sizeof *x);
        char *k = x ? strdup(key) : NULL;
        if (!k || !xs_strmap_put(c->map, key, x, NULL)) {
            free(k);
            free(x);
            return false;
        }
        if (c->n >= c->max) { /* the largest goes */
            exs_count *e = c->v[0];
            *dropped += e->n;
            xs_strmap_del(c->map, e->key);
            free((void *)e->key);
            free(e);
            c->v[0] = c->v[--c->n];
            xs_heap_down((void **)c->v, c->n, 0, cmp_count_key);
        }
        x->key = k;
        x->first_ms = x->last_ms = EXS_TIME_NONE;
        c->v[c->n] = x;
        xs_heap_up((void **)c->v, c->n++, cmp_count_key);
    }
    x->n += t->n;
    if (t->v >= EXS_VERDICT_PROBE && t->v <= EXS_VERDICT__MAX)
        x->by_verdict[t->v] += t->n;
    xs_time_span_add(&x->first_ms, &x->last_ms, t->first);
    xs_time_span_add(&x->first_ms, &x->last_ms, t->last);
    return true;
}

/* Counts t under f's rule, family, client and host (f: the rule and the groups), and in the
 * totals. */
static bool count_all(xs_store *st, const exs_finding *f, const tally *t)
{
    st->findings += t->n;
    if (t->v >= EXS_VERDICT_PROBE && t->v <= EXS_VERDICT__MAX)
        st->verdicts[t->v] += t->n;
    char fam[512];
    size_t a = strlen(f->rule->family), b = strlen(f->rule->cves);
    if (a + b + 2 > sizeof fam)
        a = b = 0;
    memcpy(fam, f->rule->family, a);
    fam[a] = '|';
    memcpy(fam + a + 1, f->rule->cves, b);
    fam[a + 1 + b] = 0;
    bool ok = count(&st->counts[EXS_COUNT_RULE], f->rule->id, t, &st->keys_dropped) &&
              count(&st->counts[EXS_COUNT_FAMILY], fam, t, &st->keys_dropped);
    if (ok && f->http && f->http->client && !f->http->backend) {
        /* per root: a root's own address is left out of the client counts at the end */
        char key[XS_MAX_FINDING_FIELD + 16];
        snprintf(key, sizeof key, "%u|%s", (unsigned)f->origin.root, f->http->client);
        ok = count(&st->counts[EXS_COUNT_CLIENT], key, t, &st->keys_dropped);
    }
    const char *host = f->event && f->event->computer ? f->event->computer
                       : f->http && f->http->host   ? f->http->host
                                                    : NULL;
    if (ok && host)
        ok = count(&st->counts[EXS_COUNT_HOST], host, t, &st->keys_dropped);
    return ok;
}

/* ---------------------------------------------------------------- samples */

/* Drops the largest ids until at most k are left. */
static size_t trim(sample *s, size_t k)
{
    size_t gone = 0;
    while (s->n > k) {
        free(s->heap[0]->block);
        free(s->heap[0]);
        s->heap[0] = s->heap[--s->n];
        xs_heap_down((void **)s->heap, s->n, 0, cmp_entry_id);
        gone++;
    }
    return gone;
}

/* The fair share: the largest L with sum(min(seen_i, L)) <= budget; SIZE_MAX when every
 * finding fits. */
static uint64_t level(const xs_store *st)
{
    uint64_t total = 0, hi = 0;
    for (size_t i = 0; i < st->nsamples; i++) {
        total += st->samples[i]->seen;
        if (st->samples[i]->seen > hi)
            hi = st->samples[i]->seen;
    }
    if (total <= st->budget)
        return UINT64_MAX;
    uint64_t lo = 0;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo + 1) / 2, sum = 0;
        for (size_t i = 0; i < st->nsamples; i++)
            sum += st->samples[i]->seen < mid ? st->samples[i]->seen : mid;
        if (sum <= st->budget)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static int cmp_sample(const void *pa, const void *pb)
{
    return strcmp((*(sample *const *)pa)->rule_id, (*(sample *const *)pb)->rule_id);
}

/* On the way: trims every sample to L + 1, which is never less than its final share. */
static void rebalance(xs_store *st)
{
    uint64_t L = level(st);
    if (L == UINT64_MAX)
        return;
    for (size_t i = 0; i < st->nsamples; i++)
        st->nsampled -= trim(st->samples[i], L + 1 > SIZE_MAX ? SIZE_MAX : (size_t)(L + 1));
}

static int cmp_entry_desc(const void *pa, const void *pb)
{
    return strcmp((*(entry *const *)pb)->f.id, (*(entry *const *)pa)->f.id);
}

/* Marks the k smallest ids of v[0..n) to keep; v ends sorted by id, largest first (still a
 * max-heap). */
static void mark_smallest(entry **v, size_t n, uint64_t k)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_entry_desc);
    for (size_t i = 0; i < n; i++)
        v[i]->keep = n - i <= k;
}

/* Pins what the kept findings relate to (their related ids, and what those relate to): a
 * kept finding's relations always resolve among the kept ones. */
static bool pin_related(xs_store *st)
{
    size_t total = st->nalways + st->nsampled, nwork = 0;
    bool any = false;
    for (size_t i = 0; i < st->nalways && !any; i++)
        any = st->always[i]->f.nrelated != 0;
    for (size_t i = 0; i < st->nsamples && !any; i++)
        for (size_t j = 0; j < st->samples[i]->n && !any; j++)
            any = st->samples[i]->heap[j]->keep && st->samples[i]->heap[j]->f.nrelated != 0;
    if (!any)
        return true;
    xs_strmap *by_id = xs_strmap_create();
    entry **work = malloc((total ? total : 1) * sizeof *work);
    bool ok = by_id && work;
    for (size_t i = 0; ok && i < st->nalways; i++)
        ok = xs_strmap_put(by_id, st->always[i]->f.id, st->always[i], NULL);
    for (size_t i = 0; ok && i < st->nsamples; i++)
        for (size_t j = 0; ok && j < st->samples[i]->n; j++)
            ok = xs_strmap_put(by_id, st->samples[i]->heap[j]->f.id, st->samples[i]->heap[j],
                                NULL);
    for (size_t i = 0; ok && i < st->nalways; i++)
        if (st->always[i]->keep && st->always[i]->f.nrelated)
            work[nwork++] = st->always[i];
    for (size_t i = 0; ok && i < st->nsamples; i++)
        for (size_t j = 0; j < st->samples[i]->n; j++)
            if (st->samples[i]->heap[j]->keep && st->samples[i]->heap[j]->f.nrelated)
                work[nwork++] = st->samples[i]->heap[j];
    while (ok && nwork) {
        const entry *e = work[--nwork];
        for (size_t k = 0; k < e->f.nrelated; k++) {
            entry *x = xs_strmap_get(by_id, e->f.related[k]);
            if (x && !x->keep) {
                x->keep = true; /* each entry goes on the list once: nwork <= total */
                if (x->f.nrelated)
                    work[nwork++] = x;
            }
        }
    }
    free(work);
    xs_strmap_destroy(by_id);
    return ok;
}

/* Lets go of the entries not marked; the rest keep their order. Returns how many went. */
static size_t sweep_unkept(entry **v, size_t *n)
{
    size_t k = 0, gone = 0;
    for (size_t i = 0; i < *n; i++) {
        if (v[i]->keep) {
            v[i]->keep = false;
            v[k++] = v[i];
        } else {
            free(v[i]->block);
            free(v[i]);
            gone++;
        }
    }
    *n = k;
    return gone;
}

/* The exact sample: every rule its final share of the budget (the remainder goes one each to
 * the rules over the level, in rule id order) of its smallest ids, the always_max smallest
 * ids of the always-kept ones, and what the kept ones relate to. The same set whatever order
 * the findings came in. Returns false when out of memory (nothing let go). */
static bool settle(xs_store *st)
{
    uint64_t L = level(st), left = st->budget;
    if (st->nsamples > 1) /* none: samples may be NULL, which qsort must not be given */
        qsort(st->samples, st->nsamples, sizeof *st->samples, cmp_sample);
    if (L != UINT64_MAX)
        for (size_t i = 0; i < st->nsamples; i++)
            left -= st->samples[i]->seen < L ? st->samples[i]->seen : L;
    for (size_t i = 0; i < st->nsamples; i++) {
        sample *s = st->samples[i];
        uint64_t k = L;
        if (L != UINT64_MAX && s->seen > L && left) {
            k++;
            left--;
        }
        mark_smallest(s->heap, s->n, k);
    }
    mark_smallest(st->always, st->nalways, st->always_max);
    if (!pin_related(st)) {
        for (size_t i = 0; i < st->nalways; i++)
            st->always[i]->keep = false;
        for (size_t i = 0; i < st->nsamples; i++)
            for (size_t j = 0; j < st->samples[i]->n; j++)
                st->samples[i]->heap[j]->keep = false;
        return false;
    }
    st->always_dropped += sweep_unkept(st->always, &st->nalways);
    for (size_t i = 0; i < st->nsamples; i++)
        st->nsampled -= sweep_unkept(st->samples[i]->heap, &st->samples[i]->n);
    return true;
}

static bool keep_sampled(xs_store *st, const exs_finding *f, void *block)
{
    sample *s = xs_strmap_get(st->by_rule, f->rule->id);
    if (!s) {
        if (!xs_grow((void **)&st->samples, &st->capsamples, st->nsamples + 1,
                      sizeof *st->samples))
            return false;
        s = calloc(1, sizeof *s);
        char *id = s ? strdup(f->rule->id) : NULL;
        if (!id || !xs_strmap_put(st->by_rule, f->rule->id, s, NULL)) {
            free(id);
            free(s);
            return false;
        }
        s->rule_id = id;
        st->samples[st->nsamples++] = s;
    }
    s->seen++;
    entry *e = malloc(sizeof *e);
    if (!e || !xs_grow((void **)&s->heap, &s->cap, s->n + 1, sizeof *s->heap)) {
        free(e);
        return false;
    }
    *e = (entry){*f, block, false};
    s->heap[s->n] = e;
    xs_heap_up((void **)s->heap, s->n++, cmp_entry_id);
    st->nsampled++;
    if (!st->hold && st->nsampled > 2 * st->budget + 1024)
        rebalance(st);
    return true;
}

/* An always-kept finding: the always_max smallest ids stay (the same set whatever the order
 * they come in); past it the largest goes, unless the store is held. */
static bool keep_always(xs_store *st, const exs_finding *f, void *block)
{
    entry *e = malloc(sizeof *e);
    if (!e || !xs_grow((void **)&st->always, &st->capalways, st->nalways + 1,
                        sizeof *st->always)) {
        free(e);
        return false;
    }
    *e = (entry){*f, block, false};
    st->always[st->nalways] = e;
    xs_heap_up((void **)st->always, st->nalways++, cmp_entry_id);
    if (!st->hold && st->nalways > st->always_max) {
        free(st->always[0]->block);
        free(st->always[0]);
        st->always[0] = st->always[--st->nalways];
        xs_heap_down((void **)st->always, st->nalways, 0, cmp_entry_id);
        st->always_dropped++;
    }
    return true;
}

bool xs_store_add(xs_store *st, const exs_finding *f, void *block)
{
    tally t = {f->verdict, 1, f->time_ms, f->time_ms};
    pthread_mutex_lock(&st->mu);
    bool ok = count_all(st, f, &t);
    bool always = f->verdict == EXS_VERDICT_EXPLOITATION || f->rule->backdoor;
    if (!ok) {
        free(block);
    } else if (always) {
        if (!(ok = keep_always(st, f, block)))
            free(block);
    } else if (!keep_sampled(st, f, block)) {
        ok = false;
        free(block);
    }
    pthread_mutex_unlock(&st->mu);
    return ok;
}

bool xs_store_count_only(xs_store *st, const exs_rule *rule, exs_verdict v, uint64_t n,
                          int64_t first_ms, int64_t last_ms)
{
    exs_finding f;
    memset(&f, 0, sizeof f);
    f.rule = rule;
    /* times as xs_finding_build keeps them */
    tally t = {v, n, xs_time_or_none(first_ms), xs_time_or_none(last_ms)};
    if (!n)
        return true;
    pthread_mutex_lock(&st->mu);
    st->not_kept += n;
    bool ok = count_all(st, &f, &t);
    pthread_mutex_unlock(&st->mu);
    return ok;
}

void xs_store_hold(xs_store *st, bool on)
{
    pthread_mutex_lock(&st->mu);
    st->hold = on;
    pthread_mutex_unlock(&st->mu);
}

static int cmp_ptr(const void *pa, const void *pb)
{
    return xs_finding_cmp(*(const exs_finding *const *)pa, *(const exs_finding *const *)pb);
}

const exs_finding **xs_store_snapshot(xs_store *st, size_t *n)
{
    pthread_mutex_lock(&st->mu);
    size_t total = st->nalways + st->nsampled, k = 0;
    const exs_finding **v = malloc((total ? total : 1) * sizeof *v);
    if (v) {
        for (size_t i = 0; i < st->nalways; i++)
            v[k++] = &st->always[i]->f;
        for (size_t i = 0; i < st->nsamples; i++)
            for (size_t j = 0; j < st->samples[i]->n; j++)
                v[k++] = &st->samples[i]->heap[j]->f;
    }
    pthread_mutex_unlock(&st->mu);
    *n = v ? k : 0;
    if (v && k > 1)
        qsort(v, k, sizeof *v, cmp_ptr);
    return v;
}

void xs_store_cap_keys(xs_store *st, size_t max)
{
    st->counts[EXS_COUNT_CLIENT].max = st->counts[EXS_COUNT_HOST].max = max;
}

bool xs_store_own_address(xs_store *st, uint32_t root, const char *addr)
{
    char key[XS_MAX_FINDING_FIELD + 16];
    snprintf(key, sizeof key, "%u|%s", (unsigned)root, addr);
    pthread_mutex_lock(&st->mu);
    bool ok = xs_strmap_put(st->own, key, (void *)1, NULL);
    pthread_mutex_unlock(&st->mu);
    return ok;
}

static void count_merge(exs_count *to, const exs_count *x)
{
    to->n += x->n;
    for (int v = 0; v <= EXS_VERDICT__MAX; v++)
        to->by_verdict[v] += x->by_verdict[v];
    xs_time_span_add(&to->first_ms, &to->last_ms, x->first_ms);
    xs_time_span_add(&to->first_ms, &to->last_ms, x->last_ms);
}

/* The client counts by address, summed over the roots, each root's own addresses left out
 * (counted in r's own_findings and own_addresses). */
static bool hand_clients(xs_store *st, exs_results *r)
{
    counter *c = &st->counts[EXS_COUNT_CLIENT];
    exs_count *v = calloc(c->n ? c->n : 1, sizeof *v);
    xs_strmap *by_addr = xs_strmap_create();
    bool ok = v && by_addr;
    size_t n = 0;
    uint64_t own_findings = 0, own_addresses = 0;
    for (size_t i = 0; ok && i < c->n; i++) {
        const char *bar = strchr(c->v[i]->key, '|'), *addr = bar ? bar + 1 : c->v[i]->key;
        if (xs_strmap_get(st->own, c->v[i]->key)) {
            own_findings += c->v[i]->n;
            own_addresses++;
            continue;
        }
        exs_count *x = xs_strmap_get(by_addr, addr);
        if (!x) {
            x = &v[n++];
            *x = (exs_count){NULL, 0, {0}, EXS_TIME_NONE, EXS_TIME_NONE};
            ok = (x->key = xs_arena_strdup(&r->arena, addr)) != NULL &&
                 xs_strmap_put(by_addr, addr, x, NULL);
        }
        if (ok)
            count_merge(x, c->v[i]);
    }
    xs_strmap_destroy(by_addr);
    if (!ok) {
        free(v);
        return false;
    }
    free(r->counts[EXS_COUNT_CLIENT]);
    r->counts[EXS_COUNT_CLIENT] = v;
    r->ncounts[EXS_COUNT_CLIENT] = n;
    r->stats.own_findings = own_findings;
    r->stats.own_addresses = own_addresses;
    return true;
}

static bool hand_counts(xs_store *st, exs_results *r)
{
    for (int k = 0; k < EXS_COUNT__N; k++) {
        if (k == EXS_COUNT_CLIENT) {
            if (!hand_clients(st, r))
                return false;
            continue;
        }
        counter *c = &st->counts[k];
        exs_count *v = calloc(c->n ? c->n : 1, sizeof *v);
        if (!v)
            return false;
        for (size_t i = 0; i < c->n; i++) {
            v[i] = *c->v[i];
            v[i].key = xs_arena_strdup(&r->arena, c->v[i]->key);
            if (!v[i].key) {
                free(v);
                return false;
            }
        }
        free(r->counts[k]);
        r->counts[k] = v;
        r->ncounts[k] = c->n;
    }
    return true;
}

uint64_t xs_store_always_dropped(xs_store *st)
{
    pthread_mutex_lock(&st->mu);
    uint64_t n = st->always_dropped;
    pthread_mutex_unlock(&st->mu);
    return n;
}

bool xs_store_settle(xs_store *st)
{
    pthread_mutex_lock(&st->mu);
    bool ok = settle(st);
    pthread_mutex_unlock(&st->mu);
    return ok;
}

bool xs_store_finish(xs_store *st, exs_results *r)
{
    pthread_mutex_lock(&st->mu);
    bool ok = settle(st);
    size_t total = st->nalways + st->nsampled, k = 0;
    exs_finding *f = ok ? malloc((total ? total : 1) * sizeof *f) : NULL;
    void **b = ok ? malloc((total ? total : 1) * sizeof *b) : NULL;
    ok = ok && f && b && hand_counts(st, r);
    if (ok) {
        for (size_t i = 0; i < st->nalways; i++, k++) {
            f[k] = st->always[i]->f;
            b[k] = st->always[i]->block;
            free(st->always[i]);
        }
        st->nalways = 0;
        for (size_t i = 0; i < st->nsamples; i++) {
            sample *s = st->samples[i];
            for (size_t j = 0; j < s->n; j++, k++) {
                f[k] = s->heap[j]->f;
                b[k] = s->heap[j]->block;
                free(s->heap[j]);
            }
            s->n = 0;
        }
        st->nsampled = 0;
        r->findings = f;
        r->blocks = b;
        r->nfindings = k;
        r->stats.findings = st->findings;
        r->stats.findings_dropped = st->findings - k;
        memcpy(r->stats.verdicts, st->verdicts, sizeof st->verdicts);
        r->stats.counts_dropped = st->keys_dropped;
    } else {
        free(f);
        free(b);
    }
    pthread_mutex_unlock(&st->mu);
    return ok;
}
