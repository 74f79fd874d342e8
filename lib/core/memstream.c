/* Text built in memory, every failure kept (memstream.h). */
#include "core/memstream.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

typedef struct membuf {
    char **buf;
    size_t *len, cap;
    bool failed;
} membuf;

static ssize_t mem_write(void *c, const char *p, size_t n)
{
    membuf *m = c;
    if (m->failed) { /* nothing after a hole */
        errno = ENOMEM;
        return -1;
    }
    size_t need = *m->len + n + 1;
    if (need < n) {
        m->failed = true;
        errno = ENOMEM;
        return -1;
    }
    if (need > m->cap) {
        size_t cap = m->cap ? m->cap : 256;
        while (cap < need)
            cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
        char *b = realloc(*m->buf, cap);
        if (!b) {
            m->failed = true;
            errno = ENOMEM;
            return -1;
        }
        *m->buf = b;
        m->cap = cap;
    }
    memcpy(*m->buf + *m->len, p, n);
    *m->len += n;
    (*m->buf)[*m->len] = '\0';
    return (ssize_t)n;
}

static int mem_close(void *c)
{
    membuf *m = c;
    bool failed = m->failed;
    if (!failed && !*m->buf) { /* nothing written: "" */
        if ((*m->buf = malloc(1)))
            (*m->buf)[0] = '\0';
        else
            failed = true;
    }
    free(m);
    if (failed) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

FILE *xs_memopen(char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    membuf *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->buf = buf;
    m->len = len;
    cookie_io_functions_t io = {.write = mem_write, .close = mem_close};
    FILE *f = fopencookie(m, "w", io);
    if (!f)
        free(m);
    return f;
}

int xs_memclose(FILE *f, char **buf)
{
    int bad = ferror(f);
    int rc = fclose(f);
    if (rc == 0 && !bad && *buf)
        return 0;
    int e = rc != 0 && errno ? errno : ENOMEM;
    free(*buf);
    *buf = NULL;
    errno = e;
    return -1;
}
