/* The vault object: opening (checks, creation, lock, recovery), the manifest read back, the
 * verification and the quarantine and restore of one item. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/memstream.h"
#include "core/escape.h"
#include "core/digest.h"
#include "core/grow.h"
#include "core/limits.h"
#include "core/strmap.h"
#include "detectors/webfolders.h"
#include "sources/classify.h"
#include "vault/internal.h"
#include "vault/item.h"

/* ---- the manifest read back ---- */

static void free_entries(exs_vault *v)
{
    for (size_t i = 0; i < v->nents; i++) {
        exs_vault_entry *e = &v->ents[i];
        const char **s[] = {&e->item, &e->action, &e->root, &e->root_path, &e->path, &e->sha256,
                            &e->zip, &e->encryption, &e->findings, &e->rules, &e->user,
                            &e->host, &e->time, &e->version};
        for (size_t j = 0; j < sizeof s / sizeof *s; j++)
            free((char *)*s[j]);
    }
    free(v->ents);
    v->ents = NULL;
    v->nents = 0;
}

static uint64_t num(xs_str s)
{
    uint64_t v = 0;
    for (size_t i = 0; i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && v < UINT64_MAX / 10; i++)
        v = v * 10 + (uint64_t)(s.p[i] - '0');
    return v;
}

static int64_t snum(xs_str s)
{
    if (s.n > 0 && s.p[0] == '-')
        return -(int64_t)(num(xs_str_make(s.p + 1, s.n - 1)) & INT64_MAX);
    return (int64_t)(num(s) & INT64_MAX);
}

/* True when s is exactly n lowercase hex digits. */
static bool hexn(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    return s[n] == 0;
}

typedef struct ent_ctx {
    exs_vault *v;
    size_t cap;
    uint64_t line;
    char prev[65];
    int oom;
} ent_ctx;

static int on_entry(void *ctx, xs_str line, const xs_str *k, const xs_str *val, size_t nf)
{
    ent_ctx *c = ctx;
    exs_vault *v = c->v;
    c->line++;
    xs_str prev = xs_vault_field(k, val, nf, "prev");
    if (!v->chain_broken && (prev.n != 64 || memcmp(prev.p, c->prev, 64) != 0))
        v->chain_broken = c->line;
    if (!xs_sha256_hex(line.p, line.n, c->prev))
        return c->oom = 1, -1;
    if (v->nents == c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 64;
        exs_vault_entry *ne = realloc(v->ents, ncap * sizeof *ne);
        if (!ne)
            return c->oom = 1, -1;
        v->ents = ne;
        c->cap = ncap;
    }
    exs_vault_entry *e = &v->ents[v->nents];
    memset(e, 0, sizeof *e);
    v->nents++;
    struct {
        const char **dst;
        const char *key;
    } s[] = {{&e->item, "item"},         {&e->action, "action"},   {&e->root, "root"},
             {&e->root_path, "root_path"}, {&e->path, "path"},     {&e->sha256, "sha256"},
             {&e->zip, "zip"},           {&e->encryption, "encryption"},
             {&e->findings, "findings"}, {&e->rules, "rules"},     {&e->user, "user"},
             {&e->host, "host"},         {&e->time, "time"},       {&e->version, "version"}};
    for (size_t i = 0; i < sizeof s / sizeof *s; i++) {
        xs_str f = xs_vault_field(k, val, nf, s[i].key);
        if (!(*s[i].dst = strndup(f.p ? f.p : "", f.n)))
            return c->oom = 1, -1;
    }
    /* ids and digests are ours: hex, never text to print or a name to open */
    if (!hexn(e->item, EXS_VAULT_ID_LEN - 1) || !hexn(e->sha256, 64) ||
        strncmp(e->zip, e->item, EXS_VAULT_ID_LEN - 1) != 0 ||
        strcmp(e->zip + EXS_VAULT_ID_LEN - 1, ".zip") != 0)
        return -1;
    e->size = num(xs_vault_field(k, val, nf, "size"));
    e->mtime_ns = snum(xs_vault_field(k, val, nf, "mtime_ns"));
    e->atime_ns = snum(xs_vault_field(k, val, nf, "atime_ns"));
    e->mode = (unsigned)num(xs_vault_field(k, val, nf, "mode"));
    e->uid = (unsigned)num(xs_vault_field(k, val, nf, "uid"));
    e->gid = (unsigned)num(xs_vault_field(k, val, nf, "gid"));
    return 0;
}

exs_rc exs_vault_entries(exs_vault *v, const exs_vault_entry **out, size_t *n)
{
    char *buf;
    size_t len;
    free_entries(v);
    free(v->mbuf);
    v->mbuf = NULL;
    v->chain_broken = v->bad_line = 0;
    *out = NULL;
    *n = 0;
    if (xs_vault_slurp(v->dfd, XS_VAULT_MANIFEST, &buf, &len) != 0) {
        snprintf(v->err, sizeof v->err, "cannot read the manifest: %s", xs_vault_strerror(errno));
        return errno == ENOMEM ? EXS_ENOMEM : errno == EFBIG ? EXS_ELIMIT : EXS_EIO;
    }
    exs_rc rc = xs_vault_manifest_parse(v, buf, len);
    free(buf);
    if (rc == EXS_OK) {
        *out = v->ents;
        *n = v->nents;
    }
    return rc;
}

