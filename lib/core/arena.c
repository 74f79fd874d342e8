/* String arena. */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

struct xs_arena_block {
    xs_arena_block *next;
    size_t used, cap;
    alignas(max_align_t) char data[];
};

void *xs_arena_alloc(xs_arena *a, size_t n)
{
    const size_t al = alignof(max_align_t);
    xs_arena_block *b = a->head;
    size_t at = b ? (b->used + al - 1) & ~(al - 1) : 0;
    if (!b || at > b->cap || b->cap - at < n) {
        size_t cap = n > 65536 ? n : 65536;
        xs_arena_block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->next = a->head;
        nb->used = 0;
        nb->cap = cap;
        a->head = b = nb;
        at = 0;
    }
    void *p = b->data + at;
    b->used = at + n;
    memset(p, 0, n);
    return p;
}

const char *xs_arena_strndup(xs_arena *a, const char *p, size_t n)
{
    char *d = xs_arena_alloc(a, n + 1);
    if (d && n)
        memcpy(d, p, n);
    return d;
}

const char *xs_arena_strdup(xs_arena *a, const char *s)
{
    return s ? xs_arena_strndup(a, s, strlen(s)) : NULL;
}

void xs_arena_free(xs_arena *a)
{
    while (a->head) {
        xs_arena_block *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}
