/* A readable stream of evidence bytes: a file descriptor or an archive member. */
#ifndef EXS_SOURCES_INPUT_H
#define EXS_SOURCES_INPUT_H

#include <stddef.h>

typedef struct exs_input {
    /* Reads up to n bytes into buf: the count, 0 at the end, -1 on error. */
    long (*read)(void *ctx, void *buf, size_t n);
    /* Seeks like lseek(2), or NULL when the stream cannot seek (archive members). */
    long long (*seek)(void *ctx, long long off, int whence);
    void *ctx;
} exs_input;

/* Reads until n bytes or the end; returns the count, or -1 when the first read failed. */
long exs_input_read_full(const exs_input *in, void *buf, size_t n);

/* exs_input over a file descriptor: ctx points to the int fd. */
long exs_fd_read(void *ctx, void *buf, size_t n);
long long exs_fd_seek(void *ctx, long long off, int whence);

#endif
