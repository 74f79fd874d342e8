/* The PE version-resource reader (lib/parsers/pever.c) on files of the test writer
 * (tests/support/pewriter.c): exact results for PE32 and PE32+, files without resources or
 * without a version, every truncation, hostile offsets and sizes, resource loops, and each cap
 * (XS_PE_*) met on both sides; exiftool reads the writer's files the same way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/limits.h"
#include "fixfiles.h"
#include "parsers/pever.h"
#include "pewriter.h"

static unsigned char *mk(const t_pe_opts *o, size_t *n, t_pe_layout *lay)
{
    unsigned char *p = t_pe_build(o, n, lay);
    assert_non_null(p);
    return p;
}

static unsigned char *exsetup(bool pe32, size_t *n, t_pe_layout *lay)
{
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    o.pe32 = pe32;
    return mk(&o, n, lay);
}

static void set32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The reader over an exact copy of p[0..n): a read past n is an ASan error. */
static xs_pever_rc rd(const unsigned char *p, size_t n, xs_pever *v)
{
    unsigned char *c = malloc(n ? n : 1);
    assert_non_null(c);
    if (n)
        memcpy(c, p, n);
    xs_pever_rc rc = xs_pever_read(c, n, v);
    free(c);
    assert_non_null(v->reason);
    assert_true((rc == XS_PEVER_OK) == (v->reason[0] == 0));
    return rc;
}

static const unsigned ALL = XS_PEVER_FIXED | XS_PEVER_FILEVERSION | XS_PEVER_PRODUCTVERSION |
                            XS_PEVER_PRODUCTNAME | XS_PEVER_COMPANYNAME |
                            XS_PEVER_ORIGINALFILENAME;

static void expect_exsetup(const xs_pever *v, bool pe32plus)
{
    assert_int_equal(v->pe32plus, pe32plus);
    assert_int_equal(v->found, ALL);
    const uint16_t want[4] = {15, 1, 2176, 9};
    assert_memory_equal(v->file_ver, want, sizeof want);
    assert_memory_equal(v->prod_ver, want, sizeof want);
    assert_string_equal(v->file_version, "15.01.2176.009");
    assert_string_equal(v->product_version, "15.01.2176.009");
    assert_string_equal(v->product_name, "Microsoft\xc2\xae Exchange");
    assert_string_equal(v->company_name, "Microsoft Corporation");
    assert_string_equal(v->original_filename, "ExSetup.exe");
    assert_false(v->capped);
    assert_string_equal(v->reason, "");
}

static void same(const xs_pever *a, const xs_pever *b)
{
    assert_int_equal(a->pe32plus, b->pe32plus);
    assert_int_equal(a->found, b->found);
    assert_memory_equal(a->file_ver, b->file_ver, sizeof a->file_ver);
    assert_memory_equal(a->prod_ver, b->prod_ver, sizeof a->prod_ver);
    assert_string_equal(a->file_version, b->file_version);
    assert_string_equal(a->product_version, b->product_version);
    assert_string_equal(a->product_name, b->product_name);
    assert_string_equal(a->company_name, b->company_name);
    assert_string_equal(a->original_filename, b->original_filename);
    assert_int_equal(a->capped, b->capped);
}

/* ---------------------------------------------------------------- well-formed files */

static void test_pe32_and_pe32plus(void **st)
{
    (void)st;
    for (int pe32 = 0; pe32 < 2; pe32++) {
        size_t n;
        unsigned char *p = exsetup(pe32, &n, NULL);
        xs_pever v;
        assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
        expect_exsetup(&v, !pe32);
        free(p);
    }
}