exs_rc xs_vault_manifest_parse(exs_vault *v, const char *buf, size_t len)
{
    bool torn;
    free_entries(v);
    v->chain_broken = v->bad_line = 0;
    ent_ctx c = {v, 0, 0, XS_VAULT_GENESIS, 0};
    uint64_t bad = xs_vault_lines(buf, len, on_entry, &c, &torn);
    if (c.oom) {
        snprintf(v->err, sizeof v->err, "out of memory");
        return EXS_ENOMEM;
    }
    if (bad || torn) {
        v->bad_line = bad ? bad : c.line + 1;
        snprintf(v->err, sizeof v->err, "manifest line %llu: %s", (unsigned long long)v->bad_line,
                 torn ? "cut short (no newline)"
                      : "not a manifest entry (malformed JSON, too long, or too many lines)");
        return EXS_EFORMAT;
    }
    return EXS_OK;
}

/* ---- opening ---- */

/* Is the resolved path p at or under the resolved folder root? */
bool xs_vault_inside(const char *p, const char *root)
{
    size_t l = strlen(root);
    if (l == 1 && root[0] == '/')
        return true;
    return strncmp(p, root, l) == 0 && (p[l] == 0 || p[l] == '/');
}

/* The web folder the resolved path p lies in ("inetpub", "owa/auth", ...), or NULL: a vault
 * there could be served, and its folder is evidence. */
static const char *web_folder_of(const char *p)
{
    char full[PATH_MAX + 16], norm[PATH_MAX + 16];
    snprintf(full, sizeof full, "%s/x.aspx", p);
    xs_path_norm(full, norm, sizeof norm);
    for (const char *c = norm; (c = strstr(c, "inetpub")) != NULL; c += 7)
        if ((c == norm || c[-1] == '/') && (c[7] == '/' || !c[7]))
            return "inetpub";
    xs_webloc w;
    xs_webloc_of(norm, &w);
    if (w.folder == XS_WF_NONE)
        return NULL;
    return w.name && *w.name ? w.name : "an Exchange or IIS web folder";
}

