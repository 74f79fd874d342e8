/* Text built in memory, every failure kept. glibc's open_memstream loses bytes without a
 * word when its buffer cannot grow: a write in the middle comes back short with the
 * stream's error flag left clear, and fclose returns 0 when its last realloc fails, with the
 * buffer set to NULL. xs_memopen is the project's memstream instead (a cookie stream whose
 * growth failures set the error flag); every one is closed with xs_memclose. */
#ifndef XS_CORE_MEMSTREAM_H
#define XS_CORE_MEMSTREAM_H

#include <stddef.h>
#include <stdio.h>

/* A stream writing into a buffer of its own: *buf and *len are set by xs_memclose (and, as
 * open_memstream's, after each fflush). NULL when out of memory. */
FILE *xs_memopen(char **buf, size_t *len);

/* Closes f, a stream of xs_memopen(buf, ...). 0 when every byte written is in *buf
 * (NUL-terminated, "" when none); -1 with errno set (ENOMEM when the buffer could not grow)
 * when a write or the close failed, *buf then freed and NULL. */
int xs_memclose(FILE *f, char **buf);

#endif
