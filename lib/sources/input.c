/* Streams over file descriptors, and full reads. */
#include <errno.h>
#include <unistd.h>

#include "sources/input.h"

long exs_input_read_full(const exs_input *in, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        long r = in->read(in->ctx, (char *)buf + got, n - got);
        if (r < 0)
            return got ? (long)got : -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (long)got;
}

long exs_fd_read(void *ctx, void *buf, size_t n)
{
    int fd = *(int *)ctx;
    for (;;) {
        ssize_t r = read(fd, buf, n);
        if (r >= 0)
            return (long)r;
        if (errno != EINTR)
            return -1;
    }
}

long long exs_fd_seek(void *ctx, long long off, int whence)
{
    return (long long)lseek(*(int *)ctx, (off_t)off, whence);
}
