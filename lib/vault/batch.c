/* An item's sequence, for a batch of items at once. Each step is synced before the next
 * starts:
 *
 *   1 intent recorded in the journal      5 manifest entry appended
 *   2 zip written under a temporary name  6 "manifest" recorded in the journal
 *   3 renamed to its name, folder synced  7 original re-checked, removed, its folder synced
 *   4 read back equal: "copied" recorded  8 "unlinked" recorded   9 "done" recorded
 *
 * (1 is the caller's: vault.c for a run.) The items of a batch take each step together: step
 * N is done for every item, then synced once (one fsync of the journal, the manifest or the
 * vault folder for all of them; at 7 one of each folder the originals were in), and only then
 * does step N+1 begin. So every item is at every moment in one of the states the journal
 * records for it, as if it had been alone, and the recovery is the same; the syncs are
 * shared (group commit), and the zips are written (2) and read back (4), the key derivations
 * and hashing of AES-256, on worker threads. An item that fails drops out of the batch where
 * it is; the others go on.
 *
 * The original goes only at 7, after its bytes are in the vault (3, checked at 4) and in the
 * manifest (5). At 7 it is first renamed to a private name in its folder
 * (".exsweep-quarantine-ID", never replacing a file), then the file under that name is held to
 * the intent (device, inode, one link, size, SHA-256) and only then unlinked: a file another
 * process puts at the original name meanwhile is never the one removed. One that is not the
 * intent's goes back to its name (sequence.c). The fault hook counts the stops an item can
 * take: after each of steps 1 to 9, counted for the batch's items in order once the step is
 * synced; and after the rename of 7, counted for each item as it is renamed, before the
 * folders' shared sync (a stop there leaves the private name, or the original gone, which the
 * recovery finds). A run that stops anywhere leaves each item in
 * one of the journal's states, and the next opening of the vault carries it on from there:
 * before 4 it is rolled back (the zip removed, the file was never touched), from 4 on it is
 * completed. With fault injection armed the workers are one thread, so that the Nth write or
 * step is the same one at every run. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/parallel.h"
#include "vault/internal.h"
#include "vault/item.h"

typedef struct batch {
    exs_vault *v;
    xs_item *const *its;
    xs_vault_res *res;
    size_t n;
} batch;

/* Is item i in state st and still going? An item left at 7 (CHANGED: its copy kept, the file
 * in place) still ends through 8 and 9: left_ok. */
static bool going(const batch *b, size_t i, xs_item_state st, bool left_ok)
{
    return b->res[i].rc == 0 && b->its[i]->state == st &&
           (b->res[i].outcome == EXS_VAULT_MOVED ||
            (left_ok && b->res[i].outcome == EXS_VAULT_CHANGED));
}

static bool live(const batch *b, size_t i, xs_item_state st)
{
    return going(b, i, st, false);
}

static void fail(batch *b, size_t i, const char *msg)
{
    b->res[i].rc = -1;
    snprintf(b->res[i].err, sizeof b->res[i].err, "%.1000s", msg);
}

/* Each item in state st (and still going) passes one step of the hook. */
static void steps(const batch *b, xs_item_state st, bool left_ok)
{
    for (size_t i = 0; i < b->n; i++)
        if (going(b, i, st, left_ok))
            xs_vault_step();
}

/* One journal line of step for every item in state `from` still going, one sync; on success
 * they move to state `to`, on failure every one of them fails with what the append said.
 * (A line is at most 80 bytes: the step's name, the id and the encryption's.) */
static void journal_all(batch *b, xs_item_state from, const char *step, xs_item_state to,
                        bool left_ok)
{
    size_t cap = b->n * 128 + 1, o = 0, k = 0;
    char *buf = malloc(cap);
    if (!buf) {
        for (size_t i = 0; i < b->n; i++)
            if (going(b, i, from, left_ok))
                fail(b, i, "out of memory");
        return;
    }
    for (size_t i = 0; i < b->n; i++) {
        if (!going(b, i, from, left_ok))
            continue;
        const xs_item *it = b->its[i];
        o += (size_t)snprintf(buf + o, cap - o,
                              "{\"step\":\"%s\",\"item\":\"%s\",\"encryption\":\"%s\"}\n", step,
                              it->id, it->enc);
        k++;
    }
    int rc = k ? xs_vault_journal_append_lines(b->v, buf, o) : 0;
    free(buf);
    for (size_t i = 0; i < b->n; i++) {
        if (!going(b, i, from, left_ok))
            continue;
        if (rc != 0) {
            char msg[1100];
            snprintf(msg, sizeof msg, "item %s: %s", b->its[i]->id, b->v->err);
            fail(b, i, msg);
        } else {
            b->its[i]->state = to;
        }
    }
}