/* VarFileInfo first, other fixed and product versions, no fixed info, no strings. */
static void test_shapes(void **st)
{
    (void)st;
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    o.var_first = true;
    const uint16_t fv[4] = {15, 2, 1544, 4}, pv[4] = {15, 2, 0, 0};
    memcpy(o.file_ver, fv, sizeof fv);
    memcpy(o.prod_ver, pv, sizeof pv);
    size_t n;
    unsigned char *p = mk(&o, &n, NULL);
    xs_pever v;
    assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
    assert_int_equal(v.found, ALL);
    assert_memory_equal(v.file_ver, fv, sizeof fv);
    assert_memory_equal(v.prod_ver, pv, sizeof pv);
    assert_string_equal(v.product_name, "Microsoft\xc2\xae Exchange");
    free(p);

    o.no_fixed = true;
    p = mk(&o, &n, NULL);
    assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
    assert_int_equal(v.found, ALL & ~(unsigned)XS_PEVER_FIXED);
    assert_string_equal(v.file_version, "15.01.2176.009");
    free(p);

    o.no_fixed = false;
    o.strings = NULL;
    p = mk(&o, &n, NULL);
    assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
    assert_int_equal(v.found, XS_PEVER_FIXED);
    assert_string_equal(v.file_version, "");
    free(p);

    /* the first of two FileVersion strings counts; keys compare without case */
    const t_pe_str two[] = {{"fileversion", "1.2.3.4"}, {"FileVersion", "5.6.7.8"},
                            {"PRODUCTNAME", "x"}};
    o.strings = two;
    o.nstrings = 3;
    p = mk(&o, &n, NULL);
    assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
    assert_string_equal(v.file_version, "1.2.3.4");
    assert_string_equal(v.product_name, "x");
    assert_int_equal(v.found, XS_PEVER_FIXED | XS_PEVER_FILEVERSION | XS_PEVER_PRODUCTNAME);
    free(p);

    /* the type entry pointing straight at the data (one directory level) is read */
    t_pe_exsetup_opts(&o);
    o.levels = 1;
    p = mk(&o, &n, NULL);
    assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
    expect_exsetup(&v, true);
    free(p);
}

static void test_no_version(void **st)
{
    (void)st;
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    o.res = T_PE_NO_RSRC;
    size_t n;
    unsigned char *p = mk(&o, &n, NULL);
    xs_pever v;
    assert_int_equal(rd(p, n, &v), XS_PEVER_NO_VERSION);
    assert_string_equal(v.reason, "no resource directory");
    assert_int_equal(v.found, 0);
    free(p);

    o.res = T_PE_NO_VERSION;
    p = mk(&o, &n, NULL);
    assert_int_equal(rd(p, n, &v), XS_PEVER_NO_VERSION);
    assert_string_equal(v.reason, "no version resource");
    assert_false(v.capped);
    free(p);

    /* fewer than three data directories: no resource directory */
    t_pe_layout lay;
    p = exsetup(false, &n, &lay);
    set32(p + lay.opt + 108, 2);
    assert_int_equal(rd(p, n, &v), XS_PEVER_NO_VERSION);
    free(p);
}

static void test_not_pe(void **st)
{
    (void)st;
    xs_pever v;
    assert_int_equal(rd((const unsigned char *)"", 0, &v), XS_PEVER_NOT_PE);
    assert_int_equal(rd((const unsigned char *)"M", 1, &v), XS_PEVER_NOT_PE);
    assert_int_equal(rd((const unsigned char *)"#!/bin/sh\n", 10, &v), XS_PEVER_NOT_PE);
    assert_string_equal(v.reason, "no MZ header");
    size_t n;
    t_pe_layout lay;
    unsigned char *p = exsetup(false, &n, &lay);
    memcpy(p + lay.lfanew, "NE\0\0", 4);
    assert_int_equal(rd(p, n, &v), XS_PEVER_NOT_PE);
    assert_string_equal(v.reason, "no PE signature where e_lfanew points");
    free(p);
    assert_string_equal(xs_pever_rc_name(XS_PEVER_DAMAGED), "damaged");
    assert_string_equal(xs_pever_rc_name(XS_PEVER_OK), "ok");
}

/* Every length of a valid file: never a crash (ASan), never OK with other data than the
 * whole file's; the short ones are damaged (or not a PE, under two bytes). */
