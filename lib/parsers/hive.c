/* Registry hives through libregf (hive.h). The base block is read here, by offset:
 *
 *   0x000  4  "regf"                 0x01C  4  file type (0 primary, 1/2/6 logs)
 *   0x004  4  primary sequence       0x020  4  file format (1)
 *   0x008  4  secondary sequence     0x024  4  root cell offset
 *   0x00C  8  last written FILETIME  0x028  4  hive bins data size
 *   0x014  4  major version (1)      0x030 64  file name (UTF-16LE)
 *   0x018  4  minor version (3..6)   0x1FC  4  checksum: XOR of the 127 words before it
 *
 * Everything else (bins, cells, lists, big data) is libregf's, which checks its own bounds;
 * what comes out of it (counts, sizes, names) is treated as hostile all the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <libregf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core/utf16.h"
#include "exsweep/finding.h"
#include "parsers/hive.h"

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* FILETIME (100 ns since 1601) to ms since 1970; EXS_TIME_NONE for 0 and for times past
 * year 9999. */
static int64_t ft_ms(uint64_t ft)
{
    if (ft == 0 || ft > 2650467743999999999ull)
        return EXS_TIME_NONE;
    return (int64_t)(ft / 10000) - 11644473600000LL;
}

uint32_t xs_hive_checksum(const unsigned char *p)
{
    uint32_t x = 0;
    for (int i = 0; i < 127; i++)
        x ^= le32(p + 4 * i);
    return x == 0 ? 1 : x == 0xFFFFFFFFu ? 0xFFFFFFFEu : x;
}

bool xs_hive_head_read(const unsigned char *p, size_t n, xs_hive_head *h)
{
    memset(h, 0, sizeof *h);
    if (n < 512 || memcmp(p, "regf", 4) != 0)
        return false;
    h->seq_primary = le32(p + 4);
    h->seq_secondary = le32(p + 8);
    h->written_ms = ft_ms((uint64_t)le32(p + 12) | (uint64_t)le32(p + 16) << 32);
    h->major = le32(p + 0x14);
    h->minor = le32(p + 0x18);
    h->type = le32(p + 0x1C);
    h->root = le32(p + 0x24);
    h->bins = le32(p + 0x28);
    h->checksum_ok = xs_hive_checksum(p) == le32(p + 0x1FC);
    xs_utf16le_to_utf8(p + 0x30, 32, h->name, sizeof h->name - 1, 0, NULL);
    h->name[strnlen(h->name, sizeof h->name - 1)] = 0;
    return true;
}

void xs_hive_limits_default(xs_hive_limits *l)
{
    l->max_bytes = XS_HIVE_MAX_BYTES;
    l->max_subkeys = XS_HIVE_MAX_SUBKEYS;
    l->max_values = XS_HIVE_MAX_VALUES;
    l->max_depth = XS_HIVE_MAX_DEPTH;
    l->max_data = XS_HIVE_MAX_DATA;
    l->max_keys = XS_HIVE_MAX_KEYS;
    l->max_bin = XS_HIVE_MAX_BIN;
}

/* ---------------------------------------------------------------- the copy */

struct xs_hive_image {
    int fd;
    uint64_t size, max;
    bool over;
};

exs_rc xs_hive_image_new(xs_hive_image **out, uint64_t max_bytes)
{
    *out = NULL;
    xs_hive_image *im = calloc(1, sizeof *im);
    if (!im)
        return EXS_ENOMEM;
    im->fd = memfd_create("exsweep-hive", MFD_CLOEXEC);
    if (im->fd < 0) {
        exs_rc rc = errno == ENOMEM ? EXS_ENOMEM : EXS_EIO;
        free(im);
        return rc;
    }
    im->max = max_bytes ? max_bytes : XS_HIVE_MAX_BYTES;
    *out = im;
    return EXS_OK;
}

