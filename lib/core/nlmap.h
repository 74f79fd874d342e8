/* A map of the line breaks in a buffer: one bit per byte, set where the byte is '\n'.
 *
 * The line pipeline builds it once per chunk, in the same pass that looks for NUL bytes, and
 * then answers "where does the line holding offset i end", "where does it start" and "how
 * many lines lie between i and j" with a few word operations instead of a memchr per line
 * (bench/README.md: the per-line memchr and the separate line count were 7% of a sweep).
 *
 * A view covers bytes [0, n) of its buffer, which start at bit `base` of `bits`, so a view of
 * part of a chunk shares the chunk's map.
 */
#ifndef XS_CORE_NLMAP_H
#define XS_CORE_NLMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct xs_nlmap {
    const uint64_t *bits;
    size_t base; /* bit of byte 0 */
    size_t n;    /* bytes covered */
} xs_nlmap;

/* Words needed for a map of n bytes. */
#define XS_NLMAP_WORDS(n) (((n) + 63) / 64)

/* Fills bits (XS_NLMAP_WORDS(n) words) for p[0..n); bits past n are zero. Returns the offset
 * of the first NUL byte, or n when there is none. */
size_t xs_nlmap_build(uint64_t *bits, const char *p, size_t n);

/* Offset of the first '\n' at or after i, or m->n when there is none. */
size_t xs_nlmap_next(const xs_nlmap *m, size_t i);

/* Offset just after the last '\n' before i: the start of the line holding byte i. */
size_t xs_nlmap_line_start(const xs_nlmap *m, size_t i);

/* Line breaks in [i, j). */
uint64_t xs_nlmap_count(const xs_nlmap *m, size_t i, size_t j);

#endif
