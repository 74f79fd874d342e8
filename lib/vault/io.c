/* The vault's file operations: every write, fsync and rename goes through the fault hook. */
#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/limits.h"
#include "vault/internal.h"

int xs_vault_write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        if (!xs_vault_io_ok())
            return -1;
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

atomic_long xs_vault_fsyncs;

int xs_vault_fsync(int fd)
{
    if (!xs_vault_io_ok())
        return -1;
    atomic_fetch_add(&xs_vault_fsyncs, 1);
    return fsync(fd);
}

int xs_vault_renameat(int dfd, const char *from, int tdfd, const char *to)
{
    if (!xs_vault_io_ok())
        return -1;
    return renameat(dfd, from, tdfd, to);
}

static int rename_noreplace_once(int dfd, const char *from, const char *to)
{
    if (!xs_vault_io_ok())
        return -1;
    if (!xs_vault_no_renameat2 && renameat2(dfd, from, dfd, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (!xs_vault_no_renameat2 && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
        return -1;
    /* a filesystem without the flag (FUSE's ntfs-3g, SMB): a hard link fails on an existing
     * name as the flag would, then the old name goes. A stop between leaves both names on one
     * inode, which the recovery and restore finish. */
    if (linkat(dfd, from, dfd, to, 0) == 0) {
        if (unlinkat(dfd, from, 0) == 0)
            return 0;
        int e = errno;
        (void)unlinkat(dfd, to, 0); /* as it was */
        errno = e;
        return -1;
    }
    if (errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS && errno != EMLINK &&
        errno != EXDEV)
        return -1;
    /* no hard links either: look, then rename; the window between is ours alone unless
     * another process works in the same folder */
    struct stat st;
    if (fstatat(dfd, to, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        errno = EEXIST;
        return -1;
    }
    if (errno != ENOENT)
        return -1;
    return renameat(dfd, from, dfd, to);
}

static int unlink_once(int dfd, const char *name, const char *unused)
{
    (void)unused;
    if (!xs_vault_io_ok())
        return -1;
    return unlinkat(dfd, name, 0);
}

/* A file busy (EBUSY, ETXTBSY) is tried again, XS_VAULT_BUSY_TRIES times in all, after 10,
 * 20, 40 ... ms: on a share the handle of a file just closed is released after close returns
 * (FUSE's release, an SMB server's oplock break), and the server refuses to rename or remove
 * a file it holds open. */
static int busy_retried(int (*op)(int, const char *, const char *), int dfd, const char *a,
                        const char *b)
{
    long ms = 10;
    for (int t = 1;; t++, ms *= 2) {
        int r = op(dfd, a, b);
        if (r == 0 || (errno != EBUSY && errno != ETXTBSY) || t == XS_VAULT_BUSY_TRIES)
            return r;
        int e = errno;
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
            ;
        errno = e;
    }
}

int xs_vault_rename_noreplace(int dfd, const char *from, const char *to)
{
    return busy_retried(rename_noreplace_once, dfd, from, to);
}

int xs_vault_unlinkat(int dfd, const char *name)
{
    return busy_retried(unlink_once, dfd, name, NULL);
}

int64_t xs_vault_time_ns(const struct timespec *t)
{
    if (t->tv_sec > INT64_MAX / 1000000000 - 1 || t->tv_sec < INT64_MIN / 1000000000 + 1)
        return t->tv_sec > 0 ? INT64_MAX : INT64_MIN;
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

bool xs_vault_time_of(int64_t ns, struct timespec *t)
{
    if (ns == INT64_MAX || ns == INT64_MIN)
        return false;
    int64_t s = ns / 1000000000, r = ns % 1000000000;
    if (r < 0) { /* before 1970: the nanoseconds of a timespec are never negative */
        r += 1000000000;
        s--;
    }
    t->tv_sec = (time_t)s;
    t->tv_nsec = (long)r;
    return true;
}

const char *xs_vault_strerror(int e)
{
    static _Thread_local char buf[256];
    const char *advice = "";
    switch (e) {
    case ENOSPC: advice = ": the disk is full; free space, then run again"; break;
    case EDQUOT: advice = ": over the disk quota; free space, then run again"; break;
    case EROFS:
        advice = ": a read-only filesystem (a read-only mount or image); remount it read-write";
        break;
    case EACCES:
    case EPERM:
        advice = ": run as the files' owner or root; on NTFS or SMB a read-only attribute, an "
                 "ACL or the share's permissions may forbid it";
        break;
    case EBUSY:
    case ETXTBSY:
        advice = ": the file is locked or in use; stop what holds it (on a live server IIS's "
                 "w3wp), then run again";
        break;
    case EIO: advice = ": an I/O error of the device or share"; break;
    case ESTALE:
    case ENOTCONN:
    case EHOSTDOWN:
        advice = ": the share or mount went away; reconnect it, then run --resume";
        break;
    default: break;
    }
    snprintf(buf, sizeof buf, "%s%s", strerror(e), advice);
    return buf;
}

int xs_vault_fsync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir)
        return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return -1;
    int rc = xs_vault_fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

void xs_vault_hex(const unsigned char md[32], char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = 0;
}

int xs_vault_sha256_fd(int fd, char hex[65], uint64_t *size)
{
    return xs_vault_sha256_fd_max(fd, hex, size, XS_VAULT_MAX_ITEM);
}

int xs_vault_sha256_fd_max(int fd, char hex[65], uint64_t *size, uint64_t max)
{
    unsigned char buf[65536], md[32];
    unsigned mdlen = 0;
    uint64_t total = 0;
    int rc = -1;
    hex[0] = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) || lseek(fd, 0, SEEK_SET) < 0) {
        errno = errno ? errno : ENOMEM;
        goto out;
    }
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            goto out;
        if (r == 0)
            break;
        total += (uint64_t)r;
        if (total > max) {
            rc = -2;
            goto out;
        }
        if (!EVP_DigestUpdate(ctx, buf, (size_t)r)) {
            errno = ENOMEM;
            goto out;
        }
    }
    if (!EVP_DigestFinal_ex(ctx, md, &mdlen) || mdlen != 32) {
        errno = ENOMEM;
        goto out;
    }
    xs_vault_hex(md, hex);
    *size = total;
    rc = 0;
out:
    EVP_MD_CTX_free(ctx);
    return rc;
}

void xs_vault_utc_now(char out[40])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    char d[24];
    strftime(d, sizeof d, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 40, "%s.%09ldZ", d, (long)ts.tv_nsec);
}

int xs_vault_slurp(int dfd, const char *name, char **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        *out = calloc(1, 1);
        return *out ? 0 : -1;
    }
    if (fd < 0)
        return -1;
    struct stat st;
    char *buf = NULL;
    if (fstat(fd, &st) != 0)
        goto fail;
    if (!S_ISREG(st.st_mode)) {
        errno = EINVAL;
        goto fail;
    }
    if ((uint64_t)st.st_size > XS_VAULT_MAX_LOG) {
        errno = EFBIG;
        goto fail;
    }
    size_t cap = (size_t)st.st_size + 1, len = 0;
    if (!(buf = malloc(cap + 1)))
        goto fail;
    for (;;) {
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            goto fail;
        if (r == 0)
            break;
        len += (size_t)r;
        if (len == cap) { /* grew while read: read no more than the cap */
            errno = EFBIG;
            goto fail;
        }
    }
    buf[len] = 0;
    close(fd);
    *out = buf;
    *n = len;
    return 0;
fail:;
    int e = errno;
    free(buf);
    close(fd);
    errno = e;
    return -1;
}
