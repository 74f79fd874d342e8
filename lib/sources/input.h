/* A readable stream of evidence bytes: a file on disk or an archive member. */
#ifndef XS_SOURCES_INPUT_H
#define XS_SOURCES_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct exs_scan;

typedef struct xs_input {
    /* Reads up to n bytes into buf: the count (possibly fewer than asked: call again), 0 at
     * the end, -1 when the stream cannot go on. A stream says why before it returns -1: a
     * failure of the machine (an I/O error, memory) fails the sweep (xs_scan_fail), damaged
     * evidence (a corrupt archive member) is a counted warning. A reader just stops. */
    long (*read)(void *ctx, void *buf, size_t n);
    /* Seeks like lseek(2), or NULL when the stream cannot seek (archive members). */
    long long (*seek)(void *ctx, long long off, int whence);
    void *ctx;
} xs_input;

/* Reads until n bytes or the end; returns the count, or -1 when the stream failed. */
long xs_input_read_full(const xs_input *in, void *buf, size_t n);

/* A file on disk read as evidence, up to the size it had when it was opened (st at open):
 * a live log that grows while it is read ends there, and one that shrinks ends early
 * (shrunk). Reads are positional (pread), so seeks are only a new position. A failed read
 * is reported to the scan (xs_scan_fail, EXS_EIO, naming display) and ends the stream. */
typedef struct xs_fdstream {
    int fd;
    uint64_t size;     /* st_size at open: the end of the stream */
    uint64_t pos;      /* offset of the next byte */
    bool sparse;       /* fewer blocks allocated than the size: the file may have holes */
    bool skip;         /* holes are skipped (xs_fdstream_skip_holes) */
    uint64_t data_end; /* with skip: the end of the data region pos is in */
    uint64_t holes;    /* bytes of holes skipped */
    bool shrunk;       /* the file ended before size (size is then where it ended) */
    bool failed;       /* a read failed (reported) */
    struct exs_scan *scan;
    const char *display;
} xs_fdstream;

void xs_fdstream_init(xs_fdstream *f, int fd, const struct stat *st, struct exs_scan *s,
                       const char *display);
/* xs_input callbacks; ctx is the xs_fdstream. */
long xs_fdstream_read(void *ctx, void *buf, size_t n);
long long xs_fdstream_seek(void *ctx, long long off, int whence);
/* From now on holes (regions never written, SEEK_HOLE) are skipped rather than read as the
 * zeros they hold, for readers of lines, to which zeros are no content: the bytes after a
 * hole follow the bytes before it, and `holes` counts what was skipped. The first `have`
 * bytes were read already (from offset 0): when a hole starts inside them, returns where it
 * starts (the caller keeps the bytes before it; reading goes on after the hole), else have.
 * Holes are looked for at most once per XS_HOLE_MIN bytes read (a hole inside is read).
 * Does nothing on a file whose blocks cover its size. */
size_t xs_fdstream_skip_holes(xs_fdstream *f, size_t have);

/* True when errno e describes the evidence rather than a failure of the machine: the file
 * is not ours to read (EACCES, EPERM), is gone or was replaced (ENOENT, ENOTDIR, ELOOP,
 * ESTALE, ENXIO, ENODEV), is busy (ETXTBSY, EAGAIN) or has a name too long. Such cases are
 * counted warnings; any other errno (EIO, ENOMEM, EMFILE, ...) fails the sweep. */
bool xs_errno_is_evidence(int e);

#endif
