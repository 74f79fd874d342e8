/* Restore and verification: an item's member put back where it was, and every member and
 * the manifest's chain checked. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/memstream.h"
#include "core/escape.h"
#include "vault/internal.h"
#include "vault/item.h"

/* The vault's item zips that no quarantine entry names: a manifest cut short (the hash chain
 * cannot show it) or an unfinished item. Each is one problem. */
static exs_rc orphans(exs_vault *v, const exs_vault_entry *e, size_t n, FILE *report,
                      size_t *bad)
{
    int fd = openat(v->dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        snprintf(v->err, sizeof v->err, "cannot list the vault: %s", xs_vault_strerror(errno));
        return EXS_EIO;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *nm = de->d_name;
        size_t l = strlen(nm);
        if (l != EXS_VAULT_ID_LEN + 3 || strcmp(nm + l - 4, ".zip") != 0 ||
            strspn(nm, "0123456789abcdef") != EXS_VAULT_ID_LEN - 1)
            continue;
        bool named = false;
        for (size_t i = 0; i < n && !named; i++)
            named = strcmp(e[i].action, "quarantine") == 0 && strcmp(e[i].zip, nm) == 0;
        if (!named) {
            fprintf(report, "%s: no manifest entry names this zip (the manifest was cut short, "
                            "or its item is unfinished: see the journal)\n", nm);
            (*bad)++;
        }
    }
    closedir(d);
    return EXS_OK;
}

exs_rc exs_vault_verify(exs_vault *v, FILE *report, size_t *bad)
{
    const exs_vault_entry *e;
    size_t n;
    *bad = 0;
    exs_rc rc = exs_vault_entries(v, &e, &n);
    if (rc == EXS_EFORMAT) {
        xs_esc_term(report, v->err, strlen(v->err), 0);
        fputc('\n', report);
        (*bad)++;
        return EXS_OK;
    }
    if (rc != EXS_OK)
        return rc;
    if (v->chain_broken) {
        fprintf(report,
                "manifest line %llu: the hash chain is broken (a line was edited, removed or "
                "inserted)\n",
                (unsigned long long)v->chain_broken);
        (*bad)++;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(e[i].action, "quarantine") != 0)
            continue;
        char hex[65], err[512];
        uint64_t size;
        if (strlen(e[i].zip) != EXS_VAULT_ID_LEN + 3 || strchr(e[i].zip, '/')) {
            fprintf(report, "item %s: the manifest names no zip of the vault\n", e[i].item);
            (*bad)++;
        } else if (xs_vault_zip_read(v->dfd, e[i].zip, hex, &size, -1, err, sizeof err) != 0) {
            fprintf(report, "item %s: ", e[i].item); /* libarchive's words may quote the zip */
            xs_esc_term(report, err, strlen(err), 0);
            fputc('\n', report);
            (*bad)++;
        } else if (strcmp(hex, e[i].sha256) != 0 || size != e[i].size) {
            fprintf(report, "item %s: %s holds bytes whose SHA-256 is %s, not the manifest's %s\n",
                    e[i].item, e[i].zip, hex, e[i].sha256);
            (*bad)++;
        }
    }
    return orphans(v, e, n, report, bad);
}

static int restore_entry(exs_vault *v, const exs_vault_entry *e, const char *action)
{
    xs_item it;
    memset(&it, 0, sizeof it);
    snprintf(it.id, sizeof it.id, "%s", e->item);
    snprintf(it.zip, sizeof it.zip, "%s", e->zip);
    snprintf(it.enc, sizeof it.enc, "%s", e->encryption);
    it.root_path = (char *)e->root_path;
    it.root = (char *)e->root;
    it.path = (char *)e->path;
    it.sha256 = (char *)e->sha256;
    it.findings = (char *)e->findings;
    it.rules = (char *)e->rules;
    it.size = e->size;
    it.mtime_ns = e->mtime_ns;
    it.atime_ns = e->atime_ns;
    it.mode = e->mode;
    it.uid = e->uid;
    it.gid = e->gid;
    return xs_vault_manifest_item(v, &it, action);
}

