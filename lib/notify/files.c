/* The files notify writes (internal.h): each under a temporary name, synced, renamed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "notify/internal.h"

long xs_notify_fault_io;
int xs_notify_fault_errno;
static long ios;

void xs_notify_fault_set(long io, int err)
{
    xs_notify_fault_io = io;
    xs_notify_fault_errno = err;
    ios = 0;
}

bool xs_notify_io_ok(void)
{
    if (xs_notify_fault_io > 0 && ++ios == xs_notify_fault_io) {
        errno = xs_notify_fault_errno ? xs_notify_fault_errno : EIO;
        return false;
    }
    return true;
}

bool xs_notify_put_file(int dfd, const char *name, const char *p, size_t n, char *err,
                        size_t errlen)
{
    char tmp[512];
    static unsigned seq;
    int fd = -1;
    /* a name of this process's, created new: never a file (or a FIFO) someone put there */
    for (int tries = 0; tries < 100; tries++) {
        snprintf(tmp, sizeof tmp, ".%s.%ld.%u.tmp", name, (long)getpid(), seq++);
        fd = xs_notify_io_ok() ? openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                                                      O_CLOEXEC, 0600)
                               : -1;
        if (fd >= 0 || errno != EEXIST)
            break;
    }
    if (fd < 0) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, strerror(errno));
        return false;
    }
    const char *what = "write";
    size_t done = 0;
    bool ok = true;
    while (ok && done < n) {
        ssize_t w = xs_notify_io_ok() ? write(fd, p + done, n - done) : -1;
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            ok = false;
        } else
            done += (size_t)w;
    }
    if (ok && !(xs_notify_io_ok() && fsync(fd) == 0)) {
        what = "sync";
        ok = false;
    }
    int e = errno;
    if (!(xs_notify_io_ok() && close(fd) == 0) && ok) {
        e = errno;
        what = "close";
        ok = false;
    }
    if (ok && !(xs_notify_io_ok() && renameat(dfd, tmp, dfd, name) == 0)) {
        e = errno;
        what = "rename";
        ok = false;
    }
    if (!ok) {
        snprintf(err, errlen, "cannot %s %s: %s", what, name, strerror(e));
        (void)unlinkat(dfd, tmp, 0);
    }
    return ok;
}

bool xs_notify_sync_dir(int dfd, char *err, size_t errlen)
{
    if (xs_notify_io_ok() && fsync(dfd) == 0)
        return true;
    snprintf(err, errlen, "cannot sync the folder: %s", strerror(errno));
    return false;
}

bool xs_notify_dir_ok(int dfd, const char *dir, struct stat *out, char *err, size_t errlen)
{
    struct stat st;
    if (fstat(dfd, &st) != 0) {
        snprintf(err, errlen, "cannot look at the folder %s: %s", dir, strerror(errno));
        return false;
    }
    if (st.st_uid != geteuid() || (st.st_mode & 022)) {
        snprintf(err, errlen,
                 "the folder %s is %s: the letters in it could be changed before they are "
                 "sent (use a folder of your own that only you can write)",
                 dir, st.st_uid != geteuid() ? "not yours" : "writable by others");
        errno = EACCES;
        return false;
    }
    if (out)
        *out = st;
    return true;
}
