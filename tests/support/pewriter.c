/* Test-suite PE writer (pewriter.h). Layouts: the PE/COFF specification (headers, sections,
 * resource directories) and the VS_VERSIONINFO family of structures. */
#include "pewriter.h"

#include <stdlib.h>
#include <string.h>

#include "utf16enc.h"

#define FILE_ALIGN 0x200u
#define SECT_ALIGN 0x1000u
#define LFANEW 0x80u

typedef struct wb {
    unsigned char *p;
    size_t n, cap;
    bool err;
} wb;

static void put(wb *b, const void *p, size_t n)
{
    if (b->err)
        return;
    if (b->n + n > b->cap) {
        size_t nc = b->cap ? b->cap : 4096;
        while (nc < b->n + n)
            nc *= 2;
        unsigned char *q = realloc(b->p, nc);
        if (!q) {
            b->err = true;
            return;
        }
        b->p = q;
        b->cap = nc;
    }
    if (p)
        memcpy(b->p + b->n, p, n);
    else
        memset(b->p + b->n, 0, n);
    b->n += n;
}

static void set16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void set32(unsigned char *p, uint32_t v)
{
    set16(p, v);
    set16(p + 2, v >> 16);
}

static void put16(wb *b, uint32_t v)
{
    unsigned char t[2];
    set16(t, v);
    put(b, t, 2);
}

static void put32(wb *b, uint32_t v)
{
    unsigned char t[4];
    set32(t, v);
    put(b, t, 4);
}

static void pad(wb *b, size_t to)
{
    put(b, NULL, (to - b->n % to) % to);
}

/* s as UTF-16LE with its NUL; returns the units written, NUL included. */
static size_t put_utf16z(wb *b, const char *s)
{
    size_t n = t_utf16_units(s, NULL);
    uint16_t *u = malloc((n + 1) * sizeof *u);
    if (!u) {
        b->err = true;
        return 0;
    }
    t_utf16_units(s, u);
    for (size_t i = 0; i < n; i++)
        put16(b, u[i]);
    put16(b, 0);
    free(u);
    return n + 1;
}

/* ---------------------------------------------------------------- the version block */

/* A block's header and key; its length is patched by node_end. */
static size_t node_begin(wb *b, const char *key, uint32_t type, uint32_t vlen)
{
    pad(b, 4);
    size_t at = b->n;
    put16(b, 0);
    put16(b, vlen);
    put16(b, type);
    put_utf16z(b, key);
    pad(b, 4);
    return at;
}

static void node_end(wb *b, size_t at)
{
    if (!b->err)
        set16(b->p + at, (uint32_t)(b->n - at));
}

static void var_file_info(wb *b)
{
    size_t vfi = node_begin(b, "VarFileInfo", 1, 0);
    size_t var = node_begin(b, "Translation", 0, 4);
    put16(b, 0x0409);
    put16(b, 0x04B0);
    node_end(b, var);
    node_end(b, vfi);
}

static void version_block(wb *b, const t_pe_opts *o, t_pe_layout *lay)
{
    size_t root = node_begin(b, "VS_VERSION_INFO", 0, o->no_fixed ? 0 : 52);
    if (!o->no_fixed) {
        put32(b, 0xFEEF04BDu);
        put32(b, 0x00010000u);
        put32(b, (uint32_t)o->file_ver[0] << 16 | o->file_ver[1]);
        put32(b, (uint32_t)o->file_ver[2] << 16 | o->file_ver[3]);
        put32(b, (uint32_t)o->prod_ver[0] << 16 | o->prod_ver[1]);
        put32(b, (uint32_t)o->prod_ver[2] << 16 | o->prod_ver[3]);
        put32(b, 0x3F);        /* FileFlagsMask */
        put32(b, 0);           /* FileFlags */
        put32(b, 0x00040004u); /* VOS_NT_WINDOWS32 */
        put32(b, 1);           /* VFT_APP */
        put32(b, 0);
        put32(b, 0);
        put32(b, 0);
    }
    if (o->var_first)
        var_file_info(b);
    if (o->strings) {
        pad(b, 4);
        lay->sfi = b->n;
        size_t sfi = node_begin(b, "StringFileInfo", 1, 0);
        size_t tab = node_begin(b, "040904B0", 1, 0);
        for (size_t i = 0; i < o->nstrings; i++) {
            size_t units = t_utf16_units(o->strings[i].value, NULL) + 1;
            size_t s = node_begin(b, o->strings[i].key, 1, (uint32_t)units);
            put_utf16z(b, o->strings[i].value);
            node_end(b, s);
        }
        node_end(b, tab);
        node_end(b, sfi);
    }
    if (!o->var_first)
        var_file_info(b);
    node_end(b, root);
}

