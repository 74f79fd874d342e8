/* The steps of an item's sequence that act on one item (batch.c takes a batch of items
 * through the sequence, each step for all of them then one sync): the folder of an original
 * opened without following a symlink, the journal and manifest lines of an item, the removal of
 * the original (step 7), the rollback. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/memstream.h"
#include "exsweep/exsweep.h"
#include "vault/internal.h"
#include "vault/item.h"

int xs_vault_open_parent(const char *root_path, const char *path, const char **base)
{
    struct stat st;
    if (stat(root_path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) { /* the root is the file */
        const char *slash = strrchr(root_path, '/');
        *base = slash ? slash + 1 : root_path;
        char *dir = slash ? strndup(root_path, slash == root_path ? 1 : (size_t)(slash - root_path))
                          : strdup(".");
        if (!dir)
            return -1;
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        free(dir);
        return fd;
    }
    int fd = open(root_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const char *p = path;
    while (fd >= 0) {
        const char *slash = strchr(p, '/');
        if (!slash) {
            *base = p;
            if (!*p || strcmp(p, ".") == 0 || strcmp(p, "..") == 0) {
                close(fd);
                errno = EINVAL;
                return -1;
            }
            return fd;
        }
        char part[NAME_MAX + 1];
        size_t l = (size_t)(slash - p);
        if (l == 0 || l > NAME_MAX || (l == 2 && p[0] == '.' && p[1] == '.')) {
            close(fd);
            errno = EINVAL;
            return -1;
        }
        memcpy(part, p, l);
        part[l] = 0;
        int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(fd);
        fd = next;
        p = slash + 1;
    }
    return -1;
}

int xs_vault_journal_step(exs_vault *v, const xs_item *it, const char *step)
{
    char body[256];
    int l = snprintf(body, sizeof body, "\"step\":\"%s\",\"item\":\"%s\",\"encryption\":\"%s\"",
                     step, it->id, it->enc);
    return xs_vault_journal_append(v, body, (size_t)l);
}

int xs_vault_manifest_body(exs_vault *v, const xs_item *it, const char *action, char **out,
                           size_t *len)
{
    char *body = NULL, tm[40], host[256] = "";
    size_t n = 0;
    FILE *f = xs_memopen(&body, &n);
    if (!f) {
        snprintf(v->err, sizeof v->err, "out of memory");
        return -1;
    }
    struct passwd *pw = getpwuid(geteuid());
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = 0;
    xs_vault_utc_now(tm);
    xs_vault_jstr(f, "item", it->id, false);
    xs_vault_jstr(f, "action", action, true);
    xs_vault_jstr(f, "root", it->root, true);
    xs_vault_jstr(f, "root_path", it->root_path, true);
    xs_vault_jstr(f, "path", it->path, true);
    fprintf(f, ",\"size\":%llu", (unsigned long long)it->size);
    xs_vault_jstr(f, "sha256", it->sha256, true);
    fprintf(f, ",\"mtime_ns\":%lld,\"atime_ns\":%lld,\"mode\":%u,\"uid\":%u,\"gid\":%u",
            (long long)it->mtime_ns, (long long)it->atime_ns, it->mode, it->uid, it->gid);
    xs_vault_jstr(f, "findings", it->findings, true);
    xs_vault_jstr(f, "rules", it->rules, true);
    xs_vault_jstr(f, "user", pw ? pw->pw_name : "", true);
    fprintf(f, ",\"uid_operator\":%u", (unsigned)geteuid());
    xs_vault_jstr(f, "host", host, true);
    xs_vault_jstr(f, "time", tm, true);
    xs_vault_jstr(f, "version", exs_version(), true);
    xs_vault_jstr(f, "zip", it->zip, true);
    xs_vault_jstr(f, "encryption", it->enc, true);
    if (xs_memclose(f, &body) != 0) {
        free(body);
        snprintf(v->err, sizeof v->err, "out of memory");
        return -1;
    }
    *out = body;
    *len = n;
    return 0;
}

int xs_vault_manifest_item(exs_vault *v, const xs_item *it, const char *action)
{
    char *body;
    size_t n;
    if (xs_vault_manifest_body(v, it, action, &body, &n) != 0)
        return -1;
    int rc = xs_vault_manifest_append(v, body, n);
    free(body);
    return rc;
}

bool xs_vault_manifest_has(exs_vault *v, const char *id, const char *action)
{
    const exs_vault_entry *e;
    size_t n;
    if (exs_vault_entries(v, &e, &n) != EXS_OK)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].item, id) == 0 && strcmp(e[i].action, action) == 0)
            return true;
    return false;
}