exs_rc xs_hive_image_pwrite(xs_hive_image *im, uint64_t off, const void *p, size_t n)
{
    if (off > im->max || n > im->max - off) { /* refused and remembered (over); later writes
                                                  within the cap still land */
        im->over = true;
        return EXS_ELIMIT;
    }
    const char *c = p;
    size_t done = 0;
    while (done < n) {
        ssize_t w = pwrite(im->fd, c + done, n - done, (off_t)(off + done));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return errno == ENOMEM || errno == ENOSPC ? EXS_ENOMEM : EXS_EIO;
        done += (size_t)w;
    }
    if (off + n > im->size)
        im->size = off + n;
    return EXS_OK;
}

exs_rc xs_hive_image_append(xs_hive_image *im, const void *p, size_t n)
{
    return xs_hive_image_pwrite(im, im->size, p, n);
}

long xs_hive_image_pread(const xs_hive_image *im, uint64_t off, void *p, size_t n)
{
    size_t done = 0;
    while (done < n && off + done < im->size) {
        ssize_t r = pread(im->fd, (char *)p + done, n - done, (off_t)(off + done));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        done += (size_t)r;
    }
    return (long)done;
}

uint64_t xs_hive_image_size(const xs_hive_image *im)
{
    return im->size;
}

void xs_hive_image_free(xs_hive_image *im)
{
    if (!im)
        return;
    close(im->fd);
    free(im);
}

/* ---------------------------------------------------------------- reading */

struct xs_hive {
    libregf_file_t *file;
    xs_hive_image *im;
    xs_hive_limits lim;
    uint64_t keys; /* keys opened */
    xs_hive_over over;
    bool oom;      /* an allocation of ours failed: a key may look absent that is not */
};

struct xs_hkey {
    xs_hive *h;
    libregf_key_t *k;
    uint64_t depth;
    int64_t ms;
    size_t nsub, nval;
    bool have_nsub, have_nval;
    char name[XS_HIVE_MAX_NAME];
};

/* ---------------------------------------------------------------- before libregf reads it
 *
 * libregf 20201007 trusts a key node's value count: a count past what its value list cell holds
 * (0x80000001 for an 8-byte list) makes it read far past the cell, and a fuzzer found it
 * crashing there. Before the copy is opened, every allocated nk cell of the bins (walked bin by
 * bin, cell by cell, as the format lays them out) gets the value count its list can hold, and a
 * subkey count without a list is zeroed; the evidence itself is not touched. Returns the keys
 * changed so, -1 when the copy cannot be mapped; *big gets the largest bin's size. */
static long sanitize(xs_hive_image *im, uint64_t *big)
{
    *big = 0;
    if (im->size < XS_HIVE_BASE + 32 || im->size > SIZE_MAX)
        return 0;
    size_t n = (size_t)im->size;
    unsigned char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, im->fd, 0);
    if (p == MAP_FAILED)
        return -1;
    long fixed = 0;
    for (size_t bin = XS_HIVE_BASE; bin + 32 <= n && memcmp(p + bin, "hbin", 4) == 0;) {
        uint64_t bsize = le32(p + bin + 8);
        if (bsize < 4096 || bsize % 4096 || bin + bsize > n)
            break;
        if (bsize > *big)
            *big = bsize;
        for (size_t c = bin + 32; c + 4 <= bin + bsize;) {
            int64_t sz = (int32_t)le32(p + c);
            uint64_t a = (uint64_t)(sz < 0 ? -sz : sz);
            if (a < 8 || a % 8 || c + a > bin + bsize)
                break; /* the rest of this bin is not cells libregf can use either */
            if (sz < 0 && a >= 4 + 0x50 && p[c + 4] == 'n' && p[c + 5] == 'k') {
                unsigned char *nk = p + c + 4;
                uint32_t nval = le32(nk + 36), vl = le32(nk + 40), room = 0;
                if (vl % 8 == 0 && (uint64_t)XS_HIVE_BASE + vl + 4 <= n) {
                    int64_t ls = (int32_t)le32(p + XS_HIVE_BASE + vl);
                    uint64_t la = (uint64_t)(ls < 0 ? -ls : ls);
                    if (ls < 0 && la >= 8 && XS_HIVE_BASE + vl + la <= n)
                        room = (uint32_t)((la - 4) / 4);
                }
                if (nval > room) {
                    nk[36] = (unsigned char)room;
                    nk[37] = (unsigned char)(room >> 8);
                    nk[38] = (unsigned char)(room >> 16);
                    nk[39] = (unsigned char)(room >> 24);
                    fixed++;
                }
                uint32_t sl = le32(nk + 28);
                if (le32(nk + 20) && (sl % 8 || (uint64_t)XS_HIVE_BASE + sl + 8 > n)) {
                    memset(nk + 20, 0, 4);
                    fixed++;
                }
            }
            c += (size_t)a;
        }
        bin += (size_t)bsize;
    }
    munmap(p, n);
    return fixed;
}

