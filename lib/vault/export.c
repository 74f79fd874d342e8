/* The export of a vault, to hand to a CSIRT (issue 12): the item zips and the manifest copied
 * byte for byte into a new owner-only folder, a README.txt, and SHA256SUMS of the copies read
 * back (sha256sum -c).
 *
 * Nothing is written in the vault: the export is refused inside it (its resolved path, as a
 * vault is refused inside an evidence root, and its folder's ancestors by device and inode, so
 * a symbolic link or a bind mount does not hide the vault), and every file is created through
 * the export's own folder. The vault is verified before anything is created; the copies are
 * verified after, as a vault of their own, and their chain head held to the vault's.
 *
 *   1 the vault verified (exs_vault_verify), the zip names checked   nothing created yet
 *   2 OUT created (0700), its parent synced
 *   3 each zip, then the manifest: NAME.tmp written, synced, renamed to NAME, read back: its
 *     SHA-256 must be its source's
 *   4 OUT synced; the copies verified as a vault
 *   5 README.txt, then SHA256SUMS, the same way; OUT synced
 *
 * SHA256SUMS is put in place only after every file it names is synced and renamed and OUT is
 * synced: a crash leaves a folder without it (incomplete: remove it and export again), never
 * a SHA256SUMS that names a file not all written. A failure removes what was created,
 * SHA256SUMS first. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/memstream.h"
#include "core/digest.h"
#include "core/escape.h"
#include "core/limits.h"
#include "exsweep/exsweep.h"
#include "vault/internal.h"

#define SUMS "SHA256SUMS"
#define README "README.txt"

typedef struct exp_file {
    char name[EXS_VAULT_ID_LEN + 8]; /* an item zip's name, or XS_VAULT_MANIFEST */
    char sha[65];                    /* of the copy, read back */
    const char *enc;                 /* a zip's encryption, as its manifest entry says */
    int seen;                        /* named by the copied manifest */
} exp_file;

typedef struct exporter {
    exs_vault *v;
    int pfd, ofd;      /* OUT's parent folder, OUT */
    char *name;        /* OUT's last component, in pfd */
    exp_file *files;   /* the zips (sorted by name), then the manifest */
    size_t nzips;
    bool made;         /* OUT was created */
} exporter;

/* The vault's own name for an item's zip: 16 lowercase hex digits and ".zip", nothing else
 * (no folder, no byte a SHA256SUMS line could be misread by). */
