/* The warning examples kept: a max-heap of at most cap entries in the order of
 * xs_warning_cmp, each one allocation holding the warning and its bytes (see warnkeep.h). */
#include <stdlib.h>
#include <string.h>

#include "core/grow.h"
#include "core/heap.h"
#include "results/results_int.h"
#include "results/warnkeep.h"

typedef struct entry {
    xs_str kind, file, message; /* NUL-terminated, in the same allocation */
    uint64_t line;
} entry;

struct xs_warnkeep {
    size_t cap;
    entry **heap; /* heap[0] is the largest kept */
    size_t n;
};

xs_warnkeep *xs_warnkeep_create(size_t cap)
{
    xs_warnkeep *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    k->cap = cap;
    k->heap = malloc((cap ? cap : 1) * sizeof *k->heap);
    if (!k->heap) {
        free(k);
        return NULL;
    }
    return k;
}

void xs_warnkeep_destroy(xs_warnkeep *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++)
        free(k->heap[i]);
    free(k->heap);
    free(k);
}

/* strcmp's order on spans without NUL bytes: bytes as unsigned, a prefix first. */
static int span_cmp(xs_str a, xs_str b)
{
    size_t n = a.n < b.n ? a.n : b.n;
    int r = n ? memcmp(a.p, b.p, n) : 0;
    return r ? r : (a.n > b.n) - (a.n < b.n);
}

/* xs_warning_cmp's order: file, line, kind, message. */
static int cmp(const entry *a, const entry *b)
{
    int r = span_cmp(a->file, b->file);
    if (r)
        return r;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if ((r = span_cmp(a->kind, b->kind)))
        return r;
    return span_cmp(a->message, b->message);
}

static int cmp_ptr(const void *a, const void *b)
{
    return cmp(a, b);
}

static xs_str copy(char **at, xs_str v)
{
    char *p = *at;
    if (v.n)
        memcpy(p, v.p, v.n);
    p[v.n] = 0;
    *at = p + v.n + 1;
    return xs_str_make(p, v.n);
}

bool xs_warnkeep_add(xs_warnkeep *k, xs_str kind, xs_str file, uint64_t line, xs_str message)
{
    entry w = {kind, file, message, line};
    if (!k->cap || (k->n == k->cap && cmp(&w, k->heap[0]) >= 0))
        return true; /* not among the smallest: counted by the caller, not kept */
    entry *e = malloc(sizeof *e + kind.n + file.n + message.n + 3);
    if (!e)
        return false;
    char *at = (char *)(e + 1);
    e->kind = copy(&at, kind);
    e->file = copy(&at, file);
    e->message = copy(&at, message);
    e->line = line;
    if (k->n < k->cap) {
        k->heap[k->n] = e;
        xs_heap_up((void **)k->heap, k->n++, cmp_ptr);
    } else {
        free(k->heap[0]);
        k->heap[0] = e;
        xs_heap_down((void **)k->heap, k->n, 0, cmp_ptr);
    }
    return true;
}

bool xs_warnkeep_move(xs_warnkeep *k, exs_results *r, size_t *cap)
{
    if (!xs_grow((void **)&r->warnings, cap, r->nwarnings + k->n, sizeof *r->warnings))
        return false;
    while (k->n) {
        const entry *e = k->heap[k->n - 1];
        exs_warning w = {xs_arena_strdup(&r->arena, e->kind.p), xs_arena_strdup(&r->arena, e->file.p),
                         e->line, xs_arena_strdup(&r->arena, e->message.p)};
        if (!w.kind || !w.file || !w.message)
            return false;
        r->warnings[r->nwarnings++] = w;
        free(k->heap[--k->n]);
    }
    return true;
}