/* A manifest entry copied with its strings (keep[], freed by entry_copy_free): the entries
 * are read again by each append. 0, or -1 out of memory (keep freed by the caller still). */
enum { ENTRY_STRINGS = 9 };
static int entry_copy(const exs_vault_entry *q, exs_vault_entry *e, char *keep[ENTRY_STRINGS])
{
    *e = *q;
    const char *from[ENTRY_STRINGS] = {q->item, q->root_path, q->root, q->path, q->sha256,
                                       q->zip, q->encryption, q->findings, q->rules};
    int rc = 0;
    for (size_t i = 0; i < ENTRY_STRINGS; i++)
        if (!(keep[i] = strdup(from[i] ? from[i] : "")))
            rc = -1;
    e->item = keep[0], e->root_path = keep[1], e->root = keep[2], e->path = keep[3];
    e->sha256 = keep[4], e->zip = keep[5], e->encryption = keep[6], e->findings = keep[7];
    e->rules = keep[8];
    return rc;
}

static void entry_copy_free(char *keep[ENTRY_STRINGS])
{
    for (size_t i = 0; i < ENTRY_STRINGS; i++)
        free(keep[i]);
}

/* {"step":"restoring", the item, where it goes, its SHA-256 and size} or {"step":"restored"}
 * appended to the journal and synced. */
static int journal_restore(exs_vault *v, const exs_vault_entry *e, bool begin)
{
    char *body = NULL;
    size_t n = 0;
    FILE *f = xs_memopen(&body, &n);
    if (!f) {
        snprintf(v->err, sizeof v->err, "out of memory");
        return -1;
    }
    fprintf(f, "\"step\":\"%s\",\"item\":\"%s\"", begin ? "restoring" : "restored", e->item);
    if (begin) {
        xs_vault_jstr(f, "root_path", e->root_path, true);
        xs_vault_jstr(f, "path", e->path, true);
        fprintf(f, ",\"sha256\":\"%s\",\"size\":%llu", e->sha256, (unsigned long long)e->size);
    }
    if (xs_memclose(f, &body) != 0) {
        free(body);
        snprintf(v->err, sizeof v->err, "out of memory");
        return -1;
    }
    int rc = xs_vault_journal_append(v, body, n);
    free(body);
    return rc;
}

/* The file at dfd/base, if it is the restored one: a regular file with the entry's size and
 * SHA-256 and its modification time (within 2 s: what FAT and SMB through FUSE keep). Read
 * with O_NOATIME, so that the access time a restore set stays. */
static bool is_restored(int dfd, const char *base, const exs_vault_entry *q)
{
    int f = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOATIME);
    if (f < 0 && errno == EPERM)
        f = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (f < 0)
        return false;
    struct stat st;
    char hex[65];
    uint64_t size;
    int64_t dm = 0;
    bool ok = fstat(f, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size == q->size;
    if (ok) {
        dm = xs_vault_time_ns(&st.st_mtim) - q->mtime_ns;
        ok = dm < 2000000000LL && dm > -2000000000LL && xs_vault_sha256_fd(f, hex, &size) == 0 &&
             strcmp(hex, q->sha256) == 0 && size == q->size;
    }
    close(f);
    return ok;
}

