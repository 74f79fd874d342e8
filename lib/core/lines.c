/* Bounded line reading (lines.h). */
#include "core/lines.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

void xs_lines_init(xs_lines *l, int fd, char *buf, size_t cap)
{
    *l = (xs_lines){.fd = fd, .buf = buf, .cap = cap};
}

int xs_lines_next(xs_lines *l, char **p, size_t *n, bool *toolong)
{
    for (;;) {
        char *nl = memchr(l->buf + l->start, '\n', l->have - l->start);
        if (nl || (l->eof && (l->start < l->have || l->skipping))) {
            size_t end = nl ? (size_t)(nl - l->buf) : l->have;
            *p = l->buf + l->start;
            *n = end - l->start;
            *toolong = l->skipping;
            if (l->skipping)
                *n = 0;
            l->skipping = false;
            l->start = nl ? end + 1 : l->have;
            l->line++;
            return 1;
        }
        if (l->eof)
            return 0;
        memmove(l->buf, l->buf + l->start, l->have - l->start);
        l->have -= l->start;
        l->start = 0;
        if (l->have == l->cap) { /* no '\n' in a full buffer: the line is too long */
            l->skipping = true;
            l->have = 0;
        }
        ssize_t k = read(l->fd, l->buf + l->have, l->cap - l->have);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        l->eof = k == 0;
        l->have += (size_t)k;
    }
}