/* True when a libregf error is a failed allocation. libregf says so inconsistently: by the
 * error's domain ('m', the first field of libcerror's error structure: domain, code, messages,
 * unchanged since libcerror's first release) or, as libyal words them, by its innermost
 * message (the first line of the backtrace) "unable to create ..." or "unable to resize ...";
 * damage reads "invalid ...", "unable to read ...", "unsupported ..." there. Outer messages
 * say "unable to create" for read failures too, so only the innermost is looked at. */
static bool lib_oom(libregf_error_t *e)
{
    if (!e)
        return false;
    if (*(const int *)e == 'm')
        return true;
    char b[512];
    if (libregf_error_backtrace_sprint(e, b, sizeof b) < 0)
        return false;
    b[strcspn(b, "\n")] = 0;
    return strstr(b, "unable to create") || strstr(b, "unable to resize") ||
           strstr(b, "insufficient");
}

static void err_text(libregf_error_t **e, char *err, size_t cap)
{
    if (err && cap) {
        err[0] = 0;
        if (*e && libregf_error_sprint(*e, err, cap) < 0)
            err[0] = 0;
        /* libcerror joins its backtrace with newlines: keep the first message */
        char *nl = strchr(err, '\n');
        if (nl)
            *nl = 0;
    }
    libregf_error_free(e);
}

