/* Test support: small valid PE files (PE32+ or PE32) whose .rsrc section holds a VS_VERSIONINFO
 * with a given fixed version and strings, so that tests build ExSetup.exe fixtures instead of
 * committing Microsoft's binaries. Independent of the reader (lib/parsers/pever.c); exiftool
 * reads its output too (tests/unit/test-pever.c).
 *
 * The file: a DOS header (e_lfanew 0x80), the PE and COFF headers, the optional header with 16
 * data directories, a .text section holding one RET at the entry point, `extra_sections` empty
 * sections, then .rsrc: root (type) directory, name and language directories, the data entry,
 * the version block. File alignment 0x200, section alignment 0x1000. The layout says where each
 * part went, for tests that damage it.
 */
#ifndef XS_TEST_PEWRITER_H
#define XS_TEST_PEWRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct t_pe_str {
    const char *key, *value; /* UTF-8 */
} t_pe_str;

typedef enum t_pe_res {
    T_PE_VERSION = 0, /* a version resource (the default) */
    T_PE_NO_RSRC,     /* no .rsrc section, no resource directory */
    T_PE_NO_VERSION,  /* a resource section holding only a manifest (RT_MANIFEST) */
} t_pe_res;

typedef struct t_pe_opts {
    bool pe32;            /* PE32 (i386) rather than PE32+ (x64) */
    t_pe_res res;
    bool no_fixed;        /* a VS_VERSIONINFO without VS_FIXEDFILEINFO */
    uint16_t file_ver[4]; /* FileVersionMS/LS: major, minor, build, revision */
    uint16_t prod_ver[4];
    const t_pe_str *strings; /* the string table "040904B0"; NULL: no StringFileInfo */
    size_t nstrings;
    bool var_first;          /* VarFileInfo before StringFileInfo */
    unsigned extra_sections; /* empty sections (no raw data) between .text and .rsrc */
    unsigned extra_types;    /* resource types (ID 1, pointing to the name directory) listed
                                before RT_VERSION in the root directory */
    unsigned levels;         /* directory tables from the root to the data entry (0: 3) */
    size_t gap;              /* zero bytes before .rsrc's raw data (rounded up to 0x200) */
} t_pe_opts;

typedef struct t_pe_layout {
    size_t lfanew, opt;   /* PE signature; optional header */
    size_t opt_size;      /* SizeOfOptionalHeader */
    size_t sections;      /* the section table */
    size_t rsrc_header;   /* .rsrc's section header (0: none) */
    size_t rsrc;          /* .rsrc's raw data: the root directory */
    uint32_t rsrc_rva;
    size_t dirs[16];      /* the directory tables, root first (levels of them) */
    size_t data_entry;    /* IMAGE_RESOURCE_DATA_ENTRY */
    size_t version, version_n; /* VS_VERSIONINFO */
    size_t sfi;           /* StringFileInfo (0: none) */
} t_pe_layout;

/* The PE file described by o (malloc'd, *len bytes; lay, when not NULL, says where its parts
 * are), or NULL when out of memory or levels is over 16. */
unsigned char *t_pe_build(const t_pe_opts *o, size_t *len, t_pe_layout *lay);

/* An Exchange ExSetup.exe's version strings (15.01.2176.009, ProductName "Microsoft® Exchange",
 * CompanyName "Microsoft Corporation", ...) and the options that go with them (PE32+, fixed
 * versions 15.1.2176.9). */
extern const t_pe_str t_pe_exsetup_strings[];
extern const size_t t_pe_exsetup_nstrings;
void t_pe_exsetup_opts(t_pe_opts *o);

#endif
