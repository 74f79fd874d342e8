/* Max-heaps of pointers in the order of a comparison (the root, h[0], is the largest): the
 * "keep the N smallest whatever the order" caps (warning examples, count keys, samples). */
#ifndef XS_CORE_HEAP_H
#define XS_CORE_HEAP_H

#include <stddef.h>

typedef int xs_heap_cmp(const void *a, const void *b);

/* Moves h[i] up to its place. */
static inline void xs_heap_up(void **h, size_t i, xs_heap_cmp *cmp)
{
    while (i && cmp(h[(i - 1) / 2], h[i]) < 0) {
        void *t = h[(i - 1) / 2];
        h[(i - 1) / 2] = h[i];
        h[i] = t;
        i = (i - 1) / 2;
    }
}

/* Moves h[i] of h[0..n) down to its place. */
static inline void xs_heap_down(void **h, size_t n, size_t i, xs_heap_cmp *cmp)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && cmp(h[l], h[m]) > 0)
            m = l;
        if (r < n && cmp(h[r], h[m]) > 0)
            m = r;
        if (m == i)
            return;
        void *t = h[m];
        h[m] = h[i];
        h[i] = t;
        i = m;
    }
}

#endif
