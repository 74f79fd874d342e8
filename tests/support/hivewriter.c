/* Test-suite registry hive writer (hivewriter.h). Layout, from the regf format as Windows
 * writes it (offsets of cells are relative to the first hive bin, file offset 4096):
 *
 *   base block   0x000 "regf"  0x004 primary seq  0x008 secondary seq  0x00C FILETIME
 *                0x014 major 1  0x018 minor 5  0x01C type 0 (primary)  0x020 format 1
 *                0x024 root cell offset  0x028 hive bins size  0x02C clustering 1
 *                0x030 file name (64 bytes UTF-16LE)  0x1FC checksum of 0x000..0x1FB
 *   hbin         0x00 "hbin"  0x04 offset of the bin  0x08 size  0x14 FILETIME
 *   cell         int32 size (negative: allocated; a multiple of 8, the size field included)
 *   nk           0x00 "nk"  0x02 flags (0x20 ASCII name, 0x04 root, 0x08 no delete)
 *                0x04 FILETIME  0x10 parent  0x14 subkeys  0x1C subkey list  0x24 values
 *                0x28 value list  0x2C sk  0x30 class (-1)  0x34 max subkey name bytes
 *                0x3C max value name bytes  0x40 max value data  0x48 name length  0x4C name
 *   vk           0x00 "vk"  0x02 name length  0x04 data size (bit 31: data inline in 0x08)
 *                0x08 data offset  0x0C type  0x10 flags (1: ASCII name)  0x14 name
 *   sk           0x00 "sk"  0x04 flink  0x08 blink  0x0C references  0x10 size  0x14 descriptor
 *   lh / lf      0x00 "lh"/"lf"  0x02 count  then (offset, hash or first 4 name bytes) each
 *   li           0x00 "li"  0x02 count  then offsets
 */
#include <stdlib.h>
#include <string.h>

#include "evtxwriter.h" /* xs_evtxw_filetime */
#include "hivewriter.h"
#include "utf16enc.h"
#include "parsers/hivelog.h"

#define DEFAULT_MS 1614556800000LL /* 2021-03-01T00:00:00Z */
#define MAX_DATA 16344

typedef struct hw_val {
    char *name;
    uint32_t type;
    unsigned char *data;
    size_t n;
} hw_val;

typedef struct hw_key {
    char *name;
    int64_t ms;
    struct hw_key **kids;
    size_t nkids;
    hw_val *vals;
    size_t nvals;
} hw_key;

struct t_hw {
    hw_key *root;
    bool failed;
    /* build state */
    unsigned char *b;
    size_t n, cap;
    size_t bin_end;   /* where the current hive bin ends */
    size_t *bins;     /* where each bin starts */
    size_t nbins, capbins;
    bool one_bin;
    uint32_t sk;
    uint32_t nkeys;
    char list;
};

static void key_free(hw_key *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->nkids; i++)
        key_free(k->kids[i]);
    for (size_t i = 0; i < k->nvals; i++) {
        free(k->vals[i].name);
        free(k->vals[i].data);
    }
    free(k->kids);
    free(k->vals);
    free(k->name);
    free(k);
}

static hw_key *key_new(const char *name, size_t n)
{
    hw_key *k = calloc(1, sizeof *k);
    if (k && !(k->name = strndup(name, n))) {
        free(k);
        return NULL;
    }
    return k;
}

t_hw *t_hw_new(const char *root_name)
{
    t_hw *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    const char *rn = root_name ? root_name : "ROOT";
    w->root = key_new(rn, strlen(rn));
    if (!w->root) {
        free(w);
        return NULL;
    }
    return w;
}

void t_hw_free(t_hw *w)
{
    if (!w)
        return;
    key_free(w->root);
    free(w->b);
    free(w->bins);
    free(w);
}

static int upper(int c)
{
    return c >= 'a' && c <= 'z' ? c - 32 : c;
}

static bool name_eq(const char *a, size_t an, const char *b)
{
    size_t bn = strlen(b);
    if (an != bn)
        return false;
    for (size_t i = 0; i < an; i++)
        if (upper((unsigned char)a[i]) != upper((unsigned char)b[i]))
            return false;
    return true;
}

