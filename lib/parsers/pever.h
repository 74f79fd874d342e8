/* The version resource of a PE file (an .exe or .dll of Windows, PE32 or PE32+): its fixed file
 * and product versions and the strings an Exchange build is read from. Every offset and length
 * is checked against the bytes given; caps in core/limits.h (XS_PE_*). Little-endian throughout.
 *
 *   DOS header      off 0     "MZ"; e_lfanew (u32) at 0x3C: where the PE header starts
 *   PE header       e_lfanew  "PE\0\0", then the COFF header (20 bytes):
 *                             +4 Machine (u16), +6 NumberOfSections (u16),
 *                             +20 SizeOfOptionalHeader (u16)
 *   optional header +24       Magic (u16): 0x10B PE32, 0x20B PE32+;
 *                             NumberOfRvaAndSizes (u32) at +92 (PE32) / +108 (PE32+), then the
 *                             data directories (RVA u32, Size u32); [2] is the resources
 *   section table   +24 + SizeOfOptionalHeader, 40 bytes each: VirtualSize (u32) at +8,
 *                             VirtualAddress +12, SizeOfRawData +16, PointerToRawData +20;
 *                             an RVA maps to a file offset in the raw data of its section
 *   resource dir    16 bytes: NumberOfNamedEntries (u16) at +12, NumberOfIdEntries +14, then
 *                             the entries (8 bytes): Name or ID (u32; high bit: a name),
 *                             OffsetToData (u32; high bit: a subdirectory), both relative to
 *                             the first directory. Levels: type (RT_VERSION = 16), name,
 *                             language; the last entry points to a data entry
 *   data entry      16 bytes: OffsetToData (an RVA, u32), Size (u32), CodePage, Reserved
 *   version block   wLength (u16), wValueLength (u16), wType (u16: 1 text, 0 binary), szKey
 *                             (UTF-16, NUL-terminated), padding to 4, the value (binary: bytes;
 *                             text: UTF-16 units), padding to 4, the children (blocks again).
 *                             VS_VERSIONINFO's value is VS_FIXEDFILEINFO (52 bytes: Signature
 *                             0xFEEF04BD, StrucVersion, FileVersionMS/LS, ProductVersionMS/LS,
 *                             ...); its child StringFileInfo holds string tables ("040904B0")
 *                             of strings (key, value); VarFileInfo is skipped
 *
 * Only the first version resource is read (first name, first language), and in it the first
 * string table; of each string the first occurrence counts.
 */
#ifndef XS_PARSERS_PEVER_H
#define XS_PARSERS_PEVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/limits.h"

typedef enum xs_pever_rc {
    XS_PEVER_OK = 0,     /* the version resource was read: `found` says what it holds */
    XS_PEVER_NOT_PE,     /* no MZ header, or no "PE\0\0" where it points: not a PE file */
    XS_PEVER_NO_VERSION, /* a PE without a version resource */
    XS_PEVER_DAMAGED,    /* a PE whose headers or resources do not hold together */
} xs_pever_rc;

/* What a read found (bits of xs_pever.found). */
enum {
    XS_PEVER_FIXED = 1u << 0,       /* VS_FIXEDFILEINFO: file_ver, prod_ver */
    XS_PEVER_FILEVERSION = 1u << 1, /* the strings */
    XS_PEVER_PRODUCTVERSION = 1u << 2,
    XS_PEVER_PRODUCTNAME = 1u << 3,
    XS_PEVER_COMPANYNAME = 1u << 4,
    XS_PEVER_ORIGINALFILENAME = 1u << 5,
};

#define XS_PEVER_TEXT (XS_PE_MAX_STRING + 1)

typedef struct xs_pever {
    bool pe32plus;        /* PE32+ (64-bit) rather than PE32; set once the header was read */
    unsigned found;       /* XS_PEVER_* bits */
    uint16_t file_ver[4]; /* major, minor, build, revision (FileVersionMS/LS), with FIXED */
    uint16_t prod_ver[4]; /* ProductVersionMS/LS */
    /* UTF-8, NUL-terminated, "" when not found; at most XS_PE_MAX_STRING bytes */
    char file_version[XS_PEVER_TEXT], product_version[XS_PEVER_TEXT];
    char product_name[XS_PEVER_TEXT], company_name[XS_PEVER_TEXT];
    char original_filename[XS_PEVER_TEXT];
    bool capped;        /* a cap (XS_PE_*) kept part of the file from being read: with a
                           result other than OK, the cap may be why */
    const char *reason; /* static: why the result is not OK ("" when it is) */
} xs_pever;

/* Reads the version resource of the PE in p[0..n) (at most XS_PE_MAX_BYTES of it) into *out,
 * which is always written. With a result other than OK, out holds what was read before the
 * reader stopped, and reason says why; only an OK result is to be believed. Never reads
 * outside p[0..n), never recurses, never allocates. */
xs_pever_rc xs_pever_read(const unsigned char *p, size_t n, xs_pever *out);

/* "ok", "not a PE", "no version resource", "damaged". */
const char *xs_pever_rc_name(xs_pever_rc rc);

#endif
