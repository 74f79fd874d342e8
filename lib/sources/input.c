/* Streams over files on disk, and full reads. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/limits.h"
#include "scan/scan_int.h"
#include "sources/input.h"

long xs_input_read_full(const xs_input *in, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        long r = in->read(in->ctx, (char *)buf + got, n - got);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (long)got;
}

void xs_fdstream_init(xs_fdstream *f, int fd, const struct stat *st, exs_scan *s,
                       const char *display)
{
    memset(f, 0, sizeof *f);
    f->fd = fd;
    f->size = st->st_size > 0 ? (uint64_t)st->st_size : 0;
    /* st_blocks counts 512-byte units whatever the block size (stat(2)) */
    f->sparse = st->st_blocks >= 0 && (uint64_t)st->st_blocks * 512 < f->size;
    f->scan = s;
    f->display = display;
}

/* Where the file ends now, when it has no data before the end it had at open: SEEK_DATA
 * answers for the file as it is, so a file cut since (into a hole, or before pos) says ENXIO
 * as a hole up to the end does. A file that shrank is marked so (the same warning as a read
 * that ended early) and ends where it ends now, so that holes are counted up to there, not
 * to the size it had. False when fstat failed (reported). */
static bool end_now(xs_fdstream *f)
{
    struct stat st;
    if (fstat(f->fd, &st) != 0) {
        int e = errno;
        f->failed = true;
        if (f->scan)
            xs_scan_fail(f->scan, e == ENOMEM ? EXS_ENOMEM : EXS_EIO,
                          "cannot stat %s while reading it: %s", f->display, strerror(e));
        return false;
    }
    uint64_t now = st.st_size > 0 ? (uint64_t)st.st_size : 0;
    if (now < f->size) {
        f->shrunk = true;
        f->size = now > f->pos ? now : f->pos;
    }
    return true;
}

/* At the end of the region read since the last look (pos == data_end): moves pos past the
 * hole it is in, if any, and sets the next place to look: the next hole, or XS_HOLE_MIN bytes
 * on, whichever is further (a hole inside is read as its zeros), so that a file of many small
 * holes costs at most two lseek calls per XS_HOLE_MIN bytes read. Returns 1 when data
 * follows, 0 when none does (pos is then the size), -1 when the stream failed (reported). */
static int next_data(xs_fdstream *f)
{
    off_t d = lseek(f->fd, (off_t)f->pos, SEEK_DATA);
    bool none = d < 0 && errno == ENXIO;
    if (d < 0 && !none) {
        f->skip = false; /* the file system cannot tell: read the zeros */
        return 1;
    }
    if (none || (uint64_t)d >= f->size) { /* a hole up to the end, wherever that is now */
        if (!end_now(f))
            return -1;
        d = (off_t)f->size;
    }
    uint64_t du = (uint64_t)d;
    if (du > f->pos) {
        f->holes += du - f->pos;
        f->pos = du;
    }
    if (f->pos >= f->size)
        return 0;
    off_t h = lseek(f->fd, (off_t)f->pos, SEEK_HOLE);
    uint64_t next = h > 0 && (uint64_t)h > f->pos ? (uint64_t)h : f->size;
    if (next < f->pos + XS_HOLE_MIN)
        next = f->pos + XS_HOLE_MIN;
    f->data_end = next < f->size ? next : f->size;
    return 1;
}

long xs_fdstream_read(void *ctx, void *buf, size_t n)
{
    xs_fdstream *f = ctx;
    if (f->failed)
        return -1;
    if (f->skip && f->pos >= f->data_end) {
        int more = next_data(f);
        if (more <= 0)
            return more;
    }
    if (f->pos >= f->size)
        return 0;
    uint64_t end = f->skip ? f->data_end : f->size;
    if (n > end - f->pos)
        n = (size_t)(end - f->pos);
    for (;;) {
        ssize_t r = pread(f->fd, buf, n, (off_t)f->pos);
        if (r > 0) {
            f->pos += (uint64_t)r;
            return (long)r;
        }
        if (r == 0) { /* the end came before the size it had when it was opened */
            f->shrunk = true;
            f->size = f->pos;
            return 0;
        }
        if (errno == EINTR)
            continue;
        f->failed = true;
        if (f->scan)
            xs_scan_fail(f->scan, EXS_EIO, "read error in %s at byte %llu: %s", f->display,
                          (unsigned long long)f->pos, strerror(errno));
        return -1;
    }
}

long long xs_fdstream_seek(void *ctx, long long off, int whence)
{
    xs_fdstream *f = ctx;
    long long base = whence == SEEK_SET   ? 0
                     : whence == SEEK_CUR ? (long long)f->pos
                     : whence == SEEK_END ? (long long)f->size
                                          : -1;
    if (base < 0 || (off < 0 && -off > base)) {
        errno = EINVAL;
        return -1;
    }
    f->pos = (uint64_t)(base + off);
    f->skip = false; /* a reader that seeks wants the offsets of the file, holes and all */
    return (long long)f->pos;
}

size_t xs_fdstream_skip_holes(xs_fdstream *f, size_t have)
{
    if (!f->sparse || f->skip)
        return have;
    f->skip = true;
    f->data_end = 0;
    off_t h = lseek(f->fd, 0, SEEK_HOLE);
    if (h < 0) {
        f->skip = false;
        return have;
    }
    if ((uint64_t)h < have && (uint64_t)h < f->pos) {
        f->pos = (uint64_t)h; /* the read resumes at the hole and skips it */
        have = (size_t)h;
    }
    f->data_end = (uint64_t)h < f->pos ? f->pos : (uint64_t)h; /* pos is in data up to here */
    if (f->data_end > f->size)
        f->data_end = f->size;
    return have;
}

bool xs_errno_is_evidence(int e)
{
    switch (e) {
    case EACCES:
    case EPERM:
    case ENOENT:
    case ENOTDIR:
    case ELOOP:
    case ESTALE:
    case ENXIO:
    case ENODEV:
    case ETXTBSY:
    case EAGAIN:
    case ENAMETOOLONG:
        return true;
    default:
        return false;
    }
}