static hw_key *find_key(t_hw *w, const char *path)
{
    if (w->failed)
        return NULL;
    hw_key *k = w->root;
    const char *p = path;
    while (*p) {
        const char *e = strchr(p, '\\');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        hw_key *next = NULL;
        for (size_t i = 0; i < k->nkids && !next; i++)
            if (name_eq(p, n, k->kids[i]->name))
                next = k->kids[i];
        if (!next) {
            hw_key **v = realloc(k->kids, (k->nkids + 1) * sizeof *v);
            next = v ? key_new(p, n) : NULL;
            if (v)
                k->kids = v;
            if (!next) {
                w->failed = true;
                return NULL;
            }
            k->kids[k->nkids++] = next;
        }
        k = next;
        p += n;
        if (*p == '\\')
            p++;
    }
    return k;
}

void t_hw_key(t_hw *w, const char *path, int64_t written_ms)
{
    hw_key *k = find_key(w, path);
    if (k && written_ms)
        k->ms = written_ms;
}

void t_hw_raw(t_hw *w, const char *path, const char *name, uint32_t type, const void *data,
              size_t n)
{
    hw_key *k = find_key(w, path);
    if (!k)
        return;
    if (n > MAX_DATA) {
        w->failed = true;
        return;
    }
    hw_val *v = NULL;
    for (size_t i = 0; i < k->nvals && !v; i++)
        if (name_eq(name, strlen(name), k->vals[i].name))
            v = &k->vals[i];
    if (!v) {
        hw_val *nv = realloc(k->vals, (k->nvals + 1) * sizeof *nv);
        if (!nv) {
            w->failed = true;
            return;
        }
        k->vals = nv;
        v = &k->vals[k->nvals];
        memset(v, 0, sizeof *v);
        if (!(v->name = strdup(name))) {
            w->failed = true;
            return;
        }
        k->nvals++;
    }
    free(v->data);
    v->data = malloc(n ? n : 1);
    if (!v->data) {
        w->failed = true;
        return;
    }
    if (n)
        memcpy(v->data, data, n);
    v->n = n;
    v->type = type;
}

/* UTF-8 text as UTF-16LE with its NUL, appended to out at *o (room checked by the caller). */
static size_t put_text16(unsigned char *out, const char *s)
{
    size_t units = t_utf16_units(s, NULL);
    uint16_t *u = malloc((units + 1) * sizeof *u);
    if (!u)
        return (size_t)-1;
    t_utf16_units(s, u);
    u[units] = 0;
    for (size_t i = 0; i <= units; i++) {
        out[2 * i] = (unsigned char)(u[i] & 0xFF);
        out[2 * i + 1] = (unsigned char)(u[i] >> 8);
    }
    free(u);
    return 2 * (units + 1);
}

static void put_string(t_hw *w, const char *path, const char *name, uint32_t type,
                       const char *const *strs, size_t nstrs)
{
    size_t room = 2;
    for (size_t i = 0; i < nstrs; i++)
        room += 2 * (t_utf16_units(strs[i], NULL) + 1);
    unsigned char *buf = calloc(1, room);
    if (!buf) {
        w->failed = true;
        return;
    }
    size_t o = 0;
    for (size_t i = 0; i < nstrs; i++) {
        size_t k = put_text16(buf + o, strs[i]);
        if (k == (size_t)-1) {
            free(buf);
            w->failed = true;
            return;
        }
        o += k;
    }
    if (type == T_REG_MULTI_SZ)
        o += 2; /* the list's closing NUL (calloc'd) */
    t_hw_raw(w, path, name, type, buf, o);
    free(buf);
}

void t_hw_sz(t_hw *w, const char *path, const char *name, const char *utf8)
{
    put_string(w, path, name, T_REG_SZ, &utf8, 1);
}

void t_hw_expand_sz(t_hw *w, const char *path, const char *name, const char *utf8)
{
    put_string(w, path, name, T_REG_EXPAND_SZ, &utf8, 1);
}

void t_hw_multi_sz(t_hw *w, const char *path, const char *name, const char *const *strs)
{
    size_t n = 0;
    while (strs[n])
        n++;
    put_string(w, path, name, T_REG_MULTI_SZ, strs, n);
}

void t_hw_dword(t_hw *w, const char *path, const char *name, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    t_hw_raw(w, path, name, T_REG_DWORD, b, 4);
}