static void truncations(bool pe32)
{
    size_t n;
    t_pe_layout lay;
    unsigned char *p = exsetup(pe32, &n, &lay);
    xs_pever full, v;
    assert_int_equal(rd(p, n, &full), XS_PEVER_OK);
    size_t ok = 0;
    for (size_t len = 0; len < n; len++) {
        xs_pever_rc rc = rd(p, len, &v);
        if (rc == XS_PEVER_OK) {
            same(&v, &full);
            ok++;
        } else {
            assert_int_equal(rc, len < 2 ? XS_PEVER_NOT_PE : XS_PEVER_DAMAGED);
            assert_false(v.capped);
        }
        /* a file cut inside the version block is never read as OK */
        if (len < lay.version + lay.version_n)
            assert_int_not_equal(rc, XS_PEVER_OK);
    }
    /* only the section's padding past the block may be cut */
    assert_int_equal(ok, n - (lay.version + lay.version_n));
    free(p);
}

static void test_truncated(void **st)
{
    (void)st;
    truncations(false);
    truncations(true);
}

/* ---------------------------------------------------------------- hostile bytes */

/* One field overwritten: where (a part of the layout, plus an offset), how wide, with what. */
enum { AT_FILE, AT_PE, AT_OPT, AT_RSRC_HDR, AT_DIR0, AT_DIR1, AT_ENTRY, AT_VERSION, AT_SFI };
#define V_NEAR_END 0xFFFF0001u /* e_lfanew 23 bytes before the end */
#define V_DIR1_SELF 0xFFFF0002u /* the name directory's own offset, as a subdirectory */
#define V_VERSION_LONG 0xFFFF0003u /* two bytes past the version resource */
#define V_XOR1 0xFFFF0004u         /* the byte with its low bit flipped */

typedef struct damage {
    int part;
    size_t at;
    int width; /* 1, 2, 4 */
    uint32_t v;
    xs_pever_rc want;
    const char *reason; /* NULL: any */
} damage;

static const damage damages[] = {
    {AT_FILE, 0x3C, 4, V_NEAR_END, XS_PEVER_DAMAGED, "e_lfanew points past the end"},
    {AT_FILE, 0x3C, 4, 0xFFFFFFF0u, XS_PEVER_DAMAGED, "e_lfanew points past the end"},
    {AT_OPT, 0, 2, 0x107, XS_PEVER_DAMAGED, "an optional header of neither PE32 nor PE32+"},
    {AT_PE, 20, 2, 100, XS_PEVER_DAMAGED, NULL}, /* SizeOfOptionalHeader: too small */
    {AT_PE, 20, 2, 0xFFFF, XS_PEVER_DAMAGED, "cut short in the optional header"},
    {AT_PE, 6, 2, 0xFFFF, XS_PEVER_DAMAGED, "cut short in the section table"},
    /* SizeOfRawData past the file: the spans read are checked against the file instead */
    {AT_RSRC_HDR, 16, 4, 0xFFFFFFFFu, XS_PEVER_OK, NULL},
    {AT_RSRC_HDR, 20, 4, 0xFFFFFF00u, XS_PEVER_DAMAGED,
     "the resource directory lies outside the file"},
    {AT_RSRC_HDR, 12, 4, 0xFFFFF000u, XS_PEVER_DAMAGED,
     "the resource directory lies outside the file"},
    /* loops: RT_VERSION pointing at the root, the name directory at itself */
    {AT_DIR0, 20, 4, 0x80000000u, XS_PEVER_DAMAGED,
     "resource directories nested too deep (a loop?)"},
    {AT_DIR1, 20, 4, V_DIR1_SELF, XS_PEVER_DAMAGED,
     "resource directories nested too deep (a loop?)"},
    {AT_DIR1, 20, 4, 0xFFFFFFFFu, XS_PEVER_DAMAGED, "a resource directory lies outside the file"},
    {AT_DIR0, 12, 4, 0xFFFFFFFFu, XS_PEVER_DAMAGED,
     "the resource directory lies outside the file"}, /* 131070 entries */
    {AT_DIR1, 14, 2, 0, XS_PEVER_NO_VERSION, "an empty version resource directory"},
    {AT_ENTRY, 0, 4, 0x7FFFFFF0u, XS_PEVER_DAMAGED, "the version resource lies outside the file"},
    {AT_ENTRY, 4, 4, 0xFFFFFFFFu, XS_PEVER_DAMAGED, "the version resource lies outside the file"},
    {AT_ENTRY, 4, 4, 4, XS_PEVER_DAMAGED, "a version-info block is cut short"},
    {AT_VERSION, 0, 2, V_VERSION_LONG, XS_PEVER_DAMAGED, "a version-info block overruns its parent"},
    {AT_VERSION, 0, 2, 0, XS_PEVER_DAMAGED, "a version-info block shorter than its header"},
    {AT_VERSION, 6, 1, 'W', XS_PEVER_DAMAGED, "the version resource is not a VS_VERSIONINFO"},
    /* wLength ending right after the key's characters: its NUL falls outside */
    {AT_VERSION, 0, 2, 6 + 2 * 15, XS_PEVER_DAMAGED, "a version-info key runs past its block"},
    {AT_SFI, 0, 2, 0xFFF0, XS_PEVER_DAMAGED, "a version-info block overruns its parent"},
    {AT_SFI, 0, 2, 4, XS_PEVER_DAMAGED, "a version-info block shorter than its header"},
    /* the fixed info's Signature (after the header, the key and its padding) */
    {AT_VERSION, 40, 1, V_XOR1, XS_PEVER_OK, NULL},
};