int xs_vault_restore_recover(exs_vault *v, xs_item *r)
{
    exs_vault_entry e;
    memset(&e, 0, sizeof e);
    e.item = r->id;
    char tmp[64];
    snprintf(tmp, sizeof tmp, ".exsweep-restore-%s", r->id);
    /* only what the manifest says is trusted: the journal line must name the item's own place
     * and bytes, or it was altered and nothing is done */
    const exs_vault_entry *ents;
    size_t n;
    if (exs_vault_entries(v, &ents, &n) != EXS_OK || v->chain_broken) {
        snprintf(v->err, sizeof v->err, "the restore of item %s: the manifest cannot be read or "
                 "its chain is broken, so the restore is not finished; its temporary file %s may "
                 "be left beside it", r->id, tmp);
        return -1;
    }
    const exs_vault_entry *q = NULL;
    bool restored = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ents[i].item, r->id) != 0)
            continue;
        if (strcmp(ents[i].action, "quarantine") == 0)
            q = &ents[i], restored = false;
        else if (strcmp(ents[i].action, "restore") == 0)
            restored = true;
    }
    if (!q || strcmp(q->root_path, r->root_path) != 0 || strcmp(q->path, r->path) != 0 ||
        strcmp(q->sha256, r->sha256) != 0 || q->size != r->size) {
        snprintf(v->err, sizeof v->err, "the journal's restore of item %s names %s: the vault "
                 "was altered; nothing done, resolve by hand", r->id,
                 q ? "another place or other bytes than the manifest's" : "no quarantined item");
        return -1;
    }
    exs_vault_entry copy;
    char *keep[ENTRY_STRINGS];
    if (entry_copy(q, &copy, keep) != 0) {
        entry_copy_free(keep);
        snprintf(v->err, sizeof v->err, "out of memory");
        return -1;
    }
    const char *base;
    int rc = -1, dfd = xs_vault_open_parent(copy.root_path, copy.path, &base);
    if (dfd < 0 && errno != ENOENT) {
        snprintf(v->err, sizeof v->err, "the restore of item %s: the folder of %.300s cannot be "
                 "opened: %s; its temporary file %s may be left there", r->id, copy.path,
                 xs_vault_strerror(errno), tmp);
        goto out;
    }
    if (dfd >= 0) {
        if ((unlinkat(dfd, tmp, 0) != 0 && errno != ENOENT) || xs_vault_fsync(dfd) != 0) {
            snprintf(v->err, sizeof v->err, "the restore of item %s: cannot remove its "
                     "temporary file %s beside %.300s: %s", r->id, tmp, copy.path,
                     xs_vault_strerror(errno));
            close(dfd);
            goto out;
        }
        /* in place with its bytes and times and not recorded yet: a stop after the rename */
        bool there = is_restored(dfd, base, &copy);
        close(dfd);
        if (there && !restored && restore_entry(v, &copy, "restore") != 0)
            goto out;
    }
    if (journal_restore(v, &e, false) != 0)
        goto out;
    r->state = XS_ITEM_DONE;
    rc = 0;
out:
    entry_copy_free(keep);
    return rc;
}