void t_hw_qword(t_hw *w, const char *path, const char *name, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    t_hw_raw(w, path, name, T_REG_QWORD, b, 8);
}

/* ---------------------------------------------------------------- building */

static void put16(t_hw *w, size_t off, uint16_t v)
{
    w->b[off] = (unsigned char)v;
    w->b[off + 1] = (unsigned char)(v >> 8);
}

static void put32(t_hw *w, size_t off, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        w->b[off + (size_t)i] = (unsigned char)(v >> (8 * i));
}

static void put64(t_hw *w, size_t off, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        w->b[off + (size_t)i] = (unsigned char)(v >> (8 * i));
}

/* Room in the buffer for n bytes of bins. */
static bool room(t_hw *w, size_t n)
{
    if (n <= w->cap)
        return true;
    size_t nc = w->cap ? w->cap : 8192;
    while (nc < n)
        nc *= 2;
    unsigned char *b = realloc(w->b, nc);
    if (!b) {
        w->failed = true;
        return false;
    }
    w->b = b;
    w->cap = nc;
    return true;
}

/* Starts a hive bin at the end of the last one, large enough for a cell of size bytes (4096,
 * or the next multiple of 4096 that holds it, as Windows sizes bins). */
static void new_bin(t_hw *w, size_t size)
{
    size_t start = w->bin_end;
    size_t bsize = (32 + size + 4095) & ~(size_t)4095;
    if (w->nbins == w->capbins) {
        size_t nc = w->capbins ? 2 * w->capbins : 64;
        size_t *v = realloc(w->bins, nc * sizeof *v);
        if (!v) {
            w->failed = true;
            return;
        }
        w->bins = v;
        w->capbins = nc;
    }
    if (!room(w, start + bsize))
        return;
    memset(w->b + start, 0, bsize);
    w->bins[w->nbins++] = start;
    w->bin_end = w->one_bin ? SIZE_MAX : start + bsize;
    w->n = start + 32;
}

/* Closes the current bin: its rest is one free cell. */
static void close_bin(t_hw *w)
{
    if (w->bin_end > w->n && w->bin_end != SIZE_MAX)
        put32(w, w->n, (uint32_t)(w->bin_end - w->n));
    w->n = w->bin_end;
}

/* An allocated cell of payload bytes, zeroed, never across a bin's end: the offset of its
 * size field. */
static uint32_t cell(t_hw *w, size_t payload)
{
    size_t size = (4 + payload + 7) & ~(size_t)7;
    if (w->failed)
        return 0;
    if (w->n + size > w->bin_end) {
        close_bin(w);
        new_bin(w, size);
    }
    if (w->failed || !room(w, w->n + size))
        return 0;
    uint32_t off = (uint32_t)w->n;
    memset(w->b + off, 0, size);
    put32(w, off, (uint32_t)-(int32_t)size);
    w->n += size;
    return off;
}

static bool ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* Bytes the name takes stored (ASCII as is, else UTF-16LE), into out when not NULL. */
static size_t name_bytes(const char *s, unsigned char *out)
{
    if (ascii(s)) {
        if (out)
            memcpy(out, s, strlen(s));
        return strlen(s);
    }
    size_t units = t_utf16_units(s, NULL);
    if (out) {
        uint16_t u[512];
        if (units > 512)
            return 0;
        t_utf16_units(s, u);
        for (size_t i = 0; i < units; i++) {
            out[2 * i] = (unsigned char)(u[i] & 0xFF);
            out[2 * i + 1] = (unsigned char)(u[i] >> 8);
        }
    }
    return 2 * units;
}

/* The lh hash: over the upper-cased UTF-16 units, h = h * 37 + unit. */
static uint32_t name_hash(const char *s)
{
    uint16_t u[512];
    size_t units = t_utf16_units(s, NULL);
    if (units > 512)
        return 0;
    t_utf16_units(s, u);
    uint32_t h = 0;
    for (size_t i = 0; i < units; i++)
        h = h * 37 + (uint32_t)(u[i] < 128 ? upper(u[i]) : u[i]);
    return h;
}

static int kid_cmp(const void *a, const void *b)
{
    const char *x = (*(hw_key *const *)a)->name, *y = (*(hw_key *const *)b)->name;
    for (;; x++, y++) {
        int cx = upper((unsigned char)*x), cy = upper((unsigned char)*y);
        if (cx != cy || !cx)
            return cx - cy;
    }
}