static void apply(unsigned char *p, size_t n, const t_pe_layout *l, const damage *d)
{
    const size_t base[] = {0, l->lfanew, l->opt, l->rsrc_header, l->dirs[0],
                           l->dirs[1], l->data_entry, l->version, l->sfi};
    unsigned char *f = p + base[d->part] + d->at;
    uint32_t v = d->v == V_NEAR_END       ? (uint32_t)n - 23
                 : d->v == V_DIR1_SELF    ? 0x80000000u | (uint32_t)(l->dirs[1] - l->rsrc)
                 : d->v == V_VERSION_LONG ? (uint32_t)l->version_n + 2
                 : d->v == V_XOR1         ? f[0] ^ 1u
                                          : d->v;
    for (int i = 0; i < d->width; i++)
        f[i] = (unsigned char)(v >> (8 * i));
}

static void test_hostile(void **st)
{
    (void)st;
    for (size_t i = 0; i < sizeof damages / sizeof damages[0]; i++)
        for (int pe32 = 0; pe32 < 2; pe32++) {
            const damage *d = &damages[i];
            size_t n;
            t_pe_layout lay;
            unsigned char *p = exsetup(pe32, &n, &lay);
            apply(p, n, &lay, d);
            xs_pever v;
            xs_pever_rc rc = rd(p, n, &v);
            if (rc != d->want || (d->reason && strcmp(v.reason, d->reason) != 0))
                fail_msg("damage %zu (%s): got %s (%s), want %s (%s)", i, pe32 ? "PE32" : "PE32+",
                         xs_pever_rc_name(rc), v.reason, xs_pever_rc_name(d->want),
                         d->reason ? d->reason : "any");
            assert_false(v.capped);
            free(p);
        }
}

/* A signature that is not 0xFEEF04BD: the fixed info is not believed, the strings are. */
static void test_fixed_signature(void **st)
{
    (void)st;
    size_t n;
    t_pe_layout lay;
    unsigned char *p = exsetup(false, &n, &lay);
    apply(p, n, &lay, &damages[sizeof damages / sizeof damages[0] - 1]);
    xs_pever v;
    assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
    assert_int_equal(v.found, ALL & ~(unsigned)XS_PEVER_FIXED);
    assert_string_equal(v.file_version, "15.01.2176.009");
    free(p);
}

/* ---------------------------------------------------------------- caps */

/* XS_PE_MAX_BYTES: a resource past them is not read (damaged, capped); what lies within is
 * read whatever follows. */
