/* Growable arrays: one doubling helper for every vector the sweep keeps. */
#ifndef XS_CORE_GROW_H
#define XS_CORE_GROW_H

#include <stdbool.h>
#include <stddef.h>

/* Makes room for `need` elements of `elem` bytes in *v (capacity *cap, doubled from 16).
 * On failure (out of memory, or a size that would overflow) *v and *cap are unchanged and it
 * returns false. */
bool xs_grow(void **v, size_t *cap, size_t need, size_t elem);

#endif