static uint64_t filetime(int64_t ms)
{
    if (ms == T_HW_NO_TIME)
        return 0;
    return xs_evtxw_filetime(ms ? ms : DEFAULT_MS);
}

static uint32_t write_key(t_hw *w, hw_key *k, uint32_t parent, bool root)
{
    size_t nlen = name_bytes(k->name, NULL);
    uint32_t nk = cell(w, 0x4C + nlen);
    if (w->failed)
        return 0;
    w->nkeys++;
    w->b[nk + 4] = 'n';
    w->b[nk + 5] = 'k';
    uint16_t flags = (uint16_t)((ascii(k->name) ? 0x20 : 0) | (root ? 0x0C : 0));
    put16(w, nk + 4 + 0x02, flags);
    put64(w, nk + 4 + 0x04, filetime(k->ms));
    put32(w, nk + 4 + 0x10, parent);
    put32(w, nk + 4 + 0x18, 0);
    put32(w, nk + 4 + 0x1C, 0xFFFFFFFFu);
    put32(w, nk + 4 + 0x20, 0xFFFFFFFFu);
    put32(w, nk + 4 + 0x28, 0xFFFFFFFFu);
    put32(w, nk + 4 + 0x2C, w->sk);
    put32(w, nk + 4 + 0x30, 0xFFFFFFFFu);
    put16(w, nk + 4 + 0x48, (uint16_t)nlen);
    name_bytes(k->name, w->b + nk + 4 + 0x4C);

    uint32_t maxvname = 0, maxvdata = 0;
    if (k->nvals) {
        uint32_t *offs = calloc(k->nvals, sizeof *offs);
        if (!offs) {
            w->failed = true;
            return 0;
        }
        for (size_t i = 0; i < k->nvals && !w->failed; i++) {
            hw_val *v = &k->vals[i];
            uint32_t data = 0;
            if (v->n > 4) {
                data = cell(w, v->n);
                if (!w->failed)
                    memcpy(w->b + data + 4, v->data, v->n);
            }
            size_t vn = name_bytes(v->name, NULL);
            uint32_t vk = cell(w, 0x14 + vn);
            if (w->failed)
                break;
            w->b[vk + 4] = 'v';
            w->b[vk + 5] = 'k';
            put16(w, vk + 4 + 0x02, (uint16_t)vn);
            if (v->n <= 4) {
                put32(w, vk + 4 + 0x04, 0x80000000u | (uint32_t)v->n);
                memcpy(w->b + vk + 4 + 0x08, v->data, v->n);
            } else {
                put32(w, vk + 4 + 0x04, (uint32_t)v->n);
                put32(w, vk + 4 + 0x08, data);
            }
            put32(w, vk + 4 + 0x0C, v->type);
            put16(w, vk + 4 + 0x10, ascii(v->name) ? 1 : 0);
            name_bytes(v->name, w->b + vk + 4 + 0x14);
            offs[i] = vk;
            maxvname = maxvname > 2 * strlen(v->name) ? maxvname : (uint32_t)(2 * strlen(v->name));
            maxvdata = maxvdata > v->n ? maxvdata : (uint32_t)v->n;
        }
        uint32_t list = cell(w, 4 * k->nvals);
        for (size_t i = 0; i < k->nvals && !w->failed; i++)
            put32(w, list + 4 + 4 * i, offs[i]);
        free(offs);
        if (w->failed)
            return 0;
        put32(w, nk + 4 + 0x24, (uint32_t)k->nvals);
        put32(w, nk + 4 + 0x28, list);
        put32(w, nk + 4 + 0x3C, maxvname);
        put32(w, nk + 4 + 0x40, maxvdata);
    }
    if (k->nkids > 65535) { /* one leaf list; an index root (ri) is not written */
        w->failed = true;
        return 0;
    }
    if (k->nkids) {
        qsort(k->kids, k->nkids, sizeof *k->kids, kid_cmp);
        uint32_t *offs = calloc(k->nkids, sizeof *offs);
        if (!offs) {
            w->failed = true;
            return 0;
        }
        uint32_t maxname = 0;
        for (size_t i = 0; i < k->nkids && !w->failed; i++) {
            offs[i] = write_key(w, k->kids[i], nk, false);
            uint32_t l = (uint32_t)(2 * strlen(k->kids[i]->name));
            maxname = maxname > l ? maxname : l;
        }
        bool li = w->list == 'i';
        uint32_t list = cell(w, 4 + (li ? 4 : 8) * k->nkids);
        if (!w->failed) {
            w->b[list + 4] = 'l';
            w->b[list + 5] = li ? 'i' : w->list == 'f' ? 'f' : 'h';
            put16(w, list + 4 + 2, (uint16_t)k->nkids);
            for (size_t i = 0; i < k->nkids; i++) {
                if (li) {
                    put32(w, list + 8 + 4 * i, offs[i]);
                    continue;
                }
                put32(w, list + 8 + 8 * i, offs[i]);
                if (w->list == 'f') {
                    unsigned char hint[4] = {0};
                    memcpy(hint, k->kids[i]->name,
                           strlen(k->kids[i]->name) < 4 ? strlen(k->kids[i]->name) : 4);
                    memcpy(w->b + list + 12 + 8 * i, hint, 4);
                } else {
                    put32(w, list + 12 + 8 * i, name_hash(k->kids[i]->name));
                }
            }
        }
        free(offs);
        if (w->failed)
            return 0;
        put32(w, nk + 4 + 0x14, (uint32_t)k->nkids);
        put32(w, nk + 4 + 0x1C, list);
        put32(w, nk + 4 + 0x34, maxname);
    }
    return nk;
}

