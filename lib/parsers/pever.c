/* PE headers, sections, the resource tree and VS_VERSIONINFO, bounded (pever.h). */
#include <string.h>

#include "core/utf16.h"
#include "parsers/pever.h"

#define RT_VERSION 16u
#define HIGH 0x80000000u
#define FIXED_SIG 0xFEEF04BDu
#define FIXED_LEN 52u

static uint16_t u16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

typedef struct pe {
    const unsigned char *p;
    size_t n;      /* bytes looked at: at most XS_PE_MAX_BYTES */
    size_t total;  /* bytes given */
    xs_pever *out;
    size_t sec;    /* the section table */
    uint32_t nsec; /* section headers looked at */
    bool sec_cut;  /* more sections than XS_PE_MAX_SECTIONS */
} pe;

/* True when [off, off + len) lies in the bytes looked at. A span that lies in the input past
 * XS_PE_MAX_BYTES is put down to the cap. */
static bool fits(pe *e, uint64_t off, uint64_t len)
{
    if (off <= e->n && len <= e->n - off)
        return true;
    if (off <= e->total && len <= e->total - off)
        e->out->capped = true;
    return false;
}

/* The file offset of the RVA span [rva, rva + len), held whole by the raw data of a section. */
static bool map(pe *e, uint64_t rva, uint64_t len, size_t *off)
{
    for (uint32_t i = 0; i < e->nsec; i++) {
        const unsigned char *s = e->p + e->sec + 40u * i;
        uint64_t va = u32(s + 12), raw = u32(s + 16), ptr = u32(s + 20);
        if (rva < va || rva - va >= raw)
            continue;
        uint64_t d = rva - va;
        if (len > raw - d || !fits(e, ptr + d, len))
            return false;
        *off = (size_t)(ptr + d);
        return true;
    }
    if (e->sec_cut)
        e->out->capped = true;
    return false;
}

static xs_pever_rc stop(xs_pever *out, xs_pever_rc rc, const char *reason)
{
    out->reason = reason;
    return rc;
}

/* ---------------------------------------------------------------- the resource tree */

/* The directory at rel (from the root, at RVA root): its entry count and where its first
 * entries lie (at most XS_PE_MAX_RES_ENTRIES of them are mapped: *k). */
static bool res_dir(pe *e, uint32_t root, uint32_t rel, uint32_t *count, uint32_t *k,
                    const unsigned char **ent)
{
    size_t off;
    if (!map(e, (uint64_t)root + rel, 16, &off))
        return false;
    *count = (uint32_t)u16(e->p + off + 12) + u16(e->p + off + 14);
    *k = *count < XS_PE_MAX_RES_ENTRIES ? *count : XS_PE_MAX_RES_ENTRIES;
    if (!map(e, (uint64_t)root + rel, 16ull + 8ull * *k, &off))
        return false;
    *ent = e->p + off + 16;
    return true;
}

/* Finds the data of the first version resource: its RVA and size. */
static xs_pever_rc res_find(pe *e, uint32_t root, uint32_t *rva, uint32_t *size)
{
    uint32_t count, k, to = 0;
    const unsigned char *ent;
    if (!res_dir(e, root, 0, &count, &k, &ent))
        return stop(e->out, XS_PEVER_DAMAGED, "the resource directory lies outside the file");
    bool found = false;
    for (uint32_t i = 0; i < k && !found; i++)
        if (u32(ent + 8u * i) == RT_VERSION) {
            to = u32(ent + 8u * i + 4);
            found = true;
        }
    if (!found) {
        if (count > k)
            e->out->capped = true;
        return stop(e->out, XS_PEVER_NO_VERSION, "no version resource");
    }
    /* type, name, language: the first entry of each level down to the data */
    for (unsigned dirs = 1; to & HIGH; ) {
        if (++dirs > XS_PE_MAX_RES_DEPTH)
            return stop(e->out, XS_PEVER_DAMAGED,
                        "resource directories nested too deep (a loop?)");
        if (!res_dir(e, root, to & ~HIGH, &count, &k, &ent))
            return stop(e->out, XS_PEVER_DAMAGED, "a resource directory lies outside the file");
        if (count == 0)
            return stop(e->out, XS_PEVER_NO_VERSION, "an empty version resource directory");
        to = u32(ent + 4);
    }
    size_t off;
    if (!map(e, (uint64_t)root + to, 16, &off))
        return stop(e->out, XS_PEVER_DAMAGED, "a resource data entry lies outside the file");
    *rva = u32(e->p + off);
    *size = u32(e->p + off + 4);
    return XS_PEVER_OK;
}

/* ---------------------------------------------------------------- VS_VERSIONINFO */

typedef struct vnode {
    size_t end;         /* past its last byte, in the block */
    size_t key, nkey;   /* its key: units at key */
    size_t value, nval; /* its value: bytes at value */
    size_t kids;        /* where its children start */
} vnode;

