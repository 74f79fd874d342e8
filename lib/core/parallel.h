/* A parallel for: fn(ctx, i) for every i in [0, n), on up to `threads` threads (the caller's
 * among them). Each i is done exactly once. A thread that cannot start costs speed, never a
 * result: the threads that did start, and the caller, do its share. fn must be safe to run
 * concurrently with itself on different i. */
#ifndef XS_CORE_PARALLEL_H
#define XS_CORE_PARALLEL_H

#include <stddef.h>

typedef void (*xs_parallel_fn)(void *ctx, size_t i);
void xs_parallel_for(size_t n, unsigned threads, xs_parallel_fn fn, void *ctx);
/* The processors online (at least 1). */
unsigned xs_cpus(void);

#endif
