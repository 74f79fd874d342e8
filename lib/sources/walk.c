/* Read-only folder walk. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "core/limits.h"
#include "scan/scan_int.h"
#include "sources/classify.h"
#include "sources/input.h"
#include "sources/walk.h"

void xs_item_free(xs_item *it)
{
    if (!it)
        return;
    if (it->fd >= 0)
        close(it->fd);
    free(it->display);
    free(it->norm);
    free(it);
}

int xs_open_evidence(int dirfd, const char *name, int extra_flags)
{
    int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | extra_flags;
    int fd = openat(dirfd, name, flags | O_NOATIME);
    if (fd < 0 && errno == EPERM) /* O_NOATIME needs ownership or CAP_FOWNER */
        fd = openat(dirfd, name, flags);
    return fd;
}

typedef struct walker {
    struct exs_scan *s;
    const char *root_abs;
    uint32_t root;
    size_t prefix;
    xs_walk_fn fn;
    void *ctx;
    uint64_t files;
    bool stop;
    char rel[XS_MAX_PATH + 1];
} walker;

/* An error of the machine, not of the evidence: the sweep fails and the walk stops. */
static void walk_failed(walker *w, int err, const char *what, const char *path)
{
    xs_scan_fail(w->s, err == ENOMEM ? EXS_ENOMEM : EXS_EIO, "%s %s: %s", what,
                  path[0] ? path : ".", strerror(err));
    w->stop = true;
}

/* What cannot be read because of what it is is a warning; anything else fails the sweep. */
static void walk_error(walker *w, int err, xs_warn_kind k, const char *what, const char *path)
{
    if (xs_errno_is_evidence(err))
        xs_warn(w->s, k, path, 0, "%s: %s", what, strerror(err));
    else
        walk_failed(w, err, what, path);
}

/* Stats a file just opened for reading (fd: what the open returned, errno set when -1), once:
 * true when it is a regular file to read. Otherwise fd is closed and false returned: a failed
 * open or fstat is reported, a file no longer regular (replaced since its lstat) is warned
 * with the words of changed. */
static bool opened_regular(walker *w, int fd, const char *display, const char *changed,
                           struct stat *st)
{
    if (fd < 0) {
        walk_error(w, errno, XS_W_UNREADABLE, "cannot open", display);
        return false;
    }
    if (fstat(fd, st) != 0) {
        int err = errno;
        close(fd);
        walk_failed(w, err, "cannot stat the open file", display);
        return false;
    }
    if (!S_ISREG(st->st_mode)) {
        close(fd);
        xs_warn(w->s, XS_W_NOT_REGULAR, display, 0, "%s", changed);
        return false;
    }
    return true;
}

static bool emit(walker *w, int fd, const char *display, bool root_file, const struct stat *st)
{
    if (xs_scan_failed(w->s)) { /* no use reading more */
        close(fd);
        return false;
    }
    xs_item *it = calloc(1, sizeof *it);
    char *norm = malloc(XS_MAX_PATH * 2 + 2);
    char *full = malloc(XS_MAX_PATH * 2 + 2);
    if (!it || !norm || !full) {
        free(it);
        free(norm);
        free(full);
        close(fd);
        walk_failed(w, ENOMEM, "out of memory at", display);
        return false;
    }
    snprintf(full, XS_MAX_PATH * 2 + 2, "%s%s%s", w->root_abs, w->rel[0] ? "/" : "", w->rel);
    xs_path_norm(full, norm, XS_MAX_PATH * 2 + 2);
    free(full);
    it->fd = fd;
    it->display = strdup(display);
    it->norm = norm;
    it->root_file = root_file;
    it->root = w->root;
    it->prefix = root_file ? 0 : w->prefix;
    it->st = *st;
    if (!it->display) {
        xs_item_free(it);
        walk_failed(w, ENOMEM, "out of memory at", display);
        return false;
    }
    if (++w->files > XS_MAX_FILES) {
        xs_warn(w->s, XS_W_LIMIT, display, 0, "more than %llu files; walk stopped",
                 (unsigned long long)XS_MAX_FILES);
        xs_item_free(it);
        return false;
    }
    return w->fn(w->ctx, it);
}

