/* Dup counts of finding ids, per context (see dups.h). */
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "scan/dups.h"

/* One identity (its dup-0 id as 128 bits) and how many findings had it. */
typedef struct slot {
    uint64_t k0, k1;
    uint32_t n; /* 0: free */
} slot;

typedef struct table {
    slot *v;
    size_t cap, used; /* cap: 0 or a power of two */
} table;

/* A position a finding is held for (xs_dups_hold), and the counts of its findings. */
typedef struct held {
    uint64_t line, record;
    int64_t offset;
    table t; /* the findings at it, kept when the context goes past it */
} held;

struct xs_dups {
    bool have_pos;
    uint64_t line, record;
    int64_t offset;
    table at;    /* the findings at the current position */
    table late;  /* findings at positions before it */
    table nopos; /* findings without a position */
    held *held;  /* few: the callers bound them (16 dumps per event log) */
    size_t nheld, capheld;
    size_t cur; /* the held position that is the current one, or nheld when none */
};

static uint64_t hex64(const char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        char c = p[i];
        v = v << 4 | (uint64_t)(c >= 'a' ? c - 'a' + 10 : c >= 'A' ? c - 'A' + 10 : c - '0');
    }
    return v;
}

static bool grow(table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 16;
    slot *v = calloc(cap, sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->v[i].n)
            continue;
        size_t j = (size_t)t->v[i].k0 & (cap - 1);
        while (v[j].n)
            j = (j + 1) & (cap - 1);
        v[j] = t->v[i];
    }
    free(t->v);
    t->v = v;
    t->cap = cap;
    return true;
}

/* The count of (k0, k1) before this call, or -1 when out of memory. The ids are digests:
 * their first 64 bits are a hash already. */
static int64_t bump(table *t, uint64_t k0, uint64_t k1)
{
    if ((t->used + 1) * 2 > t->cap && !grow(t))
        return -1;
    size_t j = (size_t)k0 & (t->cap - 1);
    while (t->v[j].n && (t->v[j].k0 != k0 || t->v[j].k1 != k1))
        j = (j + 1) & (t->cap - 1);
    if (!t->v[j].n) {
        t->v[j] = (slot){k0, k1, 0};
        t->used++;
    }
    return t->v[j].n < XS_DUP_LATE - 1 ? (int64_t)t->v[j].n++ : (int64_t)t->v[j].n;
}

static void clear(table *t)
{
    if (t->cap > 256) { /* one crowded line: the next ones start small again */
        free(t->v);
        t->v = NULL;
        t->cap = 0;
    } else if (t->used) {
        memset(t->v, 0, t->cap * sizeof *t->v);
    }
    t->used = 0;
}

/* Positions in reading order: line, then offset, then record. */
static int pos_cmp(uint64_t la, int64_t oa, uint64_t ra, uint64_t lb, int64_t ob, uint64_t rb)
{
    if (la != lb)
        return la < lb ? -1 : 1;
    if (oa != ob)
        return oa < ob ? -1 : 1;
    if (ra != rb)
        return ra < rb ? -1 : 1;
    return 0;
}

/* The held position (line, offset, record), or NULL. */
static held *held_at(xs_dups *d, uint64_t line, int64_t offset, uint64_t record)
{
    for (size_t i = 0; i < d->nheld; i++)
        if (!pos_cmp(line, offset, record, d->held[i].line, d->held[i].offset, d->held[i].record))
            return &d->held[i];
    return NULL;
}

static xs_dups *dups_of(xs_dups **dp)
{
    if (!*dp)
        *dp = calloc(1, sizeof **dp);
    return *dp;
}

bool xs_dups_hold(xs_dups **dp, uint64_t line, uint64_t record, int64_t offset)
{
    xs_dups *d = dups_of(dp);
    if (!d)
        return false;
    if (offset < 0)
        offset = -1;
    if ((!line && !record && offset < 0) || held_at(d, line, offset, record))
        return true; /* no position (counted over the context), or held already */
    int c = d->have_pos ? pos_cmp(line, offset, record, d->line, d->offset, d->record) : 1;
    if (c < 0)
        return true; /* gone past already: its counts are not known, a late finding there is
                        marked */
    if (!xs_grow((void **)&d->held, &d->capheld, d->nheld + 1, sizeof *d->held))
        return false;
    d->held[d->nheld] = (held){line, record, offset, {NULL, 0, 0}};
    if (c == 0)
        d->cur = d->nheld;
    else if (d->cur == d->nheld)
        d->cur++; /* still none */
    d->nheld++;
    return true;
}

bool xs_dups_take(xs_dups **dp, const char base[EXS_ID_LEN], uint64_t line, uint64_t record,
                   int64_t offset, unsigned *dup)
{
    xs_dups *d = dups_of(dp);
    if (!d)
        return false;
    if (offset < 0)
        offset = -1;
    uint64_t k0 = hex64(base), k1 = hex64(base + 16);
    table *t;
    unsigned late = 0;
    if (!line && !record && offset < 0) {
        t = &d->nopos;
    } else {
        int c = d->have_pos ? pos_cmp(line, offset, record, d->line, d->offset, d->record) : 1;
        held *h = NULL;
        if (c > 0) {
            if (d->cur < d->nheld) { /* its counts go on when its held finding comes */
                d->held[d->cur].t = d->at;
                d->at = (table){NULL, 0, 0};
            } else {
                clear(&d->at);
            }
            d->have_pos = true;
            d->line = line;
            d->offset = offset;
            d->record = record;
            h = held_at(d, line, offset, record);
            d->cur = h ? (size_t)(h - d->held) : d->nheld;
        } else if (c < 0) {
            h = held_at(d, line, offset, record);
        }
        /* a finding held for its position on purpose is counted there, as it would have
         * been in order: only the others at an earlier position are late */
        t = c >= 0 ? &d->at : h ? &h->t : &d->late;
        late = c < 0 && !h ? XS_DUP_LATE : 0;
    }
    int64_t n = bump(t, k0, k1);
    if (n < 0)
        return false;
    *dup = late | (unsigned)n;
    return true;
}

void xs_dups_free(xs_dups *d)
{
    if (!d)
        return;
    free(d->at.v);
    free(d->late.v);
    free(d->nopos.v);
    for (size_t i = 0; i < d->nheld; i++)
        free(d->held[i].t.v);
    free(d->held);
    free(d);
}