exs_rc xs_hive_open_image(xs_hive_image *im, const xs_hive_limits *lim, xs_hive **out,
                          char *err, size_t errcap)
{
    *out = NULL;
    if (err && errcap)
        err[0] = 0;
    xs_hive *h = calloc(1, sizeof *h);
    if (!h) {
        xs_hive_image_free(im);
        return EXS_ENOMEM;
    }
    h->im = im;
    if (lim)
        h->lim = *lim;
    else
        xs_hive_limits_default(&h->lim);
    libregf_error_t *e = NULL;
    if (libregf_file_initialize(&h->file, &e) != 1) {
        err_text(&e, err, errcap);
        xs_hive_close(h);
        return EXS_ENOMEM;
    }
    uint64_t big;
    long fixed = sanitize(im, &big);
    if (fixed < 0) {
        xs_hive_close(h);
        return EXS_ENOMEM;
    }
    if (big > h->lim.max_bin) {
        if (err && errcap)
            snprintf(err, errcap, "a hive bin of %llu bytes, past the %llu-byte cap",
                     (unsigned long long)big, (unsigned long long)h->lim.max_bin);
        xs_hive_close(h);
        return EXS_ELIMIT;
    }
    if (fixed > 0) {
        h->over.fixed = (uint64_t)fixed;
        h->over.any = true;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", im->fd);
    if (lseek(im->fd, 0, SEEK_SET) < 0 ||
        libregf_file_open(h->file, path, LIBREGF_OPEN_READ, &e) != 1) {
        bool mem = lib_oom(e);
        err_text(&e, err, errcap);
        libregf_file_free(&h->file, NULL);
        xs_hive_close(h);
        return mem ? EXS_ENOMEM : EXS_EFORMAT;
    }
    *out = h;
    return EXS_OK;
}

exs_rc xs_hive_open(const unsigned char *p, size_t n, const xs_hive_limits *lim, xs_hive **out,
                    char *err, size_t errcap)
{
    *out = NULL;
    xs_hive_image *im;
    exs_rc rc = xs_hive_image_new(&im, lim ? lim->max_bytes : 0);
    if (rc != EXS_OK)
        return rc;
    rc = xs_hive_image_append(im, p, n);
    if (rc != EXS_OK) {
        xs_hive_image_free(im);
        return rc;
    }
    return xs_hive_open_image(im, lim, out, err, errcap);
}

void xs_hive_close(xs_hive *h)
{
    if (!h)
        return;
    if (h->file) {
        libregf_file_close(h->file, NULL);
        libregf_file_free(&h->file, NULL);
    }
    xs_hive_image_free(h->im);
    free(h);
}

const xs_hive_over *xs_hive_overs(const xs_hive *h)
{
    return &h->over;
}

bool xs_hive_failed(const xs_hive *h)
{
    return h->oom;
}

static void over(xs_hive *h, uint64_t *field, uint64_t n)
{
    *field += n;
    h->over.any = true;
}

/* Frees a libregf error, first noting on the hive whether it was a failed allocation: without
 * that, a key libregf could not allocate would look absent, a finding silently lost. */
static void lib_error(xs_hive *h, libregf_error_t **e)
{
    if (lib_oom(*e))
        h->oom = true;
    libregf_error_free(e);
}

/* Wraps a key libregf opened: counts it, reads its name and time. Frees k on failure. */
static xs_hkey *wrap(xs_hive *h, libregf_key_t *k, uint64_t depth)
{
    xs_hkey *x = malloc(sizeof *x);
    if (!x) {
        h->oom = true;
        libregf_key_free(&k, NULL);
        return NULL;
    }
    memset(x, 0, offsetof(xs_hkey, name));
    x->name[0] = 0;
    x->h = h;
    x->k = k;
    x->depth = depth;
    h->keys++;
    libregf_error_t *e = NULL;
    size_t ns = 0;
    if (libregf_key_get_utf8_name_size(k, &ns, &e) == 1 && ns > 0) {
        if (ns <= sizeof x->name) {
            if (libregf_key_get_utf8_name(k, (uint8_t *)x->name, ns, &e) != 1)
                x->name[0] = 0;
        } else {
            uint8_t *tmp = malloc(ns);
            h->oom |= tmp == NULL;
            if (tmp && libregf_key_get_utf8_name(k, tmp, ns, &e) == 1) {
                size_t c = sizeof x->name - 1;
                while (c > 0 && (tmp[c] & 0xC0) == 0x80)
                    c--; /* not inside a character */
                memcpy(x->name, tmp, c);
                x->name[c] = 0;
            }
            free(tmp);
        }
    }
    x->name[sizeof x->name - 1] = 0;
    lib_error(h, &e);
    uint64_t ft = 0;
    x->ms = libregf_key_get_last_written_time(k, &ft, &e) == 1 ? ft_ms(ft) : EXS_TIME_NONE;
    lib_error(h, &e);
    return x;
}

/* True when one more key may be opened at depth. */
static bool may_open(xs_hive *h, uint64_t depth)
{
    if (h->keys >= h->lim.max_keys) {
        over(h, &h->over.keys, 1);
        return false;
    }
    if (depth > h->lim.max_depth) {
        over(h, &h->over.depth, 1);
        return false;
    }
    return true;
}

xs_hkey *xs_hive_root(xs_hive *h)
{
    if (!may_open(h, 0))
        return NULL;
    libregf_key_t *k = NULL;
    libregf_error_t *e = NULL;
    if (libregf_file_get_root_key(h->file, &k, &e) != 1) {
        lib_error(h, &e);
        return NULL;
    }
    return wrap(h, k, 0);
}

xs_hkey *xs_hive_key(xs_hive *h, const xs_hkey *from, const char *path)
{
    xs_hkey *cur = from ? NULL : xs_hive_root(h);
    const xs_hkey *at = from ? from : cur;
    if (!at)
        return NULL;
    const char *p = path;
    while (*p) {
        while (*p == '\\')
            p++;
        size_t n = strcspn(p, "\\");
        if (n == 0)
            break;
        libregf_key_t *k = NULL;
        libregf_error_t *e = NULL;
        xs_hkey *next = NULL;
        if (may_open(h, at->depth + 1) &&
            libregf_key_get_sub_key_by_utf8_name(at->k, (const uint8_t *)p, n, &k, &e) == 1)
            next = wrap(h, k, at->depth + 1);
        lib_error(h, &e);
        xs_hkey_free(cur);
        cur = next;
        at = cur;
        if (!cur)
            return NULL;
        p += n;
    }
    return cur;
}

void xs_hkey_free(xs_hkey *k)
{
    if (!k)
        return;
    libregf_key_free(&k->k, NULL);
    free(k);
}

const char *xs_hkey_name(const xs_hkey *k)
{
    return k->name;
}

int64_t xs_hkey_written_ms(const xs_hkey *k)
{
    return k->ms;
}

/* A count libregf reads from the key, capped at cap: what the cap leaves out is counted in
 * *over_field, once (the first time, *have set). */
static size_t capped(xs_hkey *k, bool sub, size_t *cache, bool *have, uint64_t cap,
                     uint64_t *over_field)
{
    if (!*have) {
        int n = 0;
        libregf_error_t *e = NULL;
        int rc = sub ? libregf_key_get_number_of_sub_keys(k->k, &n, &e)
                     : libregf_key_get_number_of_values(k->k, &n, &e);
        if (rc != 1 || n < 0)
            n = 0;
        lib_error(k->h, &e);
        *cache = (size_t)n;
        if (*cache > cap) {
            over(k->h, over_field, *cache - cap);
            *cache = (size_t)cap;
        }
        *have = true;
    }
    return *cache;
}

size_t xs_hkey_nsubkeys(xs_hkey *k)
{
    return capped(k, true, &k->nsub, &k->have_nsub, k->h->lim.max_subkeys,
                  &k->h->over.subkeys);
}

size_t xs_hkey_nvalues(xs_hkey *k)
{
    return capped(k, false, &k->nval, &k->have_nval, k->h->lim.max_values,
                  &k->h->over.values);
}

xs_hkey *xs_hkey_subkey(xs_hkey *k, size_t i)
{
    if (i >= xs_hkey_nsubkeys(k) || !may_open(k->h, k->depth + 1))
        return NULL;
    libregf_key_t *s = NULL;
    libregf_error_t *e = NULL;
    if (libregf_key_get_sub_key(k->k, (int)i, &s, &e) != 1) {
        lib_error(k->h, &e);
        return NULL;
    }
    return wrap(k->h, s, k->depth + 1);
}

void xs_hval_clear(xs_hval *v)
{
    free(v->data);
    memset(v, 0, sizeof *v);
}

/* The data of a string type as UTF-8 (multi: NULs as '\n', trailing ones dropped). */
static char *utf8_of(const unsigned char *d, size_t n, bool multi, size_t *outn)
{
    size_t units = n / 2;
    size_t room = units * 3 + 1;
    char *s = malloc(room);
    if (!s)
        return NULL;
    size_t k = xs_utf16le_to_utf8(d, units, s, room - 1, multi ? '\n' : 0, NULL);
    while (multi && k > 0 && s[k - 1] == '\n')
        k--;
    s[k] = 0;
    *outn = k;
    return s;
}

static bool read_value(xs_hive *h, libregf_value_t *val, xs_hval *v, bool *oom)
{
    libregf_error_t *e = NULL;
    size_t ns = 0;
    if (libregf_value_get_utf8_name_size(val, &ns, &e) == 1 && ns > 1) {
        uint8_t *tmp = ns <= sizeof v->name ? (uint8_t *)v->name : malloc(ns);
        *oom |= tmp == NULL;
        if (tmp && libregf_value_get_utf8_name(val, tmp, ns, &e) == 1) {
            if (tmp != (uint8_t *)v->name) {
                size_t c = sizeof v->name - 1;
                while (c > 0 && (tmp[c] & 0xC0) == 0x80)
                    c--;
                memcpy(v->name, tmp, c);
                v->name[c] = 0;
            }
        } else {
            v->name[0] = 0;
        }
        if (tmp != (uint8_t *)v->name)
            free(tmp);
    }
    v->name[sizeof v->name - 1] = 0;
    lib_error(h, &e);
    uint32_t type = 0;
    if (libregf_value_get_value_type(val, &type, &e) != 1) {
        lib_error(h, &e);
        return false;
    }
    v->type = type;
    size_t size = 0;
    if (libregf_value_get_value_data_size(val, &size, &e) != 1) {
        lib_error(h, &e);
        return true; /* a name and a type, no data */
    }
    v->size = size;
    if (size == 0)
        return true;
    if (size > h->lim.max_data) {
        v->over = true;
        over(h, &h->over.data, 1);
        return true;
    }
    unsigned char *d = malloc(size);
    if (!d) {
        *oom = true;
        return false;
    }
    if (libregf_value_get_value_data(val, d, size, &e) != 1) {
        lib_error(h, &e);
        free(d);
        return true;
    }
    if ((type == XS_REG_DWORD || type == XS_REG_DWORD_BE) && size == 4) {
        uint32_t x = le32(d);
        if (type == XS_REG_DWORD_BE)
            x = (uint32_t)d[3] | (uint32_t)d[2] << 8 | (uint32_t)d[1] << 16 | (uint32_t)d[0] << 24;
        v->num = x;
        v->has_num = true;
    } else if (type == XS_REG_QWORD && size == 8) {
        v->num = (uint64_t)le32(d) | (uint64_t)le32(d + 4) << 32;
        v->has_num = true;
    }
    if (type == XS_REG_SZ || type == XS_REG_EXPAND_SZ || type == XS_REG_LINK ||
        type == XS_REG_MULTI_SZ) {
        v->data = utf8_of(d, size, type == XS_REG_MULTI_SZ, &v->data_n);
        free(d);
        if (!v->data) {
            *oom = true;
            return false;
        }
        return true;
    }
    char *raw = realloc(d, size + 1);
    if (!raw) {
        free(d);
        *oom = true;
        return false;
    }
    raw[size] = 0;
    v->data = raw;
    v->data_n = size;
    return true;
}

/* Value i of k, or (name not NULL) the one named name. */
static bool value_at(xs_hkey *k, size_t i, const char *name, xs_hval *v, bool *oom)
{
    memset(v, 0, sizeof *v);
    if (!name && i >= xs_hkey_nvalues(k))
        return false;
    libregf_value_t *val = NULL;
    libregf_error_t *e = NULL;
    int rc = name ? libregf_key_get_value_by_utf8_name(k->k, (const uint8_t *)name,
                                                       strlen(name), &val, &e)
                  : libregf_key_get_value(k->k, (int)i, &val, &e);
    if (rc != 1) {
        lib_error(k->h, &e);
        return false;
    }
    bool ok = read_value(k->h, val, v, oom);
    libregf_value_free(&val, NULL);
    k->h->oom |= *oom; /* said once more on the hive: xs_hive_failed */
    if (!ok)
        xs_hval_clear(v);
    return ok;
}

bool xs_hkey_value(xs_hkey *k, size_t i, xs_hval *v, bool *oom)
{
    return value_at(k, i, NULL, v, oom);
}

bool xs_hkey_value_by_name(xs_hkey *k, const char *name, xs_hval *v, bool *oom)
{
    return value_at(k, 0, name, v, oom);
}

bool xs_hkey_number(xs_hkey *k, const char *name, uint64_t *out)
{
    xs_hval v;
    bool oom = false;
    if (!xs_hkey_value_by_name(k, name, &v, &oom))
        return false;
    bool ok = v.has_num;
    if (ok) {
        *out = v.num;
    } else if (v.data && (v.type == XS_REG_SZ || v.type == XS_REG_EXPAND_SZ)) {
        uint64_t x = 0;
        size_t i = 0;
        while (v.data[i] == ' ')
            i++;
        size_t start = i;
        for (; v.data[i] >= '0' && v.data[i] <= '9' && i - start < 19; i++)
            x = x * 10 + (uint64_t)(v.data[i] - '0');
        ok = i > start && v.data[i] == 0;
        if (ok)
            *out = x;
    }
    xs_hval_clear(&v);
    return ok;
}