/* ---------------------------------------------------------------- .rsrc */

/* The resource section's bytes (offsets relative to its start), for an RVA of rva. */
static void rsrc_section(wb *r, const t_pe_opts *o, uint32_t rva, t_pe_layout *lay)
{
    unsigned levels = o->levels ? o->levels : 3;
    bool version = o->res == T_PE_VERSION;
    unsigned ntypes = version ? o->extra_types + 1 : 1;
    /* the tables first, their entries patched once every offset is known */
    size_t dirs[16];
    for (unsigned l = 0; l < levels; l++) {
        dirs[l] = r->n;
        lay->dirs[l] = r->n;
        unsigned k = l == 0 ? ntypes : 1;
        put(r, NULL, 12);
        put16(r, 0);
        put16(r, k);
        put(r, NULL, 8ull * k);
    }
    size_t entry = r->n;
    lay->data_entry = entry;
    put(r, NULL, 16);
    pad(r, 8);
    size_t data = r->n;
    if (version) {
        version_block(r, o, lay);
    } else {
        static const char manifest[] = "<assembly xmlns=\"urn:schemas-microsoft-com:asm.v1\" "
                                       "manifestVersion=\"1.0\"/>";
        put(r, manifest, sizeof manifest - 1);
    }
    size_t data_n = r->n - data;
    lay->version = data;
    lay->version_n = data_n;
    if (r->err)
        return;
    for (unsigned l = 0; l < levels; l++) {
        unsigned char *e = r->p + dirs[l] + 16;
        uint32_t to = l + 1 < levels ? 0x80000000u | (uint32_t)dirs[l + 1] : (uint32_t)entry;
        if (l == 0) {
            for (unsigned i = 0; i + 1 < ntypes; i++, e += 8) {
                set32(e, 1); /* RT_CURSOR: never looked into */
                set32(e + 4, to);
            }
            set32(e, version ? 16 : 24);
        } else {
            set32(e, l == levels - 1 ? 0x0409 : 1);
        }
        set32(e + 4, to);
    }
    set32(r->p + entry, rva + (uint32_t)data);
    set32(r->p + entry + 4, (uint32_t)data_n);
}

/* ---------------------------------------------------------------- headers */

static void section(unsigned char *h, const char *name, uint32_t vsize, uint32_t va,
                    uint32_t raw, uint32_t ptr, uint32_t flags)
{
    memcpy(h, name, strlen(name));
    set32(h + 8, vsize);
    set32(h + 12, va);
    set32(h + 16, raw);
    set32(h + 20, ptr);
    set32(h + 36, flags);
}

static uint32_t up(uint64_t x, uint32_t a)
{
    return (uint32_t)((x + a - 1) / a * a);
}