exs_rc exs_vault_restore(exs_vault *v, const char *id)
{
    v->err[0] = 0;
    const exs_vault_entry *ents;
    size_t n;
    exs_rc rc = exs_vault_entries(v, &ents, &n);
    if (rc != EXS_OK)
        return rc;
    if (v->chain_broken) { /* an altered manifest names nothing a restore may trust */
        snprintf(v->err, sizeof v->err,
                 "manifest line %llu: the hash chain is broken (a line was edited, removed or "
                 "inserted): nothing restored; 'exsweep vault verify' says more",
                 (unsigned long long)v->chain_broken);
        return EXS_EFORMAT;
    }
    const exs_vault_entry *q = NULL;
    bool restored = false;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ents[i].item, id) != 0)
            continue;
        if (strcmp(ents[i].action, "quarantine") == 0)
            q = &ents[i], restored = false;
        else if (strcmp(ents[i].action, "restore") == 0)
            restored = true;
    }
    if (!q) {
        snprintf(v->err, sizeof v->err, "no quarantined item has the id %s", id);
        return EXS_ENOENT;
    }
    if (strlen(q->zip) != EXS_VAULT_ID_LEN + 3 || strchr(q->zip, '/') || strlen(q->sha256) != 64) {
        snprintf(v->err, sizeof v->err, "item %s: the manifest entry is damaged", id);
        return EXS_EFORMAT;
    }
    /* a restore is recorded: refused, before anything is written, only at the caps (the
     * last XS_VAULT_FULL_RESERVE of them quarantine leaves for restores) */
    if (!xs_vault_manifest_room(v, 1, strlen(q->path) + strlen(q->root_path) +
                                          strlen(q->findings) + strlen(q->rules) + 1024,
                                false)) {
        snprintf(v->err, sizeof v->err, "item %s: the manifest is at what one vault may hold "
                 "(XS_VAULT_MAX_ENTRIES, XS_VAULT_MAX_LOG), so the restore could not be "
                 "recorded: nothing restored ('vault export' copies the zip out; 7z x "
                 "-pinfected opens it)", id);
        return EXS_ELIMIT;
    }
    /* copy what is needed: the entries are re-read by the append */
    exs_vault_entry e;
    char *keep[ENTRY_STRINGS];
    if (entry_copy(q, &e, keep) != 0) {
        rc = EXS_ENOMEM;
        goto out;
    }
    rc = EXS_EIO;
    bool journaled = false;
    const char *base;
    char tmp[64], hex[65], err[512];
    uint64_t size;
    int dfd = xs_vault_open_parent(e.root_path, e.path, &base), fd = -1;
    if (dfd < 0) {
        snprintf(v->err, sizeof v->err, "item %s: the folder of %s cannot be opened: %s", id,
                 e.path, xs_vault_strerror(errno));
        goto out;
    }
    struct stat st;
    snprintf(tmp, sizeof tmp, ".exsweep-restore-%s", id);
    if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        /* something is there: the same bytes (a restore that stopped before its record), or
         * another file, never overwritten */
        int same = 0;
        if (S_ISREG(st.st_mode) && (uint64_t)st.st_size == e.size) {
            int f = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOATIME);
            if (f < 0 && errno == EPERM)
                f = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
            if (f >= 0 && xs_vault_sha256_fd(f, hex, &size) == 0 && strcmp(hex, e.sha256) == 0)
                same = 1;
            if (f >= 0)
                close(f);
        }
        if (!same) {
            snprintf(v->err, sizeof v->err,
                     "item %s: another file is at %s: not overwritten, nothing restored", id,
                     e.path);
            rc = EXS_EEVIDENCE;
            goto close;
        }
        /* a restore that stopped after its link (xs_vault_rename_noreplace without the flag)
         * leaves its temporary name too */
        (void)unlinkat(dfd, tmp, 0);
        rc = restored || restore_entry(v, &e, "restore") == 0 ? EXS_OK : EXS_EIO;
        goto close;
    } else if (errno != ENOENT) {
        snprintf(v->err, sizeof v->err, "item %s: cannot check %s: %s", id, e.path,
                 xs_vault_strerror(errno));
        goto close;
    }
    /* begun in the journal: a run that stops from here leaves a temporary file in the
     * evidence's folder, which the next opening removes (xs_vault_restore_recover) */
    if (journal_restore(v, &e, true) != 0)
        goto close;
    xs_vault_step();
    journaled = true;
    (void)unlinkat(dfd, tmp, 0); /* a restore that stopped before its rename */
    fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(v->err, sizeof v->err, "item %s: cannot create a file beside %s: %s", id,
                 e.path, xs_vault_strerror(errno));
        goto close;
    }
    if (xs_vault_zip_read(v->dfd, e.zip, hex, &size, fd, err, sizeof err) != 0) {
        snprintf(v->err, sizeof v->err, "item %s: %s", id, err);
        goto unlink;
    }
    if (strcmp(hex, e.sha256) != 0 || size != e.size) {
        snprintf(v->err, sizeof v->err,
                 "item %s: the member's SHA-256 is not the manifest's: nothing restored", id);
        rc = EXS_EFORMAT;
        goto unlink;
    }
    /* what could not be set back is said (exs_vault_error after EXS_OK), not failed: the bytes
     * are what matters, and a mount may not keep owners (ntfs-3g, SMB) */
    char note[256] = "";
    if (geteuid() == 0 && fchown(fd, e.uid, e.gid) != 0)
        snprintf(note, sizeof note, "its owner %u:%u could not be set back (%s)", e.uid, e.gid,
                 strerror(errno));
    struct timespec ts[2];
    bool ta = xs_vault_time_of(e.atime_ns, &ts[0]), tm = xs_vault_time_of(e.mtime_ns, &ts[1]);
    if (!ta)
        ts[0].tv_nsec = UTIME_OMIT;
    if (!tm)
        ts[1].tv_nsec = UTIME_OMIT;
    if (!ta || !tm)
        snprintf(note + strlen(note), sizeof note - strlen(note), "%sa time out of range (past "
                 "2262 or before 1678) was not set back", note[0] ? "; " : "");
    if (fchmod(fd, e.mode & 07777) != 0 || futimens(fd, ts) != 0 || xs_vault_fsync(fd) != 0) {
        snprintf(v->err, sizeof v->err, "item %s: cannot set the restored file's mode and "
                 "times or sync it: %s", id, xs_vault_strerror(errno));
        goto unlink;
    }
    if (close(fd) != 0) {
        fd = -1;
        snprintf(v->err, sizeof v->err, "item %s: cannot write the restored file: %s", id,
                 xs_vault_strerror(errno));
        goto unlink;
    }
    fd = -1;
    xs_vault_step();
    /* in place without overwriting: a file that appeared meanwhile stays */
    if (xs_vault_rename_noreplace(dfd, tmp, base) != 0) {
        snprintf(v->err, sizeof v->err, "item %s: cannot put %s in place: %s", id, e.path,
                 xs_vault_strerror(errno));
        goto unlink;
    }
    /* the times once more by name, now that the file is closed: through a share (smbnetfs,
     * an SMB server) the handle that wrote is closed after close() returns and the server
     * stamps that moment, over what futimens set (found by the vault-smb case); one set after
     * the close holds. On a local filesystem it sets what is already there. */
    if ((ta || tm) && utimensat(dfd, base, ts, AT_SYMLINK_NOFOLLOW) != 0)
        snprintf(note + strlen(note), sizeof note - strlen(note), "%sits times could not be "
                 "set again after it was closed (%s)", note[0] ? "; " : "", strerror(errno));
    if (xs_vault_fsync(dfd) != 0) {
        snprintf(v->err, sizeof v->err, "item %s: cannot sync the folder of %s: %s", id, e.path,
                 xs_vault_strerror(errno));
        goto close;
    }
    xs_vault_step();
    if (restore_entry(v, &e, "restore") != 0)
        goto close;
    xs_vault_step();
    rc = EXS_OK;
    if (journal_restore(v, &e, false) != 0) {
        rc = EXS_EIO; /* restored and recorded; the next opening ends it in the journal */
        goto close;
    }
    journaled = false;
    xs_vault_step();
    if (note[0])
        snprintf(v->err, sizeof v->err, "item %s: restored, but %s", id, note);
    goto close;
unlink:
    if (fd >= 0)
        close(fd);
    fd = -1;
    /* nothing of it is left: its end journaled too (else the next opening does it) */
    if (unlinkat(dfd, tmp, 0) == 0 || errno == ENOENT) {
        char said[sizeof v->err];
        memcpy(said, v->err, sizeof said);
        if (journaled && xs_vault_fsync(dfd) == 0 && journal_restore(v, &e, false) == 0)
            journaled = false;
        memcpy(v->err, said, sizeof said);
    }
close:
    if (fd >= 0)
        close(fd);
    close(dfd);
out:
    entry_copy_free(keep);
    return rc;
}
