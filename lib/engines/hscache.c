/* The cache of compiled Vectorscan literal databases (hscache.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/limits.h"
#include "engines/hscache.h"

#define MAGIC "EXSWEEP HSDB v1\n"
#define MAGIC_N 16
#define HEADER (MAGIC_N + 32 + 8 + 32)
#define NAME_MAX_ 96

static atomic_long fault_n, fault_calls;

struct xs_hscache {
    int dfd;
    atomic_size_t hits, compiled, bad, stored, failed;
    pthread_mutex_t mu; /* why */
    char why[160];
    unsigned long seq;  /* temporary names (under mu) */
};

/* ---------------------------------------------------------------- calls that can fail */

void xs_hscache_fault_at(long n)
{
    atomic_store(&fault_calls, 0);
    atomic_store(&fault_n, n);
}

long xs_hscache_fault_calls(void)
{
    return atomic_load(&fault_calls);
}

static bool fault(void)
{
    long n = atomic_load(&fault_n);
    if (!n || atomic_fetch_add(&fault_calls, 1) + 1 != n)
        return false;
    errno = EIO;
    return true;
}

static void *x_malloc(size_t n)
{
    return fault() ? NULL : malloc(n ? n : 1);
}

static int x_openat(int dfd, const char *name, int flags, mode_t mode)
{
    if (fault()) {
        errno = EIO;
        return -1;
    }
    return openat(dfd, name, flags, mode);
}

static int x_fstat(int fd, struct stat *st)
{
    if (fault()) {
        errno = EIO;
        return -1;
    }
    return fstat(fd, st);
}

static bool x_read_all(int fd, unsigned char *p, size_t n)
{
    while (n) {
        if (fault())
            return false;
        ssize_t k = read(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return false;
        p += k;
        n -= (size_t)k;
    }
    return true;
}

static bool x_write_all(int fd, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n) {
        if (fault()) {
            errno = EIO;
            return false;
        }
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = ENOSPC;
            return false;
        }
        p += k;
        n -= (size_t)k;
    }
    return true;
}

/* ---------------------------------------------------------------- the folder */

static void say(xs_hscache *c, const char *what, int e)
{
    pthread_mutex_lock(&c->mu);
    if (!c->why[0])
        snprintf(c->why, sizeof c->why, "%s: %s", what, strerror(e));
    pthread_mutex_unlock(&c->mu);
}

/* Whether the folder fd is one of avoid's or below one (1) or not (0): its own (st_dev,
 * st_ino) and each of its parents' up to "/" compared; -1 when that cannot be told (a call
 * failing, more than XS_MAX_DEPTH folders above it): the cache is then not used either. */
