/* A parallel for over an atomic counter (parallel.h). */
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/parallel.h"

typedef struct pfor {
    atomic_size_t next;
    size_t n;
    xs_parallel_fn fn;
    void *ctx;
} pfor;

static void *run(void *arg)
{
    pfor *p = arg;
    for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < p->n;)
        p->fn(p->ctx, i);
    return NULL;
}

void xs_parallel_for(size_t n, unsigned threads, xs_parallel_fn fn, void *ctx)
{
    pfor p = {.n = n, .fn = fn, .ctx = ctx};
    atomic_init(&p.next, 0);
    pthread_t tid[XS_MAX_PARALLEL];
    unsigned started = 0;
    if (threads > XS_MAX_PARALLEL)
        threads = XS_MAX_PARALLEL;
    if (threads > n)
        threads = (unsigned)n;
    for (unsigned t = 1; t < threads; t++) /* the caller is the first */
        if (pthread_create(&tid[started], NULL, run, &p) == 0)
            started++;
    run(&p);
    for (unsigned t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
}

unsigned xs_cpus(void)
{
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    return c < 1 ? 1u : c > (long)XS_MAX_PARALLEL ? XS_MAX_PARALLEL : (unsigned)c;
}