unsigned char *t_pe_build(const t_pe_opts *o, size_t *len, t_pe_layout *lay_out)
{
    t_pe_layout lay;
    memset(&lay, 0, sizeof lay);
    if (o->levels > 16)
        return NULL;
    bool rsrc = o->res != T_PE_NO_RSRC;
    uint32_t nsec = 1 + o->extra_sections + (rsrc ? 1 : 0);
    size_t opt_size = o->pe32 ? 224 : 240;
    lay.lfanew = LFANEW;
    lay.opt = LFANEW + 24;
    lay.opt_size = opt_size;
    lay.sections = lay.opt + opt_size;
    uint32_t headers = up(lay.sections + 40ull * nsec, FILE_ALIGN);
    uint32_t text_ptr = headers, text_rva = SECT_ALIGN;
    uint32_t rsrc_rva = SECT_ALIGN * (2 + o->extra_sections);
    uint32_t rsrc_ptr = text_ptr + FILE_ALIGN + up(o->gap, FILE_ALIGN);
    lay.rsrc_rva = rsrc_rva;

    wb r = {0};
    if (rsrc)
        rsrc_section(&r, o, rsrc_rva, &lay);
    uint32_t rsrc_raw = up(r.n, FILE_ALIGN);
    uint32_t image = rsrc ? rsrc_rva + up(r.n ? r.n : 1, SECT_ALIGN) : rsrc_rva;

    wb b = {0};
    put(&b, NULL, rsrc ? rsrc_ptr + rsrc_raw : text_ptr + FILE_ALIGN);
    if (b.err || r.err) {
        free(r.p);
        free(b.p);
        return NULL;
    }
    unsigned char *p = b.p;
    /* DOS header and an empty stub */
    p[0] = 'M';
    p[1] = 'Z';
    set16(p + 2, 0x90);
    set16(p + 4, 3);
    set16(p + 8, 4);
    set16(p + 0x18, 0x40);
    set32(p + 0x3C, LFANEW);
    /* PE signature and COFF header */
    unsigned char *c = p + LFANEW;
    memcpy(c, "PE\0\0", 4);
    set16(c + 4, o->pe32 ? 0x014C : 0x8664);
    set16(c + 6, nsec);
    set32(c + 8, 0x5F000000u);
    set16(c + 20, (uint32_t)opt_size);
    set16(c + 22, o->pe32 ? 0x0102 : 0x0022);
    /* optional header */
    unsigned char *h = p + lay.opt;
    set16(h, o->pe32 ? 0x10B : 0x20B);
    h[2] = 14;
    set32(h + 4, FILE_ALIGN);
    set32(h + 8, rsrc_raw);
    set32(h + 16, text_rva);
    set32(h + 20, text_rva);
    if (o->pe32) {
        set32(h + 24, rsrc_rva);
        set32(h + 28, 0x00400000u);
    } else {
        set32(h + 24, 0x40000000u);
        set32(h + 28, 0x1);
    }
    set32(h + 32, SECT_ALIGN);
    set32(h + 36, FILE_ALIGN);
    set16(h + 40, 6);
    set16(h + 48, 6);
    set32(h + 56, image);
    set32(h + 60, headers);
    set16(h + 68, 3); /* console */
    set16(h + 70, o->pe32 ? 0x8140 : 0x8160);
    /* stack reserve and commit, heap reserve and commit: 4 bytes each in PE32, 8 in PE32+ */
    const uint32_t mem[4] = {0x100000, 0x1000, 0x100000, 0x1000};
    size_t at = 72, wide = o->pe32 ? 4 : 8;
    for (int i = 0; i < 4; i++, at += wide)
        set32(h + at, mem[i]);
    set32(h + at + 4, 16); /* after LoaderFlags: NumberOfRvaAndSizes */
    size_t dd = at + 8;
    if (rsrc) {
        set32(h + dd + 16, rsrc_rva);
        set32(h + dd + 20, (uint32_t)r.n);
    }
    /* sections */
    unsigned char *s = p + lay.sections;
    section(s, ".text", 1, text_rva, FILE_ALIGN, text_ptr, 0x60000020u);
    p[text_ptr] = 0xC3; /* ret */
    for (unsigned i = 0; i < o->extra_sections; i++)
        section(s + 40u * (1 + i), ".bss", SECT_ALIGN, SECT_ALIGN * (2 + i), 0, 0,
                0xC0000080u);
    if (rsrc) {
        lay.rsrc_header = lay.sections + 40u * (nsec - 1);
        section(p + lay.rsrc_header, ".rsrc", (uint32_t)r.n, rsrc_rva, rsrc_raw, rsrc_ptr,
                0x40000040u);
        memcpy(p + rsrc_ptr, r.p, r.n);
        lay.rsrc = rsrc_ptr;
        for (unsigned l = 0; l < (o->levels ? o->levels : 3); l++)
            lay.dirs[l] += rsrc_ptr;
        lay.data_entry += rsrc_ptr;
        lay.version += rsrc_ptr;
        if (lay.sfi)
            lay.sfi += rsrc_ptr;
    }
    free(r.p);
    *len = b.n;
    if (lay_out)
        *lay_out = lay;
    return p;
}

/* ---------------------------------------------------------------- ExSetup.exe */

const t_pe_str t_pe_exsetup_strings[] = {
    {"Comments", ""},
    {"CompanyName", "Microsoft Corporation"},
    {"FileDescription", "ExSetup.exe"},
    {"FileVersion", "15.01.2176.009"},
    {"InternalName", "ExSetup.exe"},
    {"LegalCopyright", "\xc2\xa9 Microsoft Corporation. All rights reserved."},
    {"OriginalFilename", "ExSetup.exe"},
    {"ProductName", "Microsoft\xc2\xae Exchange"},
    {"ProductVersion", "15.01.2176.009"},
};
const size_t t_pe_exsetup_nstrings = sizeof t_pe_exsetup_strings / sizeof t_pe_exsetup_strings[0];

void t_pe_exsetup_opts(t_pe_opts *o)
{
    memset(o, 0, sizeof *o);
    const uint16_t v[4] = {15, 1, 2176, 9};
    memcpy(o->file_ver, v, sizeof v);
    memcpy(o->prod_ver, v, sizeof v);
    o->strings = t_pe_exsetup_strings;
    o->nstrings = t_pe_exsetup_nstrings;
}