exs_rc exs_vault_open(exs_vault **out, const char *dir, const char *const *roots,
                      size_t nroots, unsigned flags, char *err, size_t errlen)
{
    exs_rc rc = EXS_EIO;
    exs_vault *v = calloc(1, sizeof *v);
    char res[PATH_MAX];
    *out = NULL;
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return EXS_ENOMEM;
    }
    v->dfd = v->lockfd = -1;
    xs_vault_fault_env();
    /* where it is (or would be), resolved, before anything is created */
    struct stat st;
    int exists = lstat(dir, &st) == 0;
    if (!exists && errno != ENOENT) {
        snprintf(err, errlen, "cannot read the vault %s: %s", dir, xs_vault_strerror(errno));
        goto fail;
    }
    if (!exists && !(flags & EXS_VAULT_CREATE)) {
        snprintf(err, errlen, "no vault at %s", dir);
        rc = EXS_ENOENT;
        goto fail;
    }
    if (exists) {
        if (!realpath(dir, res)) {
            snprintf(err, errlen, "cannot resolve the vault %s: %s", dir, xs_vault_strerror(errno));
            goto fail;
        }
    } else {
        char *copy = strdup(dir), parent[PATH_MAX];
        if (!copy) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        size_t l = strlen(copy);
        while (l > 1 && copy[l - 1] == '/')
            copy[--l] = 0;
        char *slash = strrchr(copy, '/');
        const char *name = slash ? slash + 1 : copy;
        const char *pdir = slash ? (slash == copy ? "/" : (*slash = 0, copy)) : ".";
        if (!realpath(pdir, parent) || strlen(parent) + strlen(name) + 2 > sizeof res) {
            snprintf(err, errlen, "cannot create the vault %s: its folder: %s", dir,
                     xs_vault_strerror(errno));
            free(copy);
            goto fail;
        }
        size_t pl = strlen(parent);
        memcpy(res, parent, pl);
        if (strcmp(parent, "/") != 0)
            res[pl++] = '/';
        memcpy(res + pl, name, strlen(name) + 1);
        free(copy);
    }
    for (size_t i = 0; i < nroots; i++) {
        char r[PATH_MAX];
        if (realpath(roots[i], r) && xs_vault_inside(res, r)) {
            snprintf(err, errlen, "the vault %s is inside the evidence root %s: refused", dir,
                     roots[i]);
            rc = EXS_EEVIDENCE;
            goto fail;
        }
    }
    const char *web = web_folder_of(res);
    if (web) {
        snprintf(err, errlen, "the vault %s is inside a web folder (%s): IIS could serve it, and "
                 "the folder is evidence; refused", dir, web);
        rc = EXS_EEVIDENCE;
        goto fail;
    }
    if (!exists) {
        if (mkdir(dir, 0700) != 0) {
            snprintf(err, errlen, "cannot create the vault %s: %s", dir, xs_vault_strerror(errno));
            goto fail;
        }
        if (xs_vault_fsync_parent(res) != 0) {
            snprintf(err, errlen, "cannot sync the folder of the vault %s: %s", dir,
                     xs_vault_strerror(errno));
            goto fail;
        }
        if (lstat(dir, &st) != 0) {
            snprintf(err, errlen, "cannot read the vault %s: %s", dir, xs_vault_strerror(errno));
            goto fail;
        }
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "the vault %s is not a folder (a symbolic link is refused)", dir);
        rc = EXS_EACCES;
        goto fail;
    }
    if (st.st_uid != geteuid() || (st.st_mode & 077)) {
        snprintf(err, errlen, "the vault %s must be the caller's and owner-only (mode 0700)",
                 dir);
        rc = EXS_EACCES;
        goto fail;
    }
    if (!(v->dir = strdup(res))) {
        snprintf(err, errlen, "out of memory");
        rc = EXS_ENOMEM;
        goto fail;
    }
    if ((v->dfd = open(v->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
        (v->lockfd = openat(v->dfd, XS_VAULT_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
                            0600)) < 0) {
        snprintf(err, errlen, "cannot open the vault %s: %s", dir, xs_vault_strerror(errno));
        goto fail;
    }
    if (flock(v->lockfd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(err, errlen, "the vault %s is in use by another run", dir);
        goto fail;
    }
    if (xs_vault_manifest_head(v) != 0 || xs_vault_recover(v) != 0) {
        snprintf(err, errlen, "%s", v->err);
        goto fail;
    }
    *out = v;
    return EXS_OK;
fail:
    exs_vault_close(v);
    return rc;
}

void exs_vault_close(exs_vault *v)
{
    if (!v)
        return;
    free_entries(v);
    free(v->mbuf);
    if (v->lockfd >= 0)
        close(v->lockfd);
    if (v->dfd >= 0)
        close(v->dfd);
    free(v->dir);
    free(v);
}

const char *exs_vault_error(const exs_vault *v)
{
    return v ? v->err : "";
}

size_t exs_vault_restores_finished(const exs_vault *v)
{
    return v->restores_finished;
}

size_t exs_vault_stuck(const exs_vault *v, const char **first)
{
    if (first)
        *first = v->stuck_msg;
    return v->stuck;
}

void exs_vault_recovered(const exs_vault *v, size_t *completed, size_t *rolled_back)
{
    *completed = v->completed;
    *rolled_back = v->rolled_back;
}

/* ---- the journal read back: every unfinished item carried on ---- */

typedef xs_vault_journal jctx;

static void item_free(xs_item *it)
{
    free(it->root_path);
    free(it->root);
    free(it->path);
    free(it->sha256);
    free(it->findings);
    free(it->rules);
}

static char *dupf(const xs_str *k, const xs_str *val, size_t nf, const char *key)
{
    xs_str f = xs_vault_field(k, val, nf, key);
    return strndup(f.p ? f.p : "", f.n);
}

/* The index (into items, or restores when r) of the item id names, the last for a restore;
 * -1 when none. The maps make a journal of a million lines read in linear time. */
static long find_id(const jctx *c, const char *id, bool r)
{
    const xs_strmap *m = r ? c->rids : c->ids;
    void *v = m ? xs_strmap_get(m, id) : NULL;
    return v ? (long)((uintptr_t)v - 1) : -1;
}

static int index_id(jctx *c, const char *id, size_t i, bool r)
{
    xs_strmap **m = r ? &c->rids : &c->ids;
    if (!*m && !(*m = xs_strmap_create()))
        return c->oom = 1, -1;
    if (!xs_strmap_put(*m, id, (void *)(uintptr_t)(i + 1), NULL))
        return c->oom = 1, -1;
    return 0;
}

static int on_journal(void *ctx, xs_str line, const xs_str *k, const xs_str *val, size_t nf)
{
    (void)line;
    jctx *c = ctx;
    xs_str step = xs_vault_field(k, val, nf, "step"), id = xs_vault_field(k, val, nf, "item");
    if (id.n != EXS_VAULT_ID_LEN - 1)
        return -1;
    for (size_t i = 0; i < id.n; i++) /* ids are ours: lowercase hex, never a path */
        if (!((id.p[i] >= '0' && id.p[i] <= '9') || (id.p[i] >= 'a' && id.p[i] <= 'f')))
            return -1;
    char idz[EXS_VAULT_ID_LEN];
    memcpy(idz, id.p, id.n);
    idz[id.n] = 0;
    if (step.n == 6 && memcmp(step.p, "intent", 6) == 0) {
        if (find_id(c, idz, false) >= 0) /* an id is begun once: a second intent is altered */
            return -1;
        if (!xs_grow((void **)&c->items, &c->cap, c->n + 1, sizeof *c->items) ||
            index_id(c, idz, c->n, false) != 0)
            return c->oom = 1, -1;
        xs_item *it = &c->items[c->n++];
        memset(it, 0, sizeof *it);
        memcpy(it->id, id.p, id.n);
        snprintf(it->zip, sizeof it->zip, "%s.zip", it->id);
        it->root_path = dupf(k, val, nf, "root_path");
        it->root = dupf(k, val, nf, "root");
        it->path = dupf(k, val, nf, "path");
        it->sha256 = dupf(k, val, nf, "sha256");
        it->findings = dupf(k, val, nf, "findings");
        it->rules = dupf(k, val, nf, "rules");
        if (!it->root_path || !it->root || !it->path || !it->sha256 || !it->findings ||
            !it->rules)
            return c->oom = 1, -1;
        if (strlen(it->sha256) != 64 || !it->root_path[0] || !it->path[0])
            return -1;
        it->size = num(xs_vault_field(k, val, nf, "size"));
        it->dev = num(xs_vault_field(k, val, nf, "dev"));
        it->ino = num(xs_vault_field(k, val, nf, "ino"));
        it->mtime_ns = snum(xs_vault_field(k, val, nf, "mtime_ns"));
        it->atime_ns = snum(xs_vault_field(k, val, nf, "atime_ns"));
        it->mode = (unsigned)num(xs_vault_field(k, val, nf, "mode"));
        it->uid = (unsigned)num(xs_vault_field(k, val, nf, "uid"));
        it->gid = (unsigned)num(xs_vault_field(k, val, nf, "gid"));
        it->state = XS_ITEM_INTENT;
        return 0;
    }
    if ((step.n == 9 && memcmp(step.p, "restoring", 9) == 0) ||
        (step.n == 8 && memcmp(step.p, "restored", 8) == 0)) {
        bool begin = step.n == 9;
        long last = find_id(c, idz, true);
        if (!begin) { /* ends the last restore of the item begun and not ended */
            if (last < 0 || c->restores[last].state != XS_ITEM_INTENT)
                return -1; /* a restore never begun, or ended twice */
            c->restores[last].state = XS_ITEM_DONE;
            return 0;
        }
        /* a restore begun again while an earlier one is unfinished (its recovery stuck):
         * the later stands for both (the temporary file's name is the item's); only the last
         * of an item can be unfinished */
        if (last >= 0)
            c->restores[last].state = XS_ITEM_DONE;
        if (!xs_grow((void **)&c->restores, &c->rcap, c->nr + 1, sizeof *c->restores) ||
            index_id(c, idz, c->nr, true) != 0)
            return c->oom = 1, -1;
        xs_item *r = &c->restores[c->nr++];
        memset(r, 0, sizeof *r);
        memcpy(r->id, id.p, id.n);
        r->root_path = dupf(k, val, nf, "root_path");
        r->path = dupf(k, val, nf, "path");
        r->sha256 = dupf(k, val, nf, "sha256");
        if (!r->root_path || !r->path || !r->sha256)
            return c->oom = 1, -1;
        if (strlen(r->sha256) != 64 || !r->root_path[0] || !r->path[0])
            return -1;
        r->size = num(xs_vault_field(k, val, nf, "size"));
        r->state = XS_ITEM_INTENT;
        return 0;
    }
    static const struct {
        const char *name;
        xs_item_state st;
    } steps[] = {{"copied", XS_ITEM_COPIED},     {"manifest", XS_ITEM_MANIFEST},
                 {"unlinked", XS_ITEM_UNLINKED}, {"done", XS_ITEM_DONE},
                 {"rolledback", XS_ITEM_ROLLEDBACK}};
    for (size_t s = 0; s < sizeof steps / sizeof *steps; s++) {
        if (step.n != strlen(steps[s].name) || memcmp(step.p, steps[s].name, step.n) != 0)
            continue;
        long f = find_id(c, idz, false);
        if (f < 0)
            return -1; /* a step of no item */
        xs_item *it = &c->items[f];
        /* steps only go forward, and none follows the end of an item */
        if (it->state == XS_ITEM_DONE || it->state == XS_ITEM_ROLLEDBACK ||
            (steps[s].st == XS_ITEM_ROLLEDBACK ? it->state != XS_ITEM_INTENT
                                               : steps[s].st <= it->state))
            return -1;
        it->state = steps[s].st;
        xs_str enc = xs_vault_field(k, val, nf, "encryption");
        if (enc.n && enc.n < sizeof it->enc) {
            memcpy(it->enc, enc.p, enc.n);
            it->enc[enc.n] = 0;
        }
        return 0;
    }
    return -1;
}

long long xs_vault_journal_rotate_at = XS_VAULT_JOURNAL_ROTATE;

/* Is the journal line (its "item" field) one of an item that has not ended? */
static bool unfinished_line(const jctx *c, const char *line, size_t n)
{
    const char *k = memmem(line, n, "\"item\":\"", 8);
    if (!k || (size_t)(line + n - (k + 8)) < EXS_VAULT_ID_LEN - 1)
        return false;
    char idz[EXS_VAULT_ID_LEN];
    memcpy(idz, k + 8, EXS_VAULT_ID_LEN - 1);
    idz[EXS_VAULT_ID_LEN - 1] = 0;
    static const char rs[] = "\"step\":\"restor";
    if (memmem(line, n, rs, sizeof rs - 1)) { /* a restore's line: one not ended */
        long r = find_id(c, idz, true);
        return r >= 0 && c->restores[r].state == XS_ITEM_INTENT;
    }
    long i = find_id(c, idz, false);
    return i >= 0 && c->items[i].state != XS_ITEM_DONE &&
           c->items[i].state != XS_ITEM_ROLLEDBACK;
}

/* With items stuck: a new journal holding only their lines takes the old one's place, and
 * the old one is kept aside under name. The old journal is linked to name first and the new
 * one renamed over it, so that journal.jsonl is at every moment the whole old journal or the
 * new one. 0, or -1 (the journal stays as it was). */
static int rotate_keeping(exs_vault *v, const jctx *c, const char *buf, size_t len,
                          const char *name)
{
    static const char tmp[] = XS_VAULT_JOURNAL ".new";
    (void)unlinkat(v->dfd, tmp, 0);
    int fd = openat(v->dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    int rc = 0;
    for (size_t off = 0; rc == 0 && off < len;) {
        const char *nl = memchr(buf + off, '\n', len - off);
        if (!nl)
            break;
        size_t n = (size_t)(nl - buf - off) + 1;
        if (unfinished_line(c, buf + off, n - 1))
            rc = xs_vault_write_all(fd, buf + off, n);
        off += n;
    }
    if (rc != 0 || xs_vault_fsync(fd) != 0 || close(fd) != 0) {
        if (rc == 0)
            fd = -1;
        if (fd >= 0)
            close(fd);
        (void)unlinkat(v->dfd, tmp, 0);
        return -1;
    }
    if (!xs_vault_io_ok() || linkat(v->dfd, XS_VAULT_JOURNAL, v->dfd, name, 0) != 0) {
        (void)unlinkat(v->dfd, tmp, 0);
        return -1;
    }
    if (xs_vault_renameat(v->dfd, tmp, v->dfd, XS_VAULT_JOURNAL) != 0) {
        (void)unlinkat(v->dfd, name, 0);
        (void)unlinkat(v->dfd, tmp, 0);
        return -1;
    }
    return xs_vault_fsync(v->dfd);
}

/* journal.jsonl becomes journal-YYYYmmddTHHMMSS.NNNNNNNNNZ.jsonl, the folder synced; with
 * items stuck, a journal of their lines alone begins (rotate_keeping). */
static int rotate_journal(exs_vault *v, const jctx *c, const char *buf, size_t len)
{
    char now[40], name[80];
    xs_vault_utc_now(now);
    size_t o = 0;
    o += (size_t)snprintf(name, sizeof name, "journal-");
    for (const char *p = now; *p && o + 12 < sizeof name; p++)
        if (*p != '-' && *p != ':')
            name[o++] = *p;
    snprintf(name + o, sizeof name - o, ".jsonl");
    if (v->stuck)
        return rotate_keeping(v, c, buf, len, name);
    if (xs_vault_rename_noreplace(v->dfd, XS_VAULT_JOURNAL, name) != 0 ||
        xs_vault_fsync(v->dfd) != 0) {
        snprintf(v->err, sizeof v->err, "cannot put the finished journal aside as %s: %s", name,
                 xs_vault_strerror(errno));
        return -1;
    }
    return 0;
}

int xs_vault_recover(exs_vault *v)
{
    char *buf;
    size_t len;
    bool torn;
    int rc = -1;
    xs_vault_res *ir = NULL;
    if (xs_vault_slurp(v->dfd, XS_VAULT_JOURNAL, &buf, &len) != 0) {
        snprintf(v->err, sizeof v->err, "cannot read the journal: %s", xs_vault_strerror(errno));
        return -1;
    }
    jctx c = {0};
    uint64_t bad = xs_vault_journal_parse(buf, len, &c, &torn);
    if (c.oom) {
        snprintf(v->err, sizeof v->err, "out of memory");
        goto out;
    }
    if (bad) {
        snprintf(v->err, sizeof v->err,
                 "journal line %llu is not a journal entry: the vault was altered; nothing done",
                 (unsigned long long)bad);
        goto out;
    }
    if (torn && xs_vault_cut_torn(v, XS_VAULT_JOURNAL, buf, len) != 0)
        goto out;
    xs_item *todo[XS_VAULT_BATCH];
    size_t ntodo = 0;
    if (!(ir = calloc(XS_VAULT_BATCH, sizeof *ir))) {
        snprintf(v->err, sizeof v->err, "out of memory");
        goto out;
    }
    for (size_t i = 0; i <= c.n; i++) {
        /* the items to carry on, a batch at a time */
        if (ntodo == XS_VAULT_BATCH || (i == c.n && ntodo)) {
            xs_vault_advance_many(v, todo, ntodo, ir);
            for (size_t j = 0; j < ntodo; j++) {
                if (ir[j].rc == 0) {
                    v->completed++;
                } else if (!v->stuck++) {
                    snprintf(v->stuck_msg, sizeof v->stuck_msg, "%s", ir[j].err);
                }
            }
            ntodo = 0;
        }
        if (i == c.n)
            break;
        xs_item *it = &c.items[i];
        if (it->state == XS_ITEM_DONE || it->state == XS_ITEM_ROLLEDBACK)
            continue;
        if (it->state == XS_ITEM_INTENT) {
            /* never the zip of an item the manifest holds: a journal cut short by hand would
             * otherwise roll back a copy whose original is gone */
            const exs_vault_entry *me;
            size_t nme;
            if (exs_vault_entries(v, &me, &nme) != EXS_OK) {
                snprintf(v->err, sizeof v->err,
                         "item %s: the manifest cannot be read, so its zip is kept; resolve by "
                         "hand", it->id);
                goto stuck;
            }
            for (size_t k = 0; k < nme; k++)
                if (strcmp(me[k].item, it->id) == 0 && strcmp(me[k].action, "quarantine") == 0) {
                    snprintf(v->err, sizeof v->err,
                             "item %s: the journal says it was not copied but the manifest holds "
                             "it: the vault was altered; its zip is kept, resolve by hand",
                             it->id);
                    goto stuck;
                }
            if (xs_vault_rollback(v, it) != 0)
                goto stuck;
            v->rolled_back++;
            continue;
        }
        if (it->state == XS_ITEM_COPIED) { /* the zip must still be the file */
            char hex[65], e[512];
            uint64_t size;
            if (xs_vault_zip_read(v->dfd, it->zip, hex, &size, -1, e, sizeof e) != 0 ||
                strcmp(hex, it->sha256) != 0) {
                snprintf(v->err, sizeof v->err,
                         "item %s: its zip is damaged before the original was removed; "
                         "%s is left in place, resolve by hand", it->id, it->path);
                goto stuck;
            }
        }
        todo[ntodo++] = it;
        continue;
    stuck: /* said, kept in the journal, retried at the next opening; the others go on */
        if (!v->stuck++)
            memcpy(v->stuck_msg, v->err, sizeof v->stuck_msg);
    }
    for (size_t i = 0; i < c.nr; i++) {
        if (c.restores[i].state != XS_ITEM_INTENT)
            continue;
        if (xs_vault_restore_recover(v, &c.restores[i]) == 0) {
            v->restores_finished++;
        } else if (!v->stuck++) {
            memcpy(v->stuck_msg, v->err, sizeof v->stuck_msg);
        }
    }
    /* every item ended: a long journal is put aside (kept, never read again), so that a
     * vault's life is not bounded by what one journal may hold */
    uint64_t nl = 0;
    for (const char *q = buf; q && (q = memchr(q, '\n', len - (size_t)(q - buf))); q++)
        nl++;
    v->journal_lines = nl;
    v->journal_bytes = len;
    if (len > (size_t)xs_vault_journal_rotate_at || nl > XS_VAULT_MAX_ENTRIES / 8) {
        /* on failure it stays; the next opening retries */
        if (rotate_journal(v, &c, buf, len) == 0) {
            char *nb;
            size_t nn;
            if (xs_vault_slurp(v->dfd, XS_VAULT_JOURNAL, &nb, &nn) == 0) {
                v->journal_bytes = nn;
                v->journal_lines = 0;
                for (const char *q = nb; q && (q = memchr(q, '\n', nn - (size_t)(q - nb))); q++)
                    v->journal_lines++;
                free(nb);
            }
        }
    }
    rc = 0;
out:
    free(ir);
    xs_vault_journal_free(&c);
    free(buf);
    return rc;
}

uint64_t xs_vault_journal_parse(const char *p, size_t n, xs_vault_journal *j, bool *torn)
{
    return xs_vault_lines(p, n, on_journal, j, torn);
}

void xs_vault_journal_free(xs_vault_journal *j)
{
    for (size_t i = 0; i < j->n; i++)
        item_free(&j->items[i]);
    for (size_t i = 0; i < j->nr; i++)
        item_free(&j->restores[i]);
    free(j->items);
    free(j->restores);
    xs_strmap_destroy(j->ids);
    xs_strmap_destroy(j->rids);
    j->ids = j->rids = NULL;
    j->items = NULL;
    j->restores = NULL;
    j->n = j->cap = j->nr = j->rcap = 0;
}

/* ---- items in ---- */

size_t exs_vault_batch_size(void)
{
    return XS_VAULT_BATCH;
}

typedef struct fresh {
    xs_item it;
    char hex[65];
} fresh;

/* The item of candidate c, checked against what the sweep saw, and its intent line appended to
 * *jl: 0 ready, 1 not to be done (r says why: refused, changed, too long), -1 failed. */
static int prepare(const exs_vault *v, xs_item *const *queued, size_t nq,
                   const exs_vault_cand *c, fresh *f, FILE *jl, exs_vault_result *r)
{
    xs_item *it = &f->it;
    const char *why, *base;
    int dfd = -1, fd = -1, rc = -1;
    struct stat st;
    uint64_t size;
    int k = xs_vault_check(c, &dfd, &fd, &base, &st, f->hex, &size, &why);
    if (fd >= 0)
        close(fd);
    if (dfd >= 0)
        close(dfd);
    if (k == 1 || k == 2) {
        r->outcome = k == 1 ? EXS_VAULT_REFUSED : EXS_VAULT_CHANGED;
        snprintf(r->msg, sizeof r->msg, "%s", why);
        return 1;
    }
    if (k != 0) {
        r->rc = EXS_EIO;
        snprintf(r->msg, sizeof r->msg, "cannot read %.300s: %s", c->path,
                 xs_vault_strerror(errno));
        return -1;
    }
    /* one file named twice (overlapping roots, a saved sweep listing it twice): once */
    for (size_t j = 0; j < nq; j++)
        if (queued[j]->dev == (uint64_t)st.st_dev && queued[j]->ino == (uint64_t)st.st_ino) {
            r->outcome = EXS_VAULT_REFUSED;
            snprintf(r->msg, sizeof r->msg, "the same file as %.300s, quarantined with it (item "
                     "%s)", queued[j]->path, queued[j]->id);
            return 1;
        }
    /* the id: the file and the moment */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char seed[PATH_MAX * 2 + 160], idhex[65];
    int sl = snprintf(seed, sizeof seed, "%s%c%s%c%s%c%lld.%ld.%d", c->root_path, 0, c->path, 0,
                      f->hex, 0, (long long)now.tv_sec, now.tv_nsec, (int)getpid());
    if (sl < 0 || !xs_sha256_hex(seed, (size_t)sl < sizeof seed ? (size_t)sl : sizeof seed - 1,
                                 idhex))
        goto oom;
    memcpy(it->id, idhex, EXS_VAULT_ID_LEN - 1);
    snprintf(it->zip, sizeof it->zip, "%s.zip", it->id);
    it->root_path = (char *)c->root_path;
    it->root = (char *)c->root_label;
    it->path = (char *)c->path;
    it->sha256 = f->hex;
    it->findings = (char *)(c->findings ? c->findings : "");
    it->rules = (char *)(c->rules ? c->rules : "");
    it->size = size;
    it->dev = (uint64_t)st.st_dev;
    it->ino = (uint64_t)st.st_ino;
    it->mtime_ns = xs_vault_time_ns(&st.st_mtim);
    it->atime_ns = xs_vault_time_ns(&st.st_atim);
    it->mode = (unsigned)(st.st_mode & 07777);
    it->uid = (unsigned)st.st_uid;
    it->gid = (unsigned)st.st_gid;
    it->state = XS_ITEM_INTENT;
    it->fresh = true;
    /* 1: the intent */
    char *body = NULL;
    size_t n = 0;
    FILE *m = xs_memopen(&body, &n);
    if (!m)
        goto oom;
    fprintf(m, "\"step\":\"intent\",\"item\":\"%s\"", it->id);
    xs_vault_jstr(m, "root_path", it->root_path, true);
    xs_vault_jstr(m, "root", it->root, true);
    xs_vault_jstr(m, "path", it->path, true);
    fprintf(m, ",\"size\":%llu,\"sha256\":\"%s\",\"dev\":%llu,\"ino\":%llu",
            (unsigned long long)it->size, f->hex, (unsigned long long)it->dev,
            (unsigned long long)it->ino);
    fprintf(m, ",\"mtime_ns\":%lld,\"atime_ns\":%lld,\"mode\":%u,\"uid\":%u,\"gid\":%u",
            (long long)it->mtime_ns, (long long)it->atime_ns, it->mode, it->uid, it->gid);
    xs_vault_jstr(m, "findings", it->findings, true);
    xs_vault_jstr(m, "rules", it->rules, true);
    if (xs_memclose(m, &body) != 0) {
        free(body);
        goto oom;
    }
    if (n > XS_VAULT_MAX_RECORD) { /* the manifest entry adds the operator, host and time */
        free(body);
        r->outcome = EXS_VAULT_REFUSED;
        snprintf(r->msg, sizeof r->msg, "its path, findings and rules are too long to record "
                 "(%zu bytes, over XS_VAULT_MAX_RECORD)", n);
        return 1;
    }
    /* an item takes five journal lines: the intent and four steps of about 100 bytes */
    if (!xs_vault_journal_room(v, 5 * (nq + 1), (nq + 1) * (n + 512))) {
        free(body);
        r->outcome = EXS_VAULT_REFUSED;
        snprintf(r->msg, sizeof r->msg, "the journal is near what it may hold (%llu lines, %llu "
                 "bytes): run the quarantine again to go on (the next opening of the vault puts "
                 "the journal aside)", (unsigned long long)v->journal_lines,
                 (unsigned long long)v->journal_bytes);
        return 1;
    }
    /* the manifest entry adds the operator, host, time, version and zip to the intent's */
    if (!xs_vault_manifest_room(v, nq + 1, n + 512, true)) {
        free(body);
        r->outcome = EXS_VAULT_REFUSED;
        snprintf(r->msg, sizeof r->msg, "the vault is full: its manifest holds %llu entries, "
                 "%llu bytes, near what one vault may (XS_VAULT_MAX_ENTRIES, XS_VAULT_MAX_LOG; "
                 "the rest is kept for restores): quarantine into a new vault",
                 (unsigned long long)v->manifest_lines, (unsigned long long)v->manifest_bytes);
        return 1;
    }
    fputc('{', jl);
    fwrite(body, 1, n, jl);
    fputs("}\n", jl);
    free(body);
    memcpy(r->id, it->id, EXS_VAULT_ID_LEN);
    rc = 0;
    return rc;
oom:
    r->rc = EXS_ENOMEM;
    snprintf(r->msg, sizeof r->msg, "out of memory");
    return -1;
}

/* Up to XS_VAULT_BATCH candidates through the whole sequence. */
static void quarantine_batch(exs_vault *v, const exs_vault_cand *const *c, size_t n,
                             exs_vault_result *res)
{
    fresh *f = calloc(n, sizeof *f);
    xs_item **its = calloc(n, sizeof *its);
    xs_vault_res *ir = calloc(n, sizeof *ir);
    size_t *at = calloc(n, sizeof *at), k = 0;
    char *jbuf = NULL;
    size_t jn = 0;
    FILE *jl = f && its && ir && at ? xs_memopen(&jbuf, &jn) : NULL;
    if (!jl) {
        for (size_t i = 0; i < n; i++) {
            res[i].rc = EXS_ENOMEM;
            snprintf(res[i].msg, sizeof res[i].msg, "out of memory");
        }
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (prepare(v, its, k, c[i], &f[i], jl, &res[i]) == 0) {
            its[k] = &f[i].it;
            at[k++] = i;
        }
    if (xs_memclose(jl, &jbuf) != 0) { /* jbuf, if set, is freed at out */
        for (size_t j = 0; j < k; j++) {
            res[at[j]].rc = EXS_ENOMEM;
            res[at[j]].id[0] = 0;
            snprintf(res[at[j]].msg, sizeof res[at[j]].msg, "out of memory");
        }
        goto out;
    }
    /* 1: every intent, one sync */
    if (k && xs_vault_journal_append_lines(v, jbuf, jn) != 0) {
        for (size_t j = 0; j < k; j++) {
            res[at[j]].rc = EXS_EIO;
            res[at[j]].id[0] = 0;
            snprintf(res[at[j]].msg, sizeof res[at[j]].msg, "%.900s; the file is left in place",
                     v->err);
        }
        goto out;
    }
    for (size_t j = 0; j < k; j++)
        xs_vault_step();
    xs_vault_advance_many(v, its, k, ir);
    for (size_t j = 0; j < k; j++) {
        exs_vault_result *r = &res[at[j]];
        xs_item *it = its[j];
        r->outcome = ir[j].outcome;
        if (ir[j].rc == 0) {
            snprintf(r->msg, sizeof r->msg, "%s", ir[j].err);
            continue;
        }
        /* before "copied" the file was never touched: take the partial zip away now (the
         * next opening does it when this fails too) */
        r->rc = EXS_EIO;
        bool rolled = it->state == XS_ITEM_INTENT;
        if (rolled)
            (void)xs_vault_rollback(v, it);
        /* where the file is now, unless the message said it */
        const char *where =
            rolled ? "; the file is left in place"
            : it->removed || it->state >= XS_ITEM_UNLINKED
                ? "; the file is in the vault, gone from its tree, and the next opening of the "
                  "vault finishes the item"
            : it->state >= XS_ITEM_COPIED
                ? "; the file is in its tree and in the vault, and the next opening of the vault "
                  "finishes the item"
                : "; the file is left in place";
        if (strstr(ir[j].err, "left in place") || strstr(ir[j].err, "resolve by hand") ||
            strstr(ir[j].err, "finishes the item"))
            where = "";
        snprintf(r->msg, sizeof r->msg, "%.900s%s", ir[j].err, where);
    }
out:
    free(jbuf);
    free(f);
    free(its);
    free(ir);
    free(at);
}

exs_rc exs_vault_quarantine_many(exs_vault *v, const exs_vault_cand *const *c, size_t n,
                                 exs_vault_result *res)
{
    exs_rc rc = EXS_OK;
    v->err[0] = 0;
    for (size_t i = 0; i < n; i++) {
        res[i].rc = EXS_OK;
        res[i].outcome = EXS_VAULT_REFUSED;
        res[i].id[0] = 0;
        res[i].msg[0] = 0;
    }
    for (size_t i = 0; i < n; i += XS_VAULT_BATCH)
        quarantine_batch(v, c + i, n - i < XS_VAULT_BATCH ? n - i : XS_VAULT_BATCH, res + i);
    for (size_t i = 0; i < n; i++)
        if (res[i].rc != EXS_OK && rc == EXS_OK) {
            rc = res[i].rc;
            snprintf(v->err, sizeof v->err, "%s", res[i].msg);
        }
    return rc;
}

exs_rc exs_vault_quarantine(exs_vault *v, const exs_vault_cand *c, exs_vault_outcome *outcome,
                            char id[EXS_VAULT_ID_LEN])
{
    exs_vault_result r;
    exs_rc rc = exs_vault_quarantine_many(v, &c, 1, &r);
    *outcome = r.outcome;
    memcpy(id, r.id, EXS_VAULT_ID_LEN);
    snprintf(v->err, sizeof v->err, "%s", r.msg);
    return rc;
}
