/* A string arena: copies live until the arena is freed, in blocks of 64 KiB (or one block per
 * larger string). Not thread-safe: callers lock. */
#ifndef XS_CORE_ARENA_H
#define XS_CORE_ARENA_H

#include <stddef.h>

typedef struct xs_arena_block xs_arena_block;

typedef struct xs_arena {
    xs_arena_block *head;
} xs_arena;

/* A NUL-terminated copy of p[0..n), or NULL when out of memory. */
const char *xs_arena_strndup(xs_arena *a, const char *p, size_t n);
/* s NULL gives NULL (not a failure). */
const char *xs_arena_strdup(xs_arena *a, const char *s);
/* n zeroed bytes aligned for any object, or NULL. */
void *xs_arena_alloc(xs_arena *a, size_t n);
/* Frees every block; the arena is empty afterwards. */
void xs_arena_free(xs_arena *a);

#endif