static int below(int fd, const struct stat *avoid, size_t nav)
{
    if (!nav)
        return 0;
    int cur = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    for (int depth = 0; cur >= 0 && depth <= XS_MAX_DEPTH; depth++) {
        struct stat st, up;
        if (x_fstat(cur, &st) != 0)
            break;
        for (size_t i = 0; i < nav; i++)
            if (st.st_dev == avoid[i].st_dev && st.st_ino == avoid[i].st_ino) {
                close(cur);
                return 1;
            }
        int p = x_openat(cur, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (p < 0 || x_fstat(p, &up) != 0) {
            if (p >= 0)
                close(p);
            break;
        }
        close(cur);
        cur = p;
        if (up.st_dev == st.st_dev && up.st_ino == st.st_ino) { /* "/" */
            close(cur);
            return 0;
        }
    }
    if (cur >= 0)
        close(cur);
    return -1;
}

static const char *below_why(int b)
{
    return b > 0 ? "it is inside the evidence"
                 : "whether it is inside the evidence cannot be told";
}

/* A folder on the way to the cache: this user's or root's, and not writable by others unless
 * sticky (as /tmp); group-writable only for this user's own group. */
static const char *unsafe_parent(const struct stat *st)
{
    if (st->st_uid != geteuid() && st->st_uid != 0)
        return "another user's folder on the way to it";
    if ((st->st_mode & S_ISVTX) == 0 &&
        ((st->st_mode & 002) || ((st->st_mode & 020) && st->st_gid != getegid())))
        return "a folder on the way to it is writable by other users";
    return NULL;
}

/* dir as an absolute path whose existing part is resolved (links, "." and ".."), into out;
 * the part that does not exist yet may hold no "..". NULL with the reason. */
static const char *resolve(const char *dir, char *out, size_t cap)
{
    char cur[PATH_MAX], wd[PATH_MAX];
    int n = dir[0] == '/' ? snprintf(cur, sizeof cur, "%s", dir)
                          : (getcwd(wd, sizeof wd) ? snprintf(cur, sizeof cur, "%s/%s", wd, dir)
                                                   : -1);
    if (n < 0 || (size_t)n >= sizeof cur)
        return "its path is too long";
    size_t cut = strlen(cur);
    for (;;) { /* the longest prefix that exists */
        char was = cur[cut];
        cur[cut] = 0;
        char *r = fault() ? NULL : realpath(cur, wd);
        cur[cut] = was;
        if (r) {
            size_t m = strlen(wd);
            if (m == 1 && cur[cut] == '/')
                m = 0; /* "/" + "/rest" */
            if ((size_t)snprintf(out, cap, "%.*s%s", (int)m, wd, cur + cut) >= cap)
                return "its path is too long";
            break;
        }
        if (errno != ENOENT)
            return "its path cannot be resolved";
        while (cut > 0 && cur[cut - 1] != '/')
            cut--;
        if (cut <= 1)
            return "its path cannot be resolved";
        cut--;
    }
    for (const char *p = strstr(out, "/.."); p; p = strstr(p + 1, "/.."))
        if (p[3] == 0 || p[3] == '/')
            return "a \"..\" in the part of its path that does not exist yet";
    return NULL;
}

/* The cache folder dir opened one part at a time from "/", no link followed (a link swapped
 * in after resolve() fails the open), each existing part checked (unsafe_parent), each missing
 * one made (mode 0700) only when its parent is not below avoid. fd or -1 with the reason. */
static int open_dir(const char *dir, const struct stat *avoid, size_t nav, const char **bad)
{
    char path[PATH_MAX];
    if ((*bad = resolve(dir, path, sizeof path)) != NULL)
        return -1;
    int fd = x_openat(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0) {
        *bad = "the root folder cannot be opened";
        return -1;
    }
    char *save = NULL;
    for (char *part = strtok_r(path, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
        struct stat st;
        if (x_fstat(fd, &st) != 0) {
            *bad = "a folder on the way to it cannot be read";
            goto fail;
        }
        if ((*bad = unsafe_parent(&st)) != NULL)
            goto fail;
        int sub = x_openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (sub < 0 && errno == ENOENT) {
            int b = below(fd, avoid, nav);
            if (b) {
                *bad = below_why(b);
                goto fail;
            }
            if ((fault() || mkdirat(fd, part, 0700) != 0) && errno != EEXIST) {
                *bad = "it cannot be made";
                goto fail;
            }
            sub = x_openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
        }
        if (sub < 0) {
            *bad = errno == ELOOP || errno == ENOTDIR ? "a link or a file on the way to it"
                                                      : "a folder on the way to it cannot be opened";
            goto fail;
        }
        close(fd);
        fd = sub;
    }
    int b = below(fd, avoid, nav);
    if (b) {
        *bad = below_why(b);
        goto fail;
    }
    return fd;
fail:
    close(fd);
    return -1;
}

xs_hscache *xs_hscache_open(const char *dir, const struct stat *avoid, size_t navoid, char *why,
                            size_t cap)
{
    if (!dir || !*dir) {
        snprintf(why, cap, "no folder");
        return NULL;
    }
    const char *bad = NULL;
    int fd = open_dir(dir, avoid, navoid, &bad);
    struct stat st;
    if (fd >= 0 && x_fstat(fd, &st) != 0)
        bad = "it cannot be read";
    else if (fd >= 0)
        bad = !S_ISDIR(st.st_mode)         ? "not a folder"
              : st.st_uid != geteuid()     ? "not owned by this user"
              : (st.st_mode & 022) != 0    ? "writable by other users"
                                           : NULL;
    xs_hscache *c = bad || fault() ? NULL : calloc(1, sizeof *c);
    if (!c) {
        snprintf(why, cap, "%s (%s)", bad ? bad : strerror(ENOMEM), dir);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    c->dfd = fd;
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

/* ---------------------------------------------------------------- keys and files */

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static bool sha256(const void *p, size_t n, unsigned char out[32])
{
    unsigned len = 0;
    return !fault() && EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) == 1 && len == 32;
}

/* The key of a compilation: everything its database depends on. */
static bool make_key(const char *const *ex, const unsigned *flags, const unsigned *ids,
                     const size_t *lens, unsigned n, unsigned mode, unsigned char key[32])
{
    EVP_MD_CTX *m = fault() ? NULL : EVP_MD_CTX_new();
    if (!m)
        return false;
    hs_platform_info_t plat;
    memset(&plat, 0, sizeof plat);
    bool ok = hs_populate_platform(&plat) == HS_SUCCESS &&
              EVP_DigestInit_ex(m, EVP_sha256(), NULL) == 1;
    const char *ver = hs_version();
    unsigned char b[8];
#define ADD(p, k) (ok = ok && EVP_DigestUpdate(m, (p), (k)) == 1)
#define ADD64(v) (put64(b, (uint64_t)(v)), ADD(b, 8))
    ADD(MAGIC, MAGIC_N);
    ADD64(strlen(ver));
    ADD(ver, strlen(ver));
    ADD64(plat.tune);
    ADD64(plat.cpu_features);
    ADD64(mode);
    ADD64(n);
    for (unsigned i = 0; i < n && ok; i++) {
        ADD64(flags[i]);
        ADD64(ids[i]);
        ADD64(lens[i]);
        ADD(ex[i], lens[i]);
    }
#undef ADD
#undef ADD64
    unsigned len = 0;
    ok = ok && EVP_DigestFinal_ex(m, key, &len) == 1 && len == 32;
    EVP_MD_CTX_free(m);
    return ok;
}

static void key_name(const unsigned char key[32], char name[NAME_MAX_])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        name[2 * i] = hex[key[i] >> 4];
        name[2 * i + 1] = hex[key[i] & 15];
    }
    memcpy(name + 64, ".hsdb", 6);
}

bool xs_hscache_check(const unsigned char *buf, size_t n, const unsigned char key[32],
                      const unsigned char **db, size_t *dbn)
{
    if (n < HEADER || memcmp(buf, MAGIC, MAGIC_N) != 0 || memcmp(buf + MAGIC_N, key, 32) != 0)
        return false;
    uint64_t len = get64(buf + MAGIC_N + 32);
    if (len == 0 || len > XS_HSCACHE_MAX_FILE || len != n - HEADER)
        return false;
    unsigned char sum[32];
    if (!sha256(buf + HEADER, (size_t)len, sum) || memcmp(sum, buf + MAGIC_N + 40, 32) != 0)
        return false;
    *db = buf + HEADER;
    *dbn = (size_t)len;
    return true;
}

/* The database of key from the cache, or NULL: none, a file not usable (counted bad), or a
 * call failing (not counted: the file may be fine). */
static hs_database_t *load(xs_hscache *c, const unsigned char key[32], const char *name)
{
    int fd = x_openat(c->dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
    if (fd < 0) {
        if (errno == ELOOP || errno == ENXIO)
            atomic_fetch_add(&c->bad, 1); /* a link; a fifo or socket without a writer */
        return NULL;
    }
    struct stat st;
    hs_database_t *db = NULL;
    unsigned char *buf = NULL;
    bool unusable = false;
    if (x_fstat(fd, &st) != 0)
        goto out;
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || st.st_size < HEADER ||
        (uint64_t)st.st_size > HEADER + (uint64_t)XS_HSCACHE_MAX_FILE) {
        unusable = true;
        goto out;
    }
    if (!(buf = x_malloc((size_t)st.st_size)) || !x_read_all(fd, buf, (size_t)st.st_size))
        goto out;
    const unsigned char *p;
    size_t n;
    if (!xs_hscache_check(buf, (size_t)st.st_size, key, &p, &n))
        unusable = true;
    else if (!fault() && hs_deserialize_database((const char *)p, n, &db) != HS_SUCCESS) {
        db = NULL;
        unusable = true; /* another engine's, or one Vectorscan refuses */
    }
    if (db)
        futimens(fd, NULL); /* used now: kept longest (prune); best effort */
out:
    if (unusable)
        atomic_fetch_add(&c->bad, 1);
    free(buf);
    close(fd);
    return db;
}

/* db written to the cache as key's file. */
static void store(xs_hscache *c, const unsigned char key[32], const char *name,
                  const hs_database_t *db)
{
    char *bytes = NULL;
    size_t n = 0;
    unsigned char head[HEADER];
    if (fault() || hs_serialize_database(db, &bytes, &n) != HS_SUCCESS || !n ||
        n > XS_HSCACHE_MAX_FILE) {
        free(bytes);
        atomic_fetch_add(&c->failed, 1);
        say(c, "serializing a database", n > XS_HSCACHE_MAX_FILE ? EFBIG : ENOMEM);
        return;
    }
    memcpy(head, MAGIC, MAGIC_N);
    memcpy(head + MAGIC_N, key, 32);
    put64(head + MAGIC_N + 32, n);
    char tmp[NAME_MAX_ + 48];
    pthread_mutex_lock(&c->mu);
    unsigned long seq = ++c->seq;
    pthread_mutex_unlock(&c->mu);
    snprintf(tmp, sizeof tmp, ".tmp-%.16s-%ld-%lu", name, (long)getpid(), seq);
    int fd = -1, e = 0;
    bool ok = true;
    if (!sha256(bytes, n, head + MAGIC_N + 40))
        ok = false, e = ENOMEM;
    else if ((fd = x_openat(c->dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                            0600)) < 0 ||
             !x_write_all(fd, head, sizeof head) || !x_write_all(fd, bytes, n))
        ok = false, e = errno;
    if (fd >= 0 && close(fd) != 0 && ok)
        ok = false, e = errno;
    if (ok && (fault() || renameat(c->dfd, tmp, c->dfd, name) != 0))
        ok = false, e = errno;
    if (!ok) {
        if (fd >= 0)
            unlinkat(c->dfd, tmp, 0);
        atomic_fetch_add(&c->failed, 1);
        say(c, "writing a database", e ? e : EIO);
    } else
        atomic_fetch_add(&c->stored, 1);
    free(bytes);
}

hs_error_t xs_hscache_compile_lit(xs_hscache *c, const char *const *ex, const unsigned *flags,
                                  const unsigned *ids, const size_t *lens, unsigned n,
                                  unsigned mode, hs_database_t **db, hs_compile_error_t **ce)
{
    unsigned char key[32];
    char name[NAME_MAX_];
    bool keyed = c && make_key(ex, flags, ids, lens, n, mode, key);
    if (keyed) {
        key_name(key, name);
        if ((*db = load(c, key, name)) != NULL) {
            *ce = NULL;
            atomic_fetch_add(&c->hits, 1);
            return HS_SUCCESS;
        }
    }
    hs_error_t e = hs_compile_lit_multi(ex, flags, ids, lens, n, mode, NULL, db, ce);
    if (c)
        atomic_fetch_add(&c->compiled, 1);
    if (e == HS_SUCCESS && keyed)
        store(c, key, name, *db);
    return e;
}

/* ---------------------------------------------------------------- pruning */

typedef struct ent {
    char name[NAME_MAX_];
    struct timespec t;
} ent;

static int by_age(const void *a, const void *b)
{
    const ent *x = a, *y = b;
    if (x->t.tv_sec != y->t.tv_sec)
        return x->t.tv_sec < y->t.tv_sec ? -1 : 1;
    if (x->t.tv_nsec != y->t.tv_nsec)
        return x->t.tv_nsec < y->t.tv_nsec ? -1 : 1;
    return strcmp(x->name, y->name);
}

static bool hex_run(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return false;
    return true;
}

/* A temporary name store() makes: ".tmp-", 16 hex digits, "-", a pid, "-", a number. */
static bool tmp_name(const char *s)
{
    if (strncmp(s, ".tmp-", 5) != 0 || strlen(s) >= NAME_MAX_ || !hex_run(s + 5, 16) ||
        s[21] != '-')
        return false;
    const char *p = s + 22;
    for (int part = 0; part < 2; part++) {
        size_t k = strspn(p, "0123456789");
        if (!k || (part == 0 ? p[k] != '-' : p[k] != 0))
            return false;
        p += k + 1;
    }
    return true;
}

/* The files past XS_HSCACHE_MAX_FILES removed, the oldest first; temporary files an hour old
 * (what a killed run left) too. Reads at most 4 * XS_HSCACHE_MAX_FILES names. */
static void prune(xs_hscache *c)
{
    int fd = fault() ? -1 : dup(c->dfd);
    DIR *d = fd < 0 ? NULL : fdopendir(fd);
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    rewinddir(d);
    size_t cap = 4 * (size_t)XS_HSCACHE_MAX_FILES, n = 0, seen = 0;
    ent *v = x_malloc(cap * sizeof *v);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct dirent *de;
    while (v && seen < cap && !fault() && (de = readdir(d)) != NULL) {
        seen++;
        size_t len = strlen(de->d_name);
        bool db = len == 69 && !strcmp(de->d_name + 64, ".hsdb") && hex_run(de->d_name, 64);
        bool tmp = tmp_name(de->d_name);
        struct stat st;
        if ((!db && !tmp) ||
            fstatat(c->dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (tmp) {
            if (now.tv_sec - st.st_mtim.tv_sec > 3600)
                unlinkat(c->dfd, de->d_name, 0);
            continue;
        }
        memcpy(v[n].name, de->d_name, len + 1);
        v[n++].t = st.st_mtim;
    }
    if (v && n > XS_HSCACHE_MAX_FILES) {
        qsort(v, n, sizeof *v, by_age);
        for (size_t i = 0; i < n - XS_HSCACHE_MAX_FILES; i++)
            unlinkat(c->dfd, v[i].name, 0);
    }
    free(v);
    closedir(d);
}

void xs_hscache_stats_get(xs_hscache *c, xs_hscache_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!c)
        return;
    out->hits = atomic_load(&c->hits);
    out->compiled = atomic_load(&c->compiled);
    out->bad = atomic_load(&c->bad);
    out->stored = atomic_load(&c->stored);
    out->failed = atomic_load(&c->failed);
    pthread_mutex_lock(&c->mu);
    memcpy(out->why, c->why, sizeof out->why);
    pthread_mutex_unlock(&c->mu);
}

void xs_hscache_close(xs_hscache *c)
{
    if (!c)
        return;
    if (atomic_load(&c->stored))
        prune(c);
    close(c->dfd);
    pthread_mutex_destroy(&c->mu);
    free(c);
}