static bool zip_name_ok(const char *s)
{
    if (strlen(s) != EXS_VAULT_ID_LEN + 3 || strcmp(s + EXS_VAULT_ID_LEN - 1, ".zip") != 0)
        return false;
    for (size_t i = 0; i < EXS_VAULT_ID_LEN - 1; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return true;
}

static int cmp_file(const void *a, const void *b)
{
    return strcmp(((const exp_file *)a)->name, ((const exp_file *)b)->name);
}

/* 1 when the folder fd, or a folder above it, is the vault (by device and inode), 0 when not,
 * -1 when that cannot be told. */
static int under_vault(int fd, const struct stat *vst)
{
    int cur = openat(fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC), rc = -1;
    for (int depth = 0; cur >= 0 && depth < PATH_MAX / 2; depth++) {
        struct stat st, up;
        if (fstat(cur, &st) != 0)
            break;
        if (st.st_dev == vst->st_dev && st.st_ino == vst->st_ino) {
            rc = 1;
            break;
        }
        int next = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (next < 0 || fstat(next, &up) != 0) {
            if (next >= 0)
                close(next);
            break;
        }
        if (up.st_dev == st.st_dev && up.st_ino == st.st_ino) { /* the root */
            close(next);
            rc = 0;
            break;
        }
        close(cur);
        cur = next;
    }
    if (cur >= 0)
        close(cur);
    return rc;
}

/* Step 2: OUT checked (absent, outside the vault), created owner-only, its parent synced. */
static exs_rc make_out(exporter *x, const char *out)
{
    exs_vault *v = x->v;
    char *copy = strdup(out), res[PATH_MAX];
    struct stat st, vst;
    exs_rc rc = EXS_EIO;
    if (!copy) {
        snprintf(v->err, sizeof v->err, "out of memory");
        return EXS_ENOMEM;
    }
    size_t l = strlen(copy);
    while (l > 1 && copy[l - 1] == '/')
        copy[--l] = 0;
    if (lstat(copy, &st) == 0) {
        snprintf(v->err, sizeof v->err, "the export %s exists: an export goes into a new folder",
                 out);
        rc = EXS_EINVAL;
        goto out;
    }
    if (errno != ENOENT) {
        snprintf(v->err, sizeof v->err, "cannot check the export %s: %s",
                 out, xs_vault_strerror(errno));
        goto out;
    }
    char *slash = strrchr(copy, '/');
    const char *parent = slash ? (slash == copy ? "/" : (*slash = 0, copy)) : ".";
    if (!(x->name = strdup(slash ? slash + 1 : copy))) {
        snprintf(v->err, sizeof v->err, "out of memory");
        rc = EXS_ENOMEM;
        goto out;
    }
    if ((x->pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
        !realpath(parent, res) || fstat(v->dfd, &vst) != 0) {
        snprintf(v->err, sizeof v->err, "cannot open the folder of the export %s: %s", out,
                 xs_vault_strerror(errno));
        goto out;
    }
    int under = xs_vault_inside(res, v->dir) ? 1 : under_vault(x->pfd, &vst);
    if (under != 0) {
        snprintf(v->err, sizeof v->err, "the export %s %s: refused", out,
                 under > 0 ? "is inside the vault" : "cannot be shown to be outside the vault");
        rc = EXS_EEVIDENCE;
        goto out;
    }
    if (mkdirat(x->pfd, x->name, 0700) != 0) {
        rc = errno == EEXIST ? EXS_EINVAL : EXS_EIO; /* made meanwhile: as if it existed */
        snprintf(v->err, sizeof v->err, "cannot create the export %s: %s",
                 out, xs_vault_strerror(errno));
        goto out;
    }
    x->made = true;
    x->ofd = openat(x->pfd, x->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    struct stat os, ns;
    if (x->ofd >= 0 && (fstat(x->ofd, &os) != 0 || os.st_uid != geteuid() ||
                        os.st_nlink != 2 ||
                        fstatat(x->pfd, x->name, &ns, AT_SYMLINK_NOFOLLOW) != 0 ||
                        ns.st_dev != os.st_dev || ns.st_ino != os.st_ino)) {
        /* another folder put at the name since it was made: never written to, never emptied */
        close(x->ofd);
        x->ofd = -1;
        x->made = false;
        snprintf(v->err, sizeof v->err, "the export %s was replaced by another folder as it was "
                 "made: refused", out);
        rc = EXS_EEVIDENCE;
        goto out;
    }
    if (x->ofd < 0 || fchmod(x->ofd, 0700) != 0 || xs_vault_fsync(x->pfd) != 0) {
        snprintf(v->err, sizeof v->err, "cannot create the export %s: %s",
                 out, xs_vault_strerror(errno));
        goto out;
    }
    rc = EXS_OK;
out:
    free(copy);
    return rc;
}

/* Puts dst in OUT: the bytes of src (an open file; at most max bytes), or else buf[0..n),
 * written as dst.tmp, synced and renamed; then read back: sha receives the copy's SHA-256,
 * which must be its source's. */
static exs_rc put_file(exporter *x, const char *dst, int src, const char *buf, size_t n,
                       uint64_t max, char sha[65])
{
    exs_vault *v = x->v;
    char tmp[64], want[65];
    unsigned char chunk[65536];
    uint64_t total = 0, size;
    exs_rc rc = EXS_EIO;
    bool made = false; /* tmp is ours to remove only once this call created it */
    snprintf(tmp, sizeof tmp, "%s.tmp", dst);
    int fd = openat(x->ofd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        goto io;
    made = true;
    if (src < 0 && xs_vault_write_all(fd, buf, n) != 0)
        goto io;
    while (src >= 0) {
        ssize_t r = read(src, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            snprintf(v->err, sizeof v->err, "cannot read %s in the vault: %s", dst,
                     xs_vault_strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        if ((total += (uint64_t)r) > max) {
            snprintf(v->err, sizeof v->err, "%s in the vault is larger than an item's zip can "
                     "be: nothing exported", dst);
            rc = EXS_ELIMIT;
            goto fail;
        }
        if (xs_vault_write_all(fd, chunk, (size_t)r) != 0)
            goto io;
    }
    if (xs_vault_fsync(fd) != 0)
        goto io;
    int c = close(fd);
    fd = -1;
    if (c != 0 || xs_vault_renameat(x->ofd, tmp, x->ofd, dst) != 0)
        goto io;
    xs_vault_step();
    /* read back: the copy must be what its source is now */
    int h1 = -1, h2 = -1;
    if ((fd = openat(x->ofd, dst, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
        (h1 = xs_vault_sha256_fd_max(fd, sha, &size, max)) != 0 ||
        (h2 = src >= 0 ? xs_vault_sha256_fd_max(src, want, &size, max)
                       : (xs_sha256_hex(buf, n, want) ? 0 : (errno = ENOMEM, -1))) != 0) {
        if (h1 == -2 || h2 == -2) { /* grew past the cap meanwhile */
            snprintf(v->err, sizeof v->err, "%s grew past what an item's zip can be while it "
                     "was copied: nothing exported", dst);
            rc = EXS_ELIMIT;
        } else {
            snprintf(v->err, sizeof v->err, "cannot read %s back: %s", dst,
                     xs_vault_strerror(errno));
        }
        goto fail;
    }
    if (strcmp(sha, want) != 0) {
        snprintf(v->err, sizeof v->err, "the copy of %s does not read back as its source: "
                 "nothing exported", dst);
        goto fail;
    }
    rc = EXS_OK;
    goto fail;
io:
    snprintf(v->err, sizeof v->err, "cannot write %s in the export: %s",
             dst, xs_vault_strerror(errno));
fail:
    if (fd >= 0)
        close(fd);
    if (rc != EXS_OK && made)
        (void)unlinkat(x->ofd, tmp, 0);
    return rc;
}

/* Syncs OUT: the names put in it so far are durable. */
static exs_rc sync_out(exporter *x)
{
    if (xs_vault_fsync(x->ofd) == 0)
        return EXS_OK;
    snprintf(x->v->err, sizeof x->v->err, "cannot sync the export: %s",
             xs_vault_strerror(errno));
    return EXS_EIO;
}

/* exs_vault_verify on v: *bad problems, the first of them in first. */
static exs_rc verify_first(exs_vault *v, size_t *bad, char *first, size_t len)
{
    char *report = NULL;
    size_t rlen = 0;
    FILE *f = xs_memopen(&report, &rlen);
    first[0] = 0;
    *bad = 0;
    if (!f)
        return EXS_ENOMEM;
    exs_rc rc = exs_vault_verify(v, f, bad);
    if (xs_memclose(f, &report) != 0 && rc == EXS_OK)
        rc = EXS_ENOMEM;
    if (rc == EXS_OK && *bad)
        snprintf(first, len, "%.*s", (int)strcspn(report, "\n"), report);
    free(report);
    return rc;
}

/* Step 4: the copies verified as a vault of their own (a vault object on OUT, never opened:
 * no lock, no journal), its chain head the vault's, and its manifest naming exactly the zips
 * copied. */
static exs_rc verify_copy(exporter *x)
{
    exs_vault *v = x->v, *c = calloc(1, sizeof *c);
    size_t bad = 0, seen = 0, ne;
    const exs_vault_entry *e;
    char first[512] = "";
    bool other = false;
    exs_rc rc = EXS_EIO;
    if (!c) {
        snprintf(v->err, sizeof v->err, "out of memory");
        return EXS_ENOMEM;
    }
    c->lockfd = -1;
    if ((c->dfd = dup(x->ofd)) < 0) {
        snprintf(v->err, sizeof v->err, "cannot read the export back: %s",
                 xs_vault_strerror(errno));
        goto out;
    }
    if (verify_first(c, &bad, first, sizeof first) != EXS_OK || bad ||
        xs_vault_manifest_head(c) != 0 || strcmp(c->prev, v->prev) != 0 ||
        exs_vault_entries(c, &e, &ne) != EXS_OK) {
        snprintf(v->err, sizeof v->err, "the export does not verify as the vault did (%.900s): "
                 "nothing exported", first[0] ? first : c->err[0] ? c->err
                 : "its chain head is not the vault's");
        goto out;
    }
    for (size_t i = 0; i < ne; i++) {
        exp_file key, *f;
        if (strcmp(e[i].action, "quarantine") != 0)
            continue;
        snprintf(key.name, sizeof key.name, "%s", e[i].zip);
        f = bsearch(&key, x->files, x->nzips, sizeof *f, cmp_file);
        if (f && !f->seen)
            f->seen = 1, seen++;
        other |= !f;
    }
    if (other || seen != x->nzips) {
        snprintf(v->err, sizeof v->err, "the export does not verify as the vault did (the "
                 "vault's manifest changed): nothing exported");
        goto out;
    }
    rc = EXS_OK;
out:
    exs_vault_close(c);
    return rc;
}

/* Step 5: README.txt's text, malloc'd. */
static char *readme(exporter *x, size_t *n)
{
    exs_vault *v = x->v;
    char *buf = NULL, tm[40], host[256] = "";
    size_t aes = 0, zc = 0;
    uint64_t lines;
    const char *head = exs_vault_head(v, &lines);
    FILE *f = xs_memopen(&buf, n);
    if (!f)
        return NULL;
    for (size_t i = 0; i < x->nzips; i++) {
        aes += strcmp(x->files[i].enc, "aes256") == 0;
        zc += strcmp(x->files[i].enc, "traditional") == 0;
    }
    struct passwd *pw = getpwuid(geteuid());
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = 0;
    xs_vault_utc_now(tm);
    fputs("exsweep vault export\n\nThe files exsweep quarantined from an evidence tree as "
          "backdoors, kept as evidence,\nexported from the vault ", f);
    xs_esc_term(f, v->dir, strlen(v->dir), 0);
    fputs(" on ", f);
    xs_esc_term(f, host, strlen(host), 0);
    fprintf(f, " by exsweep %s\nat %s (UTC), user ", exs_version(), tm);
    xs_esc_term(f, pw ? pw->pw_name : "?", strlen(pw ? pw->pw_name : "?"), 0);
    fprintf(f, " (uid %u).\n\n", (unsigned)geteuid());
    fprintf(f, "ID.zip          %zu item zips: each holds one file (its path under its evidence "
            "root),\n                encrypted with the password \"infected\": %zu with "
            "AES-256 (WinZip AE-2),\n                %zu with ZipCrypto, as the \"encryption\" "
            "field of its manifest entry says",
            x->nzips, aes, zc);
    if (x->nzips - aes - zc)
        fprintf(f, "\n                (%zu with another value: see the manifest)",
                x->nzips - aes - zc);
    fputs(".\n                The password keeps antivirus and mail filters off them; it is "
          "no secret.\n                Open one with: 7z x -pinfected ID.zip\n", f);
    fputs("manifest.jsonl  the vault's manifest, byte for byte: one JSON line per action "
          "(quarantine,\n                restore, left) with the file's root, path, size, "
          "SHA-256, times, mode,\n                owner, findings and rules, the operator, host "
          "and time. Each line's\n                \"prev\" is the SHA-256 of the line before "
          "(64 zeros for the first).\n", f);
    fputs("SHA256SUMS      the SHA-256 of every other file here, read back from this folder.\n"
          "README.txt      this file.\n\n", f);
    fprintf(f, "The manifest has %llu entries. The SHA-256 of its last line (without the "
            "newline),\nthe head of its hash chain:\n\n    %s\n\n",
            (unsigned long long)lines, head);
    fputs("To check:\n\n    sha256sum -c SHA256SUMS\n"
          "    tail -n 1 manifest.jsonl | tr -d '\\n' | sha256sum    (the head above)\n"
          "    7z x -so -pinfected ID.zip | sha256sum   (its manifest entry's \"sha256\")\n\n"
          "Compare the head with the one the sender gave you apart from this folder: it shows\n"
          "a manifest cut short or whose last line was edited, which the chain alone cannot.\n",
          f);
    if (xs_memclose(f, &buf) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Removes what the export created, SHA256SUMS first (while it is there, every file it names
 * is too): 0, or -1 with v->err saying what is left. */
static int remove_out(exporter *x)
{
    const char *fixed[] = {SUMS, README, XS_VAULT_MANIFEST};
    size_t nf = sizeof fixed / sizeof *fixed;
    for (size_t i = 0; x->ofd >= 0 && i < nf + x->nzips; i++) {
        const char *name = i < nf ? fixed[i] : x->files[i - nf].name;
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%s.tmp", name);
        if ((unlinkat(x->ofd, name, 0) != 0 && errno != ENOENT) ||
            (unlinkat(x->ofd, tmp, 0) != 0 && errno != ENOENT))
            return -1;
    }
    if (unlinkat(x->pfd, x->name, AT_REMOVEDIR) != 0)
        return -1;
    (void)fsync(x->pfd);
    return 0;
}

exs_rc exs_vault_export(exs_vault *v, const char *out, size_t *nfiles)
{
    exporter x = {v, -1, -1, NULL, NULL, 0, false};
    char *text = NULL, *sums = NULL, first[512];
    size_t bad = 0, ne, tl = 0, sl = 0;
    const exs_vault_entry *e;
    FILE *f;
    *nfiles = 0;
    /* 1 */
    exs_rc rc = verify_first(v, &bad, first, sizeof first);
    if (rc == EXS_ENOMEM)
        snprintf(v->err, sizeof v->err, "out of memory");
    if (rc == EXS_OK && bad) {
        snprintf(v->err, sizeof v->err, "the vault does not verify (%zu problem%s, the first: "
                 "%s): nothing exported; 'exsweep vault verify' lists them",
                 bad, bad == 1 ? "" : "s", first);
        rc = EXS_EFORMAT;
    }
    if (rc != EXS_OK || (rc = exs_vault_entries(v, &e, &ne)) != EXS_OK)
        return rc;
    if (ne == 0) {
        snprintf(v->err, sizeof v->err, "the vault's manifest has no entry: nothing to export");
        return EXS_ENOENT;
    }
    if (!(x.files = calloc(ne + 1, sizeof *x.files))) {
        snprintf(v->err, sizeof v->err, "out of memory");
        return EXS_ENOMEM;
    }
    for (size_t i = 0; i < ne; i++) {
        if (strcmp(e[i].action, "quarantine") != 0)
            continue;
        if (!zip_name_ok(e[i].zip)) {
            snprintf(v->err, sizeof v->err, "manifest line %zu names a zip that is not one of "
                     "the vault's own (16 hex digits and .zip): nothing exported", i + 1);
            rc = EXS_EFORMAT;
            goto done;
        }
        memcpy(x.files[x.nzips].name, e[i].zip, EXS_VAULT_ID_LEN + 4);
        x.files[x.nzips++].enc = e[i].encryption;
    }
    qsort(x.files, x.nzips, sizeof *x.files, cmp_file);
    size_t u = 0; /* an item named twice is copied once */
    for (size_t i = 0; i < x.nzips; i++)
        if (u == 0 || strcmp(x.files[u - 1].name, x.files[i].name) != 0)
            x.files[u++] = x.files[i];
    x.nzips = u;
    snprintf(x.files[x.nzips].name, sizeof x.files[x.nzips].name, "%s", XS_VAULT_MANIFEST);
    /* 2 */
    if ((rc = make_out(&x, out)) != EXS_OK)
        goto done;
    /* 3: the entries (and their encryption strings) stay valid: nothing below reads the
     * vault's manifest through v again */
    for (size_t i = 0; i <= x.nzips && rc == EXS_OK; i++) {
        exp_file *xf = &x.files[i];
        int src = openat(v->dfd, xf->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
        uint64_t max = i < x.nzips ? XS_VAULT_MAX_ZIP : XS_VAULT_MAX_LOG;
        struct stat st;
        if (src < 0 || fstat(src, &st) != 0 || !S_ISREG(st.st_mode)) {
            snprintf(v->err, sizeof v->err, "cannot read %s in the vault: %s", xf->name,
                     src < 0 ? xs_vault_strerror(errno) : "not a regular file");
            rc = EXS_EIO;
        } else if ((uint64_t)st.st_size > max) {
            snprintf(v->err, sizeof v->err, "%s in the vault is larger than %s can be: "
                     "nothing exported", xf->name, i < x.nzips ? "an item's zip" : "a manifest");
            rc = EXS_ELIMIT;
        } else {
            rc = put_file(&x, xf->name, src, NULL, 0, max, xf->sha);
        }
        if (src >= 0)
            close(src);
    }
    /* 4 */
    if (rc == EXS_OK)
        rc = sync_out(&x);
    if (rc == EXS_OK)
        rc = verify_copy(&x);
    /* 5 */
    char rsha[65], ssha[65];
    if (rc == EXS_OK && !(text = readme(&x, &tl))) {
        snprintf(v->err, sizeof v->err, "out of memory");
        rc = EXS_ENOMEM;
    }
    if (rc == EXS_OK)
        rc = put_file(&x, README, -1, text, tl, XS_VAULT_MAX_LOG, rsha);
    /* every name SHA256SUMS lists durable before it is: a power loss never leaves it naming a
     * README.txt whose rename was lost */
    if (rc == EXS_OK)
        rc = sync_out(&x);
    if (rc == EXS_OK && (f = xs_memopen(&sums, &sl))) {
        for (size_t i = 0; i <= x.nzips; i++) /* names checked: 16 hex digits and .zip */
            fprintf(f, "%s  %s\n", x.files[i].sha, x.files[i].name);
        fprintf(f, "%s  %s\n", rsha, README);
        if (xs_memclose(f, &sums) != 0) {
            free(sums);
            sums = NULL;
        }
    }
    if (rc == EXS_OK && !sums) {
        snprintf(v->err, sizeof v->err, "out of memory");
        rc = EXS_ENOMEM;
    }
    if (rc == EXS_OK)
        rc = put_file(&x, SUMS, -1, sums, sl, XS_VAULT_MAX_LOG, ssha);
    if (rc == EXS_OK)
        rc = sync_out(&x);
    if (rc == EXS_OK)
        *nfiles = x.nzips;
done:
    if (rc != EXS_OK && x.made && remove_out(&x) != 0) {
        size_t l = strlen(v->err);
        snprintf(v->err + l, sizeof v->err - l, "; the export %s could not be removed (%s): "
                 "remove it", out, xs_vault_strerror(errno));
    }
    free(text);
    free(sums);
    free(x.files);
    free(x.name);
    if (x.ofd >= 0)
        close(x.ofd);
    if (x.pfd >= 0)
        close(x.pfd);
    return rc;
}
