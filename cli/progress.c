/* The progress line (progress.h). */
#include "progress.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct xs_progress {
    exs_scan *scan;
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    struct timespec t0;
};

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

void xs_progress_line(const exs_progress *p, double seconds, char *out, size_t cap)
{
    double mib = (double)p->bytes_done / (1024.0 * 1024.0);
    double rate = seconds > 0.05 ? mib / seconds : 0.0;
    int n = snprintf(out, cap, "exsweep: %llu files, %.1f MiB, %.1f MiB/s",
                     (unsigned long long)p->files_done, mib, rate);
    if (n < 0 || (size_t)n >= cap)
        return;
    size_t o = (size_t)n;
    if (p->walk_done && rate > 0.0 && p->bytes_queued >= p->bytes_done) {
        double left = (double)(p->bytes_queued - p->bytes_done) / (1024.0 * 1024.0) / rate;
        unsigned long s = left > 359999.0 ? 359999UL : (unsigned long)(left + 0.5);
        n = snprintf(out + o, cap - o, ", ETA %lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
    } else {
        n = snprintf(out + o, cap - o, ", walking");
    }
    if (n < 0 || (size_t)n >= cap - o)
        return;
    o += (size_t)n;
    snprintf(out + o, cap - o, ", %llu findings so far", (unsigned long long)p->findings);
}

static void *draw(void *arg)
{
    xs_progress *pr = arg;
    char line[160];
    pthread_mutex_lock(&pr->mu);
    while (!pr->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 250000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&pr->cv, &pr->mu, &until);
        if (pr->stop)
            break;
        exs_progress p;
        exs_scan_progress(pr->scan, &p);
        xs_progress_line(&p, since(&pr->t0), line, sizeof line);
        fprintf(stderr, "\r\033[K%s", line); /* our own text: nothing from the evidence */
        fflush(stderr);
    }
    pthread_mutex_unlock(&pr->mu);
    return NULL;
}

xs_progress *xs_progress_start(exs_scan *s, bool enabled)
{
    if (!enabled || !isatty(STDERR_FILENO))
        return NULL;
    xs_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->scan = s;
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (pthread_create(&p->tid, NULL, draw, p) != 0) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv);
        free(p);
        return NULL;
    }
    return p;
}

void xs_progress_stop(xs_progress *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->tid, NULL);
    fputs("\r\033[K", stderr); /* gone at the end */
    fflush(stderr);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}