typedef struct vblock {
    const unsigned char *b;
    unsigned nodes; /* walked, at most XS_PE_MAX_VI_NODES */
    xs_pever *out;
} vblock;

static size_t align4(size_t x)
{
    return (x + 3) & ~(size_t)3;
}

/* The block at `at`, within lim. NULL, or why it does not hold together. */
static const char *vnode_at(const unsigned char *b, size_t at, size_t lim, vnode *v)
{
    if (at > lim || lim - at < 6)
        return "a version-info block is cut short";
    size_t len = u16(b + at);
    if (len < 6)
        return "a version-info block shorter than its header";
    if (len > lim - at)
        return "a version-info block overruns its parent";
    v->end = at + len;
    size_t vlen = u16(b + at + 2);
    bool text = u16(b + at + 4) == 1;
    size_t i = at + 6;
    while (i + 2 <= v->end && u16(b + i) != 0)
        i += 2;
    if (i + 2 > v->end)
        return "a version-info key runs past its block";
    v->key = at + 6;
    v->nkey = (i - v->key) / 2;
    v->value = align4(i + 2) < v->end ? align4(i + 2) : v->end;
    /* text values count units; some writers count bytes: never past the block */
    size_t vb = text ? vlen * 2 : vlen;
    v->nval = vb < v->end - v->value ? vb : v->end - v->value;
    v->kids = align4(v->value + v->nval) < v->end ? align4(v->value + v->nval) : v->end;
    return NULL;
}

static bool key_is(const unsigned char *b, const vnode *v, const char *lit)
{
    size_t n = strlen(lit);
    if (v->nkey != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint16_t u = u16(b + v->key + 2 * i);
        uint16_t c = (uint8_t)lit[i];
        if (u >= 'A' && u <= 'Z')
            u += 32;
        if (c >= 'A' && c <= 'Z')
            c += 32;
        if (u != c)
            return false;
    }
    return true;
}

/* The next child from *at within its parent's end: 1 (in *v), 0 at the end (zero padding,
 * or XS_PE_MAX_VI_NODES reached: capped), -1 when it does not hold together (reason set). */
static int next_child(vblock *x, size_t *at, size_t end, vnode *v)
{
    size_t a = align4(*at);
    if (a >= end || end - a < 6 || u16(x->b + a) == 0)
        return 0;
    if (x->nodes >= XS_PE_MAX_VI_NODES) {
        x->out->capped = true;
        return 0;
    }
    x->nodes++;
    const char *why = vnode_at(x->b, a, end, v);
    if (why) {
        x->out->reason = why;
        return -1;
    }
    *at = v->end;
    return 1;
}

static void take(vblock *x, const vnode *v, char *dst, unsigned bit)
{
    if (x->out->found & bit)
        return; /* the first occurrence counts */
    size_t units = v->nval / 2, used = 0;
    size_t w = xs_utf16le_to_utf8(x->b + v->value, units, dst, XS_PE_MAX_STRING, 0, &used);
    dst[w] = 0;
    if (used < units && u16(x->b + v->value + 2 * used) != 0)
        x->out->capped = true;
    x->out->found |= bit;
}

static const struct {
    const char *key;
    unsigned bit;
    size_t at; /* offset of the buffer in xs_pever */
} strings[] = {
    {"FileVersion", XS_PEVER_FILEVERSION, offsetof(xs_pever, file_version)},
    {"ProductVersion", XS_PEVER_PRODUCTVERSION, offsetof(xs_pever, product_version)},
    {"ProductName", XS_PEVER_PRODUCTNAME, offsetof(xs_pever, product_name)},
    {"CompanyName", XS_PEVER_COMPANYNAME, offsetof(xs_pever, company_name)},
    {"OriginalFilename", XS_PEVER_ORIGINALFILENAME, offsetof(xs_pever, original_filename)},
};

/* The strings of the first string table of a StringFileInfo. */
static bool read_strings(vblock *x, const vnode *sfi)
{
    vnode tab, s;
    size_t at = sfi->kids;
    int r = next_child(x, &at, sfi->end, &tab);
    if (r <= 0)
        return r == 0;
    at = tab.kids;
    while ((r = next_child(x, &at, tab.end, &s)) > 0)
        for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
            if (key_is(x->b, &s, strings[i].key))
                take(x, &s, (char *)x->out + strings[i].at, strings[i].bit);
    return r == 0;
}