/* The original, if it is still the file of the intent: 1 same, 0 gone, 2 changed, -1 error. */
static int original_state(const xs_item *it, int dfd, const char *base)
{
    struct stat st;
    if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISREG(st.st_mode) || st.st_dev != it->dev || st.st_ino != it->ino ||
        (uint64_t)st.st_size != it->size)
        return 2;
    /* O_NONBLOCK: a FIFO swapped in at the name cannot hang the run; the fd must be the file
     * the name showed */
    int fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOATIME | O_NONBLOCK);
    if (fd < 0 && errno == EPERM)
        fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    /* the link count from the filesystem itself (AT_STATX_FORCE_SYNC): FUSE (ntfs-3g) and
     * network mounts cache attributes, and a name just unlinked would still count */
    struct statx sx;
    if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_FORCE_SYNC, STATX_TYPE | STATX_INO | STATX_NLINK,
              &sx) != 0 || !S_ISREG(sx.stx_mode) ||
        makedev(sx.stx_dev_major, sx.stx_dev_minor) != it->dev || sx.stx_ino != it->ino ||
        sx.stx_nlink != 1) {
        close(fd);
        return 2;
    }
    char hex[65];
    uint64_t size;
    int r = xs_vault_sha256_fd(fd, hex, &size);
    close(fd);
    if (r != 0)
        return -1;
    return strcmp(hex, it->sha256) == 0 && size == it->size ? 1 : 2;
}

/* Puts the private name back at the original name (never over another file). 0 when it is
 * back; -1 with v->err saying why (what, the reason) and where the file is now. */
static int put_back(exs_vault *v, const xs_item *it, int dfd, const char *base, const char *priv,
                    const char *what)
{
    int r = xs_vault_rename_noreplace(dfd, priv, base);
    int e = errno;
    if (r == 0 && xs_vault_fsync(dfd) == 0)
        return 0;
    if (r == 0)
        e = errno;
    struct stat st;
    bool at_priv = fstatat(dfd, priv, &st, AT_SYMLINK_NOFOLLOW) == 0;
    snprintf(v->err, sizeof v->err,
             at_priv ? "item %s: %s; it cannot go back to its name %.300s (%s): it is kept in its "
                       "folder as %s; resolve by hand"
                     : "item %s: %s; it is back at its name %.300s, but its folder could not be "
                       "synced (%s)%.0s; it is left in place",
             it->id, what, it->path, xs_vault_strerror(e), priv);
    return -1;
}