uint32_t t_hw_checksum(const unsigned char *base)
{
    uint32_t x = 0;
    for (int i = 0; i < 127; i++)
        x ^= (uint32_t)base[4 * i] | (uint32_t)base[4 * i + 1] << 8 |
             (uint32_t)base[4 * i + 2] << 16 | (uint32_t)base[4 * i + 3] << 24;
    if (x == 0)
        x = 1;
    else if (x == 0xFFFFFFFFu)
        x = 0xFFFFFFFEu;
    return x;
}

unsigned char *t_hw_build(t_hw *w, const t_hw_opts *o, size_t *len)
{
    t_hw_opts d = {0};
    if (!o)
        o = &d;
    if (!w || w->failed)
        return NULL;
    w->n = 0;
    w->nkeys = 0;
    w->nbins = 0;
    w->bin_end = 0;
    w->one_bin = o->one_bin;
    w->list = o->list ? o->list : 'h';
    new_bin(w, 0);
    /* a self-relative security descriptor with no owner, group or lists */
    w->sk = cell(w, 0x14 + 20);
    uint32_t root = write_key(w, w->root, 0, true);
    if (w->failed)
        return NULL;
    w->b[w->sk + 4] = 's';
    w->b[w->sk + 5] = 'k';
    put32(w, w->sk + 4 + 0x04, w->sk);
    put32(w, w->sk + 4 + 0x08, w->sk);
    put32(w, w->sk + 4 + 0x0C, w->nkeys);
    put32(w, w->sk + 4 + 0x10, 20);
    w->b[w->sk + 4 + 0x14] = 1;        /* revision */
    put16(w, w->sk + 4 + 0x16, 0x8000); /* SE_SELF_RELATIVE */

    if (w->one_bin) /* the bin ends at the next page, with a free cell as Windows leaves one */
        w->bin_end = ((w->n + 8 + 4095) & ~(size_t)4095);
    else if (w->n + 8 > w->bin_end)
        new_bin(w, 8);
    if (w->failed || !room(w, w->bin_end))
        return NULL;
    memset(w->b + w->n, 0, w->bin_end - w->n);
    close_bin(w);
    size_t bins = w->bin_end;
    unsigned char *out = calloc(1, 4096 + bins);
    if (!out) {
        w->failed = true;
        return NULL;
    }
    memcpy(out + 4096, w->b, bins);
    uint64_t ft = filetime(o->written_ms);
    for (size_t i = 0; i < w->nbins; i++) {
        unsigned char *h = out + 4096 + w->bins[i];
        size_t bsize = (i + 1 < w->nbins ? w->bins[i + 1] : bins) - w->bins[i];
        memcpy(h, "hbin", 4);
        for (int k = 0; k < 4; k++) {
            h[4 + k] = (unsigned char)(w->bins[i] >> (8 * k));
            h[8 + k] = (unsigned char)(bsize >> (8 * k));
        }
        for (int k = 0; i == 0 && k < 8; k++)
            h[0x14 + k] = (unsigned char)(ft >> (8 * k));
    }

    unsigned char *b = out;
    memcpy(b, "regf", 4);
    uint32_t seq = 7;
    uint32_t words[] = {seq, o->dirty ? seq - 1 : seq};
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 4; i++)
            b[4 + 4 * k + i] = (unsigned char)(words[k] >> (8 * i));
    for (int i = 0; i < 8; i++)
        b[0x0C + i] = (unsigned char)(ft >> (8 * i));
    uint32_t fields[][2] = {{0x14, 1}, {0x18, 5}, {0x1C, 0}, {0x20, 1},
                            {0x24, root}, {0x28, (uint32_t)bins}, {0x2C, 1}};
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
        for (int i = 0; i < 4; i++)
            b[fields[f][0] + (uint32_t)i] = (unsigned char)(fields[f][1] >> (8 * i));
    if (o->file_name) { /* its last 31 characters and a NUL, as Windows keeps it */
        uint16_t u[512];
        size_t units = t_utf16_units(o->file_name, NULL);
        if (units <= 512) {
            t_utf16_units(o->file_name, u);
            size_t from = units > 31 ? units - 31 : 0;
            for (size_t i = from; i < units; i++) {
                b[0x30 + 2 * (i - from)] = (unsigned char)(u[i] & 0xFF);
                b[0x30 + 2 * (i - from) + 1] = (unsigned char)(u[i] >> 8);
            }
        }
    }
    uint32_t sum = t_hw_checksum(b);
    for (int i = 0; i < 4; i++)
        b[0x1FC + i] = (unsigned char)(sum >> (8 * i));
    *len = 4096 + bins;
    return out;
}