/* ---- 2 and 4: on the workers (no v->err, no journal; each item's own buffers) ---- */

typedef struct work {
    batch *b;
    char (*err)[512];
    bool *changed;
} work;

/* 2: the zip under its temporary name, synced; then the original hashed again: one that
 * changed while it was copied is left. */
static void write_one(void *ctx, size_t i)
{
    work *w = ctx;
    batch *b = w->b;
    if (!live(b, i, XS_ITEM_INTENT))
        return;
    xs_item *it = b->its[i];
    char tmp[EXS_VAULT_ID_LEN + 16], *err = w->err[i];
    const char *base;
    snprintf(tmp, sizeof tmp, "%s.tmp", it->zip);
    int dfd = xs_vault_open_parent(it->root_path, it->path, &base);
    if (dfd < 0) {
        snprintf(err, 512, "the folder of %.300s cannot be opened: %s", it->path,
                 xs_vault_strerror(errno));
        return;
    }
    int src = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOATIME | O_NONBLOCK);
    if (src < 0 && errno == EPERM)
        src = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    int e = errno;
    close(dfd);
    if (src < 0) {
        snprintf(err, 512, "cannot open %.300s: %s", it->path, xs_vault_strerror(e));
        return;
    }
    const char *enc;
    if (xs_vault_zip_write(b->v->dfd, tmp, it->path, src, &enc, err, 512) != 0) {
        unlinkat(b->v->dfd, tmp, 0);
        close(src);
        return;
    }
    snprintf(it->enc, sizeof it->enc, "%s", enc);
    /* the file must not have changed while it was copied; never held open past here: ntfs-3g
     * counts a name unlinked while the file is open until it is closed, and a Windows server
     * refuses to delete a file open without delete sharing */
    char now[65];
    uint64_t nsize;
    if (xs_vault_sha256_fd(src, now, &nsize) != 0 || strcmp(now, it->sha256) != 0 ||
        nsize != it->size)
        w->changed[i] = true;
    close(src);
}

/* 4: the zip read back through libarchive, its member's SHA-256 and size the intent's. */
static void read_one(void *ctx, size_t i)
{
    work *w = ctx;
    batch *b = w->b;
    if (!live(b, i, XS_ITEM_INTENT))
        return;
    const xs_item *it = b->its[i];
    char hex[65] = "", e[512];
    uint64_t size;
    if (xs_vault_zip_read(b->v->dfd, it->zip, hex, &size, -1, e, sizeof e) != 0)
        snprintf(w->err[i], 512, "the zip read back is not the file: %.470s", e);
    else if (strcmp(hex, it->sha256) != 0 || size != it->size)
        snprintf(w->err[i], 512, "the zip read back is not the file: its SHA-256 differs");
}

static unsigned workers(void)
{
    if (xs_vault_fault_step > 0 || xs_vault_fault_io > 0)
        return 1;
    /* twice the processors: a worker waiting on its zip's fsync leaves its processor to
     * another's key derivation */
    unsigned c = xs_cpus() * 2;
    return c > XS_VAULT_WORKERS ? XS_VAULT_WORKERS : c;
}

/* Failures the workers (or step 3) wrote, moved to the items' results. */
static void collect(batch *b, work *w)
{
    for (size_t i = 0; i < b->n; i++)
        if (w->err[i][0] && live(b, i, XS_ITEM_INTENT)) {
            char msg[700];
            snprintf(msg, sizeof msg, "item %s: %s", b->its[i]->id, w->err[i]);
            fail(b, i, msg);
            w->err[i][0] = 0;
        }
}