static void test_cap_bytes(void **st)
{
    (void)st;
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    size_t n;
    unsigned char *p = mk(&o, &n, NULL);
    size_t small = n;
    free(p);
    /* the largest gap that keeps the whole file within the cap */
    o.gap = XS_PE_MAX_BYTES - small;
    t_pe_layout lay;
    p = mk(&o, &n, &lay);
    assert_true(n <= XS_PE_MAX_BYTES);
    xs_pever v;
    assert_int_equal(xs_pever_read(p, n, &v), XS_PEVER_OK);
    expect_exsetup(&v, true);
    free(p);
    /* one alignment more: the version block lies past the cap */
    o.gap += 0x200;
    p = mk(&o, &n, &lay);
    assert_true(lay.version < XS_PE_MAX_BYTES + 0x200 && n > XS_PE_MAX_BYTES);
    assert_int_equal(xs_pever_read(p, n, &v), XS_PEVER_DAMAGED);
    assert_true(v.capped);
    free(p);
    /* a small file followed by more than the cap of other bytes is read */
    unsigned char *big = calloc(1, XS_PE_MAX_BYTES + 4096);
    assert_non_null(big);
    t_pe_exsetup_opts(&o);
    p = mk(&o, &n, NULL);
    memcpy(big, p, n);
    assert_int_equal(xs_pever_read(big, XS_PE_MAX_BYTES + 4096, &v), XS_PEVER_OK);
    expect_exsetup(&v, true);
    free(big);
    free(p);
}

/* A cap met through a count option of the writer (*count, in o): at `at` the file reads as
 * ExSetup.exe; at one more it reads as `past`, for `reason` (NULL: any), capped or not. */
static void cap_edge(t_pe_opts *o, unsigned *count, unsigned at, xs_pever_rc past,
                     const char *reason, bool capped)
{
    *count = at;
    size_t n;
    unsigned char *p = mk(o, &n, NULL);
    xs_pever v;
    assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
    expect_exsetup(&v, true);
    free(p);
    *count = at + 1;
    p = mk(o, &n, NULL);
    assert_int_equal(rd(p, n, &v), past);
    if (reason)
        assert_string_equal(v.reason, reason);
    assert_int_equal(v.capped, capped);
    free(p);
}

/* XS_PE_MAX_SECTIONS: .rsrc as the last section looked at is found; one later is not
 * (damaged, capped). */
static void test_cap_sections(void **st)
{
    (void)st;
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    /* .text, the extra ones, .rsrc */
    cap_edge(&o, &o.extra_sections, XS_PE_MAX_SECTIONS - 2, XS_PEVER_DAMAGED,
             "the resource directory lies outside the file", true);
}

/* XS_PE_MAX_RES_ENTRIES: RT_VERSION as the last entry looked at is found; one later is not
 * (no version, capped). */
static void test_cap_entries(void **st)
{
    (void)st;
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    cap_edge(&o, &o.extra_types, XS_PE_MAX_RES_ENTRIES - 1, XS_PEVER_NO_VERSION,
             "no version resource", true);
}

/* XS_PE_MAX_RES_DEPTH: a chain of that many directories is followed; a longer one is
 * damaged. */
static void test_cap_depth(void **st)
{
    (void)st;
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    cap_edge(&o, &o.levels, XS_PE_MAX_RES_DEPTH, XS_PEVER_DAMAGED,
             "resource directories nested too deep (a loop?)", false);
}

/* XS_PE_MAX_VI_NODES: blocks are VS_VERSIONINFO, StringFileInfo, the table, then the
 * strings; a string that is the last block walked is read, one after it is not (capped, the
 * rest kept, OK). */
static void test_cap_nodes(void **st)
{
    (void)st;
    size_t fill = XS_PE_MAX_VI_NODES - 5; /* with the three above and two strings: the cap */
    t_pe_str *s = calloc(fill + 3, sizeof *s);
    assert_non_null(s);
    s[0] = (t_pe_str){"FileVersion", "15.1.2176.9"};
    for (size_t i = 1; i <= fill; i++)
        s[i] = (t_pe_str){"Comments", "x"};
    s[fill + 1] = (t_pe_str){"ProductName", "Microsoft Exchange"};
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    o.strings = s;
    o.nstrings = fill + 2;
    size_t n;
    unsigned char *p = mk(&o, &n, NULL);
    xs_pever v;
    assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
    assert_string_equal(v.product_name, "Microsoft Exchange");
    assert_false(v.capped);
    free(p);
    /* one filler more: ProductName is past the cap */
    s[fill + 1] = (t_pe_str){"Comments", "x"};
    s[fill + 2] = (t_pe_str){"ProductName", "Microsoft Exchange"};
    o.strings = s;
    o.nstrings = fill + 3;
    p = mk(&o, &n, NULL);
    assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
    assert_string_equal(v.product_name, "");
    assert_string_equal(v.file_version, "15.1.2176.9");
    assert_int_equal(v.found, XS_PEVER_FIXED | XS_PEVER_FILEVERSION);
    assert_true(v.capped);
    free(p);
    free(s);
}