/* ---------------------------------------------------------------- transaction logs */

static void le32_put(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void le64_put(unsigned char *p, uint64_t v)
{
    le32_put(p, (uint32_t)v);
    le32_put(p + 4, (uint32_t)(v >> 32));
}

unsigned char *t_hw_log(const unsigned char *const *hives, const size_t *lens, size_t nhives,
                        uint32_t seq, bool bad, size_t *len)
{
    size_t cap = 512;
    for (size_t i = 1; i < nhives; i++)
        cap += 512 + lens[i] + 8 * (lens[i] / 4096) + 512;
    unsigned char *out = calloc(1, cap);
    if (!out || nhives < 2) {
        free(out);
        return NULL;
    }
    memcpy(out, hives[0], 512);
    le32_put(out + 0x1C, 6);
    le32_put(out + 0x1FC, t_hw_checksum(out));
    size_t o = 512;
    for (size_t h = 1; h < nhives; h++) {
        const unsigned char *a = hives[h - 1], *b = hives[h];
        size_t an = lens[h - 1], bn = lens[h];
        uint32_t pages = 0;
        for (size_t p = 4096; p < bn; p += 4096)
            if (p + 4096 > an || memcmp(a + p, b + p, 4096) != 0)
                pages++;
        unsigned char *e = out + o;
        memcpy(e, "HvLE", 4);
        le32_put(e + 8, 0);
        le32_put(e + 12, seq + (uint32_t)(h - 1));
        le32_put(e + 16, (uint32_t)(bn - 4096));
        le32_put(e + 20, pages);
        size_t r = 40, d = 40 + 8 * (size_t)pages;
        for (size_t p = 4096; p < bn; p += 4096) {
            if (!(p + 4096 > an || memcmp(a + p, b + p, 4096) != 0))
                continue;
            le32_put(e + r, (uint32_t)(p - 4096));
            le32_put(e + r + 4, 4096);
            memcpy(e + d, b + p, 4096);
            r += 8;
            d += 4096;
        }
        size_t size = (d + 511) & ~(size_t)511;
        le32_put(e + 4, (uint32_t)size);
        le64_put(e + 24, xs_marvin32(e + 40, size - 40, XS_HIVELOG_SEED) ^ (bad && h + 1 == nhives));
        le64_put(e + 32, xs_marvin32(e, 32, XS_HIVELOG_SEED));
        o += size;
    }
    *len = o;
    return out;
}
