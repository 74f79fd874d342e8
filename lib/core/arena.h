/* A string arena: copies live until the arena is freed, in blocks of 64 KiB (or one block per
 * larger string). Not thread-safe: callers lock. */
#ifndef EXS_CORE_ARENA_H
#define EXS_CORE_ARENA_H

#include <stddef.h>

typedef struct exs_arena_block exs_arena_block;

typedef struct exs_arena {
    exs_arena_block *head;
} exs_arena;

/* A NUL-terminated copy of p[0..n), or NULL when out of memory. */
const char *exs_arena_strndup(exs_arena *a, const char *p, size_t n);
/* s NULL gives NULL (not a failure). */
const char *exs_arena_strdup(exs_arena *a, const char *s);
/* n zeroed bytes aligned for any object, or NULL. */
void *exs_arena_alloc(exs_arena *a, size_t n);
/* Frees every block; the arena is empty afterwards. */
void exs_arena_free(exs_arena *a);

#endif