static xs_pever_rc read_version(const unsigned char *b, size_t n, xs_pever *out)
{
    vnode root, kid;
    const char *why = vnode_at(b, 0, n, &root);
    if (why)
        return stop(out, XS_PEVER_DAMAGED, why);
    if (!key_is(b, &root, "VS_VERSION_INFO"))
        return stop(out, XS_PEVER_DAMAGED, "the version resource is not a VS_VERSIONINFO");
    const unsigned char *f = b + root.value;
    if (root.nval >= FIXED_LEN && u32(f) == FIXED_SIG) {
        uint32_t fms = u32(f + 8), fls = u32(f + 12), pms = u32(f + 16), pls = u32(f + 20);
        uint16_t fv[4] = {(uint16_t)(fms >> 16), (uint16_t)fms, (uint16_t)(fls >> 16),
                          (uint16_t)fls};
        uint16_t pv[4] = {(uint16_t)(pms >> 16), (uint16_t)pms, (uint16_t)(pls >> 16),
                          (uint16_t)pls};
        memcpy(out->file_ver, fv, sizeof fv);
        memcpy(out->prod_ver, pv, sizeof pv);
        out->found |= XS_PEVER_FIXED;
    }
    vblock x = {b, 1, out};
    size_t at = root.kids;
    int r;
    while ((r = next_child(&x, &at, root.end, &kid)) > 0)
        if (key_is(b, &kid, "StringFileInfo")) {
            if (!read_strings(&x, &kid))
                return stop(out, XS_PEVER_DAMAGED, out->reason);
            break; /* the first StringFileInfo counts */
        }
    if (r < 0)
        return stop(out, XS_PEVER_DAMAGED, out->reason);
    return XS_PEVER_OK;
}

/* ---------------------------------------------------------------- headers */

xs_pever_rc xs_pever_read(const unsigned char *p, size_t n, xs_pever *out)
{
    memset(out, 0, sizeof *out);
    out->reason = "";
    pe e = {p, n < XS_PE_MAX_BYTES ? n : XS_PE_MAX_BYTES, n, out, 0, 0, false};
    if (e.n < 2 || p[0] != 'M' || p[1] != 'Z')
        return stop(out, XS_PEVER_NOT_PE, "no MZ header");
    if (!fits(&e, 0, 64))
        return stop(out, XS_PEVER_DAMAGED, "cut short in the DOS header");
    uint64_t lfanew = u32(p + 0x3C);
    if (!fits(&e, lfanew, 24))
        return stop(out, XS_PEVER_DAMAGED, "e_lfanew points past the end");
    const unsigned char *h = p + lfanew;
    if (memcmp(h, "PE\0\0", 4) != 0)
        return stop(out, XS_PEVER_NOT_PE, "no PE signature where e_lfanew points");
    uint32_t nsec = u16(h + 6);
    uint64_t opt = lfanew + 24, opt_size = u16(h + 20);
    if (!fits(&e, opt, 2))
        return stop(out, XS_PEVER_DAMAGED, "cut short before the optional header");
    uint16_t magic = u16(p + opt);
    if (magic != 0x10B && magic != 0x20B)
        return stop(out, XS_PEVER_DAMAGED, "an optional header of neither PE32 nor PE32+");
    out->pe32plus = magic == 0x20B;
    uint64_t nrva_at = out->pe32plus ? 108 : 92, dd = nrva_at + 4;
    if (opt_size < dd)
        return stop(out, XS_PEVER_DAMAGED, "an optional header too small for its fields");
    if (!fits(&e, opt, opt_size))
        return stop(out, XS_PEVER_DAMAGED, "cut short in the optional header");
    uint32_t nrva = u32(p + opt + nrva_at);
    if (nrva < 3)
        return stop(out, XS_PEVER_NO_VERSION, "no resource directory");
    if (opt_size < dd + 24)
        return stop(out, XS_PEVER_DAMAGED, "data directories past the optional header");
    uint32_t rsrc = u32(p + opt + dd + 16);
    if (rsrc == 0)
        return stop(out, XS_PEVER_NO_VERSION, "no resource directory");
    e.sec = (size_t)(opt + opt_size);
    e.nsec = nsec < XS_PE_MAX_SECTIONS ? nsec : XS_PE_MAX_SECTIONS;
    e.sec_cut = nsec > XS_PE_MAX_SECTIONS;
    if (!fits(&e, e.sec, 40ull * e.nsec))
        return stop(out, XS_PEVER_DAMAGED, "cut short in the section table");
    uint32_t vrva = 0, vsize = 0;
    xs_pever_rc rc = res_find(&e, rsrc, &vrva, &vsize);
    if (rc != XS_PEVER_OK)
        return rc;
    /* a version block is at most 65535 bytes (wLength): what follows is not looked at */
    size_t off, bn = vsize < 0xFFFF ? vsize : 0xFFFF;
    if (!map(&e, vrva, bn, &off))
        return stop(out, XS_PEVER_DAMAGED, "the version resource lies outside the file");
    return read_version(p + off, bn, out);
}

const char *xs_pever_rc_name(xs_pever_rc rc)
{
    switch (rc) {
    case XS_PEVER_OK:
        return "ok";
    case XS_PEVER_NOT_PE:
        return "not a PE";
    case XS_PEVER_NO_VERSION:
        return "no version resource";
    case XS_PEVER_DAMAGED:
        return "damaged";
    }
    return "?";
}