/* XS_PE_MAX_STRING: a string of that many bytes is kept whole; a longer one is cut, never
 * inside a character, and the read says so. */
static void test_cap_string(void **st)
{
    (void)st;
    char text[XS_PE_MAX_STRING + 8];
    memset(text, 'a', XS_PE_MAX_STRING);
    text[XS_PE_MAX_STRING] = 0;
    t_pe_str s[] = {{"CompanyName", text}};
    t_pe_opts o;
    t_pe_exsetup_opts(&o);
    o.strings = s;
    o.nstrings = 1;
    size_t n;
    unsigned char *p = mk(&o, &n, NULL);
    xs_pever v;
    assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
    assert_string_equal(v.company_name, text);
    assert_false(v.capped);
    free(p);
    /* one more byte: cut */
    text[XS_PE_MAX_STRING] = 'b';
    text[XS_PE_MAX_STRING + 1] = 0;
    p = mk(&o, &n, NULL);
    assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
    assert_int_equal(strlen(v.company_name), XS_PE_MAX_STRING);
    assert_memory_equal(v.company_name, text, XS_PE_MAX_STRING);
    assert_true(v.capped);
    free(p);
    /* a two-byte character across the cap is left out whole */
    memcpy(text + XS_PE_MAX_STRING - 1, "\xc2\xae", 3);
    p = mk(&o, &n, NULL);
    assert_int_equal(rd(p, n, &v), XS_PEVER_OK);
    assert_int_equal(strlen(v.company_name), XS_PE_MAX_STRING - 1);
    assert_true(v.capped);
    free(p);
}

/* ---------------------------------------------------------------- an outside reader */

static void exif(const char *path, const char *tag, char *out, size_t cap)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "exiftool -s -s -s -%s '%s' 2>&1", tag, path);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    out[0] = 0;
    if (!fgets(out, (int)cap, f))
        out[0] = 0;
    pclose(f);
    out[strcspn(out, "\r\n")] = 0;
}

/* exiftool reads the writer's PE32+ and PE32 files as we do. */
static void test_exiftool(void **st)
{
    (void)st;
    if (system("command -v exiftool >/dev/null 2>&1") != 0)
        skip();
    char dir[256];
    assert_int_equal(t_tmpdir_create(dir, sizeof dir, "exs-pever"), 0);
    for (int pe32 = 0; pe32 < 2; pe32++) {
        size_t n;
        unsigned char *p = exsetup(pe32, &n, NULL);
        assert_int_equal(t_fix_write(dir, "ExSetup.exe", p, n), 0);
        free(p);
        char path[400], got[512];
        snprintf(path, sizeof path, "%s/ExSetup.exe", dir);
        exif(path, "PEType", got, sizeof got);
        assert_string_equal(got, pe32 ? "PE32" : "PE32+");
        exif(path, "FileVersionNumber", got, sizeof got);
        assert_string_equal(got, "15.1.2176.9");
        exif(path, "ProductVersionNumber", got, sizeof got);
        assert_string_equal(got, "15.1.2176.9");
        exif(path, "FileVersion", got, sizeof got);
        assert_string_equal(got, "15.01.2176.009");
        exif(path, "ProductName", got, sizeof got);
        assert_string_equal(got, "Microsoft\xc2\xae Exchange");
        exif(path, "CompanyName", got, sizeof got);
        assert_string_equal(got, "Microsoft Corporation");
        exif(path, "OriginalFileName", got, sizeof got);
        assert_string_equal(got, "ExSetup.exe");
    }
    assert_int_equal(t_tmpdir_remove(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pe32_and_pe32plus),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_no_version),
        cmocka_unit_test(test_not_pe),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_fixed_signature),
        cmocka_unit_test(test_cap_bytes),
        cmocka_unit_test(test_cap_sections),
        cmocka_unit_test(test_cap_entries),
        cmocka_unit_test(test_cap_depth),
        cmocka_unit_test(test_cap_nodes),
        cmocka_unit_test(test_cap_string),
        cmocka_unit_test(test_exiftool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