int xs_vault_remove_original(exs_vault *v, xs_item *it, int dfd, int dfd_errno,
                             const char *base, bool sync)
{
    char priv[sizeof XS_VAULT_PRIVATE + EXS_VAULT_ID_LEN];
    snprintf(priv, sizeof priv, "%s%s", XS_VAULT_PRIVATE, it->id);
    char hex[65] = "", err[512];
    uint64_t size;
    if (dfd < 0) {
        if (dfd_errno == ENOENT)
            return 1;
        snprintf(v->err, sizeof v->err,
                 "item %s: cannot open the folder of %.300s to remove it: %s; it is left in place",
                 it->id, it->path, xs_vault_strerror(dfd_errno));
        return -1;
    }
    /* Nothing is removed unless its bytes are in the vault, whatever name it has now: a zip
     * lost or damaged since step 4, or a journal edited to name another file, removes
     * nothing. An item of this run was read back at step 4 by this process, which holds the
     * vault's lock (the vault is owner-only): read again only what an earlier run left. */
    if (!it->fresh && (xs_vault_zip_read(v->dfd, it->zip, hex, &size, -1, err, sizeof err) != 0 ||
                       strcmp(hex, it->sha256) != 0 || size != it->size)) {
        struct stat ps;
        bool at_priv = fstatat(dfd, priv, &ps, AT_SYMLINK_NOFOLLOW) == 0;
        snprintf(v->err, sizeof v->err, "item %s: its zip is not the file (%s); %.300s is %s%s",
                 it->id, hex[0] ? "another SHA-256" : err, it->path,
                 at_priv ? "kept in its folder as " : "left in place", at_priv ? priv : "");
        return -1;
    }
    struct stat bs, ps;
    bool has_base = fstatat(dfd, base, &bs, AT_SYMLINK_NOFOLLOW) == 0;
    int base_errno = errno;
    bool has_priv = fstatat(dfd, priv, &ps, AT_SYMLINK_NOFOLLOW) == 0;
    if (!has_priv && errno != ENOENT) {
        snprintf(v->err, sizeof v->err, "item %s: cannot check %.300s before removing it: %s; it "
                 "is left in place", it->id, it->path, xs_vault_strerror(errno));
        return -1;
    }
    if (has_priv && has_base && bs.st_dev == ps.st_dev && bs.st_ino == ps.st_ino) {
        /* a rename done as a link then an unlink (xs_vault_rename_noreplace on a filesystem
         * without RENAME_NOREPLACE) stopped between the two: finish it */
        if (xs_vault_unlinkat(dfd, base) != 0) {
            snprintf(v->err, sizeof v->err, "item %s: cannot remove %.300s: %s; it is left in "
                     "place (also named %s)", it->id, it->path, xs_vault_strerror(errno), priv);
            return -1;
        }
        has_base = false;
    }
    int p;
    if (has_priv) {
        p = original_state(it, dfd, priv); /* a run that stopped after the rename */
    } else {
        if (!has_base) {
            if (base_errno == ENOENT)
                return 1; /* gone: its bytes are in the vault */
            snprintf(v->err, sizeof v->err, "item %s: cannot check %.300s before removing it: "
                     "%s; it is left in place", it->id, it->path, xs_vault_strerror(base_errno));
            return -1;
        }
        if (!S_ISREG(bs.st_mode) || bs.st_dev != it->dev || bs.st_ino != it->ino ||
            (uint64_t)bs.st_size != it->size)
            return 2;
        if (xs_vault_before_rename)
            xs_vault_before_rename(dfd, base); /* tests: another process swaps the file here */
        if (xs_vault_rename_noreplace(dfd, base, priv) != 0) {
            snprintf(v->err, sizeof v->err, "item %s: cannot remove %.300s: %s; it is left in "
                     "place", it->id, it->path, xs_vault_strerror(errno));
            return -1;
        }
        xs_vault_step(); /* a stop here leaves the private name (counted as a step: tested) */
        p = original_state(it, dfd, priv);
    }
    if (p == 0)
        return 1; /* gone meanwhile: its bytes are in the vault */
    if (p == 2)
        return put_back(v, it, dfd, base, priv, "it changed since it was copied") == 0 ? 2 : -1;
    if (p < 0) {
        char what[400];
        snprintf(what, sizeof what, "cannot check %.300s before removing it: %s", it->path,
                 xs_vault_strerror(errno));
        if (put_back(v, it, dfd, base, priv, what) != 0)
            return -1;
        snprintf(v->err, sizeof v->err, "item %s: %s; it is left in place", it->id, what);
        return -1;
    }
    if (xs_vault_unlinkat(dfd, priv) != 0) {
        char what[400];
        snprintf(what, sizeof what, "cannot remove %.300s: %s", it->path, xs_vault_strerror(errno));
        if (put_back(v, it, dfd, base, priv, what) != 0)
            return -1;
        snprintf(v->err, sizeof v->err, "item %s: %s; it is left in place", it->id, what);
        return -1;
    }
    it->removed = true;
    if (sync && xs_vault_fsync(dfd) != 0) {
        xs_vault_unsynced(v, it, errno);
        return -1;
    }
    return 1;
}

void xs_vault_unsynced(exs_vault *v, const xs_item *it, int e)
{
    snprintf(v->err, sizeof v->err,
             "item %s: %.300s is removed (its bytes are in the vault) but its folder could not "
             "be synced: %s; the next opening of the vault finishes the item", it->id, it->path,
             xs_vault_strerror(e));
}

int xs_vault_rollback(exs_vault *v, xs_item *it)
{
    char tmp[EXS_VAULT_ID_LEN + 16];
    snprintf(tmp, sizeof tmp, "%s.tmp", it->zip);
    if ((unlinkat(v->dfd, tmp, 0) != 0 && errno != ENOENT) ||
        (unlinkat(v->dfd, it->zip, 0) != 0 && errno != ENOENT) || xs_vault_fsync(v->dfd) != 0) {
        snprintf(v->err, sizeof v->err, "item %s: cannot remove its partial zip: %s", it->id,
                 xs_vault_strerror(errno));
        return -1;
    }
    if (xs_vault_journal_step(v, it, "rolledback") != 0)
        return -1;
    it->state = XS_ITEM_ROLLEDBACK;
    return 0;
}