static void walk_dir(walker *w, int dfd, size_t rel_len, const char *prefix, int depth)
{
    DIR *d = fdopendir(dfd);
    if (!d) {
        int err = errno;
        close(dfd);
        walk_error(w, err, XS_W_UNREADABLE, "cannot list folder", w->rel);
        return;
    }
    struct dirent *e;
    char display[XS_MAX_PATH * 2 + 2];
    while (!w->stop && (errno = 0, e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))
            continue;
        size_t nl = strlen(name);
        size_t need = rel_len + (rel_len ? 1 : 0) + nl;
        if (need > XS_MAX_PATH) {
            xs_warn(w->s, XS_W_PATH, w->rel, 0, "entry with a path over %d bytes skipped",
                     XS_MAX_PATH);
            continue;
        }
        size_t at = rel_len;
        if (rel_len)
            w->rel[at++] = '/';
        memcpy(w->rel + at, name, nl + 1);
        snprintf(display, sizeof display, "%s%s", prefix, w->rel);

        struct stat st;
        if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            walk_error(w, errno, XS_W_UNREADABLE, "cannot stat", display);
        } else if (S_ISLNK(st.st_mode)) {
            xs_warn(w->s, XS_W_SYMLINK, display, 0, "symbolic link not followed");
        } else if (S_ISDIR(st.st_mode)) {
            if (depth + 1 > XS_MAX_DEPTH) {
                xs_warn(w->s, XS_W_DEPTH, display, 0, "folder deeper than %d levels skipped",
                         XS_MAX_DEPTH);
            } else {
                int sub = xs_open_evidence(dirfd(d), name, O_DIRECTORY);
                if (sub < 0)
                    walk_error(w, errno, XS_W_UNREADABLE, "cannot open folder", display);
                else
                    walk_dir(w, sub, at + nl, prefix, depth + 1);
            }
        } else if (S_ISREG(st.st_mode)) {
            int fd = xs_open_evidence(dirfd(d), name, 0);
            struct stat fst;
            if (opened_regular(w, fd, display, "changed while walking; skipped", &fst) &&
                !emit(w, fd, display, false, &fst))
                w->stop = true;
        } else {
            xs_warn(w->s, XS_W_NOT_REGULAR, display, 0, "not a regular file; not read");
        }
        w->rel[rel_len] = 0;
    }
    if (errno && !w->stop)
        walk_error(w, errno, XS_W_UNREADABLE, "folder listing failed", w->rel);
    closedir(d);
}

#define XS_FUSE_SUPER_MAGIC 0x65735546
#define XS_CIFS_SUPER_MAGIC 0xFF534D42
#define XS_SMB2_SUPER_MAGIC 0xFE534D42
#define XS_SMB_SUPER_MAGIC 0x517B

const char *xs_atime_risk(long long f_type, unsigned long f_flag)
{
    if (f_type == XS_CIFS_SUPER_MAGIC || f_type == XS_SMB2_SUPER_MAGIC ||
        f_type == XS_SMB_SUPER_MAGIC)
        return "an SMB share: the server's filesystem moves access times when files are read "
               "(unless it is mounted noatime there), which no client mount option stops; "
               "sweep a copy or an image of it to keep them";
    if (f_type == XS_FUSE_SUPER_MAGIC && !(f_flag & (ST_RDONLY | ST_NOATIME)))
        return "a read-write FUSE mount (ntfs-3g?): its filesystem moves access times when "
               "files are read, which exsweep cannot stop; mount it read-only (-o ro) to sweep, "
               "or with -o noatime to quarantine, to keep them";
    return NULL;
}

/* Said once for the root, so the responder can remount; the sweep goes on. */
static void atime_check(walker *w, int fd, const char *root)
{
    struct statfs fs;
    struct statvfs vs;
    if (fstatfs(fd, &fs) != 0 || fstatvfs(fd, &vs) != 0)
        return;
    const char *why = xs_atime_risk((long long)(unsigned long)fs.f_type, vs.f_flag);
    if (why)
        xs_warn(w->s, XS_W_ATIME, root, 0, "%s", why);
}

bool xs_walk_root(struct exs_scan *s, uint32_t root_index, const char *root,
                   const char *root_abs, const char *display_prefix, xs_walk_fn fn, void *ctx)
{
    walker *w = calloc(1, sizeof *w);
    if (!w) {
        xs_scan_fail(s, EXS_ENOMEM, "out of memory walking %s", root);
        return false;
    }
    w->s = s;
    w->root = root_index;
    w->prefix = strlen(display_prefix);
    w->root_abs = root_abs;
    w->fn = fn;
    w->ctx = ctx;
    struct stat st;
    bool ok = false;
    /* The root itself may be a symlink the user chose; entries under it are never followed. */
    if (stat(root, &st) != 0) {
        walk_error(w, errno, XS_W_UNREADABLE, "cannot stat", root);
    } else if (S_ISDIR(st.st_mode)) {
        /* Not xs_open_evidence: the root may be a symlink the user chose. O_NOATIME all
         * the same, or listing the root would update its access time. */
        int flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK;
        int fd = open(root, flags | O_NOATIME);
        if (fd < 0 && errno == EPERM)
            fd = open(root, flags);
        if (fd >= 0) {
            atime_check(w, fd, root);
            walk_dir(w, fd, 0, display_prefix, 0);
            ok = true;
        } else {
            walk_error(w, errno, XS_W_UNREADABLE, "cannot open folder", root);
        }
    } else if (S_ISREG(st.st_mode)) {
        /* O_NONBLOCK: a root swapped for a FIFO since the stat must not block the open. */
        int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
        int fd = open(root, flags | O_NOATIME);
        if (fd < 0 && errno == EPERM)
            fd = open(root, flags);
        struct stat fst;
        if (opened_regular(w, fd, root, "changed while opened; not read", &fst)) {
            const char *base = strrchr(root, '/');
            base = base && base[1] ? base + 1 : root;
            /* A file root is shown by its name, whatever the prefix. */
            emit(w, fd, base, true, &fst);
            ok = true;
        }
    } else {
        xs_warn(s, XS_W_NOT_REGULAR, root, 0, "not a folder or regular file");
    }
    free(w);
    return ok;
}
