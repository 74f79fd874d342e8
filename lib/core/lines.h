/* The lines of a file or pipe, read through a bounded buffer of the caller's: the readers of
 * saved outputs (exsweep report's JSON lines, exsweep probe's scans) take them one at a time,
 * whatever the stream's size. A line as long as the buffer or longer is not kept: it is
 * returned as too long (its bytes skipped to its end), with its number, so that the caller
 * counts it. Nothing here allocates.
 */
#ifndef XS_CORE_LINES_H
#define XS_CORE_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct xs_lines {
    int fd;
    char *buf;   /* cap bytes, the caller's */
    size_t cap, have, start;
    bool eof, skipping;
    uint64_t line; /* the number of the line returned last (the first is 1) */
} xs_lines;

void xs_lines_init(xs_lines *l, int fd, char *buf, size_t cap);

/* The next line: 1 with *p and *n (without its '\n'; a last line without one too) and
 * *toolong false, or *toolong true and *n 0 for a line of cap bytes or more; 0 at the end
 * of the stream; -1 when a read failed (errno says why). The line lives until the next
 * call; its bytes may be changed by the caller (it is in buf). */
int xs_lines_next(xs_lines *l, char **p, size_t *n, bool *toolong);

#endif
