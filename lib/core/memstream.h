/* Closing an open_memstream stream without losing a failure: glibc's fclose of a memstream
 * returns 0 even when its last realloc failed, and then sets the buffer to NULL (the bytes
 * are freed). Every memstream of the project is closed through xs_memclose. */
#ifndef XS_CORE_MEMSTREAM_H
#define XS_CORE_MEMSTREAM_H

#include <stdio.h>

/* Closes f, the stream of open_memstream(buf, ...). 0 when the bytes are in *buf; -1 with
 * errno set (ENOMEM when the buffer was lost) when a write or the close failed, *buf then
 * freed and NULL. */
int xs_memclose(FILE *f, char **buf);

#endif