/* 2 to 4 for the items in state INTENT. */
static void copy_all(batch *b)
{
    work w = {b, calloc(b->n, sizeof *w.err), calloc(b->n, sizeof *w.changed)};
    if (!w.err || !w.changed) {
        for (size_t i = 0; i < b->n; i++)
            if (live(b, i, XS_ITEM_INTENT))
                fail(b, i, "out of memory");
        goto out;
    }
    /* 2 */
    xs_parallel_for(b->n, workers(), write_one, &w);
    collect(b, &w);
    steps(b, XS_ITEM_INTENT, false);
    /* 3 */
    for (size_t i = 0; i < b->n; i++) {
        if (!live(b, i, XS_ITEM_INTENT))
            continue;
        char tmp[EXS_VAULT_ID_LEN + 16];
        snprintf(tmp, sizeof tmp, "%s.tmp", b->its[i]->zip);
        if (xs_vault_renameat(b->v->dfd, tmp, b->v->dfd, b->its[i]->zip) != 0)
            snprintf(w.err[i], sizeof w.err[i], "cannot put %s in place: %s", b->its[i]->zip,
                     xs_vault_strerror(errno));
    }
    collect(b, &w);
    bool any = false;
    for (size_t i = 0; i < b->n; i++)
        any |= live(b, i, XS_ITEM_INTENT);
    if (any && xs_vault_fsync(b->v->dfd) != 0) {
        int e = errno;
        for (size_t i = 0; i < b->n; i++)
            if (live(b, i, XS_ITEM_INTENT))
                snprintf(w.err[i], sizeof w.err[i], "cannot put %s in place: %s",
                         b->its[i]->zip, xs_vault_strerror(e));
        collect(b, &w);
    }
    steps(b, XS_ITEM_INTENT, false);
    /* 4: read back; one that changed while it was copied is rolled back now */
    xs_parallel_for(b->n, workers(), read_one, &w);
    collect(b, &w);
    for (size_t i = 0; i < b->n; i++) {
        if (!w.changed[i] || !live(b, i, XS_ITEM_INTENT))
            continue;
        b->res[i].outcome = EXS_VAULT_CHANGED;
        if (xs_vault_rollback(b->v, b->its[i]) != 0) {
            char msg[1100];
            snprintf(msg, sizeof msg, "changed while it was copied, and %s", b->v->err);
            fail(b, i, msg);
        } else {
            snprintf(b->res[i].err, sizeof b->res[i].err,
                     "changed while it was copied: left in place");
        }
    }
    journal_all(b, XS_ITEM_INTENT, "copied", XS_ITEM_COPIED, false);
    steps(b, XS_ITEM_COPIED, false);
out:
    free(w.err);
    free(w.changed);
}

/* 5: the manifest entries of the items in state COPIED (unless an earlier run appended one),
 * one sync for all. */
static void manifest_all(batch *b)
{
    char **body = calloc(b->n, sizeof *body);
    size_t *len = calloc(b->n, sizeof *len), k = 0;
    const char **bp = calloc(b->n, sizeof *bp);
    size_t *bl = calloc(b->n, sizeof *bl);
    int rc = body && len && bp && bl ? 0 : -1;
    if (rc != 0)
        snprintf(b->v->err, sizeof b->v->err, "out of memory");
    for (size_t i = 0; rc == 0 && i < b->n; i++) {
        if (!live(b, i, XS_ITEM_COPIED) ||
            (!b->its[i]->fresh && xs_vault_manifest_has(b->v, b->its[i]->id, "quarantine")))
            continue;
        if (xs_vault_manifest_body(b->v, b->its[i], "quarantine", &body[i], &len[i]) != 0)
            rc = -1;
        else {
            bp[k] = body[i];
            bl[k++] = len[i];
        }
    }
    if (rc == 0 && k)
        rc = xs_vault_manifest_append_many(b->v, bp, bl, k);
    for (size_t i = 0; i < b->n; i++) {
        if (rc != 0 && live(b, i, XS_ITEM_COPIED)) {
            char msg[1100];
            snprintf(msg, sizeof msg, "item %s: %s", b->its[i]->id, b->v->err);
            fail(b, i, msg);
        }
        if (body)
            free(body[i]);
    }
    free(body);
    free(len);
    free(bp);
    free(bl);
    steps(b, XS_ITEM_COPIED, false);
}

/* 7 for the items in state MANIFEST: each original removed, then each folder synced once. */
static void remove_all(batch *b)
{
    int *dfd = malloc(b->n * sizeof *dfd);
    struct stat *dst = calloc(b->n, sizeof *dst);
    if (!dfd || !dst) {
        for (size_t i = 0; i < b->n; i++)
            if (live(b, i, XS_ITEM_MANIFEST))
                fail(b, i, "out of memory");
        free(dfd);
        free(dst);
        return;
    }
    for (size_t i = 0; i < b->n; i++) {
        dfd[i] = -1;
        if (!live(b, i, XS_ITEM_MANIFEST))
            continue;
        xs_item *it = b->its[i];
        const char *base;
        int d = xs_vault_open_parent(it->root_path, it->path, &base);
        int e = d < 0 ? errno : 0;
        int st = xs_vault_remove_original(b->v, it, d, e, base, false);
        if (st < 0) {
            fail(b, i, b->v->err);
            if (d >= 0)
                close(d);
            continue;
        }
        if (st == 2) {
            b->res[i].outcome = EXS_VAULT_CHANGED;
            snprintf(b->res[i].err, sizeof b->res[i].err,
                     "changed since it was copied: left in place (the vault keeps the copy, "
                     "recorded as \"left\")");
            if (!xs_vault_manifest_has(b->v, it->id, "left") &&
                xs_vault_manifest_item(b->v, it, "left") != 0) {
                char msg[1100];
                snprintf(msg, sizeof msg, "%s", b->v->err);
                fail(b, i, msg);
            }
        }
        if (d >= 0 && it->removed && fstat(d, &dst[i]) == 0) {
            dfd[i] = d; /* synced below, once a folder */
        } else if (d >= 0) {
            if (it->removed && xs_vault_fsync(d) != 0) {
                xs_vault_unsynced(b->v, it, errno);
                fail(b, i, b->v->err);
            }
            close(d);
        }
    }
    /* each folder once; a failed sync fails every item removed from it */
    for (size_t i = 0; i < b->n; i++) {
        if (dfd[i] < 0)
            continue;
        int r = xs_vault_fsync(dfd[i]), e = errno;
        for (size_t j = i; j < b->n; j++) {
            if (dfd[j] < 0 || dst[j].st_dev != dst[i].st_dev || dst[j].st_ino != dst[i].st_ino)
                continue;
            if (r != 0) {
                xs_vault_unsynced(b->v, b->its[j], e);
                fail(b, j, b->v->err);
            }
            if (j != i) {
                close(dfd[j]);
                dfd[j] = -1;
            }
        }
        close(dfd[i]);
        dfd[i] = -1;
    }
    free(dfd);
    free(dst);
}

void xs_vault_advance_many(exs_vault *v, xs_item *const *its, size_t n, xs_vault_res *res)
{
    batch b = {v, its, res, n};
    for (size_t i = 0; i < n; i++) {
        res[i].rc = 0;
        res[i].outcome = EXS_VAULT_MOVED;
        res[i].err[0] = 0;
    }
    copy_all(&b);                                                         /* 2, 3, 4 */
    manifest_all(&b);                                                     /* 5 */
    journal_all(&b, XS_ITEM_COPIED, "manifest", XS_ITEM_MANIFEST, false); /* 6 */
    steps(&b, XS_ITEM_MANIFEST, false);
    remove_all(&b);                                                       /* 7 */
    steps(&b, XS_ITEM_MANIFEST, true);
    journal_all(&b, XS_ITEM_MANIFEST, "unlinked", XS_ITEM_UNLINKED, true); /* 8 */
    steps(&b, XS_ITEM_UNLINKED, true);
    journal_all(&b, XS_ITEM_UNLINKED, "done", XS_ITEM_DONE, true);         /* 9 */
    steps(&b, XS_ITEM_DONE, true);
}
